// What the runner needs from a WebGPU engine: run a batch, say what adapter it is, shut down.
import type { BatchResult, DispatchBatch } from '../gpu/batch.ts';
import { unmetRequirements, type DeviceRequirements } from '../gpu/device.ts';

export const BACKENDS = ['dawn', 'chromium', 'firefox', 'deno', 'interpreter'] as const;
export type BackendId = (typeof BACKENDS)[number];

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** GPUAdapterInfo's subgroup sizes, where the host gives them (Dawn: 4 and 4 on SwiftShader): a kernel that
   *  assumes 32 lanes fails there, and the size is said beside the result (notes.device). */
  subgroupMinSize?: number;
  subgroupMaxSize?: number;
}

/** One engine's entry in results.json (contract 2). */
export interface EngineInfo {
  backend: BackendId;
  status: 'ok' | 'unavailable';
  reason?: string;
  adapter?: AdapterInfo;
  /** The adapter's limits and optional features (what it could give). */
  limits?: Record<string, number>;
  features?: string[];
  /** The limits a device really gets here when a kernel asks for nothing: WebGPU's defaults (harness/gpu/device.ts).
   *  A kernel's `requires.limits` raise them for its own device only, recorded in its results' notes. */
  deviceLimits?: Record<string, number>;
  version?: string;
  /** How the adapter was found, e.g. "SwiftShader Vulkan via VK_ICD_FILENAMES=...". */
  fallback?: string;
}

export interface Engine {
  readonly id: BackendId;
  readonly info: EngineInfo;
  /** Runs a batch. Rejects with CompileError or DeviceError (harness/gpu/batch.ts) for what the engine refuses. */
  execute(batch: DispatchBatch): Promise<BatchResult>;
  /** How this engine runs a case with every storage and workgroup access checked (no-out-of-bounds, no-data-race);
   *  absent: see accessCheckingOf. */
  readonly accessChecking?: AccessChecking;
  /** After a DeviceError of kind 'lost' or 'timeout': get a fresh device (or process) so the run can go on. */
  recover?(): Promise<void>;
  close(): Promise<void>;
}

/** 'interpreter': the interpreter sees every access as it runs the case (harness/engines/interpreter/);
 *  'instrumented': the engine runs the WGSL rewritten to check its own accesses (harness/trace/sanitize.ts). */
export type AccessChecking = 'interpreter' | 'instrumented';

export const accessCheckingOf = (e: Engine): AccessChecking => e.accessChecking ?? (e.id === 'interpreter' ? 'interpreter' : 'instrumented');

/**
 * The message of a batch whose engine died under it (a crash, a kill, a close from outside), and whether a fresh one
 * was started for what runs next (`relaunch` is the error of a relaunch that failed). The runner puts the kernel's
 * file in front, and "<file>: chromium went away" read as a fault of the WGSL: this says it was the engine, and how
 * it ended where that is known (`how`). The property in flight gets it as its error, never a silent retry: a kernel
 * that crashes its engine now and then must not look clean.
 */
export function engineDiedMessage(how: string, relaunch?: Error): string {
  const next = relaunch ? `it could not be relaunched (${relaunch.message.split('\n')[0]})` : 'relaunched for the next property';
  return `the engine died while running this kernel: ${how}; ${next}`;
}

/** An engine could not start: the run reports it `unavailable` with this reason and never counts it as a pass. */
export class EngineUnavailable extends Error {
  constructor(readonly backend: BackendId, reason: string) {
    super(reason);
    this.name = 'EngineUnavailable';
  }
}

export function adapterInfoOf(adapter: GPUAdapter): AdapterInfo {
  const i = adapter.info as (GPUAdapterInfo & { subgroupMinSize?: number; subgroupMaxSize?: number }) | undefined;
  const sizes = typeof i?.subgroupMinSize === 'number' && typeof i.subgroupMaxSize === 'number' && i.subgroupMaxSize > 0
    ? { subgroupMinSize: i.subgroupMinSize, subgroupMaxSize: i.subgroupMaxSize } : {};
  return { vendor: i?.vendor ?? '', architecture: i?.architecture ?? '', device: i?.device ?? '', description: i?.description ?? '', ...sizes };
}

export function limitsOf(adapter: GPUAdapter): Record<string, number> {
  const out: Record<string, number> = {};
  // GPUSupportedLimits exposes its values as prototype getters: a for-in walks them.
  for (const key in adapter.limits) {
    const v = (adapter.limits as unknown as Record<string, unknown>)[key];
    if (typeof v === 'number') out[key] = v;
  }
  return out;
}

export function featuresOf(adapter: GPUAdapter): string[] {
  return [...adapter.features].map(String).sort();
}

/** Vendor ids as wgpu (Deno) reports them, in decimal: PCI ids, and Khronos's VkVendorId for vendors without one
 *  (Mesa's lavapipe is 0x10005, said "65541"). Only for display: the reports keep the adapter's own string. */
const VENDOR_IDS: Record<number, string> = {
  0x1002: 'AMD', 0x10de: 'NVIDIA', 0x8086: 'Intel', 0x13b5: 'Arm', 0x5143: 'Qualcomm', 0x106b: 'Apple', 0x1ae0: 'Google',
  0x10004: 'Codeplay', 0x10005: 'Mesa', 0x10006: 'PoCL',
};
const vendorName = (v: string) => (/^\d+$/.test(v) ? `${VENDOR_IDS[Number(v)] ?? 'vendor'} (vendor id 0x${Number(v).toString(16)})` : v);
/** The vendor as a word: a decimal vendor id as its vendor's name ("65541" as "Mesa"), or as `0x...` where unknown. */
export const vendorWord = (v: string) => (/^\d+$/.test(v) ? VENDOR_IDS[Number(v)] ?? `0x${Number(v).toString(16)}` : v);

/** What `needs` asks that `engine` lacks, in words ("needs feature shader-f16, which dawn's adapter (google ·
 *  swiftshader ...) does not have"), or undefined where it has all of it. The interpreter has no device: it grants any
 *  limit and checks dispatches against it. */
export function lackedBy(engine: Pick<Engine, 'id' | 'info'>, needs: DeviceRequirements): string | undefined {
  const unmet = unmetRequirements({ features: engine.info.features ?? [], limits: engine.id === 'interpreter' ? { ...needs.limits } : engine.info.limits ?? {} }, needs);
  if (!unmet.length) return undefined;
  return `needs ${unmet.join(', ')}, ${engine.id === 'interpreter' ? 'which the interpreter does not support' : `which ${engine.id}'s adapter (${describeAdapter(engine)}) does not have`}`;
}

/** The adapter an engine runs on, in words: vendor · architecture · description, and the fallback it fell back to. */
export function describeAdapter(engine: Pick<Engine, 'info'>): string {
  const a = engine.info.adapter;
  const name = a ? [a.vendor && vendorName(a.vendor), a.architecture, a.description].filter(Boolean).join(' · ') : 'adapter not disclosed';
  return engine.info.fallback ? `${name} (${engine.info.fallback})` : name;
}
