// What a failure says about a `--wgsl` kernel's set-up, as a new user met it (the trial of 2026-11-30, items 4 and 7):
// a buffer declared as another 32-bit scalar than the spec's type is named with its line in the failure (never an
// error: an f32 buffer bound as atomic<u32> is how a CAS loop adds floats), and a kernel of another workgroup size
// under a spec whose dispatch ignores the size is warned of at the start and named in writes-every-output's failure.
// Real Dawn, the library's kernels with small edits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../harness/engines/engine.ts';
import { openDawn } from '../harness/engines/dawn.ts';
import { openEngine } from '../harness/engines/open.ts';
import { runProperty } from '../harness/run/property-runner.ts';
import { loadKernels, withWgsl, type LoadedKernel } from '../harness/run/registry.ts';
import { overrideLines } from '../harness/cli/select-kernels.ts';
import { propertiesOf } from '../harness/run/universal.ts';

const ROOT = join(import.meta.dirname, '..');
const WORK = mkdtempSync(join(tmpdir(), 'ks-specmsg-'));

let engine: Engine;
beforeAll(async () => {
  engine = await openDawn();
}, 120_000);
afterAll(async () => {
  await engine?.close();
});

/** A library kernel's WGSL with each `from` (which must be there) replaced, written as FILE in a scratch folder. */
function edited(kernel: string, file: string, edits: [string, string][]): string {
  let text = readFileSync(join(ROOT, 'kernels', `${kernel}.wgsl`), 'utf8');
  for (const [from, to] of edits) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  const path = join(WORK, file);
  writeFileSync(path, text);
  return path;
}

const load = async (root: string, name: string) => (await loadKernels(root, [name])).get(name)!;
const run = (k: LoadedKernel, property: string) => runProperty(engine, k, k.properties.find((p) => p.name === property)!, { seed: 1, runs: 3, shrinkMs: 10_000 });

