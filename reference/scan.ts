// Inclusive scans in float64: prefix sums, and prefix compositions of affine maps.

export function inclusiveSum(x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) y[i] = s += x[i]!;
  return y;
}

/** Σ_{j ≤ i} |x_j| for each i: the scale of each prefix sum's rounding error. */
export function inclusiveSumAbs(x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) y[i] = s += Math.abs(x[i]!);
  return y;
}

/**
 * Affine maps f(v) = a v + b stored as pairs (x[2i], x[2i + 1]); y_i = f_i ∘ ... ∘ f_0, "f_0 applied first":
 * (a1, b1) then (a2, b2) is (a1 a2, a2 b1 + b2).
 */
export function composeAffine(first: readonly [number, number], second: readonly [number, number]): [number, number] {
  return [first[0] * second[0], second[0] * first[1] + second[1]];
}

export function inclusiveAffine(x: ArrayLike<number>): Float64Array {
  const n = x.length / 2;
  const y = new Float64Array(x.length);
  let acc: [number, number] = [1, 0];
  for (let i = 0; i < n; i++) {
    acc = composeAffine(acc, [x[2 * i]!, x[2 * i + 1]!]);
    y[2 * i] = acc[0];
    y[2 * i + 1] = acc[1];
  }
  return y;
}
