// Row-wise softmax in float64, max-subtracted (so it is finite for any finite input). The f64 result differs from
// the exact softmax by a few f64 ulps, far below any f32 bound.
export function softmax(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[base + j]!);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[base + j]! - m);
    for (let j = 0; j < cols; j++) y[base + j] = Math.exp(x[base + j]! - m) / s;
  }
  return y;
}
