// Row-wise log-softmax (ONNX LogSoftmax, last axis): one workgroup per row, reductions in workgroup memory.
import type { KernelSpec } from '../harness/spec.ts';

export interface LogSoftmaxShape {
  rows: number;
  cols: number;
}

const spec: KernelSpec<LogSoftmaxShape> = {
  name: 'log_softmax',
  wgsl: 'log_softmax.wgsl',
  description: 'Log-softmax of each row of a rows×cols matrix, (x − max) − log Σ exp(x − max); one workgroup per row, tree reductions in workgroup memory.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
    y: { role: 'output', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
  },
  stages: (s) => [
    {
      wgsl: 'log_softmax.wgsl',
      entry: 'main',
      bind: { x: 'x', y: 'y', params: { uniform: { rows: s.rows, cols: s.cols } } },
      workgroups: () => [s.rows, 1, 1],
    },
  ],
};

export default spec;
