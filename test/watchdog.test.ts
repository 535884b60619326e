// The calibrated watchdog (harness/engines/watchdog.ts) on real Dawn: what it measured, how it cuts a batch into
// submits (a probe first, then parts under the split target), and that the results come back in the batch's order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDawn } from '../harness/engines/dawn.ts';
import { caseWork, FLOOR_MS, PrepareTimeout, RunTimeout, submitDeadline, WatchedEngine, type KillableEngine } from '../harness/engines/watchdog.ts';
import { DeviceError, type DispatchBatch } from '../harness/gpu/batch.ts';
import { addBatch, addCase, WORKGROUP_32K } from './engines-batches.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';

let dawn: WatchedEngine;
/** Every submit the watchdog made: its case count, work and deadline. */
let submits: { cases: number; work: number; deadline: number }[] = [];
let recorded: WatchedEngine;

beforeAll(async () => {
  dawn = await openDawn();
  const real = dawn.inner;
  const recording: KillableEngine = {
    id: real.id,
    info: real.info,
    run(batch: DispatchBatch, deadline: number) {
      submits.push({ cases: batch.cases.length, work: batch.cases.reduce((s, c) => s + caseWork(c), 0), deadline });
      return real.run(batch, deadline);
    },
    recover: () => real.recover?.() ?? Promise.resolve(),
    close: () => Promise.resolve(),
  };
  recorded = new WatchedEngine(recording, {});
  await recorded.calibrate();
}, 120_000);

afterAll(async () => {
  await dawn?.close();
});

const f32 = (b: Uint8Array) => new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);

describe('the calibrated watchdog on Dawn', () => {
  it('measured a fixed cost per submit and a cost per unit of work at start', () => {
    expect(dawn.speed.calibrations).toBe(1);
    expect(dawn.speed.overheadMs).toBeGreaterThan(0);
    expect(dawn.speed.msPerWork).toBeGreaterThan(0);
  });

  it('starts an unknown kernel with a probe of a middling case, then runs the rest; outputs in the batch order', async () => {
    submits = [];
    const sizes = [0, 10, 100_000, 50, 1000, 200_000, 5];
    const batch: DispatchBatch = { shaders: addBatch(1, 1).batch.shaders, cases: sizes.map((n, i) => addCase(n, i).case) };
    const r = await recorded.execute(batch);
    sizes.forEach((n, i) => expect(f32(r.outputs[i]![0]!)).toEqual(addCase(n, i).expected));
    // The probe: one case, the median by work (n = 50), never the degenerate first one.
    expect(submits[0]).toMatchObject({ cases: 1, work: caseWork(addCase(50, 0).case) });
    expect(submits.reduce((s, x) => s + x.cases, 0)).toBe(sizes.length);
    for (const s of submits) expect(s.deadline).toBeGreaterThanOrEqual(FLOOR_MS);
  });

  it('probes a known kernel again with its largest case when its cases outgrow those its cost was learned from', async () => {
    // Its own shader text (a comment), so that the cost is learned here, from cases of 900,000 elements (4,000,000 is over 4 times that).
    const shaders = [`${addBatch(1, 1).batch.shaders[0]}\n// outgrown`];
    const run = (sizes: number[]) => recorded.execute({ shaders, cases: sizes.map((n, i) => addCase(n, i).case) });
    await run([900_000, 900_000, 900_000]);
    submits = [];
    const sizes = [10, 4_000_000, 20, 30];
    const r = await run(sizes);
    sizes.forEach((n, i) => expect(f32(r.outputs[i]![0]!)).toEqual(addCase(n, i).expected));
    expect(submits[0]).toMatchObject({ cases: 1, work: caseWork(addCase(4_000_000, 0).case) });
    // Learned from it: the same sizes again go in the batch's order, the big case no longer alone in front.
    submits = [];
    await run(sizes);
    expect(submits[0]).not.toMatchObject({ cases: 1, work: caseWork(addCase(4_000_000, 0).case) });
    // A hang guard, not a speed test: 19.4M elements added on SwiftShader took 371 s at load 18-24 on 2 cores.
  }, 600_000);

  it('gives a big submit of a kernel whose cost is not yet known a longer deadline than the floor', async () => {
    submits = [];
    const big = addCase(4_000_000, 1);
    // A comment makes it a kernel the watchdog has not seen: its cost is the calibration kernel's until learned.
    const r = await recorded.execute({ shaders: [`${addBatch(1, 1).batch.shaders[0]}\n// unseen`], cases: [big.case] });
    const out = f32(r.outputs[0]![0]!);
    let wrong = 0;
    for (let i = 0; i < out.length; i++) if (out[i] !== big.expected[i]) wrong++;
    expect(wrong).toBe(0);
    expect(submits).toHaveLength(1);
    expect(submits[0]!.deadline).toBeGreaterThan(FLOOR_MS);
  }, 120_000);

  it('--timeout replaces it: every submit of a batch gets the fixed deadline', async () => {
    const seen: number[] = [];
    const real = dawn.inner;
    const fixed = new WatchedEngine({ id: real.id, info: real.info, close: () => Promise.resolve(), run: (b, d) => (seen.push(d), real.run(b, d)) }, { fixedMs: 60_123 });
    await fixed.calibrate();
    seen.length = 0;
    await fixed.execute(addBatch(3, 100).batch);
    expect(seen.length).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set([60_123]));
  });
});

