// The add family: c = a + b must be correctly rounded (WGSL: the exact sum, or either f32 neighbour of it), with
// subnormal inputs and results allowed to flush to zero.
import * as fc from 'fast-check';
import { isF32, isSubnormalF32, MAX_F32, MIN_SUBNORMAL_F32, nextDown, nextUp, roundDownF32, roundUpF32, ulpDistance, ulpOf } from '../harness/bounds/f32.ts';
import type { LazyBound } from '../harness/compare.ts';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import type { AddShape } from '../kernels/add.kernel.ts';
import { add } from '../reference/add.ts';
import { distArb, edgeSize, fillF32, seedArb, subSeed, type ValueDist } from './values.ts';

/** The drawn value: a length, a seed and a value distribution; the arrays are derived from them. */
export interface AddDraw extends AddShape {
  seed: number;
  dist: ValueDist;
}

const ADD_DISTS = ['uniform', 'edge', 'subnormal', 'wide', 'normal', 'huge'] as const satisfies readonly ValueDist[];

export const addDraw: fc.Arbitrary<AddDraw> = fc.record({
  n: edgeSize(100_000, [64]),
  seed: seedArb,
  dist: distArb(ADD_DISTS),
});

export function addCase(d: AddDraw): Case<AddDraw> {
  const a = fillF32(subSeed(d.seed, 0), d.n, d.dist);
  const b = fillF32(subSeed(d.seed, 1), d.n, d.dist);
  if (d.dist === 'huge') {
    // |a|, |b| ≤ MAX_F32 could sum past it, and an overflowing runtime result is indeterminate in WGSL. Halving is
    // exact, and keeps the values huge.
    for (let i = 0; i < d.n; i++) {
      a[i] = a[i]! / 2;
      b[i] = b[i]! / 2;
    }
  }
  return { shape: d, inputs: { a, b } };
}

// The case runs() built for a draw, for check() to judge without drawing the arrays a second time.
const drawn = new WeakMap<AddDraw, Case<AddDraw>>();
function drawnCase(d: AddDraw): Case<AddDraw> {
  let c = drawn.get(d);
  if (!c) drawn.set(d, (c = addCase(d)));
  return c;
}

/** TwoSum (Knuth): s + e equals a + b exactly, s = fl64(a + b). */
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  const e = (a - (s - bb)) + (b - bb);
  return [s, e];
}

/** The f32 values that are correctly rounded for the real a + b (a, b f32 values, no overflow). */
function correctlyRounded(a: number, b: number): number[] {
  const [s, e] = twoSum(a, b);
  if (e === 0) return isF32(s) ? [s] : [roundDownF32(s), roundUpF32(s)];
  // s is the nearest f64 to the real sum, so no f32 value lies strictly between them: when s is an f32 value the
  // real sum sits just beside it, on e's side.
  if (isF32(s)) return e > 0 ? [s, nextUp(s)] : [nextDown(s), s];
  return [roundDownF32(s), roundUpF32(s)];
}

/**
 * Every result WGSL allows for a + b: correctly rounded from the inputs, where either input may first be flushed to
 * zero when subnormal, and a subnormal result may be flushed to zero.
 */
export function allowedSums(a: number, b: number): number[] {
  const as = isSubnormalF32(a) ? [a, 0] : [a];
  const bs = isSubnormalF32(b) ? [b, 0] : [b];
  const out = new Set<number>();
  for (const x of as) {
    for (const y of bs) {
      for (const r of correctlyRounded(x, y)) {
        out.add(r === 0 ? 0 : r);
        if (isSubnormalF32(r)) out.add(0);
      }
    }
  }
  return [...out];
}

// The two functions below are allowedSums without its arrays and set, for the per-element loops (allocation per
// element was most of an add case's judging time); test/hot-loops.test.ts checks that they agree with it.
// roundedPair's two results go in a typed array, not module variables: V8 boxes the doubles of a module's scope, so
// every store of a non-integer there allocates a number on the heap (7 times slower than a local in a loop, and GC).
const pair = new Float64Array(2);

// nextUp (up) and nextDown of an f32 value or ±Infinity, by its bits: without nextUp's checks for NaN and for values
// between f32s, which the loops below never pass, it costs a fraction of it per element.
const stepF32 = new Float32Array(1);
const stepI32 = new Int32Array(stepF32.buffer);
function neighbour(v: number, up: boolean): number {
  if (v === 0) return up ? MIN_SUBNORMAL_F32 : -MIN_SUBNORMAL_F32;
  stepF32[0] = v;
  stepI32[0] = stepI32[0]! + ((v > 0) === up ? 1 : -1);
  return stepF32[0]!;
}

