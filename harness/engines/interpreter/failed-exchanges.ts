// A store after a failed compare-exchange: `let r = atomicCompareExchangeWeak(p, old, new); if (!r.exchanged) {
// atomicStore(p, f(r.old_value)); }`, the exchange tried once and the store as its fallback. The failed exchange reads
// the word; the store writes a value computed from that read; any other update that lands between the two is
// erased. The interpreter runs a statement in one step and workgroups one after another, so nothing lands there in
// its own schedule, and the early atomicLoad (early-loads.ts) does not help: a read-modify-write reads the current
// value (trial 181 A1: a float scatter-add of that form passed on Dawn and on the interpreter).
//
// WGSL orders nothing between two workgroups of one dispatch, so where two other workgroups change the word in the
// dispatch (one whose change made the exchange fail, and one more), a schedule exists in which the second lands
// between the failed exchange and the store: the update is lost. Found at the dispatch's end, from what each
// workgroup did; with only one other workgroup changing the word, the store keeps its change and nothing is lost.
// A store of a constant expression (a flag, a lock's release) is left out, as lost-updates.ts leaves it out: its
// value does not come from the read. Within one workgroup, lost-updates.ts judges stores against updates.
import type { Access } from './dispatch.ts';

/** One store after its own invocation's failed exchange of the word. */
interface Fallback {
  store: Access;
  /** The line of the failed compare-exchange. */
  exchangeLine: number;
}

/** A word's changes by the dispatch's workgroups, and its fallback stores. */
interface Word {
  changes: { access: Access; op: string }[];
  fallbacks: Fallback[];
}

const wordKey = (a: Access) => `${a.buffer}:${a.offset}`;
const invocationKey = (a: Access) => `${a.workgroup.join(',')}:${a.invocation}`;
const sameWorkgroup = (a: Access, b: Access) => a.workgroup.every((w, i) => w === b.workgroup[i]);

/** What one dispatch's storage atomics did, for `lost()` at its end. */
export class FailedExchanges {
  private words = new Map<string, Word>();
  /** Per invocation and word, the line of its last compare-exchange if it failed. */
  private failed = new Map<string, number>();

  private word(a: Access): Word {
    let w = this.words.get(wordKey(a));
    if (!w) this.words.set(wordKey(a), (w = { changes: [], fallbacks: [] }));
    return w;
  }

  /**
   * An atomic write of a storage word has completed: `op` is wgsl_reflect's builtin name (`AtomicStore`,
   * `AtomicCompareExchangeWeak`, ...), `changed` whether the word now differs, `constant` whether a store's value is a
   * constant expression.
   */
  wrote(op: string, access: Access, changed: boolean, constant: boolean): void {
    if (access.buffer === undefined) return;
    const key = `${invocationKey(access)}@${wordKey(access)}`;
    if (op === 'AtomicCompareExchangeWeak' && !changed) {
      this.failed.set(key, access.line);
      return;
    }
    const exchangeLine = this.failed.get(key);
    this.failed.delete(key);
    if (op === 'AtomicStore' && !constant && exchangeLine !== undefined) this.word(access).fallbacks.push({ store: access, exchangeLine });
    if (changed && !(op === 'AtomicStore' && constant)) this.word(access).changes.push({ access, op });
  }

  /** At the dispatch's end: each fallback store with two changes of its word by other workgroups, and the change
   *  named as the one it may erase (the first made after the store, else the last before it). */
  lost(): { fallback: Fallback; erased: { access: Access; op: string } }[] {
    const out: { fallback: Fallback; erased: { access: Access; op: string } }[] = [];
    for (const w of this.words.values()) {
      for (const f of w.fallbacks) {
        const others = w.changes.filter((c) => !sameWorkgroup(c.access, f.store));
        if (others.length < 2) continue;
        const after = others.find((c) => w.changes.indexOf(c) > w.changes.findIndex((x) => x.access === f.store));
        out.push({ fallback: f, erased: after ?? others[others.length - 1]! });
      }
    }
    return out;
  }
}
