// Row-wise softmax: one workgroup per row, reductions in workgroup memory.
import type { KernelSpec } from '../harness/spec.ts';

export interface SoftmaxShape {
  rows: number;
  cols: number;
}

const spec: KernelSpec<SoftmaxShape> = {
  name: 'softmax',
  wgsl: 'softmax.wgsl',
  description: 'Softmax of each row of a rows×cols matrix, max-subtracted; one workgroup per row, tree reductions in workgroup memory.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
    y: { role: 'output', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
  },
  stages: (s) => [
    {
      wgsl: 'softmax.wgsl',
      entry: 'main',
      bind: { x: 'x', y: 'y', params: { uniform: { rows: s.rows, cols: s.cols } } },
      workgroups: () => [s.rows, 1, 1],
    },
  ],
};

export default spec;
