// The scatter_add family: each bin is a sum of the values sent to it, added in whatever order the atomics land, so
// its bound is Higham's for any order: |ŝ_b − s_b| ≤ γ_{k−1} Σ|v| over the bin's k values (sumBoundOf).
import { edgeSize, fc, fillF32, rng, seedArb, subSeed, sumBoundOf, compareVerdict, type Case, type Family, type Property, type Verdict } from 'kernelscope/kit';
import type { ScatterShape } from '../kernels/scatter_add.kernel.ts';
import { scatterAdd } from '../reference/scatter_add.ts';

export interface ScatterDraw extends ScatterShape {
  seed: number;
}

const draw: fc.Arbitrary<ScatterDraw> = fc.record({ n: edgeSize(4096, [64]), bins: edgeSize(64, [1]), seed: seedArb });

function scatterCase(d: ScatterDraw): Case<ScatterDraw> {
  const r = rng(subSeed(d.seed, 0));
  const idx = new Uint32Array(d.n);
  for (let i = 0; i < d.n; i++) idx[i] = r.int(0, d.bins - 1);
  return { shape: d, inputs: { idx, val: fillF32(subSeed(d.seed, 1), d.n, 'normal') } };
}

function tolerance(c: Case<ScatterDraw>): Record<string, Float64Array> {
  const { terms } = scatterAdd(c.inputs.idx!, c.inputs.val!, c.shape.bins);
  return { out: Float64Array.from(terms, (t) => sumBoundOf(t)) };
}

const total: Property<ScatterDraw, ScatterDraw> = {
  name: 'bins-sum-to-total',
  description: 'The bins together hold every value once: Σ_b ŝ_b equals Σ val within the bins\' bounds plus the bound of summing the bins (f64 here).',
  bound: '|Σ_b ŝ_b − Σ v| ≤ Σ_b t_b',
  arbitrary: draw,
  runs: (d) => [scatterCase(d)],
  check: (d, [o]): Verdict => {
    const c = scatterCase(d);
    let got = 0;
    let want = 0;
    for (const v of o!.out!) got += v;
    for (const v of c.inputs.val!) want += v;
    const t = tolerance(c).out!.reduce((a, b) => a + b, 0) + d.n * 2 ** -50 * Math.max(1, Math.abs(want));
    return compareVerdict('out', [got], [want], t, 'Σ of the bins against Σ val');
  },
};

const family: Family<ScatterDraw> = {
  name: 'scatter_add',
  cases: draw.map(scatterCase),
  reference: (c) => ({ out: scatterAdd(c.inputs.idx!, c.inputs.val!, c.shape.bins).out }),
  tolerance,
  properties: [total],
};

export default family;
