// The visualizer's colour scales, in Node: what a legend says and which colour an element gets. Every shrunk failing
// case has one element, and a new user read its legend "-0.599689066 … 1.39843127" (the value was 0.398431271) and its
// only error, 2e9 ULPs, drawn black: the colour of no error.
import { Float16Array } from '@petamoriken/float16';
import { describe, expect, test } from 'vitest';
import { compareArrays } from '../harness/compare.ts';
import { colorScale, errorMap, fmt, ulpMap } from '../visualizer/src/numbers.ts';

describe('colour scales', () => {
  test('a one-value buffer reads as that one value, in the middle of the scale', () => {
    const s = colorScale(Float32Array.of(0.398431271), 'sequential');
    expect(s.label).toBe(`${fmt(Math.fround(0.398431271))} (one value)`);
    expect(s.rgb(Math.fround(0.398431271))).toEqual(colorScale([0, 2], 'sequential').rgb(1));
    expect(colorScale([1, 3], 'sequential').label).toBe('1 … 3');
  });

  test("an error map starts at 0 ULPs: a one-element map's only error is its top colour, not 0-ULP black", () => {
    const e = errorMap(Float32Array.of(1e9), Float32Array.of(1));
    const s = colorScale(e, 'error');
    expect(s.label).toBe(`log10(1 + ULPs): 0 … ${fmt(e[0]!)}`);
    const black = colorScale([0, 5], 'error').rgb(0);
    expect(s.rgb(e[0]!)).not.toEqual(black);
    expect(s.rgb(e[0]!)).toEqual(colorScale([0, 5], 'error').rgb(5));
    // The 0-ULP elements beside it stay black.
    expect(colorScale([0, e[0]!], 'error').rgb(0)).toEqual(black);
    expect(colorScale([0, 0], 'error').label).toBe('log10(1 + ULPs): 0 (every element 0 ULPs)');
  });
});

// The debugger's distances are matches-reference's: an f16 output one f16 step off read 8192 ULP in the debugger
// (f32 steps) while the terminal said 1 ulp; an integer's are differences.
describe('distances', () => {
  test('in the buffer\'s own unit, as compareArrays measures them', () => {
    const cases: [ArrayLike<number>, number[]][] = [
      [Float16Array.of(1 + 2 ** -10, 2, -0.5), [1, 1.5, -0.5]],
      [Float32Array.of(1 + 2 ** -23, 2, -0.5), [1, 2, -0.25]],
      [Uint32Array.of(6, 4, 0), [4, 4, 7]],
    ];
    for (const [actual, expected] of cases) {
      const map = ulpMap(actual, expected);
      for (let i = 0; i < actual.length; i++) {
        const one = compareArrays(actual.constructor === Uint32Array ? Uint32Array.of(actual[i]!) : actual.constructor === Float16Array ? Float16Array.of(actual[i]!) : Float32Array.of(actual[i]!), [expected[i]!], 1e30);
        expect(map[i], `${actual.constructor.name}[${i}]`).toBe(one.measure.ulp);
      }
    }
    expect([...ulpMap(Float16Array.of(1 + 2 ** -10), [1])]).toEqual([1]);
    expect([...ulpMap(Uint32Array.of(6), [4])]).toEqual([2]);
  });
});
