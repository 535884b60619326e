// GELU, tanh form, in float64: 0.5 x (1 + tanh(sqrt(2/π) (x + 0.044715 x³))). The constants are the real ones;
// the kernel's f32 constants differ by at most half an f32 spacing, which its bound accounts for.
export const GELU_K = Math.sqrt(2 / Math.PI);
export const GELU_C = 0.044715;

export function geluInner(x: number): number {
  return GELU_K * (x + GELU_C * x * x * x);
}

export function gelu(x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    y[i] = 0.5 * v * (1 + Math.tanh(geluInner(v)));
  }
  return y;
}
