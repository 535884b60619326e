// Element-wise comparison of a kernel's output with its float64 reference, against per-element allowed errors.
// Node-free: the browser hosts and the visualizer use it too.
import type { Measure } from './spec.ts';
import { isFloat16Array } from '@petamoriken/float16';
import { MAX_F16, MIN_NORMAL_F16, ulpDistanceF16 } from './bounds/f16.ts';
import { MAX_F32, MIN_NORMAL_F32, toF32, ulpDistance } from './bounds/f32.ts';

/** Scratch for the f32 bits of an element pair (compareArrays). */
const bits32 = new Float32Array(2);
const ord32 = new Int32Array(bits32.buffer);

export interface ElementReport {
  index: number;
  actual: number;
  expected: number;
  allowed: number;
}

export interface Comparison {
  pass: boolean;
  /** Largest absolute error, ULP distance and error / allowed ratio over the elements with a finite bound: an
   *  unbounded element may hold any value (`unbounded` counts them), so its distance measures nothing, and on a
   *  passing line it read as a near miss ("0.03 of bound, 1.1e+9 ulp": a layernorm row that may overflow). */
  measure: Measure;
  /** Index with the largest boundRatio (ties: the larger absolute error, then the first), −1 if empty. */
  worst: number;
  failures: number;
  firstFailure?: ElementReport;
  /** The element at `worst`. */
  worstElement?: ElementReport;
  /** Number of elements compared. */
  length: number;
  /** Elements whose allowed error was Infinity (WGSL's rule gives no finite bound there), and how many of those
   *  came back NaN or ±Infinity where the reference is within the float type's range: they passed only because
   *  nothing bounds them. */
  unbounded: number;
  unboundedNonFinite: number;
  /** Of the unbounded elements, those whose reference is NaN, and the first of them: WGSL allows any value where the
   *  exact result is NaN (a domain error), and a reference's own bug (an input read past its end is undefined, which
   *  makes NaN) looks the same, so they are said apart from an overflow (trial 167 A1). */
  unboundedNaNReference: number;
  firstNaNReference?: ElementReport;
  /** The first element with an unbounded allowance (a non-finite one first), when there is one. */
  firstUnbounded?: ElementReport;
  /** The actual values are integers (a u32 or i32 buffer): printed as integers, errors in units of 1. */
  integer: boolean;
  /** The actual values are f16, whose range ends at 65504 (absent: f32 or integers). */
  f16?: boolean;
}

/** Two measures as one (of two buffers, or of two cases): each field's maximum, and `atWorst` of the one with the
 *  larger boundRatio, where a measure without one stands for its worst element itself; of equal ratios, the larger
 *  error's, as compareArrays breaks a tie. Every failure of an exact bound is at ∞: a trial's scan, off by 3.7e9 in
 *  a later case, was headed "exact bound, off by 2", the first failing case's. */
export function maxMeasure(a: Measure | undefined, b: Measure | undefined): Measure | undefined {
  if (!a || !b) return a ?? (b && { ...b });
  const w = b.boundRatio > a.boundRatio || (b.boundRatio === a.boundRatio && (b.atWorst ?? b).abs > (a.atWorst ?? a).abs) ? b : a;
  const absBuffer = (b.abs > a.abs ? b : a).absBuffer;
  return { abs: Math.max(a.abs, b.abs), ulp: Math.max(a.ulp, b.ulp), boundRatio: w.boundRatio, atWorst: w.atWorst ?? { abs: w.abs, ulp: w.ulp }, ...(absBuffer !== undefined ? { absBuffer } : {}), ...(a.integer && b.integer ? { integer: true } : {}) };
}

/** An allowed error that is not a bound (NaN or negative): the caller names whose bound it was (library-error.ts). */
export class BoundError extends RangeError {
  constructor(readonly index: number, readonly value: number) {
    super(`compareArrays: allowed error at ${index} is ${value}; bounds must be ≥ 0`);
    this.name = 'BoundError';
  }
}

/** A property's comparison of output `buffer` whose arrays differ in length: the kernel's output has the length the
 *  spec's buffers[buffer].length(shape) gives, and the values and allowed errors it is compared with must have it
 *  too. Which of the two is wrong only the author knows (trial 167 B1: a spec one short was told "fix the property"). */
