// Turning a comparison of one output buffer into a property's Verdict, the same way in every family.
import type * as fc from 'fast-check';
import type { Float16Array } from '@petamoriken/float16';
import { MAX_F32, ulpDistance } from '../harness/bounds/f32.ts';
import { atIndices, compareArrays, describeFailure, OutputLengthError, describeUnbounded, formatValue, type CompareOptions, type LazyBound } from '../harness/compare.ts';
import type { Case, Property, Verdict } from '../harness/spec.ts';

/** The endings of a verdict's note that counts elements passed as NaN met by NaN, `y NaN in both runs` (two runs) or
 *  `y NaN on both sides` (against a reference): mutate counts them (mutate/run.ts). */
export const NAN_MET_NAN = [' NaN in both runs', ' NaN on both sides'] as const;

export function compareVerdict(
  buffer: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  allowed: ArrayLike<number> | number | LazyBound,
  context = '',
  opts: CompareOptions & {
    expectedIs?: string;
    /** The arrays hold some of the buffer's elements, packed: position k is the buffer's element indices[k]. */
    indices?: ArrayLike<number>;
    /** Where `allowed` is Infinity and why, for the note a pass carries (as Family.unboundedWhere is for the
     *  family's tolerance; a family's property comparing with that tolerance passes family.unboundedWhere). */
    unboundedWhere?: string;
  } = {},
): Verdict {
  const allowedLength = typeof allowed === 'number' ? actual.length : allowed.length;
  if (expected.length !== actual.length || allowedLength !== actual.length) throw new OutputLengthError(buffer, actual.length, expected.length, allowedLength);
  const compared = compareArrays(actual, expected, allowed, opts);
  const c = opts.indices ? atIndices(compared, opts.indices) : compared;
  const v: Verdict = { pass: c.pass, measure: c.measure };
  if (c.worst >= 0) v.worst = { buffer, index: c.worst };
  // An element with an infinite allowance passes whatever it holds: say how many, as matches-reference does, so that
  // a pass is never silent there.
  if (c.unbounded) v.notes = { unboundedElements: c.unbounded, unboundedNonFinite: c.unboundedNonFinite, [`unbounded ${buffer}`]: describeUnbounded(buffer, c, opts.unboundedWhere, 'property', opts.expectedIs) };
  // NaN meets NaN and agrees: a kernel that wrote NaN everywhere passed a two-run property on a clean line (a trial's
  // n-body without softening; another's mirror property, which compared two runs without saying expectedIs).
  // Counted, so that such a pass says what it compared.
  if (c.pass) {
    let nan = 0;
    for (let i = 0; i < expected.length; i++) if (expected[i] !== expected[i]) nan++;
    if (nan) v.notes = { ...v.notes, [`${buffer}${NAN_MET_NAN[opts.expectedIs ? 0 : 1]}`]: nan };
  }
  if (!c.pass) v.message = `${context ? `${context}: ` : ''}${describeFailure(buffer, c, opts.expectedIs)}`;
  return v;
}

/**
 * Which of two runs that should agree is the wrong one. `same` compares the second run with the first; `first`
 * compares the first with the reference. Where they differ and the first is off the reference, the first is blamed
 * (with `other`, what the second gave); else the second is, as `same` says. A trial's max kernel missed the max on x
 * and found it on the rearranged x, and read the rearranged run blamed.
 */
export function blameFirst(same: Verdict, first: Verdict, other: string): Verdict {
  if (same.pass || first.pass) return same.pass ? first : same;
  return { ...first, message: `${first.message}; ${other}` };
}

/** A failing verdict on a quantity derived from the output (a distance out of `range`) with the output's own value
 *  at its worst element, which the message would not show: "...; the output y[1] is 1.00000072". A NaN output has no
 *  distance to speak of ("y[1] = NaN but the reference is 0" read as a value against a reference): said as it is. */
export function withOutput(v: Verdict, y: ArrayLike<number>, range: string, buffer = 'y'): Verdict {
  if (v.pass || !v.worst) return v;
  const out = y[v.worst.index]!;
  if (Number.isNaN(out)) return { ...v, message: `${buffer}[${v.worst.index}] is NaN where every output must be ${range}` };
  return { ...v, message: `${v.message}; the output ${buffer}[${v.worst.index}] is ${formatValue(out)}` };
}

