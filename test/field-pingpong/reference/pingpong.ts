// u = 4 u: exact in float64, and in f32 wherever 4 u does not overflow.
export function pingpong(u: ArrayLike<number>): Float64Array {
  return Float64Array.from(u, (v) => 4 * v);
}
