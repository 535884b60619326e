// An override declared with @id(N) is keyed "N" in WebGPU's pipeline constants and by its name in wgsl_reflect's
// interpreter; a spec may give it either way (a trial's `@id(7) override WG` given by name errored on every Dawn
// property, given by id was skipped on the interpreter with an untrue reason). test/fixtures/override-id-lib's SCALE
// is 2 in both specs, 1 by default: a constant that does not arrive fails matches-reference.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');

it('@id overrides given by name and by id run on Dawn and the interpreter', () => {
  const out = mkdtempSync(join(tmpdir(), 'ks-id-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'test', '--backend', 'dawn,interpreter', '--property', 'matches-reference',
    '--runs', '5', '--out', out, '--fixtures', join(out, 'fx')],
  { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: join(ROOT, 'test/fixtures/override-id-lib') }, timeout: 170_000 });
  const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
  expect(file.results.map((x) => `${x.kernel} ${x.backend} ${x.status}`).sort(), r.stderr).toEqual([
    'scaleid dawn pass', 'scaleid interpreter pass', 'scaleid7 dawn pass', 'scaleid7 interpreter pass',
  ]);
  expect(r.status).toBe(0);
}, 180_000);
