// The layernorm bound: how far a WGSL f32 layernorm y = (x − mean) / sqrt(var + eps), row by row, may be from the
// exact one. The layernorm family judges with it and the kit exports it, so that a library's own layernorm is held to
// the same proof.
//
// Which implementations the default bound covers: every two-pass layernorm (the mean, then the squared deviations
// from the computed mean), with or without a shift K taken first (K = 0, a row element such as x_0, or any value in
// [min x, max x]), its sums in any order or tree (Higham §4.2, eq. 4.4: γ_{n−1}), each sum divided by n or made of
// pre-scaled terms (Σ x_j·(1/n) or Σ x_j/n, as tfjs writes the mean, and the same for the squares), fused
// multiply-adds or not, and the scale taken as inverseSqrt(v + eps) times the deviation or as the deviation divided
// by sqrt(v + eps).
// Not covered: the one-pass E[x²] − E[x]² (the textbook formula). Its error is relative to Σx_j², not to Σ(x_j − μ)²:
// Higham §1.9 (and Chan, Golub & LeVeque 1983) give a relative error in the variance of about n u κ², κ = ‖x‖/‖x − μ‖;
// on this family's 'offset' rows (1000 + N(0, 1), κ ≈ 1000) that is n u 10^6 ≥ 1 for n ≥ 8: a bound fair to it would
// accept any output, even a negative variance (NaN). It is not a correct implementation of layernorm in f32.
// Welford's update (a running mean and sum of squared deviations, one pass; per invocation, then merged up a tree as
// Chan, Golub & LeVeque 1983 do) is not what this derivation follows, and is covered by simulation, not proof:
// test/layernorm-bound.test.ts computes it with every rounding WGSL allows pushed one way (all up, all down, each at
// random; x / y 2.5 ULP, inverseSqrt 2 ULP), one invocation or merged in PyTorch's order or the textbook's, over the
// family's own draws: within 0.29 of this bound at worst (1,500 draws each, two seeds). Its merge forms δ²·n_a·n_b
// before dividing by n, past MAX_F32 on rows whose Σ(x − μ)² is far below it: those rows are unbounded (below). Left
// out: an x / 1 that WGSL's 2.5 ULP lets differ from x, after which Welford's first update leaves m2 < 0 and a
// one-element row's output NaN.
//
// Bound (derivation), per row of n = cols values. u = 2^-23, η = 2^-126 (a flushed subnormal), d the additions on
// any path of a row sum: n − 1 in general (any order); for layernorm.wgsl alone (property
// matches-reference-shift-first) d = ceil(n/256) − 1 + ceil(log2 min(n, 256)) (sequential per invocation, then a
// tree in which padding lanes add exact zeros), and K = x_0.
//  1. Shift: z_j = fl(x_j − K). With a_j = x_j − K (exact), |z_j − a_j| ≤ E_j = u|a_j| + 2η. K is unknown in
//     general: |a_j| is taken at its largest over the admissible K, max(|x_j|, x_j − min, max − x_j) (no shift has
//     no error at all, which this covers), and so is |μ_a|.
//     layernorm is shift-invariant, so the target is y*_j = (a_j − μ_a) s*, s* = (R²/n + eps)^(-1/2),
//     μ_a = mean(a), R = ‖a − μ_a 1‖₂.
//  2. Mean: the sum of z is within γ_d Σ|z| + nη (Higham, tree/recursive), the division within 2.5 ULP, so
//     |m̂ − μ_a| ≤ δ_m = Ē + δ_s/n + 2.5u(|μ_a| + Ē + δ_s/n) + η, δ_s = γ_d Σ(|a_j| + E_j) + nη.
//     Pre-scaled, m̂ = Σ fl(z_j·ι), ι = fl(1/n) within 2.5 ULP (or each fl(z_j/n), within 2.5 ULP): each term is
//     within (|z_j|/n)·c + η of z_j/n, c = 3.5u + 2.5u², and it may flush (η) where z_j/n is subnormal though z_j is
//     not, n flushes on the mean itself rather than one on the sum (trial 56: a row of eight 8.45e-38, whose eighths
//     SwiftShader flushed, has mean 0 and y = x/√eps, 1.03 to 3.9 times the first bound). So in general
//     δ_m = max of that and Ē + (c + γ_d(1 + c)) Σ|z|/n + (2 + γ_d) nη.
//  3. Deviation: d_j = fl(z_j − m̂) is within N_j = D_j + u(|a_j − μ_a| + D_j) + η of a_j − μ_a, D_j = E_j + δ_m.
//  4. Sum of squares: ‖z − m̂ 1‖₂ is within ΔR = ‖E‖₂ + √n δ_m of R (triangle inequality), and each d_j² carries
//     (1 + ε)²(1 + ε') before a sum of non-negative terms with d roundings: Ŝ ∈ [(R − ΔR)₊²(1 − γ_{d+3}) − 3nη,
//     (R + ΔR)²(1 + γ_{d+3}) + 3nη].
//  5. v̂ = Ŝ/n within 2.5 ULP (pre-scaled, Σ fl(fl(d_j²)·ι): within c, not 2.5u, of each term's share, and a flush
//     per term, 3nη in all, in general); w = fl(v̂ + eps) within u; r = inverseSqrt(w) within 2 ULP (relative 2u):
//     r ∈ [w_hi^(-1/2)(1 − ρ), w_lo^(-1/2)(1 + ρ)], ρ = 2u. In general r may be 1 / sqrt(w) in effect: WGSL's sqrt
//     is inherited from 1 / inverseSqrt, at most 6.5 ULP (harness/bounds/wgsl.ts sqrtBound), so ρ = 6.5u.
//  6. ŷ_j = fl(d_j r): the farthest corner of [a_j − μ_a ± N_j] × [r_lo, r_hi] from y*_j, plus u|d_j r| + η; a
//     division d_j / sqrt(w) instead rounds within 2.5 ULP: 2.5u|d_j r| + η in general.
// A row whose sums could pass MAX_F32 gets an unbounded tolerance (an overflowing value is indeterminate in WGSL), and
// so does one where Welford's merge term could, ((max − min)·n/2)² > MAX_F32.
import { MAX_F32, MIN_NORMAL_F32 as ETA, U, isSubnormalF32 } from '../harness/bounds/f32.ts';
import { growth } from '../harness/bounds/gamma.ts';
import { rowStats } from '../reference/layernorm.ts';

