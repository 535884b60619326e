// The sigmoid family: y = 1 / (1 + e^−x), element-wise, through kernels/sigmoid.wgsl.
//
// Which implementations the bound covers: 1 / (1 + exp(−x)) and exp(x) / (1 + exp(x)), either one for any x where its
// exp does not overflow (the library kernel picks by sign). Not covered: 0.5 + 0.5 tanh(0.5 x), WGSL-legal but only within WGSL's absolute tanh
// error of 1e-5 · 0.5, which would accept 0 for sigmoid(−12) ≈ 6e-6: a bound fair to it catches nothing small.
//
// Bound (derivation; u = 2^-23, η = 2^-126; WGSL spec "Floating Point Accuracy": exp within 3 + 2|x| ULP, + correctly
// rounded, / within 2.5 ULP for divisors in [2^-126, 2^126]; ULP as in harness/bounds/f32.ts). Per element, with
// k = 3 + 2|x| and y = sigmoid(x):
//  form A, 1 / (1 + e), e = exp(−x): ê within E = k specUlp(e) (+ η: a subnormal result may be flushed); the sum
//    1 + ê within δ = E + ulpOf(1 + e + E) of D = 1 + e; 1/ŝ within δ / (D (D − δ)) of y; the division adds
//    2.5 ulpOf of its largest quotient, and η if that may be subnormal.
//  form B, e / (1 + e), e = exp(x): numerator within E, denominator within δ as above, so the quotient is within
//    (E D + e δ) / (D (D − δ)) of y, plus the division's 2.5 ULP and η.
// A form is no sigmoid where its exp may overflow (e + E > MAX_F32) or its divisor leaves [2^-126, 2^126]: its value
// is indeterminate in WGSL there (past x ≈ 88.7 for form B, below −88.7 for form A), so a correct kernel takes the
// other form there, and the bound is the larger of the forms that are defined at x: finite for every finite x. A
// subnormal x may be flushed to 0: sigmoid moves by less than |x| / 4 < η.
import * as fc from 'fast-check';
import { MAX_F32, MIN_NORMAL_F32 as ETA, specUlp, ulpOf } from '../harness/bounds/f32.ts';
import type { LazyBound } from '../harness/compare.ts';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import type { SigmoidShape } from '../kernels/sigmoid.kernel.ts';
import { sigmoid } from '../reference/sigmoid.ts';
import { elementwiseCase } from './tanh.properties.ts';
import { distArb, edgeSize, negated, seedArb, spreadSize, type ValueDist } from './values.ts';
import { compareVerdict, finiteOutputs, rangeVerdict } from './verdict.ts';

export interface SigmoidDraw extends SigmoidShape {
  seed: number;
  dist: ValueDist;
  scale: number;
}

const DISTS = ['normal', 'uniform', 'edge', 'huge', 'wide', 'dyadic', 'subnormal'] as const satisfies readonly ValueDist[];

const draw = (dists: readonly ValueDist[] = DISTS, n = edgeSize(100_000, [256], { common: 16384, rare: 5 })): fc.Arbitrary<SigmoidDraw> => fc.record({
  n,
  seed: seedArb,
  dist: distArb(dists),
  scale: fc.integer({ min: 0, max: 4 }),
});

// e is the form's exp (of −x for form A, of x for form B), passed in: one of them is the reference's e^−|x|.
function formBound(x: number, y: number, e: number, numeratorIsExp: boolean): number {
  const k = 3 + 2 * Math.abs(x);
  const E = k * specUlp(e) + (e < ETA * (1 + k) ? ETA : 0);
  if (!(e + E <= MAX_F32)) return Infinity;
  const D = 1 + e;
  const delta = E + ulpOf(D + E);
  if (D + delta > 2 ** 126) return Infinity;
  const err = numeratorIsExp ? (E * D + e * delta) / (D * (D - delta)) : delta / (D * (D - delta));
  const qmax = y + err;
  return err + 2.5 * ulpOf(qmax) + (qmax < ETA ? ETA : 0);
}

/** The bound at x (above). y = sigmoid(x), small = e^−|x| and big = e^|x|, when the caller has them (y and small:
 *  reference/sigmoid.ts's values), the same doubles. */
