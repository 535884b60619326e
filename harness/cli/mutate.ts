// `kernelscope mutate KERNEL [KERNEL...] | --all`: mutation testing of kernels' WGSL against their own properties
// (docs/mutation.md).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { join, relative } from 'node:path';
import { BACKENDS, EngineUnavailable, type BackendId } from '../engines/engine.ts';
import { openEngine } from '../engines/open.ts';
import { loadEquivalents, markEquivalents } from '../mutate/equivalent.ts';
import { OPERATORS, wgslMutants, type Mutant, type OperatorName } from '../mutate/operators.ts';
import { specMutants } from '../mutate/spec-mutants.ts';
import { previousVerdicts } from '../mutate/incremental.ts';
import { mutationReport, shownPath, writeReport } from '../mutate/report.ts';
import { mutationScore, runBaseline, runMutants, type Baseline, type MutantResult, type MutantStatus } from '../mutate/run.ts';
import { reflect } from '../run/reflect.ts';
import { unknownKernels } from './select-kernels.ts';
import { defaultProperties, kernelNames, LIBRARY, loadKernel, type LoadedKernel } from '../run/registry.ts';
import { describeAdapter, lackedBy } from '../engines/engine.ts';
import { programRequirements } from '../run/program.ts';
import { commaList, UsageError } from './usage.ts';

/** `mutate`'s options as Commander hands them over: repeatable ones as lists, numbers still as text. */
export interface MutateFlags {
  backend?: string; operator?: string[]; property?: string[];
  runs?: string; seed?: string; out?: string; timeout?: string; runHangs?: boolean; changed?: boolean; all?: boolean;
}

