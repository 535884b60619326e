// C = A·B + bias with 16 × 16 output tiles per workgroup and 2 × 2 outputs per invocation; the matmul family.
import type { KernelSpec } from '../harness/spec.ts';
import type { MatmulShape } from './matmul.kernel.ts';

const TILE = 16;

const spec: KernelSpec<MatmulShape> = {
  name: 'matmul_tiled',
  family: 'matmul',
  wgsl: 'matmul_tiled.wgsl',
  description: 'C = A·B + bias (A M×K, B K×N, row-major) through 16 × 16 tiles of A and B in workgroup memory; 8 × 8 invocations per workgroup, 2 × 2 outputs each.',
  buffers: {
    a: { role: 'input', type: 'f32', length: (s) => s.M * s.K, dims: (s) => [s.M, s.K] },
    b: { role: 'input', type: 'f32', length: (s) => s.K * s.N, dims: (s) => [s.K, s.N] },
    bias: { role: 'input', type: 'f32', length: (s) => s.N },
    c: { role: 'output', type: 'f32', length: (s) => s.M * s.N, dims: (s) => [s.M, s.N] },
  },
  stages: (s) => [{
    wgsl: 'matmul_tiled.wgsl',
    entry: 'main',
    bind: { a: 'a', b: 'b', bias: 'bias', c: 'c', params: { uniform: { M: s.M, N: s.N, K: s.K } } },
    // One workgroup per 16 × 16 block of C, whatever the workgroup size (each invocation covers a 2 × 2 share).
    workgroups: () => [Math.ceil(s.N / TILE), Math.ceil(s.M / TILE), 1],
  }],
};

export default spec;
