// WGSL that wgsl_reflect's scanner once refused, read as every engine's compiler reads it, and what its refusals say.
import { describe, expect, it } from 'vitest';
import { WgslParseError } from '../harness/run/program.ts';
import { traceCase } from '../harness/engines/interpreter.ts';
import { failedConstAsserts, reflect } from '../harness/run/reflect.ts';
import { WgslScanner } from 'wgsl_reflect/wgsl_reflect.module.js';

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

// A trial's CUDA port passed a tile by pointer: `ptr<workgroup, array<array<f32, 33>, 32>>`, whose `>>` wgsl_reflect
// read as a shift ("Expected '>' for array"): an error on every engine for WGSL that Dawn compiles. And a trial's
// int4 dequantization, `vec4<u32>(q >> shift, ...)`, had its shift scanned as two `>`: the interpreter computed
// garbage from a correct kernel (patches/README.md §33, §37).
describe('template lists and the > characters after them', () => {
  const code = `var<workgroup> tile: array<array<f32, 33>, 32>;
@group(0) @binding(0) var<storage, read_write> y: array<u32>;
fn first(t: ptr<workgroup, array<array<f32, 33>, 32>>) -> f32 { return (*t)[1][2]; }
@compute @workgroup_size(1) fn main() { tile[1][2] = 5.0; y[0] = u32(first(&tile)) + (16u >> 2u); }`;
  const lexemes = (text: string) => new WgslScanner(text).scanTokens().map((t) => t.lexeme).filter(Boolean);

  it.each([
    ['ptr<workgroup, array<array<f32, 33>, 32>>', ['ptr', '<', 'workgroup', ',', 'array', '<', 'array', '<', 'f32', ',', '33', '>', ',', '32', '>', '>']],
    ['array<vec4<f32>>', ['array', '<', 'vec4', '<', 'f32', '>', '>']],
    ['vec2<u32>(w >> 1u, 1u)', ['vec2', '<', 'u32', '>', '(', 'w', '>>', '1u', ',', '1u', ')']],
    ['vec4<f32>(vec4<u32>(q >> s, q >> (s + 4u)) & m)', ['vec4', '<', 'f32', '>', '(', 'vec4', '<', 'u32', '>', '(', 'q', '>>', 's', ',', 'q', '>>', '(', 's', '+', '4u', ')', ')', '&', 'm', ')']],
    ['vec2<u32>(a, b).x >= n', ['vec2', '<', 'u32', '>', '(', 'a', ',', 'b', ')', '.', 'x', '>=', 'n']],
    ['x = vec2<i32>(1, 2).y >> 1; y >>= 2', ['x', '=', 'vec2', '<', 'i32', '>', '(', '1', ',', '2', ')', '.', 'y', '>>', '1', ';', 'y', '>>=', '2']],
    ['i < n >> 1u', ['i', '<', 'n', '>>', '1u']],
  ])('%s', (text, tokens) => {
    expect(lexemes(text)).toEqual(tokens);
  });

  it('a module with both runs on the interpreter as on a GPU, const_assert and all', () => {
    // const_assert stopped the interpreter ("Invalid statement type"): a trial's tiled matmul was skipped there.
    const withAssert = code.replace('var<workgroup> tile', 'const_assert 32 * 33 <= 4096;\nvar<workgroup> tile')
      .replace('(16u >> 2u)', '(16u >> 2u) + vec2<u32>(16u >> 1u, 1u).x');
    expect([...reflect(withAssert).bindings.keys()]).toEqual(['y']);
    const c = { buffers: [{ size: 4, kind: 'storage' as const }], dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1] as [number, number, number] }], readback: [0] };
    const t = traceCase([withAssert], c);
    expect(t.skipped).toBeUndefined();
    expect(new Uint32Array(t.outputs[0]!.slice().buffer)[0]).toBe(17);
    // One that fails is the compile error it is on a GPU, located, though the interpreter runs with it blanked: alone
    // (no GPU engine in the run to refuse the module), a trial's failing assertion passed every property there.
    const failing = withAssert.replace('const_assert 32 * 33 <= 4096;', 'const_assert 32 * 33 <= 1024;');
    const line = failing.split('\n').findIndex((l) => l.startsWith('const_assert')) + 1;
    expect(failedConstAsserts(withAssert)).toEqual([]);
    expect(failedConstAsserts(failing)).toEqual([{ line, column: 1 }]);
    expect(() => traceCase([failing], c)).toThrow(new RegExp(`^${line}:1: const assertion failed \\(evaluated by kernelscope`));
  });
});
