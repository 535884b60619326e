// Batches shared by the engine tests and bench/engines.ts: small, exact kernels whose right answer is known in JS.
import type { BatchCase, DispatchBatch } from '../harness/gpu/batch.ts';

export const ADD = `@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  if (g.x < arrayLength(&c)) { c[g.x] = a[g.x] + b[g.x]; }
}`;

/** Two stages sharing a uniform: t = a * scale, then c = t + offset (one case, two dispatches, no readback between). */
export const SCALE_SHIFT = `struct Params { scale: f32, offset: f32, n: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> t: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@compute @workgroup_size(32)
fn scale(@builtin(global_invocation_id) g: vec3u) {
  if (g.x < p.n) { t[g.x] = a[g.x] * p.scale; }
}
@compute @workgroup_size(32)
fn shift(@builtin(global_invocation_id) g: vec3u) {
  if (g.x < p.n) { c[g.x] = t[g.x] + p.offset; }
}`;

/**
 * Integer mixing, a workgroup reduction with barriers, and f32 arithmetic on small integers: exact on every engine.
 * Values stay below 2^31: wgsl_reflect 1.6.0 gets u32 wrong above that (see U32_MIX).
 */
export const EXACT = `@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> h: array<u32>;
@group(0) @binding(2) var<storage, read_write> sums: array<f32>;
var<workgroup> tile: array<f32, 64>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wg: vec3u) {
  let v = x[g.x] & 0x7fffffffu;
  var m = (v & 32767u) * 40503u + (v >> 16u);
  m = m ^ (m >> 7u);
  h[g.x] = m + select(0u, 7u, (v & 1u) == 1u) + v % 13u;
  tile[li] = f32(v & 255u);
  workgroupBarrier();
  for (var s = 32u; s > 0u; s = s >> 1u) {
    if (li < s) { tile[li] = tile[li] + tile[li + s]; }
    workgroupBarrier();
  }
  if (li == 0u) { sums[wg.x] = tile[0]; }
}`;

/**
 * Full-range u32 arithmetic: a wrapping multiply and logical right shifts of values with the top bit set. The GPU
 * engines agree with each other and with JS's Math.imul and >>>; wgsl_reflect 1.6.0 does not (its u32 multiply loses
 * bits above 2^53 and its >> of a u32 >= 2^31 sign-extends), so the interpreter is left out of this one.
 */
export const U32_MIX = `@group(0) @binding(0) var<storage, read_write> h: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  var m = h[g.x] * 2654435761u;
  m = m ^ (m >> 15u);
  h[g.x] = (m << 3u) | (m >> 29u);
}`;

export function u32MixReference(x: Uint32Array): Uint32Array {
  return x.map((v) => {
    let m = Math.imul(v, 2654435761) >>> 0;
    m = (m ^ (m >>> 15)) >>> 0;
    return ((m << 3) | (m >>> 29)) >>> 0;
  });
}

export function u32MixBatch(n: number): { batch: DispatchBatch; x: Uint32Array } {
  let s = 99;
  const x = new Uint32Array(n).map(() => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0));
  return {
    batch: {
      shaders: [U32_MIX],
      cases: [{ buffers: [{ size: n * 4, kind: 'storage', data: bytes(x) }], dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [Math.ceil(n / 64), 1, 1] }], readback: [0] }],
    },
    x,
  };
}

export const SENTINEL = 0x7fc00bad;

const bytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function addCase(n: number, seed = 1): { case: BatchCase; expected: Float32Array } {
  const a = new Float32Array(n).map((_, i) => (i * 7 + seed) % 1000);
  const b = new Float32Array(n).map((_, i) => (i * 13 + seed * 3) % 777 - 300);
  const expected = a.map((v, i) => v + b[i]!);
  return {
    case: {
      buffers: [
        { size: n * 4, kind: 'storage', data: bytes(a) },
        { size: n * 4, kind: 'storage', data: bytes(b) },
        { size: n * 4, kind: 'storage', fill: SENTINEL },
      ],
      dispatches: [{ shader: 0, entry: 'main', bindings: [0, 1, 2].map((i) => ({ group: 0, binding: i, buffer: i })), workgroups: [Math.ceil(n / 64), 1, 1] }],
      readback: [2],
    },
    expected,
  };
}

export function addBatch(cases: number, n: number): { batch: DispatchBatch; expected: Float32Array[] } {
  const made = Array.from({ length: cases }, (_, i) => addCase(n, i + 1));
  return { batch: { shaders: [ADD], cases: made.map((m) => m.case) }, expected: made.map((m) => m.expected) };
}

export function scaleShiftBatch(n: number, scale: number, offset: number): { batch: DispatchBatch; t: Float32Array; c: Float32Array } {
  const a = new Float32Array(n).map((_, i) => i - 50);
  const params = new ArrayBuffer(16); // WGSL pads the uniform struct to 16 bytes
  new Float32Array(params, 0, 2).set([scale, offset]);
  new Uint32Array(params, 8, 1)[0] = n;
  const t = a.map((v) => Math.fround(v * scale));
  const c = t.map((v) => Math.fround(v + offset));
  // layout 'auto' holds only what each entry point uses: a binding it does not use is a validation error.
  const bind = (ids: number[]) => ids.map((i) => ({ group: 0, binding: i, buffer: i }));
  const groups: [number, number, number] = [Math.ceil(n / 32), 1, 1];
  return {
    batch: {
      shaders: [SCALE_SHIFT],
      cases: [{
        buffers: [
          { size: 16, kind: 'uniform', data: new Uint8Array(params) },
          { size: n * 4, kind: 'storage', data: bytes(a) },
          { size: n * 4, kind: 'storage', fill: SENTINEL },
          { size: n * 4, kind: 'storage', fill: SENTINEL },
        ],
        dispatches: [
          { shader: 0, entry: 'scale', bindings: bind([0, 1, 2]), workgroups: groups },
          { shader: 0, entry: 'shift', bindings: bind([0, 2, 3]), workgroups: groups },
        ],
        readback: [3, 2],
      }],
    },
    t,
    c,
  };
}

export function exactBatch(workgroups: number): DispatchBatch {
  const n = workgroups * 64;
  let s = 12345;
  const x = new Uint32Array(n).map(() => (s = (Math.imul(s, 1103515245) + 12345) >>> 0));
  return {
    shaders: [EXACT],
    cases: [{
      buffers: [
        { size: n * 4, kind: 'storage', data: bytes(x) },
        { size: n * 4, kind: 'storage', fill: SENTINEL },
        { size: workgroups * 4, kind: 'storage', fill: SENTINEL },
      ],
      dispatches: [{ shader: 0, entry: 'main', bindings: [0, 1, 2].map((i) => ({ group: 0, binding: i, buffer: i })), workgroups: [workgroups, 1, 1] }],
      readback: [1, 2],
    }],
  };
}

/** 8192 f32 of workgroup memory: 32 KiB, above WebGPU's default of 16 KiB and within SwiftShader's 32 KiB (so it needs
 *  a device with raised limits). SwiftShader took 14-18 s to open that device and compile it at load 5-10 here, and
 *  20 ms to run it: y[i] = 63 - i. */
export const WORKGROUP_32K: DispatchBatch = {
  shaders: [`var<workgroup> big: array<f32, 8192>;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) i: u32) {
  big[i * 128u] = f32(i);
  workgroupBarrier();
  y[i] = big[(63u - i) * 128u];
}`],
  cases: [{ buffers: [{ size: 256, kind: 'storage' }], dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1] }], readback: [0] }],
};
