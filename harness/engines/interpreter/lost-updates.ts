// Lost updates between atomics within a workgroup: a store (atomicStore, or atomicExchange, which writes its value
// whatever was there) and another invocation's read-modify-write that changed the word (atomicAdd, atomicMax,
// atomicOr, a successful atomicCompareExchangeWeak, ...), in one barrier phase. Atomics never race in WGSL's sense, so
// races.ts does not see them; but WGSL orders only each word's own writes (one modification order per atomic,
// §"Memory Model"), not the invocations making them, so the store may land after the update and erase it. A histogram
// that clears its private bins with atomicStore and counts into them with atomicAdd, no barrier between, loses counts
// on every GPU engine; the interpreter's lock-step schedule runs every clear before any count and never loses one, so
// it finds the pair instead. A barrier is the fix, and a workgroup has one: the barrier of the atomic's address space
// (barriers.ts: workgroupBarrier() orders workgroup memory and its atomics, storageBarrier() storage and its atomics,
// WGSL §"Synchronization Built-in Functions"). So the phases here are per address space, as for races: a storage
// atomicStore and another invocation's atomicAdd with only a workgroupBarrier() between are a pair (the dispatch keeps
// one table per address space, each cleared only by its own barrier).
//
// What is left out, each to keep a correct kernel from failing:
// - A store its invocation makes after its own read-modify-write of the word (a lock's release after the
//   compare-exchange that took it; a ticket counter reset by the invocation whose atomicAdd saw the last ticket,
//   which coherence orders after every other increment). A reset after its own update that races with another
//   invocation's update is missed.
// - An update that did not change the word (an atomicOr of bits already set, an atomicMax below the value, a failed
//   compare-exchange): erasing it loses nothing.
// - An update the store's value already holds: an atomicOr whose bits the store writes too, an atomicAnd that clears
//   none the store sets, an atomicMax below it or an atomicMin above it (small values, whose order is the same signed
//   or not). Whichever lands last, the word ends the same (trial 117 A1: a changed flag set by atomicOr(&f, 1u) on
//   one path and atomicStore(&f, 1u) on another; trial 123 A3: a check-then-set of a flag). Only a store of a constant
//   expression: a value computed from a read of the word may hold the update only because this schedule ran the
//   update first (trial 120 A5: a load, a check, a store of `old | bit` beside an atomicOr; trial 123 A1: the same
//   read with atomicAdd(&m, 0u)).
// - A clamp (`if (old >= cap) { atomicStore(&w, cap); }` after a read of the word, portability.ts clampStores) beside
//   compare-exchanges or maxes that raised the word to the cap at most: none lands between the read that saw the cap
//   and the store (trial 188 A5: a saturating histogram, each invocation a compare-exchange loop that stops at the
//   cap). Nor beside one past the cap whose own invocation clamps the word after it, or any invocation after a barrier,
//   with a test that holds past the cap (trial 193 A3: each invocation's maxes, then its clamp: the last write is
//   always a clamp; trial 203 A1: a clamp by every invocation after the rounds' barrier). Beside an
//   atomicAdd, an update that lowers the word, or a max past the cap that nothing clamps after, it is a pair (trial
//   202 A2: the word ends at the cap or past it as the two land).
// - Store against store (flags, mailboxes, a hand-off by exchange): the last writer wins by design.
// - An atomicExchange whose old value is kept (a drain's `let got = atomicExchange(&acc, 0u)`, forwarded): it erases
//   nothing it does not hand on, so it counts as an update, and only one whose value is dropped as a store.
// - Pairs between workgroups of one dispatch: WGSL has no way to order them there, and hand-offs and "last
//   workgroup" reductions rest on reasoning this cannot do. The early atomicLoad (early-loads.ts) and the values
//   (matches-reference on a GPU engine) show losses there.
// - A clear written as an update (atomicAnd with 0): it reads as an update.
import { betweenText, FIX, type Barrier } from './barriers.ts';
import type { Access } from './dispatch.ts';
import { isCall, foundByText, walk, walkFinds, type Node } from '../../mutate/parse.ts';