export class OutputLengthError extends RangeError {
  constructor(readonly buffer: string, readonly actual: number, readonly expected: number, readonly allowed: number) {
    super(`the kernel's ${buffer} has ${actual} element${actual === 1 ? '' : 's'}, as the spec's buffers.${buffer}.length(shape) gives it, but the values it is compared with have ${expected} and the allowed errors ${allowed}`);
    this.name = 'OutputLengthError';
  }

  /** The same, where `buffer` is no buffer of the spec but a label of the property's own (values it derived: trial
   *  210 B3, a packed word's channels), whose three arrays are all the property's. */
  labelText(): string {
    return `the property compares ${this.actual} value${this.actual === 1 ? '' : 's'} it labels ${this.buffer} (no buffer of the spec's) with ${this.expected} expected values and ${this.allowed} allowed errors`;
  }
}

/**
 * Allowed errors computed on demand, for a bound that costs more than its comparison (gelu's, sigmoid's: a tanh or
 * an exp per element; add's correctly rounded pair). `lower` must be ≤ `exact(i)` and Infinity exactly where
 * `exact(i)` is; it is taken for every element, `exact(i)` only where the lower bound leaves the verdict, the measure
 * or the worst element open: an element whose error is 0, or at most lower(i) with error / lower(i) under the worst
 * ratio so far (or equal to it, with an error no larger than the worst's), passes and cannot be the worst (its ratio
 * error / exact(i) is no larger, and ties go to the larger error), so its exact bound changes nothing compareArrays
 * returns. test/lazy-bounds.test.ts checks this against the eager arrays. `lower` is an array of `length` values
 * (compareArrays then calls nothing per element: the faster where a lower bound costs an exp, as sigmoid's) or a
 * function of the index (the faster where it is a few operations, as gelu's, tanh's and add's: an array costs a pass
 * and an allocation more; measured with each family's outputs from Dawn).
 */
export interface LazyBound {
  readonly length: number;
  readonly lower: ArrayLike<number> | ((i: number) => number);
  exact(i: number): number;
}

/** A LazyBound's lower bound at `i`, from its array or its function. */
export const lowerAt = (b: LazyBound, i: number): number => (typeof b.lower === 'function' ? b.lower(i) : b.lower[i]!);

const isLazy = (a: unknown): a is LazyBound => typeof a === 'object' && a !== null && typeof (a as LazyBound).exact === 'function';

export interface CompareOptions {
  /** An actual ±0 where the expected value, or any value within its bound, is subnormal in the buffer's type (below
   *  2^-126 for f32, 2^-14 for f16) counts as error 0 (WGSL allows flush to zero of a subnormal result). Default true. */
  flushSubnormals?: boolean;
  /** +0 and −0 are equal (WGSL lets implementations ignore the sign of zero). Default true; false makes a zero of
   *  the wrong sign a failure even where the allowed error is 0. */
  ignoreZeroSign?: boolean;
  /** An actual value below 2^-126 in magnitude (2^-14 for f16) where the expected one is too counts as error 0: WGSL lets an
   *  implementation flush subnormal operands of a comparison, and to one that does every such value is zero, so a
   *  result picked among the inputs by comparisons (a max folded as select(m, v, v > m), which passes bits through)
   *  may be any of them (SwiftShader gave -5.07e-39 for the max of [-5.07e-39, -131072, 0], a trial's). For outputs
   *  chosen that way (Family.flushTies); default false. */
  flushTies?: boolean;
}

/** A buffer's own unit of distance: 'integer' (u32, i32: a wrong index 6 against 4 is 2 apart, not 4194304 ULP),
 *  'f16' (f16 steps: in f32 steps a correct f16 kernel read "8.6e+8 ulp"), or 'f32'. */
export type DistanceKind = 'integer' | 'f16' | 'f32';

export function distanceKindOf(actual: ArrayLike<number>): DistanceKind {
  return actual instanceof Uint32Array || actual instanceof Int32Array ? 'integer' : isFloat16Array(actual) ? 'f16' : 'f32';
}

/** How far an actual value is from its reference in its buffer's unit (DistanceKind): |a − e| for integers, else
 *  the ULPs between a and e rounded to the buffer's float type. For numbers, not NaN: the caller decides those. */
export function distanceIn(kind: DistanceKind, a: number, e: number): number {
  return kind === 'integer' ? Math.abs(a - e) : kind === 'f16' ? ulpDistanceF16(a, e) : ulpDistance(a, toF32(e));
}

