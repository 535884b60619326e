// One hang costs one watchdog (issue 11): a relu whose loop never ends, beside a correct add, every property of both,
// on each GPU engine. The hung kernel's first property is an error from the watchdog, its others are reported at once
// as hung without running, and add, run after it on the same engine, passes: what hosted the hung device was ended.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computesOnCpu } from '../harness/engines/host-cpu.ts';
import { cutsLoops, EVERY_CASE_CUT } from '../harness/engines/loop-limit.ts';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');
const HANGS = join(ROOT, 'test/fixtures/hang/relu-never-ends.wgsl');

// On lavapipe (Firefox and Deno here) this loop does not hang: Mesa's llvmpipe ends it after 65,535 iterations with
// no error, and the outputs came back wrong, or a large batch passed the watchdog (runs of 79 to 290 s, an error or a
// failure by the batch). The loop-limit canary (harness/engines/loop-limit.ts) tells each such case: every case of the
// first property is cut short, an error, and the rest are settled at once as not run, as after a hang (18 s a
// property of 3 cases, quiet). The cut cases are slow still (65,535 iterations an invocation), so these engines draw 3.
const HANG_ENGINES = ['dawn', 'chromium', 'firefox', 'deno'];

describe.each(HANG_ENGINES)('%s', (backend) => {
  it('a relu that never ends: its properties are errors after one watchdog, and add passes after it', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-hang-'));
    const t0 = Date.now();
    const limited = backend === 'firefox' || backend === 'deno' ? ['--runs', '3'] : ['--runs', '10'];
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'test', '--backend', backend, '--kernel', 'relu',
      '--kernel', 'add', '--wgsl', `relu=${HANGS}`, ...limited, '--out', out, '--fixtures', join(out, 'counterexamples')], { cwd: ROOT, encoding: 'utf8', timeout: 290_000 });
    const seconds = (Date.now() - t0) / 1000;
    const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    if (file.engines[0]?.status !== 'ok') return void console.log(`${backend}: skipped, engine unavailable: ${file.engines[0]?.reason}`);
    console.log(`${backend}: relu (never ends) + add, ${limited.join(' ')}: ${seconds.toFixed(1)} s`);
    expect(r.status).toBe(1);
    const relu = file.results.filter((x) => x.kernel === 'relu');
    const add = file.results.filter((x) => x.kernel === 'add');
    expect(relu.length).toBeGreaterThan(1);
    // On llvmpipe the loop is cut after 65,535 iterations an invocation, which a case of 1e5 invocations reaches in
    // some 12 s of CPU on one machine and 29 s on another (2026-12-07, an AMD EPYC): past the watchdog's floor of 15 s,
    // the watchdog ends it first, as on a GPU that does not cut loops. Either is the one error README describes.
    if (cutsLoops(file.engines[0]!) && relu[0]!.error?.startsWith(EVERY_CASE_CUT)) {
      expect(relu[0]).toMatchObject({ status: 'error' });
      expect(relu[0]!.error!.startsWith(`${EVERY_CASE_CUT}; the smallest case cut short: {"n":`)).toBe(true);
      for (const x of relu.slice(1)) {
        expect(x).toMatchObject({ status: 'skip', durationMs: 0 });
        expect(x.error).toMatch(new RegExp(`^not run: the loops of every case of relu in ${relu[0]!.property} reached llvmpipe's limit .* on ${backend} \\(a loop that never ends\\?\\); its other properties are not run there again$`));
      }
    } else {
      expect(relu[0]).toMatchObject({ status: 'error' });
      expect(relu[0]!.error).toMatch(/relu-never-ends\.wgsl: the GPU did not finish within \d+ ms/);
      // SwiftShader runs the kernel in the host's processes (Chromium's GPU process is the browser's child): the
      // deadline counted their CPU time, and the hang was still caught.
      if (computesOnCpu(file.engines[0]!)) expect(relu[0]!.error).toMatch(/counted in its host's CPU time \(it used \d+ ms of CPU in \d+ s on the clock\)/);
      // Which cases were in flight, so that the hang can be reproduced with those shapes: not the 10 drawn, the one the
      // watchdog ran alone first to time the kernel (every case of this kernel hangs).
      expect(relu[0]!.error).toMatch(new RegExp(`; in flight: 1 of the ${limited[1]} drawn cases, run alone as the watchdog's first submit of a kernel it had not timed: \\{"n":\\d+,"seed":\\d+,"dist":"\\w+"\\}$`));
      for (const x of relu.slice(1)) expect(x).toMatchObject({ status: 'error', error: `hung in ${relu[0]!.property}`, durationMs: 0 });
    }
    expect(add.length).toBeGreaterThan(0);
    for (const x of add) expect(x, `${x.property}: ${x.error}`).toMatchObject({ status: 'pass' });
  }, 300_000);
});

