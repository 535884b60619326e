// n pixels of four f32 channels (vec4s) in, 4n channel levels (0..255) out.
import type { KernelSpec } from 'kernelscope/kit';

export interface PixelsShape {
  n: number;
}

const spec: KernelSpec<PixelsShape> = {
  name: 'pack_unorm',
  wgsl: 'pack_unorm.wgsl',
  description: 'Each channel of n RGBA f32 pixels quantised by pack4x8unorm, its level read back from the packed word.',
  buffers: {
    src: { role: 'input', type: 'f32', length: (s) => 4 * s.n, dims: (s) => [s.n, 4] },
    dst: { role: 'output', type: 'u32', length: (s) => 4 * s.n, dims: (s) => [s.n, 4] },
  },
  stages: (s) => [{ wgsl: 'pack_unorm.wgsl', bind: { src: 'src', dst: 'dst', params: { uniform: { n: s.n } } }, workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1] }],
};

export default spec;
