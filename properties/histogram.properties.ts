// The histogram family: integer counts, so exact whatever order the atomics land in.
import * as fc from 'fast-check';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import { MAX_BINS, type HistogramShape } from '../kernels/histogram.kernel.ts';
import { histogram } from '../reference/histogram.ts';
import { edgeSize, permutation, rng, seedArb, subSeed } from './values.ts';
import { compareVerdict } from './verdict.ts';

/** uniform: any u32 key; skewed: 90% of keys in 3 bins (heavy atomic contention); single: every key the same. */
export const KEY_DISTS = ['uniform', 'skewed', 'single'] as const;

export interface HistogramDraw extends HistogramShape {
  seed: number;
  dist: (typeof KEY_DISTS)[number];
}

const draw: fc.Arbitrary<HistogramDraw> = fc.record({
  // SwiftShader's atomics cost about a microsecond each: mostly small cases around the tiles, 4 in 100 above 4096
  // keys (up to 2^16); 2^20 keys have their own few-run property (large-input-exact).
  n: edgeSize(1 << 16, [256], { common: 4096, rare: 4 }),
  bins: edgeSize(MAX_BINS, [256]),
  seed: seedArb,
  dist: fc.constantFrom(...KEY_DISTS),
});

export function histogramCase(d: HistogramDraw): Case<HistogramDraw> {
  const r = rng(subSeed(d.seed, 0));
  const keys = new Uint32Array(d.n);
  const hot = [r.u32(), r.u32(), r.u32()];
  for (let i = 0; i < d.n; i++) {
    keys[i] = d.dist === 'single' ? hot[0]! : d.dist === 'skewed' && r.chance(0.9) ? r.pick(hot) : r.u32();
  }
  return { shape: d, inputs: { keys } };
}

const permutationInvariant: Property<HistogramDraw, HistogramDraw & { perm: number }> = {
  name: 'permutation-invariant',
  description: 'Counting a permutation of the keys gives the same counts: integer atomics commute.',
  bound: 'counts(πk) = counts(k) exactly',
  arbitrary: draw.chain((d) => seedArb.map((perm) => ({ ...d, perm }))),
  runs: (d) => {
    const keys = histogramCase(d).inputs.keys!;
    const p = permutation(d.perm, d.n);
    const shuffled = new Uint32Array(d.n);
    for (let i = 0; i < d.n; i++) shuffled[i] = keys[p[i]!]!;
    return [{ shape: d, inputs: { keys } }, { shape: d, inputs: { keys: shuffled } }];
  },
  check: (_d, [a, b]) => compareVerdict('counts', b!.counts!, a!.counts!, 0, 'counts of shuffled keys against counts of the keys'),
};

const totalIsLength: Property<HistogramDraw, HistogramDraw> = {
  name: 'total-equals-length',
  description: 'The counts add up to the number of keys: none lost to a race, none counted twice.',
  bound: 'Σ counts = n',
  arbitrary: draw,
  runs: (d) => [histogramCase(d)],
  check: (d, [out]): Verdict => {
    const counts = out!.counts!;
    let total = 0;
    for (let i = 0; i < counts.length; i++) total += counts[i]!;
    if (total === d.n) return { pass: true, measure: { abs: 0, ulp: 0, boundRatio: 0 } };
    return {
      pass: false,
      message: `the ${d.bins} counts add up to ${total}, but there were ${d.n} keys (${d.dist})`,
      measure: { abs: Math.abs(total - d.n), ulp: 0, boundRatio: Infinity },
    };
  },
};

const largeInputExact: Property<HistogramDraw, HistogramDraw> = {
  name: 'large-input-exact',
  description: 'At 2^20 keys (a grid-stride loop of 16 keys per invocation over 256 workgroups) the counts equal the reference exactly.',
  bound: 'counts = reference counts exactly',
  arbitrary: fc.record({ n: fc.constant(1 << 20), bins: edgeSize(MAX_BINS, [256]), seed: seedArb, dist: fc.constantFrom(...KEY_DISTS) }),
  runsScale: 0.02,
  runs: (d) => [histogramCase(d)],
  check: (d, [out]) => compareVerdict('counts', out!.counts!, histogram(histogramCase(d).inputs.keys!, d.bins), 0, `${d.n} ${d.dist} keys into ${d.bins} bins`),
};

const family: Family<HistogramDraw> = {
  name: 'histogram',
  cases: draw.map(histogramCase),
  reference: (c) => ({ counts: histogram(c.inputs.keys!, c.shape.bins) }),
  tolerance: (c) => ({ counts: new Float64Array(c.shape.bins) }),
  properties: [permutationInvariant, totalIsLength, largeInputExact],
  exact: true,
};

export default family;
