// A shrunken SHA-256 message schedule in a function-scope array: the sanitizer's function and private variable
// fixtures (test/sanitizer/local/sh-*.wgsl) replace sh.wgsl.
import type { KernelSpec } from 'kernelscope/kit';

export interface ShShape { n: number }

const spec: KernelSpec<ShShape> = {
  name: 'sh',
  wgsl: 'sh.wgsl',
  description: 'h[m] = the sum of block m\'s 4 words extended to 8 (w[t] = w[t - 4] ^ (w[t - 1] >> 3)), one block per invocation.',
  buffers: {
    block: { role: 'input', type: 'u32', length: (s) => 4 * s.n },
    h: { role: 'output', type: 'u32', length: (s) => s.n },
  },
  stages: (s) => [{
    wgsl: 'sh.wgsl',
    entry: 'main',
    bind: { block: 'block', h: 'h', params: { uniform: { n: s.n } } },
    workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1],
  }],
};
export default spec;
