// The interpreter runs a dispatch's workgroups one after another, each whole, and a statement in one step: no
// workgroup ever sees another's writes late. A kernel that reads a storage word with atomicLoad and writes it back
// with atomicStore (a read-modify-write that is not one atomic operation) then never loses an update here, though a
// GPU running two such workgroups at once loses one (the load of both before the store of either).
//
// So the interpreter takes the schedule that shows it: an atomicLoad by a workgroup of a storage word that no
// invocation of that workgroup has yet accessed in the dispatch returns the word's value at the start of the dispatch,
// as if that load ran before every other workgroup of the dispatch wrote the word. WGSL allows it: its atomics are
// relaxed and nothing orders two workgroups of one dispatch (WGSL §"Memory Model": barriers are workgroup-scoped), so
// such a load may read any write to the word that its own workgroup has not already seen past: the dispatch's
// starting value among them. The word's later accesses by that workgroup see the current value (coherence, and the
// workgroup's own earlier accesses), so a spin loop on a flag re-reads it and ends as before; read-modify-writes
// (atomicAdd, atomicCompareExchangeWeak...) always read the current value, as their atomicity requires.
//
// Within a workgroup the same holds between barriers: an invocation's first atomicLoad of a workgroup-memory word in
// a phase reads the value it last left there itself in that phase (after its own atomicMax, say), or else the
// word's value when the phase began; the other invocations' writes of the phase that no barrier ordered before it
// may all come later in the word's modification order. So `atomicMax` by every invocation, then `atomicLoad` by
// invocation 0 with no barrier between, reads only invocation 0's own maximum, as a GPU may. Later loads of the
// phase read the current value, so a spin loop still ends.
//
// A read-modify-write that cannot change the word whatever it holds (`atomicAdd(&x, 0u)`, `atomicOr(&x, 0u)`,
// `atomicAnd(&x, 0xffffffffu)`, an atomicMax with the type's least value: CUDA's coherent read) is a read in all but
// name, and takes the same schedule: placed first in the word's modification order, it reads what a load there
// reads (trial 123 A2: a max kept by such a read and an atomicStore passed where the atomicLoad form failed). So does
// a compare-exchange that stores what it compares with (`atomicCompareExchangeWeak(&x, 0u, 0u).old_value`) of a
// storage word: its old_value is what a load there reads, and it exchanged where that equals the comparand, writing
// the value already there (trial 197 A4: a leader's such read, then an atomicStore of it plus its partial, passed on
// the interpreter). Of a workgroup word it reads the current value (installEarlyLoads says why).
import { ScalarData, WgslDebug } from 'wgsl_reflect/wgsl_reflect.module.js';
import { rootName, walk } from '../../mutate/parse.ts';

type Any = any;

/** The last atomic read of a storage word that its workgroup had not accessed before: set by the tracker
 *  (dispatch.ts) as the read happens, taken by atomicLoad. `workgroup` is the tracker's hook for the same schedule
 *  within a workgroup (atomics in workgroup memory): told of each atomic write as it completes, and asked, at each
 *  atomicLoad, for the value that load may read instead of the current one. `atomicWrite` is told the builtin's name
 *  after each atomic write completes, whether the value it writes is a constant expression, and the word's type where
 *  the result has it (lost-updates.ts). */
export const earlyLoad: { last?: EarlyLoad; workgroup?: { begin(): void; wrote(): void; load(storageOnly?: boolean): EarlyLoad | undefined }; atomicWrite?: (op: string, constant: boolean, kept: boolean, type?: 'i32' | 'u32') => void;
  /** Set while an atomicStore runs: wgsl_reflect reads the word before it writes it, a read the store does not make. */
  storing?: boolean } = {};

/** The read-modify-writes and the store: after each, the invocation's own view of the word is the value it left. */
const WRITES = ['AtomicStore', 'AtomicAdd', 'AtomicSub', 'AtomicMax', 'AtomicMin', 'AtomicAnd', 'AtomicOr', 'AtomicXor', 'AtomicExchange', 'AtomicCompareExchangeWeak'];

interface EarlyLoad {
  /** The binding's bytes at the dispatch's start. */
  start: DataView;
  offset: number;
}

let installed = false;

/** Whether an expression has the same value in every schedule: literals, and names of a `const` or an `override`
 *  (trial 125 A1: `const HIT = 1u; atomicStore(&flag, HIT)` was not forgiven where `atomicStore(&flag, 1u)` was), or
 *  of a declaration `constantDeclarations` finds, by the declaration `context` holds for the name. */
function constantExpression(n: Any, context: Any, exec: Any): boolean {
  const constants = constantDeclarations(exec?.ast ?? []);
  return constantIn(n, (name) => {
    const declared = context?.getVariable?.(name)?.node;
    return declared?.astNodeType === 'const' || declared?.astNodeType === 'override' || constants.has(declared);
  });
}