export async function mutateMain(kernels: string[] | string | undefined, values: MutateFlags): Promise<number> {
  const names = [...new Set(typeof kernels === 'string' ? [kernels] : kernels ?? [])];
  if (values.all && names.length) throw new UsageError(`mutate takes KERNEL names or --all, not both (${names.join(', ')} and --all)`);
  if (!names.length && !values.all) throw new UsageError('mutate takes one KERNEL, several, or --all (kernelscope mutate --help)');
  const backend = commaList(values.backend ?? 'dawn') as BackendId[];
  for (const b of backend) if (!(BACKENDS as readonly string[]).includes(b)) throw new UsageError(`unknown backend '${b}' (backends: ${BACKENDS.join(', ')})`);
  if (new Set(backend).size !== backend.length || !backend.length) throw new UsageError(`--backend wants distinct engines, comma-separated, not '${values.backend}'`);
  const operators = commaList(values.operator);
  for (const o of operators) {
    if (!(OPERATORS as readonly string[]).includes(o)) throw new UsageError(`unknown operator '${o}' (operators: ${OPERATORS.join(', ')})`);
  }
  // One kernel by name keeps its report in --out itself; several (or --all) each in --out/KERNEL, beside summary.json.
  const single = names.length === 1 && !values.all;
  // The first Ctrl-C lets the mutant under way finish and writes the report; a second one leaves at once (the
  // mutation.json already holds every verdict reached).
  let interrupted = false;
  const onInterrupt = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\ninterrupted: finishing the mutant under way, then writing the report (Ctrl-C again to leave now)\n');
  };
  process.on('SIGINT', onInterrupt);
  try {
    const common = {
      backend,
      operators: operators as OperatorName[],
      properties: commaList(values.property),
      runs: whole('--runs', values.runs, 20, 1),
      seed: whole('--seed', values.seed, 1),
      ...(values.timeout !== undefined ? { timeoutMs: whole('--timeout', values.timeout, 0, 1) } : {}),
      runHangs: !!values.runHangs,
      changed: !!values.changed,
      stopped: () => interrupted,
    };
    if (single) return await mutateCommand({ ...common, kernel: names[0]!, out: values.out ?? join('reports', 'mutation', names[0]!) });
    return await mutateKernels({ ...common, kernels: names, out: values.out ?? join('reports', 'mutation') });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

export interface MutateCommandOptions {
  kernel: string;
  /** The engine that judges, or several: each judges every mutant, and the report says which killed it. */
  backend: BackendId | BackendId[];
  operators: OperatorName[];
  /** Only these properties judge the mutants (all of the kernel's when empty). */
  properties?: string[];
  runs: number;
  seed: number;
  /** Where mutation.json and index.html go. */
  out: string;
  /** A fixed watchdog for one batch; absent: the engine's calibrated one (docs/ARCHITECTURE.md, the watchdog). */
  timeoutMs?: number;
  /** Run the mutants known never to end (Ignored otherwise). */
  runHangs?: boolean;
  /** Keep the verdicts of OUT/mutation.json for mutants whose line did not change; run only the others. */
  changed?: boolean;
  /** Called with each engine's verdict (tests); the terminal line is printed either way. */
  onResult?(r: MutantResult, backend: BackendId, kernel: string): void;
  /** Polled between mutants: true stops the run, keeping every verdict reached. */
  stopped?(): boolean;
}

export interface MutateKernelsOptions extends Omit<MutateCommandOptions, 'kernel'> {
  /** The kernels, in this order; empty: every kernel of the library (KERNELSCOPE_LIBRARY). */
  kernels: string[];
  /** Each kernel's mutation.json and index.html go to OUT/KERNEL, the summary of all to OUT/summary.json. */
  out: string;
}

/** One kernel's mutation run: its mutants, each engine's verdicts, its report. */
interface KernelRun {
  name: string;
  kernel: LoadedKernel;
  out: string;
  familyFile: string;
  mutants: Mutant[];
  sources: Record<string, string>;
  paths: Record<string, string>;
  config: Record<string, unknown> & { adapters: Record<string, string> };
  byEngine: Record<string, MutantResult[]>;
  baselines: Record<string, Baseline>;
  performance: { setup: number; initialRun: number; mutation: number };
  /** Per engine, the earlier report's verdicts (--changed), and how many of them were kept. */
  previous: Record<string, ReturnType<typeof previousVerdicts>>;
  kept: Record<string, number>;
  /** Per engine, milliseconds of its baseline and mutants on this kernel. */
  ms: Record<string, number>;
  /** 2 when an engine's baseline left no property to judge with; the kernel is not run further. */
  code: number;
  /** A report has been written to OUT (never one for a kernel the run did not reach: an earlier report stays). */
  started: boolean;
}

/** `kernelscope mutate KERNEL`: one kernel, its report in o.out. Exit status: 0, 2 (usage, set-up), 130 (interrupted). */
export async function mutateCommand(o: MutateCommandOptions): Promise<number> {
  const t0 = performance.now();
  const run = await prepareKernel(o.kernel, o.out, o);
  run.performance.setup = Math.round(performance.now() - t0);
  return (await runKernels([run], o)).code;
}

/**
 * `kernelscope mutate K1 K2 ...` / `--all`: every kernel's mutants on one session of each engine (no restart
 * between kernels), each kernel's report in OUT/KERNEL as for one kernel, then a table and OUT/summary.json
 * (docs/mutation.md, Several kernels). Every kernel is checked (names, properties, mutants) before any engine opens.
 * Exit status: the worst of the kernels' (130 interrupted > 2 > 0).
 */
export async function mutateKernels(o: MutateKernelsOptions): Promise<number> {
  const t0 = performance.now();
  const names = o.kernels.length ? o.kernels : kernelNames();
  knownKernels(names);
  const runs: KernelRun[] = [];
  for (const name of names) runs.push(await prepareKernel(name, join(o.out, name), o));
  for (const r of runs) r.performance.setup = Math.round((performance.now() - t0) / runs.length);
  const { code } = await runKernels(runs, o);
  const summary = writeSummary(o, runs, code);
  process.stderr.write(`\n${summaryTable(summary)}\nWrote ${join(o.out, 'summary.json')}\n`);
  return code;
}

function knownKernels(names: string[]): void {
  const known = kernelNames();
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) throw unknownKernels(unknown, known);
}

/** Loads one kernel, selects its properties, makes its mutants and reads --changed's earlier report: every usage
 *  error before an engine opens. */
