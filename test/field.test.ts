// The field corpus (test/field/): kernels written the way public ML libraries write them, each using one WGSL
// feature (f16, subgroups, override, vec2 uniform fields, vec4 with a tail, two bind groups, an array of structs, an
// online softmax with exp2 judged by the kit's softmax bound, pack4x8unorm judged by the kit's packNormLevels),
// loaded as a user's library (KERNELSCOPE_LIBRARY) through the real command line. Each correct kernel passes on
// every engine that has its feature and skips, naming the feature, where the adapter lacks it; each wrong twin
// (test/field/wrong/, headers as in test/wrong-kernels/) is caught by the property it names. Then the layout, the
// parameter packing, the overrides and the bad-input messages, without a GPU.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float16Array } from '@petamoriken/float16';
import { describe, expect, it } from 'vitest';
import { MAX_F16, roundF16, U_F16, ulpDistanceF16, ulpOfF16 } from '../harness/bounds/f16.ts';
import { compareArrays } from '../harness/compare.ts';
import { openDawn } from '../harness/engines/dawn.ts';
import { DeviceError, type DispatchBatch } from '../harness/gpu/batch.ts';
import type { ResultsFile } from '../harness/results/schema.ts';
import { elementLayout, fromBufferBytes, packValue, toBufferBytes } from '../harness/run/layout.ts';
import { bitsOf, isSentinel, programRequirements, SENTINEL_F16, stageWorkgroupSize, toBatchCase, validateProgram, type KernelProgram } from '../harness/run/program.ts';
import { holdsAtomic, reflect, typeOf, workgroupSizeFor } from '../harness/run/reflect.ts';
import type { KernelSpec } from '../harness/spec.ts';
import { WORKGROUP_32K } from './engines-batches.ts';

const ROOT = join(import.meta.dirname, '..');
const FIELD = join(ROOT, 'test', 'field');
const CLI = join(ROOT, 'bin', 'kernelscope.mjs');
const RUNS = Number(process.env.FIELD_RUNS ?? 10);
/** Engines the corpus runs on here: Dawn (SwiftShader: subgroups, no shader-f16) and Deno (llvmpipe: shader-f16,
 *  no subgroups). An engine that cannot start is reported unavailable, its properties skipped. */
const BACKENDS = process.env.FIELD_BACKENDS ?? 'dawn,deno';

