// The logistic sigmoid 1 / (1 + e^−x) in float64, in the form that does not overflow for either sign.
/** sigmoid of each element; `expNegAbs`, when given, receives each element's e^−|x| (sigmoid's bound needs it too). */
export function sigmoid(x: ArrayLike<number>, expNegAbs?: Float64Array): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const e = Math.exp(-Math.abs(v));
    if (expNegAbs) expNegAbs[i] = e;
    y[i] = v >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
  return y;
}
