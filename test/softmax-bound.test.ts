// The softmax family's default bound against WGSL-legal implementations pushed to their extremes, in float64 with
// every f32 result chosen at the edge the spec allows (exp and exp2 3 + 2|x| ULP, x / y 2.5 ULP, + − · either f32
// neighbour of the exact result). Four forms: exp(d) or exp2(d · log2(e)), then ê / Ŝ or ê · (1 / Ŝ), the normaliser a
// left-to-right sum and each numerator recomputed in the last pass (as kernels that do not keep exp in a buffer do).
// The family's bound ('any') must hold for all four; the exp-and-divide bound ('direct') must hold for that form
// and be broken by the others somewhere, which shows the default had to grow to cover them.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_F32, roundDownF32, roundUpF32, specUlp } from '../harness/bounds/f32.ts';
import { softmaxTolerance } from '../properties/softmax-bound.ts';
import { logSoftmaxTolerance } from '../properties/log_softmax-bound.ts';
import family, { SOFTMAX_DISTS, fillSoftmax } from '../properties/softmax.properties.ts';
import { softmax } from '../reference/softmax.ts';

type Dir = 1 | -1;
const rounded = (v: number, dir: Dir) => (dir > 0 ? roundUpF32(v) : roundDownF32(v));
/** The f32 result furthest from the exact v in direction dir that k ULP allows, as the CTS reads it: the interval
 *  [v − k ULP, v + k ULP] widened outward to f32 values (harness/bounds/wgsl.ts). */
function pushed(v: number, k: number, dir: Dir): number {
  return rounded(v + dir * k * specUlp(v), dir);
}

interface Form {
  exp2: boolean;
  reciprocal: boolean;
}

/** ê for d = x − m, every operation pushed in direction dir (a larger ê for dir 1). */
function numerator(x: number, m: number, dir: Dir, f: Form): number {
  // x − m ≤ 0: rounding it up makes exp larger.
  const d = rounded(x - m, dir);
  if (!f.exp2) return pushed(Math.exp(d), 3 + 2 * Math.abs(d), dir);
  // A smaller log2(e) and a product rounded up make the (negative) argument larger.
  const c = dir > 0 ? roundDownF32(Math.LOG2E) : roundUpF32(Math.LOG2E);
  // Past MAX_F32 the product is indeterminate in WGSL: the exp2 form is no softmax there, and the bound covers exp.
  if (Math.abs(d * c) > MAX_F32 * 0.99) return numerator(x, m, dir, { ...f, exp2: false });
  const t = rounded(d * c, dir);
  return pushed(2 ** t, 3 + 2 * Math.abs(t), dir);
}

/** One row as a kernel of form f would compute it, pushing output j's error in direction dir for every j at once
 *  (the sum is pushed the other way: its terms do not depend on j when the numerators are recomputed). */
function extremeRow(x: Float32Array, f: Form, dir: Dir): Float64Array {
  let m = -Infinity;
  for (const v of x) m = Math.max(m, v);
  let s = 0;
  for (const v of x) s = rounded(s + numerator(v, m, (-dir) as Dir, f), (-dir) as Dir);
  const r = pushed(1 / s, 2.5, dir);
  return Float64Array.from(x, (v) => {
    const e = numerator(v, m, dir, f);
    return f.reciprocal ? rounded(e * r, dir) : pushed(e / s, 2.5, dir);
  });
}

/** The largest |ŷ − y| / tol of a row, and where. */
function worstRatio(yHat: ArrayLike<number>, y: ArrayLike<number>, tol: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(yHat[i]! - y[i]!) / tol[i]!);
  return worst;
}

const FORMS: (Form & { name: string })[] = [
  { name: 'exp, divide', exp2: false, reciprocal: false },
  { name: 'exp, reciprocal', exp2: false, reciprocal: true },
  { name: 'exp2, divide', exp2: true, reciprocal: false },
  { name: 'exp2, reciprocal', exp2: true, reciprocal: true },
];

const rowArb = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  cols: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 9, max: 600 })),
  // 'subnormal' rows flush on a GPU; this simulation does not flush, so it has nothing to push there.
  dist: fc.constantFrom(...SOFTMAX_DISTS.filter((d) => d !== 'subnormal')),
});