/** The relative error of a pre-scaled term z·fl(1/n) (or fl(z/n)) against z/n: 2.5 ULP and a rounding, step 2. */
const C = 3.5 * U + 2.5 * U * U;

/** layernorm.wgsl's workgroup size: its 'shift-first' bound follows that kernel's own sums. */
const WG = 256;

/** Additions on any path of layernorm.wgsl's row sums. */
function sumDepth(n: number): number {
  return Math.ceil(n / WG) - 1 + Math.ceil(Math.log2(Math.min(n, WG)));
}

/** Which implementations a bound covers: 'any' (the family's default, see the header) or 'shift-first'
 *  (layernorm.wgsl: K = x_0, its own summation depth, inverseSqrt times the deviation). */
export type LayernormAlgorithm = 'any' | 'shift-first';

/**
 * The allowed |ŷ − y| of a layernorm without its affine step, y = (x − mean) / sqrt(var + eps) per row with the
 * biased variance (the derivation above).
 * @param x the input as the kernel was given it: rows × cols, row-major, f32 values
 * @param eps the eps the kernel adds, as an f32 value
 * @param algorithm 'any' for every implementation the header names; 'shift-first' for layernorm.wgsl's own
 * @returns rows × cols absolute bounds, Infinity on rows whose sums could overflow
 */
