// The f16 number line (IEEE 754 binary16): what WGSL's f16 accuracy rules are stated in. WGSL §15.7.4 gives f16
// the same rules as f32 in f16 ULPs. "Correctly rounded" there lets the result be either neighbour of the exact
// value, so one operation's relative error is below 2^-10 (one f16 ULP at 1), as harness/bounds/f32.ts takes
// U = 2^-23 for f32; round-to-nearest alone would give the unit roundoff 2^-11. A sum of n terms then obeys
// Higham's γ_n with that u (Higham, Accuracy and Stability of Numerical Algorithms, §2.1 and §3.1).
// Conversion through @petamoriken/float16, since Node 20 has no Float16Array of its own.
import { f16round, getFloat16, setFloat16 } from '@petamoriken/float16';

/** f16's unit roundoff under round-to-nearest: 2^-11 (half the distance from 1 to the next f16). */
export const UNIT_ROUNDOFF_F16 = 2 ** -11;
/** The u of WGSL's f16 bounds: 2^-10, since a correctly rounded WGSL result may be either neighbour. */
export const U_F16 = 2 ** -10;
/** The largest finite f16. Anything that rounds above it overflows to infinity. */
export const MAX_F16 = 65504;
export const MIN_NORMAL_F16 = 2 ** -14;
export const MIN_SUBNORMAL_F16 = 2 ** -24;

/** x rounded to the nearest f16 (ties to even); ±Infinity past 65520. */
export const roundF16 = (x: number): number => f16round(x);

/** Whether x is nonzero and below f16's smallest normal in magnitude (isSubnormalF32's twin). */
export const isSubnormalF16 = (x: number): boolean => x !== 0 && Math.abs(x) < MIN_NORMAL_F16;

/** Whether x is exactly an f16 value. */
export const isF16 = (x: number): boolean => Number.isNaN(x) || roundF16(x) === x;

/** The f16 ULP at x: the gap between the two f16 values around |x| (2^(e-10) for normal x, 2^-24 below 2^-14). */
export function ulpOfF16(x: number): number {
  const a = Math.abs(x);
  if (!Number.isFinite(a)) return Infinity;
  if (a < MIN_NORMAL_F16) return MIN_SUBNORMAL_F16;
  return 2 ** (Math.floor(Math.log2(a)) - 10);
}

/** Higham's γ_n for f16: n·u / (1 − n·u) with u = U_F16. Infinite once n·u ≥ 1 (n ≥ 1024). */
export function gammaF16(n: number): number {
  const nu = n * U_F16;
  return nu >= 1 ? Infinity : nu / (1 - nu);
}

const view = new DataView(new ArrayBuffer(2));

/** x's place on the ordered f16 line (x an f16 value): its bits, negatives below zero, ±0 both 0. */
function ordinalF16(x: number): number {
  setFloat16(view, 0, x);
  const bits = view.getUint16(0);
  return bits & 0x8000 ? -(bits & 0x7fff) : bits;
}

/**
 * How many f16 steps separate a and b along the ordered f16 line, after rounding both to f16 (harness/bounds/f32.ts
 * ulpDistance, for f16 buffers): +0 and −0 are the same point, MAX_F16 and Infinity one step apart, NaN against
 * anything but NaN Infinity, NaN against NaN 0.
 */
export function ulpDistanceF16(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : Infinity;
  return Math.abs(ordinalF16(roundF16(a)) - ordinalF16(roundF16(b)));
}