describe('the deadline counts from the submit (submitDeadline)', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('a batch slow to prepare but quick to run is not hung', async () => {
    const r = submitDeadline('test', async (submitted) => {
      await sleep(300); // compiling: longer than the run deadline
      submitted();
      await sleep(20);
      return 'done';
    }, 100);
    await expect(r).resolves.toBe('done');
  });

  it('a batch that runs past the deadline after its submit is hung', async () => {
    const r = submitDeadline('test', async (submitted) => {
      submitted();
      await sleep(1_000);
      return 'done';
    }, 100);
    await expect(r).rejects.toThrow(RunTimeout);
  });

  it('a second report of the submit does not restart the clock', async () => {
    const r = submitDeadline('test', async (submitted) => {
      submitted();
      await sleep(70);
      submitted();
      await sleep(70);
      return 'done';
    }, 100);
    await expect(r).rejects.toThrow(RunTimeout);
  });

  it('names the stage: a batch never submitted is the compiler or driver, not the kernel', () => {
    expect(new PrepareTimeout('dawn', 300_000).message).toMatch(/^dawn did not compile and submit the batch within 300000 ms/);
    expect(new PrepareTimeout('dawn', 1)).toBeInstanceOf(DeviceError);
  });
});

describe('a slow compile on real Dawn', () => {
  // WORKGROUP_32K compiles slowly on a device with raised limits (14-18 s at load 5-10 here, against deadlines of
  // 15 s). With a 1 s --timeout it must still run: the deadline counts from the submit.
  const big: DispatchBatch = { ...WORKGROUP_32K, requires: { limits: { maxComputeWorkgroupStorageSize: 32768 } } };

  it('is not taken for a hang, whatever --timeout', async () => {
    const engine = await openDawn({ timeoutMs: 1_000 });
    try {
      const t0 = performance.now();
      const r = await engine.execute(big);
      console.log(`32 KiB workgroup-memory batch: ${Math.round(performance.now() - t0)} ms with a 1000 ms deadline from its submit`);
      expect(Array.from(f32(r.outputs[0]![0]!)).slice(0, 3)).toEqual([63, 62, 61]);
    } finally {
      await engine.close();
    }
  }, 600_000);
});

