// A float scatter-add with atomics, written as a user's library kernel: out[b] = Σ val[i] over the i with idx[i] = b.
import type { KernelSpec } from 'kernelscope/kit';

export interface ScatterShape {
  n: number;
  bins: number;
}

const spec: KernelSpec<ScatterShape> = {
  name: 'scatter_add',
  wgsl: 'scatter_add.wgsl',
  description: 'Float scatter-add: a compare-and-swap loop on f32 bits in array<atomic<u32>>; the bins\' last bits depend on the order the atomics land.',
  buffers: {
    idx: { role: 'input', type: 'u32', length: (s) => s.n },
    val: { role: 'input', type: 'f32', length: (s) => s.n },
    // Read back as f32: the atomics hold f32 bit patterns.
    out: { role: 'output', type: 'f32', length: (s) => s.bins, orderDependent: true },
  },
  stages: (s) => [
    { wgsl: 'scatter_add.wgsl', entry: 'zero_bins', bind: { idx: 'idx', val: 'val', out: 'out', params: { uniform: { n: s.n, bins: s.bins } } }, workgroups: ([wx]) => [Math.ceil(s.bins / wx), 1, 1] },
    { wgsl: 'scatter_add.wgsl', entry: 'scatter', bind: { idx: 'idx', val: 'val', out: 'out', params: { uniform: { n: s.n, bins: s.bins } } }, workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1] },
  ],
};

export default spec;
