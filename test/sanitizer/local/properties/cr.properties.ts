import { edgeSize, fc, rng, seedArb, type Case, type Family } from 'kernelscope/kit';
import { TABLE, type CrShape } from '../kernels/cr.kernel.ts';

const cases: fc.Arbitrary<Case<CrShape>> = fc.record({ n: edgeSize(200, [64]), seed: seedArb }).map(({ n, seed }) => {
  const r = rng(seed);
  return { shape: { n }, inputs: { msg: Uint32Array.from({ length: n }, () => r.u32()) } };
});

const family: Family<CrShape> = {
  name: 'cr',
  exact: true,
  cases,
  reference: (c) => ({
    crc: Float64Array.from(c.inputs.msg!, (x) => {
      let v = 0xffffffff;
      for (let k = 0; k < 8; k++) v = (TABLE[((v ^ (x >>> (4 * k))) & 0xf) >>> 0]! ^ (v >>> 4)) >>> 0;
      return ~v >>> 0;
    }),
  }),
  tolerance: (c) => ({ crc: new Float64Array(c.shape.n) }),
  properties: [],
};
export default family;
