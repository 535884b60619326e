// Allowed ABSOLUTE error of single f32 operations, from the WGSL spec's accuracy table (wgsl/index.bs, section
// "Floating Point Accuracy", table "Accuracy of concrete floating point built-in functions", f32 column; read at
// gpuweb/gpuweb commit 000adac1). `exact` is the infinitely precise result, given as a float64.
//
// Reading of the rules, stated once:
// - "k ULP" is |result − exact| ≤ k · ULP(exact), with the spec's ULP (specUlp, Muller's definition), widened outward
//   to f32 values as the WebGPU CTS widens [exact − k·ULP, exact + k·ULP]: up to one more spacing. The literal reading
//   failed a correct exp on SwiftShader, 3.15 ULP off at x = −0.046 where 3 + 2|x| is 3.09, the next f32 past it
//   (trial 94 A1): an engine the CTS passes is a correct one. As one symmetric bound, the wider side's.
// - "When the accuracy for an operation is specified over an input range, the accuracy is undefined for input values
//   outside that range", and a runtime result that overflows is an indeterminate value ("Floating Point Rounding and
//   Overflow"). Both come back as Infinity: no finite bound applies, any result is allowed.
// - Inputs may be flushed to zero ("Differences from IEEE-754"): where a subnormal input flushed to 0 changes the
//   result by more than the rule allows, the bound also covers the flushed input's result.
// - Subnormal flushing of results is not folded in here; compareArrays' flushSubnormals handles it.
import { isF32, isSubnormalF32, MAX_F32, MIN_NORMAL_F32, MIN_SUBNORMAL_F32, roundDownF32, roundUpF32, specUlp, ulpOf } from './f32.ts';

/** An allowed result set [lo, hi] (reals; every allowed f32 result lies inside), or null when unbounded. */
type Interval = readonly [number, number] | null;

function ulpRule(k: number, exact: number): number {
  if (!Number.isFinite(exact)) return Infinity;
  const bound = k * specUlp(exact);
  // An allowed result beyond the finite range may overflow, and an overflowed runtime value is indeterminate.
  if (Math.abs(exact) + bound > MAX_F32) return Infinity;
  // The CTS's interval, its ends rounded outward to f32 values (see the header).
  return Math.max(roundUpF32(exact + bound) - exact, exact - roundDownF32(exact - bound));
}

/**
 * x + y, x − y, x · y, −x and the other "Correctly rounded" entries (WGSL "Floating Point Accuracy"): the exact result
 * itself when it is an f32 value, otherwise either of its two f32 neighbours, whose error is below the gap between
 * them (Infinity past f32's range). That gap, ulpOf(exact) (at a power of two the gap above), is the bound by
 * default, since a float64 standing for the
 * real result may itself have rounded onto an f32 value the real result is not: fract(-7e-38) = 1 − 7e-38 is 1 in
 * float64, and WGSL allows 0.99999994 (a trial's wrap kernel failed at a bound of 0). `exactInF64`: the caller knows
 * the float64 is the real result (a product of two f32 values always is; a sum of two f32 values whose exponents
 * differ by less than 29 is), and then an f32 value must come back exactly: a kernel one ULP off an exact product
 * passed the gap (a trial's square on dyadic x). A subnormal input flushed to zero, which WGSL allows, is the caller's
 * to allow (writing-a-kernel.md, "Subnormals"); a subnormal result flushed is allowed by the comparison.
 */
export function correctlyRoundedBound(exact: number, exactInF64 = false): number {
  if (!Number.isFinite(exact)) return Infinity;
  // Between MAX_F32 and 2^128 rounding may give MAX_F32 or infinity; infinity at runtime is indeterminate.
  if (Math.abs(exact) > MAX_F32) return Infinity;
  // Not specUlp: at a power of two 2^k a float64 may have rounded onto it from a real result just above, whose upper
  // neighbour 2^k + 2^(k-23) WGSL allows, twice the spec's ULP there (trial 156 A1: 1 + 1e-20 is 1 in float64).
  return exactInF64 && isF32(exact) ? 0 : ulpOf(exact);
}

