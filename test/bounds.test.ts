import { describe, expect, it } from 'vitest';
import {
  MAX_F32, MIN_NORMAL_F32, MIN_SUBNORMAL_F32, U, flushesToZero, isCorrectlyRounded, isSubnormalF32, nextDown, nextUp,
  roundDownF32, roundUpF32, specUlp, toF32, ulpDistance, ulpOf,
} from '../harness/bounds/f32.ts';
import {
  correctlyRoundedBound, divisionBound, exp2Bound, expBound, inverseSqrtBound, logBound, maxMinBound, packNormLevels, sinCosBound, unpackNormBound,
  sqrtBound, tanhBound,
} from '../harness/bounds/wgsl.ts';
import { compareArrays } from '../harness/compare.ts';
import { Float16Array } from '@petamoriken/float16';
import { dotProductBound, dotProductBoundOf, gamma, sumBound, sumBoundOf, treeSumBound } from '../harness/bounds/gamma.ts';

describe('f32 line', () => {
  it('ulpOf is the spacing of the binade holding |x|', () => {
    expect(ulpOf(1)).toBe(2 ** -23);
    expect(ulpOf(1.5)).toBe(2 ** -23);
    expect(ulpOf(2)).toBe(2 ** -22);
    expect(ulpOf(-3)).toBe(2 ** -22);
    expect(ulpOf(0.75)).toBe(2 ** -24);
    expect(ulpOf(1 - 2 ** -30)).toBe(2 ** -24);
    expect(ulpOf(0)).toBe(2 ** -149);
    expect(ulpOf(1e-40)).toBe(2 ** -149);
    expect(ulpOf(MIN_NORMAL_F32)).toBe(2 ** -149);
    expect(ulpOf(MIN_NORMAL_F32 * 2)).toBe(2 ** -148);
    expect(ulpOf(MAX_F32)).toBe(2 ** 104);
    expect(ulpOf(1e39)).toBe(2 ** 104);
    expect(ulpOf(Infinity)).toBe(2 ** 104);
  });

  it("specUlp is the spec's (Muller's) ULP: the gap below at a power of two", () => {
    expect(specUlp(1)).toBe(2 ** -24);
    expect(specUlp(1 + 2 ** -30)).toBe(2 ** -23);
    expect(specUlp(1.5)).toBe(2 ** -23);
    expect(specUlp(MIN_NORMAL_F32)).toBe(2 ** -149);
    expect(specUlp(-4)).toBe(2 ** -22);
  });

  it('constants', () => {
    expect(U).toBe(2 ** -23);
    expect(toF32(MAX_F32)).toBe(MAX_F32);
    expect(toF32(MAX_F32 * (1 + 2 ** -24))).toBe(Infinity);
    expect(toF32(MIN_SUBNORMAL_F32)).toBe(MIN_SUBNORMAL_F32);
    expect(toF32(MIN_SUBNORMAL_F32 / 2)).toBe(0);
  });

  it('nextUp / nextDown step one f32 value', () => {
    expect(nextUp(1)).toBe(1 + 2 ** -23);
    expect(nextDown(1)).toBe(1 - 2 ** -24);
    expect(nextUp(0)).toBe(2 ** -149);
    expect(nextUp(-0)).toBe(2 ** -149);
    expect(nextDown(0)).toBe(-(2 ** -149));
    expect(Object.is(nextUp(-(2 ** -149)), -0)).toBe(true);
    expect(nextUp(MAX_F32)).toBe(Infinity);
    expect(nextUp(-Infinity)).toBe(-MAX_F32);
    expect(nextUp(Infinity)).toBe(Infinity);
    expect(nextDown(-1)).toBe(-1 - 2 ** -23);
    // Off the f32 line: the nearest f32 value on that side.
    expect(nextUp(0.1)).toBe(Math.fround(0.1));
    expect(nextDown(0.1)).toBe(Math.fround(0.1) - 2 ** -27);
    expect(roundDownF32(0.1)).toBe(Math.fround(0.1) - 2 ** -27);
    expect(roundUpF32(0.1)).toBe(Math.fround(0.1));
    expect(roundDownF32(3.5e38)).toBe(MAX_F32);
    expect(roundUpF32(3.5e38)).toBe(Infinity);
  });

  it('ulpDistance counts f32 values along the ordered line', () => {
    expect(ulpDistance(1, nextUp(1))).toBe(1);
    expect(ulpDistance(nextUp(1), 1)).toBe(1);
    expect(ulpDistance(-0, 0)).toBe(0);
    expect(ulpDistance(-MIN_SUBNORMAL_F32, MIN_SUBNORMAL_F32)).toBe(2);
    expect(ulpDistance(1, 2)).toBe(2 ** 23);
    expect(ulpDistance(-1, 1)).toBe(2 * 0x3f800000);
    expect(ulpDistance(MAX_F32, Infinity)).toBe(1);
    expect(ulpDistance(NaN, 1)).toBe(Infinity);
    expect(ulpDistance(1, NaN)).toBe(Infinity);
    expect(ulpDistance(NaN, NaN)).toBe(0);
    // Both are rounded to f32 first: 0.1 (float64) and fround(0.1) are the same f32 value.
    expect(ulpDistance(0.1, Math.fround(0.1))).toBe(0);
  });

  it('isCorrectlyRounded accepts either neighbour of the exact value, nothing else', () => {
    const a = Math.fround(0.1);
    const b = Math.fround(0.2);
    const exact = a + b; // exact in float64: 40265319 · 2^-27
    expect(exact).toBe(40265319 * 2 ** -27);
    // In [0.25, 0.5) the f32 spacing is 2^-25 = 4 · 2^-27, and 40265319 / 4 = 10066329.75.
    const below = 10066329 * 2 ** -25;
    const above = 10066330 * 2 ** -25;
    expect(isCorrectlyRounded(below, exact)).toBe(true);
    expect(isCorrectlyRounded(above, exact)).toBe(true);
    expect(Math.fround(exact)).toBe(above); // round-to-nearest picks one of them
    expect(isCorrectlyRounded(10066331 * 2 ** -25, exact)).toBe(false);
    expect(isCorrectlyRounded(10066328 * 2 ** -25, exact)).toBe(false);
    // An f32-representable exact value allows only itself.
    expect(isCorrectlyRounded(1, 1)).toBe(true);
    expect(isCorrectlyRounded(nextUp(1), 1)).toBe(false);
    // A float64 that is not an f32 value is never an f32 result.
    expect(isCorrectlyRounded(0.1, 0.1)).toBe(false);
    // Overflow: between MAX_F32 and 2^128 either MAX_F32 or infinity; from 2^128 on only infinity.
    expect(isCorrectlyRounded(MAX_F32, MAX_F32 + 2 ** 103)).toBe(true);
    expect(isCorrectlyRounded(Infinity, MAX_F32 + 2 ** 103)).toBe(true);
    expect(isCorrectlyRounded(MAX_F32, 2 ** 128)).toBe(false);
    expect(isCorrectlyRounded(Infinity, 2 ** 128)).toBe(true);
    expect(isCorrectlyRounded(NaN, NaN)).toBe(true);
    expect(isCorrectlyRounded(1, NaN)).toBe(false);
    expect(isCorrectlyRounded(NaN, 1)).toBe(false);
  });

  it('subnormals and flush to zero', () => {
    expect(isSubnormalF32(2 ** -127)).toBe(true);
    expect(isSubnormalF32(-(2 ** -149))).toBe(true);
    expect(isSubnormalF32(2 ** -126)).toBe(false);
    expect(isSubnormalF32(0)).toBe(false);
    expect(flushesToZero(0, 1e-40)).toBe(true);
    expect(flushesToZero(-0, 1e-40)).toBe(true);
    expect(flushesToZero(0, 1e-30)).toBe(false); // 1e-30 is a normal f32
    expect(flushesToZero(1e-40, 1e-40)).toBe(false);
  });
});

