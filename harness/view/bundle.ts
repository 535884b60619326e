// Typed arrays over HTTP as bytes, not JSON: a 4M-element f32 buffer is 16 MiB on the wire and one copy to decode,
// where base64 in JSON is 22 MiB and a decoding loop, and a JSON array of numbers ~70 MiB and a parse. Node-free: the
// server encodes, the visualizer decodes.
//
// Layout (little-endian): "KSB1", u32 header length H, H bytes of UTF-8 JSON `{ meta, arrays: [{ name, type, offset,
// length }] }`, then the arrays' bytes, each at an offset (from the start of the bundle) that is a multiple of 8.
import { Float16Array } from '@petamoriken/float16';
import type { TypedArray } from '../spec.ts';

export type BundleArray = TypedArray | Float64Array;
type BundleType = 'f32' | 'u32' | 'i32' | 'f16' | 'f64';
const BYTES: Record<BundleType, number> = { f32: 4, u32: 4, i32: 4, f16: 2, f64: 8 };
const MAGIC = 0x3142534b; // "KSB1"

export const BUNDLE_MIME = 'application/x-kernelscope-bundle';

function typeOf(a: BundleArray): BundleType {
  return a instanceof Float32Array ? 'f32' : a instanceof Uint32Array ? 'u32' : a instanceof Int32Array ? 'i32' : a instanceof Float64Array ? 'f64' : 'f16';
}

export function encodeBundle(meta: unknown, arrays: Record<string, BundleArray>): Uint8Array {
  const entries = Object.entries(arrays);
  // Offsets depend on the header's length, which depends on the offsets' digits: lay out after a header sized for
  // the largest offsets, padded with spaces.
  const layout = (base: number) => {
    let at = base;
    return entries.map(([name, a]) => {
      at = Math.ceil(at / 8) * 8;
      const e = { name, type: typeOf(a), offset: at, length: a.length };
      at += a.byteLength;
      return e;
    });
  };
  const probe = new TextEncoder().encode(JSON.stringify({ meta, arrays: layout(2 ** 40) })).length;
  const base = Math.ceil((8 + probe) / 8) * 8;
  // Padded in bytes, not in characters: a WGSL source in meta (Σ, −, ×) takes more UTF-8 bytes than characters.
  const header = new Uint8Array(base - 8).fill(0x20);
  header.set(new TextEncoder().encode(JSON.stringify({ meta, arrays: layout(base) })));
  const list = layout(base);
  const last = list[list.length - 1];
  const out = new Uint8Array(last ? last.offset + entries[entries.length - 1]![1].byteLength : base);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, header.length, true);
  out.set(header, 8);
  entries.forEach(([, a], i) => out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), list[i]!.offset));
  return out;
}

export interface Bundle<M = unknown> {
  meta: M;
  arrays: Record<string, BundleArray>;
}

/** Views into `buf` (no copies). Throws on anything that is not a bundle: a short or foreign body says so. */
export function decodeBundle<M = unknown>(buf: ArrayBuffer): Bundle<M> {
  if (buf.byteLength < 8 || new DataView(buf).getUint32(0, true) !== MAGIC) throw new Error('not a kernelscope array bundle (bad magic)');
  const n = new DataView(buf).getUint32(4, true);
  if (8 + n > buf.byteLength) throw new Error(`array bundle cut short: header of ${n} bytes, ${buf.byteLength} in all`);
  const head = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 8, n))) as { meta: M; arrays: { name: string; type: BundleType; offset: number; length: number }[] };
  const arrays: Record<string, BundleArray> = {};
  for (const a of head.arrays) {
    if (a.offset + a.length * BYTES[a.type] > buf.byteLength) throw new Error(`array bundle cut short: ${a.name} ends past the body`);
    arrays[a.name] = a.type === 'f32' ? new Float32Array(buf, a.offset, a.length) : a.type === 'u32' ? new Uint32Array(buf, a.offset, a.length)
      : a.type === 'i32' ? new Int32Array(buf, a.offset, a.length) : a.type === 'f64' ? new Float64Array(buf, a.offset, a.length)
      : new Float16Array(buf, a.offset, a.length) as unknown as TypedArray;
  }
  return { meta: head.meta, arrays };
}
