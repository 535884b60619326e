// Slow is not hung, on a machine whose other jobs take the cores: on an adapter that runs kernels on the CPU the
// watchdog's deadline counts the host's CPU time, not the clock (harness/engines/host-cpu.ts, submitDeadline). A CI
// run beside two CPU-bound jobs had a correct scan called hung at 10× its prediction on the clock (issue 11).
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDawn } from '../harness/engines/dawn.ts';
import { computesOnCpu, HostCpu } from '../harness/engines/host-cpu.ts';
import type { ProcessEngine } from '../harness/engines/process-engine.ts';
import { CLOCK_CEILING, cpuScaleOf, RunTimeout, submitDeadline, type WatchedEngine } from '../harness/engines/watchdog.ts';
import { DeviceError, type DispatchBatch } from '../harness/gpu/batch.ts';
import { addBatch } from './engines-batches.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('submitDeadline with a CPU clock (a fake host using a set share of a core)', () => {
  /** A host that has used `share` of a core since start(). */
  const host = (share: number) => {
    let t0 = 0;
    return { start: () => void (t0 = performance.now()), usedMs: () => share * (performance.now() - t0) };
  };
  const run = (runMs: number, takesMs: number, share: number, cpuScale?: number) => submitDeadline('test', async (submitted) => {
    submitted();
    await sleep(takesMs);
    return 'done';
  }, runMs, host(share), cpuScale);

  it('a batch given a fifth of a core finishes at three times its deadline on the clock', async () => {
    await expect(run(200, 600, 0.2)).resolves.toBe('done');
  });

  it('one that uses a whole core is hung at its deadline, and the message says it counted CPU time', async () => {
    const t0 = performance.now();
    const e = await run(200, 5_000, 1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RunTimeout);
    expect((e as RunTimeout).cpuMs).toBeGreaterThanOrEqual(200);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect((e as Error).message).toMatch(/^test did not finish the batch within 200 ms of its submit, counted in its host's CPU time \(it used \d+ ms of CPU in \d+ s on the clock\)/);
  });

  // A kernel that took 60 ms on 16 cores needs 960 ms of CPU. Given one core by a loaded machine it takes 960 ms on
  // the clock, past its deadline of 10 × 60 ms: counted unscaled, the CPU reaches that deadline first and calls it hung.
  // (With 40 ms the run ended 240 ms after the deadline, less than the 250 ms a check that finds the CPU short of it
  // waits before it looks again: a CI run under load saw 'done'.)
  it('a kernel spread over 16 cores, on a loaded machine, is not hung when its CPU deadline is scaled by the cores', async () => {
    const predicted = 60;
    expect(cpuScaleOf(16)).toBeCloseTo(3.2);
    await expect(run(10 * predicted, 16 * predicted, 1)).rejects.toThrow(RunTimeout);
    await expect(run(10 * predicted, 16 * predicted, 1, cpuScaleOf(16))).resolves.toBe('done');
  });

  it('up to 5 cores the CPU deadline is the clock\'s: no later call of a hang on the machines here', () => {
    expect([0, 1, 2, 5].map(cpuScaleOf)).toEqual([1, 1, 1, 1]);
  });

  it(`one whose host uses no CPU at all is hung at ${CLOCK_CEILING} times its deadline on the clock`, async () => {
    const t0 = performance.now();
    await expect(run(100, 5_000, 0)).rejects.toThrow(RunTimeout);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(CLOCK_CEILING * 100 - 20);
  });
});

