// A lockstep trace of one workgroup: every invocation of it steps through the WGSL as wgsl_reflect's scheduler runs
// them (round-robin, each up to the next barrier; invocation 0 first, then the last down to 1, dispatch.ts), so the
// barrier phases, where each invocation stands at every step, which invocations returned early, each access with the
// value it read or wrote, and the workgroup memory at the end of each phase can be drawn. Only the chosen workgroup of
// the chosen dispatch runs (earlier dispatches run whole): what it reads from storage that another workgroup of its
// own dispatch writes is what was there before the dispatch.
// Node-free: the visualizer page records it.
import { ScalarData, VectorData } from 'wgsl_reflect/wgsl_reflect.module.js';
import { InterpreterUnsupported, runDispatch, StepBudgetExceeded, type DispatchRun, type InvocationState, type Race, type Access } from '../engines/interpreter/dispatch.ts';
import { unsupportedConstruct } from '../engines/interpreter/unsupported.ts';
import { withOverrideCounts } from '../engines/interpreter/override-counts.ts';
import type { KernelProgram } from '../run/program.ts';
import { moduleVariableTypes, type WgslType } from '../run/reflect.ts';
import { scalarAt } from '../run/layout.ts';
import type { Case } from '../spec.ts';
import { caseBytes, prepare } from './record.ts';
import { entryLine, oppositeBranches } from '../run/index-sources.ts';
import { jsonText } from '../run/json-text.ts';

/** Interpreter steps (one statement of one invocation each) a lockstep trace may take: about 2 s on this machine. */
export const LOCKSTEP_MAX_STEPS = 2_000_000;

/** The kernel uses what the interpreter cannot run in lockstep: `construct` names it, `line` where. */
export class LockstepUnsupported extends Error {
  override name = 'LockstepUnsupported';
  constructor(readonly construct: string, readonly line: number) {
    super(`the interpreter cannot run this kernel in lockstep: ${construct}${line > 0 ? ` (line ${line})` : ''}`);
  }
}

/** The workgroup took more steps than allowed; `fits` is a smaller shape that was traced within them, if found. */
export class LockstepBudgetExceeded extends Error {
  override name = 'LockstepBudgetExceeded';
  constructor(message: string, readonly steps: number, readonly fits?: Record<string, unknown>) {
    super(message);
  }
}

export type Scalar = 'f32' | 'i32' | 'u32' | 'f16' | 'bool';

/** A module-scope variable an access names: a binding or a var<workgroup>, with its logical shape in 4-byte words. */
export interface LockstepVariable {
  name: string;
  space: 'workgroup' | 'storage' | 'uniform';
  /** WGSL's type, as written in messages. */
  type: string;
  /** Logical shape in words (array counts outermost first; a vector or struct element adds its words as the last). */
  dims: number[];
  /** Words of one element of its innermost array (4 of an array<vec4<f32>>, 1 of an array<f32>); of a variable that
   *  is no array, all of its words: what turns a word into the element it lies in. */
  elementWords: number;
  /** The scalar of word i (structs mix them). */
  scalarAt(word: number): Scalar;
}

export interface LockstepPhase {
  index: number;
  /** Steps [firstStep, endStep) and accesses [firstAccess, endAccess) of this phase. */
  firstStep: number;
  endStep: number;
  firstAccess: number;
  endAccess: number;
  /** What ended it: a barrier (its builtin and line), a workgroupUniformLoad's own load, or the end of the kernel. */
  end: { kind: 'barrier'; builtin: string; line: number } | { kind: 'load' } | { kind: 'end' };
  /** Per invocation at the end: 0 still running (a load), 1 waiting at the barrier, 2 finished. */
  state: Uint8Array;
  /** Per invocation: its last step in this phase, -1 for none. */
  lastStep: Int32Array;
  /** Each var<workgroup> as it is when the phase ends: its bytes. */
  memory: Map<string, ArrayBuffer>;
  /** Each invocation's own variables when the phase ends (one that finished, as it left them). */
  locals: Record<string, number | number[] | string>[];
}

