// Which run a permutation-invariant property blames: the one the reference disowns. A trial's max kernel missed the
// max on x and found it on the rearranged x; the message named the rearranged run as the wrong one.
import { beforeAll, expect, it } from 'vitest';
import { loadKernels, type LoadedKernel } from '../harness/run/registry.ts';
import type { Property, RunOutput } from '../harness/spec.ts';

let kernels: Map<string, LoadedKernel>;
beforeAll(async () => {
  kernels = await loadKernels();
});

function property(kernel: string): Property<any, any> {
  return kernels.get(kernel)!.family.properties.find((p) => p.name === 'permutation-invariant') as Property<any, any>;
}

it('reduce_max: the run on x is blamed where it missed the max and the rearranged run found it, and the other way', () => {
  const p = property('reduce_max');
  const draw = { n: 5, seed: 3, dist: 'uniform', perm: 7, where: 3 };
  const [x] = p.runs(draw).map((c) => c.inputs.x as Float32Array);
  const m = Math.max(...x!);
  const low = Math.min(...x!);
  const out = (v: number): RunOutput => ({ out: Float32Array.of(v) });
  expect(p.check(draw, [out(m), out(m)]).pass).toBe(true);
  const firstWrong = p.check(draw, [out(low), out(m)]);
  expect(firstWrong.pass).toBe(false);
  expect(firstWrong.message).toMatch(/^max of x: out\[0\] = .* but the reference is .*; the rearranged x gave /);
  const secondWrong = p.check(draw, [out(m), out(low)]);
  expect(secondWrong.message).toMatch(/^max of a rearranged x against max of x: .* but the run on x is /);
  // Both wrong and apart: the run on x against the reference, with what the rearranged run gave.
  expect(p.check(draw, [out(low), out(low - 1)]).message).toMatch(/^max of x: .*; the rearranged x gave /);
});

it('histogram: the unshuffled run is blamed where its counts are off the reference and the shuffled ones are not', () => {
  const p = property('histogram');
  const draw = { n: 64, bins: 4, seed: 1, dist: 'uniform', perm: 2 };
  const runs = p.runs(draw);
  const counts = (keys: Uint32Array) => {
    const c = new Uint32Array(draw.bins);
    for (const k of keys) c[k % draw.bins]!++;
    return c;
  };
  const right = counts(runs[0]!.inputs.keys as Uint32Array);
  const off = right.slice();
  off[0]!++;
  off[1]!--;
  expect(p.check(draw, [{ counts: right }, { counts: right }]).pass).toBe(true);
  expect(p.check(draw, [{ counts: off }, { counts: right }]).message).toMatch(/^counts of 64 uniform keys into 4 bins: counts\[0\] = .*; the shuffled keys gave other counts/);
  expect(p.check(draw, [{ counts: right }, { counts: off }]).message).toMatch(/^counts of shuffled keys against counts of the keys: counts\[0\]/);
});
