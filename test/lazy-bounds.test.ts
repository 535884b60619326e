// Lazy bounds (compare.ts LazyBound, a family's lazyTolerance) must give what the eager arrays give: the verdict, the
// first failing element, the measure (abs, ulp, boundRatio), the worst element and the unbounded counts, bit for bit,
// on outputs that pass, fail, are NaN, infinite or flushed subnormals; and a lower bound that is not one is caught.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_F32, MIN_NORMAL_F32, MIN_SUBNORMAL_F32 } from '../harness/bounds/f32.ts';
import { compareArrays, lowerAt, type CompareOptions, type LazyBound } from '../harness/compare.ts';
import { guardFamily } from '../harness/run/library-error.ts';
import { matchesReference } from '../harness/run/universal.ts';
import type { Case, Family, KernelSpec } from '../harness/spec.ts';
import addSpec from '../kernels/add.kernel.ts';
import geluSpec from '../kernels/gelu.kernel.ts';
import sigmoidSpec from '../kernels/sigmoid.kernel.ts';
import tanhSpec from '../kernels/tanh.kernel.ts';
import addFamily from '../properties/add.properties.ts';
import geluFamily, { geluBoundOddSum, geluBoundOddSumLower } from '../properties/gelu.properties.ts';
import sigmoidFamily, { symmetricBound, symmetricBoundLower } from '../properties/sigmoid.properties.ts';
import { tanhBoundFast, tanhBoundFastLower } from '../properties/tanh-bound.ts';
import tanhFamily from '../properties/tanh.properties.ts';
import { VALUE_DISTS, fillF32 } from '../properties/values.ts';
import { compareVerdict } from '../properties/verdict.ts';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** v rounded to f32 and moved k steps along the f32 line (through ±0 and into the subnormals alike). */
function stepF32(v: number, k: number): number {
  f32[0] = v;
  if (!Number.isFinite(f32[0]!) || k === 0) return f32[0]!;
  // Ordered integers: negatives below the positives, −0 and +0 one step apart.
  const b = u32[0]!;
  const ord = b & 0x80000000 ? -(b & 0x7fffffff) - 1 : b;
  const to = ord + k;
  u32[0] = to < 0 ? (-(to + 1) | 0x80000000) >>> 0 : Math.min(to, 0x7f800000);
  return f32[0]!;
}

/** An output near `expected`: mostly the rounded value or a few ULPs off, sometimes far off, NaN, ±Infinity or 0;
 *  with `tol`, also an error within a few percent of the bound either side (where a lower bound too high shows). */
const outputOf = (expected: ArrayLike<number>, tol?: ArrayLike<number>) => fc.array(fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0, 0, 1, -1, 2, -3) },
  { weight: 3, arbitrary: fc.integer({ min: -200, max: 200 }) },
  { weight: 1, arbitrary: fc.integer({ min: -(2 ** 24), max: 2 ** 24 }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, -0).map((v) => ({ v })) },
  { weight: tol ? 4 : 0, arbitrary: fc.double({ min: -1.05, max: 1.05, noNaN: true }).map((f) => ({ f })) },
), { minLength: expected.length, maxLength: expected.length }).map((moves) => Float32Array.from(expected, (e, i) => {
  const m = moves[i]!;
  if (typeof m === 'number') return stepF32(e, m);
  if ('v' in m) return m.v;
  const t = tol![i]!;
  return Number.isFinite(t) && Number.isFinite(e) ? e + m.f * t : stepF32(e, 1);
}));

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, MIN_SUBNORMAL_F32, -MIN_SUBNORMAL_F32, MIN_NORMAL_F32, MAX_F32, -MAX_F32,
  13.4, -13.4, 16, -16, 80, -80, 87, -87, 88.1, -88.1, 88.72, -88.72, 89, -89];
/** Inputs: f32 anywhere (NaN, infinities, subnormals), the curved parts, the edges of the unbounded ranges. */
const inputs = fc.array(fc.oneof(
  fc.float(),
  fc.float({ min: -20, max: 20, noNaN: true }),
  fc.float({ min: -100, max: 100, noNaN: true }),
  fc.float({ min: Math.fround(-1e-36), max: Math.fround(1e-36), noNaN: true }),
  fc.constantFrom(...SPECIAL),
), { minLength: 1, maxLength: 120 }).map((v) => Float32Array.from(v));

