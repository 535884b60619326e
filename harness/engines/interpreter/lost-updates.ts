// Lost updates between atomics: an atomicStore and another invocation's read-modify-write (atomicAdd, atomicMax,
// atomicCompareExchangeWeak, ...) of the same word, with nothing ordering the two. Atomics never race in WGSL's sense,
// so races.ts does not see them; but WGSL orders only each word's own writes (one modification order per atomic,
// §"Memory Model"), not the invocations that make them, so the store may land after the update and erase it. A
// histogram that clears its private bins with atomicStore and counts into them with atomicAdd, with no barrier
// between, loses counts on every GPU engine; the interpreter's lock-step schedule runs every clear before any count
// and never loses one, so it finds the pair instead.
//
// Only a store its invocation makes before any read-modify-write of its own to the word counts (an initialising
// store): a store after its own update (a lock's release after the compare-exchange that took it) is ordered after
// that update, and a winner's flag stored after its atomicAdd picked it does not erase another's count by design.
import type { Access } from './dispatch.ts';

/** An atomic write of one word: the builtin's name (`AtomicStore`, `AtomicAdd`, ...) and where it happened. */
export interface AtomicWrite {
  op: string;
  access: Access;
}

/**
 * The atomic writes of one scope (a workgroup's barrier phase, or a dispatch for storage between workgroups) by word.
 * `owner` says who an access belongs to within the scope (an invocation; a workgroup between workgroups): accesses of
 * one owner are ordered by program order.
 */
export class LostUpdates {
  /** Per word: the first initialising stores and the first read-modify-writes, each of up to two owners (enough to
   *  find one of another owner than any third). */
  private stores = new Map<string, AtomicWrite[]>();
  private updates = new Map<string, AtomicWrite[]>();
  /** `owner word` pairs whose owner has made a read-modify-write of the word in this scope. */
  private updated = new Set<string>();

  constructor(private owner: (a: Access) => string) {}

  /** Records a completed atomic write; returns the unordered store and update it completes a pair of, if any. */
  add(w: AtomicWrite): [AtomicWrite, AtomicWrite] | undefined {
    const word = `${w.access.variable}:${w.access.offset}`;
    const me = this.owner(w.access);
    if (w.op === 'AtomicStore') {
      if (this.updated.has(`${me} ${word}`)) return undefined;
      this.keep(this.stores, word, w, me);
      const other = this.updates.get(word)?.find((u) => this.owner(u.access) !== me);
      return other ? [w, other] : undefined;
    }
    this.updated.add(`${me} ${word}`);
    this.keep(this.updates, word, w, me);
    const store = this.stores.get(word)?.find((s) => this.owner(s.access) !== me);
    return store ? [store, w] : undefined;
  }

  private keep(table: Map<string, AtomicWrite[]>, word: string, w: AtomicWrite, me: string): void {
    const list = table.get(word) ?? [];
    if (list.length < 2 && !list.some((x) => this.owner(x.access) === me)) table.set(word, [...list, w]);
  }

  clear(): void {
    this.stores.clear();
    this.updates.clear();
    this.updated.clear();
  }
}

/** The no-data-race message for a pair, e.g. "workgroup (0, 0, 0): Lost update on 'bins' byte 16: invocation 4's
 *  atomicStore (line 21) and invocation 0's atomicAdd (line 24) are unordered ...". */
export function lostUpdateMessage(store: AtomicWrite, update: AtomicWrite, byte: number, betweenWorkgroups: boolean): string {
  const s = store.access;
  const u = update.access;
  const who = (a: Access) => (betweenWorkgroups ? `workgroup (${a.workgroup.join(', ')})` : `invocation ${a.invocation}`);
  const name = (op: string) => op[0]!.toLowerCase() + op.slice(1);
  const where = betweenWorkgroups ? `workgroups (${s.workgroup.join(', ')}) and (${u.workgroup.join(', ')})` : `workgroup (${s.workgroup.join(', ')})`;
  return `${where}: Lost update on '${s.variable}' byte ${byte}: ${who(s)}'s atomicStore (line ${s.line}) and ${who(u)}'s ${name(update.op)} ` +
    `(line ${u.line}) are unordered, so the store may land after the update and erase it (WGSL orders an atomic's writes, not the ` +
    `invocations making them). ${betweenWorkgroups ? 'Nothing orders two workgroups of one dispatch: store in an earlier dispatch.' : 'Add a workgroupBarrier() between them.'}`;
}
