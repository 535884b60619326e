// Layer normalisation of each row (no gain or bias), one workgroup per row.
import type { KernelSpec } from '../harness/spec.ts';
import { spread } from './reduce_sum.kernel.ts';

export interface LayernormShape {
  rows: number;
  cols: number;
  /** Added to the variance; an f32 value. */
  eps: number;
}

const spec: KernelSpec<LayernormShape> = {
  name: 'layernorm',
  wgsl: 'layernorm.wgsl',
  description: 'Per row: (x − mean) / sqrt(var + eps), biased variance, rows shifted by their first element; one workgroup per row, tree sums in workgroup memory.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
    y: { role: 'output', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
  },
  stages: (s) => [{
    wgsl: 'layernorm.wgsl',
    entry: 'main',
    bind: { x: 'x', y: 'y', params: { uniform: { rows: s.rows, cols: s.cols, eps: s.eps } } },
    workgroups: (_, limits) => spread(s.rows, limits),
  }],
  // The smallest dispatch past 65,535 workgroups: a second row of workgroups over y.
  spreadShape: { rows: 65536, cols: 1, eps: 1e-5 },
};

export default spec;