/** x / y: "2.5 ULP for |y| in the range [2^-126, 2^126]"; undefined for other divisors. */
export function divisionBound(x: number, y: number, exact: number): number {
  const ay = Math.abs(y);
  if (!(ay >= 2 ** -126 && ay <= 2 ** 126)) return Infinity;
  const bound = ulpRule(2.5, exact);
  // A flushed subnormal dividend gives 0 / y = 0 (within 2.5 ULP of 0), |exact| away from the exact quotient.
  return isSubnormalF32(x) ? Math.max(bound, Math.abs(exact) + 2.5 * MIN_SUBNORMAL_F32) : bound;
}

/** exp(x): "3 + 2 · |x| ULP". */
export function expBound(x: number, exact: number): number {
  return ulpRule(3 + 2 * Math.abs(x), exact);
}

/** exp2(x): "3 + 2 · |x| ULP". */
export function exp2Bound(x: number, exact: number): number {
  return ulpRule(3 + 2 * Math.abs(x), exact);
}

/** log(x): "Absolute error at most 2^-21 when x is in the interval [0.5, 2.0]. 3 ULP when x is outside". */
export function logBound(x: number, exact: number): number {
  if (x >= 0.5 && x <= 2) return 2 ** -21;
  // A subnormal x may be flushed to 0, and log(0) = −∞ is indeterminate at runtime.
  if (isSubnormalF32(x)) return Infinity;
  return ulpRule(3, exact);
}

/** log2(x): the same rule as log. */
export function log2Bound(x: number, exact: number): number {
  return logBound(x, exact);
}

/** inverseSqrt(x): "2 ULP". x ≤ 0 lies outside the domain (the result is indeterminate). */
export function inverseSqrtBound(exact: number): number {
  // exact > 2^63 means x < 2^-126: a subnormal x may be flushed to 0, and inverseSqrt(0) is indeterminate.
  if (exact > 2 ** 63) return Infinity;
  return ulpRule(2, exact);
}

/** unpack4x8unorm, unpack4x8snorm, unpack2x16unorm, unpack2x16snorm: "3 ULP" of each component's exact value
 *  (`v ÷ 255`; `max(v ÷ 127, −1)`; `v ÷ 65535`; `max(v ÷ 32767, −1)`, v the chunk's integer). unpack2x16float is
 *  correctly rounded, and exact, as every f16 value is an f32. */
export function unpackNormBound(exact: number): number {
  return ulpRule(3, exact);
}

/** sin(x), cos(x): "Absolute error at most 2^-11 when x is in the interval [−π, π]"; undefined elsewhere. */
export function sinCosBound(x: number): number {
  return Math.abs(x) <= Math.PI ? 2 ** -11 : Infinity;
}

/** max, min, abs, clamp, floor, ceil, ...: correctly rounded from exactly representable inputs, so exact. */
export const maxMinBound = 0;

// ---- inherited rules: evaluate the given expression over intervals, each step allowed its own error ----

/** The f32 results a correctly rounded step may give for an exact value anywhere in [lo, hi]. */
function roundedStep(lo: number, hi: number): Interval {
  const rlo = roundDownF32(lo);
  const rhi = roundUpF32(hi);
  if (!Number.isFinite(rlo) || !Number.isFinite(rhi)) return null;
  // Flush to zero may replace a subnormal result by 0.
  return [lo < MIN_NORMAL_F32 && hi > -MIN_NORMAL_F32 ? Math.min(rlo, 0) : rlo,
    lo < MIN_NORMAL_F32 && hi > -MIN_NORMAL_F32 ? Math.max(rhi, 0) : rhi];
}

/**
 * Lowest value a k-ULP rule reaches from an exact value anywhere in [lo, hi]: the infimum of q − k·ULP(q). The spec's
 * ULP grows with |q| and jumps at powers of two, so on the positive side the candidates are lo and every power of two
 * inside (just above a power of two the ULP is already the larger one); on the negative side it is lo itself.
 */