/**
 * Compares actual[i] with expected[i] under allowed[i] (or one allowed error for all); an allowed error that is NaN or
 * negative throws BoundError. Rules: an expected NaN needs a
 * NaN; an expected ±Infinity needs the same infinity; a non-finite actual against a finite expected value fails with
 * ratio Infinity; allowed 0 needs error 0; an allowed Infinity accepts anything (and is left out of the measure). The ULP
 * measure is the distance from the actual value to the expected value rounded to f32. A LazyBound gives the same Comparison as the array of its
 * exact() values, except that a NaN or negative bound throws only where it is taken (a lower bound always is).
 */
export function compareArrays(
  actual: ArrayLike<number>,
  expected: Float64Array | ArrayLike<number>,
  allowed: Float64Array | ArrayLike<number> | number | LazyBound,
  opts: CompareOptions = {},
): Comparison {
  const n = actual.length;
  if (expected.length !== n) throw new RangeError(`compareArrays: ${n} actual values but ${expected.length} expected`);
  if (typeof allowed !== 'number' && allowed.length !== n) {
    throw new RangeError(`compareArrays: ${n} values but ${allowed.length} allowed errors`);
  }
  const flush = opts.flushSubnormals ?? true;
  const ignoreZeroSign = opts.ignoreZeroSign ?? true;
  const ties = opts.flushTies ?? false;
  // The measure in locals until the end: an object's double fields cost a load and a store per element.
  let maxAbs = 0;
  let maxUlp = 0;
  let maxRatio = 0;
  let worst = -1;
  let worstRatio = -1;
  let worstAbs = -1;
  let worstUlp = 0;
  let failures = 0;
  let firstFailure: ElementReport | undefined;
  let unbounded = 0;
  let unboundedNonFinite = 0;
  let unboundedNaNReference = 0;
  let firstNaNReference: ElementReport | undefined;
  let firstUnbounded: ElementReport | undefined;
  const kind = distanceKindOf(actual);
  const integer = kind === 'integer';
  // Whether a reference value is one the float type holds: f16's 65520 and past round to Infinity, as describeUnbounded
  // says (65504 is its largest value, half a step below).
  const inRange = (e: number) => (kind === 'f16' ? Math.abs(e) < 65520 : kind === 'integer' ? Number.isFinite(e) : Math.abs(e) <= MAX_F32);
  // The buffer's own smallest normal: an f16 result below 2^-14 is one WGSL lets an implementation flush, as an f32
  // one below 2^-126 is (trial 73: an f16 add flushed to 0 failed where the f32 one passed).
  const minNormal = kind === 'f16' ? MIN_NORMAL_F16 : MIN_NORMAL_F32;
  const subnormal = (x: number) => x !== 0 && Math.abs(x) < minNormal;
  const lazy = isLazy(allowed) ? allowed : undefined;
  const eager = lazy ? undefined : (allowed as ArrayLike<number> | number);
  const single = typeof eager === 'number' ? eager : undefined;
  // A lazy bound's lower bounds as an array, or its function: one branch per element, no call where it is an array.
  const lowers = lazy && typeof lazy.lower !== 'function' ? lazy.lower : undefined;
  const lowerFn = lazy && typeof lazy.lower === 'function' ? lazy.lower : undefined;
  if (lowers && lowers.length !== n) throw new RangeError(`compareArrays: ${n} values but ${lowers.length} lower bounds`);
  let worstTol = 0;
  for (let i = 0; i < n; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    let tol: number;
    if (lazy) {
      tol = lowers ? lowers[i]! : lowerFn!(i);
      // The lower bound stands in for the exact one only where it decides the same: a pass, and a ratio (at most
      // error / lower) that cannot make the element the worst (lowerDecides). Everything else (the first element,
      // errors past the lower bound, non-finite values, zeros whose sign counts) takes the exact bound. A 0 for a normal
      // e that the lower bound passes is within the exact bound too, so the flush rule below measures it the same.
      if (tol < Infinity && !(worst >= 0 && Number.isFinite(a) && Number.isFinite(e) && (ignoreZeroSign || a !== 0 || e !== 0)
        && lowerDecides(flush && a === 0 && subnormal(e) ? 0 : Math.abs(a - e), tol, worstRatio, worstAbs))) tol = lazy.exact(i);
    } else tol = single ?? (eager as ArrayLike<number>)[i]!;
    if (!(tol >= 0)) throw new BoundError(i, tol);
    if (tol === Infinity) {
      unbounded++;
      // Not past the float type's largest value, where an infinite or any result is what WGSL allows (trial 168 B2:
      // a convolution's overflows were counted as NaN "where the float64 reference is finite").
      const bad = inRange(e) && !Number.isFinite(a);
      if (bad) unboundedNonFinite++;
      if (Number.isNaN(e) && unboundedNaNReference++ === 0) firstNaNReference = { index: i, actual: a, expected: e, allowed: tol };
      if (!firstUnbounded || (bad && unboundedNonFinite === 1)) firstUnbounded = { index: i, actual: a, expected: e, allowed: tol };
    }
    // The element's verdict in locals, inline: an object per element was a large part of the judging time, and so
    // were module variables, whose every non-integer store allocates a number on the heap (V8 boxes the doubles of
    // a module's scope).
    let ok: boolean;
    /** |actual − expected| (Infinity when one side is not finite and they differ, 0 when they agree). */
    let absErr: number;
    let ratio: number;
    /** The distance in f32 steps from the actual value to the expected one rounded to f32 (ulpDistance); in f16 steps
     *  for an f16 buffer (ulpDistanceF16). */
    let ulp: number;
    if (Number.isFinite(a) && Number.isFinite(e) && tol < Infinity && (ignoreZeroSign || a !== 0 || e !== 0)) {
      // Both finite and a finite bound: the common element, judged without calls. The steps are ulpDistance's, read
      // from the two values' f32 bits (ordinal): writing a double to a Float32Array rounds it as Math.fround does.
      // A ±0 is a flushed result wherever the bound reaches a subnormal, not only where e is one: exp's 177 ULP
      // at e = 1.0000045·2^-126 allow subnormal results, which WGSL lets an implementation flush (a trial's).
      // (Where the bound reaches 0 itself a 0 is within it anyway, and its error is measured as it is.)
      absErr = (flush && a === 0 && (subnormal(e) || (Math.abs(e) > tol && Math.abs(e) - tol < minNormal)))
        || (ties && Math.abs(a) < minNormal && Math.abs(e) < minNormal) ? 0 : Math.abs(a - e);
      ratio = absErr === 0 ? 0 : tol === 0 ? Infinity : absErr / tol;
      ok = absErr <= tol;
      if (absErr === 0) ulp = 0;
      else if (integer) ulp = absErr;
      else if (kind === 'f16') ulp = ulpDistanceF16(a, e);
      else {
        bits32[0] = a;
        bits32[1] = e;
        const p = ord32[0]!;
        const q = ord32[1]!;
        ulp = Math.abs((p < 0 ? -(p & 0x7fffffff) : p) - (q < 0 ? -(q & 0x7fffffff) : q));
      }
    } else {
      // An unbounded allowance is how bounds say "the spec allows any result here" (an indeterminate value).
      if (tol === Infinity) {
        ok = true;
        absErr = Number.isFinite(a) && Number.isFinite(e) ? Math.abs(a - e) : 0;
        ratio = 0;
      } else if (Number.isNaN(e)) {
        ok = Number.isNaN(a);
        absErr = ratio = ok ? 0 : Infinity;
      } else if (!Number.isFinite(e)) {
        ok = a === e;
        absErr = ratio = ok ? 0 : Infinity;
      } else if (!Number.isFinite(a)) {
        ok = false;
        absErr = ratio = Infinity;
      } else if (!ignoreZeroSign && a === 0 && e === 0 && Object.is(a, -0) !== Object.is(e, -0)) {
        ok = false;
        absErr = 0;
        ratio = Infinity;
      } else {
        // Zeros whose sign counts, of the same sign.
        ok = true;
        absErr = ratio = 0;
      }
      // An integer's spacing is 1: its distance in units is the difference itself. None for an unbounded element.
      ulp = absErr === 0 || tol === Infinity ? 0 : integer ? absErr : distanceIn(kind, a, e);
    }
    if (absErr > maxAbs && tol < Infinity) maxAbs = absErr;
    if (ulp > maxUlp) maxUlp = ulp;
    if (ratio > maxRatio) maxRatio = ratio;
    if (worst < 0 || ratio > worstRatio || (ratio === worstRatio && absErr > worstAbs)) {
      worst = i;
      worstRatio = ratio;
      worstAbs = absErr;
      worstUlp = ulp;
      worstTol = tol;
    }
    if (!ok) {
      failures++;
      firstFailure ??= { index: i, actual: a, expected: e, allowed: tol };
    }
  }
  const measure: Measure = { abs: maxAbs, ulp: maxUlp, boundRatio: maxRatio, ...(worst >= 0 && worstTol < Infinity ? { atWorst: { abs: worstAbs, ulp: worstUlp } } : {}), ...(integer ? { integer } : {}) };
  const comparison: Comparison = { pass: failures === 0, measure, worst, failures, length: n, unbounded, unboundedNonFinite, unboundedNaNReference, integer, ...(kind === 'f16' ? { f16: true } : {}) };
  if (firstFailure) comparison.firstFailure = firstFailure;
  if (firstUnbounded) comparison.firstUnbounded = firstUnbounded;
  if (firstNaNReference) comparison.firstNaNReference = firstNaNReference;
  if (worst >= 0) {
    comparison.worstElement = {
      index: worst,
      actual: actual[worst]!,
      expected: expected[worst]!,
      allowed: worstTol,
    };
  }
  return comparison;
}

