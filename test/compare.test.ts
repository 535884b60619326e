import { describe, expect, it } from 'vitest';
import { Float16Array } from '@petamoriken/float16';
import { compareArrays, describeFailure, describeUnbounded } from '../harness/compare.ts';
import { MAX_F32, nextUp } from '../harness/bounds/f32.ts';
import { bitsVerdict, compareVerdict } from '../properties/verdict.ts';

describe('compareArrays', () => {
  it('passes a faithful result and measures its error', () => {
    const expected = Float64Array.from([1 / 3, 2 / 3, 1]);
    const actual = Float32Array.from(expected);
    const c = compareArrays(actual, expected, 1e-7);
    expect(c.pass).toBe(true);
    expect(c.failures).toBe(0);
    expect(c.firstFailure).toBeUndefined();
    // fround(2/3) = 2 · fround(1/3): twice the error of 1/3, the largest of the three (1 is exact).
    const e23 = Math.abs(Math.fround(2 / 3) - 2 / 3);
    expect(e23).toBe(2 * Math.abs(Math.fround(1 / 3) - 1 / 3));
    expect(c.measure.abs).toBe(e23);
    expect(c.measure.ulp).toBe(0);
    expect(c.worst).toBe(1);
    expect(c.measure.boundRatio).toBe(e23 / 1e-7);
  });

  it('detects a single bad element and points at it', () => {
    const expected = new Float64Array(100).map((_, i) => i * 0.5);
    const actual = Float32Array.from(expected);
    actual[37] = 18.5 + 0.25; // expected[37] = 18.5
    const c = compareArrays(actual, expected, 1e-6);
    expect(c.pass).toBe(false);
    expect(c.failures).toBe(1);
    expect(c.worst).toBe(37);
    expect(c.firstFailure).toEqual({ index: 37, actual: 18.75, expected: 18.5, allowed: 1e-6 });
    expect(c.measure.abs).toBe(0.25);
    expect(c.measure.ulp).toBe(0.25 / 2 ** -19); // 18.5 is in [16, 32): spacing 2^-19
    expect(c.measure.boundRatio).toBe(0.25 / 1e-6);
  });

  it('the worst index is the largest error relative to its own bound, not the largest error', () => {
    const expected = [10, 1, 100];
    const actual = [10.1, 1.5, 101];
    const allowed = Float64Array.from([1, 1, 10]); // ratios 0.1, 0.5, 0.1
    const c = compareArrays(actual, expected, allowed);
    expect(c.pass).toBe(true);
    expect(c.worst).toBe(1);
    expect(c.measure.boundRatio).toBe(0.5);
    expect(c.measure.abs).toBe(1);
    expect(c.worstElement).toEqual({ index: 1, actual: 1.5, expected: 1, allowed: 1 });
  });

  it('counts every failure and keeps the first', () => {
    const c = compareArrays([0, 5, 0, 9], [0, 0, 0, 0], 1);
    expect(c.failures).toBe(2);
    expect(c.firstFailure?.index).toBe(1);
    expect(c.worst).toBe(3);
  });

  it('NaN and infinity rules', () => {
    expect(compareArrays([NaN], [NaN], 0).pass).toBe(true);
    const nanForFinite = compareArrays([NaN], [1], 1e-3);
    expect(nanForFinite.pass).toBe(false);
    expect(nanForFinite.measure.boundRatio).toBe(Infinity);
    expect(nanForFinite.measure.ulp).toBe(Infinity);
    expect(compareArrays([1], [NaN], 1e9).pass).toBe(false);
    expect(compareArrays([Infinity], [Infinity], 0).pass).toBe(true);
    expect(compareArrays([-Infinity], [-Infinity], 0).pass).toBe(true);
    expect(compareArrays([MAX_F32], [Infinity], 1e38).pass).toBe(false);
    expect(compareArrays([Infinity], [-Infinity], 0).pass).toBe(false);
    const infForFinite = compareArrays([Infinity], [1], 1e30);
    expect(infForFinite.pass).toBe(false);
    expect(infForFinite.measure.boundRatio).toBe(Infinity);
    // An unbounded allowance (the spec allows an indeterminate value) accepts anything.
    const any = compareArrays([NaN, 7], [1, Infinity], Infinity);
    expect(any.pass).toBe(true);
    expect(any.measure.boundRatio).toBe(0);
  });

  it('allowed 0: exact results only', () => {
    const exact = compareArrays([1, 2], [1, 2], 0);
    expect(exact.pass).toBe(true);
    expect(exact.measure.boundRatio).toBe(0);
    const off = compareArrays([1, nextUp(2)], [1, 2], 0);
    expect(off.pass).toBe(false);
    expect(off.measure.boundRatio).toBe(Infinity);
    expect(off.measure.ulp).toBe(1);
  });

  it('flushes subnormal expected values to zero when allowed', () => {
    const expected = [1e-40, -1e-41, 1e-30];
    const actual = [0, -0, 1e-30];
    const flushed = compareArrays(actual, expected, 0);
    expect(flushed.pass).toBe(true);
    expect(flushed.measure.abs).toBe(0);
    const strict = compareArrays(actual, expected, 0, { flushSubnormals: false });
    expect(strict.pass).toBe(false);
    expect(strict.failures).toBe(2);
    expect(strict.measure.abs).toBe(1e-40);
    // Flushing applies to subnormal expectations only: 0 for the normal 1e-30 is an error of 1e-30.
    expect(compareArrays([0], [1e-30], 0).pass).toBe(false);
    // A normal expectation whose bound reaches below 2^-126 allows a subnormal result, and so its flush: exp's 177
    // ULP (2.5e-43 here) at 1.17549967e-38, 38 f32 steps above the smallest normal (a trial's); not a bound that stops short of it.
    const e = Math.fround(1.17549967e-38);
    expect(compareArrays([0], [e], 2.5e-43).pass).toBe(true);
    expect(compareArrays([0], [e], 2.5e-43, { flushSubnormals: false }).pass).toBe(false);
    expect(compareArrays([0], [e], 4e-44).pass).toBe(false);
    // An f16 buffer's subnormals are below 2^-14 (trial 73: an f16 add flushed 2.52e-5 to 0 and failed "exact").
    const f16 = (x: number) => Float16Array.of(x) as unknown as ArrayLike<number>;
    expect(compareArrays(f16(0), [0.0000252127647], 0).pass).toBe(true);
    expect(compareArrays(f16(0), [0.0000252127647], 0, { flushSubnormals: false }).pass).toBe(false);
    expect(compareArrays(f16(0), [0.0001], 0).pass).toBe(false);
  });

  // A trial's reduce_max folded by select(m, v, v > m) gave -5.07e-39 for [-5.07e-39, -131072, 0] on SwiftShader, which
  // flushes the comparison's operands: to it every value below 2^-126 in magnitude is zero, the max.
  it('flushTies: a value below 2^-126 meets an expected value below it too, not a normal one', () => {
    const m = Math.fround(-5.07195775e-39);
    expect(compareArrays([m], [0], 0).pass).toBe(false);
    expect(compareArrays([m], [0], 0, { flushTies: true }).pass).toBe(true);
    expect(compareArrays([Math.fround(1.03e-38)], [Math.fround(-1.07e-38)], 0, { flushTies: true }).pass).toBe(true);
    // The smallest normal is not zero to any implementation: a max started from FLT_MIN is wrong.
    expect(compareArrays([2 ** -126], [Math.fround(1e-39)], 0, { flushTies: true }).pass).toBe(false);
    expect(compareArrays([Math.fround(1e-39)], [2 ** -126], 0, { flushTies: true }).pass).toBe(false);
  });

  it('the sign of zero is ignored unless asked for', () => {
    expect(compareArrays([-0], [0], 0).pass).toBe(true);
    const signed = compareArrays([-0, 0], [0, 0], 0, { ignoreZeroSign: false });
    expect(signed.pass).toBe(false);
    expect(signed.firstFailure?.index).toBe(0);
    expect(compareArrays([-0], [-0], 0, { ignoreZeroSign: false }).pass).toBe(true);
  });

  it('empty inputs, mismatched lengths and invalid bounds', () => {
    const empty = compareArrays([], [], 1);
    expect(empty.pass).toBe(true);
    expect(empty.worst).toBe(-1);
    expect(() => compareArrays([1, 2], [1], 0)).toThrow(RangeError);
    expect(() => compareArrays([1], [1], [0, 0])).toThrow(RangeError);
    expect(() => compareArrays([1], [1], -1)).toThrow(/≥ 0/);
    expect(() => compareArrays([1], [1], NaN)).toThrow(RangeError);
  });
});

