// y = max(x, 0) in float64 (exact: relu only selects).
export function relu(x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i]! > 0 ? x[i]! : 0;
  return y;
}