describe("a declared element type that differs from the spec's", () => {
  it('a transpose that converts into array<u32> where the spec says f32 fails naming the declaration', async () => {
    const path = edited('transpose', 'tr_u32.wgsl', [
      ['var<storage, read_write> b: array<f32>;', 'var<storage, read_write> b: array<u32>;'],
      ['= tile[lid.x][lid.y];', '= u32(tile[lid.x][lid.y] * 1000.0);'],
    ]);
    const r = await run(withWgsl(await load(ROOT, 'transpose'), path), 'matches-reference');
    expect(r.status).toBe('fail');
    expect(r.error).toMatch(/ but the reference is .* \(\S*tr_u32\.wgsl:9: 'b' is declared array<u32>, but the spec's buffer 'b' is f32: the harness writes and reads it as f32\)$/);
  }, 120_000);

  it('an f32 buffer bound as array<atomic<u32>> is not named when the kernel fails', async () => {
    const lib = join(ROOT, 'test', 'field-atomics');
    const wrong = withWgsl(await load(lib, 'scatter_add'), join(lib, 'wrong', 'scatter_add_int_atomic.wgsl'));
    const r = await run(wrong, 'matches-reference');
    expect(r.status).toBe('fail');
    expect(r.error).not.toContain('is declared');
  }, 120_000);
});

/** C = A·B + bias, one element per invocation in 4 × 4 workgroups: right where dispatched, but matmul_tiled's spec
 *  dispatches one workgroup per 16 × 16 block of C, so it covers a quarter of each block's rows and columns. */
const NAIVE_MATMUL_4X4 = `struct Params { M: u32, N: u32, K: u32 }
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(4, 4)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (gid.y >= params.M || gid.x >= params.N) { return; }
  var s = 0.0;
  for (var k = 0u; k < params.K; k++) { s += a[gid.y * params.K + k] * b[k * params.N + gid.x]; }
  c[gid.y * params.N + gid.x] = s + bias[gid.x];
}
`;

describe("a --wgsl kernel of another workgroup size under a spec whose dispatch ignores the size", () => {
  const warning = /^kernel 'matmul_tiled': kernels\/matmul_tiled\.kernel\.ts dispatches the same workgroups for your @workgroup_size\(4, 4, 1\) \(\S*mm_naive4x4\.wgsl\) as for the library's @workgroup_size\(8, 8, 1\): each of your workgroups must cover what one of the library kernel's covers; if yours covers less, give it a spec of its own \(kernelscope init\) whose workgroups\(\) divides the output by your tile, and if it covers as much or more, the index that picks each output element is where to look$/;
  const naive = join(WORK, 'mm_naive4x4.wgsl');
  writeFileSync(naive, NAIVE_MATMUL_4X4);

  it("matmul_tiled: writes-every-output's failure says the spec dispatches a fixed grid", async () => {
    const mine = withWgsl(await load(ROOT, 'matmul_tiled'), naive);
    expect(mine.fixedDispatch).toMatch(warning);
    const r = await run(mine, 'writes-every-output');
    expect(r.status).toBe('fail');
    expect(r.error).toMatch(/^c\[\d+\] \(at \d+, \d+ of \d+ × \d+\) was never written.*\(kernel 'matmul_tiled': .* the index that picks each output element is where to look\)$/);
  }, 120_000);

  it('transpose follows the size: no warning, and an 8 × 8 tile passes', async () => {
    const path = edited('transpose', 'tr_8x8.wgsl', [['const T: u32 = 16u;', 'const T: u32 = 8u;'], ['@workgroup_size(16, 16)', '@workgroup_size(8, 8)']]);
    const mine = withWgsl(await load(ROOT, 'transpose'), path);
    expect(mine.fixedDispatch).toBeUndefined();
    expect((await run(mine, 'writes-every-output')).status).toBe('pass');
  }, 120_000);

  const note = /^kernel 'matmul_tiled': your @workgroup_size\(4, 4, 1\) differs from the library's @workgroup_size\(8, 8, 1\), and kernels\/matmul_tiled\.kernel\.ts dispatches the same workgroups for both \(a failure that leaves outputs unwritten will say more\)$/;

  // Trial 51: the whole warning before the results read as a diagnosis of seven correct kernels.
  it('the CLI says it in one line before the results, and in full with the failure', () => {
    const out = join(WORK, 'out');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'test', '--wgsl', `matmul_tiled=${naive}`, '--property', 'writes-every-output',
      '--property', 'matches-reference', '--runs', '2', '--out', out, '--fixtures', join(WORK, 'fx')], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stderr.split('\n');
    const warned = lines.filter((l) => l.startsWith('note: kernel'));
    expect(warned, r.stderr).toHaveLength(1);
    expect(warned[0]!.slice('note: '.length)).toMatch(note);
    expect(lines.indexOf(warned[0]!)).toBeLessThan(lines.findIndex((l) => l.startsWith('FAIL ')));
    expect(r.stderr).toMatch(/the index that picks each output element is where to look\)/);
  }, 300_000);
});

