// A u32 flag per element in a scratch buffer, written by one stage and read by the next.
import type { KernelSpec } from 'kernelscope/kit';

export interface NShape {
  n: number;
}

const spec: KernelSpec<NShape> = {
  name: 'keep_positive',
  wgsl: 'keep_positive.wgsl',
  description: 'mask[i] = x[i] > 0, then y[i] = x[i] where the mask is set and 0 elsewhere, for i < n.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.n },
    mask: { role: 'scratch', type: 'u32', length: (s) => s.n },
    y: { role: 'output', type: 'f32', length: (s) => s.n },
  },
  stages: (s) => ['mark', 'copy'].map((entry) => ({
    wgsl: 'keep_positive.wgsl',
    entry,
    bind: { x: 'x', mask: 'mask', y: 'y', params: { uniform: { n: s.n } } },
    workgroups: ([wx]: [number, number, number]) => [Math.ceil(s.n / wx), 1, 1] as [number, number, number],
  })),
};

export default spec;
