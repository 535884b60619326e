// One rounding per element (the product by a power of two is exact): exact against the float64 value's rounding.
import { correctlyRoundedBound, edgeSize, fc, fillF32, seedArb, type Case, type Family } from 'kernelscope/kit';
import { LUT, weight, type SbShape } from '../kernels/sb.kernel.ts';

const cases: fc.Arbitrary<Case<SbShape>> = fc
  .record({ n: edgeSize(300, [64]), seed: seedArb })
  .map(({ n, seed }) => ({ shape: { n }, inputs: { x: fillF32(seed, n, 'normal') } }));

const family: Family<SbShape> = {
  name: 'sb',
  cases,
  reference: (c) => ({ y: Float64Array.from(c.inputs.x!, (v, i) => v * weight(i) + LUT[i % 16]!), h: Float64Array.from(LUT) }),
  tolerance: (_c, exp) => ({ y: exp.y!.map((e) => correctlyRoundedBound(e)), h: exp.h!.map(() => 0) }),
  properties: [],
};

export default family;
