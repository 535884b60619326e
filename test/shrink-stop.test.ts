// A shrink that meets a hang stops there (issue 11: one hang costs one watchdog). A smaller candidate that the engine
// does not finish used to be thrown into fast-check, which took it for a failure to shrink further: each smaller
// candidate cost one more watchdog, and a relu whose loop Deno's llvmpipe cuts short hung in its shrink for minutes.
// Here the interpreter runs the property's cases, and every later batch (the shrink's) times out as a hang would.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { openEngine } from '../harness/engines/open.ts';
import type { Engine } from '../harness/engines/engine.ts';
import { DeviceError } from '../harness/gpu/batch.ts';
import { decodeArray, decodeDraw, type Counterexample } from '../harness/run/fixture.ts';
import { runProperty } from '../harness/run/property-runner.ts';
import { loadKernels, withWgsl } from '../harness/run/registry.ts';
import type { Property } from '../harness/spec.ts';
import { reluCase, reluDraw, type ReluDraw } from '../properties/relu.properties.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('a shrink that meets a hang', () => {
  it('stops at once, keeps the failure found before it and says so; its engine is asked once more, not once per candidate', async () => {
    const sigmoid = withWgsl((await loadKernels()).get('sigmoid')!, resolve(ROOT, 'test/wrong-kernels/lib_sigmoid_epsilon.wgsl'));
    const inner = await openEngine('interpreter');
    let calls = 0;
    /** The input size of the candidate that "hung". */
    let hungN = -1;
    const engine: Engine = {
      id: inner.id,
      info: inner.info,
      execute: (batch) => {
        if (++calls === 1) return inner.execute(batch);
        hungN = batch.cases[0]!.buffers[0]!.size / 4;
        return Promise.reject(new DeviceError('the GPU did not finish within 15000 ms (test)', 'timeout'));
      },
      close: () => inner.close(),
    };
    try {
      const prop = sigmoid.properties.find((p) => p.name === 'matches-reference')!;
      const r = await runProperty(engine, sigmoid, prop, { seed: 1, runs: 5 });
      expect(r.status).toBe('fail');
      // The candidate that did not come back is named, so that the hang can be run again.
      const m = / but the reference is .*; shrinking stopped, a smaller case, (\{"n":\d+,"seed":\d+,"dist":"\w+","scale":[\d.]+\}), did not come back \(the GPU did not finish within 15000 ms \(test\)\)$/.exec(r.error!);
      expect(m, r.error).not.toBeNull();
      expect((JSON.parse(m![1]!) as { n: number }).n).toBe(hungN);
      expect(calls).toBe(2);
    } finally {
      await engine.close();
    }
  });
});

describe('a case that fails in its batch and passes alone', () => {
  it('is saved as it failed, with the path of its draw, and the failure says it did not fail again', async () => {
    const relu = (await loadKernels()).get('relu')!;
    const inner = await openEngine('interpreter');
    let calls = 0;
    // The first batch's first case comes back wrong (a result that changes from run to run); every later run is right.
    const engine: Engine = {
      id: inner.id,
      info: inner.info,
      execute: async (batch) => {
        const r = await inner.execute(batch);
        if (++calls === 1) for (const bytes of r.outputs[0]!) bytes.fill(0x7f);
        return r;
      },
      close: () => inner.close(),
    };
    try {
      const prop = relu.properties.find((p) => p.name === 'matches-reference')!;
      const saved: { path: string }[] = [];
      const r = await runProperty(engine, relu, prop, { seed: 1, runs: 5, save: async (fx) => (saved.push(fx), 'fx.json') });
      expect(r.status).toBe('fail');
      expect(r.error).toMatch(/; this case failed in its batch but passed when run again alone \(a result that changes from run to run, as a race's can, .*\): saved as it failed, not shrunk$/);
      expect(saved.map((f) => f.path)).toEqual(['0']);
      expect(r.counterexample).toMatchObject({ fixture: 'fx.json', path: '0' });
    } finally {
      await engine.close();
    }
  });
});

// A family that draws a continuous value (a time step, a gravity vector) shrinks it to the edge of failing: a trial's
// particle step that dropped gravity's z failed at 2.9e5 × the bound as drawn and was shown shrunk to a z of 0.003,
// at 1.0000001 × the bound, which reads as a bound a hair too tight. Here a property of relu, on the real interpreter,
// whose error is a drawn k in [0, 1] past a threshold of 0.001: fast-check shrinks k to just past it.
describe('a failure that shrinks to just past its bound', () => {
  const failsPast = (threshold: number, drawn: fc.Arbitrary<number>): Property<ReluDraw, { d: ReluDraw; k: number }> => ({
    name: 'k-below-threshold',
    description: 'test: fails where the drawn k is past a threshold, at k / threshold × the bound',
    arbitrary: fc.record({ d: reluDraw, k: drawn }),
    runs: ({ d }) => [reluCase(d)],
    check: ({ k }) => (k <= threshold ? { pass: true }
      : { pass: false, message: `k = ${k}`, measure: { abs: k, ulp: 0, boundRatio: k / threshold } }),
  });

  it('says how far the case drawn before shrinking failed', async () => {
    const relu = (await loadKernels()).get('relu')!;
    const engine = await openEngine('interpreter');
    try {
      const r = await runProperty(engine, relu, failsPast(0.001, fc.double({ min: 0, max: 1, noNaN: true })), { seed: 1, runs: 20 });
      expect(r.status).toBe('fail');
      const m = /^k = ([\d.e-]+); shrinking keeps a case failing, not how far it fails: the case drawn before shrinking, \{.*\}, was ([\d.e]+) × the bound$/.exec(r.error!);
      expect(m, r.error).not.toBeNull();
      expect(Number(m![1]) / 0.001).toBeLessThan(2);
      expect(Number(m![2])).toBeGreaterThanOrEqual(500);
    } finally {
      await engine.close();
    }
  });

  it('says nothing of it when the drawn case was as near its bound', async () => {
    const relu = (await loadKernels()).get('relu')!;
    const engine = await openEngine('interpreter');
    try {
      const r = await runProperty(engine, relu, failsPast(0.001, fc.constant(0.0015)), { seed: 1, runs: 3 });
      expect(r.status).toBe('fail');
      expect(r.error).toBe('k = 0.0015');
    } finally {
      await engine.close();
    }
  });
});

// A saved case keeps an integer output's reference in its own type: as f32 (the float64 reference rounded for
// display) an index or a count past 2^24 showed a neighbour of the reference in the visualizer.
describe('a saved counterexample of an integer output', () => {
  it('keeps its reference as u32, exactly', async () => {
    const hist = withWgsl((await loadKernels()).get('histogram')!, resolve(ROOT, 'test/wrong-kernels/lib_histogram_last_flush.wgsl'));
    const engine = await openEngine('interpreter');
    try {
      const saved: Counterexample[] = [];
      const r = await runProperty(engine, hist, hist.properties.find((p) => p.name === 'matches-reference')!, { seed: 1, runs: 5, save: async (fx) => (saved.push(fx), 'fx.json') });
      expect(r.status, r.error).toBe('fail');
      const fx = saved[0]!;
      expect(fx.expected!.counts!.type).toBe('u32');
      const first = hist.properties.find((p) => p.name === 'matches-reference')!.runs(decodeDraw(fx.draw))[0]!;
      expect([...decodeArray(fx.expected!.counts!)]).toEqual([...hist.family.reference(first).counts!]);
    } finally {
      await engine.close();
    }
  });
});