/**
 * The lines of `code`'s atomicExchange calls whose old value the code goes on to use: an argument of another call or
 * part of a larger expression (`atomicAdd(&total[0], atomicExchange(&acc, 0u))`, a test of it), stored (`out[i] =
 * ...`), a let or var's value read later in its function, or a helper's result that a caller uses so. Such an
 * exchange hands on what it takes, and erases no update. Not `_ = atomicExchange(...)`, a let never read, or a
 * helper's result its callers drop (trial 178 A1: all three missed a real lost update once an expression counted as
 * kept). Cached by text; none for code that does not parse.
 */
export const keptExchangeLines = foundByText('atomicExchange', (p, out) => {
  const fns = p.ast.filter((n) => n.astNodeType === 'function');
  const isExchange = (n: Node) => isCall(n) && n.name === 'atomicExchange';
  /** Whether `value` (a statement's expression) uses an exchange, or a call of a helper in `helpers`, it holds: the
   *  exchange nested in a larger expression, or the value read later in `fn` by `name`. */
  const usedIn = (value: Node | undefined, fn: Node, name: string | undefined, isTarget: (n: Node) => boolean, at: Node): boolean => {
    if (!value) return false;
    if (!isTarget(value)) return walkFinds(value, isTarget);
    if (name === undefined) return true;
    let reads = 0;
    walk([fn], (m) => { if (m !== at && m.astNodeType === 'varExpr' && m.name === name) reads++; });
    return reads > 0;
  };
  /** The lines of the calls in `fns` matching `isTarget` whose result is used. */
  const used = (isTarget: (n: Node) => boolean): Set<number> => {
    const lines = new Set<number>();
    for (const fn of fns) {
      walk([fn], (n) => {
        const decl = n.astNodeType === 'let' || n.astNodeType === 'var';
        const phony = n.astNodeType === 'assign' && (n.variable as Node | undefined)?.name === '_';
        const value = decl || n.astNodeType === 'assign' || n.astNodeType === 'return' ? (n.value as Node | undefined)
          : n.astNodeType === 'if' || n.astNodeType === 'while' || n.astNodeType === 'for' ? (n.condition as Node | undefined) : undefined;
        // A call statement's arguments: the exchange nested in one is used by it.
        if (n.astNodeType === 'call') for (const a of (n.args as Node[] | undefined) ?? []) walk([a], (m) => { if (isTarget(m)) lines.add(m.line as number); });
        if (!value || phony) return;
        if (usedIn(value, fn, decl ? (n.name as string) : undefined, isTarget, n)) walk([value], (m) => { if (isTarget(m)) lines.add(m.line as number); });
      });
    }
    return lines;
  };
  // A helper that returns an exchange's value: kept where a caller uses what it returns.
  for (const line of used(isExchange)) out.add(line);
  for (const fn of fns) {
    const returned = new Set<number>();
    walk([fn], (n) => { if (n.astNodeType === 'return' && n.value) walk([n.value as Node], (m) => { if (isExchange(m)) returned.add(m.line as number); }); });
    if (!returned.size) continue;
    if (used((n) => isCall(n) && n.name === fn.name).size) for (const line of returned) out.add(line);
    else for (const line of returned) out.delete(line);
  }
});

/** Builtins that write their operand whatever the word held. */
const STORES = new Set(['AtomicStore', 'AtomicExchange']);

/** An atomic write of one word: the builtin's name (`AtomicStore`, `AtomicAdd`, ...), where it happened, and
 *  whether it changed the word (a store always counts as changing it). */
export interface AtomicWrite {
  op: string;
  access: Access;
  changed: boolean;
  /** The word's bits before and after the write, where known: a store's value; an update's result. */
  before?: number;
  after?: number;
  /** A store whose value is a constant expression (`atomicStore(&f, 1u)`): the same in every schedule. */
  constant?: boolean;
  /** An atomicExchange whose old value the code keeps (`let got = atomicExchange(&acc, 0u)`): a read-modify-write
   *  that hands on what it replaced, so an update before it is not lost; an update of the word as any other is. */
  kept?: boolean;
  /** A store that clamps the word at its value, having read it there or past it (portability.ts clampStores); `past`
   *  where its test holds for every value at or past it, not only at it (clampsAtOrPast). */
  clamp?: 'at' | 'past';
  /** A clamp whose test reads the word as its invocation's atomicMax at this line left it (`max(old, v)`, where
   *  `old = atomicMax(&w, v)`: portability.ts clampsAfterOwnMax): that max's last run is the test's read. */
  afterOwnMax?: number;
  /** The word's type, where its variable is declared an atomic<i32> or atomic<u32> (or an array of them), or a
   *  read-modify-write's result has it. */
  type?: 'i32' | 'u32';
}

