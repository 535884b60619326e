// The softmax bounds: how far a WGSL f32 softmax (and the normaliser a log-softmax shares) may be from the exact
// one, for every implementation each `sum` names. The softmax, log_softmax and mlp families judge with them, and the
// kit exports them, so that a library's own softmax is held to the same proof rather than to a bound derived for
// one algorithm.
import { MAX_F32, MIN_NORMAL_F32, U, isF32, nextUp, ulpOf } from '../harness/bounds/f32.ts';
import { sumBound } from '../harness/bounds/gamma.ts';
import { correctlyRoundedBound, divisionBound, exp2Bound, expBound } from '../harness/bounds/wgsl.ts';

/**
 * The allowed |ŷ_j − y_j| for one row. With `sum` 'direct' or 'online', for a kernel that computes exp(x_j − max)
 * and divides by their sum (directly in any order, or softmax_online.wgsl's own lanes and tree). With 'any' (the
 * family's default), for every form the family's `covers` names: each exponential as exp(x_j − max) or as
 * exp2((x_j − max) · log2(e)) with log2(e) given to f32 precision, the normaliser formed directly or online in any
 * order or tree, and the quotient as ê_j / Ŝ or as ê_j · (1 / Ŝ). `inputError` is a bound on how far the row handed
 * to the kernel may be from the exact logits (the mlp's earlier layers); 0 for the softmax family itself.
 *
 * Derivation (x the exact row, m its max, d_j = x_j − m, e_j = exp(d_j), S = Σ e_j, y_j = e_j / S; WGSL spec
 * "Floating Point Accuracy": + − · correctly rounded, x / y 2.5 ULP, exp and exp2 3 + 2|x| ULP):
 * 1. The kernel's max m̂ is exact on what it was given, so |m̂ − m| ≤ Δ (the input error), and its d̂_j = fl(x̂_j − m̂)
 *    is within δ_j = 2Δ + (rounding of the subtraction: 0 when x_j − m is exactly an f32 value and Δ = 0, else one
 *    spacing at |d_j| + 2Δ) + flush terms (x_j, m or d_j subnormal may flush: < 2^-126 each).
 * 2. exp(d̂_j) then lies in [exp(d_j − δ_j), exp(d_j + δ_j)], and the kernel's exp is within expBound of it
 *    (3 + 2|d̂_j| ULP, taken at the largest |d̂_j| and largest result), plus 2^-126 if the result may be flushed.
 *    The exp2 form (numeratorError) moves the argument further, by the rounding of log2(e) and of the product, and
 *    allows exp2's 3 + 2|t̂| ULP at the scaled t̂ ≈ 1.44 d̂. So |ê_j − e_j| ≤ E_j.
 * 3. Ŝ sums the ê_j (all ≥ 0) in any order: |Ŝ − Σ ê_j| ≤ sumBound(Σ ê_j, n) (γ_{n−1}, valid for every order, the
 *    tree included), and |Σ ê_j − S| ≤ Σ E_j; together δS ('any' and 'online': see their functions).
 * 4. ê_j / Ŝ − e_j / S = (ê_j − e_j)/Ŝ + e_j (S − Ŝ)/(S Ŝ), so |ê_j/Ŝ − y_j| ≤ (E_j + y_j δS) / (S − δS), with no
 *    first-order approximation. The division adds 2.5 ULP of its result (taken at the largest possible quotient).
 *    The reciprocal form ('any' only) instead rounds r̂ = 1 / Ŝ within 2.5 ULP of r and then the product ê_j · r̂:
 *    (e_j + E_j) · 2.5 ULP(r) + one spacing at the largest product. Either way 2^-126 more where the quotient may be
 *    subnormal and flushed.
 * 5. The f64 reference is itself off by a few f64 roundings: y_j · (n + 4) · 2^-52 covers them.
 */
