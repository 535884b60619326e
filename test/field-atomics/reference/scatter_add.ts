// out[b] = Σ val[i] over idx[i] = b, in float64; also the terms of each bin, for the summation bound.
export function scatterAdd(idx: ArrayLike<number>, val: ArrayLike<number>, bins: number): { out: Float64Array; terms: number[][] } {
  const out = new Float64Array(bins);
  const terms: number[][] = Array.from({ length: bins }, () => []);
  for (let i = 0; i < idx.length; i++) {
    out[idx[i]!]! += val[i]!;
    terms[idx[i]!]!.push(val[i]!);
  }
  return { out, terms };
}
