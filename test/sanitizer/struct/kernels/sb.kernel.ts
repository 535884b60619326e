// y[i] = x[i] · b.data[i] + b.lut[i % 16] and h.bins = b.lut, through var<storage> structs (the WebGPU samples bind
// `struct Particles { particles: array<Particle> }` so): a read-only one with a scalar, a fixed-size and a runtime
// array member, packed from plain values, and a read_write one with a fixed-size array. The sanitizer's struct fixtures
// (test/sanitizer/struct/*.wgsl) replace sb.wgsl. One workgroup more than n needs, so a guard one too far always has
// an invocation past the end.
import type { KernelSpec } from 'kernelscope/kit';

export interface SbShape {
  n: number;
}

/** Whole numbers and powers of two: each y is one rounding, whatever the engine fuses. */
export const LUT = Array.from({ length: 16 }, (_, k) => k);
export const weight = (k: number) => 2 ** ((k % 4) - 1);

const spec: KernelSpec<SbShape> = {
  name: 'sb',
  wgsl: 'sb.wgsl',
  description: 'y[i] = x[i] · w[i] + lut[i % 16] over n f32s, and the lut copied out, through storage structs.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.n },
    y: { role: 'output', type: 'f32', length: (s) => s.n },
    h: { role: 'output', type: 'f32', length: () => 16 },
  },
  stages: (s) => [{
    wgsl: 'sb.wgsl',
    bind: { x: 'x', y: 'y', h: 'h', b: { storage: { count: s.n, lut: LUT, data: Array.from({ length: s.n }, (_, k) => weight(k)) } } },
    workgroups: ([wx]) => [Math.floor(s.n / wx) + 1, 1, 1],
  }],
};

export default spec;
