// Runs mutants of one kernel through the property runner's executeDraws on one engine, in one process, and
// classifies each with Stryker's vocabulary. The cases of every property are drawn once (fast-check, the run's seed)
// and run first on the unmutated kernel: that baseline orders the properties cheapest first, drops any property that
// already fails, and keeps a hash of each case's output bits so a survivor whose outputs never changed is said so.
import { DeviceError } from '../gpu/batch.ts';
import { UNFINISHED } from '../engines/interpreter.ts';
import { LOOP_CUT } from '../engines/loop-limit.ts';
import type { Engine } from '../engines/engine.ts';
import { checkStream, executeDraws, judge, KernelCompileError } from '../run/property-runner.ts';
import { stageWorkgroupSize, validateProgram, WgslParseError, type KernelProgram } from '../run/program.ts';
import type { LoadedKernel } from '../run/registry.ts';
import { loadThenStores, updatedAtomics } from '../run/portability.ts';
import { isTraceProperty } from '../run/trace-properties.ts';
import type { KernelSpec, Property, RunOutput } from '../spec.ts';
import type { Mutant } from './operators.ts';
import { equivalenceHere } from './equivalent.ts';
import { jsonText } from '../run/json-text.ts';
import { NAN_MET_NAN } from '../../properties/verdict.ts';

/** Stryker's mutant states (mutation-testing-report-schema). */
export type MutantStatus = 'Killed' | 'Survived' | 'NoCoverage' | 'CompileError' | 'RuntimeError' | 'Timeout' | 'Ignored' | 'Pending';

export interface MutantResult extends Mutant {
  status: MutantStatus;
  /** The property that killed it. */
  killedBy?: string;
  /** Why: the failing case and the property's message, the compiler's error, the hang. */
  statusReason?: string;
  /** Properties run to the end on this mutant (a mutant stops at its first failing property). */
  testsCompleted: number;
  durationMs: number;
  /** Survived with output bits identical to the unmutated kernel's on every case: no change observable here. */
  unobservable?: boolean;
}

export interface BaselineProperty {
  property: Property;
  draws: unknown[];
  /** Per draw, a hash of the unmutated kernel's output bits ('' for a draw the engine skipped). */
  hashes: string[];
  /** Per draw, how many output elements the property let pass as NaN met by NaN (verdict notes "NaN in both runs",
   *  "NaN on both sides"): a mutant's survivor says where it has more, since such elements were never compared. */
  nans: number[];
  /** Per draw, its cost to run: the property's measured baseline milliseconds shared among its draws by the bytes of
   *  their outputs (what the engine moves, roughly what it computes). Measured, not bytes alone: a sanitized case
   *  (no-out-of-bounds, no-data-race on Dawn) moves as many bytes as a plain one and costs several times more. */
  costs: number[];
  ms: number;
}

export interface Baseline {
  /** Properties that pass on the unmutated kernel, cheapest first. */
  properties: BaselineProperty[];
  /** Properties left out, with why (they fail or error on the unmutated kernel, or cannot run on this engine). */
  excluded: { property: string; reason: string }[];
  ms: number;
  /** Run mutants known never to end (they then come back as Timeout, by the engine's watchdog). */
  runHangs?: boolean;
}

export interface MutateOptions {
  seed: number;
  runs: number;
}