describe('a part of several cases past its deadline (a fake engine)', () => {
  // The engine times out any submit of more than one case, and of the case marked to hang.
  const fake = (hangs: number, seen: number[]) => ({
    id: 'dawn' as const, info: { backend: 'dawn' } as never, close: () => Promise.resolve(),
    async run(b: DispatchBatch) {
      if (b.shaders[0] === '// fake') seen.push(b.cases.length); // not the calibration's
      const marked = b.cases.some((c) => c.buffers[0]!.size === hangs * 4);
      if (b.cases.length > 1 || marked) throw new RunTimeout('fake', 1, 1);
      return { outputs: b.cases.map((c) => [c.buffers[0]!.data!]), gpuMs: 1 };
    },
  }) satisfies KillableEngine;
  const batch = (sizes: number[]): DispatchBatch => ({ shaders: ['// fake'], cases: sizes.map((n) => addCase(n, n).case) });

  it('is measured again and run one case per submit: a slow machine, not a hang', async () => {
    const seen: number[] = [];
    const e = new WatchedEngine(fake(-1, seen), {});
    await e.calibrate();
    seen.length = 0;
    const sizes = [5, 6, 7, 8];
    const r = await e.execute(batch(sizes));
    expect(r.outputs.map((o) => o[0]!.byteLength)).toEqual(sizes.map((n) => addCase(n, n).case.buffers[0]!.data!.byteLength));
    // The probe, the three others at once (past the deadline), then those three one by one.
    expect(seen).toEqual([1, 3, 1, 1, 1]);
    expect(e.speed.calibrations).toBe(2);
  });

  it('a single case past its deadline is a hang', async () => {
    const e = new WatchedEngine(fake(7, []), {});
    await e.calibrate();
    await expect(e.execute(batch([5, 6, 7, 8]))).rejects.toMatchObject({ kind: 'timeout' });
  });
});

// Trial 89 A2: a correct kernel of 60,000 stores per invocation ran its sanitized cases past a deadline predicted
// from a guess of 20 calibration kernels, far under its own plain cost. A sanitized batch's guess is now times the
// plain kernel's learned cost (costOf). A fake engine, so the times are the test's own.
describe('a costHint relative to the plain kernel it instruments', () => {
  it('gives the first sanitized submit of a costly kernel a deadline from that kernel\'s cost', async () => {
    const deadlines: { shader: string; deadline: number }[] = [];
    const fake: KillableEngine = {
      id: 'dawn',
      info: dawn.info,
      async run(batch: DispatchBatch, deadline: number) {
        deadlines.push({ shader: batch.shaders[0]!, deadline });
        // The calibration kernel takes 1 ms per 1,000 units of work; the plain kernel 3 s a submit, about ten times
        // that for its case; the sanitized ones return at once (their deadlines are what is looked at).
        const work = batch.cases.reduce((t, c) => t + caseWork(c), 0);
        const ms = batch.shaders[0] === 'plain' ? 3000 : /sanitized/.test(batch.shaders[0]!) ? 1 : work / 1000;
        await new Promise((r) => setTimeout(r, ms));
        return { outputs: batch.cases.map(() => []), gpuMs: 1 };
      },
      recover: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const w = new WatchedEngine(fake, {});
    await w.calibrate();
    // 300,000 units of work: 300 ms at the calibration kernel's speed, enough to learn a cost from.
    const big = { buffers: [{ size: 4 * 100_000, kind: 'storage' as const }], dispatches: [{ shader: 0, entry: 'main', bindings: [], workgroups: [391, 1, 1] as [number, number, number] }], readback: [0] };
    await w.execute({ shaders: ['plain'], cases: [big] });
    await w.execute({ shaders: ['sanitized'], cases: [big], costHint: 20, costOf: ['plain'] });
    await w.execute({ shaders: ['sanitized, no costOf'], cases: [big], costHint: 20 });
    const plain = deadlines.find((d) => d.shader === 'plain')!.deadline;
    const sanitized = deadlines.find((d) => d.shader === 'sanitized')!.deadline;
    const alone = deadlines.find((d) => d.shader === 'sanitized, no costOf')!.deadline;
    // The plain kernel learned a cost of about 10; its sanitized twin's deadline grew with it, over 20 × its 3 s.
    expect(sanitized).toBeGreaterThan(20 * 3000);
    expect(sanitized).toBeGreaterThan(alone);
    expect(plain).toBeGreaterThanOrEqual(FLOOR_MS);
  }, 60_000);
});
