// Row sums in any order: |ŷ − y| ≤ γ_(n−1) Σ|x| (Higham §4.2; sumBound), whatever the subgroup size and tree.
import { distArb, edgeSize, fc, fillF32, seedArb, sumBound, type Case, type Family } from 'kernelscope/kit';
import type { RowsShape } from '../kernels/subgroup_sum.kernel.ts';

const cases: fc.Arbitrary<Case<RowsShape>> = fc
  .record({ rows: edgeSize(16), cols: edgeSize(700, [4, 32, 64]), seed: seedArb, dist: distArb(['uniform', 'normal', 'wide'] as const) })
  .map(({ rows, cols, seed, dist }) => ({ shape: { rows, cols }, inputs: { x: fillF32(seed, rows * cols, dist) } }));

function sums(c: Case<RowsShape>, abs: boolean): Float64Array {
  const { rows, cols } = c.shape;
  const x = c.inputs.x!;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) out[r]! += abs ? Math.abs(x[r * cols + k]!) : x[r * cols + k]!;
  return out;
}

const family: Family<RowsShape> = {
  name: 'subgroup_sum',
  cases,
  reference: (c) => ({ y: sums(c, false) }),
  tolerance: (c) => ({ y: sums(c, true).map((a) => sumBound(a, c.shape.cols)) }),
  properties: [],
};

export default family;
