// A race in words, the same wherever it is said: the interpreter's Race.message (dispatch.ts) and the no-data-race
// failure that the terminal, the reports and a saved counterexample show (run/trace-properties.ts, which adds how
// many races the dispatch had). The visualizer's panel (visualizer/src/race.ts) says the same facts with the lockstep
// trace's phases, and names the same barrier (barriers.ts FIX). Node-free: the visualizer imports it.
import type { AtomicSource } from '../../run/index-sources.ts';
import { betweenText, FIX, MEMORY, spaceOf, type Barrier } from './barriers.ts';

/** One side of a race: an interpreter Access, or a sanitized GPU run's FoundAccess (trace/sanitize.ts). */
export interface RaceSide {
  /** local_invocation_index within its workgroup; -1 for a sanitized run's reader known only as another invocation
   *  of the workgroup than the one that wrote (trace/sanitize.ts OTHERS). */
  invocation: number;
  workgroup: readonly number[];
  /** A sanitized run's workgroup known only by the low bits of its number ("a workgroup numbered N mod 2^k"). */
  workgroupText?: string;
  /** 1-based line of the access. */
  line: number;
  /** A sanitized run's earlier access (its stamp holds no line): the lines that make such an access. */
  lines?: number[];
  kind: 'read' | 'write';
  /** A write of one component of a vector element (`v[i].x = ...`), which WGSL lets access the whole vector. */
  component?: boolean;
}

/** What a race is said from: the fields of the interpreter's Race and of a sanitized run's FoundRace. */
export interface RaceFacts {
  variable: string;
  /** The case's buffer index of a binding; undefined for workgroup memory. */
  buffer?: number;
  /** The first byte both accesses touch, from the start of the variable. */
  byte: number;
  a: RaceSide;
  b: RaceSide;
  /** A lost update (lost-updates.ts), not a data race: `a` stores (atomicStore, atomicExchange), `b` calls this
   *  read-modify-write builtin (`AtomicAdd`, as wgsl_reflect names it). */
  lostUpdate?: string;
  /** A lost update between workgroups where `a`'s store follows its own failed compare-exchange of the word at this
   *  line (failed-exchanges.ts): `b`'s update may land between the two. */
  afterFailedExchange?: number;
  /** Within a workgroup, the interpreter's: the barriers between `a` and `b`, none of which orders their memory (a
   *  workgroupBarrier() between two accesses of storage). A sanitized run reports only pairs with no barrier between. */
  between?: Barrier[];
  /** A sanitized run's race within a workgroup: its stamps count only the barriers that order the memory, so they
   *  tell that none of those lies between, and nothing of other barriers. */
  betweenUnknown?: boolean;
  /** Both invocations write the element and read it, as the dispatch's races show (updatedByPeers):
   *  a read-modify-write of one element by peers (`bits[w] = bits[w] | m`), which an atomic fixes and no barrier does. */
  update?: boolean;
  /** Atomic calls whose results flow into the index of the store where both write (index-sources.ts), for advice:
   *  given by the caller that has the WGSL. */
  indexSources?: AtomicSource[];
  /** A read and a write whose lines index the element the same way (`sat[idx]` at both: index-sources.ts
   *  sharedIndex), as written: given by the caller that has the WGSL. */
  sharedIndex?: string;
  /** The condition of an `if` whose two branches hold the two accesses (index-sources.ts oppositeBranches): given by
   *  the caller that has the WGSL. */
  branches?: string;
  /** The access that reaches `byte`, where it takes more than one index (`tile[1][1]`, `parts[3].vel`): given by the
   *  caller that has the WGSL (trial 158 B4: "tile byte 44" left the reader to work out the row). */
  element?: string;
  /** The element is an f32 or f16, which no WGSL atomic holds: the advice for peers updating it names what does
   *  (trial 165 B5: a float accumulator was told to use atomicAdd). Given by the caller that has the WGSL. */
  float?: boolean;
  /** Where both accesses are in one helper, where its barrier goes (index-sources.ts helperCallClause). */
  helperCall?: string;
  /** A lost update's store is a clamp (portability.ts clampStores): given by the caller that has the WGSL. */
  clamp?: boolean;
  /** A lost update's store tests what atomicMax returned, not the word after it: alone ('old'), or in max(old, v)
   *  with v changed since the max ('changed'; portability.ts maxOldClamps). */
  maxOld?: 'old' | 'changed';
}

