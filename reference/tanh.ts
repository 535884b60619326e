// tanh in float64 (Math.tanh: correctly rounded or within an f64 ulp, far below any f32 bound).
export function tanh(x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]!);
  return y;
}
