// One correctly rounded product per channel: exact against the float64 product's rounding.
import { correctlyRoundedBound, edgeSize, fc, fillF32, seedArb, type Case, type Family } from 'kernelscope/kit';
import type { PxShape } from '../kernels/px.kernel.ts';

const cases: fc.Arbitrary<Case<PxShape>> = fc
  .record({ n: edgeSize(300, [64]), gain: fc.constantFrom(0.5, 1.5, 3), seed: seedArb })
  .map(({ n, gain, seed }) => ({ shape: { n, gain }, inputs: { src: fillF32(seed, 4 * n, 'normal') } }));

const family: Family<PxShape> = {
  name: 'px',
  cases,
  reference: (c) => ({ dst: Float64Array.from(c.inputs.src!, (v) => v * c.shape.gain) }),
  tolerance: (_c, exp) => ({ dst: exp.dst!.map((e) => correctlyRoundedBound(e)) }),
  properties: [],
};

export default family;
