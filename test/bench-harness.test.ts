// `bench --harness --json` as a script reads it: real Dawn, one small kernel, the documented shape. Figures only:
// nothing here asserts a speed (a shared machine's timings are no test).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HarnessBench, HarnessFigures } from '../harness/cli/bench.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('kernelscope bench --harness', () => {
  it('prints { engines: { dawn: { kernels: { relu: { harnessCasesPerSecond, bareCasesPerSecond, ratio } } } } }', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'bench', '--harness', 'relu', '--runs', '2', '--rounds', '1', '--json', '--by-property'], {
      cwd: ROOT, encoding: 'utf8', timeout: 170_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as HarnessBench;
    expect(Object.keys(out.engines)).toEqual(['dawn']);
    const f = out.engines.dawn!.kernels.relu as HarnessFigures;
    // Six properties, two drawn cases each, every one passing: the harness really ran them.
    expect(f.cases).toBe(12);
    expect(f.notPassed).toBeUndefined();
    expect(f.harnessCasesPerSecond).toBeGreaterThan(0);
    expect(f.bareCasesPerSecond).toBeGreaterThan(0);
    expect(f.ratio).toBeCloseTo(f.bareCasesPerSecond / f.harnessCasesPerSecond, 9);
    // Linux: the CPU time of this process and of Dawn's host below it, per side.
    expect(f.harnessCpuMs).toBeGreaterThan(0);
    expect(f.bareCpuMs).toBeGreaterThan(0);
    expect(f.cpuRatio).toBeCloseTo(f.harnessCpuMs! / f.bareCpuMs!, 9);
    // The harness's time awaiting the engine: part of its time, and there were round trips to await.
    expect(f.harnessEngineMs).toBeGreaterThan(0);
    expect(f.harnessEngineMs).toBeLessThan(f.harnessMs);
    // One round: its ratio is the kernel's.
    expect(f.roundRatios).toHaveLength(1);
    expect(f.roundRatios[0]).toBeCloseTo(f.ratio, 9);
    // Per property: the kernel's figures are their sums.
    const props = Object.entries(f.properties);
    expect(props.map(([p]) => p)).toEqual(['matches-reference', 'writes-every-output', 'inputs-unchanged', 'deterministic', 'idempotent', 'never-negative']);
    expect(props.reduce((s, [, q]) => s + q.cases, 0)).toBe(f.cases);
    expect(props.reduce((s, [, q]) => s + q.harnessMs, 0)).toBeCloseTo(f.harnessMs, 6);
    expect(props.reduce((s, [, q]) => s + q.bareMs, 0)).toBeCloseTo(f.bareMs, 6);
    for (const [, q] of props) expect(q.ratio).toBeCloseTo(q.harnessMs / q.bareMs, 9);
    // The table goes to stderr with --json, so stdout stays one JSON document; --by-property adds a line for each.
    expect(r.stderr).toMatch(/relu\s+12\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+-[\d.]+\n/);
    expect(r.stderr).toMatch(/\n  never-negative\s+2\s+[\d.]+\s+[\d.]+\s+[\d.]+\n/);
  }, 180_000);
});
