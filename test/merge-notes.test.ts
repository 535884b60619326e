// A property's notes over its cases: counts keep their largest, and a sentence comes from the case that count is of
// (a new user read "unboundedElements 12113" beside "452 of 1469 elements", from two different cases).
import { describe, expect, test } from 'vitest';
import { formatResult } from '../harness/cli/progress.ts';
import { compareArrays, describeFailure, maxMeasure } from '../harness/compare.ts';
import { jsonText } from '../harness/run/json-text.ts';
import { mergeNotes } from '../harness/run/property-runner.ts';

describe('mergeNotes', () => {
  test('the sentence beside a count describes the case with the largest count', () => {
    const into = {};
    mergeNotes(into, { unboundedElements: 12113, 'unbounded dst': '12113 of 40000 elements' });
    mergeNotes(into, { unboundedElements: 452, 'unbounded dst': '452 of 1469 elements' });
    expect(into).toEqual({ unboundedElements: 12113, 'unbounded dst': '12113 of 40000 elements' });
    mergeNotes(into, { unboundedElements: 20000, 'unbounded dst': '20000 of 50000 elements' });
    expect(into).toEqual({ unboundedElements: 20000, 'unbounded dst': '20000 of 50000 elements' });
  });

  test("a reference's NaN is said from the first case that has one, whichever case leads the counts", () => {
    const into = {};
    mergeNotes(into, { unboundedElements: 3, 'NaN reference y': 'first y[9]' });
    mergeNotes(into, { unboundedElements: 4096, 'unbounded y': 'an overflow' });
    mergeNotes(into, { unboundedElements: 4097, 'NaN reference y': 'first y[4096]' });
    expect(into).toEqual({ unboundedElements: 4097, 'unbounded y': 'an overflow', 'NaN reference y': 'first y[9]' });
  });

  // Trial 169 B1: a property's z-score of -3.4 in one case was hidden behind the signed largest, 2.1.
  test("a property's own number keeps the case's largest in size, with its sign, and the line says so", () => {
    const into = {};
    mergeNotes(into, { z: 2.1 });
    mergeNotes(into, { z: -3.4 });
    mergeNotes(into, { z: 0.5 });
    expect(into).toEqual({ z: -3.4 });
    expect(formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'pass', runs: 3, durationMs: 1, notes: into })).toMatch(/ {2}z -3\.400 \(the largest in size of the cases\)$/);
  });

  test('flags hold only if they hold for every case; notes without a count keep the latest sentence', () => {
    const into = {};
    mergeNotes(into, { bitIdentical: true, device: 'shader-f16' });
    mergeNotes(into, { bitIdentical: false, device: 'subgroups' });
    expect(into).toEqual({ bitIdentical: false, device: 'subgroups' });
  });
});

