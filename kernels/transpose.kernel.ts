// b = aᵀ through 16 × 16 tiles in workgroup memory.
import type { KernelSpec } from '../harness/spec.ts';

export interface TransposeShape {
  rows: number;
  cols: number;
}

const spec: KernelSpec<TransposeShape> = {
  name: 'transpose',
  wgsl: 'transpose.wgsl',
  description: 'Transpose of a rows × cols f32 matrix through 16 × 16 tiles in workgroup memory (padded rows); bit-exact.',
  buffers: {
    a: { role: 'input', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
    b: { role: 'output', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.cols, s.rows] },
  },
  stages: (s) => [{
    wgsl: 'transpose.wgsl',
    entry: 'main',
    bind: { a: 'a', b: 'b', params: { uniform: { rows: s.rows, cols: s.cols } } },
    // x walks a's columns, y its rows, one tile per workgroup.
    workgroups: ([wx, wy]) => [Math.ceil(s.cols / wx), Math.ceil(s.rows / wy), 1],
  }],
};

export default spec;
