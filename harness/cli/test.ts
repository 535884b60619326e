// `kernelscope test`: pick kernels and properties, run them on the chosen engines, write the reports.
import { unsupportedAtDefaults } from '../engines/interpreter/unsupported.ts';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendId } from '../engines/engine.ts';
import type { InterpreterOptions } from '../engines/interpreter.ts';
import { atomicSlotsAt } from '../run/float-atomics.ts';
import { callsBarrier, workgroupAtomicVariables, unretriedExchangeText, loadThenStoreCause, loadThenStorePlace, loadThenStores, loopVarNote, loopVars, spinWaitNotes, unretriedExchanges, updatedAtomics } from '../run/portability.ts';
import { holdsAtomic, reflect } from '../run/reflect.ts';
import { programRequirements } from '../run/program.ts';
import { EXPECTATIONS } from '../run/registry.ts';
import { NAGA, TINT } from '../results/compilers.ts';
import { runSuite, type SuiteItem } from '../run/suite.ts';
import { isTraceProperty } from '../run/trace-properties.ts';
import { expectationFor, loadExpectations } from '../reports/expectations.ts';
import type { PropertyResult, ResultsFile } from '../results/schema.ts';
import { consoleReporter } from './progress.ts';
import { overrideLines, selectKernels } from './select-kernels.ts';
import { UsageError } from './usage.ts';

export interface TestOptions {
  backends: BackendId[];
  kernels: string[];
  properties: string[];
  seed: number;
  runs: number;
  wgsl: string[];
  /** --same-algorithm: the --wgsl files are twins of their kernels' own algorithm; keep the properties assuming it. */
  sameAlgorithm?: boolean;
  out: string;
  shard?: string;
  timeoutMs?: number;
  /** Where counterexamples are saved (default fixtures/counterexamples). */
  fixturesDir?: string;
  /** The interpreter's per-case budget (`--interpreter-budget`). */
  interpreter?: InterpreterOptions;
}

/** What a run writes to --out: a run that stops before writing them (a library that does not load, a usage error, a
 *  crash) must not leave the last run's there, where a CI step reading junit.xml would take its pass for this run's. */
const RUN_FILES = ['results.json', 'junit.xml', 'index.html'];

export function clearRunFiles(out: string): void {
  for (const f of RUN_FILES) rmSync(join(out, f), { force: true });
}

