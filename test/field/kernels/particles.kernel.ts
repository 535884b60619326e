// An array of structs in storage: the host arrays hold 7 floats per particle (pos.xyz, vel.xyz, mass), which the
// harness spreads to the WGSL's 32-byte stride and gathers back. The uniform mixes a scalar and a vec3.
import type { KernelSpec } from 'kernelscope/kit';

export interface ParticleShape {
  n: number;
  dt: number;
}

/** Floats per particle on the host: pos (3), vel (3), mass (1). */
export const FIELDS = 7;
export const GRAVITY = [0, -9.75, 0.5];

const spec: KernelSpec<ParticleShape> = {
  name: 'particles',
  wgsl: 'particles.wgsl',
  description: 'One Euler step of n particles (array<Particle> with vec3 members): pos += vel·dt, vel += g·dt.',
  buffers: {
    src: { role: 'input', type: 'f32', length: (s) => s.n * FIELDS, dims: (s) => [s.n, FIELDS] },
    dst: { role: 'output', type: 'f32', length: (s) => s.n * FIELDS, dims: (s) => [s.n, FIELDS] },
  },
  stages: (s) => [{
    wgsl: 'particles.wgsl',
    bind: { src: 'src', dst: 'dst', step: { uniform: { dt: s.dt, gravity: GRAVITY } } },
    workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1],
  }],
};

export default spec;