/** A case of every value distribution at a scale too, as matches-reference draws them. */
const drawn = fc.record({ dist: fc.constantFrom(...VALUE_DISTS), seed: fc.integer({ min: 0, max: 1000 }), n: fc.integer({ min: 1, max: 400 }), scale: fc.integer({ min: 0, max: 4 }) })
  .map(({ dist, seed, n, scale }) => Float32Array.from(fillF32(seed, n, dist), (v) => Math.fround(v * 2 ** scale)));

const xs = fc.oneof(inputs, drawn);

interface Counted extends LazyBound { exacts: number }
const counted = (b: LazyBound): Counted => {
  const c: Counted = { length: b.length, exacts: 0, lower: (i) => lowerAt(b, i), exact: (i) => (c.exacts++, b.exact(i)) };
  return c;
};

const FAMILIES: [string, Family, KernelSpec][] = [['gelu', geluFamily, geluSpec], ['sigmoid', sigmoidFamily, sigmoidSpec], ['tanh', tanhFamily, tanhSpec]];

const outputOfCase = (family: Family, c: Case) => {
  const e = family.reference(c);
  return outputOf(e.y!, family.tolerance(c, e).y!);
};

/** The family's eager and lazy comparisons of an output on x, equal in every field; the lazy one through `lazyOf`. */
function sameComparison(family: Family, lazyOf: (c: Case, e: Record<string, Float64Array>) => LazyBound) {
  return fc.property(xs.chain((x) => fc.tuple(fc.constant(x), outputOfCase(family, { shape: {}, inputs: { x } }))), ([x, actual]) => {
    const c: Case = { shape: { n: x.length }, inputs: { x } };
    const expected = family.reference(c);
    const eager = compareArrays(actual, expected.y!, family.tolerance(c, expected).y!);
    expect(compareArrays(actual, expected.y!, lazyOf(c, expected))).toEqual(eager);
  });
}

