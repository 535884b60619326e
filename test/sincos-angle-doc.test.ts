// The facts docs/writing-a-kernel.md ("`sin` and `cos` are bounded on [−π, π] only") gives an FFT or DFT author: a
// trial's angles `PI * f32(2r) / f32(n)` reached f32(π), outside the range where WGSL bounds sin and cos.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sinCosBound } from '../harness/bounds/wgsl.ts';

const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'writing-a-kernel.md'), 'utf8').replace(/\s+/g, ' ');

describe("sin and cos of a computed angle, as the doc says", () => {
  it('f32(π) is larger than π, so the kit bounds sin and cos at π and not at f32(π)', () => {
    const pi32 = Math.fround(Math.PI);
    expect(pi32).toBeGreaterThan(Math.PI);
    expect(pi32.toPrecision(9)).toBe('3.14159274');
    expect(sinCosBound(Math.PI)).toBe(2 ** -11);
    expect(sinCosBound(pi32)).toBe(Infinity);
    expect(sinCosBound(-pi32)).toBe(Infinity);
    // The f32 below f32(π) is inside.
    const below = pi32 - 2 ** -22;
    expect(Math.fround(below)).toBe(below);
    expect(below.toPrecision(8)).toBe('3.1415925');
    expect(sinCosBound(below)).toBe(2 ** -11);
    expect(doc).toContain('`sinCosBound(Math.PI)` is 2^-11, `sinCosBound(Math.fround(Math.PI))` is Infinity');
  });

  it("the angle's own error near π: PI's rounding, the product's and a 2.5-ULP division", () => {
    const pi = Math.fround(Math.PI) - Math.PI;
    const product = Math.PI * 2 ** -23;
    const division = 2.5 * 2 ** -22; // one ULP of a quotient in [2, 4)
    expect(pi.toPrecision(2)).toBe('8.7e-8');
    expect(product.toPrecision(2)).toBe('3.7e-7');
    expect(division.toPrecision(2)).toBe('6.0e-7');
    expect((pi + product + division).toExponential(1)).toBe('1.1e-6');
    expect((pi + product + 2.5 * 2 ** -23 * Math.PI).toExponential(1)).toBe('1.4e-6');
    expect(doc).toContain('add up to about 1.1e-6 (1.4e-6 taking 2.5 ULP as 2.5·2^-23 of the value)');
  });
});
