// Row norms with an `override` workgroup size: the pipeline runs with WG = 32 (not the WGSL default of 128), and
// workgroups() is handed the size the pipeline really has, so ceil(rows / 32) workgroups cover every row.
import type { KernelSpec } from 'kernelscope/kit';

export interface RowsShape {
  rows: number;
  cols: number;
}

const spec: KernelSpec<RowsShape> = {
  name: 'row_norm',
  wgsl: 'row_norm.wgsl',
  description: 'y[r] = ‖x[r, :]‖₂, scaled by the row maximum; one invocation per row, workgroup size set by override WG = 32.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
    y: { role: 'output', type: 'f32', length: (s) => s.rows },
  },
  stages: (s) => [{
    wgsl: 'row_norm.wgsl',
    bind: { x: 'x', y: 'y', params: { uniform: { rows: s.rows, cols: s.cols } } },
    constants: { WG: 32 },
    workgroups: ([wx]) => [Math.ceil(s.rows / wx), 1, 1],
  }],
};

export default spec;
