// Device acquisition for every host (Dawn in Node, a browser page, Deno): one device per set of requirements, each
// with exactly the features and limits asked for, as a stock browser page gets them. Node-free.
import type { DeviceRequirements } from '../spec.ts';

export type { DeviceRequirements };

/**
 * WGSL `enable` extensions and the WebGPU feature each needs (WGSL §4.1.1 "Enable Extensions"; WebGPU §24
 * "Feature Index"). An extension not listed here goes to the compiler as written, whose message names it.
 */
export const EXTENSION_FEATURES: Readonly<Record<string, string>> = {
  f16: 'shader-f16',
  subgroups: 'subgroups',
  clip_distances: 'clip-distances',
  dual_source_blending: 'dual-source-blending',
  primitive_index: 'primitive-index',
};

/** The same requirements in one canonical form: features deduplicated and sorted, limits by sorted name. */
export function normalizeRequirements(r: DeviceRequirements = {}): Required<DeviceRequirements> {
  const features = [...new Set(r.features ?? [])].sort();
  const limits: Record<string, number> = {};
  for (const k of Object.keys(r.limits ?? {}).sort()) limits[k] = r.limits![k]!;
  return { features, limits };
}

/** A key that two equal sets of requirements share: the device cache's key. */
export function requirementsKey(r: DeviceRequirements = {}): string {
  const n = normalizeRequirements(r);
  return JSON.stringify([n.features, Object.entries(n.limits)]);
}

/** Merges the requirements of several kernels or stages. A limit takes the largest value asked for ("max" limits);
 *  the two "min" alignment limits take the smallest. */
export function mergeRequirements(...rs: (DeviceRequirements | undefined)[]): DeviceRequirements {
  const features = new Set<string>();
  const limits: Record<string, number> = {};
  for (const r of rs) {
    for (const f of r?.features ?? []) features.add(f);
    for (const [k, v] of Object.entries(r?.limits ?? {})) {
      const isMin = k.startsWith('min');
      limits[k] = limits[k] === undefined ? v : isMin ? Math.min(limits[k]!, v) : Math.max(limits[k]!, v);
    }
  }
  return normalizeRequirements({ features: [...features], limits });
}

/**
 * What an adapter lacks of the requirements, in words ("feature shader-f16", "limit maxComputeWorkgroupStorageSize
 * = 65536 (the adapter allows 32768)"); empty when it has them all. `limits` are the adapter's.
 */
export function unmetRequirements(adapter: { features?: Iterable<string>; limits?: Record<string, number> }, r: DeviceRequirements = {}): string[] {
  const has = new Set(adapter.features ?? []);
  const out: string[] = [];
  for (const f of r.features ?? []) if (!has.has(f)) out.push(`feature ${f}`);
  for (const [k, v] of Object.entries(r.limits ?? {})) {
    const a = adapter.limits?.[k];
    const ok = a !== undefined && (k.startsWith('min') ? a <= v : a >= v);
    if (!ok) out.push(`limit ${k} = ${v} (the adapter ${a === undefined ? 'does not report it' : `allows ${a}`})`);
  }
  return out;
}

/** The device was not granted: the adapter lacks what was asked for (or refused it). */
export class RequirementsUnmet extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequirementsUnmet';
  }
}

/** Opens a device with exactly these features and limits (WebGPU's defaults for every limit not named). */
export async function requestDevice(adapter: GPUAdapter, r: DeviceRequirements = {}): Promise<GPUDevice> {
  const unmet = unmetRequirements({ features: [...adapter.features].map(String), limits: adapter.limits as unknown as Record<string, number> }, r);
  if (unmet.length) throw new RequirementsUnmet(`the adapter lacks ${unmet.join(', ')}`);
  const n = normalizeRequirements(r);
  return adapter.requestDevice({ requiredFeatures: n.features as GPUFeatureName[], requiredLimits: n.limits });
}

/** The limits a device really got, for the report: every numeric field of device.limits. */
export function deviceLimits(device: GPUDevice): Record<string, number> {
  const out: Record<string, number> = {};
  // GPUSupportedLimits exposes its values as prototype getters: a for-in walks them.
  for (const key in device.limits) {
    const v = (device.limits as unknown as Record<string, unknown>)[key];
    if (typeof v === 'number') out[key] = v;
  }
  return out;
}

/**
 * One device per set of requirements. A WebGPU adapter hands out one device, so each new device comes from a
 * fresh adapter (`nextAdapter`); the first may reuse the adapter the host described. Devices dropped with
 * `forget` (lost, hung) are replaced on the next `get`.
 */
export class DeviceCache {
  private devices = new Map<string, GPUDevice>();
  private spare: GPUAdapter | undefined;

  constructor(private nextAdapter: () => Promise<GPUAdapter | null>, first?: GPUAdapter) {
    this.spare = first;
  }

  async get(r: DeviceRequirements = {}): Promise<GPUDevice> {
    const key = requirementsKey(r);
    const hit = this.devices.get(key);
    if (hit) return hit;
    const adapter = this.spare ?? (await this.nextAdapter());
    this.spare = undefined;
    if (!adapter) throw new RequirementsUnmet('no adapter for a new device (the adapter went away?)');
    const device = await requestDevice(adapter, r);
    this.devices.set(key, device);
    return device;
  }

  /** Drops a device (lost or hung) so the next `get` for its requirements opens a new one. */
  forget(device: GPUDevice): void {
    for (const [k, d] of this.devices) if (d === device) this.devices.delete(k);
  }

  /** Every device open now. */
  all(): GPUDevice[] {
    return [...this.devices.values()];
  }
}
