// `kernelscope mutate KERNEL`: mutation testing of a kernel's WGSL against its own properties (docs/mutation.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, EngineUnavailable, type BackendId } from '../engines/engine.ts';
import { openEngine } from '../engines/open.ts';
import { loadEquivalents, markEquivalents } from '../mutate/equivalent.ts';
import { OPERATORS, specMutants, wgslMutants, type Mutant, type OperatorName } from '../mutate/operators.ts';
import { previousVerdicts } from '../mutate/incremental.ts';
import { mutationReport, shownPath, writeReport } from '../mutate/report.ts';
import { mutationScore, runBaseline, runMutants, type Baseline, type MutantResult, type MutantStatus } from '../mutate/run.ts';
import { reflect } from '../run/reflect.ts';
import { defaultProperties, LIBRARY, loadKernels, type LoadedKernel } from '../run/registry.ts';
import { describeAdapter } from '../engines/engine.ts';
import { UsageError } from './usage.ts';

/** `mutate`'s options as Commander hands them over: repeatable ones as lists, numbers still as text. */
export interface MutateFlags {
  backend?: string; operator?: string[]; property?: string[];
  runs?: string; seed?: string; out?: string; timeout?: string; runHangs?: boolean; changed?: boolean;
}

export async function mutateMain(kernel: string | undefined, values: MutateFlags): Promise<number> {
  if (!kernel) throw new UsageError('mutate takes one KERNEL (kernelscope mutate --help)');
  const backend = (values.backend ?? 'dawn').split(',').filter(Boolean) as BackendId[];
  for (const b of backend) if (!(BACKENDS as readonly string[]).includes(b)) throw new UsageError(`unknown backend '${b}' (backends: ${BACKENDS.join(', ')})`);
  if (new Set(backend).size !== backend.length || !backend.length) throw new UsageError(`--backend wants distinct engines, comma-separated, not '${values.backend}'`);
  const operators = (values.operator ?? []).flatMap((o) => o.split(',')).filter(Boolean);
  for (const o of operators) {
    if (!(OPERATORS as readonly string[]).includes(o)) throw new UsageError(`unknown operator '${o}' (operators: ${OPERATORS.join(', ')})`);
  }
  const name = kernel;
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
    return await mutateCommand({
      kernel: name,
      backend,
      operators: operators as OperatorName[],
      properties: (values.property ?? []).flatMap((p) => p.split(',')).filter(Boolean),
      runs: whole('--runs', values.runs, 20, 1),
      seed: whole('--seed', values.seed, 1),
      out: values.out ?? join('reports', 'mutation', name),
      ...(values.timeout !== undefined ? { timeoutMs: whole('--timeout', values.timeout, 0) } : {}),
      runHangs: !!values.runHangs,
      changed: !!values.changed,
      stopped: () => interrupted,
    });
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
  out: string;
  /** A fixed watchdog for one batch; absent: the engine's calibrated one (docs/ARCHITECTURE.md, the watchdog). */
  timeoutMs?: number;
  /** Run the mutants known never to end (Ignored otherwise). */
  runHangs?: boolean;
  /** Keep the verdicts of OUT/mutation.json for mutants whose line did not change; run only the others. */
  changed?: boolean;
  /** Called with each engine's verdict (tests); the terminal line is printed either way. */
  onResult?(r: MutantResult, backend: BackendId): void;
  /** Polled between mutants: true stops the run, keeping every verdict reached. */
  stopped?(): boolean;
}