const list = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/**
 * Where an index handed out by atomics comes from, and why two invocations can get the same one: a read of an
 * atomic in var<workgroup> sees its workgroup's updates only once a workgroupBarrier() orders them before it (WGSL
 * §"Memory Model": atomics are relaxed, so only a barrier gives the order), a read of a storage atomic sees another
 * workgroup's in no order WGSL promises; read-modify-writes alone hand out distinct values, so then the arithmetic on
 * them is what overlaps.
 */
function indexSourceText(sources: readonly AtomicSource[]): string {
  const calls = list(sources.map((s) => `${s.builtin}(&${s.variable}) at line ${s.line}`));
  const loads = sources.filter((s) => s.builtin === 'atomicLoad');
  const why = loads.map((l) => {
    const updates = l.updates.filter((u) => u !== l.line);
    // Trial 158 B2: a slot read back after the invocation's own atomicAdd was told of a barrier, with which every
    // invocation reads the final count; the slot is the update's own return. (A storage atomic's sentence below says
    // so already.)
    // Trial 163 B1: a load and then a store of the same atomic, an update made by hand, was told to take the value from
    // the update's own return, which an atomicStore does not have.
    if (l.storedAfter !== undefined && l.droppedBefore === undefined) return `the atomicLoad at line ${l.line} and the atomicStore at line ${l.storedAfter} of '${l.variable}' are two operations: another invocation can load the same value between them, so both hand it out and one update is lost; make them one read-modify-write (\`let slot = atomicAdd(...)\`, whose return is the value before the update)`;
    if (l.workgroup && l.droppedBefore !== undefined) return `the atomicLoad at line ${l.line} reads '${l.variable}' after this invocation's own update at line ${l.droppedBefore}, whose result the code drops: the other invocations' updates can land before the load, and after a workgroupBarrier() every invocation would read the final count, so take the value from that update's own return (\`let slot = atomicAdd(...)\`), which no other invocation gets`;
    return l.workgroup
      ? l.barrierBefore !== undefined
        ? `the atomicLoad at line ${l.line} reads '${l.variable}' after the workgroupBarrier() at line ${l.barrierBefore}, which orders its updates above it before it${l.erasable
          ? `; but the update at line ${l.erasable.update} follows the atomicStore at line ${l.erasable.store} with no workgroupBarrier() between: another invocation's update may land before that store and be erased, so the value read may lack it; add a workgroupBarrier() after the store`
          : ': check what it hands out (a count, an offset) against the elements written from it'}`
        : `the atomicLoad at line ${l.line} sees the other invocations' updates of '${l.variable}' only once a workgroupBarrier() orders them before it${updates.length ? ` (is there one between line${updates.length > 1 ? 's' : ''} ${list(updates.map(String))} and line ${l.line}?)` : ''}`
      // Trial 134 B1: one workgroup's invocations shared a slot read back after their atomicAdd, and were told of
      // other workgroups.
      : `the atomicLoad at line ${l.line} sees the other invocations' updates of '${l.variable}', of its workgroup and of others, in no order WGSL promises${updates.length ? ` (an update at line ${list(updates.map(String))} and a load after it are two operations, and others can land between them: take the value from the update's own return)` : ''}`;
  });
  return `it comes from ${calls}: ${why.length ? why.join('; ') : 'each of these calls hands out a value no other call gets, so check the arithmetic on them (what each adds must cover the elements written from it)'}`;
}

/** The address space the other barrier orders. */
const OTHER = { workgroup: 'storage', storage: 'workgroup' } as const;

/** A side's line; undefined for a sanitized run's earlier access that several lines could have made (RaceSide.lines). */
export const sideLine = (s: RaceSide): number | undefined => (s.lines ? (s.lines.length === 1 ? s.lines[0] : undefined) : s.line);