// The interpreter cannot tell a loop that never ends from a slow one (its budget is CPU time and steps), so it skips
// rather than errs; but the hang costs it one property's first two cases, not the budget of every case of every
// property (a trial's never-ending relu took 812 s for its 8 properties at --runs 20; 12.8 s since).
describe('interpreter', () => {
  it('a relu that never ends: two cases run past the budget, the rest of its properties skip at once, and add passes', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-hang-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'test', '--backend', 'interpreter', '--kernel', 'relu,add',
      '--wgsl', `relu=${HANGS}`, '--runs', '10', '--interpreter-budget', 'seconds=0.5', '--out', out, '--fixtures', join(out, 'counterexamples')],
    { cwd: ROOT, encoding: 'utf8', timeout: 290_000 });
    const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    const [first, ...rest] = file.results.filter((x) => x.kernel === 'relu');
    expect(first, r.stderr).toMatchObject({ status: 'skip' });
    // Two cases ran past the budget; the others no smaller were not started.
    expect(first!.error).toMatch(/^every case skipped: .*2 cases: over the interpreter's budget: the case ran past the interpreter's time budget/);
    expect(first!.error).toMatch(/cases: over the interpreter's budget: not started: 2 cases of this property with \d+ or more invocations ran past the budget and none finished; slow, or a loop that never ends/);
    expect(rest.length).toBeGreaterThan(3);
    for (const x of rest) {
      expect(x).toMatchObject({ status: 'skip', runs: 0, durationMs: 0 });
      expect(x.error).toBe(`not run: no case of relu that the interpreter started in ${first!.property} finished within its budget (slow, or a loop that never ends: a GPU engine's watchdog tells which; --interpreter-budget seconds=N or steps=N gives it more); its other properties are not run there again`);
      // Named by the code it is of, as a result that ran is: without it a merge with a run of the library's relu,
      // which passes, showed those cells as passes of this code (trial 66 A3).
      expect(x).toMatchObject({ sourceHash: first!.sourceHash, wgsl: first!.wgsl });
    }
    expect(first!.sourceHash).toMatch(/\w/);
    const add = file.results.filter((x) => x.kernel === 'add');
    expect(add.length).toBeGreaterThan(0);
    for (const x of add) expect(x, `${x.property}: ${x.error}`).toMatchObject({ status: 'pass' });
    // Shown on the terminal, not only in results.json.
    expect(r.stderr).toMatch(/skip interpreter relu +writes-every-output/);
  }, 300_000);

  it("one property whose cases all run past the budget, after another's finished, leaves the kernel's other properties to run", () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-hang-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'test', '--backend', 'interpreter', '--kernel', 'reduce_sum',
      '--wgsl', `reduce_sum=${join(ROOT, 'test/fixtures/hang/reduce-sum-spread-never-ends.wgsl')}`, '--property', 'matches-reference',
      '--property', 'matches-reference-spread-y', '--property', 'writes-every-output', '--property', 'deterministic', '--runs', '3',
      // Seconds enough to finish the y = 0 row's workgroups and reach the loop that never ends (at 0.5 s an AMD EPYC
      // ran out in workgroup (3, 0, 0), 2026-12-07).
      '--interpreter-budget', 'seconds=2', '--out', out, '--fixtures', join(out, 'counterexamples')], { cwd: ROOT, encoding: 'utf8', timeout: 290_000 });
    const by = Object.fromEntries((JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile).results.map((x) => [x.property, x]));
    expect(by['matches-reference'], r.stderr).toMatchObject({ status: 'pass' });
    expect(by['matches-reference-spread-y']).toMatchObject({ status: 'skip', runs: 0 });
    expect(by['matches-reference-spread-y']!.error).toMatch(/^every case skipped: 2 cases: over the interpreter's budget: the case ran past the interpreter's time budget in workgroup \(\d+, [1-9]\d*, 0\)/);
    for (const p of ['writes-every-output', 'deterministic']) expect(by[p], `${p}: ${by[p]?.error}`).toMatchObject({ status: 'pass' });
    expect(r.status).toBe(0);
  }, 300_000);
});
