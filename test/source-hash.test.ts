// results.json's sourceHash covers what decides a result besides the WGSL and the spec's own text: the library's
// modules the spec and its family import. A trial's shards ran a config module the spec imports before and after a
// fix, and merged to "The run passes" with one hash.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');
const cli = (args: string[], cwd: string, lib: string) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: lib } });

it("a module the spec imports is part of the kernel's code; a file nothing imports is not", () => {
  const work = mkdtempSync(join(tmpdir(), 'ks-hash-'));
  const lib = join(work, 'lib');
  expect(cli(['init', 'k', '--dir', lib], work, lib).status).toBe(0);
  const spec = join(lib, 'kernels/k.kernel.ts');
  writeFileSync(join(lib, 'kernels/k.config.ts'), 'export const SPARE = 0;\n');
  writeFileSync(spec, `import { SPARE } from './k.config.ts';\n${readFileSync(spec, 'utf8').replace('length: (s) => s.n },\n    y:', 'length: (s) => s.n + SPARE },\n    y:')}`);
  const hash = (out: string) => {
    const r = cli(['test', '--kernel', 'k', '--property', 'inputs-unchanged', '--runs', '1', '--out', join(work, out), '--fixtures', join(work, 'fx')], work, lib);
    expect(r.status, r.stderr).toBe(0);
    return (JSON.parse(readFileSync(join(work, out, 'results.json'), 'utf8')) as ResultsFile).results[0]!.sourceHash;
  };
  const before = hash('a');
  writeFileSync(join(lib, 'kernels/notes.ts'), 'export const UNUSED = 1;\n');
  expect(hash('b')).toBe(before);
  writeFileSync(join(lib, 'kernels/k.config.ts'), 'export const SPARE = 0; // edited\n');
  expect(hash('c')).not.toBe(before);
}, 300_000);
