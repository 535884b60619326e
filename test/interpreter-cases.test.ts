// One small kernel per construct the interpreter got wrong (issue 12, "What was seen"), each with its expected
// verdict: the values a GPU computes (checked on Dawn too, so the expectation is not the interpreter's own), a finding
// (an out-of-bounds access, a race) named by invocation, buffer, element and line, or "not supported" with the
// construct and line, once, with nothing on stderr.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { loadsPastWorkgroupBarrier, storageAtomicLoads } from '../harness/run/portability.ts';
import type { Engine } from '../harness/engines/engine.ts';
import { traceCase } from '../harness/engines/interpreter.ts';
import { openEngine } from '../harness/engines/open.ts';
import { withShortCircuits } from '../harness/engines/interpreter/short-circuits.ts';
import { unsupportedAtDefaults, unsupportedConstruct } from '../harness/engines/interpreter/unsupported.ts';
import type { BatchCase } from '../harness/gpu/batch.ts';
import type { ResultsFile } from '../harness/results/schema.ts';

const DIR = join(import.meta.dirname, 'interpreter-cases');
const wgsl = (name: string) => readFileSync(join(DIR, `${name}.wgsl`), 'utf8');

type Init = { words: number; init?: number[]; type?: 'u32' | 'i32' | 'f32' };

/** A case of one dispatch of `main`, buffer i at @group(0) @binding(i), every buffer read back. */
function oneDispatch(buffers: Init[], workgroups = 1): BatchCase {
  return {
    buffers: buffers.map((b) => {
      const a = b.type === 'f32' ? new Float32Array(b.words) : b.type === 'i32' ? new Int32Array(b.words) : new Uint32Array(b.words);
      a.set(b.init ?? []);
      return { size: b.words * 4, kind: 'storage' as const, data: new Uint8Array(a.buffer) };
    }),
    dispatches: [{ shader: 0, entry: 'main', bindings: buffers.map((_, i) => ({ group: 0, binding: i, buffer: i })), workgroups: [workgroups, 1, 1] }],
    readback: buffers.map((_, i) => i),
  };
}

const view = (bytes: Uint8Array, type: Init['type']) => {
  const b = bytes.slice().buffer;
  return Array.from(type === 'f32' ? new Float32Array(b) : type === 'i32' ? new Int32Array(b) : new Uint32Array(b));
};

const u32Inputs = [1, 4294967295, 123456789, 3000000000];

/** integer-bits.wgsl's sixteen results for one input, by WGSL §17.5's definitions. */
function integerBits(u: number): number[] {
  const s = u | 0;
  const pop = (x: number) => { let n = 0; for (let k = 0; k < 32; k++) n += (x >>> k) & 1; return n; };
  const highest = (x: number) => (x === 0 ? -1 : 31 - Math.clz32(x));
  const lowest = (x: number) => { for (let k = 0; k < 32; k++) if ((x >>> k) & 1) return k; return -1; };
  const sext8 = (x: number) => ((x & 0xff) << 24) >> 24;
  const ctz = lowest(u) < 0 ? 32 : lowest(u);
  let rev = 0;
  for (let k = 0; k < 32; k++) rev = (rev * 2) + ((u >>> k) & 1);
  return [
    pop(u), pop(u), highest(u) >>> 0, highest(s < 0 ? ~s : s) >>> 0, lowest(u) >>> 0, lowest(u) >>> 0,
    (u >>> 8) & 0xff, sext8(u >>> 8) >>> 0, u >>> 0, u >>> 24,
    ((u & ~0xfff0) | (0xbcd << 4)) >>> 0, 0x12345678,
    sext8(u >>> 24) >>> 0, sext8(~u >>> 24) >>> 0,
    Math.clz32(u) + 100 * ctz, rev,
  ];
}
const bitInputs = [0, 1, 0x80000000, 0xffffffff, 0x7fffffff, 0xf0, 0x80f0a5c3, 123456789];

/** integer-dot.wgsl's three results for one vec4<u32>, wrapped modulo 2^32. */
function integerDot([a, b, c, d]: number[]): number[] {
  const hash = [a, b, c, d].reduce<number>((s, v) => (s + Math.imul(v!, 2654435761)) | 0, 0);
  return [hash >>> 0, (Math.imul(a!, 3) + b!) >>> 0, (Math.imul(c!, 2) + Math.imul(-7, d!)) >>> 0];
}
const dotInputs = [3000000000, 1, 0x80000001, 0xfffffff9, 16777217, 4000000000, 2147483647, 5];