export async function mutateCommand(o: MutateCommandOptions): Promise<number> {
  const t0 = performance.now();
  const all = await loadKernels(LIBRARY, [o.kernel]);
  let kernel = all.get(o.kernel);
  if (!kernel) {
    const names = [...(await loadKernels()).keys()];
    throw new UsageError(`unknown kernel '${o.kernel}' (kernels: ${names.join(', ')})`);
  }
  if (o.properties?.length) {
    const known = kernel.properties.map((p) => p.name);
    for (const p of o.properties) if (!known.includes(p)) throw new UsageError(`unknown property '${p}' for ${o.kernel} (properties: ${known.join(', ')})`);
    kernel = { ...kernel, properties: kernel.properties.filter((p) => o.properties!.includes(p.name)) };
  } else {
    kernel = { ...kernel, properties: defaultProperties(kernel) };
  }
  const familyFile = `properties/${kernel.family.name}.properties.ts`;
  if (!kernel.properties.length) throw new UsageError(`kernel '${o.kernel}' has no properties: add a Family with a reference and properties in ${familyFile} (docs/writing-a-kernel.md)`);
  const { mutants, sources, paths } = kernelMutants(kernel, o.operators);
  if (!mutants.length) throw new UsageError(`no mutants of '${o.kernel}'${o.operators.length ? ` for --operator ${o.operators.join(',')}` : ''} (operators: ${OPERATORS.join(', ')})`);

  const backends = typeof o.backend === 'string' ? [o.backend] : o.backend;
  const config = { kernel: o.kernel, backend: backends.join(','), properties: kernel.properties.map((p) => p.name), runs: o.runs, seed: o.seed, operators: o.operators, timeoutMs: o.timeoutMs ?? 'calibrated', adapters: {} as Record<string, string> };
  // Per engine, its verdict on every mutant; the report's state of a mutant combines them (combineVerdicts).
  const byEngine: Record<string, MutantResult[]> = Object.fromEntries(backends.map((b) => [b, mutants.map((m): MutantResult => ({ ...m, status: 'Pending', testsCompleted: 0, durationMs: 0 }))]));
  const combined = () => mutants.map((_, i) => combineVerdicts(backends.map((b) => [b, byEngine[b]![i]!])));
  const several = backends.length > 1;
  const performance_ = { setup: 0, initialRun: 0, mutation: 0 };
  let baselines: Record<string, Baseline> = {};
  const report = (html: boolean) => writeReport(o.out, mutationReport({ kernel, sources, paths, results: combined(), byEngine: several ? byEngine : undefined, baselines, config, performance: performance_ }), html);
  const kept: Record<string, number> = {};
  // Read before anything is written to OUT: the first report replaces the earlier one.
  let previous: Record<string, ReturnType<typeof previousVerdicts>> = {};
  try {
    if (o.changed) previous = Object.fromEntries(backends.map((b) => [b, previousVerdicts(o.out, mutants, sources, paths, { ...config, backend: b })]));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  performance_.setup = Math.round(performance.now() - t0);
  for (const backend of backends) {
    if (o.stopped?.()) break;
    let engine;
    const opening = performance.now();
    try {
      engine = await openEngine(backend, { timeoutMs: o.timeoutMs });
    } catch (e) {
      process.stderr.write(`kernelscope: ${backend} unavailable: ${e instanceof EngineUnavailable ? e.message : (e as Error).message}\n`);
      return 2;
    }
    try {
      config.adapters[backend] = describeAdapter(engine);
      process.stderr.write(`${backend}: ${describeAdapter(engine)}\n`);
      performance_.setup += Math.round(performance.now() - opening);
      const results = byEngine[backend]!;
      const before = previous[backend];
      for (const [i, r] of before?.kept ?? []) results[i] = r;
      kept[backend] = before?.kept.size ?? 0;
      const toRun = mutants.flatMap((m, i) => (before?.kept.has(i) ? [] : [{ m, i }]));
      if (before) process.stderr.write(`--changed: ${before.kept.size} verdicts on ${backend} kept from ${join(o.out, 'mutation.json')}, ${toRun.length} mutants to run${before.reason ? ` (${before.reason})` : ''}\n`);
      const baseline = { ...(await runBaseline(engine, kernel, o)), runHangs: !!o.runHangs };
      baselines = { ...baselines, [backend]: baseline };
      performance_.initialRun += Math.round(baseline.ms);
      for (const x of baseline.excluded) process.stderr.write(`     left out on ${backend}: ${x.property}: ${x.reason}\n`);
      if (!baseline.properties.length) {
        process.stderr.write(`kernelscope: no property of '${o.kernel}' passes on the unmutated kernel on ${backend}, so none can tell a mutant from it; fix or add properties in ${familyFile}\n`);
        return 2;
      }
      process.stderr.write(`${mutants.length} mutants of ${o.kernel} on ${backend}; ${baseline.properties.length} properties, cheapest first: ${baseline.properties.map((b) => `${b.property.name} (${b.ms.toFixed(0)} ms)`).join(', ')}\n`);
      report(false);
      const t1 = performance.now();
      const done = performance_.mutation;
      await runMutants(engine, kernel, toRun.map((x) => x.m), baseline, (r, j) => {
        results[toRun[j]!.i] = r;
        if (r.status !== 'Pending') process.stderr.write(`${line(r, paths, several ? backend : undefined)}\n`);
        o.onResult?.(r, backend);
        performance_.mutation = done + Math.round(performance.now() - t1);
        report(false);
      }, o.stopped);
      performance_.mutation = done + Math.round(performance.now() - t1);
    } finally {
      await engine.close().catch(() => undefined);
    }
  }
  report(true);
  const results = combined();
  summary(o, backends, byEngine, results, performance_.mutation, kept);
  return results.some((r) => r.status === 'Pending') ? 130 : 0;
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
  const stages = (() => {
    try {
      return spec.stages(new Proxy({}, { get: () => 1 }));
    } catch {
      return [];
    }
  })();
  const sources: Record<string, string> = { ...kernel.program.sources, [kernelTs]: kernelSource };
  const paths: Record<string, string> = Object.fromEntries(Object.keys(sources).map((f) => [f, shownPath(join(LIBRARY, 'kernels', f))]));
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
  mutants.push(...specMutants(spec, kernelTs, kernelSource, kernel.program.sources));
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
  const where = `${paths[r.file] ?? r.file}:${r.location.start.line}:${r.location.start.column}`;
  const change = r.operator === 'DispatchMinusOne' ? r.description : `${oneLine(r.original)} -> ${oneLine(r.replacement) || '(deleted)'}`;
  const why = r.status === 'Killed' ? `by ${r.killedBy}` : r.statusReason ?? '';
  return `${LABEL[r.status]!.padEnd(10)} #${r.id.padEnd(3)} ${engine ? `${engine} ` : ''}${r.operator.padEnd(21)} ${where}  ${change}\n           ${why}`;
}

const oneLine = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s).replace(/\s+/g, ' ');