describe("a result's line on the terminal", () => {
  test('says the unbounded sentence once, as one case\'s, without the counts it holds', () => {
    const line = formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'pass', runs: 3, durationMs: 1,
      notes: { unboundedElements: 8192, unboundedNonFinite: 17, 'unbounded y': '8192 of the case\'s 8192 elements had no finite bound', bitIdentical: true } });
    expect(line).toMatch(/ms {2}unbounded y \(in the case with the most\): 8192 of the case's 8192 elements had no finite bound, bitIdentical true$/);
    // Counts without their sentence stay.
    expect(formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'pass', runs: 3, durationMs: 1, notes: { unboundedElements: 5 } })).toMatch(/unboundedElements 5$/);
  });

  test('one case is "1 case", in the same column as "3 cases" (a trial read "1 cases")', () => {
    const at = (runs: number) => formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'pass', runs, durationMs: 1 });
    expect(at(1)).toContain('    1 case  ');
    expect(at(3)).toContain('    3 cases ');
    expect(at(1).length).toBe(at(3).length);
  });

  test('an exact property\'s miss says how far off, not "∞ of bound"', () => {
    const at = (maxError: { abs: number; ulp: number; boundRatio: number }) =>
      formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'fail', runs: 3, durationMs: 1, maxError });
    expect(at({ abs: 770, ulp: 770, boundRatio: Infinity })).toMatch(/ms {2}exact bound, off by 770$/);
    // A property's own measure of a count (histogram's total) gives no distance in ulps: none is printed.
    expect(at({ abs: 126, ulp: 0, boundRatio: Infinity })).toMatch(/ms {2}exact bound, off by 126$/);
    expect(at({ abs: 0.5, ulp: 4194304, boundRatio: Infinity })).toMatch(/exact bound, off by 0\.5, 4\.2e\+6 ulp$/);
    // Trial 155 B0: counts summed in floats, off by a whole 1500, are not "1.7e+7 ulp" off; a large float's whole
    // difference of few steps keeps them.
    expect(at({ abs: 1500, ulp: 16777216, boundRatio: Infinity })).toMatch(/ms {2}exact bound, off by 1500$/);
    expect(at({ abs: 4096, ulp: 2, boundRatio: Infinity })).toMatch(/exact bound, off by 4096, 2 ulp$/);
    expect(at({ abs: Infinity, ulp: Infinity, boundRatio: Infinity })).toMatch(/∞ of bound, ∞ ulp$/);
    // Trial 223 B2: a 32-bit integer's difference past 2^31 is said the shorter way round too; a float's is not.
    const integer = (abs: number) => formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'fail', runs: 3, durationMs: 1, maxError: { abs, ulp: abs, boundRatio: Infinity, integer: true } });
    expect(integer(4256292576)).toMatch(/ms {2}exact bound, off by 4256292576, or 38674720 modulo 2\^32$/);
    expect(integer(2 ** 31 - 1)).toMatch(/off by 2147483647$/);
    expect(at({ abs: 4256292576, ulp: 3, boundRatio: Infinity })).toMatch(/off by 4\.3e\+9, 3 ulp$/);
    // Trial 171 B1: off by 0 at an infinite ratio (a property's measure of a NaN error) is no broken zero bound.
    expect(at({ abs: 0, ulp: 0, boundRatio: Infinity })).toMatch(/ms {2}∞ of bound$/);
    expect(at({ abs: 1e-6, ulp: 3, boundRatio: 0.25 })).toMatch(/0\.25 of bound, 3 ulp$/);
    // Past a bound that is not 0, the element is named as for an exact one: the header is the drawn cases' worst,
    // the message the shrunk case's (trial 47). Within it, nothing is added.
    const worst = { abs: 2, ulp: 9, boundRatio: 2.3e23, atWorst: { abs: 2, ulp: 9, buffer: 'y', index: 4 } };
    expect(formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'fail', runs: 3, durationMs: 1, maxError: worst })).toMatch(/2\.3e\+23 of bound, 9 ulp \(y\[4\], the worst of the cases drawn\)$/);
    expect(formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'pass', runs: 3, durationMs: 1, maxError: { ...worst, boundRatio: 0.5 } })).toMatch(/0\.50 of bound, 9 ulp$/);
  });

  // A trial's rgba8: unpacked[10] broke its exact bound by 0.0079, while a packed u32 beside it was allowed 2^24 and
  // that error was the largest; the line read "exact bound, off by 1.7e+7".
  test('an exact property\'s miss is the breaking element\'s, not the largest error another bound allowed', () => {
    const packed = compareArrays(new Uint32Array([0x01000000]), new Float64Array([0]), 2 ** 24);
    const unpacked = compareArrays(new Float32Array([-1.007874011993408]), new Float64Array([-1]), 0);
    const maxError = maxMeasure(maxMeasure(undefined, packed.measure), unpacked.measure)!;
    expect(maxError).toMatchObject({ abs: 2 ** 24, boundRatio: Infinity, atWorst: { abs: Math.fround(1.007874011993408) - 1, ulp: 66052 } });
    const line = formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'fail', runs: 3, durationMs: 1, maxError });
    expect(line).toMatch(/exact bound, off by 7\.9e-3, 6\.6e\+4 ulp; largest error of any element 1\.7e\+7, judged by a bound of its own$/);
    // In either order, and over cases: the larger ratio's element.
    expect(maxMeasure(unpacked.measure, packed.measure)!.atWorst).toEqual(maxError.atWorst);
    expect(maxMeasure(maxError, { abs: 3, ulp: 3, boundRatio: 0.5 })!.atWorst).toEqual(maxError.atWorst);
  });

  // Trial 114 B2: a packed u32 output's failure headed by an f32 output's rounding, "largest error of any element
  // 1.7e+29", read as the packed words'.
  test('the largest error of another buffer names it', () => {
    const q = { ...compareArrays(new Uint32Array([5]), new Float64Array([4]), 0).measure, absBuffer: 'q' };
    const scales = { ...compareArrays(new Float32Array([1e36]), new Float64Array([1e36 + 1e29]), 1e30).measure, absBuffer: 'scales' };
    const maxError = maxMeasure(maxMeasure(undefined, { ...q, atWorst: { ...q.atWorst!, buffer: 'q', index: 0 } }), scales)!;
    expect(maxError.absBuffer).toBe('scales');
    expect(maxMeasure(scales, q)!.absBuffer).toBe('scales');
    const line = formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'fail', runs: 3, durationMs: 1, maxError });
    expect(line).toMatch(/exact bound, off by 1 \(q\[0\], the worst of the cases drawn\); largest error of any element [\d.e+]+ \(in scales\), judged by a bound of its own$/);
  });

  // Trial 111 B2, trial 114 B2: a u32 output's headline in float words ("0.0000 of bound, 0 ulp", "3.3e+4 ulp"), and its
  // fractional reference (a packed word's midpoint) as "1.17440512e9".
  test('an integer output is said in whole units, its fractional reference whole and in hexadecimal', () => {
    const line = (actual: number, expected: number, allowed: number) => {
      const c = compareArrays(Uint32Array.of(actual), Float64Array.of(expected), allowed);
      return { head: formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: c.pass ? 'pass' : 'fail', runs: 1, durationMs: 1, maxError: maxMeasure(undefined, c.measure)! }), c };
    };
    expect(line(7, 7, 0).head).toMatch(/ exact$/);
    expect(line(1174438000, 1174405120.5, 33000).head).toMatch(/ 1\.00 of bound, off by 32879\.5$/);
    const { c } = line(1174470656, 1174405120.5, 0.5);
    expect(describeFailure('dst', c)).toMatch(/^dst\[0\] = 1174470656 \(0x46010000\) but the reference is 1174405120\.5 \(0x46000000 \+ 0\.5\)/);
    // Beside a float buffer, the float's units.
    expect(maxMeasure(c.measure, compareArrays(Float32Array.of(1), Float64Array.of(1), 0).measure)!.integer).toBeUndefined();
  });

  // A trial's scan was off by 2 in its first failing case and by 3.7e9 in a later one: every failure of an exact
  // bound is at ∞, and the first case's element headed the line.
  test('of two exact-bound misses, the larger error heads the line, in either order', () => {
    const small = { abs: 2, ulp: 2, boundRatio: Infinity };
    const large = { abs: 3724589141, ulp: 3724589141, boundRatio: Infinity };
    for (const [a, b] of [[small, large], [large, small]]) expect(maxMeasure(a, b)!.atWorst).toEqual({ abs: 3724589141, ulp: 3724589141 });
    const line = formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'fail', runs: 3, durationMs: 1, maxError: maxMeasure(small, large)! });
    expect(line).toMatch(/exact bound, off by 3724589141$/);
  });

  // Trials 43 and 45 read a header's "off by 4.3e+9" (a sum limb in some case) against the message's first failure of
  // the shrunk case, another buffer off by 1, as one number: the header names its element.
  test('an exact-bound miss whose place is known names its buffer and element, as the worst of the cases drawn', () => {
    const maxError = { abs: 4294967295, ulp: 4294967295, boundRatio: Infinity, atWorst: { abs: 4294967295, ulp: 4294967295, buffer: 'sum', index: 39 } };
    const line = formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'fail', runs: 3, durationMs: 1, maxError });
    expect(line).toMatch(/exact bound, off by 4294967295 \(sum\[39\], the worst of the cases drawn\)$/);
    // Trial 204 B2: a float's whole error past 2^24 (its f32 steps are fewer than it) in its magnitude only.
    const float = { abs: 1714492239, ulp: 3.2e7, boundRatio: Infinity };
    expect(formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'fail', runs: 3, durationMs: 1, maxError: float })).toMatch(/exact bound, off by 1\.7e\+9, 3\.2e\+7 ulp$/);
  });

  test('a counterexample fast-check could not shrink is the case it failed on, not "shrunk to"', () => {
    const at = (path: string) => formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'fail', runs: 1, durationMs: 1,
      counterexample: { fixture: 'fixtures/counterexamples/k.json', shrunk: { n: 16777216 }, seed: 1, path } }).split('\n')[1];
    expect(at('0')).toMatch(/^ {5}failed on \{"n":16777216\}; saved/);
    expect(at('3:0:1')).toMatch(/^ {5}shrunk to \{"n":16777216\}; saved/);
    // A learner had to build the visual debugger's command from the docs: it is printed beside replay's.
    expect(at('0')).toMatch(/\(replay: .*kernelscope\S* replay fixtures\/counterexamples\/k\.json; see it: .*kernelscope\S* view k --case fixtures\/counterexamples\/k\.json\)$/);
  });

  test('a shape\'s -Infinity reads as -Infinity, not null (results.json keeps it encoded, as fixtures do)', () => {
    const line = formatResult({ kernel: 'k', property: 'p', backend: 'dawn', status: 'fail', runs: 1, durationMs: 1,
      counterexample: { fixture: 'fixtures/counterexamples/k.json', shrunk: { rows: 1, mask: { $number: '-Infinity' } }, seed: 1, path: '0:1' } }).split('\n')[1];
    expect(line).toMatch(/^ {5}shrunk to \{"rows":1,"mask":-Infinity\}; saved/);
    expect(jsonText({ a: -Infinity, b: [NaN, 2], c: { $number: 'Infinity' }, d: '$number' })).toBe('{"a":-Infinity,"b":[NaN,2],"c":Infinity,"d":"$number"}');
  });
});
