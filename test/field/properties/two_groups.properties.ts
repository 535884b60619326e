// x·g + s in WGSL f32, fused or not: |ŷ − y| ≤ u·|x·g|(1 + u) + u·|y| + 2^-126, u = 2^-23 (WGSL §15.7.4).
import { edgeSize, fc, fillF32, MIN_NORMAL_F32, seedArb, subSeed, U, type Case, type Family } from 'kernelscope/kit';
import type { MatShape } from '../kernels/two_groups.kernel.ts';

const cases: fc.Arbitrary<Case<MatShape>> = fc
  .record({ rows: edgeSize(40), cols: edgeSize(90, [64]), seed: seedArb })
  .map(({ rows, cols, seed }) => ({
    shape: { rows, cols },
    inputs: { x: fillF32(seed, rows * cols, 'normal'), gain: fillF32(subSeed(seed, 1), cols, 'normal'), shift: fillF32(subSeed(seed, 2), cols, 'uniform') },
  }));

const family: Family<MatShape> = {
  name: 'two_groups',
  cases,
  reference: (c) => {
    const { x, gain, shift } = c.inputs;
    return { y: Float64Array.from(x!, (v, i) => v * gain![i % c.shape.cols]! + shift![i % c.shape.cols]!) };
  },
  tolerance: (c, e) => {
    const { x, gain } = c.inputs;
    return { y: e.y!.map((v, i) => U * Math.abs(x![i]! * gain![i % c.shape.cols]!) * (1 + U) + U * Math.abs(v) + MIN_NORMAL_F32) };
  },
  properties: [],
};

export default family;
