// The device limits a WebGPU pipeline is validated against, checked by the interpreter as a GPU engine's device would:
// the interpreter has no device, and ran a stage with 11 storage buffers that every WebGPU device rejects under its
// default limits (a trial's: `ok` on the interpreter, a validation error on Dawn). The limits are WebGPU's defaults
// (WebGPU §3.6.2 "Limits", the "default" column), raised by what the kernel's `requires.limits` asks for: the
// interpreter grants any limit, as an adapter that has it would.
import type { BatchCase } from '../../gpu/batch.ts';
import { reflect } from '../../run/reflect.ts';
import { workgroupStorage } from './workgroup-storage.ts';

/** WebGPU's default limits that a compute pipeline or dispatch can pass (WebGPU §3.6.2, "Limits"). */
export const WEBGPU_DEFAULT_LIMITS = {
  maxBindGroups: 4,
  maxBindingsPerBindGroup: 1000,
  maxStorageBuffersPerShaderStage: 8,
  maxUniformBuffersPerShaderStage: 12,
  maxStorageBufferBindingSize: 134_217_728,
  maxUniformBufferBindingSize: 65_536,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupSizeZ: 64,
  maxComputeWorkgroupsPerDimension: 65_535,
  maxComputeWorkgroupStorageSize: 16_384,
} as const;

type LimitName = keyof typeof WEBGPU_DEFAULT_LIMITS;

/** A dispatch past a limit: what a GPU engine's validation rejects, said with the limit and what to ask for. */
export class LimitExceeded extends Error {
  override name = 'LimitExceeded';
  /** `also`: other limits the same thing passes (a @workgroup_size(1024) passes maxComputeWorkgroupSizeX and
   *  maxComputeInvocationsPerWorkgroup: asking for one alone still fails, as a trial found). */
  constructor(readonly limit: LimitName, readonly value: number, readonly allowed: number, what: string, also: [LimitName, number, number][] = []) {
    const all: [LimitName, number, number][] = [[limit, value, allowed], ...also];
    const defaults = all.every(([n, , a]) => a === WEBGPU_DEFAULT_LIMITS[n]);
    super(`${what}: ${all.map(([n, v, a]) => `${v} > ${n} = ${a}`).join(', and ')}, which a WebGPU device rejects (${defaults
      ? `WebGPU's default${all.length > 1 ? 's' : ''}; a spec whose adapters have more asks for ${all.length > 1 ? 'them' : 'it'}: requires: { limits: { ${all.map(([n, v]) => `${n}: ${v}`).join(', ')} } }`
      : "the spec's requires.limits"})`);
  }
}

/**
 * Throws LimitExceeded for the first limit a case's dispatch passes: its stage's storage and uniform buffers, the
 * groups and bindings they use, the bound buffers' sizes, its workgroup size, the workgroup memory its entry point
 * uses and its workgroup count. `codes` is each dispatch's module as the interpreter runs it (override-sized workgroup
 * arrays written with their counts: override-counts.ts), `sizes` each dispatch's workgroup size as it resolved it.
 */
export function checkLimits(codes: string[], c: BatchCase, sizes: [number, number, number][], requested: Record<string, number> = {}): void {
  const limit = (name: LimitName) => Math.max(WEBGPU_DEFAULT_LIMITS[name], requested[name] ?? 0);
  const over = (name: LimitName, value: number, what: string) => {
    if (value > limit(name)) throw new LimitExceeded(name, value, limit(name), what);
  };
  c.dispatches.forEach((d, i) => {
    const mod = reflect(codes[i]!);
    const used = mod.entries.get(d.entry)?.resources ?? new Set<string>();
    const bindings = [...mod.bindings.values()].filter((b) => used.has(b.name));
    const stage = `the compute stage '${d.entry}'`;
    for (const [name, kind] of [['maxStorageBuffersPerShaderStage', 'storage'], ['maxUniformBuffersPerShaderStage', 'uniform']] as const) {
      const n = bindings.filter((b) => b.kind === kind).length;
      over(name, n, `${stage} uses ${n} ${kind} buffers`);
    }
    for (const b of bindings) {
      over('maxBindGroups', b.group + 1, `'${b.name}' is in @group(${b.group})`);
      over('maxBindingsPerBindGroup', b.binding + 1, `'${b.name}' is @binding(${b.binding})`);
    }
    for (const b of d.bindings) {
      const buf = c.buffers[b.buffer]!;
      if (buf.kind === 'uniform') over('maxUniformBufferBindingSize', buf.size, `a uniform buffer of ${buf.size} bytes at @group(${b.group}) @binding(${b.binding})`);
      else over('maxStorageBufferBindingSize', buf.size, `a storage buffer of ${buf.size} bytes at @group(${b.group}) @binding(${b.binding})`);
    }
    checkWorkgroupSize(sizes[i]!, d.entry, requested);
    checkWorkgroupStorage(codes[i]!, d.entry, requested);
    d.workgroups.forEach((n, k) => over('maxComputeWorkgroupsPerDimension', n, `dispatch ${i} of ${n} workgroups along ${'xyz'[k]}`));
  });
}

/** Throws LimitExceeded when a workgroup size (overrides applied) passes the size or invocation limits. */
export function checkWorkgroupSize([x, y, z]: [number, number, number], entry: string, requested: Record<string, number> = {}): void {
  const limit = (name: LimitName) => Math.max(WEBGPU_DEFAULT_LIMITS[name], requested[name] ?? 0);
  const passed = ([['maxComputeWorkgroupSizeX', x], ['maxComputeWorkgroupSizeY', y], ['maxComputeWorkgroupSizeZ', z], ['maxComputeInvocationsPerWorkgroup', x * y * z]] as const)
    .filter(([name, v]) => v > limit(name)).map(([name, v]): [LimitName, number, number] => [name, v, limit(name)]);
  if (passed.length) throw new LimitExceeded(...passed[0]!, `the @workgroup_size(${x}, ${y}, ${z}) of '${entry}'`, passed.slice(1));
}

/** Throws LimitExceeded when the workgroup memory `entry` statically uses (workgroup-storage.ts; `code` with its
 *  override counts written: override-counts.ts) is past maxComputeWorkgroupStorageSize, WebGPU's default or
 *  `requested`'s. */
export function checkWorkgroupStorage(code: string, entry: string, requested: Record<string, number> = {}): void {
  const allowed = Math.max(WEBGPU_DEFAULT_LIMITS.maxComputeWorkgroupStorageSize, requested.maxComputeWorkgroupStorageSize ?? 0);
  const shared = workgroupStorage(code, entry);
  if (shared.bytes <= allowed) return;
  const what = `the workgroup variables '${entry}' uses (${shared.vars.map((v) => `${v.name}: ${v.bytes}`).join(', ')} bytes, each rounded up to 16)`;
  throw new LimitExceeded('maxComputeWorkgroupStorageSize', shared.bytes, allowed, what);
}
