// max(x, 0) is exact in WGSL (no rounding); -0 and +0 are told apart only by the sign of zero, which the
// comparison ignores.
import { edgeSize, fc, fillF32, seedArb, type Case, type Family } from 'kernelscope/kit';
import { padded, type NShape } from '../kernels/relu_vec4.kernel.ts';

const cases: fc.Arbitrary<Case<NShape>> = fc
  .record({ n: edgeSize(2000, [4, 256]), seed: seedArb })
  .map(({ n, seed }) => ({ shape: { n }, inputs: { x: fillF32(seed, padded(n), 'normal') } }));

const family: Family<NShape> = {
  name: 'relu_vec4',
  cases,
  reference: (c) => ({ y: Float64Array.from(c.inputs.x!.subarray(0, c.shape.n), (v) => Math.max(v, 0)) }),
  tolerance: (c) => ({ y: new Float64Array(c.shape.n) }),
  properties: [],
  exact: true,
};

export default family;
