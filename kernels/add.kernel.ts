// c = a + b over n elements, one invocation per element.
import type { KernelSpec } from '../harness/spec.ts';

export interface AddShape {
  n: number;
}

const spec: KernelSpec<AddShape> = {
  name: 'add',
  wgsl: 'add.wgsl',
  description: 'Element-wise c = a + b; each result must be correctly rounded (the exact sum or a neighbouring f32).',
  buffers: {
    a: { role: 'input', type: 'f32', length: (s) => s.n },
    b: { role: 'input', type: 'f32', length: (s) => s.n },
    c: { role: 'output', type: 'f32', length: (s) => s.n },
  },
  stages: (s) => [
    {
      wgsl: 'add.wgsl',
      entry: 'main',
      bind: { a: 'a', b: 'b', c: 'c', params: { uniform: { n: s.n } } },
      workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1],
    },
  ],
};

export default spec;