function cli(args: string[], library = FIELD): { status: number | null; stderr: string; stdout: string; results?: ResultsFile } {
  const out = mkdtempSync(join(tmpdir(), 'kernelscope-field-'));
  try {
    const env = { ...process.env, KERNELSCOPE_LIBRARY: library };
    const r = spawnSync(process.execPath, [CLI, ...args, '--out', out, '--fixtures', join(out, 'fixtures')], { cwd: ROOT, encoding: 'utf8', env, timeout: 600_000 });
    let results: ResultsFile | undefined;
    try {
      results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    } catch {
      /* reported by the assertions */
    }
    return { status: r.status, stderr: r.stderr, stdout: r.stdout, results };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const kernels = readdirSync(join(FIELD, 'kernels')).filter((f) => f.endsWith('.kernel.ts')).map((f) => f.slice(0, -'.kernel.ts'.length)).sort();
/** The twins' headers, as test/wrong-kernels/ writes them: `// replaces: KERNEL` and `// caught-by: PROPERTY`. */
const twins = readdirSync(join(FIELD, 'wrong')).filter((f) => f.endsWith('.wgsl')).sort().map((file) => {
  const text = readFileSync(join(FIELD, 'wrong', file), 'utf8');
  const field = (name: string) => text.match(new RegExp(`^// ${name}: (.*)$`, 'm'))?.[1]?.trim() ?? '';
  return { file, kernel: field('replaces'), caughtBy: field('caught-by') };
});
const FEATURE: Record<string, string> = { dot_f16: 'shader-f16', subgroup_sum: 'subgroups' };

describe('the field corpus', () => {
  it('has a wrong twin for every kernel', () => {
    expect(kernels).toEqual(['bias_shape', 'dot_f16', 'keep_positive', 'pack_unorm', 'particles', 'relu_vec4', 'row_norm', 'softmax_exp2', 'subgroup_sum', 'two_groups']);
    expect([...new Set(twins.map((t) => t.kernel))].sort()).toEqual(kernels);
  });

  it.each(kernels)('%s passes where its feature is, and skips naming the feature and adapter elsewhere', (kernel) => {
    const r = cli(['test', '--kernel', kernel, '--backend', BACKENDS, '--runs', String(RUNS), '--seed', '7']);
    const why = `exit ${r.status}\n${r.stderr.slice(-2000)}`;
    expect(r.results, why).toBeDefined();
    const results = r.results!.results;
    expect(results.length, why).toBeGreaterThan(0);
    for (const x of results) {
      const engine = r.results!.engines.find((e) => e.backend === x.backend)!;
      const feature = FEATURE[kernel];
      if (engine.status !== 'ok') {
        expect(x.status).toBe('skip');
      } else if (feature && !engine.features?.includes(feature)) {
        expect(`${x.property}/${x.backend}: ${x.status} ${x.error}`).toMatch(new RegExp(`: skip not supported here: needs feature ${feature}, which (the interpreter does not support|${x.backend}'s adapter \\(.+\\) does not have)`));
        // The terminal says so too, not only results.json.
        expect(r.stdout + r.stderr).toContain(`needs feature ${feature}`);
      } else {
        expect(`${x.property}/${x.backend}: ${x.status} ${x.error ?? ''}`).toBe(`${x.property}/${x.backend}: pass `);
        // The adapter's subgroup size beside a subgroup kernel's result, where the host gives it (Dawn's: 4).
        const lanes = engine.adapter?.subgroupMaxSize;
        if (feature === 'subgroups' && lanes) expect(x.notes?.device).toMatch(new RegExp(`^subgroups \\(subgroup size (\\d+ to )?${lanes} on this adapter\\)`));
      }
    }
    // Devices get WebGPU's default limits: the report records them beside what the adapter could give.
    for (const e of r.results!.engines.filter((e) => e.status === 'ok')) expect(e.deviceLimits?.maxComputeWorkgroupStorageSize, e.backend).toBe(16384);
  }, 600_000);

  it.each(twins)('$file is caught by $caughtBy', (w) => {
    const backend = w.kernel === 'dot_f16' ? 'deno' : 'dawn';
    const r = cli(['test', '--kernel', w.kernel, '--wgsl', `${w.kernel}=test/field/wrong/${w.file}`, '--property', w.caughtBy, '--backend', backend, '--runs', String(Math.max(RUNS, 20)), '--seed', '1']);
    const why = `exit ${r.status}\n${r.stderr.slice(-2000)}`;
    const engine = r.results?.engines.find((e) => e.backend === backend);
    if (engine?.status !== 'ok') {
      // Deno is the only engine here with shader-f16: without it the twin cannot be judged, and is not passed.
      expect(r.results!.results.every((x) => x.status === 'skip'), why).toBe(true);
      return;
    }
    expect(r.results!.results.map((x) => `${x.property}: ${x.status}`), why).toEqual([`${w.caughtBy}: fail`]);
    expect(r.status, why).toBe(1);
  }, 600_000);

  // Trial 66 B2: an f16 case replayed on Dawn, which has no shader-f16, crashed the Dawn host with a stack trace and
  // exited 1, replay's "still fails". It is refused in one line, exit 2, naming the feature and the engine that saved it.
  it('replay of an f16 case on an engine without shader-f16 says why it cannot, exit 2', () => {
    const out = mkdtempSync(join(tmpdir(), 'kernelscope-field-'));
    const env = { ...process.env, KERNELSCOPE_LIBRARY: FIELD };
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 600_000 });
    const t = run(['test', '--kernel', 'dot_f16', '--wgsl', 'dot_f16=test/field/wrong/dot_f16-f16-accumulator.wgsl', '--property', 'matches-reference', '--backend', 'deno', '--runs', '20', '--seed', '1', '--out', out, '--fixtures', join(out, 'fx')]);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    if (results.engines[0]?.status !== 'ok') return void console.log(`deno unavailable: ${results.engines[0]?.reason}`);
    expect(results.results[0]?.status, t.stderr.slice(-2000)).toBe('fail');
    const [fixture] = readdirSync(join(out, 'fx'));
    const r = run(['replay', join(out, 'fx', fixture!), '--backend', 'dawn']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/: cannot replay on dawn: the kernel needs feature shader-f16, which dawn's adapter \(.*\) does not have; replay it on deno, which saved it/)]);
    rmSync(out, { recursive: true, force: true });
  }, 600_000);

  // Trial 73 B1-B3: bench of an f16 kernel on Dawn ended with the host's stack trace, bench --harness printed a ratio
  // for 0 cases and exited 0, and mutate blamed the properties. Each says the engine lacks the feature, and fails.
  it('bench, bench --harness and mutate of an f16 kernel on an engine without shader-f16 say so, never a figure', () => {
    const env = { ...process.env, KERNELSCOPE_LIBRARY: FIELD };
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 600_000 });
    const lacks = /needs feature shader-f16, which dawn's adapter \(.*\) does not have/;
    const plain = run(['bench', 'dot_f16', '--backend', 'dawn']);
    expect([plain.status, plain.stdout], plain.stderr).toEqual([1, expect.stringMatching(lacks)]);
    expect(plain.stderr).not.toMatch(/RequirementsUnmet|at /);
    const harness = run(['bench', '--harness', 'dot_f16', '--backend', 'dawn', '--runs', '2', '--rounds', '1', '--json']);
    expect(harness.status, harness.stderr).toBe(1);
    expect((JSON.parse(harness.stdout) as { engines: Record<string, { kernels: Record<string, { error?: string }> }> }).engines.dawn!.kernels.dot_f16!.error).toMatch(lacks);
    const out = mkdtempSync(join(tmpdir(), 'kernelscope-field-'));
    const mutate = run(['mutate', 'dot_f16', '--backend', 'dawn', '--runs', '2', '--out', out]);
    expect(mutate.status, mutate.stderr).toBe(2);
    expect(mutate.stderr).toMatch(/cannot mutate 'dot_f16' on dawn: the kernel needs feature shader-f16/);
    rmSync(out, { recursive: true, force: true });
  }, 600_000);

  // A trial's f16 sigmoid failed with only the bound's "covers" note: the failure now says the f16 math is why.
  it('a library kernel computed in f16 between f32 buffers fails, saying that f16 math is why', () => {
    const r = cli(['test', '--kernel', 'sigmoid', '--wgsl', 'sigmoid=test/field/half-math/sigmoid_f16_math.wgsl', '--property', 'matches-reference',
      '--backend', 'deno', '--runs', '10', '--seed', '1'], ROOT);
    const why = `exit ${r.status}\n${r.stderr.slice(-2000)}`;
    if (r.results?.engines.find((e) => e.backend === 'deno')?.status !== 'ok') {
      expect(r.results!.results.every((x) => x.status === 'skip'), why).toBe(true);
      return;
    }
    const [res] = r.results!.results;
    expect(res?.status, why).toBe('fail');
    expect(res!.error).toMatch(/\(the WGSL enables f16 while every buffer of the spec is f32: a value computed in f16 keeps 11 significant bits/);
    expect(r.status, why).toBe(1);
  }, 600_000);
});

