// A whole run: every selected engine × kernel × property, results streamed to results.json as they come.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describeAdapter, EngineUnavailable, type BackendId, type Engine } from '../engines/engine.ts';
import { UNFINISHED, type InterpreterOptions } from '../engines/interpreter.ts';
import { EVERY_CASE_CUT, LOOP_CUT } from '../engines/loop-limit.ts';
import { openEngine } from '../engines/open.ts';
import { DeviceError } from '../gpu/batch.ts';
import { NAGA, refusedByTint, TINT, type TintRefusal } from '../results/compilers.ts';
import type { PropertyResult } from '../results/schema.ts';
import { ResultsWriter } from '../results/writer.ts';
import type { Property } from '../spec.ts';
import type { Counterexample } from './fixture.ts';
import type { KernelProgram } from './program.ts';
import { nonUniformBarriers, restrictedPointerParameter, type NonUniformBarrier } from './portability.ts';
import { SUBGROUP_OPERATION } from './wgsl-words.ts';
import { resultBase, runProperty, type RunOptions } from './property-runner.ts';
import { LIBRARY, ROOT, type LoadedKernel } from './registry.ts';

export interface SuiteItem {
  kernel: LoadedKernel;
  property: Property;
  /** The user's WGSL file under test (`--wgsl`), if any. */
  wgslFile?: string;
}

export interface SuiteOptions {
  backends: BackendId[];
  items: SuiteItem[];
  seed: number;
  runs: number;
  out: string;
  shard?: string;
  fixturesDir?: string;
  timeoutMs?: number;
  /** The interpreter's per-case budget. */
  interpreter?: InterpreterOptions;
  reporter: SuiteReporter;
}

export interface SuiteReporter {
  engine(backend: BackendId, status: 'starting' | 'ok' | 'unavailable', detail?: string): void;
  start(item: SuiteItem, backend: BackendId, index: number, total: number): void;
  progress(phase: 'run' | 'shrink', done: number, total: number): void;
  result(r: PropertyResult): void;
}

/** A -spread-y property's twin without it, as it fared on this engine: the property of the same name less
 *  '-spread-y' where the kernel has one, else matches-reference (reduce_max's max-in-each-block-spread-y has no plain
 *  twin, and a kernel that fails matches-reference is wrong before any y path). */
function plainOf(statuses: Map<string, PropertyResult['status']>, kernel: string, property: string): RunOptions['plain'] {
  if (!property.includes('-spread-y')) return undefined;
  for (const p of [property.replace('-spread-y', ''), 'matches-reference']) {
    const status = statuses.get(`${kernel}/${p}`);
    if (status) return { property: p, status };
  }
  return undefined;
}

