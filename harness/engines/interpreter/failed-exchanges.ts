// A store after a failed compare-exchange: `let r = atomicCompareExchangeWeak(p, old, new); if (!r.exchanged) {
// atomicStore(p, f(r.old_value)); }`, the exchange tried once and the store as its fallback. The failed exchange reads
// the word; the store writes a value computed from that read; any other update that lands between the two is
// erased. The interpreter runs a statement in one step and workgroups one after another, so nothing lands there in
// its own schedule, and the early atomicLoad (early-loads.ts) does not help: a read-modify-write reads the current
// value (trial 181 A1: a float scatter-add of that form passed on Dawn and on the interpreter).
//
// WGSL orders nothing between two workgroups of one dispatch, so another workgroup's change that could apply to the
// value the failed exchange read may land between the exchange and the store, which erases it. Such a change is one
// that does not rest on a particular value (an atomicAdd, an atomicExchange, a store of a computed value) or a
// compare-exchange that succeeded from the value read. A compare-exchange that succeeded from another value (the one
// whose change made this one fail, say) could not: it would have failed there. So a saturating loop is no lost
// update: it stores the cap it read, and no other workgroup's exchange succeeds from the cap (trial 182 A1); nor is a
// change the stored value already holds (an atomicMax to the cap: erasedBy, trial 184 A2). Found at
// the dispatch's end, from what each workgroup did. A store of a constant expression (a flag, a lock's release) is
// left out, as lost-updates.ts leaves it out: its value does not come from the read; and an atomicExchange whose old
// value the code keeps hands on what it took. Within one workgroup, lost-updates.ts judges stores against updates.
// Not found: a fallback that is itself a read-modify-write of a computed operand (an atomicMax of the old value plus
// a part), a retry loop bounded to a few tries, and a loss through a spurious failure (the exchange failing though the
// word held what it compared with, WGSL's "weak"), which needs no second workgroup's change before it (trial 184).
import { isCall, parsedOrNone, walk, walkFinds, type Node } from '../../mutate/parse.ts';
import type { Access } from './dispatch.ts';

const ATOMIC_RESULTS = /^atomic(Load|Add|Sub|Max|Min|And|Or|Xor|Exchange|CompareExchangeWeak)$/;
const derivedCache = new Map<string, Set<number>>();

/**
 * The lines of `code`'s atomicStore and atomicExchange calls whose value comes from an atomic's result: an atomic call
 * in it, or a name given one (a let, a var, a helper's parameter some call passes one), to a fixed point. Such a store
 * holds a change only because this schedule ran the change before the read it computed from; in the schedule where
 * the change lands between the read and the store, the read and so the value do not hold it (trial 186 A1: a fallback
 * `atomicStore(p, max(r.old_value, v))` forgiven every atomicMax made before its read). Cached by text; none for code
 * that does not parse.
 */
export function readDerivedStoreLines(code: string): Set<number> {
  let out = derivedCache.get(code);
  if (out) return out;
  out = new Set<number>();
  derivedCache.set(code, out);
  const p = code.includes('atomic') ? parsedOrNone(code) : undefined;
  if (!p) return out;
  const fns = p.ast.filter((n) => n.astNodeType === 'function');
  const byName = new Map(fns.map((f) => [f.name as string, f]));
  const tainted = new Map(fns.map((f) => [f, new Set<string>()]));
  const from = (e: Node | undefined, names: Set<string>) => !!e && walkFinds(e, (m) => (isCall(m) && ATOMIC_RESULTS.test(m.name as string)) || (m.astNodeType === 'varExpr' && names.has(m.name as string)));
  for (let grew = true; grew;) {
    grew = false;
    for (const fn of fns) {
      const names = tainted.get(fn)!;
      walk([fn], (n) => {
        const name = n.astNodeType === 'let' || n.astNodeType === 'var' ? (n.name as string) : n.astNodeType === 'assign' ? ((n.variable as Node | undefined)?.name as string | undefined) : undefined;
        if (name && !names.has(name) && from(n.value as Node | undefined, names)) {
          names.add(name);
          grew = true;
        }
        const callee = isCall(n) ? byName.get(n.name as string) : undefined;
        if (callee) {
          ((n.args as Node[] | undefined) ?? []).forEach((a, k) => {
            const param = ((callee.args as Node[] | undefined) ?? [])[k]?.name as string | undefined;
            if (param && !tainted.get(callee)!.has(param) && from(a, names)) {
              tainted.get(callee)!.add(param);
              grew = true;
            }
          });
        }
      });
    }
  }
  for (const fn of fns) {
    walk([fn], (n) => {
      if (isCall(n) && (n.name === 'atomicStore' || n.name === 'atomicExchange') && from(((n.args as Node[] | undefined) ?? [])[1], tainted.get(fn)!)) out!.add(n.line as number);
    });
  }
  return out;
}

/** One store (or exchange whose old value is dropped) after its own invocation's failed exchange of the word. */
interface Fallback {
  store: Access;
  /** The line of the failed compare-exchange, and the word's value it read. */
  exchangeLine: number;
  read?: number;
  /** The value it stored, and whether that value was computed from an atomic's result (readDerivedStoreLines). */
  stored?: number;
  fromRead?: boolean;
}