describe('HostCpu: the CPU time of a process and its descendants, from /proc', () => {
  /** `sh -c` whose child does `what`: the CPU is used by a grandchild of this process, not by the pid given. */
  const start = (what: string) => spawn('sh', ['-c', `${what} & wait`], { stdio: 'ignore', detached: true });
  const stop = (p: ReturnType<typeof spawn>) => process.kill(-p.pid!, 'SIGKILL');

  it.runIf(process.platform === 'linux')('counts a spinning descendant, and not a sleeping one', async () => {
    const spinning = start(`${JSON.stringify(process.execPath)} -e "for(;;){}"`);
    const sleeping = start('sleep 30');
    try {
      await sleep(300); // both started
      const [a, b] = [new HostCpu(spinning.pid!), new HostCpu(sleeping.pid!)];
      a.start();
      b.start();
      await sleep(1_000);
      const [used, idle] = [a.usedMs()!, b.usedMs()!];
      console.log(`HostCpu over 1 s of the clock: a spinning grandchild ${used} ms, a sleeping one ${idle} ms (load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
      // A spinning process gets at least a tenth of a core on any machine this runs on; a sleeping one uses none.
      expect(used).toBeGreaterThan(100);
      expect(idle).toBeLessThan(30);
    } finally {
      stop(spinning);
      stop(sleeping);
    }
  });

  it('is undefined for a process that is gone', () => {
    const gone = new HostCpu(2 ** 22 + 12345); // over Linux's pid_max default
    gone.start();
    expect(gone.usedMs()).toBeUndefined();
  });
});

describe.runIf(process.platform === 'linux')('real Dawn whose host gets a tenth of a core', () => {
  let dawn: WatchedEngine;
  let pid = () => (dawn.inner as ProcessEngine).hostPid!;
  beforeAll(async () => {
    // A fixed deadline, so that the test does not depend on what calibration measured.
    dawn = await openDawn({ timeoutMs: 3_000 });
    pid = () => (dawn.inner as ProcessEngine).hostPid!;
    // On one core, so that a machine with many (SwiftShader runs a thread on each) cannot finish the kernel within
    // the deadline on the clock: then the test would test nothing (the check below).
    spawnSync('taskset', ['-a', '-p', '-c', '0', String(pid())], { stdio: 'ignore' });
  }, 120_000);
  afterAll(async () => {
    await dawn?.close();
  });

  /** Stops the host 90 ms of every 100 (SIGSTOP, SIGCONT): a machine whose other jobs leave it a tenth of a core. */
  async function starved<T>(work: () => Promise<T>): Promise<T> {
    let on = true;
    const target = pid();
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(target, s);
      } catch {
        /* gone: killed by a timeout */
      }
    };
    const loop = (async () => {
      while (on) {
        signal('SIGSTOP');
        await sleep(90);
        signal('SIGCONT');
        await sleep(10);
      }
    })();
    try {
      return await work();
    } finally {
      on = false;
      await loop;
    }
  }

  it('a correct kernel that takes longer than the deadline on the clock, and far less CPU, finishes', async (ctx) => {
    if (!computesOnCpu(dawn.info)) return ctx.skip(); // a real GPU: the deadline stays on the clock
    // Three cases in one submit: one took 240 ms of CPU on a quiet CI machine, 2.4 s starved, under the deadline on
    // the clock, and the test tested nothing (the check below).
    const { batch, expected } = addBatch(3, 65535 * 64);
    await dawn.execute(addBatch(1, 64).batch); // compiled and warm
    const t0 = performance.now();
    const cpu = new HostCpu(pid());
    cpu.start();
    const r = await starved(() => dawn.execute(batch));
    const clock = performance.now() - t0;
    console.log(`add of 3 × 65,535 × 64 elements, its host on one core stopped 90% of the time: ${Math.round(clock)} ms on the clock, ${cpu.usedMs()} ms of CPU, against a 3000 ms deadline`);
    // Else the test tested nothing: the clock alone would have called it hung.
    expect(clock).toBeGreaterThan(3_000);
    // The cores the host used, learned from the submit (the CPU deadline's scale): some of the one it is pinned to.
    expect(dawn.speed.cores).toBeGreaterThan(0);
    expect(dawn.speed.cores).toBeLessThanOrEqual(1.1);
    for (const [k, want] of expected.entries()) {
      const out = new Float32Array(r.outputs[k]![0]!.slice().buffer);
      expect(out.length).toBe(want.length);
      expect(out.findIndex((v, i) => v !== want[i])).toBe(-1);
    }
  }, 120_000);

  it('a kernel that never ends is still hung, and said to be in CPU time', async (ctx) => {
    if (!computesOnCpu(dawn.info)) return ctx.skip();
    const spin: DispatchBatch = {
      shaders: [`@group(0) @binding(0) var<storage, read_write> x: array<u32>;
@compute @workgroup_size(1) fn main() { loop { x[0] = x[0] + 1u; if (x[1] == 7u) { break; } } }`],
      cases: [{ buffers: [{ size: 8, kind: 'storage', data: new Uint8Array(8) }], dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1] }], readback: [0] }],
    };
    const e = await dawn.execute(spin).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DeviceError);
    expect((e as DeviceError).message).toMatch(/^the GPU did not finish within 3000 ms \(--timeout\), counted in its host's CPU time \(it used \d+ ms of CPU in \d+ s on the clock\): a kernel that never ends\?/);
    // The engine came back: the next batch runs.
    const { batch, expected } = addBatch(1, 256);
    expect(new Float32Array((await dawn.execute(batch)).outputs[0]![0]!.slice().buffer)).toEqual(expected[0]);
  }, 120_000);
});
