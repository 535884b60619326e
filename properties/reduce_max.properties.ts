// The reduce_max family: max of n f32 values. max is exact in WGSL (no rounding), so the result must be the largest
// input bit for bit (up to the sign of zero, and a subnormal that may be flushed to zero), whatever the order. Where
// the largest is below 2^-126 in magnitude, any input that small is the max to an implementation that flushes the
// operands of its comparisons, which a max folded by select passes through (TIES).
import * as fc from 'fast-check';
import type { Family, Property, Verdict } from '../harness/spec.ts';
import { REDUCE_BLOCK } from '../kernels/reduce_sum.kernel.ts';
import { max } from '../reference/reduce.ts';
import { distArb, permutation, seedArb } from './values.ts';
import { reduceCase, reduceDraw, reduceSize, reduceSpreadDraw, reduceSpreadSize, type ReduceDraw } from './reduce_sum.properties.ts';
import { formatValue } from '../harness/compare.ts';
import { blameFirst, compareVerdict } from './verdict.ts';

// 'negative' (every element below zero) is what tells a max that starts from 0, the sum's identity, from one that
// starts from a member of the input: with signs drawn at random, an all-negative input is a 2^-n event.
/** compareVerdict's options here: the family's flushTies. */
const TIES = { flushTies: true } as const;

const MAX_DISTS = ['uniform', 'normal', 'edge', 'wide', 'huge', 'dyadic', 'subnormal', 'integer', 'negative', 'lowest'] as const satisfies readonly ReduceDraw['dist'][];

/** Moves the largest element to the front, the back, or the middle: where a block's edge handling would drop it. */
function withMaxAt(x: Float32Array, where: number): Float32Array {
  const y = x.slice();
  let at = 0;
  for (let i = 1; i < y.length; i++) if (y[i]! > y[at]!) at = i;
  const to = where === 0 ? 0 : where === 1 ? y.length - 1 : Math.floor(y.length / 2);
  const t = y[to]!;
  y[to] = y[at]!;
  y[at] = t;
  return y;
}

const permutationInvariant: Property<ReduceDraw, ReduceDraw & { perm: number; where: number }> = {
  name: 'permutation-invariant',
  description: 'The max of a permutation of x is the same value (max never rounds), including with the largest element moved to the first, last or middle position.',
  bound: 'max(πx) = max(x) exactly',
  arbitrary: fc.record({ n: reduceSize, seed: seedArb, dist: distArb(MAX_DISTS), perm: seedArb, where: fc.integer({ min: 0, max: 3 }) }),
  runs: (d) => {
    const x = reduceCase(d).inputs.x as Float32Array;
    let y: Float32Array;
    if (d.where < 3) y = withMaxAt(x, d.where);
    else {
      const p = permutation(d.perm, d.n);
      y = new Float32Array(d.n);
      for (let i = 0; i < d.n; i++) y[i] = x[p[i]!]!;
    }
    return [{ shape: d, inputs: { x } }, { shape: d, inputs: { x: y } }];
  },
  check: (d, [a, b]): Verdict => {
    // Both must also be the true max (or its flush): a kernel that is consistently wrong is caught here.
    const onX = compareVerdict('out', a!.out!, [max(reduceCase(d).inputs.x!)], 0, 'max of x', TIES);
    const same = compareVerdict('out', b!.out!, a!.out!, 0, 'max of a rearranged x against max of x', { expectedIs: 'the run on x', ...TIES });
    return same.pass ? onX : blameFirst(same, onX, `the rearranged x gave ${formatValue(b!.out![0]!)}`);
  },
};

/** Positions where a block-wise kernel's edges would drop an element: the first, second and last of every aligned
 *  run of 128 (so of blocks of 128, 256, 512 or 1024 and of their halves), and the last element. */
export function edgePositions(n: number): number[] {
  const at = new Set<number>([n - 1]);
  for (let p = 0; p < n; p += 128) for (const q of [p, p + 1, p + 127]) if (q < n) at.add(q);
  return [...at].sort((a, b) => a - b);
}

/** x with its largest element moved to position p, and any other element equal to it set to the smallest one: the
 *  element at p is then the only one that holds the max. */
