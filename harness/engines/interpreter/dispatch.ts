// Runs one compute dispatch in wgsl_reflect's interpreter with real barrier semantics: every invocation of a workgroup
// steps in lock-step up to each barrier (wgsl_reflect's WorkgroupScheduler), so kernels that share workgroup memory
// compute what a GPU computes. Every storage, uniform and workgroup access is seen: the trace, out-of-bounds accesses
// and data races (two invocations touching the same bytes with no barrier of that memory between, one of them
// writing) come out with it.
//
// This follows wgsl_reflect's detectRaces, with these differences: workgroup memory starts at zero in every workgroup
// (as WGSL requires) and is tracked in every workgroup, scalars included; `var<private>` is per invocation; bounds
// are checked at any offset; workgroupUniformLoad is a barrier; races between workgroups on storage memory are found;
// races are found by word as the accesses happen (races.ts), not by comparing every pair at each barrier;
// an atomicLoad of a storage word its workgroup has not yet accessed reads the dispatch's starting value (early-loads.ts:
// the schedule that shows lost updates between workgroups); wgsl_reflect's own fixes are in fixes.ts, speed-ups in
// speed.ts. Whatever wgsl_reflect cannot run (it prints a message, or throws) makes
// the case InterpreterUnsupported, never a value.
import {
  ArrayIndex, BinaryOperator, CallExpr, MatrixData, MemoryTracker, Override, PointerData, ScalarData, StringExpr, TrackedTypedData, TypedData, UnaryOperator, Var,
  VariableExpr, VectorData, WgslDebug, WgslExec,
  WorkgroupScheduler,
} from 'wgsl_reflect/wgsl_reflect.module.js';
import { constantsByName, holdsAtomic, reflect, typeOf, type TypeInfoLike } from '../../run/reflect.ts';
import { installDomainChecks, takeDomainCall, watchDomains, type DomainCall } from './domains.ts';
import { earlyLoad, installEarlyLoads } from './early-loads.ts';
import { FailedExchanges, fallbackStoreLines } from './failed-exchanges.ts';
import { casWorkgroup, resetCasRetries } from './cas-retries.ts';
import { componentsByName, evaluatedOnce, held, installFixes, lanes, pointeeOf, pointees, scalarView } from './fixes.ts';
import { indexable, innerIndexOutside, type InnerIndex } from './inner-bounds.ts';
import { keptExchangeLines, LostUpdates, type AtomicWrite } from './lost-updates.ts';
import { raceText } from './race-text.ts';
import { ORDERS, spaceOf, type Barrier, type Space } from './barriers.ts';
import { atomicTypes, clampsAfterOwnMax, clampsAtOrPast, clampStores } from '../../run/portability.ts';
import { dispatchTable, phaseTable, type WordTable } from './races.ts';
import { installSpeedups } from './speed.ts';
import { InterpreterUnsupported } from './unsupported.ts';

export { InterpreterUnsupported };
export type { Barrier, Space, InnerIndex };

export interface Access {
  /** The WGSL variable's name (a binding or a var<workgroup>). */
  variable: string;
  /** The case's buffer index for a binding; undefined for workgroup memory. */
  buffer?: number;
  offset: number;
  size: number;
  /** The bytes the WGSL names, where fewer than offset/size: a component of a vector (`px[i].x`, `px[i][k]`). WGSL
   *  lets a write of a component access the whole vector, so races are judged on offset/size; traces show the part. */
  part?: { offset: number; size: number };
  /** A write of a part of a vector: the race text says why two such writes of different components race. */
  component?: boolean;
  /** The element stride of the array the variable is, where it is one: an out-of-bounds access's element is
   *  offset / stride (an array<vec3<f32>>'s 12-byte read at byte 48 is element 3, not 4; a member's, its element's). */
  stride?: number;
  /** Out of bounds by an index outside the fixed-size array, vector or matrix it indexes, wherever offset falls (the
   *  flattened offset of `px[0][4]` is px[1][0]'s, inside the variable): the access, the index, that level's length. */
  inner?: InnerIndex;
  kind: 'read' | 'write';
  /** Taking the address of an element out of bounds (`put(&part[64], v)`): neither a read nor a write yet, but what a
   *  pointer to nothing the kernel owns then reads or writes (trial 90 B2 was told "reads part[64]"). */
  address?: boolean;
  atomic: boolean;
  workgroup: [number, number, number];
  /** local_invocation_index within the workgroup. */
  invocation: number;
  /** Not memory of a binding or a var<workgroup> but the invocation's own: a `function variable`, `private variable`,
   *  `let` or `const` (PlainOutOfBounds), named so in a finding. */
  scope?: string;
  line: number;
  /** The barrier interval of the workgroup it happened in: 0 before the first barrier, one more after each (of any
   *  kind: a storageBarrier() ends a phase here though it does not order workgroup memory; see `Space`). */
  phase: number;
}

/** The scheduler's state of one invocation (wgsl_reflect's Invocation): 0 running, 1 parked at a barrier, 2 done. */
export interface InvocationState {
  index: number;
  state: number;
  barrierNode: { line: number } | null;
}

/** Watches one workgroup of a dispatch as it runs (the visualizer's lockstep view); only that workgroup runs. */
export interface DispatchObserver {
  workgroup: [number, number, number];
  /** Before it runs: its memory by WGSL name (live: a binding's bytes, each var<workgroup>'s own), its invocations,
   *  and the module's scope (the parent of every invocation's own scope). */
  start?(memory: Map<string, ArrayBuffer>, invocations: InvocationState[], module: unknown): void;
  /** Before each step of an invocation, with the line of the statement it runs. */
  step?(invocation: number, line: number): void;
  access?(a: Access): void;
  /** A barrier phase is over (every invocation parked or done), before any is released. */
  phaseEnd?(phase: number): void;
}

export interface Race {
  variable: string;
  buffer?: number;
  byte: number;
  a: Access;
  b: Access;
  /** The race in words, as the no-data-race failure says it (race-text.ts). */
  message: string;
  /** Not a data race but a lost update (lost-updates.ts): `a` a store (atomicStore, atomicExchange), `b` the
   *  read-modify-write builtin named here. */
  lostUpdate?: string;
  /** A lost update between workgroups: `a` stores after its own compare-exchange of the word failed at this line,
   *  and `b`'s change may land between the two (failed-exchanges.ts). */
  afterFailedExchange?: number;
  /** Within a workgroup: the barriers between `a` and `b`, none of which orders their memory (a workgroupBarrier()
   *  between two accesses of storage); empty when no barrier lies between them. Undefined between workgroups. */
  between?: Barrier[];
}

export interface DispatchRun {
  /** Every access in execution order; only when asked for (it can be large). */
  accesses?: Access[];
  outOfBounds: Access[];
  /** Within a workgroup (no barrier of their address space between), then between workgroups (storage memory,
   *  any order). */
  races: Race[];
  /** Barrier divergence and the like, as wgsl_reflect words them. */
  errors: string[];
  invocations: number;
  /** A call of sin, cos or tan past π, where WGSL bounds none of its error, or of pack2x16float past f16's range. */
  outOfDomain?: DomainCall;
  /** The batch's index of the shader dispatched (set by the case runner). */
  shader?: number;
}

export interface DispatchInput {
  code: string;
  entry: string;
  workgroups: [number, number, number];
  constants?: Record<string, number>;
  /** `${group}:${binding}` -> the case's buffer index and its bytes (an exact-size ArrayBuffer, written in place). */
  bindings: Map<string, { buffer: number; bytes: ArrayBuffer }>;
  trace?: boolean;
  /** Interpreter steps allowed per workgroup before the dispatch is declared runaway. */
  stepBudget?: number;
  /** cpuMs() past which no further workgroup is started: the case is over its time budget. */
  deadline?: number;
  observe?: DispatchObserver;
}

/**
 * Milliseconds of this process's CPU time where Node has it: a time budget in CPU time skips the same cases on a
 * loaded machine as on an idle one (wall time skipped most of a matmul's cases with seven runs sharing two cores).
 * Elsewhere (the visualizer's page), wall time.
 */