// name, buffers, workgroups, the output buffer, its expected contents
const VALUES: [string, Init[], number, number, number[]][] = [
  ['private-per-invocation', [{ words: 4, type: 'f32' }], 1, 0, [10, 11, 12, 13]],
  ['call-result-per-invocation', [{ words: 4 }], 1, 0, [1, 11, 21, 31]],
  // y[3 - i] = 10 i: the second argument reads the caller's i, not the parameter i bound from the first.
  ['argument-scope', [{ words: 4 }], 1, 0, [30, 20, 10, 0]],
  ['u32-full-range', [{ words: 4, init: u32Inputs }, { words: 4 }], 1, 1,
    u32Inputs.map((x) => ((Math.imul(x, 2654435761) ^ (x << 31) ^ (x >>> 1)) >>> 0))],
  ['while-loop', [{ words: 4 }], 1, 0, [0, 10, 20, 30]],
  // push() in an if's `x[i] > 1u && push(x[i])` runs for the two invocations whose left operand holds.
  ['short-circuit-call', [{ words: 4, init: [1, 2, 3, 0] }, { words: 1 }], 1, 1, [2]],
  // push: twice for || (x = 1 and 0), once for && (x = 3), twice in the third if (x = 1 and 3); then 2 and 2 by the
  // first if's branches, 1 and 3 by the second's, 2 by the third's.
  ['short-circuit-or', [{ words: 4, init: [1, 2, 3, 0] }, { words: 6 }], 1, 1, [5, 2, 2, 1, 3, 2]],
  // Calls: let 2 (v = 2, 3), !(||) 3, assignment 3, else-if 2, while 6 (v calls for v = 1..3: the last one false
  // for v = 1 only), for 6 (continue goes through j++ to the condition), break-if 3, return 3, left operand 1, an
  // array element 2. Results: 2, 1 (v = 1), 2, else-if's arms 1 2 1, k summed 5, s summed 3, m summed 6, 2, 2, 2.
  // s >> 29: -4 for odd x, else 0; v.x >> 28: x's low two bits times 4, sign-extended (1 → 4, 2 → -8, 3 → -4), plus
  // v.y >> 30 = -2.
  ['shift-left-signed', [{ words: 4, init: [1, 2, 3, 0x80000001] }, { words: 8 }], 1, 1,
    [-4 >>> 0, 2, 0, -10 >>> 0, -4 >>> 0, -6 >>> 0, -4 >>> 0, 2]],
  // v.wzyx.x = 40, w.zw.x = 7, (v.wzyx).w = a, (arr[1]).w = a, then 40 + 200 + 10000 × the next x.
  ['swizzle-chain', [{ words: 4, init: [1, 2, 3, 4] }, { words: 20 }], 1, 1,
    [40, 7, 1, 1, 20240, 40, 7, 2, 2, 30240, 40, 7, 3, 3, 40240, 40, 7, 4, 4, 10240]],
  ['const-assert', [{ words: 1 }], 1, 0, [8]],
  // -5 as u32; the bytes 0xfb, 0xff, 0xff, 0xff dotted with x's (1 → 251, 2 → 502); then 7, and -1 as u32.
  ['bitcast-postfix', [{ words: 2, init: [1, 2] }, { words: 6 }], 1, 1, [4294967291, 251, 7, 4294967291, 502, 4294967295]],
  // p wraps to 0x80000003 (mod 7: 5) and 0x80000000 (2); y >> 31 is 0, 1; x > 5 holds for both.
  ['u32-vector-member', [{ words: 4, init: [0x80000001, 3, 0xffffffff, 0x80000000] }, { words: 6 }], 1, 1, [5, 0, 1, 2, 1, 1]],
  // e = x and w.y = x + 1 as they were at the call, then k = 100 after it.
  ['argument-copy', [{ words: 4, init: [1, 2, 3, 4] }, { words: 4 }], 1, 1, [10001002, 10002003, 10003004, 10004005]],
  // The for: k = 1, 4 add 10 and 100, k = 2, 5 add x and 100, k = 0, 3 continue; the loop adds 1000 for m = 1, 3.
  ['continue-in-switch', [{ words: 4, init: [1, 2, 3, 4] }, { words: 4 }], 1, 1, [2422, 2424, 2426, 2428]],
  // hits[0] = 2 + 1 + 2 + 1, hits[1] = 4 × 2, hits[2] = 4 × 11, hits[3] = 4 × 5, each loaded after a barrier.
  ['barrier-after-switch', [{ words: 4, init: [1, 2, 3, 4] }, { words: 16 }], 1, 1, [6, 8, 44, 20, 6, 8, 44, 20, 6, 8, 44, 20, 6, 8, 44, 20]],
  // Cases 1 and 3: 1 + 10 + 100 + extra[0] (1000); the others (3 + 3 + 20) * 2.
  ['switch-case-body', [{ words: 4, init: [0, 1, 2, 3] }, { words: 4 }, { words: 1, init: [1000] }], 1, 1, [52, 1111, 52, 1111]],
  // flags[i] set by its own invocation only (the others stay false: +10 each), seen[3] alone true, p.ok for x = 2, 3.
  ['bool-array', [{ words: 4, init: [1, 2, 3, 0] }, { words: 4 }], 1, 1, [10, 41011, 61111, 1010]],
  ['short-circuit-forms', [{ words: 4, init: [1, 2, 3, 0] }, { words: 22 }], 1, 1,
    [2, 3, 3, 2, 6, 6, 3, 3, 1, 2, 2, 1, 2, 1, 2, 1, 5, 3, 6, 2, 2, 2]],
  ['barrier-first-in-block', [{ words: 4 }], 1, 0, [10, 10, 10, 10]],
  ['alias', [{ words: 4, type: 'f32' }], 1, 0, [1, 3, 5, 7]],
  ['workgroup-uniform-load', [{ words: 4 }], 1, 0, [7, 8, 9, 10]],
  ['compare-exchange', [{ words: 1 }, { words: 4 }], 1, 1, [1, 0, 0, 0]],
  // Each workgroup's first atomicLoad reads the dispatch's starting 0 (early-loads.ts); the compare-exchange fails on
  // the current value and the loop retries with it, so no update is lost.
  ['compare-exchange-loop', [{ words: 1 }], 4, 0, [4]],
  // Round toward zero, then clamp to the target's range that f32 can hold (upstream wrapped: u32(-1.5) was 4294967295).
  ['float-to-integer', [{ words: 4, type: 'f32', init: [-1.5, 6e9, 3e9, -2.7] }, { words: 4 }, { words: 4, type: 'i32' }], 1, 1, [0, 4294967040, 3000000000, 0]],
  ['float-to-integer', [{ words: 4, type: 'f32', init: [-1.5, 6e9, 3e9, -2.7] }, { words: 4 }, { words: 4, type: 'i32' }], 1, 2, [-1, 2147483520, 2147483520, -2]],
  ['integer-bits', [{ words: 8, init: bitInputs }, { words: 128 }], 1, 1, bitInputs.flatMap(integerBits)],
  ['integer-dot', [{ words: 8, init: dotInputs }, { words: 6 }], 1, 1, [...integerDot(dotInputs.slice(0, 4)), ...integerDot(dotInputs.slice(4))]],
  // Two 32-byte particles whose words are their indices: pos (0, 1, 2), vel (4, 5, 6), mass 7; then 8.. for the second.
  ['struct-copy', [{ words: 16, type: 'f32', init: Array.from({ length: 16 }, (_, k) => k) }, { words: 4, type: 'f32' }], 1, 1, [8, 6, 24, 14]],
  ['vector-index-write', [{ words: 8, type: 'f32', init: [1, 2, 3, 4, 5, 6, 7, 8] }, { words: 8, type: 'f32' }], 1, 1, [4, 3, 9, 1, 8, 7, 13, 5]],
  // Every index in range at every depth (nested arrays, a vector's and a matrix's runtime index, a nested workgroup
  // tile): patches/README.md §28 checks each, and a correct kernel keeps its values.
  ['inner-index-in-bounds', [{ words: 4, init: [1, 2, 3, 4] }, { words: 16, init: [1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0, 0, 7, 8, 0, 0] },
    { words: 8, type: 'f32', init: [1, 2, 3, 4, 5, 6, 7, 8] }, { words: 4 }], 1, 3, [1213, 2542, 3657, 4986]],
  ['index-with-effect', [{ words: 4, init: [1, 0, 2, 3] }, { words: 10 }, { words: 2 }], 1, 1, [7, 7, 7, 0, 1, 0, 2, 3, 3, 4]],
  // `_ = e;` evaluates e once, for its effects (upstream: "Variable _ not found"): four atomicAdds of 2, four calls.
  ['phony-assignment', [{ words: 2 }, { words: 4 }], 1, 0, [8, 4]],
  ['phony-assignment', [{ words: 2 }, { words: 4 }], 1, 1, [10, 11, 12, 13]],
  // A half rounds to the even integer (upstream rounded it away from zero, or up: round(2.5) was 3, round(-3.5) -3).
  ['round-half-even', [{ words: 8, type: 'f32', init: [0.5, 1.5, 2.5, -2.5, 3.5, -3.5, 2.4, 8388607.5] }, { words: 12, type: 'f32' }], 1, 1,
    [0, 2, 2, -2, 4, -4, 2, 8388608, -4, 4, -2, -8388608]],
  // Hexadecimal floats, with and without a fraction, exponent or suffix, in a const and a vector (upstream read each as 0).
  // m * v, v * m, m * n of 3x3 matrices, and mat2x3 * vec2, vec3 * mat2x3, mat2x3 * mat3x2, from small integers (exact).
  ['matrix-products', [{ words: 21, type: 'f32', init: [2, 3, 5, 7, 11, 13, 17, 19, 23, 1, -2, 4, 1, 0, 2, -1, 3, 1, 2, 2, -3] }, { words: 35, type: 'f32' },
    { words: 12, type: 'f32', init: [2, 3, 5, 0, 7, 11, 13, 0, 17, 19, 23, 0] }], 1, 1,
  [56, 57, 71, 16, 37, 71, 36, 41, 51, 36, 49, 57, -33, -29, -33, -12, -19, -21, 16, 37, 2, 3, 5, -3, -5, -3, 13, 20, 28, 16, 37, 71, 56, 57, 71]],
  // frexp's and modf's result structs, of a scalar, a vec3 (its exp member 16 bytes in) and a vec4.
  ['frexp-modf', [{ words: 4, type: 'f32', init: [12.75, 3, -0.3125, 0] }, { words: 18, type: 'f32' }], 1, 1,
    [0.796875, 4, -0.3125, -0, 0.796875, 0.75, -0.625, 4, 2, -1, 0.75, 0, -0.3125, 12, 3, -0, 0, 4]],
  // transpose() of mat2x3, mat3x2 and mat4x4 values, and of a mat2x3 in memory ([7, 8, 9, pad, 10, 11, 12, pad]).
  ['transpose', [{ words: 16, type: 'f32', init: Array.from({ length: 16 }, (_, i) => i + 1) }, { words: 34, type: 'f32' },
    { words: 8, type: 'f32', init: [7, 8, 9, 0, 10, 11, 12, 0] }], 1, 1,
  [1, 4, 2, 5, 3, 6, 1, 3, 5, 2, 4, 6, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15, 4, 8, 12, 16, 7, 10, 8, 11, 9, 12]],
  // Upstream: 4294967296 (an unsigned -5) for s, neg(0), acc and q, and a reverse loop that ran until count > 10.
  ['abstract-int-variables', [{ words: 10, type: 'f32' }], 1, 0, [-0.5, -0.5, -5, 4, -5, 0.5, -6, -2, 3000000, 3000000]],
  // Bytes 0x81 (-127) where upstream packed 0x80 (-128): -1.5, -3 and 3 clamp to ±1; 0.3 is 38 (⌊0.5 + 38.1⌋), -0.3 -38.
  ['pack-snorm', [{ words: 4 }], 1, 0, [0x267f8181, 0x007f81da, 0x26668001, 0x7fffd99a]],
  // -200 clamps to -128 (0x80), 300 to 127; 256u to 255.
  ['pack-clamp', [{ words: 2 }], 1, 0, [0x7f057f80, 0x07ffff00]],
  // A workgroup array sized by an override: wgsl_reflect sized it as one element whatever the constants (a wrong
  // answer, then a refusal); its count is now the override's value (override-counts.ts). WG = 4, its default.
  ['override-sized-workgroup', [{ words: 4, type: 'f32' }], 1, 0, [3, 2, 1, 0]],
  // 0xf1e2d3c4 kept whole through vec4(v), vec2(v, v), ...; f32(v) rounds (4058174464) as WGSL says; bools stay bools.
  ['inferred-vectors', [{ words: 1, init: [0xf1e2d3c4] }, { words: 13 }], 1, 1,
    [0xf1e2d3c4, 0xf1e2d3c4, 0xf1e2d3c4, 0xf1e2d3c4, 0xf1e2d3c4, 2, 1069547520, 12, 0xf1e2d3c4, 0xf1e2d3c4, 0xf1e2d3c5, 4058174464, 1]],
  // Buffers read only after a member access or a constructor, in a switch's selector, in a `break if`: each bound.
  ['resources-in-postfix', [{ words: 4 }, { words: 4, init: [7, 8, 9, 10] }, { words: 1, init: [2] }, { words: 1, init: [1] }, { words: 1, init: [1] }, { words: 1, init: [3] }], 1, 0, [9, 10, 6, 3]],
  // gid.x * 1000 + li * 100 + wg.x * 10 + nwg.x + lid.x * 10000, the first four from a struct parameter's members
  // (wgsl_reflect bound only a parameter that is a builtin itself: a trial's kernel was "not supported").
  // 0 + 1 + ... + 7, with no race (checked by every row of this table).
  ['workgroup-pointer-argument', [{ words: 8, type: 'f32' }], 1, 0, [28, 0, 0, 0, 0, 0, 0, 0]],
  ['builtins-struct', [{ words: 8 }], 2, 0, [2, 11102, 22202, 33302, 4012, 15112, 26212, 37312]],
  // Trial 126 B1: atomics through a pointer parameter. bump: 10, then 15 stored, then atomicAdd returns 15 (16 left);
  // 1.5 + 2.25 by a compare-exchange float add, times 4; 0 | 0, max 3, + 2 in workgroup memory.
  ['atomic-pointer-argument', [{ words: 4 }, { words: 4 }], 1, 1, [15, 16, 15, 5]],
  ['pointer-argument-load', [{ words: 4 }], 1, 0, [1, 2, 3, 4]],
  ['atomic-pointer-aggregate', [{ words: 4 }], 1, 0, [4, 4, 4, 2]],
  // 0 + 1 + 2 + 10 + 11, then each invocation's own index (trial 129 A2: upstream's loop `i` outlived the loop).
  ['for-scope', [{ words: 2 }], 1, 0, [24, 124]],
  // 1 + 1 + 1, then 5 + 10 in case 0 and 100 in the default (trial 218 A1: upstream's loop added the block's step, 0).
  ['loop-block-scope', [{ words: 2 }], 1, 0, [18, 103]],
  ['hex-float', [{ words: 14, type: 'f32' }], 1, 0, [-3.4028234663852886e38, 3, 0.125, 16, 16, 1, 15.5, 2.671875, -16, 1, -0.375, 2 ** -126, 32, 160]],
];