/** Sets pair to lo ≤ hi, the correctly rounded results of x + y (f32 values whose f64 sum is finite): correctlyRounded. */
function roundedPair(x: number, y: number): void {
  const s = x + y;
  const bb = s - x;
  const e = (x - (s - bb)) + (y - bb);
  const r = Math.fround(s);
  if (r === s) {
    if (e === 0) pair[0] = pair[1] = s;
    else if (e > 0) (pair[0] = s), (pair[1] = neighbour(s, true));
    else (pair[0] = neighbour(s, false)), (pair[1] = s);
  } else {
    // roundDownF32(s) and roundUpF32(s); r may be ±Infinity past MAX_F32.
    pair[0] = r < s ? r : neighbour(r, false);
    pair[1] = r > s ? r : neighbour(r, true);
  }
}

/** max |r − exact| over allowedSums(a, b). */
function allowedDistance(a: number, b: number, exact: number): number {
  if (!Number.isFinite(a + b)) {
    let t = 0;
    for (const r of allowedSums(a, b)) t = Math.max(t, Math.abs(r - exact));
    return t;
  }
  // Each input as it is and, when subnormal, flushed to zero.
  const fa = isSubnormalF32(a) ? 2 : 1;
  const fb = isSubnormalF32(b) ? 2 : 1;
  let t = 0;
  for (let i = 0; i < fa; i++) {
    for (let j = 0; j < fb; j++) {
      roundedPair(i ? 0 : a, j ? 0 : b);
      const lo = pair[0]!;
      const hi = pair[1]!;
      t = Math.max(t, Math.abs(lo - exact), Math.abs(hi - exact));
      // A subnormal result may be flushed: 0 is allowed too.
      if (isSubnormalF32(lo) || isSubnormalF32(hi)) t = Math.max(t, Math.abs(exact));
    }
  }
  return t;
}

/** A lower bound of allowedDistance(a, b, s) for s = a + b in f64, Infinity exactly where it is: the real sum lies
 *  between its two correctly rounded results lo ≤ hi, and so does s (rounding is monotone); where they differ they
 *  are neighbours ulpOf(s) apart, and the farther one is at least half of that from s (a power of two: the
 *  distance's double is not below it). Where s is an f32 value, 0. Beyond MAX_F32, for a non-finite sum, or for an
 *  s that is not a + b, the distance itself. */
function allowedDistanceLower(a: number, b: number, s: number): number {
  if (!(Math.abs(s) < MAX_F32) || s !== a + b) return allowedDistance(a, b, s);
  return Math.fround(s) === s ? 0 : ulpOf(s) / 2;
}

/** allowedSums(a, b).includes(c). */
function isAllowedSum(c: number, a: number, b: number): boolean {
  if (!Number.isFinite(a + b)) return allowedSums(a, b).some((v) => v === c);
  const fa = isSubnormalF32(a) ? 2 : 1;
  const fb = isSubnormalF32(b) ? 2 : 1;
  for (let i = 0; i < fa; i++) {
    for (let j = 0; j < fb; j++) {
      roundedPair(i ? 0 : a, j ? 0 : b);
      const lo = pair[0]!;
      const hi = pair[1]!;
      if (c === lo || c === hi || (c === 0 && (isSubnormalF32(lo) || isSubnormalF32(hi)))) return true;
    }
  }
  return false;
}

/** Test hooks: the fast paths, to check against allowedSums. */
export const fastPaths = { allowedDistance, isAllowedSum };

/** Round-to-nearest-even of the real a + b, what IEEE hardware without flushing gives. */
export function roundNearestSum(a: number, b: number): number {
  const [s, e] = twoSum(a, b);
  if (e === 0 || isF32(s)) return e === 0 ? Math.fround(s) : s;
  const lo = roundDownF32(s);
  const hi = roundUpF32(s);
  // A tie in f64 is broken by the part of the sum f64 could not hold.
  if (s === (lo + hi) / 2) return e > 0 ? hi : lo;
  return Math.fround(s);
}

function tolerance(c: Case<AddDraw>, expected: Record<string, Float64Array>): Record<string, Float64Array> {
  const { a, b } = c.inputs as { a: Float32Array; b: Float32Array };
  const s = expected.c!;
  const tol = new Float64Array(s.length);
  // The farthest allowed result from the f64 reference: every allowed result, and nothing but a neighbour of one,
  // lies within it.
  for (let i = 0; i < s.length; i++) tol[i] = allowedDistance(a[i]!, b[i]!, s[i]!);
  return { c: tol };
}

/** tolerance() on demand: matches-reference takes allowedDistance only where allowedDistanceLower leaves it open. */
function lazyTolerance(c: Case<AddDraw>, expected: Record<string, Float64Array>): Record<string, LazyBound> {
  const { a, b } = c.inputs as { a: Float32Array; b: Float32Array };
  const s = expected.c!;
  return { c: { length: s.length, lower: (i) => allowedDistanceLower(a[i]!, b[i]!, s[i]!), exact: (i) => allowedDistance(a[i]!, b[i]!, s[i]!) } };
}

/** What the correctly-rounded property measures over c = a + b: the largest error and ULP distance from the exact
 *  sum, the largest error / allowed ratio and where, the first element that is not an allowed sum, and how many
 *  results differ from round-to-nearest-even (and how many of those are explained by flushing). */