export async function runSuite(o: SuiteOptions): Promise<{ writer: ResultsWriter; results: PropertyResult[] }> {
  const writer = new ResultsWriter(o.out, o.seed, o.runs, o.shard);
  const fixturesDir = o.fixturesDir ?? join(LIBRARY, 'fixtures', 'counterexamples');
  const total = o.backends.length * o.items.length;
  let index = 0;
  // The interpreter parses WGSL without validating it: it ran a trial's `u32 + 1.0` and passed 4 properties beside
  // Dawn's located compile error. Run after the engines with a compiler, it reports what Tint (Dawn's and Chromium's
  // compiler, the CTS's reference) rejected as that error instead of judging it.
  // Naga (Firefox's and Deno's compiler) does not apply WGSL's uniformity analysis in full: a barrier under `if (lid <
  // 1000u)` compiled there and passed every property, where Tint refuses it (trial 82 A1). Tint's engines run first,
  // and a kernel Tint refuses for uniformity is that error on naga's too.
  const order = (b: BackendId) => (TINT.has(b) ? 0 : b === 'interpreter' ? 2 : 1);
  const backends = [...o.backends].sort((a, b) => order(a) - order(b));
  /** Kernel name -> the first line of Tint's compile error and the engine that gave it. */
  const rejected = new Map<string, TintRefusal>();
  /** Kernels a Tint engine compiled and ran a case of: its verdict on uniformity stands, kernelscope's own is not asked
   *  (trial 84: kernelscope's check refused what Tint had accepted in the same run). */
  const compiledByTint = new Set<string>();
  for (const backend of backends) {
    o.reporter.engine(backend, 'starting');
    let engine: Engine;
    try {
      engine = await openEngine(backend, { timeoutMs: o.timeoutMs, ...(o.interpreter ? { interpreter: o.interpreter } : {}) });
    } catch (e) {
      const reason = e instanceof EngineUnavailable ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
      writer.engine({ backend, status: 'unavailable', reason });
      o.reporter.engine(backend, 'unavailable', reason);
      // Every property of an engine that did not start is a skip with the reason: never a pass.
      for (const item of o.items) {
        const r: PropertyResult = { ...resultBase(item.kernel.program, item.property.name, backend, wgslOf(item)), status: 'skip', runs: 0, durationMs: 0, error: `engine unavailable: ${reason}` };
        writer.add(r);
        o.reporter.result(r);
        index++;
      }
      continue;
    }
    writer.engine(engine.info);
    o.reporter.engine(backend, 'ok', describeAdapter(engine));
    const watch = watchHangs(engine);
    /** Kernel name -> the property in which it hung on this engine: its other properties are not run again. */
    const hungIn = new Map<string, string>();
    /** The like of it on the engines that cannot see a hang: kernel name -> what the rest are. On the interpreter no
     *  case it started in a property finished within its budget: slow and never-ending look the same there, so the
     *  rest are skipped, not errors. On llvmpipe every case of a property reached its loop limit (loop-limit.ts). */
    const stalledIn = new Map<string, Pick<PropertyResult, 'status' | 'error' | 'detail'>>();
    /** Kernels with a case that ran to its end on this engine: one property's cases all unfinished then says that
     *  property's cases are slow (or its loops long), not that the kernel never ends (trial 51: reduce_sum's
     *  spread-y cases ran past the interpreter's budget after its matches-reference cases had finished, and its other
     *  ten properties were not run). */
    const finishedIn = new Set<string>();
    /** 'kernel/property' -> its status on this engine: a -spread-y failure's clause depends on its plain twin's. */
    const statuses = new Map<string, PropertyResult['status']>();
    try {
      for (const item of o.items) {
        o.reporter.start(item, backend, ++index, total);
        const name = item.kernel.program.spec.name;
        // What an earlier property of this kernel settled for the rest on this engine: reported at once, not run.
        const hung = hungIn.get(name);
        const tintError = rejected.get(name);
        // Without Tint's verdict in the run, the sure cases of a barrier in non-uniform control flow, found here, for
        // the engines that would run it: naga's and the interpreter, which validates nothing.
        const barrier = (NAGA.has(backend) || backend === 'interpreter') && !tintError && !compiledByTint.has(name) ? barrierOf(item.kernel.program) : undefined;
        const refused = refusedByTint(backend, tintError);
        const stalled = stalledIn.get(name);
        const settled: Pick<PropertyResult, 'status' | 'error' | 'detail'> | undefined = hung
          ? { status: 'error', error: `hung in ${hung}`, detail: `a batch of ${name} in ${hung} did not finish on ${backend} within the watchdog; its other properties are not run there again` }
          : refused
            ? { status: 'error', error: refused }
            : barrier
              ? { status: 'error', error: barrierError(barrier, backend, item.kernel.program) }
              : stalled;
        if (settled) {
          const r: PropertyResult = { ...resultBase(item.kernel.program, item.property.name, backend, wgslOf(item)), runs: 0, durationMs: 0, ...settled };
          writer.add(r);
          o.reporter.result(r);
          continue;
        }
        watch.hung = false;
        const r = await runProperty(watch.engine, item.kernel, item.property, {
          seed: o.seed,
          runs: o.runs,
          ...(item.wgslFile ? { wgslFile: wgslOf(item) } : {}),
          onProgress: (phase, done, n) => o.reporter.progress(phase, done, n),
          save: async (fx) => saveFixture(fixturesDir, fx, item.kernel.program),
          plain: plainOf(statuses, name, item.property.name),
          ...(TINT.has(backend) ? { onCompileError: (error: string) => void (rejected.has(name) || rejected.set(name, { backend, error })) } : {}),
        });
        statuses.set(`${name}/${item.property.name}`, r.status);
        // A batch that hung, in the property's cases or in its shrink (whose verdict is the failure found before it):
        // the kernel's other properties are not run on this engine again.
        if (watch.hung) hungIn.set(name, item.property.name);
        // Two cases at least, as the StallWatch asks: one slow case among cases over the invocations budget is not enough.
        if (r.runs > 0) finishedIn.add(name);
        if (r.runs > 0 && TINT.has(backend)) compiledByTint.add(name);
        const unfinished = !finishedIn.has(name);
        if (unfinished && r.runs === 0 && Number(r.notes?.casesPastBudget ?? 0) >= 2) {
          stalledIn.set(name, { status: 'skip', error: `not run: no case of ${name} that the interpreter started in ${item.property.name} finished within its budget (${UNFINISHED}: a GPU engine's watchdog tells which; --interpreter-budget seconds=N or steps=N gives it more); its other properties are not run there again` });
        }
        // Skipped, not errors: a correct kernel whose cases of that property all loop long may be judged on the
        // others' cases (trial 48); the property itself carries the error.
        if (unfinished && r.status === 'error' && r.error?.startsWith(EVERY_CASE_CUT)) {
          stalledIn.set(name, { status: 'skip', error: `not run: the loops of every case of ${name} in ${item.property.name} ${LOOP_CUT} on ${backend} (a loop that never ends?); its other properties are not run there again` });
        }
        writer.add(r);
        o.reporter.result(r);
      }
    } finally {
      await engine.close().catch(() => undefined);
    }
  }
  writer.finish();
  return { writer, results: writer.file.results };
}