export interface LockstepTrace {
  file: string;
  entry: string;
  stage: number;
  workgroup: [number, number, number];
  workgroupSize: [number, number, number];
  /** Invocations of the workgroup, by local_invocation_index. */
  invocations: number;
  /** The step log: step k runs invocation stepInvocation[k] on line stepLine[k]. */
  steps: number;
  stepInvocation: Uint32Array;
  stepLine: Uint32Array;
  phases: LockstepPhase[];
  variables: LockstepVariable[];
  /** Accesses in order, in columns: `variable` indexes variables; `word` is the byte offset / 4; `value` is what was
   *  read, or written (after the write); an access outside the variable (kind has ACCESS_OUTSIDE) touched no element:
   *  a read's value is the zero the interpreter's load returned (robust buffer access), a write's NaN (dropped). */
  accessCount: number;
  access: { invocation: Uint32Array; variable: Uint8Array; word: Int32Array; kind: Uint8Array; line: Uint32Array; step: Uint32Array; phase: Uint32Array; value: Float64Array };
  /** var<workgroup> memory before the first step: zero, as WGSL requires. */
  initialMemory: Map<string, ArrayBuffer>;
  /** Bytes of each variable the workgroup sees (a binding's buffer, a var<workgroup>'s own). */
  bytes: Record<string, number>;
  /** Invocations that finished while others went on to a barrier, with the line they left from. */
  returnedEarly: { invocation: number; line: number; phase: number }[];
  /** `branches`: race-text.ts RaceFacts.branches. `entry`: where one side is in a helper, each side's line in the entry
   *  point's own body (the call that leads to it) and the helpers, for where a barrier between them goes. */
  races: (Race & { branches?: string; entry?: { lines: [number, number]; via: string[] } })[];
  outOfBounds: Access[];
  /** Barrier divergence and the like, as the interpreter words them. */
  errors: string[];
  ms: number;
}

export interface LockstepOptions {
  stage?: number;
  workgroup?: [number, number, number];
  maxSteps?: number;
}

/** An access's kind in LockstepTrace.access.kind. */
export const ACCESS_READ = 1;
export const ACCESS_WRITE = 2;
/** Set beside ACCESS_READ or ACCESS_WRITE: the access is out of bounds. */
export const ACCESS_OUTSIDE = 4;