export interface SumsJudged {
  abs: number;
  ulp: number;
  ratio: number;
  worst: number;
  firstBad: number;
  notNearest: number;
  flushed: number;
}

/**
 * The correctly-rounded property's element loop. An element with a subnormal input or a non-finite f64 sum takes the
 * general functions (allowedDistance, isAllowedSum, roundNearestSum); every other element finds its two allowed
 * neighbours once and derives all three from them (the general functions found them three times, which was most of an
 * add case's judging time). test/hot-loops.test.ts checks that the two paths
 * agree.
 */
export function judgeSums(a: Float32Array, b: Float32Array, c: ArrayLike<number>, n: number): SumsJudged {
  let abs = 0;
  let ulp = 0;
  let ratio = 0;
  let notNearest = 0;
  let flushed = 0;
  let firstBad = -1;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const ci = c[i]!;
    const exact = x + y;
    const err = Math.abs(ci - exact);
    let bound: number;
    let allowed: boolean;
    let rn: number;
    if (Number.isFinite(exact) && !isSubnormalF32(x) && !isSubnormalF32(y)) {
      // allowedDistance, isAllowedSum and roundNearestSum of the one unflushed pair, from one roundedPair.
      roundedPair(x, y);
      const lo = pair[0]!;
      const hi = pair[1]!;
      rn = Math.fround(exact);
      if (rn !== exact && exact === (lo + hi) / 2) {
        // A tie in f64 is broken by the part of the sum f64 could not hold (TwoSum's error term).
        const bb = exact - x;
        const e = (x - (exact - bb)) + (y - bb);
        if (e !== 0) rn = e > 0 ? hi : lo;
      }
      const sub = isSubnormalF32(lo) || isSubnormalF32(hi);
      bound = Math.max(Math.abs(lo - exact), Math.abs(hi - exact));
      if (sub) bound = Math.max(bound, Math.abs(exact));
      allowed = ci === lo || ci === hi || (ci === 0 && sub);
    } else {
      bound = allowedDistance(x, y, exact);
      allowed = isAllowedSum(ci, x, y);
      rn = roundNearestSum(x, y);
    }
    const q = err === 0 ? 0 : bound === 0 ? Infinity : err / bound;
    if (q > ratio || Number.isNaN(err)) {
      ratio = Number.isNaN(err) ? Infinity : q;
      worst = i;
    }
    abs = Math.max(abs, Number.isNaN(err) ? Infinity : err);
    // Equal values (either zero against either zero included) are 0 steps apart.
    if (ci !== Math.fround(exact)) ulp = Math.max(ulp, ulpDistance(ci, Math.fround(exact)));
    if (firstBad < 0 && !allowed) firstBad = i;
    if (!Object.is(ci, rn) && !(ci === 0 && rn === 0)) {
      notNearest++;
      // A subnormal input or result that came back as if flushed: the common reason, worth telling apart.
      const asFlushed = roundNearestSum(isSubnormalF32(x) ? 0 : x, isSubnormalF32(y) ? 0 : y);
      if (ci === (isSubnormalF32(asFlushed) ? 0 : asFlushed)) flushed++;
    }
  }
  return { abs, ulp, ratio, worst, firstBad, notNearest, flushed };
}

const correctlyRoundedProperty: Property<AddDraw, AddDraw> = {
  name: 'correctly-rounded',
  description:
    'Every c[i] is one of the results WGSL allows for a[i] + b[i]: the exact sum, or one of its two f32 neighbours, ' +
    'with subnormal inputs or results possibly flushed to zero. Notes whether every result was bit-identical to ' +
    'IEEE round-to-nearest-even.',
  bound: 'c ∈ {RD(a + b), RU(a + b)} (∪ flushes)',
  arbitrary: addDraw,
  runs: (d) => [drawnCase(d)],
  check: (d, [out]): Verdict => {
    const { a, b } = drawnCase(d).inputs as { a: Float32Array; b: Float32Array };
    const c = out!.c!;
    const { abs, ulp, ratio, notNearest, flushed, firstBad, worst } = judgeSums(a, b, c, d.n);
    const notes = {
      bitIdenticalToRoundNearest: notNearest === 0,
      notRoundNearest: notNearest,
      notRoundNearestExplainedByFlush: flushed,
    };
    const measure = { abs, ulp, boundRatio: ratio };
    if (firstBad >= 0) {
      const i = firstBad;
      return {
        pass: false,
        message: `c[${i}] = ${c[i]} is not a correctly rounded ${a[i]} + ${b[i]}: allowed ${allowedSums(a[i]!, b[i]!).join(' or ')}`,
        measure,
        worst: { buffer: 'c', index: i },
        notes,
      };
    }
    return { pass: true, measure, worst: { buffer: 'c', index: worst }, notes };
  },
};

const family: Family<AddDraw> = {
  name: 'add',
  elementwise: true,
  cases: addDraw.map(addCase),
  reference: (c) => ({ c: add(c.inputs.a!, c.inputs.b!) }),
  tolerance,
  lazyTolerance,
  properties: [correctlyRoundedProperty],
};

export default family;
