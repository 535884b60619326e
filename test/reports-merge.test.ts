import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadResults } from '../harness/reports/load.ts';
import { mergeResults, engineKey } from '../harness/reports/merge.ts';
import { countStatuses } from '../harness/reports/status.ts';
import type { PropertyResult } from '../harness/results/schema.ts';

const fx = (name: string) => join(import.meta.dirname, 'fixtures/results', name);
const file = (name: string) => ({ path: fx(name), data: loadResults(fx(name), { warn: () => {} }) });

describe('mergeResults', () => {
  it('keeps two machines with different adapters as two columns, with provenance', () => {
    const m = mergeResults([file('machine-a.json'), file('machine-b.json')]);
    const keys = m.engines.map((e) => e.key);
    expect(keys).toContain('dawn · google swiftshader');
    expect(keys).toContain('dawn · nvidia ampere');
    const nv = m.cells.find((c) => c.engine === 'dawn · nvidia ampere' && c.kernel === 'matmul' && c.property === 'matches-reference')!;
    expect(nv.status).toBe('fail');
    expect(nv.source).toBe(fx('machine-b.json'));
    expect(nv.seed).toBe(7);
    const sw = m.cells.find((c) => c.engine === 'dawn · google swiftshader' && c.kernel === 'matmul' && c.property === 'matches-reference')!;
    expect(sw.status).toBe('pass');
    expect(sw.source).toBe(fx('machine-a.json'));
    expect(m.runs.map((r) => r.host)).toEqual(['ci-linux', 'gpu-box']);
  });

  it('flags different seeds', () => {
    const m = mergeResults([file('machine-a.json'), file('machine-b.json')]);
    expect(m.warnings.some((w) => w.startsWith('merged runs differ: seeds 1 and 7'))).toBe(true);
    const same = mergeResults([file('machine-a.json'), file('partial.json')]);
    expect(same.warnings.some((w) => w.includes('seeds'))).toBe(false);
    expect(same.warnings.some((w) => w.includes('partial.json') && w.includes('partial run'))).toBe(true);
  });

  it('fills an unavailable engine with unavailable cells for the rows its run covered, never pass', () => {
    const m = mergeResults([file('machine-a.json')]);
    const deno = m.cells.filter((c) => c.engine === 'deno');
    expect(deno).toHaveLength(5);
    expect(deno.every((c) => c.status === 'unavailable' && c.reason!.includes('lavapipe'))).toBe(true);
    expect(countStatuses(m.cells)).toEqual({ pass: 17, fail: 1, error: 1, skip: 1, 'expected-fail': 0, unavailable: 5 });
  });

  // Trial 225 A1: Dawn's compile error and the interpreter's passes of the same code, run as two CI jobs and merged,
  // read "The run passes"; `test` in one run makes those passes the compile error.
  it('makes the interpreter\'s results of code Tint refused (in another run) that error, and naga\'s for uniformity', () => {
    const a = file('machine-a.json').data;
    const run = (backend: 'dawn' | 'interpreter' | 'firefox', results: Partial<PropertyResult>[]) => ({ ...a, engines: [{ ...a.engines[0]!, backend, status: 'ok' as const }],
      results: results.map((r) => ({ kernel: 'k', property: 'p', backend, status: 'pass' as const, runs: 5, durationMs: 1, sourceHash: 'm3:00000001', ...r })) });
    const refused = "k.wgsl:23:7: error: no matching call to 'atomicAdd(ptr<workgroup, atomic<u32>, read_write>, abstract-float)'";
    const dawn = { path: 'dawn/results.json', data: run('dawn', [{ status: 'error', runs: 0, error: refused, compileError: true }]) };
    const interpreter = { path: 'interpreter/results.json', data: run('interpreter', [{}, { property: 'q' }, { kernel: 'other' }, { property: 'r', sourceHash: 'm3:00000002' }]) };
    const m = mergeResults([dawn, interpreter]);
    const on = (kernel: string, property: string) => m.cells.find((c) => c.kernel === kernel && c.property === property && c.engine.startsWith('interpreter'))!;
    for (const p of ['p', 'q']) expect(on('k', p).result).toMatchObject({ status: 'error', error: `does not compile on dawn: ${refused} (the interpreter does not validate WGSL, so it runs nothing a compiler rejects)` });
    expect(on('k', 'p').status).toBe('error');
    // Another kernel, and other code under the same name, keep their verdicts.
    expect(on('other', 'p').status).toBe('pass');
    expect(on('k', 'r').status).toBe('pass');
    expect(m.warnings).toContain('interpreter/results.json: k on interpreter: its results are errors: the same code did not compile on dawn (dawn/results.json)');
    // Naga's results only for Tint's uniformity analysis; an error that is no compile error settles nothing.
    const firefox = { path: 'firefox/results.json', data: run('firefox', [{}]) };
    expect(mergeResults([dawn, firefox]).cells.find((c) => c.engine.startsWith('firefox'))!.status).toBe('pass');
    const uniformity = { path: 'dawn/results.json', data: run('dawn', [{ status: 'error', runs: 0, error: "k.wgsl:18:3: error: 'workgroupBarrier' must only be called from uniform control flow", compileError: true }]) };
    expect(mergeResults([uniformity, firefox]).cells.find((c) => c.engine.startsWith('firefox'))!.status).toBe('error');
    const placed = { path: 'dawn/results.json', data: run('dawn', [{ status: 'error', runs: 0, error: "uniformity/k.wgsl:23:7: error: no matching call to 'atomicAdd'", compileError: true }]) };
    expect(mergeResults([placed, firefox]).cells.find((c) => c.engine.startsWith('firefox'))!.status).toBe('pass');
    const thrown = { path: 'dawn/results.json', data: run('dawn', [{ status: 'error', runs: 0, error: refused }]) };
    expect(mergeResults([thrown, interpreter]).cells.filter((c) => c.engine.startsWith('interpreter')).every((c) => c.status === 'pass')).toBe(true);
  });

  it('tells hidden adapters apart by their limits', () => {
    const base = { backend: 'firefox' as const, status: 'ok' as const, adapter: { vendor: '', architecture: '', device: '', description: '' } };
    const lavapipe = engineKey({ ...base, limits: { maxComputeInvocationsPerWorkgroup: 1024 } });
    const swiftshader = engineKey({ ...base, limits: { maxComputeInvocationsPerWorkgroup: 256 } });
    expect(lavapipe).toMatch(/^firefox · hidden adapter #[0-9a-f]{6}$/);
    expect(lavapipe).not.toBe(swiftshader);
  });

  it('merges shards of one run into one column without a row-set warning', () => {
    const m = mergeResults([file('shard-1.json'), file('shard-2.json')]);
    expect(m.engines.map((e) => e.key)).toEqual(['dawn · google swiftshader']);
    expect(m.cells).toHaveLength(5);
    expect(m.warnings).toEqual([]);
    expect(m.runs.map((r) => r.shard)).toEqual(['1/2', '2/2']);
  });

  it('notes different kernel/property sets between unsharded runs', () => {
    const a = file('machine-a.json');
    const fewer = { path: 'fewer.json', data: { ...a.data, results: a.data.results.filter((r) => r.kernel !== 'matmul') } };
    const m = mergeResults([a, fewer]);
    expect(m.warnings).toContain('merged runs differ: kernel/property sets: fewer.json lacks matmul/deterministic, matmul/matches-reference');
  });

  it('shows the worse of two results for the same cell and keeps both sources', () => {
    const a = file('machine-a.json');
    const rerun = { path: 'rerun.json', data: { ...a.data, results: a.data.results.map((r) =>
      r.backend === 'dawn' && r.property === 'deterministic' ? { ...r, status: 'fail' as const, error: 'bits differ' } : r) } };
    const m = mergeResults([a, rerun]);
    const cell = m.cells.find((c) => c.engine === 'dawn · google swiftshader' && c.property === 'deterministic')!;
    expect(cell.status).toBe('fail');
    expect(cell.source).toBe('rerun.json');
    expect(cell.also?.map((x) => x.source)).toEqual([a.path]);
    expect(m.warnings.some((w) => w.includes('matmul/deterministic') && w.includes('shows fail'))).toBe(true);
  });
});

// Trial 60 B2: Firefox's guessed adapter, with its reason, was the whole engine column and JUnit suite name.
describe("an adapter known only by a guess's description", () => {
  it('is labelled by the guess, its reason left to the adapter table', () => {
    const info = { backend: 'firefox' as const, status: 'ok' as const, adapter: { vendor: '', architecture: '', device: '', description: "probably lavapipe (llvmpipe): the browser hides the adapter's name, and its maxComputeInvocationsPerWorkgroup is 1024" } };
    expect(engineKey(info)).toBe('firefox · probably lavapipe (llvmpipe)');
  });
});