export function softmaxRowTolerance(x: ArrayLike<number>, y: ArrayLike<number>, inputError = 0, sum: SoftmaxSum = 'any'): Float64Array {
  const n = x.length;
  const tol = new Float64Array(n);
  // No finite bound for the row: a logit that is ±Infinity or NaN (a mask written as −Infinity: WGSL makes every
  // result computed from it indeterminate), or a normaliser whose bound δS reaches S itself (logits given with an
  // error of about 0.4 or more): the quotient's bound would divide by S − δS ≤ 0, which gave negative bounds and NaN
  // (trial 87's attention scores), where the derivation simply has no finite answer.
  if (!finiteRow(x)) return tol.fill(Infinity);
  const { e, E, S, deltaS } = normaliserBound(x, inputError, sum);
  const lowS = S - deltaS;
  if (!(lowS > 0)) return tol.fill(Infinity);
  // The reciprocal's own error, at the largest 1 / Ŝ (nextUp: the ULP is measured at the result).
  const recipErr = sum === 'any' ? divisionBound(1, lowS, nextUp(1 / lowS)) : 0;
  for (let j = 0; j < n; j++) {
    const first = (E[j]! + y[j]! * deltaS) / (S - deltaS);
    const top = e[j]! + E[j]!;
    const qmax = top / lowS;
    // nextUp: divisionBound measures ULP at the quotient, and a power of two has a smaller ULP below it.
    let last = divisionBound(e[j]!, lowS, nextUp(qmax));
    if (sum === 'any') {
      const pmax = top * (1 / lowS + recipErr);
      last = Math.max(last, top * recipErr + correctlyRoundedBound(nextUp(pmax)));
    }
    // A quotient that may be subnormal may be flushed to 0.
    if (Math.max(0, e[j]! - E[j]!) / (S + deltaS) < MIN_NORMAL_F32) last += MIN_NORMAL_F32;
    tol[j] = first + last + y[j]! * (n + 4) * 2 ** -52;
  }
  return tol;
}

/** Whether every logit of a row is finite: a row with one that is not has no finite bound. */
export function finiteRow(x: ArrayLike<number>): boolean {
  for (let j = 0; j < x.length; j++) if (!Number.isFinite(x[j]!)) return false;
  return true;
}

/** The row's normaliser S = Σ exp(x_j − max) and a bound δS on |Ŝ − S| (steps 1–3 above), with each exp(x_j − max),
 *  e_j, and the bound E_j on the kernel's numerator ê_j. */
export interface Normaliser {
  m: number;
  e: Float64Array;
  E: Float64Array;
  S: number;
  deltaS: number;
}

export function normaliserBound(x: ArrayLike<number>, inputError = 0, sum: SoftmaxSum = 'any'): Normaliser {
  if (sum !== 'direct' && inputError !== 0) {
    throw new RangeError(`the softmax bound for sum '${sum}' assumes exact logits (inputError 0); for logits with an error, pass sum 'direct' (exp(x_j − max) summed, then divided)`);
  }
  const n = x.length;
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, x[j]!);
  const e = new Float64Array(n);
  const E = new Float64Array(n);
  let S = 0;
  let sumE = 0;
  for (let j = 0; j < n; j++) {
    const d = x[j]! - m;
    e[j] = Math.exp(d);
    S += e[j]!;
    const err = numeratorError(d, differenceError(x[j]!, m, inputError), e[j]!, sum === 'any');
    E[j] = err;
    sumE += err;
  }
  const direct = sumE + sumBound(S + sumE, n);
  // The f64 simulation of the online sum rounds too: n·2^-50 S covers it.
  const deltaS = sum === 'direct' ? direct : sum === 'online' ? onlineSumError(x, m) + n * 2 ** -50 * S : anyNormaliserError(x, m, e) + n * 2 ** -50 * S;
  return { m, e, E, S, deltaS };
}

/**
 * |ê − exp(d)| for an ê computed from an argument d̂ within δ of d: as exp(d̂) (3 + 2|d̂| ULP), or, with
 * `scaled`, the larger of that and exp2(t̂), t̂ = fl(d̂ · ĉ) with ĉ = log2(e) to f32 precision. ĉ and the product
 * each round once (relative u = 2^-23 each, the spec's "correctly rounded": either neighbour), so
 * t̂ = d̂ log2(e) (1 + θ), |θ| ≤ 2u + u², and exp2(t̂) = exp(d̂ (1 + θ)): the argument moves by |d̂| θ more (and by
 * 2^-126 if t̂ is a flushed subnormal), and exp2 allows 3 + 2|t̂| ULP. 2^-126 more where the result may be flushed.
 * Where |t̂| may pass MAX_F32 (|d| above about 2.36e38) the product overflows, an indeterminate value in WGSL, so the
 * exp2 form is not a correct softmax there and only the exp form is covered.
 */