export function cpuMs(): number {
  const p = (globalThis as { process?: { cpuUsage?(): { user: number; system: number } } }).process;
  if (!p?.cpuUsage) return performance.now();
  const u = p.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The interpreter gave up on a dispatch (a runaway loop): never a pass. */
export class StepBudgetExceeded extends Error {
  override name = 'StepBudgetExceeded';
  /** The dispatch's findings up to where the budget ran out (set by dispatch()): an access out of bounds or a race
   *  already seen is one, however the case would have ended (trial 166 B2: a loop whose bound wrapped to 2^32 − 1 read
   *  past its array at once, and no-out-of-bounds said only "not judged"). */
  run?: DispatchRun;
}

/** The workgroup size of an entry point, with overrides resolved, before anything runs: for budgets. */
export function workgroupSizeOf(code: string, entry: string, constants?: Record<string, number>): [number, number, number] {
  return quietly(() => {
    const { fn, ctx } = prepare(new WgslDebug(code), code, entry, constants);
    return workgroupSize(fn.node, ctx);
  });
}

type Fn = { node: { attributes: { name: string; value: unknown }[] | null; args: { name: string; type: unknown; line?: number; attributes: { name: string; value: string }[] | null }[]; body: unknown[] } };

installFixes();
installSpeedups();
installEarlyLoads();
installPointerViews();
installPlainBounds();
installDomainChecks(() => running?.currentLine ?? 0);

function prepare(debug: WgslDebug, code: string, entry: string, constants?: Record<string, number>) {
  const exec = debug.exec;
  const ctx = exec.context;
  exec._execStatements(exec.ast, ctx);
  // Batches key an `@id(N)` override by "N", as WebGPU does; wgsl_reflect looks overrides up by name.
  if (constants) {
    const named = constantsByName(reflect(code), constants);
    debug.applyOverrides(named, ctx);
    // An override whose initializer reads another (`override SHIFT = WG / 16u;`) was evaluated above with the other's
    // default; WGSL evaluates it with the pipeline's constants (§"Override Declarations"). Again, in order, with them.
    for (const n of exec.ast as unknown as { name?: string; value?: unknown }[]) {
      if (n instanceof Override && n.value && !(n.name in named)) ctx.setVariable(n.name, exec.evalExpression(n.value as never, ctx as never) as never);
    }
  }
  const fn = ctx.getFunction(entry) as unknown as Fn | null;
  if (!fn) throw new Error(`entry point '${entry}' not found`);
  return { exec, ctx, fn };
}

function workgroupSize(node: Fn['node'], ctx: { getVariableValue(n: string): unknown }): [number, number, number] {
  const size: [number, number, number] = [1, 1, 1];
  for (const a of node.attributes ?? []) {
    if (a.name !== 'workgroup_size') continue;
    const values = Array.isArray(a.value) ? a.value : [a.value];
    for (let i = 0; i < 3 && i < values.length; i++) {
      const n = parseInt(String(values[i]));
      if (!Number.isNaN(n)) size[i] = n;
      else {
        const v = ctx.getVariableValue(String(values[i]));
        if (v instanceof ScalarData) size[i] = Number(v.value);
      }
    }
  }
  return size;
}

export function runDispatch(input: DispatchInput): DispatchRun {
  return quietly((onTracker) => dispatch(input, onTracker));
}

/**
 * wgsl_reflect reports what it cannot do on the console and goes on with a wrong value: its messages are caught, and
 * one makes the run InterpreterUnsupported (with how many there were), so nothing floods the terminal.
 */
function quietly<T>(run: (onTracker: (t: TracingTracker) => void) => T): T {
  const said: string[] = [];
  const saved = { error: console.error, warn: console.warn, log: console.log };
  let tracker: TracingTracker | undefined;
  // The line being run when the first message came: at the end of the run it is the last line run (a trial's vec4
  // [4] on line 29 was said to be on line 44).
  let line: number | undefined;
  const capture = (...args: unknown[]) => {
    if (!said.length) line = tracker?.currentLine;
    said.push(args.map((a) => (typeof a === 'string' ? a : (a as { constructor?: { name?: string } })?.constructor?.name ?? String(a))).join(' '));
  };
  console.error = console.warn = console.log = capture;
  try {
    const result = run((t) => (tracker = t));
    if (said.length) throw unsupportedFrom(said, line);
    return result;
  } catch (e) {
    if (e instanceof StepBudgetExceeded || e instanceof InterpreterUnsupported) throw e;
    if (said.length) throw unsupportedFrom(said, line);
    // wgsl_reflect threw on a construct it does not handle (a TypeError deep inside): not a verdict on the kernel.
    throw new InterpreterUnsupported(`wgsl_reflect failed (${(e as Error).name}: ${(e as Error).message?.split('\n')[0]})`, tracker?.currentLine ?? 0);
  } finally {
    Object.assign(console, saved);
  }
}

function unsupportedFrom(said: string[], running: number | undefined): InterpreterUnsupported {
  const first = said[0]!;
  const line = Number(/line (\d+)/i.exec(first)?.[1] ?? running ?? 0);
  const more = said.length > 1 ? `; ${said.length - 1} more message${said.length === 2 ? '' : 's'} from wgsl_reflect` : '';
  return new InterpreterUnsupported(`wgsl_reflect says "${first.replace(/\.? ?Line \d+\.?$/i, '')}"${more}`, line);
}

function dispatch(input: DispatchInput, onTracker: (t: TracingTracker) => void): DispatchRun {
  const debug = new WgslDebug(input.code);
  const { exec, ctx, fn } = prepare(debug, input.code, input.entry, input.constants);
  const info = exec.reflection.getFunctionInfo(input.entry);
  const vec3u = exec.getTypeInfo('vec3u')!;
  const u32 = exec.getTypeInfo('u32')!;
  const wgSize = workgroupSize(fn.node, ctx);
  const [nx, ny, nz] = input.workgroups;
  ctx.setVariable('@num_workgroups', new VectorData([nx, ny, nz], vec3u));
  const wgId = new VectorData([0, 0, 0], vec3u);
  ctx.setVariable('@workgroup_id', wgId);
  ctx.setVariable('@workgroup_size', new VectorData([...wgSize], vec3u));

  // The ExecStack class is not exported; a started debugger holds one.
  debug.startDebug();
  const ExecStack = (debug as unknown as { _execStack: { constructor: new () => { states: unknown[] } } })._execStack.constructor;

  // The resources the harness binds for the entry (reflect.ts, with WGSL's scopes), as group:binding.
  const mod = reflect(input.code);
  const usedNames = mod.entries.get(input.entry)?.resources;
  const used = usedNames
    ? new Set([...mod.bindings.values()].filter((b) => usedNames.has(b.name)).map((b) => `${b.group}:${b.binding}`))
    : new Set((info?.resources ?? []).map((r) => `${r.group}:${r.binding}`));
  const bound: { ref: { value: unknown; name: string }; key: string; bytes: ArrayBuffer; buffer: number; typeInfo: unknown; writable: boolean }[] = [];
  const workgroupVars: { ref: { value: unknown; name: string }; bytes: number; typeInfo: unknown }[] = [];
  const privateVars: { name: string; value: { clone(): unknown }; node: unknown }[] = [];
  ctx.variables.forEach((ref) => {
    const node = ref.node;
    if (!(node instanceof Var)) return;
    if (node.storage === 'workgroup') {
      // Scalars too (a `var<workgroup> leader: u32` is a ScalarData upstream, which no tracker sees).
      const v = ref.value as { typeInfo: { size: number } } | null;
      const typeInfo = v instanceof TypedData ? v.typeInfo : exec.getTypeInfo(node.type!);
      if (typeInfo) workgroupVars.push({ ref, bytes: Math.max(4, typeInfo.size), typeInfo });
      return;
    }
    if (node.storage === 'private') {
      privateVars.push({ name: ref.name, value: ref.value as never, node });
      return;
    }
    let group: string | undefined;
    let binding: string | undefined;
    for (const a of node.attributes ?? []) {
      if (a.name === 'group') group = String(a.value);
      if (a.name === 'binding') binding = String(a.value);
    }
    const key = `${group}:${binding}`;
    const b = input.bindings.get(key);
    if (group === undefined || !used.has(key)) return;
    if (!b) throw new Error(`binding @group(${group}) @binding(${binding}) ('${ref.name}') has no buffer`);
    bound.push({ ref, key, bytes: b.bytes, buffer: b.buffer, typeInfo: exec.getTypeInfo(node.type!), writable: node.storage === 'storage' && node.access === 'read_write' });
  });
  const sizes = new Map<string, Where>();
  // A writable binding's bytes as the dispatch found them: what an early atomicLoad reads (early-loads.ts).
  const strideOf = (t: unknown) => ((t as { isArray?: boolean; stride?: number }).isArray ? { stride: (t as { stride: number }).stride } : {});
  for (const b of bound) sizes.set(b.ref.name, { bytes: b.bytes.byteLength, buffer: b.buffer, live: b.bytes, ...strideOf(b.typeInfo), ...(b.writable ? { start: new DataView(b.bytes.slice(0)) } : {}) });
  for (const w of workgroupVars) sizes.set(w.ref.name, { bytes: w.bytes, ...strideOf(w.typeInfo) });

  const atomicVars = workgroupVars.filter((w) => {
    try {
      return holdsAtomic(typeOf(w.typeInfo as TypeInfoLike));
    } catch {
      return false; // a type no host-shareable buffer has (e.g. a pointer) holds no atomic either
    }
  });
  const run: DispatchRun = { outOfBounds: [], races: [], errors: [], invocations: nx * ny * nz * wgSize[0] * wgSize[1] * wgSize[2] };
  if (input.trace) run.accesses = [];
  watchDomains();
  resetCasRetries();
  const perWg = wgSize[0] * wgSize[1] * wgSize[2];
  const dispatchWords = dispatchTable();
  const failedExchanges = new FailedExchanges();

  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    if (input.deadline !== undefined && cpuMs() > input.deadline) {
      throw Object.assign(new StepBudgetExceeded(`the case ran past the interpreter's time budget at workgroup (${x}, ${y}, ${z}) (--interpreter-budget seconds=N)`), { run });
    }
    wgId.data[0] = x;
    wgId.data[1] = y;
    wgId.data[2] = z;
    const workgroup: [number, number, number] = [x, y, z];
    casWorkgroup.current = workgroup;
    const observer = input.observe;
    if (observer && observer.workgroup.some((w, i) => w !== workgroup[i])) continue;
    const tracker = new TracingTracker(workgroup, sizes, run, dispatchWords, observer);
    tracker.deadline = input.deadline;
    tracker.keptExchanges = keptExchangeLines(input.code);
    tracker.fallbackStores = fallbackStoreLines(input.code);
    tracker.clampStores = clampStores(input.code);
    tracker.clampsAtOrPast = clampsAtOrPast(input.code);
    tracker.clampsAfterOwnMax = clampsAfterOwnMax(input.code);
    tracker.atomicTypes = atomicTypes(input.code);
    tracker.failedExchanges = failedExchanges;
    onTracker(tracker);
    running = tracker;
    lanes.returns = [];
    for (const b of bound) b.ref.value = new RobustTrackedData(b.bytes, b.typeInfo as never, tracker, b.ref.name);
    for (const w of workgroupVars) w.ref.value = new RobustTrackedData(new ArrayBuffer(w.bytes), w.typeInfo as never, tracker, w.ref.name);
    tracker.watchAtomics(atomicVars.map((w) => [w.ref.name, (w.ref.value as { buffer: ArrayBuffer }).buffer]));

    const invocations = [];
    for (let k = 0, i = 0; k < wgSize[2]; k++) for (let j = 0; j < wgSize[1]; j++) for (let l = 0; l < wgSize[0]; l++, i++) {
      const c = ctx.clone();
      // Each invocation has its own private memory, initialised as the module says.
      for (const p of privateVars) c.createVariable(p.name, p.value.clone() as never, p.node as never);
      c.createVariable('@local_invocation_id', new VectorData([l, j, k], vec3u));
      c.createVariable('@global_invocation_id', new VectorData([l + x * wgSize[0], j + y * wgSize[1], k + z * wgSize[2]], vec3u));
      c.createVariable('@local_invocation_index', new ScalarData(i, u32));
      for (const arg of fn.node.args ?? []) {
        const a = arg.attributes?.find((t) => t.name === 'builtin');
        const v = a ? c.getVariable(`@${a.value}`) : undefined;
        if (v) c.variables.set(arg.name, v);
        else if (!a) c.createVariable(arg.name, builtinStruct(exec, arg, c) as never);
      }
      const stack = new ExecStack();
      stack.states.push(debug.createStackFrame(fn.node.body as never, c));
      invocations.push({ index: i, stack, state: 0, barrierNode: null });
    }
    if (invocations.length !== perWg) throw new Error('internal: invocation count');
    if (observer) {
      const memory = new Map<string, ArrayBuffer>();
      for (const v of [...bound, ...workgroupVars]) memory.set(v.ref.name, (v.ref.value as { buffer: ArrayBuffer }).buffer);
      observer.start?.(memory, invocations, ctx);
      const stepStack = debug.stepStack;
      debug.stepStack = (stack, x) => {
        observer.step?.(tracker.currentInvocation, tracker.currentLine);
        return stepStack.call(debug, stack, x);
      };
    }
    // Stepped in the order 0, then from the last invocation down to 1: WGSL leaves open which invocation an atomic
    // serves first, and SwiftShader serves a workgroup's in index order, so a kernel that needs that order (an atomicAdd's
    // rank kept as a stable position) passes on Dawn and fails here. Invocation 0 still steps first and the last
    // second, so a leader at either end that reads a workgroup atomic with no barrier before it reads it before the
    // others have added to it (early-loads.ts). Workgroups still run in index order: one that spins on an earlier
    // one's flag (spin-on-flag.wgsl) finishes only when that one ran first.
    const order = [invocations[0]!, ...invocations.slice(1).reverse()];
    const scheduler = schedulerBarriers(new WorkgroupScheduler(debug, tracker, order as never), tracker, debug, ctx);
    if (input.stepBudget) scheduler.stepBudget = input.stepBudget;
    try {
      scheduler.run();
    } catch (e) {
      if (e instanceof PlainOutOfBounds) {
        run.outOfBounds.push(e.access);
        e.run = run;
      }
      if (e instanceof StepBudgetExceeded) e.run = run;
      throw e;
    } finally {
      delete (debug as { stepStack?: unknown }).stepStack;
    }
    for (const e of scheduler.errors) {
      if (/step budget exceeded/.test(e)) throw Object.assign(new StepBudgetExceeded(`workgroup (${workgroup.join(', ')}) ran past ${scheduler.stepBudget} interpreter steps (--interpreter-budget steps=N)`), { run });
      run.errors.push(`workgroup (${workgroup.join(', ')}): ${e}`);
    }
  }
  for (const { fallback, erased } of failedExchanges.lost()) {
    if (run.races.length >= MAX_RACES) break;
    const a = fallback.store;
    const r = { variable: a.variable, byte: a.offset, a, b: erased.access, lostUpdate: erased.op, afterFailedExchange: fallback.exchangeLine, ...(a.buffer !== undefined ? { buffer: a.buffer } : {}) };
    run.races.push({ ...r, message: raceText(r) });
  }
  const outside = takeDomainCall();
  if (outside) run.outOfDomain = outside;
  return run;
}