/** "invocation 4 of workgroup (0, 0, 0)". */
export const invocationText = (s: Pick<RaceSide, 'invocation' | 'workgroup' | 'workgroupText'>): string =>
  `${s.invocation < 0 ? 'another invocation' : `invocation ${s.invocation}`} of ${s.workgroupText ? s.workgroupText : `workgroup (${s.workgroup.join(', ')})`}`;

// A sanitized run's earlier access is known by its invocation, not its line (RaceSide.lines): the lines that could be it.
const at = (s: RaceSide) => (s.lines ? (s.lines.length === 1 ? `line ${s.lines[0]}` : `one of lines ${s.lines.join(', ')} (a GPU run records which invocation, not which line)`) : `line ${s.line}`);

/** What a storageBarrier() cannot do, said beside the advice to add one. */
const STORAGE_BARRIER_SCOPE = 'a storageBarrier() orders the invocations of one workgroup only: where other workgroups touch the element too, write the results to another buffer (double buffering) or split the steps into dispatches';

/**
 * A race in one sentence, e.g. "data race on tile (workgroup memory) byte 4: invocation 1 of workgroup (0, 0, 0) writes
 * at line 12, invocation 0 of workgroup (0, 0, 0) reads at line 15, no barrier between (add a workgroupBarrier()
 * between them)", or "lost update on bins (workgroup memory) byte 16: invocation 4 of workgroup (0, 0, 0) stores at
 * line 21, invocation 0 of workgroup (0, 0, 0) calls atomicAdd at line 24, no barrier between: the store may land
 * after the update and erase it (add a workgroupBarrier() between them)". `memory` names the variable's memory as the
 * user knows it (the spec's buffer name); by default "workgroup memory" or "buffer N". `file`: the WGSL file the
 * dispatch ran, whose lines these are ("data race in scan.wgsl on tile ...").
 */
