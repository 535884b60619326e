import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportCommand, fixtureLink } from '../harness/reports/write.ts';
import { loadResultsSet } from '../harness/reports/load.ts';

const fx = (name: string) => join(import.meta.dirname, 'fixtures/results', name);

function run(inputs: string[], expectations: unknown[] = [], outName = 'out') {
  const dir = mkdtempSync(join(tmpdir(), 'ks-write-'));
  const exp = join(dir, 'expectations.json');
  writeFileSync(exp, JSON.stringify(expectations));
  const logs: string[] = [];
  const errors: string[] = [];
  const out = join(dir, outName);
  const code = reportCommand(inputs, out, { expectations: exp, log: (l) => logs.push(l), error: (l) => errors.push(l) });
  return { code, out, logs, errors, dir };
}

describe('reportCommand', () => {
  it('writes the page, JUnit and a merged results.json that loads back, and exits 1 on new failures', () => {
    const r = run([fx('machine-a.json'), fx('machine-b.json')]);
    expect(r.code).toBe(1);
    expect(r.errors).toEqual([]);
    for (const f of ['index.html', 'junit.xml', 'results.json']) expect(existsSync(join(r.out, f)), f).toBe(true);
    const again = loadResultsSet(join(r.out, 'results.json'));
    expect(again.map((s) => s.data.seed)).toEqual([1, 7]);
    expect(r.logs).toHaveLength(1);
    expect(r.logs[0]).toMatch(/^kernelscope report: 2 runs \(ci-linux, gpu-box\), 7 engine columns, 35 results: 21 pass, 2 fail, 1 error/);
    expect(r.logs[0]).toContain('merged runs differ: seeds 1 and 7');
  });

  it('exits 0 when every failure is expected, and the engine that did not start is listed as an expected skip', () => {
    const known = [
      { kernel: 'softmax', property: 'matches-reference', engine: 'firefox', expected: 'fail', reason: 'Naga exp' },
      { kernel: 'softmax', property: 'writes-every-output', engine: 'chromium', expected: 'error', reason: 'Tint bug' },
    ];
    const r = run([fx('machine-a.json')], [...known, { kernel: '*', property: '*', engine: 'deno', expected: 'skip', reason: 'no Deno adapter on this image' }]);
    expect(r.code).toBe(0);
    expect(r.logs[0]).toContain('The run passes');
    expect(readFileSync(join(r.out, 'junit.xml'), 'utf8')).toContain('expected failure: Naga exp');
    expect(readFileSync(join(r.out, 'index.html'), 'utf8')).toMatch(/<p id="verdict" class="verdict" data-verdict="pass">/);

    // The same run without that entry: deno was asked for and did not start, which fails the run, and every output
    // says so (the summary, the page, one JUnit error for the engine).
    const u = run([fx('machine-a.json')], known);
    expect(u.code).toBe(1);
    expect(u.logs[0]).toMatch(/Unavailable: deno \(deno: requestAdapter\(\) returned null \(lavapipe refused\)\)\..*The run fails: engine deno did not start and expectations.json does not list it as a skip\.$/);
    expect(readFileSync(join(u.out, 'index.html'), 'utf8')).toMatch(/<p id="verdict" class="verdict" data-verdict="fail">The run fails: engine deno did not start/);
    const junit = readFileSync(join(u.out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase classname="kernelscope.engine" name="deno starts" time="0.000">\n\s*<error message="engine unavailable: deno: requestAdapter/);
    expect(junit).toMatch(/<testsuites name="kernelscope" tests="\d+" failures="0" errors="1"/);
  });

  it('exits 1 when nothing was computed (every result skipped), and says so in the summary, the page and JUnit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-skips-'));
    const a = JSON.parse(readFileSync(fx('machine-a.json'), 'utf8'));
    const onlySkips = {
      ...a,
      engines: a.engines.filter((e: { backend: string }) => e.backend === 'dawn'),
      results: a.results
        .filter((r: { backend: string }) => r.backend === 'dawn')
        .map((r: object) => ({ ...r, status: 'skip', runs: 0, error: 'every case skipped: over the interpreter budget' })),
    };
    writeFileSync(join(dir, 'skips.json'), JSON.stringify(onlySkips));
    const r = run([join(dir, 'skips.json')]);
    expect(r.code).toBe(1);
    expect(r.logs[0]).toMatch(/The run fails: nothing was computed: every result skipped \(\d+ results skipped; first: \S+\/\S+ on dawn[^:]*: every case skipped: over the interpreter budget\)\.$/);
    expect(readFileSync(join(r.out, 'index.html'), 'utf8')).toMatch(/data-verdict="fail">The run fails: nothing was computed/);
    expect(readFileSync(join(r.out, 'junit.xml'), 'utf8')).toMatch(/<testcase classname="kernelscope.run" name="computes something" time="0.000">\n\s*<error message="nothing was computed: every result skipped" type="NothingComputed">/);
    // Expected skips are what the user asked to accept: the run passes.
    expect(run([join(dir, 'skips.json')], [{ kernel: '*', property: '*', engine: 'dawn', expected: 'skip', reason: 'no budget here' }]).code).toBe(0);
    // One computed result among the skips: the run passes, and the line says how many skipped.
    onlySkips.results[0] = a.results[0];
    writeFileSync(join(dir, 'skips.json'), JSON.stringify(onlySkips));
    const one = run([join(dir, 'skips.json')]);
    expect(one.code).toBe(0);
    expect(one.logs[0]).toMatch(/The run passes: everything that ran passed or is listed in expectations.json; \d+ results skipped, not counted as passes \(first: /);
  });

  it('exits 2 naming the file when an input is truncated, missing, or the expectations are bad', () => {
    const t = run([fx('machine-a.json'), fx('truncated.json')]);
    expect(t.code).toBe(2);
    expect(t.errors[0]).toMatch(/truncated\.json: not valid JSON: truncated/);
    expect(existsSync(t.out)).toBe(false);
    const m = run(['/nonexistent-dir']);
    expect(m.code).toBe(2);
    expect(m.errors[0]).toContain('/nonexistent-dir: no such file or directory');
    const e = run([fx('machine-a.json')], [{ kernel: 'x' }]);
    expect(e.code).toBe(2);
    expect(e.errors[0]).toMatch(/expectations\.json: .*\[0\]\.property: missing/);
    expect(run([]).code).toBe(2);
  });

  it('reads DIR/results.json and never overwrites the run it was built from', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-write-'));
    const runDir = join(dir, 'run');
    mkdirSync(runDir);
    copyFileSync(fx('machine-b.json'), join(runDir, 'results.json'));
    const before = readFileSync(join(runDir, 'results.json'), 'utf8');
    const code = reportCommand([runDir], runDir, { expectations: join(dir, 'none.json'), log: () => {} });
    expect(code).toBe(1);
    expect(readFileSync(join(runDir, 'results.json'), 'utf8')).toBe(before);
    expect(existsSync(join(runDir, 'index.html'))).toBe(true);
  });

  it('links fixtures relative to the page, from the project root or beside the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-link-'));
    mkdirSync(join(dir, 'machine/fixtures/counterexamples'), { recursive: true });
    writeFileSync(join(dir, 'machine/fixtures/counterexamples/a b.json'), '{}');
    const source = join(dir, 'machine/results.json');
    expect(fixtureLink(join(dir, 'out'), 'fixtures/counterexamples/a b.json', source, join(dir, 'elsewhere')))
      .toBe('../machine/fixtures/counterexamples/a%20b.json');
    expect(fixtureLink(join(dir, 'reports/latest'), 'fixtures/x.json', source, dir)).toBe('../../fixtures/x.json');
  });
});
