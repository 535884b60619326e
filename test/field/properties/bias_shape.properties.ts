// x·s + b in WGSL f32: unfused, (x·s)(1+δ1) + b then (1+δ2); fused (FMA contraction, which WGSL allows), one δ.
// Either way |ŷ − y| ≤ u·|x·s| + u·|y| + u²·|x·s| with u = 2^-23 (either-neighbour rounding, WGSL §15.7.4),
// plus 2^-126 for a subnormal intermediate flushed to zero.
import { edgeSize, fc, fillF32, MIN_NORMAL_F32, seedArb, subSeed, U, type Case, type Family } from 'kernelscope/kit';
import type { MatShape } from '../kernels/bias_shape.kernel.ts';

const cases: fc.Arbitrary<Case<MatShape>> = fc
  .record({ rows: edgeSize(70, [8]), cols: edgeSize(70, [8]), seed: seedArb, scale: fc.constantFrom(0.5, -3, 1.25, Math.fround(0.1)) })
  .map(({ rows, cols, seed, scale }) => ({
    shape: { rows, cols, scale },
    inputs: { x: fillF32(seed, rows * cols, 'normal'), bias: fillF32(subSeed(seed, 1), cols, 'uniform') },
  }));

const family: Family<MatShape> = {
  name: 'bias_shape',
  cases,
  reference: (c) => {
    const { rows, cols, scale } = c.shape;
    const x = c.inputs.x!;
    const b = c.inputs.bias!;
    return { y: Float64Array.from({ length: rows * cols }, (_, i) => x[i]! * scale + b[i % cols]!) };
  },
  tolerance: (c, e) => {
    const x = c.inputs.x!;
    return { y: e.y!.map((v, i) => U * Math.abs(x[i]! * c.shape.scale) * (1 + U) + U * Math.abs(v) + MIN_NORMAL_F32) };
  },
  properties: [],
};

export default family;