export function raceText(r: RaceFacts, memory = r.buffer === undefined ? 'workgroup memory' : `buffer ${r.buffer}`, file?: string): string {
  const space = spaceOf(r);
  // "on y (y)" said the spec's name of a buffer twice where the WGSL names it the same.
  const head = `${file ? `in ${file} ` : ''}on ${r.variable}${memory === r.variable ? '' : ` (${memory})`} byte ${r.byte}${r.element ? ` (${r.element})` : ''}: ${invocationText(r.a)}`;
  // The barrier this memory needs (WGSL §"Synchronization Built-in Functions": each orders its own address space).
  // Two invocations writing one element at one line are most often an index that maps both to it, where a barrier
  // fixes nothing (a new user's 8x8 workgroup indexed by gid.x alone was told to add a storageBarrier()).
  const oneLine = r.a.kind === 'write' && r.b.kind === 'write' && sideLine(r.a) !== undefined && sideLine(r.a) === sideLine(r.b);
  // Two invocations writing different components of one vector element race too (a trial's 32 × 32 matmul filled a
  // vec4 tile one component per invocation, `Bs[r][q / 4u][q % 4u] = vb`): the index is right, the store is not.
  const components = r.a.component || r.b.component;
  // A workgroup known only by its low bits may be another one with the same bits: say only what is sure.
  const sameWorkgroup = !r.a.workgroupText && !r.b.workgroupText && r.a.workgroup.every((w, i) => w === r.b.workgroup[i]);
  const maybeSame = !sameWorkgroup && [r.a, r.b].some((s) => s.workgroupText && /^the same workgroup/.test(s.workgroupText));
  // A barrier orders the invocations of one workgroup only (WGSL §"Synchronization Built-in Functions"): between
  // workgroups of one dispatch nothing does, so the advice there names no barrier (a new user's lost update across
  // workgroups was told to add one).
  // Every invocation storing one reduction's result at one element is the commonest such bug (trial 56 B1: told only
  // of atomics and turns).
  // WGSL's atomics are of i32 and u32 only (§"Atomic Types"): a float that peers update needs another way.
  // A storage race seen within one workgroup may be one between workgroups on a larger case (trial 180 B2: an
  // in-place stencil, shrunk to one workgroup, was told only of a storageBarrier()).
  const scope = space === 'storage' ? `; ${STORAGE_BARRIER_SCOPE}` : '';
  const floatWays = 'give each invocation its own partial sum and reduce them (in workgroup memory, then one store), or add through a compare-exchange loop on an atomic<u32> that holds the bits (bitcast<f32>)';
  const atomic = r.float ? 'an atomic<u32> that holds its bits, updated by a compare-exchange loop (WGSL has no float atomics), or give each invocation its own partial sum and reduce them' : 'an atomic (atomicAdd)';
  const index = `check the index, which gives two invocations the same element; if each computes the same value (a reduction's result), let one of them store it; if it is a shared counter or bin, make it ${atomic}`;
  const advice = oneLine && components
    ? `(both write it at line ${sideLine(r.a)}, one component of the same vector element each: WGSL lets a write of one component access the whole vector (§"Component Reference from Vector Memory View"), so they race; have one invocation write the whole vector, or keep the components in an array of scalars)`
    // Peers reading and writing one element (`bits[w] = bits[w] | m` from every invocation): each update may read
    // the value before another's and write over it, whatever barriers lie around (a new user's Bloom filter was told
    // to add a storageBarrier()). Before two writes at one line too: taking turns is not what such peers lack. Not
    // where a barrier of the other memory lies between the two (r.between): they are phases of one algorithm, and the
    // barrier of this memory orders them (a trial's in-place FFT in storage, a workgroupBarrier() between its
    // stages, was told to make its elements atomic).
    // Within a workgroup, the same facts are steps of one algorithm that reads and writes an element in turn (a
    // Blelloch scan's sweep levels, one barrier short: a trial was told a barrier would not fix it): said both ways.
    : r.update && !r.lostUpdate && !r.between?.length
    ? `(both read and write it: invocations that update one element (a counter, a bin, a word of bits) need ${r.float ? 'an atomic' : 'an atomic (atomicAdd, atomicOr)'}, which no barrier replaces${sameWorkgroup ? `; steps that update it in turn (a tree's or a scan's levels) need a ${FIX[space]} between the steps` : ', and no barrier orders two workgroups'}${r.float ? `; WGSL has no float atomics: ${floatWays}` : ''}; if each should have its own element, check the index)`
    // An index handed out by atomics: why it can repeat, not turns or counters, which it is not.
    : oneLine && r.indexSources?.length
    ? `(both write it at line ${sideLine(r.a)}: check the index, which gives two invocations the same element; ${indexSourceText(r.indexSources)})`
    : oneLine
    ? (sameWorkgroup ? `(both write it at line ${sideLine(r.a)}: ${index}; if they are meant to take turns, add a ${FIX[space]} between the turns)`
      : `(both write it at line ${sideLine(r.a)}: ${index}; if they are meant to take turns, no barrier orders two workgroups: take the turns in separate dispatches)`)
    // In the two branches of one `if`, no barrier can go between them (trial 123 B1, trial 126 B3); nor between two
    // workgroups (trial 186 B1: the second advice could not fix a word every workgroup updates).
    // A clamp beside an update past its value (trial 203 B1: told to make the store an atomicOr or atomicMax, which
    // cannot lower a word): either may land last, so the clamp goes after every update.
    // Trial 211: a clamp that tests atomicMax's return was told to add a barrier.
    : r.lostUpdate && r.maxOld
    ? `(the store at line ${sideLine(r.a)} tests ${r.maxOld === 'changed' ? 'max(old, v) with v changed after the max, which then holds only what atomicMax returned' : 'what atomicMax returned'}, the word before that max: the max that first passes the cap may skip the store, and stays or is erased as another invocation's store lands; test max(old, v) with the v the max was given, the word after the max)`
    : r.lostUpdate && r.clamp
    ? `(the store at line ${sideLine(r.a)} clamps the word at what it stores, and an update past that which lands after the store stays: clamp once every update is done, after a ${FIX[space]} that follows them${space === 'storage' ? '; if other workgroups update it too, in a dispatch of its own after this one' : ''})`
    : sameWorkgroup && r.branches
    ? (r.lostUpdate
      ? `(they are in different branches of \`if (${r.branches})\`, so no barrier can go between them: to keep every update, make the store a read-modify-write too (atomicOr, atomicMax), or store before the \`if\` and add a ${FIX[space]} after it${space === 'storage' ? '; if other workgroups update it too, no barrier orders their updates: only the read-modify-write keeps them' : ''})`
      : `(they are in different branches of \`if (${r.branches})\`, taken by different invocations, so no barrier can go between them: if each should have its own element, check the index; if both must write it, let one invocation write it, or make it an atomic)`)
    : sameWorkgroup
    ? (r.lostUpdate && space === 'storage'
      // Seeding a storage atomic in the dispatch that updates it: a storageBarrier() orders this workgroup's updates
      // only (a new user's reduction seeded by invocation 0, shrunk to one workgroup, was told to add one).
      ? `(add a ${FIX[space]} between them if only this workgroup updates it; if other workgroups update it too, no barrier orders their updates: store it in a dispatch of its own before this one, or seed it from the host)`
      : components
      ? `(add a ${FIX[space]} between them; a write of one component of a vector element counts as a write of the whole vector)`
      // Read and written through one index expression: invocations that each own an element computed the same one
      // (trial 45's summed-area table with the wrong stride was told only to add a barrier, which fixes nothing), or
      // peers update it, which an atomic fixes: both run the read and then the write, so a barrier between them only
      // makes it a race of two writes (trial 47 followed that advice).
      : r.sharedIndex
      ? `(both reach it as ${r.sharedIndex}: if each invocation should have its own element, check the index, which gives two invocations the same one; if they are meant to share it, make it ${atomic}: a barrier between the read and the write would leave both reading before either writes)`
      // A sanitized run counts only this memory's barriers, so cannot say that the other kind lies between, as the
      // interpreter does (betweenText): said as a rule, for the reader who sees one there (trial 41's swap).
      // Both writes, and the earlier one may be the later's line: then it is an index two invocations share, which
      // no barrier fixes (trial 44's subgroup softmax assumed 32 invocations a subgroup, `part[lid / 32u]`).
      : r.betweenUnknown && r.a.kind === 'write' && r.b.kind === 'write' && r.a.lines?.includes(r.b.line)
      // Which reading holds, a run on the interpreter tells: it records the line of each access (trial 223 B3: the
      // missing barrier after a load into workgroup memory read as a shared index).
      ? `(if both wrote at line ${r.b.line}, two invocations share the element and no barrier fixes that: ${index}; if not, add a ${FIX[space]} between them: a ${FIX[OTHER[space]]} orders ${MEMORY[OTHER[space]]} only${scope}; --backend interpreter names the line of each write, which tells)`
      : r.betweenUnknown
      ? `(add a ${FIX[space]} between them${r.helperCall ? `; ${r.helperCall}` : ''}: a ${FIX[OTHER[space]]} orders ${MEMORY[OTHER[space]]} only${scope})`
      : `(add a ${FIX[space]} between them${r.helperCall ? `; ${r.helperCall}` : ''}${scope})`)
    : maybeSame
    ? `(if they are in one workgroup, add a ${FIX[space]} between them; if in two, no barrier orders them: if one must read what the other wrote, do the two in separate dispatches)`
    : `(no barrier orders two workgroups: if one must read what the other wrote, do the two in separate dispatches; if each should have its own element, check the index${components ? '; a write of one component of a vector element counts as a write of the whole vector' : ''})`;
  const apart = r.between?.length ? betweenText(r.between, space)
    : r.betweenUnknown ? `no barrier that orders ${MEMORY[space]} between` : 'no barrier between';
  if (r.lostUpdate && r.afterFailedExchange !== undefined) {
    const op = r.lostUpdate[0]!.toLowerCase() + r.lostUpdate.slice(1);
    return `lost update ${head} stores at ${at(r.a)} after its atomicCompareExchangeWeak at line ${r.afterFailedExchange} failed, ` +
      `${invocationText(r.b)} ${op === 'atomicStore' ? 'stores' : `calls ${op}`} at ${at(r.b)}, different workgroups of one dispatch, which nothing orders: ` +
      `an update may land between the failed exchange and the store, which erases it (retry the compare-exchange with the .old_value it returns until .exchanged is true, rather than storing)`;
  }
  if (r.lostUpdate) {
    const op = r.lostUpdate[0]!.toLowerCase() + r.lostUpdate.slice(1);
    return `lost update ${head} stores at ${at(r.a)}, ${invocationText(r.b)} calls ${op} at ${at(r.b)}, ${apart}: ` +
      `the store may land after the update and erase it ${advice}`;
  }
  return `data race ${head} ${r.a.kind}s at ${at(r.a)}, ${invocationText(r.b)} ${r.b.kind}s at ${at(r.b)}, ` +
    (sameWorkgroup ? `${apart} ${advice}`
      : maybeSame ? `in one workgroup with ${apart}, or in two, which nothing orders ${advice}`
      : `different workgroups of one dispatch, which nothing orders ${advice}`);
}