describe('softmax bound against extreme WGSL-legal implementations', () => {
  it.each(FORMS)('$name stays within the family bound', (form) => {
    fc.assert(
      fc.property(rowArb, ({ seed, cols, dist }) => {
        const x = fillSoftmax(seed, 1, cols, dist);
        const y = softmax(x, 1, cols);
        const tol = softmaxTolerance(x, y, 1, cols, 0, 'any');
        for (const dir of [1, -1] as const) expect(worstRatio(extremeRow(x, form, dir), y, tol)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('exp and division stay within the exp-and-divide bound; exp2 and the reciprocal break it', () => {
    const worst = new Map<string, number>();
    fc.assert(
      fc.property(rowArb, ({ seed, cols, dist }) => {
        const x = fillSoftmax(seed, 1, cols, dist);
        const y = softmax(x, 1, cols);
        const tol = softmaxTolerance(x, y, 1, cols, 0, 'direct');
        for (const form of FORMS) {
          for (const dir of [1, -1] as const) {
            const r = worstRatio(extremeRow(x, form, dir), y, tol);
            worst.set(form.name, Math.max(worst.get(form.name) ?? 0, r));
          }
        }
      }),
      { numRuns: 150, seed: 11, examples: [[{ seed: 3, cols: 2, dist: 'dyadic' }], [{ seed: 5, cols: 40, dist: 'wide' }]] },
    );
    expect(worst.get('exp, divide')).toBeLessThanOrEqual(1);
    for (const name of ['exp, reciprocal', 'exp2, divide', 'exp2, reciprocal']) expect(worst.get(name), name).toBeGreaterThan(1);
  });
});

// Trial 59 C2: in-unit-interval's top was 1 + 3u, from ê/Ŝ ≤ 1. An online softmax that adds the max's term as a
// literal 1 while its numerator is exp(0), which WGSL lets be 3 ULP over 1, or one that evaluates exp twice, breaks
// Ŝ ≥ ê: its y of a one-element row may be (1 + 3u)/(1 − 1.5u) before the division's rounding.
describe("softmax's in-unit-interval", () => {
  const U = 2 ** -23;
  const prop = family.properties.find((p) => p.name === 'in-unit-interval')!;
  const check = (v: number) => prop.check({ rows: 1, cols: 1 } as never, [{ y: Float32Array.of(v) }] as never);
  it('allows the exp(0) of a numerator 3 ULP over 1 against a denominator 3 ULP under it, with the division\'s 2.5 ULP', () => {
    expect(check(Math.fround(1 + 7 * U)).pass).toBe(true);
    expect(check(Math.fround(1 + 9 * U)).pass).toBe(false);
    expect(check(Math.fround(2)).pass).toBe(false);
    expect(check(-0.001).pass).toBe(false);
  });
});

// Trial 87: with logits given within an error of about 0.4, S − δS reached 0 and the bounds went negative, then NaN
// (blamed on the user's properties file); a row with a −Infinity mask gave NaN throughout. No finite bound: Infinity.
describe('a row with no finite bound', () => {
  const y = [Math.exp(-10) / (1 + Math.exp(-10)), 1 / (1 + Math.exp(-10))];
  it('is Infinity, never negative or NaN, for softmax and log-softmax alike', () => {
    for (const err of [0.5, 50]) expect(Array.from(softmaxTolerance([0, 10], y, 1, 2, err, 'direct'))).toEqual([Infinity, Infinity]);
    // Within the derivation's reach the bound stays finite and non-negative.
    for (const err of [0, 0.3]) for (const t of softmaxTolerance([0, 10], y, 1, 2, err, 'direct')) expect(t >= 0 && Number.isFinite(t)).toBe(true);
    expect(Array.from(softmaxTolerance([1, -Infinity, 2], [0.27, 0, 0.73], 1, 3))).toEqual([Infinity, Infinity, Infinity]);
    expect(Array.from(logSoftmaxTolerance([1, NaN, 2], [-1.3, NaN, -0.3], 1, 3))).toEqual([Infinity, Infinity, Infinity]);
  });
});
