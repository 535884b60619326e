// GELU, tanh form, in float64: 0.5 x (1 + tanh(sqrt(2/π) (x + 0.044715 x³))). The constants are the real ones;
// the kernel's f32 constants differ by at most half an f32 spacing, which its bound accounts for.
export const GELU_K = Math.sqrt(2 / Math.PI);
export const GELU_C = 0.044715;

export function geluInner(x: number): number {
  return GELU_K * (x + GELU_C * x * x * x);
}

/** gelu of each element; `tanhInner`, when given, receives each element's tanh(inner) (gelu's bound needs it too). */
export function gelu(x: ArrayLike<number>, tanhInner?: Float64Array): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    const t = Math.tanh(geluInner(v));
    if (tanhInner) tanhInner[i] = t;
    y[i] = 0.5 * v * (1 + t);
  }
  return y;
}
