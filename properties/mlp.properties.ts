// The mlp family: softmax(relu(x·W1 + b1)·W2 + b2), against the composition of the f64 references, and the real
// vibe-infer model classifying its ten test digits.
import * as fc from 'fast-check';
import { MIN_NORMAL_F32 } from '../harness/bounds/f32.ts';
import { dotProductBound, dotProductBoundOf } from '../harness/bounds/gamma.ts';
import { compareArrays } from '../harness/compare.ts';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import { vibeInfer } from '../fixtures/vibe-infer/load.ts';
import { MLP_HIDDEN, MLP_IN, MLP_OUT, type MlpShape } from '../kernels/mlp.kernel.ts';
import { mlp, type MlpTrace } from '../reference/mlp.ts';
import { softmaxTolerance } from './softmax-bound.ts';
import { fillF32, rng, seedArb, subSeed } from './values.ts';

/**
 * weights: 'real' is the trained vibe-infer model, 'random' a freshly drawn one of the same shape (uniform in
 * ±1/√fan-in, the usual initialisation scale). images: 'test' cycles the ten test digits, 'random' draws N(0, 1)
 * pixels (the test images are normalised to about that scale).
 */
export interface MlpDraw extends MlpShape {
  seed: number;
  weights: 'real' | 'random';
  images: 'test' | 'random';
}

export const mlpDraw: fc.Arbitrary<MlpDraw> = fc.record({
  batch: fc.oneof(fc.constantFrom(1, 10, 7, 8, 9, 17), fc.integer({ min: 1, max: 32 })),
  seed: seedArb,
  weights: fc.constantFrom('real', 'random'),
  images: fc.constantFrom('test', 'random'),
});

function scaled(seed: number, n: number, fanIn: number): Float32Array {
  const s = 1 / Math.sqrt(fanIn);
  return fillF32(seed, n, 'uniform').map((v) => Math.fround(v * s));
}

export function mlpCase(d: MlpDraw): Case<MlpDraw> {
  const real = vibeInfer();
  const w =
    d.weights === 'real'
      ? { w1: real.w1.slice(), b1: real.b1.slice(), w2: real.w2.slice(), b2: real.b2.slice() }
      : {
          w1: scaled(subSeed(d.seed, 1), MLP_IN * MLP_HIDDEN, MLP_IN),
          b1: scaled(subSeed(d.seed, 2), MLP_HIDDEN, MLP_IN),
          w2: scaled(subSeed(d.seed, 3), MLP_HIDDEN * MLP_OUT, MLP_HIDDEN),
          b2: scaled(subSeed(d.seed, 4), MLP_OUT, MLP_HIDDEN),
        };
  const x = new Float32Array(d.batch * MLP_IN);
  if (d.images === 'test') {
    // Which digit each row holds is drawn from the seed, so a batch is not always 7 2 1 0 ...
    const r = rng(subSeed(d.seed, 0));
    const start = r.int(0, 9);
    for (let i = 0; i < d.batch; i++) x.set(real.images.subarray(((start + i) % 10) * MLP_IN, ((start + i) % 10 + 1) * MLP_IN), i * MLP_IN);
  } else {
    x.set(fillF32(subSeed(d.seed, 0), d.batch * MLP_IN, 'normal'));
  }
  return { shape: d, inputs: { x, ...w } };
}

function reference(c: Case<MlpDraw>): MlpTrace {
  const { x, w1, b1, w2, b2 } = c.inputs;
  return mlp(x!, { w1: w1!, b1: b1!, w2: w2!, b2: b2! }, c.shape.batch);
}

