// The `-spread-y` properties: cases dispatched under a lowered maxComputeWorkgroupsPerDimension, so that the y path
// of a kernel spreading past the limit runs at small sizes (harness/run/spread-y.ts, harness/run/program.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';
import { deviceDispatchLimits, loweredLimit, NotSpreadOverY, spreadClause, spreadsOverY, toBatchCase, type KernelProgram } from '../harness/run/program.ts';
import { loadKernels, ROOT, type LoadedKernel } from '../harness/run/registry.ts';
import { propertiesOf } from '../harness/run/universal.ts';
import type { Case } from '../harness/spec.ts';

const gelu = (n: number, spreadY?: boolean): Case => ({ shape: { n }, inputs: { x: new Float32Array(n) }, ...(spreadY ? { spreadY } : {}) });
const dispatch = (p: KernelProgram, c: Case) => toBatchCase(p, c, () => 0).dispatches.map((d) => d.workgroups);

describe('the lowered limit', () => {
  it('gives two rows over y, with workgroups past the end from three workgroups on', () => {
    expect([1, 2, 3, 4, 5].map(loweredLimit)).toEqual([undefined, 1, 2, 3, 3]);
    const wrong: number[] = [];
    for (let x = 3; x <= 70_000; x++) {
      const l = loweredLimit(x)!;
      if (Math.ceil(x / l) !== 2 || 2 * l <= x) wrong.push(x);
    }
    expect(wrong).toEqual([]);
  });
});

