// The kit's softmax bound (softmaxTolerance, sum 'any': every normaliser that forms exp(x_j − max), directly or
// online, in any order or tree, exp or exp2, divided or times the reciprocal), not one derived for this kernel.
import { distArb, edgeSize, fc, fillF32, seedArb, softmaxTolerance, type Case, type Family } from 'kernelscope/kit';
import type { SoftmaxShape } from '../kernels/softmax_exp2.kernel.ts';

const cases: fc.Arbitrary<Case<SoftmaxShape>> = fc
  .record({ rows: edgeSize(16), cols: edgeSize(1024, [64]), seed: seedArb, dist: distArb(['uniform', 'normal', 'wide', 'edge'] as const) })
  .map(({ rows, cols, seed, dist }) => ({ shape: { rows, cols }, inputs: { x: fillF32(seed, rows * cols, dist) } }));

const family: Family<SoftmaxShape> = {
  name: 'softmax_exp2',
  cases,
  reference: (c) => {
    const { rows, cols } = c.shape;
    const x = c.inputs.x!;
    const y = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      let m = -Infinity;
      for (let j = 0; j < cols; j++) m = Math.max(m, x[r * cols + j]!);
      let s = 0;
      for (let j = 0; j < cols; j++) s += Math.exp(x[r * cols + j]! - m);
      for (let j = 0; j < cols; j++) y[r * cols + j] = Math.exp(x[r * cols + j]! - m) / s;
    }
    return { y };
  },
  tolerance: (c, e) => ({ y: softmaxTolerance(c.inputs.x!, e.y!, c.shape.rows, c.shape.cols) }),
  properties: [],
};

export default family;