const sideKey = (s: RaceSide) => `${s.invocation}@${s.workgroupText ?? s.workgroup.join(',')}`;

/**
 * Whether race `r` is peers updating one element (RaceFacts.update): among the races of its dispatch on the same
 * bytes (`r` included), both of its invocations are seen writing the element and one of them reading it. Each race
 * names two accesses only (a GPU run keeps the last accessor of each element), so the evidence is gathered from all
 * of them: `bits[w] = bits[w] | m` from every invocation first shows as "1 writes, 0 reads", and 0's write of the
 * same word is another race. A tree level reading the last level's result (`t[i] = t[i] + t[i + s]` with no
 * barrier) is not one: its reader never writes the element it reads there, and a barrier is what it lacks; nor a
 * seed that another invocation then adds to at a line of its own.
 */
export function updatedByPeers(r: RaceFacts, races: readonly RaceFacts[]): boolean {
  if (r.lostUpdate || sideKey(r.a) === sideKey(r.b)) return false;
  const lines = (s: RaceSide) => s.lines ?? [s.line];
  // Each invocation's kinds of access, and the lines each kind may be at.
  const seen = new Map<string, Map<string, number[]>>();
  for (const x of [r, ...races]) {
    if (x.lostUpdate || x.variable !== r.variable || x.buffer !== r.buffer || x.byte !== r.byte) continue;
    for (const s of [x.a, x.b]) {
      const k = sideKey(s);
      if (!seen.has(k)) seen.set(k, new Map());
      seen.get(k)!.set(s.kind, [...(seen.get(k)!.get(s.kind) ?? []), ...lines(s)]);
    }
  }
  const a = seen.get(sideKey(r.a))!;
  const b = seen.get(sideKey(r.b))!;
  if (!a.has('write') || !b.has('write')) return false;
  // An update reads the element before (or where) it writes it; one that reads it only at lines below its writes
  // stored it and read it back (trial 158 B3: two workgroups' blocks overlapping by a wrong stride, told to make the
  // element an atomic). Lines only: a loop may read below and write above, which this reads as no update.
  const readsFirst = (k: Map<string, number[]>) => !!k.get('read') && Math.min(...k.get('read')!) <= Math.max(...k.get('write')!);
  // Both read and write it; or one does, in the statement where the other writes it (a GPU run's earlier side is
  // known by the lines that could make it). One storing and the other then adding to it, at a line of its own, is
  // a seed and an update taking turns, which a barrier orders (`dst[w] = t[0]`, then `dst[w] = dst[w] + t[1]`).
  const readWhereWrites = (x: Map<string, number[]>, y: Map<string, number[]>) => (x.get('read') ?? []).some((l) => y.get('write')!.includes(l));
  return (readsFirst(a) && readsFirst(b)) || readWhereWrites(a, b) || readWhereWrites(b, a);
}
