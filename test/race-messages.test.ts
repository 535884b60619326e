// One wording per race (harness/engines/interpreter/race-text.ts). A lost update was said three ways (the Race's
// message, the no-data-race failure on the terminal, the visualizer's panel) and a data race two, built apart: the
// Race's message must be the terminal's line less the count, and the visualizer's panel must name the same
// invocations, lines and barrier. The barrier is the one for the race's memory: storageBarrier() for a storage buffer.
import * as fc from 'fast-check';
import { betweenText } from '../harness/engines/interpreter/barriers.ts';
import { describe, expect, it } from 'vitest';
import { MAX_RACES, type Race } from '../harness/engines/interpreter/dispatch.ts';
import { traceCase } from '../harness/engines/interpreter.ts';
import { raceText, updatedByPeers, type RaceFacts } from '../harness/engines/interpreter/race-text.ts';
import type { BatchCase } from '../harness/gpu/batch.ts';
import { atomicIndexSources, helperCallClause, oppositeBranches, sharedIndex, varyingBlockAround } from '../harness/run/index-sources.ts';
import { traceProperties } from '../harness/run/trace-properties.ts';
import type { Family, KernelSpec } from '../harness/spec.ts';
import type { LockstepTrace } from '../harness/trace/lockstep.ts';
import { raceFinding } from '../visualizer/src/race.ts';

const HEAD = '@group(0) @binding(0) var<storage, read_write> y: array<u32>;';

/** The interpreter's first race of one dispatch of `main` over y (8 u32s), and how many it found. */
function firstRace(body: string, workgroups = 1): [Race, number] {
  const c: BatchCase = {
    buffers: [{ size: 32, kind: 'storage', data: new Uint8Array(32) }],
    dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [workgroups, 1, 1] }],
    readback: [0],
  };
  const t = traceCase([body], c);
  expect(t.skipped).toBeUndefined();
  const races = t.dispatches[0]!.races;
  expect(races.length).toBeGreaterThan(0);
  return [races[0]!, races.length];
}

/** What the terminal says for that race: the no-data-race failure of a spec whose buffer 0 is 'y'. */
function terminal(race: Race, n: number): string {
  const spec = { buffers: { y: { role: 'output', type: 'u32', length: () => 8 } } } as unknown as KernelSpec;
  const property = traceProperties(spec, { cases: fc.constant({ shape: {}, inputs: {} }) } as unknown as Family).find((p) => p.name === 'no-data-race')!;
  const v = property.checkTrace({ shape: {}, inputs: {} }, [{ dispatches: [{ outOfBounds: [], races: [race], raceCount: n }] }]);
  expect(v.pass).toBe(false);
  return (v as { message: string }).message;
}

/** The visualizer's panel for the race (a trace with no phases: from the start of the kernel to its end). */
const panel = (race: Race) =>
  raceFinding({ variables: [], access: { invocation: [], variable: [], word: [], phase: [], kind: [] }, accessCount: 0, phases: [] } as unknown as LockstepTrace, race).text;

describe('what no-out-of-bounds does not see on a GPU engine', () => {
  // A trial's SpMV read vals[0] of a matrix with no entries: Dawn binds an empty buffer as one element.
  it("a pass on a sanitized run with an empty buffer says its element 0 was not checked; the interpreter's says nothing", () => {
    const spec = { buffers: { vals: { role: 'input', type: 'f32', length: (s: { nnz: number }) => s.nnz }, y: { role: 'output', type: 'f32', length: () => 4 } } } as unknown as KernelSpec;
    const property = traceProperties(spec, { cases: fc.constant({ shape: {}, inputs: {} }) } as unknown as Family).find((p) => p.name === 'no-out-of-bounds')!;
    const sanitized = [{ dispatches: [{ outOfBounds: [], races: [], outOfBoundsCount: 0, raceCount: 0 }] }];
    expect(property.checkTrace({ shape: { nnz: 0 }, inputs: {} }, sanitized).notes?.notChecked)
      .toBe('element 0 of the empty vals (a GPU engine binds an empty buffer as one element, where this check counts it inside; --backend interpreter binds it empty)');
    expect(property.checkTrace({ shape: { nnz: 3 }, inputs: {} }, sanitized).notes).toBeUndefined();
    expect(property.checkTrace({ shape: { nnz: 0 }, inputs: {} }, [{ dispatches: [{ outOfBounds: [], races: [] }] }]).notes).toBeUndefined();
  });
});

