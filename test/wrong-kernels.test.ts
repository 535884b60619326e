// The corpus of plausible wrong kernels (test/wrong-kernels/*.wgsl) must each be caught, through the real command
// line, by the property its header names; and the correct kernels must pass under many seeds. Each WGSL file starts
// with `// replaces: KERNEL`, `// bug: ...` and `// caught-by: PROPERTY` (and optionally `// runs: N` when the bug
// needs more draws than RUNS to show, and `// backends: ID[,ID...]` when only those engines can see it, e.g. a race
// the interpreter alone finds): the table below is read from those lines, so adding a wrong kernel is adding a file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = join(import.meta.dirname, '..');
const CORPUS = join(ROOT, 'test', 'wrong-kernels');
const CLI = join(ROOT, 'bin', 'kernelscope.mjs');
/** Enough draws that every edge-biased size the bug needs comes up; the failing draw is usually among the first. */
const RUNS = Number(process.env.WRONG_KERNEL_RUNS ?? 30);
/** The correct kernels must pass under many seeds: a false alarm is a bug in a bound. Many seeds with few draws each
 *  sees as many different cases as few seeds with many draws, in a fraction of the time (each seed is one CLI run:
 *  the startup and every property's one-draw properties are paid per seed). 20 seeds × 2 draws takes about 4
 *  minutes on two cores; CORRECT_KERNEL_SEEDS and CORRECT_KERNEL_RUNS raise it for a longer soak. */
const SEEDS = Number(process.env.CORRECT_KERNEL_SEEDS ?? 20);
const CORRECT_RUNS = Number(process.env.CORRECT_KERNEL_RUNS ?? 2);

export interface WrongKernel {
  file: string;
  kernel: string;
  bug: string;
  caughtBy: string;
  runs: number;
  /** The engines that must catch it (`--backend`); every engine of the default run when undefined. */
  backends?: string;
}

export function readCorpus(dir = CORPUS): WrongKernel[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wgsl'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const field = (name: string) => text.match(new RegExp(`^// ${name}: (.*)$`, 'm'))?.[1]?.trim();
      const kernel = field('replaces');
      const caughtBy = field('caught-by');
      if (!kernel || !caughtBy) throw new Error(`${file}: the header needs '// replaces: KERNEL' and '// caught-by: PROPERTY'`);
      const backends = field('backends');
      return { file, kernel, bug: field('bug') ?? '', caughtBy, runs: Number(field('runs') ?? RUNS), ...(backends ? { backends } : {}) };
    });
}

function cli(args: string[]): { status: number | null; stderr: string; stdout: string; results?: ResultsFile } {
  const out = mkdtempSync(join(tmpdir(), 'kernelscope-wrong-'));
  try {
    // Counterexamples go to the run's own folder: these failures are expected, not findings for fixtures/.
    const r = spawnSync(process.execPath, [CLI, ...args, '--out', out, '--fixtures', join(out, 'fixtures')], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
    let results: ResultsFile | undefined;
    try {
      results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    } catch {
      /* reported by the assertions below */
    }
    return { status: r.status, stderr: r.stderr, stdout: r.stdout, results };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const corpus = readCorpus();

describe('the corpus', () => {
  it('has at least ten wrong kernels, each naming a kernel and a property', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(10);
    for (const w of corpus) {
      expect(readdirSync(join(ROOT, 'kernels'))).toContain(`${w.kernel}.kernel.ts`);
      expect(w.bug.length).toBeGreaterThan(10);
    }
  });
});

describe.each(corpus)('$file', (w) => {
  it(`is caught by ${w.kernel}/${w.caughtBy}`, () => {
    const r = cli(['test', '--kernel', w.kernel, '--wgsl', `${w.kernel}=test/wrong-kernels/${w.file}`, '--property', w.caughtBy, '--runs', String(w.runs), '--seed', '1',
      ...(w.backends ? ['--backend', w.backends] : [])]);
    const why = `exit ${r.status}\n${r.stderr.slice(-2000)}`;
    expect(r.results, why).toBeDefined();
    const mine = r.results!.results.filter((x) => x.kernel === w.kernel && x.property === w.caughtBy);
    expect(mine.length, why).toBeGreaterThan(0);
    expect(mine.map((x) => `${x.backend}: ${x.status}${x.error ? ` (${x.error})` : ''}`), why).toEqual(mine.map((x) => `${x.backend}: fail${x.error ? ` (${x.error})` : ''}`));
    expect(r.status, why).toBe(1);
  }, 600_000);
});

describe('the correct kernels', () => {
  const kernels = ['add', 'matmul', 'relu', 'softmax', 'mlp'];
  it.each(Array.from({ length: SEEDS }, (_, i) => 1000 + 7919 * i))('pass every property with seed %i', (seed) => {
    const r = cli(['test', ...kernels.flatMap((k) => ['--kernel', k]), '--runs', String(CORRECT_RUNS), '--seed', String(seed)]);
    const why = `exit ${r.status}\n${r.stderr.slice(-2000)}`;
    expect(r.results, why).toBeDefined();
    const bad = r.results!.results.filter((x) => x.status !== 'pass' && x.status !== 'skip');
    expect(bad.map((x) => `${x.kernel}/${x.property}/${x.backend}: ${x.status} ${x.error ?? ''}`), why).toEqual([]);
    expect(r.status, why).toBe(0);
  }, 600_000);
});