/** Draws every property's cases once and runs them on the unmutated kernel. */
export async function runBaseline(engine: Engine, kernel: LoadedKernel, o: MutateOptions): Promise<Baseline> {
  const t0 = performance.now();
  const properties: BaselineProperty[] = [];
  const excluded: Baseline['excluded'] = [];
  for (const property of kernel.properties) {
    const n = Math.max(1, Math.round(o.runs * (property.runsScale ?? 1)));
    // The same stream runProperty draws for this seed: a kill can be replayed with `kernelscope test --seed`.
    const draws = checkStream(property.arbitrary, o.seed, n);
    const t = performance.now();
    try {
      validateProgram(kernel.program, property.runs(draws[0])[0]!.shape);
      const r = await judgeAll(engine, kernel.program, property, draws);
      if (r.failed) {
        excluded.push({ property: property.name, reason: `fails on the unmutated kernel: ${r.failed.reason}` });
        continue;
      }
      if (r.hashes.every((h) => h === '')) {
        excluded.push({ property: property.name, reason: `every case skipped: ${r.skipped}` });
        continue;
      }
      // A property that compared nothing on the unmutated kernel (no element with a finite bound: `test` says
      // "not judged") passes every mutant too: trial 61's matches-reference at --runs 5 left 25 survivors, ZeroOutput
      // among them, "within every property's bound".
      if (!r.judged) {
        excluded.push({ property: property.name, reason: 'judges nothing on the unmutated kernel: no case drawn had an element with a finite bound (test says "not judged"); more --runs may draw one' });
        continue;
      }
      const ms = performance.now() - t;
      const bytes = r.costs.reduce((a, c) => a + c, 0);
      properties.push({ property, draws, hashes: r.hashes, nans: r.nans, costs: r.costs.map((c) => (ms * c) / bytes), ms });
    } catch (e) {
      if (e instanceof DeviceError) await engine.recover?.().catch(() => undefined);
      excluded.push({ property: property.name, reason: `errors on the unmutated kernel: ${firstLine(e)}` });
    }
  }
  properties.sort((a, b) => a.ms - b.ms);
  return { properties, excluded, ms: performance.now() - t0 };
}

/** What the mutants judged so far taught: which property killed how many (orders the next mutant's cases). */
export interface KillStats {
  judged: number;
  kills: Map<string, number>;
  /** The same per operator: a deleted bounds guard is killed by no-out-of-bounds, a wrong operation by a value check. */
  byOperator?: Map<string, { judged: number; kills: Map<string, number> }>;
}

/** Counts a verdict into the kill statistics, the kernel's and its operator's. */
function learn(stats: KillStats, r: MutantResult) {
  if (r.status !== 'Killed' && r.status !== 'Survived') return;
  const op = stats.byOperator?.get(r.operator) ?? { judged: 0, kills: new Map<string, number>() };
  stats.byOperator?.set(r.operator, op);
  for (const s of [stats, op]) {
    s.judged++;
    if (r.killedBy) s.kills.set(r.killedBy, (s.kills.get(r.killedBy) ?? 0) + 1);
  }
}

/** One drawn case of a baseline property: what a mutant's stages are made of. */
interface Item {
  b: BaselineProperty;
  draw: number;
  priority: number;
}

/** The first stage holds this share of all the cases' cost; each further stage twice the one before. */
const FIRST_STAGE = 1 / 128;

/**
 * The baseline's cases in the order a mutant runs them, cut into stages: cheapest per expected kill first (a case's
 * cost over its property's kill rate so far, Laplace-smoothed so a property that has not killed yet still comes up),
 * the first stage a small share of the total cost and each further one twice the one before. A mutant that the first
 * failing case kills costs one or two small stages; a survivor runs every case, in about log2(128) + 1 = 8 stages.
 */
export function stages(base: Baseline, stats: KillStats = { judged: 0, kills: new Map() }, first = FIRST_STAGE, operator?: string): Item[][] {
  const overall = (b: BaselineProperty) => ((stats.kills.get(b.property.name) ?? 0) + 1) / (stats.judged + 2);
  // The mutant's operator's own kill rate, smoothed towards the overall one (which it equals with no history).
  const op = operator === undefined ? undefined : stats.byOperator?.get(operator);
  const rate = (b: BaselineProperty) => (op ? ((op.kills.get(b.property.name) ?? 0) + 2 * overall(b)) / (op.judged + 2) : overall(b));
  const items = base.properties.flatMap((b) => b.draws.map((_, draw) => ({ b, draw, priority: b.costs[draw]! / rate(b) })));
  items.sort((x, y) => x.priority - y.priority);
  const total = items.reduce((sum, i) => sum + i.b.costs[i.draw]!, 0);
  const out: Item[][] = [];
  let budget = total * first;
  for (let at = 0; at < items.length; budget *= 2) {
    const stage: Item[] = [];
    let cost = 0;
    while (at < items.length && (!stage.length || cost < budget)) {
      cost += items[at]!.b.costs[items[at]!.draw]!;
      stage.push(items[at++]!);
    }
    out.push(stage);
  }
  return out;
}

/**
 * Runs one mutant against the baseline's cases in stages (see `stages`), stopping at the first case that fails: that
 * case's property killed it. A survivor has run every case of every property, the baseline's full `--runs`.
 */