describe('library dispatches', () => {
  let kernels: Map<string, LoadedKernel>;
  beforeAll(async () => {
    kernels = await loadKernels(ROOT);
  });

  it('gelu: the device limit normally, the lowered one on a spreadY case; one workgroup does not spread', () => {
    const p = kernels.get('gelu')!.program;
    expect(deviceDispatchLimits(p.spec)).toEqual({ maxComputeWorkgroupsPerDimension: 65535 });
    expect(dispatch(p, gelu(3 * 256 + 1))).toEqual([[4, 1, 1]]);
    expect(dispatch(p, gelu(3 * 256 + 1, true))).toEqual([[3, 2, 1]]);
    expect(spreadsOverY(p, { n: 256 })).toBe(false);
    // Two workgroups spread into one column of two, three into a 2 × 2 grid: spread, but not wide. Wide from seven
    // workgroups (4 × 2, three in the second row) on: with six (4 × 2, two in the second row) an index that reads
    // num_workgroups.y for .x reaches 0..3 and 2..5, every one.
    expect(dispatch(p, gelu(257, true))).toEqual([[1, 2, 1]]);
    expect(dispatch(p, gelu(513, true))).toEqual([[2, 2, 1]]);
    expect(dispatch(p, gelu(6 * 256 + 1, true))).toEqual([[4, 2, 1]]);
    expect([257, 513, 6 * 256, 6 * 256 + 1].map((n) => [spreadsOverY(p, { n }), spreadsOverY(p, { n }, { wide: true })])).toEqual([[true, false], [true, false], [true, false], [true, true]]);
    expect(() => dispatch(p, gelu(256, true))).toThrow(NotSpreadOverY);
    // The limit a kernel's device is opened with is the one its workgroups are asked under.
    const raised = { ...p, spec: { ...p.spec, requires: { limits: { maxComputeWorkgroupsPerDimension: 3 } } } };
    expect(dispatch(raised, gelu(3 * 256 + 1))).toEqual([[3, 2, 1]]);
  });

  it('every pass of a reduction spreads, the last (one workgroup) does not; transpose never spreads', () => {
    const p = kernels.get('reduce_sum')!.program;
    const n = 512 * 600 + 5;
    expect(dispatch(p, { shape: { n }, inputs: { x: new Float32Array(n) } })).toEqual([[601, 1, 1], [2, 1, 1], [1, 1, 1]]);
    expect(dispatch(p, { shape: { n }, inputs: { x: new Float32Array(n) }, spreadY: true })).toEqual([[301, 2, 1], [1, 2, 1], [1, 1, 1]]);
    expect(spreadsOverY(kernels.get('transpose')!.program, { rows: 700, cols: 700 })).toBe(false);
  });

  it('only a kernel whose dispatch spreads has -spread-y properties: by its spreadShape, or by probing its cases', () => {
    const having = [...kernels].filter(([, k]) => k.properties.some((p) => p.name === 'matches-reference-spread-y')).map(([n]) => n).sort();
    expect(having).toEqual(['gelu', 'histogram', 'layernorm', 'reduce_max', 'reduce_sum', 'scan', 'sigmoid', 'softmax_online', 'tanh']);
    // histogram declares no spreadShape (its 4,096 bins never need 65,535 workgroups): found by the probe.
    expect(kernels.get('histogram')!.program.spec.spreadShape).toBeUndefined();
    for (const [, k] of kernels) {
      expect(k.properties.some((p) => p.name === 'no-out-of-bounds-spread-y')).toBe(having.includes(k.program.spec.name));
      // The y path's races are checked wherever its bounds are (a grid stride that leaves out the rows over y).
      expect(k.properties.some((p) => p.name === 'no-data-race-spread-y')).toBe(having.includes(k.program.spec.name));
    }
  });

  // Trial 88 A1: a spec that checks its grid against the limit and throws, as CUDA host code checks gridDim, got three
  // -spread-y errors: under the lowered limit it refuses to spread, so it has no -spread-y properties.
  it('a spec whose workgroups() throws under the lowered limit alone does not spread', () => {
    const g = kernels.get('gelu')!;
    const refusing = { ...g.program.spec, spreadShape: undefined, stages: (s: unknown) => g.program.spec.stages(s).map((st) => ({
      ...st,
      workgroups: (size: [number, number, number], limits?: { maxComputeWorkgroupsPerDimension: number }) => {
        const w = st.workgroups(size, { maxComputeWorkgroupsPerDimension: 65535 });
        if (limits && w[0] > limits.maxComputeWorkgroupsPerDimension) throw new Error(`${w[0]} workgroups: too many for one dispatch`);
        return w;
      },
    })) };
    const props = propertiesOf(refusing, g.family, { ...g.program, spec: refusing });
    expect(props.some((p) => p.name.endsWith('-spread-y'))).toBe(false);
    expect(props.some((p) => p.name === 'matches-reference')).toBe(true);
  });

  it('the element-wise families and softmax draw -spread-y cases of 7 to 13 workgroups: the y path, within the interpreter\'s budget', () => {
    const interpreterBudget = 4096;
    for (const name of ['gelu', 'sigmoid', 'tanh', 'softmax_online']) {
      const k = kernels.get(name)!;
      const prop = k.properties.find((p) => p.name === 'no-out-of-bounds-spread-y')!;
      for (const c of fc.sample(prop.arbitrary, { seed: 3, numRuns: 50 }) as Case[]) {
        const x = dispatch(k.program, c)[0]![0];
        const lowered = dispatch(k.program, { ...c, spreadY: true })[0]!;
        expect(x, `${name} ${JSON.stringify(c.shape)}`).toBeGreaterThanOrEqual(7);
        expect(x, `${name} ${JSON.stringify(c.shape)}`).toBeLessThanOrEqual(13);
        expect(lowered[0] * lowered[1] * 256, name).toBeLessThanOrEqual(interpreterBudget);
      }
    }
  });

  it('the reductions draw their -spread-y cases from their spreadCases: whole blocks, seven or more', () => {
    for (const name of ['reduce_sum', 'reduce_max']) {
      const k = kernels.get(name)!;
      const prop = k.properties.find((p) => p.name === 'no-out-of-bounds-spread-y')!;
      const sizes = (fc.sample(prop.arbitrary, { seed: 2, numRuns: 20 }) as Case<{ n: number }>[]).map((c) => c.shape.n);
      expect(sizes.filter((n) => n % 512 !== 0 || n < 7 * 512), name).toEqual([]);
    }
  });

  it('a kernel declaring a spreadShape gets its -spread-y cases among those that spread', () => {
    for (const [name, k] of kernels) {
      if (!k.program.spec.spreadShape) continue;
      const prop = k.properties.find((p) => p.name === 'matches-reference-spread-y')!;
      const draws = fc.sample(prop.arbitrary, { seed: 1, numRuns: 5 }) as Case[];
      expect(draws.filter((c) => spreadsOverY(k.program, c.shape, { wide: true })).length, name).toBe(5);
    }
  });

  it("a -spread-y failure's clause points at the y path's index only where the property passes without it", () => {
    const k = kernels.get('gelu')!;
    const [c] = fc.sample(k.properties.find((p) => p.name === 'matches-reference-spread-y')!.arbitrary, { seed: 1, numRuns: 1 }) as Case[];
    const index = /look at the index, which must count the rows of workgroups before it/;
    expect(spreadClause(k.program, c!.shape, { property: 'matches-reference', status: 'pass' })).toMatch(/; matches-reference passes its own cases without it \(other cases than this one\), so unless this case's values alone make it fail, look at the index/);
    expect(spreadClause(k.program, c!.shape)).toMatch(/; where the property without -spread-y passes, look at the index/);
    // A reduce_max with a wrong float encoding failed both: the index was not where to look (a trial's).
    const failed = spreadClause(k.program, c!.shape, { property: 'matches-reference', status: 'fail' })!;
    expect(failed).toMatch(/^\(this case ran as \(\d+, 2, 1\) workgroups, .*; matches-reference fails without it too: see that failure first\)$/);
    expect(failed).not.toMatch(index);
  });
});

function cli(args: string[]): { stderr: string; results?: ResultsFile } {
  const out = mkdtempSync(join(tmpdir(), 'kernelscope-spread-'));
  try {
    const r = spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', ...args, '--out', out, '--fixtures', join(out, 'fx')], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
    let results: ResultsFile | undefined;
    try {
      results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    } catch {
      /* reported by the assertions */
    }
    return { stderr: r.stderr, results };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('on Dawn (the command line)', () => {
  it('a wrong spread-over-y index: matches-reference passes, matches-reference-spread-y fails; transpose has none', () => {
    const r = cli(['--backend', 'dawn', '--kernel', 'gelu', '--kernel', 'transpose', '--wgsl', 'gelu=test/wrong-kernels/lib_gelu_spread_index.wgsl',
      '--property', 'matches-reference', '--property', 'matches-reference-spread-y', '--runs', '6', '--seed', '1']);
    expect(r.results, r.stderr.slice(-2000)).toBeDefined();
    const status = Object.fromEntries(r.results!.results.map((x) => [`${x.kernel}/${x.property}`, `${x.status}${x.status === 'pass' ? '' : `: ${x.error}`}`]));
    expect(status['gelu/matches-reference']).toBe('pass');
    expect(status['gelu/matches-reference-spread-y']).toMatch(/^fail: y\[\d+\] was never written/);
    // It says how the case was dispatched, not the workgroup-size note of the plain properties.
    expect(status['gelu/matches-reference-spread-y']).toMatch(/\(this case ran as \(\d+, 2, 1\) workgroups, not \(\d+, 1, 1\), under a limit of \d+ per dimension, as a dispatch past 65,535 workgroups does; matches-reference passes its own cases without it \(other cases than this one\), so unless this case's values alone make it fail, look at the index, .*workgroup_id\.y \* num_workgroups\.x \+ workgroup_id\.x does, and at the [12] workgroups? past the \d+ of the full dispatch, which must guard every access \(a dispatch along x alone never runs them\)\)/);
    expect(status['transpose/matches-reference']).toBe('pass');
    // Its dispatch never spreads (spread-y.ts probes its drawn cases): no -spread-y property that could only skip.
    expect(Object.keys(status).filter((k) => k.startsWith('transpose/'))).toEqual(['transpose/matches-reference']);
  }, 600_000);
});
