// The universal properties judged on every access rather than on the outputs: no access outside a buffer, and no
// data race: between invocations of a workgroup with no barrier of that memory between them (a missing
// workgroupBarrier for workgroup memory, storageBarrier for storage; so does the sanitized GPU run), or between
// workgroups of one dispatch on storage memory (nothing orders them). GPU engines clamp or discard an out-of-bounds
// access and may happen to order a race benignly, so their outputs prove neither: the interpreter sees every access
// itself, and a GPU engine runs the kernel sanitized (harness/trace/sanitize.ts), which checks its own accesses.
import { NOT_STARTED, traceCase, type Access, type StallWatch, type CaseTrace, type InterpreterOptions } from '../engines/interpreter.ts';
import { MAX_RACES } from '../engines/interpreter/dispatch.ts';
import { CaseMemo } from '../engines/interpreter/memo.ts';
import { invocationText, raceText, updatedByPeers, sideLine } from '../engines/interpreter/race-text.ts';
import { atomicIndexSources, helperCallClause, oppositeBranches, sharedIndex } from './index-sources.ts';
import { clampStores, maxOldClamps, workgroupAtomicsBeforeBarrier } from './portability.ts';
import * as fc from 'fast-check';
import { accessPathAt, makeArray, scalarAt } from './layout.ts';
import { moduleVariableTypes, reflect, reflectable, tokensOf } from './reflect.ts';
import type { Case, Family, KernelSpec, Property, Verdict } from '../spec.ts';
import type { FoundAccess, FoundRace } from '../trace/sanitize.ts';
import { NotSpreadOverY, SENTINEL, SENTINEL_2, shaderTable, spreadsOverY, toBatchCase, type KernelProgram } from './program.ts';
import { spreadY } from './spread-y.ts';

/** What one run's accesses showed, per dispatch: the interpreter's trace, or a sanitized run's findings (which keep
 *  the first few and count the rest). */
export interface AccessFindings {
  dispatches: { outOfBounds: (Access | FoundAccess)[]; races: (CaseTrace['dispatches'][number]['races'][number] | FoundRace)[]; outOfBoundsCount?: number; raceCount?: number }[];
  /** A sanitized run's arrays handed on as pointers, whose accesses through them were not checked. */
  escapes?: string[];
  /** A sanitized run's accesses of shared memory that were not recorded for races (SanitizedShader.unrecorded). */
  unrecorded?: string[];
}

/** Nothing found, with what was not looked at: accesses through pointers the kernel handed to its own functions or
 *  kept in a let (sanitize.ts escapes; the interpreter sees them). A trial's out-of-bounds read in merge(&best, i, j)
 *  passed with nothing said; then a trial's tile store `(*t)[136]` through a pointer parameter passed with it said
 *  beside the pass, exit 0. The flag `accessesUnchecked` makes the runner report the property not judged (a skip),
 *  unless another case failed. */
function passOf(runs: AccessFindings[], races = false): Verdict {
  // A value array or a function variable is no memory another invocation shares: only pointers to shared memory
  // matter to races (sanitize.ts names the others: `through a pointer to the function variable w`).
  const escapes = [...new Set(runs.flatMap((r) => r.escapes ?? []))]
    .filter((e) => !races || /^through a pointer to (?!the (function variable|private variable|uniform|read-only storage|atomic array) )|past the 256 variables/.test(e));
  const unrecorded = races ? [...new Set(runs.flatMap((r) => r.unrecorded ?? []))] : [];
  // A table of constants declared var<private> is checked: said where one is not (trial 222 C1, a hash's round
  // constants as a const array).
  const said = [
    ...(escapes.length ? [`accesses ${escapes.join(', ')} (the GPU check follows no pointer${escapes.some((e) => /an array value/.test(e)) ? ' and checks no index of a const, let or parameter array (a table declared var<private> it checks)' : ''}; --backend interpreter does)`] : []),
    ...(unrecorded.length ? [`races on ${unrecorded.join(', ')} (accesses the GPU check does not record: a write of a matrix element's column or of a nested struct's member, an element of an array nested three deep or more (xs[i][j][k]), indices it would evaluate twice that are not pure, a whole array; --backend interpreter does)`] : []),
  ];
  return said.length ? { pass: true, notes: { notChecked: said.join('; '), accessesUnchecked: true } } : { pass: true };
}