/**
 * Allowed |prob − exact prob|, by propagating each stage's error bound through the next:
 * 1. hidden = x·W1 + b1: |ĥ − h| ≤ E1 = γ_785 (|x||W1| + |b1|) (+ flush terms), the matmul bound with K = 784.
 * 2. act = relu(ĥ): relu is exact and 1-Lipschitz, so |â − a| ≤ E1 (+ 2^-126 if relu flushes a subnormal).
 * 3. logits = â·W2 + b2: |ẑ − z| ≤ |â − a|·|W2| (the inherited error) + γ_129 (|â||W2| + |b2|) (this layer's
 *    rounding, with |â| ≤ |a| + E1), + 2^-126·Σ|W2| for any â that may be a flushed subnormal.
 * 4. probs = softmax(ẑ): the softmax bound with an input error Δ = max_j |ẑ_j − z_j| per row (softmaxRowTolerance
 *    folds Δ into every x − max it sees, so the error of the logits and the kernel's own are both counted).
 */
export function mlpTolerance(c: Case<MlpDraw>, t: MlpTrace): Float64Array {
  const { x, w1, b1, w2, b2 } = c.inputs as Record<string, Float32Array>;
  const B = c.shape.batch;
  const e1 = new Float64Array(B * MLP_HIDDEN);
  const xr = new Float64Array(MLP_IN + 1);
  const wc = new Float64Array(MLP_IN + 1);
  wc[MLP_IN] = 1;
  for (let i = 0; i < B; i++) {
    for (let k = 0; k < MLP_IN; k++) xr[k] = x![i * MLP_IN + k]!;
    for (let j = 0; j < MLP_HIDDEN; j++) {
      for (let k = 0; k < MLP_IN; k++) wc[k] = w1![k * MLP_HIDDEN + j]!;
      xr[MLP_IN] = b1![j]!;
      e1[i * MLP_HIDDEN + j] = dotProductBoundOf(xr, wc) + MIN_NORMAL_F32;
    }
  }
  const delta = new Float64Array(B);
  for (let i = 0; i < B; i++) {
    let worst = 0;
    for (let j = 0; j < MLP_OUT; j++) {
      let inherited = 0;
      let absDot = Math.abs(b2![j]!);
      let absW = 0;
      for (let k = 0; k < MLP_HIDDEN; k++) {
        const w = Math.abs(w2![k * MLP_OUT + j]!);
        const e = e1[i * MLP_HIDDEN + k]!;
        inherited += e * w;
        absDot += (t.act[i * MLP_HIDDEN + k]! + e) * w;
        absW += w;
      }
      const err = inherited + dotProductBound(absDot, MLP_HIDDEN + 1) + MIN_NORMAL_F32 * absW;
      worst = Math.max(worst, err);
    }
    delta[i] = worst;
  }
  return softmaxTolerance(t.logits, t.probs, B, MLP_OUT, delta, 'direct');
}

function argmax(v: ArrayLike<number>, from: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (v[from + j]! > v[from + best]!) best = j;
  return best;
}

