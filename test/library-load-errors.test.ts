// A library file that does not load is one line naming the file, the line and column, and what is wrong: a syntax
// error (esbuild's, through tsx) and an undefined name (the error's frame in that file), not "Transform failed".
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
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
