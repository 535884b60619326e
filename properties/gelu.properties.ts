// The gelu family: y = 0.5 x (1 + tanh(k (x + c x³))), k = √(2/π), c = 0.044715, through kernels/gelu.wgsl.
//
// Bound (derivation), per element, u = 2^-23, η = 2^-126, following the kernel's order of operations:
//  1. inner = k̂ (x + ((ĉ x) x) x): the literals k̂, ĉ are within u of k, c; three products, a sum of two terms of
//     the same sign (x and c x³ share x's sign, so the sum's relative error is at most its terms'), one product:
//     |înner − inner| ≤ Δ = γ_7 |inner| + 4η (a cube that underflows may be flushed).
//  2. t̂ = tanh(înner): tanh moves by at most Δ · max sech² over [inner − Δ, inner + Δ], and WGSL's tanh is within
//     tanhBoundFast (properties/tanh-bound.ts: the worse of 1e-5 absolute and the rule inherited from sinh/cosh
//     through exp's 3 + 2|x| ULP, in closed form; no finite bound once exp(|x|) overflows, |inner| ≳ 88, where the
//     tolerance is Infinity) at whatever point of
//     that interval înner landed: the larger of its values at both ends. Δt is the sum.
//  3. ŷ = fl(fl(0.5 x) · fl(1 + t̂)): 0.5 x is exact (or flushed, η), the sum and product round once each:
//     |ŷ − y| ≤ 0.5|x| Δt (1 + γ_2) + 0.5|x| |1 + t| γ_2 + 2η.
//  4. An implementation may clamp x to [−10, 10] before the cube (the library does, so that its tanh never sees an
//     overflowed argument): past |x| = 10 both inner arguments exceed 43, where tanh is ±1 within 2 e^(−2·43.6),
//     so the clamp moves ŷ by at most |x| · 2 e^(−2 inner(10)) (≈ |x| · 1.6e-38), added for |x| > 10. Its înner is
//     then smaller than the unclamped one, and so are steps 1–2's terms.
// Derived along this order, the bound judges other orders and forms of the same approximation too: WGSL's tanh may
// be 1e-5 off (absolute), so 0.5|x| · 1e-5 at the least, where a few roundings of any other form cost about 1e-6 of
// |y| (trial 51's x / (1 + exp(−2 inner)) used 0.02 of the bound). The erf form is another function, and fails.
import * as fc from 'fast-check';
import { MIN_NORMAL_F32 as ETA } from '../harness/bounds/f32.ts';
import type { LazyBound } from '../harness/compare.ts';
import { gamma } from '../harness/bounds/gamma.ts';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import type { GeluShape } from '../kernels/gelu.kernel.ts';
import { gelu, geluInner } from '../reference/gelu.ts';
import { distArb, edgeSize, negated, seedArb, spreadSize, type ValueDist } from './values.ts';
import { elementwiseCase } from './tanh.properties.ts';
import { tanhBoundFast } from './tanh-bound.ts';
import { compareVerdict, finiteOutputs } from './verdict.ts';

export interface GeluDraw extends GeluShape {
  seed: number;
  dist: ValueDist;
  /** Values are multiplied by 2^scale (exact): normal(0,1) × 8 spans the whole curved part of gelu. */
  scale: number;
}

const DISTS = ['normal', 'uniform', 'edge', 'dyadic', 'wide'] as const satisfies readonly ValueDist[];

const geluDraw = (n: fc.Arbitrary<number>): fc.Arbitrary<GeluDraw> => fc.record({
  n,
  seed: seedArb,
  dist: distArb(DISTS),
  scale: fc.integer({ min: 0, max: 3 }),
});
const draw = geluDraw(edgeSize(200_000, [256], { common: 32768, rare: 5 }));

/** The element-wise families' case: x from the draw's distribution, times 2^scale (tanh.properties.ts). */
export const geluCase: (d: GeluDraw) => Case<GeluDraw> = elementwiseCase;

// tanh(v) is 1 in float64 from v ≈ 19.1 on (fdlibm's tanh, V8's, returns 1 from 22): sech² is 0 there, no call.
const sech2 = (v: number) => {
  if (v >= 22) return 0;
  const t = Math.tanh(v);
  return 1 - t * t;
};