const classifiesTestDigits: Property<MlpDraw, null> = {
  name: 'classifies-test-digits',
  description:
    'The real vibe-infer weights classify the ten test digits as their labels (7 2 1 0 4 1 4 9 5 9), the first (a 7) ' +
    'with probability ≥ 0.999, each argmax agreeing with the f64 reference, and every probability within the ' +
    'propagated bound of the reference.',
  bound: 'argmax = label; p(7 | digit 0) ≥ 0.999; |p − p_ref| ≤ tol (mlpTolerance)',
  arbitrary: fc.constant(null),
  runsScale: 0.01,
  runs: () => [testDigitsCase()],
  check: (_v, [out]): Verdict => {
    const c = testDigitsCase();
    const t = reference(c);
    const tol = mlpTolerance(c, t);
    const probs = out!.probs!;
    const labels = vibeInfer().labels;
    const cmp = compareArrays(probs, t.probs, tol);
    const predicted: number[] = [];
    for (let i = 0; i < 10; i++) predicted.push(argmax(probs, i * MLP_OUT, MLP_OUT));
    const notes = { predicted: predicted.join(' '), firstDigitConfidence: probs[7]! };
    for (let i = 0; i < 10; i++) {
      const ref = argmax(t.probs, i * MLP_OUT, MLP_OUT);
      if (predicted[i] !== labels[i] || ref !== labels[i]) {
        return {
          pass: false,
          message: `digit ${i} (label ${labels[i]}) classified as ${predicted[i]} (reference: ${ref}); probabilities ${Array.from(probs.subarray(i * MLP_OUT, (i + 1) * MLP_OUT), (p) => p.toFixed(4)).join(' ')}`,
          measure: cmp.measure,
          worst: { buffer: 'probs', index: i * MLP_OUT + predicted[i]! },
          notes,
        };
      }
    }
    if (!(probs[7]! >= 0.999)) {
      return { pass: false, message: `the first digit is a 7 with probability ${probs[7]}, below 0.999`, measure: cmp.measure, worst: { buffer: 'probs', index: 7 }, notes };
    }
    if (!cmp.pass) {
      const f = cmp.firstFailure!;
      return { pass: false, message: `probs[${f.index}] = ${f.actual}, reference ${f.expected} ± ${f.allowed}`, measure: cmp.measure, worst: { buffer: 'probs', index: f.index }, notes };
    }
    return { pass: true, measure: cmp.measure, worst: { buffer: 'probs', index: cmp.worst }, notes };
  },
};

/** How far shiftedLogits lowers b2: every logit near −1000, where exp(logit) is 0 in f32 (below e^−104). */
const LOGIT_SHIFT = 1000;

function shifted(c: Case<MlpDraw>): Case<MlpDraw> {
  return { ...c, inputs: { ...c.inputs, b2: c.inputs.b2!.map((v) => Math.fround(v - LOGIT_SHIFT)) } };
}

const shiftedLogits: Property<MlpDraw, MlpDraw> = {
  name: 'finite-at-shifted-logits',
  description:
    `With b2 lowered by ${LOGIT_SHIFT}, so that every logit is near −${LOGIT_SHIFT} and exp of it underflows to 0, the probabilities are ` +
    'within the propagated bound of the float64 reference (the matmul bound counts |b2|): the softmax stage must subtract the row\'s ' +
    'max, and a max that starts from 0 (or a tree over lanes that never held a logit) gives 0 / 0.',
  bound: '|p − p_ref| ≤ tol (mlpTolerance, with |b2| in the logits\' bound)',
  arbitrary: mlpDraw,
  runs: (d) => [shifted(mlpCase(d))],
  check: (d, [out]): Verdict => {
    const c = shifted(mlpCase(d));
    const t = reference(c);
    const cmp = compareArrays(out!.probs!, t.probs, mlpTolerance(c, t));
    if (cmp.pass) return { pass: true, measure: cmp.measure, worst: { buffer: 'probs', index: cmp.worst } };
    const f = cmp.firstFailure!;
    return { pass: false, message: `b2 lowered by ${LOGIT_SHIFT}: probs[${f.index}] = ${f.actual}, reference ${f.expected} ± ${f.allowed}`, measure: cmp.measure, worst: { buffer: 'probs', index: f.index } };
  },
};

function testDigitsCase(): Case<MlpDraw> {
  // seed 0 would start the cycle anywhere: build the batch in label order directly.
  const real = vibeInfer();
  return {
    shape: { batch: 10, seed: 0, weights: 'real', images: 'test' },
    inputs: { x: real.images.slice(), w1: real.w1.slice(), b1: real.b1.slice(), w2: real.w2.slice(), b2: real.b2.slice() },
  };
}

const family: Family<MlpDraw> = {
  name: 'mlp',
  cases: mlpDraw.map(mlpCase),
  reference: (c) => ({ probs: reference(c).probs }),
  tolerance: (c) => ({ probs: mlpTolerance(c, reference(c)) }),
  properties: [classifiesTestDigits, shiftedLogits],
};

export default family;
