// An index out of range at any depth of an access is out of bounds (WGSL §"Out-of-Bounds Access"), even where the
// flattened address stays inside the variable: a pixel's channel loop `c <= 4u` over array<f32, 4> or vec4 reads
// the next pixel's first channel. A new user's trial found the interpreter passed such kernels (the bytes were in the
// buffer), called the aliased write a data race, or skipped a vector's [4] as "not supported".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { traceCase } from '../harness/engines/interpreter.ts';
import type { Access } from '../harness/engines/interpreter/dispatch.ts';
import type { BatchCase } from '../harness/gpu/batch.ts';
import { outOfBoundsVerdict } from '../harness/run/trace-properties.ts';
import type { KernelSpec } from '../harness/spec.ts';

const wgsl = (name: string) => readFileSync(join(import.meta.dirname, 'interpreter-cases', `${name}.wgsl`), 'utf8');

type Init = { words: number; init?: number[]; type?: 'u32' | 'f32' };

function oneDispatch(buffers: Init[]): BatchCase {
  return {
    buffers: buffers.map((b) => {
      const a = b.type === 'f32' ? new Float32Array(b.words) : new Uint32Array(b.words);
      a.set(b.init ?? []);
      return { size: b.words * 4, kind: 'storage' as const, data: new Uint8Array(a.buffer) };
    }),
    dispatches: [{ shader: 0, entry: 'main', bindings: buffers.map((_, i) => ({ group: 0, binding: i, buffer: i })), workgroups: [1, 1, 1] }],
    readback: buffers.map((_, i) => i),
  };
}

const u32s = (bytes: Uint8Array) => Array.from(new Uint32Array(bytes.slice().buffer));

/** Each out-of-bounds access once, as (invocation, kind, what it names, its line), in invocation order. */
const found = (accesses: Access[]) => [...new Set(accesses.map((a) => JSON.stringify([a.invocation, a.kind, a.inner?.path ?? `${a.variable} byte ${a.offset}`, a.line])))]
  .map((s) => JSON.parse(s) as [number, string, string, number])
  .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]) || a[2].localeCompare(b[2]));

