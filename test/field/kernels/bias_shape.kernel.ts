// A uniform with vec2 fields, given as plain arrays in the spec and packed by the WGSL's own layout.
import type { KernelSpec } from 'kernelscope/kit';

export interface MatShape {
  rows: number;
  cols: number;
  scale: number;
}

const spec: KernelSpec<MatShape> = {
  name: 'bias_shape',
  wgsl: 'bias_shape.wgsl',
  description: 'y[r, c] = x[r, c]·scale + bias[c]; shape (rows, cols) passed as a vec2<u32> uniform field.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
    bias: { role: 'input', type: 'f32', length: (s) => s.cols },
    y: { role: 'output', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
  },
  stages: (s) => [{
    wgsl: 'bias_shape.wgsl',
    bind: { x: 'x', bias: 'bias', y: 'y', params: { uniform: { shape: [s.rows, s.cols], offset: [0, 0], scale: s.scale } } },
    workgroups: ([wx, wy]) => [Math.ceil(s.cols / wx), Math.ceil(s.rows / wy), 1],
  }],
};

export default spec;
