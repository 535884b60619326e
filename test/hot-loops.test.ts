// The hot loops rewritten for speed (bench --harness) must give what the plain code gave: the same drawn values for
// a seed (cached fills too), the same ULPs, the same allowed results and verdicts for add, the same bounds for
// sigmoid, gelu and tanh.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSubnormalF32, MAX_F32, MAX_ULP_F32, MIN_NORMAL_F32, MIN_SUBNORMAL_F32, nextDown, nextUp, specUlp, toF32, ulpDistance, ulpOf } from '../harness/bounds/f32.ts';
import { allowedSums, fastPaths, judgeSums, roundNearestSum, type SumsJudged } from '../properties/add.properties.ts';
import { VALUE_DISTS, clearFillCache, fillF32, filledOnce, permutation, subSeed, type ValueDist } from '../properties/values.ts';
import geluFamily, { geluBound, geluBoundOddSum, geluCase } from '../properties/gelu.properties.ts';
import sigmoidFamily, { sigmoidBound, sigmoidBoundLower, symmetricBound } from '../properties/sigmoid.properties.ts';
import { compareArrays, lowerAt, type CompareOptions } from '../harness/compare.ts';
import { tanhBoundFast } from '../properties/tanh-bound.ts';
import { elementwiseCase } from '../properties/tanh.properties.ts';

const fnv = (a: Float32Array | Uint32Array | Float64Array) => {
  let h = 0x811c9dc5;
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
};

describe('value fills', () => {
  // 'huge' taken again on 2026-12-06, when it began to draw ±MAX_F32 one value in sixteen (trial 81 A2); 'edge' and
  // 'subnormal' again the same day, when they began to draw small normal values, 2^-125 to 2^-20 (trial 108 A1).
  it('draw the same values for a seed as the closure-based generator did (hashes taken before the rewrite)', () => {
    const before: Record<ValueDist, string> = {
      uniform: '0353b903', normal: '93639a10', wide: '267210d8', edge: '2891cdee', subnormal: '21a12686', dyadic: '30fecec2', huge: '295469a8',
    };
    for (const d of VALUE_DISTS) expect([d, fnv(fillF32(12345, 4096, d))]).toEqual([d, before[d]]);
    expect(fnv(permutation(99, 1000))).toBe('a1517569');
  });

  it('hand out a copy of a cached fill: what one caller writes, the next does not see', () => {
    const first = fillF32(777, 64, 'edge');
    const hash = fnv(first);
    first.fill(42);
    const again = fillF32(777, 64, 'edge');
    expect(again).not.toBe(first);
    expect(fnv(again)).toBe(hash);
    clearFillCache();
    expect(fnv(fillF32(777, 64, 'edge'))).toBe(hash);
  });
});

describe('cases filled once', () => {
  it('fill a draw\'s inputs on first read only, once, with what a fresh fill gives', () => {
    let fills = 0;
    const make = filledOnce((d: { seed: number; n: number }) => {
      fills++;
      return { x: fillF32(d.seed, d.n, 'normal') };
    });
    const d = { seed: 5, n: 100 };
    const c = make(d);
    expect(c.shape).toBe(d);
    expect(fills).toBe(0);
    expect(fnv(c.inputs.x as Float32Array)).toBe(fnv(fillF32(5, 100, 'normal')));
    expect(make(d).inputs.x).toBe(c.inputs.x);
    expect(fills).toBe(1);
    // Another draw with equal fields is another case: fast-check's shrinking hands out new objects.
    make({ seed: 5, n: 100 }).inputs;
    expect(fills).toBe(2);
  });

  it("of the element-wise families are each distribution's values times 2^scale, rounded as Math.fround rounds", () => {
    for (const d of VALUE_DISTS) {
      for (let scale = 0; scale <= 4; scale++) {
        const draw = { n: 3000, seed: 40 + scale, dist: d, scale };
        const want = fnv(Float32Array.from(fillF32(subSeed(draw.seed, 0), draw.n, d), (v) => Math.fround(v * 2 ** scale)));
        expect([d, scale, fnv(elementwiseCase(draw).inputs.x as Float32Array), fnv(geluCase(draw).inputs.x as Float32Array)]).toEqual([d, scale, want, want]);
      }
    }
  });
});

