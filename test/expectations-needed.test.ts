// A 'skip' entry that covers an engine that did not start is needed, even where the same backend ran and passed on
// another machine of the merge (trial Z: runA with Firefox, runB without; the entry was called stale, and removing
// it failed the report).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadResults } from '../harness/reports/load.ts';
import { mergeResults } from '../harness/reports/merge.ts';
import { applyExpectations } from '../harness/reports/expectations.ts';
import { verdictOf } from '../harness/reports/status.ts';
import { summary } from '../harness/reports/write.ts';

const fx = (name: string) => join(import.meta.dirname, 'fixtures/results', name);
const runs = ['trialZ-runA.json', 'trialZ-runB.json'].map((n) => ({ path: n, data: loadResults(fx(n), { warn: () => {} }) }));
const noFirefox = { kernel: '*', property: '*', engine: 'firefox' as const, expected: 'skip' as const, reason: 'machine 2 has no Firefox' };

describe('a skip entry for an engine that did not start', () => {
  it('is not stale where the same backend passed on another machine', () => {
    const m = applyExpectations(mergeResults(runs), [noFirefox]);
    expect(m.staleExpectations).toEqual([]);
    expect(m.unusedExpectations).toEqual([]);
    expect(summary(m, [])).not.toContain('Stale');
    // The entry is what keeps the engine that did not start from failing the merge.
    expect(verdictOf(m).unavailable).toEqual([]);
    expect(verdictOf(applyExpectations(mergeResults(runs), [])).unavailable).toHaveLength(1);
  });

  it('still makes an entry that covers only passing results stale', () => {
    const m = applyExpectations(mergeResults([runs[0]!]), [noFirefox]);
    expect(m.staleExpectations!.length).toBe(8);
  });
});
