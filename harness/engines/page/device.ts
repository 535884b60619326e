// The GPU side of every out-of-process host (a browser page, Deno): find an adapter, open a device with the adapter's
// own limits, describe it, and answer encoded batches with encoded results. Node-free: it is bundled into the page
// and into Deno's script, and it runs the very same executeBatch as Dawn in Node.
import { DeviceError, executeBatch, type ExecuteOptions } from '../../gpu/batch.ts';
import { decodeBatch, encodeResult } from '../../gpu/codec.ts';
import { adapterInfoOf, featuresOf, limitsOf, type AdapterInfo, type BackendId, type EngineInfo } from '../engine.ts';

/** The limits that decide which batches fit: asked for at the adapter's maximum, never at the spec's defaults. */
const WANTED_LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ', 'maxComputeWorkgroupsPerDimension', 'maxStorageBuffersPerShaderStage'] as const;

export interface HostOptions {
  backend: BackendId;
  version: string;
  /** Submit empty work while a map is pending: Firefox only completes GPU work on a ~100 ms poll otherwise. */
  nudge: boolean;
  timeoutMs?: number;
}

/**
 * Firefox empties adapter.info. The limits still tell the software adapters of this platform apart
 * (lavapipe allows 1024 invocations per workgroup, SwiftShader 256): say so, marked as a guess.
 */
export function describeAdapter(adapter: GPUAdapter): AdapterInfo {
  const info = adapterInfoOf(adapter);
  if (info.vendor || info.architecture || info.device || info.description) return info;
  const inv = adapter.limits.maxComputeInvocationsPerWorkgroup;
  const guess = inv === 1024 ? 'lavapipe (llvmpipe) by its limits' : inv === 256 ? 'SwiftShader by its limits' : 'unknown';
  return { ...info, description: `hidden by the host; maxComputeInvocationsPerWorkgroup=${inv}: ${guess}` };
}

export class GpuHost {
  private device: GPUDevice | undefined;

  constructor(private gpu: GPU | undefined, private opts: HostOptions) {}

  /** Opens the device and says what it is; a host with no WebGPU says why instead of throwing. */
  async start(): Promise<EngineInfo> {
    const { backend, version } = this.opts;
    if (!this.gpu) return { backend, status: 'unavailable', reason: `${backend} does not expose navigator.gpu (WebGPU disabled?)`, version };
    let adapter: GPUAdapter | null;
    try {
      adapter = await this.gpu.requestAdapter();
    } catch (e) {
      return { backend, status: 'unavailable', reason: `requestAdapter failed: ${(e as Error).message}`, version };
    }
    if (!adapter) return { backend, status: 'unavailable', reason: `${backend} exposes WebGPU but offers no adapter`, version };
    this.device = await openDevice(adapter);
    return { backend, status: 'ok', adapter: describeAdapter(adapter), limits: limitsOf(adapter), features: featuresOf(adapter), version };
  }

  /** Runs one encoded batch; every failure comes back encoded, so the caller sees the same error classes. */
  async run(bytes: Uint8Array): Promise<Uint8Array> {
    try {
      if (!this.device) {
        const adapter = await this.gpu!.requestAdapter();
        if (!adapter) throw new DeviceError('the adapter went away after a device loss', 'lost');
        this.device = await openDevice(adapter);
      }
      const device = this.device;
      const options: ExecuteOptions = { timeoutMs: this.opts.timeoutMs };
      if (!this.opts.nudge) return encodeResult(await executeBatch(device, decodeBatch(bytes), options));
      // Every wait of a batch sits on the poll, not only the map: compilation info and error scopes too.
      // So the nudge runs for the whole batch, not just around the map.
      let done = false;
      const nudging = (async () => {
        while (!done) {
          device.queue.submit([]);
          await new Promise((r) => setTimeout(r, 0));
        }
      })();
      try {
        return encodeResult(await executeBatch(device, decodeBatch(bytes), options));
      } finally {
        done = true;
        await nudging;
      }
    } catch (e) {
      // A lost or hung device is dropped: the next batch gets a fresh one instead of failing the same way.
      if (e instanceof DeviceError && (e.kind === 'lost' || e.kind === 'timeout')) {
        try {
          this.device?.destroy();
        } catch {
          /* already gone */
        }
        this.device = undefined;
      }
      return encodeResult(e instanceof Error ? e : new Error(String(e)));
    }
  }
}

async function openDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const requiredLimits: Record<string, number> = {};
  for (const k of WANTED_LIMITS) {
    const v = adapter.limits[k];
    if (typeof v === 'number') requiredLimits[k] = v;
  }
  return adapter.requestDevice({ requiredLimits });
}
