// A vec4 input whose buffer holds ceil(n/4) whole vec4s (the harness checks that: a length that is not a
// multiple of 4 is refused, naming the buffer and the 16-byte stride), a scalar output of n elements.
import type { KernelSpec } from 'kernelscope/kit';

export interface NShape {
  n: number;
}

export const padded = (n: number) => 4 * Math.ceil(n / 4);

const spec: KernelSpec<NShape> = {
  name: 'relu_vec4',
  wgsl: 'relu_vec4.wgsl',
  description: 'y[i] = max(x[i], 0) for i < n, reading x as vec4s and the n % 4 tail lane by lane.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => padded(s.n) },
    y: { role: 'output', type: 'f32', length: (s) => s.n },
  },
  stages: (s) => [{
    wgsl: 'relu_vec4.wgsl',
    bind: { x: 'x', y: 'y', params: { uniform: { n: s.n } } },
    workgroups: ([wx]) => [Math.ceil(padded(s.n) / 4 / wx), 1, 1],
  }],
};

export default spec;
