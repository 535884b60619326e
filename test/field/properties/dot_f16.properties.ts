// f16 inputs on the f16 grid; the reference in float64. Bound (WGSL §15.7.4, Higham §3.1): each product of two
// f16 values is exact in f32 (11 + 11 significant bits ≤ 24); the f32 sum of n products in any order is within
// γ_(n−1) Σ|a·b| (u = 2^-23, WGSL's either-neighbour rounding); the product by scale (itself rounded to f32) adds
// 2u relative; the conversion to f16 one f16 ULP (either neighbour), or the f16 subnormal spacing if it flushes.
import {
  Float16Array, MAX_F16, MIN_NORMAL_F16, U, distArb, edgeSize, fc, gamma, rng, roundF16, seedArb, ulpOfF16,
  type Case, type Family,
} from 'kernelscope/kit';
import type { DotShape } from '../kernels/dot_f16.kernel.ts';

const DISTS = ['unit', 'large', 'mixed'] as const;

/** 'large': positive values of 30 to 60, whose products sum past 65504 in a few dozen terms. */
function fillF16(seed: number, n: number, dist: (typeof DISTS)[number]): Float16Array {
  const r = rng(seed);
  const out = new Float16Array(n);
  for (let i = 0; i < n; i++) {
    const v = dist === 'unit' ? 2 * r.float() - 1 : dist === 'large' ? 30 + 30 * r.float() : (r.float() - 0.5) * 2 ** r.int(-8, 6);
    out[i] = roundF16(v);
  }
  return out;
}

const cases: fc.Arbitrary<Case<DotShape>> = fc
  .record({ rows: edgeSize(200, [64]), cols: edgeSize(256, [32, 64]), seed: seedArb, dist: distArb(DISTS) })
  .map(({ rows, cols, seed, dist }) => ({
    shape: { rows, cols },
    inputs: { a: fillF16(seed, rows * cols, dist), b: fillF16(seed ^ 0x5bd1e995, rows * cols, dist) },
  }));

function dots(c: Case<DotShape>, abs: boolean): Float64Array {
  const { rows, cols } = c.shape;
  const a = c.inputs.a!;
  const b = c.inputs.b!;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++) {
      const p = a[r * cols + k]! * b[r * cols + k]!;
      out[r]! += abs ? Math.abs(p) : p;
    }
  }
  return out;
}

const family: Family<DotShape> = {
  name: 'dot_f16',
  cases,
  reference: (c) => ({ y: dots(c, false).map((d) => d * Math.fround(1 / c.shape.cols)) }),
  tolerance: (c, expected) => {
    const scale = Math.fround(1 / c.shape.cols);
    const abs = dots(c, true);
    return {
      y: expected.y!.map((e, r) => {
        const beforeF16 = gamma(Math.max(0, c.shape.cols - 1)) * abs[r]! * scale + 2 * U * (Math.abs(e) + abs[r]! * scale);
        const m = Math.abs(e) + beforeF16;
        // A finite mean past MAX_F16 has no f16 to be: the bound says so instead of accepting infinity silently.
        return m > MAX_F16 ? Infinity : beforeF16 + Math.max(ulpOfF16(m), MIN_NORMAL_F16);
      }),
    };
  },
  properties: [{
    name: 'finite-past-65504',
    description: 'Products of values of 30 to 60 summed over 64 to 256 columns pass 65504 (the largest f16) long before the scaled mean does: every output must stay finite.',
    bound: 'exact: finite',
    arbitrary: fc.record({ rows: edgeSize(64), cols: fc.integer({ min: 64, max: 256 }), seed: seedArb }).map(({ rows, cols, seed }) => ({
      shape: { rows, cols },
      inputs: { a: fillF16(seed, rows * cols, 'large'), b: fillF16(seed ^ 0x5bd1e995, rows * cols, 'large') },
    })),
    runs: (c: Case<DotShape>) => [c],
    check: (_c: Case<DotShape>, [out]) => {
      const y = out!.y!;
      for (let i = 0; i < y.length; i++) {
        if (!Number.isFinite(y[i]!)) return { pass: false, message: `y[${i}] = ${y[i]}: the sum overflowed although the mean fits in f16`, worst: { buffer: 'y', index: i } };
      }
      return { pass: true };
    },
  }],
};

export default family;
