// A library file that does not load is one line naming the file, the line and column, and what is wrong: a syntax
// error (esbuild's, through tsx) and an undefined name (the error's frame in that file), not "Transform failed".
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const cli = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });

describe('a library file that does not load', () => {
  it.each([
    ['const broken = (1;', /properties\/lost\.properties\.ts:(\d+):18: does not load: Expected "\)" but found ";"/],
    ['const y = notDefinedHere + 1;', /properties\/lost\.properties\.ts:(\d+):11: does not load: notDefinedHere is not defined/],
  ])('%s', (line, message) => {
    const work = mkdtempSync(join(tmpdir(), 'ks-load-'));
    const lib = join(work, 'lib');
    expect(cli(['init', 'lost', '--dir', lib], work).status).toBe(0);
    const file = join(lib, 'properties/lost.properties.ts');
    appendFileSync(file, `${line}\n`);
    const r = cli(['list'], work, { KERNELSCOPE_LIBRARY: lib });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    const m = lines[0]!.match(message);
    expect(m, r.stderr).not.toBeNull();
    // The line named is the one appended.
    expect(Number(m![1])).toBe(readFileSync(file, 'utf8').trimEnd().split('\n').length);
  });
});

describe("a family's reference or tolerance that does not fit its kernel", () => {
  // Each is an error naming the properties file (or the throwing line) and what to fix, never a verdict on the
  // kernel: a tolerance with no bound for an output once read as "must be exact" and failed a correct kernel.
  it.each([
    ['a tolerance with no bound for y', 'return { y: expected.y!.map((exact) => correctlyRoundedBound(exact)) };', 'return { yy: expected.y!.map((exact) => correctlyRoundedBound(exact)) };',
      /properties\/lost\.properties\.ts: tolerance\(\) gave no bound for output 'y' \(it gave: yy\)/],
    ['a tolerance of NaN', 'return { y: expected.y!.map((exact) => correctlyRoundedBound(exact)) };', 'return { y: expected.y!.map(() => NaN) };',
      /tolerance\(\) gave NaN as the bound of y\[0\]/],
    ['a reference under another name', "reference: (c) => ({ y: reference.lost(c.inputs.x!) }),", "reference: (c) => ({ out: reference.lost(c.inputs.x!) }),",
      /reference\(\) returned 'out', which is not an output of kernel lost \(its outputs: y\)/],
    ['a reference that throws', "reference: (c) => ({ y: reference.lost(c.inputs.x!) }),", "reference: (c) => { if (c.inputs.x!.length >= 0) throw new Error('not yet'); return {}; },",
      /properties\/lost\.properties\.ts:\d+:\d+: the family's reference\(\) threw on a case of shape \{.*\}: Error: not yet/],
  ])('%s', (_, from, to, message) => {
    const work = mkdtempSync(join(tmpdir(), 'ks-ref-'));
    const lib = join(work, 'lib');
    expect(cli(['init', 'lost', '--dir', lib], work).status).toBe(0);
    const file = join(lib, 'properties/lost.properties.ts');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(from);
    writeFileSync(file, text.replace(from, to));
    const out = join(work, 'out');
    const r = cli(['test', '--kernel', 'lost', '--property', 'matches-reference', '--runs', '1', '--out', out, '--fixtures', join(work, 'fx')], work, { KERNELSCOPE_LIBRARY: lib });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const [result] = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).results;
    expect(result.status).toBe('error');
    expect(result.error).toMatch(message);
    expect(result.error).not.toContain('\n');
  }, 120_000);
});

describe('a spec that binds a buffer it does not declare', () => {
  it('is an error naming the spec file and the buffers it has', () => {
    const work = mkdtempSync(join(tmpdir(), 'ks-spec-'));
    const lib = join(work, 'lib');
    expect(cli(['init', 'lost', '--dir', lib], work).status).toBe(0);
    const file = join(lib, 'kernels/lost.kernel.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("bind: { x: 'x', y: 'y',", "bind: { x: 'x', y: 'w',"));
    const out = join(work, 'out');
    const r = cli(['test', '--kernel', 'lost', '--property', 'matches-reference', '--runs', '1', '--out', out, '--fixtures', join(work, 'fx')], work, { KERNELSCOPE_LIBRARY: lib });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const [result] = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).results;
    expect(result.status).toBe('error');
    expect(result.error).toMatch(/kernels\/lost\.kernel\.ts: stage lost\.wgsl binds 'y' to buffer 'w', which its buffers do not declare \(they are: x, y\)/);
  }, 120_000);
});