/** A Comparison of some of a buffer's elements, compared packed (position k holds the buffer's element `index[k]`),
 *  with its elements reported at the buffer's indices: `length` and the counts stay those of the elements compared. */
export function atIndices(c: Comparison, index: ArrayLike<number>): Comparison {
  const at = (r: ElementReport): ElementReport => ({ ...r, index: index[r.index]! });
  const out: Comparison = { ...c, worst: c.worst < 0 ? -1 : index[c.worst]! };
  if (c.firstFailure) out.firstFailure = at(c.firstFailure);
  if (c.firstUnbounded) out.firstUnbounded = at(c.firstUnbounded);
  if (c.worstElement) out.worstElement = at(c.worstElement);
  return out;
}

/** An element with error `err` passes under any bound ≥ `lower`, and cannot become the worst: its ratio stays under
 *  `worstRatio` (≥ 0), or reaches it at most with an error no larger than the worst's (ties go to the larger error). */
function lowerDecides(err: number, lower: number, worstRatio: number, worstAbs: number): boolean {
  if (err === 0) return true;
  const most = err / lower;
  return err <= lower && (most < worstRatio || (most === worstRatio && err <= worstAbs));
}

/** Short number formatting: up to 9 significant digits for values (enough to tell f32 neighbours apart), 2 for
 *  errors and ratios; exponents without '+'. Integers of an integer buffer are printed whole, and so is the whole part
 *  of a fractional value beside them (a reference word's midpoint 1174405120.5, not 1.17440512e9: trial 111 B2). */
