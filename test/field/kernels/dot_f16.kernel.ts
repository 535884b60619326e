// Scaled row dot products of f16 matrices (needs shader-f16: the WGSL's `enable f16;` requests it).
import type { KernelSpec } from 'kernelscope/kit';

export interface DotShape {
  rows: number;
  cols: number;
}

const spec: KernelSpec<DotShape> = {
  name: 'dot_f16',
  wgsl: 'dot_f16.wgsl',
  description: 'y[r] = f16(scale · Σ_k a[r,k]·b[r,k]) with scale = 1/cols, f16 in and out, accumulated in f32.',
  buffers: {
    a: { role: 'input', type: 'f16', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
    b: { role: 'input', type: 'f16', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
    y: { role: 'output', type: 'f16', length: (s) => s.rows },
  },
  stages: (s) => [{
    wgsl: 'dot_f16.wgsl',
    bind: { a: 'a', b: 'b', y: 'y', params: { uniform: { rows: s.rows, cols: s.cols, scale: 1 / s.cols } } },
    workgroups: ([wx]) => [Math.ceil(s.rows / wx), 1, 1],
  }],
};

export default spec;
