// Dawn in this Node process, through the `webgpu` package. When no adapter is found (no GPU, lavapipe refused),
// retry with SwiftShader's Vulkan driver. Dawn's `null` backend is never used: its dispatches compute nothing.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create, globals } from 'webgpu';
import { DeviceError, executeBatch, type DispatchBatch } from '../gpu/batch.ts';
import { DeviceCache, deviceLimits } from '../gpu/device.ts';
import { adapterInfoOf, EngineUnavailable, featuresOf, limitsOf, type Engine, type EngineInfo } from './engine.ts';

/** Where Debian's chromium package puts SwiftShader's Vulkan ICD. */
export const DEBIAN_SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export function swiftShaderIcd(): string | undefined {
  const candidates = [process.env.KERNELSCOPE_VK_ICD, DEBIAN_SWIFTSHADER_ICD].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p));
}

let installedGlobals = false;

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

export interface DawnOptions {
  timeoutMs?: number;
}

export async function openDawn(options: DawnOptions = {}): Promise<Engine> {
  if (!installedGlobals) {
    Object.assign(globalThis, globals);
    installedGlobals = true;
  }
  // Mesa and the Vulkan loader complain on every start without it; it changes nothing else.
  process.env.XDG_RUNTIME_DIR ??= ensureRuntimeDir();

  let fallback: string | undefined;
  let adapter = await newInstance().requestAdapter();
  if (!adapter) {
    const icd = swiftShaderIcd();
    if (!icd) {
      throw new EngineUnavailable('dawn',
        `no WebGPU adapter, and no SwiftShader Vulkan driver at ${DEBIAN_SWIFTSHADER_ICD} or $KERNELSCOPE_VK_ICD ` +
        `(on Debian/Ubuntu: apt-get install chromium; elsewhere point KERNELSCOPE_VK_ICD at a vk_swiftshader_icd.json)`);
    }
    // The Vulkan loader reads this when Dawn creates its instance, so setting it here is enough.
    process.env.VK_ICD_FILENAMES = icd;
    fallback = `SwiftShader Vulkan (VK_ICD_FILENAMES=${icd})`;
    adapter = await newInstance().requestAdapter();
    if (!adapter) throw new EngineUnavailable('dawn', `no WebGPU adapter, even with SwiftShader (${icd})`);
  }
  const info = adapterInfoOf(adapter);
  if (/null/i.test(info.description) && !info.vendor) {
    throw new EngineUnavailable('dawn', `Dawn offered its null backend (${info.description}), which computes nothing`);
  }
  // Devices get WebGPU's default limits and no optional feature unless a kernel asks (harness/gpu/device.ts):
  // what a stock browser page gets, so a kernel that passes here does not rely on this adapter's generosity.
  const devices = new DeviceCache(() => newInstance().requestAdapter(), adapter);
  const first = await devices.get();
  const engineInfo: EngineInfo = {
    backend: 'dawn',
    status: 'ok',
    adapter: info,
    limits: limitsOf(adapter),
    features: featuresOf(adapter),
    deviceLimits: deviceLimits(first),
    version: `webgpu@${packageVersion()}`,
    ...(fallback ? { fallback } : {}),
  };
  return new DawnEngine(devices, engineInfo, options);
}

class DawnEngine implements Engine {
  readonly id = 'dawn' as const;
  private uncaptured: string[] = [];

  /** The device of the batch running now or last: the one recover() replaces. */
  private device: GPUDevice | undefined;

  constructor(private devices: DeviceCache, readonly info: EngineInfo, private options: DawnOptions) {}

  /** Devices whose queue never finished (a kernel that does not end). Destroying one waits for its queue forever,
   *  so they are left alone: the hung shader keeps one SwiftShader thread, the run goes on with a fresh device. */
  private hung = new Set<GPUDevice>();

  async execute(batch: DispatchBatch) {
    this.uncaptured = [];
    const device = await this.devices.get(batch.requires);
    device.onuncapturederror = (e) => this.uncaptured.push(e.error.message);
    this.device = device;
    let result;
    try {
      result = await executeBatch(device, batch, { timeoutMs: this.options.timeoutMs });
    } catch (e) {
      if (e instanceof DeviceError && e.kind === 'timeout') this.hung.add(device);
      throw e;
    }
    // executeBatch's error scopes catch what it does; anything else the device reported still voids the batch.
    if (this.uncaptured.length) throw new DeviceError(this.uncaptured.join('; '), 'validation');
    return result;
  }

  async recover() {
    const device = this.device;
    if (!device) return;
    if (!this.hung.has(device)) {
      try {
        device.destroy();
      } catch {
        /* already gone */
      }
    }
    // The cache opens a replacement (from a fresh adapter: an adapter hands out one device) on the next batch.
    this.devices.forget(device);
    this.device = undefined;
  }

  async close() {
    for (const d of this.devices.all()) if (!this.hung.has(d)) d.destroy();
  }
}

function ensureRuntimeDir(): string {
  const dir = `/tmp/kernelscope-runtime-${process.getuid?.() ?? 'user'}`;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function packageVersion(): string {
  try {
    const req = createRequire(import.meta.url);
    const path = req.resolve('webgpu/package.json');
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