describe('WGSL accuracy rules (f32)', () => {
  it('correctly rounded: the gap between the exact value’s neighbours, or 0 at an f32 value known exact', () => {
    expect(correctlyRoundedBound(1 + 2 ** -30)).toBe(2 ** -23);
    expect(correctlyRoundedBound(1 - 2 ** -30)).toBe(2 ** -24);
    expect(correctlyRoundedBound(MAX_F32 * 1.1)).toBe(Infinity);
    // A float64 standing for the real result may have rounded onto an f32 value: fract(-7e-38) = 1 - 7e-38 is 1 in
    // float64, and WGSL allows 0.99999994 (a trial's wrap kernel on Dawn failed at a bound of 0).
    expect(compareArrays(Float32Array.of(nextDown(1)), [-7e-38 - Math.floor(-7e-38)], [correctlyRoundedBound(-7e-38 - Math.floor(-7e-38))]).pass).toBe(true);
    // And from above (trial 156 A1): 1 + 1e-20 is 1 in float64, and WGSL allows 1 + 2^-23, twice the spec's ULP at 1.
    expect(correctlyRoundedBound(1 + 1e-20)).toBe(2 ** -23);
    expect(compareArrays(Float32Array.of(nextUp(1)), [1 + 1e-20], [correctlyRoundedBound(1 + 1e-20)]).pass).toBe(true);
    // Known exact (a product of two f32 values): an f32 value must come back as it is (a trial's square of dyadic x,
    // one ULP below, passed at 1.00 of the gap).
    for (const exact of [0, 1, 0.25 * 0.25, (13 / 256) ** 2, -3, MAX_F32, 2 ** -149]) expect(correctlyRoundedBound(exact, true)).toBe(0);
    const square = (37 / 256) ** 2;
    expect(compareArrays(Float32Array.of(nextDown(square)), [square], [correctlyRoundedBound(square, true)]).pass).toBe(false);
    expect(correctlyRoundedBound(1 + 2 ** -30, true)).toBe(2 ** -23);
    expect(maxMinBound).toBe(0);
  });

  // "k ULP" as the CTS reads it: [exact − k ULP, exact + k ULP] widened outward to f32 values, one spacing more at
  // most (trial 94 A1: SwiftShader's exp, 3.15 ULP off where the literal rule allowed 3.09, is conformant).
  const widened = (bound: number, literal: number, gap: number) => {
    expect(bound).toBeGreaterThanOrEqual(literal);
    expect(bound).toBeLessThanOrEqual(literal + gap);
  };
  it('exp and exp2: (3 + 2|x|) ULP of the result', () => {
    // exp(0) = 1 exactly; the spec's ULP(1) is 2^-24 (the gap below 1): 1 − 3·2^-24 is an f32, and 1 + 3·2^-24 widens
    // to the f32 above it, 1 + 2·2^-23, the farther side.
    expect(expBound(0, 1)).toBe(4 * 2 ** -24);
    // e^10 = 22026.47 lies in [2^14, 2^15), spacing 2^-9; 3 + 20 = 23 ULP, and at most one spacing more.
    widened(expBound(10, Math.exp(10)), 23 * 2 ** -9, 2 ** -9);
    widened(expBound(-10, Math.exp(-10)), 23 * 2 ** -38, 2 ** -38); // e^-10 = 4.54e-5 in [2^-15, 2^-14)
    // 8 is a power of two: the gap below 8 is 2^-21, above it 2^-20: 8 + 9·2^-21 widens to 8 + 10·2^-21.
    expect(exp2Bound(3, 8)).toBe(10 * 2 ** -21);
    widened(exp2Bound(3.5, 2 ** 3.5), 10 * 2 ** -20, 2 ** -20); // 11.3 in [8, 16)
    // Results that may overflow are indeterminate: no finite bound.
    expect(Number.isFinite(expBound(88.7, Math.exp(88.7)))).toBe(true);
    expect(expBound(88.8, Math.exp(88.8))).toBe(Infinity);
  });

  it('log: 2^-21 absolute for x in [0.5, 2], else 3 ULP', () => {
    expect(logBound(1.5, Math.log(1.5))).toBe(2 ** -21);
    expect(logBound(0.5, Math.log(0.5))).toBe(2 ** -21);
    expect(logBound(2, Math.log(2))).toBe(2 ** -21);
    expect(logBound(1, 0)).toBe(2 ** -21);
    widened(logBound(4, Math.log(4)), 3 * 2 ** -23, 2 ** -23); // 1.386 in [1, 2)
    widened(logBound(0.25, Math.log(0.25)), 3 * 2 ** -23, 2 ** -23);
    widened(logBound(nextDown(0.5), Math.log(nextDown(0.5))), 3 * 2 ** -24, 2 ** -24); // −0.693 in [0.5, 1)
    expect(logBound(1e-40, Math.log(1e-40))).toBe(Infinity); // may be flushed to log(0)
    expect(logBound(-1, NaN)).toBe(Infinity);
  });

  it('division: 2.5 ULP for |y| in [2^-126, 2^126]', () => {
    widened(divisionBound(1, 3, 1 / 3), 2.5 * 2 ** -25, 2 ** -25);
    expect(divisionBound(1, 2 ** 127, 2 ** -127)).toBe(Infinity);
    expect(divisionBound(1, 2 ** -127, 2 ** 127)).toBe(Infinity);
    // A subnormal dividend may be flushed to 0, giving 0 instead of 2^-30.
    expect(divisionBound(2 ** -130, 2 ** -100, 2 ** -30)).toBeGreaterThanOrEqual(2 ** -30);
  });

  it('unpack4x8unorm and the other norm unpacks: 3 ULP of v ÷ 255 (trial 210 C3)', () => {
    // 20/255 lies in [2^-4, 2^-3): spacing 2^-27.
    widened(unpackNormBound(20 / 255), 3 * 2 ** -27, 2 ** -27);
    widened(unpackNormBound(-1), 3 * 2 ** -24, 2 ** -23);
    expect(unpackNormBound(0)).toBeLessThan(2 ** -140);
  });

  it('inverseSqrt 2 ULP; sqrt inherited from 1 / inverseSqrt', () => {
    widened(inverseSqrtBound(0.5), 2 * 2 ** -25, 2 ** -25);
    widened(inverseSqrtBound(1 / 3), 2 * 2 ** -25, 2 ** -25);
    expect(inverseSqrtBound(2 ** 64)).toBe(Infinity); // x subnormal
    // sqrt(4): ULP(0.5) = 2^-25 (gap below a power of two), so r is an f32 value in [0.5 − 2^-24, 0.5 + 2^-24] and
    // 1/r in [2 − 2^-22 + ε, 2 + 2^-22 + ε]. Above: 2 + 2^-22 + ε + 2.5 · 2^-22; the last f32 value in reach is
    // 2 + 3 · 2^-22. Below: just above 2 the ULP is 2^-22, reaching 2 − 5 · 2^-23. The farther side: 3 · 2^-22.
    expect(sqrtBound(4, 2)).toBe(3 * 2 ** -22);
    // sqrt(1): r in [1 − 2^-23, 1 + 2^-23], 1/r up to 1 + 2^-23 + ε, + 2.5 · 2^-23: last f32 value 1 + 3 · 2^-23.
    // Below: 1 − 2.5 · 2^-23 (the ULP just above 1 is 2^-23).
    expect(sqrtBound(1, 1)).toBe(3 * 2 ** -23);
    expect(sqrtBound(0, 0)).toBe(Infinity);
    expect(sqrtBound(1e-40)).toBe(Infinity);
    // Relative to the result: 2 ULP of 1/√x is a relative error of up to 2 · 2^-23, which is up to 4 ULP of √x when
    // √x sits just below a power of two; plus 2.5 ULP for the division; keeping only f32 values in reach can cost up
    // to one spacing per step: between 2 and 6.5 ULP.
    let widest = 0;
    let narrowest = Infinity;
    for (const x of [0.3, 1, 2, 3, 1e-20, 7e30, 1.01, 3.99, 0.26]) {
      const s = Math.sqrt(x);
      const ulps = sqrtBound(x, s) / ulpOf(s);
      expect(ulps).toBeGreaterThanOrEqual(2);
      expect(ulps).toBeLessThanOrEqual(6.5);
      widest = Math.max(widest, ulps);
      narrowest = Math.min(narrowest, ulps);
    }
    expect(widest).toBeGreaterThan(5);
    expect(narrowest).toBeLessThan(3);
  });

  it('tanh: the worse of 1e-5 absolute and the bound inherited from sinh / cosh', () => {
    expect(tanhBound(0)).toBe(1e-5);
    expect(tanhBound(0.5)).toBe(1e-5);
    expect(tanhBound(-3)).toBe(1e-5);
    // At x = 50, exp(50) may be 103 ULP off (e^-50 is negligible), so sinh and cosh each carry a relative error of
    // 103 · ulp/value, and their quotient up to twice that. The subtraction, addition and halving add one spacing
    // each to sinh and cosh (105 instead of 103), the division 2.5 ULP below 1; only f32 values in reach count, which
    // can cost each exp up to one spacing (102 instead of 103).
    const e50 = Math.exp(50);
    const perExp = (103 * ulpOf(e50)) / e50;
    const b50 = tanhBound(50);
    expect(b50).toBeGreaterThan(2 * perExp * (102 / 103));
    expect(b50).toBeLessThan(2 * perExp * (105 / 103) * (1 + 1e-3) + 2.5 * 2 ** -24);
    expect(b50).toBeGreaterThan(1e-5);
    expect(tanhBound(-50)).toBe(b50);
    // exp(|x|) overflows past ~88.72: the inherited expression is indeterminate.
    expect(tanhBound(88)).toBeLessThan(1e-3);
    expect(tanhBound(100)).toBe(Infinity);
    expect(tanhBound(-100)).toBe(Infinity);
    expect(tanhBound(NaN)).toBe(Infinity);
  });

  it('NaN inputs and results are indeterminate under every rule, never a NaN bound', () => {
    for (const b of [correctlyRoundedBound(NaN), divisionBound(1, NaN, NaN), expBound(NaN, NaN), exp2Bound(NaN, NaN),
      logBound(NaN, NaN), inverseSqrtBound(NaN), sqrtBound(NaN), sinCosBound(NaN)]) {
      expect(b).toBe(Infinity);
    }
  });

  it('sin, cos: 2^-11 on [−π, π] only', () => {
    expect(sinCosBound(1)).toBe(2 ** -11);
    expect(sinCosBound(-Math.PI)).toBe(2 ** -11);
    expect(sinCosBound(4)).toBe(Infinity);
  });
});

