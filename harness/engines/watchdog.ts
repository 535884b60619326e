// The watchdog of the GPU engines: how long one submit may take before it counts as hung, from the engine's measured
// speed and the work in the submit, never a fixed figure (a fixed 60 s called correct kernels hung on a loaded
// machine, issue 11). And the splitting: big batches go as several submits, so no single one approaches it.
//
// The model: a submit of work W (below) takes cost(shaders) · (overhead + rate · W) milliseconds. `overhead` and
// `rate` are measured at start with small timed batches, a tiny one and one of a barrier-heavy kernel (calibrate), and
// again when a submit took much longer than predicted (the machine slowed). cost(shaders), the shaders' speed relative
// to the calibration kernel, is learned from the submits of enough work that finish. A submit's deadline is MULTIPLE
// times its prediction, and never under FLOOR_MS. On an adapter that runs kernels on the CPU it counts the host's CPU
// time, not the clock: other jobs' load makes a kernel slower on the clock only (host-cpu.ts). It counts from the
// submit: what comes before (a device with new limits, compiling shaders, creating pipelines) runs no kernel, and took
// 14 s for one small shader with 32 KiB of workgroup memory on a lightly loaded machine here, which a deadline from the
// batch's arrival called hung (submitDeadline).
//
// Until its cost is learned, a batch of a kernel starts with one case of middling size alone (a probe): a kernel that
// never ends then costs one short watchdog, not the long one of a whole batch.
import { availableParallelism } from 'node:os';
import { CompileError, DeviceError, type BatchCase, type BatchResult, type DispatchBatch } from '../gpu/batch.ts';
import type { Engine } from './engine.ts';
import type { HostCpu } from './host-cpu.ts';
import { withLaneWrap } from './lane-reads.ts';
import { cutsLoops, LoopCanary, NOT_ADDED } from './loop-limit.ts';

/** An engine that can enforce a deadline on one batch: `timeoutMs` from the submit of its work (submitDeadline);
 *  past it, it ends what hosts the device (process, browser), starts a fresh one, and rejects with DeviceError
 *  'timeout'. */
export interface KillableEngine extends Omit<Engine, 'execute'> {
  /** `cpuScale`: on a CPU adapter, the deadline in CPU time is `timeoutMs` times this (submitDeadline). */
  run(batch: DispatchBatch, timeoutMs: number, cpuScale?: number): Promise<BatchResult>;
  /** Cores' worth of CPU the host used per millisecond on the clock in the last finished run, from its submit, where
   *  it counts CPU and the run was long enough to tell (HostCpu.coresUsed with LEARN_CORES_MS). */
  readonly lastCores?: number;
}

/** How long a batch may take from its arrival at the host to its submit: opening a device, compiling, creating
 *  pipelines. No kernel runs then, so only a compiler or driver that never returns is caught here: generous. */
export const PREPARE_MS = 300_000;

/** A batch that did not even reach its submit within PREPARE_MS: the compiler or the driver, not the kernel. */
export class PrepareTimeout extends DeviceError {
  constructor(engine: string, ms: number) {
    super(`${engine} did not compile and submit the batch within ${Math.round(ms)} ms (a shader compiler or driver that never returns?)`, 'timeout');
  }
}

/** A batch whose kernels did not finish within the deadline counted from the submit: a kernel that never ends?
 *  `cpuMs` where the deadline counted the host's CPU time (HostCpu), with `clockMs`, the time on the clock, and
 *  `cpuLimitMs`, the deadline in CPU time where it is longer than `ms` (cpuScaleOf). */
export class RunTimeout extends DeviceError {
  constructor(engine: string, ms: number, readonly clockMs: number, readonly cpuMs?: number, readonly cpuLimitMs?: number) {
    super(`${engine} did not finish the batch within ${Math.round(ms)} ms of its submit${cpuClause(clockMs, cpuMs, cpuLimitMs)} (a kernel that never ends?)`, 'timeout');
  }
}

