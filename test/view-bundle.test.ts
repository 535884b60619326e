// The view server's binary format for typed arrays (harness/view/bundle.ts): every type back bit for bit, each array
// 8-byte aligned, and a body that is not a bundle or is cut short refused with a message.
import { Float16Array } from '@petamoriken/float16';
import { describe, expect, it } from 'vitest';
import { decodeBundle, encodeBundle } from '../harness/view/bundle.ts';

const bits = (a: ArrayBufferView) => [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)];

describe('array bundle', () => {
  it('carries meta and f32, u32, i32, f16 and f64 arrays back bit for bit, 8-byte aligned', () => {
    const arrays = {
      'a/0/x': Float32Array.of(1.5, -0, NaN, 3e38),
      u: Uint32Array.of(0, 0xffffffff, 7),
      i: Int32Array.of(-5),
      h: Float16Array.from([0.5, -2, 65504]) as unknown as Uint16Array,
      d: Float64Array.of(Math.PI, -Infinity),
      empty: new Float32Array(0),
    };
    const bytes = encodeBundle({ kernel: 'k', runs: [{ shape: { n: 4 } }] }, arrays as never);
    const b = decodeBundle<{ kernel: string }>(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(b.meta).toEqual({ kernel: 'k', runs: [{ shape: { n: 4 } }] });
    for (const [k, v] of Object.entries(arrays)) {
      expect(b.arrays[k]!.constructor.name, k).toBe(v.constructor.name);
      expect(bits(b.arrays[k]! as ArrayBufferView), k).toEqual(bits(v as ArrayBufferView));
      expect((b.arrays[k]! as ArrayBufferView).byteOffset % 8, k).toBe(0);
    }
  });

  it('a meta with characters of several UTF-8 bytes (a WGSL source with Σ, −, ×) keeps its arrays intact', () => {
    const meta = { wgslSource: '// y = exp(x − max) / Σ exp(x − max), rows × cols\n'.repeat(40) };
    const x = Float32Array.of(1, 2, 3);
    const bytes = encodeBundle(meta, { x });
    const b = decodeBundle<typeof meta>(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(b.meta).toEqual(meta);
    expect([...(b.arrays.x as Float32Array)]).toEqual([1, 2, 3]);
  });

  it('refuses a body that is not a bundle, or is cut short', () => {
    expect(() => decodeBundle(new TextEncoder().encode('{"error":"x"}').buffer as ArrayBuffer)).toThrow(/not a kernelscope array bundle/);
    const bytes = encodeBundle({}, { x: new Float32Array(1000) });
    expect(() => decodeBundle(bytes.buffer.slice(0, bytes.length - 4) as ArrayBuffer)).toThrow(/cut short: x ends past the body/);
  });
});