/**
 * An entry point's parameter of struct type whose members carry the builtins (WGSL §12.3.1.1 "Built-in Inputs and
 * Outputs": `fn main(in: Ids)` with `struct Ids { @builtin(global_invocation_id) gid: vec3u, ... }`): wgsl_reflect
 * binds only a parameter that is a builtin itself, so the struct is built here, each member's builtin written at its
 * offset. A member that is no builtin the interpreter knows is refused, never read as 0.
 */
function builtinStruct(exec: WgslExec, arg: { name: string; type: unknown; line?: number }, c: { getVariable(name: string): { value: unknown } | null }): TypedData {
  const info = exec.getTypeInfo(arg.type as never) as unknown as { isStruct: boolean; size: number; members?: { name: string; offset: number; attributes?: { name: string; value: unknown }[] | null }[] } | null;
  if (!info?.isStruct) throw new InterpreterUnsupported(`the entry point's parameter '${arg.name}', which is neither a builtin nor a struct of builtins`, arg.line ?? 0);
  const bytes = new ArrayBuffer(info.size);
  for (const m of info.members ?? []) {
    const b = m.attributes?.find((t) => t.name === 'builtin')?.value;
    const v = b === undefined ? undefined : (c.getVariable(`@${String(b)}`)?.value as { data?: ArrayLike<number>; value?: number } | undefined);
    if (!v) throw new InterpreterUnsupported(`member '${m.name}' of the entry point's parameter '${arg.name}' (${b === undefined ? 'not a builtin' : `@builtin(${String(b)})`})`, arg.line ?? 0);
    new Uint32Array(bytes, m.offset).set(v.data ? Array.from(v.data) : [v.value!]);
  }
  return new TypedData(bytes, info as never);
}

