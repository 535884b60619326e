// Row-wise log-softmax in float64: y_j = (x_j − max) − log Σ_k exp(x_k − max). Finite for any finite row whose
// x_j − max is; off from the exact value by a few f64 ulps of |x_j| + |max| + log n.
export function logSoftmax(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[base + j]!);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[base + j]! - m);
    const l = Math.log(s);
    for (let j = 0; j < cols; j++) y[base + j] = (x[base + j]! - m) - l;
  }
  return y;
}