function summary(o: MutateCommandOptions, backends: string[], byEngine: Record<string, MutantResult[]>, results: MutantResult[], ms: number, kept: Record<string, number>) {
  const counts = (rs: MutantResult[]) => {
    const count = (s: string) => rs.filter((r) => r.status === s).length;
    const { detected, valid, score } = mutationScore(rs);
    return `${count('Killed')} killed, ${count('Timeout')} timeout, ${count('Survived')} survived ` +
      `(${rs.filter((r) => r.unobservable).length} with outputs identical to the unmutated kernel's), ${count('NoCoverage')} no coverage, ` +
      `${count('CompileError')} compile errors, ${count('RuntimeError')} runtime errors, ${count('Ignored')} ignored, ${count('Pending')} not run; ` +
      `mutation score ${Number.isNaN(score) ? 'n/a' : `${score.toFixed(1)}%`} (${detected} detected of ${valid} valid)`;
  };
  const ran = backends.reduce((s, b) => s + byEngine[b]!.filter((r) => r.status !== 'Pending' && r.status !== 'Ignored').length - (kept[b] ?? 0), 0);
  const keptAll = Object.values(kept).reduce((s, n) => s + n, 0);
  process.stderr.write('\n');
  if (backends.length > 1) for (const b of backends) process.stderr.write(`${o.kernel} on ${b}: ${counts(byEngine[b]!)}\n`);
  process.stderr.write(`${o.kernel} on ${backends.join(' and ')}: ${results.length} mutants: ${counts(results)}\n` +
    `in ${(ms / 1000).toFixed(1)} s (${ran ? (ms / 1000 / ran).toFixed(2) : '-'} s per mutant run, --runs ${o.runs}${keptAll ? `; ${keptAll} verdicts kept from the earlier report` : ''}). ` +
    `Wrote ${join(o.out, 'mutation.json')}, ${join(o.out, 'index.html')}\n`);
}

function whole(name: string, value: string | undefined, fallback: number, least = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} wants a whole number, not '${value}'`);
  // --runs 0 would judge every mutant on no case: all would survive, or none be run.
  if (n < least) throw new UsageError(`${name} ${value}: at least ${least}`);
  return n;
}