/** Runs one workgroup of a case in lockstep. Throws LockstepUnsupported, LockstepBudgetExceeded (without `fits`). */
export function lockstepTrace(program: KernelProgram, c: Case, options: LockstepOptions = {}): LockstepTrace {
  const t0 = performance.now();
  const { files, batchCase, stages } = prepare(program, c);
  const si = options.stage ?? 0;
  const dispatch = batchCase.dispatches[si];
  if (!dispatch) throw new RangeError(`stage ${si}: the case has ${batchCase.dispatches.length} dispatches`);
  const st = stages[si]!;
  const wg = options.workgroup ?? [0, 0, 0];
  if (wg.some((w, i) => w < 0 || w >= st.workgroups[i]!)) throw new RangeError(`workgroup (${wg.join(', ')}) is outside the dispatch (${st.workgroups.join(', ')})`);
  const shaders = files.map((f) => program.sources[f]!);
  // A workgroup array sized by an override is run with the count written as its value, as the interpreter engine
  // runs it (override-counts.ts): the lockstep refused one the engine had passed (trial 67 B4).
  const codeOf = (d: typeof dispatch) => withOverrideCounts(shaders[d.shader]!, d.constants);
  const code = codeOf(dispatch);
  for (const s of new Set(batchCase.dispatches.slice(0, si + 1).map(codeOf))) {
    const u = unsupportedConstruct(s);
    if (u) throw new LockstepUnsupported(u.construct, u.line);
  }
  const maxSteps = options.maxSteps ?? LOCKSTEP_MAX_STEPS;
  const buffers = caseBytes(batchCase);
  const bindingsOf = (d: typeof dispatch) => new Map(d.bindings.map((b) => [`${b.group}:${b.binding}`, { buffer: b.buffer, bytes: buffers[b.buffer]! }]));
  const guard = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof InterpreterUnsupported) throw new LockstepUnsupported(e.construct, e.line);
      throw e;
    }
  };
  for (const d of batchCase.dispatches.slice(0, si)) {
    if (d.workgroups.some((n) => n <= 0)) continue;
    guard(() => runDispatch({ code: codeOf(d), entry: d.entry, workgroups: d.workgroups, constants: d.constants, bindings: bindingsOf(d), stepBudget: maxSteps }));
  }

  const variables = moduleVariables(code);
  const varIndex = new Map(variables.map((v, i) => [v.name, i]));
  const n = st.workgroupSize[0] * st.workgroupSize[1] * st.workgroupSize[2];
  let steps = 0;
  let stepInvocation = new Uint32Array(1 << 14);
  let stepLine = new Uint32Array(1 << 14);
  const acc = new AccessLog();
  const phases: LockstepPhase[] = [];
  const returnedEarly: LockstepTrace['returnedEarly'] = [];
  const early = new Set<number>();
  let memory = new Map<string, ArrayBuffer>();
  let invocations: InvocationState[] = [];
  let moduleScope: unknown;
  const bytes: Record<string, number> = {};
  let lastStep = new Int32Array(n).fill(-1);
  const everStepped = new Int32Array(n).fill(-1);
  const releaseLine = new Int32Array(n).fill(-1);
  let locals: LockstepPhase['locals'] = Array.from({ length: n }, () => ({}));
  // Each invocation's innermost scope at its last step: a finished invocation's stack is empty, and a kernel without a
  // barrier showed no variables for any invocation.
  const lastScope: unknown[] = new Array(n);
  const initialMemory = new Map<string, ArrayBuffer>();
  // A write's value is known only once the write is done: at the next step or phase end.
  const pending: number[] = [];
  const settle = () => {
    for (const i of pending) acc.value[i] = readWord(memory, variables[acc.variable[i]!]!, acc.word[i]!);
    pending.length = 0;
  };
  let firstStep = 0;
  let firstAccess = 0;

  let run: DispatchRun;
  try {
    run = guard(() => runDispatch({
      code, entry: dispatch.entry, workgroups: dispatch.workgroups, constants: dispatch.constants, bindings: bindingsOf(dispatch),
      stepBudget: maxSteps,
      observe: {
        workgroup: wg,
        start(m, invs, scope) {
          memory = m;
          invocations = invs;
          moduleScope = scope;
          for (const [name, b] of m) bytes[name] = b.byteLength;
          for (const v of variables) if (v.space === 'workgroup') initialMemory.set(v.name, m.get(v.name)!.slice(0));
        },
        step(inv, line) {
          if (pending.length) settle();
          // Counted here, releases from barriers included, so that `steps` never passes the budget.
          if (steps >= maxSteps) throw new StepBudgetExceeded('lockstep step budget');
          if (steps === stepInvocation.length) {
            stepInvocation = grow(stepInvocation);
            stepLine = grow(stepLine);
          }
          const released = releaseLine[inv]!;
          if (released >= 0) releaseLine[inv] = -1;
          const frames = (invocations[inv] as unknown as { stack: { states: { context: unknown }[] } } | undefined)?.stack.states;
          if (frames?.length) lastScope[inv] = frames[frames.length - 1]!.context;
          stepInvocation[steps] = inv;
          stepLine[steps] = released >= 0 ? released : Math.max(0, line);
          lastStep[inv] = steps;
          everStepped[inv] = steps;
          steps++;
        },
        access(a) {
          const v = varIndex.get(a.variable);
          if (v === undefined) return;
          const variable = variables[v]!;
          // The component the WGSL names (`tile[i].y`), not the whole vector the race check takes.
          const { offset, size } = a.part ?? a;
          // Outside the variable, or outside the inner array an index names (`tile[0][9]`: its bytes are tile[1][1]'s).
          const inside = offset >= 0 && offset + size <= (memory.get(a.variable)?.byteLength ?? 0) && !(a as { inner?: unknown }).inner;
          // One row per word the access covers: a vec4 tile's write was shown on its first word only (a new user's
          // blur tile had every fourth column marked).
          const first = Math.floor(offset / 4);
          const end = Math.max(first + 1, Math.ceil((offset + size) / 4));
          for (let w = first; w < end; w++) {
            const i = acc.push(a.invocation, v, w, (a.kind === 'write' ? ACCESS_WRITE : ACCESS_READ) | (inside ? 0 : ACCESS_OUTSIDE), a.line, Math.max(0, steps - 1), a.phase);
            if (!inside) acc.value[i] = a.kind === 'read' ? 0 : NaN;
            else if (a.kind === 'read') acc.value[i] = readWord(memory, variable, w);
            else pending.push(i);
          }
        },
        phaseEnd(phase) {
          settle();
          const state = Uint8Array.from(invocations, (x) => x.state);
          const parked = invocations.find((x) => x.state === 1);
          const node = parked?.barrierNode as { line: number; name?: string } | null | undefined;
          const end: LockstepPhase['end'] = node ? { kind: 'barrier', builtin: node.name ?? 'workgroupBarrier', line: node.line }
            : state.every((s) => s === 2) ? { kind: 'end' } : { kind: 'load' };
          if (node) {
            for (const x of invocations) {
              if (x.state === 1) releaseLine[x.index] = x.barrierNode!.line;
              else if (x.state === 2 && !early.has(x.index)) {
                early.add(x.index);
                returnedEarly.push({ invocation: x.index, line: everStepped[x.index]! >= 0 ? stepLine[everStepped[x.index]!]! : 0, phase });
              }
            }
          }
          const snap = new Map<string, ArrayBuffer>();
          for (const v of variables) if (v.space === 'workgroup') snap.set(v.name, memory.get(v.name)!.slice(0));
          const before = phases[phases.length - 1]?.state;
          locals = invocations.map((x, i) => (x.state !== 2 ? localsOf(top(x), moduleScope) : before?.[i] === 2 ? locals[i]! : localsOf(lastScope[i], moduleScope)));
          phases.push({ index: phase, firstStep, endStep: steps, firstAccess, endAccess: acc.count, end, state, lastStep, memory: snap, locals });
          firstStep = steps;
          firstAccess = acc.count;
          lastStep = new Int32Array(n).fill(-1);
        },
      },
    }));
  } catch (e) {
    if (e instanceof StepBudgetExceeded) {
      throw new LockstepBudgetExceeded(`workgroup (${wg.join(', ')}) ran past ${maxSteps.toLocaleString('en-US')} interpreter steps (at phase ${phases.length}, line ${stepLine[steps - 1] ?? 0})`, steps);
    }
    throw e;
  }
  return {
    file: st.file, entry: dispatch.entry, stage: si, workgroup: wg, workgroupSize: st.workgroupSize, invocations: n,
    steps, stepInvocation: stepInvocation.subarray(0, steps), stepLine: stepLine.subarray(0, steps), phases, variables,
    accessCount: acc.count, access: acc.columns(), initialMemory, bytes, returnedEarly,
    // The condition of an `if` whose two branches hold the two sides, for the panel's advice, as the CLI gives it.
    races: run.races.map((r) => {
      const branches = r.a.line !== r.b.line ? oppositeBranches(code, r.a.line, r.b.line) : undefined;
      const [a, b] = r.a.line !== r.b.line ? [entryLine(code, dispatch.entry, r.a.line), entryLine(code, dispatch.entry, r.b.line)] : [];
      const entry = a && b && (a.via || b.via) ? { lines: [a.line, b.line] as [number, number], via: [a.via, b.via].filter((v): v is string => !!v) } : undefined;
      return { ...r, ...(branches ? { branches } : {}), ...(entry ? { entry } : {}) };
    }),
    outOfBounds: run.outOfBounds, errors: run.errors, ms: performance.now() - t0,
  };
}

