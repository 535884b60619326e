// The hot loops rewritten for speed (bench --harness) must give what the plain code gave: the same drawn values for
// a seed, and the same allowed results for add.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_NORMAL_F32, MIN_SUBNORMAL_F32 } from '../harness/bounds/f32.ts';
import { allowedSums, fastPaths } from '../properties/add.properties.ts';
import { VALUE_DISTS, fillF32, permutation, type ValueDist } from '../properties/values.ts';

const fnv = (a: Float32Array | Uint32Array) => {
  let h = 0x811c9dc5;
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
};

describe('value fills', () => {
  it('draw the same values for a seed as the closure-based generator did (hashes taken before the rewrite)', () => {
    const before: Record<ValueDist, string> = {
      uniform: '0353b903', normal: '93639a10', wide: '267210d8', edge: '48b77035', subnormal: '2fe22194', dyadic: '30fecec2', huge: '6f402251',
    };
    for (const d of VALUE_DISTS) expect([d, fnv(fillF32(12345, 4096, d))]).toEqual([d, before[d]]);
    expect(fnv(permutation(99, 1000))).toBe('a1517569');
  });
});

describe("add's fast paths", () => {
  // f32 values with the cases that matter over-represented: zeros, subnormals, the normal/subnormal border, ties.
  const f32 = fc.oneof(
    fc.float({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -0, 1, -1, MIN_NORMAL_F32, -MIN_NORMAL_F32, MIN_SUBNORMAL_F32, -MIN_SUBNORMAL_F32, 2 ** 24, 3e38, -3e38),
    fc.integer({ min: 1, max: 2 ** 23 - 1 }).map((k) => k * MIN_SUBNORMAL_F32),
    fc.integer({ min: -(2 ** 24), max: 2 ** 24 }).chain((m) => fc.integer({ min: -149, max: 100 }).map((e) => Math.fround(m * 2 ** e))),
  );

  it('agree with allowedSums: the allowed set, and the farthest allowed result from a + b', () => {
    fc.assert(
      fc.property(f32, f32, f32, (a, b, c) => {
        const allowed = allowedSums(a, b);
        const exact = a + b;
        const far = Math.max(...allowed.map((r) => Math.abs(r - exact)));
        expect(Object.is(fastPaths.allowedDistance(a, b, exact), far)).toBe(true);
        for (const x of [c, ...allowed, Math.fround(exact), 0, -0]) expect(fastPaths.isAllowedSum(x, a, b)).toBe(allowed.some((v) => v === x));
      }),
      { numRuns: 4000 },
    );
  });
});
