import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadResults } from '../harness/reports/load.ts';
import { mergeResults } from '../harness/reports/merge.ts';
import { classify, compareAcrossEngines, compareCases, compareHref } from '../harness/reports/crossengine.ts';
import type { PropertyResult } from '../harness/results/schema.ts';

const fx = (name: string) => join(import.meta.dirname, 'fixtures/results', name);
const file = (name: string) => ({ path: fx(name), data: loadResults(fx(name), { warn: () => {} }) });

const result = (backend: PropertyResult['backend'], caseHashes: string[], caseMaxUlp?: number[]): PropertyResult =>
  ({ kernel: 'k', property: 'p', backend, status: 'pass', runs: caseHashes.length, durationMs: 1, caseHashes, ...(caseMaxUlp ? { caseMaxUlp } : {}) });

describe('cross-engine comparison', () => {
  it('classifies who disagrees with whom', () => {
    expect(classify([['dawn', 'chromium'], ['firefox', 'deno']])).toBe('tint-vs-naga');
    expect(classify([['dawn', 'chromium', 'interpreter'], ['firefox']])).toBe('tint-vs-naga');
    // Three outputs (Tint's, Naga's, the interpreter's): not a split exactly along the compilers' line.
    expect(classify([['dawn', 'chromium'], ['firefox', 'deno'], ['interpreter']])).toBe('tint-vs-naga-vs-interpreter');
    expect(classify([['dawn'], ['firefox', 'interpreter']])).toBe('tint-vs-naga');
    expect(classify([['dawn'], ['dawn', 'firefox']])).toBe('within-compiler');
    expect(classify([['firefox'], ['deno', 'dawn']])).toBe('within-compiler');
    expect(classify([['dawn', 'firefox'], ['interpreter']])).toBe('interpreter-only');
  });

  it('compares only hashes of one algorithm: an older results.json\'s (FNV-1a) are left out, saying why', () => {
    const cell = (engine: string, backend: PropertyResult['backend'], source: string, hashes: string[]) =>
      ({ kernel: 'k', property: 'p', engine, seed: 1, source, status: 'pass', result: result(backend, hashes) });
    const [c] = compareAcrossEngines([
      cell('dawn', 'dawn', 'new.json', ['m3:00000001', 'm3:00000002']),
      cell('chromium', 'chromium', 'new.json', ['m3:00000001', 'm3:00000002']),
      // The same outputs, hashed by FNV-1a: different strings, and no divergence.
      cell('firefox', 'firefox', 'old.json', ['0a0b0c0d', '01020304']),
    ]);
    expect(c!.compared).toBe(2);
    expect(c!.divergent).toEqual([]);
    expect(c!.notCompared).toEqual([{ engine: 'firefox', reason: "its case hashes are an older kernelscope's (FNV-1a, in old.json): run it again to compare" }]);
    // Two older files are still compared with each other.
    const [old] = compareAcrossEngines([cell('dawn', 'dawn', 'a.json', ['0a0b0c0d']), cell('firefox', 'firefox', 'b.json', ['0a0b0c0e'])]);
    expect(old!.divergent.map((d) => d.index)).toEqual([0]);
    // Hashes of the outputs of fc.check's draws ('m3c:', caseHash) are the newest: those of fc.sample's ('m3o:',
    // another case from the tenth on), of every buffer ('m3:', inputs and scratch too) and FNV-1a's are left out.
    const [three] = compareAcrossEngines([
      cell('dawn', 'dawn', 'new.json', ['m3c:00000001']),
      cell('deno', 'deno', 'new.json', ['m3c:00000001']),
      cell('webkit', 'chromium', 'sampled.json', ['m3o:00000001']),
      cell('chromium', 'chromium', 'mid.json', ['m3:00000009']),
      cell('firefox', 'firefox', 'old.json', ['0a0b0c0d']),
    ]);
    expect([three!.engines, three!.divergent]).toEqual([['dawn', 'deno'], []]);
    expect(three!.notCompared.map((n) => n.reason)).toEqual([
      "its case hashes are an older kernelscope's (MurmurHash3 of the outputs, of cases drawn as before 2026-12-01's round sixteen: another case from the tenth on, in sampled.json): run it again to compare",
      "its case hashes are an older kernelscope's (MurmurHash3 of every buffer, inputs and scratch too, in mid.json): run it again to compare",
      "its case hashes are an older kernelscope's (FNV-1a, in old.json): run it again to compare",
    ]);
  });

  it('compares only engines that ran the same code: a run of other WGSL under the kernel\'s name is left out, and the merge says so', () => {
    const cell = (engine: string, backend: PropertyResult['backend'], source: string, sourceHash: string | undefined, hashes: string[]) =>
      ({ kernel: 'k', property: 'p', engine, seed: 1, source, status: 'pass', result: { ...result(backend, hashes), ...(sourceHash ? { sourceHash } : {}) } });
    const [c] = compareAcrossEngines([
      cell('dawn', 'dawn', 'lib.json', 'm3:aaaaaaaa', ['m3:00000001', 'm3:00000002']),
      cell('chromium', 'chromium', 'lib.json', 'm3:aaaaaaaa', ['m3:00000001', 'm3:00000002']),
      // The user's own WGSL under the same name: other bits, which are not an engine's divergence.
      cell('firefox', 'firefox', 'mine.json', 'm3:bbbbbbbb', ['m3:00000003', 'm3:00000004']),
      // A file from before sourceHash is compared as before.
      cell('deno', 'deno', 'older.json', undefined, ['m3:00000001', 'm3:00000002']),
    ]);
    expect(c!.engines).toHaveLength(3);
    expect(c!.divergent).toEqual([]);
    expect(c!.notCompared).toEqual([{ engine: 'firefox', reason: 'it ran other code for this kernel (its WGSL, spec or the library modules they import differ, in mine.json)' }]);

    const run = (backend: PropertyResult['backend'], sourceHash: string, argv: string[]) => ({
      schema: 'kernelscope/results@1' as const, seed: 1, runs: 2, startedAt: 'x', finishedAt: 'y', complete: true,
      engines: [{ backend, status: 'ok' as const }], results: [{ ...result(backend, ['m3:00000001']), sourceHash }],
      run: { argv, host: 'h', platform: 'linux-x64', node: 'v20' },
    });
    const m = mergeResults([
      { path: 'lib.json', data: run('dawn', 'm3:aaaaaaaa', ['test', '--kernel', 'k']) },
      { path: 'mine.json', data: run('firefox', 'm3:bbbbbbbb', ['test', '--wgsl', 'other=o.wgsl', '--wgsl', 'k=my_k.wgsl']) },
    ]);
    expect(m.warnings).toContain("merged runs differ: kernel 'k' ran different code (its WGSL, spec or the library modules they import): lib.json against mine.json (--wgsl k=my_k.wgsl); a cell of its row that both ran shows the worst of their results (a skip or an engine not run outranks a pass), is marked as mixed code, and bits are compared across engines only within one code");
    expect(m.crossEngine).toEqual([]);
    expect(m.warnings.join('\n')).not.toContain('kernelscope builds');

    // Trial 93 B1: two builds of kernelscope, not the user's code, may be what differs.
    const built = (path: string, hash: string, kernelscope: string) => {
      const data = run('dawn', hash, ['test']);
      return { path, data: { ...data, run: { ...data.run, kernelscope } } };
    };
    const b = mergeResults([built('old.json', 'm3:aaaaaaaa', '0.1.0 git 526eb6e00000'), built('new.json', 'm3:cccccccc', '0.1.0 git 5b1b269c1a2e')]);
    expect(b.warnings).toContain('merged runs differ: they were made by different kernelscope builds, 0.1.0 git 526eb6e00000 (old.json) against ' +
      '0.1.0 git 5b1b269c1a2e (new.json); bounds and the code hash may differ between builds: run every part with one build for a report that compares like with like');
    expect(b.warnings.find((w) => w.includes("kernel 'k' ran different code"))).toContain('or only the kernelscope build that hashed them');
  });

  it('finds the cases whose bits differ and flags a Tint/Naga split', () => {
    const c = compareCases('k', 'p', 1, [
      { engine: 'dawn · sw', backend: 'dawn', source: 'a', result: result('dawn', ['a', 'b', 'c', 'd'], [0, 1, 0, 2]) },
      { engine: 'chromium · sw', backend: 'chromium', source: 'a', result: result('chromium', ['a', 'b', 'c', 'd']) },
      { engine: 'firefox · x', backend: 'firefox', source: 'a', result: result('firefox', ['a', 'B', 'c', 'D'], [0, 4, 0, 3]) },
    ]);
    expect(c.compared).toBe(4);
    expect(c.identical).toBe(2);
    expect(c.divergent.map((d) => [d.index, d.kind])).toEqual([[1, 'tint-vs-naga'], [3, 'tint-vs-naga']]);
    expect(c.divergent[0]!.groups).toEqual([
      { hash: 'b', engines: ['dawn · sw', 'chromium · sw'], backends: ['dawn', 'chromium'], maxUlp: [1, null] },
      { hash: 'B', engines: ['firefox · x'], backends: ['firefox'], maxUlp: [4] },
    ]);
    // The visualizer's side-by-side link: a backend of each of the two groups, the case and the recorded hashes.
    const q = new URL(compareHref(c, c.divergent[1]!)).searchParams;
    expect(Object.fromEntries(q)).toEqual({ compare: '1', kernel: 'k', property: 'p', engines: 'dawn,firefox', seed: '1', cases: '4', case: '3', hashes: 'd,D' });
    expect(c.summary).toBe('k/p (seed 1, 3 engines): 2 of 4 cases differ in bits; 2 split Tint (dawn, chromium) vs Naga (firefox) (the compilers, or the devices under them where each compiler\'s engines share one, as SwiftShader and llvmpipe do here: a subnormal one flushes and the other keeps is the devices\')');
  });

  it('compares each case among the engines that drew it: a short run does not hide the longer runs\' cases past its end', () => {
    const c = compareCases('k', 'p', 1, [
      { engine: 'dawn', backend: 'dawn', source: 'a', result: result('dawn', ['a', 'b', 'c']) },
      { engine: 'interpreter', backend: 'interpreter', source: 'a', result: result('interpreter', ['a', 'b']) },
    ]);
    // Case 2 only Dawn drew: nothing to compare it with.
    expect(c.compared).toBe(2);
    expect(c.summary).toBe('k/p (seed 1, 2 engines): all 2 cases bit-identical');
    // The interpreter at 2 cases beside three GPU engines at 4: their Tint/Naga split at case 3 was hidden (a new
    // user's merged report compared 5 of 30 cases and said nothing of the rest).
    const four = compareCases('k', 'p', 1, [
      { engine: 'dawn', backend: 'dawn', source: 'a', result: result('dawn', ['a', 'b', 'c', 'd']) },
      { engine: 'chromium', backend: 'chromium', source: 'b', result: result('chromium', ['a', 'b', 'c', 'd']) },
      { engine: 'firefox', backend: 'firefox', source: 'c', result: result('firefox', ['a', 'b', 'c', 'x']) },
      { engine: 'interpreter', backend: 'interpreter', source: 'd', result: result('interpreter', ['a', 'b']) },
    ]);
    expect(four.compared).toBe(4);
    expect(four.divergent.map((d) => [d.index, d.kind])).toEqual([[3, 'tint-vs-naga']]);
    // How many of them each engine ran, where fewer than all (trial 60 B3: "5 / 5" beside an interpreter that ran 4).
    expect(four.partial).toEqual({ interpreter: 2 });
    expect(c.partial).toBeUndefined();
  });

  it('leaves a case an engine skipped (hash \'\') out of the comparison, never calling it divergent', () => {
    const c = compareCases('k', 'p', 1, [
      { engine: 'dawn', backend: 'dawn', source: 'a', result: result('dawn', ['a', 'b', 'c', 'd']) },
      { engine: 'chromium', backend: 'chromium', source: 'a', result: result('chromium', ['a', 'b', 'c', 'D']) },
      { engine: 'interpreter', backend: 'interpreter', source: 'a', result: result('interpreter', ['a', '', '', '']) },
    ]);
    expect(c.compared).toBe(4);
    expect(c.divergent.map((d) => d.index)).toEqual([3]);
    expect(c.divergent[0]!.groups.flatMap((g) => g.engines)).toEqual(['dawn', 'chromium']);
    const alone = compareCases('k', 'p', 1, [
      { engine: 'dawn', backend: 'dawn', source: 'a', result: result('dawn', ['a', 'b']) },
      { engine: 'interpreter', backend: 'interpreter', source: 'a', result: result('interpreter', ['a', '']) },
    ]);
    expect(alone.compared).toBe(1);
    expect(alone.summary).toBe('k/p (seed 1, 2 engines): all 1 cases bit-identical');
  });

  it('labels a three-way split (Tint, Naga and the interpreter each different) for what it is, in the summary too', () => {
    const c = compareCases('k', 'p', 1, [
      { engine: 'dawn · sw', backend: 'dawn', source: 'a', result: result('dawn', ['a', 'b']) },
      { engine: 'firefox · x', backend: 'firefox', source: 'a', result: result('firefox', ['a', 'B']) },
      { engine: 'interpreter', backend: 'interpreter', source: 'a', result: result('interpreter', ['a', 'i']) },
    ]);
    expect(c.divergent.map((d) => [d.index, d.kind])).toEqual([[1, 'tint-vs-naga-vs-interpreter']]);
    expect(c.summary).toBe('k/p (seed 1, 3 engines): 1 of 2 cases differ in bits; 1 split three ways: Tint (dawn), Naga (firefox) and the interpreter each differ');
  });

  it('compares merged runs only within one seed', () => {
    const m = mergeResults([file('machine-a.json'), file('machine-b.json')]);
    const softmax = m.crossEngine.filter((c) => c.kernel === 'softmax' && c.property === 'matches-reference');
    // seed 7 has one engine with hashes (dawn on nvidia): nothing to compare it with.
    expect(softmax.map((c) => c.seed)).toEqual([1]);
    const s = softmax[0]!;
    expect(s.engines).toHaveLength(4);
    expect(s.divergent.map((d) => d.index)).toEqual([2, 5]);
    expect(s.counts['tint-vs-naga']).toBe(2);
    expect(s.notCompared.map((n) => n.engine)).toEqual(['deno']);
    const matmul = m.crossEngine.find((c) => c.kernel === 'matmul')!;
    expect(matmul.divergent).toEqual([]);
    expect(matmul.identical).toBe(8);
  });
});
