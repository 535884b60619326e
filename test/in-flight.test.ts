// A hang's message names the cases that were in flight: those of the submit that did not come back, not every case
// the property drew. The watchdog runs a batch as several submits (a probe of an unknown kernel alone first; after a
// submit of several past its deadline, one case at a time), and a relu that spins forever on inputs over 1e30 was
// reported with "in flight: 20 drawn cases, first" three normal ones, beside "10× the 0 ms predicted for 1 case".
// Here a fake engine under the real watchdog "hangs" (RunTimeout at once, no 15 s wait) on any submit holding an input
// of magnitude over 1e30, as that relu does, and returns zeros otherwise.
import { describe, expect, it } from 'vitest';
import { RunTimeout, WatchedEngine, type KillableEngine } from '../harness/engines/watchdog.ts';
import type { DispatchBatch } from '../harness/gpu/batch.ts';
import { runProperty } from '../harness/run/property-runner.ts';
import { loadKernels } from '../harness/run/registry.ts';
import { fillF32, type ValueDist } from '../properties/values.ts';

const f32 = (d: Uint8Array) => new Float32Array(d.slice().buffer, 0, d.byteLength >> 2);
const hugeIn = (b: DispatchBatch) => b.cases.some((c) => c.buffers.some((x) => x.data && f32(x.data).some((v) => Math.abs(v) > 1e30)));

const hangsOnHuge: KillableEngine = {
  id: 'dawn', info: { backend: 'dawn', status: 'ok' }, close: () => Promise.resolve(),
  async run(b) {
    if (hugeIn(b)) throw new RunTimeout('fake', 15_000, 15_000);
    return { outputs: b.cases.map((c) => c.readback.map((i) => new Uint8Array(c.buffers[i]!.size))), gpuMs: 1 };
  },
};

/** A shape as the message writes it: relu's draw. */
const SHAPE = String.raw`\{"n":\d+,"seed":\d+,"dist":"\w+"\}`;
const ALONE = {
  probe: "run alone as the watchdog's first submit of a kernel it had not timed",
  'one-by-one': 'run alone after a submit of several ran past its deadline',
};

async function hangingRelu(seed: number, fixedMs?: number) {
  const relu = (await loadKernels()).get('relu')!;
  const prop = relu.properties.find((p) => p.name === 'matches-reference')!;
  const engine = new WatchedEngine(hangsOnHuge, fixedMs ? { fixedMs } : {});
  await engine.calibrate();
  const r = await runProperty(engine, relu, prop, { seed, runs: 20 });
  expect(r.status).toBe('error');
  /** The draws the message names, parsed back: the user's way to run the hang again. */
  const named = [...r.error!.slice(r.error!.indexOf('; in flight: ')).matchAll(new RegExp(SHAPE, 'g'))].map((m) => JSON.parse(m[0]) as unknown);
  // relu's shape is its draw: its input is regenerated from it.
  const hangs = (d: unknown) => {
    const { n, seed, dist } = d as { n: number; seed: number; dist: ValueDist };
    return fillF32(seed, n, dist).some((v) => Math.abs(v) > 1e30);
  };
  return { error: r.error!, named, hangs };
}

describe('a hang names the drawn cases of the submit that did not come back', () => {
  // Seeds whose 20 draws of relu go each way (fast-check's draws for a seed do not change): the middling case the
  // watchdog probes an unknown kernel with is huge for seed 5; for seed 1 it comes back, the other 19 go as one
  // submit that runs past its deadline, then one at a time until the first huge one. (Seed 21 was the probe's before
  // the draws became fc.check's stream: another case from the tenth draw on.)
  it.each([[5, 'probe'], [1, 'one-by-one']] as const)('seed %i: the huge case, run alone (%s), and the deadline said as the floor it is', async (seed, why) => {
    const { error, named, hangs } = await hangingRelu(seed);
    // The fake's calibration takes no time: the prediction is a few ms or rounds to 0, and the floor sets the deadline.
    expect(error).toMatch(/: the GPU did not finish within 15000 ms \(the watchdog's floor: 10× the prediction for this submit of 1 case, (under 1|\d+) ms, is less\): a kernel that never ends\? \(if it is only slow, --timeout MS, or timeoutMs in the API's open\(\), gives every submit that long\);/);
    expect(error).not.toMatch(/the 0 ms predicted/);
    expect(error).toMatch(new RegExp(`; in flight: 1 of the 20 drawn cases, ${ALONE[why]}: ${SHAPE}$`));
    expect(named).toHaveLength(1);
    expect(hangs(named[0])).toBe(true);
  });

  it('--timeout: a submit of several that hangs is not run again one by one; the message names its cases, not all 20', async () => {
    const { error, named } = await hangingRelu(1, 1000);
    // The probe came back; the other 19 went as one submit.
    expect(error).toMatch(new RegExp(`within 1000 ms \\(--timeout\\): a kernel that never ends\\?; in flight: 19 of the 20 drawn cases, first ${SHAPE}, ${SHAPE}, ${SHAPE}, \\.\\.\\.$`));
    expect(named).toHaveLength(3);
  });
});
