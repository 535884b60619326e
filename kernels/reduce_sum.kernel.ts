// Sum of n f32 values by a chain of tree-reduction passes, each shrinking the data 512-fold into scratch buffers.
import type { DispatchLimits, KernelSpec, StageSpec } from '../harness/spec.ts';

export interface ReduceShape {
  n: number;
}

/** Elements one workgroup of reduce_sum.wgsl / reduce_max.wgsl folds into one: two per invocation of 256. */
export const REDUCE_BLOCK = 512;

/** Workgroups for `groups` blocks, spread over y past the per-dimension limit (the WGSL folds y back into x). */
export function spread(groups: number, limits: DispatchLimits): [number, number, number] {
  const x = Math.min(groups, limits.maxComputeWorkgroupsPerDimension);
  return [x, Math.ceil(groups / x), 1];
}

/** Passes x -> p0 -> p1 -> p0 ... -> out, until a pass leaves one value. */
export function reducePasses(wgsl: string, n: number): StageSpec<ReduceShape>[] {
  const stages: StageSpec<ReduceShape>[] = [];
  let src = 'x';
  let count = n;
  let k = 0;
  for (;;) {
    const groups = Math.ceil(count / REDUCE_BLOCK);
    const dst = groups === 1 ? 'out' : k % 2 === 0 ? 'p0' : 'p1';
    stages.push({ wgsl, entry: 'main', bind: { src, dst, params: { uniform: { n: count } } }, workgroups: (_, limits) => spread(groups, limits) });
    if (groups === 1) return stages;
    src = dst;
    count = groups;
    k++;
  }
}

export function reduceBuffers(): KernelSpec<ReduceShape>['buffers'] {
  return {
    x: { role: 'input', type: 'f32', length: (s) => s.n },
    out: { role: 'output', type: 'f32', length: () => 1 },
    // p0 holds the first pass's partials (and every other pass after), p1 the second's: p0 is the larger.
    p0: { role: 'scratch', type: 'f32', length: (s) => Math.max(1, Math.ceil(s.n / REDUCE_BLOCK)) },
    p1: { role: 'scratch', type: 'f32', length: (s) => Math.max(1, Math.ceil(s.n / REDUCE_BLOCK ** 2)) },
  };
}

const spec: KernelSpec<ReduceShape> = {
  name: 'reduce_sum',
  wgsl: 'reduce_sum.wgsl',
  description: 'Sum of n f32 values (up to 2^24): 512 elements per workgroup folded by a tree in workgroup memory, passes chained until one value is left.',
  buffers: reduceBuffers(),
  stages: (s) => reducePasses('reduce_sum.wgsl', s.n),
  // The smallest dispatch past 65,535 workgroups: a second row of workgroups over y.
  spreadShape: { n: 65535 * REDUCE_BLOCK + 1 },
};

export default spec;
