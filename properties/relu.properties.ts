// The relu family: y = max(x, 0), bit-exact against the reference apart from the sign of zero.
//
// Subnormal inputs are left out on purpose: WGSL lets an implementation flush a subnormal to zero, so relu of a
// positive subnormal may legitimately be 0, which a bit-exact family cannot allow. ±0, tiny normals, huge values
// and everything between stay in.
import * as fc from 'fast-check';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import type { ReluShape } from '../kernels/relu.kernel.ts';
import { relu } from '../reference/relu.ts';
import { distArb, edgeSize, fillF32, seedArb, type ValueDist } from './values.ts';

export interface ReluDraw extends ReluShape {
  seed: number;
  dist: ValueDist;
}

const RELU_DISTS = ['uniform', 'edge', 'normal', 'wide', 'huge', 'dyadic'] as const satisfies readonly ValueDist[];

export const reluDraw: fc.Arbitrary<ReluDraw> = fc.record({
  n: edgeSize(100_000, [64]),
  seed: seedArb,
  dist: distArb(RELU_DISTS),
});

export function reluCase(d: ReluDraw): Case<ReluDraw> {
  return { shape: d, inputs: { x: fillF32(d.seed, d.n, d.dist) } };
}

/** Same bits, or both zeros of either sign. */
function sameValue(a: number, b: number): boolean {
  return Object.is(a, b) || (a === 0 && b === 0);
}

function bitVerdict(actual: Float32Array, expected: ArrayLike<number>, what: (i: number) => string): Verdict {
  for (let i = 0; i < expected.length; i++) {
    if (!sameValue(actual[i]!, expected[i]!)) {
      const abs = Math.abs(actual[i]! - expected[i]!);
      return {
        pass: false,
        message: what(i),
        measure: { abs: Number.isNaN(abs) ? Infinity : abs, ulp: Infinity, boundRatio: Infinity },
        worst: { buffer: 'y', index: i },
      };
    }
  }
  return { pass: true, measure: { abs: 0, ulp: 0, boundRatio: 0 } };
}

const idempotent: Property<ReluDraw, ReluDraw> = {
  name: 'idempotent',
  description:
    'relu(relu(x)) = relu(x): running the kernel on the reference relu(x) gives the same bits (±0 aside) as running ' +
    'it on x. The second run cannot take the first run\'s output (cases are independent), so it takes relu(x) from ' +
    'the reference; a kernel that is not a projection onto x ≥ 0 (leaky relu, |x|, a clamp) changes it.',
  bound: 'exact',
  arbitrary: reluDraw,
  runs: (d) => {
    const c = reluCase(d);
    return [c, { shape: d, inputs: { x: Float32Array.from(relu(c.inputs.x!)) } }];
  },
  // Which run gave which value, and from what: a new user read "relu(relu(x))[0] = 0 but relu(x)[0] = 0.43" as the
  // second application being the wrong one, where the first had made 0.43 of x = -0.86.
  check: (d, [once, twice]) =>
    bitVerdict(twice!.y as Float32Array, once!.y!, (i) => {
      const x = reluCase(d).inputs.x!;
      return `the kernel on x gave y[${i}] = ${once!.y![i]} for x[${i}] = ${x[i]}, and on the reference relu(x) (${Float32Array.from(relu(x.subarray(i, i + 1)))[0]} there) it gave ${twice!.y![i]}: a relu gives the same bits both times`;
    }),
};

const neverNegative: Property<ReluDraw, ReluDraw> = {
  name: 'never-negative',
  description: 'Every y[i] is ≥ 0 (−0 counts as zero) and not NaN.',
  bound: 'exact',
  arbitrary: reluDraw,
  runs: (d) => [reluCase(d)],
  check: (d, [out]): Verdict => {
    const y = out!.y!;
    for (let i = 0; i < d.n; i++) {
      if (!(y[i]! >= 0)) {
        // NaN is not negative (a new user's relu that skipped its last element was told "y[0] = NaN is negative";
        // an element still holding the harness's NaN is said to be unwritten before this message, by universal.ts).
        return {
          pass: false,
          message: `y[${i}] ${Number.isNaN(y[i]!) ? 'is NaN' : `= ${y[i]} is negative`} (x[${i}] = ${reluCase(d).inputs.x![i]})`,
          measure: { abs: Number.isNaN(y[i]!) ? Infinity : -y[i]!, ulp: Infinity, boundRatio: Infinity },
          worst: { buffer: 'y', index: i },
        };
      }
    }
    return { pass: true, measure: { abs: 0, ulp: 0, boundRatio: 0 } };
  },
};

const family: Family<ReluDraw> = {
  name: 'relu',
  elementwise: true,
  cases: reluDraw.map(reluCase),
  reference: (c) => ({ y: relu(c.inputs.x!) }),
  tolerance: (c) => ({ y: new Float64Array(c.shape.n) }),
  properties: [idempotent, neverNegative],
  exact: true,
};

export default family;
