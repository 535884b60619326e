// sampleDraws keeps the last two arbitraries' draws: a kernel's universal properties fill their cases once even with
// the -spread-y property's own arbitrary run between them (docs/ARCHITECTURE.md, "Where a case's time goes").
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forgetDraws, sampleDraws } from '../harness/run/property-runner.ts';
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