/**
 * The scheduler's barriers, as WGSL has them:
 * - workgroupUniformLoad(p) is a barrier, the load, and a barrier (as Tint lowers it): the invocations are held at the
 *   call as at workgroupBarrier, and the accesses of the release (the load) end a phase of their own.
 * - A barrier that is the first statement of a block (a loop body, an if's branch) is a barrier too. wgsl_reflect's
 *   stepStack enters a block and runs its first statement in one step (src/wgsl_debug.ts, BlockCommand: "step into
 *   the first statement of the block"), so its scheduler, which parks an invocation only when the next command is a
 *   barrier, never saw it: no phase ended there, and a correct tree sum with the barrier at the top of its loop was
 *   reported racing (test/interpreter-cases/barrier-first-in-block.wgsl). An invocation is parked at such a block
 *   instead; its release step then enters the block and passes the barrier, as for a plain barrier.
 * - A barrier right after a switch or a loop (or the end of a block that holds one) is a barrier too. stepStack runs
 *   on past a break or continue target, and past the end of a block, within one step, so the barrier after them ran
 *   unparked: `switch (...) { default: { atomicAdd(&hits[3], 1u); } } workgroupBarrier(); atomicLoad(&hits[3])` had
 *   invocation 0 load 1 where every GPU loads 8 (found by a random differential run against Dawn;
 *   test/interpreter-cases/barrier-after-switch.wgsl). An invocation is parked at the target instead.
 */
function schedulerBarriers(scheduler: WorkgroupScheduler, tracker: TracingTracker, debug: WgslDebug, ctx: unknown): WorkgroupScheduler {
  const base = WorkgroupScheduler.prototype as unknown as { _asBarrier(c: unknown): unknown; _syncBarrier(p: unknown): void };
  const asBarrier = (cmd: { node?: unknown; statements?: unknown[] }): unknown => {
    if (cmd.node instanceof CallExpr && cmd.node.name === 'workgroupUniformLoad') return cmd.node;
    if (Array.isArray(cmd.statements)) {
      // A BlockCommand (not exported by wgsl_reflect): its first command, from the block lowered once.
      if (!firstOfBlock.has(cmd)) firstOfBlock.set(cmd, (debug.createStackFrame(cmd.statements as never, ctx as never) as unknown as { getCurrentCommand(): unknown }).getCurrentCommand());
      const first = firstOfBlock.get(cmd) as typeof cmd | null;
      return first ? asBarrier(first) : null;
    }
    return base._asBarrier.call(scheduler, cmd);
  };
  // A break or continue target (`{ id }` alone): stepStack goes on past it in the same step.
  const isTarget = (c: unknown) => c !== null && typeof c === 'object' && Object.keys(c).length === 1 && 'id' in c;
  type Frame = { commands: unknown[]; current: number };
  const basePeek = (WorkgroupScheduler.prototype as unknown as { _peek(inv: unknown): unknown })._peek;
  Object.assign(scheduler, {
    _asBarrier: asBarrier,
    // The barrier a step from a target would run: the first command past the targets, out through the ends of frames;
    // else the target, with that command's line.
    _peek(inv: { stack: { states: Frame[] } }) {
      const cmd = basePeek.call(scheduler, inv);
      if (!isTarget(cmd)) return cmd;
      const states = inv.stack.states;
      for (let f = states.length - 1, k = states[f]!.current + 1; f >= 0; f--, k = f >= 0 ? states[f]!.current : 0) {
        for (; k < states[f]!.commands.length; k++) {
          const next = states[f]!.commands[k];
          if (isTarget(next)) continue;
          if (asBarrier(next as never) !== null) return next;
          // The step runs `next` too: its line is the step's (trial 113 B1: a write in a for loop's increment, which
          // follows the loop's continue target, was said to be "at line -1").
          const line = (next as { line?: number }).line;
          return typeof line === 'number' && line >= 0 ? Object.create(cmd as object, { line: { value: line } }) : cmd;
        }
      }
      return cmd;
    },
    _syncBarrier(parked: { barrierNode: { name?: string; line: number } | null }[]) {
      const node = parked[0]?.barrierNode;
      const load = node instanceof CallExpr;
      // What the phase's end orders: what every parked invocation's barrier orders (invocations parked at different
      // barriers are a divergence, reported as an error; the memory all of them order is the most that is ordered).
      const barrier = { builtin: node?.name ?? 'workgroupBarrier', line: node?.line ?? 0 };
      const spaces = new Set(ORDERS[barrier.builtin] ?? []);
      for (const p of parked) for (const s of [...spaces]) if (!(ORDERS[p.barrierNode?.name ?? ''] ?? []).includes(s)) spaces.delete(s);
      tracker.barrier = { ...barrier, spaces };
      base._syncBarrier.call(scheduler, parked);
      if (load) {
        tracker.barrier = { ...barrier, spaces };
        tracker.endPhase();
      }
    },
  });
  return scheduler;
}

/** The first command of each block the scheduler met: lowering depends on the statements only. */
const firstOfBlock = new WeakMap<object, unknown>();

/** A zero of the type an out-of-bounds load reads: robust buffer access may return zero (WebGPU §"Robust Buffer Access"). */
function zeroOf(data: TypedData, exec: never, postfix: unknown, context: never): unknown {
  let typeInfo = data.typeInfo as unknown as { isArray?: boolean; isStruct?: boolean; format?: unknown; members?: { name: string; type: unknown }[]; size: number };
  let p = postfix as { postfix?: unknown; value?: string } | null;
  while (p) {
    if (p instanceof ArrayIndex && typeInfo.isArray) typeInfo = typeInfo.format as typeof typeInfo;
    else if (p instanceof StringExpr && typeInfo.isStruct) typeInfo = (typeInfo.members ?? []).find((m) => m.name === p!.value)!.type as typeof typeInfo;
    else break;
    p = (p.postfix ?? null) as typeof p;
  }
  const zero = new RobustTrackedData(new ArrayBuffer(Math.max(4, Math.ceil(typeInfo.size / 4) * 4)), typeInfo as never, new MemoryTracker(), '');
  return zero.getSubData(exec, p as never, context);
}

/**
 * wgsl_reflect throws a RangeError on an out-of-bounds access. WGSL instead lets an out-of-bounds load return zero and
 * an out-of-bounds store do nothing (robust buffer access); do that, after the tracker has recorded the access. A
 * variable with no access path (a scalar `var<workgroup>`, an `atomic<u32>` binding) reads as its value, not as a
 * view of its bytes.
 */
class RobustTrackedData extends TrackedTypedData {
  override setDataValue(exec: never, value: never, chain: never, context: never): void {
    const evaluated = evaluatedOnce(chain, exec, context);
    const outside = this.innerOutside(evaluated);
    if (outside) return this.recordInner(outside, 'write');
    const postfix = componentsByName(evaluated, this.typeInfo) as never;
    const r = this.range(postfix, exec, context);
    this.notePart(postfix, r);
    if (r.offset >= 0 && r.offset + r.size <= this.buffer.byteLength) return super.setDataValue(exec, value, postfix, context);
    this.tracker.record(this.bufferId, r.offset, r.size, 'write', r.atomic);
  }

  override getSubData(exec: never, chain: never, context: never) {
    const postfix = evaluatedOnce(chain, exec, context) as never;
    if (postfix === null) {
      const whole = scalarView(this);
      if (whole) {
        this.tracker.record(this.bufferId, this.offset, this.typeInfo.size, 'read', /^atomic/.test(this.typeInfo.getTypeName()));
        // `*p` of a pointer to a scalar is a load too: its value then, not the live bytes.
        return this.prefix !== undefined ? whole.clone() : whole;
      }
      // `*p` of a pointer view is a load: its value then, not the live bytes (`let a = *row;` was an alias of y[0],
      // which later writes changed and whose later reads the tracker would place at their own lines).
      if (this.prefix !== undefined) {
        this.tracker.record(this.bufferId, this.offset, this.typeInfo.size, 'read', false);
        return this.clone() as never;
      }
    }
    const outside = this.innerOutside(postfix);
    if (outside) {
      this.recordInner(outside, 'read');
      return zeroOf(this, exec, outside.atZero, context) as never;
    }
    const r = this.range(postfix, exec, context);
    this.notePart(postfix, r);
    if (r.offset >= 0 && r.offset + r.size <= this.buffer.byteLength) return super.getSubData(exec, postfix, context);
    this.tracker.record(this.bufferId, r.offset, r.size, 'read', r.atomic);
    return zeroOf(this, exec, postfix, context) as never;
  }

  /** Whether an evaluated chain names memory outside the variable (an index out of bounds at any level). */
  outside(exec: never, chain: unknown, context: never): boolean {
    if (this.innerOutside(chain)) return true;
    const r = this.range(chain, exec, context);
    return r.offset < 0 || r.offset + r.size > this.buffer.byteLength;
  }

  trackerOf(): MemoryTracker {
    return this.tracker;
  }

