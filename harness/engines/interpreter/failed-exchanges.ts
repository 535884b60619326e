// A store after a failed compare-exchange: `let r = atomicCompareExchangeWeak(p, old, new); if (!r.exchanged) {
// atomicStore(p, f(r.old_value)); }`, the exchange tried once and the store as its fallback. The failed exchange reads
// the word; the store writes a value computed from that read; any other update that lands between the two is
// erased. The interpreter runs a statement in one step and workgroups one after another, so nothing lands there in
// its own schedule, and the early atomicLoad (early-loads.ts) does not help: a read-modify-write reads the current
// value (trial 181 A1: a float scatter-add of that form passed on Dawn and on the interpreter).
//
// WGSL orders nothing between two workgroups of one dispatch, so a change another workgroup made after the store, in
// this schedule, may land between the failed exchange and the store instead: the store then erases it. Only changes
// made after the store are taken. One made before the failed exchange read the word is one that read saw: in a
// schedule where it lands later, the read sees another value, and what the code does then (store at all, store what)
// is not known here (trials 182 A1, 184 A2, 188 A1: saturating loops that store the cap they read, after another
// workgroup's atomicMax took the word to it, lose nothing). Of the later changes, one counts where the store would
// erase it (erasedBy): an atomicAdd or a store of another value, not an atomicMax the stored value already holds; and
// a compare-exchange only where it succeeded from the value the failed one read, which it would find there.
// A store of a constant expression (a flag, a lock's release) is left out, as lost-updates.ts leaves it out; and an
// atomicExchange whose old value the code keeps hands on what it took. Within one workgroup, lost-updates.ts judges
// stores against updates.
// Not found (writing-a-kernel.md): a change that this schedule ran before the failed read (trial 186 A1: a fallback
// `atomicStore(p, max(r.old_value, v))` beside earlier workgroups' atomicMax); a fallback that is itself a
// read-modify-write of a computed operand; a retry loop bounded to a few tries; and a loss through a spurious failure
// (the exchange failing though the word held what it compared with, WGSL's "weak") (trial 184); a fallback stored by
// another invocation than the one whose exchange failed (a leader after a barrier, trial 190 A2). Only a store written
// as the fallback (fallbackStoreLines) is taken.
import { children, isCall, foundByText, walk, type Node } from '../../mutate/parse.ts';
import type { Access } from './dispatch.ts';

const CONTROL = new Set(['if', 'for', 'while', 'loop', 'switch']);

/**
 * The lines of `code`'s atomicStore and atomicExchange calls that are a compare-exchange's fallback as written: run
 * under `if (!r.exchanged)` (or the else of `if (r.exchanged)`) with no other condition between, directly or in a
 * helper called so. A store under a test of the value read (`if (turn_of(r.old_value) == t)`, a saturating loop's
 * `if (old >= cap)`), or after a loop that waited for one, is left out: what it would do after another read is not
 * known here (trial 190 A1: a chained scan that hands one carry word from tile to tile in turn, correct, failed).
 * Cached by text; none for code that does not parse.
 */
export const fallbackStoreLines = foundByText('atomicCompareExchangeWeak', (p, out) => {
  const fns = new Map(p.ast.filter((n) => n.astNodeType === 'function').map((f) => [f.name as string, f]));
  const exchanged = (e: Node | undefined) => !!e && (e.postfix as Node | undefined)?.value === 'exchanged' && !(e.postfix as Node).postfix;
  // The calls these statements make under no further condition: a nested if or loop's body is left out.
  const unconditional = (nodes: Node[], seen: Set<string>) => {
    for (const n of nodes) {
      if (!n || typeof n !== 'object' || CONTROL.has(n.astNodeType)) continue;
      if (isCall(n) && (n.name === 'atomicStore' || n.name === 'atomicExchange')) out.add(n.line as number);
      const helper = isCall(n) ? fns.get(n.name as string) : undefined;
      if (helper && !seen.has(n.name as string)) unconditional((helper.body as Node[] | undefined) ?? [], new Set([...seen, n.name as string]));
      unconditional(children(n), seen);
    }
  };
  walk(p.ast, (n) => {
    if (n.astNodeType !== 'if' || (n.elseif as Node[] | undefined)?.length) return;
    const c = n.condition as Node | undefined;
    if (c?.astNodeType === 'unaryOp' && c.operator === '!' && exchanged(c.right as Node)) unconditional((n.body as Node[] | undefined) ?? [], new Set());
    else if (exchanged(c)) unconditional((n.else as Node[] | undefined) ?? [], new Set());
  });
});

