// A reference value that no i32 (u32) holds is the reference's JavaScript arithmetic, not a kernel's bug: a trial's
// INT_MIN / -1 left at 2^31 and its Math.imul without >>> 0 failed correct kernels, the same hex on both sides.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesReference } from '../harness/run/universal.ts';
import type { Case, Family, KernelSpec } from '../harness/spec.ts';

const specOf = (type: 'i32' | 'u32'): KernelSpec =>
  ({ name: 'ops', wgsl: 'ops.wgsl', description: '', buffers: { x: { role: 'input', type, length: () => 2 }, o: { role: 'output', type, length: () => 2 } }, stages: () => [] }) as unknown as KernelSpec;
const familyOf = (o: number[]): Family =>
  ({ name: 'ops', exact: true, cases: fc.constant({}), reference: () => ({ o: Float64Array.from(o) }), tolerance: () => ({ o: new Float64Array(2) }), properties: [] }) as unknown as Family;

describe('a reference value outside the output\'s integer type', () => {
  const c = { shape: {}, inputs: {} } as Case;
  it('is the library\'s error, naming the element and how to wrap it, for i32 and u32', () => {
    const i32 = { o: Int32Array.of(1, -(2 ** 31)) };
    expect(() => matchesReference(specOf('i32'), familyOf([1, 2 ** 31])).check(c, [i32])).toThrow(/reference\(\) returned 2147483648 for o\[1\], which no i32 holds \(-2147483648 to 2147483647\): WGSL's i32 arithmetic wraps; wrap it as WGSL does \(x \| 0; Math\.imul for products\)/);
    const u32 = { o: Uint32Array.of(3949116176, 0) };
    expect(() => matchesReference(specOf('u32'), familyOf([-345851120, 0])).check(c, [u32])).toThrow(/returned -345851120 for o\[0\], which no u32 holds \(0 to 4294967295\).*x >>> 0/);
  });

  // Trial 227 B1: an argmax's NaN for "no defined answer" was told to wrap it with >>> 0, which makes it token 0.
  it('a NaN is said as a result WGSL leaves open, with how to leave it unjudged', () => {
    const u32 = { o: Uint32Array.of(3, 0) };
    expect(() => matchesReference(specOf('u32'), familyOf([NaN, 0])).check(c, [u32])).toThrow(/reference\(\) returned NaN for o\[0\], which no u32 holds: where WGSL leaves the kernel's result open \(an argmax over NaN\), return any u32 there and give the element a bound of Infinity in tolerance\(\)/);
    expect(() => matchesReference(specOf('u32'), { ...familyOf([7, 0]), exact: false, tolerance: () => ({ o: Float64Array.of(Infinity, 0) }) }).check(c, [u32])).not.toThrow();
  });

  // Trial 84 B1: x / y without Math.trunc failed a correct kernel "off by 1" (an exact family: no tolerance).
  it('a fraction for an exact family\'s integer output is the library\'s error too', () => {
    expect(() => matchesReference(specOf('i32'), familyOf([2, -0.75])).check(c, [{ o: Int32Array.of(2, 0) }])).toThrow(/reference\(\) returned -0\.75 for o\[1\], which is not a whole number, as every i32 is: WGSL's integer division truncates toward zero \(Math\.trunc\(x \/ y\)\)/);
  });

  it('in range it judges the kernel as before, a half-integer reference too (a midpoint with a tolerance of 0.5)', () => {
    expect(matchesReference(specOf('u32'), familyOf([3949116176, 0])).check(c, [{ o: Uint32Array.of(3949116176, 0) }]).pass).toBe(true);
    expect(matchesReference(specOf('i32'), familyOf([-(2 ** 31), 5])).check(c, [{ o: Int32Array.of(-(2 ** 31), 4) }]).pass).toBe(false);
    expect(() => matchesReference(specOf('u32'), { ...familyOf([237.5, 0]), exact: false, tolerance: () => ({ o: Float64Array.of(0.5, 0) }) }).check(c, [{ o: Uint32Array.of(237, 0) }])).not.toThrow();
  });
});