  private innerOutside(chain: unknown) {
    return innerIndexOutside(this.prefix ?? this.bufferId, this.typeInfo, this.offset, this.buffer.byteLength, chain);
  }

  /** For a view (`viewOf`): the access it stands for (`y[3]`), which its own accesses continue. */
  prefix?: string;

  /** The array, struct, vector or matrix an evaluated chain names, inside the variable, as a tracked view of the same
   *  bytes (a pointer `&y[i]`); undefined for anything else (a scalar, an out-of-bounds element: upstream's path). */
  viewOf(exec: never, chain: unknown, context: never): RobustTrackedData | undefined {
    if (this.innerOutside(chain)) return undefined;
    const r = this.range(chain, exec, context);
    if (r.offset < 0 || r.offset + r.size > this.buffer.byteLength) return undefined;
    let t = this.typeInfo as unknown as { isArray?: boolean; isStruct?: boolean; format?: unknown; members?: { name: string; type: unknown }[] } | undefined;
    let path = this.prefix ?? this.bufferId;
    for (let p = chain as { postfix?: unknown; index?: { value?: { value?: unknown } }; value?: unknown } | null; p && t; p = p.postfix as typeof p) {
      if (p instanceof ArrayIndex && t.isArray) (t = t.format as typeof t), (path += `[${p.index?.value?.value}]`);
      else if (p instanceof StringExpr && t.isStruct) (t = t.members?.find((m) => m.name === p!.value)?.type as typeof t), (path += `.${p.value}`);
      else return undefined;
    }
    // A scalar element too (`put(&part[lid], v)`, trial 90 A1: a store through it went unrecorded, and a race on it
    // passed), but not an atomic, whose builtins take upstream's pointer.
    const scalar = ['f32', 'i32', 'u32', 'bool'].includes((t as { name?: string } | undefined)?.name ?? '');
    if (!t || !(t.isStruct || indexable(t) || scalar)) return undefined;
    const view = new RobustTrackedData(this.buffer, t as never, this.tracker, this.bufferId);
    view.offset = r.offset;
    view.prefix = path;
    return view;
  }

  /** An access out of bounds by an inner index: recorded as that (never a race: its bytes are not the ones it names),
   *  a store dropped, a load given zero (WGSL lets it return any value of the variable, or zero). */
  private recordInner(o: NonNullable<ReturnType<typeof innerIndexOutside>>, kind: 'read' | 'write'): void {
    const t = this.tracker;
    if (t instanceof TracingTracker) t.inner = o.inner;
    t.record(this.bufferId, o.offset, o.size, kind, false);
  }

  /** Hands the tracker the component an access names, when it names less than upstream's range (which stops at a
   *  vector), for the access it records next. */
  private notePart(postfix: unknown, r: { offset: number; size: number }): void {
    const part = componentOf(postfix, this.typeInfo, this.offset);
    if (part && part.size < r.size) (this.tracker as TracingTracker).part = part;
  }

  private get tracker(): MemoryTracker {
    return (this as unknown as { _tracker: MemoryTracker })._tracker;
  }

  private get bufferId(): string {
    return (this as unknown as { _bufferId: string })._bufferId;
  }

  private range(postfix: unknown, exec: unknown, context: unknown): { offset: number; size: number; atomic: boolean } {
    return (this as unknown as { _range(p: unknown, e: unknown, c: unknown): { offset: number; size: number; atomic: boolean } })._range(postfix, exec, context);
  }
}

/**
 * A pointer to an element of a binding or var<workgroup> that is an array or a struct (`let row = &y[i]`, `put(&y[i],
 * c)`) is a tracked view of its bytes (RobustTrackedData.viewOf). Upstream's pointer held an untracked TypedData: an
 * access through it was neither recorded (no race seen) nor bounds-checked (`(*row)[2]` of an array<u32, 2> wrote the
 * next row, or threw a RangeError past the buffer), and taking the address recorded a read of the whole element. A
 * store through it (`(*row)[c] = v`, `*row = v`) is a write of what it names (upstream wrote into the value it had
 * read: recorded as a read). A pointer to a scalar element (`put(&part[lid], v)`) is a view too; to an atomic
 * (`&bins[k]`) as before, for its builtins; one to a vector or a matrix had been too, so `v[4]` of `let v = &x[0]` was
 * neither recorded nor bounds-checked.
 */
function installPointerViews(): void {
  const proto = WgslExec.prototype as unknown as Record<string, (this: WgslExec, node: never, context: never) => unknown> & { getVariableName(n: unknown, c: unknown): string };
  const viewOf = (exec: WgslExec, right: unknown, context: never): { view?: RobustTrackedData; chain: unknown; data?: RobustTrackedData } | undefined => {
    if (!(right instanceof VariableExpr)) return undefined;
    const value = (context as { getVariable(n: string | null): { value: unknown } | null }).getVariable(exec.getVariableName(right, context))?.value;
    if (!(value instanceof RobustTrackedData)) return undefined;
    // `&part` of a whole variable is the variable itself: upstream read all of it to take its address, and a read at
    // the call `tree(&part, li)` raced with the callee's writes after the barrier before it (trial 50's tree sum).
    // An atomic's (`&count`) keeps upstream's path, which its builtins read. A plain scalar's (`acc(&total, v)` with
    // `*p = *p + v`) is a view of it, as an element's is (trial 163 A2: its race through the pointer went unrecorded).
    if (!right.postfix) {
      const t = value.typeInfo as { isStruct?: boolean };
      if (t.isStruct || indexable(t as never)) return { view: value, chain: null };
      return { view: value.viewOf(exec as never, null, context), chain: null, data: value };
    }
    const chain = evaluatedOnce(right.postfix, exec, context);
    return { view: value.viewOf(exec as never, chain, context), chain, data: value };
  };
  // `&e`: a view where there is one; otherwise upstream's, with the indices already evaluated (once).
  const addressOf = (original: (this: WgslExec, node: never, context: never) => unknown) => function (this: WgslExec, node: never, context: never): unknown {
    const n = node as { operator?: string; right?: unknown };
    if (!((node as unknown) instanceof UnaryOperator) || n.operator !== '&') return original.call(this, node, context);
    const v = viewOf(this, n.right, context);
    if (v?.view) return new PointerData(v.view);
    if (!v) {
      // An element of what a pointer to an array or struct holds (`let p = &(*a)[i]`, `f(&(*a)[i])`, trial 135 B3): the
      // pointer the atomics then take finds that element, and taking the address reads nothing.
      const via = pointeeOf(node, this, context);
      const tracker = via && (via.data as RobustTrackedData).trackerOf?.();
      if (tracker instanceof TracingTracker) tracker.silent = true;
      try {
        const pointer = original.call(this, node, context);
        if (via && pointer instanceof PointerData) pointees.set(pointer, via);
        return pointer;
      } finally {
        if (tracker instanceof TracingTracker) tracker.silent = false;
      }
    }
    const right = Object.assign(Object.create(Object.getPrototypeOf(n.right)), n.right, { postfix: v.chain });
    // No view: an element out of bounds (or an atomic's, upstream's path). The access upstream records in taking it is
    // said as what it is.
    const tracker = v.data?.trackerOf();
    const outside = tracker instanceof TracingTracker && v.data!.outside(this as never, v.chain, context);
    if (outside) tracker.address = true;
    // Taking an atomic's address reads nothing: upstream's read of the element made the interpreter's early schedule
    // take a load through the pointer for the word's second access (trial 131 A3: a load and a store through a
    // helper's pointer, across workgroups, passed where the same written inline failed).
    const silent = tracker instanceof TracingTracker && !outside && (v.data as unknown as { range(p: unknown, e: unknown, c: unknown): { atomic: boolean } }).range(v.chain, this, context).atomic;
    if (silent) tracker.silent = true;
    try {
      const pointer = original.call(this, Object.assign(Object.create(Object.getPrototypeOf(node)), node, { right }) as never, context);
      // An atomic's pointer holds a copy of its value: its builtins find the element through what it was taken of,
      // out of bounds too, where the access is recorded as one (trial 131 B1: upstream threw on the copy).
      if (pointer instanceof PointerData && v.data) pointees.set(pointer, { data: v.data, chain: v.chain });
      return pointer;
    } finally {
      if (outside) tracker.address = false;
      if (silent) tracker.silent = false;
    }
  };
  proto._evalUnaryOpValue = addressOf(proto._evalUnaryOpValue!);
  proto._getVariableData = addressOf(proto._getVariableData!);
  const assign = proto._assign!;
  proto._assign = function (this: WgslExec, node: never, context: never): unknown {
    const n = node as { variable?: { operator?: string; right?: unknown; postfix?: unknown }; operator: string; value: unknown; line: number };
    const target = n.variable;
    if (!(target instanceof UnaryOperator) || target.operator !== '*') return assign.call(this, node, context);
    const pointer = (this as unknown as { _getVariableData(r: unknown, c: unknown): unknown })._getVariableData(target.right, context);
    if (!(pointer instanceof PointerData) || !(pointer.reference instanceof RobustTrackedData)) return assign.call(this, node, context);
    const ref = pointer.reference as RobustTrackedData;
    const chain = evaluatedOnce(target.postfix ?? null, this, context);
    let value = this.evalExpression(n.value as never, context);
    if (n.operator !== '=') {
      // a op= b is a = a op b, the reference (its indices held) read once and written once.
      const current = ref.getSubData(this as never, chain as never, context);
      const op = new BinaryOperator(n.operator.slice(0, -1), held(current), held(value));
      op.line = n.line;
      value = this.evalExpression(op, context);
    }
    ref.setDataValue(this as never, value as never, chain as never, context);
    return undefined;
  };
}

