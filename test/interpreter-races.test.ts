// The interpreter's race bookkeeping (harness/engines/interpreter/races.ts) keeps two accesses per word and kind
// instead of comparing every pair: on any sequence of accesses it must find exactly the races the pairwise
// definition finds (two invocations, overlapping bytes, one writing, not both atomic), and name the same
// earlier access and first shared byte.
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Access } from '../harness/engines/interpreter/dispatch.ts';
import { keptExchangeLines, LostUpdates, type AtomicWrite } from '../harness/engines/interpreter/lost-updates.ts';
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

// Lost updates (lost-updates.ts): a store (atomicStore, atomicExchange) its invocation made before changing the word
// itself, and another invocation's read-modify-write that changed the word, in one phase, in either order, whatever
// else comes between.
describe('lost-update bookkeeping', () => {
  const STORES = ['AtomicStore', 'AtomicExchange'];
  const write = (invocation: number, word: number, op: string, changed = true): AtomicWrite => ({ op, changed, access: { ...access(invocation, 0, word, 1, 'write', true), line: invocation } });
  const arbitraryWrites = fc.array(fc.tuple(fc.nat(3), fc.nat(2), fc.constantFrom('AtomicStore', 'AtomicExchange', 'AtomicAdd', 'AtomicCompareExchangeWeak'), fc.boolean())
    .map(([invocation, word, op, changed]) => write(invocation, word, op, changed)), { maxLength: 40 });

  test('a pair is found at the first write that completes one, as every pair compared says', () => {
    fc.assert(fc.property(arbitraryWrites, (ws) => {
      const t = new LostUpdates();
      const found = ws.map((w) => t.add(w) !== undefined);
      const update = (v: AtomicWrite) => !STORES.includes(v.op) && v.changed;
      const same = (v: AtomicWrite, w: AtomicWrite) => v.access.offset === w.access.offset;
      const initialising = ws.map((w, i) => STORES.includes(w.op) && !ws.slice(0, i).some((v) => update(v) && same(v, w) && v.access.invocation === w.access.invocation));
      const expected = ws.map((w, j) => ws.slice(0, j).some((v, i) => same(v, w) && v.access.invocation !== w.access.invocation &&
        ((initialising[j]! && update(v)) || (update(w) && initialising[i]!))));
      expect(found).toEqual(expected);
    }), { numRuns: 500 });
  });

  test("a lock's release, an update that changed nothing and a hand-off by exchange are no lost update; a clear and a count are", () => {
    const t = new LostUpdates();
    expect(t.add(write(0, 0, 'AtomicCompareExchangeWeak'))).toBeUndefined();
    expect(t.add(write(1, 0, 'AtomicCompareExchangeWeak', false))).toBeUndefined();
    expect(t.add(write(0, 0, 'AtomicStore'))).toBeUndefined();
    expect(t.add(write(2, 1, 'AtomicStore'))).toBeUndefined();
    expect(t.add(write(3, 1, 'AtomicOr', false))).toBeUndefined();
    expect(t.add(write(4, 1, 'AtomicExchange'))).toBeUndefined();
    const [store, update] = t.add(write(5, 1, 'AtomicAdd'))!;
    expect([store.access.invocation, update.access.invocation, update.op]).toEqual([2, 5, 'AtomicAdd']);
  });

  // Trial 176 A1: a drain, `let got = atomicExchange(&acc, 0u)` forwarded, hands on what it replaced: no lost update;
  // an exchange whose old value is dropped is a store as any other.
  test('an exchange whose old value is kept is an update, not a store that erases one', () => {
    const t = new LostUpdates();
    expect(t.add(write(0, 0, 'AtomicAdd'))).toBeUndefined();
    expect(t.add({ ...write(1, 0, 'AtomicExchange'), kept: true })).toBeUndefined();
    expect(t.add(write(2, 0, 'AtomicAdd'))).toBeUndefined();
    expect(t.add(write(3, 0, 'AtomicExchange'))).toBeDefined();
  });

  // Trial 178 A1: an exchange is kept only where the code goes on to use its old value.
  test('keptExchangeLines: a used old value is kept; a phony, an unread let and a dropped helper result are not', () => {
    const code = `var<workgroup> a: atomic<u32>;
@group(0) @binding(0) var<storage, read_write> t: array<atomic<u32>>;
fn take() -> u32 { return atomicExchange(&a, 0u); }
fn drop() -> u32 { return atomicExchange(&a, 0u); }
@compute @workgroup_size(1) fn main() {
  let got = atomicExchange(&a, 0u);
  atomicAdd(&t[0], got);
  atomicAdd(&t[0], atomicExchange(&a, 0u));
  _ = atomicExchange(&a, 0u);
  let stale = atomicExchange(&a, 0u);
  atomicExchange(&a, 0u);
  atomicAdd(&t[0], take());
  let d = drop();
  if (atomicExchange(&a, 1u) == 0u) { atomicStore(&a, 0u); }
}`;
    expect([...keptExchangeLines(code)].sort((x, y) => x - y)).toEqual([3, 6, 8, 14]);
  });

  // Trial 117 A1: a changed flag set by atomicOr(&f, 1u) on one path and atomicStore(&f, 1u) on another loses nothing.
  test('an update the store\'s value already holds is no lost update, in either order; one it does not hold is', () => {
    const valued = (invocation: number, op: string, after: number): AtomicWrite => ({ ...write(invocation, 0, op), after, constant: true });
    for (const [op, store, update, lost] of [['AtomicOr', 1, 1, false], ['AtomicOr', 1, 3, true], ['AtomicMax', 5, 4, false], ['AtomicMax', 5, 6, true],
      ['AtomicMin', 2, 3, false], ['AtomicMin', 2, 1, true], ['AtomicAnd', 4, 6, false], ['AtomicAnd', 4, 2, true], ['AtomicAdd', 1, 1, true], ['AtomicMax', 2 ** 31, 1, true]] as const) {
      for (const storeFirst of [true, false]) {
        const t = new LostUpdates();
        const [a, b] = storeFirst ? [valued(0, 'AtomicStore', store), valued(1, op, update)] : [valued(1, op, update), valued(0, 'AtomicStore', store)];
        t.add(a);
        expect(t.add(b) !== undefined, `${op} ${store} ${update} ${storeFirst}`).toBe(lost);
      }
    }
    // Trial 120 A5, trial 123 A1: a store of a value computed from a read of the word (`old | bit`) is not forgiven:
    // it held the update only because this schedule ran the update first. A constant one is (trial 123 A3).
    const computed = new LostUpdates();
    computed.add(valued(1, 'AtomicOr', 1));
    expect(computed.add({ ...valued(0, 'AtomicStore', 1), constant: false })).toBeDefined();
  });
});
