// An expected failure is marked on its terminal line, as the page marks it (trial Z: "FAIL" beside a summary of
// "1 expected failure").
import { describe, expect, it } from 'vitest';
import { formatResult } from '../harness/cli/progress.ts';
import { expectationFor, type Expectation } from '../harness/reports/expectations.ts';

const fail = { kernel: 'add', property: 'matches-reference', backend: 'dawn' as const, status: 'fail' as const, runs: 5, durationMs: 1, error: 'c[0] is off' };
const info = { backend: 'dawn' as const, status: 'ok' as const, adapter: { vendor: 'google', architecture: 'swiftshader', device: '', description: '' } };
const x = (over: Partial<Expectation>): Expectation => ({ kernel: 'add', property: 'matches-reference', engine: 'dawn', expected: 'fail', reason: 'known (bug 1)', ...over });

describe('an expected failure on the terminal', () => {
  it('prints XFAIL and the reason, not FAIL', () => {
    const text = formatResult(fail, expectationFor([x({})], fail, info));
    expect(text).toMatch(/^XFAIL dawn/);
    expect(text).toContain('expected failure, as expectations.json lists: known (bug 1)');
    expect(formatResult(fail)).toMatch(/^FAIL dawn/);
  });

  it('is marked only where the report counts it as expected', () => {
    expect(expectationFor([x({ expected: 'error' })], fail, info)).toBeUndefined();
    expect(expectationFor([x({ adapter: 'swiftshader' })], fail, info)?.reason).toBe('known (bug 1)');
    expect(expectationFor([x({ adapter: 'nvidia' })], fail, info)).toBeUndefined();
    expect(expectationFor([x({ adapter: 'swiftshader' })], fail, undefined)).toBeUndefined();
    // Of the entries that cover it, the first that expects its status decides, as applyExpectations does (trial 225 B1).
    expect(expectationFor([x({ expected: 'error', reason: 'first' }), x({ reason: 'second' })], fail, info)?.reason).toBe('second');
    expect(expectationFor([x({ reason: 'first' }), x({ reason: 'second' })], fail, info)?.reason).toBe('first');
    expect(expectationFor([x({})], { ...fail, status: 'pass' }, info)).toBeUndefined();
  });
});

// A trial read the same "1 more case skipped: over the interpreter's budget ..." under each of 8 properties.
describe('cases skipped for one reason', () => {
  it('are explained in full once per kernel, then referred to', () => {
    const why = "over the interpreter's budget: 4608 invocations > 4096 (--interpreter-budget invocations=N)";
    const r = (property: string, skipReason = why) => ({ kernel: 'blurx', property, backend: 'interpreter' as const, status: 'pass' as const, runs: 4, durationMs: 1, notes: { skippedCases: 1, skipReason } });
    expect(formatResult(r('matches-reference')).split('\n')[1]).toBe(`     1 more case skipped: ${why}`);
    // After that, on the result's own line: a trial read the same "the same reason as" line under each property.
    const again = formatResult(r('deterministic')).split('\n');
    expect(again).toHaveLength(1);
    expect(again[0]).toMatch(/ 4 cases .*  \(1 more case skipped, as under matches-reference\)$/);
    expect(formatResult(r('identity', 'another reason')).split('\n')[1]).toBe('     1 more case skipped: another reason');
  });
});

// A trial's bitonic sort with 16 KiB of workgroup memory read Dawn's refusal twice under the sanitizer's skip, and a
// blank line after it.
describe("a skip whose reason quotes its detail's first line", () => {
  it('prints that line once, then the rest of the detail', () => {
    const first = 'The total use of workgroup storage (49152 bytes) is larger than the maximum allowed (32768 bytes).';
    const detail = `${first}\n - While initializing [ComputePipeline (unlabeled)]\n`;
    const text = formatResult({ kernel: 'sort', property: 'no-out-of-bounds', backend: 'dawn', status: 'skip', runs: 0, durationMs: 1, error: `the sanitized kernel does not run on dawn (the plain kernel does): ${first}`, detail });
    expect(text.split('\n').slice(1)).toEqual([`     the sanitized kernel does not run on dawn (the plain kernel does): ${first}`, '      - While initializing [ComputePipeline (unlabeled)]']);
  });
});

// Trial 60 B4: Firefox's compiler messages, the same as Deno's before them, came out as their first line alone, with
// nothing said of why.
describe('a compile error', () => {
  it('is printed whole once, then by its first line, naming the engine that printed it whole', () => {
    const detail = 'k.wgsl:3:5: error: type mismatch\n    y[i] = 1u;\n    ^\nk.wgsl:2:1: note: declared here';
    const r = (backend: 'deno' | 'firefox', property: string) => ({ kernel: 'k', property, backend, status: 'error' as const, runs: 0, durationMs: 1, error: 'k.wgsl:3:5: error: type mismatch', detail });
    expect(formatResult(r('deno', 'matches-reference')).split('\n')).toHaveLength(5);
    expect(formatResult(r('firefox', 'matches-reference')).split('\n')[1]).toBe("     k.wgsl:3:5: error: type mismatch (in full as on deno, above)");
    expect(formatResult(r('firefox', 'deterministic'))).toMatch(/\(the same error as matches-reference\)$/);
  });
});
