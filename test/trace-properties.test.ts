// The access-trace properties on the interpreter: the correct kernel passes them (no false alarm), the kernel
// missing a barrier has a data race, the kernel missing its bounds check reads past a buffer.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');

function run(args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'ks-trace-'));
  const r = spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', '--backend', 'interpreter', '--runs', '4', '--out', out, '--fixtures', join(out, 'fx'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
  return { code: r.status, results: Object.fromEntries(res.results.map((x) => [x.property, x])) };
}

describe('access-trace properties', () => {
  it('the library softmax has no race and no out-of-bounds access', () => {
    const r = run(['--kernel', 'softmax', '--property', 'no-data-race', '--property', 'no-out-of-bounds']);
    expect(r.results['no-data-race']).toMatchObject({ status: 'pass' });
    expect(r.results['no-out-of-bounds']).toMatchObject({ status: 'pass' });
    expect(r.results['no-data-race']!.runs).toBeGreaterThan(0);
    expect(r.code).toBe(0);
  });

  // The suite hands properties its hang-watching wrapper of the engine, and the trace properties took their budget
  // from the engine object: a raised --interpreter-budget reached matches-reference but not them.
  it('--interpreter-budget reaches the trace properties', () => {
    const args = ['--kernel', 'reduce_max', '--property', 'no-data-race', '--property', 'matches-reference'];
    const small = run(args);
    expect(small.results['no-data-race']!.notes?.skipReason).toMatch(/over the interpreter's budget: \d+ invocations > 4096/);
    const raised = run([...args, '--interpreter-budget', 'invocations=16384']);
    for (const p of ['no-data-race', 'matches-reference']) {
      expect(raised.results[p]).toMatchObject({ status: 'pass', runs: 4 });
      expect(raised.results[p]!.notes?.skippedCases).toBeUndefined();
    }
  });

  // Each case's own reason, counted: the last skipped case's was given for all (a trial's 3 cases over the time
  // budget, a loop that never ends, were said as 5 over the invocations budget).
  it('cases skipped for different reasons are each counted under their own reason', () => {
    const r = run(['--kernel', 'add', '--property', 'matches-reference', '--seed', '1', '--interpreter-budget', 'seconds=1', '--wgsl', 'add=test/fixtures/hang/add-never-ends.wgsl']);
    expect(r.results['matches-reference']).toMatchObject({ status: 'skip', runs: 0 });
    expect(r.results['matches-reference']!.error).toMatch(/^every case skipped: 2 cases: over the interpreter's budget: the case ran past the interpreter's time budget .*; 2 cases: over the interpreter's budget: \d+ invocations > 4096/);
  });

  // Trial 166 B2: a loop whose bound wrapped read past its array at once and never ended; no-out-of-bounds said only
  // "not judged" for the case over the budget. What was seen before the budget ran out is a finding.
  it('an access out of bounds or a race seen before a case runs past the budget fails the property', () => {
    const r = run(['--kernel', 'add', '--property', 'no-out-of-bounds', '--property', 'no-data-race', '--seed', '1', '--interpreter-budget', 'seconds=1', '--wgsl', 'add=test/fixtures/hang/add-never-ends-oob.wgsl']);
    expect(r.code).toBe(1);
    expect(r.results['no-out-of-bounds']).toMatchObject({ status: 'fail' });
    expect(r.results['no-out-of-bounds']!.error).toMatch(/^invocation \d+ of workgroup \(\d+, 0, 0\) reads a element \d+ \(byte \d+\), past the end of a \(test\/fixtures\/hang\/add-never-ends-oob\.wgsl:20\)/);
    expect(r.results['no-data-race']).toMatchObject({ status: 'fail' });
    expect(r.results['no-data-race']!.error).toMatch(/^data race in test\/fixtures\/hang\/add-never-ends-oob\.wgsl on c byte 0: .*line 20/);
  });

  it('a softmax missing a workgroupBarrier has a data race on workgroup memory', () => {
    const r = run(['--wgsl', 'softmax=test/wrong-kernels/softmax-no-barrier.wgsl', '--property', 'no-data-race']);
    expect(r.code).toBe(1);
    expect(r.results['no-data-race']).toMatchObject({ status: 'fail' });
    expect(r.results['no-data-race']!.error).toMatch(/^data race in test\/wrong-kernels\/softmax-no-barrier\.wgsl on partial \(workgroup memory\) byte \d+: invocation \d+ of workgroup \(\d+, 0, 0\) \w+s at line \d+, invocation \d+ of workgroup \(\d+, 0, 0\) \w+s at line \d+, no barrier between \(add a workgroupBarrier\(\) between them\); \d+ races$/);
  });

  // no-out-of-bounds traces each case first, and no-data-race takes the same cases' traces from the memo
  // (trace-properties.ts traceMemo): its verdict and words are those of a run of it alone.
  it('no-data-race after no-out-of-bounds on the same cases gives the verdict it gives alone', () => {
    const args = ['--wgsl', 'softmax=test/wrong-kernels/softmax-no-barrier.wgsl', '--property', 'no-data-race'];
    const alone = run(args);
    const after = run([...args, '--property', 'no-out-of-bounds']);
    expect(after.results['no-out-of-bounds']).toMatchObject({ status: 'pass' });
    expect(after.results['no-data-race']).toMatchObject({ status: 'fail', runs: alone.results['no-data-race']!.runs, error: alone.results['no-data-race']!.error });
  });

  // Atomics never race in WGSL's sense, so a histogram clearing its private bins with atomicStore and counting into
  // them with atomicAdd, no barrier between, passed every property on the interpreter (whose lock-step schedule runs
  // every clear first) while every GPU engine lost counts: a new user's kernel.
  it('a histogram that counts into its private bins before they are surely cleared has a lost update', () => {
    const r = run(['--wgsl', 'histogram=test/wrong-kernels/lib_histogram_clear_no_barrier.wgsl', '--property', 'no-data-race']);
    expect(r.code).toBe(1);
    expect(r.results['no-data-race']!.error).toMatch(/^stage 2 of 2: lost update in test\/wrong-kernels\/lib_histogram_clear_no_barrier\.wgsl on local_bins \(workgroup memory\) byte \d+: invocation \d+ of workgroup \(0, 0, 0\) stores at line 25, invocation \d+ of workgroup \(0, 0, 0\) calls atomicAdd at line 28, no barrier between: the store may land after the update and erase it \(add a workgroupBarrier\(\) between them\)/);
    // The library's histogram (a barrier after the clear) has none.
    expect(run(['--kernel', 'histogram', '--property', 'no-data-race']).results['no-data-race']).toMatchObject({ status: 'pass' });
  });

  // WGSL's workgroupBarrier() orders workgroup memory only; storage needs a storageBarrier() (§"Synchronization
  // Built-in Functions"). The interpreter split phases at every barrier, so a reduction finishing in dst behind a
  // workgroupBarrier() passed.
  it('a storage write, a workgroupBarrier() and another invocation\'s read of it race; with a storageBarrier() they do not', () => {
    const r = run(['--wgsl', 'reduce_sum=test/wrong-kernels/lib_reduce_sum_storage_after_workgroup_barrier.wgsl', '--property', 'no-data-race']);
    expect(r.code).toBe(1);
    expect(r.results['no-data-race']!.error).toMatch(/^data race in test\/wrong-kernels\/lib_reduce_sum_storage_after_workgroup_barrier\.wgsl on dst \((out|p0|p1)\) byte \d+: invocation 0 of workgroup \(\d+, \d+, 0\) writes at line 35, invocation 1 of workgroup \(\d+, \d+, 0\) reads at line 37, with only a workgroupBarrier\(\) \(line 36\) between them, which orders workgroup memory, not storage \(add a storageBarrier\(\) between them; a storageBarrier\(\) orders the invocations of one workgroup only: where other workgroups touch the element too, write the results to another buffer \(double buffering\) or split the steps into dispatches\); \d+ races$/);
    const twin = run(['--wgsl', 'reduce_sum=test/alt-implementations/reduce_sum_storage_barrier.wgsl', '--property', 'no-data-race']);
    expect(twin.results['no-data-race']).toMatchObject({ status: 'pass' });
    expect(twin.code).toBe(0);
  });

  it('a matmul without its bounds check reads past the end of a buffer', () => {
    const r = run(['--wgsl', 'matmul=test/wrong-kernels/matmul-no-bounds-check.wgsl', '--property', 'no-out-of-bounds']);
    expect(r.code).toBe(1);
    expect(r.results['no-out-of-bounds']!.error).toMatch(/past the end of/);
  });

  it('trace properties also run on a GPU engine, on the sanitized kernel (test/sanitizer.test.ts)', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-trace-'));
    spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', '--kernel', 'relu', '--backend', 'dawn', '--runs', '2', '--property', 'no-data-race', '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    expect(res.results.map((x) => [x.property, x.backend, x.status])).toEqual([['no-data-race', 'dawn', 'pass']]);
  });
});

describe('outOfBoundsVerdict', () => {
  // scan's whole-blocks property (two runs a case) said "past the end (line 81)": no file, no buffer (a trial's).
  it('names the run, the dispatch, the spec\'s buffer and the file, as no-out-of-bounds does', async () => {
    const { outOfBoundsVerdict } = await import('../harness/run/trace-properties.ts');
    const { default: scanSpec } = await import('../kernels/scan.kernel.ts');
    const read = { variable: 'src', buffer: 1, offset: 64, size: 4, kind: 'read' as const, atomic: false, workgroup: [8, 1, 0] as [number, number, number], invocation: 0, line: 81, phase: 0 };
    const clean = { dispatches: [{ outOfBounds: [], races: [] }] };
    const runs = [clean, { dispatches: [{ outOfBounds: [], races: [] }, { outOfBounds: [read], races: [], outOfBoundsCount: 128 }] }];
    const v = outOfBoundsVerdict(scanSpec, runs, (d) => (d === 1 ? 'mine.wgsl' : undefined), (r) => ['add', 'affine'][r]!);
    expect(v.pass).toBe(false);
    const buffer = Object.keys(scanSpec.buffers)[1];
    expect(v.message).toBe(`affine, stage 2 of 2: invocation 0 of workgroup (8, 1, 0) reads src element 16 (byte 64), past the end of ${buffer} (mine.wgsl:81); 128 such accesses`);
    expect(outOfBoundsVerdict(scanSpec, [clean])).toEqual({ pass: true });
    // A workgroup array by its name, not "past the end of workgroup memory" (a trial's argmax tree).
    const wg = { ...read, variable: 'best_v', buffer: undefined, offset: 512 };
    expect(outOfBoundsVerdict(scanSpec, [{ dispatches: [{ outOfBounds: [wg], races: [], outOfBoundsCount: 256 }] }]).message)
      .toBe('invocation 0 of workgroup (8, 1, 0) reads best_v element 128 (byte 512), past the end of the workgroup array best_v (line 81); 256 such accesses');
    // An array<vec4<f32>> of a buffer the spec gives as f32: its element in its own bytes, not read as the spec's src[1].
    const vec4 = { ...read, offset: 16, size: 16, stride: 16 };
    expect(outOfBoundsVerdict(scanSpec, [{ dispatches: [{ outOfBounds: [vec4], races: [] }] }]).message).toMatch(/^invocation 0 of workgroup \(8, 1, 0\) reads src element 1 \(16 bytes each; byte 16\), past the end of /);
  });
});
