// An out-of-bounds store to a function-scope array (a new user's sha256 twin cleared `w[t]` for t <= 64 of an
// array<u32, 64>) was refused on every property, no-out-of-bounds included, and the run passed with exit 0. WGSL lets
// such a store write any location of the variable, so the values stay refused, but the access is a finding.
import { describe, expect, test } from 'vitest';
import { traceCase } from '../harness/engines/interpreter.ts';
import type { BatchCase } from '../harness/gpu/batch.ts';
import { outOfBoundsVerdict } from '../harness/run/trace-properties.ts';
import type { KernelSpec } from '../harness/spec.ts';

const code = (decl: string, clear: string) => `@group(0) @binding(0) var<storage, read> block: array<u32>;
@group(0) @binding(1) var<storage, read_write> h: array<u32>;
${decl.startsWith('var<private>') ? decl : ''}
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  ${decl.startsWith('var<private>') ? '' : decl}
  for (var t = 0u; t < 4u; t++) { w[t] = block[4u * gid.x + t]; }
  ${clear}
  h[gid.x] = w[0] + w[1] + w[2] + w[3];
}`;

const oneCase: BatchCase = {
  buffers: [{ size: 64, kind: 'storage', data: new Uint8Array(64) }, { size: 16, kind: 'storage', data: new Uint8Array(16) }],
  dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }, { group: 0, binding: 1, buffer: 1 }], workgroups: [1, 1, 1] }],
  readback: [1],
};
const spec = { buffers: { block: {}, h: {} } } as unknown as KernelSpec;

describe('an index out of range of the invocation\'s own memory is a no-out-of-bounds finding', () => {
  test.each([
    ['function', 'var w: array<u32, 8>;', 'function variable'],
    ['private', 'var<private> w: array<u32, 8>;', 'private variable'],
  ])('a %s array<u32, 8> cleared up to w[8]: the values are refused, the store is found', (_, decl, scope) => {
    const t = traceCase([code(decl, 'for (var t = 4u; t <= 8u; t++) { w[t] = 0u; }')], oneCase);
    expect(t.skipped).toMatch(new RegExp(`^not supported on the interpreter: an index out of range of the ${scope} w \\(index 8 is past the end of an array<u32, 8>`));
    expect(t.dispatches).toHaveLength(1);
    expect(t.dispatches[0]!.outOfBounds).toMatchObject([{ variable: 'w', scope, kind: 'write', line: 8, inner: { path: 'w[8]', index: 8, length: 8, type: 'array<u32, 8>' } }]);
    const v = outOfBoundsVerdict(spec, [t], () => 'sh.wgsl');
    expect(v.pass).toBe(false);
    expect(v.message).toBe(`invocation ${t.dispatches[0]!.outOfBounds[0]!.invocation} of workgroup (0, 0, 0) writes w[8]: index 8 is past the end of an array<u32, 8> (8 elements), in the ${scope} w (sh.wgsl:8); 1 such access`);
    expect(v.message).not.toMatch(/buffer|workgroup memory|workgroup array/);
  });

  test.each([
    ['a module const', 'const K = array<u32, 2>(5u, 6u);', '', 'const K'],
    ['a let', '', 'let K = array<u32, 2>(5u, 6u);', 'let K'],
  ])('%s array read at [k] by 4 invocations: found, named as the %s', (_, top, local, named) => {
    const src = `${top}
@group(0) @binding(0) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(4) fn main(@builtin(local_invocation_index) k: u32) {
  ${local}
  y[k] = K[k];
}`;
    const c: BatchCase = { buffers: [{ size: 16, kind: 'storage', data: new Uint8Array(16) }], dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1] }], readback: [0] };
    const t = traceCase([src], c);
    // Named as declared, a value (trial 65 B4: a const's was "of a function or private variable").
    expect(t.skipped).toMatch(new RegExp(`^not supported on the interpreter: an index out of range of the ${named} \\(index [23] is past the end of an array<u32, 2>: WGSL gives an indeterminate value of its element type`));
    const v = outOfBoundsVerdict({ buffers: { y: {} } } as unknown as KernelSpec, [t]);
    expect(v.message).toMatch(new RegExp(`^invocation \\d of workgroup \\(0, 0, 0\\) reads K\\[[23]\\]: index [23] is past the end of an array<u32, 2> \\(2 elements\\), in the ${named} \\(line 5\\); 1 such access$`));
  });

  // Upstream stored `v[4] = x` into its typed array, which dropped it silently: no finding, no refusal, a pass.
  test.each([
    ['a vec4f written at [k]', 'var v: vec4f;', 'v[k] = 1.0; y[0] = u32(v.x);', 'write', 'v[4]', 'vec4f', '4 components'],
    ['a vec4f read at [k]', 'var v = vec4f(1.0, 2.0, 3.0, 4.0);', 'y[k] = u32(v[k]);', 'read', 'v[4]', 'vec4f', '4 components'],
    ['a mat2x2f written at [k]', 'var v: mat2x2f;', 'v[k] = vec2f(1.0); y[0] = u32(v[0].x);', 'write', 'v[4]', 'mat2x2f', '2 columns'],
  ])('%s by 5 invocations: found, a function variable', (_, decl, body, kind, path, type, length) => {
    const src = `@group(0) @binding(0) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(5) fn main(@builtin(local_invocation_index) k: u32) {
  ${decl}
  ${body}
}`;
    const c: BatchCase = { buffers: [{ size: 20, kind: 'storage', data: new Uint8Array(20) }], dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1] }], readback: [0] };
    const t = traceCase([src], c);
    expect(t.skipped).toMatch(/^not supported on the interpreter: an index out of range/);
    const v = outOfBoundsVerdict({ buffers: { y: {} } } as unknown as KernelSpec, [t]);
    expect(v.message).toBe(`invocation 4 of workgroup (0, 0, 0) ${kind}s ${path}: index 4 is past the end of a ${type} (${length}), in the function variable v (line 4); 1 such access`);
  });

  test('in range: runs, nothing found', () => {
    const t = traceCase([code('var w: array<u32, 8>;', 'for (var t = 4u; t < 8u; t++) { w[t] = 0u; }')], oneCase);
    expect(t.skipped).toBeUndefined();
    expect(t.dispatches[0]!.outOfBounds).toEqual([]);
  });
});
