// `kernelscope mutate K1 K2 ...` and `--all`: several kernels on one engine session, each kernel's report in its own
// folder, a summary table on the terminal and OUT/summary.json, the exit status the worst kernel's. Real CLI, real Dawn.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { mutateKernels, type MutationSummary } from '../harness/cli/mutate.ts';
import { mutationScore, type MutantStatus } from '../harness/mutate/run.ts';
import { withStderr } from './capture-stderr.ts';

const ROOT = resolve(import.meta.dirname, '..');
const tmp = () => mkdtempSync(join(tmpdir(), 'ks-mutate-several-'));
const statuses = (dir: string): MutantStatus[] => {
  const report = JSON.parse(readFileSync(join(dir, 'mutation.json'), 'utf8')) as { files: Record<string, { mutants: { status: MutantStatus }[] }> };
  return Object.values(report.files).flatMap((f) => f.mutants.map((m) => m.status));
};
const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as MutationSummary;
// A reduced run: two operators, one case per property, one property that catches a wrong value and one that does not.
const reduced = ['--operator', 'ArithmeticOperator,ZeroOutput', '--runs', '1', '--property', 'matches-reference,writes-every-output', '--timeout', '30000'];

describe('kernelscope mutate of several kernels', () => {
  it('add and relu: one engine session, a report each, a table and summary.json that agree with the reports', async () => {
    const out = tmp();
    const { value, stderr } = await withStderr(() => main(['mutate', 'add', 'relu', ...reduced, '--out', out]));
    expect(value).toBe(0);
    // One session: the engine is opened (and its adapter named) once for both kernels.
    expect(stderr.match(/^dawn: /gm)).toHaveLength(1);
    const summary = summaryOf(out);
    expect(summary.exitCode).toBe(0);
    expect(summary.config).toMatchObject({ backend: 'dawn', runs: 1, operators: ['ArithmeticOperator', 'ZeroOutput'] });
    expect(summary.kernels.map((k) => k.kernel)).toEqual(['add', 'relu']);
    for (const k of summary.kernels) {
      expect(k.report).toBe(`${k.kernel}/mutation.json`);
      const s = statuses(join(out, k.kernel));
      expect(s).not.toContain('Pending');
      const { detected, valid } = mutationScore(s.map((status) => ({ status })));
      expect(k.engines.dawn).toMatchObject({ mutants: s.length, detected, valid, survived: s.filter((x) => x === 'Survived').length, pending: 0 });
      expect(k.combined).toEqual(k.engines.dawn);
      expect(existsSync(join(out, k.kernel, 'index.html'))).toBe(true);
      // The table's row for this kernel: its valid, detected and score.
      const score = k.engines.dawn!.score === null ? 'n/a' : `${k.engines.dawn!.score.toFixed(1)}%`;
      expect(stderr).toMatch(new RegExp(`^${k.kernel} +dawn +${valid} +${detected} +${score.replace('.', '\\.')} `, 'm'));
    }
    expect(summary.kernels.reduce((t, k) => t + k.engines.dawn!.seconds, 0)).toBeGreaterThan(0);
    // relu's ZeroOutput (max(x, 0) -> 0) is killed by matches-reference, so relu has a detected mutant; add's a - b too.
    expect(summary.kernels.every((k) => k.engines.dawn!.detected > 0)).toBe(true);
    expect(stderr).toMatch(/^kernel +engine +valid +detected +score +survived +timeout +ignored +seconds$/m);
  }, 300_000);

  it('an unknown kernel among them is a usage error before anything runs: nothing is written', async () => {
    const out = tmp();
    const { value, stderr } = await withStderr(() => main(['mutate', 'add', 'nope', 'relu', '--out', join(out, 'r')]));
    expect(value).toBe(2);
    expect(stderr).toMatch(/unknown kernel 'nope' \(kernels: .*softmax/);
    expect(stderr).not.toMatch(/^dawn: /m);
    expect(existsSync(join(out, 'r'))).toBe(false);
    const both = await withStderr(() => main(['mutate', 'add', '--all']));
    expect(both.value).toBe(2);
    expect(both.stderr).toMatch(/KERNEL names or --all, not both/);
  });

  it('interrupted in the first kernel: its verdicts kept, the second not reached and its folder untouched, exit 130', async () => {
    const out = tmp();
    let n = 0;
    const code = await mutateKernels({ kernels: ['relu', 'add'], backend: 'dawn', operators: [], properties: ['writes-every-output'], runs: 1, seed: 1, out, timeoutMs: 30_000, onResult: () => n++, stopped: () => n >= 2 });
    expect(code).toBe(130);
    const relu = statuses(join(out, 'relu'));
    expect(relu.filter((s) => s !== 'Pending')).toHaveLength(2);
    expect(relu).toContain('Pending');
    expect(existsSync(join(out, 'add'))).toBe(false);
    const summary = summaryOf(out);
    expect(summary.exitCode).toBe(130);
    expect(summary.kernels.map((k) => [k.kernel, k.report, k.exitCode])).toEqual([['relu', 'relu/mutation.json', 130], ['add', null, 130]]);
  }, 300_000);

  it('--changed works per kernel: each keeps the verdicts of its own earlier report', async () => {
    const out = tmp();
    const args = ['mutate', 'add', 'relu', ...reduced, '--out', out];
    expect((await withStderr(() => main(args))).value).toBe(0);
    const first = summaryOf(out);
    const { value, stderr } = await withStderr(() => main([...args, '--changed']));
    expect(value).toBe(0);
    const second = summaryOf(out);
    for (const [i, k] of second.kernels.entries()) {
      const before = first.kernels[i]!.engines.dawn!;
      // Every verdict but Ignored ones (decided again) comes from the kernel's own earlier report.
      expect(k.engines.dawn!.kept).toBe(before.mutants - before.ignored);
      expect(stderr).toContain(`--changed: ${before.mutants - before.ignored} verdicts on dawn kept from ${join(out, k.kernel, 'mutation.json')}`);
      expect({ ...k.engines.dawn, kept: 0, seconds: 0 }).toEqual({ ...before, seconds: 0 });
    }
  }, 300_000);

  it('--all mutates every kernel of the user\'s library (KERNELSCOPE_LIBRARY) through the real CLI', () => {
    const out = tmp();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'mutate', '--all', '--runs', '1', '--operator', 'ArithmeticOperator', '--out', out],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: join(ROOT, 'test/fixtures/library') }, timeout: 170_000 });
    expect(r.status).toBe(0);
    const summary = summaryOf(out);
    expect(summary.kernels.map((k) => k.kernel)).toEqual(['scale']);
    expect(statuses(join(out, 'scale')).length).toBe(summary.kernels[0]!.engines.dawn!.mutants);
    expect(r.stderr).toMatch(/^scale +dawn +\d+ +\d+ /m);
  }, 200_000);
});