const G7 = gamma(7);
const G2 = gamma(2);

/** Step 4's clamp term per unit of |x|: 2 e^(−2 inner(10)). */
const CLAMP = 2 * Math.exp(-2 * geluInner(10));

/** Steps 1-2: Δt at inner, Infinity where WGSL's tanh rule is unbounded. The same double at −inner: its interval is
 *  [−hi, −lo], and everything below takes |·| of its ends. */
function deltaT(inner: number): number {
  const delta = G7 * Math.abs(inner) + 4 * ETA;
  const lo = inner - delta;
  const hi = inner + delta;
  const alo = Math.abs(lo);
  const ahi = Math.abs(hi);
  // tanhBoundFast is 1e-5 up to 16 and Infinity past 89 (exp overflows f32 there): decided here without the calls,
  // for the same value (about half of a 'wide' input's elements are past 89).
  if (alo > 89 || ahi > 89) return Infinity;
  const nearest = lo <= 0 && hi >= 0 ? 0 : Math.min(alo, ahi);
  return delta * sech2(nearest) + (alo <= 16 && ahi <= 16 ? 1e-5 : Math.max(tanhBoundFast(lo), tanhBoundFast(hi)));
}

/** Step 3 and the clamp, from Δt and t = tanh(inner). */
function fromDeltaT(x: number, dt: number, t: number): number {
  const half = 0.5 * Math.abs(x);
  const clamp = Math.abs(x) > 10 ? Math.abs(x) * CLAMP : 0;
  return half * dt * (1 + G2) + half * Math.abs(1 + t) * G2 + 2 * ETA + clamp;
}

/** The bound at x (above); tanhInner = tanh(geluInner(x)) when the caller has it (the reference's: the same double). */
export function geluBound(x: number, tanhInner?: number): number {
  const inner = geluInner(x);
  const dt = deltaT(inner);
  return Number.isFinite(dt) ? fromDeltaT(x, dt, tanhInner ?? Math.tanh(inner)) : Infinity;
}

/** Whether geluBound(x) is Infinity, without a tanh below |inner| ± Δ = 87: tanhBoundFast is finite up to 87 (exp
 *  overflows f32 past 88.7), so deltaT is; NaN goes to geluBound, which answers Infinity. */
function geluUnbounded(x: number, inner: number): boolean {
  // max(|inner − Δ|, |inner + Δ|) for Δ ≥ 0, the same double (both round |inner| + Δ); Math.max took 9 ns here.
  return !(Math.abs(inner) + (G7 * Math.abs(inner) + 4 * ETA) <= 87) && geluBound(x) === Infinity;
}

/** Where |x| ≤ 12 (|inner| ≤ 72: bounded), a lower bound of fromDeltaT(x, 1e-5, t) for any t: its first term without
 *  the (1 + γ₂), and its η; the other terms are not negative, and rounding is monotone. Within 3% of the bound over
 *  most of that range (the δ sech² and γ₂ terms are small beside 1e-5), and a multiply: step 3 and the unbounded
 *  test (its Math.max) made the lower bound a third of matches-reference's judging. NaN beyond. */
const nearLower = (x: number) => (Math.abs(x) <= 12 ? 0.5 * Math.abs(x) * 1e-5 + 2 * ETA : NaN);

/** A lower bound of geluBound(x, t), Infinity exactly where it is: nearLower where |x| ≤ 12, else step 3 at Δt =
 *  1e-5 (Δt ≥ 1e-5: δ sech² ≥ 0 plus a tanh rule that is at least 1e-5, and step 3 and the sums grow with Δt in
 *  floating point too), which is not above the bound's double. No tanh beyond the reference's. */
export function geluBoundLower(x: number, t: number): number {
  const near = nearLower(x);
  if (near === near) return near;
  return geluUnbounded(x, geluInner(x)) ? Infinity : fromDeltaT(x, 1e-5, t);
}