function numeratorError(d: number, delta: number, e: number, scaled: boolean): number {
  const arg = Math.abs(d) + delta;
  const plain = expWithin(d, e, delta, arg, false);
  if (!scaled) return plain;
  const theta = 2 * U + U * U;
  const moved = delta + arg * theta + (arg * Math.LOG2E < MIN_NORMAL_F32 ? MIN_NORMAL_F32 : 0);
  // |t̂| ≤ |d̂| · log2(e) · (1 + u)²: ĉ and the product each round once.
  const t = (Math.abs(d) + moved) * Math.LOG2E * (1 + U) ** 2;
  // A product that may overflow is an indeterminate value in WGSL: that exp2 form is no softmax for this element.
  if (t > MAX_F32) return plain;
  return Math.max(plain, expWithin(d, e, moved, t, true));
}

/** The error of an exp whose exact argument is within `moved` of d (e = exp(d)), off by at most its own allowance at
 *  the larger result: expBound(arg, ·), or with `exp2` exp2Bound(arg, ·). A function of its own, not a closure per
 *  element: the CLI runs through tsx, whose esbuild keeps function names, so every closure made costs a
 *  defineProperty (it was a fifth of softmax_online's harness time). */
function expWithin(d: number, e: number, moved: number, arg: number, exp2: boolean): number {
  const hi = Math.exp(d + moved);
  const lo = Math.exp(d - moved);
  let err = Math.max(hi - e, e - lo) + (exp2 ? exp2Bound(arg, hi) : expBound(arg, hi));
  if (lo - err < MIN_NORMAL_F32) err += MIN_NORMAL_F32;
  return err;
}

/** How a kernel forms the row's normaliser: 'direct' sums exp(x_j − max) in any order (softmax.wgsl); 'online'
 *  follows softmax_online.wgsl's own lanes and tree (both with exp and a division); 'any' holds for both algorithms in
 *  any order or tree (anyNormaliserError), each exp as exp or as exp2 of the scaled argument, and the quotient divided
 *  or multiplied by the reciprocal: the family's default. */
export type SoftmaxSum = 'direct' | 'online' | 'any';

/** The relative error per unit of |argument| of one exp factor, in u (anyNormaliserError's K): the subtraction's
 *  rounding 1, then exp's 2(1 + u), or for the exp2 form the scaling's θ/u = 2 + u (times 1 + u) and exp2's
 *  2 log2(e) (1 + θ)(1 + u). */
const PER_ARGUMENT = Math.max(3 + 2 * U, 1 + (2 + U) * (1 + U) + 2 * Math.LOG2E * (1 + 2 * U + U * U) * (1 + U));

/**
 * A bound on |Ŝ − S| for ANY normaliser that sums exp(x_j − max), directly or online (running maxima merged in any
 * order or tree, as in Milakov & Gimelshein 2018), with any association of the additions.
 *
 * Derivation (u = 2^-23, η = 2^-126, τ = 2^-149; x the row, M its max, d_j = x_j − M ≤ 0, e_j = exp(d_j)).
 * Maxima are exact (max never rounds), so every running max is a row value. Term j enters the sum as
 * exp(fl(x_j − m_0)) with m_0 ≥ x_j the max of the state it joins; each later merge into a state with a larger max
 * m' multiplies it by exp(fl(m − m')) and the running max strictly grows, through row values above x_j. So its
 * computed contribution is e_j times c_j exp factors, c_j ≤ 1 + #{distinct row values > x_j} (the direct algorithm
 * is c_j = 1), whose exact arguments a_k ≤ 0 telescope: Σ|a_k| = |d_j|. Per factor (WGSL exp: 3 + 2|â| ULP, ULP(v) ≤
 * max(u v, τ); the subtraction correctly rounded: |â − a| ≤ u|a|, or η if flushed) the relative error is at most
 * exp(u|a_k| + η) (1 + (3 + 2(1 + u)|a_k| + 2η) u) − 1, plus the absolute (3 + 2|â_k|) τ of a subnormal result;
 * over the chain, with ln(1 + t) ≤ t, relative L_j = 3 c_j u + K u |d_j| + 4 c_j η with K = 3 + 2u. A factor
 * formed as exp2(fl(â · ĉ)), ĉ = log2(e) to f32 precision, has t̂ = â log2(e) (1 + θ), |θ| ≤ 2u + u² (ĉ and the
 * product each round once), so exp2(t̂) = exp(â (1 + θ)) moves the argument by (1 + u)(2 + u) u |a_k| more, exp2 adds
 * (3 + 2|t̂|) ULP with |t̂| ≤ log2(e)(1 + θ)(1 + u)|a_k|, a flushed t̂ one η more, and its subnormal-result term
 * 2|t̂| τ stays under 3|a_k| τ: K is the larger of the two forms' (PER_ARGUMENT). It then meets at most
 * c_j − 1 rounding multiplications and n − 1 rounding additions (Higham §4.2: any tree), each (1 + u), and each
 * operation may flush a subnormal (η). Hence
 *   |Ŝ − S| ≤ Σ_j [ e_j (exp(L_j) (1 + u)^(c_j + n − 2) − 1) + (3 c_j + 3|d_j|) τ + 2 (c_j + n) η ].
 * A fused multiply-add drops a rounding, which the count covers. Compared with 'direct' it grows by about 3 c_j u
 * per term (the elements near the max, the bulk of S, have small c_j), and by 2.9 u |d_j| for the exp2 form.
 */
