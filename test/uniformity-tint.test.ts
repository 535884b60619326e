// portability.ts nonUniformBarriers stands in for Tint where no Tint engine ran (the interpreter, Deno, Firefox): a
// barrier it finds is "not valid WGSL" there. Tint (Dawn's compiler, in this process) is the ground truth: every
// snippet below is compiled by both, and the check must say what Tint says, except the gaps listed, where it says
// nothing (it says only the sure cases). Trials 129, 132 and 135 found each disagreement this table holds.
import { existsSync } from 'node:fs';
import { create } from 'webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { nonUniformBarriers } from '../harness/run/portability.ts';

const kernel = (body: string, helpers = '') => `var<workgroup> t: array<u32, 64>;
var<workgroup> c: atomic<u32>;
${helpers}
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {
  var k = lid;
  ${body}
}`;

/** [body, helpers]: the check agrees with Tint on each. */
const AGREE: [string, string?][] = [
  ['k = 32u;\n  while (k > 0u) { workgroupBarrier(); k = k >> 1u; }'],
  ['for (k = 32u; k > 0u; k = k / 2u) { workgroupBarrier(); }'],
  ['k = 32u;\n  loop { if (k == 0u) { break; } workgroupBarrier(); k = k - 1u; }'],
  ['k = 32u;\n  while (k > 0u) { workgroupBarrier(); k = k >> lid; }'],
  ['if (wid.x == 0u) { k = 32u; } else { k = 16u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['if (wid.x == 0u) { k = 32u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['switch (wid.x) { case 0u: { k = 8u; } default: { k = 4u; } }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['k = 32u;\n  var j = 0u;\n  j = k;\n  while (j > 0u) { workgroupBarrier(); j >>= 1u; }'],
  ['var j = 0u;\n  j = k;\n  while (j > 0u) { workgroupBarrier(); j >>= 1u; }'],
  ['k = 32u;\n  if (lid < 5u) { k = 16u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['k = 32u;\n  let p = &k;\n  if (lid == 0u) { *p = 0u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['k = 32u;\n  let p = &k;\n  *p = 4u;\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['k = 32u;\n  if (lid < 5u) { k = 16u; }\n  k = 8u;\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['let r = atomicAdd(&c, 1u);\n  if (r == 0u) { workgroupBarrier(); }'],
  ['var i = 0u;\n  loop { workgroupBarrier(); continuing { i++; break if i > lid; } }'],
  ['var i = 0u;\n  loop { workgroupBarrier(); continuing { i++; break if i > 4u; } }'],
  ['k = 4u;\n  k++;\n  for (var s = 0u; s < k; s++) { workgroupBarrier(); }'],
  ['for (var s = k; s < 64u; s += 64u) { workgroupBarrier(); }'],
  ['if (lid >= 60u) { return; }\n  workgroupBarrier();'],
  // Trial 137 A1: a reset whose other branch leaves, a reset in a block of its own, a helper that ignores its argument.
  ['if (wid.x == 0u) { k = 2u; } else { return; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['{ k = 2u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['for (var r = 0u; r < rounds(lid); r++) { workgroupBarrier(); }', 'fn rounds(i: u32) -> u32 { return 3u; }'],
  ['for (var r = 0u; r < rounds(lid); r++) { workgroupBarrier(); }', 'fn rounds(i: u32) -> u32 { let j = i + 1u; return j; }'],
  // Trial 135's swap through a let of a var declared uniform.
  ['var a = 32u;\n  let tmp = a;\n  a = k;\n  k = tmp;\n  if (k > 0u) { workgroupBarrier(); }'],
  // Trial 139 A1: an assignment that reads the var itself is no reset; A4: a reset in a `loop` before it can leave is.
  ['k = k + 32u;\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['k = (k >> 31u) + 32u;\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['k = 32u;\n  k = min(k, 5u);\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['let p = &k;\n  *p = *p * 0u + 32u;\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['k = half(k);\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }', 'fn half(lane: u32) -> u32 { return 32u; }'],
  ['loop { k = 32u; break; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['var i = 0u;\n  loop { k = 32u; continuing { i++; break if i >= 2u; } }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['loop { if (i32(k) < 0) { break; } k = 32u; break; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['for (var i = 0u; i < 1u; i++) { k = 32u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  // Trial 139 A2, A3, A4: a helper's result through its control flow, its vars, the helpers it calls, and atomics.
  ['k = f(lid);\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }', 'fn f(x: u32) -> u32 { if (x < 64u) { return 32u; } return 32u; }'],
  ['k = f(lid);\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }', 'fn f(x: u32) -> u32 { var r = 32u; if (x >= 64u) { r = 0u; } return r; }'],
  ['k = f(lid);\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }', 'fn f(x: u32) -> u32 { switch (x) { case 0u: { return 4u; } default: { return 8u; } } }'],
  ['k = f(lid);\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }', 'fn g(a: u32, b: u32) -> u32 { return b; }\nfn f(x: u32) -> u32 { return g(x, 32u); }'],
  ['k = f(lid);\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }', 'fn g(a: u32, b: u32) -> u32 { return a; }\nfn f(x: u32) -> u32 { return g(x, 32u); }'],
  ['k = rd();\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }', 'fn rd() -> u32 { return atomicLoad(&c); }'],
  ['k = peek(&c) + 32u;\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }', 'fn peek(p: ptr<workgroup, atomic<u32>>) -> u32 { return atomicLoad(p); }'],
  // Trial 141 A1, A2, A4: resets of other variables before a condition, a continue before a loop's reset, a helper
  // that reads through a pointer.
  ['var j = lid; t[j] = 1u;\n  j = 0u;\n  k = 32u;\n  if (j < 5u) { k = 16u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['var j = lid; t[j] = 1u;\n  j = 0u;\n  if (j == 0u) { k = 32u; } else { k = 16u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['var j = lid; t[j] = 1u;\n  j = z(j);\n  k = 32u;\n  if (j < 5u) { k = 16u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }', 'fn z(a: u32) -> u32 { return 0u; }'],
  ['var j = lid; t[j] = 1u;\n  j = 0u;\n  k = 32u;\n  for (var i = 0u; i < 4u; i++) { if (j > i) { break; } k = 16u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['var j = lid;\n  k = 32u;\n  if (j < 5u) { k = 16u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['loop { if (wid.x == 7u) { continue; } k = 32u; break; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['var i = 0u;\n  loop { if (wid.x == 7u) { continue; } k = 32u; continuing { i++; break if i > 2u; } }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['let m = f(&k);\n  if (m > 0u) { workgroupBarrier(); }', 'fn f(p: ptr<function, u32>) -> u32 { return *p; }'],
  ['k = 32u;\n  let m = f(&k);\n  if (m > 0u) { workgroupBarrier(); }', 'fn f(p: ptr<function, u32>) -> u32 { return *p; }'],
  // Trial 143: writes in order within a branch, a branch that returns, pointers copied or to a member, the right of
  // && and ||, a write at an index that differs, functions named like builtins.
  ['k = 32u;\n  if (wid.x == 0u) { k = lid; k = 16u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['k = 32u;\n  if (wid.x == 0u) { k = lid; return; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['k = 32u;\n  if (wid.x == 0u) { if (lid < 3u) { k = 1u; } k = 2u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['k = 32u;\n  for (var i = 0u; i < 4u; i++) { k = lid; k = 16u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['k = 32u;\n  switch (wid.x) { case 0u: { k = lid; k = 3u; } default: {} }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['var q = lid;\n  let p = &q;\n  let p2 = p;\n  *p2 = 3u;\n  if (q == 0u) { workgroupBarrier(); }'],
  ['var q = 0u;\n  let p = &q;\n  let p2 = p;\n  *p2 = lid;\n  if (q == 0u) { workgroupBarrier(); }'],
  ['var s: S;\n  let p = &s.a;\n  *p = lid;\n  if (s.b == 0u) { workgroupBarrier(); }', 'struct S { a: u32, b: u32 }'],
  ['var s = S(0u, 0u);\n  let p = &s;\n  p.a = lid;\n  if (s.b == 0u) { workgroupBarrier(); }', 'struct S { a: u32, b: u32 }'],
  ['let b = lid < 5u && g();\n  t[0] = u32(b);', 'fn g() -> bool { workgroupBarrier(); return true; }'],
  ['if (lid < 5u || g()) { t[0] = 1u; }', 'fn g() -> bool { workgroupBarrier(); return true; }'],
  ['var a: array<u32, 4>;\n  a[lid & 3u] = 1u;\n  if (a[1] == 0u) { workgroupBarrier(); }'],
  ['var v = vec4u(0u);\n  v[lid & 3u] = 1u;\n  if (v.x == 0u) { workgroupBarrier(); }'],
  ['var a: array<u32, 4>;\n  a[wid.x & 3u] = lid;\n  a[wid.x & 3u] = 1u;\n  if (a[1] == 0u) { workgroupBarrier(); }'],
  ['if (lid < 5u) { workgroupBarrier(); }', 'fn workgroupBarrier() {}'],
  ['k = atomicLoad(3u);\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }', 'fn atomicLoad(x: u32) -> u32 { return x; }'],
  // Trial 145: a break of an inner loop or switch leaves only that; a continue or break on the id leaves the rest of
  // its loop (and later rounds) or case differing; pointers follow their variable, and an element's address at an
  // index on the id differs; an address handed to a helper hands it the value; a local shadowing a module const.
  ['for (var r = 0u; r < 2u; r++) {\n    for (var j = lid; ; j += 64u) { if (j >= 100u) { break; } t[j & 63u] = 1u; }\n    var stride = 32u;\n    while (stride > 0u) { workgroupBarrier(); stride >>= 1u; }\n  }'],
  ['var x = 0u;\n  for (var i = 0u; i < 4u; i++) {\n    if (lid < 3u) { switch (i) { case 0u: { break; } default: {} } }\n    x = 1u;\n  }\n  if (x == 1u) { workgroupBarrier(); }'],
  ['var x = 0u;\n  for (var i = 0u; i < 4u; i++) {\n    switch (lid) { case 0u: { break; } default: {} }\n    x = 1u;\n  }\n  if (x == 1u) { workgroupBarrier(); }'],
  ['var x = 0u;\n  for (var i = 0u; i < 4u; i++) { if (lid < 3u) { continue; } x = 1u; }\n  if (x == 1u) { workgroupBarrier(); }'],
  ['var x = 0u;\n  for (var i = 0u; i < 4u; i++) { x = 1u; if (lid < 3u) { continue; } }\n  if (x == 1u) { workgroupBarrier(); }'],
  ['var x = 0u;\n  for (var i = 0u; i < 4u; i++) { if (lid < 3u) { break; } }\n  x = 1u;\n  if (x == 1u) { workgroupBarrier(); }'],
  ['var i = 0u;\n  var x = 0u;\n  loop { if (lid < 3u) { continue; } x = 1u; continuing { i++; break if i > 3u; } }\n  if (x == 1u) { workgroupBarrier(); }'],
  ['k = 32u;\n  switch (wid.x) { case 0u: { if (lid < 3u) { break; } k = 8u; } default: { k = 4u; } }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }'],
  ['var off = lid;\n  let p = &off;\n  *p = 1u;\n  if (*p >= 64u) { workgroupBarrier(); }'],
  ['var u = 32u;\n  let p = &u;\n  u = lid;\n  if (*p > 0u) { workgroupBarrier(); }'],
  ['if (rd(&k) > 0u) { workgroupBarrier(); }', 'fn rd(p: ptr<function, u32>) -> u32 { return *p; }'],
  ['let p = &t[lid];\n  let u = workgroupUniformLoad(p);\n  t[1] = u;'],
  ['{ let N = lid; if (N < 3u) { workgroupBarrier(); } }', 'const N = 4u;'],
  ['let N = lid;\n  if (N < 3u) { workgroupBarrier(); }', 'const N = 4u;'],
  // Trial 147: a for loop's increment judged after its body, its initializer before the loop; a helper whose inner
  // loop's break leaves only that loop.
  ['var step = lid;\n  for (var r = 0u; r < 2u; r = r + step) { step = 1u; workgroupBarrier(); }'],
  ['var first = 0u;\n  for (var r = first; r < 2u; r++) { workgroupBarrier(); first = lid; }'],
  ['for (var r = 0u; r < rounds(lid); r++) { workgroupBarrier(); }', 'fn rounds(lane: u32) -> u32 {\n  for (var i = 0u; i < 4u; i++) {\n    if (lane == i) { for (var j = 0u; j < 2u; j++) { if (j == 1u) { break; } } }\n    if (i == 3u) { return 2u; }\n  }\n  return 2u;\n}'],
  ['for (var r = 0u; r < rounds(lid); r++) { workgroupBarrier(); }', 'fn rounds(lane: u32) -> u32 {\n  for (var i = 0u; i < 4u; i++) {\n    if (lane == i) { break; }\n  }\n  return 2u;\n}'],
  // workgroupUniformLoad's pointer must be uniform.
  ['let u = workgroupUniformLoad(&t[lid]);\n  if (u == 0u) { t[1] = 2u; }'],
  ['let u = workgroupUniformLoad(&t[wid.x & 63u]);\n  if (u == 0u) { t[1] = 2u; }'],
];

/** Whole modules: entry points whose builtins come in a struct, which Tint takes as one value (trial 139's list), and
 *  (trial 141 A3, A5) a helper given such a struct, entry points without an id builtin. */
const STRUCTS = [
  ['if (inp.lid < 32u) { workgroupBarrier(); }', 'lid: u32, @builtin(workgroup_id) wid: vec3u'],
  ['if (inp.wid.x == 0u) { workgroupBarrier(); }', 'lid: u32, @builtin(workgroup_id) wid: vec3u'],
  ['let l = inp.lid;\n  for (var i = l; i < 64u; i += 1u) { workgroupBarrier(); }', 'lid: u32, @builtin(workgroup_id) wid: vec3u'],
].map(([body, members]) => `struct In { @builtin(local_invocation_index) ${members} }
@compute @workgroup_size(64) fn main(inp: In) {
  ${body}
}`);
STRUCTS.push('struct In { @builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nw: vec3u }\n@compute @workgroup_size(64) fn main(inp: In) {\n  if (inp.wid.x == 0u) { workgroupBarrier(); }\n}',
  'var<workgroup> t: array<u32, 64>;\nstruct In { @builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u }\nfn stage(i: In) { if (i.lid == 0u) { workgroupBarrier(); } }\n@compute @workgroup_size(64) fn main(inp: In) {\n  t[inp.lid] = 1u;\n  stage(In(0u, vec3u(0u)));\n}',
  '@group(0) @binding(0) var<storage, read_write> done: atomic<u32>;\n@compute @workgroup_size(64) fn main(@builtin(workgroup_id) wid: vec3u) {\n  let ticket = atomicAdd(&done, 1u);\n  if (ticket == 63u) { workgroupBarrier(); }\n}',
  'var<workgroup> c: atomic<u32>;\n@compute @workgroup_size(64) fn main() {\n  let r = atomicAdd(&c, 1u);\n  if (r == 0u) { workgroupBarrier(); }\n}',
  'var<workgroup> t: array<u32, 64>;\nvar<workgroup> c: atomic<u32>;\n@compute @workgroup_size(64) fn main() {\n  let v = workgroupUniformLoad(&t[atomicLoad(&c) & 63u]);\n  t[0] = v;\n}');

/** Subgroups (trial 145 A5): subgroup_id and subgroup operations' results differ across a workgroup; a subgroup
 *  operation must be in subgroup-uniform control flow, where subgroup_id is uniform. */
const SUBGROUPS = [
  'if (sgid == 0u) { workgroupBarrier(); }',
  'let s = subgroupAdd(1u);\n  if (s == 0u) { workgroupBarrier(); }',
  'if (subgroupElect()) { workgroupBarrier(); }',
  'if (lid < 5u) { t[0] = subgroupAdd(lid); }',
  'if (sgid == 0u) { t[0] = subgroupAdd(lid); }',
  'if (subgroupBroadcastFirst(lid) == 0u) { t[0] = subgroupAdd(lid); }',
  'if (wid.x == 0u) { t[0] = subgroupShuffle(lid, 1u); }',
].map((body) => `enable subgroups;
var<workgroup> t: array<u32, 64>;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u, @builtin(subgroup_id) sgid: u32) {
  ${body}
}`);

// Trial 149 A1: `diagnostic(off, subgroup_uniformity)`, on the module, a function or a statement, turns the rule off.
SUBGROUPS.push(
  'enable subgroups;\ndiagnostic(off, subgroup_uniformity);\nvar<workgroup> t: array<u32, 64>;\n@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32) {\n  if (lid < 5u) { t[0] = subgroupAdd(lid); }\n}',
  'enable subgroups;\nvar<workgroup> t: array<u32, 64>;\n@diagnostic(warning, subgroup_uniformity) @compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32) {\n  if (lid < 5u) { t[0] = subgroupAdd(lid); }\n}',
  'enable subgroups;\ndiagnostic(off, subgroup_uniformity);\nvar<workgroup> t: array<u32, 64>;\n@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32) {\n  if (lid < 5u) { workgroupBarrier(); }\n}',
);

/** Where Tint rejects and the check, saying only the sure cases, says nothing. */
const GAPS: [string, string?][] = [
  // A helper's parameter given the id, and a helper that writes through a pointer: the check is per function.
  ['stage(lid);', 'fn stage(i: u32) { if (i < 32u) { workgroupBarrier(); } }'],
  ['k = 32u;\n  put(&k, lid);\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }', 'fn put(p: ptr<function, u32>, v: u32) { *p = v; }'],
  // Reads of memory WGSL's analysis takes as non-uniform (read_write storage, workgroup, private).
  ['if (t[0] == 0u) { workgroupBarrier(); }'],
];

let device: GPUDevice | undefined;
// Kept referenced for the file's life (dawn-host.ts: an instance the collector takes crashes Dawn later).
const gpus: GPU[] = [];
beforeAll(async () => {
  process.env.VK_ICD_FILENAMES ??= ['/usr/lib/chromium/vk_swiftshader_icd.json'].find((p) => existsSync(p)) ?? '';
  const gpu = create([]);
  gpus.push(gpu);
  const adapter = await gpu.requestAdapter();
  device = await adapter?.requestDevice({ requiredFeatures: adapter.features.has('subgroups') ? ['subgroups'] : [] });
});

async function tintRejects(code: string): Promise<boolean> {
  // In an error scope, so that Dawn's validation error is caught here, not printed.
  device!.pushErrorScope('validation');
  const info = await device!.createShaderModule({ code }).getCompilationInfo();
  await device!.popErrorScope();
  const errors = info.messages.filter((m) => m.type === 'error');
  expect(errors.every((m) => /uniform control flow|to be uniform|subgroup uniform/.test(m.message)), errors.map((m) => m.message).join('\n')).toBe(true);
  return errors.length > 0;
}

describe('nonUniformBarriers says what Tint says', () => {
  it.each(AGREE)('%s', async (body, helpers) => {
    const code = kernel(body, helpers);
    expect(nonUniformBarriers(code).length > 0).toBe(await tintRejects(code));
  });
  it.each(STRUCTS)('%s', async (code) => {
    expect(nonUniformBarriers(code).length > 0).toBe(await tintRejects(code));
  });
  it.each(SUBGROUPS)('%s', async (code) => {
    // SwiftShader, Dawn's adapter here and in CI, has subgroups (README); an adapter without them fails here loudly.
    expect(device!.features.has('subgroups')).toBe(true);
    expect(nonUniformBarriers(code).length > 0).toBe(await tintRejects(code));
  });
  it.each(GAPS)('a gap: %s', async (body, helpers) => {
    const code = kernel(body, helpers);
    expect(await tintRejects(code)).toBe(true);
    expect(nonUniformBarriers(code)).toEqual([]);
  });
});