/** How a deadline counted in CPU time was spent, for a message: ", counted in its host's CPU time (it used 15012 ms of CPU
 *  in 41 s on the clock)"; with `cpuLimitMs`, the CPU deadline where it is longer than the one on the clock. */
export function cpuClause(clockMs: number, cpuMs: number | undefined, cpuLimitMs?: number): string {
  if (cpuMs === undefined) return '';
  const scaled = cpuLimitMs === undefined ? '' : `, ${Math.round(cpuLimitMs)} ms of it for the cores the host used in earlier submits`;
  return `, counted in its host's CPU time${scaled} (it used ${Math.round(cpuMs)} ms of CPU in ${Math.round(clockMs / 1000)} s on the clock)`;
}

/**
 * The CPU deadline's multiple of the clock's, for a host that used up to `coresUsed` cores' worth of CPU per
 * millisecond on the clock in its submits so far (Speed.cores). A correct kernel needs about `coresUsed` times its
 * predicted time in CPU, and the deadline on the clock is MULTIPLE times that prediction: up to MULTIPLE / 2 cores the CPU deadline is
 * the clock's and leaves a kernel twice what it needs, as on these 2-core machines; past that it grows with the
 * cores, so that a kernel spread over 16 cores of a loaded machine is not called hung at 10 of them (a hang of one
 * invocation alone is then caught that much later).
 */
export function cpuScaleOf(coresUsed: number): number {
  return Math.max(1, (2 * coresUsed) / MULTIPLE);
}

/** On an adapter that runs kernels on the CPU, a deadline counted in CPU time is still called at this many times its
 *  length on the clock, whatever the CPU says: a host that waits on a lock that is never released uses none. */
export const CLOCK_CEILING = 10;

/** A submit this long on the clock at least tells how many cores the host used (HostCpu.coresUsed). */
export const LEARN_CORES_MS = 250;

/**
 * Runs `start` under a deadline of two stages: until the host reports the submit (the callback `start` is given),
 * PREPARE_MS or `runMs` if longer; from then, `runMs`. Past either, rejects with PrepareTimeout or RunTimeout; the
 * caller ends the host.
 *
 * With `cpu` (an adapter that runs kernels on the CPU: computesOnCpu), `runMs` after the submit counts the CPU time
 * that the host used since, not the clock: a machine whose other jobs take the cores makes a kernel slower on the
 * clock, not in CPU, while one that never ends keeps using CPU (host-cpu.ts). So when `runMs` have passed on the clock,
 * the deadline comes only if the host used `cpuScale` times that much CPU too (cpuScaleOf), or CLOCK_CEILING times
 * `runMs` passed on the clock.
 * A late timer is also why: after a blocked event loop Node runs timers before the I/O that finished the batch.
 */