describe('lazy bounds in compareArrays', () => {
  // Any bounds, any lower bounds below them (a fraction of each, Infinity where it is), any options.
  const element = fc.record({
    e: fc.oneof(fc.double({ noDefaultInfinity: false }), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, MIN_SUBNORMAL_F32, 2 ** -130, 1)),
    move: fc.oneof(fc.constantFrom(0, 0, 1, -1, 3), fc.integer({ min: -5000, max: 5000 }), fc.constantFrom(NaN, Infinity, -Infinity, -0).map((v) => ({ v }))),
    tol: fc.oneof(fc.constantFrom(0, Infinity, 2 ** -149, 1e-7, 1e-5), fc.double({ min: 0, max: 1e-3, noNaN: true })),
    frac: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
  });
  // Ratios that tie with different errors (1, 2, 4, 8 moved by ULPs, bounds powers of two), where the worst element
  // is the one with the larger error.
  const tie = fc.record({
    e: fc.constantFrom(1, 2, 4, 8),
    move: fc.integer({ min: -2, max: 2 }),
    tol: fc.constantFrom(2 ** -23, 2 ** -22, 2 ** -21, 2 ** -20, 2 ** -19),
    frac: fc.constantFrom(1, 1, 0.5),
  });
  const judged = fc.tuple(fc.oneof(fc.array(element, { maxLength: 60 }), fc.array(tie, { maxLength: 30 })), fc.boolean(), fc.boolean());
  const run = (wrong: boolean) => fc.property(judged, ([els, flushSubnormals, ignoreZeroSign]) => {
    const expected = Float64Array.from(els, (el) => el.e);
    const actual = Float32Array.from(els, (el, i) => (typeof el.move === 'number' ? stepF32(expected[i]!, el.move) : el.move.v));
    const tol = Float64Array.from(els, (el) => el.tol);
    // A wrong lower bound: 1.5 times the bound, on a third of the elements.
    const lower = Float64Array.from(els, (el, i) => (el.tol === Infinity ? Infinity : wrong && i % 3 === 1 ? el.tol * 1.5 + 1e-9 : el.tol * el.frac));
    const opts: CompareOptions = { flushSubnormals, ignoreZeroSign };
    const lazy: LazyBound = { length: els.length, lower: (i) => lower[i]!, exact: (i) => tol[i]! };
    expect(compareArrays(actual, expected, lazy, opts)).toEqual(compareArrays(actual, expected, tol, opts));
  });

  it('give the eager arrays\' comparison, field by field, for any lower bounds below the bounds', () => {
    fc.assert(run(false), { numRuns: 2000, seed: 11 });
  });

  it('are caught when a lower bound is above its bound', () => {
    const r = fc.check(run(true), { numRuns: 2000, seed: 11 });
    expect(r.failed).toBe(true);
  });

  it("are guarded as tolerance() is: a lazyTolerance() that throws or gives the wrong length is the library's error", () => {
    const x = Float32Array.of(1, 2);
    const c: Case = { shape: { n: 2 }, inputs: { x } };
    const spec = FAMILIES[2]![2];
    const withLazy = (lazy: Family['lazyTolerance']) => guardFamily({ ...tanhFamily, lazyTolerance: lazy }, 'properties/t.properties.ts');
    const thrower = withLazy(() => { throw new Error('no bound here'); });
    expect(() => matchesReference(spec, thrower).check(c, [{ x, y: x }])).toThrow(/lazyTolerance\(\) threw .*no bound here/);
    const short = withLazy(() => ({ y: { length: 1, lower: () => 0, exact: () => 0 } }));
    expect(() => matchesReference(spec, short).check(c, [{ x, y: x }])).toThrow(/properties\/t\.properties\.ts: lazyTolerance\(\) gave 1 bounds for 'y' but the reference gave 2/);
  });

  it('throw BoundError on a lower bound that is NaN or negative, as on such a bound', () => {
    const lazy = (l: number): LazyBound => ({ length: 2, lower: (i) => (i ? l : 1), exact: () => 1 });
    expect(() => compareArrays([1, 1], [1, 1], lazy(NaN))).toThrow(/allowed error at 1 is NaN/);
    expect(() => compareArrays([1, 1], [1, 1], lazy(-1))).toThrow(/allowed error at 1 is -1/);
  });
});