/** A change of the word: its builtin, and the word's bits before and after it. */
interface Change {
  access: Access;
  op: string;
  before?: number;
  after?: number;
}

/**
 * Whether `c`, landing just before a store of `stored`, is erased by it: where `c` made after the store would leave a
 * value other than `stored`. A max, min, or, and, exchange or store that the stored value already holds is not (trial
 * 184 A2: an atomicMax to a cap, then a saturating loop's store of the cap). Known from `c`'s own before and after: a
 * max's or min's operand is the value it left; an or's bits, those it set; an and's, those it cleared. A max or min
 * is held only where u32 and i32 both order the two values so. Where a value is not known, it is erased. Only for a
 * stored value not computed from a read (a cap loaded from a uniform): one computed from the read holds the change
 * only because this schedule ran the change first.
 */
function erasedBy(c: Change, stored: number | undefined): boolean {
  const { before, after } = c;
  if (stored === undefined || after === undefined) return true;
  const s = stored >>> 0;
  const a = after >>> 0;
  switch (c.op) {
    case 'AtomicMax':
    case 'AtomicMin': {
      // Held only where u32 and i32 both order them so (trial 186 A2: a positive max above a negative store passed).
      const unsigned = c.op === 'AtomicMax' ? a > s : a < s;
      const signed = c.op === 'AtomicMax' ? (a | 0) > (s | 0) : (a | 0) < (s | 0);
      return unsigned || signed;
    }
    case 'AtomicOr':
      return before === undefined || (a & ~(before >>> 0) & ~s) !== 0;
    case 'AtomicAnd':
      return before === undefined || ((before >>> 0) & ~a & s) !== 0;
    case 'AtomicExchange':
    case 'AtomicStore':
    case 'AtomicCompareExchangeWeak':
      return a !== s;
    default:
      return true; // an add, a sub, a xor that changed the word changes any value
  }
}

/** A word's changes by the dispatch's workgroups, and its fallback stores. */
interface Word {
  changes: Change[];
  fallbacks: Fallback[];
}

const wordKey = (a: Access) => `${a.buffer}:${a.offset}`;
const invocationKey = (a: Access) => `${a.workgroup.join(',')}:${a.invocation}`;
const sameWorkgroup = (a: Access, b: Access) => a.workgroup.every((w, i) => w === b.workgroup[i]);

/** What one dispatch's storage atomics did, for `lost()` at its end. */
export class FailedExchanges {
  private words = new Map<string, Word>();
  /** Per invocation and word, its last compare-exchange if it failed: its line and the value it read. */
  private failed = new Map<string, { line: number; read?: number }>();

  private word(a: Access): Word {
    let w = this.words.get(wordKey(a));
    if (!w) this.words.set(wordKey(a), (w = { changes: [], fallbacks: [] }));
    return w;
  }

  /**
   * An atomic write of a storage word has completed: `op` is wgsl_reflect's builtin name (`AtomicStore`,
   * `AtomicCompareExchangeWeak`, ...), `before` the word's bits it found (where known), `changed` whether the word now
   * differs, `constant` whether a store's value is a constant expression, `kept` whether an exchange's old value is
   * used by the code.
   */
  wrote(op: string, access: Access, w: { before?: number; after?: number; changed: boolean; constant: boolean; kept: boolean; fromRead?: boolean }): void {
    if (access.buffer === undefined) return;
    const key = `${invocationKey(access)}@${wordKey(access)}`;
    if (op === 'AtomicCompareExchangeWeak' && !w.changed) {
      this.failed.set(key, { line: access.line, ...(w.before !== undefined ? { read: w.before } : {}) });
      return;
    }
    const failed = this.failed.get(key);
    this.failed.delete(key);
    const blind = (op === 'AtomicStore' || (op === 'AtomicExchange' && !w.kept)) && !w.constant;
    if (blind && failed) this.word(access).fallbacks.push({ store: access, exchangeLine: failed.line, ...(failed.read !== undefined ? { read: failed.read } : {}), ...(w.after !== undefined ? { stored: w.after } : {}), ...(w.fromRead ? { fromRead: true } : {}) });
    if (w.changed && !(op === 'AtomicStore' && w.constant)) this.word(access).changes.push({ access, op, ...(w.before !== undefined ? { before: w.before } : {}), ...(w.after !== undefined ? { after: w.after } : {}) });
  }

  /** At the dispatch's end: each fallback store with a change of its word by another workgroup that could land
   *  between it and its failed exchange and that it would erase, and that change (the first made after the store,
   *  else the last before it). */
  lost(): { fallback: Fallback; erased: Change }[] {
    const out: { fallback: Fallback; erased: Change }[] = [];
    for (const w of this.words.values()) {
      for (const f of w.fallbacks) {
        const fits = (c: Change) => !sameWorkgroup(c.access, f.store) &&
          (c.op !== 'AtomicCompareExchangeWeak' || (f.read !== undefined && c.before === f.read)) && (f.fromRead || erasedBy(c, f.stored));
        const others = w.changes.filter(fits);
        if (!others.length) continue;
        const at = w.changes.findIndex((x) => x.access === f.store);
        const after = others.find((c) => w.changes.indexOf(c) > at);
        out.push({ fallback: f, erased: after ?? others[others.length - 1]! });
      }
    }
    return out;
  }
}