/** A property judged on every access of a run rather than on its outputs. */
export interface TraceProperty extends Property<unknown, Case> {
  /** `fileOf(d)`: the WGSL file (as the user knows it) that dispatch d of the case ran, to place a finding's line;
   *  `codeOf(d)`: its WGSL, for advice drawn from the code. */
  checkTrace(c: Case, runs: AccessFindings[], fileOf?: (dispatch: number) => string | undefined, codeOf?: (dispatch: number) => string | undefined): Verdict;
  /** Judged on races: a sanitized case whose races were not checked (SanitizerFindings.raceOff) is skipped. */
  judgesRaces?: boolean;
}

export const isTraceProperty = (p: Property): p is TraceProperty => 'checkTrace' in p;

const noOutputCheck = (): Verdict => {
  throw new Error('a trace property is judged on accesses, not outputs');
};

type Dispatch = AccessFindings['dispatches'][number];

/** What the WGSL says of `variable`'s element at `byte`: the access that reaches it (`tile[1][1]`), where that takes
 *  more than one index or a member (layout.ts accessPathAt), since a 1-D array's byte is its index times a stride the
 *  reader knows; and whether it is a float, which no WGSL atomic holds. Nothing for a struct member's path the finding
 *  names already (`h.bins`), or where the WGSL does not parse here. A vector is named whole. */
function elementFacts(code: string, variable: string, byte: number): { element?: string; float?: true } {
  if (variable.includes('.')) return {};
  let type;
  try {
    type = moduleVariableTypes(reflectable(code)).get(variable)?.type;
  } catch {
    return {};
  }
  if (!type) return {};
  // An array whose count names an override is sized here as wgsl_reflect sizes it (one element), not as the pipeline's
  // constants do (trial 170 B3): no element is named, and a float is told only where the element's own layout, which
  // no count changes, says so.
  if (countsNameOverride(code, variable)) {
    if (type.kind !== 'array' || type.element.kind === 'array' || type.element.kind === 'atomic' || !type.stride) return {};
    return isFloat(scalarAt(type.element, byte % type.stride)) ? { float: true } : {};
  }
  // The vector, not its component: the byte is the first both accesses touch, and a whole vector's access touches its
  // .x first (trial 170 B1 read `part[4].agg.x` for two accesses of `.agg`).
  const path = accessPathAt(type, byte).replace(/\.[xyzw]$/, '');
  const scalar = type.kind === 'atomic' || (type.kind === 'array' && type.element.kind === 'atomic') ? undefined : scalarAt(type, byte);
  return { ...(path && !/^\[\d+\]$/.test(path) ? { element: `${variable}${path}` } : {}), ...(scalar && isFloat(scalar) ? { float: true as const } : {}) };
}

const isFloat = (s: string) => s === 'f32' || s === 'f16';

/** Whether module-scope `variable`'s declared type names an override (`array<Stat, WG>`), read from the tokens. */
function countsNameOverride(code: string, variable: string): boolean {
  const tokens = tokensOf(code);
  let overrides: Set<string>;
  try {
    overrides = new Set(reflect(code).overrides.keys());
  } catch {
    return true;
  }
  if (!tokens || !overrides.size) return false;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.lexeme !== 'var' || !tokens.slice(i + 1, i + 8).some((t) => t.lexeme === variable)) continue;
    for (let j = i + 1; j < tokens.length && tokens[j]!.lexeme !== ';'; j++) if (overrides.has(tokens[j]!.lexeme)) return true;
  }
  return false;
}

/** The first finding of some kind in any dispatch of any run, with how many there were in that dispatch, the
 *  dispatch's index and the run's. */
function firstFinding<T>(runs: AccessFindings[], pick: (d: Dispatch) => [T[], number | undefined]): [T, number, number, number] | undefined {
  for (const [r, t] of runs.entries()) {
    for (const [i, d] of t.dispatches.entries()) {
      const [found, count] = pick(d);
      if (found.length) return [found[0]!, count ?? found.length, i, r];
    }
  }
  return undefined;
}

/** A spec's buffer by its index in the pipeline (an access's `buffer`), workgroup memory where there is none. */
export const bufferNamer = (spec: KernelSpec) => (b?: number): string => (b === undefined ? 'workgroup memory' : Object.keys(spec.buffers)[b] ?? `buffer ${b}`);

