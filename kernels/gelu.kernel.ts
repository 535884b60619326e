// GELU, tanh form, one invocation per element.
import type { KernelSpec } from '../harness/spec.ts';
import { spread } from './reduce_sum.kernel.ts';

export interface GeluShape {
  n: number;
}

const spec: KernelSpec<GeluShape> = {
  name: 'gelu',
  wgsl: 'gelu.wgsl',
  description: 'GELU (tanh approximation) 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))), one invocation per element.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.n },
    y: { role: 'output', type: 'f32', length: (s) => s.n },
  },
  stages: (s) => [{
    wgsl: 'gelu.wgsl',
    entry: 'main',
    bind: { x: 'x', y: 'y', params: { uniform: { n: s.n } } },
    workgroups: ([wx], limits) => spread(Math.ceil(s.n / wx), limits),
  }],
  // The smallest dispatch past 65,535 workgroups: a second row of workgroups over y.
  spreadShape: { n: 65535 * 256 + 1 },
};

export default spec;
