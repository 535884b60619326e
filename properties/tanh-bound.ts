// A closed form for WGSL's tanh accuracy, cheap enough to take per element of a 200,000-element case.
//
// WGSL's f32 tanh is "inherited from sinh(x) / cosh(x)", sinh from (exp(x) − exp(−x)) * 0.5 and cosh from
// (exp(x) + exp(−x)) * 0.5, with exp within 3 + 2|x| ULP, + − * correctly rounded (either way) and / within 2.5 ULP;
// and at least 1e-5 absolute. harness/bounds/wgsl.ts tanhBound evaluates that literally, over intervals: exact but
// ~10 µs a call. This is the same rule bounded in closed form (derivation below, u = 2^-23, η = 2^-126):
//
// Take a = |x| (tanh is odd and every rule is symmetric), E = e^a, e = e^-a, S = E + e, D = E − e, t = D / S.
// sinh and cosh each evaluate their own exps (independently: nothing forces the same results in both).
//  1. exp is within k = 3 + 2a ULP of the exact value: |Ê − E| ≤ k specUlp(E), |ê − e| ≤ k specUlp(e) + η (a
//     subnormal e may also be flushed to 0). So both Ê − ê and Ê + ê are within P = k specUlp(E) + k specUlp(e) + η
//     of D and S.
//  2. The subtraction or addition is correctly rounded: off by at most the spacing at its result, ulpOf(D + P) or
//     ulpOf(S + P) (ulpOf never decreases with |z|). The halving is exact unless its result is subnormal (η, so 2η
//     on the doubled value). With sh = 0.5 D_h, ch = 0.5 S_h: |D_h − D| ≤ δD = P + ulpOf(D + P) + 2η and
//     |S_h − S| ≤ δS = P + ulpOf(S + P) + 2η.
//  3. r = sh / ch = D_h / S_h and t = D / S: r − t = ((D_h − D) S − D (S_h − S)) / (S S_h), so
//     |r − t| ≤ ρ = (δD + t δS) / (S − δS)   (no first-order approximation).
//  4. The division is within 2.5 specUlp(r) ≤ 2.5 ulpOf(t + ρ) (|r| ≤ t + ρ), and a subnormal quotient may be
//     flushed (η). A subnormal x may itself be flushed to 0 (tanh moves by less than η).
//     |Q − tanh x| ≤ ρ + 2.5 ulpOf(t + ρ) + 2η.
//  5. Undefined cases give Infinity, as tanhBound does: exp(a)'s allowed results may overflow (E + k specUlp(E) >
//     MAX_F32), or the divisor ch may leave [2^-126, 2^126], where division's accuracy is defined ((S + δS) / 2).
// The result is max(1e-5, that). Below |x| = 16 it is 1e-5: there k ≤ 35, specUlp(v) ≤ u v, so P ≤ 35 u S + η,
// ρ ≤ (2P + u (D + t S) + 2uP + 4η) / (S − δS) < 72.1 u and the total is < 75 u < 9e-6 (S ≥ 2 makes the η terms
// negligible): the closed form is skipped there. test/library.test.ts checks it against tanhBound over a sweep of |x| (including
// every power of two, where ULPs jump): never below it, and close above it.
import { MAX_F32, MIN_NORMAL_F32 } from '../harness/bounds/f32.ts';

const ETA = MIN_NORMAL_F32;

// f32.ts's ulpOf and specUlp, for the non-negative finite magnitudes used here, with the binade read from the float64
// exponent instead of log2 (a tenth of the time). Beyond MAX_F32 they differ, but there the bound is Infinity anyway.
const f64 = new Float64Array(1);
const hi = new Uint32Array(f64.buffer, 4, 1);
const pow2 = (k: number) => {
  f64[0] = 0;
  hi[0] = (k + 1023) << 20;
  return f64[0]!;
};
const binade = (v: number) => {
  f64[0] = v;
  return ((hi[0]! >>> 20) & 0x7ff) - 1023;
};
/** f32.ts ulpOf for |v| in the normal range, else its subnormal spacing. */
const ulpOf = (v: number) => (v < MIN_NORMAL_F32 ? 2 ** -149 : pow2(binade(v) - 23));
/** f32.ts specUlp: half the spacing below an exact power of two. */
const specUlp = (v: number) => {
  if (v < MIN_NORMAL_F32) return 2 ** -149;
  const b = binade(v);
  return v === pow2(b) && v > MIN_NORMAL_F32 ? pow2(b - 24) : pow2(b - 23);
};

export function tanhBoundFast(x: number): number {
  if (Number.isNaN(x)) return Infinity;
  const a = Math.abs(x);
  if (a <= 16) return 1e-5;
  // exp(89) > MAX_F32: step 5's Infinity, without the two exps ('huge' inputs all are past it, 'wide' ones often).
  if (a > 89) return Infinity;
  const E = Math.exp(a);
  const e = Math.exp(-a);
  const k = 3 + 2 * a;
  if (!(E + k * specUlp(E) <= MAX_F32)) return Infinity;
  const S = E + e;
  const D = E - e;
  const t = D / S;
  const P = k * specUlp(E) + k * specUlp(e) + ETA;
  const dD = P + ulpOf(D + P) + 2 * ETA;
  const dS = P + ulpOf(S + P) + 2 * ETA;
  if ((S + dS) / 2 > 2 ** 126) return Infinity;
  const rho = (dD + t * dS) / (S - dS);
  return Math.max(1e-5, rho + 2.5 * ulpOf(t + rho) + 2 * ETA);
}

/** A lower bound of tanhBoundFast(x), Infinity exactly where it is: 1e-5 up to |x| = 87 (the rule's floor; exp(87)
 *  is far from MAX_F32, and the divisor from 2^126), the bound itself beyond (and for NaN). */
export function tanhBoundFastLower(x: number): number {
  return Math.abs(x) <= 87 ? 1e-5 : tanhBoundFast(x);
}
