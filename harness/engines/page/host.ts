// The harness page's script (bundled by esbuild, served on 127.0.0.1). Node drives it through Playwright: the page
// fetches each batch's bytes from the server and posts the result's bytes back, so nothing crosses as JSON numbers.
import type { EngineInfo } from '../engine.ts';
import { GpuHost } from './device.ts';

/**
 * A batch or result travels inline, as base64 inside the Playwright call, when it is small, and as raw bytes over
 * HTTP when it is large. Measured here per round trip (12 KB in, 4 KB out): inline 8.7 ms (Chromium) and 8.6 ms
 * (Firefox); a GET and a POST 19 ms and 51 ms, a fixed cost per request that only pays off for large payloads.
 */
export const INLINE_LIMIT = 1 << 20;

export type Payload = { id: number } | { b64: string };

declare global {
  interface Window {
    kernelscope: {
      start(): Promise<EngineInfo>;
      run(batch: Payload): Promise<Payload>;
    };
    /** Exposed by the engine (browser.ts): told when a batch's work is submitted, where its watchdog starts. */
    kernelscopeSubmitted?: () => Promise<void>;
  }
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.byteLength; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// Runs only in the page (Node imports this module for its types and helpers).
if (typeof window !== 'undefined' && typeof location !== 'undefined') {
  const params = new URLSearchParams(location.search);
  const host = new GpuHost(navigator.gpu, {
    backend: (params.get('backend') ?? 'chromium') as EngineInfo['backend'],
    version: params.get('version') ?? '',
    nudge: params.get('nudge') === '1',
    timeoutMs: Number(params.get('timeoutMs') ?? 30_000),
  });

  window.kernelscope = {
    start: () => host.start(),
    async run(batch) {
      let bytes: Uint8Array;
      if ('b64' in batch) bytes = fromBase64(batch.b64);
      else {
        const got = await fetch(`/batch/${batch.id}`);
        if (!got.ok) throw new Error(`batch ${batch.id}: HTTP ${got.status}`);
        bytes = new Uint8Array(await got.arrayBuffer());
      }
      const result = await host.run(bytes, false, () => void window.kernelscopeSubmitted?.());
      if (result.byteLength <= INLINE_LIMIT) return { b64: toBase64(result) };
      const id = 'id' in batch ? batch.id : -Date.now();
      const sent = await fetch(`/result/${id}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: result as Uint8Array<ArrayBuffer> });
      if (!sent.ok) throw new Error(`result ${id}: HTTP ${sent.status}`);
      return { id };
    },
  };
}