export function sigmoidBound(x: number, y?: number, small?: number, big?: number): number {
  if (Number.isNaN(x)) return Infinity;
  // reference/sigmoid.ts's formula, per element: calling it built an array per element.
  small ??= Math.exp(-Math.abs(x));
  y ??= x >= 0 ? 1 / (1 + small) : small / (1 + small);
  // e^−|x| is exp(−x) for x ≥ 0 (±0 alike) and exp(x) below: only the other form's exp is left to take.
  return bothForms(x, y, x >= 0 ? small : (big ?? Math.exp(-x)), x >= 0 ? (big ?? Math.exp(x)) : small);
}

/** sigmoidBound at a non-NaN x from its y and both exps (expNeg = e^−x, expPos = e^x), all numbers: the per-element
 *  loops call this, which V8 can inline, rather than sigmoidBound with its optional arguments. */
function bothForms(x: number, y: number, expNeg: number, expPos: number): number {
  const a = formBound(x, y, expNeg, false);
  const b = formBound(x, y, expPos, true);
  // An undefined form (Infinity) is no correct sigmoid at x: the other form's bound applies.
  return (a === Infinity ? b : b === Infinity ? a : Math.max(a, b)) + ETA;
}

/** sigmoidBound(x) + sigmoidBound(−x) + 2^-52 (the symmetric property's allowed error: both runs' bounds and the f64
 *  sum's rounding), the same double: x and −x take the same two exps, e^−|x| and e^|x|, and each side's bothForms
 *  is called with numbers only (test/hot-loops.test.ts checks it against the sum). */
export function symmetricBound(x: number): number {
  if (Number.isNaN(x)) return Infinity;
  const small = Math.exp(-Math.abs(x));
  const big = Math.exp(Math.abs(x));
  // sigmoidBound's y and exps at x and at −x: at v ≥ 0 (±0 alike) y = 1 / (1 + small) and e^−v = small, below
  // y = small / (1 + small) and e^−v = big. Spelled out: a closure for the two sides took 3.5 times as long.
  const high = 1 / (1 + small);
  const low = small / (1 + small);
  const at = x >= 0 ? bothForms(x, high, small, big) : bothForms(x, low, big, small);
  const opposite = -x >= 0 ? bothForms(-x, high, small, big) : bothForms(-x, low, big, small);
  return at + opposite + 2 ** -52;
}

/** A lower bound of symmetricBound(x), Infinity exactly where it is (x NaN or infinite, where every form's k is):
 *  of the side whose sigmoid is at least 1/2 (bothForms(|x|, ...) at x and at −x alike), the form whose exp is
 *  e^|x|, or where that one is undefined the other: the larger part of the sum (about three quarters of it at
 *  |x| = 1, nearly all from |x| = 4). The bound takes max(form A, form B) + η there, and the other side's bothForms
 *  is not negative; rounding is monotone, so the sums keep the order in floating point too. */
export function symmetricBoundLower(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < Infinity)) return Infinity;
  const small = Math.exp(-ax);
  const high = 1 / (1 + small);
  const b = formBound(ax, high, Math.exp(ax), true);
  return (b === Infinity ? formBound(ax, high, small, false) : b) + ETA + 2 ** -52;
}

/** A lower bound of sigmoidBound(x, y, small), Infinity exactly where it is: the form whose exp is the reference's
 *  e^−|x| (form A for x ≥ 0, B below), without the other's exp. That form is finite for every finite x (its exp is at
 *  most 1, so E ≤ k · 2^-24 + η stays far from MAX_F32 and D + δ from 2^126 even at |x| = MAX_F32), and the bound is
 *  it or, where the other form is finite too, the larger of the two, plus η: max(a, b) + η ≥ a + η in floating
 *  point too. At x = ±Infinity both forms are Infinity (k is), and at NaN the bound is. */
export function sigmoidBoundLower(x: number, y: number, small: number): number {
  return Number.isNaN(x) ? Infinity : formBound(x, y, small, x < 0) + ETA;
}

// Each reference's e^−|x| values, by its output array: the bound of the same elements takes them from there.
const expOf = new WeakMap<Float64Array, Float64Array>();

function reference(c: Case<SigmoidDraw>): Record<string, Float64Array> {
  const x = c.inputs.x!;
  const e = new Float64Array(x.length);
  const y = sigmoid(x, e);
  expOf.set(y, e);
  return { y };
}

