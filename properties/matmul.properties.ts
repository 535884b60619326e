// The matmul family: C = A·B + bias. The bound is Higham's dot-product bound with the bias as a (K+1)-th term.
import * as fc from 'fast-check';
import { dotProductBoundOf } from '../harness/bounds/gamma.ts';
import { ulpDistance } from '../harness/bounds/f32.ts';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import type { MatmulShape } from '../kernels/matmul.kernel.ts';
import { matmul } from '../reference/matmul.ts';
import { distArb, edgeSize, fillF32, permutation, seedArb, subSeed, type ValueDist } from './values.ts';
import { bitsAgreement, compareVerdict } from './verdict.ts';

/**
 * How A, and B with the bias, are filled. Pairs are chosen so that no partial sum can overflow: 'edge' and
 * 'subnormal' A (up to 2^101, tiny normals, subnormals) meet a B in (−1, 1); 'wide' (2^±30) meets 'wide'.
 */
export const MATMUL_DISTS = ['uniform', 'normal', 'dyadic', 'wide', 'edge', 'subnormal'] as const;
export type MatmulDist = (typeof MATMUL_DISTS)[number];

const B_DIST: Record<MatmulDist, ValueDist> = {
  uniform: 'uniform',
  normal: 'normal',
  dyadic: 'dyadic',
  wide: 'wide',
  edge: 'uniform',
  subnormal: 'normal',
};

export interface MatmulDraw extends MatmulShape {
  seed: number;
  dist: MatmulDist;
}

/** 300 is the family's maximum; 8 is the reference kernel's tile, so 7, 8, 9, 17 and 300 itself come up often. */
const dim = edgeSize(300, [8, 16]);

export const matmulDraw: fc.Arbitrary<MatmulDraw> = fc.record({
  M: dim,
  N: dim,
  K: dim,
  seed: seedArb,
  dist: distArb(MATMUL_DISTS),
});

export function matmulCase(d: MatmulDraw): Case<MatmulDraw> {
  return {
    shape: d,
    inputs: {
      a: fillF32(subSeed(d.seed, 0), d.M * d.K, d.dist),
      b: fillF32(subSeed(d.seed, 1), d.K * d.N, B_DIST[d.dist]),
      bias: fillF32(subSeed(d.seed, 2), d.N, B_DIST[d.dist]),
    },
  };
}

/**
 * Allowed |ĉ_ij − c_ij|. The kernel computes the dot product of row i of A and column j of B in some order, then
 * adds the bias: that is a dot product of length K + 1 whose last term is bias_j · 1 (an exact product), so Higham's
 * bound |fl(x·y) − x·y| ≤ γ_{K+1} Σ|x_k||y_k| covers the products, the K − 1 additions and the bias addition alike,
 * in any order and with or without fused multiply-add. dotProductBoundOf adds the flush-to-zero terms (a subnormal
 * input may lose its whole product, and each operation may flush a subnormal result).
 */
export function matmulTolerance(a: ArrayLike<number>, b: ArrayLike<number>, bias: ArrayLike<number>, s: MatmulShape): Float64Array {
  const { M, N, K } = s;
  const tol = new Float64Array(M * N);
  const x = new Float64Array(K + 1);
  const y = new Float64Array(K + 1);
  y[K] = 1;
  for (let i = 0; i < M; i++) {
    for (let k = 0; k < K; k++) x[k] = a[i * K + k]!;
    for (let j = 0; j < N; j++) {
      for (let k = 0; k < K; k++) y[k] = b[k * N + j]!;
      x[K] = bias[j]!;
      tol[i * N + j] = dotProductBoundOf(x, y);
    }
  }
  return tol;
}

/** Same value, ±0 alike: the exact properties below compare this way. */
function exactVerdict(actual: ArrayLike<number>, expected: ArrayLike<number>, label: (i: number) => string): Verdict {
  let ulp = 0;
  let abs = 0;
  let first = -1;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const v = actual[i]!;
    if (v !== e) {
      if (first < 0) first = i;
      abs = Math.max(abs, Number.isNaN(v - e) ? Infinity : Math.abs(v - e));
      ulp = Math.max(ulp, ulpDistance(v, e));
    }
  }
  const measure = { abs, ulp, boundRatio: first < 0 ? 0 : Infinity };
  if (first < 0) return { pass: true, measure };
  return { pass: false, message: label(first), measure, worst: { buffer: 'c', index: first } };
}

/** Values for the exactness properties: no subnormals (a flushed input would change a product) and no 2^100s. */
const EXACT_DISTS = ['uniform', 'normal', 'dyadic', 'wide'] as const satisfies readonly MatmulDist[];