let dawn: Engine;
beforeAll(async () => {
  dawn = await openEngine('dawn');
}, 60_000);
afterAll(async () => dawn?.close());

describe('the interpreter computes what a GPU computes', () => {
  test.each(VALUES)('%s', async (name, buffers, workgroups, out, expected) => {
    const c = oneDispatch(buffers, workgroups);
    const type = buffers[out]!.type;
    const t = traceCase([wgsl(name)], c);
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[out]!, type)).toEqual(expected);
    expect(t.dispatches[0]!.races).toEqual([]);
    const gpu = await dawn.execute({ shaders: [wgsl(name)], cases: [c] });
    expect(view(gpu.outputs[0]![out]!, type)).toEqual(expected);
  }, 60_000);
});

describe('an override-sized workgroup array', () => {
  // The pipeline's constant, not the default: WG = 2 runs two invocations over a two-element array.
  test('takes the pipeline constant as its count', async () => {
    const c = oneDispatch([{ words: 4, type: 'f32' }]);
    c.dispatches[0]!.constants = { WG: 2 };
    const t = traceCase([wgsl('override-sized-workgroup')], c);
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[0]!, 'f32')).toEqual([1, 0, 0, 0]);
    const gpu = await dawn.execute({ shaders: [wgsl('override-sized-workgroup')], cases: [c] });
    expect(view(gpu.outputs[0]![0]!, 'f32')).toEqual([1, 0, 0, 0]);
  }, 60_000);

  // Trial 150 B1: what a run says beside the interpreter (its lost-update note) took such a module for one it refuses.
  test('is a module the interpreter runs, for what is said beside it', () => {
    expect(unsupportedConstruct(wgsl('override-sized-workgroup'))?.construct).toMatch(/^a workgroup array sized by an override expression/);
    expect(unsupportedAtDefaults(wgsl('override-sized-workgroup'))).toBeUndefined();
    // Trial 151 B3: nor a call in the right of && (short-circuits.ts rewrites it before running).
    const sc = `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
fn odd(i: u32) -> u32 { return i % 2u; }
@compute @workgroup_size(1) fn main() {
  if (y[0] < 0.0 && odd(1u) == 1u) { y[0] = 1.0; }
}`;
    expect(unsupportedConstruct(sc)?.construct).toMatch(/right operand of &&/);
    expect(unsupportedAtDefaults(sc)).toBeUndefined();
  });

  // And an override whose initializer reads another takes the other's pipeline constant, not its default.
  test.each([[undefined, [4, 68]], [{ WG: 8 }, [0, 8]], [{ WG: 32 }, [2, 34]]] as const)('overrides from overrides, constants %o', async (constants, [shift, sum]) => {
    const c = oneDispatch([{ words: 4 }]);
    if (constants) c.dispatches[0]!.constants = { ...constants };
    const expected = [shift, sum, 807, 50];
    const t = traceCase([wgsl('override-from-override')], c);
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[0]!, 'u32')).toEqual(expected);
    const gpu = await dawn.execute({ shaders: [wgsl('override-from-override')], cases: [c] });
    expect(view(gpu.outputs[0]![0]!, 'u32')).toEqual(expected);
  }, 60_000);
});

describe('a schedule WGSL allows and a lockstep run never shows', () => {
  // early-loads.ts: the first atomicLoad of a phase reads the invocation's own last write; the next the current value.
  test.each([
    ['no barrier: invocation 0 reads its own atomicMax first, then the current maximum', '// BARRIER', [1, 4, 0, 0]],
    ['a barrier orders every atomicMax before the load', 'workgroupBarrier();', [4, 4, 0, 0]],
  ])('%s', (_, barrier, expected) => {
    const t = traceCase([wgsl('workgroup-atomic-load').replace('// BARRIER', barrier)], oneDispatch([{ words: 4 }]));
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[0]!, 'u32')).toEqual(expected);
  });

  // Trial 99 A2: a storage word's updates are ordered before a load only by a barrier that orders storage.
  test.each([
    ['no barrier: invocation 0 reads its own atomicAdd first, then the current count', '// BARRIER', [1, 4]],
    ['a workgroupBarrier orders workgroup memory only: the same', 'workgroupBarrier();', [1, 4]],
    ['a storageBarrier orders every atomicAdd before the load', 'storageBarrier();', [4, 4]],
  ])('storage: %s', (_, barrier, expected) => {
    const t = traceCase([wgsl('storage-atomic-load').replace('// BARRIER', barrier)], oneDispatch([{ words: 2 }, { words: 1 }]));
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[0]!, 'u32')).toEqual(expected);
    expect(loadsPastWorkgroupBarrier(wgsl('storage-atomic-load').replace('// BARRIER', barrier)).map((l) => l.line)).toEqual(barrier === 'workgroupBarrier();' ? [13] : []);
    // Trial 220 A1: so does a compare-exchange read of the storage word (a workgroup word's reads the current value).
    const cas = wgsl('storage-atomic-load').replace('// BARRIER', barrier).replace('out[0] = atomicLoad(&count);', 'out[0] = atomicCompareExchangeWeak(&count, 0u, 0u).old_value;');
    const c = traceCase([cas], oneDispatch([{ words: 2 }, { words: 1 }]));
    expect(view(c.outputs[0]!, 'u32')).toEqual(expected);
  });
  // Trial 123 A2: `atomicAdd(&g, 0u)` read a max that another workgroup's atomicStore then overwrote, and passed.
  test.each([
    ['atomicLoad(&count)', 1], ['atomicAdd(&count, 0u)', 1], ['atomicOr(&count, 0u)', 1], ['atomicXor(&count, 0u)', 1],
    ['atomicAnd(&count, 0xffffffffu)', 1], ['atomicMax(&count, 0u)', 1], ['atomicMin(&count, 4294967295u)', 1],
    // Trial 197 A4: a compare-exchange that stores what it compares with.
    ['atomicCompareExchangeWeak(&count, 0u, 0u).old_value', 1], ['atomicCompareExchangeWeak(&count, 7u, 7u).old_value', 1],
    // An update that changes the word reads the current value, as its atomicity requires: every workgroup counts.
    ['atomicAdd(&count, 1u) - 0u', 4], ['atomicMax(&count, 1u) + 0u', 4],
    // Through a helper's pointer (trial 131 A3): taking the address reads nothing, so the load is the word's first.
    ['bump(&count)', 1],
  ] as const)('%s by each of 4 workgroups, then a store of one more, leaves %i', (read, expected) => {
    const code = read.startsWith('bump') ? `@group(0) @binding(0) var<storage, read_write> count: atomic<u32>;
fn bump(p: ptr<storage, atomic<u32>, read_write>) { let old = atomicLoad(p); atomicStore(p, old + 1u); }
@compute @workgroup_size(1) fn main() { bump(&count); }` : wgsl('read-by-update').replace('= READ', `= ${read}`);
    const t = traceCase([code], oneDispatch([{ words: 1 }], 4));
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[0]!, 'u32')).toEqual([expected]);
    if (!read.startsWith('bump')) expect(storageAtomicLoads(code).map((l) => l.builtin)).toEqual(expected === 1 ? [read.slice(0, read.indexOf('('))] : []);
  });
});

describe('the order an atomic serves invocations in, which WGSL leaves open', () => {
  test('the interpreter hands atomicAdd slots to invocation 0, then the last down to 1', async () => {
    const x = [10, 11, 12, 13, 14, 15, 16, 17];
    const c = oneDispatch([{ words: 8, init: x }, { words: 8 }, { words: 1 }], 2);
    const t = traceCase([wgsl('atomic-order')], c);
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[1]!, 'u32')).toEqual([10, 13, 12, 11, 14, 17, 16, 15]);
    expect(view(t.outputs[2]!, 'u32')).toEqual([8]);
    expect(t.dispatches[0]!.races).toEqual([]);
    const gpu = await dawn.execute({ shaders: [wgsl('atomic-order')], cases: [c] });
    // SwiftShader: a workgroup's slots in index order, the workgroups in whichever order its threads took them (one
    // run gave workgroup 1's first): only a permutation is certain.
    expect(view(gpu.outputs[0]![1]!, 'u32').sort((a, b) => a - b)).toEqual(x);
  });
});

