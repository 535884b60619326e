// Runs one compute dispatch in wgsl_reflect's interpreter with real barrier semantics: every invocation of a workgroup
// steps in lock-step up to each barrier (wgsl_reflect's WorkgroupScheduler), so kernels that share workgroup memory
// compute what a GPU computes. Every storage, uniform and workgroup access is seen: the trace, out-of-bounds accesses
// and data races (two invocations touching the same bytes between barriers, one of them writing) come out with it.
//
// This follows wgsl_reflect's detectRaces, with three differences that matter here: workgroup memory starts at zero
// in every workgroup (as WGSL requires) and is tracked in every workgroup, not just the first; bounds are checked;
// and the accesses can be kept.
import {
  MemoryTracker, ScalarData, TrackedTypedData, TypedData, Var, VectorData, WgslDebug, WorkgroupScheduler,
} from 'wgsl_reflect/wgsl_reflect.module.js';
import { rewriteForInterpreter } from './rewrite.ts';

export interface Access {
  /** The WGSL variable's name (a binding or a var<workgroup>). */
  variable: string;
  /** The case's buffer index for a binding; undefined for workgroup memory. */
  buffer?: number;
  offset: number;
  size: number;
  kind: 'read' | 'write';
  atomic: boolean;
  workgroup: [number, number, number];
  /** local_invocation_index within the workgroup. */
  invocation: number;
  line: number;
}

export interface Race {
  variable: string;
  buffer?: number;
  byte: number;
  a: Access;
  b: Access;
  message: string;
}

export interface DispatchRun {
  /** Every access in execution order; only when asked for (it can be large). */
  accesses?: Access[];
  outOfBounds: Access[];
  races: Race[];
  /** Barrier divergence and the like, as wgsl_reflect words them. */
  errors: string[];
  invocations: number;
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
  /** performance.now() past which no further workgroup is started: the case is over its time budget. */
  deadline?: number;
}

/** The interpreter gave up on a dispatch (a runaway loop): never a pass. */
export class StepBudgetExceeded extends Error {
  override name = 'StepBudgetExceeded';
}

/** The workgroup size of an entry point, with overrides resolved, before anything runs: for budgets. */
export function workgroupSizeOf(code: string, entry: string, constants?: Record<string, number>): [number, number, number] {
  const { fn, ctx } = prepare(new WgslDebug(rewriteForInterpreter(code)), entry, constants);
  return workgroupSize(fn.node, ctx);
}

type Fn = { node: { attributes: { name: string; value: unknown }[] | null; args: { name: string; attributes: { name: string; value: string }[] | null }[]; body: unknown[] } };