/** Seeded PRNG (mulberry32), so a failure here is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One WGSL-legal rounding of an exact value: either neighbour, picked by `pick`. */
function roundEither(x: number, pick: () => boolean): number {
  return pick() ? roundUpF32(x) : roundDownF32(x);
}

describe('gamma bounds (Higham)', () => {
  it('gamma', () => {
    expect(gamma(0)).toBe(0);
    expect(gamma(10)).toBe(10 / (2 ** 23 - 10));
    expect(gamma(1, 2 ** -24)).toBe(2 ** -24 / (1 - 2 ** -24));
    expect(() => gamma(2 ** 23)).toThrow(RangeError);
    expect(() => gamma(2 ** 24)).toThrow(/void/);
    expect(() => gamma(-1)).toThrow(RangeError);
    expect(gamma(2 ** 23 - 1)).toBe(2 ** 23 - 1);
  });

  it('sums and dot products: γ times the absolute sum, plus the flush-to-zero term', () => {
    expect(sumBound(5, 1)).toBe(0);
    expect(treeSumBound(5, 1)).toBe(0);
    expect(sumBound(100, 11)).toBe(gamma(10) * 100 + 10 * MIN_NORMAL_F32 * (1 + gamma(10)));
    expect(treeSumBound(100, 8)).toBe(gamma(3) * 100 + 7 * MIN_NORMAL_F32 * (1 + gamma(3)));
    expect(treeSumBound(100, 9)).toBe(gamma(4) * 100 + 8 * MIN_NORMAL_F32 * (1 + gamma(4)));
    expect(dotProductBound(100, 10)).toBe(gamma(10) * 100 + 19 * MIN_NORMAL_F32 * (1 + gamma(10)));
    // All-zero products still allow for flushed subnormal intermediates, and nothing more.
    expect(dotProductBound(0, 4)).toBe(7 * MIN_NORMAL_F32 * (1 + gamma(4)));
    expect(Number.isFinite(dotProductBound(3e38, 4))).toBe(true);
    expect(dotProductBound(MAX_F32, 4)).toBe(Infinity); // partial sums may pass MAX_F32
    // A flushed subnormal input takes its whole product away: 2^-130 · 2^100 = 2^-30.
    expect(dotProductBoundOf([2 ** -130, 1], [2 ** 100, 1])).toBeGreaterThan(2 ** -30);
    expect(dotProductBoundOf([1, 2], [3, 4])).toBe(dotProductBound(11, 2));
    expect(sumBoundOf([1e-40])).toBeGreaterThanOrEqual(1e-40);
    // Trial 90 A2: Σ|x| past MAX_F32 where no order of the terms can overflow (a partial sum lies between −Σ of the
    // negative terms and Σ of the positive ones): a finite bound, which a kernel returning 0 for 2.5e35 fails.
    expect(sumBoundOf([2e38, -3e38, 2.5e35])).toBe(sumBound(5.0025e38, 3, 3e38));
    expect(sumBoundOf([2e38, -3e38, 2.5e35])).toBeLessThan(2.5e35);
    expect(sumBoundOf([3e38, 3e38])).toBe(Infinity);
    expect(Number.isFinite(dotProductBoundOf([3e19, 3e19], [1e19, -1e19]))).toBe(true);
    expect(dotProductBoundOf([3e19, 3e19], [1e19, 1e19])).toBe(Infinity);
    // Trial 104: past k·u = 1/2 a dot product's factor is (1 + u)^k − 1, as a sum's: γ_k threw at k = 2^23, and at
    // k = 7.5e6 was 8.4 where the worst case is 1.45, so a dot returned negated (error 2 Σ|xy|) passed.
    expect(dotProductBound(1, 2 ** 23)).toBeCloseTo(Math.E - 1, 6);
    const k = 7.5e6;
    expect(dotProductBound(1, k)).toBeCloseTo(Math.expm1(k * Math.log1p(2 ** -23)), 9);
    expect(dotProductBound(1, k)).toBeLessThan(2);
    // Trial 104 C2: an f16 input's subnormal (2^-20 here, normal as f32) may be flushed: its product is allowed.
    const h = new Float16Array([2 ** -20, 1]);
    expect(dotProductBoundOf(h, [2 ** 10, 1])).toBeGreaterThan(2 ** -10);
    expect(dotProductBoundOf([2 ** -20, 1], [2 ** 10, 1])).toBeLessThan(2 ** -20);
    // Trial 159 C1: and sumBoundOf reads a Float16Array's subnormals the same way.
    expect(sumBoundOf(h)).toBeGreaterThan(2 ** -20);
    expect(sumBoundOf([2 ** -20, 1])).toBeLessThan(2 ** -20);
    expect(() => gamma(2 ** 23)).toThrow(/growth\(8388608\), \(1 \+ u\)\^n − 1, bounds the same roundings for every n/);
  });

  it('an adversarial WGSL-legal summation comes close to the bound, and would break a u = 2^-24 bound', () => {
    // 1 followed by n − 1 terms of 2^-25: rounding every addition up adds 2^-23 each time instead of 2^-25.
    const n = 1001;
    const xs = [1, ...Array.from({ length: n - 1 }, () => 2 ** -25)];
    let s = 0;
    for (const x of xs) s = roundUpF32(s + x);
    const exact = 1 + (n - 1) * 2 ** -25;
    const absSum = exact;
    const err = Math.abs(s - exact);
    expect(err).toBe((n - 1) * 0.75 * 2 ** -23);
    expect(err).toBeLessThanOrEqual(sumBound(absSum, n));
    expect(err / sumBound(absSum, n)).toBeGreaterThan(0.7);
    expect(err).toBeGreaterThan(gamma(n - 1, 2 ** -24) * absSum);
  });

  it('random WGSL-legal roundings of dot products and tree sums stay within their bounds', () => {
    const rand = rng(12345);
    const pick = () => rand() < 0.5;
    for (let trial = 0; trial < 300; trial++) {
      const k = 1 + Math.floor(rand() * 300);
      const x = Array.from({ length: k }, () => Math.fround((rand() - 0.5) * 2 ** Math.floor(rand() * 20 - 10)));
      const y = Array.from({ length: k }, () => Math.fround((rand() - 0.5) * 2 ** Math.floor(rand() * 20 - 10)));
      let exact = 0;
      let absDot = 0;
      let s = 0;
      for (let i = 0; i < k; i++) {
        exact += x[i]! * y[i]!; // products of f32 values are exact in float64; the float64 sum is off by ~k·2^-53
        absDot += Math.abs(x[i]! * y[i]!);
        s = roundEither(s + roundEither(x[i]! * y[i]!, pick), pick);
      }
      expect(Math.abs(s - exact)).toBeLessThanOrEqual(dotProductBound(absDot, k));
      // Tree reduction of the products, rounded either way at each level.
      let level = x.map((xi, i) => roundEither(xi * y[i]!, pick));
      while (level.length > 1) {
        const next: number[] = [];
        for (let i = 0; i < level.length; i += 2) {
          next.push(i + 1 < level.length ? roundEither(level[i]! + level[i + 1]!, pick) : level[i]!);
        }
        level = next;
      }
      // Products rounded once plus ceil(log2 k) additions: γ_{ceil(log2 k)+1}.
      const depth = Math.ceil(Math.log2(k)) + 1;
      expect(Math.abs(level[0]! - exact)).toBeLessThanOrEqual(gamma(depth) * absDot * (1 + 1e-12));
    }
  });
});

