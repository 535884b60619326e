// Turning a comparison of one output buffer into a property's Verdict, the same way in every family.
import { compareArrays, describeFailure, type CompareOptions } from '../harness/compare.ts';
import type { Verdict } from '../harness/spec.ts';

export function compareVerdict(
  buffer: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  allowed: ArrayLike<number> | number,
  context = '',
  opts: CompareOptions = {},
): Verdict {
  const c = compareArrays(actual, expected, allowed, opts);
  const v: Verdict = { pass: c.pass, measure: c.measure };
  if (c.worst >= 0) v.worst = { buffer, index: c.worst };
  if (!c.pass) v.message = `${context ? `${context}: ` : ''}${describeFailure(buffer, c)}`;
  return v;
}

/** Bit-for-bit equality of two f32 or u32 arrays (the strongest check: no sign-of-zero or NaN leeway). */
export function bitsVerdict(buffer: string, actual: Float32Array | Uint32Array | Int32Array, expected: Float32Array | Uint32Array | Int32Array, context = ''): Verdict {
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  if (a.length !== e.length) return { pass: false, message: `${context}: ${buffer} has ${a.length} elements, expected ${e.length}`, measure: { abs: Infinity, ulp: Infinity, boundRatio: Infinity } };
  let diff = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) {
      diff++;
      if (first < 0) first = i;
    }
  }
  if (diff === 0) return { pass: true, measure: { abs: 0, ulp: 0, boundRatio: 0 } };
  const show = (arr: Float32Array | Uint32Array | Int32Array, i: number) => `${arr[i]} (0x${(a === arr ? a : e)[i]!.toString(16).padStart(8, '0')})`;
  return {
    pass: false,
    message: `${context ? `${context}: ` : ''}${buffer}[${first}] = ${show(actual, first)} but expected ${show(expected, first)}; ${diff} of ${a.length} elements differ in their bits`,
    measure: { abs: Math.abs(Number(actual[first]) - Number(expected[first])) || Infinity, ulp: Infinity, boundRatio: Infinity },
    worst: { buffer, index: first },
  };
}
