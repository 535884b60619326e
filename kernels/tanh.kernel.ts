// tanh over n elements, one invocation per element (ONNX operator Tanh).
import type { KernelSpec } from '../harness/spec.ts';
import { spread } from './reduce_sum.kernel.ts';

export interface TanhShape {
  n: number;
}

const spec: KernelSpec<TanhShape> = {
  name: 'tanh',
  wgsl: 'tanh.wgsl',
  description: 'Element-wise y = tanh(x) with the built-in, its argument clamped to [−16, 16], one invocation per element.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.n },
    y: { role: 'output', type: 'f32', length: (s) => s.n },
  },
  stages: (s) => [{
    wgsl: 'tanh.wgsl',
    entry: 'main',
    bind: { x: 'x', y: 'y', params: { uniform: { n: s.n } } },
    workgroups: ([wx], limits) => spread(Math.ceil(s.n / wx), limits),
  }],
  // The smallest dispatch past 65,535 workgroups: a second row of workgroups over y.
  spreadShape: { n: 65535 * 256 + 1 },
};

export default spec;