function uniqueMaxAt(x: Float32Array, p: number): Float32Array {
  const y = withMaxAt(x, 0);
  const m = y[0]!;
  let lo = m;
  for (const v of y) if (v < lo) lo = v;
  for (let i = 1; i < y.length; i++) if (y[i] === m) y[i] = lo;
  y[0] = y[p]!;
  y[p] = m;
  return y;
}

const maxFoundAnywhere: Property<ReduceDraw, ReduceDraw> = {
  name: 'max-found-anywhere',
  description:
    'The max is found wherever it lies: for each position next to a multiple of 128 (0, 1 and 127 past it) and the last one, a case of n ≤ 2100 ' +
    'with the largest element moved there and no other element equal to it. A kernel that never reads some element (a read offset off by a ' +
    'block, the upper half of a last block skipped) misses the max at one of them.',
  bound: 'max(x) exactly, for the max at each of those positions',
  arbitrary: fc.record({ n: fc.integer({ min: 1, max: 2100 }), seed: seedArb, dist: distArb(MAX_DISTS) }),
  runs: (d) => {
    const x = reduceCase(d).inputs.x as Float32Array;
    return edgePositions(d.n).map((p) => ({ shape: d, inputs: { x: uniqueMaxAt(x, p) } }));
  },
  check: (d, outs): Verdict => {
    const x = reduceCase(d).inputs.x!;
    const at = edgePositions(d.n);
    let v: Verdict = { pass: true };
    for (const [k, out] of outs.entries()) {
      v = compareVerdict('out', out.out!, [max(x)], 0, `max of ${d.n} values, the largest at position ${at[k]}`, TIES);
      if (!v.pass) return v;
    }
    return v;
  },
};

const maxInEachBlock: Property<ReduceDraw, ReduceDraw & { at: number }> = {
  name: 'max-in-each-block-spread-y',
  description:
    `max-found-anywhere for a dispatch spread over y (a lowered maxComputeWorkgroupsPerDimension, as for the -spread-y properties): for n = ${REDUCE_BLOCK}k, ` +
    `k ≥ 7, one case per block of ${REDUCE_BLOCK} with the largest element moved into that block (at one drawn offset) and no other element equal to it. ` +
    'An index that sends a workgroup of the second row to the wrong block (num_workgroups.y read for .x, a sign or an operator wrong) leaves a block unread, and the max there is missed. A case whose dispatch does not spread is skipped.',
  bound: 'max(x) exactly, for the max in each block',
  arbitrary: fc.record({ n: reduceSpreadSize, seed: seedArb, dist: distArb(MAX_DISTS), at: fc.integer({ min: 0, max: REDUCE_BLOCK - 1 }) }),
  // Each draw is already 7 to 13 cases, one per block: about a third as many draws as --runs.
  runsScale: 0.34,
  runs: (d) => {
    const x = reduceCase(d).inputs.x as Float32Array;
    return Array.from({ length: d.n / REDUCE_BLOCK }, (_, b) => ({ shape: d, inputs: { x: uniqueMaxAt(x, b * REDUCE_BLOCK + d.at) }, spreadY: true }));
  },
  check: (d, outs): Verdict => {
    const m = [max(reduceCase(d).inputs.x!)];
    let v: Verdict = { pass: true };
    for (const [b, out] of outs.entries()) {
      v = compareVerdict('out', out.out!, m, 0, `max of ${d.n} values dispatched spread over y, the largest in block ${b} (position ${b * REDUCE_BLOCK + d.at})`, TIES);
      if (!v.pass) return v;
    }
    return v;
  },
};

const family: Family<ReduceDraw> = {
  name: 'reduce_max',
  cases: reduceDraw(MAX_DISTS).map(reduceCase),
  spreadCases: reduceSpreadDraw(MAX_DISTS).map(reduceCase),
  reference: (c) => ({ out: Float64Array.of(max(c.inputs.x!)) }),
  tolerance: () => ({ out: Float64Array.of(0) }),
  properties: [permutationInvariant, maxFoundAnywhere, maxInEachBlock],
  exact: true,
  flushTies: true,
};

export default family;