/**
 * lockstepTrace, and when the case is over the step budget, the same case with its largest size halved until one
 * fits: the error then names that shape (`fits`), which was traced, not guessed. Sizes are the shape's integer fields.
 */
export function lockstepTraceOrFit(program: KernelProgram, c: Case, draw: (shape: Record<string, unknown>) => Case, options: LockstepOptions = {}): LockstepTrace {
  try {
    return lockstepTrace(program, c, options);
  } catch (e) {
    if (!(e instanceof LockstepBudgetExceeded)) throw e;
    let shape = { ...(c.shape as Record<string, unknown>) };
    for (let tries = 0; tries < 24; tries++) {
      const key = Object.entries(shape).filter(([, v]) => typeof v === 'number' && Number.isInteger(v) && v > 1).sort((a, b) => (b[1] as number) - (a[1] as number))[0]?.[0];
      if (!key) break;
      shape = { ...shape, [key]: Math.floor((shape[key] as number) / 2) };
      try {
        lockstepTrace(program, draw(shape), { ...options, workgroup: [0, 0, 0] });
        throw new LockstepBudgetExceeded(`${e.message}; ${jsonText(shape)} fits`, e.steps, shape);
      } catch (again) {
        if (!(again instanceof LockstepBudgetExceeded) || again.fits) throw again;
      }
    }
    throw e;
  }
}

