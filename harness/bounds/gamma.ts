// Error bounds for sums and dot products in f32 (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed.,
// §2.2 and chapters 3–4), with u = U = 2^-23 because WGSL may round each + and * either way.
//
// Higham's model fl(a op b) = (a op b)(1 + δ), |δ| ≤ u, assumes no underflow. WGSL may flush subnormal results to
// zero, so an operation can also be off by an absolute η with |η| < 2^-126 (δ = 0 then): a result whose exact value
// is subnormal may come back as 0, or rounded by at most 2^-149. Each bound below adds that term, η times the number
// of operations, carried through the later roundings (factor 1 + γ). It only matters when the values themselves are
// tiny (edge-biased cases draw them), where a purely relative bound would fail a correct kernel.
// Overflow is not modelled: where a partial result may pass MAX_F32 (indeterminate in WGSL) the bounds return Infinity;
// from the terms themselves (sumBoundOf, dotProductBoundOf) a partial sum's reach is the larger of its positive and
// negative terms' sums, not Σ|x|.
import { isFloat16Array } from '@petamoriken/float16';
import { isSubnormalF16 } from './f16.ts';
import { MAX_F32, MIN_NORMAL_F32, U, isSubnormalF32 } from './f32.ts';

/** γ_n = n·u / (1 − n·u): the relative error of n successive roundings, |∏(1 + δ_i) − 1| ≤ γ_n (Higham Lemma 3.1).
 *  Only meaningful while n·u < 1. */
export function gamma(n: number, u: number = U): number {
  if (!(n >= 0)) throw new RangeError(`gamma(${n}): n must be a non-negative count of roundings`);
  const nu = n * u;
  if (nu >= 1) throw new RangeError(`gamma(${n}) with u = ${u}: n·u = ${nu} ≥ 1, where γ is void; growth(${n}), (1 + u)^n − 1, bounds the same roundings for every n`);
  return nu / (1 - nu);
}

/** (1 + u)^n − 1: the same bound on |∏(1 + δ_i)^{±1} − 1| before Higham's simplification to γ_n (Lemma 3.1's
 *  proof), valid for every n: a sum of 2^23 or more f32 terms has no γ but still a finite worst case. */
export function growth(n: number, u: number = U): number {
  return n * u < 0.5 ? gamma(n, u) : Math.expm1(n * Math.log1p(u));
}

/** `reach`: the largest magnitude an exact partial result can have (absTotal unless the caller knows the terms: a
 *  partial sum of terms of both signs lies between −Σ(negative terms) and Σ(positive terms)). */
function withUnderflow(relative: number, ops: number, depth: number, absTotal: number, reach = absTotal): number {
  const g = growth(depth);
  const bound = relative + ops * MIN_NORMAL_F32 * (1 + g);
  // Every computed partial result lies within its exact value's reach plus γ·absTotal and the underflow terms; past
  // MAX_F32 it may overflow. Trial 90: [3e38, −3e38] has Σ|x| past MAX_F32, yet no order of it can overflow, and a
  // kernel that returned 0 for a sum of 2.5e35 passed under the Infinity that Σ|x| alone gave.
  return reach + g * absTotal + bound > MAX_F32 ? Infinity : bound;
}

/** The largest |exact partial sum| of some of `terms`: Σ of the positive ones or of the negative ones. */
function reachOf(terms: ArrayLike<number>): number {
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    if (t > 0) pos += t;
    else neg -= t;
  }
  return Math.max(pos, neg);
}

/**
 * |fl(x·y) − x·y| ≤ γ_k Σ|x_i||y_i| (Higham eq. 3.5), for any order of summation: each product is rounded once and
 * then passes through at most k − 1 additions. absDot = Σ|x_i·y_i| computed exactly enough (float64).
 * Plus the underflow term for k products and k − 1 additions. Past k·u ≥ 1/2 the factor is (1 + u)^k − 1 (growth), as
 * for sumBound: γ_k threw at k = 2^23 and was 5.8 times looser at k = 7.5e6, where a dot returned negated passed
 * (trial 104 A1, A2).
 */
