// Data-race bookkeeping for the interpreter, in time linear in the accesses: each 4-byte word touched keeps, per kind
// of access, the first access and the first one from someone else (another invocation, another workgroup). Any
// earlier access that conflicts with a new one has a representative there, so a race is found as soon as its second
// access happens. wgsl_reflect's MemoryTracker compares every pair of a barrier phase instead: a matmul workgroup
// with no barrier is one phase of 19k accesses, 180 million pairs, which took 95% of a matmul 32³ trace.
//
// Words are exact here: every type the interpreter runs is 4-byte aligned and a multiple of 4 bytes in size (WGSL has
// no 8-bit types, and `enable f16` is skipped as unsupported, unsupported.ts), so two accesses overlap in a byte
// exactly when they overlap in a word.
import type { Access } from './dispatch.ts';

/** Plain read, plain write, atomic read, atomic write: the index into a word's representatives. */
const enum Kind { Read = 0, Write = 1, AtomicRead = 2, AtomicWrite = 3 }

/** Which kinds a new access of each kind races with (another invocation's, same phase): a plain write with any
 *  access, a plain read with any write, an atomic access with plain accesses only (two atomic accesses never race
 *  in WGSL's memory model; wgsl_reflect's pairwise check says the same). */
const CONFLICTS: readonly (readonly Kind[])[] = [
  [Kind.Write, Kind.AtomicWrite],
  [Kind.Read, Kind.Write, Kind.AtomicRead, Kind.AtomicWrite],
  [Kind.Write],
  [Kind.Read, Kind.Write],
];

const kindOf = (a: Access): Kind => (a.atomic ? 2 : 0) + (a.kind === 'write' ? 1 : 0);

/** Per kind k: at 2k the first access and at 2k + 1 the first made by another invocation (or workgroup) than the
 *  first; at 8 + i the arrival number of the access at i. */
type Word = (Access | number | undefined)[];

/** An earlier access that races with a later one, and the first byte they share. */
export interface Conflict {
  earlier: Access;
  byte: number;
}

/**
 * Finds conflicting accesses by word. `same` says whether two accesses are ordered anyway (the same invocation: program
 * order; the same workgroup, for the check between workgroups). Clear it at each barrier for the phase check.
 */
class WordTable {
  private byVariable = new Map<string, Map<number, Word>>();
  /** Arrivals, so that the earliest of several conflicting accesses is the one reported. */
  private n = 0;

  constructor(private same: (a: Access, b: Access) => boolean) {}

  /** Records `a`; returns the earliest recorded access it races with, if any. */
  add(a: Access): Conflict | undefined {
    let words = this.byVariable.get(a.variable);
    if (!words) this.byVariable.set(a.variable, (words = new Map()));
    const kind = kindOf(a);
    const conflicts = CONFLICTS[kind]!;
    const arrival = this.n++;
    let found: Conflict | undefined;
    let foundAt = Infinity;
    for (let w = a.offset >> 2, end = (a.offset + a.size + 3) >> 2; w < end; w++) {
      let word = words.get(w);
      if (!word) words.set(w, (word = new Array(16)));
      for (const k of conflicts) {
        const first = word[2 * k] as Access | undefined;
        const i = first && !this.same(first, a) ? 2 * k : 2 * k + 1;
        const b = word[i] as Access | undefined;
        if (b && !this.same(b, a) && (word[8 + i] as number) < foundAt) {
          foundAt = word[8 + i] as number;
          found = { earlier: b, byte: w * 4 };
        }
      }
      const i = !word[2 * kind] ? 2 * kind : !word[2 * kind + 1] && !this.same(word[2 * kind] as Access, a) ? 2 * kind + 1 : -1;
      if (i >= 0) {
        word[i] = a;
        word[8 + i] = arrival;
      }
    }
    return found;
  }

  clear(): void {
    this.byVariable.clear();
  }
}

const sameInvocation = (a: Access, b: Access) => a.invocation === b.invocation;
const sameWorkgroup = (a: Access, b: Access) =>
  a.workgroup[0] === b.workgroup[0] && a.workgroup[1] === b.workgroup[1] && a.workgroup[2] === b.workgroup[2];

/** The accesses of one barrier phase of one workgroup: two invocations, the same word, one writing, not both atomic. */
export const phaseTable = () => new WordTable(sameInvocation);

/** Storage accesses of one dispatch, atomics left out by the caller: two workgroups, the same word, one writing. No
 *  barrier orders two workgroups, so this is never cleared within a dispatch. */
export const dispatchTable = () => new WordTable(sameWorkgroup);

export type { WordTable };
