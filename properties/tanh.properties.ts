// The tanh family: y = tanh(x), element-wise, through kernels/tanh.wgsl.
//
// Bound: WGSL's f32 tanh, "the worse of: absolute error 1.0 × 10^-5; inherited from sinh(x) / cosh(x)" (WGSL spec,
// "Floating Point Accuracy", table of built-in functions; the absolute term since gpuweb PR 5199), evaluated in
// closed form by tanhBoundFast (properties/tanh-bound.ts: sinh and cosh from exp within 3 + 2|x| ULP, + and −
// correctly rounded, / within 2.5 ULP). Past |x| ≈ 88.7 exp(|x|) overflows and the inherited rule bounds nothing
// (Infinity): matches-reference counts those elements, and saturates holds them to ±1 within 1e-5 (WGSL's
// absolute term), stricter than the literal rule there, as finite-outputs and in-range are.
// Any implementation (the built-in, exp-based, clamped, rational) is judged by the same per-element rule.
import * as fc from 'fast-check';
import type { LazyBound } from '../harness/compare.ts';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import type { TanhShape } from '../kernels/tanh.kernel.ts';
import { tanh } from '../reference/tanh.ts';
import { tanhBoundFast, tanhBoundFastLower } from './tanh-bound.ts';
import { distArb, edgeSize, fillF32, filledOnce, negated, seedArb, spreadSize, subSeed, type ValueDist } from './values.ts';
import { compareVerdict, finiteOutputs, rangeVerdict } from './verdict.ts';

export interface TanhDraw extends TanhShape {
  seed: number;
  dist: ValueDist;
  /** Values are multiplied by 2^scale (exact): normal(0, 1) × 8 spans the curved part. */
  scale: number;
}

// 'edge' (up to 2^100) and 'huge' (up to f32's largest) reach past the overflow of exp: where NaN-returning kernels show.
const DISTS = ['normal', 'uniform', 'edge', 'huge', 'wide', 'dyadic', 'subnormal'] as const satisfies readonly ValueDist[];

export const tanhDraw = (dists: readonly ValueDist[] = DISTS, n = edgeSize(100_000, [256], { common: 16384, rare: 5 })): fc.Arbitrary<TanhDraw> => fc.record({
  n,
  seed: seedArb,
  dist: distArb(dists),
  scale: fc.integer({ min: 0, max: 3 }),
});

type ElementwiseDraw = { n: number; seed: number; dist: ValueDist; scale: number };
const filled = filledOnce((d: ElementwiseDraw) => {
  const x = fillF32(subSeed(d.seed, 0), d.n, d.dist);
  const f = 2 ** d.scale;
  // A Float32Array store rounds as Math.fround does (ties to even; past MAX_F32, Infinity): the same values.
  if (f !== 1) for (let i = 0; i < d.n; i++) x[i] = x[i]! * f;
  return { x };
});
export const elementwiseCase = <D extends ElementwiseDraw>(d: D): Case<D> => filled(d) as Case<D>;

function tolerance(c: Case<TanhDraw>): Record<string, Float64Array> {
  const x = c.inputs.x!;
  return { y: Float64Array.from(x, (v) => tanhBoundFast(v)) };
}

/** tolerance() on demand: tanhBoundFast's exps only where an error passes 1e-5 or may be the worst. */
function lazyTolerance(c: Case<TanhDraw>): Record<string, LazyBound> {
  const x = c.inputs.x!;
  return { y: { length: x.length, lower: (i) => tanhBoundFastLower(x[i]!), exact: (i) => tanhBoundFast(x[i]!) } };
}

const RANGE = 1 + 1e-5;

const inRange: Property<TanhDraw, TanhDraw> = {
  name: 'in-range',
  description: 'Every output is in [−1 − 1e-5, 1 + 1e-5]: tanh\'s range widened by WGSL\'s absolute error term, for every finite input (also where the inherited rule is unbounded).',
  bound: '|ŷ| ≤ 1 + 1e-5',
  arbitrary: tanhDraw(),
  runs: (d) => [elementwiseCase(d)],
  check: (d, [out]): Verdict => rangeVerdict(out!.y!, -RANGE, RANGE, 'distance of |ŷ| beyond 1 + 1e-5', 'in [−1 − 1e-5, 1 + 1e-5]'),
};

