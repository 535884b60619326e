// Counts of keys into bins, bin = key mod bins.
export function histogram(keys: ArrayLike<number>, bins: number): Float64Array {
  const counts = new Float64Array(bins);
  for (let i = 0; i < keys.length; i++) counts[(keys[i]! >>> 0) % bins]! += 1;
  return counts;
}
