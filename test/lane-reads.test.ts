// A subgroup lane read past the subgroup is indeterminate in WGSL, and SwiftShader gives 0 there: trial 53's butterfly
// written for 32 lanes summed right on its 4 and passed on Dawn and Chromium. On an adapter of one subgroup size the
// engine takes each shuffle's lane modulo it (harness/engines/lane-reads.ts), as WGSL allows; the twin then fails,
// and one bounded by subgroup_size passes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneSubgroupSize, wrapLaneReads } from '../harness/engines/lane-reads.ts';
import type { EngineInfo } from '../harness/engines/engine.ts';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('wrapLaneReads', () => {
  it("takes each shuffle's and broadcast's lane, mask or delta modulo the size, inserting text only", () => {
    const code = `enable subgroups;
@compute @workgroup_size(4) fn main(@builtin(subgroup_invocation_id) l: u32) {
  var v = f32(l);
  v += subgroupShuffleXor(v, 16u);
  v += subgroupShuffle(v, subgroupShuffle(l, l + 1u));
  v += subgroupShuffleDown(v, 1u) + subgroupBroadcast(v, 0u);
}`;
    const w = wrapLaneReads(code, 4);
    expect(w.split('\n')).toHaveLength(code.split('\n').length);
    expect(w.split('\n')[3]).toBe('  v += subgroupShuffleXor(v, ((16u) & 3));');
    expect(w.split('\n')[4]).toBe('  v += subgroupShuffle(v, ((subgroupShuffle(l, ((l + 1u) & 3))) & 3));');
    // A delta below S is its own remainder too, and a broadcast's lane stays a const-expression (trial 54's
    // shuffle-down tree over offsets 1 to 16 passed on 4 lanes).
    expect(w.split('\n')[5]).toBe('  v += subgroupShuffleDown(v, ((1u) & 3)) + subgroupBroadcast(v, ((0u) & 3));');
    expect(wrapLaneReads('@compute @workgroup_size(1) fn main() {}', 4)).toBe('@compute @workgroup_size(1) fn main() {}');
    // With the out-of-range value: a call whose lane is 4 or more gives one outside the subgroup's range (above on even
    // lanes, below on odd), on its own line; a call whose argument holds a lane read is only wrapped, as is the inner
    // call inside the outer's lane.
    const o = wrapLaneReads(code, 4, true).split('\n');
    expect(o).toHaveLength(code.split('\n').length);
    expect(o[3]).toBe('  v += select(subgroupShuffleXor(v, ((16u) & 3)), select(2 * subgroupMax(v) - subgroupMin(v) + abs(subgroupMax(v)) + 1, 2 * subgroupMin(v) - subgroupMax(v) - abs(subgroupMin(v)) - 1, (subgroupExclusiveAdd(1u) & 1u) == 1u), (16u) >= 4);');
    expect(o[4]).toMatch(/^  v \+= subgroupShuffle\(v, \(\(select\(subgroupShuffle\(l, \(\(l \+ 1u\) & 3\)\), select\(.*\), \(l \+ 1u\) >= 4\)\) & 3\)\);$/);
    // An atomic in the value is not copied.
    expect(wrapLaneReads('enable subgroups;\n@group(0) @binding(0) var<storage, read_write> a: atomic<u32>;\n@compute @workgroup_size(4) fn main() { let v = subgroupShuffle(atomicAdd(&a, 1u), 5u); }', 4, true))
      .toContain('let v = subgroupShuffle(atomicAdd(&a, 1u), ((5u) & 3));');
    // A module whose only lane read is a broadcast.
    expect(wrapLaneReads('enable subgroups;\n@compute @workgroup_size(4) fn main() { var v = 1.0; v = subgroupBroadcast(v, 5u); }', 4))
      .toContain('subgroupBroadcast(v, ((5u) & 3))');
  });

  it('is for an adapter of one subgroup size, a power of two', () => {
    const info = (min?: number, max?: number) => ({ adapter: { subgroupMinSize: min, subgroupMaxSize: max } }) as unknown as EngineInfo;
    expect([info(4, 4), info(32, 32), info(4, 64), info(6, 6), info()].map(oneSubgroupSize)).toEqual([4, 32, undefined, undefined, undefined]);
  });
});

