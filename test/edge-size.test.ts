// edgeSize draws the sizes where kernels break (1, 2, 3, a tile ± 1, the maximum) and must shrink a failure to a
// small one: its edges once came from fc.constantFrom, which shrinks only to its first value, so a failure drawn at
// the maximum stayed there (a new user's counterexamples at n = 4096 where n = 257 fails).
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { edgeSize } from '../properties/values.ts';

describe('edgeSize shrinks', () => {
  it.each([1, 2, 3, 4, 5])('a failure past one tile to the first size past it (seed %i)', (seed) => {
    const r = fc.check(fc.property(edgeSize(4096, [256]), (n) => n <= 256), { seed, numRuns: 200 });
    expect(r.failed).toBe(true);
    expect(r.counterexample).toEqual([257]);
  });

  it('a failure only at sizes no tile divides, drawn among rare large sizes, to a small one', () => {
    const r = fc.check(fc.property(edgeSize(1 << 20, [256], { common: 65536, rare: 3 }), (n) => n % 256 === 0 || n < 300), { seed: 9, numRuns: 300 });
    expect(r.failed).toBe(true);
    const [n] = r.counterexample as [number];
    expect(n).toBeGreaterThanOrEqual(300);
    expect(n).toBeLessThan(600);
  });
});