/** Whether an expression is made of literals, constant names (`named`), operators, constructors and scalar casts. */
function constantIn(n: Any, named: (name: string) => boolean): boolean {
  if (!n || typeof n !== 'object') return false;
  let constant = true;
  walk([n], (m) => {
    const t = m.astNodeType;
    if (t === 'varExpr') {
      constant &&= named(m.name as string);
      return;
    }
    // wgsl_reflect parses a module-scope const's name as a constExpr holding its initializer.
    constant &&= t === 'literalExpr' || t === 'constExpr' || t === 'binaryOp' || t === 'unaryOp' || t === 'createExpr' || ((t === 'callExpr' || t === 'call') && /^(u32|i32|f32|f16|bool)$/.test(m.name as string));
  });
  return constant;
}

const constantsByModule = new WeakMap<object, Set<unknown>>();

/**
 * The function-scope declarations of a module whose value is the same in every schedule (trial 128 A3: `var h = HIT;
 * atomicStore(&f, h)` and a helper `mark(v)` called with `1u` were not forgiven): a let of a constant expression; a
 * var of one never assigned again, incremented nor its address taken; a helper's parameter that every call passes
 * a constant. To a fixed point. Names resolve within their function, as the static checks do; a name declared twice
 * in one function counts as neither.
 */
function constantDeclarations(ast: Any[]): Set<unknown> {
  const cached = constantsByModule.get(ast);
  if (cached) return cached;
  const found = new Set<unknown>();
  constantsByModule.set(ast, found);
  const moduleConstants = new Set(ast.filter((n) => n.astNodeType === 'const' || n.astNodeType === 'override').map((n) => n.name as string));
  const functions = ast.filter((n) => n.astNodeType === 'function');
  const scopes = new Map<Any, Map<string, Any | null>>();
  for (const fn of functions) {
    const names = new Map<string, Any | null>();
    const declare = (name: string, node: Any) => names.set(name, names.has(name) ? null : node);
    for (const a of fn.args ?? []) declare(a.name, a);
    walk(fn.body ?? [], (m) => (m.astNodeType === 'let' || m.astNodeType === 'var' || m.astNodeType === 'const' ? declare(m.name as string, m) : undefined));
    scopes.set(fn, names);
  }
  const constantAt = (fn: Any) => (e: Any) => constantIn(e, (name) => {
    const d = scopes.get(fn)!.get(name);
    return d === undefined ? moduleConstants.has(name) : d !== null && (d.astNodeType === 'const' || found.has(d));
  });
  for (let grew = true; grew;) {
    const before = found.size;
    for (const fn of functions) {
      const constant = constantAt(fn);
      for (const [name, d] of scopes.get(fn)!) {
        if (!d || found.has(d)) continue;
        if (d.astNodeType === 'let' && constant(d.value)) found.add(d);
        // A var never assigned after its initializer: one assigned two constants on two paths holds the one a read
        // chose (trial 131 A2: `if (atomicLoad(&f) == 0u) { v = 1u; } else { v = 0u; }`).
        if (d.astNodeType === 'var') {
          let ok = d.value == null || constant(d.value);
          walk(fn.body ?? [], (m: Any) => {
            const target = m.astNodeType === 'assign' || m.astNodeType === 'increment' ? rootName(m.variable) : m.astNodeType === 'unaryOp' && m.operator === '&' ? rootName(m.right) : undefined;
            if (target === name && m !== d) ok = false;
          });
          if (ok) found.add(d);
        }
        // A parameter every call passes a constant. Which call runs may rest on a read, as which literal store runs
        // does (`if (atomicLoad(&f) == 0u) { put(1u); } else { put(0u); }`, trial 131 A2): a check-then-act this rule
        // does not see, written with literals or through a helper alike; a helper that clears with 0u before a
        // barrier and sets with 1u after one is correct (trial 131's), and would fail if the constants had to agree.
        if (d.astNodeType === 'argument') {
          const k = (fn.args as Any[]).indexOf(d);
          let calls = 0;
          let ok = true;
          for (const g of functions) {
            walk([g], (m: Any) => {
              if ((m.astNodeType !== 'callExpr' && m.astNodeType !== 'call') || m.name !== fn.name) return;
              calls++;
              ok &&= constantAt(g)((m.args ?? [])[k]);
            });
          }
          if (calls && ok) found.add(d);
        }
      }
    }
    grew = found.size > before;
  }
  return found;
}

/** Whether a read-modify-write leaves every value of the word as it was: its operand is a constant expression equal
 *  to the operation's identity (0 for add, sub, or, xor; all ones for and; the type's least value for max, its
 *  greatest for min, typed u32 or i32 so that the extreme is known). */