describe('an index past the end of an inner array, vector or matrix is out of bounds', () => {
  test('storage array<array<u32, 2>>: [0][2] is [1][0]\'s bytes, out of bounds; the write is dropped, the read is zero', () => {
    const t = traceCase([wgsl('inner-index-storage')], oneDispatch([{ words: 4, init: [10, 11, 12, 13] }, { words: 6 }]));
    expect(t.skipped).toBeUndefined();
    const d = t.dispatches[0]!;
    expect(found(d.outOfBounds)).toEqual([
      [2, 'read', 'x[0][2]', 9], [2, 'write', 'y[0][2]', 9],
      [5, 'read', 'x[1][2]', 9], [5, 'write', 'y[1][2]', 9],
      // x[2] is past x's 16 bytes: the outer index, said as before.
      [6, 'read', 'x byte 16', 9],
    ]);
    expect(d.outOfBounds.find((a) => a.inner?.path === 'x[0][2]')!.inner).toEqual({ path: 'x[0][2]', index: 2, length: 2, type: 'array<u32, 2>' });
    // y[1][0] is invocation 3's alone: invocation 2's y[0][2] neither lands there nor races with it.
    expect(u32s(t.outputs[1]!)).toEqual([110, 111, 112, 113, 100, 0]);
    expect(d.races).toEqual([]);
  });

  test('vec4 by a runtime component index, in storage and in a workgroup tile: [4] is out of bounds, not unsupported', () => {
    const t = traceCase([wgsl('inner-index-vector')], oneDispatch([{ words: 8, init: [1, 2, 3, 4, 5, 6, 7, 8] }, { words: 8 }]));
    expect(t.skipped).toBeUndefined();
    const d = t.dispatches[0]!;
    expect(found(d.outOfBounds)).toEqual([
      [0, 'read', 't[0][4]', 15], [0, 'read', 'x[0][4]', 11], [0, 'write', 't[0][4]', 11], [0, 'write', 'y[0][4]', 15],
      [1, 'read', 't[1][4]', 15], [1, 'read', 'x[1][4]', 11], [1, 'write', 't[1][4]', 11], [1, 'write', 'y[1][4]', 15],
    ]);
    expect(d.outOfBounds.find((a) => a.inner?.path === 'x[0][4]')!.inner).toMatchObject({ index: 4, length: 4, type: 'vec4u' });
    // t[i][4] reads zero; x[1].x and y[1].x are untouched by invocation 0's [4].
    expect(u32s(t.outputs[1]!)).toEqual([1, 3, 5, 7, 5, 7, 9, 11]);
    expect(d.races).toEqual([]);
  });

  test('workgroup array<array<u32, 3>, 2>: tile[0][3] is out of bounds, not a race with tile[1][0]', () => {
    const t = traceCase([wgsl('inner-index-workgroup')], oneDispatch([{ words: 8 }]));
    expect(t.skipped).toBeUndefined();
    const d = t.dispatches[0]!;
    expect(found(d.outOfBounds)).toEqual([
      [3, 'read', 'tile[0][3]', 10], [3, 'write', 'tile[0][3]', 8],
      [7, 'read', 'tile[1][3]', 10], [7, 'write', 'tile[1][3]', 8],
    ]);
    expect(d.outOfBounds.every((a) => a.buffer === undefined)).toBe(true);
    expect(u32s(t.outputs[0]!)).toEqual([1, 2, 3, 0, 5, 6, 7, 0]);
    expect(d.races).toEqual([]);
  });

  test('a matrix column past the end: m[0][2] of a mat2x2 is m[1][0]\'s bytes, out of bounds', () => {
    const code = `@group(0) @binding(0) var<storage, read_write> m: array<mat2x2<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(3)
fn main(@builtin(local_invocation_index) c: u32) {
  y[c] = m[0][c].y;
}`;
    const t = traceCase([code], oneDispatch([{ words: 8, type: 'f32', init: [1, 2, 3, 4, 5, 6, 7, 8] }, { words: 3, type: 'f32' }]));
    expect(t.skipped).toBeUndefined();
    expect(found(t.dispatches[0]!.outOfBounds)).toEqual([[2, 'read', 'm[0][2].y', 5]]);
    expect(t.dispatches[0]!.outOfBounds[0]!.inner).toMatchObject({ index: 2, length: 2, type: 'mat2x2f' });
    expect(Array.from(new Float32Array(t.outputs[1]!.slice().buffer))).toEqual([2, 4, 0]);
  });

  test('the same kernels with every index in range: no finding, the values a GPU computes', () => {
    const vector = wgsl('inner-index-vector').replaceAll('c <= 4u', 'c < 4u').replace('t[i][4]', 't[i][3]');
    const v = traceCase([vector], oneDispatch([{ words: 8, init: [1, 2, 3, 4, 5, 6, 7, 8] }, { words: 8 }]));
    expect(v.skipped).toBeUndefined();
    expect(v.dispatches[0]!.outOfBounds).toEqual([]);
    expect(v.dispatches[0]!.races).toEqual([]);
    expect(u32s(v.outputs[1]!)).toEqual([71, 73, 75, 77, 115, 117, 119, 121]);

    const c = oneDispatch([{ words: 4, init: [1, 2, 3, 4] }, { words: 16, init: [1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0, 0, 7, 8, 0, 0] },
      { words: 8, type: 'f32', init: [1, 2, 3, 4, 5, 6, 7, 8] }, { words: 4 }]);
    const t = traceCase([wgsl('inner-index-in-bounds')], c);
    expect(t.skipped).toBeUndefined();
    expect(t.dispatches[0]!.outOfBounds).toEqual([]);
    expect(t.dispatches[0]!.races).toEqual([]);
    expect(u32s(t.outputs[3]!)).toEqual([1213, 2542, 3657, 4986]);
  });
});