export function layernormTolerance(x: ArrayLike<number>, rows: number, cols: number, eps: number, algorithm: LayernormAlgorithm = 'any'): Float64Array {
  const tol = new Float64Array(rows * cols);
  const n = cols;
  const own = algorithm === 'shift-first';
  const d = own ? sumDepth(n) : n - 1;
  const gd = growth(d);
  const gs = growth(d + 3);
  const rho = own ? 2 * U : 6.5 * U;
  const last = own ? U : 2.5 * U;
  for (let row = 0; row < rows; row++) {
    const base = row * cols;
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < n; j++) {
      lo = Math.min(lo, x[base + j]!);
      hi = Math.max(hi, x[base + j]!);
    }
    const K = own ? x[base]! : 0;
    // |x_j − K| at its largest over the shifts an implementation may take (0 or any K in [lo, hi]).
    const reach = (v: number) => (own ? Math.abs(v - K) : Math.max(Math.abs(v), v - lo, hi - v));
    const a = new Float64Array(n);
    for (let j = 0; j < n; j++) a[j] = x[base + j]! - K;
    const { mean: mu0, ss } = rowStats(a, 0, n);
    const mu = reach(mu0 + K);
    const R = Math.sqrt(ss);
    let sumAbsZ = 0;
    let sumE = 0;
    let sumE2 = 0;
    const E = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const aj = reach(x[base + j]!);
      E[j] = U * aj + 2 * ETA + (isSubnormalF32(x[base + j]!) ? ETA : 0);
      sumAbsZ += aj + E[j]!;
      sumE += E[j]!;
      sumE2 += E[j]! ** 2;
    }
    const Ebar = sumE / n;
    const dS = gd * sumAbsZ + n * ETA;
    const divided = Ebar + dS / n + 2.5 * U * (mu + Ebar + dS / n) + ETA;
    const prescaled = Ebar + (C + gd * (1 + C)) * (sumAbsZ / n) + (2 + gd) * n * ETA;
    const dm = own ? divided : Math.max(divided, prescaled);
    const dR = Math.sqrt(sumE2) + Math.sqrt(n) * dm;
    const Shi = (R + dR) ** 2 * (1 + gs) + 3 * n * ETA;
    const Slo = Math.max(0, Math.max(0, R - dR) ** 2 * (1 - gs) - 3 * n * ETA);
    // Welford's merge (Chan, Golub & LeVeque) forms δ²·n_a·n_b before dividing by n, δ = a difference of two
    // partial means, so up to ((hi − lo)·n/2)²: past MAX_F32 while Ŝ is far below it (a row [−2e19, 1000, 1000]).
    const spread = own ? 0 : (hi - lo) * Math.max(1, n / 2);
    const overflow = sumAbsZ * (1 + gd) > MAX_F32 || Shi > MAX_F32 || spread * spread * (1 + 8 * U) > MAX_F32;
    // The variance's share of each term: 2.5u from a division of the sum, c pre-scaled, whose flushes (one per
    // square, product and addition) may all fall on v̂ itself rather than on Ŝ.
    const share = own ? 2.5 * U : C;
    const vFlush = own ? ETA : 3 * n * ETA;
    const vhi = (Shi / n) * (1 + share) + vFlush;
    const vlo = Math.max(0, (Slo / n) * (1 - share) - vFlush);
    const whi = (vhi + eps) * (1 + U);
    const wlo = (vlo + eps) * (1 - U);
    const rhi = (1 + rho) / Math.sqrt(wlo);
    const rlo = (1 - rho) / Math.sqrt(whi);
    const s = 1 / Math.sqrt(ss / n + eps);
    for (let j = 0; j < n; j++) {
      if (overflow || !(wlo >= ETA)) {
        tol[base + j] = Infinity;
        continue;
      }
      const num = a[j]! - mu0;
      const D = E[j]! + dm;
      const N = D + U * (Math.abs(num) + D) + ETA;
      const y = num * s;
      let far = 0;
      let big = 0;
      for (const dv of [num - N, num + N]) {
        for (const rv of [rlo, rhi]) {
          far = Math.max(far, Math.abs(dv * rv - y));
          big = Math.max(big, Math.abs(dv * rv));
        }
      }
      tol[base + j] = far + last * big + ETA;
    }
  }
  return tol;
}
