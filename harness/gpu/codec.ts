// The batch protocol's wire format, shared by every host that runs executeBatch out of this process (a Dawn child
// process, Deno, a browser page). Binary: a JSON header for the structure, raw bytes for every buffer, so a batch of
// a million floats costs four megabytes, not a JSON array of numbers. Node-free.
import { CompileError, DeviceError, type BatchResult, type DispatchBatch, type ShaderDiagnostic } from './batch.ts';

type Blob = { at: number; len: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const pad4 = (n: number) => (n + 3) & ~3;

/** Layout: u32 header length, header JSON, padding to 4, then the blobs the header points into. `framed` puts the
 *  frame's u32 length in front (see frame()), so a message for a byte stream is built in one allocation. */
function pack(header: unknown, blobs: Uint8Array[], framed = false): Uint8Array {
  const json = encoder.encode(JSON.stringify(header));
  const base = framed ? 4 : 0;
  const start = pad4(4 + json.byteLength);
  let size = start;
  for (const b of blobs) size = pad4(size + b.byteLength);
  const out = new Uint8Array(base + size);
  const view = new DataView(out.buffer);
  if (framed) view.setUint32(0, size, true);
  view.setUint32(base, json.byteLength, true);
  out.set(json, base + 4);
  let at = base + start;
  for (const b of blobs) {
    out.set(b, at);
    at = pad4(at + b.byteLength);
  }
  return out;
}

function unpack<H>(bytes: Uint8Array): { header: H; body: (b: Blob) => Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = view.getUint32(0, true);
  const header = JSON.parse(decoder.decode(bytes.subarray(4, 4 + len))) as H;
  const start = pad4(4 + len);
  // Views, not copies: every blob is 4-byte aligned in the message, and a buffer's bytes are copied once on arrival.
  return { header, body: (b) => bytes.subarray(start + b.at, start + b.at + b.len) };
}

/** Lays blobs out in the order pack() will write them, returning each one's offset relative to the body. */
function blobTable() {
  const blobs: Uint8Array[] = [];
  let at = 0;
  return {
    blobs,
    add(b: Uint8Array): Blob {
      const ref = { at, len: b.byteLength };
      blobs.push(b);
      at = pad4(at + b.byteLength);
      return ref;
    },
  };
}

/** `framed`: with frame()'s length in front, for a byte stream. */
export function encodeBatch(batch: DispatchBatch, framed = false): Uint8Array {
  const t = blobTable();
  const header = {
    shaders: batch.shaders,
    ...(batch.requires ? { requires: batch.requires } : {}),
    cases: batch.cases.map((c) => ({
      ...c,
      buffers: c.buffers.map(({ data, ...rest }) => (data ? { ...rest, blob: t.add(data) } : rest)),
    })),
  };
  return pack(header, t.blobs, framed);
}

type WireBuffer = DispatchBatch['cases'][number]['buffers'][number] & { blob?: Blob };

export function decodeBatch(bytes: Uint8Array): DispatchBatch {
  const { header, body } = unpack<DispatchBatch>(bytes);
  for (const c of header.cases) {
    c.buffers = (c.buffers as WireBuffer[]).map(({ blob, ...rest }) => (blob ? { ...rest, data: body(blob) } : rest));
  }
  return header;
}

type WireError =
  | { name: 'CompileError'; diagnostics: ShaderDiagnostic[] }
  | { name: 'DeviceError'; message: string; kind: DeviceError['kind'] }
  | { name: string; message: string; stack?: string };

/** `framed`: with frame()'s length in front, for a byte stream. */
export function encodeResult(result: BatchResult | Error, framed = false): Uint8Array {
  if (result instanceof Error) {
    const error: WireError = result instanceof CompileError
      ? { name: 'CompileError', diagnostics: result.diagnostics }
      : result instanceof DeviceError
        ? { name: 'DeviceError', message: result.message, kind: result.kind }
        : { name: result.name, message: result.message, stack: result.stack };
    return pack({ error }, [], framed);
  }
  const t = blobTable();
  const outputs = result.outputs.map((c) => c.map((o) => t.add(o)));
  return pack({ gpuMs: result.gpuMs, outputs, ...(result.skipped ? { skipped: result.skipped } : {}),
    ...(result.diagnostics ? { diagnostics: result.diagnostics } : {}) }, t.blobs, framed);
}

/** Decodes a result; an error the host caught is rethrown here as the same class. */
export function decodeResult(bytes: Uint8Array): BatchResult {
  const { header, body } = unpack<{ error?: WireError; gpuMs: number; outputs: Blob[][]; skipped?: (string | undefined)[]; diagnostics?: ShaderDiagnostic[] }>(bytes);
  const e = header.error;
  if (e) {
    if (e.name === 'CompileError' && 'diagnostics' in e) throw new CompileError(e.diagnostics);
    if (e.name === 'DeviceError' && 'kind' in e) throw new DeviceError(e.message, e.kind);
    const err = new Error('message' in e ? e.message : 'unknown error');
    err.name = e.name;
    if ('stack' in e && e.stack) err.stack = e.stack;
    throw err;
  }
  // Each output gets an ArrayBuffer of its own, as every engine's BatchResult does: readers view `output.buffer`
  // whole (a view into the frame would show them its header).
  return { gpuMs: header.gpuMs, outputs: header.outputs.map((c) => c.map((b) => body(b).slice())), ...(header.skipped ? { skipped: header.skipped } : {}),
    ...(header.diagnostics ? { diagnostics: header.diagnostics } : {}) };
}

/** A frame on a byte stream: u32 length, then the bytes. */
/** The frame a process host sends when a batch's work is submitted, before its result (ExecuteOptions.onSubmitted):
 *  empty, which no result frame is. */
export const SUBMITTED_FRAME = new Uint8Array(4);

export function frame(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.byteLength);
  new DataView(out.buffer).setUint32(0, bytes.byteLength, true);
  out.set(bytes, 4);
  return out;
}

/** Splits a stream of chunks into frames. Each frame's bytes are copied once, into a buffer of its own. */
export class FrameReader {
  private head = new Uint8Array(4);
  private headLength = 0;
  private body: Uint8Array | undefined;
  private filled = 0;

  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let at = 0;
    while (at < chunk.byteLength) {
      if (!this.body) {
        const n = Math.min(4 - this.headLength, chunk.byteLength - at);
        this.head.set(chunk.subarray(at, at + n), this.headLength);
        this.headLength += n;
        at += n;
        if (this.headLength < 4) break;
        this.headLength = 0;
        this.body = new Uint8Array(new DataView(this.head.buffer).getUint32(0, true));
        this.filled = 0;
      }
      const n = Math.min(this.body.byteLength - this.filled, chunk.byteLength - at);
      this.body.set(chunk.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === this.body.byteLength) {
        frames.push(this.body);
        this.body = undefined;
      }
    }
    return frames;
  }
}