/**
 * no-out-of-bounds' verdict on a case's runs: the first access outside a buffer or workgroup array, in the spec's
 * name for the buffer, placed in its WGSL file (`fileOf`), with the count of such accesses in that dispatch, e.g.
 * "invocation 0 of workgroup (11, 1, 0) reads src element 44 (byte 176), past the end of t1 (mine.wgsl:114); 256 such
 * accesses". `runLabel`: what to call the run it was in, for a property of several runs ("add, dispatch 2: ...").
 */
export function outOfBoundsVerdict(spec: KernelSpec, traces: AccessFindings[], fileOf?: (dispatch: number) => string | undefined,
  runLabel?: (run: number) => string): Verdict {
  const f = firstFinding(traces, (d) => [d.outOfBounds, d.outOfBoundsCount]);
  if (!f) return passOf(traces);
  const [a, n, dispatch, run] = f;
  const file = fileOf?.(dispatch);
  const at = `(${file ? `${file}:` : 'line '}${a.line}); ${n} such access${n === 1 ? '' : 'es'}`;
  // The stage counted from 1, of how many, as the page's stage picker says it ("stage 3/3"): "dispatch 2" counted
  // from 0 (trial 71 B5). Said wherever the case has more than one: the page opens on the stage it names (trial 71
  // B2's was the third).
  const stages = traces[run]!.dispatches.length;
  const stage = `stage ${dispatch + 1} of ${stages}`;
  const verb = a.address ? 'takes the address of' : a.kind === 'read' ? 'reads' : 'writes';
  const head = `${runLabel ? `${runLabel(run)}, ${stage}: ` : stages > 1 ? `${stage}: ` : ''}${invocationText(a)} ${verb}`;
  // A sanitized run sees an index's u32 bits only: 4294967295 is a u32 past the end, or an i32 -1 before the start.
  // So is the interpreter's u32 index past 2^31, a subtraction below 0 wrapped (trial 207 B2: `a[i - 2u]` at i = 0 was
  // "past the end", where Dawn said "or -2").
  const wrapped = (i: number) => (i >= 2 ** 31 && i < 2 ** 32 ? i - 2 ** 32 : undefined);
  const asI32 = 'asI32' in a ? a.asI32 : a.inner ? wrapped(a.inner.index) : wrapped(Math.floor(a.offset / Math.max(1, a.stride ?? a.size)));
  // An index outside its inner array, vector or matrix: the bytes may be inside the buffer (a neighbour's), so the
  // element and byte say nothing; the access, the index and that level's length do.
  const inner = a.inner;
  // The invocation's own memory (a function or private variable): neither a buffer nor workgroup memory.
  const scope = 'scope' in a ? a.scope : undefined;
  // A binding the spec fills itself (a uniform table of `bind`), which has no name among its buffers: by its WGSL name
  // rather than 'buffer 3'.
  const buffer = a.buffer !== undefined && Object.keys(spec.buffers)[a.buffer] === undefined ? `the binding ${a.variable.split('.')[0]}` : bufferNamer(spec)(a.buffer);
  if (inner) {
    const unit = `${/^vec/.test(inner.type) ? 'component' : /^mat/.test(inner.type) ? 'column' : 'element'}${inner.length === 1 ? '' : 's'}`;
    const side = asI32 !== undefined ? 'outside' : inner.index < 0 ? 'before the start of' : 'past the end of';
    const index = asI32 !== undefined ? `${inner.index} (or ${asI32}, if the index is an i32)` : `${inner.index}`;
    return {
      pass: false,
      message: `${head} ${inner.path}: index ${index} is ${side} ${/^array/.test(inner.type) ? 'an' : 'a'} ${inner.type} (${inner.length} ${unit}), in ${scope ? `the ${scope} ${a.variable}` : buffer} ${at}`,
    };
  }
  // The element in units of what was accessed (an f32 of an array<f32>): -1 is the one before the first.
  const unit = Math.max(1, a.stride ?? a.size);
  const element = Math.floor(a.offset / unit);
  const where = a.offset < 0 ? 'before the start' : asI32 !== undefined ? 'outside' : 'past the end';
  // An element wider than the spec's (a vec4<f32> of a buffer the spec gives as f32) in its bytes: a trial read
  // 'y element 1' of an array<vec4<f32>> as the spec's y[1].
  const specBytes = a.buffer !== undefined && spec.buffers[Object.keys(spec.buffers)[a.buffer] ?? '']?.type === 'f16' ? 2 : 4;
  const bytes = `${unit > specBytes ? `${unit} bytes each; ` : ''}byte ${a.offset}`;
  const index = asI32 !== undefined ? `${element} (or ${asI32}, if the index is an i32; ${bytes})` : `${element} (${bytes})`;
  // A var<workgroup> by its name: "past the end of workgroup memory" did not say which array (a trial's best_v).
  const of = scope ? `the ${scope} ${a.variable}` : a.buffer === undefined ? `the workgroup array ${a.variable}` : buffer;
  // An f16 element in the second half of a word may be the one that rounds an odd-length buffer's binding up to whole
  // words, which arrayLength counts and the case does not fill (trial 41's `k <= cols`): said, as arrayLength allows it.
  const pad = specBytes === 2 && unit === 2 && a.offset % 4 === 2 && where === 'past the end'
    ? ` (where ${buffer}'s length is odd, this element is the half word that rounds its binding up to whole 4-byte words: inside arrayLength(&${a.variable}), outside the case's data)` : '';
  // An index a little past kernelscope's fill of an output the kernel did not write: read from one never set, most
  // often a counter whose reset is missing or comes in the same dispatch (trial 213 B3: "past the end of visible",
  // element 2142952365, read as a bounds check to add).
  const fill = [[SENTINEL, '0x7fbadbad'], [SENTINEL_2, '0xffa5a5a5']].find(([s]) => element - (s as number) >= 0 && element - (s as number) < 2 ** 20);
  const filled = fill ? `; the index is ${fill[1]}${element > (fill[0] as number) ? ` + ${element - (fill[0] as number)}` : ''}, the value kernelscope fills an output with before the kernel runs: it comes from an output (a counter, an offset) that nothing set first; clear it in a dispatch before this one` : '';
  // A write outside a buffer of the spec may land on any element of it on a GPU (WebGPU's robust access): named for
  // the note that the run's value failures may be that write (cli/test.ts outsideWritesNotes; trial 207 B1).
  const spilled = a.kind === 'write' && !a.address && !scope && a.buffer !== undefined && Object.keys(spec.buffers)[a.buffer] !== undefined;
  return { pass: false, message: `${head} ${a.variable} element ${index}, ${where}${where === 'outside' ? '' : ' of'} ${of} ${at}${pad}${filled}`, ...(spilled ? { notes: { writesOutside: buffer } } : {}) };
}

