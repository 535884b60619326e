// The two ways to record an access trace must agree: wgsl_reflect's interpreter sees every access directly; the
// instrumented WGSL makes a real engine (Dawn, in its child process) report its own. Same set of
// (invocation, buffer, element, read/write, line), and the engine's outputs are untouched by the instrumentation.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import type { Engine } from '../harness/engines/engine.ts';
import { openEngine } from '../harness/engines/open.ts';
import { fromOutputs, toBatchCase, type KernelProgram } from '../harness/run/program.ts';
import type { KernelSpec } from '../harness/spec.ts';
import { instrument } from '../harness/trace/instrument.ts';
import { decodeDeviceTrace, instrumentedBatch, traceWithInterpreter, TraceBudgetExceeded } from '../harness/trace/record.ts';
import { invocationIds, invocationNumber, READ, TraceBuilder, WRITE, type KernelTrace } from '../harness/trace/trace.ts';
import { layoutOf } from '../visualizer/src/heatmap.ts';
import { Session } from '../visualizer/src/session.ts';
import matmul from '../kernels/matmul.kernel.ts';
import softmax from '../kernels/softmax.kernel.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';

const program = (spec: KernelSpec): KernelProgram => ({
  spec, sources: { [spec.wgsl]: readFileSync(`kernels/${spec.wgsl}`, 'utf8') }, origins: {},
});
const rows = (t: KernelTrace) =>
  Array.from({ length: t.count }, (_, i) => `${t.invocation[i]} ${t.buffers[t.buffer[i]!]}[${t.index[i]}] ${t.kind[i]} @${t.line[i]}`).sort();
let seed = 7;
const rand = (n: number) => Float32Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1);

// A kernel written over vec4 pixels, as graphics code is (a new user's blur): its spec's buffers are f32 elements.
const SCALE4 = `@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
struct Params { n: u32 }
@group(0) @binding(2) var<uniform> params: Params;
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x * 4u < params.n) {
    y[g.x] = x[g.x] * 2.0;
  }
}
`;
const scale4: KernelSpec<{ n: number }> = {
  name: 'scale4', wgsl: 'scale4.wgsl', description: 'y = 2x over vec4 pixels',
  buffers: { x: { role: 'input', type: 'f32', length: (s) => s.n }, y: { role: 'output', type: 'f32', length: (s) => s.n } },
  stages: (s) => [{ wgsl: 'scale4.wgsl', entry: 'main', bind: { x: 'x', y: 'y', params: { uniform: { n: s.n } } }, workgroups: ([w]) => [Math.ceil(s.n / 4 / w!), 1, 1] }],
};

// Particles as N-body code keeps them: each struct is 7 host floats (pos, vel, mass) in 32 bytes of the buffer.
const PARTICLES = `struct P { pos: vec3<f32>, vel: vec3<f32>, mass: f32 }
@group(0) @binding(0) var<storage, read> pin: array<P>;
@group(0) @binding(1) var<storage, read_write> pout: array<P>;
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x < arrayLength(&pin)) {
    pout[g.x] = pin[g.x];
  }
}
`;
const particles: KernelSpec<{ n: number }> = {
  name: 'particles', wgsl: 'particles.wgsl', description: 'copies particles',
  buffers: { pin: { role: 'input', type: 'f32', length: (s) => 7 * s.n }, pout: { role: 'output', type: 'f32', length: (s) => 7 * s.n } },
  stages: (s) => [{ wgsl: 'particles.wgsl', entry: 'main', bind: { pin: 'pin', pout: 'pout' }, workgroups: ([w]) => [Math.ceil(s.n / w!), 1, 1] }],
};

let dawn: Promise<Engine> | undefined;
afterAll(async () => (await dawn?.catch(() => undefined))?.close());

describe('interpreter trace', () => {
  test('matmul: invocation (row r, col c) reads row r of A, column c of B, writes C[r][c] on the store line', () => {
    const shape = { M: 3, N: 5, K: 4 };
    const t = traceWithInterpreter(program(matmul), { shape, inputs: { a: rand(12), b: rand(20), bias: rand(5) } });
    const wgsl = readFileSync('kernels/matmul.wgsl', 'utf8').split('\n');
    const storeLine = wgsl.findIndex((l) => /c\[row \* params\.N \+ col\] =/.test(l)) + 1;
    const inv = invocationNumber(t.stages[0]!, [2, 1, 0]); // col 2, row 1
    const mine = Array.from({ length: t.count }, (_, i) => i).filter((i) => t.invocation[i] === inv);
    const touched = (buf: string, kind: number) => mine.filter((i) => t.buffers[t.buffer[i]!] === buf && t.kind[i] === kind).map((i) => t.index[i]).sort((x, y) => x! - y!);
    expect(touched('a', 1)).toEqual([4, 5, 6, 7]);
    expect(touched('b', 1)).toEqual([2, 7, 12, 17]);
    expect(touched('c', 2)).toEqual([1 * 5 + 2]);
    expect(mine.filter((i) => t.kind[i] === 2).map((i) => t.line[i])).toEqual([storeLine]);
    expect(invocationIds(t.stages, inv)).toMatchObject({ global: [2, 1, 0], local: [2, 1, 0], workgroup: [0, 0, 0] });
    // Invocations outside the 3×5 matrix (the 8×8 workgroup's rest) touch nothing.
    expect(new Set(Array.from(t.invocation)).size).toBe(15);
  });

  test('refuses a case over its budget instead of running it', () => {
    const shape = { M: 64, N: 64, K: 64 };
    expect(() => traceWithInterpreter(program(matmul), { shape, inputs: { a: rand(4096), b: rand(4096), bias: rand(64) } }, { maxInvocations: 1024 }))
      .toThrow(TraceBudgetExceeded);
  });
});

