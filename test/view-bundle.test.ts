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

// Trial 93 A1: a helper module in a library's common/ folder, which its spec imported, was edited, and the page
// traced the old dispatch until a file in kernels/ was touched. A run's reports/ do not count.
describe("what a user library's page is rebuilt for", () => {
  it('any code or WGSL of the library, not run outputs or counterexamples', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, utimesSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { newestInLibrary } = await import('../harness/view/server.ts');
    const lib = mkdtempSync(join(tmpdir(), 'ks-newest-'));
    const at = (path: string, seconds: number) => {
      mkdirSync(join(lib, path, '..'), { recursive: true });
      writeFileSync(join(lib, path), '');
      utimesSync(join(lib, path), seconds, seconds);
    };
    at('kernels/k.kernel.ts', 1000);
    at('common/shape.ts', 2000);
    at('reports/latest/results.json', 3000);
    at('fixtures/counterexamples/k.json', 3000);
    at('notes.md', 3000);
    expect(newestInLibrary(lib)).toBe(2000 * 1000);
  });
});
