// The programmatic API as a user's script meets it: docs/api.md's example run as written, from a project that has
// kernelscope in its node_modules, plus runKernel's outputs and refusals checked directly on Dawn.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Float16Array } from '@petamoriken/float16';
import { nonUniformBarrierError } from '../harness/run/suite.ts';
import { checkProperty, EngineUnavailable, KernelCompileError, loadLibrary, NotSupportedHere, open, runKernel, withWgsl, type Engine, type LoadedKernel } from '../harness/api.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe("docs/api.md's example", () => {
  const doc = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
  const files = Object.fromEntries([...doc.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!]));
  const project = mkdtempSync(join(tmpdir(), 'ks-api-'));
  mkdirSync(join(project, 'node_modules'));
  // What `npm install -D PATH/TO/kernelscope` leaves: a link in node_modules.
  symlinkSync(ROOT, join(project, 'node_modules/kernelscope'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  const run = (cases: string) => {
    writeFileSync(join(project, 'softmax-cases.json'), cases);
    writeFileSync(join(project, 'compare.ts'), files['compare.ts']!);
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'compare.ts'], {
      cwd: project, encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: '/tmp' }, timeout: 170_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('has its two files', () => {
    expect(Object.keys(files).sort()).toEqual(['compare.ts', 'softmax-cases.json']);
  });

  it("runs as written: ONNX's softmax vectors agree within ONNX's tolerance, and matches-reference passes", () => {
    const r = run(files['softmax-cases.json']!);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^test_softmax_example: ok\ntest_softmax_large_number: ok\nmatches-reference: pass over 20 cases, 0\.\d\d of bound\n$/);
  });

  it('fails, naming the element, when one expected value is off by more than the tolerance', () => {
    const r = run(files['softmax-cases.json']!.replace('0.24472848', '0.24572848'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^test_softmax_example: y\[1\] = 0\.2447\d+, expected 0\.24572848$/m);
    expect(r.stdout).toContain('test_softmax_large_number: ok');
  });
});

