// sampleDraws keeps the last two arbitraries' draws: a kernel's universal properties fill their cases once even with
// the -spread-y property's own arbitrary run between them (docs/ARCHITECTURE.md, "Where a case's time goes").
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forgetDraws, sampleDraws } from '../harness/run/property-runner.ts';
import { loadKernels } from '../harness/run/registry.ts';
import type { Property } from '../harness/spec.ts';

const prop = (arbitrary: fc.Arbitrary<unknown>) => ({ arbitrary }) as unknown as Property;

describe('sampleDraws', () => {
  const cases = prop(fc.record({ n: fc.nat(1000), seed: fc.nat() }));
  const spread = prop(fc.nat(1000));
  const own = prop(fc.integer());

  it('hands a property the draws kept from the one before the last, the same values as drawing again', () => {
    forgetDraws();
    const first = sampleDraws(cases, 7, 10);
    sampleDraws(spread, 7, 10);
    expect(sampleDraws(cases, 7, 10)).toBe(first);
    forgetDraws();
    const fresh = sampleDraws(cases, 7, 10);
    expect(fresh).not.toBe(first);
    expect(fresh).toEqual(first);
  });

  it('keeps two: the least recently used goes, and another seed or count is not a hit', () => {
    forgetDraws();
    const a = sampleDraws(cases, 7, 10);
    const b = sampleDraws(spread, 7, 10);
    expect(sampleDraws(cases, 7, 10)).toBe(a);
    sampleDraws(own, 7, 10); // spread, the least recently used, goes
    expect(sampleDraws(cases, 7, 10)).toBe(a);
    expect(sampleDraws(spread, 7, 10)).not.toBe(b);
    expect(sampleDraws(cases, 8, 10)).not.toBe(a);
    expect(sampleDraws(cases, 7, 11)).not.toBe(a);
  });
});

describe("the draws and fast-check's replay of a path", () => {
  // The shrink hands fc.check the seed and path "i" of the failing draw i. fc.sample of a property (the draws before)
  // biased every run as run 0: from the tenth draw on, the replay was another case, so a failure found there was
  // saved with no counterexample, or with another failure's (a new user's RMSNorm, then every library kernel).
  it('draw i is the value fc.check replays at path i, past the tenth draw too', async () => {
    const kernels = await loadKernels();
    const arbitraries = [
      ...['sigmoid', 'softmax', 'matmul'].map((k) => kernels.get(k)!.properties.find((p) => p.name === 'matches-reference')!.arbitrary),
      fc.record({ rows: fc.integer({ min: 1, max: 64 }), cols: fc.integer({ min: 1, max: 4096 }), k: fc.integer({ min: -8, max: 8 }) }),
    ];
    for (const arbitrary of arbitraries) {
      forgetDraws();
      const draws = sampleDraws(prop(arbitrary), 1, 100);
      for (const i of [0, 8, 9, 10, 24, 57, 99]) {
        let replayed: unknown;
        await fc.check(fc.asyncProperty(arbitrary, async (d) => {
          replayed ??= d;
          return true;
        }), { seed: 1, numRuns: 100, path: String(i) });
        // A library's draw is a Case whose inputs fill on first read: its shape (with the seed) names it.
        const named = (d: unknown) => JSON.stringify((d as { shape?: unknown }).shape ?? d);
        expect(named(replayed), `draw ${i}`).toBe(named(draws[i]));
      }
    }
  }, 60_000);
});
