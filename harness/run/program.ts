// A kernel spec joined to its WGSL sources: checked against each other, then turned into batch cases and back.
// Node-free: the visualizer and the browser-side property runner use it too.
import type { BatchBuffer, BatchCase, BatchDispatch } from '../gpu/batch.ts';
import type { Case, ElementType, KernelSpec, RunOutput, TypedArray } from '../spec.ts';
import { packUniform, reflect, type ReflectedModule } from './reflect.ts';

/** Outputs and scratch buffers start filled with this bit pattern (a NaN no arithmetic produces): one still
 *  holding it after the run was never written. */
export const SENTINEL = 0x7fbadbad;

export interface KernelProgram {
  spec: KernelSpec;
  /** WGSL source by the file name the spec uses. */
  sources: Record<string, string>;
  /** Where each source was read from (a path the user recognises), for messages. */
  origins: Record<string, string>;
}

/** The spec and the WGSL disagree: the message names the file, the binding and what to do. */
export class SpecMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecMismatch';
  }
}

/** The WGSL did not parse for reflection: the engine's compiler gives the better message, so ask it. */
export class WgslParseError extends SpecMismatch {
  constructor(message: string, readonly file: string) {
    super(message);
    this.name = 'WgslParseError';
  }
}

function moduleOf(p: KernelProgram, file: string): ReflectedModule {
  const code = p.sources[file];
  if (code === undefined) throw new SpecMismatch(`kernel '${p.spec.name}' uses ${file}, which was not loaded`);
  try {
    return reflect(code);
  } catch (e) {
    throw new WgslParseError(`${p.origins[file] ?? file}: does not parse: ${(e as Error).message}`, file);
  }
}

/** The line (1-based) where a module-scope variable is declared, for messages; 1 if not found. */
function declLine(code: string, name: string): number {
  const m = new RegExp(`var\\s*(<[^>]*>)?\\s+${name}\\s*:`).exec(code);
  return m ? code.slice(0, m.index).split('\n').length : 1;
}

/** Checks every stage's bindings against the reflected WGSL for a sample shape. */
export function validateProgram(p: KernelProgram, shape: unknown): void {
  for (const stage of p.spec.stages(shape)) {
    const file = p.origins[stage.wgsl] ?? stage.wgsl;
    const code = p.sources[stage.wgsl] ?? '';
    let where = file;
    const mod = moduleOf(p, stage.wgsl);
    const entryName = stage.entry ?? 'main';
    const entry = mod.entries.get(entryName);
    if (!entry) {
      throw new SpecMismatch(`${where}: no @compute entry point '${entryName}' (found: ${[...mod.entries.keys()].join(', ') || 'none'})`);
    }
    for (const [name, target] of Object.entries(stage.bind)) {
      const b = mod.bindings.get(name);
      where = `${file}:${declLine(code, b ? name : [...mod.bindings.keys()][0] ?? name)}`;
      const declared = [...mod.bindings.keys()].join(', ');
      if (!b) throw new SpecMismatch(`${where}: kernel '${p.spec.name}' binds '${name}', but the WGSL declares no such variable (it declares: ${declared}); rename the variable or fix the spec`);
      const wantUniform = typeof target !== 'string';
      if (wantUniform !== (b.kind === 'uniform')) {
        throw new SpecMismatch(`${where}: '${name}' (@group(${b.group}) @binding(${b.binding})) is declared var<${b.kind}> but kernel '${p.spec.name}' binds it as ${wantUniform ? 'a uniform' : 'a storage buffer'}`);
      }
      if (typeof target === 'string') {
        const buf = p.spec.buffers[target];
        if (!buf) throw new SpecMismatch(`kernel '${p.spec.name}': stage ${stage.wgsl} binds '${name}' to buffer '${target}', which the spec does not declare`);
        if ((buf.role === 'output' || buf.role === 'inout') && b.access === 'read' && entry.resources.has(name)) {
          throw new SpecMismatch(`${where}: '${name}' is the output '${target}' but is declared var<storage, read>; declare it var<storage, read_write>`);
        }
      }
    }
    for (const used of entry.resources) {
      const b = mod.bindings.get(used);
      where = `${file}:${declLine(code, used)}`;
      if (b && !(used in stage.bind)) {
        throw new SpecMismatch(`${where}: entry '${entryName}' uses '${used}' (@group(${b.group}) @binding(${b.binding})), which kernel '${p.spec.name}' does not bind; expected bindings: ${Object.keys(stage.bind).join(', ')}`);
      }
    }
  }
}