describe("the device's limits, as a GPU engine's device checks them", () => {
  const nine = () => oneDispatch(Array.from({ length: 9 }, (_, k) => ({ words: 4, init: [k, k, k, k] })));
  test("a stage past WebGPU's default limits is an error, as on Dawn; within what the spec asks for it runs", async () => {
    expect(() => traceCase([wgsl('nine-storage-buffers')], nine())).toThrow(
      "the compute stage 'main' uses 9 storage buffers: 9 > maxStorageBuffersPerShaderStage = 8, which a WebGPU device rejects (WebGPU's default; a spec whose adapters have more asks for it: requires: { limits: { maxStorageBuffersPerShaderStage: 9 } })");
    await expect(dawn.execute({ shaders: [wgsl('nine-storage-buffers')], cases: [nine()] })).rejects.toThrow(/maxStorageBuffersPerShaderStage|storage buffers/);
    const t = traceCase([wgsl('nine-storage-buffers')], nine(), { limits: { maxStorageBuffersPerShaderStage: 10 } });
    expect(view(t.outputs[0]!, 'u32')).toEqual([36, 36, 36, 36]);
    expect(() => traceCase([wgsl('while-loop').replace('@workgroup_size(4)', '@workgroup_size(16, 32)')], oneDispatch([{ words: 4 }])))
      .toThrow(/the @workgroup_size\(16, 32, 1\) of 'main': 512 > maxComputeInvocationsPerWorkgroup = 256/);
    // A CUDA block of 1024 passes two limits; asking for one alone still fails (a trial's advice named one).
    expect(() => traceCase([wgsl('while-loop').replace('@workgroup_size(4)', '@workgroup_size(1024)')], oneDispatch([{ words: 4 }])))
      .toThrow("the @workgroup_size(1024, 1, 1) of 'main': 1024 > maxComputeWorkgroupSizeX = 256, and 1024 > maxComputeInvocationsPerWorkgroup = 256, which a WebGPU device rejects (WebGPU's defaults; a spec whose adapters have more asks for them: requires: { limits: { maxComputeWorkgroupSizeX: 1024, maxComputeInvocationsPerWorkgroup: 1024 } })");
  });

  // Only what the entry point statically uses counts: counting the module's every var<workgroup> would refuse `small`,
  // which every device runs.
  test('workgroup memory: the variables the entry point uses, through its calls, each rounded up to 16 bytes', async () => {
    const entry = (name: string): BatchCase => ({ ...oneDispatch([{ words: 4 }]), dispatches: [{ ...oneDispatch([{ words: 4 }]).dispatches[0]!, entry: name }] });
    const t = traceCase([wgsl('workgroup-storage')], entry('small'));
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[0]!, 'f32')).toEqual([7, 5, 3, 1]);
    expect(view((await dawn.execute({ shaders: [wgsl('workgroup-storage')], cases: [entry('small')] })).outputs[0]![0]!, 'f32')).toEqual([7, 5, 3, 1]);
    expect(() => traceCase([wgsl('workgroup-storage')], entry('big'))).toThrow(
      "the workgroup variables 'big' uses (half_a: 8192, half_b: 8192, flag: 16 bytes, each rounded up to 16): 16400 > maxComputeWorkgroupStorageSize = 16384, which a WebGPU device rejects (WebGPU's default; a spec whose adapters have more asks for it: requires: { limits: { maxComputeWorkgroupStorageSize: 16400 } })");
    await expect(dawn.execute({ shaders: [wgsl('workgroup-storage')], cases: [entry('big')] })).rejects.toThrow(/16400|workgroup storage/);
    expect(view(traceCase([wgsl('workgroup-storage')], entry('big'), { limits: { maxComputeWorkgroupStorageSize: 16400 } }).outputs[0]!, 'f32')).toEqual([4, 3, 2, 1]);
  });

  test('workgroup memory: an array counted by an override is sized under the dispatch\'s constants', () => {
    const code = `override N: u32 = 16u;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
var<workgroup> t: array<f32, N * 64u>;
@compute @workgroup_size(4) fn main(@builtin(local_invocation_index) i: u32) {
  t[i] = 1.0;
  y[i] = t[i];
}`;
    const c = (n: number): BatchCase => ({ ...oneDispatch([{ words: 4 }]), dispatches: [{ ...oneDispatch([{ words: 4 }]).dispatches[0]!, constants: { N: n } }] });
    expect(traceCase([code], c(64)).skipped).toBeUndefined();
    expect(() => traceCase([code], c(65))).toThrow(/^the workgroup variables 'main' uses \(t: 16640 bytes, each rounded up to 16\): 16640 > maxComputeWorkgroupStorageSize = 16384/);
  });
});

// A run's error for it names the kernel's WGSL in one line, as Dawn's device error does (a trial's printed ten
// lines of our stack under it).
test('a stage past the limits is one located line on the command line, no stack', () => {
  const out = mkdtempSync(join(tmpdir(), 'ks-limits-'));
  const lib = join(import.meta.dirname, 'fixtures', 'limits-lib');
  spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', '--kernel', 'tenbuf', '--backend', 'interpreter', '--runs', '2', '--property', 'matches-reference', '--out', out, '--fixtures', join(out, 'fx')],
    { cwd: join(import.meta.dirname, '..'), encoding: 'utf8', timeout: 170_000, env: { ...process.env, KERNELSCOPE_LIBRARY: lib } });
  const r = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile).results[0]!;
  expect(r.status).toBe('error');
  expect(r.error).toMatch(/^\S*tenbuf\.wgsl: the compute stage 'main' uses 10 storage buffers: 10 > maxStorageBuffersPerShaderStage = 8/);
  expect(r.detail ?? '').not.toMatch(/ at \S+\.ts:\d+/);
}, 180_000);

describe('what WGSL evaluates and what it does not', () => {
  test('&& and || short-circuit, select() evaluates every argument: the one out-of-bounds read is select\'s', async () => {
    const c = oneDispatch([{ words: 4, init: [1, 1, 2, 2] }, { words: 5 }]);
    const t = traceCase([wgsl('short-circuit')], c);
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[1]!, 'u32')).toEqual([1, 10, 1, 0, 5]);
    expect(t.dispatches[0]!.outOfBounds.map((a) => [a.invocation, a.variable, a.offset, a.line])).toEqual([[3, 'keys', 16, 16]]);
    expect(t.dispatches[0]!.races).toEqual([]);
    const gpu = await dawn.execute({ shaders: [wgsl('short-circuit')], cases: [c] });
    expect(view(gpu.outputs[0]![1]!, 'u32')).toEqual([1, 10, 1, 0, 5]);
  });

  // wgsl_reflect's debugger makes a statement's calls before the statement: one in the right operand of && ran for
  // every invocation (a trial's compaction counted 64 where 1 was kept). Where it is evaluated first in its statement
  // it runs as an if (short-circuit-call and short-circuit-forms above; a trial's argmax tree, `lid < s &&
  // better(...)`, was refused); elsewhere it is refused, never judged.
  // A trial's `if (best < 0 ||\n better(v, j,\n bestV, best))`: the operand's own line break was counted twice, and
  // every later line was named one too low on the interpreter.
  test('an if rewritten for a call in its || keeps every line where it was, an operand over two lines too', () => {
    const code = wgsl('short-circuit-or').replace('if (x[i] > 1u ||\n      push(x[i])) {', 'if (x[i] >\n 1u ||\n      push(\nx[i])) {');
    expect(code).not.toBe(wgsl('short-circuit-or'));
    const out = withShortCircuits(code);
    expect(out).toContain('var _ks_sc0');
    const lines = code.split('\n');
    expect(out.split('\n')).toHaveLength(lines.length);
    for (const marker of ['atomicAdd(&n[1], 1u);', 'atomicAdd(&n[4], 1u);', 'atomicAdd(&n[5], 1u);']) {
      expect(out.split('\n').findIndex((l) => l.includes(marker)), marker).toBe(lines.findIndex((l) => l.includes(marker)));
    }
  });

  test('the same call deeper in an expression is refused, with its line', () => {
    const t = traceCase([wgsl('short-circuit-deep')], oneDispatch([{ words: 4, init: [1, 2, 3, 0] }, { words: 2 }]));
    expect(t.skipped).toBe('not supported on the interpreter: a call to push() in the right operand of && (the interpreter would call it whatever the left operand is, where WGSL calls it only when the left operand does not decide; the interpreter runs it as WGSL says where it is evaluated first in an if\'s or a loop\'s condition, a let\'s, var\'s or return\'s value or an assignment\'s: give it a let of its own), line 13');
  });

  test('an index of a swizzle is refused, with its line, not run to an output never written', () => {
    const t = traceCase([wgsl('swizzle-index')], oneDispatch([{ words: 4, type: 'f32', init: [1, 2, 3, 4] }, { words: 1, type: 'f32' }]));
    expect(t.skipped).toBe('not supported on the interpreter: an index of a swizzle (.zxy[...]; index the vector, or copy the swizzle into a let first), line 9');
  });

  // Trial 60 B1: a struct's array member named with swizzle letters was refused as a swizzle's index.
  test("a struct's array member named like a swizzle (arr) is indexed as itself", () => {
    const code = `struct P { arr: array<f32, 4>, v: vec4<f32> }
@group(0) @binding(0) var<storage, read_write> p: P;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(1) fn main() {
  y[0] = p.arr[2];
  y[1] = p.v[1];
}`;
    const t = traceCase([code], oneDispatch([{ words: 8, type: 'f32', init: [1, 2, 3, 4, 10, 20, 30, 40] }, { words: 2, type: 'f32' }]));
    expect(t.skipped).toBeUndefined();
    expect(Array.from(new Float32Array(t.outputs[1]!.slice().buffer))).toEqual([3, 20]);
  });

  // wgsl_reflect does not validate: `nope` evaluated to nothing and a trial's add passed, where Dawn said "unresolved
  // value 'nope'". A phony assignment's `_` and a name declared in another function are not refused.
  test('a name declared nowhere is refused, with its line; `_ = x` and every declared name run', () => {
    const code = (cond: string) => `@group(0) @binding(0) var<storage, read_write> y: array<u32>;
const K = 2u;
fn f(a: u32) -> u32 { let b = a + K; return b; }
@compute @workgroup_size(1)
fn main() {
  _ = y[0];
  if (${cond} > 0u) { y[0] = f(1u); }
}`;
    const bad = traceCase([code('nope')], oneDispatch([{ words: 1 }]));
    expect(bad.skipped).toBe("not supported on the interpreter: 'nope', which the module declares nowhere (invalid WGSL: a GPU engine's compiler rejects it; the interpreter does not validate), line 7");
    const good = traceCase([code('K')], oneDispatch([{ words: 1 }]));
    expect(good.skipped).toBeUndefined();
    expect(view(good.outputs[0]!, 'u32')).toEqual([3]);
  });

  // Trial 139 A5: `var<workgroup> priv`, which Dawn rejects ("'priv' is a reserved keyword"), passed every property.
  test('a declaration named by a reserved word is refused, with its line', () => {
    const code = (name: string) => `@group(0) @binding(0) var<storage, read_write> y: array<u32>;
fn f(a: u32) -> u32 {
  let ${name} = a + 2u;
  return ${name};
}
@compute @workgroup_size(1)
fn main() { y[0] = f(1u); }`;
    expect(traceCase([code('shared')], oneDispatch([{ words: 1 }])).skipped).toBe("not supported on the interpreter: 'shared', a reserved word in WGSL, as a name (invalid WGSL: a GPU engine's compiler rejects it; the interpreter does not validate), line 3");
    expect(view(traceCase([code('shared_v')], oneDispatch([{ words: 1 }])).outputs[0]!, 'u32')).toEqual([3]);
    expect(traceCase([code('__acc')], oneDispatch([{ words: 1 }])).skipped).toMatch(/'__acc', a name that begins with two underscores, which WGSL reserves/);
    expect(view(traceCase([code('_acc')], oneDispatch([{ words: 1 }])).outputs[0]!, 'u32')).toEqual([3]);
  });

  // Trial 159 B1: f16 without `enable f16;` crashed wgsl_reflect, and the reason named the interpreter and a line of
  // its own; a subgroup operation without `enable subgroups;` was "not supported", as if it were valid.
  test('f16 or a subgroup operation without its enable is refused as invalid WGSL, with its line', () => {
    const f16 = (enable: string, body: string) => `${enable}@group(0) @binding(0) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(1)
fn main() { ${body} }`;
    expect(traceCase([f16('', 'let h = vec4h(1.0); y[0] = u32(h.x);')], oneDispatch([{ words: 1 }])).skipped).toBe("not supported on the interpreter: 'vec4h' without `enable f16;` (invalid WGSL: a GPU engine's compiler rejects it; the interpreter does not validate), line 3");
    expect(traceCase([f16('', 'y[0] = u32(f32(2.0h));')], oneDispatch([{ words: 1 }])).skipped).toMatch(/^not supported on the interpreter: '2\.0h' without `enable f16;`/);
    expect(traceCase([f16('', 'y[0] = u32(subgroupAdd(1.0));')], oneDispatch([{ words: 1 }])).skipped).toMatch(/^not supported on the interpreter: 'subgroupAdd' without `enable subgroups;`/);
    // With the enable, the interpreter's own answer: f16 is not supported, subgroups neither, as before.
    expect(traceCase([f16('enable f16;\n', 'let h = vec4h(1.0); y[0] = u32(h.x);')], oneDispatch([{ words: 1 }])).skipped).toMatch(/^not supported on the interpreter: enable f16 /);
    // A function of the module's own named like a subgroup operation or a texture builtin needs no enable, and runs
    // (trial 163 A1: `quadratic`, `subgroupMul`, `textureless_sq` were refused as subgroup operations and textures).
    for (const name of ['subgroupSum', 'quadratic', 'textureless_sq', 'textureSum']) {
      const r = traceCase([f16(`fn ${name}(v: u32) -> u32 { return v + 1u; }\n`, `y[0] = ${name}(1u);`)], oneDispatch([{ words: 1 }]));
      expect(r.skipped, name).toBeUndefined();
      expect(view(r.outputs[0]!, 'u32'), name).toEqual([2]);
    }
  });
});

