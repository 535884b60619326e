// Row sums through subgroupAdd (needs the `subgroups` feature: the WGSL's `enable subgroups;` requests it).
import type { KernelSpec } from 'kernelscope/kit';

export interface RowsShape {
  rows: number;
  cols: number;
}

const spec: KernelSpec<RowsShape> = {
  name: 'subgroup_sum',
  wgsl: 'subgroup_sum.wgsl',
  description: 'Sum of each row of a rows×cols matrix; subgroupAdd inside each subgroup, partials in workgroup memory.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.rows * s.cols, dims: (s) => [s.rows, s.cols] },
    y: { role: 'output', type: 'f32', length: (s) => s.rows },
  },
  stages: (s) => [{ wgsl: 'subgroup_sum.wgsl', bind: { x: 'x', y: 'y', params: { uniform: { rows: s.rows, cols: s.cols } } }, workgroups: () => [s.rows, 1, 1] }],
};

export default spec;