function anyNormaliserError(x: ArrayLike<number>, max: number, e: Float64Array): number {
  const n = x.length;
  // The row's distinct values (−0 as +0), ascending: c_j − 1 is the count of those above x_j. A typed array's
  // numeric sort and a binary search, where a Set, a sorted Array and a Map cost several times the rest of the bound.
  const sorted = new Float64Array(n);
  for (let j = 0; j < n; j++) sorted[j] = x[j]! + 0;
  sorted.sort();
  let distinct = 0;
  for (let j = 0; j < n; j++) if (j === 0 || sorted[j] !== sorted[distinct - 1]) sorted[distinct++] = sorted[j]!;
  const tau = 2 ** -149;
  let err = 0;
  for (let j = 0; j < n; j++) {
    // The first index whose value is above x_j: the values there and past it are the ones above.
    const v = x[j]! + 0;
    let lo = 0;
    let hi = distinct;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! > v) hi = mid;
      else lo = mid + 1;
    }
    const c = 1 + distinct - lo;
    const d = Math.abs(x[j]! - max);
    const L = 3 * c * U + PER_ARGUMENT * U * d + 4 * c * MIN_NORMAL_F32 + (c + n - 2) * Math.log1p(U);
    err += (e[j]! === 0 ? 0 : e[j]! * Math.expm1(L)) + (3 * c + 3 * d) * tau + 2 * (c + n) * MIN_NORMAL_F32;
  }
  return err;
}

/** How far the kernel's fl(a − b) may be from the exact a − b, for f32 a ≥ b given within Δ = inputError of the
 *  exact values (step 1 above): 2Δ, the subtraction's rounding unless it is exact, and 2^-126 for each operand or
 *  result that may be a flushed subnormal. */
function differenceError(a: number, b: number, inputError: number): number {
  const d = a - b;
  const exact = inputError === 0 && isF32(d) && subtractionIsExact(a, b, d);
  let delta = 2 * inputError + (exact ? 0 : correctlyRoundedBound(Math.abs(d) + 2 * inputError));
  if (Math.abs(a) < MIN_NORMAL_F32 || Math.abs(b) < MIN_NORMAL_F32 || Math.abs(d) < MIN_NORMAL_F32) delta += 3 * MIN_NORMAL_F32;
  return delta;
}

/** |exp(fl(a − b)) − exp(a − b)| for f32 a, b (steps 1–2 above, the exp form). */
function expOfDifferenceError(a: number, b: number): number {
  return numeratorError(a - b, differenceError(a, b, 0), Math.exp(a - b), false);
}

