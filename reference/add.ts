// c = a + b in float64. For f32 inputs the f64 sum is exact unless the exponents differ by more than 29; the add
// family's correctly-rounded check recovers the exact sum with TwoSum where it matters.
export function add(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const c = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) c[i] = a[i]! + b[i]!;
  return c;
}
