// The interpreter answers a case it has already run from its memo (interpreter/memo.ts): a kernel's properties hand it
// the same cases again and again. Only the same case may be answered so, and only with what running it gave.
import { describe, expect, test } from 'vitest';
import { openInterpreter } from '../harness/engines/interpreter.ts';
import { CaseMemo } from '../harness/engines/interpreter/memo.ts';
import type { BatchCase, DispatchBatch } from '../harness/gpu/batch.ts';

const DOUBLE = `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(4) fn main(@builtin(local_invocation_index) i: u32) { y[i] = 2.0 * y[i]; }`;

const caseOf = (values: number[], constants?: Record<string, number>): BatchCase => ({
  buffers: [{ size: 16, kind: 'storage', data: new Uint8Array(new Float32Array(values).buffer) }],
  dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1], ...(constants ? { constants } : {}) }],
  readback: [0],
});
const floats = (b: Uint8Array) => Array.from(new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4));

describe('the interpreter runs a case once', () => {
  test('the same case again is answered without running it, with the same outputs in arrays of its own', async () => {
    const engine = openInterpreter();
    const batch: DispatchBatch = { shaders: [DOUBLE], cases: [caseOf([1, 2, 3, 4]), caseOf([1, 2, 3, 4])] };
    const first = await engine.execute(batch);
    expect(engine.ran).toBe(1);
    expect(first.outputs.map((o) => floats(o[0]!))).toEqual([[2, 4, 6, 8], [2, 4, 6, 8]]);
    // A caller writing into what it was given changes nothing the memo answers later.
    first.outputs[0]![0]!.fill(0);
    expect(floats((await engine.execute(batch)).outputs[1]![0]!)).toEqual([2, 4, 6, 8]);
    expect(engine.ran).toBe(1);
    // One input bit apart is another case.
    const other = caseOf([1, 2, 3, 4]);
    other.buffers[0]!.data![0]! ^= 1;
    await engine.execute({ shaders: [DOUBLE], cases: [other] });
    expect(engine.ran).toBe(2);
  });

  test('with memo: false every case runs', async () => {
    const engine = openInterpreter({ memo: false });
    await engine.execute({ shaders: [DOUBLE], cases: [caseOf([1, 2, 3, 4]), caseOf([1, 2, 3, 4])] });
    expect(engine.ran).toBe(2);
  });

  test('a case not started because others of its batch never finished is run when it comes again', async () => {
    const spin = `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(4) fn main(@builtin(local_invocation_index) i: u32) { loop { y[i] = y[i] + 1.0; } }`;
    const engine = openInterpreter({ stepBudget: 2_000 });
    const cases = [caseOf([1, 0, 0, 0]), caseOf([2, 0, 0, 0]), caseOf([3, 0, 0, 0])];
    const r = await engine.execute({ shaders: [spin], cases });
    expect(r.skipped![2]).toMatch(/not started/);
    const again = await engine.execute({ shaders: [spin], cases: [cases[2]!] });
    expect(again.skipped![0]).toMatch(/over the interpreter's budget/);
    expect(again.skipped![0]).not.toMatch(/not started/);
  });
});

describe('CaseMemo keys', () => {
  const memo = new CaseMemo();
  const key = (c: BatchCase, shader = DOUBLE, options = {}) => memo.keyOf([shader], c, options);

  test('differ in anything that can change an outcome or its text', () => {
    const base = key(caseOf([1, 2, 3, 4]));
    expect(key(caseOf([1, 2, 3, 4]))).toBe(base);
    expect(key(caseOf([1, 2, 3, 5]))).not.toBe(base);
    expect(key(caseOf([1, 2, 3, 4]), `${DOUBLE}\n`)).not.toBe(base);
    expect(key(caseOf([1, 2, 3, 4]), DOUBLE, { stepBudget: 10 })).not.toBe(base);
    expect(key(caseOf([1, 2, 3, 4]), DOUBLE, { shaderNames: ['a.wgsl'] })).not.toBe(base);
    const filled = caseOf([1, 2, 3, 4]);
    delete filled.buffers[0]!.data;
    expect(key({ ...filled, buffers: [{ ...filled.buffers[0]!, fill: 1 }] })).not.toBe(key({ ...filled, buffers: [{ ...filled.buffers[0]!, fill: 2 }] }));
    const wide = caseOf([1, 2, 3, 4]);
    wide.dispatches[0]!.workgroups = [2, 1, 1];
    expect(key(wide)).not.toBe(base);
  });

  test('are checked against the inputs kept: a case under the key of another (a hash collision) is not answered', () => {
    const a = caseOf([1, 2, 3, 4]);
    const k = key(a)!;
    memo.set(k, a, { outputs: [new Uint8Array(16)], skipped: undefined, outOfDomain: undefined });
    expect(memo.get(k, caseOf([1, 2, 3, 4]))).toBeDefined();
    expect(memo.get(k, caseOf([1, 2, 3, 5]))).toBeUndefined();
  });

  test('tell apart override values that JSON would write alike', () => {
    const keys = [0, -0, NaN, Infinity, -Infinity].map((v) => key(caseOf([1, 2, 3, 4], { k: v })));
    expect(new Set(keys).size).toBe(5);
  });
});