/** How many elements of two runs differ in their bits (Object.is: −0 and +0 differ, NaN equals NaN), for the notes
 *  of a property that judges the runs within a bound but reports whether they were the same bits. */
export function bitsAgreement(a: ArrayLike<number>, b: ArrayLike<number>): { bitIdentical: boolean; differingElements: number } {
  let differing = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differing++;
  return { bitIdentical: differing === 0, differingElements: differing };
}

/** Bit-for-bit equality of two f32 or u32 arrays (the strongest check: no sign-of-zero or NaN leeway). `expectedIs`
 *  names what `expected` holds where it is another run, not a reference (`the run on the original keys`), as
 *  compareVerdict's does: either run may be the wrong one (trial 146 B1). */
export function bitsVerdict(buffer: string, actual: Float32Array | Uint32Array | Int32Array | Float16Array, expected: Float32Array | Uint32Array | Int32Array | Float16Array, context = '', opts: { expectedIs?: string } = {}): Verdict {
  // An f16 output's bits are 16 a value, an f32's or a 32-bit integer's 32 (trial 97 B1: a Float16Array threw a RangeError here, blamed on the property).
  const bitsOf = (x: typeof actual) => (x.BYTES_PER_ELEMENT === 2 ? new Uint16Array(x.buffer, x.byteOffset, x.length) : new Uint32Array(x.buffer, x.byteOffset, x.length));
  const a = bitsOf(actual);
  const e = bitsOf(expected);
  if (a.length !== e.length) return { pass: false, message: `${context}: ${buffer} has ${a.length} elements, expected ${e.length}`, measure: { abs: Infinity, ulp: Infinity, boundRatio: Infinity } };
  let diff = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) {
      diff++;
      if (first < 0) first = i;
    }
  }
  // An integer buffer's measure says so: a pass then prints "exact", not "0.0000 of bound, 0 ulp" (trial 180 B3).
  const integer = actual instanceof Uint32Array || actual instanceof Int32Array ? { integer: true } : {};
  if (diff === 0) return { pass: true, measure: { abs: 0, ulp: 0, boundRatio: 0, ...integer } };
  // Each value with its own bits (a and e are the bit views of actual and expected).
  const show = (arr: typeof actual, bits: Uint16Array | Uint32Array, i: number) => `${arr[i]} (0x${bits[i]!.toString(16).padStart(2 * arr.BYTES_PER_ELEMENT, '0')})`;
  const abs = Math.abs(Number(actual[first]) - Number(expected[first])) || Infinity;
  const ulp = actual instanceof Float32Array ? ulpDistance(actual[first]!, expected[first]!) : abs;
  return {
    pass: false,
    message: `${context ? `${context}: ` : ''}${buffer}[${first}] = ${show(actual, a, first)} but ${opts.expectedIs ? `${opts.expectedIs} has` : 'expected'} ${show(expected, e, first)}; ${diff} of ${a.length} elements differ in their bits`,
    // An integer's distance is its difference, as compareArrays counts it ('off by 25, ∞ ulp' read oddly for an index).
    // Where, too: the result's line gives the worst of the cases drawn, which another case's message may not be
    // about (trial 187 B6: "off by 13708" above a shrunk case off by 277, with nothing to say so).
    measure: { abs, ulp, boundRatio: Infinity, atWorst: { abs, ulp, buffer, index: first }, ...integer },
    worst: { buffer, index: first },
  };
}

/**
 * No silent acceptance: every output element must be finite wherever the exact result is a finite f32-range value
 * (|y| ≤ MAX_F32). This is stricter than WGSL's literal reading, under which an overflowing intermediate (exp(89) in
 * the sinh / cosh that tanh's accuracy rule is inherited from, x³ past 7e12 in gelu) makes the result indeterminate:
 * the rule then bounds nothing and matches-reference can only count such elements. A kernel that returns NaN or
 * infinity for a finite input with a finite, bounded exact result is wrong by any practical reading (gpuweb issue
 * 4458 is about exactly tanh's unbounded rule), so each family with a transcendental adds this property. `advice`,
 * when given, ends a failure's message where the element's input (the first input, element-wise) is past `past` in
 * magnitude: what to change in the kernel there. A NaN at a small input has another cause (a trial's gelu that
 * dropped its tail was told to clamp x before the cube at x = 1.26). `tolerance`, when given, is matches-reference's
 * (Infinity where it bounds nothing): a failure where it is not finite says that WGSL makes that element
 * indeterminate and that this property asks more (trial 74: "the exact result -1 is finite" sent a user looking for a
 * bug in a layernorm whose squared deviations overflowed).
 */