describe("gelu's, sigmoid's and tanh's lazyTolerance", () => {
  // Every binade, the specials and every distribution at each scale, as test/hot-loops.test.ts pins them.
  const all: number[] = [...SPECIAL];
  for (let k = -149; k <= 127; k++) all.push(2 ** k, -(2 ** k), Math.fround(2 ** k * 1.5), Math.fround(-(2 ** k) * 0.75));
  for (let v = 10; v <= 95; v += 1 / 64) all.push(v, -v);
  for (const d of VALUE_DISTS) for (let s = 0; s <= 4; s++) for (const v of fillF32(2000 + s, 2048, d)) all.push(Math.fround(v * 2 ** s));
  const x = Float32Array.from(all);

  for (const [name, family] of FAMILIES) {
    it(`${name}: lower ≤ exact, Infinity exactly where exact is, exact equal to tolerance()'s array`, () => {
      const c: Case = { shape: { n: x.length }, inputs: { x } };
      for (const expected of [family.reference(c), { y: new Float64Array(x.length) }]) {
        const tol = family.tolerance(c, expected).y!;
        const lazy = family.lazyTolerance!(c, expected).y!;
        expect(lazy.length).toBe(x.length);
        let bad = -1;
        for (let i = 0; i < x.length && bad < 0; i++) {
          const l = lowerAt(lazy, i);
          const t = lazy.exact(i);
          if (!Object.is(t, tol[i]) || !(l <= t) || (l === Infinity) !== (t === Infinity)) bad = i;
        }
        expect(bad < 0 ? 'ok' : `x[${bad}] = ${x[bad]}: lower ${lowerAt(lazy, bad)}, exact ${lazy.exact(bad)}, tolerance ${tol[bad]}`).toBe('ok');
      }
    });

    // The properties on x and −x: their sums of both sides' bounds.
    const pairs: Record<string, [(v: number) => number, (v: number) => number]> = {
      gelu: [geluBoundOddSumLower, geluBoundOddSum],
      sigmoid: [symmetricBoundLower, symmetricBound],
      tanh: [(v) => tanhBoundFastLower(v) + tanhBoundFastLower(-v), (v) => tanhBoundFast(v) + tanhBoundFast(-v)],
    };
    const pair = pairs[name];
    if (pair) {
      it(`${name}: the x and −x property's lower bound of t(x) + t(−x) is ≤ it, Infinity exactly where it is`, () => {
        const [lower, exact] = pair;
        const bad = x.findIndex((v) => !(lower(v) <= exact(v)) || (lower(v) === Infinity) !== (exact(v) === Infinity));
        expect(bad < 0 ? 'ok' : `x = ${x[bad]}: lower ${lower(x[bad]!)}, exact ${exact(x[bad]!)}`).toBe('ok');
      });
    }

    it(`${name}: the same comparison and matches-reference verdict as the eager bounds, on passing and failing outputs`, () => {
      fc.assert(sameComparison(family, (c, e) => family.lazyTolerance!(c, e).y!), { numRuns: 300, seed: 7 });
      const eagerOnly: Family = { ...family, lazyTolerance: undefined };
      const spec = FAMILIES.find(([n]) => n === name)![2];
      fc.assert(fc.property(xs.chain((x) => fc.tuple(fc.constant(x), outputOfCase(family, { shape: {}, inputs: { x } }))), ([x, actual]) => {
        const c: Case = { shape: { n: x.length }, inputs: { x } };
        expect(matchesReference(spec, family).check(c, [{ x, y: actual }])).toEqual(matchesReference(spec, eagerOnly).check(c, [{ x, y: actual }]));
      }), { numRuns: 200, seed: 8 });
    });

    it(`${name}: a lower bound above the bound is caught`, () => {
      const tooBig = (c: Case, e: Record<string, Float64Array>): LazyBound => {
        const b = family.lazyTolerance!(c, e).y!;
        return { length: b.length, lower: (i) => b.exact(i) * 1.5, exact: (i) => b.exact(i) };
      };
      expect(fc.check(sameComparison(family, tooBig), { numRuns: 300, seed: 7 }).failed).toBe(true);
    });
  }

  // gelu's and tanh's lower bounds are within 2% of their bounds on most elements; sigmoid's (the form without the
  // second exp) about 0.6-0.75 of it, which leaves a fifth of a correct output's elements to the exact bound.
  it('take few exact bounds on a correct output: a lower bound that decides nothing would take them all', () => {
    const most = { gelu: 1 / 50, sigmoid: 1 / 4, tanh: 1 / 50 } as Record<string, number>;
    for (const [name, family] of FAMILIES) {
      const x = Float32Array.from(fillF32(3, 20000, 'normal'), (v) => Math.fround(v * 4));
      const c: Case = { shape: { n: x.length }, inputs: { x } };
      const expected = family.reference(c);
      const actual = Float32Array.from(expected.y!, (v, i) => stepF32(v, (i % 3) - 1));
      const lazy = counted(family.lazyTolerance!(c, expected).y!);
      const cmp = compareArrays(actual, expected.y!, lazy);
      expect(cmp.pass).toBe(true);
      expect(cmp).toEqual(compareArrays(actual, expected.y!, family.tolerance(c, expected).y!));
      expect(lazy.exacts, name).toBeLessThan(x.length * most[name]!);
    }
  });
});