function identityUpdate(name: string, node: Any, context: Any, exec: Any): boolean {
  const arg = node?.args?.[1];
  if (!['AtomicAdd', 'AtomicSub', 'AtomicOr', 'AtomicXor', 'AtomicAnd', 'AtomicMax', 'AtomicMin'].includes(name) || !constantExpression(arg, context, exec)) return false;
  const value = exec.evalExpression(arg, context);
  if (!(value instanceof ScalarData) || typeof value.value !== 'number') return false;
  const v = value.value;
  const t = (value.typeInfo as Any)?.name;
  switch (name) {
    case 'AtomicAnd': return (v >>> 0) === 0xffffffff;
    case 'AtomicMax': return t === 'u32' ? v === 0 : t === 'i32' && v === -2147483648;
    case 'AtomicMin': return t === 'u32' ? v === 0xffffffff : t === 'i32' && v === 2147483647;
    default: return v === 0;
  }
}

/** A compare-exchange's comparand's bits where its new value is the same (so it never changes the word), both free of
 *  calls, whose evaluation twice could differ; else undefined. */
function equalOperands(node: Any, context: Any, exec: Any): number | undefined {
  const [, cmp, value] = node?.args ?? [];
  const pure = (n: Any) => !!n && constantIn(n, () => true);
  if (!pure(cmp) || !pure(value)) return undefined;
  const a = exec.evalExpression(cmp, context);
  const b = exec.evalExpression(value, context);
  return a instanceof ScalarData && b instanceof ScalarData && (a.value >>> 0) === (b.value >>> 0) ? a.value >>> 0 : undefined;
}

/** Wraps wgsl_reflect's atomicLoad to return the dispatch's starting value where `earlyLoad` says so. Idempotent. */
export function installEarlyLoads(): void {
  if (installed) return;
  installed = true;
  const builtins = Object.getPrototypeOf((new WgslDebug('').exec as Any).builtins);
  const load = builtins.AtomicLoad;
  for (const name of WRITES) {
    const write = builtins[name];
    builtins[name] = function (node: Any, context: Any) {
      if (identityUpdate(name, node, context, this.exec)) return builtins.AtomicLoad.call(this, node, context);
      const read = name === 'AtomicCompareExchangeWeak' ? equalOperands(node, context, this.exec) : undefined;
      const seen = read !== undefined ? atomicLoad.call(this, node, context, true) : undefined;
      earlyLoad.workgroup?.begin();
      earlyLoad.storing = name === 'AtomicStore';
      let value;
      try {
        value = write.call(this, node, context);
      } finally {
        earlyLoad.storing = false;
      }
      earlyLoad.workgroup?.wrote();
      // An exchange whose old value the code keeps (an expression, not a statement) hands on what it replaced: no
      // update is erased by it (trial 176 A1: a drain, `let got = atomicExchange(&acc, 0u)`, read as a blind store).
      // The word's type from a read-modify-write's result, which has it, or a compare-exchange's old_value (a struct's
      // atomic field, whose declared type lost-updates.ts is not told: trials 203 A2, 205 A2).
      const type = value instanceof ScalarData ? (value.typeInfo as Any)?.name : (value?.typeInfo as Any)?.members?.[0]?.type?.name;
      earlyLoad.atomicWrite?.(name, constantExpression(node?.args?.[1], context, this.exec), name === 'AtomicExchange' && node?.astNodeType !== 'call', type === 'i32' || type === 'u32' ? type : undefined);
      // The compare-exchange read as the load before it read: its result's two words (fixes.ts StructValue).
      if (seen instanceof ScalarData && value?.buffer instanceof ArrayBuffer && value.buffer.byteLength >= 8) {
        const words = new DataView(value.buffer);
        words.setUint32(0, seen.value >>> 0, true);
        words.setUint32(4, (seen.value >>> 0) === read ? 1 : 0, true);
      }
      return value;
    };
  }
  // `storageOnly`: a compare-exchange read takes the early value of a storage word (the dispatch's start where its
  // workgroup has not accessed it, trial 197 A4; its phase's start, trial 220 A1: a missing storageBarrier() before
  // it), and reads a workgroup word's current value, as other read-modify-writes do: there the phase's start hid a
  // clamp's lost update that the current value shows (trial 205's storageBarrier twin, whose early clampers read 0
  // and stored nothing). One schedule shows one of the two; this one shows both.
  function atomicLoad(this: Any, node: Any, context: Any, storageOnly = false) {
    earlyLoad.last = undefined;
    earlyLoad.workgroup?.begin();
    const value = load.call(this, node, context);
    // Set (or not) by the load just made; TypeScript cannot see the call write it.
    const early = (earlyLoad.last as EarlyLoad | undefined) ?? earlyLoad.workgroup?.load(storageOnly);
    earlyLoad.last = undefined;
    if (!early || !(value instanceof ScalarData)) return value;
    const t = (value.typeInfo as Any).name;
    const v = t === 'i32' ? early.start.getInt32(early.offset, true) : t === 'u32' ? early.start.getUint32(early.offset, true) : undefined;
    return v === undefined ? value : new ScalarData(v, value.typeInfo);
  }
  builtins.AtomicLoad = function (node: Any, context: Any) {
    return atomicLoad.call(this, node, context);
  };
}
