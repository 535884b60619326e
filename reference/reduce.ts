// Sum and max of a vector in float64. The f64 sum of up to 2^24 f32 values is within n·2^-53·Σ|x| of the exact
// sum: about 2^-29 Σ|x| at most, far below the f32 bound it is compared under.
export function sum(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}

export function sumAbs(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]!);
  return s;
}

/** Max of a non-empty vector (NaN-free inputs). */
export function max(x: ArrayLike<number>): number {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]!);
  return m;
}