export async function runMutant(engine: Engine, kernel: LoadedKernel, m: Mutant, base: Baseline, stats?: KillStats, first?: number): Promise<MutantResult> {
  const t0 = performance.now();
  const done = (status: MutantStatus, extra: Partial<MutantResult> = {}): MutantResult =>
    ({ ...m, status, testsCompleted: 0, durationMs: performance.now() - t0, ...extra });
  if (m.unreachable) return done('NoCoverage', { statusReason: 'in a function no entry point of the kernel calls' });
  const equivalent = equivalenceHere(m, engine.info);
  if (equivalent) return done('Ignored', { statusReason: equivalent });
  if (m.hangs && !base.runHangs) return done('Ignored', { statusReason: `not run: ${m.hangs}, and a hung shader keeps an in-process engine's threads busy for the rest of the run (--run-hangs runs it)` });
  let program: KernelProgram;
  try {
    program = mutatedProgram(kernel.program, m);
  } catch (e) {
    return done('CompileError', { statusReason: firstLine(e) });
  }
  // Properties every case of which has run and passed.
  const left = new Map(base.properties.map((b) => [b, b.draws.length]));
  const completed = () => [...left.values()].filter((n) => n === 0).length;
  let changed = false;
  let ran = false;
  let skipped: string | undefined;
  let notRun = 0;
  let threw: string | undefined;
  // Per property, output elements NaN on both sides of a comparison on the mutant beyond the unmutated kernel's.
  const moreNans = new Map<string, number>();
  for (const stage of stages(base, stats, first, m.operator)) {
    let outputs: Outputs;
    try {
      outputs = await executeItems(engine, program, stage);
    } catch (e) {
      const on = `on ${[...new Set(stage.map((i) => i.b.property.name))].join(', ')}`;
      // Tint refused it, or wgsl_reflect cannot read it to lay out the batch: either way it does not build here.
      if (e instanceof KernelCompileError || e instanceof WgslParseError) return done('CompileError', { statusReason: e.message.split('\n')[0]!, testsCompleted: completed() });
      // The device refused the mutated shader or its pipeline (a workgroup over the device's limits): it does not build.
      if (e instanceof DeviceError && e.kind === 'validation') return done('CompileError', { statusReason: firstLine(e), testsCompleted: completed() });
      if (e instanceof DeviceError && e.kind === 'timeout') {
        await engine.recover?.().catch(() => undefined);
        return done('Timeout', { testsCompleted: completed(), statusReason: `hung ${on}, ended by the watchdog: ${e.message} (a hang counts as detected)` });
      }
      if (e instanceof DeviceError && e.kind === 'lost') await engine.recover?.().catch(() => undefined);
      return done('RuntimeError', { testsCompleted: completed(), statusReason: `${on}: ${firstLine(e)}` });
    }
    for (const [k, { b, draw }] of stage.entries()) {
      const out = outputs[k]!;
      // llvmpipe cut the mutant's loops short (engines/loop-limit.ts): what a watchdog calls a hang on another engine,
      // on a case the unmutated kernel ran to the end; one it did not is skipped here too (trial 49: a kernel's own
      // long rows made its first mutant a Timeout, and the health check then ignored every other).
      if (out instanceof Error && out.message.includes(LOOP_CUT) && b.hashes[draw] !== '') {
        return done('Timeout', { testsCompleted: completed(), statusReason: `on ${b.property.name}, case ${draw}: ${out.message.split(' (')[0]} (a loop that never ends counts as detected, as a hang does)` });
      }
      // The interpreter's budget ran out on a case the unmutated kernel finished within it: its watchdog, as a GPU
      // engine's is (trial 79 A2: `off * 2u` made `off / 2u` looped forever, and read "no coverage" there).
      if (out instanceof Error && out.message.includes(UNFINISHED) && b.hashes[draw] !== '') {
        return done('Timeout', { testsCompleted: completed(), statusReason: `on ${b.property.name}, case ${draw}: did not finish within the interpreter's budget, where the unmutated kernel did (a loop that never ends counts as detected, as a hang does)` });
      }
      // The interpreter cannot run the mutated WGSL (it does not validate: a mutant a compiler rejects may reach it)
      // where it ran the kernel: invalid here, as a CompileError is, not a gap in the properties (trial 52: a broken
      // mutant lowered the interpreter's score as "no coverage", with no reason).
      if (out instanceof Error && /^not supported on the interpreter/.test(out.message) && b.hashes[draw] !== '') {
        return done('RuntimeError', { testsCompleted: completed(), statusReason: `on ${b.property.name}, case ${draw}: ${firstLine(out)}` });
      }
      if (out instanceof Error) skipped ??= firstLine(out);
      const r = judgeDraw(b.property, b.draws[draw], out, kernel.program.spec);
      if (r.threw !== undefined) {
        threw ??= `${b.property.name} threw on case ${draw} (shape ${jsonText(b.property.runs(b.draws[draw])[0]!.shape)}): ${r.threw}`;
        left.set(b, left.get(b)! - 1);
        continue;
      }
      if (r.failed) {
        const shape = jsonText(b.property.runs(b.draws[draw])[0]!.shape);
        return done('Killed', { killedBy: b.property.name, testsCompleted: completed(), statusReason: `${b.property.name} failed on case ${draw} (shape ${shape}): ${r.failed}` });
      }
      left.set(b, left.get(b)! - 1);
      // A case the engine did not run (over the interpreter's budget) is not an output that changed: trial 61's
      // doubled workgroup read "outputs changed" on the interpreter, where Dawn found it bit-identical.
      if (r.hash === '') notRun++;
      else {
        ran = true;
        if (r.hash !== b.hashes[draw]) changed = true;
        const more = r.nans - b.nans[draw]!;
        if (more > 0) moreNans.set(b.property.name, (moreNans.get(b.property.name) ?? 0) + more);
      }
    }
  }
  // No property failed, and one threw: not a kill, and not a survivor the properties let through (Stryker's
  // RuntimeError, left out of the score), said with the property to fix.
  if (threw) return done('RuntimeError', { testsCompleted: completed(), statusReason: `${threw}: a property that throws judges nothing (test calls it an error); fix the property` });
  if (!ran) return done('NoCoverage', { testsCompleted: completed(), statusReason: `the engine skipped every case${skipped ? ` (the first: ${skipped})` : ''}` });
  const unrun = notRun ? `; ${notRun} case${notRun === 1 ? '' : 's'} the engine did not run (the first: ${skipped})` : '';
  // Trial 61 B1: a mutant that leaves elements unwritten survives a two-run relation, whose runs both hold the
  // sentinel NaN there; "within every property's bound" read as a weak bound where nothing was compared.
  const nanNote = [...moreNans].map(([name, k]) => `; on ${name}, ${k} output element${k === 1 ? ' was' : 's were'} NaN on both sides of the comparison where the unmutated kernel's were not, so not compared (an unwritten element holds the sentinel NaN in every run, and NaN meets NaN)`).join('');
  return done('Survived', changed
    ? { testsCompleted: completed(), statusReason: `outputs changed, but within every property's bound${nanNote}${unrun}` }
    : { testsCompleted: completed(), unobservable: true, statusReason: `outputs bit-identical to the unmutated kernel on every case${notRun ? ' it ran' : ''}: equivalent, or observable only with more or other cases (--runs)${unseen(engine, base, program)}${unrun}` });
}

