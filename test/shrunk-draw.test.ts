// A failure's "shrunk to" is what fast-check shrank: a property's own draw where it is small (a trial's impulse
// property drew {log2n, batch, where, v}, and the line showed its case's shape, without where the impulse was).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');

it("shows the property's own draw, with the fields its case's shape leaves out", () => {
  const out = mkdtempSync(join(tmpdir(), 'ks-shrunk-'));
  const r = spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', '--kernel', 'dbl', '--wgsl', 'dbl=test/fixtures/draw-lib/twins/dbl-drops-3.wgsl',
    '--property', 'impulse', '--runs', '50', '--out', out, '--fixtures', join(out, 'fx')],
  { cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env, KERNELSCOPE_LIBRARY: join(ROOT, 'test', 'fixtures', 'draw-lib') } });
  expect(r.status).toBe(1);
  const res = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile).results[0]!;
  expect(res.status).toBe('fail');
  expect(res.counterexample!.shrunk).toMatchObject({ where: 3 });
  expect(r.stderr).toMatch(/shrunk to \{"n":\d+,"where":3,"v":[-.\d]+\}; saved /);
}, 300_000);