describe("sigmoid's, gelu's and tanh's bounds", () => {
  // Every binade's powers of two and values beside them, the specials, and every value distribution at each scale.
  function xs(): Float32Array {
    const v: number[] = [0, -0, NaN, Infinity, -Infinity, 1, -1, 10, -10, 16, 88.7, 89, -89, MAX_F32, MIN_SUBNORMAL_F32, MIN_NORMAL_F32];
    for (let k = -149; k <= 127; k++) v.push(2 ** k, -(2 ** k), Math.fround(2 ** k * 1.5), Math.fround(-(2 ** k) * 0.75));
    for (const d of VALUE_DISTS) for (let s = 0; s <= 4; s++) for (const x of fillF32(1000 + s, 4096, d)) v.push(Math.fround(x * 2 ** s));
    return Float32Array.from(v);
  }
  const x = xs();
  const c = { shape: { n: x.length, seed: 0, dist: 'normal' as const, scale: 0 }, inputs: { x } };

  // sigmoid's hashes were taken again on 2026-11-30, when a form whose exp overflows stopped making its bound Infinity
  // (the other form's applies there); every other value is the same. And on 2026-12-06, when 'huge' began to draw
  // ±MAX_F32 one value in sixteen (trial 81 A2): the inputs changed, the bounds did not (gelu's and tanh's hashes
  // stayed as they were); and again, every one of them, when 'edge' began to draw small normal values (trial 108 A1):
  // the inputs changed, and each pair of forms still agrees.
  it('are what they were before the rewrite, per element and through the reference\'s shared values (hashes taken before)', () => {
    expect(x.length).toBe(144484);
    expect(fnv(Float64Array.from(x, (v) => sigmoidBound(v)))).toBe('eed36f92');
    expect(fnv(sigmoidFamily.tolerance(c, sigmoidFamily.reference(c)).y!)).toBe('eed36f92');
    expect(fnv(Float64Array.from(x, (v) => geluBound(v)))).toBe('90be4b4f');
    expect(fnv(geluFamily.tolerance(c, geluFamily.reference(c)).y!)).toBe('90be4b4f');
    // An expected array the reference did not return is not taken for the reference's values.
    expect(fnv(sigmoidFamily.tolerance(c, { y: new Float64Array(x.length) }).y!)).toBe('eed36f92');
    expect(fnv(geluFamily.tolerance(c, { y: new Float64Array(x.length) }).y!)).toBe('90be4b4f');
    // tanh's closed form, and beside exp's overflow (88.72) where it now answers Infinity without the exps.
    expect(fnv(Float64Array.from(x, (v) => tanhBoundFast(v)))).toBe('af8810b3');
    expect(fnv(Float64Array.from({ length: 15 * 1024 + 1 }, (_, i) => tanhBoundFast(80 + i / 1024)))).toBe('fa7a2766');
  });

  it('at x and −x from shared exps (sigmoid\'s symmetric) or one Δt and tanh (gelu\'s odd part) sum to what they did', () => {
    expect(fnv(Float64Array.from(x, (v) => geluBoundOddSum(v)))).toBe('1c0299a8');
    expect(fnv(Float64Array.from(x, (v) => geluBound(v) + geluBound(-v)))).toBe('1c0299a8');
    const pair = (v: number) => {
      const small = Math.exp(-Math.abs(v));
      const big = Math.exp(Math.abs(v));
      return sigmoidBound(v, undefined, small, big) + sigmoidBound(-v, undefined, small, big);
    };
    expect(fnv(Float64Array.from(x, pair))).toBe('a3e3ad64');
    expect(fnv(Float64Array.from(x, (v) => sigmoidBound(v) + sigmoidBound(-v)))).toBe('a3e3ad64');
    // The symmetric property's own loop: the same sum and the f64 check's rounding, to the bit.
    const bad = x.findIndex((v) => !Object.is(symmetricBound(v), pair(v) + 2 ** -52));
    expect(bad < 0 ? 'ok' : `x = ${x[bad]}: ${symmetricBound(x[bad]!)} against ${pair(x[bad]!) + 2 ** -52}`).toBe('ok');
  });

  it("sigmoid's lower bounds, filled in one pass, are sigmoidBoundLower's per element", () => {
    const expected = sigmoidFamily.reference(c);
    const lazy = sigmoidFamily.lazyTolerance!(c, expected).y!;
    const y = expected.y!;
    const e = Float64Array.from(x, (v) => Math.exp(-Math.abs(v)));
    const bad = x.findIndex((v, i) => !Object.is(lowerAt(lazy, i), sigmoidBoundLower(v, y[i]!, e[i]!)));
    expect(bad < 0 ? 'ok' : `x = ${x[bad]}: ${lowerAt(lazy, bad)} against ${sigmoidBoundLower(x[bad]!, y[bad]!, e[bad]!)}`).toBe('ok');
  });
});

