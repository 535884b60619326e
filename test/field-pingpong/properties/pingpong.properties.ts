// The pingpong family: two correctly rounded doublings, each exact below f32's largest value (correctlyRoundedBound
// of an f32 value is 0), unbounded where 4 u overflows.
import { correctlyRoundedBound, edgeSize, fc, fillF32, seedArb, type Case, type Family } from 'kernelscope/kit';
import type { PingpongShape } from '../kernels/pingpong.kernel.ts';
import { pingpong } from '../reference/pingpong.ts';

const cases: fc.Arbitrary<Case<PingpongShape>> = fc
  .record({ n: edgeSize(1000, [64]), seed: seedArb })
  .map(({ n, seed }) => ({ shape: { n }, inputs: { u: fillF32(seed, n, 'normal') } }));

const family: Family<PingpongShape> = {
  name: 'pingpong',
  cases,
  reference: (c) => ({ u: pingpong(c.inputs.u!) }),
  tolerance: (_c, exp) => ({ u: exp.u!.map((e) => correctlyRoundedBound(e)) }),
  properties: [],
};

export default family;
