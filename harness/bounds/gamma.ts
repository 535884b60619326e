// Error bounds for sums and dot products in f32 (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed.,
// §2.2 and chapters 3–4), with u = U = 2^-23 because WGSL may round each + and * either way.
//
// Higham's model fl(a op b) = (a op b)(1 + δ), |δ| ≤ u, assumes no underflow. WGSL may flush subnormal results to
// zero, so an operation can also be off by an absolute η with |η| < 2^-126 (δ = 0 then): a result whose exact value
// is subnormal may come back as 0, or rounded by at most 2^-149. Each bound below adds that term, η times the number
// of operations, carried through the later roundings (factor 1 + γ). It only matters when the values themselves are
// tiny (edge-biased cases draw them), where a purely relative bound would fail a correct kernel.
// Overflow is not modelled: a partial result beyond MAX_F32 is indeterminate, and the bounds return Infinity.
import { MAX_F32, MIN_NORMAL_F32, U, isSubnormalF32 } from './f32.ts';

/** γ_n = n·u / (1 − n·u): the relative error of n successive roundings, |∏(1 + δ_i) − 1| ≤ γ_n (Higham Lemma 3.1).
 *  Only meaningful while n·u < 1. */
export function gamma(n: number, u: number = U): number {
  if (!(n >= 0)) throw new RangeError(`gamma(${n}): n must be a non-negative count of roundings`);
  const nu = n * u;
  if (nu >= 1) throw new RangeError(`gamma(${n}) with u = ${u}: n·u = ${nu} ≥ 1, the bound is void`);
  return nu / (1 - nu);
}

function withUnderflow(relative: number, ops: number, depth: number, absTotal: number): number {
  const g = gamma(depth);
  const bound = relative + ops * MIN_NORMAL_F32 * (1 + g);
  // Every partial result lies within absTotal·(1 + γ) + the underflow terms; past MAX_F32 it may overflow.
  return absTotal * (1 + g) + bound > MAX_F32 ? Infinity : bound;
}

/**
 * |fl(x·y) − x·y| ≤ γ_k Σ|x_i||y_i| (Higham eq. 3.5), for any order of summation: each product is rounded once and
 * then passes through at most k − 1 additions. absDot = Σ|x_i·y_i| computed exactly enough (float64).
 * Plus the underflow term for k products and k − 1 additions.
 */
export function dotProductBound(absDot: number, k: number): number {
  if (k <= 0) return 0;
  return withUnderflow(gamma(k) * absDot, 2 * k - 1, k, absDot);
}

/** Recursive (left-to-right) summation of n terms: |fl(Σx) − Σx| ≤ γ_{n−1} Σ|x_i| (Higham eq. 4.4), plus the
 *  underflow term of its n − 1 additions. */
export function sumBound(absSum: number, n: number): number {
  if (n <= 1) return 0;
  return withUnderflow(gamma(n - 1) * absSum, n - 1, n - 1, absSum);
}

/** Pairwise / tree reduction of n terms: each term passes through ceil(log2 n) additions, so γ_⌈log2 n⌉ Σ|x_i|
 *  (Higham §4.2), plus the underflow term of its n − 1 additions. */
export function treeSumBound(absSum: number, n: number): number {
  if (n <= 1) return 0;
  const depth = Math.ceil(Math.log2(n));
  return withUnderflow(gamma(depth) * absSum, n - 1, depth, absSum);
}

/**
 * The dot-product bound from the vectors themselves, including what the bound on Σ|x_i||y_i| cannot see: a subnormal
 * input may be flushed to 0, which removes its whole product x_i·y_i (not a small relative change when the other
 * factor is large). Reduction order: any (the γ_k bound holds for every order).
 */
export function dotProductBoundOf(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`dot of lengths ${x.length} and ${y.length}`);
  let absDot = 0;
  let flushable = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    const p = Math.abs(xi * yi);
    absDot += p;
    if (isSubnormalF32(xi) || isSubnormalF32(yi)) flushable += p;
  }
  return dotProductBound(absDot, x.length) + flushable * (1 + gamma(x.length));
}

/** The summation bound from the terms themselves (flushable subnormal terms included, as for dotProductBoundOf). */
export function sumBoundOf(values: ArrayLike<number>, order: 'recursive' | 'tree' = 'recursive'): number {
  let absSum = 0;
  let flushable = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    absSum += a;
    if (isSubnormalF32(a)) flushable += a;
  }
  const n = values.length;
  const base = order === 'tree' ? treeSumBound(absSum, n) : sumBound(absSum, n);
  return base + flushable * (1 + gamma(order === 'tree' ? Math.ceil(Math.log2(Math.max(n, 1))) : Math.max(n - 1, 0)));
}