describe('layouts by the WGSL memory layout rules', () => {
  const storageType = (decl: string, name = 'b') => reflect(`${decl}\n@compute @workgroup_size(1) fn main() { _ = &${name}; }`).bindings.get(name)!.type;

  it('atomics are found inside arrays and structs (the scheduling note and the interpreter\'s atomic schedule)', () => {
    const holds = (decl: string) => holdsAtomic(storageType(decl));
    expect(holds('@group(0) @binding(0) var<storage, read_write> b: array<atomic<u32>>;')).toBe(true);
    expect(holds('struct C { n: u32, hits: array<atomic<i32>, 4> }\n@group(0) @binding(0) var<storage, read_write> b: C;')).toBe(true);
    expect(holds('struct C { n: u32, hits: array<i32, 4> }\n@group(0) @binding(0) var<storage, read_write> b: C;')).toBe(false);
    expect(holds('@group(0) @binding(0) var<storage, read_write> b: array<u32>;')).toBe(false);
  });

  it('vec3<f32> elements are 16 bytes apart; vec4 and vec2 are dense', () => {
    const v3 = elementLayout(storageType('@group(0) @binding(0) var<storage, read_write> b: array<vec3<f32>>;'));
    expect([v3.stride, v3.offsets, v3.dense]).toEqual([16, [0, 4, 8], false]);
    const v4 = elementLayout(storageType('@group(0) @binding(0) var<storage, read_write> b: array<vec4f>;'));
    expect([v4.stride, v4.dense]).toEqual([16, true]);
    const v2h = elementLayout(storageType('enable f16;\n@group(0) @binding(0) var<storage, read_write> b: array<vec2h>;'));
    expect([v2h.stride, v2h.offsets, v2h.scalars]).toEqual([4, [0, 2], ['f16', 'f16']]);
  });

  it('matCxR: columns padded like vectors (mat3x3<f32>: 3 columns of 16 bytes; mat2x3<f16>: 8)', () => {
    const m = elementLayout(storageType('@group(0) @binding(0) var<storage, read_write> b: array<mat3x3<f32>>;'));
    expect([m.stride, m.offsets]).toEqual([48, [0, 4, 8, 16, 20, 24, 32, 36, 40]]);
    const h = elementLayout(storageType('enable f16;\n@group(0) @binding(0) var<storage, read_write> b: array<mat2x3h>;'));
    expect([h.stride, h.offsets]).toEqual([16, [0, 2, 4, 8, 10, 12]]);
  });

  it('a struct with vec3 members is spread to its stride and gathered back unchanged', () => {
    const t = storageType('struct P { pos: vec3<f32>, vel: vec3<f32>, mass: f32 }\n@group(0) @binding(0) var<storage, read_write> b: array<P>;');
    const l = elementLayout(t);
    expect([l.stride, l.offsets]).toEqual([32, [0, 4, 8, 16, 20, 24, 28]]);
    const host = Float32Array.from({ length: 14 }, (_, i) => i + 0.5);
    const bytes = toBufferBytes(l, host, 'f32');
    expect(bytes.byteLength).toBe(64);
    expect(new Float32Array(bytes.buffer)[16 / 4]).toBe(3.5); // vel.x of particle 0 at byte 16
    expect(Array.from(fromBufferBytes(l, bytes, 'f32'))).toEqual(Array.from(host));
  });

  it('packs a uniform with vec2<i32>, mat2x2, an array and a nested struct from plain values', () => {
    const code = `struct Inner { k: vec2<u32>, w: f32 }
struct U { shape: vec2<i32>, scale: f32, m: mat2x2<f32>, taps: array<vec4<f32>, 2>, inner: Inner }
@group(0) @binding(0) var<uniform> u: U;
@compute @workgroup_size(1) fn main() { _ = u.scale; }`;
    const t = reflect(code).bindings.get('u')!.type;
    const bytes = packValue(t, { shape: [3, -4], scale: 0.5, m: [[1, 2], [3, 4]], taps: [[1, 2, 3, 4], [5, 6, 7, 8]], inner: { k: [9, 10], w: 11 } });
    const v = new DataView(bytes.buffer);
    expect([v.getInt32(0, true), v.getInt32(4, true), v.getFloat32(8, true)]).toEqual([3, -4, 0.5]);
    expect([16, 20, 24, 28].map((o) => v.getFloat32(o, true))).toEqual([1, 2, 3, 4]);
    expect(v.getFloat32(32 + 16 + 12, true)).toBe(8);
    expect([v.getUint32(64, true), v.getUint32(68, true), v.getFloat32(72, true)]).toEqual([9, 10, 11]);
  });

  // Two trials' FIR taps in a uniform array<vec4<f32>, 16> (a uniform array's stride is 16): 64 numbers were "64
  // values; give 16 values", and 16 numbers then "taps[0] (vec4<f32>) is 0.78; give 4 numbers".
  it('an array of vectors or matrices takes its numbers in a row too, and a wrong count says both forms', () => {
    const code = `struct U { taps: array<vec4<f32>, 2>, ms: array<mat2x2<f32>, 1> }
@group(0) @binding(0) var<uniform> u: U;
@compute @workgroup_size(1) fn main() { _ = u.taps[0].x; }`;
    const t = reflect(code).bindings.get('u')!.type;
    const nested = packValue(t, { taps: [[1, 2, 3, 4], [5, 6, 7, 8]], ms: [[[1, 2], [3, 4]]] });
    expect(Array.from(packValue(t, { taps: [1, 2, 3, 4, 5, 6, 7, 8], ms: [1, 2, 3, 4] }))).toEqual(Array.from(nested));
    expect(() => packValue(t, { taps: [1, 2, 3, 4, 5, 6], ms: [1, 2, 3, 4] }))
      .toThrow('taps (array<vec4<f32>, 2>) is 6 values; give 2 values of 4 numbers each (nested, or their numbers in a row)');
  });

  it('a field left out is named with what to write', () => {
    const t = typeOf({ name: 'P', size: 16, isArray: false, isStruct: true, members: [
      { name: 'shape', offset: 0, type: { name: 'vec2', size: 8, isArray: false, isStruct: false, format: { name: 'i32', size: 4, isArray: false, isStruct: false } } },
      { name: 'scale', offset: 8, type: { name: 'f32', size: 4, isArray: false, isStruct: false } },
    ] });
    expect(() => packValue(t, { scale: 1 })).toThrow("field 'shape' (vec2<i32>) is not given; write shape: 2 numbers, e.g. [1, 2]");
  });

  // Trial 53: -0.5 and 1e10 for a vec2<u32> were written as 0 and 1410065408, and the correct kernel failed.
  it('an integer field given a number it cannot hold is named, not wrapped', () => {
    const code = `struct U { win: vec2<u32>, k: i32, n: u32 }
@group(0) @binding(0) var<uniform> u: U;
@compute @workgroup_size(1) fn main() { _ = u.win.x; }`;
    const t = reflect(code).bindings.get('u')!.type;
    expect(() => packValue(t, { win: [0, 4294967295], k: -2147483648, n: 0 })).not.toThrow();
    expect(() => packValue(t, { win: [-0.5, 3], k: 0, n: 0 })).toThrow('win[0] (u32) is -0.5; give a whole number in 0..4294967295');
    expect(() => packValue(t, { win: [0, 1e10], k: 0, n: 0 })).toThrow('win[1] (u32) is 10000000000; give a whole number in 0..4294967295');
    expect(() => packValue(t, { win: [0, 1], k: 2 ** 31, n: 0 })).toThrow('k (i32) is 2147483648; give a whole number in -2147483648..2147483647');
    expect(() => packValue(t, { win: [0, 1], k: 0, n: 2.7 })).toThrow('n (u32) is 2.7; give a whole number in 0..4294967295');
    expect(() => packValue(t, { win: [0, 1], k: 0, n: Number.NaN })).toThrow('n (u32) is NaN; give a whole number in 0..4294967295');
    // Trial 54: `true` was bound as 1, and a BigInt threw a TypeError while the message was made.
    expect(() => packValue(t, { win: [0, 1], k: 0, n: true })).toThrow('n (u32) is true; give a number');
    expect(() => packValue(t, { win: [0, 1], k: 0, n: 5n as never })).toThrow('n (u32) is 5n; give a number');
    expect(() => packValue(t, { win: [0, 1n as never], k: 0, n: 0 })).toThrow('win (vec2<u32>) is [0,"1n"]; give 2 numbers');
  });

  // Trial 73: 70000 for an f16 field reached the kernel as Infinity with no word; 1e39 for an f32 one alike.
  it('a float field given a finite value past its type\'s range is named, not written as Infinity', () => {
    const code = `enable f16;
struct U { s: f32, h: f16, m: mat2x2<f32> }
@group(0) @binding(0) var<uniform> u: U;
@compute @workgroup_size(1) fn main() { _ = u.s; }`;
    const t = reflect(code).bindings.get('u')!.type;
    const m = [[1, 2], [3, 4]];
    expect(() => packValue(t, { s: 3.4028234e38, h: 65504, m })).not.toThrow();
    expect(() => packValue(t, { s: Infinity, h: -Infinity, m })).not.toThrow();
    expect(() => packValue(t, { s: 1e39, h: 0, m })).toThrow("s (f32) is 1e+39, past f32's largest finite value (3.40282347e38), so the kernel would read Infinity; give a value within ±3.40282347e38, or Infinity itself");
    expect(() => packValue(t, { s: 0, h: -70000, m })).toThrow("h (f16) is -70000, past f16's largest finite value (65504), so the kernel would read -Infinity");
    expect(() => packValue(t, { s: 0, h: 0, m: [[1, 2], [1e39, 4]] })).toThrow("m[1][0] (f32) is 1e+39");
  });
});