describe('a race is said in one wording', () => {
  // A trial's scan missing a barrier: "1000 races" on the interpreter where Dawn's sanitizer counted 1793.
  it('the interpreter keeps the first MAX_RACES races of a dispatch: at that many the count is said as "at least"', () => {
    const [r, n] = firstRace(`${HEAD}
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) i: u32) {
  for (var k = 0u; k < 8u; k++) { y[k] = i; }
}`);
    expect(n).toBe(MAX_RACES);
    const spec = { buffers: { y: { role: 'output', type: 'u32', length: () => 8 } } } as unknown as KernelSpec;
    const property = traceProperties(spec, { cases: fc.constant({ shape: {}, inputs: {} }) } as unknown as Family).find((p) => p.name === 'no-data-race')!;
    const v = property.checkTrace({ shape: {}, inputs: {} }, [{ dispatches: [{ outOfBounds: [], races: Array(n).fill(r) }] }]);
    expect((v as { message: string }).message).toBe(`${terminal(r, n).replace(/; \d+ races$/, '')}; at least ${MAX_RACES} races (the interpreter stops counting there)`);
    expect(terminal(r, 7)).toMatch(/; 7 races$/);
  });

  it('a data race on workgroup memory: the same line on the terminal, its facts, and the workgroupBarrier() in the panel', () => {
    const [r, n] = firstRace(`${HEAD}
var<workgroup> leader: u32;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if (i == 0u) { leader = 5u; }
  y[i] = leader;
}`);
    expect(terminal(r, n)).toBe(`${r.message}; ${n} race${n === 1 ? '' : 's'}`);
    expect(r.message).toMatch(/^data race on leader \(workgroup memory\) byte 0: invocation 0 of workgroup \(0, 0, 0\) writes at line 5, invocation [123] of workgroup \(0, 0, 0\) reads at line 6, no barrier between \(add a workgroupBarrier\(\) between them\)$/);
    expect(panel(r)).toContain(`Data race on leader[0] (workgroup memory): invocation 0 writes it on line 5, then invocation ${r.b.invocation} reads it on line 6`);
    expect(panel(r)).toContain('a workgroupBarrier() is missing after line 5 and before line 6');
  });

  it('a data race on a storage buffer within a workgroup: storageBarrier() is the barrier named, everywhere', () => {
    const [r, n] = firstRace(`${HEAD}
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if (i == 0u) { y[0] = 7u; }
  y[i + 4u] = y[0];
}`);
    expect(terminal(r, n)).toBe(`${r.message.replace(' (buffer 0)', '')}; ${n} race${n === 1 ? '' : 's'}`);
    expect(r.message).toMatch(/^data race on y \(buffer 0\) byte 0: invocation 0 of workgroup \(0, 0, 0\) writes at line 4, invocation [123] of workgroup \(0, 0, 0\) reads at line 5, no barrier between \(add a storageBarrier\(\) between them; a storageBarrier\(\) orders the invocations of one workgroup only: where other workgroups touch the element too, write the results to another buffer \(double buffering\) or split the steps into dispatches\)$/);
    expect(panel(r)).toContain('a storageBarrier() is missing after line 4 and before line 5');
  });

  it('two invocations writing one element at one line: the index is named before any barrier', () => {
    // An 8-wide workgroup indexed by a coordinate that all of them share: a barrier would not give them elements.
    const [r, n] = firstRace(`${HEAD}
@compute @workgroup_size(4)
fn main(@builtin(workgroup_id) w: vec3<u32>) {
  y[w.x] = 1u;
}`);
    expect(terminal(r, n)).toBe(`${r.message.replace(' (buffer 0)', '')}; ${n} race${n === 1 ? '' : 's'}`);
    expect(r.message).toMatch(/^data race on y \(buffer 0\) byte 0: invocation 0 of workgroup \(0, 0, 0\) writes at line 4, invocation [123] of workgroup \(0, 0, 0\) writes at line 4, no barrier between \(both write it at line 4: check the index, which gives two invocations the same element; if each computes the same value \(a reduction's result\), let one of them store it; if it is a shared counter or bin, make it an atomic \(atomicAdd\); if they are meant to take turns, add a storageBarrier\(\) between the turns\)$/);
    expect(panel(r)).toContain('Both write it on line 4: check the index, which gives two invocations the same element; if each computes the same value (a reduction\'s result), let one of them store it; if it is a shared counter or bin, make it an atomic (atomicAdd); if they are meant to take turns, a storageBarrier() between the turns orders them.');
    // A sanitized GPU run knows the earlier access's line only as the lines that could make it: one such line is
    // the same advice, two are not.
    const side = (lines: number[]) => ({ invocation: 0, workgroup: [0, 0, 0], line: 0, lines, kind: 'write' as const });
    const gpu = (lines: number[]) => raceText({ variable: 'y', buffer: 0, byte: 0, a: side(lines), b: { ...side([]), invocation: 8, line: 11, lines: undefined }, betweenUnknown: true }, 'y');
    expect(gpu([11])).toMatch(/writes at line 11, .* writes at line 11, no barrier that orders storage between \(both write it at line 11: check the index/);
    // Two candidate lines, one of them the other write's: both readings are said (trial 44's subgroup softmax).
    expect(gpu([11, 24])).toMatch(/\(if both wrote at line 11, two invocations share the element and no barrier fixes that: check the index, which gives two invocations the same element; if each computes the same value \(a reduction's result\), let one of them store it; if it is a shared counter or bin, make it an atomic \(atomicAdd\); if not, add a storageBarrier\(\) between them: a workgroupBarrier\(\) orders workgroup memory only; a storageBarrier\(\) orders the invocations of one workgroup only: .*; --backend interpreter names the line of each write, which tells\)$/);
    expect(gpu([20, 24])).toMatch(/\(add a storageBarrier\(\) between them: a workgroupBarrier\(\) orders workgroup memory only; a storageBarrier\(\) orders the invocations of one workgroup only: .*\)$/);
  });

  // Trial 45's summed-area table with the wrong stride (`idx = y * height + x` for `y * width + x`): two invocations
  // computed one element, read it at one line and wrote it at the next, and were told only to add a storageBarrier().
  it('a read and a write through one index expression: the index is named beside the barrier', () => {
    const code = `${HEAD}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let idx = g.x / 2u;
  let run = y[idx] + 1u;
  y[idx] = run;
  let other = y[g.x + 1u];
  y[g.x] = other;
}`;
    expect(sharedIndex(code, 'y', [5], [6])).toBe('y[idx]');
    expect(sharedIndex(code, 'y', [4, 5], [6])).toBe('y[idx]');
    // A read at the write's own line is the stored-to side, not a read; other indices are not the same expression.
    expect(sharedIndex(code, 'y', [6], [6])).toBeUndefined();
    expect(sharedIndex(code, 'y', [7], [8])).toBeUndefined();
    expect(sharedIndex(code.replace('y[idx] = run', 'y[idx] += run'), 'y', [6], [6])).toBe('y[idx]');
    // An index that does not vary with the invocation (the workgroup's) is shared by design: turns, which a barrier
    // orders (reduce_sum's seed and update of dst[w]).
    expect(sharedIndex(code.replace('fn main(@builtin(global_invocation_id) g', 'fn main(@builtin(workgroup_id) g'), 'y', [5], [6])).toBeUndefined();
    // Another read of y at the read's line may be the one that raced (a reduction's `t[l] = t[l] + t[l + s]`).
    expect(sharedIndex(code.replace('y[idx] + 1u', 'y[idx] + y[idx + 1u]'), 'y', [5], [6])).toBeUndefined();
    // Nor where the write's candidate lines (a GPU run's) store through other expressions too (trial 160 B1: a tile's
    // load beside the compare's store).
    expect(sharedIndex(code, 'y', [5], [6, 8])).toBeUndefined();
    // Trial 221 B1: by declaration, not by name: a loop's own `j` is not an earlier let `j` from the invocation's index.
    const named = `${HEAD}
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) l: u32) {
  { let j = l % 4u; y[j] = 0u; }
  for (var j = 0u; j < 4u; j++) {
    if (l == 0u) { y[j * 5u] = y[j * 5u] + 1u; }
    let d = y[j * 5u];
  }
}`;
    expect(sharedIndex(named, 'y', [7], [6])).toBeUndefined();
    expect(sharedIndex(named.replace('for (var j = 0u;', 'for (var j = l;'), 'y', [7], [6])).toBe('y[j * 5u]');
    const side = (kind: 'read' | 'write', line: number, invocation: number) => ({ invocation, workgroup: [0, 0, 0], line, kind });
    const facts: RaceFacts = { variable: 'y', buffer: 0, byte: 8, a: side('write', 6, 2), b: side('read', 5, 0), betweenUnknown: true };
    expect(raceText({ ...facts, sharedIndex: 'y[idx]' }, 'y')).toMatch(/, no barrier that orders storage between \(both reach it as y\[idx\]: if each invocation should have its own element, check the index, which gives two invocations the same one; if they are meant to share it, make it an atomic \(atomicAdd\): a barrier between the read and the write would leave both reading before either writes\)$/);
    expect(raceText(facts, 'y')).toMatch(/\(add a storageBarrier\(\) between them: a workgroupBarrier\(\) orders workgroup memory only; a storageBarrier\(\) orders the invocations of one workgroup only: .*\)$/);
    // Trial 186 B1: a lost update of a storage word in two branches: no barrier orders other workgroups' updates either.
    const branches: RaceFacts = { variable: 'y', buffer: 0, byte: 0, a: side('write', 6, 0), b: side('write', 8, 1), lostUpdate: 'AtomicMax', branches: 'lid == 0u' };
    expect(raceText(branches, 'y')).toMatch(/or store before the `if` and add a storageBarrier\(\) after it; if other workgroups update it too, no barrier orders their updates: only the read-modify-write keeps them\)$/);
    expect(raceText({ ...branches, buffer: undefined }, 'bins')).toMatch(/add a workgroupBarrier\(\) after it\)$/);
    // Trial 203 B1: a clamp was told to become an atomicOr or atomicMax, neither of which lowers a word to its cap.
    expect(raceText({ ...branches, buffer: undefined, maxOld: 'old' }, 'm')).toMatch(/\(the store at line 6 tests what atomicMax returned, the word before that max: .*; test max\(old, v\) with the v the max was given, the word after the max\)$/);
    expect(raceText({ ...branches, buffer: undefined, maxOld: 'changed' }, 'm')).toMatch(/\(the store at line 6 tests max\(old, v\) with v changed after the max, which then holds only what atomicMax returned, the word before that max: /);
    expect(raceText({ ...branches, buffer: undefined, clamp: true }, 'm')).toMatch(/\(the store at line 6 clamps the word at what it stores, and an update past that which lands after the store stays: clamp once every update is done, after a workgroupBarrier\(\) that follows them\)$/);
  });

  // Trial 123 B1, trial 126 B3: accesses in the two branches of one `if` were told to add a barrier between them.
  it('two accesses in different branches of one if: no barrier can go between them, and none is asked for', () => {
    const code = `${HEAD}
var<workgroup> f: atomic<u32>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if ((i & 1u) == 0u) {
    atomicOr(&f, 1u);
  } else {
    atomicStore(&f, 2u);
  }
  if (i < 2u) { y[0] = i; } else { y[0] = 7u; }
}`;
    expect(oppositeBranches(code, 6, 8)).toBe('(i & 1u) == 0u');
    expect(oppositeBranches(code, 10, 10)).toBeUndefined();
    expect(oppositeBranches(code, 6, 10)).toBeUndefined();
    // Trial 135 B1: branches on a loop's round are taken by every invocation in turn, and a barrier orders them.
    const rounds = code.replace('if ((i & 1u) == 0u) {', 'for (var r = 0u; r < 2u; r++) { if (r == 0u) {').replace('    atomicStore(&f, 2u);\n  }', '    atomicStore(&f, 2u);\n  } }');
    expect(rounds).toContain('if (r == 0u)');
    expect(oppositeBranches(rounds, 6, 8)).toBeUndefined();
    // Trial 209 B3: a barrier between lines 6 and 10 goes before the `if` at line 10, whose condition varies; not
    // before one on a loop's round, nor one that holds both lines.
    expect(varyingBlockAround(code, 10, 6)).toEqual({ line: 10, name: 'the `if (i < 2u)`', holdsBoth: false });
    expect(varyingBlockAround(code, 6, 2)).toEqual({ line: 5, name: 'the `if ((i & 1u) == 0u)`', holdsBoth: false });
    expect(varyingBlockAround(rounds, 8, 11)).toBeUndefined();
    // Trial 212 B1: an outer `if` that varies and holds both lines is named, not an inner one; B2: a switch or a loop.
    expect(varyingBlockAround(code, 8, 6)).toEqual({ line: 5, name: 'the `if ((i & 1u) == 0u)`', holdsBoth: true });
    const nested = code.replace('if (i < 2u) { y[0] = i; }', 'if (i != 9u) { atomicOr(&f, 1u); if (i < 2u) { y[0] = atomicLoad(&f); } }');
    expect(varyingBlockAround(nested, 10, 10)).toEqual({ line: 10, name: 'the `if (i != 9u)`', holdsBoth: true });
    const switched = code.replace('if (i < 2u) { y[0] = i; } else { y[0] = 7u; }', 'switch (i / 2u) {\n    case 0u: { y[0] = 1u; }\n    default: { }\n  }');
    expect(varyingBlockAround(switched, 11, 6)).toEqual({ line: 10, name: 'the `switch (i / 2u)`', holdsBoth: false });
    const looped = code.replace('if (i < 2u) { y[0] = i; } else { y[0] = 7u; }', 'for (var b = i; b < 16u; b += 4u) {\n    y[b] = 1u;\n  }');
    expect(varyingBlockAround(looped, 11, 6)).toEqual({ line: 10, name: 'the loop `for (...; b < 16u; ...)`', holdsBoth: false });
    const lost = firstRace(code)[0];
    const property = traceProperties({ buffers: { y: { role: 'output', type: 'u32', length: () => 8 } } } as unknown as KernelSpec, { cases: fc.constant({ shape: {}, inputs: {} }) } as unknown as Family).find((p) => p.name === 'no-data-race')!;
    const said = (race: Race) => (property.checkTrace({ shape: {}, inputs: {} }, [{ dispatches: [{ outOfBounds: [], races: [race], raceCount: 1 }] }], undefined, () => code) as { message: string }).message;
    expect(said(lost)).toMatch(/they are in different branches of `if \(\(i & 1u\) == 0u\)`, so no barrier can go between them: to keep every update, make the store a read-modify-write too/);
    expect(said(lost)).not.toMatch(/add a workgroupBarrier\(\) between them/);
  });

  // Trial 165 B5: of a float element, the advice named atomicAdd, which takes no f32.
  it('of a float element, the atomic advised is a compare-exchange loop on its bits, never atomicAdd', () => {
    const [r] = firstRace(`${HEAD}
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) w: vec3<u32>) {
  y[0] = w.x;
}`, 2);
    const text = raceText({ ...r, float: true });
    expect(text).toContain('if it is a shared counter or bin, make it an atomic<u32> that holds its bits, updated by a compare-exchange loop (WGSL has no float atomics), or give each invocation its own partial sum and reduce them;');
    expect(raceText({ ...r, float: true, update: true, a: { ...r.a, kind: 'read' } })).toMatch(/need an atomic, which no barrier replaces, and no barrier orders two workgroups; WGSL has no float atomics: give each invocation its own partial sum/);
    expect(text).not.toContain('atomicAdd');
  });

  it('a data race between workgroups: nothing orders them, and no barrier is offered', () => {
    const [r, n] = firstRace(`${HEAD}
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) w: vec3<u32>) {
  y[0] = w.x;
}`, 2);
    // One race: said in the singular.
    expect(n).toBe(1);
    expect(terminal(r, n)).toBe(`${r.message.replace(' (buffer 0)', '')}; 1 race`);
    expect(r.message).toBe('data race on y (buffer 0) byte 0: invocation 0 of workgroup (0, 0, 0) writes at line 4, invocation 0 of workgroup (1, 0, 0) writes at line 4, different workgroups of one dispatch, which nothing orders (both write it at line 4: check the index, which gives two invocations the same element; if each computes the same value (a reduction\'s result), let one of them store it; if it is a shared counter or bin, make it an atomic (atomicAdd); if they are meant to take turns, no barrier orders two workgroups: take the turns in separate dispatches)');
  });

  it('a lost update on workgroup memory: the same line on the terminal, and the panel names the same store, update and barrier', () => {
    const [r, n] = firstRace(`${HEAD}
var<workgroup> bin: atomic<u32>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if (i == 0u) { atomicStore(&bin, 0u); }
  atomicAdd(&bin, 1u);
  workgroupBarrier();
  if (i == 0u) { y[0] = atomicLoad(&bin); }
}`);
    expect(terminal(r, n)).toBe(`${r.message}; ${n} race${n === 1 ? '' : 's'}`);
    expect(r.message).toMatch(/^lost update on bin \(workgroup memory\) byte 0: invocation 0 of workgroup \(0, 0, 0\) stores at line 5, invocation [123] of workgroup \(0, 0, 0\) calls atomicAdd at line 6, no barrier between: the store may land after the update and erase it \(add a workgroupBarrier\(\) between them\)$/);
    expect(panel(r)).toContain(`Lost update on bin[0] (workgroup memory): invocation 0 stores to it on line 5, invocation ${r.b.invocation} calls atomicAdd on it on line 6`);
    expect(panel(r)).toContain('A workgroupBarrier() between line 5 and line 6 orders them.');
  });

  // Trial 176 A1: a drain forwards what its exchange took out; the same exchange with its old value dropped loses it.
  it('an exchange whose old value is kept and forwarded loses nothing; one whose value is dropped does', () => {
    const drain = (flush: string) => `@group(0) @binding(0) var<storage, read_write> y: array<atomic<u32>>;
var<workgroup> acc: atomic<u32>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if (i == 2u) { ${flush} } else { atomicAdd(&acc, 1u); }
}`;
    const kept = traceCase([drain('let got = atomicExchange(&acc, 0u); atomicAdd(&y[0], got);')], {
      buffers: [{ size: 32, kind: 'storage', data: new Uint8Array(32) }],
      dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1] }], readback: [0],
    });
    expect(kept.dispatches[0]!.races).toEqual([]);
    const [dropped] = firstRace(drain('atomicExchange(&acc, 0u);'));
    expect(dropped.message).toMatch(/^lost update on acc \(workgroup memory\) byte 0: /);
  });

  it('a lost update on a storage atomic: storageBarrier() in the Race, on the terminal and in the panel', () => {
    const [r, n] = firstRace(`@group(0) @binding(0) var<storage, read_write> y: array<atomic<u32>>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if (i == 0u) { atomicExchange(&y[1], 0u); }
  atomicAdd(&y[1], 1u);
}`);
    expect(terminal(r, n)).toBe(`${r.message.replace(' (buffer 0)', '')}; ${n} race${n === 1 ? '' : 's'}`);
    expect(r.message).toMatch(/^lost update on y \(buffer 0\) byte 4: invocation 0 of workgroup \(0, 0, 0\) stores at line 4, invocation [123] of workgroup \(0, 0, 0\) calls atomicAdd at line 5, .*\(add a storageBarrier\(\) between them if only this workgroup updates it; if other workgroups update it too, no barrier orders their updates: store it in a dispatch of its own before this one, or seed it from the host\)$/);
    expect(panel(r)).toContain('A storageBarrier() between line 4 and line 5 orders them.');
  });
});

/** The interpreter's races of one dispatch of `main` over y (8 u32s). */
function allRaces(body: string, workgroups = 1): Race[] {
  const c: BatchCase = {
    buffers: [{ size: 32, kind: 'storage', data: new Uint8Array(32) }],
    dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [workgroups, 1, 1] }],
    readback: [0],
  };
  const t = traceCase([body], c);
  expect(t.skipped).toBeUndefined();
  return t.dispatches[0]!.races;
}

/** The no-data-race failure for a dispatch's races (a spec whose buffer 0 is 'y'), as a GPU engine's findings or the
 *  interpreter's come to it. */
function failure(races: RaceFacts[], raceCount?: number): string {
  const spec = { buffers: { y: { role: 'output', type: 'u32', length: () => 8 } } } as unknown as KernelSpec;
  const property = traceProperties(spec, { cases: fc.constant({ shape: {}, inputs: {} }) } as unknown as Family).find((p) => p.name === 'no-data-race')!;
  const v = property.checkTrace({ shape: {}, inputs: {} }, [{ dispatches: [{ outOfBounds: [], races, ...(raceCount ? { raceCount } : {}) }] }] as never);
  expect(v.pass).toBe(false);
  return (v as { message: string }).message;
}

const ATOMIC = 'both read and write it: invocations that update one element (a counter, a bin, a word of bits) need an atomic (atomicAdd, atomicOr), which no barrier replaces';
// Within a workgroup the same facts may be steps of one algorithm in turn (a trial's Blelloch scan one barrier short
// was told that no barrier would fix it): the barrier for that reading is said after the atomic.
const STEPS = "; steps that update it in turn (a tree's or a scan's levels) need a storageBarrier() between the steps";

describe('the advice for peers updating one element, and for invocations of different workgroups', () => {
  // A trial's Bloom filter, `bits[w] = bits[w] | mask` from every invocation, was told to add a storageBarrier().
  it('a read-modify-write of one element by peers of a workgroup: an atomic, not a barrier (interpreter)', () => {
    const races = allRaces(`${HEAD}
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  y[0] = y[0] | (1u << i);
}`);
    expect(failure(races)).toMatch(new RegExp(`^data race on y byte 0: invocation \\d of workgroup \\(0, 0, 0\\) (writes|reads) at line 4, invocation \\d of workgroup \\(0, 0, 0\\) (reads|writes) at line 4, no barrier between \\(${`${ATOMIC}${STEPS}`.replace(/[()]/g, '\\$&')}; if each should have its own element, check the index\\); \\d+ races$`));
    expect(failure(races)).not.toContain('add a storageBarrier');
  });

  it('a tree level reading the last level\'s result at the same line keeps its barrier: its reader never writes that element', () => {
    const races = allRaces(`${HEAD}
@compute @workgroup_size(8)
fn main(@builtin(local_invocation_index) i: u32) {
  for (var s = 4u; s > 0u; s >>= 1u) {
    if (i < s) { y[i] = y[i] + y[i + s]; }
  }
}`);
    expect(failure(races)).toMatch(/writes at line 5, invocation \d of workgroup \(0, 0, 0\) reads at line 5, no barrier between \(add a storageBarrier\(\) between them; a storageBarrier\(\) orders the invocations of one workgroup only: where other workgroups touch the element too, write the results to another buffer \(double buffering\) or split the steps into dispatches\); \d+ races$/);
  });

  it('a read-modify-write in two statements is one too; a seed that another invocation then adds to is not', () => {
    const split = allRaces(`${HEAD}
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  let v = y[0];
  y[0] = v | (1u << i);
}`);
    expect(failure(split)).toContain(`no barrier between (${ATOMIC}${STEPS}; if each should have its own element, check the index)`);
    // lib_reduce_sum_storage_after_workgroup_barrier's last step: a barrier between the two orders them.
    const seed = allRaces(`${HEAD}
@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) l: u32) {
  if (l == 0u) { y[0] = 5u; }
  if (l == 1u) { y[0] = y[0] + 1u; }
}`);
    expect(failure(seed)).toMatch(/^data race on y byte 0: invocation 0 of workgroup \(0, 0, 0\) writes at line 4, invocation 1 of workgroup \(0, 0, 0\) reads at line 5, no barrier between \(add a storageBarrier\(\) between them; a storageBarrier\(\) orders the invocations of one workgroup only: where other workgroups touch the element too, write the results to another buffer \(double buffering\) or split the steps into dispatches\); \d+ races?$/);
  });

  // A trial's in-place FFT in storage, its stages apart by workgroupBarrier() only: each element is read and written
  // by several invocations over the stages, which made it "an update by peers", and the advice an atomic.
  it('stages of one algorithm with a barrier of the other memory between them: that memory\'s barrier, not an atomic', () => {
    const races = allRaces(`${HEAD}
@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) t: u32) {
  for (var s = 1u; s <= 2u; s *= 2u) {
    let i = (t / s) * 2u * s + t % s;
    let u = y[i];
    let v = y[i + s];
    y[i] = u + v;
    y[i + s] = u - v;
    workgroupBarrier();
  }
}`);
    expect(failure(races)).toMatch(/with only a workgroupBarrier\(\) \(line 10\) between them, which orders workgroup memory, not storage \(add a storageBarrier\(\) between them; a storageBarrier\(\) orders the invocations of one workgroup only: where other workgroups touch the element too, write the results to another buffer \(double buffering\) or split the steps into dispatches\); \d+ races$/);
    expect(failure(races)).not.toContain('atomic');
  });

  it('the same from a sanitized GPU run, whose races each name one access of each side', () => {
    // As Dawn reported the Bloom filter's word: "3 writes at one of lines 4, 5, 0 reads at line 4", then 0's write.
    const side = (invocation: number, kind: 'read' | 'write', line: number, lines?: number[]) => ({ invocation, workgroup: [0, 0, 0], kind, line, ...(lines ? { lines } : {}) });
    const race = (a: ReturnType<typeof side>, b: ReturnType<typeof side>): RaceFacts => ({ variable: 'y', buffer: 0, byte: 0, a, b, betweenUnknown: true });
    const bloom = [race(side(3, 'write', 4, [4, 5]), side(0, 'read', 4)), race(side(0, 'write', 4, [4, 5]), side(1, 'write', 4)), race(side(1, 'write', 4, [4, 5]), side(2, 'write', 4))];
    expect(failure(bloom, 12)).toBe(`data race on y byte 0: invocation 3 of workgroup (0, 0, 0) writes at one of lines 4, 5 (a GPU run records which invocation, not which line), invocation 0 of workgroup (0, 0, 0) reads at line 4, no barrier that orders storage between (${ATOMIC}${STEPS}; if each should have its own element, check the index); 12 races`);
    // A read of a neighbour's element on a line that writes the reader's own (relu-storage-after-workgroup-barrier):
    // nothing shows the reader writing what it read, so the barrier it lacks is still the advice.
    const neighbour = [race(side(1, 'write', 20, [17, 20]), side(0, 'read', 20)), { ...race(side(3, 'write', 20, [17, 20]), side(2, 'read', 20)), byte: 12 }];
    expect(failure(neighbour, 2)).toMatch(/reads at line 20, no barrier that orders storage between \(add a storageBarrier\(\) between them: a workgroupBarrier\(\) orders workgroup memory only; a storageBarrier\(\) orders the invocations of one workgroup only: .*\); 2 races$/);
    // The same word's races in the other order (both read, then both write): the two writes at one line come first
    // here, and the reads elsewhere in the list make them an update too, not turns that a barrier would order.
    const lockstep = [race(side(0, 'write', 19, [19]), side(1, 'write', 19)), race(side(1, 'read', 19, [19]), side(0, 'write', 19))];
    expect(failure(lockstep, 2)).toMatch(new RegExp(`writes at line 19, no barrier that orders storage between \\(${`${ATOMIC}${STEPS}`.replace(/[()]/g, '\\$&')}; if each should have its own element, check the index\\); 2 races$`));
    expect(failure(lockstep.slice(0, 1), 1)).toContain('if they are meant to take turns, add a storageBarrier() between the turns');
    expect(updatedByPeers(bloom[0]!, bloom)).toBe(true);
    expect(updatedByPeers(neighbour[0]!, neighbour)).toBe(false);
    // Trial 158 B3: two workgroups each store the element at line 37 and read it back at line 44 (blocks overlapping
    // by a wrong stride): a store and a read, not an update an atomic would fix.
    const overlap = [race(side(32, 'write', 37, [37]), side(0, 'write', 37)), race(side(0, 'read', 44, [44]), side(32, 'write', 37)), race(side(32, 'read', 44, [44]), side(0, 'write', 37))];
    expect(updatedByPeers(overlap[0]!, overlap)).toBe(false);
    expect(failure(overlap, 3)).toContain('(both write it at line 37: check the index');
  });

  it('peers of different workgroups updating one element: an atomic, and no barrier orders workgroups', () => {
    const races = allRaces(`${HEAD}
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) w: vec3<u32>) {
  y[0] = y[0] | (1u << w.x);
}`, 3);
    expect(failure(races)).toMatch(new RegExp(`^data race on y byte 0: .* at line 4, invocation 0 of workgroup \\([12], 0, 0\\) \\w+s at line 4, different workgroups of one dispatch, which nothing orders \\(${ATOMIC.replace(/[()]/g, '\\$&')}, and no barrier orders two workgroups; if each should have its own element, check the index\\); \\d+ races$`));
  });

  it('a write and a read in different workgroups: two dispatches or the index, never a barrier', () => {
    const races = allRaces(`${HEAD}
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) w: vec3<u32>) {
  if (w.x == 0u) { y[0] = 5u; }
  y[w.x + 1u] = y[0];
}`, 2);
    expect(failure(races)).toBe('data race on y byte 0: invocation 0 of workgroup (0, 0, 0) writes at line 4, invocation 0 of workgroup (1, 0, 0) reads at line 5, different workgroups of one dispatch, which nothing orders (no barrier orders two workgroups: if one must read what the other wrote, do the two in separate dispatches; if each should have its own element, check the index); 1 race');
  });

  it('a sanitized run that knows the earlier workgroup by its low bits only: one workgroup or two, both said', () => {
    const r: RaceFacts = {
      variable: 'y', buffer: 0, byte: 0, betweenUnknown: true,
      a: { invocation: 1, workgroup: [5, 0, 0], workgroupText: 'the same workgroup or one numbered alike mod 2^2', kind: 'write', line: 0, lines: [9, 12] },
      b: { invocation: 0, workgroup: [5, 0, 0], kind: 'read', line: 12 },
    };
    expect(raceText(r, 'y')).toBe('data race on y byte 0: invocation 1 of the same workgroup or one numbered alike mod 2^2 writes at one of lines 9, 12 (a GPU run records which invocation, not which line), invocation 0 of workgroup (5, 0, 0) reads at line 12, in one workgroup with no barrier that orders storage between, or in two, which nothing orders (if they are in one workgroup, add a storageBarrier() between them; if in two, no barrier orders them: if one must read what the other wrote, do the two in separate dispatches)');
  });

  // A trial seeded its reduction's atomics from invocation 0 of the reducing dispatch: "add a storageBarrier()",
  // which orders none of the other workgroups' updates.
  it('a lost update on a storage atomic: a storageBarrier() only if this workgroup alone updates it, else a dispatch of its own', () => {
    const [r] = firstRace(`@group(0) @binding(0) var<storage, read_write> y: array<atomic<u32>>;
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x == 0u) { atomicStore(&y[0], 0xffffffffu); }
  atomicMin(&y[0], g.x + 3u);
}`, 2);
    expect(r.message).toMatch(/^lost update on y \(buffer 0\) byte 0: invocation 0 of workgroup \(0, 0, 0\) stores at line 4, invocation [123] of workgroup \(0, 0, 0\) calls atomicMin at line 5, no barrier between: the store may land after the update and erase it \(add a storageBarrier\(\) between them if only this workgroup updates it; if other workgroups update it too, no barrier orders their updates: store it in a dispatch of its own before this one, or seed it from the host\)$/);
  });
});

// Trial 39's compaction lacked a workgroupBarrier() between a workgroup atomicAdd and its atomicLoad, and was told
// only to check the index; the index came from the atomics, which is where the fault was.
describe('two writes at one line through an index that atomics hand out', () => {
  const COMPACT = `@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read_write> count: array<atomic<u32>>;
var<workgroup> wg_count: atomic<u32>;
var<workgroup> wg_base: u32;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32) {
  var rank = 0u;
  rank = atomicAdd(&wg_count, 1u);
  if (lid == 0u) {
    wg_base = atomicAdd(&count[0], atomicLoad(&wg_count));
  }
  let base = workgroupUniformLoad(&wg_base);
  out[base + rank] = 1.0;
  out[lid] = f32(atomicLoad(&count[0]) * 0u);
}`;
  const side = (invocation: number, workgroup: number) => ({ invocation, workgroup: [workgroup, 0, 0], line: 13, kind: 'write' as const });

  it('finds every atomic call whose result reaches the index, through vars, lets, assignments and workgroupUniformLoad', () => {
    expect(atomicIndexSources(COMPACT, 13)).toEqual([
      { variable: 'wg_count', builtin: 'atomicAdd', line: 8, workgroup: true, updates: [8] },
      { variable: 'count', builtin: 'atomicAdd', line: 10, workgroup: false, updates: [10] },
      { variable: 'wg_count', builtin: 'atomicLoad', line: 10, workgroup: true, updates: [8] },
    ]);
    // The stored value is not the index: line 14's atomicLoad is multiplied into the value, and lid indexes.
    expect(atomicIndexSources(COMPACT, 14)).toEqual([]);
    expect(atomicIndexSources(COMPACT.replace('out[base + rank]', 'out[lid]'), 13)).toEqual([]);
    expect(atomicIndexSources('not wgsl atomic', 1)).toEqual([]);
  });

  // Trial 150 B3: a reset stage's atomicStore, another dispatch, was named among the updates that can land between.
  it('names the updates of the entry points that reach the store, not another entry point\'s', () => {
    const code = `@group(0) @binding(0) var<storage, read_write> counter: atomic<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(1) fn reset() { atomicStore(&counter, 0u); }
@compute @workgroup_size(64) fn cull(@builtin(global_invocation_id) g: vec3u) {
  let slot = atomicLoad(&counter);
  atomicStore(&counter, slot + 1u);
  out[slot] = g.x;
}`;
    expect(atomicIndexSources(code, 7).map((s) => s.updates)).toEqual([[6]]);
  });

  // Trial 199 B1: a histogram's count, loaded after its barrier in one entry point and scattered by in another, was
  // asked for a barrier it had: the load's updates are its own entry point's.
  it('a load in another entry point than the store: its barrier is judged by its own entry point\'s updates', () => {
    const code = `var<workgroup> wg_hist: array<atomic<u32>, 16>;
@group(0) @binding(0) var<storage, read_write> hist: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(64) fn histogram(@builtin(local_invocation_index) lid: u32) {
  if (lid < 16u) { atomicStore(&wg_hist[lid], 0u); }
  atomicAdd(&wg_hist[lid % 16u], 1u);
  workgroupBarrier();
  if (lid < 16u) { hist[lid] = atomicLoad(&wg_hist[lid]); }
}
@compute @workgroup_size(64) fn scatter(@builtin(local_invocation_index) lid: u32) {
  out[hist[lid % 16u]] = lid;
}`;
    expect(atomicIndexSources(code, 11)).toEqual([{ variable: 'wg_hist', builtin: 'atomicLoad', line: 8, workgroup: true, updates: [5, 6], barrierBefore: 7 }]);
    // Trial 213 B1: with no barrier, the load of another bin than the add's is not told to take the add's return.
    const [load] = atomicIndexSources(code.replace('  workgroupBarrier();\n', ''), 10);
    expect(load).toEqual({ variable: 'wg_hist', builtin: 'atomicLoad', line: 7, workgroup: true, updates: [5, 6] });
    // Trial 213 B2: after its barrier, with the bins' clear unordered before the adds, the clear is named.
    const erased = raceText({ variable: 'out', buffer: 1, byte: 0, a: { ...side(1, 0), line: 11 }, b: { ...side(3, 0), line: 11 }, indexSources: [{ ...atomicIndexSources(code, 11)[0]!, erasable: { store: 5, update: 6 } }] }, 'out');
    expect(erased).toMatch(/after the workgroupBarrier\(\) at line 7, which orders its updates above it before it; but the update at line 6 follows the atomicStore at line 5 with no workgroupBarrier\(\) between: .*; add a workgroupBarrier\(\) after the store\)$/);
    const [own] = atomicIndexSources(code.replace('  workgroupBarrier();\n', '').replace('atomicAdd(&wg_hist[lid % 16u], 1u)', 'atomicAdd(&wg_hist[lid], 1u)'), 10);
    expect(own?.droppedBefore).toBe(6);
    // Trial 214 B2: one word written two ways, `[lid]` and `[ lid ]`, or `[0]` and `[0u]`.
    const [spaced] = atomicIndexSources(code.replace('  workgroupBarrier();\n', '').replace('atomicAdd(&wg_hist[lid % 16u], 1u)', 'atomicAdd(&wg_hist[ lid ], 1u)'), 10);
    expect(spaced?.droppedBefore).toBe(6);
  });

  // Trial 151 B5: a ticket taken in a helper (`list[take(&cnt[0])]`) got the generic "make it an atomic" advice.
  it('follows an index through a helper\'s result, and the helper\'s pointer parameter to the atomic passed', () => {
    const code = `@group(0) @binding(0) var<storage, read_write> cnt: array<atomic<u32>, 1>;
@group(0) @binding(1) var<storage, read_write> list: array<u32>;
fn take(c: ptr<storage, atomic<u32>, read_write>) -> u32 {
  let s = atomicLoad(c);
  atomicStore(c, s + 1u);
  return s;
}
fn ticket(c: ptr<storage, atomic<u32>, read_write>) -> u32 { return take(c); }
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
  list[ticket(&cnt[0])] = g.x;
}`;
    expect(atomicIndexSources(code, 10)).toEqual([{ variable: 'cnt', builtin: 'atomicLoad', line: 4, workgroup: false, updates: [5], storedAfter: 5 }]);
    const text = raceText({ variable: 'list', buffer: 1, byte: 0, a: { ...side(1, 0), line: 10 }, b: { ...side(3, 0), line: 10 }, indexSources: atomicIndexSources(code, 10) }, 'list');
    // Trial 163 B1: a load and then a store is an update made by hand; the store has no return to take the value from.
    expect(text).toContain("it comes from atomicLoad(&cnt) at line 4: the atomicLoad at line 4 and the atomicStore at line 5 of 'cnt' are two operations: another invocation can load the same value between them, so both hand it out and one update is lost; make them one read-modify-write (`let slot = atomicAdd(...)`, whose return is the value before the update)");
    expect(text).not.toContain("update's own return");
  });

  // Trial 163 B3: a tree's level in a helper, the barrier missing after the call in main's loop, was told "add a
  // workgroupBarrier() between them" of two accesses at the helper's one line, under its `if`.
  it('both sides in one helper: the barrier goes in the entry point that calls it', () => {
    const code = `var<workgroup> t: array<f32, 64>;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
fn fold(p: ptr<workgroup, array<f32, 64>>, lid: u32, s: u32) {
  if (lid < s) { (*p)[lid] += (*p)[lid + s]; }
}
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32) {
  t[lid] = y[lid];
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    fold(&t, lid, s);
  }
  y[0] = t[0];
}`;
    expect(helperCallClause(code, [4, 4], 'workgroupBarrier()')).toBe('line 4 is in fold, which main calls at line 10: put the workgroupBarrier() in main, between that call and the next, where every invocation of the workgroup reaches it');
    // One side in main: the panel's lines, not this clause; nor for lines of the entry point itself.
    expect(helperCallClause(code, [4, 7], 'workgroupBarrier()')).toBeUndefined();
    expect(helperCallClause(code, [7, 7], 'workgroupBarrier()')).toBeUndefined();
    const side = (invocation: number, kind: 'read' | 'write') => ({ invocation, workgroup: [0, 0, 0], line: 4, kind });
    expect(raceText({ variable: 't', byte: 64, a: side(16, 'write'), b: side(0, 'read'), helperCall: helperCallClause(code, [4, 4], 'workgroupBarrier()') })).toMatch(/\(add a workgroupBarrier\(\) between them; line 4 is in fold, which main calls at line 10: put the workgroupBarrier\(\) in main, between that call and the next, where every invocation of the workgroup reaches it\)$/);
  });

  // Trial 92 B3: "is there one between lines 24 and 27 and line 29?" where line 28 was that barrier.
  it('a workgroup atomic loaded after a barrier below its updates: the barrier is named, not asked for', () => {
    const fenced = COMPACT.replace('  if (lid == 0u) {\n    wg_base', '  workgroupBarrier();\n  if (lid == 0u) {\n    wg_base').replace('out[base + rank] = 1.0;', 'out[base + rank + 1u] = 1.0;');
    const sources = atomicIndexSources(fenced, 14);
    expect(sources.find((x) => x.builtin === 'atomicLoad')).toMatchObject({ variable: 'wg_count', line: 11, barrierBefore: 9 });
    const text = raceText({ variable: 'out', buffer: 0, byte: 12, a: { ...side(4, 0), line: 14 }, b: { ...side(0, 1), line: 14 }, indexSources: sources }, 'out');
    expect(text).toContain("the atomicLoad at line 11 reads 'wg_count' after the workgroupBarrier() at line 9, which orders its updates above it before it: check what it hands out");
    expect(text).not.toContain('is there one between');
  });

  it('a workgroup atomic loaded for the index: the barrier its load needs, and where the updates are', () => {
    const text = raceText({ variable: 'out', buffer: 0, byte: 12, a: side(4, 0), b: side(0, 1), indexSources: atomicIndexSources(COMPACT, 13) }, 'out');
    expect(text).toBe('data race on out byte 12: invocation 4 of workgroup (0, 0, 0) writes at line 13, invocation 0 of workgroup (1, 0, 0) writes at line 13, different workgroups of one dispatch, which nothing orders (both write it at line 13: check the index, which gives two invocations the same element; it comes from atomicAdd(&wg_count) at line 8, atomicAdd(&count) at line 10 and atomicLoad(&wg_count) at line 10: the atomicLoad at line 10 sees the other invocations\' updates of \'wg_count\' only once a workgroupBarrier() orders them before it (is there one between line 8 and line 10?))');
  });

  it('read-modify-writes alone hand out distinct values: the arithmetic on them; a storage load: no order between workgroups', () => {
    const rmw = `@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@group(0) @binding(1) var<storage, read_write> next: atomic<u32>;
@compute @workgroup_size(64)
fn main() {
  let slot = atomicAdd(&next, 1u) / 2u;
  out[slot] = 1.0;
}`;
    const said = (code: string, line: number) => raceText({ variable: 'out', buffer: 0, byte: 0, a: { ...side(0, 0), line }, b: { ...side(1, 1), line }, indexSources: atomicIndexSources(code, line) }, 'out');
    expect(said(rmw, 6)).toMatch(/\(both write it at line 6: check the index, which gives two invocations the same element; it comes from atomicAdd\(&next\) at line 5: each of these calls hands out a value no other call gets, so check the arithmetic on them \(what each adds must cover the elements written from it\)\)$/);
    const load = rmw.replace('atomicAdd(&next, 1u) / 2u', 'atomicLoad(&next)').replace('fn main() {', 'fn main() {\n  atomicAdd(&next, 1u);');
    // Trial 134 B1: the invocations of one workgroup too, and the update's own return to take instead.
    expect(said(load, 7)).toMatch(/it comes from atomicLoad\(&next\) at line 6: the atomicLoad at line 6 sees the other invocations' updates of 'next', of its workgroup and of others, in no order WGSL promises \(an update at line 5 and a load after it are two operations, and others can land between them: take the value from the update's own return\)\)$/);
  });
});

// Trial 88 B3: a loop's barrier passed twice between the two accesses was listed twice.
describe('the barriers between two accesses', () => {
  it('one barrier passed on several turns of a loop is said once, with how many times', () => {
    expect(betweenText([{ builtin: 'workgroupBarrier', line: 20 }, { builtin: 'workgroupBarrier', line: 20 }], 'storage'))
      .toBe('with only workgroupBarrier() (line 20) 2 times between them, which orders workgroup memory, not storage');
    expect(betweenText([{ builtin: 'workgroupBarrier', line: 20 }, { builtin: 'textureBarrier', line: 22 }, { builtin: 'workgroupBarrier', line: 20 }], 'storage'))
      .toBe('with only workgroupBarrier() (line 20) 2 times, textureBarrier() (line 22) between them, none of which orders storage');
  });
});
