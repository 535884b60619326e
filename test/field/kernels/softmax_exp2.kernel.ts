// A softmax in another style (online maxima, exp2, a reciprocal): one workgroup of 64 lanes per row.
import type { KernelSpec } from 'kernelscope/kit';

export interface SoftmaxShape {
  rows: number;
  cols: number;
}

const spec: KernelSpec<SoftmaxShape> = {
  name: 'softmax_exp2',
  wgsl: 'softmax_exp2.wgsl',
  description: 'Row softmax: 64 lanes with running maxima and sums merged by a workgroup tree, exp2 of the scaled argument, times the reciprocal of the sum; one workgroup per row.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
    y: { role: 'output', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
  },
  stages: (s) => [{
    wgsl: 'softmax_exp2.wgsl',
    bind: { x: 'x', y: 'y', params: { uniform: { rows: s.rows, cols: s.cols } } },
    workgroups: () => [s.rows, 1, 1],
  }],
};

export default spec;
