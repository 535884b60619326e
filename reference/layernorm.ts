// Layer normalisation of each row in float64: (x − mean) / sqrt(var + eps), biased (1/cols) variance.
// Two-pass (mean, then squared deviations), so the f64 result is within a few f64 ulps relative to the row's scale.

export interface RowStats {
  mean: number;
  /** Σ (x_j − mean)², not divided by cols. */
  ss: number;
}

export function rowStats(x: ArrayLike<number>, base: number, cols: number): RowStats {
  let s = 0;
  for (let j = 0; j < cols; j++) s += x[base + j]!;
  const mean = s / cols;
  let ss = 0;
  for (let j = 0; j < cols; j++) ss += (x[base + j]! - mean) ** 2;
  return { mean, ss };
}

export function layernorm(x: ArrayLike<number>, rows: number, cols: number, eps: number): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const { mean, ss } = rowStats(x, base, cols);
    const s = 1 / Math.sqrt(ss / cols + eps);
    for (let j = 0; j < cols; j++) y[base + j] = (x[base + j]! - mean) * s;
  }
  return y;
}
