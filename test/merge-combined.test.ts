// A merged cell is the same whatever order its runs are named in: worst status, worst figures, cases summed, every
// run named; runs of different code (a --wgsl version) never let a pass hide a skip (trial Z's runA, runB, runF16).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadResults } from '../harness/reports/load.ts';
import { mergeResults, type MergedReport } from '../harness/reports/merge.ts';
import { applyExpectations } from '../harness/reports/expectations.ts';
import { toJUnit } from '../harness/reports/junit.ts';
import { toView } from '../harness/reports/view.ts';
import { tally, tallyText, verdictLine, verdictOf } from '../harness/reports/status.ts';

const fx = (name: string) => join(import.meta.dirname, 'fixtures/results', name);
const file = (name: string) => ({ path: name, data: loadResults(fx(name), { warn: () => {} }) });
const cellOf = (m: MergedReport, kernel: string, property: string, backend: string) =>
  m.cells.find((c) => c.kernel === kernel && c.property === property && c.engine.startsWith(`${backend} `))!;

describe('a merged cell', () => {
  it('shows the worst figures and the summed cases, the same in either argument order', () => {
    const ab = mergeResults([file('trialZ-runA.json'), file('trialZ-runB.json')]);
    const ba = mergeResults([file('trialZ-runB.json'), file('trialZ-runA.json')]);
    for (const m of [ab, ba]) {
      const c = cellOf(m, 'softmax', 'matches-reference', 'deno');
      expect(c.status).toBe('pass');
      expect(c.result!.maxError!.boundRatio).toBeCloseTo(0.07426157278125924, 12);
      expect(c.result!.maxError!.ulp).toBe(12);
      expect(c.result!.runs).toBe(10);
      expect(c.from!.map((f) => f.source)).toEqual(['trialZ-runA.json', 'trialZ-runB.json']);
    }
    const view = (m: MergedReport) => toView(m).cells.find((c) => c.kernel === 'softmax' && c.property === 'matches-reference' && c.engine.startsWith('deno'));
    expect(view(ab)).toEqual(view(ba));
    const suite = toJUnit(ab).split('<testsuite ').find((s) => s.startsWith('name="deno'))!;
    const tc = suite.split('<testcase').find((t) => t.includes('classname="softmax" name="matches-reference on deno'))!;
    expect(tc).toContain('trialZ-runA.json (seed 1): pass, 5 cases');
    expect(tc).toContain('trialZ-runB.json (seed 2): pass, 5 cases');
    // The test cases, not the suites' provenance (which lists the runs as named), are the same.
    const cases = (m: MergedReport) => toJUnit(m).replace(/<properties>[^]*?<\/properties>/g, '').replace(/time="[^"]*"/g, '');
    expect(cases(ab)).toBe(cases(ba));
  });

  // Trial 148 B1: a full run merged with its own shards said "runs: 30" of 15 cases.
  it('counts once the cases two runs of one seed and code drew, and says so', () => {
    const a = file('trialZ-runA.json');
    const m = mergeResults([a, { path: 'shard-of-runA.json', data: a.data }]);
    expect(cellOf(m, 'softmax', 'matches-reference', 'deno').result!.runs).toBe(5);
    expect(m.warnings).toContainEqual(expect.stringMatching(/^shard-of-runA\.json, trialZ-runA\.json ran the same cases \(the same seed and code\) of \d+ results: each counted once$/));
    // Another seed draws other cases: summed.
    expect(cellOf(mergeResults([a, file('trialZ-runB.json')]), 'softmax', 'matches-reference', 'deno').result!.runs).toBe(10);
  });

  it('of runs of different code never shows a pass over a skip, in the matrix, JUnit and the summary alike', () => {
    const m = applyExpectations(mergeResults([file('trialZ-runA.json'), file('trialZ-runF16.json')]), []);
    const dawn = cellOf(m, 'add', 'matches-reference', 'dawn');
    expect(dawn.status).toBe('skip');
    expect(dawn.mixedCode).toHaveLength(2);
    expect(dawn.mixedCode!.some((l) => l.includes('--wgsl work/k/add_f16.wgsl'))).toBe(true);
    // relu ran the library's code in both: unchanged.
    expect(cellOf(m, 'relu', 'matches-reference', 'dawn').status).toBe('pass');
    expect(cellOf(m, 'relu', 'matches-reference', 'dawn').mixedCode).toBeUndefined();
    const t = tally(m);
    expect(t.skipped).toBe(4);
    // The f16 code never ran on chromium, whose add cells are the library code's alone: the run as a whole fails,
    // one JUnit error, rather than let the library's passes there stand for the kernel (trial 75 A1).
    expect(verdictOf(m).partialCode).toEqual([expect.stringMatching(/^add: code \w{8} in trialZ-runA\.json \(10 of 10 results\), code \w{8} in trialZ-runF16\.json \(--wgsl work\/k\/add_f16\.wgsl\) \(8 of 10 results\)$/)]);
    expect(verdictLine(verdictOf(m))).toContain('kernel add ran different code: ');
    expect(toJUnit(m)).toMatch(/<testsuites name="kernelscope" tests="41" failures="2" errors="1" skipped="4"/);
    expect(toJUnit(m)).toContain('type="PartialCode"');
    expect(tallyText(t)).toContain('4 skipped');
    expect(m.warnings.some((w) => w.startsWith('add/matches-reference on dawn') && w.includes('the matrix shows skip'))).toBe(true);
    expect(toView(m).cells.find((c) => c.kernel === 'add' && c.property === 'matches-reference' && c.engine.startsWith('dawn'))!.mixedCode).toHaveLength(2);
    // The skip shows no figure of the library kernel that passed beside it, and runs of the code shown only.
    expect(dawn.result!.maxError).toBeUndefined();
    expect(dawn.result!.runs).toBe(0);
    const deno = cellOf(m, 'add', 'matches-reference', 'deno');
    expect([deno.status, deno.result!.runs, deno.result!.maxError!.boundRatio]).toEqual(['fail', 5, Infinity]);
  });

  // Shards of one run that tested different code (a kernel edited between them) each passed their share: the code
  // whose share held no-out-of-bounds was not the one that fails it, and the merge said the run passed (trial 75 A1).
  it('of runs of different code, where a code did not run every result of the row, fails the run as a whole', () => {
    const a = file('trialZ-runA.json');
    const code = (d: typeof a.data, hash: string, keep: (r: (typeof a.data.results)[number]) => boolean) => ({ ...d, results: d.results.filter(keep).map((r) => ({ ...r, sourceHash: hash })) });
    const first = { path: 'shard-a.json', data: code(a.data, 'm3:aaaaaaaa', (r) => r.property === 'matches-reference') };
    const second = { path: 'shard-b.json', data: code(a.data, 'm3:bbbbbbbb', (r) => r.property !== 'matches-reference') };
    const split = verdictOf(applyExpectations(mergeResults([first, second]), []));
    expect(split.exitCode).toBe(1);
    expect(split.partialCode.map((k) => k.split(':')[0])).toEqual(expect.arrayContaining(['add', 'relu']));
    // Each code on every result: each was judged whole, nothing to say.
    const whole = { path: 'again.json', data: code(a.data, 'm3:cccccccc', () => true) };
    expect(verdictOf(applyExpectations(mergeResults([{ path: 'a.json', data: code(a.data, 'm3:dddddddd', () => true) }, whole]), [])).partialCode).toEqual([]);
  });
});
