// y = max(x, 0) over n elements, one invocation per element.
import type { KernelSpec } from '../harness/spec.ts';

export interface ReluShape {
  n: number;
}

const spec: KernelSpec<ReluShape> = {
  name: 'relu',
  wgsl: 'relu.wgsl',
  description: 'Element-wise y = max(x, 0); bit-exact apart from the sign of zero.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.n },
    y: { role: 'output', type: 'f32', length: (s) => s.n },
  },
  stages: (s) => [
    {
      wgsl: 'relu.wgsl',
      entry: 'main',
      bind: { x: 'x', y: 'y', params: { uniform: { n: s.n } } },
      workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1],
    },
  ],
};

export default spec;
