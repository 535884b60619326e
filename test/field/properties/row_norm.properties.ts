// Bound on m·sqrt(Σ(x_i/m)²) in WGSL f32 (u = 2^-23, each correctly rounded operation within u relative; WGSL
// §15.7.4): x_i/m is within 2.5 ULP (division), so (x_i/m)² within (1+2.5u)²(1+u) − 1 ≤ 6u + O(u²); the sum of n
// such terms (any order, Higham §4.2) is within γ_(n−1) + 6u(1 + γ_(n−1)) relative, since every term is ≥ 0;
// sqrt is inherited from 1/inverseSqrt (2 + 2.5 ULP) and halves the relative error of its argument; the product by
// m adds u. So |ŷ − y| ≤ y·(½(γ_(n−1) + 7u) + 5.5u) within O(u²), taken as y·(½γ_(n+6) + 6u).
import { distArb, edgeSize, fc, fillF32, gamma, seedArb, U, type Case, type Family } from 'kernelscope/kit';
import type { RowsShape } from '../kernels/row_norm.kernel.ts';

const cases: fc.Arbitrary<Case<RowsShape>> = fc
  .record({ rows: edgeSize(300, [32, 128]), cols: edgeSize(64), seed: seedArb, dist: distArb(['uniform', 'normal', 'huge'] as const) })
  // 'huge' values (2^100 to 2^128) scaled by 2^-8, exactly: x² overflows f32, while a norm of at most 64 of them
  // (below 2^123) is finite.
  .map(({ rows, cols, seed, dist }) => ({ shape: { rows, cols }, inputs: { x: fillF32(seed, rows * cols, dist).map((v) => (dist === 'huge' ? v * 2 ** -8 : v)) } }));

const family: Family<RowsShape> = {
  name: 'row_norm',
  cases,
  reference: (c) => {
    const { rows, cols } = c.shape;
    const x = c.inputs.x!;
    const y = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let k = 0; k < cols; k++) s += x[r * cols + k]! ** 2;
      y[r] = Math.sqrt(s);
    }
    return { y };
  },
  tolerance: (c, e) => ({ y: e.y!.map((v) => v * (gamma(c.shape.cols + 6) / 2 + 6 * U)) }),
  properties: [],
};

export default family;