/** A program's first barrier in non-uniform control flow that kernelscope finds itself (nonUniformBarriers), found
 *  once a program, not once a property. */
const barriers = new WeakMap<KernelProgram, (NonUniformBarrier & { file: string }) | undefined>();
function barrierOf(p: KernelProgram) {
  if (!barriers.has(p)) barriers.set(p, Object.entries(p.sources).flatMap(([file, code]) => nonUniformBarriers(code).map((b) => ({ ...b, file: p.origins[file] ?? file })))[0]);
  return barriers.get(p);
}

/** The error of a kernel with a barrier in non-uniform control flow, on an engine that would run it. */
function barrierError(barrier: NonUniformBarrier & { file: string }, backend: BackendId, p: KernelProgram): string {
  // What the condition reads that differs, and where that got it (trial 141 B1): reasoning the user can check.
  const reads = `which reads ${barrier.because ?? "the invocation's id"}`;
  // A subgroup operation needs subgroup-uniform control flow, which the interpreter, having no subgroups, never runs.
  const subgroup = SUBGROUP_OPERATION.test(barrier.call);
  const what = barrier.how === 'pointer'
    ? `${barrier.call}() takes the pointer '${barrier.condition}', ${reads}, where WGSL requires a uniform one`
    : `${barrier.call}() ${HOW[barrier.how]} '${barrier.condition}', ${reads}, is not in ${subgroup ? 'subgroup-' : ''}uniform control flow, as WGSL requires`;
  // kernelscope's reading of the analysis, not Tint's verdict (trial 139 B1: a kernel Tint compiles was said to be one
  // Tint rejects).
  // Trial 153 B2: naga refuses a pointer parameter into workgroup or storage memory anyway; "would run it" surprised a
  // user who fixed the barrier and was then told the kernel is not supported there.
  const pointer = NAGA.has(backend) ? Object.values(p.sources).map(restrictedPointerParameter).find(Boolean) : undefined;
  const naga = pointer
    ? `naga, ${backend}'s, does not apply the analysis in full; it would not compile this kernel for another reason either: its ptr<${pointer.space}> parameter ('${pointer.name}') needs the WGSL language extension unrestricted_pointer_parameters, which naga does not have`
    : `naga, ${backend}'s, does not apply the analysis in full and would run it`;
  return `not valid WGSL: ${barrier.file}:${barrier.line}: ${what} (§"Uniformity Analysis"), by kernelscope's own reading of that analysis, as no Tint engine ran here: with --backend dawn in the run, Tint, Dawn's and Chromium's compiler, judges it; ${backend === 'interpreter' ? `the interpreter does not validate WGSL${subgroup ? '' : ' and would run it'}` : naga}`;
}

