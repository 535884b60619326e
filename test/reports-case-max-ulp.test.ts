// caseMaxUlp (results.json, contract 2) for a case that did not run (over the interpreter's budget: its caseHashes
// entry is ''): "not run", not the 0 that a trial's dashboard read as an exact case. Readers take both the old files
// (0 there) and the new.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEngine } from '../harness/engines/open.ts';
import type { Engine } from '../harness/engines/engine.ts';
import { parseResults } from '../harness/reports/load.ts';
import { runProperty } from '../harness/run/property-runner.ts';
import { loadKernels } from '../harness/run/registry.ts';

const machineA = readFileSync(join(import.meta.dirname, 'fixtures/results/machine-a.json'), 'utf8');

describe('caseMaxUlp of a case that did not run', () => {
  let engine: Engine | undefined;
  afterAll(async () => engine?.close());

  it('is "not run" in what the runner writes, and reads back so', async () => {
    engine = await openEngine('interpreter');
    const relu = (await loadKernels()).get('relu')!;
    const prop = relu.properties.find((p) => p.name === 'matches-reference')!;
    const r = await runProperty(engine, relu, prop, { seed: 1, runs: 4 });
    const hashes = r.caseHashes!;
    expect(hashes.some((h) => h === ''), 'some case over the default budget').toBe(true);
    expect(hashes.some((h) => h !== ''), 'some case within it').toBe(true);
    hashes.forEach((h, i) => {
      if (h === '') expect(r.caseMaxUlp![i], `case ${i}`).toBe('not run');
      else expect(typeof r.caseMaxUlp![i], `case ${i}`).toBe('number');
    });
    const file = { ...JSON.parse(machineA), results: [r] };
    const back = parseResults(JSON.stringify(file), 'r.json');
    expect(back.results[0]!.caseMaxUlp).toEqual(r.caseMaxUlp);
  }, 120_000);

  it('readers take the older files (0 there) and null (unbounded), and refuse any other string, naming the field', () => {
    const a = JSON.parse(machineA);
    const i = a.results.findIndex((r: { caseMaxUlp?: unknown }) => r.caseMaxUlp);
    expect(i).toBeGreaterThanOrEqual(0);
    a.results[i].caseMaxUlp = [0, null, 'not run', 3];
    expect(parseResults(JSON.stringify(a), 'a.json').results[i]!.caseMaxUlp).toEqual([0, Infinity, 'not run', 3]);
    a.results[i].caseMaxUlp = [0, 'skipped'];
    expect(() => parseResults(JSON.stringify(a), 'a.json')).toThrow(new RegExp(`^a\\.json: .*results\\[${i}\\]\\.caseMaxUlp\\[1\\]`));
  });
});
