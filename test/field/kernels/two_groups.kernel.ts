// Two bind groups: the harness reads each variable's group and binding from the WGSL.
import type { KernelSpec } from 'kernelscope/kit';

export interface MatShape {
  rows: number;
  cols: number;
}

const spec: KernelSpec<MatShape> = {
  name: 'two_groups',
  wgsl: 'two_groups.wgsl',
  description: 'y[r, c] = x[r, c]·gain[c] + shift[c]; data in @group(0), parameters in @group(1).',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
    gain: { role: 'input', type: 'f32', length: (s) => s.cols },
    shift: { role: 'input', type: 'f32', length: (s) => s.cols },
    y: { role: 'output', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
  },
  stages: (s) => [{
    wgsl: 'two_groups.wgsl',
    bind: { x: 'x', y: 'y', gain: 'gain', shift: 'shift', dims: { uniform: { rows: s.rows, cols: s.cols } } },
    workgroups: ([wx]) => [Math.ceil((s.rows * s.cols) / wx), 1, 1],
  }],
};

export default spec;