function lowReach(k: number, lo: number, hi: number): number {
  if (lo === hi || lo < 0) return lo - k * specUlp(lo);
  let reach = lo - k * ulpOf(lo);
  for (let p = 2 ** Math.ceil(Math.log2(Math.max(lo, MIN_NORMAL_F32))); p <= hi; p *= 2) {
    if (p <= lo) continue;
    reach = Math.min(reach, p - k * (p === hi ? specUlp(p) : ulpOf(p)));
  }
  return reach;
}

/**
 * A k-ULP step over a range of exact values: the f32 values within reach, so the ends round inward (a correctly
 * rounded step rounds outward instead: there the neighbours outside are the allowed results). A reach past MAX_F32
 * may overflow, which is indeterminate: null. Where the range touches the subnormals a flushed 0 is allowed too.
 */
function ulpStep(k: number, lo: number, hi: number): Interval {
  const reachLo = lowReach(k, lo, hi);
  const reachHi = -lowReach(k, -hi, -lo);
  if (reachLo < -MAX_F32 || reachHi > MAX_F32) return null;
  const touchesSubnormal = reachLo < MIN_NORMAL_F32 && reachHi > -MIN_NORMAL_F32;
  const rlo = roundUpF32(reachLo);
  const rhi = roundDownF32(reachHi);
  return touchesSubnormal ? [Math.min(rlo, 0), Math.max(rhi, 0)] : [rlo, rhi];
}

function expInterval(x: number): Interval {
  const e = Math.exp(x);
  if (e > MAX_F32) return null;
  return ulpStep(3 + 2 * Math.abs(x), e, e);
}

/**
 * sqrt(x): "Inherited from 1.0 / inverseSqrt(x)". inverseSqrt gives r within 2 ULP of 1/√x; the division 1/r, with
 * r in [2^-126, 2^126] (true for every positive finite f32 x), gives a value within 2.5 ULP of 1/r. The bound is the
 * farthest such value from √x: the r at the low end of its range, plus 2.5 ULP of its reciprocal. 2 ULP of 1/√x is a
 * relative error of up to 2 · 2^-23, up to 4 ULP of √x when √x lies just below a power of two; with the division's
 * 2.5 ULP, less what is lost by keeping only f32 values in reach, the bound is about 2.5 to 6.5 ULP of √x.
 * x ≤ 0, subnormal (may be flushed to 0) or infinite: inverseSqrt is outside its domain or overflows, so no finite
 * bound is inherited.
 */
export function sqrtBound(x: number, exact: number = Math.sqrt(x)): number {
  if (!(x > 0) || !Number.isFinite(x) || isSubnormalF32(x)) return Infinity;
  const r = ulpStep(2, 1 / Math.sqrt(x), 1 / Math.sqrt(x));
  if (r === null || !(r[0] > 0)) return Infinity;
  const [rlo, rhi] = r;
  if (rlo < 2 ** -126 || rhi > 2 ** 126) return Infinity;
  const q = ulpStep(2.5, 1 / rhi, 1 / rlo);
  if (q === null) return Infinity;
  return Math.max(exact - q[0], q[1] - exact);
}

/**
 * tanh(x): "The worse of: Absolute error 1.0 × 10^-5; Inherited from sinh(x) / cosh(x)" (f32 and f16 alike; the
 * absolute term came with gpuweb PR 5199 / issue 5206, after NVIDIA's tanh missed the inherited bound).
 * sinh(x) is inherited from (exp(x) − exp(−x)) · 0.5 and cosh(x) from (exp(x) + exp(−x)) · 0.5, so the inherited
 * part is evaluated over intervals: each exp within 3 + 2|x| ULP, the subtraction, addition and halving correctly
 * rounded (or flushed), the division within 2.5 ULP. Where exp(|x|) overflows (|x| above about 88.72) the inherited
 * expression is indeterminate, so the worse of the two is unbounded (gpuweb issue 4458 is about exactly this).
 */
