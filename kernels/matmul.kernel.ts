// C = A·B + bias, naive: one invocation per element of C on a 2-D grid rounded up to whole workgroups.
import type { KernelSpec } from '../harness/spec.ts';

export interface MatmulShape {
  M: number;
  N: number;
  K: number;
}

const spec: KernelSpec<MatmulShape> = {
  name: 'matmul',
  wgsl: 'matmul.wgsl',
  description: 'C = A·B + bias with A M×K, B K×N, bias N, C M×N (row-major); one invocation per output element.',
  buffers: {
    a: { role: 'input', type: 'f32', length: (s) => s.M * s.K, dims: (s) => [s.M, s.K] },
    b: { role: 'input', type: 'f32', length: (s) => s.K * s.N, dims: (s) => [s.K, s.N] },
    bias: { role: 'input', type: 'f32', length: (s) => s.N },
    c: { role: 'output', type: 'f32', length: (s) => s.M * s.N, dims: (s) => [s.M, s.N] },
  },
  stages: (s) => [
    {
      wgsl: 'matmul.wgsl',
      entry: 'main',
      bind: { a: 'a', b: 'b', bias: 'bias', c: 'c', params: { uniform: { M: s.M, N: s.N, K: s.K } } },
      // x walks columns, y walks rows: ceil, so a partial last workgroup covers the ragged edge.
      workgroups: ([wx, wy]) => [Math.ceil(s.N / wx), Math.ceil(s.M / wy), 1],
    },
  ],
};

export default spec;
