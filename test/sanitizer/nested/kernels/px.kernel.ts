// RGBA f32 pixels scaled by a gain, one pixel per invocation: the sanitizer's nested-index fixtures (test/sanitizer/
// nested/*.wgsl) replace px.wgsl, each reading and writing the pixels as array<array<f32, 4>>, vec4 or a workgroup tile.
import type { KernelSpec } from 'kernelscope/kit';

export interface PxShape {
  n: number;
  gain: number;
}

const spec: KernelSpec<PxShape> = {
  name: 'px',
  wgsl: 'px.wgsl',
  description: 'dst = src · gain per channel of n RGBA f32 pixels.',
  buffers: {
    src: { role: 'input', type: 'f32', length: (s) => 4 * s.n, dims: (s) => [s.n, 4] },
    dst: { role: 'output', type: 'f32', length: (s) => 4 * s.n, dims: (s) => [s.n, 4] },
  },
  stages: (s) => [{
    wgsl: 'px.wgsl',
    bind: { src: 'src', dst: 'dst', params: { uniform: { n: s.n, gain: s.gain } } },
    workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1],
  }],
};

export default spec;
