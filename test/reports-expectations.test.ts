import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadResults } from '../harness/reports/load.ts';
import { mergeResults } from '../harness/reports/merge.ts';
import { applyExpectations, exitCodeFor, parseExpectations, type Expectation } from '../harness/reports/expectations.ts';
import { countStatuses } from '../harness/reports/status.ts';

const fx = (name: string) => join(import.meta.dirname, 'fixtures/results', name);
const machineA = () => mergeResults([{ path: fx('machine-a.json'), data: loadResults(fx('machine-a.json')) }]);
const both = () => mergeResults(['machine-a.json', 'machine-b.json'].map((n) => ({ path: fx(n), data: loadResults(fx(n)) })));

const known: Expectation[] = [
  { kernel: 'softmax', property: 'matches-reference', engine: 'firefox', expected: 'fail', reason: 'Naga exp is 4 ulp off' },
  { kernel: 'softmax', property: 'writes-every-output', engine: 'chromium', adapter: 'swiftshader', expected: 'error', reason: 'Tint bug 123' },
];

describe('expectations', () => {
  // Trial 148 B2, B3: an empty one was blamed on a run that died; one saved with a byte order mark was an invisible
  // "Unexpected token".
  it('reads past a byte order mark, and says an empty or cut-short file is the writer\'s, not a run\'s', () => {
    expect(parseExpectations('\ufeff[]', 'expectations.json')).toEqual([]);
    expect(() => parseExpectations('  ', 'expectations.json')).toThrow(/^expectations\.json: empty file: it must hold JSON$/);
    expect(() => parseExpectations('[{"kernel": "add"', 'expectations.json')).toThrow(/truncated: .*; its end is missing$/);
  });

  it('a run with only new failures exits 1', () => {
    expect(exitCodeFor(machineA())).toBe(1);
  });

  it('expected failures and errors exit 0 and show as expected-fail', () => {
    const m = applyExpectations(machineA(), known);
    expect(exitCodeFor(m)).toBe(0);
    expect(countStatuses(m.cells)).toMatchObject({ fail: 0, error: 0, 'expected-fail': 2 });
    expect(m.staleExpectations).toEqual([]);
    expect(m.unusedExpectations).toEqual([]);
  });

  it('a new failure beside expected ones exits 1', () => {
    const m = applyExpectations(both(), known);
    expect(exitCodeFor(m)).toBe(1);
    const newOnes = m.cells.filter((c) => (c.status === 'fail' || c.status === 'error') && !c.expectation?.matched);
    expect(newOnes.map((c) => `${c.kernel}/${c.property}@${c.engine}`)).toEqual(['matmul/matches-reference@dawn · nvidia ampere']);
  });

  it('an adapter substring narrows an expectation to one column', () => {
    const nvidiaOnly: Expectation = { kernel: 'matmul', property: 'matches-reference', engine: 'dawn', adapter: 'NVIDIA', expected: 'fail', reason: 'fma contraction' };
    const m = applyExpectations(both(), [...known, nvidiaOnly]);
    expect(exitCodeFor(m)).toBe(0);
    const sw = m.cells.find((c) => c.engine === 'dawn · google swiftshader' && c.kernel === 'matmul' && c.property === 'matches-reference')!;
    expect(sw.expectation).toBeUndefined();
  });

  it('an unavailable engine neither matches nor stales an expectation', () => {
    const m = applyExpectations(both(), [{ kernel: 'softmax', property: '*', engine: 'chromium', expected: 'error', reason: 'r' }]);
    const unavailable = m.cells.filter((c) => c.engine === 'chromium');
    expect(unavailable).toHaveLength(5);
    expect(unavailable.every((c) => c.status === 'unavailable' && c.expectation === undefined)).toBe(true);
    expect(m.cells.filter((c) => c.expectation).map((c) => `${c.property}@${c.engine}:${c.expectation!.matched}`)).toEqual([
      'matches-reference@chromium · google swiftshader:false', 'sums-to-one@chromium · google swiftshader:false',
      'writes-every-output@chromium · google swiftshader:true',
    ]);
    expect(m.staleExpectations).toHaveLength(2);
  });

  it('an error where a failure was expected is new', () => {
    const m = applyExpectations(machineA(), [known[0]!, { ...known[1]!, expected: 'fail' }]);
    expect(exitCodeFor(m)).toBe(1);
  });

  // Trial 225 B1: an earlier entry expecting a failure hid a later `*` entry expecting the error the result is.
  it('of the entries that cover a result, the first that expects its status matches it', () => {
    const broad: Expectation = { kernel: 'softmax', property: '*', engine: 'chromium', expected: 'error', reason: 'Tint bug 123, every property' };
    const m = applyExpectations(machineA(), [{ ...known[1]!, expected: 'fail' }, broad]);
    const cell = m.cells.find((c) => c.kernel === 'softmax' && c.property === 'writes-every-output' && c.engine.startsWith('chromium'))!;
    expect(cell.expectation).toEqual({ expected: 'error', reason: 'Tint bug 123, every property', matched: true });
    // With no entry expecting its status, the first that covers it is named, and it is new.
    const only = applyExpectations(machineA(), [{ ...known[1]!, expected: 'fail' }, { ...broad, expected: 'skip' }]);
    expect(only.cells.find((c) => c.kernel === 'softmax' && c.property === 'writes-every-output' && c.engine.startsWith('chromium'))!.expectation).toMatchObject({ expected: 'fail', matched: false });
  });

  it('lists stale expectations (the result passes now) and unused ones', () => {
    const m = applyExpectations(machineA(), [
      ...known,
      { kernel: 'matmul', property: '*', engine: 'dawn', expected: 'fail', reason: 'was broken in 0.6.1' },
      { kernel: 'conv2d', property: 'matches-reference', engine: 'deno', expected: 'error', reason: 'not run here' },
    ]);
    expect(exitCodeFor(m)).toBe(0);
    expect(m.staleExpectations!.map((s) => `${s.kernel}/${s.property}@${s.cellEngine}`)).toEqual([
      'matmul/deterministic@dawn · google swiftshader', 'matmul/matches-reference@dawn · google swiftshader',
    ]);
    expect(m.unusedExpectations!.map((u) => u.kernel)).toEqual(['conv2d']);
  });

  it('an expected failure whose every result was skipped is unexercised, not matched, stale or unused (trial 98 B2)', () => {
    const m = applyExpectations(machineA(), [
      { kernel: 'softmax', property: 'writes-every-output', engine: 'interpreter', expected: 'fail', reason: 'not run there' },
      { kernel: 'softmax', property: 'matches-reference', engine: 'firefox', expected: 'fail', reason: 'Naga exp is 4 ulp off' },
    ]);
    expect(m.unexercisedExpectations!.map((u) => `${u.entry.index}:${u.expected}:${u.covered}`)).toEqual(['0:fail:1']);
    expect(m.unusedExpectations).toEqual([]);
    expect(m.staleExpectations).toEqual([]);
    // An expected skip that covers a skip is what it says, not unexercised.
    const skip = applyExpectations(machineA(), [{ kernel: 'softmax', property: 'writes-every-output', engine: 'interpreter', expected: 'skip', reason: 'r' }]);
    expect(skip.unexercisedExpectations).toEqual([]);
  });

  it('"kernel": "*" covers every kernel, as docs/CONTRACTS.md (contract 4) shows', () => {
    const contracts = readFileSync(join(import.meta.dirname, '../docs/CONTRACTS.md'), 'utf8');
    expect(contracts.slice(contracts.indexOf('## Contract 4'))).toContain('"kernel": "softmax" | "*"');
    const m = applyExpectations(machineA(), parseExpectations('[{"kernel":"*","property":"matches-reference","engine":"firefox","expected":"fail","reason":"Naga"}]', 'e.json'));
    expect(m.cells.filter((c) => c.expectation).map((c) => `${c.kernel}/${c.property}@${c.engine.split(' ')[0]}`).sort())
      .toEqual(['matmul/matches-reference@firefox', 'softmax/matches-reference@firefox']);
  });

  it('validates expectations.json entries', () => {
    expect(() => parseExpectations('[{"kernel":"a","property":"b","engine":"safari","expected":"fail","reason":"r"}]', 'e.json'))
      .toThrow(/^e\.json: .*\[0\]\.engine: expected one of dawn\|chromium\|firefox\|deno\|interpreter, got "safari"$/);
    expect(() => parseExpectations('[{"kernel":"a","property":"b","engine":"dawn","expected":"pass","reason":"r"}]', 'e.json'))
      .toThrow(/\[0\]\.expected: expected one of fail\|error\|skip, got "pass"/);
    expect(() => parseExpectations('[{"kernel":"a","property":"b","engine":"dawn","expected":"fail"}]', 'e.json'))
      .toThrow(/\[0\]\.reason: missing/);
    // A misspelt field would silently widen the entry to every adapter: refused, by name.
    expect(() => parseExpectations('[{"kernel":"a","property":"b","engine":"dawn","expected":"fail","reason":"r","adaptor":"nvidia"}]', 'e.json'))
      .toThrow(/\[0\]: unknown field "adaptor"/);
  });

  it('the repository expectations.json parses', () => {
    const path = join(import.meta.dirname, '..', 'expectations.json');
    expect(Array.isArray(parseExpectations(readFileSync(path, 'utf8'), path))).toBe(true);
  });
});