describe('bindings numbered apart from the library kernel\'s', () => {
  it('are said before the run, by variable, and change no verdict (buffers are bound by name)', async () => {
    const path = edited('relu', 'relu_swapped.wgsl', [
      ['@group(0) @binding(0) var<storage, read> x', '@group(0) @binding(1) var<storage, read> x'],
      ['@group(0) @binding(1) var<storage, read_write> y', '@group(0) @binding(0) var<storage, read_write> y'],
    ]);
    const swapped = withWgsl(await load(ROOT, 'relu'), path);
    expect(swapped.bindingNote).toMatch(/^note: \S*relu_swapped\.wgsl and the library's kernels\/relu\.wgsl number their bindings apart \(x: @group\(0\) @binding\(1\) in yours, @group\(0\) @binding\(0\) in the library's; y: @group\(0\) @binding\(0\) in yours, @group\(0\) @binding\(1\) in the library's\): kernelscope binds buffers by variable name/);
    expect(overrideLines(new Map([['relu', path]]), [swapped])).toEqual([`relu: ${path} (--wgsl) in place of the library's WGSL`, `  ${swapped.bindingNote}`]);
    expect((await run(swapped, 'matches-reference')).status).toBe('pass');
    // The library's own numbering: no note.
    expect(withWgsl(await load(ROOT, 'relu'), join(ROOT, 'kernels', 'relu.wgsl')).bindingNote).toBeUndefined();
  }, 120_000);

  // Trial 69 A1: twins that moved or swapped a uniform struct's fields passed with no word; fields are packed by name,
  // so they run on their own layout, where host code written for the library's would write other bytes.
  it('a parameter struct whose fields lie apart from the library\'s is said before the run, by field', async () => {
    const path = edited('softmax', 'softmax_params_swapped.wgsl', [['  rows: u32,\n  cols: u32,', '  cols: u32,\n  rows: u32,']]);
    const swapped = withWgsl(await load(ROOT, 'softmax'), path);
    expect(swapped.paramsNote).toMatch(/^note: \S*softmax_params_swapped\.wgsl lays out a parameter struct apart from the library's kernels\/softmax\.wgsl \(params: cols at byte 0 \(u32\) in yours, 4 \(u32\) in the library's, rows at byte 4 \(u32\) in yours, 0 \(u32\) in the library's\): kernelscope writes its fields by name, so yours runs on its own layout, but host code written for the library's would write them where yours reads other fields$/);
    expect(overrideLines(new Map([['softmax', path]]), [swapped])).toContain(`  ${swapped.paramsNote}`);
    expect(withWgsl(await load(ROOT, 'softmax'), join(ROOT, 'kernels', 'softmax.wgsl')).paramsNote).toBeUndefined();
  });

  // Trial 163 B4: a field of the user's alone that the WGSL never reads is no more a difference than padding; once
  // read, host code written for the library's layout would not have written it.
  it('a field of yours alone is said only where the WGSL reads it', async () => {
    const unused = edited('softmax', 'softmax_params_unused.wgsl', [['  cols: u32,\n}', '  cols: u32,\n  scale: f32,\n}']]);
    expect(withWgsl(await load(ROOT, 'softmax'), unused).paramsNote).toBeUndefined();
    const read = edited('softmax', 'softmax_params_read.wgsl', [['  cols: u32,\n}', '  cols: u32,\n  scale: f32,\n}'], ['let row = wid.x;', 'let row = wid.x + u32(params.scale);']]);
    expect(withWgsl(await load(ROOT, 'softmax'), read).paramsNote).toMatch(/\(params: scale \(yours alone, at byte 8\)\)/);
  });

  it("the properties a --wgsl run leaves out (they assume the library's algorithm) are said before it, not dropped silently", async () => {
    const file = join(ROOT, 'test', 'alt-implementations', 'reduce_sum_sequential.wgsl');
    const k = withWgsl(await load(ROOT, 'reduce_sum'), file);
    expect(k.properties.map((p) => p.name)).not.toContain('matches-reference-tree');
    expect(overrideLines(new Map([['reduce_sum', file]]), [k])[1]).toMatch(/^ {2}left out, as it assumes the library kernel's own algorithm: matches-reference-tree \(reduce_sum\.wgsl's binary tree.*; --same-algorithm keeps it for a twin of that algorithm$/);
  });

  // A trial's twin of its own DFT was let through, exit 0: the property written for its algorithm was left out, and
  // nothing kept it. --same-algorithm says the file is a twin of the kernel's algorithm.
  it('--same-algorithm keeps them, for a twin of the same algorithm, and they judge it', async () => {
    const own = withWgsl(await load(ROOT, 'reduce_sum'), join(ROOT, 'kernels', 'reduce_sum.wgsl'), true);
    expect(own.leftOut).toEqual([]);
    expect((await run(own, 'matches-reference-tree')).status).toBe('pass');
    const twin = withWgsl(await load(ROOT, 'reduce_sum'), join(ROOT, 'test', 'wrong-kernels', 'lib_reduce_sum_half.wgsl'), true);
    expect((await run(twin, 'matches-reference-tree')).status).toBe('fail');
  }, 120_000);
});

describe('a spec that does not fit its WGSL, on an engine without the feature the kernel needs', () => {
  it('is the error it is on every engine, not hidden by the skip; a kernel that fits is the skip', async () => {
    const field = join(ROOT, 'test', 'field');
    const k = await load(field, 'dot_f16');
    const skipped = await run(k, 'matches-reference');
    expect(skipped).toMatchObject({ status: 'skip' });
    expect(skipped.error).toMatch(/^not supported here: needs feature shader-f16/);
    const buffers = { ...k.program.spec.buffers, a: { ...k.program.spec.buffers.a!, type: 'f32' as const } };
    const misfit = { ...k, program: { ...k.program, spec: { ...k.program.spec, buffers } } };
    const r = await run(misfit, 'matches-reference');
    expect(r.status).toBe('error');
    expect(r.error).toMatch(/dot_f16\.wgsl:\d+: 'a' holds f16, but the spec's buffer 'a' has type 'f32'; write type: 'f16'$/);
  }, 120_000);
});

// A trial's relu that enabled a browser's experimental extension was an error ("extension ... is not allowed in the
// current environment"): the compiler knows it and this engine does not offer it, which is "not supported here".
describe('an extension this engine does not offer', () => {
  it('is a skip that names it, with the compiler\'s located words; a misspelt one stays an error', async () => {
    const relu = await load(ROOT, 'relu');
    const offered = withWgsl(relu, edited('relu', 'relu_experimental.wgsl', [['struct Params', 'enable chromium_experimental_subgroup_matrix;\nstruct Params']]));
    const r = await run(offered, 'matches-reference');
    expect(r.status).toBe('skip');
    expect(r.error).toMatch(/^not supported here: the WGSL enables chromium_experimental_subgroup_matrix, which dawn does not offer \(.*relu_experimental\.wgsl:\d+:8: error: extension 'chromium_experimental_subgroup_matrix' is not allowed in the current environment\)$/);
    const typo = await run(withWgsl(relu, edited('relu', 'relu_typo.wgsl', [['struct Params', 'enable f61;\nstruct Params']])), 'matches-reference');
    expect(typo.status).toBe('error');
    expect(typo.error).toMatch(/relu_typo\.wgsl:\d+:8: error: /);
  });
});

// Trial 46: a correct kernel with a ptr<workgroup> parameter, which WGSL allows through the language extension
// unrestricted_pointer_parameters, was an error on deno and firefox, whose compiler (naga) lacks it: a skip that says
// so, with naga's words; dawn (Tint) runs it.
describe('a WGSL language extension the engine\'s compiler lacks', () => {
  it('is a skip on deno that names it; dawn runs the same WGSL', async () => {
    const relu = await load(ROOT, 'relu');
    const path = edited('relu', 'relu_ptr_param.wgsl', [['struct Params', 'var<workgroup> w: array<f32, 4>;\nfn first(p: ptr<workgroup, array<f32, 4>>) -> f32 {\n  return (*p)[0];\n}\nstruct Params']]);
    const k = withWgsl(relu, path);
    expect((await run(k, 'matches-reference')).status).toBe('pass');
    const deno = await openEngine('deno');
    try {
      const r = await runProperty(deno, k, k.properties.find((p) => p.name === 'matches-reference')!, { seed: 1, runs: 3, shrinkMs: 10_000 });
      expect(r.status).toBe('skip');
      expect(r.error).toMatch(/^not supported here: a ptr<workgroup> parameter \('p'\) needs the WGSL language extension unrestricted_pointer_parameters, which this engine's compiler \(naga\) does not have \(.*relu_ptr_param\.wgsl:\d+:\d+: error: /);
      // ptr<storage>: naga names its space with the access ("Storage { access: StorageAccess(LOAD) }"), which the
      // pattern missed, and trial 66's correct kernel was an error on deno and firefox.
      const storage = withWgsl(relu, edited('relu', 'relu_ptr_storage.wgsl', [['struct Params', 'fn firstOf(q: ptr<storage, array<f32>, read>) -> f32 {\n  return (*q)[0];\n}\nstruct Params']]));
      const s = await runProperty(deno, storage, storage.properties.find((p) => p.name === 'matches-reference')!, { seed: 1, runs: 3, shrinkMs: 10_000 });
      expect(s.status, s.error).toBe('skip');
      expect(s.error).toMatch(/^not supported here: a ptr<storage> parameter \('q'\) needs the WGSL language extension unrestricted_pointer_parameters/);
    } finally {
      await deno.close();
    }
  }, 120_000);
});

// A trial's relu that read x as a texture was told "binds 'x', which this WGSL does not declare", at x's line. Textures
// are not run on any engine: a skip that says so, as for a feature the adapter lacks, not an error (trial 46).
it("a spec's buffer that the WGSL declares as a texture is named as one, not as missing", async () => {
  const relu = await load(ROOT, 'relu');
  const path = edited('relu', 'relu_texture.wgsl', [['@group(0) @binding(0) var<storage, read> x: array<f32>;', '@group(0) @binding(0) var x: texture_1d<f32>;']]);
  const r = await run(withWgsl(relu, path), 'matches-reference');
  expect(r.status).toBe('skip');
  const line = readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes('texture_1d')) + 1;
  expect(r.error).toBe(`${path}:${line}: 'x' is declared texture_1d<f32>, but kernel 'relu' binds a buffer 'x' there: not supported here, kernelscope binds storage and uniform buffers only (textures and samplers are not run); declare x as a var<storage> array instead`);
});

// A trial's premul wrote a texture_storage_2d, which wgsl_reflect lists among the storage buffers: the message was a
// JavaScript exception ("Cannot read properties of undefined (reading 'scalar')").
it("a spec's output that the WGSL declares as a storage texture is named as one", async () => {
  const relu = await load(ROOT, 'relu');
  const path = edited('relu', 'relu_storage_texture.wgsl', [['@group(0) @binding(1) var<storage, read_write> y: array<f32>;', '@group(0) @binding(1) var y: texture_storage_1d<r32float, write>;']]);
  const r = await run(withWgsl(relu, path), 'matches-reference');
  expect(r.status).toBe('skip');
  const line = readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes('texture_storage_1d')) + 1;
  expect(r.error).toBe(`${path}:${line}: 'y' is declared texture_storage_1d<r32float, write>, but kernel 'relu' binds a buffer 'y' there: not supported here, kernelscope binds storage and uniform buffers only (textures and samplers are not run); declare y as a var<storage> array instead`);
});

// A trial's kernel used a storage texture no spec buffer was bound to, and one a sampled texture in group 1: Dawn's
// bind group validation spoke of entry counts and missing groups, with no line and no word of textures.
it('a texture the entry point uses that no buffer is bound to is named as not supported, at its line', async () => {
  const relu = await load(ROOT, 'relu');
  for (const [decl, use, type] of [
    ['@group(0) @binding(3) var img: texture_storage_2d<rgba8unorm, write>;', 'textureStore(img, vec2u(i, 0u), vec4f(0.0));', 'texture_storage_2d<rgba8unorm, write>'],
    ['@group(1) @binding(0) var img: texture_2d<f32>;', 'let t = textureLoad(img, vec2u(i, 0u), 0);', 'texture_2d<f32>'],
  ] as const) {
    const path = edited('relu', `relu_uses_texture_${type.length}.wgsl`, [['@group(0) @binding(2) var<uniform> params: Params;', `@group(0) @binding(2) var<uniform> params: Params;\n${decl}`], ['y[i] = max(x[i], 0.0);', `y[i] = max(x[i], 0.0);\n  ${use}`]]);
    const r = await run(withWgsl(relu, path), 'matches-reference');
    expect(r.status).toBe('skip');
    const line = readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes('var img')) + 1;
    expect(r.error).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}: entry 'main' uses 'img', a ${type}: not supported here, kernelscope binds storage and uniform buffers only \\(textures and samplers are not run\\); hold its texels in a var<storage> array instead$`));
  }
});

// A trial's eleven-buffer stage: Dawn's message tells a WebGPU programmer to call requestDevice with requiredLimits;
// here the spec asks for the device, and the error says where.
describe('a limit past WebGPU\'s default', () => {
  it('is an error that says the spec asks for a limit, not requestDevice', async () => {
    const file = edited('add', 'add-512.wgsl', [['@workgroup_size(64)', '@workgroup_size(512)']]);
    const r = await run(withWgsl(await load(ROOT, 'add'), file), 'matches-reference');
    expect(r.status).toBe('error');
    // A --wgsl file runs under the library kernel's spec, which its user does not edit.
    expect(r.error!.split('\n')[0]).toMatch(/exceeds the maximum allowed .* \(kernelscope opens the device with the library kernel's spec, which asks for no more: keep your WGSL within WebGPU's default limits, or give it a spec of its own with kernelscope init, with requires: \{ limits: \{ maxComputeWorkgroupSizeX: N, maxComputeInvocationsPerWorkgroup: N \} \}\)$/);
  }, 120_000);

  // A trial's own library: its spec is the user's to edit, and kernelscope init would only make another.
  it('in a library of the user\'s own, says to ask for it in that spec', async () => {
    expect((await load(ROOT, 'add')).program.userLibrary).toBe(false);
    const own = await load(join(ROOT, 'test/fixtures/library'), 'scale');
    expect(own.program.userLibrary).toBe(true);
    const file = edited('add', 'add-512-own.wgsl', [['@workgroup_size(64)', '@workgroup_size(512)']]);
    const k = withWgsl(await load(ROOT, 'add'), file);
    const r = await run({ ...k, program: { ...k.program, userLibrary: true } }, 'matches-reference');
    expect(r.error!.split('\n')[0]).toMatch(/exceeds the maximum allowed .* \(kernelscope opens the device with the spec kernels\/add\.kernel\.ts, which asks for no more: add requires: \{ limits: \{ maxComputeWorkgroupSizeX: N, maxComputeInvocationsPerWorkgroup: N \} \} there, which the adapter must have\)$/);
  }, 120_000);
});

// Trial 57 A1: the family's cases gave x as a Float64Array for an f32 buffer. Its bytes went to the GPU as they were,
// the kernel read the low halves of doubles, and a correct saxpy failed matches-reference with a message quoting
// inputs it never saw. Now it is a set-up error naming the input, its array and the spec's type.
describe("a case's input in another typed array than the spec's type", () => {
  it('is an error of every property, naming the input and the array to build', async () => {
    const add = await load(ROOT, 'add');
    const asDoubles = add.family.cases.map((c) => ({ ...c, inputs: { ...c.inputs, a: Float64Array.from(c.inputs.a!) as unknown as Float32Array } }));
    // (A properties file runs through tsx, which checks no types: the slip reaches the harness.)
    const family = { ...add.family, cases: asDoubles };
    const k = { ...add, family, properties: propertiesOf(add.program.spec, family, add.program) };
    for (const property of ['matches-reference', 'inputs-unchanged']) {
      const r = await run(k, property);
      expect(r.status, property).toBe('error');
      expect(r.error!.split('\n')[0]).toMatch(/^kernels\/add\.kernel\.ts: input 'a' of a case of shape \{"n":\d+[^}]*\} is a Float64Array, but the spec's buffer 'a' is f32, which the harness uploads from a Float32Array as its bytes stand; build it as a Float32Array in the family's cases \(its properties file\), or give the spec the type the WGSL reads$/);
    }
  }, 120_000);
});

// Trial 115 B1: a shrink ended by its time limit named a case of 579 elements where one of 5 failed, and said nothing.
describe('a shrink cut short by its time limit', () => {
  it('says so beside the failure', async () => {
    const wrong = withWgsl(await load(ROOT, 'add'), join(ROOT, 'test', 'wrong-kernels', 'add-whole-workgroups.wgsl'));
    const p = wrong.properties.find((x) => x.name === 'writes-every-output')!;
    const cut = await runProperty(engine, wrong, p, { seed: 1, runs: 20, shrinkMs: 1 });
    expect(cut.status).toBe('fail');
    expect(cut.error).toMatch(/; shrinking stopped at its time limit of 0\.001 s before a smaller case failed: saved as it failed$/);
    expect(cut.counterexample?.path).toBeDefined();
    const whole = await runProperty(engine, wrong, p, { seed: 1, runs: 20, shrinkMs: 60_000 });
    expect(whole.error).not.toMatch(/time limit/);
  }, 120_000);
});