describe("gelu's odd part, tanh's odd and sigmoid's symmetric: lazy bounds inside the property", () => {
  const oddOf = (family: Family, name: string) => family.properties.find((p) => p.name === name)!;
  // Shapes as the properties draw them (every distribution, scales), outputs anywhere near the exact ones.
  const shapes = fc.record({ n: fc.integer({ min: 1, max: 300 }), seed: fc.integer({ min: 0, max: 5000 }), dist: fc.constantFrom(...VALUE_DISTS), scale: fc.integer({ min: 0, max: 3 }) });
  const judged = (family: Family, name: string) => shapes.chain((d) => {
    const [a, b] = oddOf(family, name).runs(d);
    // The first run's errors near the property's bound, the sum of both runs' tolerances.
    const ta = family.tolerance(a!, family.reference(a!)).y!;
    const tb = family.tolerance(b!, family.reference(b!)).y!;
    return fc.tuple(fc.constant(d), outputOf(family.reference(a!).y!, ta.map((t, i) => t + tb[i]!)), outputOf(family.reference(b!).y!));
  });

  it("gelu's odd-part-is-identity gives the verdict of geluBoundOddSum's array (the code before)", () => {
    const odd = oddOf(geluFamily, 'odd-part-is-identity');
    fc.assert(fc.property(judged(geluFamily, 'odd-part-is-identity'), ([d, ya, yb]) => {
      const x = odd.runs(d)[0]!.inputs.x!;
      const got = Float64Array.from(ya, (v, i) => v - yb[i]!);
      const allowed = Float64Array.from(x, (v, i) => {
        const t = geluBoundOddSum(v);
        return Number.isFinite(t) ? t + 2 ** -52 * (Number.isFinite(got[i]) ? Math.abs(got[i]!) : 0) : Infinity;
      });
      expect(odd.check(d, [{ y: ya }, { y: yb }])).toEqual(compareVerdict('y', got, x, allowed, 'ŷ(x) − ŷ(−x) against x'));
    }), { numRuns: 300, seed: 9 });
  });

  it("sigmoid's symmetric gives the verdict of symmetricBound's array (the code before)", () => {
    const symmetric = oddOf(sigmoidFamily, 'symmetric');
    fc.assert(fc.property(judged(sigmoidFamily, 'symmetric'), ([d, ya, yb]) => {
      const x = symmetric.runs(d)[0]!.inputs.x!;
      const allowed = Float64Array.from(x, (v) => symmetricBound(v));
      const want = compareVerdict('y', Float64Array.from(ya, (v, i) => v + yb[i]!), new Float64Array(x.length).fill(1), allowed, 'ŷ(x) + ŷ(−x) against 1');
      expect(symmetric.check(d, [{ y: ya }, { y: yb }])).toEqual(want);
    }), { numRuns: 300, seed: 12 });
  });

  it("tanh's odd gives the verdict of tanhBoundFast's array (the code before)", () => {
    const odd = oddOf(tanhFamily, 'odd');
    fc.assert(fc.property(judged(tanhFamily, 'odd'), ([d, ya, yb]) => {
      const x = odd.runs(d)[0]!.inputs.x!;
      const allowed = Float64Array.from(x, (v) => tanhBoundFast(v) + tanhBoundFast(-v));
      const want = compareVerdict('y', Float64Array.from(ya, (v, i) => v + yb[i]!), new Float64Array(x.length), allowed, 'ŷ(x) + ŷ(−x) against 0');
      expect(odd.check(d, [{ y: ya }, { y: yb }])).toEqual(want);
    }), { numRuns: 300, seed: 10 });
  });
});

