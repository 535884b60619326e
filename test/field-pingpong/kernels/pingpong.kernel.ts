// A ping-pong pair of passes (as a Jacobi sweep is written): u → tmp, then tmp → u, each through a read-only src.
import type { KernelSpec } from 'kernelscope/kit';

export interface PingpongShape {
  n: number;
}

const spec: KernelSpec<PingpongShape> = {
  name: 'pingpong',
  wgsl: 'pingpong.wgsl',
  description: 'u = 4 u in two doubling passes through a scratch buffer, each reading its source read-only.',
  buffers: {
    u: { role: 'inout', type: 'f32', length: (s) => s.n },
    tmp: { role: 'scratch', type: 'f32', length: (s) => s.n },
  },
  stages: (s) => [['u', 'tmp'], ['tmp', 'u']].map(([src, dst]) => ({
    wgsl: 'pingpong.wgsl',
    bind: { src: src!, dst: dst!, params: { uniform: { n: s.n } } },
    workgroups: ([wx]: number[]) => [Math.ceil(s.n / wx!), 1, 1] as [number, number, number],
  })),
};

export default spec;