export function formatValue(x: number, integer = false): string {
  if (integer && Number.isInteger(x)) return String(x);
  if (integer && Math.abs(x) < 2 ** 53) return String(Math.round(x * 1000) / 1000);
  if (!Number.isFinite(x) || x === 0) return Object.is(x, -0) ? '-0' : String(x);
  return trim(x.toPrecision(9));
}

/** x to `digits` significant digits, in exponent form outside [1e-3, 1e5): '2.8e6', '0.17'. */
export function short(x: number, digits = 2): string {
  if (!Number.isFinite(x) || x === 0) return String(x);
  const ax = Math.abs(x);
  return trim(ax >= 1e-3 && ax < 1e5 ? x.toPrecision(digits) : x.toExponential(digits - 1));
}

function trim(s: string): string {
  const [mantissa, exponent] = s.split('e');
  let m = mantissa!;
  if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
  return exponent === undefined ? m : `${m}e${exponent.replace('+', '')}`;
}

/**
 * One line a kernel author can act on (`expectedIs`: what the expected values are, where they are another run's
 * output rather than the reference: "the first run's"), e.g.
 * "c[37] = 1.5 but the reference is 1.25 (error 0.25, allowed 1.2e-7: 2.1e6 × the bound); 3 of 1024 elements out of
 * bound, first at c[5]". For a passing comparison it says how close the worst element came.
 */