export function finiteOutputs<S, D>(arbitrary: fc.Arbitrary<D>, runs: (d: D) => Case<S>[], expected: (d: D) => Record<string, Float64Array>, what: string, advice?: { past: number; text: string },
  tolerance?: (d: D, expected: Record<string, Float64Array>) => Record<string, ArrayLike<number>>): Property<S, D> {
  return {
    name: 'finite-outputs',
    description: `Every output is finite wherever the exact ${what} is finite and within the f32 range, including inputs where WGSL's accuracy rule is unbounded (an intermediate overflows): NaN or ±Infinity there fails.`,
    bound: 'ŷ finite wherever |y| ≤ MAX_F32',
    arbitrary,
    runs,
    check: (d, outs): Verdict => {
      // Where every output is finite nothing can fail here: the reference (an exp or a tanh per element, most of
      // this property's time) is computed only to judge a non-finite output.
      const allFinite = finiteCount(outs[0]!, runs(d)[0]!.inputs);
      if (allFinite !== undefined) return { pass: true, notes: { finiteElementsChecked: allFinite } };
      const exp = expected(d);
      let checked = 0;
      for (const [name, e] of Object.entries(exp)) {
        const a = outs[0]![name]!;
        for (let i = 0; i < e.length; i++) {
          if (!(Math.abs(e[i]!) <= MAX_F32)) continue;
          checked++;
          if (!Number.isFinite(a[i]!)) {
            const input = runs(d)[0]!.inputs;
            const first = Object.keys(input)[0]!;
            const x = input[first]!.length === e.length ? input[first]![i]! : undefined;
            const at = x !== undefined ? ` (${first}[${i}] = ${x})` : '';
            const unbounded = tolerance && !Number.isFinite(tolerance(d, exp)[name]?.[i] ?? 0)
              ? `; an intermediate may overflow f32 there, where WGSL makes the result indeterminate and matches-reference bounds nothing: finite-outputs asks more than WGSL's letter here, a finite result, as a kernel that scales before it squares or exponentiates gives`
              : '';
            const say = (advice && x !== undefined && Math.abs(x) > advice.past ? `: ${advice.text}` : '') + unbounded;
            return { pass: false, message: `${name}[${i}] = ${a[i]} where the exact result ${e[i]} is finite${at}${say}`, measure: { abs: Infinity, ulp: Infinity, boundRatio: Infinity }, worst: { buffer: name, index: i } };
          }
        }
      }
      return { pass: true, notes: { finiteElementsChecked: checked } };
    },
  };
}

/** How many elements the buffers of `out` that are not among the run's `inputs` hold, or undefined if one of those
 *  elements is NaN or infinite (an integer buffer's never is). */
function finiteCount(out: Record<string, ArrayLike<number>>, inputs: Record<string, unknown>): number | undefined {
  let n = 0;
  for (const [name, a] of Object.entries(out)) {
    if (name in inputs) continue;
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return undefined;
    n += a.length;
  }
  return n;
}

/**
 * Every element of `y` in [lo, hi] (NaN is in no range): the verdict of a range property. Its distance outside the
 * range is judged against 0 only where an element is out (in one pass otherwise, without the arrays), so a failure
 * reads as before: "context: y[i] = d but the reference is 0 ...; the output y[i] is v" (withOutput).
 */
export function rangeVerdict(y: ArrayLike<number>, lo: number, hi: number, context: string, range: string): Verdict {
  let inside = true;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!(v >= lo && v <= hi)) {
      inside = false;
      break;
    }
  }
  if (inside) return { pass: true, measure: { abs: 0, ulp: 0, boundRatio: 0 }, ...(y.length ? { worst: { buffer: 'y', index: 0 } } : {}) };
  const got = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    got[i] = Number.isNaN(v) ? NaN : v < lo ? lo - v : v > hi ? v - hi : 0;
  }
  return withOutput(compareVerdict('y', got, new Float64Array(got.length), 0, context), y, range);
}