/** The workgroup's tracker, for the line of a refusal made where no tracker is at hand (installPlainBounds). */
let running: TracingTracker | undefined;

/**
 * An index out of range of a function or private variable (or a let, a const, a parameter): the values are refused,
 * since WGSL lets such a store write any location of the variable (and such a load read any), which no single run
 * can stand for; but the access itself is the finding no-out-of-bounds is after (a trial's `w[64]` of an
 * array<u32, 64> cleared past its end was skipped on every property and the run passed). The dispatch's run so far,
 * with the access, goes with the refusal (interpreter.ts keeps it in CaseTrace.dispatches; traceDraw judges it).
 */
export class PlainOutOfBounds extends InterpreterUnsupported {
  /** The dispatch's findings up to this access, the access included (set by dispatch()). */
  run?: DispatchRun;
  constructor(construct: string, line: number, readonly access: Access) {
    super(construct, line);
  }
}

/** How the variable a plain (untracked) value belongs to is declared: its name and what it is, from the scopes the
 *  access runs in; undefined for a value no variable holds (`f()[i]`, an array constructor's). */
function plainVariableOf(data: unknown, context: unknown): { name: string; scope: string } | undefined {
  type Ctx = { variables?: Map<string, { value: unknown; node?: { astNodeType?: string; storage?: string } | null }>; parent?: Ctx | null };
  for (let c = context as Ctx | null | undefined; c; c = c.parent) {
    for (const [name, v] of c.variables ?? []) {
      if (v.value !== data) continue;
      const n = v.node;
      const scope = n?.astNodeType === 'var' ? (n.storage === 'private' ? 'private variable' : 'function variable')
        : n?.astNodeType === 'let' ? 'let' : n?.astNodeType === 'const' ? 'const' : 'variable';
      return { name, scope };
    }
  }
  return undefined;
}

/**
 * An index out of range of a function or private variable (wgsl_reflect's own TypedData: neither a binding nor a
 * var<workgroup>) is refused: upstream read a[0][2] of an array<array<u32, 2>, 2> as a[1][0], a value WGSL does not
 * allow (any value of the variable, but from an index it chose), or threw a RangeError. The refusal carries the
 * access (PlainOutOfBounds) when the variable is found, for no-out-of-bounds to fail on.
 */
function installPlainBounds(): void {
  // A module const is read from a clone of its value (wgsl_reflect's _evalConst), which no scope holds: named here.
  const exec = WgslExec.prototype as unknown as Record<'_evalConst', (this: WgslExec, node: { name: string }, context: unknown) => unknown>;
  const evalConst = exec._evalConst;
  let constNow: string | undefined;
  exec._evalConst = function (node, context) {
    const was = constNow;
    constNow = node.name;
    try {
      return evalConst.call(this, node, context);
    } finally {
      constNow = was;
    }
  };
  const check = (data: TypedData | VectorData | MatrixData, exec: unknown, chain: unknown, context: unknown, kind: 'read' | 'write'): unknown => {
    if (!chain || data instanceof TrackedTypedData) return chain;
    const evaluated = evaluatedOnce(chain, exec, context);
    const v = plainVariableOf(data, context) ?? (constNow ? { name: constNow, scope: 'const' } : undefined);
    // A vector or matrix (VectorData, MatrixData) has no bytes of its own: its components from 0.
    const bytes = data instanceof TypedData ? data.buffer.byteLength : ((data.typeInfo as { size?: number }).size ?? 64);
    const o = innerIndexOutside(v?.name ?? '', data.typeInfo, data instanceof TypedData ? data.offset : 0, bytes, evaluated);
    if (o) {
      const side = o.inner.index < 0 ? 'before the start' : 'past the end';
      const line = running?.currentLine ?? 0;
      const of = `index ${o.inner.index} is ${side} of ${/^array/.test(o.inner.type) ? 'an' : 'a'} ${o.inner.type}`;
      // Named as declared: a const's index was said to be "of a function or private variable" (trial 65 B4).
      const value = v && /^(let|const|variable)$/.test(v.scope);
      const what = v
        ? `an index out of range of the ${v.scope} ${v.name} (${of}: WGSL gives ${value ? 'an indeterminate value of its element type' : 'any value of the variable'}, the interpreter would use its neighbour's bytes)`
        : `an index out of range of a value no variable holds (${of}: WGSL gives any value of its element type, the interpreter would read past its end)`;
      if (!v || !running) throw new InterpreterUnsupported(what, line);
      throw new PlainOutOfBounds(what, line, {
        variable: v.name, scope: v.scope, offset: o.offset, size: o.size, inner: o.inner, kind, atomic: false,
        workgroup: running.workgroupId, invocation: running.currentInvocation, line, phase: running.phase,
      });
    }
    return evaluated;
  };
  // A store to a vector's or matrix's index (`v[k] = x`) is upstream's own `n.data[k] = x`, which a typed array drops
  // silently past its end: checked here, its index evaluated once and handed on held.
  const assign = (exec as unknown as Record<'_assign', (this: WgslExec, node: never, context: never) => unknown>)._assign;
  (exec as unknown as Record<'_assign', (this: WgslExec, node: never, context: never) => unknown>)._assign = function (node, context) {
    const target = (node as { variable?: unknown }).variable;
    if (target instanceof VariableExpr && target.postfix) {
      const value = (context as { getVariable(n: string | null): { value: unknown } | null }).getVariable(this.getVariableName(target, context as never))?.value;
      if (value instanceof VectorData || value instanceof MatrixData) {
        const postfix = check(value, this, target.postfix, context, 'write');
        const variable = Object.assign(Object.create(Object.getPrototypeOf(target)), target, { postfix });
        return assign.call(this, Object.assign(Object.create(Object.getPrototypeOf(node)), node, { variable }) as never, context);
      }
    }
    return assign.call(this, node, context);
  };
  // A function or private vector or matrix (`v[4]` of a var vec4f) too: upstream printed "Index out of range", which
  // refused the case with no finding, where the GPU check (sanitize.ts localsOf) names it.
  for (const cls of [TypedData, VectorData, MatrixData]) {
    const proto = cls.prototype as unknown as Record<'getSubData' | 'setDataValue', (this: TypedData, ...args: unknown[]) => unknown>;
    const get = proto.getSubData;
    proto.getSubData = function (exec, chain, context) {
      return get.call(this, exec, check(this, exec, chain, context, 'read'), context);
    };
    const set = proto.setDataValue;
    proto.setDataValue = function (exec, value, chain, context) {
      return set.call(this, exec, value, check(this, exec, chain, context, 'write'), context);
    };
  }
}

/** A variable's size in bytes; for a binding, its buffer index, and for a writable one its bytes at the dispatch's start. */
interface Where {
  bytes: number;
  /** The variable's element stride, where it is an array. */
  stride?: number;
  buffer?: number;
  start?: DataView;
  /** A binding's bytes as the dispatch writes them (workgroup memory's are per workgroup: `atomics`). */
  live?: ArrayBuffer;
}

