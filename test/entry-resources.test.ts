// The bindings an entry point uses (harness/run/entry-resources.ts) are the ones Dawn's layout 'auto' holds: a bind
// group of exactly those runs, on Dawn as the oracle. wgsl_reflect's list missed a buffer read only after a member
// access, a constructor, in a switch's selector or a `break if` (trial 43's embedding gather: a bind-group error on every
// GPU engine) or in a switch case's third statement, and took a parameter or an outer block's local for the buffer of
// its name (one binding too many).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Engine } from '../harness/engines/engine.ts';
import { openEngine } from '../harness/engines/open.ts';
import type { BatchCase } from '../harness/gpu/batch.ts';
import { entryResources } from '../harness/run/entry-resources.ts';
import { reflect } from '../harness/run/reflect.ts';

const HEAD = `struct P { t: array<u32, 4> }
@group(0) @binding(0) var<storage, read_write> y: array<u32>;
@group(0) @binding(1) var<storage, read> p: P;
@group(0) @binding(2) var<storage, read> idx: array<u32>;
@group(0) @binding(3) var<storage, read> op: array<u32>;
fn half(idx: u32) -> u32 { return idx / 2u; }
fn first() -> u32 { return op[0]; }
`;
const module = (body: string) => `${HEAD}@compute @workgroup_size(1)
fn main() {
  ${body}
}`;

const FORMS: [string, string, string[]][] = [
  ['an index after a member access', 'y[0] = p.t[idx[0] & 3u];', ['idx', 'p', 'y']],
  ['an index after a constructor', 'y[0] = vec2u(1u, 2u)[idx[0] & 1u];', ['idx', 'y']],
  ['a switch selector', 'switch op[0] { case 1u: { y[0] = 1u; } default: { y[0] = 2u; } }', ['op', 'y']],
  ['a break-if condition', 'var k = 0u; loop { continuing { k += 1u; break if k >= idx[0]; } } y[0] = k;', ['idx', 'y']],
  ['a helper read inside an index', 'y[0] = p.t[first() & 3u];', ['op', 'p', 'y']],
  ['a parameter named like a buffer', 'y[0] = half(7u);', ['y']],
  ["an outer block's local named like a buffer", 'let idx = 1u; if (y[1] == 0u) { y[0] = p.t[idx]; }', ['p', 'y']],
  ['a local whose initializer reads the buffer of its name', 'let idx = idx[0]; y[0] = idx;', ['idx', 'y']],
  // wgsl_reflect's parser kept a case's first two statements only (patches/README.md §42).
  ["a case's third statement", 'switch y[1] { case 0u: { y[0] = 1u; y[0] += 1u; y[0] += idx[0]; } default: { } }', ['idx', 'y']],
];

let dawn: Engine;
beforeAll(async () => {
  dawn = await openEngine('dawn');
}, 60_000);
afterAll(async () => dawn?.close());

test.each(FORMS)('%s: the bindings layout auto holds, and a bind group of them runs on Dawn', async (_what, body, names) => {
  const code = module(body);
  expect([...entryResources(code, 'main')!].sort()).toEqual(names);
  expect([...reflect(code).entries.get('main')!.resources].sort()).toEqual(names);
  const all = ['y', 'p', 'idx', 'op'];
  const init = { y: [0, 0], p: [5, 6, 7, 8], idx: [3], op: [1] } as Record<string, number[]>;
  const c: BatchCase = {
    buffers: all.map((n) => ({ size: 16, kind: 'storage' as const, data: new Uint8Array(new Uint32Array([...init[n]!, 0, 0, 0, 0].slice(0, 4)).buffer) })),
    dispatches: [{ shader: 0, entry: 'main', bindings: names.map((n) => ({ group: 0, binding: all.indexOf(n), buffer: all.indexOf(n) })), workgroups: [1, 1, 1] }],
    readback: [0],
  };
  await expect(dawn.execute({ shaders: [code], cases: [c] })).resolves.toBeDefined();
}, 60_000);

test('undefined where the code does not parse or names no such entry', () => {
  expect(entryResources('fn main( {', 'main')).toBeUndefined();
  expect(entryResources(module('y[0] = 1u;'), 'other')).toBeUndefined();
});