function tolerance(c: Case<SigmoidDraw>, expected?: Record<string, Float64Array>): Record<string, Float64Array> {
  const x = c.inputs.x!;
  // Only an expected that the reference above returned: its values are the ones the bound would compute.
  const e = expected?.y && expOf.get(expected.y);
  const y = e && expected!.y;
  const tol = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) tol[i] = sigmoidBound(x[i]!, y?.[i], e?.[i]);
  return { y: tol };
}

/** tolerance() on demand: matches-reference takes the exact bound only where sigmoidBoundLower leaves it open. */
function lazyTolerance(c: Case<SigmoidDraw>, expected?: Record<string, Float64Array>): Record<string, LazyBound> {
  const x = c.inputs.x!;
  const fromReference = expected?.y && expOf.get(expected.y);
  const e = fromReference || Float64Array.from(x, (v) => Math.exp(-Math.abs(v)));
  const y = fromReference ? expected!.y! : sigmoid(x);
  // The lower bounds in one pass (compare.ts LazyBound: no call per element there): sigmoidBoundLower, inline.
  const lower = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    lower[i] = v === v ? formBound(v, y[i]!, e[i]!, v < 0) + ETA : Infinity;
  }
  return { y: { length: x.length, lower, exact: (i) => sigmoidBound(x[i]!, y[i], e[i]) } };
}

const TOP = 1 + 2.5 * 2 ** -23;

const inUnitInterval: Property<SigmoidDraw, SigmoidDraw> = {
  name: 'in-unit-interval',
  description: 'Every output is in [0, 1 + 2.5 ULP(1)] for every finite input (the division\'s 2.5 ULP above 1).',
  bound: '0 ≤ ŷ ≤ 1 + 2.5 · 2^-23',
  arbitrary: draw(),
  runs: (d) => [elementwiseCase(d)],
  check: (d, [out]): Verdict => rangeVerdict(out!.y!, 0, TOP, 'distance of ŷ outside [0, 1 + 2.5 ULP]', 'in [0, 1 + 2.5 ULP]'),
};

const symmetric: Property<SigmoidDraw, SigmoidDraw> = {
  name: 'symmetric',
  description: 'sigmoid(−x) = 1 − sigmoid(x): the two runs\' outputs sum to 1 within both tolerances (plus the f64 sum\'s rounding).',
  bound: '|ŷ(x) + ŷ(−x) − 1| ≤ t(x) + t(−x) + 2^-52',
  arbitrary: draw(['normal', 'uniform', 'wide', 'dyadic']),
  runs: (d) => {
    const c = elementwiseCase(d);
    return [c, { shape: d, inputs: { x: negated(c.inputs.x as Float32Array) } }];
  },
  check: (d, [a, b]): Verdict => {
    const x = elementwiseCase(d).inputs.x!;
    const ya = a!.y!;
    const yb = b!.y!;
    const got = new Float64Array(ya.length);
    for (let i = 0; i < ya.length; i++) got[i] = ya[i]! + yb[i]!;
    // Where the sum is 1 exactly (two fifths of Dawn's elements) any lower bound decides (an error of 0 passes and
    // is never the worst): 0 there, finite as the bound is for a finite x; symmetricBoundLower's two exps elsewhere.
    const lower = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) lower[i] = got[i] === 1 && Math.abs(x[i]!) < Infinity ? 0 : symmetricBoundLower(x[i]!);
    const allowed: LazyBound = { length: x.length, lower, exact: (i) => symmetricBound(x[i]!) };
    return compareVerdict('y', got, new Float64Array(x.length).fill(1), allowed, 'ŷ(x) + ŷ(−x) against 1');
  },
};

const family: Family<SigmoidDraw> = {
  name: 'sigmoid',
  elementwise: true,
  cases: draw().map(elementwiseCase),
  spreadCases: draw(DISTS, spreadSize()).map(elementwiseCase),
  reference,
  tolerance,
  lazyTolerance,
  covers: '1 / (1 + exp(−x)) and exp(x) / (1 + exp(x)), each where its exp does not overflow (past |x| ≈ 88.7 only the form whose exp shrinks), not 0.5 + 0.5 tanh(0.5 x), whose tanh WGSL allows 1e-5 off',
  properties: [
    finiteOutputs(draw(), (d) => [elementwiseCase(d)], (d) => ({ y: sigmoid(elementwiseCase(d).inputs.x!) }), 'sigmoid'),
    inUnitInterval,
    symmetric,
  ],
};

export default family;