describe('f16', () => {
  it('values on the f16 grid survive the round trip through a buffer bit for bit', () => {
    const host = new Float16Array([1, -2.5, 65504, 2 ** -24, roundF16(0.1)]);
    const t = reflect('enable f16;\n@group(0) @binding(0) var<storage, read_write> b: array<f16>;\n@compute @workgroup_size(1) fn main() { b[0] = 1.0h; }').bindings.get('b')!.type;
    const back = fromBufferBytes(elementLayout(t), toBufferBytes(elementLayout(t), host, 'f16'), 'f16');
    expect(Array.from(back)).toEqual(Array.from(host));
    expect(Array.from(bitsOf(back))).toEqual([0x3c00, 0xc100, 0x7bff, 0x0001, 0x2e66]);
  });

  it('the f16 sentinel is a signaling NaN no arithmetic writes; its quieted form is recognised too', () => {
    expect(SENTINEL_F16 & 0x7c00).toBe(0x7c00);
    expect(SENTINEL_F16 & 0x200).toBe(0);
    expect(isSentinel('f16', SENTINEL_F16)).toBe(true);
    expect(isSentinel('f16', SENTINEL_F16 | 0x200)).toBe(true);
    expect(isSentinel('f16', 0x7e00)).toBe(false); // the canonical quiet NaN a kernel may write
  });

  // Trial 73: fillF32 stored into a Float16Array made 'huge' all Infinity and drew no f16 subnormal.
  it('fillF16 draws every distribution within f16\'s finite range, and f16 subnormals where asked', async () => {
    const { fillF16, VALUE_DISTS } = await import('../properties/values.ts');
    for (const d of VALUE_DISTS) {
      const a = fillF16(3, 4096, d);
      expect(a.every((x) => Number.isFinite(x) && Math.abs(x) <= MAX_F16), d).toBe(true);
      expect(Array.from(fillF16(3, 4096, d)), d).toEqual(Array.from(a));
    }
    const subnormals = Array.from(fillF16(3, 4096, 'subnormal')).filter((x) => x !== 0 && Math.abs(x) < 2 ** -14).length;
    expect(subnormals).toBeGreaterThan(400);
    expect(Math.max(...Array.from(fillF16(3, 4096, 'huge'), Math.abs))).toBeGreaterThan(32768);
  });

  it('ULP and rounding of the f16 number line', () => {
    expect(ulpOfF16(1)).toBe(2 ** -10);
    expect(ulpOfF16(65504)).toBe(32);
    expect(ulpOfF16(1e-7)).toBe(2 ** -24);
    expect(U_F16).toBe(ulpOfF16(1));
    expect(roundF16(65520)).toBe(Infinity);
    expect(roundF16(65519)).toBe(MAX_F16);
  });

  it("an f16 buffer's distance from the reference is in f16 steps (in f32 steps a correct f16 kernel read 8.6e+8 ulp)", () => {
    expect(ulpDistanceF16(1, 1 + 2 ** -10)).toBe(1);
    expect(ulpDistanceF16(-(2 ** -24), 2 ** -24)).toBe(2);
    expect(ulpDistanceF16(0, -0)).toBe(0);
    expect(ulpDistanceF16(MAX_F16, Infinity)).toBe(1);
    expect(ulpDistanceF16(NaN, NaN)).toBe(0);
    expect(ulpDistanceF16(NaN, 1)).toBe(Infinity);
    // The reference is rounded to f16 first: 1 + 2^-12 is 1 there.
    expect(ulpDistanceF16(1, 1 + 2 ** -12)).toBe(0);
    const half = Float16Array.from([1 + 2 ** -10, 2, 0.5 - 2 ** -12]);
    const c = compareArrays(half, [1, 2 + 2 ** -8, 0.5], 1e-2);
    expect(c.pass).toBe(true);
    expect(c.measure.ulp).toBe(2);
    // The same values as f32: steps of f32.
    expect(compareArrays(Float32Array.from(half), [1, 2 + 2 ** -8, 0.5], 1e-2).measure.ulp).toBe(2 ** 14);
  });
});

/** A one-stage program over in-memory WGSL, for the spec checks. */
function program(wgsl: string, spec: Partial<KernelSpec> & Pick<KernelSpec, 'buffers' | 'stages'>): KernelProgram {
  return { spec: { name: 'k', wgsl: 'k.wgsl', description: '', ...spec }, sources: { 'k.wgsl': wgsl }, origins: { 'k.wgsl': 'my/k.wgsl' } };
}

const VEC4 = `@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) { y[g.x] = x[g.x]; }`;

