// A select between x and 0 is exact; -0 and +0 are told apart only by the sign of zero, which the comparison ignores.
import { edgeSize, fc, fillF32, seedArb, type Case, type Family } from 'kernelscope/kit';
import type { NShape } from '../kernels/keep_positive.kernel.ts';

const cases: fc.Arbitrary<Case<NShape>> = fc
  .record({ n: edgeSize(2000, [64, 256]), seed: seedArb })
  .map(({ n, seed }) => ({ shape: { n }, inputs: { x: fillF32(seed, n, 'normal') } }));

const family: Family<NShape> = {
  name: 'keep_positive',
  cases,
  reference: (c) => ({ y: Float64Array.from(c.inputs.x!, (v) => (v > 0 ? v : 0)) }),
  tolerance: (c) => ({ y: new Float64Array(c.shape.n) }),
  properties: [],
  exact: true,
};

export default family;
