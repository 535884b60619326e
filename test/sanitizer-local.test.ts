// The no-out-of-bounds check of memory that is not a storage buffer or workgroup array: a function or private
// variable's array (a new user's sha256 twin stored w[64] of a function-scope array<u32, 64>, passed unsaid on Dawn
// and skipped on the interpreter, exit 0), a uniform array or a uniform struct's array member (a crc32 twin read
// table.t[~2^30], passed unsaid on Dawn while the interpreter failed it), a plain storage vector's index (`v[k]` of a
// var<storage> vec4f). The fixtures replace sh.wgsl and cr.wgsl of the library test/sanitizer/local.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';
import fc from 'fast-check';
import { traceProperties } from '../harness/run/trace-properties.ts';
import type { Family, KernelSpec } from '../harness/spec.ts';
import { decodeFindings, FINDINGS_WORDS, sanitizeShader, tagOf } from '../harness/trace/sanitize.ts';
import { itKeepsEveryLine } from './sanitizer-keeps-lines.ts';

const ROOT = resolve(import.meta.dirname, '..');
const LIB = join(ROOT, 'test', 'sanitizer', 'local');

function cli(kernel: string, wgsl: string | undefined, backends: string) {
  const out = mkdtempSync(join(tmpdir(), 'ks-sanitizer-local-'));
  const args = ['bin/kernelscope.mjs', 'test', '--kernel', kernel, ...(wgsl ? ['--wgsl', `${kernel}=test/sanitizer/local/${wgsl}`] : []), '--backend', backends, '--runs', '3', '--out', out, '--fixtures', join(out, 'fx'), '--property', 'no-out-of-bounds'];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 600_000, env: { ...process.env, KERNELSCOPE_LIBRARY: LIB, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' } });
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
  return { code: r.status, stderr: r.stderr, results: Object.fromEntries(res.results.map((x) => [x.backend, x])) };
}

const plan = (s: ReturnType<typeof sanitizeShader>, bufferOf = new Map<string, number>()) =>
  ({ findings: 0, dispatches: [{ shader: s, bufferOf, workgroups: [1, 1, 1] as [number, number, number], lidBits: 6, wgBits: 1, wgExact: true, entry: 'main' }] });
/** A findings buffer holding one out-of-bounds finding: invocation 3, the tag, the index, the site. */
const oneFinding = (tag: number, index: number, site: number, outer = [0, 0, 0]) => {
  const f = new Uint32Array(FINDINGS_WORDS);
  f.set([1, 0, 1, 0, 0, 3, 0, tag, index, site, ...outer]);
  return new Uint8Array(f.buffer);
};

// A trial's conv3x3 handed its function array of 9 weights to a helper: no-data-race was not judged on any GPU engine,
// though no other invocation can reach that memory. Bounds through the pointer stay unchecked there, and are said.
describe("a pointer to the invocation's own memory handed to a function", () => {
  it('leaves no-data-race judged, and no-out-of-bounds not judged naming the function variable', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-sanitizer-local-'));
    const args = ['bin/kernelscope.mjs', 'test', '--kernel', 'sh', '--wgsl', 'sh=test/sanitizer/local/sh-sum-by-pointer.wgsl', '--backend', 'dawn', '--runs', '3', '--out', out, '--fixtures', join(out, 'fx'), '--property', 'no-out-of-bounds,no-data-race'];
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 600_000, env: { ...process.env, KERNELSCOPE_LIBRARY: LIB, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' } });
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    const by = Object.fromEntries(res.results.map((x) => [x.property, x]));
    expect(by['no-data-race'], r.stderr).toMatchObject({ status: 'pass' });
    expect(by['no-data-race']!.notes?.notChecked).toBeUndefined();
    expect(by['no-out-of-bounds']).toMatchObject({ status: 'skip' });
    expect(by['no-out-of-bounds']!.error).toMatch(/through a pointer to the function variable w \(line 24, handed to a function\)/);
  }, 600_000);
});

// Trial 136 B3: the usual float-atomic helper, `atomicAddF32(&bins[k], v)`, turned no-data-race off on Dawn ("not
// judged ... through a pointer to bins"), though an atomic is reached only by atomic builtins, which do not race.
describe('a pointer to an atomic handed to a function or kept in a let', () => {
  const src = `@group(0) @binding(0) var<storage, read_write> bins: array<atomic<u32>>;
var<workgroup> wb: array<atomic<u32>, 16>;
fn bump(p: ptr<storage, atomic<u32>, read_write>) { atomicAdd(p, 1u); }
fn bumpw(p: ptr<workgroup, atomic<u32>>) { atomicAdd(p, 1u); }
fn all(p: ptr<storage, array<atomic<u32>>, read_write>, k: u32) { atomicAdd(&(*p)[k], 1u); }
@compute @workgroup_size(16) fn main(@builtin(local_invocation_index) l: u32) {
  bump(&bins[l]);
  bumpw(&wb[l]);
  let q = &bins[l];
  atomicAdd(q, 2u);
  all(&bins, l);
}`;
  const s = sanitizeShader(src);
  it('to one element: checked where its address is taken, and nothing escapes', () => {
    const line = s.code.split('\n');
    expect(line[6]).toMatch(/^ {2}bump\(&bins\[_ks_a\d+b\(\d+u, \d+u, 0u, u32\(l\)\)\]\);$/);
    expect(line[8]).toMatch(/^ {2}let q = &bins\[_ks_a\d+b\(/);
  });
  it('to an atomic member of one element: nothing escapes either (trial 151 B4)', () => {
    const t = sanitizeShader(`struct WBin { c: atomic<u32>, seen: atomic<u32> }
var<workgroup> wb: array<WBin, 16>;
fn bump(p: ptr<workgroup, atomic<u32>>) { atomicAdd(p, 1u); }
@compute @workgroup_size(16) fn main(@builtin(local_invocation_index) l: u32) {
  bump(&wb[l].c);
}`);
    expect(t.escapes).toBeUndefined();
  });
  it('to the whole array: its indices are hidden from no-out-of-bounds only', () => {
    expect(s.escapes).toEqual(['through a pointer to the atomic array bins (line 11, handed to a function)']);
    const [inBounds, noRace] = traceProperties({ buffers: {} } as unknown as KernelSpec, { cases: fc.constant(null) } as unknown as Family);
    const runs = [{ dispatches: [{ outOfBounds: [], races: [] }], escapes: s.escapes }];
    expect(noRace!.checkTrace(null as never, runs)).toEqual({ pass: true });
    expect(inBounds!.checkTrace(null as never, runs).notes).toMatchObject({ accessesUnchecked: true });
  });
});

// Trial 152 A1: `*(&total)`, as the mutation operator UniformLoadToPlain writes a workgroupUniformLoad, was neither
// recorded nor said, and the race it reads into passed no-data-race on Dawn.
it('a dereference of an address taken in place is an access like any other, in the same columns', () => {
  const src = `var<workgroup> total: u32;
var<workgroup> part: array<u32, 64>;
@group(0) @binding(0) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) l: u32) {
  if (l == 0u) { total = 5u; }
  y[l] = *(&total) + *&part[l];
}`;
  const s = sanitizeShader(src);
  const line = s.code.split('\n')[5]!;
  expect(line).toMatch(/^ {2}y\[_ks_a\d+w\(.*\)\] = {2}\( _ks_v\d+\(\d+u, total\)\) \+ {3}part\[_ks_a\d+r\(/);
  expect(s.escapes).toBeUndefined();
});

// A trial's bitonic sort over 16 KiB of workgroup memory had no-out-of-bounds skipped on Dawn: the race shadows took
// the sanitized kernel to 48 KiB. Checked for bounds alone, a store one slot too far is found.
describe('a kernel whose workgroup memory and race shadows pass the device limit', () => {
  it('fails no-out-of-bounds on Dawn from the bounds-only rewrite, naming the element', () => {
    const r = cli('sh', 'sh-big-workgroup-oob.wgsl', 'dawn');
    expect(r.results['dawn']).toMatchObject({ status: 'fail' });
    expect(r.results['dawn']!.error).toMatch(/^invocation 63 of workgroup \(\d+, 0, 0\) writes big element 4096 \(byte 16384\), past the end of the workgroup array big \(test\/sanitizer\/local\/sh-big-workgroup-oob\.wgsl:30\)/);
  }, 600_000);
});

describe('the rewrite of function, private and uniform memory', () => {
  itKeepsEveryLine(LIB);

  // Trial 55 B2: a workgroup array of atomics had no stride, and its element 256 was said to be at byte 256.
  it('gives a workgroup array of atomics its 4-byte stride, so a finding names the element\'s byte', () => {
    const s = sanitizeShader('var<workgroup> bins: array<atomic<u32>, 256>;\n@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) l: u32) {\n  atomicAdd(&bins[l + 200u], 1u);\n}');
    expect(s.vars.find((v) => v.name === 'bins')).toMatchObject({ space: 'workgroup', counts: [256], stride: 4 });
  });

  it('checks a function variable\'s array (bounds only) and reads a finding back as `w[8]` of the function variable w', () => {
    const s = sanitizeShader(readFileSync(join(LIB, 'sh-clear-oob.wgsl'), 'utf8'));
    const w = s.vars.find((v) => v.name === 'w')!;
    expect(w).toMatchObject({ space: 'function', scope: 'function variable', counts: [8], raced: false });
    const line = s.code.split('\n')[21]!;
    const tag = tagOf(w.id, 2, false, 22);
    expect(line).toMatch(new RegExp(`^ {4}w\\[_ks_a${w.id}b\\(${tag}u, (\\d+)u, 0u, u32\\(t\\)\\)\\] = 0u;$`));
    const site = Number(/, (\d+)u, 0u, u32/.exec(line)![1]);
    const a = decodeFindings(plan(s), oneFinding(tag, 8, site)).dispatches[0]!.outOfBounds[0]!;
    expect(a).toMatchObject({ variable: 'w', scope: 'function variable', kind: 'write', invocation: 3, line: 22, inner: { path: 'w[8]', index: 8, length: 8, type: 'array<u32, 8>' } });
    expect(a.buffer).toBeUndefined();
  });

  it('checks a private array, a uniform array, a uniform struct\'s array member and a storage or uniform vector\'s index', () => {
    const s = sanitizeShader(`struct T { t: array<vec4<u32>, 4>, m: mat2x2f }
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> v: vec4f;
@group(0) @binding(2) var<uniform> u: array<vec4f, 2>;
@group(0) @binding(3) var<uniform> tb: T;
@group(0) @binding(4) var<uniform> q: vec4f;
var<private> p: array<f32, 3>;
@compute @workgroup_size(1) fn main(@builtin(local_invocation_index) k: u32) {
  p[k] = v[k] + u[k].x + f32(tb.t[k][k]) + q[k] + tb.m[k][0];
  y[k] = p[k];
}`);
    expect(s.vars.map((v) => `${v.name} ${v.space} ${v.raced}`)).toEqual(['y storage true', 'v storage false', 'u uniform false', 'tb.t uniform false', 'tb.m uniform false', 'q uniform false', 'p private false']);
    expect(s.code.split('\n')[8]).toMatch(/^ {2}p\[_ks_a6b\(.*\)\] = v\[_ks_ix\(\d+u, \d+u, 4u, u32\(k\), .*\)\] \+ u\[_ks_a2b\(.*\)\]\.x \+ f32\(tb\.t\[_ks_a3b\(.*\)\]\[_ks_ix\(\d+u, \d+u, 4u, u32\(k\), .*\)\]\) \+ q\[_ks_ix\(\d+u, \d+u, 4u, u32\(k\), .*\)\] \+ tb\.m\[_ks_ix\(\d+u, \d+u, 2u, u32\(k\), .*\)\]\[0\];$/);
    // Nothing of them is shadowed for races.
    expect(s.shadowed.map((v) => v.name)).toEqual(['y']);
    // v[4] read back: the access and the vector, in v's buffer.
    const site = s.sites.findIndex((st) => st.steps.length === 1 && st.type === 'vec4f');
    const a = decodeFindings(plan(s, new Map([['y', 0], ['v', 1]])), oneFinding(tagOf(1, 1, false, 9), 4, site)).dispatches[0]!.outOfBounds[0]!;
    expect(a).toMatchObject({ variable: 'v', buffer: 1, kind: 'read', inner: { path: 'v[4]', index: 4, length: 4, type: 'vec4f' } });
  });

  // Trial 65 B3: the type of a private table with an initializer read "array<u32, 16> = array<u32, 16>(0u, 1u, ...)".
  it('a declaration\'s type, not its initializer, is the type a finding names', () => {
    const s = sanitizeShader(`var<private> NIB: array<u32, 4> = array<u32, 4>(0u, 1u, 1u, 2u);
@group(0) @binding(0) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(8) fn main(@builtin(local_invocation_index) k: u32) { y[k] = NIB[k]; }`);
    expect(s.sites.filter((st) => JSON.stringify(st.steps[0]) === '{"index":"k"}').map((st) => st.type)).toContain('array<u32, 4>');
    expect(s.sites.map((st) => st.type).join(' ')).not.toContain('=');
  });

  it('a function variable declared twice in one function is said, not checked under either declaration', () => {
    const s = sanitizeShader(`@group(0) @binding(0) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(1) fn main(@builtin(local_invocation_index) k: u32) {
  if (k == 0u) { var a: array<u32, 2>; a[k] = 1u; y[0] = a[0]; }
  else { var a: array<u32, 4>; a[k] = 2u; y[1] = a[1]; }
}`);
    expect(s.vars.map((v) => v.name)).toEqual(['y']);
    expect(s.escapes).toEqual(['of the function variable a (line 3, a name declared more than once in main: not checked)']);
  });
});

describe('array values (a const, a let, a parameter) are not checked: indexed at run time, they are said', () => {
  it('names each one indexed by a runtime index, not one indexed by a literal', () => {
    const s = sanitizeShader(`const L = array(1u, 2u);
const K = array<u32, 2>(5u, 6u);
@group(0) @binding(0) var<storage, read_write> y: array<u32>;
fn f(a: array<u32, 2>, i: u32) -> u32 { return a[i]; }
@compute @workgroup_size(1) fn main(@builtin(local_invocation_index) k: u32) { let b = array<u32, 2>(3u, 4u); y[k] = L[k] + b[k] + b[0] + K[1] + f(b, k); }`);
    expect(s.escapes).toEqual(['of the parameter a (line 4, an array value: not checked)', 'of the const L (line 1, an array value: not checked)', 'of the let b (line 5, an array value: not checked)']);
  });
});

describe('on Dawn and the interpreter alike', () => {
  it('the shrunken sha256 and crc32 raise no alarm', () => {
    for (const k of ['sh', 'cr']) {
      const r = cli(k, undefined, 'dawn,interpreter');
      expect(Object.values(r.results).map((x) => [x.backend, x.status, x.notes?.notChecked])).toEqual([['dawn', 'pass', undefined], ['interpreter', 'pass', undefined]]);
    }
  });

  it('an out-of-bounds store to a function-scope array fails on both, named as the function variable\'s', () => {
    const r = cli('sh', 'sh-clear-oob.wgsl', 'dawn,interpreter');
    expect(r.code).toBe(1);
    for (const b of ['dawn', 'interpreter']) {
      expect(r.results[b]!.status).toBe('fail');
      expect(r.results[b]!.error).toMatch(/^invocation \d+ of workgroup \(0, 0, 0\) writes w\[8\]: index 8 is past the end of an array<u32, 8> \(8 elements\), in the function variable w \(test\/sanitizer\/local\/sh-clear-oob\.wgsl:22\); \d+ such access/);
    }
  });

  it('an out-of-bounds store to a private array fails on Dawn', () => {
    const r = cli('sh', 'sh-private-oob.wgsl', 'dawn');
    expect(r.results.dawn!.error).toMatch(/writes w\[8\]: index 8 is past the end of an array<u32, 8> \(8 elements\), in the private variable w \(test\/sanitizer\/local\/sh-private-oob\.wgsl:23\)/);
  });

  it('an unmasked index into a uniform struct\'s table fails on Dawn as on the interpreter', () => {
    const r = cli('cr', 'cr-no-mask.wgsl', 'dawn,interpreter');
    expect(r.code).toBe(1);
    for (const b of ['dawn', 'interpreter']) expect(r.results[b]!.error).toMatch(/reads table\.t\[\d+\]\[.*\]: index \d+ is past the end of an array<vec4(<u32>|u), 4> \(4 elements\), in the binding table \(test\/sanitizer\/local\/cr-no-mask\.wgsl:17\)/);
  });
});
