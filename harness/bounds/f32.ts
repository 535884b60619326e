// The f32 number line, seen from float64: rounding, neighbours, ULP sizes and distances. Node-free (the visualizer
// and the browser hosts load it). Every function takes plain JS numbers; "f32 value" means Math.fround(x) === x.

/** Unit roundoff for bounds. WGSL lets + - * round either way (spec "Floating Point Accuracy": correctly rounded
 *  means either neighbour), so one operation's relative error is below one full spacing, 2^-23, not half of it. */
export const U = 2 ** -23;

export const MIN_NORMAL_F32 = 2 ** -126;
export const MIN_SUBNORMAL_F32 = 2 ** -149;
export const MAX_F32 = (2 - 2 ** -23) * 2 ** 127;
/** 2^(EMAX+1): an exact result at or beyond this overflows to infinity under every rounding (spec "Floating Point
 *  Rounding and Overflow"); between MAX_F32 and here it may become MAX_F32 or infinity. */
export const OVERFLOW_F32 = 2 ** 128;
/** The spacing of the top binade: the ULP the spec assigns to values outside the finite range. */
export const MAX_ULP_F32 = 2 ** 104;

export const toF32: (x: number) => number = Math.fround;

export function isF32(x: number): boolean {
  return Number.isNaN(x) || Math.fround(x) === x;
}

export function isSubnormalF32(x: number): boolean {
  return x !== 0 && Math.abs(x) < MIN_NORMAL_F32;
}

/** Flush-to-zero is allowed on the inputs and outputs of every operation with a listed accuracy (spec "Differences
 *  from IEEE-754"): a ±0 where the exact result is f32-subnormal is an allowed result. */
export function flushesToZero(actual: number, exact: number): boolean {
  return actual === 0 && isSubnormalF32(exact);
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Position of an f32 value on the ordered f32 line: ±0 -> 0, each step is one representable value, ±Infinity
 *  sits one past ±MAX_F32. The input must not be NaN. */
function ordinal(x: number): number {
  f32[0] = x;
  const bits = i32[0]!;
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

function fromOrdinal(ord: number): number {
  i32[0] = ord < 0 ? (-ord | 0x80000000) : ord;
  return f32[0]!;
}

/** Smallest f32 value strictly greater than x (x need not be an f32 value). */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  const r = Math.fround(x);
  if (r > x) return r;
  if (r === 0) return MIN_SUBNORMAL_F32;
  const next = fromOrdinal(ordinal(r) + 1);
  // IEEE nextUp(-min subnormal) is -0.
  return next === 0 ? -0 : next;
}

/** Largest f32 value strictly less than x. */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/** Largest f32 value ≤ x (−Infinity below −MAX_F32's reach is −Infinity; beyond +MAX_F32 it is MAX_F32). */
export function roundDownF32(x: number): number {
  if (Number.isNaN(x)) return x;
  const r = Math.fround(x);
  return r <= x ? r : nextDown(r);
}

/** Smallest f32 value ≥ x. */
export function roundUpF32(x: number): number {
  if (Number.isNaN(x)) return x;
  const r = Math.fround(x);
  return r >= x ? r : nextUp(r);
}

const f64 = new Float64Array(1);
const w32 = new Uint32Array(f64.buffer);
/** Which of a float64's two 32-bit words holds its sign and exponent on this machine. */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
/** 2^k for whole k in [−1074, 1023], by doubling from the smallest float64 (exact): `2 ** k` calls Math.pow. */
const POW2 = new Float64Array(2098);
POW2[0] = Number.MIN_VALUE;
for (let i = 1; i < POW2.length; i++) POW2[i] = POW2[i - 1]! * 2;
/** POW2's index of the binade that holds ax, a normal float64 > 0 (every caller passes ax ≥ 2^-126): 2^e ≤ ax <
 *  2^(e+1) at POW2[e + 1074], e read from the exponent field. From the bits it needs no correction, where Math.log2
 *  can be off by one next to powers of two; ulpOf and specUlp take it for every element of a bound, and Math.log2
 *  with `2 **` was most of their time. */
function binadeAt(ax: number): number {
  f64[0] = ax;
  return ((w32[HIGH_WORD]! >>> 20) & 0x7ff) - 1023 + 1074;
}

// ulpOf and specUlp return literal constants (2 ** 104, 2 ** -149), not MAX_ULP_F32 and MIN_SUBNORMAL_F32: a return
// of a module's variable made V8 box every double they returned, 16 bytes of garbage and 10 ns a call (3 ns without).

/**
 * Spacing of the f32 values around |x|: the spacing of the binade that holds |x| (2^(e-23)), 2^-149 in the
 * subnormal range, and the top binade's spacing (2^104) from MAX_F32 on. It is never smaller than the gap between
 * the two f32 values that enclose x, so one ulpOf(x) always reaches either neighbour of x. At an exact power of two
 * it is the gap above, twice the gap below; see specUlp for the spec's (smaller) ULP there.
 */
export function ulpOf(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < MAX_F32)) return ax === ax ? 2 ** 104 : NaN;
  if (ax < MIN_NORMAL_F32) return 2 ** -149;
  return POW2[binadeAt(ax) - 23]!;
}

/**
 * The WGSL spec's ULP(x) (after Muller 2005, also what the WebGPU CTS's oneULPF32 computes): the smallest distance
 * between two different finite f32 values a ≤ x ≤ b. Equal to ulpOf(x) except at a normal power of two, where the
 * gap below is half the gap above; outside the finite range it is the top binade's spacing.
 */
export function specUlp(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < MAX_F32)) return ax === ax ? 2 ** 104 : NaN;
  if (ax < MIN_NORMAL_F32) return 2 ** -149;
  const at = binadeAt(ax);
  // A normal power of two: the gap below is half the gap above.
  return ax === POW2[at] && ax > MIN_NORMAL_F32 ? POW2[at - 24]! : POW2[at - 23]!;
}

/**
 * How many f32 steps separate a and b along the ordered f32 line, after rounding both to f32 (round to nearest).
 * +0 and −0 are the same point; MAX_F32 and Infinity are one step apart. NaN against anything but NaN is Infinity;
 * NaN against NaN is 0 (both "not a number": the same outcome).
 */
export function ulpDistance(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : Infinity;
  return Math.abs(ordinal(Math.fround(a)) - ordinal(Math.fround(b)));
}

/**
 * WGSL's "correctly rounded" (spec "Floating Point Accuracy"): the exact result itself when it is an f32 value,
 * otherwise the f32 value just above or just below it, either one. `exact` is the real result (a float64 standing in
 * for it). Overflow follows "Floating Point Rounding and Overflow": between MAX_F32 and 2^128 either MAX_F32 or
 * infinity, at or beyond 2^128 only infinity. Subnormal flushing is not included: see flushesToZero.
 */
export function isCorrectlyRounded(actual: number, exact: number): boolean {
  if (Number.isNaN(exact)) return Number.isNaN(actual);
  if (Number.isNaN(actual) || !isF32(actual)) return false;
  if (Math.abs(exact) >= OVERFLOW_F32) return actual === (exact > 0 ? Infinity : -Infinity);
  return actual === roundDownF32(exact) || actual === roundUpF32(exact);
}