describe('a workgroup scalar handed to a helper by pointer', () => {
  // Trial 163 A2: `acc(&total, v)` with `*p = *p + v` from every invocation, no barrier, no atomic, passed
  // no-data-race on the interpreter (and the GPU engines, which follow no pointer, send the user there).
  test('an update through it by peers races; one invocation\'s does not', () => {
    const code = (who: string) => `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
var<workgroup> total: f32;
fn acc(p: ptr<workgroup, f32>, v: f32) {
  *p = *p + v;
}
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) lid: u32) {
  if (${who}) { acc(&total, 1.0); }
  workgroupBarrier();
  if (lid == 0u) { y[0] = total; }
}`;
    const racing = traceCase([code('true')], oneDispatch([{ words: 1, type: 'f32' }]));
    expect(racing.dispatches[0]!.races[0]!.message).toMatch(/^data race on total \(workgroup memory\) byte 0: invocation \d of workgroup \(0, 0, 0\) (reads|writes) at line 4, invocation \d of workgroup \(0, 0, 0\) (reads|writes) at line 4/);
    const one = traceCase([code('lid == 2u')], oneDispatch([{ words: 1, type: 'f32' }]));
    expect(one.dispatches[0]!.races).toEqual([]);
    expect(view(one.outputs[0]!, 'f32')).toEqual([1]);
  });
});

describe('a workgroup array handed to a helper by pointer', () => {
  // The race-free form is in VALUES; without the helper's barrier its levels race, and through the pointer an index
  // past the array is found out of bounds.
  test('races without the barrier, and is bounds-checked', () => {
    const racing = traceCase([wgsl('workgroup-pointer-argument').replace(/^ {4}workgroupBarrier\(\);$/m, '')], oneDispatch([{ words: 8, type: 'f32' }]));
    expect(racing.dispatches[0]!.races[0]!.message).toMatch(/^data race on part \(workgroup memory\) byte \d+: invocation \d of workgroup \(0, 0, 0\) (reads|writes) at line 8, invocation \d of workgroup \(0, 0, 0\) (reads|writes) at line 8, no barrier between/);
    const past = traceCase([wgsl('workgroup-pointer-argument').replace('(*p)[li + s]', '(*p)[li + s + 4u]')], oneDispatch([{ words: 8, type: 'f32' }]));
    expect(past.dispatches[0]!.outOfBounds[0]).toMatchObject({ variable: 'part', kind: 'read', line: 8, inner: { path: 'part[8]' } });
  });
});

// Trial 90 A1: a store through a pointer to one element went unrecorded (and taking its address was recorded as a
// read at the call): a race through `put(&part[lid], v)` passed no-data-race on the interpreter.
describe('a pointer to one element, handed to a helper', () => {
  // Trial 131 B1: an atomic's address past the end, handed to a helper: upstream threw on the pointer's copy, and the
  // case was not supported. The address is out of bounds, and so is the helper's update through it.
  test('an atomic one, out of bounds: both accesses found', () => {
    const t = traceCase([`@group(0) @binding(0) var<storage, read_write> out: array<u32>;
var<workgroup> local: array<atomic<u32>, 4>;
fn bump(p: ptr<workgroup, atomic<u32>>) { atomicAdd(p, 1u); }
@compute @workgroup_size(4) fn main(@builtin(local_invocation_index) lid: u32) {
  bump(&local[lid + 1u]);
  workgroupBarrier();
  out[lid] = atomicLoad(&local[lid]);
}`], oneDispatch([{ words: 4 }]));
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[0]!, 'u32')).toEqual([0, 1, 1, 1]);
    expect(t.dispatches[0]!.outOfBounds.map((a) => [a.variable, a.line, a.address ? 'address' : a.kind])).toEqual([['local', 5, 'address'], ['local', 3, 'read'], ['local', 3, 'write']]);
  });

  test('its store is a write at the store\'s line: with the barrier no race, without it the race', () => {
    const c = oneDispatch([{ words: 4, type: 'f32' }]);
    const ok = traceCase([wgsl('scalar-pointer-argument')], c);
    expect(ok.skipped).toBeUndefined();
    expect(view(ok.outputs[0]!, 'f32')).toEqual([2, 3, 4, 1]);
    expect(ok.dispatches[0]!.races).toEqual([]);
    const writes = ok.dispatches[0]!.accesses!.filter((a) => a.kind === 'write').map((a) => `${a.variable}@${a.line}`);
    expect(new Set(writes)).toEqual(new Set(['part@7', 'y@19']));
    // Trial 90 B2: the address of an element past the end, handed to the helper, was said as a read.
    const past = traceCase([wgsl('scalar-pointer-argument').replace('put(&part[lid], f32', 'put(&part[lid + 1u], f32')], oneDispatch([{ words: 4, type: 'f32' }]));
    expect(past.dispatches[0]!.outOfBounds[0]).toMatchObject({ variable: 'part', invocation: 3, line: 16, address: true });
    const racing = traceCase([wgsl('scalar-pointer-argument').replace(/^ {2}workgroupBarrier\(\);$/m, '')], c);
    expect(racing.dispatches[0]!.races[0]!.message).toMatch(/^data race on part \(workgroup memory\) byte \d+: invocation \d of workgroup \(0, 0, 0\) writes at line 7, invocation \d of workgroup \(0, 0, 0\) reads at line 11, no barrier between/);
  });
});

describe('a write in a for loop\'s increment', () => {
  test('is said at its line', () => {
    const t = traceCase([wgsl('for-increment-write')], oneDispatch([{ words: 4, type: 'f32' }]));
    expect(t.dispatches[0]!.races[0]!.message).toMatch(/invocation \d of workgroup \(0, 0, 0\) (reads at line 13|writes at line 12), invocation \d of workgroup \(0, 0, 0\) (writes at line 12|reads at line 13), no barrier between/);
  });
});

describe('a vector written a component per invocation', () => {
  test('runs, and its race is said as a write of one component each', () => {
    const t = traceCase([wgsl('component-race')], oneDispatch([{ words: 8, type: 'f32' }]));
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[0]!, 'f32')).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const races = t.dispatches[0]!.races;
    expect(races.length).toBeGreaterThan(0);
    expect(races[0]!.message).toMatch(/writes at line 9, invocation \d of workgroup \(0, 0, 0\) writes at line 9, no barrier between \(both write it at line 9, one component of the same vector element each: WGSL lets a write of one component access the whole vector/);
  });
});

