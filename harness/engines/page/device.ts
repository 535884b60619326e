// The GPU side of every out-of-process host (a browser page, Deno): find an adapter, open devices with the features
// and limits each batch asks for (harness/gpu/device.ts), describe it, and answer encoded batches with encoded
// results. Node-free: it is bundled into the page and into Deno's script, and it runs the very same executeBatch as
// Dawn in Node.
import { DeviceError, executeBatch, type ExecuteOptions } from '../../gpu/batch.ts';
import { decodeBatch, encodeResult } from '../../gpu/codec.ts';
import { DeviceCache, deviceLimits } from '../../gpu/device.ts';
import { adapterInfoOf, featuresOf, limitsOf, type AdapterInfo, type BackendId, type EngineInfo } from '../engine.ts';

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
  const guess = inv === 1024 ? 'probably lavapipe (llvmpipe)' : inv === 256 ? 'probably SwiftShader' : 'unknown';
  // One clause a reader takes in order (a trial read "hidden by the host; ...=1024: lavapipe ... by its limits" as garbled).
  return { ...info, description: `${guess}: the browser hides the adapter's name, and its maxComputeInvocationsPerWorkgroup is ${inv}` };
}

/** What an engine says of its adapter: described (a guess where the browser hides it), its limits and features. */
export function adapterFacts(adapter: GPUAdapter): Pick<EngineInfo, 'adapter' | 'limits' | 'features'> {
  return { adapter: describeAdapter(adapter), limits: limitsOf(adapter), features: featuresOf(adapter) };
}

export class GpuHost {
  private devices: DeviceCache | undefined;
  /** Why each device was lost, once its `lost` promise resolved: a batch whose map still completed on a device lost
   *  meanwhile reports the loss, never the bytes it read back. */
  private lost = new WeakMap<GPUDevice, string>();

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
    const described = adapterFacts(adapter);
    const gpu = this.gpu;
    this.devices = new DeviceCache(() => gpu.requestAdapter(), adapter);
    const first = await this.devices.get();
    return { backend, status: 'ok', ...described, deviceLimits: deviceLimits(first), version };
  }

  /** Runs one encoded batch; every failure comes back encoded, so the caller sees the same error classes. `framed`:
   *  the result carries its frame length in front, for a byte stream (codec.ts). `onSubmitted`: told when the work is
   *  submitted, for the caller's watchdog (ExecuteOptions.onSubmitted). */
  async run(bytes: Uint8Array, framed = false, onSubmitted?: () => void): Promise<Uint8Array> {
    let device: GPUDevice | undefined;
    try {
      const batch = decodeBatch(bytes);
      device = await this.devices!.get(batch.requires);
      this.watch(device);
      const options: ExecuteOptions = { timeoutMs: this.opts.timeoutMs, ...(onSubmitted ? { onSubmitted } : {}) };
      if (!this.opts.nudge) return encodeResult(this.unlessLost(device, await executeBatch(device, batch, options)), framed);
      // Every wait of a batch sits on the poll, not only the map: compilation info and error scopes too.
      // So the nudge runs for the whole batch, not just around the map.
      let done = false;
      const queue = device.queue;
      const nudging = (async () => {
        while (!done) {
          queue.submit([]);
          await new Promise((r) => setTimeout(r, 0));
        }
      })();
      try {
        return encodeResult(this.unlessLost(device, await executeBatch(device, batch, options)), framed);
      } finally {
        done = true;
        await nudging;
      }
    } catch (caught) {
      const e = asLost(caught, device && this.lost.get(device));
      // A lost or hung device is dropped: the next batch gets a fresh one instead of failing the same way.
      if (e instanceof DeviceError && (e.kind === 'lost' || e.kind === 'timeout')) {
        try {
          device?.destroy();
        } catch {
          /* already gone */
        }
        if (device) this.devices?.forget(device);
      }
      return encodeResult(e instanceof Error ? e : new Error(String(e)), framed);
    }
  }

  private watch(device: GPUDevice): void {
    if (this.lost.has(device)) return;
    this.lost.set(device, '');
    void device.lost.then((info) => this.lost.set(device, `device lost (${info.reason}): ${info.message}`));
  }

  private unlessLost<T>(device: GPUDevice, result: T): T {
    const why = this.lost.get(device);
    if (why) throw new DeviceError(why, 'lost');
    return result;
  }
}

/** Chromium's words when its GPU process died under a batch: the page's WebGPU instance is gone with it. */
const INSTANCE_GONE = /Instance dropped|valid external Instance reference no longer exists/;

/**
 * An error of a batch whose device was lost, or whose browser's GPU process died ("A valid external Instance reference
 * no longer exists" from mapAsync, "Instance dropped in popErrorScope"), as DeviceError 'lost': the engine then
 * starts a fresh browser for the next property. As plain errors each property after a killed GPU process was an error
 * of its own, with the browser's words, and the rest of the Chromium column was lost (trial 66 B1).
 */
function asLost(e: unknown, lostWhy: string | undefined): unknown {
  if (e instanceof DeviceError || !(e instanceof Error)) return e;
  const gone = INSTANCE_GONE.test(e.message) || INSTANCE_GONE.test(lostWhy ?? '');
  if (gone) return new DeviceError(`the browser's GPU process died (${[lostWhy, `${e.name}: ${e.message}`].filter(Boolean).join('; ')})`, 'lost');
  if (lostWhy) return new DeviceError(`${lostWhy} (${e.name}: ${e.message})`, 'lost');
  return e;
}