/**
 * Where each invocation stands in phase `phase` once its steps before `upTo` (firstStep..endStep) have run: state 0
 * running (on `line`), 1 waiting at the barrier that ends the phase (its line), 2 finished (line 0). An invocation
 * with no step left in the phase waits or has finished; with `during`, step upTo - 1 is still running (an access
 * made in it), so its invocation stands on its line even when that was its last step. Replays at most one phase.
 */
export function positionsAt(t: LockstepTrace, phase: number, upTo: number, during = false): { line: Int32Array; state: Uint8Array } {
  const line = new Int32Array(t.invocations);
  const state = new Uint8Array(t.invocations);
  const ph = t.phases[phase];
  if (!ph) return { line, state };
  const before = t.phases[phase - 1];
  if (before) {
    for (let i = 0; i < t.invocations; i++) {
      if (before.state[i] === 2) state[i] = 2;
      else if (before.end.kind === 'barrier') line[i] = before.end.line;
    }
  }
  // A step with no line of its own (a loop's continuing part, `s = s >> 1u`) leaves its invocation where it stood:
  // read as line 0, it showed running invocations as "not started" (trial 109 B1).
  for (let s = ph.firstStep; s < Math.min(upTo, ph.endStep); s++) if (t.stepLine[s]! > 0) line[t.stepInvocation[s]!] = t.stepLine[s]!;
  const running = during ? t.stepInvocation[upTo - 1] : undefined;
  for (let i = 0; i < t.invocations; i++) {
    if (upTo <= ph.lastStep[i]! || ph.state[i] === 0 || i === running) continue;
    state[i] = ph.state[i]!;
    line[i] = ph.state[i] === 1 && ph.end.kind === 'barrier' ? ph.end.line : 0;
  }
  return { line, state };
}

/** The number in word `w` of a variable's bytes, as its scalar type says. */
export function wordValue(bytes: ArrayBuffer, v: LockstepVariable, w: number): number {
  if (w < 0 || (w + 1) * 4 > bytes.byteLength) return NaN;
  const dv = new DataView(bytes, w * 4, 4);
  const s = v.scalarAt(w);
  return s === 'f32' ? dv.getFloat32(0, true) : s === 'i32' ? dv.getInt32(0, true) : dv.getUint32(0, true);
}

function readWord(memory: Map<string, ArrayBuffer>, v: LockstepVariable, w: number): number {
  const bytes = memory.get(v.name);
  return bytes ? wordValue(bytes, v, w) : NaN;
}