async function prepareKernel(name: string, out: string, o: Omit<MutateCommandOptions, 'kernel' | 'out'>): Promise<KernelRun> {
  let kernel = await loadKernel(LIBRARY, name);
  if (!kernel) throw unknownKernels([name], kernelNames());
  if (o.properties?.length) {
    const known = kernel.properties.map((p) => p.name);
    for (const p of o.properties) if (!known.includes(p)) throw new UsageError(`unknown property '${p}' for ${name} (properties: ${known.join(', ')})`);
    kernel = { ...kernel, properties: kernel.properties.filter((p) => o.properties!.includes(p.name)) };
  } else {
    kernel = { ...kernel, properties: defaultProperties(kernel) };
  }
  const familyFile = `properties/${kernel.family.name}.properties.ts`;
  if (!kernel.properties.length) throw new UsageError(`kernel '${name}' has no properties: add a Family with a reference and properties in ${familyFile} (docs/writing-a-kernel.md)`);
  const { mutants, sources, paths } = kernelMutants(kernel, o.operators);
  if (!mutants.length) throw new UsageError(`no mutants of '${name}'${o.operators.length ? ` for --operator ${o.operators.join(',')}` : ''} (operators: ${OPERATORS.join(', ')})`);
  const backends = typeof o.backend === 'string' ? [o.backend] : o.backend;
  const config = { kernel: name, backend: backends.join(','), properties: kernel.properties.map((p) => p.name), runs: o.runs, seed: o.seed, operators: o.operators, timeoutMs: o.timeoutMs ?? 'calibrated', adapters: {} as Record<string, string> };
  // Read before anything is written to OUT: the first report replaces the earlier one.
  let previous: KernelRun['previous'] = {};
  try {
    if (o.changed) previous = Object.fromEntries(backends.map((b) => [b, previousVerdicts(out, mutants, sources, paths, { ...config, backend: b })]));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return {
    name, kernel, out, familyFile, mutants, sources, paths, config, previous,
    // Per engine, its verdict on every mutant; the report's state of a mutant combines them (combineVerdicts).
    byEngine: Object.fromEntries(backends.map((b) => [b, mutants.map((m): MutantResult => ({ ...m, status: 'Pending', testsCompleted: 0, durationMs: 0 }))])),
    baselines: {}, performance: { setup: 0, initialRun: 0, mutation: 0 }, kept: {}, ms: {}, code: 0, started: false,
  };
}

const combined = (r: KernelRun, backends: string[]) => r.mutants.map((_, i) => combineVerdicts(backends.map((b) => [b, r.byEngine[b]![i]!])));
/** A kernel's own exit status: 2 when no property could judge its mutants, 130 when some were not reached. */
const kernelCode = (r: KernelRun, backends: string[]) => r.code || (combined(r, backends).some((v) => v.status === 'Pending') ? 130 : 0);

function report(r: KernelRun, backends: string[], html: boolean) {
  r.started = true;
  const several = backends.length > 1;
  writeReport(r.out, mutationReport({ kernel: r.kernel, sources: r.sources, paths: r.paths, results: combined(r, backends), byEngine: several ? r.byEngine : undefined, baselines: r.baselines, config: r.config, performance: r.performance }), html);
}

/** Each engine in turn, opened once, judges every kernel's mutants; each kernel's report is rewritten after every
 *  verdict. The exit status is the worst kernel's. */
async function runKernels(runs: KernelRun[], o: Omit<MutateCommandOptions, 'kernel' | 'out'>): Promise<{ code: number }> {
  const backends = typeof o.backend === 'string' ? [o.backend] : o.backend;
  const several = backends.length > 1;
  for (const backend of backends) {
    if (o.stopped?.() || runs.every((r) => r.code)) break;
    let engine;
    const opening = performance.now();
    try {
      engine = await openEngine(backend, { timeoutMs: o.timeoutMs });
    } catch (e) {
      process.stderr.write(`kernelscope: ${backend} unavailable: ${e instanceof EngineUnavailable ? e.message : (e as Error).message}\n`);
      return { code: 2 };
    }
    try {
      const adapter = describeAdapter(engine);
      process.stderr.write(`${backend}: ${adapter}\n`);
      for (const r of runs) r.performance.setup += Math.round((performance.now() - opening) / runs.length);
      for (const r of runs) {
        if (o.stopped?.()) break;
        if (r.code) continue;
        const t0 = performance.now();
        r.config.adapters[backend] = adapter;
        const results = r.byEngine[backend]!;
        const before = r.previous[backend];
        for (const [i, v] of before?.kept ?? []) results[i] = v;
        r.kept[backend] = before?.kept.size ?? 0;
        // An engine without what the kernel needs judges no property: that, not the properties, is what to change
        // (trial 73 B3 was told each property "errors on the unmutated kernel" and to fix them).
        const lacks = lackedBy(engine, programRequirements(r.kernel.program));
        if (lacks) {
          process.stderr.write(`kernelscope: cannot mutate '${r.name}' on ${backend}: the kernel ${lacks}; use an engine that has it (--backend)\n`);
          r.code = 2;
          continue;
        }
        const toRun = r.mutants.flatMap((m, i) => (before?.kept.has(i) ? [] : [{ m, i }]));
        if (before) process.stderr.write(`--changed: ${before.kept.size} verdicts on ${backend} kept from ${join(r.out, 'mutation.json')}, ${toRun.length} mutants to run${before.reason ? ` (${before.reason})` : ''}\n`);
        const baseline = { ...(await runBaseline(engine, r.kernel, o)), runHangs: !!o.runHangs };
        r.baselines = { ...r.baselines, [backend]: baseline };
        r.performance.initialRun += Math.round(baseline.ms);
        for (const x of baseline.excluded) process.stderr.write(`     left out on ${backend}: ${x.property}: ${x.reason}\n`);
        if (!baseline.properties.length) {
          process.stderr.write(`kernelscope: no property of '${r.name}' passes and judges the unmutated kernel on ${backend} (each is left out above, with why), so none can tell a mutant from it; fix or add properties in ${r.familyFile}, or draw more cases (--runs)\n`);
          r.code = 2;
          r.ms[backend] = performance.now() - t0;
          continue;
        }
        process.stderr.write(`${r.mutants.length} mutants of ${r.name} on ${backend}; ${baseline.properties.length} properties, cheapest first: ${baseline.properties.map((b) => `${b.property.name} (${b.ms.toFixed(0)} ms)`).join(', ')}\n`);
        report(r, backends, false);
        const t1 = performance.now();
        const done = r.performance.mutation;
        await runMutants(engine, r.kernel, toRun.map((x) => x.m), baseline, (v, j) => {
          results[toRun[j]!.i] = v;
          if (v.status !== 'Pending') process.stderr.write(`${line(v, r.paths, several ? backend : undefined)}\n`);
          o.onResult?.(v, backend, r.name);
          r.performance.mutation = done + Math.round(performance.now() - t1);
          report(r, backends, false);
        }, o.stopped);
        r.performance.mutation = done + Math.round(performance.now() - t1);
        r.ms[backend] = performance.now() - t0;
      }
    } finally {
      await engine.close().catch(() => undefined);
    }
  }
  let code = 0;
  for (const r of runs) {
    if (r.started) {
      report(r, backends, true);
      summary(r, o.runs, backends, combined(r, backends));
    }
    code = Math.max(code, kernelCode(r, backends));
  }
  return { code };
}

/** Which state wins when engines disagree: a mutant that does not compile on one is not valid WGSL; one killed on any
 *  engine is detected (the column says where); Survived only when every engine that judged it let it through. */
const PRECEDENCE: MutantStatus[] = ['CompileError', 'Killed', 'Timeout', 'Pending', 'RuntimeError', 'Survived', 'NoCoverage', 'Ignored'];

/**
 * One state for a mutant judged on several engines: the first of PRECEDENCE that any engine gave. With several
 * engines killedBy names each engine that killed it as `engine:property`, and the reason gives every engine's.
 */
export function combineVerdicts(verdicts: [string, MutantResult][]): MutantResult {
  if (verdicts.length === 1) return verdicts[0]![1];
  const status = PRECEDENCE.find((s) => verdicts.some(([, r]) => r.status === s))!;
  const first = verdicts.find(([, r]) => r.status === status)![1];
  const killers = verdicts.filter(([, r]) => r.status === 'Killed').map(([e, r]) => `${e}:${r.killedBy}`);
  return {
    ...first,
    status,
    ...(killers.length ? { killedBy: killers.join(',') } : {}),
    statusReason: verdicts.map(([e, r]) => `${e}: ${r.status}${r.killedBy ? ` by ${r.killedBy}` : ''}${r.statusReason ? ` (${r.statusReason})` : ''}`).join('; '),
    testsCompleted: verdicts.reduce((s, [, r]) => s + r.testsCompleted, 0),
    durationMs: verdicts.reduce((s, [, r]) => s + r.durationMs, 0),
    unobservable: verdicts.every(([, r]) => r.unobservable),
  };
}

/**
 * Every mutant of a kernel, numbered: each WGSL file's, then the spec-level ones; the reviewed equivalents marked;
 * with the source and the shown path of every file a mutant names.
 */
export function kernelMutants(kernel: LoadedKernel, operators: OperatorName[] = []) {
  const spec = kernel.program.spec;
  const kernelTs = `${spec.name}.kernel.ts`;
  const kernelFile = join(LIBRARY, 'kernels', kernelTs);
  const kernelSource = readFileSync(kernelFile, 'utf8');
  // The stages of a shape of ones and of the family's first cases: a spec may dispatch its later entry points only for
  // larger shapes (trial 164 A1: a scan's second and third entry points, run where n > 256, had every mutant called
  // "in a function no entry point of the kernel calls" and never run).
  const shapes: unknown[] = [new Proxy({}, { get: () => 1 })];
  try {
    shapes.push(...fc.sample(kernel.family.cases, { seed: 1, numRuns: 20 }).map((c) => c.shape));
  } catch {
    // A family whose cases cannot be drawn here: its runs will say why.
  }
  const stages = shapes.flatMap((shape) => {
    try {
      return spec.stages(shape as never);
    } catch {
      return [];
    }
  });
  const sources: Record<string, string> = { ...kernel.program.sources, [kernelTs]: kernelSource };
  // The report's file keys, relative to its projectRoot, the library (trial 152 B5: a library outside the checkout had
  // absolute file keys, test files relative to neither, and the checkout for its root).
  const paths: Record<string, string> = Object.fromEntries(Object.keys(sources).map((f) => [f, relative(LIBRARY, join(LIBRARY, 'kernels', f))]));
  let mutants: Mutant[] = [];
  for (const [file, code] of Object.entries(kernel.program.sources)) {
    let entries: string[] = [];
    try {
      const declared = [...reflect(code).entries.keys()];
      entries = [...new Set(stages.filter((s) => s.wgsl === file).map((s) => s.entry ?? 'main'))].filter((e) => declared.includes(e));
      // The stages of a placeholder shape name no entry point of this file (scan's `scan_blocks_${op}`): then every
      // entry point may be reached, and none of its code may be called uncovered.
      if (!entries.length) entries = declared;
    } catch {
      entries = ['main'];
    }
    try {
      const constants = Object.fromEntries(stages.filter((s) => s.wgsl === file && s.constants).map((s) => [s.entry ?? 'main', s.constants!]));
      mutants.push(...wgslMutants(file, code, entries, constants));
    } catch (e) {
      throw new UsageError(`${kernel.program.origins[file] ?? file}: cannot be parsed for mutation: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  mutants.push(...specMutants(spec, kernelTs, kernelSource, kernel.program.sources, shapes));
  if (operators.length) mutants = mutants.filter((m) => operators.includes(m.operator));
  try {
    markEquivalents(spec.name, mutants, loadEquivalents(LIBRARY));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // Mutants that steer a loop may hang it, and a hang can leave the engine unable to run anything after it: they go
  // last, so such a hang costs only the mutants behind it. (A stable sort: the rest keep their order.)
  mutants.sort((a, b) => Number(!!a.loopControl) - Number(!!b.loopControl));
  mutants.forEach((m, i) => (m.id = String(i + 1)));
  return { mutants, sources, paths };
}

const LABEL: Record<string, string> = { Killed: 'killed', Survived: 'SURVIVED', Timeout: 'timeout', CompileError: 'no-compile', RuntimeError: 'ERROR', NoCoverage: 'no-cover', Ignored: 'ignored', Pending: 'pending' };

function line(r: MutantResult, paths: Record<string, string>, engine?: string): string {
  const where = `${shownPath(join(LIBRARY, paths[r.file] ?? join('kernels', r.file)))}:${r.location.start.line}:${r.location.start.column}`;
  const change = r.operator === 'DispatchMinusOne' ? r.description : `${oneLine(r.original)} -> ${oneLine(r.replacement) || '(deleted)'}`;
  const why = r.status === 'Killed' ? `by ${r.killedBy}` : r.statusReason ?? '';
  return `${LABEL[r.status]!.padEnd(10)} #${r.id.padEnd(3)} ${engine ? `${engine} ` : ''}${r.operator.padEnd(21)} ${where}  ${change}\n           ${why}`;
}

const oneLine = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s).replace(/\s+/g, ' ');

function summary(r: KernelRun, runs: number, backends: string[], results: MutantResult[]) {
  const counts = (rs: MutantResult[]) => {
    const count = (s: string) => rs.filter((v) => v.status === s).length;
    const { detected, valid, score } = mutationScore(rs);
    return `${count('Killed')} killed, ${count('Timeout')} timeout, ${count('Survived')} survived ` +
      `(${rs.filter((v) => v.unobservable).length} with outputs identical to the unmutated kernel's), ${count('NoCoverage')} no coverage, ` +
      `${count('CompileError')} compile errors, ${count('RuntimeError')} runtime errors, ${count('Ignored')} ignored, ${count('Pending')} not run; ` +
      `mutation score ${Number.isNaN(score) ? 'n/a' : `${score.toFixed(1)}%`} (${detected} detected of ${valid} valid)`;
  };
  const ms = r.performance.mutation;
  const ran = backends.reduce((s, b) => s + r.byEngine[b]!.filter((v) => v.status !== 'Pending' && v.status !== 'Ignored').length - (r.kept[b] ?? 0), 0);
  const keptAll = Object.values(r.kept).reduce((s, n) => s + n, 0);
  process.stderr.write('\n');
  if (backends.length > 1) for (const b of backends) process.stderr.write(`${r.name} on ${b}: ${counts(r.byEngine[b]!)}\n`);
  process.stderr.write(`${r.name} on ${backends.join(' and ')}: ${results.length} mutants: ${counts(results)}\n` +
    `in ${(ms / 1000).toFixed(1)} s (${ran ? (ms / 1000 / ran).toFixed(2) : '-'} s per mutant run, --runs ${runs}${keptAll ? `; ${keptAll} verdicts kept from the earlier report` : ''}). ` +
    `Wrote ${join(r.out, 'mutation.json')}, ${join(r.out, 'index.html')}\n`);
}

/** One row of summary.json: a kernel's mutants as one engine judged them, or as the engines together. */
export interface SummaryRow {
  mutants: number; valid: number; detected: number;
  /** detected / valid × 100; null when nothing is valid. */
  score: number | null;
  killed: number; survived: number; timeout: number; noCoverage: number; compileError: number; runtimeError: number; ignored: number; pending: number;
  /** Verdicts kept from the earlier report (--changed). */
  kept: number;
  /** Seconds of this engine's baseline and mutants on this kernel (the engines' sum on the combined row). */
  seconds: number;
}

/** OUT/summary.json (docs/mutation.md, Several kernels). */
export interface MutationSummary {
  config: { backend: string; runs: number; seed: number; operators: string[]; properties: string[]; timeoutMs: number | 'calibrated' };
  /** The command's exit status: the worst kernel's. */
  exitCode: number;
  kernels: {
    kernel: string;
    /** Its report, relative to summary.json; null when the run never reached it (an earlier report there stays). */
    report: string | null;
    /** 0, 2 (no property passes on the unmutated kernel), 130 (interrupted before all its mutants were judged). */
    exitCode: number;
    engines: Record<string, SummaryRow>;
    /** The engines' verdicts combined as in the report (the row the README's table gives). */
    combined: SummaryRow;
  }[];
}

function summaryRow(rs: MutantResult[], kept: number, seconds: number): SummaryRow {
  const count = (s: MutantStatus) => rs.filter((v) => v.status === s).length;
  const { detected, valid, score } = mutationScore(rs);
  return {
    mutants: rs.length, valid, detected, score: Number.isNaN(score) ? null : Math.round(score * 10) / 10,
    killed: count('Killed'), survived: count('Survived'), timeout: count('Timeout'), noCoverage: count('NoCoverage'),
    compileError: count('CompileError'), runtimeError: count('RuntimeError'), ignored: count('Ignored'), pending: count('Pending'),
    kept, seconds: Math.round(seconds / 10) / 100,
  };
}

function writeSummary(o: MutateKernelsOptions, runs: KernelRun[], exitCode: number): MutationSummary {
  const backends = typeof o.backend === 'string' ? [o.backend] : o.backend;
  const summary: MutationSummary = {
    config: { backend: backends.join(','), runs: o.runs, seed: o.seed, operators: o.operators, properties: o.properties ?? [], timeoutMs: o.timeoutMs ?? 'calibrated' },
    exitCode,
    kernels: runs.map((r) => ({
      kernel: r.name,
      report: r.started ? `${r.name}/mutation.json` : null,
      exitCode: kernelCode(r, backends),
      engines: Object.fromEntries(backends.map((b) => [b, summaryRow(r.byEngine[b]!, r.kept[b] ?? 0, r.ms[b] ?? 0)])),
      combined: summaryRow(combined(r, backends), Object.values(r.kept).reduce((s, n) => s + n, 0), Object.values(r.ms).reduce((s, n) => s + n, 0)),
    })),
  };
  mkdirSync(o.out, { recursive: true });
  const path = join(o.out, 'summary.json');
  writeFileSync(`${path}.tmp`, `${JSON.stringify(summary, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return summary;
}

/** The terminal's table: a row per kernel and engine (and the engines combined, when several). */
export function summaryTable(s: MutationSummary): string {
  const head = ['kernel', 'engine', 'valid', 'detected', 'score', 'survived', 'timeout', 'ignored', 'seconds'];
  const several = s.config.backend.includes(',');
  const rows = s.kernels.flatMap((k) => [
    ...Object.entries(k.engines).map(([e, row]) => [k.kernel, e, row] as const),
    ...(several ? [[k.kernel, 'combined', k.combined] as const] : []),
  ].map(([kernel, engine, row]) => [kernel, engine, String(row.valid), String(row.detected),
    row.score === null ? 'n/a' : `${row.score.toFixed(1)}%`, String(row.survived), String(row.timeout), String(row.ignored), row.seconds.toFixed(2)]));
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]) => r.map((v, c) => (c < 2 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ').trimEnd();
  // A kernel with no report either had no property to judge its mutants with (its exit code 2) or was not reached:
  // trial 61's kernel of the first kind read "not reached (interrupted or stopped)".
  const notRun = s.kernels.filter((k) => k.report === null);
  const unjudged = notRun.filter((k) => k.exitCode === 2).map((k) => k.kernel);
  const unreached = notRun.filter((k) => k.exitCode !== 2).map((k) => k.kernel);
  return [fmt(head), ...rows.map(fmt),
    ...(unjudged.length ? [`no property to judge mutants with (none passes and judges the unmutated kernel): ${unjudged.join(', ')}`] : []),
    ...(unreached.length ? [`not reached (interrupted or stopped): ${unreached.join(', ')}`] : []), `exit status ${s.exitCode}`].join('\n');
}

function whole(name: string, value: string | undefined, fallback: number, least = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} wants a whole number, not '${value}'`);
  // --runs 0 would judge every mutant on no case: all would survive, or none be run.
  if (n < least) throw new UsageError(`${name} ${value}: at least ${least}`);
  return n;
}