/** The bytes a chain of evaluated indices and members names, into vectors too (`[i].pos.y`, `[i][2]`). */
function componentOf(postfix: unknown, typeInfo: unknown, base: number): { offset: number; size: number } | undefined {
  type T = { isArray?: boolean; isStruct?: boolean; format?: T; stride?: number; size?: number; members?: { name: string; offset: number; type: T }[]; getTypeName?(): string };
  let t = typeInfo as T | undefined;
  let offset = base;
  let size = t?.size ?? 0;
  for (let p = postfix as { postfix?: unknown; index?: { value?: { value?: unknown } }; value?: unknown } | null | undefined; p && t; p = p.postfix as typeof p) {
    const vector = /^vec([234])/.exec(t.getTypeName?.() ?? '');
    if ('index' in p && p.index) {
      const k = Number(p.index.value?.value);
      if (!Number.isInteger(k)) return undefined;
      if (t.isArray) (offset += k * (t.stride ?? 0)), (t = t.format), (size = t?.size ?? 0);
      else if (vector) return { offset: offset + 4 * k, size: 4 };
      else return undefined;
    } else if (typeof p.value === 'string') {
      if (t.isStruct) {
        const m = t.members?.find((x) => x.name === p!.value);
        if (!m) return undefined;
        (offset += m.offset), (t = m.type), (size = t.size ?? 0);
      } else if (vector) {
        const at = [...p.value].map((c) => 'xyzwrgba'.indexOf(c) % 4);
        return { offset: offset + 4 * Math.min(...at), size: 4 * (Math.max(...at) - Math.min(...at) + 1) };
      } else return undefined;
    } else return undefined;
  }
  return { offset, size };
}

class TracingTracker extends MemoryTracker {
  deadline?: number;
  /** The lines of the module's exchanges whose old value the code uses (lost-updates.ts keptExchangeLines). */
  keptExchanges = new Set<number>();
  /** The lines of the module's stores written as a compare-exchange's fallback (failed-exchanges.ts). */
  fallbackStores = new Set<number>();
  /** Lines of clamps, those whose test holds past the cap too, and the atomic variables' types (portability.ts
   *  clampStores, clampsAtOrPast, atomicTypes). */
  clampStores = new Set<number>();
  clampsAtOrPast = new Set<number>();
  clampsAfterOwnMax = new Map<number, number>();
  atomicTypes = new Set<string>();
  /** The dispatch's stores after a failed compare-exchange, and the changes they may erase (failed-exchanges.ts). */
  failedExchanges?: FailedExchanges;
  /** The component the next recorded access names (RobustTrackedData.notePart). */
  part?: { offset: number; size: number };
  /** The next recorded access is out of bounds by this inner index (RobustTrackedData.recordInner). */
  inner?: InnerIndex;
  /** The next recorded access is the taking of an address (installPointerViews). */
  address?: boolean;
  /** Accesses are not made while set: an atomic's address taken (installPointerViews). */
  silent?: boolean;
  phase = 0;
  /** The barrier the scheduler is releasing, with the memory it orders, for endPhase; none at the workgroup's end. */
  barrier?: Barrier & { spaces: Set<Space> };
  /** The barrier that ended each phase so far. */
  private barriers: Barrier[] = [];
  /** Per address space, its accesses by word since its last barrier (cleared only by a barrier that orders it). */
  private phaseWords: Record<Space, WordTable> = { workgroup: phaseTable(), storage: phaseTable() };

  /** The words of each writable binding this workgroup has accessed so far in the dispatch. */
  private touched = new Map<string, Set<number>>();

  /** Workgroup variables holding atomics: their memory, and its bytes as the current phase began (zero at first,
   *  as WGSL zero-initialises workgroup memory). */
  private atomics = new Map<string, { memory: ArrayBuffer; start: DataView }>();
  /** The workgroup atomic word the current builtin is accessing (set by record, used by the builtin's wrapper). */
  private lastAtomic?: { variable: string; offset: number };
  /** Per `invocation:variable:offset` in this phase: the bytes its own last write left, and whether it has loaded. */
  private ownView = new Map<string, DataView>();
  private loaded = new Set<string>();
  /** The same schedule for atomic words of storage bindings, whose phases only a barrier ordering storage ends
   *  (storageBarrier, the workgroup's end): each word's value as the phase first touched it, the word the current
   *  builtin touched, and per `invocation:variable:offset` its own last write and whether it has loaded. Trial 99 A2: a
   *  count of storage atomicAdds loaded after only a workgroupBarrier(), which orders workgroup memory, passed. */
  private storageStart = new Map<string, number>();
  private lastStorageAtomic?: { variable: string; offset: number };
  private storageOwn = new Map<string, number>();
  private storageLoaded = new Set<string>();
  /** The atomic word (any variable) the current builtin accessed, with its value before a read-modify-write; and
   *  this phase's atomic writes (lost-updates.ts). */
  private lastAtomicWord?: { variable: string; offset: number; buffer?: number; before?: number };
  private phaseAtomics: Record<Space, LostUpdates> = { workgroup: new LostUpdates(), storage: new LostUpdates() };

  get workgroupId(): [number, number, number] {
    return this.workgroup;
  }

  constructor(private workgroup: [number, number, number], private sizes: Map<string, Where>,
    private run: DispatchRun, private dispatchWords: WordTable, private observer?: DispatchObserver) {
    super();
  }

  // wgsl_reflect's own record() keeps the access for its pairwise check at the end of the phase; this replaces both.
  override record(variable: string, offset: number, size: number, kind: 'read' | 'write', atomic: boolean): void {
    if (this.silent) return;
    const where = this.sizes.get(variable);
    const access: Access = {
      variable, offset, size, kind, atomic, workgroup: this.workgroup, invocation: this.currentInvocation, line: this.currentLine, phase: this.phase,
    };
    if (where?.buffer !== undefined) access.buffer = where.buffer;
    if (this.address) {
      access.address = true;
      this.address = false;
    }
    if (this.inner) {
      access.inner = this.inner;
      this.inner = undefined;
      this.part = undefined;
      this.run.accesses?.push(access);
      this.observer?.access?.(access);
      this.run.outOfBounds.push(access);
      return;
    }
    if (this.part) {
      access.part = this.part;
      if (kind === 'write') access.component = true;
      this.part = undefined;
    }
    this.run.accesses?.push(access);
    this.observer?.access?.(access);
    const full = this.run.races.length >= MAX_RACES;
    if (!full) {
      const space = spaceOf(access);
      const c = this.phaseWords[space].add(access);
      if (c) this.race(c.earlier, access, c.byte, undefined, this.between(c.earlier, access));
    }
    if (atomic && kind === 'read') earlyLoad.last = undefined;
    if (!where) return;
    if (where.start && offset >= 0 && offset + size <= where.bytes && this.firstTouch(variable, offset, size) && atomic && kind === 'read') {
      earlyLoad.last = { start: where.start, offset };
    }
    // The schedule within a workgroup (early-loads.ts): the builtin under way learns which workgroup atomic word it
    // touched, to keep the invocation's own view of it (a write) or to read that view (a phase's first load).
    if (atomic && this.atomics.has(variable) && offset >= 0 && offset + size <= where.bytes) this.lastAtomic = { variable, offset };
    if (atomic && where.buffer !== undefined && offset >= 0 && offset + size <= where.bytes) {
      const word = `${variable}:${offset}`;
      if (!this.storageStart.has(word)) {
        // A read (a load, or a read-modify-write's read, recorded first) finds the value the phase had.
        const before = kind === 'read' ? this.atomicWord(variable, offset) : undefined;
        if (before !== undefined) this.storageStart.set(word, before);
      }
      this.lastStorageAtomic = { variable, offset };
    }
    // The read a clamp's test used (lost-updates.ts): not the word read by an atomicStore, which wgsl_reflect makes first.
    if (atomic && kind === 'read' && !earlyLoad.storing && offset >= 0 && offset + size <= where.bytes) this.phaseAtomics[spaceOf(access)].read(access);
    if (atomic && offset >= 0 && offset + size <= where.bytes) {
      // A read-modify-write records its read first: the word's value then is what the update found.
      const last = this.lastAtomicWord;
      const before = kind === 'read' ? this.atomicWord(variable, offset) : last?.variable === variable && last.offset === offset ? last.before : undefined;
      this.lastAtomicWord = { variable, offset, ...(where.buffer !== undefined ? { buffer: where.buffer } : {}), ...(before !== undefined ? { before } : {}) };
    }
    if (offset < 0 || offset + size > where.bytes) {
      if (where.stride) access.stride = where.stride;
      // Trial 99 B3: an out-of-bounds atomicStore was said to read the element (upstream reads the word first).
      if (!(earlyLoad.storing && kind === 'read')) this.run.outOfBounds.push(access);
    } else if (where.buffer !== undefined && !atomic && !full) {
      // A binding, not workgroup memory: two workgroups of one dispatch touch the same word, one writing, no atomics.
      const c = this.dispatchWords.add(access);
      if (c) this.race(c.earlier, access, c.byte);
    }
  }

