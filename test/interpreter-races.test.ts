// The interpreter's race bookkeeping (harness/engines/interpreter/races.ts) keeps two accesses per word and kind
// instead of comparing every pair: on any sequence of accesses it must find exactly the races the pairwise
// definition finds (two invocations, overlapping bytes, one writing, not both atomic), and name the same
// earlier access and first shared byte.
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Access } from '../harness/engines/interpreter/dispatch.ts';
import { LostUpdates, type AtomicWrite } from '../harness/engines/interpreter/lost-updates.ts';
import { dispatchTable, phaseTable } from '../harness/engines/interpreter/races.ts';

const access = (invocation: number, workgroup: number, word: number, words: number, kind: 'read' | 'write', atomic: boolean): Access => ({
  variable: 'v', offset: 4 * word, size: 4 * words, kind, atomic, workgroup: [workgroup, 0, 0], invocation, line: 1, phase: 0,
});

const arbitraryAccesses = fc.array(
  fc.tuple(fc.nat(3), fc.nat(2), fc.integer({ min: -1, max: 5 }), fc.constantFrom(1, 2, 4), fc.constantFrom('read' as const, 'write' as const), fc.boolean())
    .map(([inv, wg, word, words, kind, atomic]) => access(inv, wg, word, words, kind, atomic)),
  { maxLength: 40 },
);

/** For each access, the earliest earlier access it races with and their first shared byte: every pair compared. */
function pairwise(as: Access[], ordered: (a: Access, b: Access) => boolean): ({ earlier: number; byte: number } | undefined)[] {
  return as.map((b, j) => {
    for (let i = 0; i < j; i++) {
      const a = as[i]!;
      if (ordered(a, b) || (a.kind === 'read' && b.kind === 'read') || (a.atomic && b.atomic)) continue;
      if (a.offset + a.size <= b.offset || b.offset + b.size <= a.offset) continue;
      return { earlier: i, byte: Math.max(a.offset, b.offset) };
    }
    return undefined;
  });
}

describe('race bookkeeping by word', () => {
  test('within a barrier phase: the races of the pairwise check, no more, no fewer', () => {
    fc.assert(fc.property(arbitraryAccesses, (as) => {
      const t = phaseTable();
      const found = as.map((a) => t.add(a)).map((c) => c && { earlier: as.indexOf(c.earlier), byte: c.byte });
      expect(found).toEqual(pairwise(as, (a, b) => a.invocation === b.invocation));
    }), { numRuns: 500 });
  });

  test('between workgroups: the races of the pairwise check', () => {
    fc.assert(fc.property(arbitraryAccesses, (as) => {
      const t = dispatchTable();
      const found = as.map((a) => t.add(a)).map((c) => c && { earlier: as.indexOf(c.earlier), byte: c.byte });
      expect(found).toEqual(pairwise(as, (a, b) => a.workgroup[0] === b.workgroup[0]));
    }), { numRuns: 500 });
  });

  test('a write that only a second representative reveals: invocation 0 reads twice, 1 reads, 0 writes', () => {
    const t = phaseTable();
    const as = [access(0, 0, 0, 1, 'read', false), access(0, 0, 0, 1, 'read', false), access(1, 0, 0, 1, 'read', false), access(0, 0, 0, 1, 'write', false)];
    const found = as.map((a) => t.add(a));
    expect(found.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(found[3]).toEqual({ earlier: as[2], byte: 0 });
  });

  test('a barrier (clear) ends the phase: the same accesses in two phases do not race', () => {
    const t = phaseTable();
    expect(t.add(access(0, 0, 0, 1, 'write', false))).toBeUndefined();
    t.clear();
    expect(t.add(access(1, 0, 0, 1, 'read', false))).toBeUndefined();
  });
});

// Lost updates (lost-updates.ts): an initialising atomicStore (its owner had not updated the word before) and another
// owner's read-modify-write of the same word, in either order, whatever else comes between.
describe('lost-update bookkeeping', () => {
  const write = (owner: number, word: number, op: string): AtomicWrite => ({ op, access: { ...access(owner, 0, word, 1, 'write', true), line: owner } });
  const arbitraryWrites = fc.array(fc.tuple(fc.nat(3), fc.nat(2), fc.constantFrom('AtomicStore', 'AtomicAdd', 'AtomicCompareExchangeWeak'))
    .map(([owner, word, op]) => write(owner, word, op)), { maxLength: 40 });

  test('a pair is found at the first write that completes one, as every pair compared says', () => {
    fc.assert(fc.property(arbitraryWrites, (ws) => {
      const t = new LostUpdates((a) => String(a.invocation));
      const found = ws.map((w) => t.add(w) !== undefined);
      const initialising = ws.map((w, i) => w.op === 'AtomicStore' &&
        !ws.slice(0, i).some((v) => v.op !== 'AtomicStore' && v.access.invocation === w.access.invocation && v.access.offset === w.access.offset));
      const expected = ws.map((w, j) => ws.slice(0, j).some((v, i) => v.access.offset === w.access.offset && v.access.invocation !== w.access.invocation &&
        ((w.op === 'AtomicStore' && initialising[j] && v.op !== 'AtomicStore') || (w.op !== 'AtomicStore' && initialising[i]))));
      expect(found).toEqual(expected);
    }), { numRuns: 500 });
  });

  test("a lock's release (a store after its owner's own compare-exchange) is no lost update", () => {
    const t = new LostUpdates((a) => String(a.invocation));
    expect(t.add(write(0, 0, 'AtomicCompareExchangeWeak'))).toBeUndefined();
    expect(t.add(write(1, 0, 'AtomicCompareExchangeWeak'))).toBeUndefined();
    expect(t.add(write(0, 0, 'AtomicStore'))).toBeUndefined();
    // A clear by one invocation and a count by another: found, store first.
    const [store, update] = t.add(write(2, 1, 'AtomicStore')) ?? t.add(write(3, 1, 'AtomicAdd'))!;
    expect([store.access.invocation, update.access.invocation, update.op]).toEqual([2, 3, 'AtomicAdd']);
  });
});
