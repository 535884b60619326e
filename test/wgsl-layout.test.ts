// A --wgsl file is run on the buffers as the library's WGSL lays them out, as host code written for the library
// uploads them, whatever the file declares (a trial's particles: the vec3-in-a-struct stride bug passed every
// property, and a byte-identical flat reading of the same struct failed, since each twin got a layout to fit it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');
const LIB = join(ROOT, 'test/fixtures/layout-lib');

function run(kernel: string, twin: string) {
  const out = mkdtempSync(join(tmpdir(), 'ks-layout-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'test', '--backend', 'dawn,interpreter', '--kernel', kernel,
    '--property', 'matches-reference', '--runs', '10', '--wgsl', `${kernel}=${join(LIB, 'twins', twin)}`, '--out', out, '--fixtures', join(out, 'fx')],
  { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: LIB }, timeout: 170_000 });
  const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
  return { stderr: r.stdout + r.stderr, code: r.status, byEngine: Object.fromEntries(file.results.map((x) => [x.backend, x])) };
}

describe('--wgsl keeps the library WGSL\'s buffer layout', () => {
  // Trial 69 B2: "Particle 32 bytes apart in yours, Particle 32 bytes apart in the library's" read as no difference.
  it('a struct element whose fields moved at the same stride: the note names each field that moved', async () => {
    const { loadKernels, withWgsl } = await import('../harness/run/registry.ts');
    const drift = (await loadKernels(LIB, ['drift'])).get('drift')!;
    const twin = join(mkdtempSync(join(tmpdir(), 'ks-layout-')), 'drift-mass-after-vel.wgsl');
    writeFileSync(twin, readFileSync(join(LIB, 'kernels/drift.wgsl'), 'utf8').replace('  pos: vec3<f32>,\n  mass: f32,\n  vel: vec3<f32>,', '  pos: vec3<f32>,\n  vel: vec3<f32>,\n  mass: f32,'));
    expect(withWgsl(drift, twin).layoutNote).toMatch(/\(particles: Particle 32 bytes apart in yours, Particle 32 bytes apart in the library's \(mass at byte 28 \(f32\) in yours, 12 \(f32\) in the library's\)\)/);
  });

  // Trial 102 B1: a hash of a vec3<u32> read as vec4<u32> mixed the padding's 2142952365 past recognition, and no
  // clause was said: for integer padding the clause goes beside any failure, for float padding beside a NaN.
  it('padding read as u32 is named beside any failure', () => {
    const ok = run('hash3', '../kernels/hash3.wgsl');
    expect(ok.byEngine.dawn, ok.stderr).toMatchObject({ status: 'pass' });
    const r = run('hash3', 'hash3-vec4w.wgsl');
    for (const e of ['dawn', 'interpreter']) {
      expect(r.byEngine[e]?.status, r.stderr).toBe('fail');
      expect(r.byEngine[e]?.error).toMatch(/^out\[\d+\] = \d+ .* \(\S*hash3-vec4w\.wgsl declares keys as vec4<u32>, 4 scalars, where the library's WGSL has vec3<u32>, 3 scalars, the same 16 bytes apart, so the last is padding, and reads it: a host need not write padding, .*\(2142952365 read as an integer\)/);
    }
  });

  it('a struct of vec3s (32 bytes a particle) read as 8 floats a particle is the same bytes: it passes, with a note', () => {
    const r = run('drift', 'drift-flat8.wgsl');
    expect(r.byEngine.dawn, r.stderr).toMatchObject({ status: 'pass' });
    expect(r.byEngine.interpreter, r.stderr).toMatchObject({ status: 'pass' });
    expect(r.stderr).toMatch(/note: .*drift-flat8\.wgsl lays out a buffer apart from the library's .*drift\.wgsl \(particles: f32 4 bytes apart in yours, Particle 32 bytes apart in the library's\): kernelscope lays it out as the library's WGSL does/);
    expect(r.code).toBe(0);
  });

  // Trial 180 B1: an output written 6 floats a particle (the vec3 stride forgotten) was said to read the padding.
  it('a buffer the kernel only writes, in another layout: the clause says its values land in the padding', async () => {
    const { loadKernels, withWgsl } = await import('../harness/run/registry.ts');
    const drift = (await loadKernels(LIB, ['drift'])).get('drift')!;
    const dir = mkdtempSync(join(tmpdir(), 'ks-layout-'));
    const flat = (body: string) => {
      const twin = join(dir, `flat-${body.length}.wgsl`);
      writeFileSync(twin, `@group(0) @binding(0) var<storage, read_write> particles: array<f32>;
struct Params { count: u32, }
@group(0) @binding(1) var<uniform> params: Params;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= params.count) { return; }
  for (var k = 0u; k < 6u; k++) { ${body} }
}`);
      return withWgsl(drift, twin).paddingClause;
    };
    expect(flat('particles[i * 6u + k] = 1.0;')).toMatch(/declares particles as f32, 4 bytes apart, where the library's WGSL has Particle, 32 bytes apart, whose byte 28 is padding, and only writes it: values written by this layout land in the padding, which the host does not read, and leave some of the library's unwritten; write by the library's layout\)$/);
    expect(flat('particles[i * 6u + k] = particles[i * 6u + k] + 1.0;')).toMatch(/whose bytes? 28 is padding, and reads it: a host need not write padding/);
  });

  // A trial's vec4 read of the library's vec3s, correct, drew the layout note; one that used w passed on zero padding.
  it('read as vec4s, the same bytes apart, passes with no note; adding the w after vel reads padding, and fails saying so', () => {
    const ok = run('drift', 'drift-vec4s.wgsl');
    expect(ok.byEngine.dawn, ok.stderr).toMatchObject({ status: 'pass' });
    expect(ok.byEngine.interpreter, ok.stderr).toMatchObject({ status: 'pass' });
    expect(ok.stderr).not.toMatch(/lays out a buffer apart|padding/);
    const w = run('drift', 'drift-vec4s-adds-w.wgsl');
    for (const e of ['dawn', 'interpreter']) {
      expect(w.byEngine[e]?.status, w.stderr).toBe('fail');
      expect(w.byEngine[e]?.error).toMatch(/\(\S*drift-vec4s-adds-w\.wgsl declares particles as Particle, 8 scalars, where the library's WGSL has Particle, 7 scalars, the same 32 bytes apart, so the last is padding, and reads it: a host need not write padding, and kernelscope fills it with the sentinel/);
    }
  });

  it('the same struct read as 7 floats a particle (the vec3 alignment forgotten) fails', () => {
    const r = run('drift', 'drift-flat7.wgsl');
    for (const e of ['dawn', 'interpreter']) {
      expect(r.byEngine[e]?.status, r.stderr).toBe('fail');
      // Trial 134 B2: the failure names the layout, as the note before the run did.
      expect(r.byEngine[e]?.error).toMatch(/\(\S*drift-flat7\.wgsl lays out a buffer apart from the library's .*: where a field of yours lies on another of the library's, or on its padding, which holds the sentinel 0x7fbadbad, it reads that, not the input quoted\)/);
    }
  });

  // Trial 50: every GPU engine refused the 4-byte binding of an empty array<vec4f> ("smaller than the minimum binding size").
  it('an empty array<vec4f> is bound as one vec4, and a correct kernel that never touches it passes', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-layout-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'test', '--backend', 'dawn,interpreter', '--kernel', 'v4tail',
      '--runs', '12', '--out', out, '--fixtures', join(out, 'fx')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: LIB }, timeout: 170_000 });
    const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    for (const x of file.results) expect(x, r.stdout + r.stderr).toMatchObject({ status: 'pass' });
    expect(file.results.map((x) => x.backend)).toContain('dawn');
    expect(r.status).toBe(0);
  });

  it('7 packed floats a particle read as a struct of vec3s fails (or, for one particle, the device refuses the binding)', () => {
    const r = run('driftp', 'driftp-vec3.wgsl');
    // Dawn refuses a 28-byte binding for a 32-byte element (minBindingSize) when the first batch holds one particle.
    expect(r.byEngine.dawn?.status, r.stderr).toMatch(/^(fail|error)$/);
    if (r.byEngine.dawn?.status === 'error') expect(r.byEngine.dawn.error).toMatch(/smaller than the minimum binding size/);
    expect(r.byEngine.interpreter?.status, r.stderr).toBe('fail');
    expect(r.code).toBe(1);
  });
});

// Trial 69 B1: a struct's padding, which WGSL leaves to each engine, entered the sanitized properties' case hashes
// (raw bytes), and the report said the engines "differ in bits" on an exact copy that agreed on every value.
it('the case hashes of every property agree across engines on a struct stored whole, its padding aside', () => {
  const out = mkdtempSync(join(tmpdir(), 'ks-layout-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'test', '--backend', 'dawn,interpreter', '--kernel', 'qpad',
    '--property', 'matches-reference,no-out-of-bounds,no-data-race', '--runs', '5', '--out', out, '--fixtures', join(out, 'fx')],
  { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: LIB }, timeout: 170_000 });
  const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
  expect(file.results.map((x) => x.status), r.stderr).toEqual(Array(6).fill('pass'));
  for (const property of ['matches-reference', 'no-out-of-bounds', 'no-data-race']) {
    const [a, b] = ['dawn', 'interpreter'].map((e) => file.results.find((x) => x.backend === e && x.property === property)!.caseHashes);
    expect(a, property).toEqual(b);
  }
  expect(r.stdout + r.stderr).not.toMatch(/differ in bits/);
});