/** What else could see a mutant whose outputs did not change: the race check where it did not run, and where the
 *  kernel updates atomics on a GPU engine, the interpreter's schedule (trial 152 B2: "by a memory/race check" beside
 *  a no-data-race that had run and passed, and nothing of the interpreter that kills such mutants). */
function unseen(engine: Engine, base: Baseline, program: KernelProgram): string {
  const race = base.properties.some((b) => b.property.name === 'no-data-race') ? '' : ', or by no-data-race, which did not run';
  const backend = engine.info.backend;
  const atomics = backend !== 'interpreter' && Object.values(program.sources).some((c) => updatedAtomics(c).size > 0 || loadThenStores(c).length > 0);
  return `${race}${atomics ? `, or by the interpreter's schedule, which shows a lost update of atomics on every case it runs (--backend ${backend},interpreter)` : ''}`;
}

/** The kernel with the mutant applied: its WGSL edited, or its dispatch changed (spec level). */
export function mutatedProgram(p: KernelProgram, m: Mutant): KernelProgram {
  const spec = p.spec;
  if (m.dispatch) {
    const { stage, entries, axis } = m.dispatch;
    return {
      ...p,
      spec: {
        ...spec,
        stages: (s) => spec.stages(s).map((st, i) => i !== stage || (entries && !entries.includes(st.entry ?? 'main')) ? st : {
          ...st,
          workgroups: (size, limits) => {
            const w = [...st.workgroups(size, limits)] as [number, number, number];
            w[axis] = Math.max(0, w[axis]! - 1);
            return w;
          },
        }),
      },
    };
  }
  const code = p.sources[m.file]!;
  const mutated = code.slice(0, m.start) + m.replacement + code.slice(m.end);
  const out: KernelProgram = { ...p, sources: { ...p.sources, [m.file]: mutated } };
  if (!m.pinWorkgroupSize) return out;
  // The grid is computed from the unmutated WGSL's workgroup size (its overrides given the stage's constants), so
  // only the shader changes.
  out.spec = {
    ...spec,
    stages: (s) => spec.stages(s).map((st) => st.wgsl !== m.file ? st : {
      ...st,
      workgroups: (_, limits) => st.workgroups(stageWorkgroupSize(p, st), limits),
    }),
  };
  return out;
}

