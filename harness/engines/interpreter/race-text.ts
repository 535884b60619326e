// A race in words, the same wherever it is said: the interpreter's Race.message (dispatch.ts) and the no-data-race
// failure that the terminal, the reports and a saved counterexample show (run/trace-properties.ts, which adds how
// many races the dispatch had). The visualizer's panel (visualizer/src/race.ts) says the same facts with the lockstep
// trace's phases, and names the same barrier (barriers.ts FIX). Node-free: the visualizer imports it.
import { betweenText, FIX, MEMORY, spaceOf, type Barrier } from './barriers.ts';

/** One side of a race: an interpreter Access, or a sanitized GPU run's FoundAccess (trace/sanitize.ts). */
export interface RaceSide {
  /** local_invocation_index within its workgroup. */
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
  /** Within a workgroup, the interpreter's: the barriers between `a` and `b`, none of which orders their memory (a
   *  workgroupBarrier() between two accesses of storage). A sanitized run reports only pairs with no barrier between. */
  between?: Barrier[];
  /** A sanitized run's race within a workgroup: its stamps count only the barriers that order the memory, so they
   *  tell that none of those lies between, and nothing of other barriers. */
  betweenUnknown?: boolean;
}

/** "invocation 4 of workgroup (0, 0, 0)". */
export const invocationText = (s: Pick<RaceSide, 'invocation' | 'workgroup' | 'workgroupText'>): string =>
  `invocation ${s.invocation} of ${s.workgroupText ? s.workgroupText : `workgroup (${s.workgroup.join(', ')})`}`;

// A sanitized run's earlier access is known by its invocation, not its line (RaceSide.lines): the lines that could be it.
const at = (s: RaceSide) => (s.lines ? (s.lines.length === 1 ? `line ${s.lines[0]}` : `one of lines ${s.lines.join(', ')} (a GPU run records which invocation, not which line)`) : `line ${s.line}`);

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
  const head = `${file ? `in ${file} ` : ''}on ${r.variable}${memory === r.variable ? '' : ` (${memory})`} byte ${r.byte}: ${invocationText(r.a)}`;
  // The barrier this memory needs (WGSL §"Synchronization Built-in Functions": each orders its own address space).
  // Two invocations writing one element at one line are most often an index that maps both to it, where a barrier
  // fixes nothing (a new user's 8x8 workgroup indexed by gid.x alone was told to add a storageBarrier()).
  const lineOf = (s: RaceSide) => (s.lines ? (s.lines.length === 1 ? s.lines[0] : undefined) : s.line);
  const oneLine = r.a.kind === 'write' && r.b.kind === 'write' && lineOf(r.a) !== undefined && lineOf(r.a) === lineOf(r.b);
  // Two invocations writing different components of one vector element race too (a trial's 32 × 32 matmul filled a
  // vec4 tile one component per invocation, `Bs[r][q / 4u][q % 4u] = vb`): the index is right, the store is not.
  const components = r.a.component || r.b.component;
  const advice = oneLine && components
    ? `(both write it at line ${lineOf(r.a)}, one component of the same vector element each: WGSL lets a write of one component access the whole vector (§"Component Reference from Vector Memory View"), so they race; have one invocation write the whole vector, or keep the components in an array of scalars)`
    : oneLine
    ? `(both write it at line ${lineOf(r.a)}: check the index, which gives two invocations the same element; if it is a shared counter or bin, make it an atomic (atomicAdd); if they are meant to take turns, add a ${FIX[space]} between the turns)`
    : components
    ? `(add a ${FIX[space]} between them; a write of one component of a vector element counts as a write of the whole vector)`
    : `(add a ${FIX[space]} between them)`;
  const apart = r.between?.length ? betweenText(r.between, space)
    : r.betweenUnknown ? `no barrier that orders ${MEMORY[space]} between` : 'no barrier between';
  if (r.lostUpdate) {
    const op = r.lostUpdate[0]!.toLowerCase() + r.lostUpdate.slice(1);
    return `lost update ${head} stores at ${at(r.a)}, ${invocationText(r.b)} calls ${op} at ${at(r.b)}, ${apart}: ` +
      `the store may land after the update and erase it ${advice}`;
  }
  // A workgroup known only by its low bits may be another one with the same bits: say only what is sure.
  const sameWorkgroup = !r.a.workgroupText && !r.b.workgroupText && r.a.workgroup.every((w, i) => w === r.b.workgroup[i]);
  return `data race ${head} ${r.a.kind}s at ${at(r.a)}, ${invocationText(r.b)} ${r.b.kind}s at ${at(r.b)}, ` +
    (sameWorkgroup ? `${apart} ${advice}` : 'different workgroups of one dispatch, which nothing orders');
}