describe("add's lazyTolerance", () => {
  // Sums inside binades, at powers of two, exact and inexact in f64 (exponents 30 apart), subnormal, flushed,
  // overflowing and not finite.
  // Finite inputs: add's draws have no others (its tolerance() is NaN for a NaN input).
  const ADD_SPECIAL = [0, -0, 1, -1, 1.5, 2 ** 24, 2 ** -30, MIN_SUBNORMAL_F32, -MIN_SUBNORMAL_F32, MIN_NORMAL_F32, 2 ** -127, MAX_F32, -MAX_F32, 2 ** 127];
  const pairs: [number, number][] = [];
  for (const a of ADD_SPECIAL) for (const b of ADD_SPECIAL) pairs.push([a, b]);
  for (const d of VALUE_DISTS) {
    const a = fillF32(3000, 4096, d);
    const b = fillF32(3001, 4096, d);
    for (let i = 0; i < a.length; i++) pairs.push([a[i]!, b[i]!], [a[i]!, Math.fround(a[i]! * 2 ** -30)], [a[i]!, -a[(i + 1) % a.length]!]);
  }
  const a = Float32Array.from(pairs, ([v]) => v);
  const b = Float32Array.from(pairs, ([, v]) => v);
  const c: Case = { shape: { n: a.length }, inputs: { a, b } };

  it("lower ≤ exact, Infinity exactly where exact is, exact equal to tolerance()'s array", () => {
    for (const expected of [addFamily.reference(c), { c: new Float64Array(a.length) }]) {
      const tol = addFamily.tolerance(c, expected).c!;
      const lazy = addFamily.lazyTolerance!(c, expected).c!;
      let bad = -1;
      for (let i = 0; i < a.length && bad < 0; i++) {
        const l = lowerAt(lazy, i);
        const t = lazy.exact(i);
        if (!Object.is(t, tol[i]) || !(l <= t) || (l === Infinity) !== (t === Infinity)) bad = i;
      }
      expect(bad < 0 ? 'ok' : `${a[bad]} + ${b[bad]}: lower ${lowerAt(lazy, bad)}, exact ${lazy.exact(bad)}, tolerance ${tol[bad]}`).toBe('ok');
    }
  });

  const f32s = fc.oneof(fc.float({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...ADD_SPECIAL), fc.float({ min: -4, max: 4, noNaN: true }));
  const sums = fc.array(fc.tuple(f32s, f32s), { minLength: 1, maxLength: 100 }).chain((ab) => {
    const c: Case = { shape: { n: ab.length }, inputs: { a: Float32Array.from(ab, ([x]) => x), b: Float32Array.from(ab, ([, y]) => y) } };
    const e = addFamily.reference(c);
    return fc.tuple(fc.constant(c), outputOf(e.c!, addFamily.tolerance(c, e).c!));
  });
  const same = (lazyOf: (c: Case, e: Record<string, Float64Array>) => LazyBound) => fc.property(sums, ([c, actual]) => {
    const e = addFamily.reference(c);
    expect(compareArrays(actual, e.c!, lazyOf(c, e))).toEqual(compareArrays(actual, e.c!, addFamily.tolerance(c, e).c!));
  });

  it('give the same comparison and matches-reference verdict as the eager bounds', () => {
    fc.assert(same((c, e) => addFamily.lazyTolerance!(c, e).c!), { numRuns: 500, seed: 13 });
    const eagerOnly: Family = { ...addFamily, lazyTolerance: undefined };
    fc.assert(fc.property(sums, ([c, actual]) => {
      const out = { ...c.inputs, c: actual };
      expect(matchesReference(addSpec, addFamily).check(c, [out])).toEqual(matchesReference(addSpec, eagerOnly).check(c, [out]));
    }), { numRuns: 300, seed: 14 });
  });

  it('a lower bound above the bound is caught', () => {
    const tooBig = (c: Case, e: Record<string, Float64Array>): LazyBound => {
      const l = addFamily.lazyTolerance!(c, e).c!;
      return { length: l.length, lower: (i) => l.exact(i) * 1.5, exact: (i) => l.exact(i) };
    };
    expect(fc.check(same(tooBig), { numRuns: 500, seed: 13 }).failed).toBe(true);
  });

  it('take few exact bounds on a correctly rounded output', () => {
    const a = fillF32(5, 20000, 'normal');
    const b = fillF32(6, 20000, 'normal');
    const c: Case = { shape: { n: a.length }, inputs: { a, b } };
    const e = addFamily.reference(c);
    const actual = Float32Array.from(e.c!);
    const lazy = counted(addFamily.lazyTolerance!(c, e).c!);
    const cmp = compareArrays(actual, e.c!, lazy);
    expect(cmp.pass).toBe(true);
    expect(cmp).toEqual(compareArrays(actual, e.c!, addFamily.tolerance(c, e).c!));
    expect(lazy.exacts).toBeLessThan(a.length / 20);
  });
});