/** One case of `spec.spreadShape`: every input filled with values in [-1, 1) from a fixed generator (the spread
 *  path's guards and indices do not depend on the values; integer inputs get 0..255). */
export function spreadCase(spec: KernelSpec): Case {
  const shape = spec.spreadShape;
  const inputs: Case['inputs'] = {};
  for (const [name, b] of Object.entries(spec.buffers)) {
    if (b.role !== 'input' && b.role !== 'inout') continue;
    const a = makeArray(b.type, b.length(shape));
    let s = 0x9e3779b9;
    for (let i = 0; i < a.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      a[i] = b.type === 'f32' || b.type === 'f16' ? s / 2 ** 31 - 1 : s >>> 24;
    }
    inputs[name] = a;
  }
  return { shape, inputs };
}

/** `spreadCases`: the draws of no-out-of-bounds-spread-y (spread-y.ts); none for a kernel that never spreads. */
export function traceProperties(spec: KernelSpec, family: Family, spreadCases?: fc.Arbitrary<Case>): TraceProperty[] {
  const names = bufferNamer(spec);
  const common = { bound: 'exact', arbitrary: family.cases, runs: (c: Case) => [c], check: noOutputCheck };
  const outOfBounds = (c: Case, traces: AccessFindings[], fileOf?: (dispatch: number) => string | undefined): Verdict => {
    const v = outOfBoundsVerdict(spec, traces, fileOf);
    // WebGPU has no empty binding: a GPU engine binds an empty buffer as one element (toBatchCase), where the sanitized
    // kernel counts element 0 inside (a trial's SpMV read vals[0] of a matrix with no entries). The interpreter binds
    // it empty.
    const sanitized = traces.some((t) => t.dispatches.some((d) => d.outOfBoundsCount !== undefined));
    const empty = sanitized && v.pass ? Object.keys(spec.buffers).filter((n) => spec.buffers[n]!.length(c.shape) === 0) : [];
    if (!empty.length) return v;
    const note = `element 0 of the empty ${empty.join(', ')} (a GPU engine binds an empty buffer as one element, where this check counts it inside; --backend interpreter binds it empty)`;
    const before = v.notes?.notChecked;
    return { ...v, notes: { ...v.notes, notChecked: before ? `${before}; ${note}` : note } };
  };
  const spreadFull: TraceProperty[] = spec.spreadShape === undefined ? [] : [{
    ...common,
    name: 'no-out-of-bounds-spread-y-full',
    description: `no-out-of-bounds on one case whose dispatch spreads over y past the device's true limit of 65,535 workgroups (shape ${JSON.stringify(spec.spreadShape)}), where the guards of that path matter; no-out-of-bounds-spread-y reaches the same path at small sizes under a lowered limit.`,
    // One case whatever --runs: it is large (see the README's figure), so it runs only when named.
    runsScale: 1e-9,
    optIn: `one case of ${JSON.stringify(spec.spreadShape)}: minutes per engine on a CPU adapter`,
    arbitrary: fc.constant(null).map(() => spreadCase(spec)),
    checkTrace: outOfBounds,
  }];
  const inBounds: TraceProperty = {
    ...common,
    name: 'no-out-of-bounds',
    description: 'No invocation reads or writes outside a buffer, a workgroup array or one of its own function or private variables (WGSL §"Out-of-Bounds Access": such a load may return any value of the variable or zero, and such a store may be dropped or land anywhere in the variable, so the kernel is wrong even where its values happen to pass): seen by the interpreter, or checked by the sanitized kernel on a GPU engine.',
    checkTrace: outOfBounds,
  };
  const noRace: TraceProperty = {
    ...common,
    name: 'no-data-race',
    judgesRaces: true,
    description: 'No two invocations of a workgroup touch the same memory, one of them writing, without a barrier of that memory between them (a workgroupBarrier() orders workgroup memory, a storageBarrier() storage: WGSL §"Synchronization Built-in Functions"), and no two workgroups of a dispatch touch the same storage bytes, one of them writing, without atomics; nor, seen by the interpreter alone, an atomicStore or atomicExchange and an atomic update that changes the same word, by another invocation of the workgroup with no barrier of that memory between (a lost update: the store may erase the update): seen by the interpreter, or recorded by the sanitized kernel on a GPU engine (the last writer and reader of each element, whether another invocation of the reader\'s workgroup read it too, and for storage the last reader from another workgroup, the barriers of each memory counted: it may miss a race within a workgroup, or between the workgroups of a dispatch too large for its stamps to tell apart, never report one that is not).',
    checkTrace(_c, traces, fileOf, codeOf) {
      const f = firstFinding(traces, (d) => [d.races, d.raceCount]);
      if (!f) return passOf(traces, true);
      const [r, n, dispatch, run] = f;
      // The interpreter's Race.message in the same words, with the spec's name for the buffer, the file and the count.
      // The interpreter keeps MAX_RACES (a trial read "1000 races" where Dawn's sanitizer counted 1793).
      const capped = traces[run]!.dispatches[dispatch]!.raceCount === undefined && n >= MAX_RACES;
      // The dispatch's other races tell whether both sides update the element (race-text.ts updatedByPeers).
      const update = updatedByPeers(r, traces[run]!.dispatches[dispatch]!.races);
      // Two writes at one line: an index handed out by atomics says where it comes from (index-sources.ts).
      const line = r.a.kind === 'write' && r.b.kind === 'write' && sideLine(r.a) === sideLine(r.b) ? sideLine(r.a) : undefined;
      const code = line === undefined ? undefined : codeOf?.(dispatch);
      const erasable = code ? workgroupAtomicsBeforeBarrier(code).filter((w) => w.kind === 'update') : [];
      const indexSources = code ? atomicIndexSources(code, line!).map((s) => {
        const w = s.barrierBefore !== undefined ? erasable.find((e) => e.variable === s.variable) : undefined;
        return w ? { ...s, erasable: { store: w.after, update: w.line } } : s;
      }) : undefined;
      // A read and a write through one index expression (sharedIndex): a wrong index is as likely as a missing barrier.
      const [read, write] = r.a.kind === 'read' ? [r.a, r.b] : [r.b, r.a];
      const lines = (s: typeof r.a) => ('lines' in s && s.lines) || [s.line];
      const both = read.kind === 'read' && write.kind === 'write' ? codeOf?.(dispatch) : undefined;
      const shared = both ? sharedIndex(both, r.variable, lines(read), lines(write)) : undefined;
      const source = codeOf?.(dispatch);
      const branches = source && r.a.line !== r.b.line ? oppositeBranches(source, r.a.line, r.b.line) : undefined;
      const helperCall = source ? helperCallClause(source, [...lines(r.a), ...lines(r.b)], r.buffer === undefined ? 'workgroupBarrier()' : 'storageBarrier()') : undefined;
      const facts = source ? elementFacts(source, r.variable, r.byte) : {};
      const clamp = !!source && 'lostUpdate' in r && !!r.lostUpdate && clampStores(source).has(r.a.line);
      const maxOld = source && 'lostUpdate' in r && r.lostUpdate ? maxOldClamps(source).get(r.a.line) : undefined;
      // Its stage where the case has several, as an out-of-bounds access says it (trial 88 B1: one entry point run
      // once a level of a scan, and "line 31" did not say which level raced); the page opens on that stage.
      const stages = traces[run]!.dispatches.length;
      const stage = stages > 1 ? `stage ${dispatch + 1} of ${stages}: ` : '';
      return { pass: false, message: `${stage}${raceText({ ...r, update, indexSources, ...(shared ? { sharedIndex: shared } : {}), ...(branches ? { branches } : {}), ...(helperCall ? { helperCall } : {}), ...(clamp ? { clamp } : {}), ...(maxOld ? { maxOld } : {}), ...facts }, names(r.buffer), fileOf?.(dispatch))}; ${capped ? `at least ${n} races (the interpreter stops counting there)` : `${n} race${n === 1 ? '' : 's'}`}` };
    },
  };
  return [
    inBounds,
    noRace,
    // The y path's races too: a grid-stride loop whose stride leaves out the rows over y makes two workgroups write
    // the same elements only once the dispatch spreads (a new user's gelu passed every property without this one).
    ...(spreadCases ? [spreadY(inBounds, spreadCases), spreadY(noRace, spreadCases)] : []),
    ...spreadFull,
  ];
}

