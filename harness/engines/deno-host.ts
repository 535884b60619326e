// Runs inside Deno (`deno run --unstable-webgpu`), bundled by esbuild with batch.ts and codec.ts so Deno resolves no
// npm package. Speaks ProcessEngine's protocol on stdio: a first frame with EngineInfo JSON, then one result frame
// per batch frame, in order.
import { frame, FrameReader, SUBMITTED_FRAME } from '../gpu/codec.ts';
import { GpuHost } from './page/device.ts';

// Only what this file uses of Deno's global; the project type-checks against Node's and the DOM's types.
declare const Deno: {
  stdin: { readable: ReadableStream<Uint8Array> };
  stdout: { write(bytes: Uint8Array): Promise<number> };
  version: { deno: string; v8: string };
  env: { get(name: string): string | undefined };
  exit(code: number): never;
};

async function writeAllNow(bytes: Uint8Array) {
  for (let at = 0; at < bytes.byteLength;) at += await Deno.stdout.write(bytes.subarray(at));
}
// Writes go one after another: the submitted marker is written from inside a batch, before its result.
let writing = Promise.resolve();
const writeAll = (bytes: Uint8Array) => (writing = writing.then(() => writeAllNow(bytes)));

const host = new GpuHost(navigator.gpu, {
  backend: 'deno',
  version: `deno ${Deno.version.deno} (v8 ${Deno.version.v8})`,
  nudge: false,
  timeoutMs: Number(Deno.env.get('KERNELSCOPE_TIMEOUT_MS') ?? 30_000),
});
await writeAll(frame(new TextEncoder().encode(JSON.stringify(await host.start()))));

const reader = new FrameReader();
// Batches are answered one at a time, in order: ProcessEngine matches replies to requests by position.
// Input is read while a batch runs, so that the parent's closing it ends this process at once, even in a batch that
// hangs: it reads no more replies (trial 57 B2: a host waiting for a hung dispatch outlived a killed run).
const input = Deno.stdin.readable.getReader();
let queue = Promise.resolve();
for (;;) {
  const { value, done } = await input.read();
  if (done) break;
  for (const f of reader.push(value)) queue = queue.then(async () => writeAll(await host.run(f, true, () => void writeAll(SUBMITTED_FRAME))));
}
Deno.exit(0);
