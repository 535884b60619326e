// What the harness needs to know about a WGSL module, read from the WGSL itself (wgsl_reflect): never hand-written
// binding numbers or uniform offsets, so the 16-byte uniform alignment bug cannot happen.
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';

export interface ReflectedBinding {
  name: string;
  group: number;
  binding: number;
  kind: 'storage' | 'uniform';
  access: string;
  /** Uniform struct fields with their byte offsets, from the WGSL layout rules. */
  fields?: { name: string; offset: number; type: string }[];
  size: number;
}

export interface ReflectedModule {
  bindings: Map<string, ReflectedBinding>;
  entries: Map<string, { workgroupSize: [number, number, number]; resources: Set<string> }>;
}

const cache = new Map<string, ReflectedModule>();

/** Throws the parser's message when the WGSL does not parse: the caller adds the file name. */
export function reflect(code: string): ReflectedModule {
  const hit = cache.get(code);
  if (hit) return hit;
  const r = new WgslReflect(code);
  const bindings = new Map<string, ReflectedBinding>();
  for (const s of r.storage) {
    bindings.set(s.name, { name: s.name, group: s.group, binding: s.binding, kind: 'storage', access: String(s.access), size: s.size });
  }
  for (const u of r.uniforms) {
    const members = (u.members ?? []) as { name: string; offset: number; type: { name: string } }[];
    bindings.set(u.name, {
      name: u.name, group: u.group, binding: u.binding, kind: 'uniform', access: 'read', size: u.size,
      fields: members.map((m) => ({ name: m.name, offset: m.offset, type: m.type.name })),
    });
  }
  const entries = new Map<string, { workgroupSize: [number, number, number]; resources: Set<string> }>();
  for (const e of r.entry.compute) {
    const ws = (e.workgroupSize ?? [1, 1, 1]) as number[];
    entries.set(e.name, {
      workgroupSize: [ws[0] ?? 1, ws[1] ?? 1, ws[2] ?? 1],
      resources: new Set(((e.resources ?? []) as { name: string }[]).map((x) => x.name)),
    });
  }
  const mod = { bindings, entries };
  cache.set(code, mod);
  return mod;
}

/** Packs a uniform struct's field values by the reflected layout. */
export function packUniform(b: ReflectedBinding, values: Record<string, number>): Uint8Array {
  const bytes = new Uint8Array(Math.max(16, b.size));
  const view = new DataView(bytes.buffer);
  for (const [name, value] of Object.entries(values)) {
    const f = b.fields?.find((x) => x.name === name);
    if (!f) throw new Error(`uniform '${b.name}' has no field '${name}' (fields: ${b.fields?.map((x) => x.name).join(', ')})`);
    switch (f.type) {
      case 'u32': view.setUint32(f.offset, value, true); break;
      case 'i32': view.setInt32(f.offset, value, true); break;
      case 'f32': view.setFloat32(f.offset, value, true); break;
      default: throw new Error(`uniform '${b.name}.${name}' has type ${f.type}; only scalar u32, i32 and f32 fields are packed`);
    }
  }
  return bytes;
}
