import { edgeSize, fc, rng, seedArb, type Case, type Family } from 'kernelscope/kit';
import type { ShShape } from '../kernels/sh.kernel.ts';

const cases: fc.Arbitrary<Case<ShShape>> = fc.record({ n: edgeSize(200, [64]), seed: seedArb }).map(({ n, seed }) => {
  const r = rng(seed);
  return { shape: { n }, inputs: { block: Uint32Array.from({ length: 4 * n }, () => r.u32()) } };
});

const family: Family<ShShape> = {
  name: 'sh',
  exact: true,
  cases,
  reference: (c) => ({
    h: Float64Array.from({ length: c.shape.n }, (_, m) => {
      const w = new Uint32Array(8);
      for (let t = 0; t < 4; t++) w[t] = c.inputs.block![4 * m + t]!;
      for (let t = 4; t < 8; t++) w[t] = w[t - 4]! ^ (w[t - 1]! >>> 3);
      let s = 0;
      for (let t = 0; t < 8; t++) s = (s + w[t]!) >>> 0;
      return s;
    }),
  }),
  tolerance: (c) => ({ h: new Float64Array(c.shape.n) }),
  properties: [],
};
export default family;