// WGSL §"Synchronization Built-in Functions": workgroupBarrier() orders workgroup memory, storageBarrier() storage
// (barriers.ts). Invocation 0 writes a storage word and a workgroup word; after the barrier every invocation reads
// both. The race left is on the memory the barrier does not order, and it names that barrier.
describe('each barrier orders its own address space', () => {
  test.each([
    ['no barrier: both race', '// BARRIER', ['w', 'y'], []],
    ['a workgroupBarrier orders w, not y', 'workgroupBarrier();', ['y'], ['workgroupBarrier']],
    ['a storageBarrier orders y, not w', 'storageBarrier();', ['w'], ['storageBarrier']],
    ['both barriers order both', 'workgroupBarrier(); storageBarrier();', [], []],
    ['a textureBarrier orders neither', 'textureBarrier();', ['w', 'y'], ['textureBarrier']],
  ])('%s', (_, barrier, racing, between) => {
    const t = traceCase([wgsl('barrier-spaces').replace('// BARRIER', barrier)], oneDispatch([{ words: 5 }]));
    expect(t.skipped).toBeUndefined();
    // Any barrier holds every invocation until invocation 0 has written (the lock-step schedule, which WGSL allows).
    if (barrier !== '// BARRIER') expect(view(t.outputs[0]!, 'u32')).toEqual([5, 11, 12, 13, 14]);
    const races = t.dispatches[0]!.races;
    expect([...new Set(races.map((r) => r.variable))].sort()).toEqual(racing);
    for (const r of races) {
      expect([r.a.line, r.b.line].sort()).toEqual([5, 7]);
      expect(r.between!.map((b) => b.builtin)).toEqual(between);
    }
  });

  test("the race's message says which barrier is there, what it orders, and which to add", () => {
    const t = traceCase([wgsl('barrier-spaces').replace('// BARRIER', 'workgroupBarrier();')], oneDispatch([{ words: 5 }]));
    expect(t.dispatches[0]!.races[0]!.message).toMatch(/^data race on y \(buffer 0\) byte 0: invocation 0 of workgroup \(0, 0, 0\) writes at line 5, invocation 3 of workgroup \(0, 0, 0\) reads at line 7, with only a workgroupBarrier\(\) \(line 6\) between them, which orders workgroup memory, not storage \(add a storageBarrier\(\) between them; a storageBarrier\(\) orders the invocations of one workgroup only: where other workgroups touch the element too, write the results to another buffer \(double buffering\) or split the steps into dispatches\)$/);
  });

  // lost-updates.ts decides by the same rule: an atomicStore, then another invocation's atomicAdd, is ordered only by
  // the barrier of the atomic's address space.
  test.each([
    ['no barrier: both updates may be erased', '// BARRIER', ['w', 'y']],
    ['a workgroupBarrier orders the workgroup atomic only', 'workgroupBarrier();', ['y']],
    ['a storageBarrier orders the storage atomic only', 'storageBarrier();', ['w']],
    ['both barriers order both', 'storageBarrier(); workgroupBarrier();', []],
  ])('lost updates: %s', (_, barrier, lost) => {
    const t = traceCase([wgsl('barrier-spaces-atomic').replace('// BARRIER', barrier)], oneDispatch([{ words: 1 }]));
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[0]!, 'u32')).toEqual([4]);
    const races = t.dispatches[0]!.races;
    expect(races.every((r) => r.lostUpdate === 'AtomicAdd')).toBe(true);
    expect([...new Set(races.map((r) => r.variable))].sort()).toEqual(lost);
    const y = races.find((r) => r.variable === 'y');
    if (barrier === 'workgroupBarrier();') expect(y!.message).toMatch(/with only a workgroupBarrier\(\) \(line 6\) between them, which orders workgroup memory, not storage: the store may land after the update and erase it \(add a storageBarrier\(\) between them if only this workgroup updates it; if other workgroups update it too, no barrier orders their updates: store it in a dispatch of its own before this one, or seed it from the host\)$/);
  });
});

