// `kernelscope bench [KERNEL] [--backend ID]`: where a case's time goes, per kernel: drawing the inputs, building
// the batch, the engine round trip (batched, and one case per submit), and judging against the reference.
// `kernelscope bench --harness [--json]`: per engine and kernel, the harness's cases per second against a bare loop
// that only replays the same batches on the engine.
// Figures, not assertions: these machines are shared, so compare the ratios within one run.
import { readdirSync, readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { DeviceError, type DispatchBatch } from '../gpu/batch.ts';
import { EngineUnavailable, type BackendId, type Engine } from '../engines/engine.ts';
import { openEngine } from '../engines/open.ts';
import { executeDraws, forgetDraws, runProperty } from '../run/property-runner.ts';
import type { LoadedKernel } from '../run/registry.ts';
import { describeAdapter, lackedBy } from '../engines/engine.ts';
import { programRequirements } from '../run/program.ts';
import { isTraceProperty } from '../run/trace-properties.ts';
import type { Property } from '../spec.ts';
import { overrideLines, selectKernels } from './select-kernels.ts';

const CASES = 32;

export interface BenchOptions {
  /** Kernels to measure; all when empty. */
  kernels: string[];
  backends: BackendId[];
  harness?: boolean;
  json?: boolean;
  /** --harness: print each property's figures under its kernel. */
  byProperty?: boolean;
  seed?: number;
  /** --harness: drawn cases per property (as `test --runs`), and timed rounds of harness and bare loop each. */
  runs?: number;
  rounds?: number;
  /** `--wgsl NAME=FILE`, as for `test`: measure the user's WGSL in place of the kernel's own. */
  wgsl?: string[];
}

export async function benchCommand(o: BenchOptions): Promise<number> {
  const { kernels: selected, overrides } = await selectKernels(o.kernels, o.wgsl ?? []);
  for (const k of selected) if (k.fixedDispatchNote) process.stderr.write(`note: ${k.fixedDispatchNote}\n`);
  if (o.harness) return harnessBench(selected, overrides, o);
  const engine = await openEngine(o.backends[0] ?? 'dawn');
  console.log(`${engine.id}: ${describeAdapter(engine)}; ${CASES} cases of matches-reference per kernel, seed 1`);
  console.log(['kernel', 'draw ms', 'batched ms/case', 'single ms/case', 'judge ms/case', 'round trip share'].map((h, i) => (i ? h.padStart(18) : h.padEnd(16))).join(''));
  // A kernel the engine cannot run has no figures: said on its row and in the exit code, never timed (trial 73 B1: an
  // f16 kernel on Dawn ended the command with the host's stack trace).
  let missing = 0;
  try {
    for (const k of selected) {
      const lacks = lackedBy(engine, programRequirements(k.program));
      if (lacks) {
        missing++;
        console.log(`${k.program.spec.name.padEnd(16)}not run: it ${lacks}; bench it on an engine that has it (--backend)`);
        continue;
      }
      const prop = k.properties.find((p) => p.name === 'matches-reference')!;
      let t = performance.now();
      const draws = fc.sample(prop.arbitrary, { seed: 1, numRuns: CASES });
      const drawMs = performance.now() - t;
      await executeDraws(engine, k.program, prop, draws.slice(0, 1)); // warm the pipeline cache and the JIT
      t = performance.now();
      const outs = await executeDraws(engine, k.program, prop, draws);
      const batchedMs = (performance.now() - t) / CASES;
      const single = draws.slice(0, 8);
      t = performance.now();
      for (const d of single) await executeDraws(engine, k.program, prop, [d]);
      const singleMs = (performance.now() - t) / single.length;
      t = performance.now();
      draws.forEach((d, i) => {
        const o = outs[i];
        if (Array.isArray(o)) prop.check(d, o);
      });
      const judgeMs = (performance.now() - t) / CASES;
      const share = batchedMs / (batchedMs + judgeMs + drawMs / CASES);
      console.log([k.program.spec.name.padEnd(16), drawMs.toFixed(1), batchedMs.toFixed(2), singleMs.toFixed(2), judgeMs.toFixed(2), `${(share * 100).toFixed(0)}%`]
        .map((s, i) => (i ? s.padStart(18) : s)).join(''));
    }
  } finally {
    await engine.close();
  }
  return missing ? 1 : 0;
}

/** One kernel on one engine: every property the suite runs there, harness against bare loop. */
export interface HarnessFigures {
  /** Drawn cases per round (the sum over properties; each may be several GPU runs) and batches per round. */
  cases: number;
  batches: number;
  harnessMs: number;
  bareMs: number;
  harnessCasesPerSecond: number;
  bareCasesPerSecond: number;
  /** bareCasesPerSecond / harnessCasesPerSecond: how many times longer the harness takes than the GPU work alone. */
  ratio: number;
  /** CPU milliseconds (user + system) of this process and every process below it (the engine's host, the browser)
   *  over the same timed sections, and harnessCpuMs / bareCpuMs: on a software adapter the GPU's work is CPU work in
   *  those processes, and other jobs on the machine do not count, so this ratio moves far less with their load than
   *  the wall-clock one. Linux only (read from /proc). */
  harnessCpuMs?: number;
  bareCpuMs?: number;
  cpuRatio?: number;
  /** Of harnessMs, the milliseconds spent awaiting the engine (its execute calls): the rest is the harness's own
   *  JavaScript. Against bareMs it shows what the JavaScript costs the engine's side: on a software adapter both share
   *  the cores, and a round trip made right after the harness's work may take longer than the bare loop's. */
  harnessEngineMs: number;
  /** Each timed round's ratio (its harness time over its bare time), in round order: their spread is how far one
   *  round's figure can be off on this machine (a fast kernel's round is tens of milliseconds, where another job's
   *  burst weighs), and how many rounds a figure to two digits needs. */
  roundRatios: number[];
  /** Statuses other than pass seen in the harness rounds (a failing property also pays for shrinking). */
  notPassed?: string[];
  /** The same wall-clock figures per property, summed over the timed rounds: which property's JavaScript costs what
   *  (a -spread-y property draws the larger cases, whose fills and bounds dominate an element-wise kernel's). */
  properties: Record<string, PropertyFigures>;
}

export interface PropertyFigures {
  /** Drawn cases per round. */
  cases: number;
  harnessMs: number;
  bareMs: number;
  ratio: number;
}

export interface HarnessBench {
  seed: number;
  runs: number;
  rounds: number;
  engines: Record<string, { adapter?: string; unavailable?: string; kernels: Record<string, HarnessFigures | { error: string }> }>;
}

/**
 * The harness (runProperty: draw, pack, run, unpack, reference, judge) against a bare loop that replays the batches
 * the harness sent, byte for byte, awaiting each as the harness does. The batches are recorded (and copied, in case
 * an engine transfers their buffers) in an untimed warm-up round; the timed rounds interleave the two property by
 * property in one process, alternating which goes first, so that load from other processes falls on both.
 */
/** `overrides`: kernel name -> the user's WGSL file (`--wgsl`), said before the figures. */
async function harnessBench(kernels: LoadedKernel[], overrides: Map<string, string>, o: BenchOptions): Promise<number> {
  const seed = o.seed ?? 1;
  const runs = o.runs ?? 10;
  const rounds = o.rounds ?? 3;
  const out: HarnessBench = { seed, runs, rounds, engines: {} };
  let missing = 0;
  const log = (s: string) => (o.json ? process.stderr : process.stdout).write(`${s}\n`);
  // Wide enough for a property's name under its kernel (--by-property).
  const first = o.byProperty ? 36 : 16;
  const row = (cells: string[]) => log(cells.map((c, i) => (i ? c.padStart(16) : c.padEnd(first))).join('').trimEnd());
  log(`bench --harness: seed ${seed}, --runs ${runs} per property, ${rounds} interleaved rounds of harness and bare loop; ` +
    'on a GPU engine without the properties judged on the kernel\'s accesses (no-out-of-bounds, no-data-race), whose sanitized kernel is another program');
  for (const line of overrideLines(overrides, kernels)) log(line);
  for (const backend of o.backends) {
    let engine: Engine;
    try {
      // The interpreter's memo would answer the bare loop's replays (and every round after the first) without running
      // them: the figures would time the memo, not the work.
      engine = await openEngine(backend, { interpreter: { memo: false } });
    } catch (e) {
      if (!(e instanceof EngineUnavailable)) throw e;
      out.engines[backend] = { unavailable: e.message, kernels: {} };
      log(`${backend}: unavailable: ${e.message}`);
      continue;
    }
    const entry: HarnessBench['engines'][string] = { adapter: describeAdapter(engine), kernels: {} };
    out.engines[backend] = entry;
    log(`${backend}: ${entry.adapter}`);
    // 'wait / bare': the harness's time awaiting the engine over the bare loop's; above 1, the harness's own work
    // slowed the engine's (on a software adapter they share the cores).
    // 'rounds': the lowest and highest round's ratio, the spread the figure comes from.
    row(['kernel', 'cases', 'batches', 'harness cases/s', 'bare cases/s', 'ratio', 'cpu ratio', 'wait / bare', 'rounds']);
    try {
      for (const k of kernels) {
        const name = k.program.spec.name;
        // Not timed where the engine cannot run it: a ratio of two loops that only skip is the time to decide to
        // skip (trial 73 B2: 0 cases, "ratio 780.81", exit 0).
        const lacks = lackedBy(engine, programRequirements(k.program));
        if (lacks) {
          missing++;
          entry.kernels[name] = { error: `not run: it ${lacks}` };
          row([name, 'not run']);
          log(`    it ${lacks}; bench it on an engine that has it (--backend)`);
          continue;
        }
        try {
          const f = await measureKernel(engine, k, seed, runs, rounds);
          entry.kernels[name] = f;
          row([name, String(f.cases), String(f.batches), f.harnessCasesPerSecond.toFixed(1), f.bareCasesPerSecond.toFixed(1), f.ratio.toFixed(2), f.cpuRatio?.toFixed(2) ?? '-', (f.harnessEngineMs / f.bareMs).toFixed(2),
            `${Math.min(...f.roundRatios).toFixed(2)}-${Math.max(...f.roundRatios).toFixed(2)}`]);
          if (o.byProperty) {
            for (const [p, q] of Object.entries(f.properties)) {
              row([`  ${p}`, String(q.cases), '', (q.cases * rounds / (q.harnessMs / 1000)).toFixed(1), (q.cases * rounds / (q.bareMs / 1000)).toFixed(1), q.ratio.toFixed(2), '']);
            }
          }
          if (f.notPassed) log(`    not passed: ${f.notPassed.join('; ')}`);
          // The harness does the bare loop's work and more: a ratio below 1 is noise, not a harness that is free.
          if (f.ratio < 1) log(`    ratio below 1: the bare loop ran slower than the harness, which does all it does and more; load from other processes fell on it unevenly (more --rounds evens it out)`);
        } catch (e) {
          // The bare loop's own error (a watchdog under load, say): this kernel has no figures; the others go on.
          if (e instanceof DeviceError && (e.kind === 'lost' || e.kind === 'timeout')) await engine.recover?.().catch(() => undefined);
          const error = `${(e as Error).name}: ${(e as Error).message.split('\n')[0]}`;
          missing++;
          entry.kernels[name] = { error };
          row([name, 'error']);
          log(`    ${error}`);
        }
      }
    } finally {
      await engine.close().catch(() => undefined);
    }
  }
  if (o.json) console.log(JSON.stringify(out, null, 1));
  return missing ? 1 : 0;
}

async function measureKernel(engine: Engine, k: LoadedKernel, seed: number, runs: number, rounds: number): Promise<HarnessFigures> {
  const props = k.properties.filter((p) => !isTraceProperty(p) || engine.id === 'interpreter');
  let recording: DispatchBatch[] | undefined;
  const recorder: Engine = {
    id: engine.id,
    get info() {
      return engine.info;
    },
    execute: async (b) => {
      recording?.push(structuredClone(b));
      const t = performance.now();
      try {
        return await engine.execute(b);
      } finally {
        engineMs += performance.now() - t;
      }
    },
    close: () => engine.close(),
  };
  const notPassed = new Set<string>();
  let cases = 0;
  let engineMs = 0;
  const perProperty = props.map(() => ({ cases: 0, harnessMs: 0, bareMs: 0 }));
  let harnessCpu: number | undefined = 0;
  let bareCpu: number | undefined = 0;
  const harness = async (p: Property) => {
    const cpu = treeCpuMs();
    const t = performance.now();
    const r = await runProperty(recorder, k, p, { seed, runs });
    const ms = performance.now() - t;
    harnessCpu = addCpu(harnessCpu, cpu);
    if (r.status !== 'pass') notPassed.add(`${p.name}: ${r.status}${r.error ? ` (${r.error.split('\n')[0]})` : ''}`);
    cases += r.runs;
    return ms;
  };
  const bare = async (batches: DispatchBatch[]) => {
    const cpu = treeCpuMs();
    const t = performance.now();
    for (const b of batches) await engine.execute(b);
    const ms = performance.now() - t;
    bareCpu = addCpu(bareCpu, cpu);
    return ms;
  };
  // Warm-up: records each property's batches, compiles the pipelines, warms the JIT.
  const batches: DispatchBatch[][] = [];
  forgetDraws();
  for (const [i, p] of props.entries()) {
    batches.push((recording = []));
    const before = cases;
    await harness(p);
    perProperty[i]!.cases = cases - before;
    await bare(recording);
  }
  recording = undefined;
  const casesPerRound = cases;
  harnessCpu = bareCpu = 0;
  engineMs = 0;
  const roundRatios: number[] = [];
  // Interleaved property by property, the order alternating: load from other processes falls on both sides.
  for (let r = 0; r < rounds; r++) {
    // Each round draws what one run of the suite draws for this kernel: nothing kept from the round before.
    forgetDraws();
    let roundHarness = 0;
    let roundBare = 0;
    for (let i = 0; i < props.length; i++) {
      const q = perProperty[i]!;
      let h: number, b: number;
      if ((r + i) % 2) {
        b = await bare(batches[i]!);
        h = await harness(props[i]!);
      } else {
        h = await harness(props[i]!);
        b = await bare(batches[i]!);
      }
      q.harnessMs += h;
      q.bareMs += b;
      roundHarness += h;
      roundBare += b;
    }
    roundRatios.push(roundHarness / roundBare);
  }
  const total = casesPerRound * rounds;
  const harnessMs = perProperty.reduce((s, q) => s + q.harnessMs, 0);
  const bareMs = perProperty.reduce((s, q) => s + q.bareMs, 0);
  return {
    cases: casesPerRound,
    batches: batches.reduce((n, b) => n + b.length, 0),
    harnessMs,
    bareMs,
    harnessCasesPerSecond: total / (harnessMs / 1000),
    bareCasesPerSecond: total / (bareMs / 1000),
    ratio: harnessMs / bareMs,
    harnessEngineMs: engineMs,
    roundRatios,
    ...(harnessCpu !== undefined && bareCpu !== undefined ? { harnessCpuMs: harnessCpu, bareCpuMs: bareCpu, cpuRatio: harnessCpu / bareCpu } : {}),
    ...(notPassed.size ? { notPassed: [...notPassed] } : {}),
    properties: Object.fromEntries(props.map((p, i) => {
      const q = perProperty[i]!;
      return [p.name, { ...q, ratio: q.harnessMs / q.bareMs }];
    })),
  };
}

/** The CPU time spent since `before` (a treeCpuMs), added to `sum`; undefined once either is unknown. */
function addCpu(sum: number | undefined, before: number | undefined): number | undefined {
  const now = treeCpuMs();
  return sum === undefined || before === undefined || now === undefined ? undefined : sum + now - before;
}

/**
 * CPU milliseconds, user and system, of this process (process.cpuUsage, microseconds) and of every process below it
 * (/proc's utime and stime, and cutime and cstime so that a process that exits and is reaped still counts; in
 * USER_HZ ticks, 100 a second on Linux); undefined where /proc cannot be read.
 */
function treeCpuMs(): number | undefined {
  try {
    let ticks = 0;
    const below = (pid: number): number[] =>
      readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
    // Fields after the command name (which may hold spaces), from field 3: utime, stime, cutime, cstime are 14-17.
    const stat = (pid: number) => {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
    };
    const visit = (pid: number) => {
      const f = stat(pid);
      ticks += f[11]! + f[12]! + f[13]! + f[14]!;
      for (const c of below(pid)) visit(c);
    };
    for (const c of below(process.pid)) visit(c);
    const self = stat(process.pid);
    ticks += self[13]! + self[14]!;
    const own = process.cpuUsage();
    return (own.user + own.system) / 1000 + ticks * 10;
  } catch {
    return undefined;
  }
}
