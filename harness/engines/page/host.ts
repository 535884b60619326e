// The harness page's script (bundled by esbuild, served on 127.0.0.1). Node drives it through Playwright: the page
// fetches each batch's bytes from the server and posts the result's bytes back, so nothing crosses as JSON numbers.
import type { EngineInfo } from '../engine.ts';
import { GpuHost } from './device.ts';

declare global {
  interface Window {
    kernelscope: {
      start(): Promise<EngineInfo>;
      run(id: number): Promise<void>;
    };
  }
}

const params = new URLSearchParams(location.search);
const host = new GpuHost(navigator.gpu, {
  backend: (params.get('backend') ?? 'chromium') as EngineInfo['backend'],
  version: params.get('version') ?? '',
  nudge: params.get('nudge') === '1',
  timeoutMs: Number(params.get('timeoutMs') ?? 30_000),
});

window.kernelscope = {
  start: () => host.start(),
  async run(id) {
    const got = await fetch(`/batch/${id}`);
    if (!got.ok) throw new Error(`batch ${id}: HTTP ${got.status}`);
    const result = await host.run(new Uint8Array(await got.arrayBuffer()));
    const sent = await fetch(`/result/${id}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: result as Uint8Array<ArrayBuffer> });
    if (!sent.ok) throw new Error(`result ${id}: HTTP ${sent.status}`);
  },
};