/** For an engine that does not apply WGSL's uniformity analysis in full (naga's, the interpreter), the error of a
 *  program with a barrier in non-uniform control flow that kernelscope finds itself; undefined otherwise. For a run
 *  without Tint's verdict in it (the API's checkProperty: trial 110 A1, invalid WGSL passed every property). */
export function nonUniformBarrierError(p: KernelProgram, backend: BackendId): string | undefined {
  const barrier = NAGA.has(backend) || backend === 'interpreter' ? barrierOf(p) : undefined;
  return barrier && barrierError(barrier, backend, p);
}

/** Where a non-uniform barrier is, said after its call. */
const HOW: Record<Exclude<NonUniformBarrier['how'], 'pointer'>, string> = { under: 'under', 'after return': 'after a return under', 'after break': 'after a break or continue, in its loop, under' };


/** The engine as the runner sees it, noting whether a batch timed out (a kernel that never ends, as far as the
 *  watchdog can tell): one hang costs one watchdog, not one per property. */
function watchHangs(engine: Engine): { engine: Engine; hung: boolean } {
  const w = {
    hung: false,
    engine: {
      id: engine.id,
      info: engine.info,
      execute: (batch) => engine.execute(batch).catch((e: unknown) => {
        if (e instanceof DeviceError && e.kind === 'timeout') w.hung = true;
        throw e;
      }),
      recover: () => engine.recover?.() ?? Promise.resolve(),
      close: () => engine.close(),
    } satisfies Engine,
  };
  return w;
}


/** A path relative to the repository when it lies inside it, else absolute. */
function inRepo(path: string): string {
  const inside = relative(ROOT, path);
  // Outside the repository, absolute: `--fixtures ../out/fx` was written as given, and report refused its own run's
  // path as climbing out of its folder (trial 108 B1: a failing run exited 2).
  return inside.startsWith('..') ? resolve(path) : inside;
}

/**
 * Writes a counterexample as DIR/KERNEL--PROPERTY--BACKEND--seedN--HASH.json and returns its path (relative to the
 * repository when inside it). HASH is a short hash of the kernel's WGSL, so two versions of a kernel (two `--wgsl`
 * files, or an edit between runs) never overwrite each other's fixture; the same WGSL rerun replaces its own.
 */
export function saveFixture(dir: string, fx: Counterexample, program: KernelProgram): string {
  mkdirSync(dir, { recursive: true });
  const name = `${fx.kernel}--${fx.property}--${fx.backend}--seed${fx.seed}--${wgslHash(program)}.json`.replace(/[^\w.@-]+/g, '_');
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(fx, null, 1));
  return inRepo(path);
}

export function wgslHash(program: KernelProgram): string {
  const h = createHash('sha256');
  for (const file of Object.keys(program.sources).sort()) h.update(file).update('\0').update(program.sources[file]!).update('\0');
  return h.digest('hex').slice(0, 8);
}

/** The item's --wgsl file as results name it: from the repository (or absolutely), so replay finds it from anywhere. */
function wgslOf(item: { wgslFile?: string }): string | undefined {
  return item.wgslFile ? inRepo(resolve(item.wgslFile)) : undefined;
}
