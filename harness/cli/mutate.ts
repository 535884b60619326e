// `kernelscope mutate KERNEL`: mutation testing of a kernel's WGSL against its own properties (docs/mutation.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, EngineUnavailable, type BackendId } from '../engines/engine.ts';
import { openEngine } from '../engines/open.ts';
import { DEFAULT_TIMEOUT_MS } from '../gpu/batch.ts';
import { loadEquivalents, markEquivalents } from '../mutate/equivalent.ts';
import { OPERATORS, specMutants, wgslMutants, type Mutant, type OperatorName } from '../mutate/operators.ts';
import { mutationReport, shownPath, writeReport } from '../mutate/report.ts';
import { mutationScore, runBaseline, runMutants, type MutantResult } from '../mutate/run.ts';
import { LIBRARY, loadKernels, type LoadedKernel } from '../run/registry.ts';
import { describeAdapter } from '../run/suite.ts';
import { UsageError } from './usage.ts';

/** `mutate`'s options as Commander hands them over: repeatable ones as lists, numbers still as text. */
export interface MutateFlags {
  backend?: string; operator?: string[]; property?: string[];
  runs?: string; seed?: string; out?: string; timeout?: string; runHangs?: boolean;
}

export async function mutateMain(kernel: string | undefined, values: MutateFlags): Promise<number> {
  if (!kernel) throw new UsageError('mutate takes one KERNEL (kernelscope mutate --help)');
  const backend = (values.backend ?? 'dawn') as BackendId;
  if (!(BACKENDS as readonly string[]).includes(backend)) throw new UsageError(`unknown backend '${backend}' (backends: ${BACKENDS.join(', ')})`);
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
      runs: whole('--runs', values.runs, 20),
      seed: whole('--seed', values.seed, 1),
      out: values.out ?? join('reports', 'mutation', name),
      timeoutMs: whole('--timeout', values.timeout, DEFAULT_TIMEOUT_MS),
      runHangs: !!values.runHangs,
      stopped: () => interrupted,
    });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

export interface MutateCommandOptions {
  kernel: string;
  backend: BackendId;
  operators: OperatorName[];
  /** Only these properties judge the mutants (all of the kernel's when empty). */
  properties?: string[];
  runs: number;
  seed: number;
  out: string;
  timeoutMs: number;
  /** Run the mutants known never to end (Ignored otherwise). */
  runHangs?: boolean;
  /** Called with each verdict (tests); the terminal line is printed either way. */
  onResult?(r: MutantResult): void;
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
  }
  const familyFile = `properties/${kernel.family.name}.properties.ts`;
  if (!kernel.properties.length) throw new UsageError(`kernel '${o.kernel}' has no properties: add a Family with a reference and properties in ${familyFile} (docs/writing-a-kernel.md)`);
  const { mutants, sources, paths } = kernelMutants(kernel, o.operators);
  if (!mutants.length) throw new UsageError(`no mutants of '${o.kernel}'${o.operators.length ? ` for --operator ${o.operators.join(',')}` : ''} (operators: ${OPERATORS.join(', ')})`);

  let engine;

  try {
    engine = await openEngine(o.backend, { timeoutMs: o.timeoutMs });
  } catch (e) {
    process.stderr.write(`kernelscope: ${o.backend} unavailable: ${e instanceof EngineUnavailable ? e.message : (e as Error).message}\n`);
    return 2;
  }
  const config = { kernel: o.kernel, backend: o.backend, properties: kernel.properties.map((p) => p.name), runs: o.runs, seed: o.seed, operators: o.operators, timeoutMs: o.timeoutMs, adapter: describeAdapter(engine) };
  process.stderr.write(`${o.backend}: ${describeAdapter(engine)}\n`);
  const results: MutantResult[] = mutants.map((m) => ({ ...m, status: 'Pending', testsCompleted: 0, durationMs: 0 }));
  try {
    const setup = performance.now() - t0;
    const baseline = { ...(await runBaseline(engine, kernel, o)), runHangs: !!o.runHangs };
    for (const x of baseline.excluded) process.stderr.write(`     left out: ${x.property}: ${x.reason}\n`);
    if (!baseline.properties.length) {
      process.stderr.write(`kernelscope: no property of '${o.kernel}' passes on the unmutated kernel, so none can tell a mutant from it; fix or add properties in ${familyFile}\n`);
      return 2;
    }
    process.stderr.write(`${mutants.length} mutants of ${o.kernel}; ${baseline.properties.length} properties, cheapest first: ${baseline.properties.map((b) => `${b.property.name} (${b.ms.toFixed(0)} ms)`).join(', ')}\n`);
    const report = (mutation: number, html: boolean) => writeReport(o.out, mutationReport({
      kernel, sources, paths, results, baseline, config,
      performance: { setup: Math.round(setup), initialRun: Math.round(baseline.ms), mutation: Math.round(mutation) },
    }), html);
    const t1 = performance.now();
    report(0, false);
    await runMutants(engine, kernel, mutants, baseline, (r, i) => {
      results[i] = r;
      if (r.status !== 'Pending') process.stderr.write(`${line(r, paths)}\n`);
      o.onResult?.(r);
      report(performance.now() - t1, false);
    }, o.stopped);
    const ms = performance.now() - t1;
    report(ms, true);
    summary(o, results, ms);
    return results.some((r) => r.status === 'Pending') ? 130 : 0;
  } finally {
    await engine.close().catch(() => undefined);
  }
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
    const entries = [...new Set(stages.filter((s) => s.wgsl === file).map((s) => s.entry ?? 'main'))];
    try {
      mutants.push(...wgslMutants(file, code, entries.length ? entries : ['main']));
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

function line(r: MutantResult, paths: Record<string, string>): string {
  const where = `${paths[r.file] ?? r.file}:${r.location.start.line}:${r.location.start.column}`;
  const change = r.operator === 'DispatchMinusOne' ? r.description : `${oneLine(r.original)} -> ${oneLine(r.replacement) || '(deleted)'}`;
  const why = r.status === 'Killed' ? `by ${r.killedBy}` : r.statusReason ?? '';
  return `${LABEL[r.status]!.padEnd(10)} #${r.id.padEnd(3)} ${r.operator.padEnd(21)} ${where}  ${change}\n           ${why}`;
}

const oneLine = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s).replace(/\s+/g, ' ');

function summary(o: MutateCommandOptions, results: MutantResult[], ms: number) {
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const { detected, valid, score } = mutationScore(results);
  const ran = results.filter((r) => r.status !== 'Pending' && r.status !== 'Ignored').length;
  const unobservable = results.filter((r) => r.unobservable).length;
  process.stderr.write(`\n${o.kernel} on ${o.backend}: ${results.length} mutants: ${count('Killed')} killed, ${count('Timeout')} timeout, ` +
    `${count('Survived')} survived (${unobservable} with outputs identical to the unmutated kernel's), ${count('NoCoverage')} no coverage, ` +
    `${count('CompileError')} compile errors, ${count('RuntimeError')} runtime errors, ${count('Ignored')} ignored, ${count('Pending')} not run\n` +
    `mutation score ${Number.isNaN(score) ? 'n/a' : `${score.toFixed(1)}%`} (${detected} detected of ${valid} valid) in ${(ms / 1000).toFixed(1)} s ` +
    `(${ran ? (ms / 1000 / ran).toFixed(2) : '-'} s per mutant, --runs ${o.runs}). Wrote ${join(o.out, 'mutation.json')}, ${join(o.out, 'index.html')}\n`);
}

function whole(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} wants a whole number, not '${value}'`);
  return n;
}
