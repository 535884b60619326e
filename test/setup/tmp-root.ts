// One temporary root for the whole `vitest run`, removed at its end. Tests make their output folders with
// mkdtemp(tmpdir()), and the CLI runs, browsers and Deno they spawn make theirs under TMPDIR too; a run used to leave
// about a thousand folders (150 MB) in /tmp, and a killed browser its profile. Workers are forked after this runs, so
// they and every process they start inherit TMPDIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'kernelscope-test-'));
  process.env.TMPDIR = root;
  return () => {
    if (process.env.KERNELSCOPE_KEEP_TMP) return void console.log(`kept the tests' temporary files in ${root}`);
    rmSync(root, { recursive: true, force: true });
  };
}