describe('instrumented WGSL', () => {
  test('keeps every line where it was and tags accesses with their line', () => {
    const code = readFileSync('kernels/matmul.wgsl', 'utf8');
    const out = instrument(code, { entry: 'main', buffers: new Map([['a', 0], ['b', 1], ['bias', 2], ['c', 3]]), workgroups: [1, 1, 1], workgroupSize: [8, 8, 1], capacity: 10 });
    const before = code.split('\n');
    const after = out.code.split('\n');
    before.forEach((line, i) => {
      const tags = [...after[i]!.matchAll(/_ks_log\((\d+)u/g)].map((m) => out.sites[Number(m[1])]!);
      for (const tag of tags) expect(tag.line).toBe(i + 1);
      if (!tags.length && !/fn main/.test(line)) expect(after[i]).toBe(line);
    });
    expect(out.binding).toBe(5);
  });

  test.each([
    ['matmul', matmul, { M: 9, N: 10, K: 3 }],
    ['softmax (workgroup memory, barriers)', softmax, { rows: 2, cols: 13 }],
    ['vec4 pixels over an f32 buffer (element = the spec\'s f32, four per array<vec4f> index)', scale4, { n: 24 }],
    ['particles: structs of two vec3s and an f32, 7 host floats in 32 bytes (the padding no element)', particles, { n: 3 }],
  ] as const)('%s: Dawn records the same accesses as the interpreter', async (_, spec, shape) => {
    const inline: Record<string, string> = { 'scale4.wgsl': SCALE4, 'particles.wgsl': PARTICLES };
    const p = inline[(spec as KernelSpec).wgsl] ? { spec: spec as KernelSpec, sources: { [(spec as KernelSpec).wgsl]: inline[(spec as KernelSpec).wgsl]! }, origins: {} } : program(spec as KernelSpec);
    const inputs: Record<string, Float32Array> = {};
    for (const [name, b] of Object.entries((spec as KernelSpec).buffers)) if (b.role === 'input') inputs[name] = rand(b.length(shape));
    const expected = traceWithInterpreter(p, { shape, inputs }, { maxInvocations: 4096 });
    const { batch, stages, names, maps } = instrumentedBatch(p, { shape, inputs });
    dawn ??= openEngine('dawn', { timeoutMs: 60_000 });
    const r = await (await dawn).execute(batch);
    const got = decodeDeviceTrace(p, stages, names, r.outputs[0]!, 0, maps);
    expect(got.dropped).toBe(0);
    expect(got.count).toBe(expected.count);
    expect(rows(got)).toEqual(rows(expected));
    // Every index is a host element: particle 1 is elements 7 to 13, not the buffer's words 8 to 15.
    if (spec === particles) expect(rows(got).filter((r) => r.startsWith('1 pout[')).map((r) => Number(/\[(\d+)\]/.exec(r)![1])).sort((a, b) => a - b)).toEqual([7, 8, 9, 10, 11, 12, 13]);
    // The instrumented kernel computes bit for bit what the plain one computes on the same engine.
    const plain = await (await dawn).execute({ shaders: [p.sources[spec.wgsl]!], cases: [toBatchCase(p, { shape, inputs }, () => 0)] });
    const plainOut = fromOutputs(p, plain.outputs[0]!);
    for (const name of names) expect(new Uint32Array(got.outputs[name]!.buffer.slice(0))).toEqual(new Uint32Array(plainOut[name]!.buffer.slice(0)));
  });
});

// Parts of elements, as N-body and pixel code writes them: both traces name the member or component touched, and
// whether it was written (a write of a component may access the whole vector in WGSL's memory model, and races are
// judged so; the trace shows what the kernel names). The first instrumenter scanned text: `pout[i].mass = ...` was a read of the whole
// particle, and a helper's vec3 parameter named like a buffer (`pin[1]`) was recorded as reads of that buffer.
const PARTS = `struct P { pos: vec3<f32>, vel: vec3<f32>, mass: f32 }
@group(0) @binding(0) var<storage, read> pin: array<P>;
@group(0) @binding(1) var<storage, read_write> pout: array<P>;
// pout[0] = pin[0]; in a comment is no access
fn pick(pin: vec3<f32>) -> f32 { return pin[1]; }
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let i = g.x;
  if (i < arrayLength(&pin)) {
    pout[i].mass = pin[i].mass * 2.0;
    pout[i].vel[1] = pick(pin[i].pos);
  }
}
`;
const PIXELS = `@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x < arrayLength(&x)) {
    y[g.x].x = x[g.x].w;
    y[g.x][2] += 1.0;
  }
}
`;

describe('an access of part of an element', () => {
  test.each([
    ['a struct member written and read, a vector member as an argument, a helper\'s parameter named like a buffer', particles, PARTS, 3,
      (i: number) => [`${i} pin[${7 * i + 6}] 1 @10`, `${i} pout[${7 * i + 6}] 2 @10`, ...[0, 1, 2].map((k) => `${i} pin[${7 * i + k}] 1 @11`), `${i} pout[${7 * i + 4}] 2 @11`]],
    ['one component of a vec4 pixel written, one read, one updated', scale4, PIXELS, 8,
      (i: number) => [`${i} x[${4 * i + 3}] 1 @6`, `${i} y[${4 * i}] 2 @6`, `${i} y[${4 * i + 2}] 1 @7`, `${i} y[${4 * i + 2}] 2 @7`]],
  ] as const)('%s: Dawn and the interpreter record the member or component', async (_, spec, code, n, expected) => {
    const p = { spec: spec as KernelSpec, sources: { [(spec as KernelSpec).wgsl]: code }, origins: {} };
    const shape = { n: spec === particles ? n : 4 * n };
    const inputs: Record<string, Float32Array> = {};
    for (const [name, b] of Object.entries((spec as KernelSpec).buffers)) if (b.role === 'input') inputs[name] = rand(b.length(shape));
    const { batch, stages, names, maps } = instrumentedBatch(p, { shape, inputs });
    dawn ??= openEngine('dawn', { timeoutMs: 60_000 });
    const got = decodeDeviceTrace(p, stages, names, (await (await dawn).execute(batch)).outputs[0]!, 0, maps);
    const want = Array.from({ length: n }, (_, i) => expected(i)).flat().sort();
    expect(rows(got)).toEqual(want);
    expect(rows(traceWithInterpreter(p, { shape, inputs }))).toEqual(want);
  });
});

// The summary's "written by more than one invocation" is an overlap of plain stores within one stage: a correct
// two-stage histogram (a clear pass, then atomicAdd) was flagged in red.
describe('the view\'s overlap count', () => {
  const spec = { buffers: { bins: { role: 'output', type: 'u32', length: () => 2 } } } as unknown as KernelSpec;
  const trace = (rows: [number, number, number, number][]): KernelTrace => {
    const b = new TraceBuilder(8);
    for (const [inv, index, kind, stage] of rows) b.push(inv, 0, index, kind, 1, stage);
    return { source: 'gpu', buffers: ['bins'], stages: [], ...b.columns(), dropped: 0, outputs: {}, ms: 0 };
  };
  const overlap = (rows: [number, number, number, number][]) =>
    new Session({ spec, sources: {}, origins: {} }, { shape: {}, inputs: {} }, trace(rows)).overlapping;
  test.each([
    ['two plain stores of one element in one stage', [[0, 0, WRITE, 0], [1, 0, WRITE, 0]], 1],
    ['the same invocation twice', [[0, 0, WRITE, 0], [0, 0, WRITE, 0]], 0],
    ['a store in stage 1, another invocation\'s in stage 2', [[0, 0, WRITE, 0], [5, 0, WRITE, 1]], 0],
    ['atomics (read and write)', [[0, 1, READ | WRITE, 1], [1, 1, READ | WRITE, 1], [2, 1, READ | WRITE, 1]], 0],
  ] as const)('%s: %d', (_, rows, n) => {
    expect(overlap(rows as unknown as [number, number, number, number][])).toBe(n);
  });
});

// A buffer's picture: an image's channels inline in its rows (a new user's 3 × 70 RGBA blur was a strip 4 cells wide).
describe('a buffer\'s layout in the view', () => {
  test.each([
    [[3, 70, 4], { rows: 3, cols: 280 }],
    [[9, 17], { rows: 9, cols: 17 }],
    [[2, 5, 6], { rows: 10, cols: 6 }],
    [[4, 4, 4, 3], { rows: 16, cols: 12 }],
  ])('%j', (dims, want) => {
    expect(layoutOf(dims)).toMatchObject({ ...want, strip: false });
  });
});