/** geluBound(x) + geluBound(−x), the same double from one Δt and one tanh: geluInner and tanh are odd to the bit
 *  (negation is exact and rounding symmetric), so at −x only tanh(inner) changes sign. */
export function geluBoundOddSum(x: number): number {
  const inner = geluInner(x);
  const dt = deltaT(inner);
  if (!Number.isFinite(dt)) return Infinity;
  const t = Math.tanh(inner);
  return fromDeltaT(x, dt, t) + fromDeltaT(-x, dt, -t);
}

/** A lower bound of geluBoundOddSum(x), Infinity exactly where it is, without a tanh: twice nearLower where |x| ≤ 12
 *  (each side's fromDeltaT is at least it), else Δt = 1e-5 (as geluBoundLower) and no |1 ± t| γ₂ terms (t = −1
 *  makes them 0); every sum grows with its terms in floating point. */
export function geluBoundOddSumLower(x: number): number {
  const near = nearLower(x);
  if (near === near) return 2 * near;
  return geluUnbounded(x, geluInner(x)) ? Infinity : fromDeltaT(x, 1e-5, -1) + fromDeltaT(-x, 1e-5, -1);
}

// Each reference's tanh(inner) values, by its output array: the bound of the same elements takes them from there.
const tanhOf = new WeakMap<Float64Array, Float64Array>();

function reference(c: Case<GeluDraw>): Record<string, Float64Array> {
  const x = c.inputs.x!;
  const t = new Float64Array(x.length);
  const y = gelu(x, t);
  tanhOf.set(y, t);
  return { y };
}

function tolerance(c: Case<GeluDraw>, expected?: Record<string, Float64Array>): Record<string, Float64Array> {
  const x = c.inputs.x!;
  const t = expected?.y && tanhOf.get(expected.y);
  const tol = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) tol[i] = geluBound(x[i]!, t?.[i]);
  return { y: tol };
}

/** tolerance() on demand: matches-reference takes the exact bound only where geluBoundLower leaves it open. */
function lazyTolerance(c: Case<GeluDraw>, expected?: Record<string, Float64Array>): Record<string, LazyBound> {
  const x = c.inputs.x!;
  const t = (expected?.y && tanhOf.get(expected.y)) || Float64Array.from(x, (v) => Math.tanh(geluInner(v)));
  return { y: { length: x.length, lower: (i) => geluBoundLower(x[i]!, t[i]!), exact: (i) => geluBound(x[i]!, t[i]) } };
}

/** gelu(x) − gelu(−x) = x exactly (tanh is odd): checked on the kernel's two outputs within both tolerances. */
const oddPart: Property<GeluDraw, GeluDraw> = {
  name: 'odd-part-is-identity',
  description: 'gelu(x) − gelu(−x) = x for the tanh form (tanh is odd); the two runs\' outputs must satisfy it within the sum of their tolerances plus the rounding of the f64 check.',
  bound: '|ŷ(x) − ŷ(−x) − x| ≤ t(x) + t(−x)',
  arbitrary: draw,
  runs: (d) => {
    const x = geluCase(d).inputs.x as Float32Array;
    return [{ shape: d, inputs: { x } }, { shape: d, inputs: { x: negated(x) } }];
  },
  check: (d, [a, b]): Verdict => {
    const x = geluCase(d).inputs.x!;
    const got = new Float64Array(d.n);
    for (let i = 0; i < d.n; i++) got[i] = a!.y![i]! - b!.y![i]!;
    // Where WGSL allows tanh anything (t infinite) the difference may be anything, NaN included. The f64 check's
    // rounding is taken of a finite difference only: of a NaN or an infinity it made the bound NaN or infinite,
    // an error or a pass for a kernel whose output is not finite.
    const plusCheck = (i: number, t: number) => (Number.isFinite(t) ? t + 2 ** -52 * (Number.isFinite(got[i]) ? Math.abs(got[i]!) : 0) : Infinity);
    const allowed: LazyBound = { length: d.n, lower: (i) => plusCheck(i, geluBoundOddSumLower(x[i]!)), exact: (i) => plusCheck(i, geluBoundOddSum(x[i]!)) };
    return compareVerdict('y', got, x, allowed, 'ŷ(x) − ŷ(−x) against x');
  },
};