describe("no-out-of-bounds' message names the access, the index and the inner length", () => {
  const spec = { buffers: { src: {}, dst: {} } } as unknown as KernelSpec;
  test('storage', () => {
    const t = traceCase([wgsl('inner-index-storage')], oneDispatch([{ words: 4, init: [10, 11, 12, 13] }, { words: 6 }]));
    // Invocation 6's x[2] (past x's end) steps first; the inner ones alone:
    const inner = { dispatches: [{ outOfBounds: t.dispatches[0]!.outOfBounds.filter((a) => a.inner), races: [] }] };
    expect(outOfBoundsVerdict(spec, [inner], () => 'inner.wgsl').message).toBe(
      'invocation 5 of workgroup (0, 0, 0) reads x[1][2]: index 2 is past the end of an array<u32, 2> (2 elements), in src (inner.wgsl:9); 4 such accesses');
  });
  test('a vector component', () => {
    const t = traceCase([wgsl('inner-index-vector')], oneDispatch([{ words: 8 }, { words: 8 }]));
    expect(outOfBoundsVerdict(spec, [t]).message).toMatch(/^invocation [01] of workgroup \(0, 0, 0\) reads x\[[01]\]\[4\]: index 4 is past the end of a vec4u \(4 components\), in src \(line 11\); \d+ such accesses$/);
  });
  // Trial 207 B2: `a[i - 2u]` at i = 0, a u32 wrapped below 0, was "past the end"; Dawn's sanitizer says both.
  test('a u32 index wrapped below 0: named as the i32 it may be', () => {
    const access = { variable: 'x', offset: 4 * (2 ** 32 - 2), size: 4, kind: 'read', atomic: false, workgroup: [0, 0, 0], invocation: 0, line: 9, phase: 0, buffer: 0 };
    expect(outOfBoundsVerdict(spec, [{ dispatches: [{ outOfBounds: [access as never], races: [] }] }]).message).toBe(
      'invocation 0 of workgroup (0, 0, 0) reads x element 4294967294 (or -2, if the index is an i32; byte 17179869176), outside src (line 9); 1 such access');
  });
  // Trial 207 B1: a missing guard's write past the end landed on out[0] on Dawn, and matches-reference's line read as
  // wrong arithmetic there: the write is kept in the notes, and the note after the run names the value failure.
  test('a write past the end of a spec buffer, beside a value failure: the note after the run', async () => {
    const { outsideWritesNotes } = await import('../harness/cli/test.ts');
    const write = { variable: 'y', offset: 4, size: 4, kind: 'write', atomic: false, workgroup: [0, 0, 0], invocation: 7, line: 9, phase: 0, buffer: 1 };
    const v = outOfBoundsVerdict(spec, [{ dispatches: [{ outOfBounds: [write as never], races: [] }] }]);
    expect(v.notes).toEqual({ writesOutside: 'dst' });
    expect(outOfBoundsVerdict(spec, [{ dispatches: [{ outOfBounds: [{ ...write, kind: 'read' } as never], races: [] }] }]).notes).toBeUndefined();
    const items = ['matches-reference', 'no-out-of-bounds'].map((name) => ({ kernel: { program: { spec: { name: 'pool' } } }, property: name === 'no-out-of-bounds' ? { name, checkTrace: () => ({ pass: true }) } : { name } })) as never[];
    const result = (property: string, status: string, notes?: object, error = 'dst[0] = 0 but the reference is 0.25') => ({ kernel: 'pool', property, backend: 'dawn', status, error, ...(notes ? { notes } : {}) }) as never;
    expect(outsideWritesNotes(items, [result('matches-reference', 'fail'), result('no-out-of-bounds', 'fail', v.notes)])).toEqual([
      'pool writes outside dst on dawn (no-out-of-bounds): a GPU may drop such a write or store it to any element of dst, so matches-reference may be failing on that write landing inside: fix that write first (its line and index are in no-out-of-bounds\'s failure)']);
    // Trial 213 B3: an index from a counter never reset is kernelscope's fill, and said so.
    const counter = { ...write, offset: 4 * (0x7fbadbad + 3) };
    expect(outOfBoundsVerdict(spec, [{ dispatches: [{ outOfBounds: [counter as never], races: [] }] }]).message).toMatch(/writes y element 2142952368 \(byte \d+\), past the end of dst \(line 9\); 1 such access; the index is 0x7fbadbad \+ 3, the value kernelscope fills an output with before the kernel runs: it comes from an output \(a counter, an offset\) that nothing set first; clear it in a dispatch before this one$/);
    expect(outsideWritesNotes(items, [result('matches-reference', 'pass'), result('no-out-of-bounds', 'fail', v.notes)])).toEqual([]);
    // Trial 216 B2: nor beside writes-every-output, which a write landing inside cannot fail.
    const every = [{ kernel: { program: { spec: { name: 'pool' } } }, property: { name: 'writes-every-output' } }] as never[];
    expect(outsideWritesNotes([...items, ...every], [result('writes-every-output', 'fail'), result('no-out-of-bounds', 'fail', v.notes)])).toEqual([]);
    expect(outsideWritesNotes(items, [result('matches-reference', 'fail'), result('no-out-of-bounds', 'fail')])).toEqual([]);
    // Trial 213 B3: nor for a failure of another buffer.
    expect(outsideWritesNotes(items, [result('matches-reference', 'fail', undefined, 'count[0] holds the sentinel'), result('no-out-of-bounds', 'fail', v.notes)])).toEqual([]);
    expect(outsideWritesNotes(items, [{ ...(result('matches-reference', 'fail') as object), maxError: { abs: 1, ulp: 1, boundRatio: 1, atWorst: { abs: 1, ulp: 1, buffer: 'count' } } } as never, result('no-out-of-bounds', 'fail', v.notes)])).toEqual([]);
    const onInterpreter = (r: object) => ({ ...r, backend: 'interpreter' }) as never;
    expect(outsideWritesNotes(items, [onInterpreter(result('matches-reference', 'fail')), onInterpreter(result('no-out-of-bounds', 'fail', v.notes))])).toEqual([]);
  });
  test('workgroup memory', () => {
    const t = traceCase([wgsl('inner-index-workgroup')], oneDispatch([{ words: 8 }]));
    const v = outOfBoundsVerdict(spec, [t]);
    expect(v.message).toMatch(/^invocation [37] of workgroup \(0, 0, 0\) writes tile\[[01]\]\[3\]: index 3 is past the end of an array<u32, 3> \(3 elements\), in workgroup memory \(line 8\); 4 such accesses$/);
  });
});

