// WGSL that wgsl_reflect's scanner once refused, read as every engine's compiler reads it, and what its refusals say.
import { describe, expect, it } from 'vitest';
import { WgslParseError } from '../harness/run/program.ts';
import { reflect } from '../harness/run/reflect.ts';

describe('the scanner', () => {
  // A new user's `var sacc = 0x0i;` made every engine's run of a correct kernel an error (patches/README.md §20).
  it.each(['0x0i', '0x10i', '0X1Fi', '0X1Fu', '0xffu', '0x10', '7i', '0i'])('reads the integer literal %s', (lit) => {
    const m = reflect(`@group(0) @binding(0) var<storage, read_write> y: array<i32>;
@compute @workgroup_size(1) fn main() { var s = ${lit}; y[0] = i32(s); }`);
    expect([...m.bindings.keys()]).toEqual(['y']);
  });

  it('a refusal the scanner throws as a string is named at its line', () => {
    const e = new WgslParseError('k.wgsl', 'Invalid syntax at line 7', 'k.wgsl');
    expect(e.line).toBe(7);
    expect(e.message).toBe('k.wgsl:7: does not parse: Invalid syntax');
    expect(new WgslParseError('k.wgsl', 'Expected \';\'. Line: 3.', 'k.wgsl').line).toBe(3);
  });
});