/** The module's bindings and var<workgroup>s with their types (reflect.ts moduleVariableTypes). */
function moduleVariables(code: string): LockstepVariable[] {
  return [...moduleVariableTypes(code)].map(([name, { space, type: t }]) => ({ name, space, type: typeText(t), dims: dimsOf(t), elementWords: elementWordsOf(t), scalarAt: (w: number) => scalarAt(t, w * 4) }));
}

function typeText(t: WgslType): string {
  switch (t.kind) {
    case 'array': return `array<${typeText(t.element)}${t.count ? `, ${t.count}` : ''}>`;
    case 'scalar': return t.scalar;
    case 'atomic': return `atomic<${t.scalar}>`;
    case 'vector': return `vec${t.n}<${t.scalar}>`;
    case 'matrix': return `mat${t.cols}x${t.rows}<${t.scalar}>`;
    case 'struct': return t.name;
  }
}

function elementWordsOf(t: WgslType): number {
  if (t.kind === 'array') return t.element.kind === 'array' ? elementWordsOf(t.element) : Math.max(1, t.stride / 4);
  return Math.max(1, Math.ceil(t.size / 4));
}

function dimsOf(t: WgslType): number[] {
  if (t.kind === 'array') return [t.count || 0, ...(t.element.kind === 'array' ? dimsOf(t.element) : t.stride > 4 ? [t.stride / 4] : [])];
  return [Math.max(1, Math.ceil(t.size / 4))];
}


/** An invocation's innermost scope now. */
function top(inv: InvocationState): unknown {
  const states = (inv as unknown as { stack: { states: { context: unknown }[] } }).stack.states;
  return states[states.length - 1]?.context;
}

/** An invocation's own variables (a scope and its parents up to the module's), innermost first: numbers and vectors. */
function localsOf(scope: unknown, moduleScope: unknown): Record<string, number | number[] | string> {
  const out: Record<string, number | number[] | string> = {};
  type Scope = { variables: Map<string, { value: unknown }>; parent: Scope | null };
  for (let ctx = (scope ?? null) as Scope | null; ctx && ctx !== moduleScope; ctx = ctx.parent) {
    for (const [name, ref] of ctx.variables) {
      if (name.startsWith('@') || name in out) continue;
      const v = ref.value;
      // An integer whole (a string, shown as it is): the panel's number format read u32 0xffffffff as 4.294967e+9.
      if (v instanceof ScalarData) out[name] = v.data instanceof Float32Array ? v.value : String(v.value);
      else if (v instanceof VectorData) out[name] = Array.from(v.data as ArrayLike<number>);
    }
  }
  return out;
}

class AccessLog {
  count = 0;
  invocation = new Uint32Array(1024);
  variable = new Uint8Array(1024);
  word = new Int32Array(1024);
  kind = new Uint8Array(1024);
  line = new Uint32Array(1024);
  step = new Uint32Array(1024);
  phase = new Uint32Array(1024);
  value = new Float64Array(1024);

  push(invocation: number, variable: number, word: number, kind: number, line: number, step: number, phase: number): number {
    if (this.count === this.invocation.length) {
      this.invocation = grow(this.invocation);
      this.variable = grow(this.variable);
      this.word = grow(this.word);
      this.kind = grow(this.kind);
      this.line = grow(this.line);
      this.step = grow(this.step);
      this.phase = grow(this.phase);
      this.value = grow(this.value);
    }
    const i = this.count++;
    this.invocation[i] = invocation;
    this.variable[i] = variable;
    this.word[i] = word;
    this.kind[i] = kind;
    this.line[i] = line;
    this.step[i] = step;
    this.phase[i] = phase;
    return i;
  }

  columns(): LockstepTrace['access'] {
    const n = this.count;
    return {
      invocation: this.invocation.subarray(0, n), variable: this.variable.subarray(0, n), word: this.word.subarray(0, n), kind: this.kind.subarray(0, n),
      line: this.line.subarray(0, n), step: this.step.subarray(0, n), phase: this.phase.subarray(0, n), value: this.value.subarray(0, n),
    };
  }
}

function grow<T extends Uint32Array | Uint8Array | Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