/** Whether `update` (AtomicOr, AtomicAnd, AtomicMax, AtomicMin) would leave the word as `store` wrote it, landing
 *  after it: then neither order loses it. From the update's result, which holds its operand's effect. */
function absorbed(store: AtomicWrite, update: AtomicWrite): boolean {
  const s = store.after;
  const u = update.after;
  if (store.clamp && raisedTo(update, s, store.type ?? update.type)) return true;
  if (s === undefined || u === undefined || !store.constant) return false;
  const small = s < 2 ** 31 && u < 2 ** 31;
  switch (update.op) {
    case 'AtomicOr': return ((s | u) >>> 0) === s;
    case 'AtomicAnd': return ((s & ~u) >>> 0) === 0;
    case 'AtomicMax': return small && s >= u;
    case 'AtomicMin': return small && s <= u;
    default: return false;
  }
}

/** Whether `update` is a compare-exchange or atomicMax that raised the word, in the order of the word's type (trial
 *  193 A2: an i32 counter from −6), or where that is not known, among small values, whose order is the same signed
 *  or not; with `past`, to a value past `cap`, else to `cap` at most. A clamp at `cap` (clampStores: a store of cap
 *  having read the word at cap or past it) erases none that raised the word to cap at most: none lands between its read
 *  and its store, the word being at cap or past it. One that raised it past cap may land there, and be erased, or land
 *  after the store and stay: which one WGSL leaves open, unless the updating invocation clamps the word after it itself
 *  (LostUpdates.pending; trial 193 A3: each invocation's atomicMax, then its clamp, always leaves the cap). */
function raisedTo(update: AtomicWrite, cap: number | undefined, type: AtomicWrite['type'], past = false): boolean {
  const { before: b, after: a } = update;
  if (cap === undefined || b === undefined || a === undefined || (update.op !== 'AtomicCompareExchangeWeak' && update.op !== 'AtomicMax')) return false;
  const order = type === 'i32' ? (x: number) => x | 0 : (x: number) => x >>> 0;
  return (type !== undefined || [b, a, cap].every((x) => x >>> 0 < 2 ** 31)) && order(b) < order(a) && (order(a) <= order(cap)) !== past;
}

/** The atomic writes of one workgroup's barrier phase by word, by invocation (program order orders one invocation's). */
export class LostUpdates {
  /** Per word: the first stores and the first changing updates, by invocation (keep). */
  private stores = new Map<string, AtomicWrite[]>();
  private updates = new Map<string, AtomicWrite[]>();
  /** `invocation word` pairs whose invocation has changed the word by a read-modify-write in this phase. */
  private updated = new Set<string>();
  /** A clamp and an update that raised the word past its cap (raisedTo): a lost update unless the update's invocation
   *  clamps the word itself later in the phase, or any invocation does after a barrier (`carried`): the word is at the
   *  cap or past it as the two landed, and that clamp's test passes on either. Judged when the workgroup ends (trial
   *  203 A1: each round's maxes and clamps by halves of the workgroup, then every invocation's clamp after a barrier). */
  private pending: [AtomicWrite, AtomicWrite][] = [];
  private carried: [AtomicWrite, AtomicWrite][] = [];
  /** `invocation word` pairs whose invocation has clamped the word (a test that holds past the cap) since its last
   *  changing update of it. */
  private clampedSince = new Set<string>();
  /** A count of the atomic accesses of the phase; by `invocation word`, the count at the invocation's last read of
   *  the word and at its last changing update of it; by write, the count at it. A clamp settles a pair only where the
   *  read its test used (its invocation's last read of the word) came after the update (its own) or after the barrier
   *  (anyone's): a test of an earlier read may fail in another schedule, and the update stay (trial 205 A3: a final
   *  clamp after a barrier that tested a read made before it). */
  private count = 0;
  private lastRead = new Map<string, number>();
  private lastUpdate = new Map<string, number>();
  /** By `invocation word line`, the count at the invocation's last atomicMax of the word at that line, changing it
   *  or not. */
  private lastMax = new Map<string, number>();
  private countAt = new WeakMap<AtomicWrite, number>();