/** Per draw, its runs' outputs, or the reason the engine skipped it. */
type Outputs = (RunOutput[] | Error)[];

/**
 * The items' cases in one executeDraws call (one batch, whatever properties they come from); trace properties
 * (interpreter) are computed per property, as executeDraws does for them. Outputs in the items' order.
 */
async function executeItems(engine: Engine, program: KernelProgram, items: Item[]): Promise<Outputs> {
  const out: Outputs = new Array(items.length);
  const plain = items.flatMap((item, k) => (isTraceProperty(item.b.property) ? [] : [{ item, k }]));
  // A trace property's draws of the stage in one executeDraws call: the property's own batching, not a batch a case.
  const traced = new Map<BaselineProperty, number[]>();
  items.forEach((item, k) => isTraceProperty(item.b.property) && traced.set(item.b, [...(traced.get(item.b) ?? []), k]));
  for (const [b, ks] of traced) {
    const outs = await executeDraws(engine, program, b.property, ks.map((k) => b.draws[items[k]!.draw]));
    ks.forEach((k, n) => (out[k] = outs[n]!));
  }
  if (plain.length) {
    type Tagged = { b: BaselineProperty; draw: unknown };
    const combined: Property<unknown, Tagged> = { ...plain[0]!.item.b.property, runs: (t) => t.b.property.runs(t.draw) };
    const flat = await executeDraws(engine, program, combined, plain.map(({ item }) => ({ b: item.b, draw: item.b.draws[item.draw] })));
    plain.forEach(({ k }, n) => (out[k] = flat[n]!));
  }
  return out;
}

/** Runs every draw of one property (the baseline), judges each. */
async function judgeAll(engine: Engine, program: KernelProgram, property: Property, draws: unknown[]) {
  const outputs = await executeDraws(engine, program, property, draws);
  const hashes: string[] = [];
  const nans: number[] = [];
  const costs: number[] = [];
  const skipped = (outputs.find((o) => o instanceof Error) as Error | undefined)?.message;
  let judged = 0;
  for (const [i, out] of outputs.entries()) {
    const r = judgeDraw(property, draws[i], out, program.spec);
    if (r.threw !== undefined) return { hashes, nans, costs, skipped, judged, failed: { draw: i, reason: `the check threw: ${r.threw}` } };
    if (r.failed) return { hashes, nans, costs, skipped, judged, failed: { draw: i, reason: r.failed } };
    if (r.hash && !r.unjudged) judged++;
    hashes.push(r.hash);
    nans.push(r.nans);
    // A skipped draw costs its fixed share only; it is skipped on mutants too.
    costs.push(4096 + (out instanceof Error ? 0 : out.reduce((s, run) => s + outputArrays(run, program.spec).reduce((t, a) => t + a.byteLength, 0), 0)));
  }
  return { hashes, nans, costs, skipped, judged };
}

/** Judges one draw's outputs: a hash of them ('' when the engine skipped it), why it fails, if it does, whether a
 *  pass compared nothing (`unjudged`: no element had a finite bound), and how many elements it let pass as NaN met
 *  by NaN. */