const identity: Property<MatmulDraw, { M: number; K: number; seed: number; dist: MatmulDist }> = {
  name: 'identity',
  description:
    'A·I + 0 = A exactly (±0 aside): each output is one product a·1, K − 1 additions of (±0)·a = ±0 and a zero bias, ' +
    'all exact in f32 whatever the rounding.',
  bound: 'exact',
  arbitrary: fc.record({ M: dim, K: dim, seed: seedArb, dist: distArb(EXACT_DISTS) }),
  runs: ({ M, K, seed, dist }) => {
    const b = new Float32Array(K * K);
    for (let k = 0; k < K; k++) b[k * K + k] = 1;
    return [{ shape: { M, N: K, K, seed, dist }, inputs: { a: fillF32(subSeed(seed, 0), M * K, dist), b, bias: new Float32Array(K) } }];
  },
  check: ({ M, K, seed, dist }, [out]) => {
    const a = fillF32(subSeed(seed, 0), M * K, dist);
    return exactVerdict(out!.c!, a, (i) => `(A·I)[${Math.floor(i / K)}][${i % K}] = ${out!.c![i]}, A holds ${a[i]}`);
  },
};

interface ScaleDraw extends MatmulDraw {
  p: number;
}

const powerOfTwoScaling: Property<MatmulDraw, ScaleDraw> = {
  name: 'power-of-two-scaling',
  description:
    'Scaling A and the bias by 2^p scales C by exactly 2^p: with no overflow or underflow, every product, sum and ' +
    'rounding commutes with a power-of-two scale. Assumes the implementation rounds the same way on both runs ' +
    '(IEEE round-to-nearest does); WGSL alone would let a rounding go either way each time.',
  bound: 'exact',
  arbitrary: fc.record({ M: dim, N: dim, K: dim, seed: seedArb, dist: distArb(EXACT_DISTS), p: fc.integer({ min: -20, max: 20 }) }),
  runs: (d) => {
    const base = matmulCase(d);
    const s = 2 ** d.p;
    const scaled = { ...base.inputs, a: base.inputs.a!.map((v) => v * s), bias: base.inputs.bias!.map((v) => v * s) };
    return [base, { shape: d, inputs: scaled }];
  },
  check: (d, [once, scaled]) => {
    const expect = once!.c!.map((v) => v * 2 ** d.p);
    return exactVerdict(scaled!.c!, expect, (i) => `C(2^${d.p}·A)[${i}] = ${scaled!.c![i]}, but 2^${d.p}·C(A)[${i}] = ${expect[i]}`);
  },
};

interface PermDraw extends MatmulDraw {
  permSeed: number;
}

const rowPermutation: Property<MatmulDraw, PermDraw> = {
  name: 'row-permutation',
  description:
    'Permuting the rows of A permutes the rows of C: each row of C(PA) is within the sum of both runs\' bounds of the ' +
    'same row of C(A). Not bit for bit: a row may be summed by other operations where it sits in another tile (a ' +
    'vectorised path for whole tiles, a scalar one for the last), which WGSL allows; how many elements differ in ' +
    'their bits is in the notes.',
  bound: '|ĉ(PA)_ij − ĉ(A)_p(i)j| ≤ 2 · tol_p(i)j',
  arbitrary: fc.record({ M: dim, N: dim, K: dim, seed: seedArb, dist: distArb(MATMUL_DISTS), permSeed: seedArb }),
  runs: (d) => {
    const base = matmulCase(d);
    const p = permutation(d.permSeed, d.M);
    const a = base.inputs.a!;
    const pa = new Float32Array(a.length);
    for (let i = 0; i < d.M; i++) pa.set(a.subarray(p[i]! * d.K, (p[i]! + 1) * d.K), i * d.K);
    return [base, { shape: d, inputs: { ...base.inputs, a: pa } }];
  },
  check: (d, [once, permuted]) => {
    const p = permutation(d.permSeed, d.M);
    const { a, b, bias } = matmulCase(d).inputs;
    // Row i of PA is row p(i) of A, so both runs' bounds for that row are A's bound for row p(i).
    const tol = matmulTolerance(a!, b!, bias!, d);
    const c = once!.c!;
    const got = permuted!.c!;
    const expect = new Float32Array(c.length);
    const allowed = new Float64Array(c.length);
    for (let i = 0; i < d.M; i++) {
      expect.set(c.subarray(p[i]! * d.N, (p[i]! + 1) * d.N), i * d.N);
      for (let j = 0; j < d.N; j++) allowed[i * d.N + j] = 2 * tol[p[i]! * d.N + j]!;
    }
    const v = compareVerdict('c', got, expect, allowed, 'C(PA) against the rows of C(A) in the permuted order', { expectedIs: 'C(A) in the permuted order' });
    return { ...v, notes: { ...v.notes, ...bitsAgreement(got, expect) } };
  },
};

const family: Family<MatmulDraw> = {
  name: 'matmul',
  cases: matmulDraw.map(matmulCase),
  reference: (c) => ({ c: matmul(c.inputs.a!, c.inputs.b!, c.inputs.bias!, c.shape.M, c.shape.N, c.shape.K).c }),
  tolerance: (c) => ({ c: matmulTolerance(c.inputs.a!, c.inputs.b!, c.inputs.bias!, c.shape) }),
  properties: [identity, powerOfTwoScaling, rowPermutation],
};

export default family;
