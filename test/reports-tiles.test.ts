// The page's tiles and the summary line count what junit.xml counts, and the summary's parts add up to its total
// (trial Z: runB's tiles error=0 results=32 beside JUnit's errors="1" tests="33"; an interrupted run's all-green tiles).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadResults } from '../harness/reports/load.ts';
import { mergeResults, type MergedReport } from '../harness/reports/merge.ts';
import { applyExpectations } from '../harness/reports/expectations.ts';
import { toJUnit } from '../harness/reports/junit.ts';
import { toHtml } from '../harness/reports/html.ts';
import { tally, tallyText } from '../harness/reports/status.ts';

const fx = (name: string) => join(import.meta.dirname, 'fixtures/results', name);
const merged = (...names: string[]) => applyExpectations(mergeResults(names.map((n) => ({ path: n, data: loadResults(fx(n), { warn: () => {} }) }))), []);

function junitTotals(xml: string) {
  const m = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/.exec(xml)!;
  return { tests: +m[1]!, failures: +m[2]!, errors: +m[3]!, skipped: +m[4]! };
}
function tiles(html: string) {
  return Object.fromEntries([...html.matchAll(/data-count="([\w-]+)">(\d+)</g)].map((m) => [m[1]!, +m[2]!]));
}

const cases: [string, MergedReport][] = [
  ['an engine that did not start (runB)', merged('trialZ-runB.json')],
  ['an interrupted run (runI)', merged('trialZ-runI-interrupted.json')],
  ['every result skipped (runAllSkip)', merged('trialZ-runAllSkip.json')],
  ['two runs (runA, runB)', merged('trialZ-runA.json', 'trialZ-runB.json')],
];

describe('tiles, summary and JUnit', () => {
  it.each(cases)('%s: the tiles are the JUnit totals', (_, m) => {
    const j = junitTotals(toJUnit(m));
    const t = tiles(toHtml(m));
    expect({ tests: t.total, failures: t.fail, errors: t.error, skipped: t.skipped }).toEqual(j);
    expect(t.pass! + t.fail! + t.error! + t.skipped!).toBe(t.total);
  });

  it.each(cases)('%s: the summary line\'s parts add up to its total, JUnit\'s tests', (_, m) => {
    const text = tallyText(tally(m));
    const total = +/^(\d+)/.exec(text)![1]!;
    const parts = /: (\d+) passed, (\d+) failed, (\d+) errors?\b.*, (\d+) skipped/.exec(text)!.slice(1).map(Number);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
    expect(total).toBe(junitTotals(toJUnit(m)).tests);
  });

  it('says what the extra tests are', () => {
    expect(tallyText(tally(merged('trialZ-runB.json')))).toBe('33 tests (32 results, 1 engine start): 23 passed, 1 failed, 1 error (1 engine that did not start), ' +
      '8 skipped (8 not run: engine unavailable)');
    expect(tallyText(tally(merged('trialZ-runAllSkip.json')))).toBe('2 tests (1 result, 1 check of the run as a whole): 0 passed, 0 failed, 1 error (1 about the run as a whole), 1 skipped');
    const html = toHtml(merged('trialZ-runI-interrupted.json'));
    expect(tiles(html)).toMatchObject({ error: 1, 'run-errors': 1, total: 39, results: 38 });
  });
});