export function tanhBound(x: number, exact: number = Math.tanh(x)): number {
  // A NaN input is outside every rule (implementations may assume NaNs absent): indeterminate.
  if (Number.isNaN(x)) return Infinity;
  return Math.max(1e-5, inheritedTanhError(x, exact));
}

function inheritedTanhError(x: number, exact: number): number {
  const ep = expInterval(x);
  const em = expInterval(-x);
  if (ep === null || em === null) return Infinity;
  const diff = roundedStep(ep[0] - em[1], ep[1] - em[0]);
  const sum = roundedStep(ep[0] + em[0], ep[1] + em[1]);
  if (diff === null || sum === null) return Infinity;
  const sinh = roundedStep(diff[0] * 0.5, diff[1] * 0.5);
  const cosh = roundedStep(sum[0] * 0.5, sum[1] * 0.5);
  if (sinh === null || cosh === null) return Infinity;
  // cosh ≥ 1 before rounding, so its interval stays inside the divisor range [2^-126, 2^126] unless exp overflowed.
  const [clo, chi] = cosh;
  if (clo < 2 ** -126 || chi > 2 ** 126) return Infinity;
  const corners = [sinh[0] / clo, sinh[0] / chi, sinh[1] / clo, sinh[1] / chi];
  const q = ulpStep(2.5, Math.min(...corners), Math.max(...corners));
  if (q === null) return Infinity;
  return Math.max(exact - q[0], q[1] - exact);
}

/** The packed normalized formats of WGSL's pack builtins: the largest level and the low end of the clamp. */
const PACK_NORM = { unorm8: [255, 0], snorm8: [127, -1], unorm16: [65535, 0], snorm16: [32767, -1] } as const;
export type PackNormFormat = keyof typeof PACK_NORM;

/**
 * The levels allowed for one component `e` (an f32 value) of pack4x8unorm (`unorm8`), pack4x8snorm (`snorm8`),
 * pack2x16unorm (`unorm16`) or pack2x16snorm (`snorm16`), as [lo, hi] (integers; the byte or half is their bits).
 * WGSL §"Data Packing Built-in Functions" gives ⌊0.5 + L · min(1, max(lo, e))⌋, and its accuracy table "Correctly
 * rounded intermediate result value. Correct result.": the value inside the floor may be rounded to f32 either way
 * first. Every GPU engine here computes it instead as SPIR-V's PackUnorm4x8 does, round(f32(L · c)), whose ties
 * GLSL.std.450 leaves to the implementation (SwiftShader and llvmpipe round them to even: f32(20.5/255), whose L · c
 * rounds to 20.5 exactly, is level 20 there and 21 by WGSL's formula; gpuweb/gpuweb#4159 names the mismatch). Both are
 * allowed here, since a bound that fails every engine in use for a correct kernel is no use. So where L · c or
 * 0.5 + L · c lies within an f32 step of a half or a whole number two levels are allowed (trial 63: f32(131.5/255) is
 * 131 by the formula read exactly, the interpreter's, and 132 on every GPU engine here); elsewhere lo = hi. NaN: WGSL
 * leaves it open, [0, L] for unorm and [-L, L] for snorm.
 */
export function packNormLevels(e: number, format: PackNormFormat): [number, number] {
  const [levels, low] = PACK_NORM[format];
  if (Number.isNaN(e)) return [low * levels, levels];
  // L · c is exact in float64 (at most 16 bits times 24), and so is adding 0.5: these are the real values.
  const p = levels * Math.min(1, Math.max(low, e));
  const roundings = (x: number) => [roundDownF32(x), roundUpF32(x)];
  const candidates = [
    ...roundings(0.5 + p).map(Math.floor),
    // round(q), a tie either way.
    ...roundings(p).flatMap((q) => [Math.floor(q + 0.5), Math.ceil(q - 0.5)]),
  ];
  return [Math.min(...candidates), Math.max(...candidates)];
}