const BYTES = 4;

export function viewAs(type: ElementType, bytes: Uint8Array): TypedArray {
  const buf = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const n = Math.floor(buf.byteLength / BYTES);
  return type === 'f32' ? new Float32Array(buf.buffer, buf.byteOffset, n)
    : type === 'u32' ? new Uint32Array(buf.buffer, buf.byteOffset, n)
      : new Int32Array(buf.buffer, buf.byteOffset, n);
}

function bytesOf(a: TypedArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** A batch's shader list, filled as cases name WGSL files: each file's source once, at a stable index. */
export function shaderTable(p: KernelProgram): { shaders: string[]; files: string[]; index: (file: string) => number } {
  const shaders: string[] = [];
  const files: string[] = [];
  return {
    shaders,
    files,
    index(file) {
      let i = files.indexOf(file);
      if (i < 0) {
        i = files.push(file) - 1;
        shaders.push(p.sources[file]!);
      }
      return i;
    },
  };
}

/** The names of the buffers that come back from a run, in readback order. */
export function readbackNames(spec: KernelSpec): string[] {
  return Object.keys(spec.buffers);
}

/**
 * One case as batch data. `shaderIndex` maps a WGSL file to its index in the batch's shader list (the batch
 * builder dedupes sources across cases).
 */
export function toBatchCase(p: KernelProgram, c: Case, shaderIndex: (file: string) => number): BatchCase {
  const names = Object.keys(p.spec.buffers);
  const index = new Map(names.map((n, i) => [n, i]));
  const buffers: BatchBuffer[] = names.map((name) => {
    const b = p.spec.buffers[name]!;
    const length = b.length(c.shape);
    const input = c.inputs[name];
    if (b.role === 'input' || b.role === 'inout') {
      if (!input) throw new Error(`case for kernel '${p.spec.name}' has no input '${name}'`);
      if (input.length !== length) {
        throw new Error(`case for kernel '${p.spec.name}': input '${name}' has ${input.length} elements, the spec expects ${length}`);
      }
      return { size: length * BYTES, kind: 'storage', data: bytesOf(input) };
    }
    return { size: length * BYTES, kind: 'storage', fill: SENTINEL };
  });
  const dispatches: BatchDispatch[] = p.spec.stages(c.shape).map((stage) => {
    const mod = moduleOf(p, stage.wgsl);
    const entry = stage.entry ?? 'main';
    const reflected = mod.entries.get(entry);
    if (!reflected) throw new SpecMismatch(`${p.origins[stage.wgsl] ?? stage.wgsl}: no entry point '${entry}'`);
    const bindings = Object.entries(stage.bind)
      // layout 'auto' only holds what the entry point uses: binding anything else is a validation error.
      .filter(([name]) => reflected.resources.has(name))
      .map(([name, target]) => {
        const rb = mod.bindings.get(name)!;
        let buffer: number;
        if (typeof target === 'string') buffer = index.get(target)!;
        else {
          buffer = buffers.length;
          buffers.push({ size: Math.max(16, rb.size), kind: 'uniform', data: packUniform(rb, target.uniform) });
        }
        return { group: rb.group, binding: rb.binding, buffer };
      });
    return {
      shader: shaderIndex(stage.wgsl),
      entry,
      bindings,
      workgroups: stage.workgroups(reflected.workgroupSize),
      ...(stage.constants ? { constants: stage.constants } : {}),
    };
  });
  return { buffers, dispatches, readback: names.map((_, i) => i) };
}

/** Turns the read-back bytes of one case into typed arrays by buffer name. */
export function fromOutputs(p: KernelProgram, outputs: Uint8Array[]): RunOutput {
  const out: RunOutput = {};
  readbackNames(p.spec).forEach((name, i) => {
    out[name] = viewAs(p.spec.buffers[name]!.type, outputs[i]!);
  });
  return out;
}
