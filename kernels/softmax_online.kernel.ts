// Row-wise softmax with the online normaliser (running max, rescaled sum): the softmax family.
import type { KernelSpec } from '../harness/spec.ts';
import type { SoftmaxShape } from './softmax.kernel.ts';
import { spread } from './reduce_sum.kernel.ts';

const spec: KernelSpec<SoftmaxShape> = {
  name: 'softmax_online',
  family: 'softmax',
  wgsl: 'softmax_online.wgsl',
  description: 'Softmax of each row with max and sum found in one pass (Milakov & Gimelshein 2018), merged across the workgroup by a tree of (max, sum) pairs; a second pass writes.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
    y: { role: 'output', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
  },
  stages: (s) => [{
    wgsl: 'softmax_online.wgsl',
    entry: 'main',
    bind: { x: 'x', y: 'y', params: { uniform: { rows: s.rows, cols: s.cols } } },
    workgroups: (_, limits) => spread(s.rows, limits),
  }],
  // The smallest dispatch past 65,535 workgroups: a second row of workgroups over y.
  spreadShape: { rows: 65536, cols: 1 },
};

export default spec;
