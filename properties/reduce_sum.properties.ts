// The reduce_sum family: one f32 sum of n values, through kernels/reduce_sum.wgsl's 512-fold tree passes.
//
// Default bound (any correct implementation). Whatever the order or tree of the additions (a sequential loop per
// invocation, a tree in workgroup memory, several passes, subgroup operations, any reassociation) the result is an
// instance of Higham's Algorithm 4.1 and |ŝ − s| ≤ γ_{n−1} Σ|x_i| (Higham, "Accuracy and Stability of Numerical
// Algorithms", 2nd ed., §4.2, eq. 4.4), with u = 2^-23 (WGSL rounds + either way), plus the flush-to-zero terms:
// sumBoundOf(x) in harness/bounds/gamma.ts. Padding with exact zeros adds nothing.
//
// Tighter bound of reduce_sum.wgsl's own tree (property matches-reference-tree, reduce_sum kernel only). The passes form one binary tree over the indices: pass p adds the pairs that differ in bit
// 9p + 8 first, then bits 9p + 7, ..., 9p (stride-halving), and everything past n is an exact 0. Element i meets a
// rounding addition only where its sibling subtree holds a real element; for a bit b ≥ k = ceil(log2 n) the sibling
// has bit b set (i < 2^k has it clear), so all its indices are ≥ 2^b ≥ n: zeros, and x + 0 is exact. So every element
// passes through at most k rounding additions, whatever the number of passes, and Higham's tree bound applies:
// |ŝ − s| ≤ γ_k Σ|x_i| (treeSumBound), plus the flush-to-zero terms (sumBoundOf(x, 'tree')).
// Integers: every partial sum is a subset sum, so when Σ|x_i| < 2^24 each is an f32 integer and nothing rounds.
import * as fc from 'fast-check';
import { sumBoundOf } from '../harness/bounds/gamma.ts';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import { REDUCE_BLOCK, type ReduceShape } from '../kernels/reduce_sum.kernel.ts';
import { sum, sumAbs } from '../reference/reduce.ts';
import { distArb, edgeSize, F32_MAX, fillF32, permutation, rng, seedArb, subSeed, type ValueDist } from './values.ts';
import { compareVerdict } from './verdict.ts';

export interface ReduceDraw extends ReduceShape {
  seed: number;
  /** negative: −|N(0, 1)|, every element below zero (the max's identity is not 0). lowest: every element within
   *  2^-10 of f32's lowest value, −3.40282347e38, all below the −3.4e38 a max seeded with "−FLT_MAX" written short
   *  starts from (trial 81 A2). */
  dist: ValueDist | 'integer' | 'negative' | 'lowest';
}

/** Sizes around the block edges (256, 512, and 512², past which a third pass starts), up to 2·512² + 3. SwiftShader
 *  takes about a second per 2^18 elements, so sizes above 8192 (the 512² edges among them) are 4 draws in 100. The
 *  full 2^24 (64 MiB in) has its own one-run property (full-size-exact). */
export const reduceSize: fc.Arbitrary<number> = edgeSize(2 * 512 * 512 + 3, [256, 512, 512 * 512], { common: 8192, rare: 4 });

// 'huge' would overflow the sum (indeterminate in WGSL, so no bound to check).
const SUM_DISTS = ['uniform', 'normal', 'dyadic', 'edge', 'wide', 'subnormal'] as const satisfies readonly ValueDist[];

export const reduceDraw = (dists: readonly ReduceDraw['dist'][]): fc.Arbitrary<ReduceDraw> =>
  fc.record({ n: reduceSize, seed: seedArb, dist: distArb(dists) });

/** Sizes for the `-spread-y` cases: n = 512k, k in [7, 13] blocks. The first pass then spreads over y with three or
 *  more workgroups in its second row (spread-y.ts), and its last block is full, so the workgroup past the end starts
 *  exactly at n: where a block guard `512w < n` moved to `<=` reads or writes one element past the end. At most 15
 *  workgroups over both passes (7 × 2, then 1), within the interpreter's default budget of 4,096 invocations. Sizes
 *  that leave a partial block are every other draw's. */
export const reduceSpreadSize: fc.Arbitrary<number> = fc.integer({ min: 7, max: 13 }).map((k) => k * REDUCE_BLOCK);

export const reduceSpreadDraw = (dists: readonly ReduceDraw['dist'][]): fc.Arbitrary<ReduceDraw> =>
  fc.record({ n: reduceSpreadSize, seed: seedArb, dist: distArb(dists) });

/** Integers in [−m, m] with n·m < 2^24: every partial sum of them is exact in f32. */
export function integers(seed: number, n: number): Float32Array {
  const m = Math.max(1, Math.min(1000, Math.floor((2 ** 24 - 1) / n)));
  const r = rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = r.int(-m, m);
  return x;
}