export async function submitDeadline<T>(engine: string, start: (submitted: () => void) => Promise<T>, runMs: number, cpu?: Pick<HostCpu, 'start' | 'usedMs'>, cpuScale = 1): Promise<T> {
  const cpuLimitMs = runMs * cpuScale;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let expire!: (e: Error) => void;
  const expired = new Promise<never>((_, reject) => {
    expire = reject;
  });
  const prepareMs = Math.max(PREPARE_MS, runMs);
  timer = setTimeout(() => expire(new PrepareTimeout(engine, prepareMs)), prepareMs);
  let submitted = false;
  let submitAt = 0;
  const check = () => {
    const clockMs = performance.now() - submitAt;
    const cpuMs = cpu?.usedMs();
    if (cpuMs === undefined || cpuMs >= cpuLimitMs || clockMs >= CLOCK_CEILING * runMs) {
      return expire(new RunTimeout(engine, runMs, clockMs, cpuMs, cpuScale > 1 ? cpuLimitMs : undefined));
    }
    // Not yet: the host got less than it needs. Look again when the rest could have been used on every core.
    timer = setTimeout(check, Math.max(250, (cpuLimitMs - cpuMs) / availableParallelism()));
  };
  const work = start(() => {
    if (submitted) return;
    submitted = true;
    clearTimeout(timer);
    submitAt = performance.now();
    cpu?.start();
    timer = setTimeout(check, runMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** A submit may take this many times its predicted time before it counts as hung. */
export const MULTIPLE = 10;
/** No deadline is shorter: a submit's fixed costs (uploads, the first dispatch of a pipeline, the readback) and a
 *  loaded machine's stalls cost seconds on a software adapter. Compilation is not in it (submitDeadline). */
export const FLOOR_MS = 15_000;
/** Batches predicted to take longer are split at case boundaries; one case is never split. */
export const SPLIT_MS = 4_000;
/** A submit that took this many times its prediction means the machine slowed: measure again, at most this often. */
const RECALIBRATE_AT = 3;
const RECALIBRATE_EVERY_MS = 60_000;
/** Submits whose work the calibration kernel would finish faster than this teach nothing: their time is fixed cost. */
const LEARN_MS = 250;
/** A batch with a case of more than this many times the work of the largest case its shaders' cost was learned from
 *  starts with a probe again: caseWork does not count a kernel's loops, so its cost per unit can grow with its cases.
 *  Seen: the MLP's 1,000-digit cases (a K = 784 loop per invocation), predicted from matmul's own small cases with the
 *  same shader, passed a 15 s deadline on Deno under load (predicted 1.5 s). */
const EXTRAPOLATE = 4;

/**
 * Work of one case, in element-sized units: every workgroup counts as 256 invocations (the largest workgroup on
 * SwiftShader, what the barrier-heavy kernels here use), every 4 bytes moved as one (upload, and readback again).
 */
export function caseWork(c: BatchCase): number {
  let w = 0;
  for (const d of c.dispatches) w += 256 * d.workgroups[0] * d.workgroups[1] * d.workgroups[2];
  for (const b of c.buffers) w += b.size / 4;
  for (const i of c.readback) w += c.buffers[i]!.size / 4;
  return w;
}

/** Calibration: scan-like blocks of 256 invocations, 8 steps of two barriers each over workgroup memory. */
const CALIBRATION_WGSL = `@group(0) @binding(0) var<storage, read_write> x: array<f32>;
var<workgroup> sh: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) l: u32) {
  let i = wid.x * 256u + l;
  sh[l] = x[i];
  workgroupBarrier();
  for (var off = 1u; off < 256u; off = off * 2u) {
    var t = sh[l];
    if (l >= off) { t = t + sh[l - off]; }
    workgroupBarrier();
    sh[l] = t;
    workgroupBarrier();
  }
  x[i] = sh[l];
}`;

function calibrationBatch(workgroups: number): DispatchBatch {
  const n = workgroups * 256;
  return {
    shaders: [CALIBRATION_WGSL],
    cases: [{
      buffers: [{ size: 4 * n, kind: 'storage', data: new Uint8Array(new Float32Array(n).fill(1).buffer) }],
      dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [workgroups, 1, 1] }],
      readback: [0],
    }],
  };
}

export interface WatchdogOptions {
  /** `--timeout MS`: a fixed deadline for every submit instead of the calibrated one. */
  fixedMs?: number;
}

/** What the engine's speed is believed to be: for the report and for tests. */
export interface Speed {
  overheadMs: number;
  /** The most cores' worth of CPU the host used per millisecond on the clock in a submit long enough to tell (0 until
   *  one, or where the CPU is not counted): the CPU deadline's scale (cpuScaleOf). The calibration batches are too
   *  short to tell on many cores, so it is learned from the kernels' own submits. */
  cores: number;
  /** Milliseconds per unit of caseWork on the calibration kernel. */
  msPerWork: number;
  calibrations: number;
}

/** Wraps a killable engine with the calibrated watchdog; runs the calibration before it returns. */
export async function watched(inner: KillableEngine, options: WatchdogOptions = {}): Promise<WatchedEngine> {
  const e = new WatchedEngine(inner, options);
  try {
    await e.calibrate();
  } catch (err) {
    await inner.close().catch(() => undefined);
    throw err;
  }
  return e;
}

export class WatchedEngine implements Engine {
  readonly speed: Speed = { overheadMs: 0, msPerWork: 0, calibrations: 0, cores: 0 };
  /** Per set of shaders: its cost per unit of work relative to the calibration kernel, from finished submits of
   *  enough work to say (until then 1: the barrier-heavy calibration kernel is slower than most). */
  private cost = new Map<string, number>();
  /** Per set of shaders: the work of the largest case in a submit its cost was learned from. */
  private learnedUpTo = new Map<string, number>();
  /** Per set of shaders: the batch's costHint, the cost assumed until one is learned. */
  private prior = new Map<string, number>();
  private queue: Promise<unknown> = Promise.resolve();
  private slowed = false;
  private calibratedAt = 0;

  constructor(readonly inner: KillableEngine, private options: WatchdogOptions) {}

  get id() {
    return this.inner.id;
  }
  get info() {
    return this.inner.info;
  }
  /** Crashes and hangs the inner engine survived (it relaunched its process or browser), for the report. */
  get restarts(): number {
    return (this.inner as { restarts?: number }).restarts ?? 0;
  }

  /** Times a tiny batch (the fixed cost of a submit) and a barrier-heavy one (the cost per unit of work); each run
   *  twice, keeping the faster, so that first-use compilation is not taken for speed. */
  async calibrate(): Promise<void> {
    const time = async (b: DispatchBatch) => {
      let best = Infinity;
      for (let k = 0; k < 2; k++) {
        const t0 = performance.now();
        // Its own generous deadline, --timeout or not: this kernel ends, and a slow start is no hang.
        await this.inner.run(b, 10 * FLOOR_MS);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    const small = calibrationBatch(1);
    const big = calibrationBatch(64);
    const overheadMs = await time(small);
    const bigMs = await time(big);
    const work = caseWork(big.cases[0]!) - caseWork(small.cases[0]!);
    this.speed.overheadMs = overheadMs;
    // A real GPU may finish both in the same time: keep a positive rate so that predictions still grow with work.
    this.speed.msPerWork = Math.max(bigMs - overheadMs, 0.05 * bigMs) / work;
    this.speed.calibrations++;
    this.slowed = false;
    this.calibratedAt = performance.now();
  }

  /** Predicted milliseconds of one submit of `work` (caseWork summed) with these shaders (their key). */
  private predict(k: string, work: number): number {
    return (this.cost.get(k) ?? this.prior.get(k) ?? 1) * (this.speed.overheadMs + this.speed.msPerWork * work);
  }

  /** How long one submit of `work` may take before it counts as hung. */
  private deadline(k: string, work: number, least = 0): number {
    return this.options.fixedMs ?? Math.max(FLOOR_MS, MULTIPLE * this.predict(k, work), least);
  }

  execute(batch: DispatchBatch): Promise<BatchResult> {
    // A lane read past the subgroup gets another lane's value or one outside the subgroup's range, not SwiftShader's 0
    // (lane-reads.ts).
    this.laneWrapped ??= withLaneWrap(this.info, (b) => this.withCanary(b));
    // Costs are learned by the shaders as given, whatever the wrappers make of them: a sanitized batch's costOf
    // names the plain kernel's shaders as they were given.
    return this.laneWrapped({ ...batch, [COST_KEY]: key(batch.shaders) } as DispatchBatch);
  }

  /** withCanary, with subgroup lane reads wrapped to this adapter's one subgroup size (lane-reads.ts). */
  private laneWrapped: ((batch: DispatchBatch) => Promise<BatchResult>) | undefined;

  private withCanary(batch: DispatchBatch): Promise<BatchResult> {
    const canary = (this.loopCanary ??= cutsLoops(this.info) ? new LoopCanary(this.info.limits, this.info.deviceLimits) : null)?.wrap(batch);
    if (!canary) return this.queued(batch);
    return this.queued(canary.batch).then(canary.unwrap, async (e: unknown) => {
      if (!(e instanceof CompileError || (e instanceof DeviceError && e.kind === 'validation'))) throw e;
      // Refused with the canary: the kernel's own error where it has one, on its own text; else the canary's fault,
      // and no case is judged, since none could be told from a cut one.
      const plain = await this.queued(batch);
      const why = `${NOT_ADDED} (it does not compile with the check: ${e.message.replace(/\s+/g, ' ').slice(0, 300)})`;
      return { ...plain, outputs: plain.outputs.map(() => []), skipped: plain.outputs.map(() => why) };
    });
  }

  /** llvmpipe's loop limit, told on this engine's adapter (loop-limit.ts); null where the adapter has none. */
  private loopCanary: LoopCanary | null | undefined;

  private queued(batch: DispatchBatch): Promise<BatchResult> {
    // One batch at a time, so that a deadline starts when its batch does, not when it was queued.
    const run = this.queue.then(() => this.executeNow(batch));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async executeNow(batch: DispatchBatch): Promise<BatchResult> {
    const k = (batch as { [COST_KEY]?: string })[COST_KEY] ?? key(batch.shaders);
    if (batch.costHint) this.prior.set(k, batch.costHint * Math.max(1, batch.costOf ? (this.cost.get(key(batch.costOf)) ?? 1) : 1));
    const work = batch.cases.map(caseWork);
    const order = batch.cases.map((_, i) => i);
    let largest = 0;
    for (const w of work) largest = Math.max(largest, w);
    const unknown = !this.cost.has(k);
    const probe = unknown || largest > EXTRAPOLATE * (this.learnedUpTo.get(k) ?? 0);
    if (probe && order.length > 1) {
      // An unknown kernel's probe is a case of middling size: the first is often a degenerate one (n = 0) that no
      // loop runs in. A known kernel with bigger cases than it was learned from is probed with its largest case.
      const sorted = [...order].sort((a, b) => work[a]! - work[b]!);
      const first = unknown ? sorted[order.length >> 1]! : sorted[order.length - 1]!;
      order.splice(first, 1);
      order.unshift(first);
    }
    const outputs: Uint8Array[][] = new Array(batch.cases.length);
    const skipped: (string | undefined)[] = new Array(batch.cases.length);
    let gpuMs = 0;
    // The compiler's warnings are the same for every part (one set of shaders): keep the first part's.
    let diagnostics: BatchResult['diagnostics'];
    /** After a timeout of several cases: the rest go one case per submit. */
    let oneByOne = false;
    for (let at = 0; at < order.length || (at === 0 && order.length === 0);) {
      if (this.slowed) await this.calibrate();
      // While the cost is unknown (or known only for smaller cases) the first submit is the probe, alone.
      const part = order.slice(at, at + ((at === 0 && probe) || oneByOne ? 1 : this.nextPart(k, order.slice(at).map((i) => work[i]!))));
      const cases = part.map((i) => batch.cases[i]!);
      const partWork = part.reduce((s, i) => s + work[i]!, 0);
      const predicted = this.predict(k, partWork);
      const limit = this.deadline(k, partWork, batch.minDeadlineMs);
      const t0 = performance.now();
      let r: BatchResult;
      try {
        r = await this.inner.run(part.length === batch.cases.length ? batch : { ...batch, cases }, limit, cpuScaleOf(this.speed.cores));
      } catch (e) {
        if (e instanceof RunTimeout && part.length > 1 && !this.options.fixedMs) {
          // Several cases of a kernel whose cost was learned: a slower machine (another job's load) or a cost
          // underestimated for these cases, as likely as a hang. Seen: MNIST's nine 1,000-digit cases on Deno, one
          // submit predicted at 0.85 s, past 15 s in a conformance run beside a test suite. Measure the machine
          // again and run them one case per submit, each under its own deadline: a kernel that never ends is then
          // caught in its first single case, one more watchdog; a slow one finishes.
          await this.calibrate();
          oneByOne = true;
          continue;
        }
        if (e instanceof RunTimeout) {
          // Which cases hung, and why alone: the message names them, the cases to run again (not the whole batch).
          const alone = part.length === 1 && order.length > 1 ? (oneByOne ? 'one-by-one' : at === 0 && probe ? (unknown ? 'probe' : 'larger') : undefined) : undefined;
          // The prediction does not count a kernel's loops (caseWork): a correct case of 3·10⁹ steps met the floor
          // (trial 47), and the way to give it longer is said with the question.
          const slow = this.options.fixedMs ? '' : ' (if it is only slow, --timeout MS, or timeoutMs in the API\'s open(), gives every submit that long)';
          throw new DeviceError(`the GPU did not finish within ${Math.round(limit)} ms (${this.options.fixedMs ? '--timeout' : deadlineWhy(predicted, cases.length)})${cpuClause(e.clockMs, e.cpuMs, e.cpuLimitMs)}: a kernel that never ends?${slow}`,
            'timeout', { cases: part, ...(alone ? { alone } : {}) });
        }
        throw e;
      }
      // The whole batch's time, compiling included: a cost too high only makes deadlines more generous.
      const ms = performance.now() - t0;
      this.speed.cores = Math.max(this.speed.cores, this.inner.lastCores ?? 0);
      this.learn(k, partWork, ms, part.reduce((m, i) => Math.max(m, work[i]!), 0));
      if (ms > RECALIBRATE_AT * predicted && ms > 1000 && performance.now() - this.calibratedAt > RECALIBRATE_EVERY_MS) this.slowed = true;
      part.forEach((i, n) => {
        outputs[i] = r.outputs[n]!;
        skipped[i] = r.skipped?.[n];
      });
      gpuMs += r.gpuMs;
      diagnostics ??= r.diagnostics;
      at += Math.max(part.length, 1);
    }
    return { outputs, gpuMs, ...(skipped.some((s) => s) ? { skipped } : {}), ...(diagnostics ? { diagnostics } : {}) };
  }

  /** How many of the next cases (their work given) go in one submit: as many as fit under SPLIT_MS, at least one. */
  private nextPart(k: string, work: number[]): number {
    let n = 1;
    let sum = work[0]!;
    while (n < work.length && this.predict(k, sum + work[n]!) <= SPLIT_MS) sum += work[n++]!;
    return n;
  }

  /** Updates the shaders' relative cost from a finished submit: up at once, down by halves, so one fast submit does
   *  not make the next deadline short. A submit of little work says nothing (its time is compilation and fixed
   *  cost): until one of enough work finishes, every batch of these shaders starts with a probe. */
  private learn(k: string, work: number, ms: number, largestCase: number) {
    if (this.speed.msPerWork * work < LEARN_MS) return;
    const seen = ms / (this.speed.overheadMs + this.speed.msPerWork * work);
    const old = this.cost.get(k);
    this.cost.set(k, old === undefined ? seen : Math.max(seen, (old + seen) / 2));
    this.learnedUpTo.set(k, Math.max(this.learnedUpTo.get(k) ?? 0, largestCase));
  }

  async recover(): Promise<void> {
    // The inner engine already ended and restarted what hosted the device when its batch failed.
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

const key = (shaders: string[]) => shaders.join('\u0000');
/** A batch's key as it was given to execute(), carried through the wrappers' copies of it (they spread the batch). */
const COST_KEY = Symbol('costKey');

/** Where a calibrated deadline came from, for the message of a submit that ran past it. A small prediction rounds to
 *  0 ms, and "10× the 0 ms predicted" read as nonsense beside a deadline of 15000 ms: the floor set it, say so. */
function deadlineWhy(predicted: number, cases: number): string {
  const submit = `this submit of ${cases} case${cases === 1 ? '' : 's'}`;
  if (MULTIPLE * predicted >= FLOOR_MS) return `${MULTIPLE}× the ${Math.round(predicted)} ms predicted for ${submit}`;
  return `the watchdog's floor: ${MULTIPLE}× the prediction for ${submit}, ${predicted < 0.5 ? 'under 1' : Math.round(predicted)} ms, is less`;
}