/** `where(index)`: what to say after `name[index]`, e.g. its coordinates in the buffer's logical shape. */
export function describeFailure(name: string, c: Comparison, expectedIs = 'the reference', where?: (index: number) => string): string {
  const w = c.worstElement;
  if (c.pass || !w) {
    if (!w) return `${name}: no elements to compare`;
    const line = `${name}: all ${c.length} elements within bound; worst ${name}[${w.index}] at ${short(c.measure.boundRatio)} × the bound`;
    return c.unbounded ? `${line}; ${describeUnbounded(name, c)}` : line;
  }
  // The worst element of a failing comparison is a failing element (its ratio exceeds 1 or is infinite).
  const int = c.integer;
  // Integers this large are mostly packed bits (RGBA8 pixels, bit sets) or the sentinel 0x7fbadbad of an output never
  // written: in hexadecimal a trial's pixel off by 65537 read as R and B each off by one.
  // Of opposite signs too: a sign extension forgotten (a byte unpacked by shifts, 202 for -54) shows as the high bits
  // that differ, 0xffffff00 (trial 183 B2).
  const hex = int && (Math.max(Math.abs(w.actual), Math.abs(w.expected)) >= 0x10000 || (w.actual < 0) !== (w.expected < 0));
  const asHex = (x: number) => (!hex ? '' : Number.isInteger(x) ? ` (0x${(x >>> 0).toString(16)})` : ` (0x${(Math.floor(x) >>> 0).toString(16)} + ${Math.round((x - Math.floor(x)) * 1000) / 1000})`);
  const head = `${name}[${w.index}]${where?.(w.index) ?? ''} = ${formatValue(w.actual, int)}${asHex(w.actual)} but ${expectedIs} is ${formatValue(w.expected, int)}${asHex(w.expected)}`;
  let why: string;
  // Trial 82 B8: "(expected NaN)" read as if NaN were right, where the reference's own arithmetic made it.
  // Trial 154 B2: of another run, "(expected NaN)" read as if NaN were right; either run may be the wrong one.
  const other = expectedIs !== 'the reference';
  if (Number.isNaN(w.expected)) why = !other ? 'the reference gives NaN here, which a kernel must match; from finite inputs, a NaN is more often the reference\'s mistake' : 'the runs differ: NaN in one, a number in the other';
  else if (!Number.isFinite(w.expected)) why = other ? `the runs differ: ${w.expected > 0 ? '+' : '-'}Infinity in one` : `expected ${w.expected > 0 ? '+' : '-'}Infinity`;
  // Trial 129 B1: a norm whose reference is past f32's largest value, held to a finite bound, read as the kernel's bug.
  else if (!Number.isFinite(w.actual) && Math.abs(w.expected) > (c.f16 ? MAX_F16 : MAX_F32)) why = `a non-finite result; ${other ? expectedIs : 'the reference'} is past ${c.f16 ? 'f16' : 'f32'}'s largest value (${c.f16 ? MAX_F16 : formatValue(MAX_F32)}), where the result may be infinite (WGSL §"Floating Point Evaluation": past it, either the largest value or infinity): the tolerance is what to change, with Infinity for such an element`;
  else if (!Number.isFinite(w.actual)) why = 'a non-finite result where a finite one was expected';
  else if (w.actual === 0 && w.expected === 0) why = 'the sign of zero differs';
  else {
    const err = Math.abs(w.actual - w.expected);
    // An error just past its bound would read "error 4e-7, allowed 4e-7: 1 × the bound": as many digits as tell
    // the two apart, and the ratio from 1.
    let digits = 2;
    while (digits < 9 && short(err, digits) === short(w.allowed, digits)) digits++;
    let ratioDigits = 2;
    while (ratioDigits < 9 && short(err / w.allowed, ratioDigits) === '1') ratioDigits++;
    // An integer output's error is whole where its reference is; against a fractional reference (a rounded luma) it
    // printed every float64 digit: "error 0.6850000000000023, allowed 0.5005471710304054" (trial 63 B2).
    const num = (x: number) => (int && Number.isInteger(x) ? String(x) : short(x, digits));
    // Trial 146 B2: a hash's or a bit set's error as the difference of two words told nothing; which bits differ does.
    const bits = hex && Number.isInteger(w.actual) && Number.isInteger(w.expected) ? ((w.actual >>> 0) ^ (w.expected >>> 0)) >>> 0 : 0;
    const inBits = bits ? `, in ${popcount(bits)} of 32 bits (xor 0x${bits.toString(16)})` : '';
    why = w.allowed === 0
      ? `error ${num(err)}${inBits}, allowed 0: the result must be exact`
      : `error ${num(err)}, allowed ${num(w.allowed)}: ${short(err / w.allowed, ratioDigits)} × the bound`;
  }
  let line = `${head} (${why})`;
  if (c.failures > 1 || (c.firstFailure && c.firstFailure.index !== w.index)) {
    // The element quoted is the worst; where the first is another, that is said (trial 198 B4: "c[33] = ...; first at
    // c[17]" read as two accounts of one failure).
    const worst = c.firstFailure?.index !== w.index ? ` (${name}[${w.index}], quoted, is the worst)` : '';
    // Not "out of bound", read beside no-out-of-bounds as a memory access (trial 222 B3).
    line += `; ${c.failures} of ${c.length} elements outside their error bound, first at ${name}[${c.firstFailure!.index}]${worst}`;
  }
  return line;
}