export async function testCommand(o: TestOptions): Promise<number> {
  clearRunFiles(o.out);
  // Read before the run: a malformed file said only after every property ran cost a whole suite (a trial's).
  let expectations: ReturnType<typeof loadExpectations>;
  try {
    expectations = loadExpectations(EXPECTATIONS);
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; fix it before the run (docs/CONTRACTS.md, contract 4)`);
  }
  if (o.sameAlgorithm && !o.wgsl.length) throw new UsageError('--same-algorithm says what --wgsl files are, and none was given: add --wgsl NAME=FILE, or drop it');
  const { kernels, overrides } = await selectKernels(o.kernels, o.wgsl, o.sameAlgorithm);
  const names = kernels.map((k) => k.program.spec.name);

  for (const line of overrideLines(overrides, kernels)) process.stdout.write(`${line}\n`);
  for (const k of kernels) if (k.fixedDispatchNote) process.stderr.write(`note: ${k.fixedDispatchNote}\n`);

  let items: SuiteItem[] = kernels.flatMap((k) => k.properties.map((property) => ({
    kernel: k,
    property,
    ...(overrides.has(k.program.spec.name) ? { wgslFile: overrides.get(k.program.spec.name)! } : {}),
  })));
  if (o.properties.length) {
    const known = new Set(items.map((i) => i.property.name));
    // Each kernel named on the command line must keep a property: one with none of those asked for ran nothing while
    // the summary said "everything asked for passed" (a trial's relu beside softmax's sums-to-one).
    if (o.kernels.length > 1) {
      for (const k of kernels) {
        const own = k.properties.map((q) => q.name);
        if (own.some((q) => o.properties.includes(q)) || !o.properties.every((p) => known.has(p))) continue;
        throw new UsageError(`--kernel ${k.program.spec.name} has none of the properties asked for (${o.properties.join(', ')}), so it would run nothing: drop it, or add one of its properties (${own.join(', ')})`);
      }
    }
    for (const p of o.properties) {
      if (known.has(p)) continue;
      // A property of the library's kernel that --wgsl left out: say why, not that it does not exist.
      const dropped = kernels.flatMap((k) => k.leftOut?.filter((q) => q.name === p) ?? []);
      if (dropped.length) {
        throw new UsageError(`property '${p}' assumes the library kernel's own algorithm (${dropped[0]!.assumes}), so a --wgsl run leaves it out; for a twin of that algorithm, add --same-algorithm (properties: ${[...known].join(', ')})`);
      }
      throw new UsageError(`unknown property '${p}' for ${names.join(', ')} (properties: ${[...known].join(', ')})`);
    }
    items = items.filter((i) => o.properties.includes(i.property.name));
  } else {
    items = items.filter((i) => !i.property.optIn);
  }
  if (o.shard) {
    const { parseShard, shardItems } = await import('../reports/shard.ts');
    let shard;
    try {
      shard = parseShard(o.shard);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    items = shardItems(items.map((item) => ({ kernel: item.kernel.program.spec.name, property: item.property.name, item })), shard).map((x) => x.item);
  }

  nothingToRun(items, o.shard);

  // An expected failure is marked on its own line; an entry naming an adapter needs the engine as results.json (written
  // as the run goes) describes it.
  const engineInfo = (backend: string) => {
    try {
      return (JSON.parse(readFileSync(join(o.out, 'results.json'), 'utf8')) as ResultsFile).engines.find((e) => e.backend === backend);
    } catch {
      return undefined;
    }
  };
  const stopInterruptNote = sayWhenInterrupted(o.out);
  const reporter = consoleReporter(process.stderr, (r) =>
    (r.status === 'fail' || r.status === 'error' ? expectationFor(expectations, r, engineInfo(r.backend)) : undefined));
  const t0 = performance.now();
  const { writer, results } = await runSuite({ ...o, items, reporter, ...(o.shard ? { shard: o.shard } : {}) });
  stopInterruptNote();
  const seconds = (performance.now() - t0) / 1000;
  const ran = results.reduce((s, r) => s + r.runs, 0);
  // Counted as the report's summary and junit.xml count them (expected failures among the skipped, an engine that
  // did not start among the errors): a trial's line said "2 failed" beside JUnit's failures="1" skipped="1".
  const { runTallyText } = await import('../reports/write.ts');
  const counts = runTallyText(writer.file, writer.path, { expectations: EXPECTATIONS, ...(o.shard ? { shardAlone: true } : {}) });
  // Cases a result skipped while others of it ran (over the interpreter's budget); a result skipped whole (a feature
  // the engine lacks) ran none and is counted among the results: "0 cases skipped" beside 9 skipped results misled.
  const skippedCases = results.reduce((s, r) => s + (typeof r.notes?.skippedCases === 'number' ? r.notes.skippedCases : 0), 0);
  // The count leads with its own total (JUnit's tests, the results among them): "32 results in ..." beside parts that
  // summed to 33 (an engine's "starts" test) misled a trial.
  process.stderr.write(`\nRan for ${seconds.toFixed(1)} s (${ran} cases, ${skippedCases ? `${skippedCases} more skipped, ` : ''}${rate(ran / seconds)} cases/s): ` +
    `${counts}\n`);

  for (const line of outsideWritesNotes(items, results)) process.stderr.write(`note: ${line}\n`);
  // Only for a kernel some engine judged: a trial's note pointed Firefox at a kernel it had skipped whole (179 B4).
  const ranSome = new Set(results.filter((r) => r.status === 'pass' || r.status === 'fail').map((r) => r.kernel));
  if (!o.backends.includes('interpreter')) schedulingNote(items.filter((i) => ranSome.has(i.kernel.program.spec.name)), o.backends);
  // Naga checks less than Tint: a barrier under a non-uniform `if` ran and passed on Firefox and Deno (trial 82 A1).
  // Said of the kernels it concerns, those with a barrier (trial 140 B2: an f16 map with none got it), and of the
  // features Tint would need, which Dawn's adapter may lack (there the advice checks nothing).
  const naga = o.backends.filter((b) => NAGA.has(b));
  // Of the kernels a naga engine judged (trial 159 B2: one skipped there for a feature was said to be checked).
  const judged = new Set(results.filter((r) => NAGA.has(r.backend) && r.status !== 'skip').map((r) => r.kernel));
  const barred = naga.length && !o.backends.some((b) => TINT.has(b)) ? [...new Set(items.map((i) => i.kernel.program))].filter((p) => judged.has(p.spec.name) && Object.values(p.sources).some(callsBarrier)) : [];
  if (barred.length) {
    const features = [...new Set(barred.flatMap((p) => programRequirements(p).features ?? []))];
    const needing = barred.filter((p) => programRequirements(p).features?.length).map((p) => p.spec.name);
    process.stderr.write(`note: ${naga.join(' and ')} compile${naga.length === 1 ? 's' : ''} with naga, which does not apply WGSL's uniformity analysis in full (a workgroupBarrier() under an if on the invocation's id compiles there), so the barriers of ${barred.map((p) => p.spec.name).join(', ')} are checked by kernelscope's own reading of it, which says only the sure cases; add --backend dawn to have Tint check them${features.length ? ` (where Dawn's adapter has ${features.join(' and ')}, which ${needing.join(', ')} ${needing.length === 1 ? 'needs' : 'need'}; without, Dawn skips ${needing.length === 1 ? 'it' : 'them'} unchecked)` : ''}\n`);
  }
  // After an error on a GPU engine, or a failure there that the variable may explain (its clause is beside it): a
  // passing run has nothing for the note to explain, nor a failure the kernel with it initialized fails too.
  const onGpu = results.filter((r) => r.backend !== 'interpreter' && (r.status === 'fail' || r.status === 'error'));
  for (const program of new Set(items.map((i) => i.kernel.program))) {
    for (const [file, v] of loopVars(program)) {
      const clause = `'var ${v.name}' has no initializer inside a loop`;
      if (onGpu.some((r) => r.kernel === program.spec.name && (r.status === 'error' || r.error?.includes(clause)))) process.stderr.write(`note: ${loopVarNote(file, v)}\n`);
    }
  }

  const { reportCommand } = await import('../reports/write.ts');
  const code = reportCommand([o.out], o.out, { expectations: EXPECTATIONS, ...(o.shard ? { shardAlone: true } : {}) });
  // No engine at all is a set-up error (the reports, written all the same, say which and why), expected or not: the
  // run judged nothing (trial 75 A2 exited 0 with every engine an expected skip).
  if (code !== 0 && !writer.file.engines.some((e) => e.status === 'ok')) {
    const reasons = writer.file.engines.map((e) => `${e.backend}: ${e.reason}`).join('; ');
    process.stderr.write(`kernelscope: no engine could start (${reasons})\n`);
    return 2;
  }
  return code;
}

/**
 * Ctrl-C during a run: one line that says what was kept, before the exit (130). It ended silently, leaving a user to
 * find out that results.json holds what ran (complete: false) and that the page and junit.xml were never written. The
 * line goes first; where another handler is listening (Playwright's, which closes the browsers and exits 130) it is
 * left to exit, else this one exits as Node would. Returns what removes the handler.
 */
export function sayWhenInterrupted(out: string, exit: (code: number) => void = (c) => process.exit(c)): () => void {
  const onInterrupt = () => {
    process.stderr.write(`\n${interruptedLine(out)}\n`);
    if (process.listenerCount('SIGINT') <= 1) exit(130);
  };
  // A job's timeout (SIGTERM) or a closed terminal (SIGHUP) said the same, then the signal ends the run as it would
  // (engines/children.ts kills the hosts first where there are any): it ended in silence (trial 66 B5).
  const onEnding = (signal: NodeJS.Signals) => {
    process.off(signal, onEnding);
    process.stderr.write(`\n${interruptedLine(out, signal === 'SIGHUP' ? 'SIGHUP' : 'SIGTERM')}\n`);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.prependListener('SIGINT', onInterrupt);
  for (const s of ENDING) process.prependListener(s, onEnding);
  return () => {
    process.off('SIGINT', onInterrupt);
    for (const s of ENDING) process.off(s, onEnding);
  };
}

const ENDING = ['SIGTERM', 'SIGHUP'] as const;
const EXIT_OF = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export function interruptedLine(out: string, signal: keyof typeof EXIT_OF = 'SIGINT'): string {
  const how = signal === 'SIGINT' ? `interrupted (exit ${EXIT_OF[signal]})` : `stopped by ${signal} (exit ${EXIT_OF[signal]})`;
  const path = join(out, 'results.json');
  let data: ResultsFile | undefined;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as ResultsFile;
  } catch {
    // Not written yet (stopped before the first engine started), or unreadable: said as such.
  }
  if (!data || !Array.isArray(data.results)) return `kernelscope: ${how}: no results.json was kept in ${out}; nothing ran to the end`;
  const n = data.results.length;
  return `kernelscope: ${how}: kept ${path} (complete: false, ${n} result${n === 1 ? '' : 's'}); index.html and junit.xml were not written ` +
    `(kernelscope report ${out} builds them, and fails the run as not finished)`;
}

/** A selection that runs nothing is a usage error: say why. */
function nothingToRun(items: SuiteItem[], shard: string | undefined): void {
  if (items.length) return;
  throw new UsageError(shard ? `--shard ${shard} holds none of the selected properties: use fewer shards` : 'nothing to run: the selection holds no property');
}

/**
 * A kernel that writes outside an output (no-out-of-bounds, `notes.writesOutside`) and fails a value property of that
 * output on the same engine: a GPU may drop such a write or store it to any element of the buffer (WebGPU's robust access), so the
 * wrong value may be that write, not the arithmetic the failure points a reader at (trial 207 B1: a missing guard's
 * write of invocation 7 landed on out[0], "out[0] = 0 but the reference is 0.245"). Said once per kernel and engine.
 */
export function outsideWritesNotes(items: readonly Pick<SuiteItem, 'kernel' | 'property'>[], results: readonly PropertyResult[]): string[] {
  const valueProperty = new Set(items.filter((i) => !isTraceProperty(i.property)).map((i) => `${i.kernel.program.spec.name} ${i.property.name}`));
  const said = new Set<string>();
  const lines: string[] = [];
  for (const r of results) {
    // The interpreter drops such a write: its value failures are the kernel's own.
    const buffer = r.status === 'fail' && r.backend !== 'interpreter' ? r.notes?.writesOutside : undefined;
    if (typeof buffer !== 'string' || said.has(`${r.kernel} ${r.backend}`)) continue;
    // Failures of that buffer: by the worst element where the result keeps it, else as the message names it (trial
    // 213 B3: a counter never reset was named beside writes outside the list it indexed).
    const ofBuffer = (v: PropertyResult) => {
      const worst = v.maxError?.atWorst?.buffer ?? v.maxError?.absBuffer;
      return worst !== undefined ? worst === buffer : !!v.error?.includes(`${buffer}[`);
    };
    // Not writes-every-output: a write landing inside writes an element, and leaves none holding the fill (trial 216 B2).
    const values = results.filter((v) => v.kernel === r.kernel && v.backend === r.backend && v.status === 'fail' && v.property !== 'writes-every-output' && valueProperty.has(`${v.kernel} ${v.property}`) && ofBuffer(v));
    if (!values.length) continue;
    said.add(`${r.kernel} ${r.backend}`);
    lines.push(`${r.kernel} writes outside ${buffer} on ${r.backend} (${r.property}): a GPU may drop such a write or store it to any element of ${buffer}, so ${values.map((v) => v.property).join(', ')} may be failing on that write landing inside: fix that write first (its line and index are in ${r.property}'s failure)`);
  }
  return lines;
}

/**
 * A kernel that updates atomics (in storage or workgroup memory) can lose an update (an atomicLoad then an
 * atomicStore where a read-modify-write belongs) that a GPU shows only when the invocations updating one word happen
 * to interleave (of one workgroup or of several: a trial's CAS sum gave each workgroup its own word): SwiftShader did
 * in about 1 dispatch in 9 of histogram's most contended shape (docs/mutation.md). Say so, once per such kernel, when
 * no engine of the run takes the interpreter's schedule, which shows most on every case it can run (trial 203 A3: not a
 * store after the invocation's own update, which its lost-update check leaves out)
 * (interpreter/early-loads.ts).
 */
function schedulingNote(items: SuiteItem[], backends: BackendId[]): void {
  for (const program of new Set(items.map((i) => i.kernel.program))) {
    const atomics = new Set<string>();
    // An atomic loaded and then stored is an update that is not one, whatever else updates it (trial 140 B1: a
    // histogram's merge of that form named only the workgroup atomics, which updated, not the buffer that lost).
    const places: string[] = [];
    for (const [file, code] of Object.entries(program.sources)) {
      for (const f of loadThenStores(code)) {
        atomics.add(f.variable);
        places.push(`${loadThenStorePlace(program.origins[file] ?? file, f)} ${loadThenStoreCause(f, f.variable)}`);
      }
      for (const f of unretriedExchanges(code)) {
        atomics.add(f.variable);
        places.push(unretriedExchangeText(program.origins[file] ?? file, f));
      }
    }
    for (const code of Object.values(program.sources)) {
      let module;
      try {
        module = reflect(code);
      } catch {
        continue; // the run has already said why it does not parse
      }
      const updated = updatedAtomics(code);
      for (const b of module.bindings.values()) if (b.kind === 'storage' && holdsAtomic(b.type) && updated.has(b.name)) atomics.add(b.name);
      // Workgroup atomics too: a trial's `let cur = atomicLoad(&amin); if (v < cur) { atomicStore(&amin, v); }` on a
      // var<workgroup> atomic<i32> passed every property on dawn and chromium, with no word of the interpreter; a
      // struct's atomic field too (trial 203 B2).
      for (const name of workgroupAtomicVariables(code)) if (updated.has(name)) atomics.add(name);
    }
    // A kernel whose workgroups wait on each other's stores is one whose values the interpreter does not judge
    // (property-runner.ts interpreterCannotOrder): it would not show its lost updates either (trial 59 B1).
    // Nor one the interpreter cannot run at all (subgroups, f16: trial 96 B3 was pointed at it for a subgroup scan).
    if (!atomics.size || spinWaitNotes(program).length || Object.values(program.sources).some((code) => unsupportedAtDefaults(code))) continue;
    // Trial 199 A1: a radix sort's ranks from atomicAdd, unstable, passed every property on Dawn, which hands the slots
    // out in invocation order.
    const slots = atomicSlotsAt(program);
    const order = slots ? `; ${slots} hands out slots by an atomic's old value, in an order WGSL leaves open: a GPU engine may give them in the same order every run, so a kernel that must keep an order (a stable sort) can pass there every time, and the interpreter gives them in another` : '';
    process.stderr.write(`note: ${program.spec.name} updates atomics (${[...atomics].join(', ')})${places.length ? `; ${[...new Set(places)].join('; ')}` : ''}${order}: a lost update shows on a GPU only when ` +
      `the invocations updating one word happen to interleave; --backend ${[...backends, 'interpreter'].join(',')} adds the interpreter, whose schedule shows most on every case it can run (not a store after the storing invocation's own update of the word: docs/writing-a-kernel.md, Pitfalls)\n`);
  }
}

/** Cases per second, with a digit after the point below 10: "0 cases/s" was printed for 5 cases in 20 s. */
const rate = (x: number) => (x >= 10 ? x.toFixed(0) : x.toPrecision(2));
