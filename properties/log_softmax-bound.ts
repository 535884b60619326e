// The log-softmax bound: the allowed |ŷ_j − y_j| for one row of y_j = (x_j − max) − log Σ_k exp(x_k − max), in WGSL
// f32. The log_softmax family judges with it and the kit exports it.
//
// Which implementations the bound covers: the normaliser S formed directly or online, in any order or tree, each
// exponential as exp or as exp2 of the argument times log2(e) (normaliserBound 'any'), then
// either (x_j − max) − log S or x_j − (max + log S).
// Not covered: log(softmax(x)), which underflows to log(0) = −∞ for x_j − max below about −104: not a correct
// log-softmax in f32.
//
// Bound (derivation; u = 2^-23, η = 2^-126; WGSL spec "Floating Point Accuracy": log "absolute error at most 2^-21
// for x in [0.5, 2], 3 ULP outside", + − correctly rounded). Per row, S ≥ 1 (the max's own term is exp(0)):
//  1. Ŝ within δS of S (normaliserBound), so |log Ŝ − log S| ≤ −log(1 − δS/S); log's own error is at most
//     max(2^-21, 3 ULP of log(S + δS)): δl is their sum.
//  2. d_j = x_j − max rounds once (0 when exact), δd_j; the other form rounds max + log Ŝ instead, at most
//     ulpOf(|max| + log S + δl). Both are added, so either form is covered.
//  3. The final subtraction rounds once, at most ulpOf(|y_j| + the errors so far), and a flushed subnormal η each.
//  4. The f64 reference itself: (|x_j| + |max| + log S + 1) · 2^-51.
// An exact y_j beyond MAX_F32 (x_j − max overflows) has no finite bound (Infinity: an overflow is indeterminate).
import { MAX_F32, MIN_NORMAL_F32 as ETA, ulpOf } from '../harness/bounds/f32.ts';
import { finiteRow, normaliserBound } from './softmax-bound.ts';

export function logSoftmaxRowTolerance(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  const n = x.length;
  // As softmaxRowTolerance: no finite bound for a row with a logit that is not finite, or whose δS reaches S.
  if (!finiteRow(x)) return new Float64Array(n).fill(Infinity);
  const { m, S, deltaS } = normaliserBound(x, 0, 'any');
  if (!(deltaS < S)) return new Float64Array(n).fill(Infinity);
  const l = Math.log(S);
  const dl = -Math.log1p(-deltaS / S) + Math.max(2 ** -21, 3 * ulpOf(Math.log(S + deltaS)));
  const sumRound = ulpOf(Math.abs(m) + l + dl);
  const tol = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const d = x[j]! - m;
    if (!(Math.abs(d) <= MAX_F32) || !(Math.abs(y[j]!) <= MAX_F32)) {
      tol[j] = Infinity;
      continue;
    }
    const dd = Math.fround(d) === d && d - x[j]! === -m ? 0 : ulpOf(d);
    const flush = Math.abs(x[j]!) < ETA || Math.abs(m) < ETA || Math.abs(d) < ETA ? 3 * ETA : 0;
    const before = dd + dl + sumRound + flush;
    tol[j] = before + ulpOf(Math.abs(y[j]!) + before) + ETA + (Math.abs(x[j]!) + Math.abs(m) + l + 1) * 2 ** -51;
  }
  return tol;
}

/**
 * The allowed |ŷ − y| of a whole log-softmax, row by row (logSoftmaxRowTolerance, the derivation above).
 * @param x the logits as the kernel was given them: rows × cols, row-major, f32 values
 * @param y the exact log-softmax of x (a float64 reference), the same shape
 * @returns rows × cols absolute bounds, Infinity where none is finite
 */
export function logSoftmaxTolerance(x: ArrayLike<number>, y: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const tol = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const s = r * cols;
    tol.set(logSoftmaxRowTolerance(Array.prototype.slice.call(x, s, s + cols), Array.prototype.slice.call(y, s, s + cols)), s);
  }
  return tol;
}
