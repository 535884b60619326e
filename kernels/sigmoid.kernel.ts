// sigmoid over n elements, one invocation per element (ONNX operator Sigmoid).
import type { KernelSpec } from '../harness/spec.ts';
import { spread } from './reduce_sum.kernel.ts';

export interface SigmoidShape {
  n: number;
}

const spec: KernelSpec<SigmoidShape> = {
  name: 'sigmoid',
  wgsl: 'sigmoid.wgsl',
  description: 'Element-wise logistic sigmoid y = 1 / (1 + exp(−x)), one invocation per element.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.n },
    y: { role: 'output', type: 'f32', length: (s) => s.n },
  },
  stages: (s) => [{
    wgsl: 'sigmoid.wgsl',
    entry: 'main',
    bind: { x: 'x', y: 'y', params: { uniform: { n: s.n } } },
    workgroups: ([wx], limits) => spread(Math.ceil(s.n / wx), limits),
  }],
  // The smallest dispatch past 65,535 workgroups: a second row of workgroups over y.
  spreadShape: { n: 65535 * 256 + 1 },
};

export default spec;