/**
 * A bound on |Ŝ − S| for softmax_online.wgsl's normaliser, by running error analysis along the kernel's own order:
 * lane l (of 256) walks the columns l, l + 256, … from (m, s) = (x_0, 0); a value v ≤ m adds exp(v − m), a larger
 * one makes s = s·exp(m − v) + 1 and m = v; then a stride-halving tree (128, …, 1) merges lanes as
 * s = s1·exp(m1 − M) + s2·exp(m2 − M), M = max(m1, m2). m is exact (max never rounds), so the exact-arithmetic s
 * of each step is known (in f64); with e its error bound so far and F an exp's error (expOfDifferenceError):
 *   s + ê:      e' = e + F + ulpOf(s + ê bound) + η   (the sum rounds once; η if it is subnormal and flushed)
 *   s·f̂:        e' = e (f + F) + s F + ulpOf(product bound) + η
 * In exact arithmetic the root's s is S = Σ exp(x_j − max) (the rescales telescope), so its e bounds |Ŝ − S|.
 */
function onlineSumError(x: ArrayLike<number>, max: number): number {
  const n = x.length;
  const WG = 256;
  const m = new Float64Array(WG);
  const s = new Float64Array(WG);
  const e = new Float64Array(WG);
  const rounded = (v: number) => ulpOf(v) + MIN_NORMAL_F32;
  // s·exp(a − b), with s within err: returns the exact product and the bound on the computed one.
  const scale = (sv: number, err: number, a: number, b: number): [number, number] => {
    const f = Math.exp(a - b);
    const F = expOfDifferenceError(a, b);
    const p = sv * f;
    const pe = err * (f + F) + sv * F;
    return [p, pe + rounded(p + pe)];
  };
  for (let l = 0; l < WG; l++) {
    let mv = x[0]!;
    let sv = 0;
    let ev = 0;
    for (let j = l; j < n; j += WG) {
      const v = x[j]!;
      if (v > mv) {
        const [p, pe] = scale(sv, ev, mv, v);
        sv = p + 1;
        ev = pe + rounded(sv + pe);
        mv = v;
      } else {
        const t = Math.exp(v - mv);
        const F = expOfDifferenceError(v, mv);
        sv += t;
        ev = ev + F + rounded(sv + ev + F);
      }
    }
    m[l] = mv;
    s[l] = sv;
    e[l] = ev;
  }
  for (let st = WG / 2; st > 0; st >>= 1) {
    for (let l = 0; l < st; l++) {
      const mm = Math.max(m[l]!, m[l + st]!);
      const [p1, e1] = scale(s[l]!, e[l]!, m[l]!, mm);
      const [p2, e2] = scale(s[l + st]!, e[l + st]!, m[l + st]!, mm);
      s[l] = p1 + p2;
      e[l] = e1 + e2 + rounded(p1 + p2 + e1 + e2);
      m[l] = mm;
    }
  }
  if (m[0] !== max) throw new Error(`online sum simulation: max ${m[0]} is not the row's max ${max}`);
  return e[0]!;
}

/** TwoSum's error term is 0: the f64 difference d = x − m is the real one (it is, unless exponents are far apart). */
function subtractionIsExact(x: number, m: number, d: number): boolean {
  const bb = d - x;
  return (x - (d - bb)) + (-m - bb) === 0;
}

/**
 * The allowed |ŷ − y| of a whole softmax, row by row: softmaxRowTolerance on each row.
 * @param x the logits as the kernel was given them: rows × cols, row-major, f32 values
 * @param y the exact softmax of x (a float64 reference), the same shape
 * @param inputError how far the logits handed to the kernel may be from the exact ones (an earlier layer's error):
 *   one bound for every row, or one per row; 0 when x is the kernel's input itself
 * @param sum which implementations to cover (SoftmaxSum); 'any' covers every one that forms exp(x_j − max)
 * @returns rows × cols absolute bounds, Infinity where none is finite (an overflow is indeterminate in WGSL)
 * @throws RangeError when inputError is not 0 and sum is not 'direct': only the direct sum's bound is derived for
 *   inexact logits
 */
export function softmaxTolerance(x: ArrayLike<number>, y: ArrayLike<number>, rows: number, cols: number, inputError: ArrayLike<number> | number = 0, sum: SoftmaxSum = 'any'): Float64Array {
  const tol = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const s = r * cols;
    const err = typeof inputError === 'number' ? inputError : inputError[r]!;
    tol.set(softmaxRowTolerance(Array.prototype.slice.call(x, s, s + cols), Array.prototype.slice.call(y, s, s + cols), err, sum), s);
  }
  return tol;
}