  /** Starts following these workgroup variables' atomics (early-loads.ts: the schedule within a workgroup). */
  watchAtomics(vars: [string, ArrayBuffer][]): void {
    earlyLoad.atomicWrite = (op, constant, kept, type) => this.atomicWritten(op, constant, kept, type);
    for (const [name, memory] of vars) this.atomics.set(name, { memory, start: new DataView(new ArrayBuffer(memory.byteLength)) });
    const take = () => {
      const a = this.lastAtomic;
      this.lastAtomic = undefined;
      return a && { ...a, key: `${this.currentInvocation}:${a.variable}:${a.offset}` };
    };
    const takeStorage = () => {
      const a = this.lastStorageAtomic;
      this.lastStorageAtomic = undefined;
      return a && { word: `${a.variable}:${a.offset}`, key: `${this.currentInvocation}:${a.variable}:${a.offset}`, ...a };
    };
    const word = (v: number) => {
      const view = new DataView(new ArrayBuffer(4));
      view.setUint32(0, v, true);
      return { start: view, offset: 0 };
    };
    earlyLoad.workgroup = {
      // What an argument's evaluation touched before the builtin ran is not its word (trial 131 A1: the address
      // `&bins[lid]` taken for a call's pointer argument, then `atomicLoad(&local[lid])` as another argument, which read
      // bins' word as the phase began).
      begin: () => {
        this.lastAtomic = undefined;
        this.lastStorageAtomic = undefined;
        this.lastAtomicWord = undefined;
      },
      wrote: () => {
        const a = take();
        if (a) this.ownView.set(a.key, new DataView(this.atomics.get(a.variable)!.memory.slice(a.offset, a.offset + 4)));
        const s = takeStorage();
        const now = s && this.atomicWord(s.variable, s.offset);
        if (s && now !== undefined) this.storageOwn.set(s.key, now);
      },
      load: (storageOnly = false) => {
        const s = takeStorage();
        if (s && !this.storageLoaded.has(s.key)) {
          this.storageLoaded.add(s.key);
          const v = this.storageOwn.get(s.key) ?? this.storageStart.get(s.word);
          if (v !== undefined) return word(v);
        }
        if (storageOnly) return undefined;
        const a = take();
        if (!a || this.loaded.has(a.key)) return undefined;
        this.loaded.add(a.key);
        const own = this.ownView.get(a.key);
        return own ? { start: own, offset: 0 } : { start: this.atomics.get(a.variable)!.start, offset: a.offset };
      },
    };
  }

  /** An atomic builtin's write just completed: an unordered store and changing update of one word is a lost update. */
  private atomicWritten(op: string, constant: boolean, kept: boolean, resultType?: 'i32' | 'u32'): void {
    const w = this.lastAtomicWord;
    this.lastAtomicWord = undefined;
    if (!w || this.run.races.length >= MAX_RACES) return;
    const access: Access = {
      variable: w.variable, offset: w.offset, size: 4, kind: 'write', atomic: true, workgroup: this.workgroup,
      invocation: this.currentInvocation, line: this.currentLine, phase: this.phase, ...(w.buffer !== undefined ? { buffer: w.buffer } : {}),
    };
    const after = this.atomicWord(w.variable, w.offset);
    const space = spaceOf(access);
    const changed = w.before === undefined || after === undefined || w.before !== after;
    this.failedExchanges?.wrote(op, access, { ...(w.before !== undefined ? { before: w.before } : {}), ...(after !== undefined ? { after } : {}), changed, constant, kept: kept && this.keptExchanges.has(this.currentLine), fallback: this.fallbackStores.has(this.currentLine) });
    const pair = this.phaseAtomics[space].add({
      op, access, changed, ...(w.before !== undefined ? { before: w.before } : {}), ...(after !== undefined ? { after } : {}), ...(constant ? { constant } : {}),
      ...(kept && this.keptExchanges.has(this.currentLine) ? { kept } : {}), ...(op === 'AtomicStore' && this.clampStores.has(this.currentLine) ? { clamp: this.clampsAtOrPast.has(this.currentLine) ? 'past' as const : 'at' as const, ...(this.clampsAfterOwnMax.has(this.currentLine) ? { afterOwnMax: this.clampsAfterOwnMax.get(this.currentLine)! } : {}) } : {}),
      ...(this.atomicTypes.has(`${w.variable}:i32`) ? { type: 'i32' as const } : this.atomicTypes.has(`${w.variable}:u32`) ? { type: 'u32' as const } : resultType ? { type: resultType } : {}),
    });
    if (pair) this.lostUpdate(pair);
  }

  /** A store and an update of one word that nothing orders (lost-updates.ts), as a race. */
  private lostUpdate([store, update]: [AtomicWrite, AtomicWrite]): void {
    this.race(store.access, update.access, store.access.offset, update.op, this.between(store.access, update.access));
  }

  /** An atomic word's 32 bits as they are now, from workgroup memory or a binding's live bytes. */
  private atomicWord(variable: string, offset: number): number | undefined {
    const memory = this.atomics.get(variable)?.memory ?? this.sizes.get(variable)?.live;
    return memory && offset + 4 <= memory.byteLength ? new DataView(memory).getUint32(offset, true) : undefined;
  }

  /** Marks the words of [offset, offset + size) accessed; true when this workgroup had accessed none of them. */
  private firstTouch(variable: string, offset: number, size: number): boolean {
    let words = this.touched.get(variable);
    if (!words) this.touched.set(variable, (words = new Set()));
    let first = true;
    for (let w = offset >> 2, end = (offset + size + 3) >> 2; w < end; w++) {
      if (words.has(w)) first = false;
      else words.add(w);
    }
    return first;
  }

  /** The barriers between two accesses of this workgroup, in order (none orders their memory, or they would not race). */
  private between(a: Access, b: Access): Barrier[] {
    return this.barriers.slice(Math.min(a.phase, b.phase), Math.max(a.phase, b.phase));
  }

  private race(a: Access, b: Access, byte: number, lostUpdate?: string, between?: Barrier[]) {
    if (this.run.races.length >= MAX_RACES) return;
    const r = { variable: a.variable, byte, a, b, ...(a.buffer !== undefined ? { buffer: a.buffer } : {}), ...(lostUpdate ? { lostUpdate } : {}), ...(between ? { between } : {}) };
    this.run.races.push({ ...r, message: raceText(r) });
  }

  /** A phase is over: at a barrier (`barrier`, set by the scheduler), which orders only its own address spaces'
   *  accesses, or at the workgroup's end, which orders everything. */
  override endPhase(): void {
    const b = this.barrier;
    this.barrier = undefined;
    for (const space of ['workgroup', 'storage'] as const) {
      if (b && !b.spaces.has(space)) continue;
      this.phaseWords[space].clear();
      for (const pair of this.phaseAtomics[space].clear(!b)) this.lostUpdate(pair);
    }
    if (b) this.barriers.push({ builtin: b.builtin, line: b.line });
    // The schedule of workgroup atomics (early-loads.ts) starts anew at any barrier, as before: reading the current
    // value after a storageBarrier() is one outcome WGSL allows (the lock-step order), so it makes no wrong value;
    // the stale value it no longer offers there is only a schedule not tried.
    this.ownView.clear();
    this.loaded.clear();
    if (!b || b.spaces.has('storage')) {
      this.storageStart.clear();
      this.storageOwn.clear();
      this.storageLoaded.clear();
    }
    for (const a of this.atomics.values()) a.start = new DataView(a.memory.slice(0));
    this.observer?.phaseEnd?.(this.phase);
    this.phase++;
  }
}

/** Races kept per dispatch: the first is reported, the rest only counted up to here (a message says "at least"). */
export const MAX_RACES = 1000;

// The scheduler sets the invocation before every step: the lane whose call results the interpreter reads (fixes.ts),
// and the place to check the case's time budget within a workgroup (one matmul_tiled workgroup can run minutes).
Object.defineProperty(TracingTracker.prototype, 'currentInvocation', {
  get(this: { _lane?: number }) {
    return this._lane ?? 0;
  },
  set(this: { _lane?: number; _steps?: number; deadline?: number; workgroup?: number[] }, i: number) {
    this._lane = i;
    lanes.current = i;
    this._steps = (this._steps ?? 0) + 1;
    if (this.deadline !== undefined && this._steps % 1024 === 0 && cpuMs() > this.deadline) {
      throw new StepBudgetExceeded(`the case ran past the interpreter's time budget in workgroup (${this.workgroup?.join(', ')}) (--interpreter-budget seconds=N)`);
    }
  },
});
