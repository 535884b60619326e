// Counts of u32 keys into `bins` bins (key mod bins): a clearing pass, then workgroup-private atomics merged with
// global atomics.
import type { KernelSpec, StageSpec } from '../harness/spec.ts';
import { spread } from './reduce_sum.kernel.ts';

export interface HistogramShape {
  n: number;
  bins: number;
}

/** The WGSL's workgroup-private histogram has this many slots. */
export const MAX_BINS = 4096;
/** Enough workgroups to keep every core busy; the grid-stride loop covers the rest. */
const MAX_GROUPS = 256;

const spec: KernelSpec<HistogramShape> = {
  name: 'histogram',
  wgsl: 'histogram.wgsl',
  description: `Histogram of n u32 keys into bins ≤ ${MAX_BINS} (bin = key mod bins) with atomics: workgroup-private counts for 256 bins at a time, then atomicAdd into the output.`,
  buffers: {
    keys: { role: 'input', type: 'u32', length: (s) => s.n },
    counts: { role: 'output', type: 'u32', length: (s) => s.bins },
  },
  stages: (s): StageSpec<HistogramShape>[] => [
    {
      wgsl: 'histogram.wgsl',
      entry: 'clear',
      bind: { counts: 'counts', params: { uniform: { n: s.n, bins: s.bins } } },
      workgroups: ([wx], limits) => spread(Math.ceil(s.bins / wx), limits),
    },
    {
      wgsl: 'histogram.wgsl',
      entry: 'accumulate',
      bind: { keys: 'keys', counts: 'counts', params: { uniform: { n: s.n, bins: s.bins } } },
      workgroups: ([wx], limits) => [Math.max(1, Math.min(MAX_GROUPS, limits.maxComputeWorkgroupsPerDimension, Math.ceil(s.n / wx))), 1, 1],
    },
  ],
};

export default spec;