function popcount(x: number): number {
  let n = 0;
  for (; x; x >>>= 1) n += x & 1;
  return n;
}

/** The elements of one case left unjudged because the reference is NaN there (Comparison.unboundedNaNReference), as a
 *  sentence, e.g. "the reference is NaN at 1 of the case's 1024 elements (first y[1023], where the kernel gives 0.25),
 *  so nothing judged them: ..."; undefined where it is nowhere NaN. */
export function describeNaNReference(name: string, c: Comparison, reference: string): string | undefined {
  const f = c.firstNaNReference;
  if (!f) return undefined;
  return `the reference is NaN at ${c.unboundedNaNReference} of the case's ${c.length} elements (first ${name}[${f.index}], where the kernel gives ${formatValue(f.actual, c.integer)}), so nothing judged them: WGSL allows any value where the exact result is NaN, as at a domain error (sqrt or log of a negative number), but from inputs inside the function's domain a NaN is a bug of the reference (${reference}), often an input read past its end, which is undefined in JavaScript`;
}

/** What passed only because its bound was infinite, in one case, e.g. "3 of the case's 1024 elements had no finite
 *  bound (the spec's tolerance is Infinity there: ...), 1 of them NaN or infinite where the reference is within f32's range, first y[17] = NaN
 *  (reference 1)". A run's notes keep the case with the most (mergeNotes), so the sentence says it is one case's.
 *  `where`: the family's account of where its rule is unbounded (Family.unboundedWhere), in place of the generic one. */
export function describeUnbounded(name: string, c: Comparison, where?: string, whose: 'spec' | 'property' = 'spec', expectedIs = 'the reference'): string {
  const f = c.firstUnbounded;
  // The tolerance is the spec author's: Infinity where WGSL allows any value, or where the author judges the element
  // in another property (a trial's pack2x16float output). Only the family's unboundedWhere can say which; a property's
  // own comparison (compareVerdict), only the option of that name it passes.
  const tolerance = whose === 'spec' ? "the spec's tolerance" : 'the tolerance this property compares with';
  const ask = whose === 'spec' ? "the family's unboundedWhere" : "compareVerdict's unboundedWhere option";
  let line = `${c.unbounded} of the case's ${c.length} elements had no finite bound (${where ? `${tolerance} is Infinity there: ${where}` : `${tolerance} is Infinity there, as where WGSL allows any value; ${ask} can say why`})`;
  // Trial 175 B3: of a property comparing two runs, the other side is that run, not the reference.
  const other = expectedIs === 'the reference' ? 'reference' : expectedIs;
  if (c.unboundedNonFinite) line += `, ${c.unboundedNonFinite} of them NaN or infinite where ${expectedIs} is within ${c.f16 ? 'f16' : 'f32'}'s range`;
  // A reference past f32's range has no f32 value: said, or "(reference -5.7e75)" beside a NaN reads as a defect. The
  // same of f16's 65504 in an f16 buffer (trial 53: "y[0] = Infinity (reference 128491.571)" read as a defect).
  // f16's: 65520 and past round to Infinity (65504 is its largest value, half a step below).
  const past = (x: number) => (c.f16 ? Math.abs(x) >= 65520 : Math.abs(x) > MAX_F32);
  const beyond = f && Number.isFinite(f.expected) && past(f.expected) ? `, beyond ${c.f16 ? 'f16' : 'f32'}'s range` : '';
  if (f) line += `, first ${name}[${f.index}] = ${formatValue(f.actual, c.integer)} (${other} ${formatValue(f.expected, c.integer)}${beyond})`;
  return line;
}
