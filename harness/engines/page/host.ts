// The harness page's script (bundled by esbuild, served on 127.0.0.1). Node drives it through Playwright: the page
// fetches each batch's bytes from the server and posts the result's bytes back, so nothing crosses as JSON numbers.
import type { EngineInfo } from '../engine.ts';
import { GpuHost } from './device.ts';

/**
 * A batch or result travels inline, as base64 inside the Playwright call, when it is small, and as raw bytes over
 * HTTP when it is large: base64 through the browser's protocol costs per byte, a request costs per request. Measured
 * here, median of 5, one browser alone (2026-12-04), batch in (inline | GET) and result out (inline | POST):
 *   Chromium  64 KB: in 20 | 15 ms, out 17 | 24 ms;  256 KB: in 37 | 16, out 37 | 12;  4 MB: in 859 | 113, out 703 | 84
 *   Firefox   64 KB: in 16 | 52 ms, out 57 | 51 ms;  256 KB: in 44 | 52, out 42 | 57;  4 MB: in 670 | 96, out 501 | 157
 * (Firefox's every request waits about 50 ms.) So the limit is the browser's own.
 */
export const INLINE_LIMIT: Record<'chromium' | 'firefox', number> = { chromium: 64 << 10, firefox: 256 << 10 };

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
  const backend = (params.get('backend') ?? 'chromium') as 'chromium' | 'firefox';
  const limit = INLINE_LIMIT[backend];
  const host = new GpuHost(navigator.gpu, {
    backend,
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
      if (result.byteLength <= limit) return { b64: toBase64(result) };
      const id = 'id' in batch ? batch.id : -Date.now();
      // A Blob, not the bytes themselves: Chromium's DevTools protocol, which Playwright keeps on, copies a typed
      // array body into its request event, and a 4 MB result took 1.4 s to reach Node that way against 0.08 s.
      const body = new Blob([result as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
      const sent = await fetch(`/result/${id}`, { method: 'POST', body });
      if (!sent.ok) throw new Error(`result ${id}: HTTP ${sent.status}`);
      return { id };
    },
  };
}
