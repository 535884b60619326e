// The float64 references against hand-worked examples, and the derived bounds against an f32 emulation of each
// kernel on the CPU (Math.fround after every operation, in the kernel's own order): a bound that a faithful f32
// evaluation breaks is wrong, and one that is orders of magnitude loose is suspicious, so the ratio is checked too.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareArrays } from '../harness/compare.ts';
import { vibeInfer } from '../fixtures/vibe-infer/load.ts';
import addFamily, { addCase, addDraw, allowedSums, roundNearestSum } from '../properties/add.properties.ts';
import matmulFamily, { matmulCase, matmulDraw } from '../properties/matmul.properties.ts';
import mlpFamily, { mlpCase, mlpTolerance } from '../properties/mlp.properties.ts';
import reluFamily from '../properties/relu.properties.ts';
import softmaxFamily, { softmaxCase, softmaxDraw } from '../properties/softmax.properties.ts';
import { fillF32, permutation, rng } from '../properties/values.ts';
import { add } from '../reference/add.ts';
import { matmul } from '../reference/matmul.ts';
import { mlp } from '../reference/mlp.ts';
import { relu } from '../reference/relu.ts';
import { softmax } from '../reference/softmax.ts';

const f = Math.fround;

describe('references by hand', () => {
  it('add', () => {
    expect(Array.from(add([1, 2.5, -3], [2, 0.25, 3]))).toEqual([3, 2.75, 0]);
  });
  it('relu', () => {
    expect(Array.from(relu([-1, 0, 2, -0, 1e-30]))).toEqual([0, 0, 2, 0, 1e-30]);
  });
  it('matmul: [[1,2],[3,4]]·[[5,6],[7,8]] + [1,−1]', () => {
    const { c, abs } = matmul([1, 2, 3, 4], [5, 6, 7, 8], [1, -1], 2, 2, 2);
    expect(Array.from(c)).toEqual([20, 21, 44, 49]);
    expect(Array.from(abs)).toEqual([20, 23, 44, 51]);
  });
  it('matmul: non-square 1×3 · 3×2', () => {
    expect(Array.from(matmul([1, 2, 3], [1, 0, 0, 1, 1, 1], [0, 0], 1, 2, 3).c)).toEqual([4, 5]);
  });
  it('softmax: [0, ln 3] -> [1/4, 3/4]; a row of equal values is uniform; huge logits stay finite', () => {
    const y = softmax([0, Math.log(3), 5, 5], 2, 2);
    expect(y[0]).toBeCloseTo(0.25, 15);
    expect(y[1]).toBeCloseTo(0.75, 15);
    expect([y[2], y[3]]).toEqual([0.5, 0.5]);
    expect(Array.from(softmax([5, 5, 5, 5], 1, 4))).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(softmax([3e38, 1, -3e38 / 2], 1, 3))).toEqual([1, 0, 0]);
  });
  it('mlp: the real model classifies the ten test digits, the first a 7 at ≥ 0.999', () => {
    const m = vibeInfer();
    expect(Array.from(m.labels)).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const t = mlp(m.images, m, 10);
    for (let i = 0; i < 10; i++) {
      const row = Array.from(t.probs.subarray(i * 10, i * 10 + 10));
      expect(row.indexOf(Math.max(...row))).toBe(m.labels[i]);
    }
    expect(t.probs[7]).toBeGreaterThan(0.999);
  });
});

describe('add: correctly rounded sets', () => {
  it('an exact sum allows only itself; an inexact one its two neighbours', () => {
    expect(allowedSums(1, 2)).toEqual([3]);
    const tiny = 2 ** -30;
    expect(allowedSums(1, tiny).sort()).toEqual([1, 1 + 2 ** -23]);
    expect(roundNearestSum(1, tiny)).toBe(1);
    // Exactly halfway between 1 and 1 + 2^-23: ties to even gives 1; a hair above gives the upper neighbour.
    expect(roundNearestSum(1, 2 ** -24)).toBe(1);
    expect(roundNearestSum(1 + 2 ** -23, 2 ** -24)).toBe(1 + 2 ** -22);
  });
  it('a subnormal input may be flushed', () => {
    expect(allowedSums(2 ** -140, 0).sort()).toEqual([0, 2 ** -140]);
  });
});

/** An f32 emulation of kernels/softmax.wgsl: strided partials over 256 lanes, then the tree. */
function softmaxF32(x: Float32Array, rows: number, cols: number): Float32Array {
  const WG = 256;
  const y = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    let m = x[b]!;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[b + j]!);
    const part = new Float32Array(WG);
    for (let l = 0; l < WG; l++) for (let j = l; j < cols; j += WG) part[l] = f(part[l]! + f(Math.exp(f(x[b + j]! - m))));
    for (let s = WG / 2; s > 0; s >>= 1) for (let l = 0; l < s; l++) part[l] = f(part[l]! + part[l + s]!);
    for (let j = 0; j < cols; j++) y[b + j] = f(f(Math.exp(f(x[b + j]! - m))) / part[0]!);
  }
  return y;
}

function matmulF32(a: Float32Array, b: Float32Array, bias: Float32Array, M: number, N: number, K: number): Float32Array {
  const c = new Float32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc = f(acc + f(a[i * K + k]! * b[k * N + j]!));
      c[i * N + j] = f(acc + bias[j]!);
    }
  }
  return c;
}

