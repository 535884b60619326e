// Every kernel of the library, with every property, through the real command line on Dawn, over several seeds: a
// correct kernel must pass them all, for a false alarm is a bug in a bound and a report nobody can trust. The suite
// has to fit CI, so it cuts the draws per seed, not the kernels: many seeds with one draw each see as many different
// cases as one seed with many draws. Properties whose one draw is a fixed, large case (runsScale: a handful of
// draws at --runs 100, e.g. the 2^24-element full-size checks) run once, at the first seed, in a test of their own:
// a second seed would repeat the heaviest work for little new; one whose draw does not depend on the seed at all
// (the MNIST test set) is left to its own test. LIBRARY_SEEDS and LIBRARY_SEED_RUNS raise the soak.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';
import { defaultProperties, loadKernels } from '../harness/run/registry.ts';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'kernelscope.mjs');
const SEEDS = Number(process.env.LIBRARY_SEEDS ?? 5);
const RUNS = Number(process.env.LIBRARY_SEED_RUNS ?? 1);
/** A property that asks for at most this many draws at --runs 100 draws one fixed, large case. */
const HEAVY_DRAWS = 5;

const kernels = await loadKernels(ROOT);
const scales = new Map<string, number[]>();
// Opt-in properties (one case of millions of elements) are left out, as a run without --property leaves them out.
for (const k of kernels.values()) for (const p of defaultProperties(k)) scales.set(p.name, [...(scales.get(p.name) ?? []), p.runsScale ?? 1]);
/** Heavy only where every kernel that has the property calls it heavy: otherwise the light ones would lose seeds. */
const heavyNames = [...scales].filter(([, s]) => s.every((x) => x * 100 <= HEAVY_DRAWS)).map(([name]) => name);
const light = [...scales.keys()].filter((name) => !heavyNames.includes(name));
/** A property whose draw is the same whatever the seed (the MNIST test set: the data set is the case) has nothing
 *  to gain from seeds; it is run by its own test (test/mnist.test.ts). */
const seedFree = new Set([...kernels.values()].flatMap(defaultProperties)
  .filter((p) => heavyNames.includes(p.name) && isDeepStrictEqual(fc.sample(p.arbitrary, { seed: 1, numRuns: 2 }), fc.sample(p.arbitrary, { seed: 2, numRuns: 2 })))
  .map((p) => p.name));
const heavy = heavyNames.filter((name) => !seedFree.has(name));

function run(seed: number, properties: string[]): { status: number | null; why: string; results?: ResultsFile } {
  const out = mkdtempSync(join(tmpdir(), 'kernelscope-seeds-'));
  try {
    // Counterexamples go to the run's own folder: a false alarm is reported here, not saved as a finding.
    const args = ['test', '--backend', 'dawn', '--runs', String(RUNS), '--seed', String(seed), ...properties.flatMap((p) => ['--property', p]),
      '--out', out, '--fixtures', join(out, 'fixtures')];
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 590_000 });
    let results: ResultsFile | undefined;
    try {
      results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    } catch {
      /* reported by the assertions below */
    }
    return { status: r.status, why: `kernelscope ${args.join(' ')}: exit ${r.status}\n${r.stderr.slice(-2000)}`, results };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe(`every library kernel over ${SEEDS} seeds, ${RUNS} draw(s) each, on Dawn`, () => {
  it('has kernels, and properties light enough to run at every seed', () => {
    expect(kernels.size).toBeGreaterThanOrEqual(14);
    expect(light).toEqual(expect.arrayContaining(['matches-reference', 'writes-every-output', 'inputs-unchanged', 'deterministic']));
  });

  const seeds = Array.from({ length: SEEDS }, (_, i) => 1 + 6007 * i);

  it.each(seeds)('seed %i: every kernel passes every property it draws per seed', (seed) => {
    const r = run(seed, light);
    expectNoAlarm(r, seed);
    // Every kernel ran: a kernel missing from the results is a kernel never tried, not one that passed.
    expect(new Set(r.results!.results.map((x) => x.kernel)), r.why).toEqual(new Set(kernels.keys()));
  }, 600_000);

  it(`the one-draw properties (${heavy.join(', ')}) pass at seed ${seeds[0]}`, () => {
    const r = run(seeds[0]!, heavy);
    expectNoAlarm(r, seeds[0]!);
    expect(r.results!.results.length, r.why).toBeGreaterThan(0);
  }, 600_000);
});

function expectNoAlarm(r: ReturnType<typeof run>, seed: number) {
  expect(r.results, r.why).toBeDefined();
  const got = r.results!.results;
  // A skip says "not supported here", with its reason: honest, and no alarm; a kernel must still pass something.
  const bad = got.filter((x) => x.status === 'fail' || x.status === 'error' || (x.status === 'skip' && !x.error))
    .map((x) => `seed ${seed}: ${x.kernel}/${x.property}: ${x.status} ${x.error ?? ''}`);
  expect(bad, r.why).toEqual([]);
  expect([...new Set(got.map((x) => x.kernel))].filter((k) => !got.some((x) => x.kernel === k && x.status === 'pass')), r.why).toEqual([]);
  expect(r.status, r.why).toBe(0);
}