/** n values in [−F32_MAX, −F32_MAX·(1 − 2^-10)], F32_MAX itself among them now and then. */
function lowest(seed: number, n: number): Float32Array {
  const r = rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = r.int(0, 7) === 0 ? -F32_MAX : Math.fround(-F32_MAX * (1 - r.float() * 2 ** -10));
  return x;
}

export function reduceCase(d: ReduceDraw): Case<ReduceDraw> {
  const s = subSeed(d.seed, 0);
  const x = d.dist === 'integer' ? integers(s, d.n) : d.dist === 'negative' ? fillF32(s, d.n, 'normal').map((v) => -Math.abs(v) || -1)
    : d.dist === 'lowest' ? lowest(s, d.n) : fillF32(s, d.n, d.dist);
  return { shape: d, inputs: { x } };
}

function tolerance(c: Case<ReduceDraw>): Record<string, Float64Array> {
  return { out: Float64Array.of(sumBoundOf(c.inputs.x!)) };
}

const matchesTree: Property<ReduceDraw, Case<ReduceDraw>> = {
  name: 'matches-reference-tree',
  description: 'The sum is within the tree bound γ_⌈log2 n⌉ Σ|x| of the exact sum: every element meets at most ⌈log2 n⌉ rounding additions in reduce_sum.wgsl\'s stride-halving tree (padding adds exact zeros).',
  bound: '|ŝ − Σx| ≤ γ_⌈log2 n⌉ Σ|x| (+ flush terms)',
  assumes: 'reduce_sum.wgsl\'s binary tree over each 512-element block, passes chained (not any order)',
  arbitrary: reduceDraw([...SUM_DISTS]).map(reduceCase),
  runs: (c) => [c],
  check: (c, [out]): Verdict => compareVerdict('out', out!.out!, [sum(c.inputs.x!)], sumBoundOf(c.inputs.x!, 'tree'), `n = ${c.shape.n}, tree bound`),
};

const exactOnIntegers: Property<ReduceDraw, ReduceDraw> = {
  name: 'exact-on-integers',
  description: 'On integers whose partial sums all stay below 2^24 in magnitude (Σ|x| < 2^24), the sum is exact.',
  bound: 'out = Σx exactly',
  arbitrary: reduceDraw(['integer']),
  runs: (d) => [reduceCase(d)],
  check: (d, [out]): Verdict => {
    const x = reduceCase(d).inputs.x!;
    return compareVerdict('out', out!.out!, [sum(x)], 0, `n = ${d.n}, Σ|x| = ${sumAbs(x)}`);
  },
};

const permutationWithinBound: Property<ReduceDraw, ReduceDraw & { perm: number }> = {
  name: 'permutation-within-bound',
  description: 'Summing a permutation of x changes the result by at most twice the summation bound (each run is within γ_{n−1} Σ|x| of the exact sum, whatever the order).',
  bound: '|ŝ(x) − ŝ(πx)| ≤ 2 γ_{n−1} Σ|x|',
  arbitrary: fc.record({ n: reduceSize, seed: seedArb, dist: distArb(SUM_DISTS), perm: seedArb }),
  runs: (d) => {
    const c = reduceCase(d);
    const p = permutation(d.perm, d.n);
    const x = c.inputs.x!;
    const y = new Float32Array(d.n);
    for (let i = 0; i < d.n; i++) y[i] = x[p[i]!]!;
    return [c, { shape: d, inputs: { x: y } }];
  },
  check: (d, [a, b]): Verdict => {
    const bound = 2 * sumBoundOf(reduceCase(d).inputs.x!);
    return compareVerdict('out', a!.out!, b!.out!, bound, 'sum of x against sum of a permutation of x', { expectedIs: 'the permuted run\'s' });
  },
};

/** The largest size the kernel supports, three passes deep: one draw per run. */
export const fullSize: fc.Arbitrary<number> = fc.constantFrom(2 ** 24, 2 ** 24 - 1);

const fullSizeExact: Property<ReduceDraw, ReduceDraw> = {
  ...exactOnIntegers,
  name: 'full-size-exact',
  description: 'exact-on-integers at n = 2^24 and 2^24 − 1 (three passes; integers in [−1, 1], so Σ|x| < 2^24).',
  // Not shrunk: every candidate is another 2^24-element dispatch (minutes on SwiftShader), and a smaller seed is not a
  // smaller case.
  arbitrary: fc.noShrink(fc.record({ n: fullSize, seed: seedArb, dist: fc.constant('integer' as const) })),
  runsScale: 0.01,
};

const family: Family<ReduceDraw> = {
  name: 'reduce_sum',
  cases: reduceDraw([...SUM_DISTS, 'integer']).map(reduceCase),
  spreadCases: reduceSpreadDraw([...SUM_DISTS, 'integer']).map(reduceCase),
  reference: (c) => ({ out: Float64Array.of(sum(c.inputs.x!)) }),
  tolerance,
  properties: [exactOnIntegers, permutationWithinBound, fullSizeExact],
  kernelProperties: { reduce_sum: [matchesTree] },
};

export default family;