  /** Records an atomic read (a load, or a read-modify-write's read, which comes before its write). */
  read(access: Access): void {
    this.lastRead.set(`${access.invocation} ${access.variable}:${access.offset}`, ++this.count);
  }

  /** Records a completed atomic write; returns the unordered store and update it completes a pair of, if any. */
  add(w: AtomicWrite): [AtomicWrite, AtomicWrite] | undefined {
    const word = wordOf(w);
    const me = w.access.invocation;
    this.countAt.set(w, ++this.count);
    const pair = (store: AtomicWrite, update: AtomicWrite): [AtomicWrite, AtomicWrite] | undefined => {
      if (!store.clamp || !raisedTo(update, store.after, store.type ?? update.type, true)) return [store, update];
      if (!this.clampedSince.has(`${update.access.invocation} ${word}`)) this.pending.push([store, update]);
      return undefined;
    };
    if (STORES.has(w.op) && !w.kept) {
      // A max's count is its update's own: its result holds the update (trial 211 A2: `if (max(old, v) > cap)`).
      const read = w.afterOwnMax !== undefined ? this.lastMax.get(`${me} ${word} ${w.afterOwnMax}`) : this.lastRead.get(`${me} ${word}`);
      if (w.clamp === 'past' && read !== undefined) {
        if (read >= (this.lastUpdate.get(`${me} ${word}`) ?? 0)) this.clampedSince.add(`${me} ${word}`);
        this.pending = this.pending.filter(([, u]) => u.access.invocation !== me || wordOf(u) !== word || read < this.countAt.get(u)!);
        // Carried from a phase before, and this read made in this one: after the barrier.
        this.carried = this.carried.filter(([, u]) => wordOf(u) !== word);
      }
      if (this.updated.has(`${me} ${word}`)) return undefined;
      keep(this.stores, word, w);
      // Each other invocation's update: one held (pending) must not hide the next (trial 205's storageBarrier twin:
      // the first, invocation 0's, was settled by its own clamp, and the second never paired).
      let found: [AtomicWrite, AtomicWrite] | undefined;
      for (const u of this.updates.get(word) ?? []) if (u.access.invocation !== me && !absorbed(w, u)) found ??= pair(w, u);
      return found;
    }
    if (w.op === 'AtomicMax') this.lastMax.set(`${me} ${word} ${w.access.line}`, this.countAt.get(w)!);
    if (!w.changed) return undefined;
    this.updated.add(`${me} ${word}`);
    this.clampedSince.delete(`${me} ${word}`);
    this.lastUpdate.set(`${me} ${word}`, this.countAt.get(w)!);
    keep(this.updates, word, w);
    let found: [AtomicWrite, AtomicWrite] | undefined;
    for (const s of this.stores.get(word) ?? []) if (s.access.invocation !== me && !absorbed(s, w)) found ??= pair(s, w);
    return found;
  }

  /** Ends the phase, at a barrier or at the workgroup's end; returns, at its end, the pairs no later clamp settled. */
  clear(end: boolean): [AtomicWrite, AtomicWrite][] {
    this.carried.push(...this.pending);
    this.pending = [];
    const left = end ? this.carried : [];
    if (end) this.carried = [];
    this.stores.clear();
    this.updates.clear();
    this.updated.clear();
    this.clampedSince.clear();
    this.lastRead.clear();
    this.lastUpdate.clear();
    this.lastMax.clear();
    return left;
  }
}

const wordOf = (w: AtomicWrite) => `${w.access.variable}:${w.access.offset}`;

/** Keeps `w` among its word's first writes, one per invocation: of two invocations (enough to pair with one other than
 *  any third), or of every invocation for a max or compare-exchange that raised the word, which a clamp's pair may be
 *  held for and settled by its own invocation, and must not hide another's (trial 209 A1: a third lane's max past the
 *  cap, whose lane skipped the clamp, was never paired). */
function keep(table: Map<string, AtomicWrite[]>, word: string, w: AtomicWrite): void {
  let list = table.get(word);
  if (!list) table.set(word, (list = []));
  const raised = (w.op === 'AtomicMax' || w.op === 'AtomicCompareExchangeWeak') && w.before !== w.after;
  if ((list.length < 2 || raised) && !list.some((x) => x.access.invocation === w.access.invocation)) list.push(w);
}