describe('runKernel and checkProperty on Dawn', () => {
  let engine: Engine;
  let add: LoadedKernel;
  beforeAll(async () => {
    engine = await open('dawn');
    add = (await loadLibrary(ROOT, ['add'])).get('add')!;
  });
  afterAll(async () => engine?.close());

  it('returns the outputs for given inputs, plain numbers rounded to f32', async () => {
    const out = await runKernel(engine, add, { n: 3 }, { a: [1, 0.1, -2], b: new Float32Array([2, 0.2, 2]) });
    expect([...out.c!]).toEqual([3, Math.fround(Math.fround(0.1) + Math.fround(0.2)), 0]);
  });

  it('names a buffer the kernel does not have, and a length that does not fit the shape', async () => {
    await expect(runKernel(engine, add, { n: 3 }, { a: [1, 2, 3], nope: [1] })).rejects.toThrow(/kernel 'add' has no buffer 'nope' \(buffers: a, b, c\)/);
    await expect(runKernel(engine, add, { n: 3 }, { a: [1, 2], b: [1, 2, 3] })).rejects.toThrow(/input 'a' of a case of shape .* has 2 elements, but the spec's length\(shape\) gives 3/);
  });

  // Trial 110 B2: `enable f16` on Dawn threw KernelCompileError, which a runner takes for a broken kernel.
  it('throws NotSupportedHere for a feature the adapter lacks, as checkProperty skips it', async () => {
    const dot = (await loadLibrary(join(ROOT, 'test/field'), ['dot_f16'])).get('dot_f16')!;
    if (engine.info.features?.includes('shader-f16')) return;
    const e = await runKernel(engine, dot, { rows: 1, cols: 2 }, { a: new Float16Array(2), b: new Float16Array(2) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotSupportedHere);
    expect((e as Error).message).toMatch(/^not supported here: needs feature shader-f16, which dawn's adapter/);
    expect(await checkProperty(engine, dot, 'matches-reference', { runs: 1 })).toMatchObject({ status: 'skip' });
  });

  it("throws the compiler's located messages for WGSL that does not compile", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-api-'));
    const bad = join(dir, 'bad_add.wgsl');
    writeFileSync(bad, add.program.sources[add.program.spec.wgsl]!.replace(/c\[i\] = a\[i\] \+ b\[i\];/, 'c[i] = a[i] + nope;'));
    const e = await runKernel(engine, withWgsl(add, bad), { n: 3 }, { a: [1, 2, 3], b: [1, 2, 3] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KernelCompileError);
    expect((e as Error).message).toMatch(/bad_add\.wgsl:\d+:\d+: error: unresolved value 'nope'\n.*nope;\n +\^/);
  });

  it('runs one property and refuses one the kernel does not have', async () => {
    const r = await checkProperty(engine, add, 'correctly-rounded', { runs: 5 });
    expect(r).toMatchObject({ kernel: 'add', property: 'correctly-rounded', backend: 'dawn', status: 'pass', runs: 5 });
    await expect(checkProperty(engine, add, 'nope')).rejects.toThrow(/no property 'nope' \(properties: matches-reference/);
    // A trace property runs on a GPU engine too, on the sanitized kernel.
    expect(await checkProperty(engine, add, 'no-data-race', { runs: 2 })).toMatchObject({ backend: 'dawn', status: 'pass', runs: 2 });
    // Trial 110 B1: runs 0 ran one case and passed, NaN was an internal TypeError.
    for (const runs of [0, -1, NaN, 2.5]) await expect(checkProperty(engine, add, 'matches-reference', { runs })).rejects.toThrow(/runs must be a whole number of cases, 1 or more/);
  });
});

// runKernel did not ask the device for what the kernel needs (shader-f16 on Deno: "the f16 extension is not supported
// in the current environment"), nor took a Float16Array for an f16 buffer.
it('runKernel runs an f16 kernel on an engine with shader-f16, from Float16Arrays', async () => {
  const engine = await open('deno').catch(() => undefined);
  if (!engine) return void console.log('skipped: no deno');
  try {
    const dot = (await loadLibrary(join(ROOT, 'test/field'), ['dot_f16'])).get('dot_f16')!;
    const out = await runKernel(engine, dot, { rows: 1, cols: 2 }, { a: new Float16Array([1, 2]), b: new Float16Array([3, 4]) });
    expect(Array.from(out.y as unknown as ArrayLike<number>)).toEqual([5.5]);
  } finally {
    await engine.close();
  }
}, 120_000);

// Trial 110 B3: a misspelt engine was EngineUnavailable (which a runner catches to skip it), an unknown kernel name an
// empty Map.
it('a misspelt engine or kernel name is an Error, not an engine that cannot start or an empty library', async () => {
  await expect(open('chromuim' as never)).rejects.toThrow(/^open: no engine 'chromuim' \(engines: dawn, /);
  await expect(open('chromuim' as never)).rejects.not.toBeInstanceOf(EngineUnavailable);
  await expect(loadLibrary(ROOT, ['add', 'ad'])).rejects.toThrow(/^loadLibrary: no kernel 'ad' in /);
});

// Trial 110 A1: a barrier under `if` on the invocation's id passed every property through checkProperty on the
// interpreter and Deno, where `test` says it is not valid WGSL: the check lived in test's run loop alone.
it('checkProperty refuses a barrier in non-uniform control flow on an engine that would run it', async () => {
  const engine = await open('interpreter');
  try {
    const relu = (await loadLibrary(ROOT, ['relu'])).get('relu')!;
    const dir = mkdtempSync(join(tmpdir(), 'ks-api-'));
    const bad = join(dir, 'relu_barrier.wgsl');
    const code = relu.program.sources[relu.program.spec.wgsl]!;
    writeFileSync(bad, code.replace(/(\n\s*let i = [^\n]*\n)/, '$1  if (i < 3u) { workgroupBarrier(); }\n'));
    expect(readFileSync(bad, 'utf8')).toContain('workgroupBarrier()');
    const r = await checkProperty(engine, withWgsl(relu, bad), 'matches-reference', { runs: 2 });
    expect(r).toMatchObject({ status: 'error', runs: 0 });
    expect(r.error).toMatch(/^not valid WGSL: \S*relu_barrier\.wgsl:\d+: workgroupBarrier\(\) under 'i < 3u'/);
  } finally {
    await engine.close();
  }
});

// Trial 153 B2: "naga would run it" was said of a kernel naga refuses for its ptr<workgroup> parameter anyway.
it('on a naga engine, the barrier error says when naga would refuse the kernel for a pointer parameter too', async () => {
  const relu = (await loadLibrary(ROOT, ['relu'])).get('relu')!;
  const dir = mkdtempSync(join(tmpdir(), 'ks-api-'));
  const code = relu.program.sources[relu.program.spec.wgsl]!.replace(/(\n\s*let i = [^\n]*\n)/, '$1  if (i < 3u) { sync(&tile); }\n');
  const helper = 'var<workgroup> tile: array<f32, 64>;\nfn sync(p: ptr<workgroup, array<f32, 64>>) { workgroupBarrier(); (*p)[0] = 0.0; }\n';
  const withPointer = join(dir, 'relu_ptr.wgsl');
  writeFileSync(withPointer, helper + code);
  const plain = join(dir, 'relu_plain.wgsl');
  writeFileSync(plain, helper.replace('fn sync(p: ptr<workgroup, array<f32, 64>>) { workgroupBarrier(); (*p)[0] = 0.0; }', 'fn sync() { workgroupBarrier(); tile[0] = 0.0; }') + code.replace('sync(&tile)', 'sync()'));
  const pointerError = nonUniformBarrierError(withWgsl(relu, withPointer).program, 'deno')!;
  expect(pointerError).toMatch(/^not valid WGSL: \S*relu_ptr\.wgsl:\d+: sync\(\) under 'i < 3u'/);
  expect(pointerError).toMatch(/it would not compile this kernel for another reason either: its ptr<workgroup> parameter \('p'\) needs the WGSL language extension unrestricted_pointer_parameters/);
  expect(pointerError).not.toContain('would run it');
  expect(nonUniformBarrierError(withWgsl(relu, plain).program, 'deno')).toMatch(/naga, deno's, does not apply the analysis in full and would run it$/);
});