/**
 * Where WGSL's tanh rule gives no bound (|inner| ± Δ past 89: exp overflows f32, and matches-reference counts the
 * element unbounded), the exact tanh(inner) is ±1 within 1e-38: take the kernel's tanh there as ±1 within 1e-5,
 * WGSL's absolute floor for tanh, and bound gelu by step 3 with Δt = 1e-5. Stricter than WGSL's letter there, as
 * finite-outputs is: a kernel that clamps x and multiplies by the clamped value (gelu(1000) = 15) passed every other
 * property, its outputs finite and every element it got wrong unbounded.
 */
const saturates: Property<GeluDraw, GeluDraw> = {
  name: 'saturates',
  description: "Where WGSL's tanh rule gives no bound (|inner| past 89, where exp overflows f32), gelu(x) is x for x > 0 and 0 for x < 0 within the rounding of a tanh that is ±1 within 1e-5 (WGSL's absolute floor for tanh): stricter than WGSL's letter there, as finite-outputs is.",
  bound: "|ŷ − y| ≤ 0.5|x| (1e-5 (1 + γ₂) + |1 + t| γ₂) + 2η + the clamp term, on the elements matches-reference leaves unbounded",
  // The distributions with |x| past 13.4, where |inner| passes 89: about 40% of 'wide' (2^±30), some of 'edge'.
  arbitrary: fc.record({
    n: edgeSize(200_000, [256], { common: 32768, rare: 5 }),
    seed: seedArb,
    dist: distArb(['wide', 'edge'] as const),
    scale: fc.integer({ min: 0, max: 3 }),
  }),
  runs: (d) => [geluCase(d)],
  check: (d, [out]): Verdict => {
    const x = geluCase(d).inputs.x!;
    // Only those elements, packed (matches-reference judges the others): their indices are the kernel's in the message.
    const at: number[] = [];
    for (let i = 0; i < x.length; i++) if (geluUnbounded(x[i]!, geluInner(x[i]!))) at.push(i);
    const saturated = at.length;
    const got = new Float64Array(saturated);
    const want = new Float64Array(saturated);
    const allowed = new Float64Array(saturated);
    for (let k = 0; k < saturated; k++) {
      const i = at[k]!;
      const t = Math.tanh(geluInner(x[i]!));
      got[k] = out!.y![i]!;
      want[k] = 0.5 * x[i]! * (1 + t);
      allowed[k] = fromDeltaT(x[i]!, 1e-5, t);
    }
    const v = compareVerdict('y', got, want, allowed, `where WGSL's tanh rule is unbounded (${saturated} of ${x.length} elements), tanh taken as ±1 within 1e-5`, { indices: at });
    return { ...v, notes: { ...v.notes, saturatedElements: saturated } };
  },
};

const family: Family<GeluDraw> = {
  name: 'gelu',
  elementwise: true,
  cases: draw.map(geluCase),
  spreadCases: geluDraw(spreadSize()).map(geluCase),
  reference,
  tolerance,
  lazyTolerance,
  covers: "the tanh approximation 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))) (PyTorch's approximate='tanh'); the exact GELU x Φ(x) through erf and the sigmoid form x σ(1.702 x) are other functions (up to 5e-4 and 2e-2 from it)",
  // gelu(x) is finite for every finite x (about x or about 0).
  unboundedWhere: "elements whose tanh argument √(2/π)(x + 0.044715 x³) passes about 88.7 in magnitude, or whose x³ overflows, where WGSL's tanh rule bounds nothing; finite-outputs and saturates still judge them",
  properties: [oddPart, finiteOutputs(draw, (d) => [geluCase(d)], (d) => ({ y: gelu(geluCase(d).inputs.x!) }), 'gelu', {
    past: 10,
    text: "past |x| ≈ 2e13 the cube overflows, and tanh of an infinite or huge argument may be NaN (SwiftShader's is): " +
      'clamp x before the cube, as kernels/gelu.wgsl does with clamp(x, -10.0, 10.0) (tanh is ±1 in f32 past there)',
  }), saturates],
};

export default family;