// Trial 63: pack4x8unorm of f32(131.5/255) is 131 by WGSL's formula read exactly and 132 on every GPU engine here;
// f32(20.5/255), whose 255 e rounds to 20.5, is 21 by the formula and 20 where round() takes the tie to even.
describe('packNormLevels', () => {
  it('allows two levels next to a level midpoint, one elsewhere, and clamps', () => {
    expect(packNormLevels(Math.fround(131.5 / 255), 'unorm8')).toEqual([131, 132]);
    expect(packNormLevels(Math.fround(20.5 / 255), 'unorm8')).toEqual([20, 21]);
    expect(packNormLevels(Math.fround(0.2), 'unorm8')).toEqual([51, 51]);
    // f32(0.3) · 255 is 76.500003, within an f32 step of a half.
    expect(packNormLevels(Math.fround(0.3), 'unorm8')).toEqual([76, 77]);
    // An exact tie of 255 e: WGSL's formula gives 128; SPIR-V's round() leaves the tie to the implementation.
    expect(packNormLevels(0.5, 'unorm8')).toEqual([127, 128]);
    expect(packNormLevels(1.5, 'unorm8')).toEqual([255, 255]);
    expect(packNormLevels(-2, 'snorm8')).toEqual([-127, -127]);
    // An exact tie of 127 e: WGSL's formula gives -63, a round() to even -64 (patches/README.md §35).
    expect(packNormLevels(-0.5, 'snorm8')).toEqual([-64, -63]);
    expect(packNormLevels(Math.fround(0.25), 'unorm16')).toEqual([16384, 16384]);
    expect(packNormLevels(NaN, 'snorm16')).toEqual([-32767, 32767]);
  });
});
