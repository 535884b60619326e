// Max of n f32 values by the same chain of 512-fold tree passes as reduce_sum.
import type { KernelSpec } from '../harness/spec.ts';
import { REDUCE_BLOCK, reduceBuffers, reducePasses, type ReduceShape } from './reduce_sum.kernel.ts';

const spec: KernelSpec<ReduceShape> = {
  name: 'reduce_max',
  wgsl: 'reduce_max.wgsl',
  description: 'Max of n f32 values (up to 2^24): 512 elements per workgroup folded by a tree in workgroup memory, passes chained until one value is left.',
  buffers: reduceBuffers(),
  stages: (s) => reducePasses('reduce_max.wgsl', s.n),
  // The smallest dispatch past 65,535 workgroups: a second row of workgroups over y.
  spreadShape: { n: 65535 * REDUCE_BLOCK + 1 },
};

export default spec;
