// A ping-pong kernel (a Jacobi sweep's shape, from a trial): an inout buffer read through a var<storage, read> in one
// pass and written in the next is valid WebGPU, and was refused at every property ("'src' is the output 'u' but is
// declared var<storage, read>"). The check is per buffer: some stage must bind it writable.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = join(import.meta.dirname, '..');

it('a ping-pong kernel whose passes read their source read-only runs and passes', () => {
  const out = mkdtempSync(join(tmpdir(), 'kernelscope-pingpong-'));
  try {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'kernelscope.mjs'), 'test', '--kernel', 'pingpong', '--runs', '10', '--out', out, '--fixtures', join(out, 'fx')],
      { cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, KERNELSCOPE_LIBRARY: join(ROOT, 'test', 'field-pingpong') } });
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    expect(results.results.map((x) => `${x.property}: ${x.status}${x.error ? ` ${x.error}` : ''}`), r.stderr.slice(-1500)).toEqual(results.results.map((x) => `${x.property}: pass`));
    expect(results.results.length).toBeGreaterThan(0);
    expect(r.status).toBe(0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 300_000);