/**
 * Traces already made, by what the case is (interpreter/memo.ts): no-out-of-bounds and no-data-race draw the same cases
 * from the same seed, and each traced every one of them again, 14 % of a `--runs 10` interpreter run of softmax,
 * layernorm and matmul (measured 2026-12-04). The interpreter's schedule is fixed, so the same case traces the same.
 * A copy holds its own outputs; the dispatches' findings are shared, as no property writes into them.
 */
const traceMemo = new CaseMemo<CaseTrace>({
  copy: (t) => ({ ...t, outputs: t.outputs.map((b) => b.slice()) }),
  // Each finding weighed at a few hundred bytes: its sides, lines and words.
  bytes: (t) => t.outputs.reduce((n, b) => n + b.byteLength, 0) + t.dispatches.reduce((n, d) => n + 256 * (d.races.length + d.outOfBounds.length + d.errors.length + 1), 0),
});

/** Runs a trace property's cases on the interpreter, one case at a time (traces are large), under its budget. */
export function traceDraw(program: KernelProgram, prop: TraceProperty, draw: Case, budget: InterpreterOptions = {}, stall?: StallWatch): CaseTrace[] | string {
  const traces: CaseTrace[] = [];
  for (const c of prop.runs(draw)) {
    if (c.spreadY && !spreadsOverY(program, c.shape)) return new NotSpreadOverY().message;
    const table = shaderTable(program);
    const batchCase = toBatchCase(program, c, table.index);
    const options = { ...budget, limits: program.spec.requires?.limits, shaderNames: table.files.map((f) => program.origins[f] ?? f) };
    const key = budget.memo === false ? undefined : traceMemo.keyOf(table.shaders, batchCase, options);
    let t = key === undefined ? undefined : traceMemo.get(key, batchCase);
    if (!t) {
      t = traceCase(table.shaders, batchCase, options, stall);
      // A case not started because others never finished says nothing of this case itself.
      if (key !== undefined && !t.skipped?.startsWith(NOT_STARTED)) traceMemo.set(key, batchCase, t);
    }
    if (t.skipped) {
      // Refused at an out-of-bounds index of the invocation's own memory (dispatch.ts PlainOutOfBounds), or stopped
      // over the budget (StepBudgetExceeded): no values, but an access out of bounds or a race seen before is a
      // finding all the same; where none was seen yet, the case is not judged.
      if (t.dispatches.some((d) => (prop.judgesRaces ? d.races : d.outOfBounds).length)) return [...traces, t];
      return t.skipped;
    }
    traces.push(t);
  }
  return traces;
}