describe('ULPs from the bits', () => {
  // ulpOf and specUlp as they were, with the binade from Math.log2 corrected against powers of two.
  function binade(ax: number): number {
    let e = Math.floor(Math.log2(ax));
    if (2 ** e > ax) e -= 1;
    else if (2 ** (e + 1) <= ax) e += 1;
    return e;
  }
  function ulpOfBefore(x: number): number {
    const ax = Math.abs(x);
    if (Number.isNaN(ax)) return NaN;
    if (ax >= MAX_F32) return MAX_ULP_F32;
    if (ax < MIN_NORMAL_F32) return MIN_SUBNORMAL_F32;
    return 2 ** (binade(ax) - 23);
  }
  function specUlpBefore(x: number): number {
    const ax = Math.abs(x);
    if (Number.isNaN(ax)) return NaN;
    if (ax >= MAX_F32) return MAX_ULP_F32;
    if (ax < MIN_NORMAL_F32) return MIN_SUBNORMAL_F32;
    const e = binade(ax);
    return ax === 2 ** e && ax > MIN_NORMAL_F32 ? 2 ** (e - 24) : 2 ** (e - 23);
  }

  it('ulpOf and specUlp give what they gave with Math.log2, at powers of two, beside them and anywhere', () => {
    const power = fc.integer({ min: -160, max: 140 }).map((k) => 2 ** k);
    const x = fc.oneof(
      fc.double({ noNaN: true }),
      power,
      power.map((p) => p * (1 - 2 ** -53)),
      power.map((p) => p * (1 + 2 ** -52)),
      fc.float({ noNaN: true }),
      fc.constantFrom(0, -0, MAX_F32, -MAX_F32, MIN_NORMAL_F32, MIN_SUBNORMAL_F32, Infinity, -Infinity, NaN),
    );
    fc.assert(
      fc.property(x, (v) => {
        expect(Object.is(ulpOf(v), ulpOfBefore(v))).toBe(true);
        expect(Object.is(specUlp(v), specUlpBefore(v))).toBe(true);
      }),
      { numRuns: 20000 },
    );
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
  // The correctly-rounded property's loop before judgeSums: every element through the general functions.
  function judgedOneByOne(a: Float32Array, b: Float32Array, c: Float32Array): SumsJudged {
    let abs = 0, ulp = 0, ratio = 0, notNearest = 0, flushed = 0, firstBad = -1, worst = 0;
    for (let i = 0; i < a.length; i++) {
      const exact = a[i]! + b[i]!;
      const err = Math.abs(c[i]! - exact);
      const bound = fastPaths.allowedDistance(a[i]!, b[i]!, exact);
      const r = err === 0 ? 0 : bound === 0 ? Infinity : err / bound;
      if (r > ratio || Number.isNaN(err)) {
        ratio = Number.isNaN(err) ? Infinity : r;
        worst = i;
      }
      abs = Math.max(abs, Number.isNaN(err) ? Infinity : err);
      ulp = Math.max(ulp, ulpDistance(c[i]!, Math.fround(exact)));
      if (firstBad < 0 && !fastPaths.isAllowedSum(c[i]!, a[i]!, b[i]!)) firstBad = i;
      const rn = roundNearestSum(a[i]!, b[i]!);
      if (!Object.is(c[i]!, rn) && !(c[i] === 0 && rn === 0)) {
        notNearest++;
        const asFlushed = roundNearestSum(isSubnormalF32(a[i]!) ? 0 : a[i]!, isSubnormalF32(b[i]!) ? 0 : b[i]!);
        if (c[i] === (isSubnormalF32(asFlushed) ? 0 : asFlushed)) flushed++;
      }
    }
    return { abs, ulp, ratio, worst, firstBad, notNearest, flushed };
  }

  it('judgeSums gives what the element-by-element loop gave, for results right, off by a step, flushed or not numbers', () => {
    // Each element: a, b and which result the "kernel" returned.
    // Pairs of normals near 2^-126 whose sum is subnormal as well as the f32 mix: their results may be flushed.
    const nearNormal = fc.integer({ min: 2 ** 23, max: 2 ** 25 }).map((m) => m * MIN_SUBNORMAL_F32);
    const pair = fc.oneof(
      fc.tuple(f32, f32),
      fc.tuple(nearNormal, fc.integer({ min: -(2 ** 23), max: 2 ** 23 })).map(([x, k]) => [x, -x + k * MIN_SUBNORMAL_F32] as [number, number]),
    );
    const element = fc.tuple(pair, fc.integer({ min: 0, max: 8 }), f32).map(([[x, y], k, z]) => [x, y, k, z] as const);
    fc.assert(
      fc.property(fc.array(element, { minLength: 1, maxLength: 40 }), (els) => {
        const a = Float32Array.from(els, (e) => e[0]);
        const b = Float32Array.from(els, (e) => e[1]);
        const c = Float32Array.from(els, ([x, y, k, z]) => {
          const rn = roundNearestSum(x, y);
          return [rn, nextUp(rn), nextDown(rn), nextUp(nextUp(rn)), 0, -0, NaN, roundNearestSum(isSubnormalF32(x) ? 0 : x, y), z][k]!;
        });
        const fast = judgeSums(a, b, c, a.length);
        const slow = judgedOneByOne(a, b, c);
        for (const k of Object.keys(slow) as (keyof SumsJudged)[]) expect([k, Object.is(fast[k], slow[k])]).toEqual([k, true]);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('compareArrays', () => {
  // The element rules as written before the loop took its common element without calls: one element at a time,
  // ULPs from ulpDistance (and, since round fifteen, the measure of the bounded elements alone). The loop must give the same Comparison for any values, bounds and options.
  function oracle(actual: ArrayLike<number>, expected: ArrayLike<number>, allowed: ArrayLike<number> | number, opts: CompareOptions) {
    const flush = opts.flushSubnormals ?? true;
    const ignoreZeroSign = opts.ignoreZeroSign ?? true;
    const integer = actual instanceof Uint32Array || actual instanceof Int32Array;
    const m: { abs: number; ulp: number; boundRatio: number; atWorst?: { abs: number; ulp: number }; integer?: boolean } = { abs: 0, ulp: 0, boundRatio: 0 };
    let worst = -1, worstRatio = -1, worstAbs = -1, worstUlp = 0, worstTol = 0, failures = 0, first = -1;
    for (let i = 0; i < actual.length; i++) {
      const a = actual[i]!;
      const e = expected[i]!;
      const tol = typeof allowed === 'number' ? allowed : allowed[i]!;
      let ok: boolean, absErr: number, ratio: number;
      if (tol === Infinity) [ok, absErr, ratio] = [true, Number.isFinite(a) && Number.isFinite(e) ? Math.abs(a - e) : 0, 0];
      else if (Number.isNaN(e)) [ok, absErr, ratio] = Number.isNaN(a) ? [true, 0, 0] : [false, Infinity, Infinity];
      else if (!Number.isFinite(e)) [ok, absErr, ratio] = a === e ? [true, 0, 0] : [false, Infinity, Infinity];
      else if (!Number.isFinite(a)) [ok, absErr, ratio] = [false, Infinity, Infinity];
      else if (!ignoreZeroSign && a === 0 && e === 0 && Object.is(a, -0) !== Object.is(e, -0)) [ok, absErr, ratio] = [false, 0, Infinity];
      else {
        // A ±0 is a flushed result where e, or a value within its bound short of 0, is subnormal (round twenty).
        absErr = flush && a === 0 && (isSubnormalF32(e) || (Math.abs(e) > tol && Math.abs(e) - tol < MIN_NORMAL_F32)) ? 0 : Math.abs(a - e);
        ratio = absErr === 0 ? 0 : tol === 0 ? Infinity : absErr / tol;
        ok = absErr <= tol;
      }
      const ulp = absErr === 0 ? 0 : integer ? absErr : ulpDistance(a, toF32(e));
      // The measure is of the bounded elements (an unbounded one may hold anything).
      if (tol < Infinity) {
        m.abs = Math.max(m.abs, absErr);
        m.ulp = Math.max(m.ulp, ulp);
      }
      m.boundRatio = Math.max(m.boundRatio, ratio);
      if (worst < 0 || ratio > worstRatio || (ratio === worstRatio && absErr > worstAbs)) [worst, worstRatio, worstAbs, worstUlp, worstTol] = [i, ratio, absErr, ulp, tol];
      if (!ok) {
        failures++;
        if (first < 0) first = i;
      }
    }
    // The worst element's own error, where it had a bound.
    if (worst >= 0 && worstTol < Infinity) m.atWorst = { abs: worstAbs, ulp: worstUlp };
    // An integer buffer's measure says so (its ulp is the error itself).
    if (integer) m.integer = true;
    return { measure: m, worst, failures, firstFailure: first };
  }

  it('gives the element-by-element rules\' measure, worst element and failures, for any values, bounds and options', () => {
    const value = fc.oneof(
      fc.double(),
      fc.float(),
      fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 2 ** -130, -(2 ** -140), 1, 1 + 2 ** -23, MAX_F32, 3.5e38, MIN_SUBNORMAL_F32),
    );
    const bound = fc.oneof(fc.constantFrom(0, Infinity, 1e-7, 2 ** -24), fc.double({ min: 0, max: 10, noNaN: true }));
    fc.assert(fc.property(fc.array(fc.tuple(value, value, bound), { maxLength: 40 }), fc.boolean(), fc.boolean(), fc.constantFrom('f32', 'f64', 'u32'), fc.boolean(),
      (els, flushSubnormals, ignoreZeroSign, kind, single) => {
        const actual = kind === 'u32' ? Uint32Array.from(els, ([v]) => (Number.isFinite(v) ? Math.abs(Math.trunc(v)) % 1000 : 0))
          : kind === 'f64' ? Float64Array.from(els, ([v]) => v) : Float32Array.from(els, ([v]) => v);
        const expected = Float64Array.from(els, ([, v]) => v);
        const allowed = single ? (els[0]?.[2] ?? 0) : Float64Array.from(els, ([, , t]) => t);
        const opts = { flushSubnormals, ignoreZeroSign };
        const got = compareArrays(actual, expected, allowed, opts);
        const want = oracle(actual, expected, allowed, opts);
        expect({ measure: got.measure, worst: got.worst, failures: got.failures, firstFailure: got.firstFailure?.index ?? -1 }).toEqual(want);
      }), { numRuns: 5000 });
  });
});
