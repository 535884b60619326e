// The logistic sigmoid 1 / (1 + e^−x) in float64, in the form that does not overflow for either sign.
export function sigmoid(x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const e = Math.exp(-Math.abs(v));
    y[i] = v >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
  return y;
}
