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
import { ScalarData, WgslDebug } from 'wgsl_reflect/wgsl_reflect.module.js';

type Any = any;

/** The last atomic read of a storage word that its workgroup had not accessed before: set by the tracker
 *  (dispatch.ts) as the read happens, taken by atomicLoad. */
export const earlyLoad: { last?: EarlyLoad } = {};

interface EarlyLoad {
  /** The binding's bytes at the dispatch's start. */
  start: DataView;
  offset: number;
}

let installed = false;

/** Wraps wgsl_reflect's atomicLoad to return the dispatch's starting value where `earlyLoad` says so. Idempotent. */
export function installEarlyLoads(): void {
  if (installed) return;
  installed = true;
  const builtins = Object.getPrototypeOf((new WgslDebug('').exec as Any).builtins);
  const load = builtins.AtomicLoad;
  builtins.AtomicLoad = function (node: Any, context: Any) {
    earlyLoad.last = undefined;
    const value = load.call(this, node, context);
    // Set (or not) by the load just made; TypeScript cannot see the call write it.
    const early = earlyLoad.last as EarlyLoad | undefined;
    earlyLoad.last = undefined;
    if (!early || !(value instanceof ScalarData)) return value;
    const t = (value.typeInfo as Any).name;
    const v = t === 'i32' ? early.start.getInt32(early.offset, true) : t === 'u32' ? early.start.getUint32(early.offset, true) : undefined;
    return v === undefined ? value : new ScalarData(v, value.typeInfo);
  };
}
