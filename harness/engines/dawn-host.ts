// Dawn (the npm `webgpu` package) in a Node child process, bundled by esbuild like Deno's host and spoken to over
// the same protocol (process-engine.ts): a first frame with EngineInfo JSON, then one result frame per batch frame,
// in order. Out of process because a kernel that never ends cannot be stopped in-process: SwiftShader's threads keep
// spinning on it, and every later batch of that process, on a fresh device too, timed out behind it (seen here).
// Killing this process is what ends them.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { createRequire } from 'node:module';
import { create, globals } from 'webgpu';
import { frame, FrameReader, SUBMITTED_FRAME } from '../gpu/codec.ts';
import type { EngineInfo } from './engine.ts';
import { GpuHost } from './page/device.ts';

/** Where Debian's chromium package puts SwiftShader's Vulkan ICD. */
const DEBIAN_SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Every GPU instance ever created stays referenced here. An instance that the garbage collector takes while its
 * adapter and device live on leaves Dawn's event processing reading freed memory: the process dies in
 * CallbackTaskManager::Flush (segfault, futex or mutex aborts) a few submits later. Found from a core dump here.
 */
const instances: GPU[] = [];
function newInstance(): GPU {
  const gpu = create([]);
  instances.push(gpu);
  return gpu;
}

const unavailable = (reason: string): EngineInfo => ({ backend: 'dawn', status: 'unavailable', reason });

/** The instance whose adapter is a real one: the system's, else SwiftShader's Vulkan driver. */
async function findGpu(): Promise<{ gpu: GPU; fallback?: string } | EngineInfo> {
  let gpu = newInstance();
  if (await gpu.requestAdapter()) return { gpu };
  const icd = [process.env.KERNELSCOPE_VK_ICD, DEBIAN_SWIFTSHADER_ICD].find((p) => p && existsSync(p));
  if (!icd) {
    return unavailable(`no WebGPU adapter, and no SwiftShader Vulkan driver at ${DEBIAN_SWIFTSHADER_ICD} or $KERNELSCOPE_VK_ICD ` +
      `(on Debian/Ubuntu: apt-get install chromium; elsewhere point KERNELSCOPE_VK_ICD at a vk_swiftshader_icd.json)`);
  }
  // The Vulkan loader reads this when Dawn creates its instance, so setting it here is enough.
  process.env.VK_ICD_FILENAMES = icd;
  gpu = newInstance();
  if (!(await gpu.requestAdapter())) return unavailable(`no WebGPU adapter, even with SwiftShader (${icd})`);
  return { gpu, fallback: `SwiftShader Vulkan (VK_ICD_FILENAMES=${icd})` };
}

function packageVersion(): string {
  try {
    const path = createRequire(import.meta.url).resolve('webgpu/package.json');
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function hello(): Promise<{ info: EngineInfo; host?: GpuHost }> {
  Object.assign(globalThis, globals);
  // Mesa and the Vulkan loader complain on every start without it; it changes nothing else.
  if (!process.env.XDG_RUNTIME_DIR) {
    const dir = `/tmp/kernelscope-runtime-${process.getuid?.() ?? 'user'}`;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  }
  const found = await findGpu();
  if (!('gpu' in found)) return { info: found };
  // GpuHost opens the device (one call: page/device.ts's openDevice, the same as the page's and Deno's) and runs
  // batches with no timeout of its own: the parent owns the watchdog and kills this process when it fires.
  const host = new GpuHost(found.gpu, { backend: 'dawn', version: `webgpu@${packageVersion()}`, nudge: false, timeoutMs: 2 ** 31 - 1 });
  const info = await host.start();
  if (info.status === 'ok' && /null/i.test(info.adapter?.description ?? '') && !info.adapter?.vendor) {
    return { info: unavailable(`Dawn offered its null backend (${info.adapter?.description}), which computes nothing`) };
  }
  return { info: found.fallback && info.status === 'ok' ? { ...info, fallback: found.fallback } : info, host };
}

// Frames go out on fd 3, not stdout: Dawn prints shader compilation warnings to stdout from native code, which
// would land in the middle of a frame (process-engine.ts: framesOnFd3).
const out = new Socket({ fd: 3, readable: false, writable: true });
const send = (bytes: Uint8Array) => new Promise<void>((resolve) => out.write(bytes, () => resolve()));
const { info, host } = await hello();
await send(frame(new TextEncoder().encode(JSON.stringify(info))));
if (!host) process.exit(0);

// Batches are answered one at a time, in order: ProcessEngine matches replies to requests by position.
const reader = new FrameReader();
let queue = Promise.resolve();
process.stdin.on('data', (chunk: Buffer) => {
  for (const f of reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
    queue = queue.then(async () => {
      await send(await host.run(f, true, () => void send(SUBMITTED_FRAME)));
    });
  }
});
// A device keeps Node's loop alive: leave when the parent closes our input, at once, since it reads no more replies.
// Waiting for the queue first left this process spinning on a hung dispatch, at 100-150% CPU with no parent, after
// a CI timeout's SIGTERM to the run (trial 57 B2).
process.stdin.on('end', () => process.exit(0));
