// C = A·B + bias in float64, A M×K, B K×N, bias N, row-major. Also returns |A|·|B| + |bias|, the magnitude the
// rounding-error bound is proportional to.
export interface MatmulResult {
  c: Float64Array;
  /** Σ_k |a_ik||b_kj| + |bias_j| per output element. */
  abs: Float64Array;
}

export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, bias: ArrayLike<number>, M: number, N: number, K: number): MatmulResult {
  const c = new Float64Array(M * N);
  const abs = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let t = 0;
      for (let k = 0; k < K; k++) {
        const p = a[i * K + k]! * b[k * N + j]!;
        s += p;
        t += Math.abs(p);
      }
      c[i * N + j] = s + bias[j]!;
      abs[i * N + j] = t + Math.abs(bias[j]!);
    }
  }
  return { c, abs };
}