const odd: Property<TanhDraw, TanhDraw> = {
  name: 'odd',
  description: 'tanh(−x) = −tanh(x): the two runs\' outputs sum to 0 within both tolerances.',
  bound: '|ŷ(x) + ŷ(−x)| ≤ t(x) + t(−x)',
  arbitrary: tanhDraw(['normal', 'uniform', 'wide', 'dyadic']),
  runs: (d) => {
    const c = elementwiseCase(d);
    return [c, { shape: d, inputs: { x: negated(c.inputs.x as Float32Array) } }];
  },
  check: (d, [a, b]): Verdict => {
    const x = elementwiseCase(d).inputs.x!;
    const ya = a!.y!;
    const yb = b!.y!;
    const got = new Float64Array(ya.length);
    for (let i = 0; i < got.length; i++) got[i] = ya[i]! + yb[i]!;
    const allowed: LazyBound = {
      length: x.length,
      lower: (i) => tanhBoundFastLower(x[i]!) + tanhBoundFastLower(-x[i]!),
      exact: (i) => tanhBoundFast(x[i]!) + tanhBoundFast(-x[i]!),
    };
    return compareVerdict('y', got, new Float64Array(x.length), allowed, 'ŷ(x) + ŷ(−x) against 0');
  },
};

const saturates: Property<TanhDraw, TanhDraw> = {
  name: 'saturates',
  description:
    "Where WGSL's inherited rule gives no bound (|x| past about 88.7, where exp overflows f32), tanh(x) is ±1 within " +
    "1e-5 (WGSL's absolute floor for tanh): stricter than WGSL's letter there, as finite-outputs is, and what a " +
    'kernel that clamps its argument (kernels/tanh.wgsl) or saturates to ±1 gives.',
  bound: '|ŷ − sign(x)| ≤ 1e-5, on the elements matches-reference leaves unbounded',
  // The distributions with |x| past 88.7: most of 'huge', about a third of 'wide' (2^±30) and of 'edge'.
  arbitrary: tanhDraw(['huge', 'wide', 'edge']),
  runs: (d) => [elementwiseCase(d)],
  check: (d, [out]): Verdict => {
    const x = elementwiseCase(d).inputs.x!;
    // Only those elements, packed (matches-reference judges the others): their indices are the kernel's in the message.
    const at: number[] = [];
    for (let i = 0; i < x.length; i++) if (!Number.isFinite(tanhBoundFast(x[i]!))) at.push(i);
    const saturated = at.length;
    const got = new Float64Array(saturated);
    const want = new Float64Array(saturated);
    for (let k = 0; k < saturated; k++) {
      got[k] = out!.y![at[k]!]!;
      want[k] = Math.sign(x[at[k]!]!);
    }
    const v = compareVerdict('y', got, want, 1e-5, `where WGSL's tanh rule is unbounded (${saturated} of ${x.length} elements), tanh taken as ±1 within 1e-5`, { indices: at });
    return { ...v, notes: { ...v.notes, saturatedElements: saturated } };
  },
};

const family: Family<TanhDraw> = {
  name: 'tanh',
  elementwise: true,
  cases: tanhDraw().map(elementwiseCase),
  spreadCases: tanhDraw(DISTS, spreadSize()).map(elementwiseCase),
  reference: (c) => ({ y: tanh(c.inputs.x!) }),
  tolerance,
  lazyTolerance,
  unboundedWhere: "|x| past about 88.7, where exp overflows in the sinh / cosh WGSL's rule is inherited from; finite-outputs, in-range and saturates still judge them",
  properties: [
    // The usual way to fail here: an unclamped argument (SwiftShader's built-in tanh is NaN at x = −2.5e7).
    finiteOutputs(tanhDraw(), (d) => [elementwiseCase(d)], (d) => ({ y: tanh(elementwiseCase(d).inputs.x!) }), 'tanh', {
      past: 16,
      text: "past |x| ≈ 88.7 WGSL's tanh rule bounds nothing, and both the built-in (SwiftShader's) and (exp(2x) − 1) / (exp(2x) + 1) " +
        'give NaN there: clamp the argument first, as kernels/tanh.wgsl does with clamp(x, -16.0, 16.0) (tanh(16) is 1 in f32)',
    }),
    inRange,
    odd,
    saturates,
  ],
};

export default family;