describe('what wgsl_reflect says while running is placed at the line that made it', () => {
  // The trial's vec4 [4] was skipped at the line the run ended on (44), where the write was on line 29. A function
  // variable's vector indexed past its end (once wgsl_reflect's own VectorData printed it; now installPlainBounds
  // refuses it, and no-out-of-bounds fails on it): line 6, not 7.
  test('not the line the run ended on', () => {
    const code = `@group(0) @binding(0) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(1)
fn main() {
  var a = vec4u(1u, 2u, 3u, 4u);
  var k = 4u;
  y[0] = a[k];
  y[1] = 9u;
}`;
    const t = traceCase([code], oneDispatch([{ words: 2 }]));
    expect(t.skipped).toMatch(/^not supported on the interpreter: an index out of range of the function variable a \(index 4 is past the end of a vec4u.*, line 6 \(met while the case ran\)$/);
  });
});

describe('through a pointer to an element: the same checks, the write a write', () => {
  const put = (call: string) => `@group(0) @binding(0) var<storage, read_write> y: array<array<u32, 2>>;
fn put(row: ptr<storage, array<u32, 2>, read_write>, c: u32) { (*row)[c] = c + 1u; }
@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) i: u32) {
  ${call}
}`;

  test('let row = &y[i]; (*row)[2 - i]: invocation 0 writes y[0][2], out of bounds, dropped', () => {
    const code = `@group(0) @binding(0) var<storage, read_write> y: array<array<u32, 2>>;
@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) i: u32) {
  let row = &y[i];
  (*row)[2u - i] = 7u + (*row)[0];
}`;
    const t = traceCase([code], oneDispatch([{ words: 4 }]));
    expect(t.skipped).toBeUndefined();
    expect(found(t.dispatches[0]!.outOfBounds)).toEqual([[0, 'write', 'y[0][2]', 5]]);
    expect(u32s(t.outputs[0]!)).toEqual([0, 0, 0, 7]);
    expect(t.dispatches[0]!.races).toEqual([]);
  });

  test('a function given &y[i] writes (*row)[2]: out of bounds, not a RangeError', () => {
    const t = traceCase([put('put(&y[i], 2u);')], oneDispatch([{ words: 4 }]));
    expect(t.skipped).toBeUndefined();
    expect(found(t.dispatches[0]!.outOfBounds)).toEqual([[0, 'write', 'y[0][2]', 2], [1, 'write', 'y[1][2]', 2]]);
    expect(u32s(t.outputs[0]!)).toEqual([0, 0, 0, 0]);
  });

  test('two invocations write (*row)[0] of the same &y[0]: a race, write against write', () => {
    const t = traceCase([put('put(&y[0], 0u);')], oneDispatch([{ words: 4 }]));
    expect(t.skipped).toBeUndefined();
    expect(t.dispatches[0]!.races[0]).toMatchObject({ variable: 'y', byte: 0, a: { kind: 'write', line: 2 }, b: { kind: 'write', line: 2 } });
  });

  test('*row is a load (a value, not an alias of y[0]); *row = v and (*row)[1] += v are writes', () => {
    const code = `@group(0) @binding(0) var<storage, read_write> y: array<array<u32, 2>>;
@compute @workgroup_size(1)
fn main() {
  let row = &y[0];
  let a = *row;
  y[0][0] = 5u;
  y[1][0] = a[0] + 1u;
  *row = array<u32, 2>(8u, 9u);
  (*row)[1] += 10u;
}`;
    const t = traceCase([code], { ...oneDispatch([{ words: 4 }]) });
    expect(t.skipped).toBeUndefined();
    expect(u32s(t.outputs[0]!)).toEqual([8, 19, 1, 0]);
  });

  test('let p = &m[i] of a matrix, p[c]: column 2 of a mat2x2 is out of bounds, judged (it was refused as a private variable\'s)', () => {
    const code = `@group(0) @binding(0) var<storage, read> m: array<mat2x2<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec2<f32>>;
@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) i: u32) {
  let p = &m[i];
  y[i] = p[1u + i] * 2.0;
}`;
    const t = traceCase([code], oneDispatch([{ words: 8, type: 'f32', init: [1, 2, 3, 4, 5, 6, 7, 8] }, { words: 4, type: 'f32' }]));
    expect(t.skipped).toBeUndefined();
    expect(found(t.dispatches[0]!.outOfBounds)).toEqual([[1, 'read', 'm[1][2]', 6]]);
    expect(Array.from(new Float32Array(t.outputs[1]!.slice().buffer))).toEqual([6, 8, 0, 0]);
  });

  test('let v = &x[i] of a vector: v[4] of a vec4 is out of bounds, judged', () => {
    const code = `@group(0) @binding(0) var<storage, read_write> x: array<vec4<u32>>;
@compute @workgroup_size(1)
fn main() {
  let v = &x[0];
  for (var c = 0u; c <= 4u; c++) { v[c] = c + 1u; }
}`;
    const t = traceCase([code], oneDispatch([{ words: 8 }]));
    expect(t.skipped).toBeUndefined();
    expect(found(t.dispatches[0]!.outOfBounds)).toEqual([[0, 'write', 'x[0][4]', 5]]);
    expect(u32s(t.outputs[0]!)).toEqual([1, 2, 3, 4, 0, 0, 0, 0]);
  });

  test('in range: the values, no finding', () => {
    const t = traceCase([put('put(&y[i], 0u); put(&y[i], 1u);')], oneDispatch([{ words: 4 }]));
    expect(t.skipped).toBeUndefined();
    expect(u32s(t.outputs[0]!)).toEqual([1, 2, 1, 2]);
    expect(t.dispatches[0]!.outOfBounds).toEqual([]);
    expect(t.dispatches[0]!.races).toEqual([]);
  });
});

describe("the lockstep view's out-of-bounds text", () => {
  // It read the flattened word: "writes tile[3] ..., but tile has 6 elements (indices 0…5)", an index inside.
  test('names the access, the index and the inner length', async () => {
    const { outOfBoundsFinding } = await import('../visualizer/src/race.ts');
    const t = traceCase([wgsl('inner-index-workgroup')], oneDispatch([{ words: 8 }]));
    const a = t.dispatches[0]!.outOfBounds.find((x) => x.kind === 'write' && x.invocation === 3)!;
    const trace = { variables: [], access: {}, accessCount: 0, bytes: { tile: 24 } } as never;
    expect(outOfBoundsFinding(trace, a).text).toBe('Out of bounds: invocation 3 writes tile[0][3] on line 8, but index 3 is past the end of an array<u32, 3> (3 elements, indices 0…2). A GPU clamps or drops such an access without a word.');
  });
});

describe('function and private memory: an index out of range is refused, never a neighbour read', () => {
  // Not a buffer or workgroup array, which no-out-of-bounds judges; upstream read a[0][2] as a[1][0] (y[0] = 5).
  test.each([
    ['a function array<array<u32, 2>, 2> at [0][2]', 'var a: array<array<u32, 2>, 2>;', 'a[0][k] = 5u;', 'array<u32, 2>', 'function variable a'],
    ['a private array<u32, 2> at [2]', '', 'p[k] = 5u;', 'array<u32, 2>', 'private variable p'],
  ])('%s', (_, decl, store, type, variable) => {
    const code = `@group(0) @binding(0) var<storage, read_write> y: array<u32>;
var<private> p: array<u32, 2>;
@compute @workgroup_size(1)
fn main() {
  ${decl}
  var k = 2u;
  ${store}
  y[0] = 1u;
}`;
    const t = traceCase([code], oneDispatch([{ words: 1 }]));
    expect(t.skipped).toBe(`not supported on the interpreter: an index out of range of the ${variable} (index 2 is past the end of an ${type}: WGSL gives any value of the variable, the interpreter would use its neighbour's bytes), line 7 (met while the case ran)`);
  });

  test('in range: runs', () => {
    const code = `@group(0) @binding(0) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(1)
fn main() {
  var a: array<array<u32, 2>, 2>;
  for (var k = 0u; k < 2u; k++) { a[1][k] = k + 3u; }
  y[0] = a[1][0] * 10u + a[1][1];
}`;
    const t = traceCase([code], oneDispatch([{ words: 1 }]));
    expect(t.skipped).toBeUndefined();
    expect(u32s(t.outputs[0]!)).toEqual([34]);
  });
});

describe('an i32 index below zero', () => {
  test('x[1][-1] is x[0][1]\'s bytes, out of bounds before the start', () => {
    const code = `@group(0) @binding(0) var<storage, read_write> x: array<array<u32, 2>>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(1)
fn main() {
  let k = -1i;
  y[0] = x[1][k] + 1u;
}`;
    const t = traceCase([code], oneDispatch([{ words: 4, init: [1, 2, 3, 4] }, { words: 1 }]));
    expect(t.skipped).toBeUndefined();
    expect(t.dispatches[0]!.outOfBounds[0]!.inner).toEqual({ path: 'x[1][-1]', index: -1, length: 2, type: 'array<u32, 2>' });
    expect(u32s(t.outputs[1]!)).toEqual([1]);
    const spec = { buffers: { x: {}, y: {} } } as unknown as KernelSpec;
    expect(outOfBoundsVerdict(spec, [t]).message).toBe('invocation 0 of workgroup (0, 0, 0) reads x[1][-1]: index -1 is before the start of an array<u32, 2> (2 elements), in x (line 6); 1 such access');
  });
});

// A trial's cloth kernel read p[i + 3u] of an array<vec3<f32>>: Dawn said element 3 (byte 48), the interpreter element
// 4, dividing by a vec3's 12 bytes rather than the array's 16-byte stride.
test('an out-of-bounds element of an array<vec3<f32>> is counted in strides of 16 bytes', () => {
  const t = traceCase([wgsl('vec3-stride-oob')], oneDispatch([{ words: 12, type: 'f32' }, { words: 1, type: 'f32' }]));
  const spec = { name: 'k', buffers: { p: {}, y: {} } } as unknown as KernelSpec;
  expect(outOfBoundsVerdict(spec, [t]).message).toMatch(/^invocation 0 of workgroup \(0, 0, 0\) reads p element 3 \(16 bytes each; byte 48\), past the end of p /);
});

// Trial 55 B5: pin.items[1].vel past the end of a struct's runtime-sized array read "pin element 4 (12 bytes each;
// byte 48)", an element of nothing the kernel declares; Dawn names the access.
test("an index past a struct's runtime-sized array of structs names the access and the array's length", () => {
  const t = traceCase([wgsl('wrapper-struct-oob')], oneDispatch([{ words: 8, type: 'f32' }, { words: 2, type: 'f32' }]));
  const spec = { name: 'k', buffers: { pin: {}, out: {} } } as unknown as KernelSpec;
  expect(outOfBoundsVerdict(spec, [t]).message).toBe('invocation 1 of workgroup (0, 0, 0) reads pin.items[1].vel.y: index 1 is past the end of an array<Particle> (1 element), in pin (line 10); 1 such access');
});