function judgeDraw(property: Property, draw: unknown, out: RunOutput[] | Error, spec: KernelSpec): { hash: string; nans: number; failed?: string; threw?: string; unjudged?: boolean } {
  if (out instanceof Error) return { hash: '', nans: 0 };
  const hash = hashOutputs(out, spec);
  let v;
  try {
    v = judge(property, draw, out);
  } catch (e) {
    // A check that throws judges nothing, as `test` says (an error, never a verdict on the kernel): a property that
    // built its bound from the output threw on a mutant's NaN, and mutate counted a kill (trial 79 A1).
    return { hash, nans: 0, threw: firstLine(e) };
  }
  const nans = Object.entries(v.notes ?? {}).reduce((a, [k, n]) => a + (NAN_MET_NAN.some((e) => k.endsWith(e)) && typeof n === 'number' ? n : 0), 0);
  return v.pass ? { hash, nans, ...(v.unjudged ? { unjudged: true } : {}) } : { hash, nans, failed: v.message ?? 'the property does not hold' };
}

/** FNV-1a over every output's bits (a trace's outputs for trace properties), scratch left out: a mutant that changed
 *  only scratch read "outputs changed, but within every property's bound", a weak bound where none could see it
 *  (trial 79 B1). */
export function hashOutputs(runs: RunOutput[], spec: KernelSpec): string {
  let h = 0x811c9dc5;
  for (const run of runs) {
    for (const a of outputArrays(run, spec)) {
      const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    }
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A run's output arrays but scratch: a trace's (trace properties: findings beside the outputs, by buffer index) or
 *  the run's buffers. */
function outputArrays(run: RunOutput, spec: KernelSpec): ArrayBufferView[] {
  const arrays = 'dispatches' in run ? (run as unknown as { outputs: Uint8Array[] | Record<string, ArrayBufferView> }).outputs : run;
  const names = Object.keys(spec.buffers);
  return Object.entries(arrays)
    .filter(([k, a]) => ArrayBuffer.isView(a) && spec.buffers[Array.isArray(arrays) ? names[Number(k)] ?? '' : k]?.role !== 'scratch')
    .map(([, a]) => a as ArrayBufferView);
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

/** Stryker's mutation score: detected (killed + timeout) over valid (detected + survived + no coverage), in %. */
export function mutationScore(results: { status: MutantStatus }[]): { detected: number; valid: number; score: number } {
  const count = (...s: MutantStatus[]) => results.filter((r) => s.includes(r.status)).length;
  const detected = count('Killed', 'Timeout');
  const valid = detected + count('Survived', 'NoCoverage');
  return { detected, valid, score: valid ? (100 * detected) / valid : NaN };
}

/**
 * Runs every mutant in order, reporting each verdict as it is reached. After a hang the unmutated kernel's cheapest
 * property is run again: an engine that no longer runs even that (a hung shader's threads still running in the same
 * process) cannot judge the rest, which are then Ignored with the reason rather than misread as timeouts.
 */
export async function runMutants(engine: Engine, kernel: LoadedKernel, mutants: Mutant[], base: Baseline,
  onResult: (r: MutantResult, index: number) => void, stopped: () => boolean = () => false,
  /** The first stage's share of the cases' cost (bench/mutate.ts compares 1: every case in one stage). */
  firstStage?: number): Promise<MutantResult[]> {
  const results: MutantResult[] = [];
  let unusable = '';
  const stats: KillStats = { judged: 0, kills: new Map(), byOperator: new Map() };
  for (const [i, m] of mutants.entries()) {
    let r: MutantResult;
    if (unusable || stopped()) {
      r = { ...m, status: unusable ? 'Ignored' : 'Pending', testsCompleted: 0, durationMs: 0, statusReason: unusable || 'the run was interrupted before this mutant' };
    } else {
      r = await runMutant(engine, kernel, m, base, stats, firstStage);
      learn(stats, r);
      if (r.status === 'Timeout' && base.properties[0]) {
        const check = await runMutant(engine, kernel, { ...m, id: 'health', file: kernel.program.spec.wgsl, start: 0, end: 0, replacement: '', dispatch: undefined, pinWorkgroupSize: false, unreachable: false, hangs: undefined }, { ...base, properties: [base.properties[0]] });
        if (check.status !== 'Survived') unusable = `not run: after mutant ${m.id} hung, the unmutated kernel no longer runs on ${engine.id} (${check.statusReason}); run the rest with --operator, or on an engine whose host restarts`;
      }
    }
    results.push(r);
    onResult(r, i);
  }
  return results;
}
