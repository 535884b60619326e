// The batch protocol's framing on a byte stream (Dawn's and Deno's hosts): frames arrive cut anywhere, several per
// chunk, empty ones included, and a framed message decodes to what was sent, its buffers 4-byte aligned.
import { describe, expect, it } from 'vitest';
import { decodeBatch, decodeResult, encodeBatch, encodeResult, frame, FrameReader } from '../harness/gpu/codec.ts';
import type { DispatchBatch } from '../harness/gpu/batch.ts';

const bytes = (n: number, k: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + k) & 0xff);

describe('FrameReader', () => {
  const messages = [bytes(0, 0), bytes(1, 1), bytes(7, 2), bytes(70_000, 3), bytes(4, 4)];
  const stream = new Uint8Array(messages.reduce((s, m) => s + 4 + m.byteLength, 0));
  let at = 0;
  for (const m of messages) {
    stream.set(frame(m), at);
    at += 4 + m.byteLength;
  }

  for (const cut of [1, 3, 4, 5, 4096, 65_536, stream.byteLength]) {
    it(`gives back every frame, whole and in order, from chunks of ${cut} bytes`, () => {
      const r = new FrameReader();
      const got: Uint8Array[] = [];
      for (let i = 0; i < stream.byteLength; i += cut) got.push(...r.push(stream.slice(i, i + cut)));
      expect(got).toEqual(messages);
    });
  }
});

describe('framed messages', () => {
  it('a framed batch and result decode to what was sent, every buffer at a 4-byte aligned offset', () => {
    const batch: DispatchBatch = {
      shaders: ['// wgsl'],
      cases: [{
        buffers: [{ size: 5, kind: 'storage', data: bytes(5, 9) }, { size: 12, kind: 'uniform', data: bytes(12, 1) }, { size: 8, kind: 'storage', fill: 7 }],
        dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1] }],
        readback: [0, 2],
      }],
    };
    const [f] = new FrameReader().push(encodeBatch(batch, true));
    expect(f).toEqual(encodeBatch(batch));
    const back = decodeBatch(f!);
    expect(back).toEqual(batch);
    for (const b of back.cases[0]!.buffers) if (b.data) expect(b.data.byteOffset % 4).toBe(0);

    const outputs = [[bytes(5, 2), bytes(8, 3)]];
    const [r] = new FrameReader().push(encodeResult({ outputs, gpuMs: 1.5 }, true));
    const result = decodeResult(r!);
    expect(result).toEqual({ outputs, gpuMs: 1.5 });
    for (const o of result.outputs[0]!) expect(o.byteOffset % 4).toBe(0);
  });
});