describe('on Dawn (SwiftShader, 4 lanes)', () => {
  const run = (file: string) => {
    const out = mkdtempSync(join(tmpdir(), 'ks-lanes-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'test', '--backend', 'dawn', '--kernel', 'subgroup_sum', '--property', 'matches-reference',
      '--wgsl', `subgroup_sum=test/lane-reads/${file}`, '--runs', '10', '--out', out, '--fixtures', join(out, 'fx')],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: join(ROOT, 'test/field') }, timeout: 170_000 });
    return { r, result: (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile).results[0]! };
  };

  it('a butterfly written for 32 lanes fails, with the lane it reads named', () => {
    const { r, result } = run('subgroup_sum_xor32.wgsl');
    expect(result, r.stderr).toMatchObject({ status: 'fail' });
    expect(String(result.notes?.subgroupLanes)).toBe("test/lane-reads/subgroup_sum_xor32.wgsl:27: subgroupShuffleXor(s, off) reads lane or offset 16, past this adapter's subgroups of 4 lanes, where WGSL leaves the value indeterminate: kernelscope gives it a value outside the range of the subgroup's values there (SwiftShader's own is 0), so a kernel that depends on it fails here; bound the lane by subgroup_size (docs/writing-a-kernel.md, Pitfalls)");
    expect(r.status).toBe(1);
  }, 180_000);

  it('a max of values all one over the subgroup, written for 32 lanes, fails: a read past it is outside their range', () => {
    const { r, result } = run('subgroup_sum_max32.wgsl');
    expect(result, r.stderr).toMatchObject({ status: 'fail' });
    expect(String(result.notes?.subgroupLanes)).toMatch(/^test\/lane-reads\/subgroup_sum_max32\.wgsl:\d+: subgroupShuffleXor\(sum, 16u\) reads lane or offset 16/);
  }, 180_000);

  // Trials 64, 65 and 66: a kernel right on 4-lane subgroups alone passed with nothing said; every engine here has 4.
  it('one that takes every 4th invocation for a subgroup\'s first lane passes, saying no run here can show otherwise', () => {
    const { r, result } = run('subgroup_sum_every4.wgsl');
    expect(result, r.stderr).toMatchObject({ status: 'pass' });
    expect(String(result.notes?.subgroupWidth)).toMatch(/^test\/lane-reads\/subgroup_sum_every4\.wgsl:\d+: 'lid % 4u' takes 4, this adapter's subgroup size, for the lanes in a subgroup, if that is what it stands for: right for subgroups of 4 lanes, and every engine here has 4 lanes or no subgroups, so no run here can show otherwise/);
    expect(r.stderr + r.stdout).toContain("subgroupWidth test/lane-reads/subgroup_sum_every4.wgsl");
  }, 180_000);

  // Trial 70 A1: a shift's lanes that run off the subgroup's edge read SwiftShader's 0, harmless in a sum.
  it('a scan by subgroupShuffleUp whose low lanes add what they read past the edge fails; one guarded by lane >= off passes', () => {
    expect(run('subgroup_sum_scan_unguarded.wgsl').result.status).toBe('fail');
    const guarded = run('subgroup_sum_scan_guarded.wgsl');
    expect(guarded.result, guarded.r.stderr).toMatchObject({ status: 'pass' });
    // Its 128 invocations fill any subgroup; at 64, a 128-lane subgroup's last lane, the one it reads, is inactive.
    expect(guarded.result.notes?.subgroupWidth).toBeUndefined();
  }, 180_000);

  it('one bounded by subgroup_size passes, with no note', () => {
    const { r, result } = run('subgroup_sum_xor_bounded.wgsl');
    expect(result, r.stderr).toMatchObject({ status: 'pass' });
    expect(result.notes?.subgroupLanes).toBeUndefined();
    expect(result.notes?.subgroupWidth).toBeUndefined();
  }, 180_000);
});
