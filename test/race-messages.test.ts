// One wording per race (harness/engines/interpreter/race-text.ts). A lost update was said three ways (the Race's
// message, the no-data-race failure on the terminal, the visualizer's panel) and a data race two, built apart: the
// Race's message must be the terminal's line less the count, and the visualizer's panel must name the same
// invocations, lines and barrier. The barrier is the one for the race's memory: storageBarrier() for a storage buffer.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_RACES, type Race } from '../harness/engines/interpreter/dispatch.ts';
import { traceCase } from '../harness/engines/interpreter.ts';
import { raceText } from '../harness/engines/interpreter/race-text.ts';
import type { BatchCase } from '../harness/gpu/batch.ts';
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
  // A trial's SpMV read vals[0] of a matrix with no entries: Dawn binds an empty buffer as 4 bytes.
  it("a pass on a sanitized run with an empty buffer says its element 0 was not checked; the interpreter's says nothing", () => {
    const spec = { buffers: { vals: { role: 'input', type: 'f32', length: (s: { nnz: number }) => s.nnz }, y: { role: 'output', type: 'f32', length: () => 4 } } } as unknown as KernelSpec;
    const property = traceProperties(spec, { cases: fc.constant({ shape: {}, inputs: {} }) } as unknown as Family).find((p) => p.name === 'no-out-of-bounds')!;
    const sanitized = [{ dispatches: [{ outOfBounds: [], races: [], outOfBoundsCount: 0, raceCount: 0 }] }];
    expect(property.checkTrace({ shape: { nnz: 0 }, inputs: {} }, sanitized).notes?.notChecked)
      .toBe('element 0 of the empty vals (a GPU engine binds an empty buffer as 4 bytes, where this check counts it inside; --backend interpreter binds it empty)');
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
    expect(r.message).toMatch(/^data race on y \(buffer 0\) byte 0: invocation 0 of workgroup \(0, 0, 0\) writes at line 4, invocation [123] of workgroup \(0, 0, 0\) reads at line 5, no barrier between \(add a storageBarrier\(\) between them\)$/);
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
    expect(r.message).toMatch(/^data race on y \(buffer 0\) byte 0: invocation 0 of workgroup \(0, 0, 0\) writes at line 4, invocation [123] of workgroup \(0, 0, 0\) writes at line 4, no barrier between \(both write it at line 4: check the index, which gives two invocations the same element; if it is a shared counter or bin, make it an atomic \(atomicAdd\); if they are meant to take turns, add a storageBarrier\(\) between the turns\)$/);
    expect(panel(r)).toContain('Both write it on line 4: check the index, which gives two invocations the same element; if it is a shared counter or bin, make it an atomic (atomicAdd); if they are meant to take turns, a storageBarrier() between the turns orders them.');
    // A sanitized GPU run knows the earlier access's line only as the lines that could make it: one such line is
    // the same advice, two are not.
    const side = (lines: number[]) => ({ invocation: 0, workgroup: [0, 0, 0], line: 0, lines, kind: 'write' as const });
    const gpu = (lines: number[]) => raceText({ variable: 'y', buffer: 0, byte: 0, a: side(lines), b: { ...side([]), invocation: 8, line: 11, lines: undefined }, betweenUnknown: true }, 'y');
    expect(gpu([11])).toMatch(/writes at line 11, .* writes at line 11, no barrier that orders storage between \(both write it at line 11: check the index/);
    expect(gpu([11, 24])).toMatch(/\(add a storageBarrier\(\) between them\)$/);
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
    expect(r.message).toBe('data race on y (buffer 0) byte 0: invocation 0 of workgroup (0, 0, 0) writes at line 4, invocation 0 of workgroup (1, 0, 0) writes at line 4, different workgroups of one dispatch, which nothing orders');
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

  it('a lost update on a storage atomic: storageBarrier() in the Race, on the terminal and in the panel', () => {
    const [r, n] = firstRace(`@group(0) @binding(0) var<storage, read_write> y: array<atomic<u32>>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if (i == 0u) { atomicExchange(&y[1], 0u); }
  atomicAdd(&y[1], 1u);
}`);
    expect(terminal(r, n)).toBe(`${r.message.replace(' (buffer 0)', '')}; ${n} race${n === 1 ? '' : 's'}`);
    expect(r.message).toMatch(/^lost update on y \(buffer 0\) byte 4: invocation 0 of workgroup \(0, 0, 0\) stores at line 4, invocation [123] of workgroup \(0, 0, 0\) calls atomicAdd at line 5, .*\(add a storageBarrier\(\) between them\)$/);
    expect(panel(r)).toContain('A storageBarrier() between line 4 and line 5 orders them.');
  });
});
