// The visualizer's colour scales, in Node: what a legend says and which colour an element gets. Every shrunk failing
// case has one element, and a new user read its legend "-0.599689066 … 1.39843127" (the value was 0.398431271) and its
// only error, 2e9 ULPs, drawn black: the colour of no error.
import { describe, expect, test } from 'vitest';
import { colorScale, errorMap, fmt } from '../visualizer/src/numbers.ts';

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
