// The GPU sanitizer looks into var<storage> structs: each array member (`b.data[i]`, `b.lut[k]`, a nested struct's)
// is checked as an array of its own, the runtime-sized last one against arrayLength(&b.data), and recorded for races;
// a vector or matrix member's dynamic index (`b.v[k]`) is checked against its components. Before, such a variable
// was only said beside a pass ("notChecked accesses of the struct b"): a trial's b.lut[16] of a 16-element lut and
// b.data past its end passed no-out-of-bounds on Dawn. The fixtures replace sb.wgsl of the library
// test/sanitizer/struct; the interpreter, which sees every access itself, must give the same verdicts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../harness/engines/engine.ts';
import { openEngine } from '../harness/engines/open.ts';
import type { BatchCase } from '../harness/gpu/batch.ts';
import type { ResultsFile } from '../harness/results/schema.ts';
import { decodeFindings, FINDINGS_WORDS, sanitizeCase, sanitizeShader, tagOf } from '../harness/trace/sanitize.ts';
import { itKeepsEveryLine } from './sanitizer-keeps-lines.ts';

const ROOT = resolve(import.meta.dirname, '..');
const LIB = join(ROOT, 'test', 'sanitizer', 'struct');

/** One run of the fixture on Dawn and the interpreter: each result by `engine property`. */
function cli(wgsl: string, properties: string[], kernel = 'sb') {
  const out = mkdtempSync(join(tmpdir(), 'ks-sanitizer-struct-'));
  const args = ['bin/kernelscope.mjs', 'test', '--kernel', kernel, '--wgsl', `${kernel}=test/sanitizer/struct/${wgsl}`, '--backend', 'dawn,interpreter', '--runs', '4', '--out', out, '--fixtures', join(out, 'fx'), ...properties.flatMap((p) => ['--property', p])];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 600_000, env: { ...process.env, KERNELSCOPE_LIBRARY: kernel === 'sb' ? LIB : ROOT, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' } });
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
  return { code: r.status, stderr: r.stderr, results: Object.fromEntries(res.results.map((x) => [`${x.backend} ${x.property}`, x])) };
}

const STRUCT = `struct Inner { lut: array<u32, 4>, v: vec4f }
struct Buf { count: atomic<u32>, inner: Inner, m: mat2x4f, bins: array<atomic<u32>, 4>, data: array<vec4f> }
@group(0) @binding(0) var<storage, read_write> b: Buf;
fn f(p: ptr<storage, Buf, read_write>) { (*p).data[0] = vec4f(1.0); }
@compute @workgroup_size(1) fn main(@builtin(local_invocation_index) l: u32) {
  let k = atomicAdd(&b.count, 1u);
  atomicAdd(&b.bins[l], 1u);
  b.data[l].y = f32(b.inner.lut[l]) + b.inner.v[l] + b.m[l][l] + f32(arrayLength(&b.data));
  f(&b);
}
`;

describe('the rewrite of storage structs', () => {
  itKeepsEveryLine(LIB);

  it('checks each array member (nested ones too) and each vector or matrix member\'s index; leaves scalars and atomics\' counters alone; says a pointer to the whole struct', () => {
    const s = sanitizeShader(STRUCT);
    // A vector or matrix member of read_write storage is one shadowed element too (accessed whole).
    expect(s.vars.map((v) => [v.name, v.offset, v.counts, v.raced, !!v.bounds, !!v.whole])).toEqual([
      ['b.inner.lut', 16, [4], true, false, false],
      ['b.inner.v', 32, [1], true, false, true],
      ['b.m', 48, [1], true, false, true],
      ['b.bins', 80, [4], false, false, false],
      ['b.data', 96, [0], true, false, false],
    ]);
    const line = s.code.split('\n');
    expect(line[5]).toBe('  let k = atomicAdd(&b.count, 1u);');
    expect(line[6]).toMatch(/^ {2}atomicAdd\(&b\.bins\[_ks_a\d+b\(\d+u, \d+u, 0u, u32\(l\)\)\], 1u\);$/);
    expect(line[7]).toMatch(/^ {2}b\.data\[_ks_a\d+w\(.*\)\]\.y = f32\(b\.inner\.lut\[_ks_a\d+r\(.*\)\]\) \+ _ks_v\d+\(\d+u, b\.inner\.v\)\[_ks_ix\(\d+u, \d+u, 4u, u32\(l\), .*\)\] \+ _ks_v\d+\(\d+u, b\.m\)\[_ks_ix\(\d+u, \d+u, 2u, u32\(l\), .*\)\]\[_ks_ix\(\d+u, \d+u, 4u, u32\(l\), .*\)\] \+ f32\(arrayLength\(&b\.data\)\);$/);
    expect(s.code).toMatch(/let _ks_n = arrayLength\(&b\.data\);/);
    expect(s.escapes).toEqual(['through a pointer to b (line 9, handed to a function)']);
    expect(s.shadowed.map((v) => v.name)).toEqual(['b.inner.lut', 'b.inner.v', 'b.m', 'b.data']);
    expect(s.unrecorded).toBeUndefined();
  });

  // The WebGPU samples' compute boids: `struct Particles { particles: array<Particle> }` bound read_write.
  // A member's write was left unrecorded, and no-data-race passed without looking: each member now has a word.
  it('an array of structs as a struct\'s member: a shadow word per member of each element; a whole element\'s access records every member\'s', () => {
    const s = sanitizeShader(`struct Particle { pos: vec2f, vel: vec2f }
struct Particles { particles: array<Particle> }
@group(0) @binding(0) var<storage, read> src: Particles;
@group(0) @binding(1) var<storage, read_write> dst: Particles;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
  var p = src.particles[g.x];
  p.pos += p.vel;
  dst.particles[g.x] = p;
  dst.particles[g.x].vel.x = 0.0;
}
`);
    expect(s.vars.map((v) => [v.name, v.offset, v.stride, v.raced])).toEqual([['src.particles', 0, 16, false], ['dst.particles', 0, 16, true]]);
    expect(s.code).toMatch(/let _ks_n = arrayLength\(&dst\.particles\);/);
    const line = s.code.split('\n');
    // The helper's third argument: 0 for the whole element, 1 + the member's number (vel: 2).
    expect(line[7]).toMatch(/^ {2}dst\.particles\[_ks_a1w\(\d+u, \d+u, 0u, /);
    expect(line[8]).toMatch(/^ {2}dst\.particles\[_ks_a1w\(\d+u, \d+u, 2u, /);
    expect(s.vars[1]!.writeLines).toEqual([8, 9]);
    // Each member's byte in the element and the lines that access it (a whole element's in each): a race is named at
    // the member's byte, with the other side among that member's lines.
    expect(s.vars[1]!.fields).toEqual([
      { name: 'pos', split: false, offset: 0, size: 8, readLines: [], writeLines: [8] },
      { name: 'vel', split: false, offset: 8, size: 8, readLines: [], writeLines: [8, 9] },
    ]);
    expect(s.code).toMatch(/let _ks_s = _ks_e \* 2u \+ _ks_k;/);
    expect(s.unrecorded).toBeUndefined();
  });

  // Recorded as the member's, invocations writing lut[0] and lut[1] of one element would be a false race.
  it('a write of one part of an array, matrix or struct member is not the member\'s: unrecorded and said; the whole member\'s and a vector component\'s are recorded', () => {
    const s = sanitizeShader(`struct P { lut: array<f32, 4>, m: mat2x2f, v: vec2f }
@group(0) @binding(0) var<storage, read_write> d: array<P>;
@compute @workgroup_size(4) fn main(@builtin(local_invocation_index) l: u32) {
  d[0].lut[l] = 1.0;
  d[0].m[l % 2u] = vec2f(1.0);
  d[0].v.x = 2.0;
  d[1].lut = array<f32, 4>(1.0, 2.0, 3.0, 4.0);
}
`);
    expect(s.unrecorded).toEqual(['d[].lut[] (line 4)', 'd[].m[] (line 5)']);
    expect(s.vars[0]!.fields!.map((f) => [f.name, f.split, f.writeLines])).toEqual([['lut', true, [7]], ['m', true, []], ['v', false, [6]]]);
  });

  // Trial 67 B6: its double-buffered tile, array<array<array<f32, 8>, 8>, 2>, was skipped with a list of reasons none
  // of which was it. The shadow has two levels of counts: the third index's element is said.
  it('an element of a workgroup array nested three deep is unrecorded, and said as such', () => {
    const s = sanitizeShader(`var<workgroup> xs: array<array<array<f32, 8>, 8>, 2>;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(8, 8) fn main(@builtin(local_invocation_id) l: vec3u) {
  xs[1u][l.y][l.x] = 1.0;
  y[l.x] = xs[1u][l.x][l.y];
}
`);
    expect(s.unrecorded).toEqual(['xs[][][] (line 4)']);
  });

  it('a workgroup matrix\'s column write is not the matrix\'s: unrecorded and said; a vector\'s component write and a whole write are recorded', () => {
    const s = sanitizeShader(`var<workgroup> m: mat2x2f;
struct S { a: mat2x2f, v: vec2f }
var<workgroup> sh: S;
@compute @workgroup_size(2) fn main(@builtin(local_invocation_index) l: u32) {
  m[l] = vec2f(1.0);
  sh.a[l].x = 1.0;
  sh.v[l] = 2.0;
  m = mat2x2f();
  _ = m[0];
}
`);
    expect(s.unrecorded).toEqual(['m[] (line 5)', 'sh.a[].x (line 6)']);
    expect(s.vars.map((v) => [v.name, v.writeLines, v.readLines])).toEqual([['m', [8], [9]], ['sh.a', [], []], ['sh.v', [7], []]]);
  });

  // A tag holds 8 bits of a variable's id: a struct's members count among the variables, and the 257th would have
  // been told as the 1st (a finding on the wrong array, a race between two).
  it('past 256 checked variables, the rest are said beside a pass, not checked under another\'s id', () => {
    const members = Array.from({ length: 300 }, (_, k) => `m${k}: array<f32, 2>`).join(', ');
    const s = sanitizeShader(`struct Big { ${members} }
@group(0) @binding(0) var<storage, read_write> b: Big;
@compute @workgroup_size(1) fn main(@builtin(local_invocation_index) l: u32) { b.m3[l] = b.m299[l]; }
`);
    expect(s.vars).toHaveLength(256);
    expect(Math.max(...s.vars.map((v) => v.id))).toBe(255);
    expect(s.code.split('\n')[2]).toMatch(/b\.m3\[_ks_a3w\(.*\)\] = b\.m299\[l\];/);
    expect(s.escapes).toHaveLength(44);
    expect(s.escapes).toContain('of b.m299 (line 2, past the 256 variables one check can tell apart)');
  });

  // Its members' byte offsets are not reflected (no binding), so a race could not be placed: bounds only.
  // Its members were checked for bounds only, and a race on a workgroup struct's scale passed on Dawn (a trial's).
  it('records a workgroup struct\'s members: each array member shadowed, each scalar or vector one accessed whole', () => {
    const s = sanitizeShader(`struct Tile { n: u32, a: array<f32, 64>, v: vec2u }
var<workgroup> t: Tile;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) l: u32) {
  t.a[l] = f32(t.v[l % 2u]);
  t.n = l;
}
`);
    expect(s.vars.map((v) => [v.name, v.space, v.raced, !!v.whole])).toEqual([['t.n', 'workgroup', true, true], ['t.a', 'workgroup', true, false], ['t.v', 'workgroup', true, true]]);
    expect(s.code.split('\n')[3]).toMatch(/^ {2}t\.a\[_ks_a1w\(.*\)\] = f32\(_ks_v2\(\d+u, t\.v\)\[_ks_ix\(\d+u, \d+u, 2u, u32\(l % 2u\), .*\)\]\);$/);
    expect(s.code.split('\n')[4]).toMatch(/^ {2}_ = _ks_a0w\(\d+u, 0u, 0u, 0u\); t\.n = l;$/);
    expect(s.code).toMatch(/var<workgroup> _ks_ww1: array<atomic<u32>, 64u>;/);
    expect(s.unrecorded).toBeUndefined();
  });

  it('reads a member finding back as the access said whole, with the length its check reported; a race at the member\'s byte', () => {
    const s = sanitizeShader(STRUCT);
    const data = s.vars.find((v) => v.name === 'b.data')!;
    const site = s.sites.findIndex((st) => st.level === 0 && st.type === 'array<vec4f>');
    const f = new Uint32Array(FINDINGS_WORDS);
    // One finding: invocation 3 writes b.data[70] of a 70-element data (the length comes where the outer indices go).
    f.set([1, 0, 1, 0, 0, 3, 0, tagOf(data.id, 2, true, 8), 70, site, 70, 0, 0]);
    const plan = { findings: 0, dispatches: [{ shader: s, bufferOf: new Map([['b', 2]]), workgroups: [4, 1, 1] as [number, number, number], lidBits: 1, wgBits: 2, wgExact: true, entry: 'main' }] };
    const a = decodeFindings(plan, new Uint8Array(f.buffer)).dispatches[0]!.outOfBounds[0]!;
    expect(a).toMatchObject({ variable: 'b.data', buffer: 2, kind: 'write', line: 8, inner: { path: 'b.data[70].y', index: 70, length: 70, type: 'array<vec4f>' } });
    // A race on element 5 of b.data: byte 96 + 5 · 16 of b's buffer.
    const r = new Uint32Array(FINDINGS_WORDS);
    r.set([0, 1, 0, 1], 0);
    r.set([0, 0, 1, tagOf(data.id, 2, true, 8), 5, (1 << 3) | (2 << 1) | 0, 2], 4 + 8 * 9);
    expect(decodeFindings(plan, new Uint8Array(r.buffer)).dispatches[0]!.races[0]).toMatchObject({ variable: 'b.data', buffer: 2, byte: 176 });
  });

  it('reads a race on a member of a struct element back at the member\'s byte, the other side among that member\'s lines', () => {
    const s = sanitizeShader(`struct P { pos: vec2f, vel: vec2f, mass: f32 }
@group(0) @binding(0) var<storage, read_write> dst: array<P>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
  dst[g.x].pos = vec2f(0.0);
  dst[g.x & ~1u].mass = 1.0;
  dst[g.x].vel = vec2f(1.0);
}
`);
    const dst = s.vars[0]!;
    // Invocation 1 writes the word of element 2's mass (2 · 3 members + 2); invocation 0 wrote it before.
    const r = new Uint32Array(FINDINGS_WORDS);
    r.set([0, 1, 0, 1], 0);
    r.set([0, 1, 0, tagOf(dst.id, 2, true, 5), 2 * 3 + 2, (1 << 6) | 0, 2], 4 + 8 * 9);
    const plan = { findings: 0, dispatches: [{ shader: s, bufferOf: new Map([['dst', 0]]), workgroups: [1, 1, 1] as [number, number, number], lidBits: 6, wgBits: 1, wgExact: true, entry: 'main' }] };
    const race = decodeFindings(plan, new Uint8Array(r.buffer)).dispatches[0]!.races[0]!;
    // P is 24 bytes (vec2f pos at 0, vel at 8, mass at 16): element 2's mass is byte 64.
    expect(race).toMatchObject({ variable: 'dst', buffer: 0, byte: 64, a: { kind: 'write', lines: [5] }, b: { kind: 'write', line: 5, invocation: 1 } });
  });
});

describe('storage structs on Dawn', () => {
  let engine: Engine;
  beforeAll(async () => {
    process.env.XDG_RUNTIME_DIR ??= '/tmp';
    engine = await openEngine('dawn');
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
  });

  // The harness binds no read_write struct with a runtime-sized array to a spec buffer, so this one runs as a batch.
  const KERNEL = `struct Buf { count: u32, v: vec4f, data: array<f32> }
@group(0) @binding(0) var<storage, read_write> b: Buf;
@compute @workgroup_size(64) fn ok(@builtin(global_invocation_id) g: vec3u) {
  if (g.x >= b.count) { return; }
  b.data[g.x] = b.data[g.x] * 2.0 + b.v[g.x % 4u];
}
@compute @workgroup_size(64) fn off(@builtin(global_invocation_id) g: vec3u) {
  if (g.x > b.count) { return; }
  let t = b.data[g.x];
}
@compute @workgroup_size(64) fn race(@builtin(global_invocation_id) g: vec3u) {
  if (g.x >= b.count) { return; }
  b.data[g.x / 2u] = f32(g.x);
}
@compute @workgroup_size(64) fn vec(@builtin(global_invocation_id) g: vec3u) {
  if (g.x >= b.count) { return; }
  b.data[g.x] = b.v[g.x % 5u];
}
struct Tile { n: u32, a: array<f32, 64> }
var<workgroup> s: Tile;
@compute @workgroup_size(64) fn wg(@builtin(local_invocation_index) l: u32, @builtin(global_invocation_id) g: vec3u) {
  s.a[l + 1u] = f32(l);
  workgroupBarrier();
  if (g.x < b.count) { b.data[g.x] = s.a[l]; }
}
`;
  async function run(entry: string) {
    const s = sanitizeShader(KERNEL);
    const n = 70;
    const bytes = new Uint8Array(32 + 4 * n);
    new Uint32Array(bytes.buffer, 0, 1)[0] = n;
    new Float32Array(bytes.buffer, 16, 4).set([1, 2, 3, 4]);
    new Float32Array(bytes.buffer, 32, n).set(Array.from({ length: n }, (_, k) => k));
    const c: BatchCase = { buffers: [{ size: bytes.byteLength, kind: 'storage', data: bytes }], dispatches: [{ shader: 0, entry, bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [2, 1, 1] }], readback: [0] };
    const plan = sanitizeCase(c, [s], [64], () => 'b');
    const out = (await engine.execute({ shaders: [s.code], cases: [c] })).outputs[0]!;
    return { findings: decodeFindings(plan, out[plan.findings]!), data: Array.from(new Float32Array(out[0]!.buffer, out[0]!.byteOffset + 32, n)) };
  }

  it('a correct read_write struct with a runtime array: no finding, its values as the plain kernel gives them', async () => {
    const r = await run('ok');
    expect(r.findings.dispatches[0]).toMatchObject({ outOfBounds: [], races: [] });
    expect(r.findings.escapes).toBeUndefined();
    expect(r.data).toEqual(Array.from({ length: 70 }, (_, k) => 2 * k + 1 + (k % 4)));
  }, 120_000);

  it('i <= count reads b.data[70] of 70: named whole, with the length arrayLength gave', async () => {
    const r = await run('off');
    expect(r.findings.dispatches[0]!.outOfBounds[0]).toMatchObject({ variable: 'b.data', invocation: 6, workgroup: [1, 0, 0], kind: 'read', inner: { path: 'b.data[70]', index: 70, length: 70, type: 'array<f32>' } });
  }, 120_000);

  it('two invocations writing one element of b.data race, at its byte in the buffer', async () => {
    const r = await run('race');
    const race = r.findings.dispatches[0]!.races[0]!;
    expect(race).toMatchObject({ variable: 'b.data', buffer: 0 });
    expect((race.byte - 32) % 4).toBe(0);
    expect(race.a.invocation >> 1).toBe(race.b.invocation >> 1);
  }, 120_000);

  it('a workgroup struct\'s array member past its end: s.a[64], in workgroup memory (bounds only)', async () => {
    const r = await run('wg');
    expect(r.findings.dispatches[0]!.outOfBounds[0]).toMatchObject({ variable: 's.a', invocation: 63, kind: 'write', inner: { path: 's.a[64]', index: 64, length: 64, type: 'array<f32, 64>' } });
    expect(r.findings.dispatches[0]!.outOfBounds[0]!.buffer).toBeUndefined();
  }, 120_000);

  it('a vector member\'s index past its components: b.v[4]', async () => {
    const r = await run('vec');
    expect(r.findings.dispatches[0]!.outOfBounds[0]).toMatchObject({ variable: 'b.v', kind: 'read', inner: { path: 'b.v[4]', index: 4, length: 4, type: 'vec4f' } });
  }, 120_000);
});

describe('the struct fixtures on Dawn and the interpreter', () => {
  const TRACE = ['no-out-of-bounds', 'no-data-race'];
  const agree = (r: ReturnType<typeof cli>) => {
    for (const p of TRACE) expect(r.results[`dawn ${p}`]!.status, p).toBe(r.results[`interpreter ${p}`]!.status);
  };

  it('the correct kernel passes both with nothing said about its structs, as on the interpreter', () => {
    const r = cli('kernels/sb.wgsl', [...TRACE, 'matches-reference']);
    for (const p of [...TRACE, 'matches-reference']) {
      expect(r.results[`dawn ${p}`], p).toMatchObject({ status: 'pass' });
      expect(r.results[`dawn ${p}`]!.notes?.notChecked, p).toBeUndefined();
    }
    agree(r);
  }, 600_000);

  it('a guard one too far: b.data[n] of n weights, named whole', () => {
    const r = cli('sb-off-by-one.wgsl', TRACE);
    expect(r.results['dawn no-out-of-bounds']!.error).toMatch(/^invocation (\d+) of workgroup \((\d+), 0, 0\) reads b\.data\[(\d+)\]: index \3 is past the end of an array<f32> \(\3 elements?\), in the binding b \(test\/sanitizer\/struct\/sb-off-by-one\.wgsl:27\); \d+ such access/);
    agree(r);
  }, 600_000);

  it('b.lut[16] of a 16-element lut: the same message as the interpreter\'s', () => {
    const r = cli('sb-lut-oob.wgsl', TRACE);
    const message = /^invocation 15 of workgroup \(0, 0, 0\) reads b\.lut\[16\]: index 16 is past the end of an array<f32, 16> \(16 elements\), in the binding b \(test\/sanitizer\/struct\/sb-lut-oob\.wgsl:22\); 1 such access$/;
    expect(r.results['dawn no-out-of-bounds']!.error).toMatch(message);
    expect(r.results['interpreter no-out-of-bounds']!.error).toMatch(message);
    agree(r);
  }, 600_000);

  // The WebGPU samples' `var<storage, read_write> data: Particles` of `struct Particles { particles: array<Particle> }`
  // was refused: "array<f32> inside an element has no fixed length; not supported here". Its bytes are the array's.
  it('a struct wrapping a runtime-sized array binds as that array: relu over x.v and y.v passes, its guard one too far fails', () => {
    const good = cli('relu-wrapped.wgsl', [...TRACE, 'matches-reference'], 'relu');
    for (const p of [...TRACE, 'matches-reference']) expect(good.results[`dawn ${p}`], p).toMatchObject({ status: 'pass' });
    expect(good.results['interpreter matches-reference']).toMatchObject({ status: 'pass' });
    agree(good);
    const bad = cli('relu-wrapped-off-by-one.wgsl', TRACE, 'relu');
    expect(bad.results['dawn no-out-of-bounds']!.error).toMatch(/^invocation (\d+) of workgroup \(\d+, 0, 0\) (reads x|writes y)\.v\[(\d+)\]: index \3 is past the end of an array<f32> \(\3 elements?\), in (x|y) \(test\/sanitizer\/struct\/relu-wrapped-off-by-one\.wgsl:18\)/);
    agree(bad);
  }, 600_000);

  it('a workgroup struct\'s scale set by invocation 0: judged with a barrier, a race without one, as on the interpreter', () => {
    const good = cli('relu-wg-struct.wgsl', [...TRACE, 'matches-reference'], 'relu');
    for (const p of [...TRACE, 'matches-reference']) {
      expect(good.results[`dawn ${p}`], p).toMatchObject({ status: 'pass' });
      expect(good.results[`dawn ${p}`]!.notes?.notChecked, p).toBeUndefined();
    }
    agree(good);
    const bad = cli('relu-wg-struct-race.wgsl', TRACE, 'relu');
    expect(bad.results['dawn no-data-race']!.error).toMatch(/^data race in test\/sanitizer\/struct\/relu-wg-struct-race\.wgsl on st\.scale \(workgroup memory\) byte 0: invocation 0 of workgroup \((\d+), 0, 0\) writes at line 13, invocation \d+ of workgroup \(\1, 0, 0\) reads at line 21/);
    agree(bad);
  }, 600_000);

  // A scalar member of a read_write storage struct was not recorded: sb-last-race passed no-data-race on Dawn.
  it('a scalar member of a read_write struct: written by one invocation passes, by sixteen races at its byte', () => {
    const good = cli('sb-last.wgsl', TRACE);
    for (const p of TRACE) {
      expect(good.results[`dawn ${p}`], p).toMatchObject({ status: 'pass' });
      expect(good.results[`dawn ${p}`]!.notes?.notChecked, p).toBeUndefined();
    }
    agree(good);
    const bad = cli('sb-last-race.wgsl', TRACE);
    expect(bad.results['dawn no-data-race']!.error).toMatch(/^data race in test\/sanitizer\/struct\/sb-last-race\.wgsl on h\.last \(h\) byte 60: invocation \d+ of workgroup \(0, 0, 0\) writes at line 23, invocation \d+ of workgroup \(0, 0, 0\) writes at line 23/);
    agree(bad);
  }, 600_000);

  it('two invocations writing one bin of a read_write struct race', () => {
    const r = cli('sb-bins-race.wgsl', TRACE);
    expect(r.results['dawn no-data-race']!.error).toMatch(/^data race in test\/sanitizer\/struct\/sb-bins-race\.wgsl on h\.bins \(h\) byte \d+: invocation (\d+) of workgroup \((\d+), 0, 0\) writes at line 22, invocation \d+ of workgroup \(\2, 0, 0\) writes at line 22/);
    agree(r);
  }, 600_000);
});