function prepare(debug: WgslDebug, entry: string, constants?: Record<string, number>) {
  const exec = debug.exec;
  const ctx = exec.context;
  exec._execStatements(exec.ast, ctx);
  if (constants) debug.applyOverrides(constants, ctx);
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
  const debug = new WgslDebug(rewriteForInterpreter(input.code));
  const { exec, ctx, fn } = prepare(debug, input.entry, input.constants);
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

  const used = new Set((info?.resources ?? []).map((r) => `${r.group}:${r.binding}`));
  const bound: { ref: { value: unknown; name: string }; key: string; bytes: ArrayBuffer; buffer: number; typeInfo: unknown }[] = [];
  const workgroupVars: { ref: { value: unknown; name: string }; bytes: number; typeInfo: unknown }[] = [];
  ctx.variables.forEach((ref) => {
    const node = ref.node;
    if (!(node instanceof Var)) return;
    if (node.storage === 'workgroup') {
      const v = ref.value;
      if (v instanceof TypedData) workgroupVars.push({ ref, bytes: v.buffer.byteLength, typeInfo: v.typeInfo });
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
    bound.push({ ref, key, bytes: b.bytes, buffer: b.buffer, typeInfo: exec.getTypeInfo(node.type!) });
  });
  const sizes = new Map<string, { bytes: number; buffer?: number }>();
  for (const b of bound) sizes.set(b.ref.name, { bytes: b.bytes.byteLength, buffer: b.buffer });
  for (const w of workgroupVars) sizes.set(w.ref.name, { bytes: w.bytes });

  const run: DispatchRun = { outOfBounds: [], races: [], errors: [], invocations: nx * ny * nz * wgSize[0] * wgSize[1] * wgSize[2] };
  if (input.trace) run.accesses = [];
  const perWg = wgSize[0] * wgSize[1] * wgSize[2];

  for (let z = 0; z < nz; z++) for (let y = 0; y < ny; y++) for (let x = 0; x < nx; x++) {
    if (input.deadline !== undefined && performance.now() > input.deadline) {
      throw new StepBudgetExceeded(`the case ran past the interpreter's time budget at workgroup (${x}, ${y}, ${z})`);
    }
    wgId.data[0] = x;
    wgId.data[1] = y;
    wgId.data[2] = z;
    const workgroup: [number, number, number] = [x, y, z];
    const tracker = new TracingTracker(workgroup, sizes, run);
    for (const b of bound) b.ref.value = new RobustTrackedData(b.bytes, b.typeInfo as never, tracker, b.ref.name);
    for (const w of workgroupVars) w.ref.value = new RobustTrackedData(new ArrayBuffer(w.bytes), w.typeInfo as never, tracker, w.ref.name);

    const invocations = [];
    for (let k = 0, i = 0; k < wgSize[2]; k++) for (let j = 0; j < wgSize[1]; j++) for (let l = 0; l < wgSize[0]; l++, i++) {
      const c = ctx.clone();
      c.createVariable('@local_invocation_id', new VectorData([l, j, k], vec3u));
      c.createVariable('@global_invocation_id', new VectorData([l + x * wgSize[0], j + y * wgSize[1], k + z * wgSize[2]], vec3u));
      c.createVariable('@local_invocation_index', new ScalarData(i, u32));
      for (const arg of fn.node.args ?? []) for (const a of arg.attributes ?? []) {
        if (a.name !== 'builtin') continue;
        const v = c.getVariable(`@${a.value}`);
        if (v) c.variables.set(arg.name, v);
      }
      const stack = new ExecStack();
      stack.states.push(debug.createStackFrame(fn.node.body as never, c));
      invocations.push({ index: i, stack, state: 0, barrierNode: null });
    }
    if (invocations.length !== perWg) throw new Error('internal: invocation count');
    const scheduler = new WorkgroupScheduler(debug, tracker, invocations as never);
    if (input.stepBudget) scheduler.stepBudget = input.stepBudget;
    scheduler.run();
    for (const e of scheduler.errors) {
      if (/step budget exceeded/.test(e)) throw new StepBudgetExceeded(`workgroup (${workgroup.join(', ')}) ran past ${scheduler.stepBudget} interpreter steps`);
      run.errors.push(`workgroup (${workgroup.join(', ')}): ${e}`);
    }
  }
  return run;
}

/** Beyond this, an out-of-bounds read is not emulated (it would need a zero buffer that large). */
const MAX_EMULATED_OFFSET = 1 << 26;

/**
 * wgsl_reflect throws a RangeError on an out-of-bounds access. WGSL instead lets an out-of-bounds load return zero and
 * an out-of-bounds store do nothing (robust buffer access); do that, after the tracker has recorded the access.
 */
class RobustTrackedData extends TrackedTypedData {
  override setDataValue(exec: never, value: never, postfix: never, context: never): void {
    const r = this.range(postfix, exec, context);
    if (r.offset >= 0 && r.offset + r.size <= this.buffer.byteLength) return super.setDataValue(exec, value, postfix, context);
    this.tracker.record(this.bufferId, r.offset, r.size, 'write', r.atomic);
  }

  override getSubData(exec: never, postfix: never, context: never) {
    const r = this.range(postfix, exec, context);
    if (r.offset >= 0 && r.offset + r.size <= this.buffer.byteLength) return super.getSubData(exec, postfix, context);
    this.tracker.record(this.bufferId, r.offset, r.size, 'read', r.atomic);
    if (r.offset < 0 || r.offset + r.size > MAX_EMULATED_OFFSET) {
      throw new Error(`out-of-bounds read of '${this.bufferId}' at byte ${r.offset}, too far to emulate`);
    }
    // The same path into a zero buffer large enough: a zero of exactly the type the expression reads.
    return new TypedData(new ArrayBuffer(Math.ceil((r.offset + r.size) / 4) * 4), this.typeInfo).getSubData(exec, postfix, context);
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

class TracingTracker extends MemoryTracker {
  constructor(private workgroup: [number, number, number], private sizes: Map<string, { bytes: number; buffer?: number }>, private run: DispatchRun) {
    super();
  }

  override record(variable: string, offset: number, size: number, kind: 'read' | 'write', atomic: boolean): void {
    super.record(variable, offset, size, kind, atomic);
    const where = this.sizes.get(variable);
    const access: Access = {
      variable, offset, size, kind, atomic, workgroup: this.workgroup, invocation: this.currentInvocation, line: this.currentLine,
      ...(where?.buffer !== undefined ? { buffer: where.buffer } : {}),
    };
    this.run.accesses?.push(access);
    if (where && (offset < 0 || offset + size > where.bytes)) this.run.outOfBounds.push(access);
  }

  override endPhase(): void {
    const before = this.races.length;
    super.endPhase();
    for (const r of this.races.slice(before)) {
      const where = this.sizes.get(r.bufferId);
      const as = (m: typeof r.a): Access => ({ ...m, kind: m.kind, variable: m.bufferId, workgroup: this.workgroup, ...(where?.buffer !== undefined ? { buffer: where.buffer } : {}) });
      this.run.races.push({ variable: r.bufferId, byte: r.byte, a: as(r.a), b: as(r.b), message: `workgroup (${this.workgroup.join(', ')}): ${r.message}`, ...(where?.buffer !== undefined ? { buffer: where.buffer } : {}) });
    }
  }
}