describe('bad input: one line naming the file, the binding and what to write', () => {
  const oneLine = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      const m = (e as Error).message;
      expect(m.split('\n')).toHaveLength(1);
      return m;
    }
    throw new Error('no error');
  };

  it('a buffer length that is not a whole number of elements', () => {
    const p = program(VEC4, {
      buffers: { x: { role: 'input', type: 'f32', length: (s: { n: number }) => s.n }, y: { role: 'output', type: 'f32', length: (s: { n: number }) => s.n } },
      stages: (s: { n: number }) => [{ wgsl: 'k.wgsl', bind: { x: 'x', y: 'y' }, workgroups: () => [Math.ceil(s.n / 256), 1, 1] }],
    });
    expect(oneLine(() => validateProgram(p, { n: 5 }))).toBe("my/k.wgsl:1: buffer 'x' (bound to 'x'): 20 bytes is not a whole number of 16-byte vec4<f32> elements; make its length(shape) a multiple of 4 in the spec, or bind the buffer as array<f32>");
    expect(() => validateProgram(p, { n: 8 })).not.toThrow();
    expect(toBatchCase(p, { shape: { n: 8 }, inputs: { x: new Float32Array(8) } }, () => 0).buffers[0]!.size).toBe(32);
    // Bound a second time as scalars, for the n % 4 tail (TF.js's and ONNX Runtime's unaligned sizes: trial 77 B1), any
    // n fits: WebGPU binds 20 bytes as array<vec4<f32>> of arrayLength 1.
    const tail = program(`@group(0) @binding(0) var<storage, read> x4: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> x1: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) { y[g.x] = x1[g.x] + x4[0].x; }`, {
      buffers: { x: { role: 'input', type: 'f32', length: (s: { n: number }) => s.n }, y: { role: 'output', type: 'f32', length: (s: { n: number }) => s.n } },
      stages: (s: { n: number }) => [{ wgsl: 'k.wgsl', bind: { x4: 'x', x1: 'x', y: 'y' }, workgroups: () => [Math.ceil(s.n / 64), 1, 1] }],
    });
    expect(() => validateProgram(tail, { n: 5 })).not.toThrow();
  });

  // Trial 41's one-pass blur in place of a two-stage kernel: its output 'dst', which the second stage binds, was called
  // bound by none of the kernel's buffers, and nothing said the file stands in for both stages.
  it('a --wgsl file with one entry point in place of a kernel of two stages names the other stage', () => {
    const onePass = `@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@compute @workgroup_size(64) fn blur_h(@builtin(global_invocation_id) g: vec3u) { dst[g.x] = src[g.x]; }`;
    const n = (s: { n: number }) => s.n;
    const p = {
      ...program(onePass, {
        buffers: { src: { role: 'input', type: 'f32', length: n }, tmp: { role: 'scratch', type: 'f32', length: n }, dst: { role: 'output', type: 'f32', length: n } },
        stages: () => [
          { wgsl: 'k.wgsl', entry: 'blur_h', bind: { src: 'src', tmp: 'tmp' }, workgroups: () => [1, 1, 1] },
          { wgsl: 'k.wgsl', entry: 'blur_v', bind: { tmp: 'tmp', dst: 'dst' }, workgroups: () => [1, 1, 1] },
        ],
      }),
      userWgsl: ['k.wgsl'],
    } as KernelProgram;
    expect(oneLine(() => validateProgram(p, { n: 4 }))).toBe("my/k.wgsl:2: kernel 'k' binds 'tmp', which this WGSL does not declare (it declares: src, dst); 'dst', at this line, is bound by the stage of entry 'blur_v', not by this one (entry 'blur_h'): kernel 'k' runs 2 stages (entries blur_h, blur_v), each with its own bindings, and a --wgsl file stands in for all of them; write each stage's entry point, with the variables it binds (blur_h: src, tmp) in your WGSL, or give your kernel a spec of its own (kernelscope init)");
  });

  it('a spec type that does not match the WGSL scalar', () => {
    const p = program(VEC4, {
      buffers: { x: { role: 'input', type: 'f16', length: () => 4 }, y: { role: 'output', type: 'f32', length: () => 4 } },
      stages: () => [{ wgsl: 'k.wgsl', bind: { x: 'x', y: 'y' }, workgroups: () => [1, 1, 1] }],
    });
    expect(oneLine(() => validateProgram(p, {}))).toBe("my/k.wgsl:1: 'x' holds vec4<f32>, but the spec's buffer 'x' has type 'f16'; write type: 'f32'");
    // The same WGSL given with --wgsl: the file is what the user changes.
    expect(oneLine(() => validateProgram({ ...p, userWgsl: ['k.wgsl'] }, {}))).toBe("my/k.wgsl:1: 'x' holds vec4<f32>, but the spec's buffer 'x' has type 'f16'; declare it with f16 values in your WGSL, or give your kernel a spec of its own (kernelscope init)");
  });

  it("a --wgsl file's uniform struct without the fields the library's spec gives: declare them there", () => {
    const code = `struct P { dims: vec2<u32> }
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<uniform> params: P;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) { y[g.x] = f32(params.dims.x); }`;
    const p = program(code, {
      buffers: { y: { role: 'output', type: 'f32', length: () => 4 } },
      stages: () => [{ wgsl: 'k.wgsl', bind: { y: 'y', params: { uniform: { rows: 2, cols: 2 } } }, workgroups: () => [1, 1, 1] }],
    });
    expect(oneLine(() => validateProgram({ ...p, userWgsl: ['k.wgsl'] }, {}))).toBe("my/k.wgsl:3: kernel 'k' binds 'params' (@group(0) @binding(1)) with the fields rows, cols: P has no field 'rows' (fields: dims); declare those fields in its struct in your WGSL, or give your kernel a spec of its own (kernelscope init)");
  });

  // Trial 69 B3: a twin reading the library's vec3 table as floats was told "data[0] (f32) is [...]; give a number".
  it("a --wgsl struct field declared with another type than the library's: both types named", () => {
    const lib = (t: string) => `struct T { count: u32, data: ${t} }
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> table: T;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) { y[g.x] = f32(table.count); }`;
    const p = program(lib('array<f32, 6>'), {
      buffers: { y: { role: 'output', type: 'f32', length: () => 4 } },
      stages: () => [{ wgsl: 'k.wgsl', bind: { y: 'y', table: { storage: { count: 2, data: [[1, 2, 3], [4, 5, 6]] } } }, workgroups: () => [1, 1, 1] }],
    });
    const twin = { ...p, userWgsl: ['k.wgsl'], host: { 'k.wgsl': { source: lib('array<vec3<f32>, 2>'), origin: 'lib/k.wgsl' } } };
    expect(oneLine(() => validateProgram(twin, {}))).toMatch(/^my\/k\.wgsl:\d+: kernel 'k' binds 'table' \(@group\(0\) @binding\(1\)\): its field 'data' is array<f32, 6> in yours and array<vec3<f32>, 2> in the library's lib\/k\.wgsl, whose values the spec gives \(data \(array<f32, 6>\) is 2 values\); declare data as the library does in your WGSL/);
  });

  // Trial 106 A1: an atomicMin of f32 bits into an output never cleared kept the data over every float fill, each
  // larger as u32 than the bits of a non-negative float: such a buffer starts writes-every-output's third run at zeros.
  it('a float output the WGSL works on as integers starts the third run with zeros; one read as floats with −F', () => {
    const spec = (view: string) => program(`@group(0) @binding(0) var<storage, read_write> y: array<${view}>;
@compute @workgroup_size(1) fn main() { }`, {
      buffers: { y: { role: 'output', type: 'f32', length: () => 2 } },
      stages: () => [{ wgsl: 'k.wgsl', bind: { y: 'y' }, workgroups: () => [1, 1, 1] }],
    });
    const third = { shape: {}, inputs: {}, secondSentinel: true, negativeFill: true };
    expect(toBatchCase(spec('atomic<u32>'), third, () => 0).buffers[0]!.fill).toBeUndefined();
    expect(toBatchCase(spec('f32'), third, () => 0).buffers[0]!.fill).toBe(0xfe5a5a5a);
    expect(toBatchCase(spec('atomic<u32>'), { ...third, negativeFill: false }, () => 0).buffers[0]!.fill).toBe(0x7e5a5a5a);
  });

  // A trial's softmax with `_pad0: u32` fields (as a host-side struct lays them out) was refused, told to "write
  // _pad0: a number" in a spec it did not own. Never read, they are zeros; read, they are named as such.
  it("a --wgsl file's uniform struct with padding fields it never reads: zeros; a field it reads: named", () => {
    const withPad = (body: string) => program(`struct P { cols: u32, _pad0: u32, rows: u32, _pad1: vec2<u32> }
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<uniform> params: P;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) { ${body} }`, {
      buffers: { y: { role: 'output', type: 'f32', length: () => 4 } },
      stages: () => [{ wgsl: 'k.wgsl', bind: { y: 'y', params: { uniform: { rows: 2, cols: 3 } } }, workgroups: () => [1, 1, 1] }],
    });
    const unread = { ...withPad('y[g.x] = f32(params.rows * params.cols);'), userWgsl: ['k.wgsl'] };
    validateProgram(unread, {});
    const b = toBatchCase(unread, { shape: {}, inputs: {} }, () => 0).buffers[1]!;
    expect(Array.from(new Uint32Array(b.data!.buffer, 0, 6))).toEqual([3, 0, 2, 0, 0, 0]);
    const read = { ...withPad('y[g.x] = f32(params.rows + params._pad0);'), userWgsl: ['k.wgsl'] };
    expect(oneLine(() => validateProgram(read, {}))).toBe("my/k.wgsl:1: kernel 'k' binds 'params' (@group(0) @binding(1)) with the fields rows, cols: its field '_pad0' (u32) is read in your WGSL, but the spec gives no value for it; read only those fields in your WGSL, or give your kernel a spec of its own (kernelscope init)");
    // The library's own WGSL (not --wgsl) is held to its spec: every field given.
    expect(oneLine(() => validateProgram(withPad('y[g.x] = f32(params.rows);'), {}))).toMatch(/field '_pad0' \(u32\) is not given; write _pad0: a number/);
  });

  const OVERRIDE = `override wg: u32;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(wg) fn main(@builtin(global_invocation_id) g: vec3u) { y[g.x] = 1.0; }`;
  const overrideSpec = (constants?: Record<string, number>) => program(OVERRIDE, {
    buffers: { y: { role: 'output', type: 'f32', length: () => 100 } },
    stages: () => [{ wgsl: 'k.wgsl', bind: { y: 'y' }, workgroups: ([w]) => [Math.ceil(100 / w), 1, 1], ...(constants ? { constants } : {}) }],
  });

  it('an override without value or default; with a value, workgroups() gets it', () => {
    expect(oneLine(() => validateProgram(overrideSpec(), {}))).toBe("my/k.wgsl:1: override 'wg' has no value and no default; give it a default in the WGSL (override wg: ... = ...;) or a value in the stage of kernel 'k' (constants: { wg: ... })");
    const p = overrideSpec({ wg: 32 });
    expect(stageWorkgroupSize(p, p.spec.stages({})[0]!)).toEqual([32, 1, 1]);
    expect(toBatchCase(p, { shape: {}, inputs: {} }, () => 0).dispatches[0]!.workgroups).toEqual([4, 1, 1]);
    expect(oneLine(() => validateProgram(overrideSpec({ wg: 32, tile: 4 }), {}))).toBe("my/k.wgsl: kernel 'k' gives constant 'tile' to my/k.wgsl, which declares no such override (it declares: wg); give it the WGSL's name, or declare it in the WGSL (override tile: ... = ...;)");
    // From a spec file: its line that gives the constant (a trial's misspelt WG_X was told the WGSL file alone).
    const typo = { ...overrideSpec({ wg: 32, tile: 4 }), specOrigin: 'kernels/k.kernel.ts', specSource: 'stages: () => [{\n  constants: { wg: 32, tile: 4 },\n}]' };
    expect(oneLine(() => validateProgram(typo, {}))).toMatch(/^kernels\/k\.kernel\.ts:2: kernel 'k' gives constant 'tile' to my\/k\.wgsl, which declares/);
  });

  // Trial 57 B3: an output's NaN length was read as a layout problem ("NaN bytes is not a whole number of 4-byte f32
  // elements ... bind the buffer as array<f32>") of a buffer already array<f32>.
  it("an output's NaN length is said as a length, before any layout", () => {
    const WGSL = '@group(0) @binding(0) var<storage, read_write> y: array<f32>;\n@compute @workgroup_size(1) fn main() { y[0] = 1.0; }';
    const p = program(WGSL, { buffers: { y: { role: 'output', type: 'f32', length: () => NaN } }, stages: () => [{ wgsl: 'k.wgsl', bind: { y: 'y' }, workgroups: () => [1, 1, 1] }] });
    expect(oneLine(() => validateProgram(p, {}))).toBe("kernel 'k': buffer 'y': length() returned NaN for shape {}, not a whole number of scalars ≥ 0; return the count of the buffer's scalars (4 per vec4)");
  });

  // A trial's third stage returned a fraction and was told the spec file alone: one `workgroups` per stage gives the
  // stage's line.
  it("a stage's fractional workgroup count names that stage's line", () => {
    const WGSL = '@group(0) @binding(0) var<storage, read_write> y: array<f32>;\n@compute @workgroup_size(1) fn main() { y[0] = 1.0; }';
    const stage = (w: number) => ({ wgsl: 'k.wgsl', bind: { y: 'y' }, workgroups: () => [w, 1, 1] as [number, number, number] });
    const two = { ...program(WGSL, { buffers: { y: { role: 'output', type: 'f32', length: () => 1 } }, stages: () => [stage(1), stage(0.5)] }),
      specOrigin: 'kernels/k.kernel.ts', specSource: 'stages: () => [\n  { workgroups: () => [1, 1, 1] },\n  { workgroups: () => [0.5, 1, 1] },\n]' };
    expect(oneLine(() => toBatchCase(two, { shape: {}, inputs: {} }, () => 0))).toMatch(/^kernels\/k\.kernel\.ts:3: workgroups\(\) of stage 2 \('main'\) returned \(0\.5, 1, 1\), not three whole numbers/);
  });

  // A trial's TF.js-style conv2d (--wgsl) wrote @workgroup_size(128, 1, 1) where the library's WGSL names an override:
  // it was told to declare one "where a const stands now", with no line, and there was no const.
  it('--wgsl with literal @workgroup_size where the spec gives a constant: the entry\'s line, and the literals named', () => {
    const literal = { ...program(OVERRIDE.replace('override wg: u32;\n', '').replace('@workgroup_size(wg)', '@workgroup_size(128, 1, 1)'), overrideSpec({ wg: 32 }).spec), userWgsl: ['k.wgsl'] };
    expect(oneLine(() => validateProgram(literal, {}))).toBe("my/k.wgsl:2: kernel 'k' gives constant 'wg', but the WGSL declares no such override (it declares: none); declare it (override wg: u32 = ...;) and use it where its value belongs (@workgroup_size(128, 1, 1) is written with literals here: if the constant sets the workgroup size, write its name there) in your WGSL, or give your kernel a spec of its own (kernelscope init)");
  });

  // Trial 100 B1: a spec keyed by @id was told to declare `override 0: u32`, which is not WGSL.
  it('--wgsl without the @id(N) the spec keys its constant by: told to declare @id(N) override NAME', () => {
    const noId = { ...program(OVERRIDE.replace('override wg: u32;\n', '').replace('@workgroup_size(wg)', '@workgroup_size(64)'), overrideSpec({ 0: 32 }).spec), userWgsl: ['k.wgsl'] };
    expect(oneLine(() => validateProgram(noId, {}))).toContain("gives constant '0', but the WGSL declares no such override (it declares: none); declare it (@id(0) override NAME: u32 = ...;)");
  });

  // Trial 55 B3: `const WG` in @workgroup_size(WG) was told the size "is written with literals here".
  it('--wgsl whose @workgroup_size reads a const of the constant\'s name: told to make it an override', () => {
    const asConst = { ...program(OVERRIDE.replace('override wg: u32;', 'const wg: u32 = 64u;'), overrideSpec({ wg: 32 }).spec), userWgsl: ['k.wgsl'] };
    expect(oneLine(() => validateProgram(asConst, {}))).toContain("and use it where its value belongs ('wg' in @workgroup_size is a const here, which no pipeline can set: write override in place of const) in your WGSL");
    const other = { ...program(OVERRIDE.replace('override wg: u32;', 'const size: u32 = 64u;').replace('@workgroup_size(wg)', '@workgroup_size(size)'), overrideSpec({ wg: 32 }).spec), userWgsl: ['k.wgsl'] };
    expect(oneLine(() => validateProgram(other, {}))).toContain('(@workgroup_size reads size, no override: if the constant sets the workgroup size, write its name there)');
  });

  it("a --wgsl file that does not fit the library kernel's spec is told what to change in it, not in the spec", () => {
    const mine = (code: string) => ({ ...program(code, overrideSpec().spec), userWgsl: ['k.wgsl'] });
    expect(oneLine(() => validateProgram(mine(OVERRIDE), {}))).toBe("my/k.wgsl:1: override 'wg' has no value and no default; kernel 'k' gives it none: give it a default (override wg: ... = ...;) in your WGSL, or give your kernel a spec of its own (kernelscope init) that sets it (constants: { wg: ... })");
    const renamed = OVERRIDE.replace('override wg: u32;', 'override wg: u32 = 64u;').replaceAll(' y', ' out');
    expect(oneLine(() => validateProgram(mine(renamed), {}))).toBe("my/k.wgsl:2: kernel 'k' binds 'y', which this WGSL does not declare (it declares: out); 'out', at this line, is bound by none of the kernel's buffers; name its variables y in your WGSL, or give your kernel a spec of its own (kernelscope init)");
    const entry = OVERRIDE.replace('override wg: u32;', 'override wg: u32 = 64u;').replace('fn main', 'fn kernel_main');
    expect(oneLine(() => validateProgram(mine(entry), {}))).toBe("my/k.wgsl: no @compute entry point 'main' (found: kernel_main); kernel 'k' runs 'main': name it so in your WGSL, or give your kernel a spec of its own (kernelscope init)");
  });

  it('an override default expression is evaluated, and a given value replaces it', () => {
    const code = `override wg: u32 = 64u * 2u;\noverride half_wg: u32 = wg / 2u;\n@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(half_wg, 2) fn main(@builtin(global_invocation_id) g: vec3u) { y[g.x] = 1.0; }`;
    const p = (constants?: Record<string, number>) => program(code, {
      buffers: { y: { role: 'output', type: 'f32', length: () => 4 } },
      stages: () => [{ wgsl: 'k.wgsl', bind: { y: 'y' }, workgroups: () => [1, 1, 1], ...(constants ? { constants } : {}) }],
    });
    expect(stageWorkgroupSize(p(), p().spec.stages({})[0]!)).toEqual([64, 2, 1]);
    expect(stageWorkgroupSize(p({ wg: 16 }), p({ wg: 16 }).spec.stages({})[0]!)).toEqual([8, 2, 1]);
  });

  it('@workgroup_size takes const- and override-expressions (wgsl_reflect takes only names): evaluated, lines kept', () => {
    const code = `const TILE = 4u;\noverride rows: u32 = 2u;\n@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(TILE * TILE,
  rows + 1u) fn main(@builtin(global_invocation_id) g: vec3u) { y[g.x] = 1.0; }`;
    const p = (constants?: Record<string, number>) => program(code, {
      buffers: { y: { role: 'output', type: 'f32', length: () => 4 } },
      stages: () => [{ wgsl: 'k.wgsl', bind: { y: 'y' }, workgroups: () => [1, 1, 1], ...(constants ? { constants } : {}) }],
    });
    expect(stageWorkgroupSize(p(), p().spec.stages({})[0]!)).toEqual([16, 3, 1]);
    expect(stageWorkgroupSize(p({ rows: 5 }), p({ rows: 5 }).spec.stages({})[0]!)).toEqual([16, 6, 1]);
    // The override read only inside the expression is the entry point's; the hoisted name is nobody's to give.
    expect([...reflect(code).entries.get('main')!.overrides]).toEqual(['rows']);
    expect([...reflect(code).overrides.keys()]).toEqual(['rows']);
    expect(reflect(code).bindings.get('y')!.line).toBe(3);
    expect(oneLine(() => validateProgram(p({ _ks_wg0: 1 }), {}))).toMatch(/no such override \(it declares: rows\)/);
  });

  // A trial's subgroup reduction printed "Invalid statement type. ... name: 'subgroups'" twice on every run: the
  // override's evaluation ran the module's `enable` (patches/README.md §16).
  it('an override workgroup size beside `enable` and `requires` is evaluated without a word on the console', () => {
    const code = 'enable subgroups;\nrequires readonly_and_readwrite_storage_textures;\noverride WG: u32 = 128;\n@compute @workgroup_size(WG) fn main() {}';
    const said: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void said.push(args);
    try {
      expect(workgroupSizeFor(code, 'main', { WG: 64 })).toEqual([64, 1, 1]);
    } finally {
      console.error = error;
    }
    expect(said).toEqual([]);
  });

  // At the field's line (the struct's, here): the binding's line is for a field the struct does not declare.
  it('a struct field the spec does not give', () => {
    const code = `struct Params { shape: vec2<u32>, scale: f32 }
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<uniform> params: Params;
@compute @workgroup_size(1) fn main() { y[0] = params.scale; }`;
    const p = program(code, {
      buffers: { y: { role: 'output', type: 'f32', length: () => 1 } },
      stages: () => [{ wgsl: 'k.wgsl', bind: { y: 'y', params: { uniform: { scale: 2 } } }, workgroups: () => [1, 1, 1] }],
    });
    expect(oneLine(() => validateProgram(p, {}))).toBe("my/k.wgsl:1: kernel 'k' binds 'params' (@group(0) @binding(1)): field 'shape' (vec2<u32>) is not given; write shape: 2 numbers, e.g. [1, 2]");
  });

  it('a var<storage, read> parameter struct is packed from { storage: ... }, its runtime array as long as given', () => {
    const code = `struct Params { n: u32, scale: f32, taps: array<vec2<f32>> }
@group(0) @binding(0) var<storage, read> params: Params;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(1) fn main() { y[0] = params.taps[params.n - 1u].y * params.scale; }`;
    const p = program(code, {
      buffers: { y: { role: 'output', type: 'f32', length: () => 1 } },
      stages: () => [{ wgsl: 'k.wgsl', bind: { y: 'y', params: { storage: { n: 3, scale: 0.5, taps: [[1, 2], [3, 4], [5, 6]] } } }, workgroups: () => [1, 1, 1] }],
    });
    validateProgram(p, {});
    const b = toBatchCase(p, { shape: {}, inputs: {} }, () => 0).buffers[1]!;
    expect([b.kind, b.size]).toEqual(['storage', 32]);
    expect(Array.from(new Float32Array(b.data!.buffer)).slice(1)).toEqual([0.5, 1, 2, 3, 4, 5, 6]);
    const asUniform = program(code, { ...p.spec, stages: () => [{ wgsl: 'k.wgsl', bind: { y: 'y', params: { uniform: { n: 3 } } }, workgroups: () => [1, 1, 1] }] });
    expect(oneLine(() => validateProgram(asUniform, {}))).toMatch(/'params' \(@group\(0\) @binding\(0\)\) is declared var<storage> but kernel 'k' binds it as a uniform; bind it as a buffer name or \{ storage: \{ \.\.\. \} \}/);
  });

  it('the features a kernel needs come from its `enable`s (read from the AST) and its spec', () => {
    const code = `enable f16;\nenable subgroups;\n// enable clip_distances; is a comment, not a directive
@group(0) @binding(0) var<storage, read_write> y: array<f16>;
@compute @workgroup_size(1) fn main() { y[0] = 1.0h; }`;
    const p = program(code, {
      buffers: { y: { role: 'output', type: 'f16', length: () => 2 } },
      stages: () => [{ wgsl: 'k.wgsl', bind: { y: 'y' }, workgroups: () => [1, 1, 1] }],
      requires: { limits: { maxComputeWorkgroupStorageSize: 32768 } },
    });
    expect(programRequirements(p)).toEqual({ features: ['shader-f16', 'subgroups'], limits: { maxComputeWorkgroupStorageSize: 32768 } });
  });

  it('a bad kernel is an error on its own line; the other kernels of the run still run', () => {
    const lib = mkdtempSync(join(tmpdir(), 'kernelscope-field-bad-'));
    try {
      cpSync(FIELD, lib, { recursive: true });
      writeFileSync(join(lib, 'package.json'), JSON.stringify({ type: 'module' }));
      // The copies import 'kernelscope/kit', which resolves from anywhere; break relu_vec4's input length.
      const spec = join(lib, 'kernels/relu_vec4.kernel.ts');
      writeFileSync(spec, readFileSync(spec, 'utf8').replace("x: { role: 'input', type: 'f32', length: (s) => padded(s.n) }", "x: { role: 'input', type: 'f32', length: (s) => s.n }"));
      const props = join(lib, 'properties/relu_vec4.properties.ts');
      writeFileSync(props, readFileSync(props, 'utf8').replace("x: fillF32(seed, padded(n), 'normal')", "x: fillF32(seed, n, 'normal')").replace('fc.record({ n: edgeSize(2000, [4, 256])', 'fc.record({ n: fc.constant(5)'));
      const r = cli(['test', '--kernel', 'relu_vec4', '--kernel', 'two_groups', '--backend', 'dawn', '--runs', '3'], lib);
      const why = `exit ${r.status}\n${r.stderr.slice(-2000)}`;
      expect(r.results, why).toBeDefined();
      const byKernel = (k: string) => r.results!.results.filter((x) => x.kernel === k);
      expect(byKernel('relu_vec4').map((x) => x.status), why).toEqual(Array(6).fill('error'));
      expect(byKernel('relu_vec4')[0]!.error).toMatch(/relu_vec4\.wgsl:8: buffer 'x' \(bound to 'x'\): 20 bytes is not a whole number of 16-byte vec4<f32> elements; make its length\(shape\) a multiple of 4 in the spec, or bind the buffer as array<f32>$/);
      expect(byKernel('two_groups').map((x) => x.status), why).toEqual(Array(6).fill('pass'));
      expect(r.status).toBe(1);
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  }, 600_000);
});

describe('device acquisition (harness/gpu/device.ts) on Dawn', () => {
  const big = WORKGROUP_32K;

  it('gives WebGPU\'s default limits unless a batch asks for more, and then exactly what it asks', async () => {
    const engine = await openDawn();
    try {
      expect(engine.info.deviceLimits?.maxComputeWorkgroupStorageSize).toBe(16384);
      await expect(engine.execute(big)).rejects.toBeInstanceOf(DeviceError);
      const r = await engine.execute({ ...big, requires: { limits: { maxComputeWorkgroupStorageSize: 32768 } } });
      expect(Array.from(new Float32Array(r.outputs[0]![0]!.buffer)).slice(0, 3)).toEqual([63, 62, 61]);
    } finally {
      await engine.close();
    }
  }, 120_000);
});