describe('findings, not errors', () => {
  // A trial's SpMV read vals[0] of a matrix with no entries and passed: a GPU engine binds an empty buffer as one element.
  test('an empty buffer holds no element: reading its element 0 is out of bounds, and arrayLength is 0', () => {
    const c = oneDispatch([{ words: 0 }, { words: 1 }]);
    const t = traceCase([`@group(0) @binding(0) var<storage, read_write> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(1)
fn main() {
  y[0] = x[0] + 10u * arrayLength(&x);
}`], c);
    expect(t.skipped).toBeUndefined();
    expect(t.dispatches[0]!.outOfBounds.map((a) => [a.variable, a.offset, a.kind, a.line])).toEqual([['x', 0, 'read', 5]]);
    expect(view(t.outputs[1]!, 'u32')).toEqual([0]);
  });

  // Trial 99 B3: wgsl_reflect reads a word before its atomicStore writes it, and an out-of-bounds clear was said to
  // read the element, twice counted.
  test('an atomicStore past the end is one write, as Dawn says it', () => {
    const code = `@group(0) @binding(0) var<storage, read_write> counts: array<atomic<u32>>;
@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) i: u32) {
  atomicStore(&counts[i], 0u);
}`;
    const t = traceCase([code], oneDispatch([{ words: 1 }]));
    expect(t.dispatches[0]!.outOfBounds.map((a) => [a.variable, a.offset, a.kind, a.invocation, a.line])).toEqual([['counts', 4, 'write', 1, 4]]);
  });

  test('a gather at index -1 reads before the start of x: invocation 1, element -1, line 6', () => {
    const t = traceCase([wgsl('negative-gather')], oneDispatch([{ words: 4, type: 'f32', init: [1, 2, 3, 4] }, { words: 4, type: 'i32', init: [0, -1, 2, 3] }, { words: 4, type: 'f32' }]));
    expect(t.skipped).toBeUndefined();
    expect(t.dispatches[0]!.outOfBounds).toMatchObject([{ variable: 'x', buffer: 0, offset: -4, size: 4, kind: 'read', invocation: 1, line: 6 }]);
    expect(view(t.outputs[2]!, 'f32')).toEqual([1, 0, 3, 4]); // robust access: the stray load reads zero
  });

  test('a leader writes a scalar var<workgroup> that the others read with no barrier: a race', () => {
    const t = traceCase([wgsl('scalar-workgroup-race')], oneDispatch([{ words: 4 }]));
    const r = t.dispatches[0]!.races;
    expect(r.length).toBeGreaterThan(0);
    expect(r[0]).toMatchObject({ variable: 'leader', byte: 0, a: { invocation: 0, kind: 'write', line: 5 }, b: { kind: 'read', line: 6 } });
  });

  test('workgroupUniformLoad is a barrier: its leader write races with nothing', () => {
    const t = traceCase([wgsl('workgroup-uniform-load')], oneDispatch([{ words: 4 }]));
    expect(t.dispatches[0]!.races).toEqual([]);
  });

  test('two workgroups write the same storage element: a race between workgroups', () => {
    const t = traceCase([wgsl('cross-workgroup-race')], oneDispatch([{ words: 4 }], 2));
    const r = t.dispatches[0]!.races;
    expect(r).toHaveLength(4);
    expect(r[0]).toMatchObject({ variable: 'y', buffer: 0, byte: 0, a: { workgroup: [0, 0, 0], kind: 'write' }, b: { workgroup: [1, 0, 0], kind: 'write' } });
  });

  test('an atomicLoad then an atomicStore in four workgroups: each load reads the dispatch\'s 0, three updates lost', async () => {
    const c = oneDispatch([{ words: 1 }], 4);
    const t = traceCase([wgsl('lost-update')], c);
    expect(view(t.outputs[0]!, 'u32')).toEqual([1]);
    // Atomics never race; the lost update is a wrong value for the properties to judge.
    expect(t.dispatches[0]!.races).toEqual([]);
    // A GPU may lose any number of them: anything from 1 to 4.
    const gpu = view((await dawn.execute({ shaders: [wgsl('lost-update')], cases: [c] })).outputs[0]![0]!, 'u32')[0]!;
    expect(gpu).toBeGreaterThanOrEqual(1);
    expect(gpu).toBeLessThanOrEqual(4);
  }, 60_000);

  // Trial 181 A1: an exchange tried once and a store as its fallback passed on the interpreter, whose schedule puts
  // nothing between the two. Another workgroup's update may land there: with two others changing the word, a lost
  // update; with one, the store keeps its change; retried, none.
  test.each([
    ['two other workgroups change the word: a lost update', 3, 'FALLBACK', true],
    ['one other workgroup: the store keeps its change', 2, 'FALLBACK', false],
    ['a constant store (a flag) reads nothing', 3, 'CONSTANT', false],
    // Trial 182 A2: an exchange as the fallback, its old value dropped, loses the same update.
    ['an exchange whose old value is dropped is a store too', 3, 'EXCHANGE', true],
    // Trial 190 A1: a store under a test of the value read (a chained scan's "my turn") is no fallback as written.
    ['under a test of the value read, not a fallback as written', 3, 'GUARDED', false],
  ])('a store after a failed compare-exchange, %s', (_, workgroups, form, lost) => {
    const fallback = { FALLBACK: 'atomicStore(&total[0], r.old_value + 1u);', CONSTANT: 'atomicStore(&total[0], 7u);', EXCHANGE: '_ = atomicExchange(&total[0], r.old_value + 1u);',
      GUARDED: 'if (r.old_value != 0u) { atomicStore(&total[0], r.old_value + 1u); }' }[form]!;
    const code = wgsl('failed-exchange-store').replace('atomicStore(&total[0], r.old_value + 1u);', fallback);
    const t = traceCase([code], oneDispatch([{ words: 1 }], workgroups));
    expect(t.skipped).toBeUndefined();
    const races = t.dispatches[0]!.races.filter((r) => r.afterFailedExchange !== undefined);
    expect(races.length > 0).toBe(lost);
    if (lost && form === 'FALLBACK') expect(races[0]!.message).toMatch(/^lost update on total \(buffer 0\) byte 0: invocation 0 of workgroup \(1, 0, 0\) stores at line 9 after its atomicCompareExchangeWeak at line 6 failed, invocation 0 of workgroup \(2, 0, 0\) stores at line 9, different workgroups of one dispatch, which nothing orders: an update may land between the failed exchange and the store, which erases it \(retry the compare-exchange/);
  });

  // A later workgroup's compare-exchange is erased by the fallback store only where it succeeded from the value the
  // failed exchange read: what it found there is known since a successful exchange is recorded as a read too.
  test.each([
    ['succeeds from the value the failed one read: lost', '1u', true],
    ['expects another value: not taken', '7u', false],
  ])('a later compare-exchange that %s', (_, expected, lost) => {
    const code = `@group(0) @binding(0) var<storage, read_write> total: array<atomic<u32>>;
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wg: vec3u) {
  if (wg.x == 2u) {
    _ = atomicCompareExchangeWeak(&total[0], ${expected}, 5u);
    return;
  }
  let r = atomicCompareExchangeWeak(&total[0], 0u, 1u);
  if (!r.exchanged) {
    atomicStore(&total[0], r.old_value);
  }
}`;
    const t = traceCase([code], oneDispatch([{ words: 1 }], 3));
    expect(t.skipped).toBeUndefined();
    const races = t.dispatches[0]!.races.filter((r) => r.afterFailedExchange !== undefined);
    expect(races.length > 0).toBe(lost);
    if (lost) expect(races[0]!.message).toMatch(/invocation 0 of workgroup \(2, 0, 0\) calls atomicCompareExchangeWeak at line 5/);
  });

  // Trial 182 A1: a loop that stops adding at a cap stores the cap it read; no other workgroup's exchange succeeds from
  // the cap, so nothing can land between and be lost.
  test('a saturating compare-exchange loop that stores the cap it read, in four workgroups: no lost update', () => {
    const t = traceCase([wgsl('saturating-exchange')], oneDispatch([{ words: 1 }, { words: 1, init: [2] }], 4));
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[0]!, 'u32')).toEqual([2]);
    expect(t.dispatches[0]!.races.filter((r) => r.lostUpdate)).toEqual([]);
    // Trial 184 A2: nor where another workgroup took the word to the cap by atomicMax, which the cap's store keeps.
    const byMax = wgsl('saturating-exchange').replace('fn main(@builtin(local_invocation_index) l: u32) {', 'fn main(@builtin(local_invocation_index) l: u32, @builtin(workgroup_id) g: vec3u) {')
      .replace('    var old = atomicLoad(&total[0]);', '    if (g.x == 0u) {\n      atomicMax(&total[0], cap);\n      return;\n    }\n    var old = atomicLoad(&total[0]);');
    const m = traceCase([byMax], oneDispatch([{ words: 1 }, { words: 1, init: [2] }], 4));
    expect(m.skipped).toBeUndefined();
    expect(view(m.outputs[0]!, 'u32')).toEqual([2]);
    expect(m.dispatches[0]!.races.filter((r) => r.lostUpdate)).toEqual([]);
  });

  // Trial 188 A5: run by every invocation of one workgroup, the loop's stop is a clamp (portability.ts clampStores):
  // no other invocation's exchange succeeds from the cap it read, so its store erases none. Beside another
  // invocation's atomicAdd, which lands whatever the word holds, it may.
  test.each([
    ['alone: no lost update', '', false],
    ['beside an atomicAdd: a lost update', 'if (l == 3u) {\n    atomicAdd(&total[0], 1u);\n    return;\n  }\n  ', true],
  ])('a saturating compare-exchange loop run by every invocation of a workgroup, %s', (_, add, lost) => {
    const code = wgsl('saturating-exchange').replace('if (l == 0u) {', `${add}if (l < 4u) {`);
    const t = traceCase([code], oneDispatch([{ words: 1 }, { words: 1, init: [2] }], 1));
    expect(t.skipped).toBeUndefined();
    const races = t.dispatches[0]!.races.filter((r) => r.lostUpdate);
    expect(races.length > 0).toBe(lost);
    if (lost) expect(races[0]!.lostUpdate).toBe('AtomicAdd');
  });

  // Trial 193 A2: an i32 counter from −6 to a cap of −4 is raised in signed order, which its words' bits are not.
  test('a saturating compare-exchange loop on an i32 word from -6: no lost update', () => {
    const code = wgsl('saturating-exchange').replace('if (l == 0u) {', 'if (l < 4u) {').replaceAll('u32>', 'i32>').replace('old + 1u', 'old + 1');
    const t = traceCase([code], oneDispatch([{ words: 1, type: 'i32', init: [-6] }, { words: 1, type: 'i32', init: [-4] }], 1));
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[0]!, 'i32')).toEqual([-4]);
    expect(t.dispatches[0]!.races.filter((r) => r.lostUpdate)).toEqual([]);
  });

  // Trial 193 A3: where each invocation clamps after its own atomicMax, a max past the cap that another's clamp erases
  // is clamped anyway; trial 202 A2: where the clamping invocations are others, the word ends at the cap or past it
  // as the two land, and an `==` test does not clamp a word past the cap. An atomicAdd is not taken as raising it.
  test.each([
    ['each invocation\'s atomicMax, then its clamp', false, 'atomicMax(&m[0], x[l]);\n  CLAMP'],
    ['each invocation\'s atomicMax, then its clamp by ==', true, 'atomicMax(&m[0], x[l]);\n  CLAMP', '=='],
    ['an atomicMax by some, a clamp by the others', true, 'if (l > 1u) {\n    atomicMax(&m[0], x[l]);\n    return;\n  }\n  CLAMP'],
    ['an atomicAdd by some, a clamp by the others', true, 'if (l > 1u) {\n    atomicAdd(&m[0], x[l]);\n    return;\n  }\n  CLAMP'],
    // Trial 205: one updater's own clamp settles its pair, not another updater's.
    ['an atomicMax by two, a clamp by one of them and by others', true, 'if (l == 0u || l == 3u) {\n    atomicMax(&m[0], x[l] + 3u);\n  }\n  if (l != 3u) {\n    CLAMP\n  }'],
    // Trial 209 A1: nor a third updater's, past the two first kept for a word.
    ['an atomicMax by all, the third to raise the word skipping its clamp', true, 'atomicMax(&m[0], select(x[l] + 3u, 20u, l == 1u));\n  if (l != 1u) {\n    CLAMP\n  }'],
    // Trial 203 A1: a clamp by every invocation after a barrier clamps whatever the phase before left.
    ['an atomicMax by some, a clamp by the others, then every invocation\'s clamp after a barrier', false, 'if (l > 1u) {\n    atomicMax(&m[0], x[l]);\n  } else {\n    CLAMP\n  }\n  storageBarrier();\n  CLAMP'],
    // Trial 205 A3: not one whose test reads the word before the barrier, which may fail in another schedule.
    ['an atomicMax by some, a clamp by the others, then a clamp after a barrier of a read made before it', true, 'let early = atomicLoad(&m[0]);\n  if (l > 1u) {\n    atomicMax(&m[0], x[l]);\n  } else {\n    CLAMP\n  }\n  storageBarrier();\n  if (early >= 5u) {\n    atomicStore(&m[0], 5u);\n  }'],
    // Trial 211 A2: a clamp that tests what its own atomicMax left, max(old, v), reads the word after that max; one
    // that tests the max's old value alone, or what an earlier max left, does not.
    ['each invocation\'s atomicMax, then its clamp of max(old, v)', false, 'let v = x[l];\n  let old = atomicMax(&m[0], v);\n  if (max(old, v) > 5u) {\n    atomicStore(&m[0], 5u);\n  }'],
    ['each invocation\'s atomicMax, then its clamp of a let holding max(v, old)', false, 'let v = x[l];\n  let old = atomicMax(&m[0], v);\n  let now = max(v, old);\n  if (now >= 5u) {\n    atomicStore(&m[0], 5u);\n  }'],
    ['each invocation\'s atomicMax, then its clamp of old alone', true, 'let v = x[l];\n  let old = atomicMax(&m[0], v);\n  if (old > 5u) {\n    atomicStore(&m[0], 5u);\n  }'],
    // Trial 212 A1: not where the operand changed after the max (the test is then `old > cap`), nor, A2, where a helper
    // of one return hands back max(atomicMax(p, v), v), which is.
    ['each invocation\'s atomicMax, then its clamp of max(old, v) with v changed after the max', true, 'var v = x[l];\n  let old = atomicMax(&m[0], v);\n  v = min(v, 5u);\n  if (max(old, v) > 5u) {\n    atomicStore(&m[0], 5u);\n  }', '>=', 7],
    // Trial 214 A1: a var<private> operand, or a read_write input nothing writes, holds; A2: a shadowing let, or a var
    // whose address is taken, may not.
    ['each invocation\'s atomicMax of a var<private>, then its clamp of max(old, pv)', false, 'pv = x[l];\n  let old = atomicMax(&m[0], pv);\n  if (max(old, pv) > 5u) {\n    atomicStore(&m[0], 5u);\n  }'],
    ['each invocation\'s atomicMax, then its clamp of max(old, v) with v shadowed', true, 'let v = x[l];\n  let old = atomicMax(&m[0], v);\n  {\n    let v = 0u;\n    if (max(old, v) > 5u) {\n      atomicStore(&m[0], 5u);\n    }\n  }', '>=', 7],
    ['each invocation\'s atomicMax, then its clamp of max(old, v) with v changed through a pointer', true, 'var v = x[l];\n  let old = atomicMax(&m[0], v);\n  let q = &v;\n  *q = min(*q, 5u);\n  if (max(old, v) > 5u) {\n    atomicStore(&m[0], 5u);\n  }', '>=', 7],
    // Trial 216 A1: a let in braces between the two is another v, gone at the test; B1: v changed on the max's own
    // line, or through the helper's pointer parameter.
    ['each invocation\'s atomicMax, then its clamp of max(old, v) after a block with a v of its own', false, 'var v = x[l];\n  let old = atomicMax(&m[0], v);\n  {\n    let v = 0u;\n  }\n  if (max(old, v) > 5u) {\n    atomicStore(&m[0], 5u);\n  }', '>=', 7],
    ['each invocation\'s atomicMax, then its clamp of max(old, v) with v changed on the max\'s line', true, 'var v = x[l];\n  let old = atomicMax(&m[0], v); v = min(v, 5u);\n  if (max(old, v) > 5u) {\n    atomicStore(&m[0], 5u);\n  }', '>=', 7],
    ['each invocation\'s atomicMax in a helper that changes *v after it, then clamps', true, 'var w = x[l];\n  clampIn(&w);', '>=', 7],
    // Trial 205's storageBarrier twin: a compare-exchange read of a workgroup word within the phase reads the current
    // value, past the cap here, so the others' clamp stores and its pair with the max past the cap is seen (the phase's
    // start, 0, hid it).
    ['an atomicMax by some, a clamp by the others of a compare-exchange read of a workgroup word', true, 'if (l > 1u) {\n    atomicMax(&wm, x[l]);\n  }\n  let seen = atomicCompareExchangeWeak(&wm, 0u, 0u).old_value;\n  if (l <= 1u && seen >= 5u) {\n    atomicStore(&wm, 5u);\n  }'],
    ['each invocation\'s atomicMax in a helper that returns max(atomicMax(p, v), v), then its clamp', false, 'let now = raise(&m[0], x[l]);\n  if (now > 5u) {\n    atomicStore(&m[0], 5u);\n  }'],
    ['each invocation\'s two atomicMax, then its clamp of what the first left', true, 'let v = x[l];\n  let old = atomicMax(&m[0], v);\n  atomicMax(&m[0], v + 4u);\n  if (max(old, v) > 5u) {\n    atomicStore(&m[0], 5u);\n  }'],
  ] as [string, boolean, string, string?, number?][])('%s: a lost update %s', (_, lost, body, test = '>=', start = 5) => {
    const code = `@group(0) @binding(0) var<storage, read_write> m: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read> x: array<u32>;
fn raise(p: ptr<storage, atomic<u32>, read_write>, v: u32) -> u32 { return max(atomicMax(p, v), v); }
var<private> pv: u32;
var<workgroup> wm: atomic<u32>;
fn clampIn(v: ptr<function, u32>) {
  let old = atomicMax(&m[0], *v);
  *v = min(*v, 5u);
  if (max(old, *v) > 5u) { atomicStore(&m[0], 5u); }
}
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) l: u32) {
  ${body.replaceAll('CLAMP', `let cur = atomicLoad(&m[0]);\n  if (cur ${test} 5u) {\n    atomicStore(&m[0], 5u);\n  }`)}
}`;
    const t = traceCase([code], oneDispatch([{ words: 1, init: [start] }, { words: 4, init: [3, 1, 1, 9] }], 1));
    expect(t.skipped).toBeUndefined();
    expect(t.dispatches[0]!.races.some((r) => r.lostUpdate)).toBe(lost);
  });

  // Trial 203 A2: an i32 field of a struct, its order known from the max's result where its declaration is not followed;
  // trial 205 A2: from a compare-exchange's old_value, in the docs' saturating loop.
  test.each([
    ['each invocation\'s atomicMax, then its clamp', 'atomicMax(&acc.hi, x[l]);\n  let cur = atomicLoad(&acc.hi);\n  if (cur >= -2) {\n    atomicStore(&acc.hi, -2);\n  }'],
    ['a saturating compare-exchange loop', 'let v = min(x[l], -2);\n  var old = atomicLoad(&acc.hi);\n  loop {\n    if (old >= -2) {\n      atomicStore(&acc.hi, -2);\n      break;\n    }\n    if (old >= v) { break; }\n    let r = atomicCompareExchangeWeak(&acc.hi, old, v);\n    if (r.exchanged) { break; }\n    old = r.old_value;\n  }'],
  ])('%s on an i32 field of a struct with a negative cap: no lost update', (_, body) => {
    const code = `struct Acc { hi: atomic<i32>, count: atomic<u32> }
var<workgroup> acc: Acc;
@group(0) @binding(0) var<storage, read_write> y: array<i32>;
@group(0) @binding(1) var<storage, read> x: array<i32>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) l: u32) {
  if (l == 0u) { atomicStore(&acc.hi, -100); }
  workgroupBarrier();
  ${body}
  workgroupBarrier();
  if (l == 0u) { y[0] = atomicLoad(&acc.hi); }
}`;
    const t = traceCase([code], oneDispatch([{ words: 1, type: 'i32' }, { words: 4, type: 'i32', init: [-1, -5, -3, -1] }], 1));
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[0]!, 'i32')).toEqual([-2]);
    expect(t.dispatches[0]!.races.filter((r) => r.lostUpdate)).toEqual([]);
  });

  // Trial 186 A2 and 188 A1: a later workgroup's atomicMax that the stored value does not hold is erased by it, in
  // the schedule where it lands between the failed exchange and the store (a max is held only where u32 and i32 agree);
  // one the stored value holds is not; and one made before the failed read is one that read saw, not taken.
  test.each([
    ['a store of max(old_value, 3) below a later atomicMax to 7: lost', 'atomicStore(&y[0], max(r.old_value, 3));', 1, 7, true],
    ['a store of a loaded -3 below a later atomicMax to 7: lost', 'atomicStore(&y[0], caps[0]);', 1, 7, true],
    ['a store of a loaded 9 above a later atomicMax to 7: kept', 'atomicStore(&y[0], caps[1]);', 1, 7, false],
    ['a store of max(old_value, 3) after an earlier atomicMax to 7 only: not taken', 'atomicStore(&y[0], max(r.old_value, 3));', 7, -100, false],
  ])('%s', (_, fallback, first, last, lost) => {
    const code = `@group(0) @binding(0) var<storage, read_write> y: array<atomic<i32>>;
@group(0) @binding(1) var<storage, read> caps: array<i32>;
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) g: vec3u) {
  if (g.x == 0u) {
    atomicMax(&y[0], ${first});
    return;
  }
  if (g.x == 2u) {
    atomicMax(&y[0], ${last});
    return;
  }
  let r = atomicCompareExchangeWeak(&y[0], -2147483647 - 1, 3);
  if (!r.exchanged) {
    ${fallback}
  }
}`;
    const t = traceCase([code], oneDispatch([{ words: 1, type: 'i32', init: [-2147483648] }, { words: 2, type: 'i32', init: [-3, 9] }], 3));
    expect(t.skipped).toBeUndefined();
    expect(t.dispatches[0]!.races.some((r) => r.afterFailedExchange !== undefined)).toBe(lost);
  });

  test('a compare-exchange retried until it succeeds, in three workgroups: no lost update', () => {
    const t = traceCase([wgsl('compare-exchange-loop')], oneDispatch([{ words: 1 }], 3));
    expect(t.skipped).toBeUndefined();
    expect(t.dispatches[0]!.races.filter((r) => r.lostUpdate)).toEqual([]);
  });

  // Trial 125 A1: a store of a module-scope const was taken for one computed from a read, and failed no-data-race;
  // trial 128 A3: so were a var never set otherwise and a helper's parameter.
  test.each([['1u', false], ['HIT', false], ['ON', false], ['one', false], ['HIT | 1u', false], ['li | 1u', true], ['2u | HIT', false], ['2u', true],
    ['same', false], ['changed', true], ['twice', true]].flatMap(([v, lost]) => [[`atomicStore(&flag, ${v})`, lost], ...(v === 'HIT' || v === 'li | 1u' ? [[`put(${v})`, lost]] : [])]) as [string, boolean][])(
    '%s beside atomicOr(&flag, 1u): a lost update %s', (store, lost) => {
      const t = traceCase([wgsl('flag-store-or').replace('    STORE;', `    ${store};`)], oneDispatch([{ words: 1 }]));
      expect(t.skipped).toBeUndefined();
      expect(t.dispatches[0]!.races.some((r) => r.lostUpdate)).toBe(lost);
    });

  test('a spin on a flag that an earlier workgroup set ends: only the first load of a word is early', () => {
    const t = traceCase([wgsl('spin-on-flag')], oneDispatch([{ words: 1 }, { words: 1 }], 2));
    expect(t.skipped).toBeUndefined();
    expect(view(t.outputs[1]!, 'u32')).toEqual([1]);
  });

  test('one invocation per element: no race between workgroups', () => {
    const t = traceCase([wgsl('while-loop')], oneDispatch([{ words: 8 }], 2));
    expect(t.dispatches[0]!.races).toEqual([]);
  });
});

