import { describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportCommand, fixtureLink } from '../harness/reports/write.ts';
import { loadResultsSet } from '../harness/reports/load.ts';

const fx = (name: string) => join(import.meta.dirname, 'fixtures/results', name);

function run(inputs: string[], expectations: unknown[] = [], outName = 'out', reReport = false) {
  const dir = mkdtempSync(join(tmpdir(), 'ks-write-'));
  const exp = join(dir, 'expectations.json');
  writeFileSync(exp, JSON.stringify(expectations));
  const logs: string[] = [];
  const errors: string[] = [];
  const out = join(dir, outName);
  const code = reportCommand(inputs, out, { expectations: exp, log: (l) => logs.push(l), error: (l) => errors.push(l), reReport });
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
    expect(r.logs[0]).toMatch(/^kernelscope report: 2 runs \(ci-linux, gpu-box\), 7 engine columns: 37 tests \(35 results, 2 engine starts\): 21 passed, 2 failed, 3 errors \(2 engines that did not start\), 11 skipped \(1 skipped by the run, 10 not run: engine unavailable\) \(as junit.xml counts them\)\./);
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

  // Trial 30's int8 dot product failed on the interpreter alone (an interpreter bug) and read like any failure.
  it('names a pair that failed on one engine and passed the same cases on others, unless expectations.json lists the failure', () => {
    const r = run([fx('machine-a.json')]);
    expect(r.logs[0]).toMatch(/ Engines disagree on 1 kernel\/property pair: softmax\/matches-reference fails on firefox[^,;]*, passes on chromium[^;]*, dawn[^;]*, interpreter[^;(]* \(the same drawn cases: one engine computed something else on one of them: either the kernel has a race, hands out slots by an atomic's old value in an order WGSL leaves open .*, depends on the order its atomics land in, .*, or a value WGSL leaves open, .* or that engine has a bug/);
    // Its bits differ across engines too, and a failure is not "allowed within the bounds" (trial 57 B6).
    expect(r.logs[0]).not.toMatch(/differ in bits across engines/);
    // Trial 179 B2: an access check failing on the interpreter alone is one the GPU engines' check cannot make.
    const access = JSON.parse(readFileSync(fx('machine-a.json'), 'utf8'));
    for (const x of access.results) if (x.kernel === 'softmax' && x.property === 'sums-to-one') {
      x.property = 'no-data-race';
      if (x.backend === 'interpreter') Object.assign(x, { status: 'fail', error: 'lost update on bins (workgroup memory) byte 4: ...' });
    }
    const accessDir = mkdtempSync(join(tmpdir(), 'ks-access-'));
    writeFileSync(join(accessDir, 'results.json'), JSON.stringify(access));
    expect(run([join(accessDir, 'results.json')]).logs[0]).toMatch(/; softmax\/no-data-race is an access check that fails on the interpreter alone, which sees every access, where a GPU engine's sanitized kernel records no atomic/);
    const known = run([fx('machine-a.json')], [{ kernel: 'softmax', property: 'matches-reference', engine: 'firefox', expected: 'fail', reason: 'Naga exp' }]);
    expect(known.logs[0]).not.toContain('Engines disagree');
    // Engines that ran other code under the kernel's name say nothing of the engines (a trial's --wgsl twin on the
    // interpreter beside the library's kernel on Dawn read "Engines disagree").
    const a = JSON.parse(readFileSync(fx('machine-a.json'), 'utf8'));
    for (const x of a.results) if (x.kernel === 'softmax') x.sourceHash = x.backend === 'firefox' ? 'm3:twin' : 'm3:library';
    const dir = mkdtempSync(join(tmpdir(), 'ks-codes-'));
    writeFileSync(join(dir, 'results.json'), JSON.stringify(a));
    expect(run([join(dir, 'results.json')]).logs[0]).not.toContain('Engines disagree');
    // Nor an engine that passed only some of the cases (trial 164 B1: the interpreter skipped the large ones, over its
    // budget, and "passes on interpreter" named a race or an engine bug for a wrong kernel Dawn failed on one of them).
    const b = JSON.parse(readFileSync(fx('machine-a.json'), 'utf8'));
    for (const x of b.results) if (x.kernel === 'softmax' && x.property === 'matches-reference' && x.status === 'pass') x.notes = { ...x.notes, skippedCases: 3 };
    const partial = mkdtempSync(join(tmpdir(), 'ks-partial-'));
    writeFileSync(join(partial, 'results.json'), JSON.stringify(b));
    expect(run([join(partial, 'results.json')]).logs[0]).not.toContain('Engines disagree');
  });

  it('exits 1 when nothing was judged (every result skipped), and says so in the summary, the page and JUnit', () => {
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
    expect(r.logs[0]).toMatch(/The run fails: nothing was judged: every result skipped \(\d+ results skipped; one: \S+\/\S+ on dawn[^:]*: every case skipped: over the interpreter budget\)\.$/);
    expect(readFileSync(join(r.out, 'index.html'), 'utf8')).toMatch(/data-verdict="fail">The run fails: nothing was judged/);
    expect(readFileSync(join(r.out, 'junit.xml'), 'utf8')).toMatch(/<testcase classname="kernelscope.run" name="computes something" time="0.000">\n\s*<error message="nothing was judged: every result skipped" type="NothingComputed">/);
    // Expected skips are accepted beside results that computed, never as the whole run: a run that judged nothing says
    // nothing of any kernel, whatever expectations.json lists (trial 75 A2: the one engine asked for did not start,
    // listed as a skip, and the run passed with nothing run).
    const expected = run([join(dir, 'skips.json')], [{ kernel: '*', property: '*', engine: 'dawn', expected: 'skip', reason: 'no budget here' }]);
    expect(expected.code).toBe(1);
    expect(expected.logs[0]).toMatch(/The run fails: nothing was judged: every result skipped \(\d+, each as expectations\.json lists\), so the run says nothing of any kernel\.$/);
    // One computed result among the skips: the run passes, and the line says how many skipped.
    onlySkips.results[0] = a.results[0];
    writeFileSync(join(dir, 'skips.json'), JSON.stringify(onlySkips));
    const one = run([join(dir, 'skips.json')]);
    expect(one.code).toBe(0);
    expect(one.logs[0]).toMatch(/The run passes: everything that ran passed or is listed in expectations.json; \d+ results skipped, not counted as passes \(one: /);
  });

  // A trial of `report` as a CI merge step: each of these merged to exit 0, "The run passes", a JUnit file with no
  // error and a green page.
  describe('a merge that lacks results fails, in the summary, the page and JUnit alike', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-lacking-'));
    const a = JSON.parse(readFileSync(fx('machine-a.json'), 'utf8'));
    const dawn = { ...a, engines: a.engines.filter((e: { backend: string }) => e.backend === 'dawn'), results: a.results.filter((r: { backend: string }) => r.backend === 'dawn'),
      run: { ...a.run, argv: ['test', '--backend', 'dawn'] } };
    const write = (name: string, data: object) => {
      writeFileSync(join(dir, name), JSON.stringify(data));
      return join(dir, name);
    };
    const junitErrors = (out: string) => Number(readFileSync(join(out, 'junit.xml'), 'utf8').match(/<testsuites name="kernelscope" tests="\d+" failures="\d+" errors="(\d+)"/)![1]);

    it('a run that did not finish (complete: false, as a job killed by its timeout leaves it)', () => {
      const whole = run([write('whole.json', dawn)]);
      expect(whole.code, whole.logs[0]).toBe(0);
      const killed = run([write('killed.json', { ...dawn, complete: false, finishedAt: null, results: dawn.results.slice(0, 2) })]);
      expect(killed.code).toBe(1);
      expect(killed.logs[0]).toMatch(/The run fails: \S*killed\.json \(2 results\) did not finish \(complete: false\), so the results it never wrote are missing\.$/);
      expect(readFileSync(join(killed.out, 'index.html'), 'utf8')).toMatch(/data-verdict="fail">The run fails: \S*killed\.json/);
      expect(readFileSync(join(killed.out, 'junit.xml'), 'utf8')).toMatch(/<testcase classname="kernelscope.run" name="\S*killed\.json \(2 results\) finished" time="0.000">\n\s*<error message="the run did not finish/);
      expect(junitErrors(killed.out)).toBe(1);
      // Beside a complete run of another command it still fails; beside its retry, the same command and seed run to
      // the end on the same engines, it does not (trial 225 B4), and the warning says which stands for it.
      const other = write('other.json', { ...dawn, run: { ...dawn.run, argv: ['test', '--backend', 'dawn', '--kernel', 'add'] } });
      expect(run([other, join(dir, 'killed.json')]).code).toBe(1);
      const retried = run([join(dir, 'whole.json'), join(dir, 'killed.json')]);
      expect(retried.code, retried.logs[0]).toBe(0);
      expect(retried.logs[0]).toMatch(/killed\.json: partial run \(complete: false\), 2 results; \S*whole\.json ran the same command, seed and code to the end after it, and stands for it/);
      expect(run([write('reseeded.json', { ...dawn, seed: 2 }), join(dir, 'killed.json')]).code).toBe(1);
      // Trial 226 A1: not a complete run started before it (last night's), nor one of other code.
      const earlier = write('earlier.json', { ...dawn, startedAt: new Date(Date.parse(dawn.startedAt) - 3 * 60_000).toISOString() });
      const recoded = write('recoded.json', { ...dawn, results: dawn.results.map((r: { sourceHash?: string }) => ({ ...r, sourceHash: 'm3:0badc0de' })) });
      for (const complete of [earlier, recoded]) {
        const r = run([complete, join(dir, 'killed.json')]);
        expect(r.code).toBe(1);
        expect(r.logs[0]).toMatch(/The run fails: .*killed\.json \(2 results\) did not finish/);
        expect(r.logs[0]).not.toContain('stands for it');
      }
      // Trial 105 B3: an engine the killed run asked for and never reached is named, not left to the command line.
      const early = run([write('early.json', { ...dawn, complete: false, finishedAt: null, results: dawn.results.slice(0, 2), run: { ...dawn.run, argv: ['test', '--backend', 'firefox,dawn'] } })]);
      expect(early.logs[0]).toMatch(/early\.json \(2 results; never reached: firefox\) did not finish/);
      // Trial 225 B3: `all` is every engine; none given is dawn.
      const all = run([write('all.json', { ...dawn, complete: false, finishedAt: null, results: dawn.results.slice(0, 2), run: { ...dawn.run, argv: ['test', '--backend=all'] } })]);
      expect(all.logs[0]).toMatch(/all\.json \(2 results; never reached: chromium, firefox, deno, interpreter\) did not finish/);
      const plain = run([write('plain.json', { ...dawn, complete: false, finishedAt: null, results: dawn.results.slice(0, 2), run: { ...dawn.run, argv: ['test', '--kernel', 'add'] } })]);
      expect(plain.logs[0]).toMatch(/plain\.json \(2 results\) did not finish/);
    });

    it('a results.json that holds no result (a run killed before its first)', () => {
      const empty = run([write('empty.json', { ...dawn, results: [] })]);
      expect(empty.code).toBe(1);
      expect(empty.logs[0]).toMatch(/The run fails: nothing was computed: the run holds no result\.$/);
      expect(junitErrors(empty.out)).toBe(1);
    });

    it('a shard of a sharded run that no file holds', () => {
      const argv = ['test', '--kernel', 'relu', '--runs', '5'];
      const shard = (i: number, seed = 1) => write(`s${i}-${seed}.json`, { ...dawn, seed, run: { ...a.run, argv: [...argv, '--shard', `${i}/2`, '--out', `/tmp/s${i}`], shard: `${i}/2` } });
      const both = run([shard(1), shard(2)]);
      expect(both.code, both.logs[0]).toBe(0);
      const one = run([shard(1)]);
      expect(one.code).toBe(1);
      expect(one.logs[0]).toMatch(/The run fails: shard 2\/2 of `test --kernel relu --runs 5` \(seed 1\) is missing: its results never ran here\.$/);
      expect(readFileSync(join(one.out, 'junit.xml'), 'utf8')).toMatch(/name="shard 2\/2 of `test --kernel relu --runs 5` \(seed 1\) is present"/);
      // Shards of two seeds are two runs, each lacking a shard.
      const mixed = run([shard(1), shard(2, 7)]);
      expect(mixed.code).toBe(1);
      expect(mixed.logs[0]).toMatch(/shard 2\/2 of `test --kernel relu --runs 5` \(seed 1\) is missing.*shard 1\/2 of `test --kernel relu --runs 5` \(seed 7\) is missing/);
    });
  });

  it('names the expectations file it applied, and each stale and unused entry', () => {
    const r = run([fx('machine-a.json')], [
      { kernel: 'softmax', property: 'matches-reference', engine: 'firefox', expected: 'fail', reason: 'Naga exp' },
      { kernel: 'relux', property: '*', engine: 'dawn', expected: 'fail', reason: 'misspelt' },
      { kernel: '*', property: '*', engine: 'deno', expected: 'skip', reason: 'no Deno here' },
    ]);
    expect(r.logs[0]).toMatch(/Applied \S*expectations\.json \(3 entries\)\./);
    expect(r.logs[0]).toContain('Unused expectation (matched no result of these runs): entry [1] relux/* on dawn.');
    const u = run([fx('machine-a.json')], [{ kernel: 'softmax', property: 'writes-every-output', engine: 'interpreter', expected: 'fail', reason: 'not run there' }]);
    expect(u.logs[0]).toContain('Unexercised expectation (every result covered was skipped, so the known failure was not run): ' +
      'entry [0] softmax/writes-every-output on interpreter, expected fail: its result skipped.');
    expect(readFileSync(join(u.out, 'index.html'), 'utf8')).toMatch(/<ul id="unexercised"><li>entry \[0\] softmax\/writes-every-output on interpreter, expected fail: 1 result skipped/);
    const passing = JSON.parse(readFileSync(fx('machine-a.json'), 'utf8')).results.find((x: { status: string; backend: string }) => x.status === 'pass' && x.backend === 'dawn');
    const s = run([fx('machine-a.json')], [{ kernel: passing.kernel, property: passing.property, engine: 'dawn', expected: 'fail', reason: 'fixed since' }]);
    expect(s.logs[0]).toContain(`Stale expectation (results they cover pass now): entry [0] ${passing.kernel}/${passing.property} on dawn, expected fail: ` +
      `the result it covers passes (${passing.kernel}/${passing.property} on dawn · google swiftshader); remove it.`);
  });

  it('names a stale wildcard entry once, as the file has it, with how many of the results it covers pass (not each result)', () => {
    const r = run([fx('machine-a.json')], [
      { kernel: '*', property: '*', engine: 'firefox', expected: 'fail', reason: 'all of firefox' },
      { kernel: '*', property: '*', engine: 'dawn', adapter: 'SwiftShader', expected: 'skip', reason: 'dawn not installed on machine 2' },
    ]);
    const dawn = JSON.parse(readFileSync(fx('machine-a.json'), 'utf8')).results.filter((x: { backend: string }) => x.backend === 'dawn');
    expect(dawn.length).toBeGreaterThan(3);
    // firefox's softmax/matches-reference still fails: that entry is narrowed, not removed.
    expect(r.logs[0]).toMatch(/Stale expectations \(results they cover pass now\): entry \[0\] \*\/\* on firefox, expected fail: 4 of the 5 results it covers pass \([^)]*\); narrow it to what still does not pass; /);
    expect(r.logs[0]).toContain(`; entry [1] */* on dawn (adapter "SwiftShader"), expected skip: all ${dawn.length} results it covers pass (`);
    expect(r.logs[0]).toContain(`, and ${dawn.length - 3} more); remove it.`);
    expect(r.logs[0]!.match(/on dawn · google swiftshader/g)).toHaveLength(3);
    const html = readFileSync(join(r.out, 'index.html'), 'utf8');
    expect(html).toContain(`entry [1] */* on dawn (adapter &quot;SwiftShader&quot;), expected skip (dawn not installed on machine 2): ${dawn.length} of the ${dawn.length} results it covers pass`);
  });

  it('refuses, naming the field, a hand-edited pass that ran nothing and a skip without its reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-edited-'));
    const a = JSON.parse(readFileSync(fx('machine-a.json'), 'utf8'));
    const i = a.results.findIndex((x: { status: string }) => x.status === 'pass');
    a.results[i] = { ...a.results[i], runs: 0 };
    writeFileSync(join(dir, 'pass0.json'), JSON.stringify(a));
    const p = run([join(dir, 'pass0.json')]);
    expect(p.code).toBe(2);
    expect(p.errors[0]).toMatch(new RegExp(`pass0\\.json: .*results\\[${i}\\]\\.runs: a pass with 0 runs`));
    a.results[i] = { ...a.results[i], runs: 3, status: 'skip', error: undefined };
    writeFileSync(join(dir, 'skip.json'), JSON.stringify(a));
    const k = run([join(dir, 'skip.json')]);
    expect(k.code).toBe(2);
    expect(k.errors[0]).toMatch(new RegExp(`skip\\.json: .*results\\[${i}\\]\\.error: a skip without its reason`));
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

  it('a report that fails leaves none of the last report in --out (a CI step would publish it as this one)', () => {
    const good = run([fx('machine-a.json')]);
    for (const f of ['index.html', 'junit.xml', 'results.json']) expect(existsSync(join(good.out, f)), f).toBe(true);
    const exp = join(good.dir, 'expectations.json');
    const again = (inputs: string[]) => reportCommand(inputs, good.out, { expectations: exp, log: () => {}, error: () => {} });
    expect(again([fx('truncated.json')])).toBe(2);
    for (const f of ['index.html', 'junit.xml', 'results.json']) expect(existsSync(join(good.out, f)), f).toBe(false);
    expect(again([fx('machine-a.json')])).toBe(1);
    writeFileSync(exp, '[{"kernel": "x"}]');
    expect(again([fx('machine-a.json')])).toBe(2);
    for (const f of ['index.html', 'junit.xml', 'results.json']) expect(existsSync(join(good.out, f)), f).toBe(false);
    // An input's own results.json (report DIR --out DIR) is the run's record: a failure elsewhere leaves it.
    const runDir = join(good.dir, 'run');
    mkdirSync(runDir);
    copyFileSync(fx('machine-b.json'), join(runDir, 'results.json'));
    expect(reportCommand([runDir, fx('truncated.json')], runDir, { expectations: join(good.dir, 'none.json'), log: () => {}, error: () => {} })).toBe(2);
    expect(existsSync(join(runDir, 'results.json'))).toBe(true);
  });

  it('counts a run named twice once, and says so (the same folder twice, or a merged file beside one of its runs)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-twice-'));
    mkdirSync(join(dir, 'A'));
    copyFileSync(fx('machine-b.json'), join(dir, 'A/results.json'));
    const r = run([join(dir, 'A'), join(dir, 'A'), join(dir, 'A/results.json')]);
    expect(r.logs[0]).toMatch(/^kernelscope report: 1 run /);
    expect(r.logs[0]).toContain(`Warnings: ${join(dir, 'A/results.json')} is named twice (${join(dir, 'A')}): its runs are counted once; ` +
      `${join(dir, 'A/results.json')} is named twice (${join(dir, 'A')} and ${join(dir, 'A/results.json')}): its runs are counted once`);
    expect(loadResultsSet(join(r.out, 'results.json'))).toHaveLength(1);
    const again = run([join(r.out, 'results.json'), join(dir, 'A')], [], 'again');
    expect(again.logs[0]).toMatch(/^kernelscope report: 1 run /);
    // Said as what it is, not "X is the same run as X" (trial Z).
    expect(again.logs[0]).toContain(`${join(dir, 'A/results.json')} is named twice (as a run of ${join(r.out, 'results.json')} and on its own): counted once`);
    expect(again.logs[0]).not.toContain('is the same run as');
  });

  it('refuses --out the folder of one of several runs merged, touching nothing (trial Z: report A B --out A)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-outin-'));
    for (const d of ['A', 'B']) mkdirSync(join(dir, d));
    copyFileSync(fx('machine-a.json'), join(dir, 'A/results.json'));
    copyFileSync(fx('machine-b.json'), join(dir, 'B/results.json'));
    writeFileSync(join(dir, 'A/index.html'), 'A');
    const errors: string[] = [];
    expect(reportCommand([join(dir, 'A'), join(dir, 'B')], join(dir, 'A'), { expectations: join(dir, 'none.json'), log: () => {}, error: (l) => errors.push(l) })).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^kernelscope report: --out .*A holds .*A\/results.json, one of the runs merged.*; choose another --out$/);
    expect(readFileSync(join(dir, 'A/index.html'), 'utf8')).toBe('A');
    expect(readFileSync(join(dir, 'A/results.json'), 'utf8')).toBe(readFileSync(fx('machine-a.json'), 'utf8'));
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