export function dotProductBound(absDot: number, k: number, reach = absDot): number {
  if (k <= 0) return 0;
  return withUnderflow(growth(k) * absDot, 2 * k - 1, k, absDot, reach);
}

/**
 * Summation of n terms in ANY order or tree: |fl(Σx) − Σx| ≤ γ_{n−1} Σ|x_i| (Higham, 2nd ed., §4.2, eq. 4.4: it holds
 * for every instance of Algorithm 4.1, "repeatedly take two elements of the set, add them, put the sum back", which
 * covers recursive, pairwise, per-invocation-then-tree and any reassociation). Each term meets at most n − 1
 * additions on its way to the result. A fused multiply-add only removes a rounding, so the bound covers it. Plus the
 * underflow term of the n − 1 additions. Past n·u ≥ 1/2 the factor is (1 + u)^(n−1) − 1 (growth).
 */
export function sumBound(absSum: number, n: number, reach = absSum): number {
  if (n <= 1) return 0;
  return withUnderflow(growth(n - 1) * absSum, n - 1, n - 1, absSum, reach);
}

/** Pairwise / tree reduction of n terms: each term passes through ceil(log2 n) additions, so γ_⌈log2 n⌉ Σ|x_i|
 *  (Higham §4.2), plus the underflow term of its n − 1 additions. Holds only for a kernel that sums in such a tree:
 *  use it for an algorithm-specific property, never for a family's default bound (sumBound holds for every order). */
export function treeSumBound(absSum: number, n: number, reach = absSum): number {
  if (n <= 1) return 0;
  const depth = Math.ceil(Math.log2(n));
  return withUnderflow(gamma(depth) * absSum, n - 1, depth, absSum, reach);
}

/**
 * The dot-product bound from the vectors themselves, including what the bound on Σ|x_i||y_i| cannot see: a subnormal
 * input may be flushed to 0, which removes its whole product x_i·y_i (not a small relative change when the other
 * factor is large). Reduction order: any (the γ_k bound holds for every order).
 */
export function dotProductBoundOf(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`dot of lengths ${x.length} and ${y.length}`);
  // An f16 input's subnormals (below 2^-14) may be flushed too (trial 104 C2): a Float16Array is read as f16.
  const [sx, sy] = [x, y].map((a) => (isFloat16Array(a) ? isSubnormalF16 : isSubnormalF32));
  let absDot = 0;
  let flushable = 0;
  let pos = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    const p = Math.abs(xi * yi);
    absDot += p;
    if (xi * yi > 0) pos += p;
    if (sx!(xi) || sy!(yi)) flushable += p;
  }
  return dotProductBound(absDot, x.length, Math.max(pos, absDot - pos)) + flushable * (1 + growth(x.length));
}

/** The summation bound from the terms themselves (flushable subnormal terms included, as for dotProductBoundOf).
 *  order 'any' (default): any order or tree (sumBound); 'tree': only a balanced binary tree (treeSumBound). */
export function sumBoundOf(values: ArrayLike<number>, order: 'any' | 'tree' = 'any'): number {
  // A Float16Array's subnormals (below 2^-14) may be flushed too, as dotProductBoundOf reads them (trial 159 C1).
  const subnormal = isFloat16Array(values) ? isSubnormalF16 : isSubnormalF32;
  let absSum = 0;
  let flushable = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    absSum += a;
    if (subnormal(a)) flushable += a;
  }
  const n = values.length;
  const reach = reachOf(values);
  const base = order === 'tree' ? treeSumBound(absSum, n, reach) : sumBound(absSum, n, reach);
  return base + flushable * (1 + growth(order === 'tree' ? Math.ceil(Math.log2(Math.max(n, 1))) : Math.max(n - 1, 0)));
}