/** One store (or exchange whose old value is dropped) after its own invocation's failed exchange of the word. */
interface Fallback {
  store: Access;
  /** The line of the failed compare-exchange, and the word's value it read. */
  exchangeLine: number;
  read?: number;
  /** The value it stored, and its place among the dispatch's atomic writes. */
  stored?: number;
  at: number;
}

/** A change of the word: its builtin, the word's bits before and after it, and its place among the writes. */
interface Change {
  access: Access;
  op: string;
  before?: number;
  after?: number;
  at: number;
}

/** A word's changes by the dispatch's workgroups, and its fallback stores. */
interface Word {
  changes: Change[];
  fallbacks: Fallback[];
}

/**
 * Whether `c`, landing just before a store of `stored`, is erased by it: where `c` made after the store would leave a
 * value other than `stored`. A max, min, or, and, exchange or store that the stored value already holds is not. Known
 * from `c`'s own before and after: a max's or min's operand is the value it left; an or's bits, those it set; an
 * and's, those it cleared. A max or min is held only where u32 and i32 both order the two values so (trial 186 A2).
 * Where a value is not known, it is erased.
 */
function erasedBy(c: Change, stored: number | undefined): boolean {
  const { before, after } = c;
  if (stored === undefined || after === undefined) return true;
  const s = stored >>> 0;
  const a = after >>> 0;
  switch (c.op) {
    case 'AtomicMax':
    case 'AtomicMin': {
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

const wordKey = (a: Access) => `${a.buffer}:${a.offset}`;
const invocationKey = (a: Access) => `${a.workgroup.join(',')}:${a.invocation}`;
const sameWorkgroup = (a: Access, b: Access) => a.workgroup.every((w, i) => w === b.workgroup[i]);

/** What one dispatch's storage atomics did, for `lost()` at its end. */
export class FailedExchanges {
  private words = new Map<string, Word>();
  /** Per invocation and word, its last compare-exchange if it failed: its line and the value it read. */
  private failed = new Map<string, { line: number; read?: number }>();
  private writes = 0;

  private word(a: Access): Word {
    let w = this.words.get(wordKey(a));
    if (!w) this.words.set(wordKey(a), (w = { changes: [], fallbacks: [] }));
    return w;
  }

  /**
   * An atomic write of a storage word has completed: `op` is wgsl_reflect's builtin name (`AtomicStore`,
   * `AtomicCompareExchangeWeak`, ...), `before` and `after` the word's bits (where known), `changed` whether the word
   * now differs, `constant` whether a store's value is a constant expression, `kept` whether an exchange's old value is
   * used by the code, `fallback` whether the call is written as an exchange's fallback (fallbackStoreLines).
   */
  wrote(op: string, access: Access, w: { before?: number; after?: number; changed: boolean; constant: boolean; kept: boolean; fallback: boolean }): void {
    if (access.buffer === undefined) return;
    const at = this.writes++;
    const key = `${invocationKey(access)}@${wordKey(access)}`;
    if (op === 'AtomicCompareExchangeWeak' && !w.changed) {
      this.failed.set(key, { line: access.line, ...(w.before !== undefined ? { read: w.before } : {}) });
      return;
    }
    const failed = this.failed.get(key);
    this.failed.delete(key);
    const blind = (op === 'AtomicStore' || (op === 'AtomicExchange' && !w.kept)) && !w.constant && w.fallback;
    if (blind && failed) this.word(access).fallbacks.push({ store: access, exchangeLine: failed.line, at, ...(failed.read !== undefined ? { read: failed.read } : {}), ...(w.after !== undefined ? { stored: w.after } : {}) });
    if (w.changed && !(op === 'AtomicStore' && w.constant)) this.word(access).changes.push({ access, op, at, ...(w.before !== undefined ? { before: w.before } : {}), ...(w.after !== undefined ? { after: w.after } : {}) });
  }

  /** At the dispatch's end: each fallback store with a later change of its word by another workgroup that could land
   *  between it and its failed exchange and that it would erase, and the first such change. */
  lost(): { fallback: Fallback; erased: Change }[] {
    const out: { fallback: Fallback; erased: Change }[] = [];
    for (const w of this.words.values()) {
      for (const f of w.fallbacks) {
        const erased = w.changes.find((c) => c.at > f.at && !sameWorkgroup(c.access, f.store) &&
          (c.op !== 'AtomicCompareExchangeWeak' || (f.read !== undefined && c.before === f.read)) && erasedBy(c, f.stored));
        if (erased) out.push({ fallback: f, erased });
      }
    }
    return out;
  }
}