describe('not supported: the construct and its line, once, nothing on stderr', () => {
  test.each([
    ['f16', /^not supported on the interpreter: enable f16 .*, line 1$/],
    ['subgroups', /^not supported on the interpreter: enable subgroups .*, line 1$/],
    // WGSL gives any f32 there; the interpreter would read past the value's end.
    ['array-value-past-end', /^not supported on the interpreter: an index out of range of a value no variable holds \(index [23] is past the end of an array<f32, 2>.*, line 4 \(met while the case ran\)$/],
  ])('%s', (name, reason) => {
    const err = vi.spyOn(console, 'error');
    const t = traceCase([wgsl(name)], oneDispatch([{ words: 4 }]));
    expect(t.skipped).toMatch(reason);
    expect(err).not.toHaveBeenCalled();
    err.mockRestore();
  });

  test("what wgsl_reflect prints while running makes the case unsupported, with its message and line, counted", () => {
    // Upstream evaluates a call to an unknown builtin to null and prints once per invocation.
    const code = wgsl('private-per-invocation').replace('f32(lid.x) + 10.0', 'f32(lid.x) + fakeBuiltin(1.0)');
    const err = vi.spyOn(console, 'error');
    const t = traceCase([code], oneDispatch([{ words: 4, type: 'f32' }]));
    expect(t.skipped).toMatch(/^not supported on the interpreter: wgsl_reflect says "Unknown function "fakeBuiltin"".*, line 3 \(met while the case ran\)$/);
    expect(err).not.toHaveBeenCalled();
    err.mockRestore();
  });
});