describe('describeFailure', () => {
  it('names the element, both values, the error and how far past the bound', () => {
    const c = compareArrays([1.5], [1.25], 1.2e-7);
    expect(describeFailure('c', c)).toBe('c[0] = 1.5 but the reference is 1.25 (error 0.25, allowed 1.2e-7: 2.1e6 × the bound)');
  });

  it('reports the count and the first failure when several elements fail', () => {
    const expected = new Float64Array(1024).fill(1);
    const actual = new Float32Array(1024).fill(1);
    actual[5] = 1.001;
    actual[37] = 2;
    actual[900] = 1.01;
    const line = describeFailure('out', compareArrays(actual, expected, 1e-6));
    expect(line).toBe(
      'out[37] = 2 but the reference is 1 (error 1, allowed 1e-6: 1e6 × the bound); 3 of 1024 elements outside their error bound, first at out[5] (out[37], quoted, is the worst)',
    );
  });

  it('explains non-finite and sign-of-zero failures', () => {
    expect(describeFailure('y', compareArrays([NaN], [0.5], 1))).toBe(
      'y[0] = NaN but the reference is 0.5 (a non-finite result where a finite one was expected)',
    );
    // Trial 129 B1: past f32's largest value an infinite result is one WGSL allows; the bound is what to change.
    expect(describeFailure('y', compareArrays([Infinity], [3.40363875e38], 1e30))).toBe(
      'y[0] = Infinity but the reference is 3.40363875e38 (a non-finite result; the reference is past f32\'s largest value (3.40282347e38), where the result may be infinite (WGSL §"Floating Point Evaluation": past it, either the largest value or infinity): the tolerance is what to change, with Infinity for such an element)',
    );
    // Trial 168 B1: of another run, it is that run, not "the reference", that is past the largest value.
    expect(describeFailure('y', compareArrays([Infinity], [6.80564693e38], 1e30), '2^1 × the plain run')).toMatch(/^y\[0\] = Infinity but 2\^1 × the plain run is 6\.80564693e38 \(a non-finite result; 2\^1 × the plain run is past f32's largest value/);
    expect(describeFailure('y', compareArrays([3], [NaN], 1))).toBe('y[0] = 3 but the reference is NaN (the reference gives NaN here, which a kernel must match; from finite inputs, a NaN is more often the reference\'s mistake)');
    expect(describeFailure('y', compareArrays([-0], [0], 0, { ignoreZeroSign: false }))).toBe(
      'y[0] = -0 but the reference is 0 (the sign of zero differs)',
    );
    expect(describeFailure('y', compareArrays([Math.fround(0.1)], [0.1], 0))).toBe(
      'y[0] = 0.100000001 but the reference is 0.1 (error 1.5e-9, allowed 0: the result must be exact)',
    );
  });

  it('says how close a passing comparison came', () => {
    expect(describeFailure('z', compareArrays([1, 1.05], [1, 1], 0.1))).toBe(
      'z: all 2 elements within bound; worst z[1] at 0.5 × the bound',
    );
  });

  it('names the expected side as told, where it is another run and not the reference', () => {
    const c = compareArrays([1, 3], [1, 2], 0.5);
    expect(describeFailure('out', c, "the permuted run's")).toMatch(/^out\[1\] = 3 but the permuted run's is 2 \(error 1, allowed 0\.5: 2 × the bound\)$/);
  });

  it('prints integer buffers as integers, errors in units of 1', () => {
    const c = compareArrays(Uint32Array.of(7, 2142950317), [7, 12], 0);
    expect(c.integer).toBe(true);
    expect(c.measure.ulp).toBe(2142950305);
    expect(describeFailure('count', c)).toBe('count[1] = 2142950317 (0x7fbad3ad) but the reference is 12 (0xc) (error 2142950305, in 20 of 32 bits (xor 0x7fbad3a1), allowed 0: the result must be exact)');
    // Trial 146 B2: a hash's error as a difference of words says nothing; the bits that differ do.
    expect(describeFailure('h', compareArrays(Uint32Array.of(2336735992), [1094697425], 0))).toMatch(/\(error 1242038567, in 13 of 32 bits \(xor 0xca780329\), allowed 0: the result must be exact\)$/);
    // Small integers read as they are; negative ones in hexadecimal as their 32 bits.
    expect(describeFailure('n', compareArrays(Int32Array.of(3), [4], 0))).toBe('n[0] = 3 but the reference is 4 (error 1, allowed 0: the result must be exact)');
    expect(describeFailure('n', compareArrays(Int32Array.of(-70000), [4], 0))).toMatch(/^n\[0\] = -70000 \(0xfffeee90\) but the reference is 4 \(0x4\)/);
    // Trial 183 B2: of opposite signs, small or not: a sign extension forgotten shows as the high bits.
    expect(describeFailure('q', compareArrays(Int32Array.of(202), [-54], 0))).toBe('q[0] = 202 (0xca) but the reference is -54 (0xffffffca) (error 256, in 24 of 32 bits (xor 0xffffff00), allowed 0: the result must be exact)');
    // Against a fractional reference (a luma rounded to a level), the error and the allowance in a few digits.
    expect(describeFailure('dst', compareArrays(Uint32Array.of(149), [149.685], 0.5005471710304054))).toBe('dst[0] = 149 but the reference is 149.685 (error 0.69, allowed 0.5: 1.4 × the bound)');
  });

  it('counts and reports the elements whose bound is unbounded, non-finite ones first', () => {
    const c = compareArrays([0.5, NaN, Infinity], [0.5, 1, 1], [1e-7, Infinity, Infinity]);
    expect(c.pass).toBe(true);
    expect(c.unbounded).toBe(2);
    expect(c.unboundedNonFinite).toBe(2);
    expect(describeFailure('y', c)).toBe(
      "y: all 3 elements within bound; worst y[0] at 0 × the bound; 2 of the case's 3 elements had no finite bound (the spec's tolerance is Infinity there, as where WGSL allows any value; the family's unboundedWhere can say why), 2 of them NaN or infinite where the reference is within f32's range, first y[1] = NaN (reference 1)",
    );
  });

  // Trial 175 B3: of a property comparing two runs, the unbounded sentence names the other run, not the reference.
  it("the unbounded sentence of a two-run comparison names the other run", () => {
    const c = compareArrays([Infinity], [Number.NaN], [Infinity]);
    expect(describeUnbounded('y', c, undefined, 'property', 'the unshuffled run')).toMatch(/first y\[0\] = Infinity \(the unshuffled run NaN\)$/);
  });

  // Trial 168 B2: past f32's range an infinite or NaN result is one WGSL allows, not one to count as suspect.
  it('a non-finite result where the reference is past the float type\'s range is not counted as suspect', () => {
    const c = compareArrays([Infinity, NaN, NaN], [1e40, -6.5e74, 2], [Infinity, Infinity, Infinity]);
    expect([c.unbounded, c.unboundedNonFinite, c.firstUnbounded?.index]).toEqual([3, 1, 2]);
  });

  // A new user's convolution printed "first y[0] = NaN (reference -5.69453703e75)" and read it as a defect.
  it("says when the first unbounded element's reference lies beyond f32's range", () => {
    const c = compareArrays([NaN], [-5.69453703e75], [Infinity]);
    expect(describeFailure('y', c)).toMatch(/first y\[0\] = NaN \(reference -5\.69\d*e\+?75, beyond f32's range\)$/);
  });

  // Trial 53: an f16 output's "y[0] = Infinity (reference 128491.571)" read as a defect of the kernel.
  it("says so of f16's range in an f16 buffer: 65520 and past round to Infinity there", () => {
    const c = compareArrays(new Float16Array([Infinity, Infinity]), [128491.571, 65520], [Infinity, Infinity]);
    expect(c.unboundedNonFinite).toBe(0);
    expect(compareArrays(new Float16Array([Infinity]), [65519], [Infinity]).unboundedNonFinite).toBe(1);
    expect(describeFailure('y', c)).toMatch(/first y\[0\] = Infinity \(reference 128491\.571, beyond f16's range\)$/);
    expect(describeFailure('y', compareArrays(new Float16Array([Infinity]), [65519], [Infinity]))).toMatch(/\(reference 65519\)$/);
  });

  it('measures the bounded elements only: an unbounded one may hold anything, and its distance read as a near miss', () => {
    // A layernorm row that may overflow: -0 where the reference is -0.028 (about 1.1e9 f32 steps), unbounded.
    const c = compareArrays(new Float32Array([1 + 2 ** -23, -0]), [1, -0.0282125486], [2 ** -21, Infinity]);
    expect(c.pass).toBe(true);
    expect(c.measure).toEqual({ abs: 2 ** -23, ulp: 1, boundRatio: 0.25, atWorst: { abs: 2 ** -23, ulp: 1 } });
    expect(c.unbounded).toBe(1);
    // Every element unbounded: nothing measured, not an exact result.
    expect(compareArrays([5], [1], Infinity).measure).toEqual({ abs: 0, ulp: 0, boundRatio: 0 });
  });
});

describe('a failure just past its bound', () => {
  it('prints as many digits as tell the error from the bound, and the ratio from 1', () => {
    const f = Math.fround(1 + 3 * 2 ** -23);
    const err = f - 1;
    const c = compareArrays(new Float32Array([f]), new Float64Array([1]), new Float64Array([err * 0.9999]), {});
    const line = describeFailure('y', c);
    const m = line.match(/error ([^,]+), allowed ([^:]+): ([^ ]+) × the bound/)!;
    expect(m[1]).not.toBe(m[2]);
    expect(m[3]).not.toBe('1');
    expect(Number(m[3])).toBeGreaterThan(1);
  });
});

describe('bitsVerdict', () => {
  it('prints each value with its own bits', () => {
    const v = bitsVerdict('y', Float32Array.of(0, 1), Float32Array.of(0, 2), 'twice');
    expect(v.message).toBe('twice: y[1] = 1 (0x3f800000) but expected 2 (0x40000000); 1 of 2 elements differ in their bits');
    expect(v.measure).toEqual({ abs: 1, ulp: 2 ** 23, boundRatio: Infinity, atWorst: { abs: 1, ulp: 2 ** 23, buffer: 'y', index: 1 } });
  });

  // Trial 154 B2: of another run, "(expected NaN)" read as if NaN were right.
  it('a NaN or infinity in another run is said as the runs differing, not as what was expected', () => {
    const v = compareVerdict('probs', [1], [NaN], 0, '', { expectedIs: 'the plain run, permuted' });
    expect(v.message).toBe('probs[0] = 1 but the plain run, permuted is NaN (the runs differ: NaN in one, a number in the other)');
  });

  // Trial 146 B1: another run's values were called "expected", though that run may be the wrong one.
  it('names what the expected values are, where they are another run', () => {
    expect(bitsVerdict('hist', Uint32Array.of(3), Uint32Array.of(1), 'shuffled keys', { expectedIs: 'the run on the original keys' }).message)
      .toBe('shuffled keys: hist[0] = 3 (0x00000003) but the run on the original keys has 1 (0x00000001); 1 of 1 elements differ in their bits');
  });

  // A trial's argmax property printed 'off by 25, ∞ ulp' for an index: an integer's distance is its difference.
  it('measures an integer output by its difference', () => {
    expect(bitsVerdict('y', Uint32Array.of(3, 30), Uint32Array.of(3, 5)).measure).toEqual({ abs: 25, ulp: 25, boundRatio: Infinity, atWorst: { abs: 25, ulp: 25, buffer: 'y', index: 1 }, integer: true });
  });

  // Trial 180 B3: an exact u32 property's pass printed "0.0000 of bound, 0 ulp" beside matches-reference's "exact".
  it('an integer pass is measured as integer, and printed "exact"', async () => {
    const { formatResult } = await import('../harness/cli/progress.ts');
    const measure = bitsVerdict('cells', Uint32Array.of(1, 0), Uint32Array.of(1, 0)).measure!;
    expect(measure).toEqual({ abs: 0, ulp: 0, boundRatio: 0, integer: true });
    expect(formatResult({ kernel: 'life', property: 'shift', backend: 'dawn', status: 'pass', runs: 3, durationMs: 5, maxError: measure } as never)).toMatch(/ exact$/);
    expect(bitsVerdict('y', Float32Array.of(1), Float32Array.of(1)).measure).toEqual({ abs: 0, ulp: 0, boundRatio: 0 });
  });

  // Trial 97 B1: an f16 output threw a RangeError (a Uint32Array view of 2-byte elements), blamed on the property.
  it('compares an f16 output by its 16 bits: −0 against +0 differs', () => {
    const v = bitsVerdict('h', Float16Array.of(1, -0), Float16Array.of(1, 0));
    expect(v.message).toBe('h[1] = 0 (0x8000) but expected 0 (0x0000); 1 of 2 elements differ in their bits');
    expect(bitsVerdict('h', Float16Array.of(1, 0.5), Float16Array.of(1, 0.5)).pass).toBe(true);
  });
});

// A trial's n-body without softening wrote NaN everywhere and passed permutation-equivariant on a clean line.
it('compareVerdict against another run counts the elements NaN in both runs', () => {
  const v = compareVerdict('acc', [NaN, 1, NaN], [NaN, 1, NaN], 0, '', { expectedIs: "the permuted run's" });
  expect(v.pass).toBe(true);
  expect(v.notes).toEqual({ 'acc NaN in both runs': 2 });
  expect(compareVerdict('acc', [1], [1], 0, '', { expectedIs: "the permuted run's" }).notes).toBeUndefined();
  // A library's own two-run property that does not say expectedIs: counted too.
  expect(compareVerdict('y', [NaN, NaN], [NaN, NaN], 0, 'mirror').notes).toEqual({ 'y NaN on both sides': 2 });
});

describe('compareVerdict of some elements, packed', () => {
  it("names the buffer's own indices: worst, first failure and the worst element", () => {
    // The elements 3, 7 and 9 of a buffer: the second and third are out of bound.
    const v = compareVerdict('y', [1, 5, 2], [1, 1, 1], 0.5, 'saturated', { indices: [3, 7, 9] });
    expect(v.worst).toEqual({ buffer: 'y', index: 7 });
    expect(v.message).toBe('saturated: y[7] = 5 but the reference is 1 (error 4, allowed 0.5: 8 × the bound); 2 of 3 elements outside their error bound, first at y[7]');
    const two = compareVerdict('y', [1, 2, 5], [1, 1, 1], 0.5, '', { indices: [3, 7, 9] });
    expect(two.message).toBe('y[9] = 5 but the reference is 1 (error 4, allowed 0.5: 8 × the bound); 2 of 3 elements outside their error bound, first at y[7] (y[9], quoted, is the worst)');
    expect(compareVerdict('y', [], [], 0.5, '', { indices: [] })).toEqual({ pass: true, measure: { abs: 0, ulp: 0, boundRatio: 0 } });
  });
});

// A property's own comparison has its own tolerance: its note said "the spec's tolerance ... the family's
// unboundedWhere can say why", which the family's unboundedWhere does not reach.
describe('compareVerdict of elements with no finite bound', () => {
  it("speaks of the property's tolerance, and says where with its unboundedWhere option", () => {
    const note = (o = {}) => compareVerdict('y', new Float32Array([1, NaN]), [1, 1], [0, Infinity], '', o).notes!['unbounded y'];
    expect(note()).toMatch(/^1 of the case's 2 elements had no finite bound \(the tolerance this property compares with is Infinity there, as where WGSL allows any value; compareVerdict's unboundedWhere option can say why\)/);
    expect(note({ unboundedWhere: 'where exp overflows' })).toMatch(/^1 of the case's 2 elements had no finite bound \(the tolerance this property compares with is Infinity there: where exp overflows\)/);
  });
});