describe('bounds hold for an f32 emulation of each kernel', () => {
  it('add', () => {
    fc.assert(fc.property(addDraw, (d) => {
      const c = addCase(d);
      const exp = addFamily.reference(c);
      const tol = addFamily.tolerance(c, exp);
      const out = (c.inputs.a as Float32Array).map((v, i) => v + c.inputs.b![i]!);
      expect(compareArrays(out, exp.c!, tol.c!).pass).toBe(true);
    }), { numRuns: 30, seed: 1 });
  });
  it('matmul (ratio printed: the γ bound is worst-case, so well below 1 is normal)', () => {
    let worst = 0;
    fc.assert(fc.property(matmulDraw.filter((d) => d.M * d.N * d.K < 2e6), (d) => {
      const c = matmulCase(d);
      const exp = matmulFamily.reference(c);
      const tol = matmulFamily.tolerance(c, exp);
      const out = matmulF32(c.inputs.a as Float32Array, c.inputs.b as Float32Array, c.inputs.bias as Float32Array, d.M, d.N, d.K);
      const cmp = compareArrays(out, exp.c!, tol.c!);
      worst = Math.max(worst, cmp.measure.boundRatio);
      expect(cmp.pass, JSON.stringify(d)).toBe(true);
    }), { numRuns: 25, seed: 2 });
    console.log(`matmul f32 emulation: largest error / bound = ${worst.toExponential(2)}`);
  });
  it('softmax, including huge logits', () => {
    let worst = 0;
    fc.assert(fc.property(softmaxDraw, (d) => {
      const c = softmaxCase(d);
      const exp = softmaxFamily.reference(c);
      const tol = softmaxFamily.tolerance(c, exp);
      const out = softmaxF32(c.inputs.x as Float32Array, d.rows, d.cols);
      const cmp = compareArrays(out, exp.y!, tol.y!);
      worst = Math.max(worst, cmp.measure.boundRatio);
      expect(cmp.pass, JSON.stringify(d)).toBe(true);
      for (const p of softmaxFamily.properties) {
        if (p.name === 'sums-to-one' || p.name === 'in-unit-interval' || p.name === 'argmax-preserved') {
          const v = p.check(d, [{ x: c.inputs.x!, y: out }]);
          expect(v.pass, `${p.name}: ${v.message}`).toBe(true);
        }
      }
    }), { numRuns: 40, seed: 3 });
    console.log(`softmax f32 emulation: largest error / bound = ${worst.toExponential(2)}`);
  });
  it('softmax: the bound rejects a kernel without the max subtraction at huge logits', () => {
    const x = new Float32Array([100, 0, 1]);
    const y = softmax(x, 1, 3);
    const tol = softmaxFamily.tolerance({ shape: { rows: 1, cols: 3, seed: 0, dist: 'uniform' }, inputs: { x } }, { y }).y!;
    const naive = x.map((v) => f(Math.exp(v)) / (f(Math.exp(100)) + 1 + f(Math.exp(1))));
    expect(compareArrays(naive, y, tol).pass).toBe(false);
  });
  it('mlp: the f32 emulation of the four stages is within the propagated bound', () => {
    for (const weights of ['real', 'random'] as const) {
      const c = mlpCase({ batch: 10, seed: 5, weights, images: 'test' });
      const { x, w1, b1, w2, b2 } = c.inputs as Record<string, Float32Array>;
      const h = matmulF32(x!, w1!, b1!, 10, 128, 784).map((v) => Math.max(v, 0));
      const z = matmulF32(h, w2!, b2!, 10, 10, 128);
      const p = softmaxF32(z, 10, 10);
      const t = mlp(x!, { w1: w1!, b1: b1!, w2: w2!, b2: b2! }, 10);
      const cmp = compareArrays(p, t.probs, mlpTolerance(c, t));
      console.log(`mlp (${weights}) f32 emulation: largest error / bound = ${cmp.measure.boundRatio.toExponential(2)}`);
      expect(cmp.pass).toBe(true);
      expect(mlpFamily.reference(c).probs!.length).toBe(100);
    }
  });
});

describe('relu family', () => {
  it('is exact, its tolerance is zero', () => {
    const c = reluFamily.cases;
    fc.assert(fc.property(c, (k) => {
      const t = reluFamily.tolerance(k, reluFamily.reference(k));
      expect(t.y!.every((v) => v === 0)).toBe(true);
    }), { numRuns: 5 });
    expect(reluFamily.exact).toBe(true);
  });
});

describe('values', () => {
  it('the PRNG is deterministic and seeds differ', () => {
    expect(Array.from(fillF32(1, 5, 'uniform'))).toEqual(Array.from(fillF32(1, 5, 'uniform')));
    expect(Array.from(fillF32(1, 5, 'uniform'))).not.toEqual(Array.from(fillF32(2, 5, 'uniform')));
    const r = rng(9);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 7);
      expect(v >= 3 && v <= 7).toBe(true);
    }
  });
  it('permutations are permutations', () => {
    const p = Array.from(permutation(4, 100)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
  it('every value is an f32 value', () => {
    for (const d of ['uniform', 'normal', 'wide', 'edge', 'subnormal', 'dyadic', 'huge'] as const) {
      for (const v of fillF32(3, 500, d)) expect(Math.fround(v)).toBe(v);
    }
  });
});
