// Records a kernel's access trace for one case, two ways:
// - traceWithInterpreter: wgsl_reflect runs the WGSL (lock-step barriers), exact but slow; workgroup memory is seen
//   there too, but only pipeline buffers go in the trace;
// - traceWithDevice: the WGSL is instrumented (instrument.ts) and run on a real WebGPU device, fast.
// Node-free: the visualizer page runs both.
import { executeBatch, type BatchCase, type BatchResult, type DispatchBatch } from '../gpu/batch.ts';
import { traceCase } from '../engines/interpreter.ts';
import { runDispatch } from '../engines/interpreter/dispatch.ts';
import { NOT_SUPPORTED } from '../engines/interpreter/unsupported.ts';
import { fromOutputs, readbackNames, toBatchCase, type KernelProgram } from '../run/program.ts';
import { elementLayout, scalarBytes, type ElementLayout } from '../run/layout.ts';
import { reflect, workgroupSizeFor } from '../run/reflect.ts';
import type { Case } from '../spec.ts';
import { instrument, RECORD_WORDS, type AccessSite } from './instrument.ts';
import { TraceBuilder, type KernelTrace, type TraceStage } from './trace.ts';

/** The case is larger than the trace may be: the caller says so and offers a smaller one instead of freezing. */
export class TraceBudgetExceeded extends Error {
  constructor(message: string, readonly needed: number, readonly allowed: number) {
    super(message);
    this.name = 'TraceBudgetExceeded';
  }
}

/** The interpreter cannot trace this kernel at any size (a construct it does not run): no smaller case helps. */
export class TraceUnsupported extends Error {
  override name = 'TraceUnsupported';
}

export interface TraceOptions {
  /** Device: how the accesses are shared among the stages (records each); an even share when absent. */
  perStage?: number[];
  /** Interpreter: most invocations over all stages. */
  maxInvocations?: number;
  /** Device: most accesses the trace buffers hold (12 bytes each). */
  maxAccesses?: number;
  /** Device: how the instrumented batch runs (executeBatch on the device by default); the visualizer's wraps subgroup
   *  lane reads as the engines do (lane-reads.ts). */
  execute?: (batch: DispatchBatch) => Promise<BatchResult>;
}

export const INTERPRETER_MAX_INVOCATIONS = 2048;
export const DEVICE_MAX_ACCESSES = 1 << 20;

/** The case as a batch with its stages (workgroup sizes resolved) and the pipeline buffers' names. */
export function prepare(program: KernelProgram, c: Case) {
  const files: string[] = [];
  const shaderIndex = (f: string) => {
    let i = files.indexOf(f);
    if (i < 0) i = files.push(f) - 1;
    return i;
  };
  const batchCase = toBatchCase(program, c, shaderIndex);
  const stageSpecs = program.spec.stages(c.shape);
  let first = 0;
  const stages: TraceStage[] = batchCase.dispatches.map((d, i) => {
    const file = files[d.shader]!;
    // The size the pipeline runs with: overrides applied, as the dispatch's constants give them.
    const workgroupSize = workgroupSizeFor(program.sources[file]!, d.entry, d.constants);
    const invocations = d.workgroups[0] * d.workgroups[1] * d.workgroups[2] * workgroupSize[0] * workgroupSize[1] * workgroupSize[2];
    const s: TraceStage = { file: stageSpecs[i]?.wgsl ?? file, entry: d.entry, workgroups: d.workgroups, workgroupSize, firstInvocation: first, invocations };
    first += invocations;
    return s;
  });
  return { files, batchCase, stages, names: readbackNames(program.spec), invocations: first };
}

export function traceWithInterpreter(program: KernelProgram, c: Case, options: TraceOptions = {}): KernelTrace {
  const t0 = performance.now();
  const { files, batchCase, stages, names, invocations } = prepare(program, c);
  const allowed = options.maxInvocations ?? INTERPRETER_MAX_INVOCATIONS;
  if (invocations > allowed) {
    throw new TraceBudgetExceeded(`${invocations} invocations is more than the interpreter traces here (${allowed})`, invocations, allowed);
  }
  const run = traceCase(files.map((f) => program.sources[f]!), batchCase, { maxInvocations: allowed, limits: program.spec.requires?.limits });
  if (run.skipped) {
    // A refused construct is no budget: "past the trace budget ... trace a smaller case" sent a learner to a smaller
    // case of an f16 kernel, which the interpreter refuses at any size.
    if (run.skipped.startsWith(NOT_SUPPORTED)) throw new TraceUnsupported(run.skipped);
    throw new TraceBudgetExceeded(run.skipped, invocations, allowed);
  }
  const b = new TraceBuilder(4096);
  // Empty dispatches are not run, so dispatch runs and stages may differ in number.
  let d = 0;
  batchCase.dispatches.forEach((dispatch, si) => {
    if (dispatch.workgroups.some((n) => n <= 0)) return;
    const s = stages[si]!;
    const layouts = elementLayouts(reflect(program.sources[files[dispatch.shader]!]!), dispatch.bindings, names);
    const [sx, sy, sz] = s.workgroupSize;
    const w = s.workgroups[0] * sx;
    const h = s.workgroups[1] * sy;
    for (const a of run.dispatches[d++]!.accesses ?? []) {
      if (a.buffer === undefined || a.buffer >= names.length) continue; // workgroup memory, uniforms
      const lx = a.invocation % sx;
      const ly = Math.floor(a.invocation / sx) % sy;
      const lz = Math.floor(a.invocation / (sx * sy));
      const gx = a.workgroup[0] * sx + lx;
      const gy = a.workgroup[1] * sy + ly;
      const gz = a.workgroup[2] * sz + lz;
      const inv = s.firstInvocation + gx + w * (gy + h * gz);
      const kind = a.kind === 'write' ? 2 : a.atomic ? 3 : 1;
      const { offset, size } = a.part ?? a;
      for (const e of hostElements(layouts.get(a.buffer), offset, size)) b.push(inv, a.buffer, e, kind, a.line, si);
    }
  });
  const outputs = fromOutputs(program, run.outputs);
  return { source: 'interpreter', buffers: names, stages, ...b.columns(), dropped: 0, outputs, ms: performance.now() - t0 };
}

/** The instrumented batch for one case: the case's own buffers plus one trace buffer per dispatch, read back last. */
export function instrumentedBatch(program: KernelProgram, c: Case, options: TraceOptions = {}) {
  const { files, batchCase, stages, names } = prepare(program, c);
  const capacity = options.maxAccesses ?? DEVICE_MAX_ACCESSES;
  const shaders: string[] = [];
  const buffers = [...batchCase.buffers];
  const traceBuffers: number[] = [];
  const layouts: ElementLayouts[] = [];
  const sites: AccessSite[][] = [];
  const dispatches = batchCase.dispatches.map((d, si) => {
    const code = program.sources[files[d.shader]!]!;
    const mod = reflect(code);
    const ids = new Map<string, number>();
    for (const [name, rb] of mod.bindings) {
      if (rb.kind !== 'storage') continue;
      const bound = d.bindings.find((x) => x.group === rb.group && x.binding === rb.binding);
      if (bound && bound.buffer < names.length) ids.set(name, bound.buffer);
    }
    layouts.push(elementLayouts(mod, d.bindings, names));
    const perStage = Math.max(1, options.perStage?.[si] ?? Math.floor(capacity / batchCase.dispatches.length));
    const inst = instrument(code, { entry: d.entry, buffers: ids, workgroups: d.workgroups, workgroupSize: stages[si]!.workgroupSize, capacity: perStage });
    shaders.push(inst.code);
    sites.push(inst.sites);
    const tb = buffers.push({ size: inst.bytes, kind: 'storage' }) - 1;
    traceBuffers.push(tb);
    return { ...d, shader: si, bindings: [...d.bindings, { group: inst.group, binding: inst.binding, buffer: tb }] };
  });
  const traced: BatchCase = { buffers, dispatches, readback: [...batchCase.readback, ...traceBuffers] };
  const batch: DispatchBatch = { shaders, cases: [traced] };
  return { batch, stages, names, maps: { layouts, sites }, capacity };
}

/** Per pipeline buffer index, the host layout of one element of the array the WGSL declares over it, where that is
 *  not one host element per WGSL element (elementLayout, as the harness packs the buffer): array<vec4<f32>> over a
 *  spec's f32 buffer, or an array of structs whose host elements are its fields. The trace is in the spec's elements:
 *  a new user's vec4 blur had its writes to pixel 64 shown at element 64 and three quarters of a correct output as
 *  never written, and a struct's padding word was shown as the next particle's field. */
export type ElementLayouts = Map<number, ElementLayout>;

function elementLayouts(mod: ReturnType<typeof reflect>, bindings: readonly { group: number; binding: number; buffer: number }[], names: string[]): ElementLayouts {
  const out: ElementLayouts = new Map();
  for (const rb of mod.bindings.values()) {
    if (rb.kind !== 'storage') continue;
    const bound = bindings.find((x) => x.group === rb.group && x.binding === rb.binding);
    if (!bound || bound.buffer >= names.length) continue;
    try {
      const layout = elementLayout(rb.type);
      if (layout.offsets.length > 1 || layout.stride !== 4) out.set(bound.buffer, layout);
    } catch {
      // An element with no fixed size: traced by its WGSL index, as before.
    }
  }
  return out;
}

/** The host elements an access of `size` bytes at byte `offset` of the buffer covers (its padding none); with no
 *  layout, the buffer's 4-byte words. */
function hostElements(l: ElementLayout | undefined, offset: number, size: number): number[] {
  const out: number[] = [];
  if (!l) {
    for (let off = 0; off < size; off += 4) out.push((offset + off) / 4);
    return out;
  }
  const first = Math.floor(offset / l.stride);
  const last = Math.floor((offset + Math.max(1, size) - 1) / l.stride);
  for (let e = first; e <= last; e++) {
    l.offsets.forEach((o, k) => {
      const at = e * l.stride + o;
      if (at < offset + size && at + scalarBytes(l.scalars[k]!) > offset) out.push(e * l.offsets.length + k);
    });
  }
  return out;
}

/** How a stage's records map to the spec's elements: its buffers' element layouts and its instrumented access sites. */
export interface TraceMaps {
  layouts: ElementLayouts[];
  sites: AccessSite[][];
}

/** Decodes the read-back trace buffers (one per stage) into a trace. */
export function decodeDeviceTrace(program: KernelProgram, stages: TraceStage[], names: string[], outputs: Uint8Array[], ms: number, maps: TraceMaps): KernelTrace {
  const bufferOutputs = outputs.slice(0, names.length);
  const traces = outputs.slice(names.length);
  let total = 0;
  const counts = traces.map((t) => {
    const words = new Uint32Array(t.buffer, t.byteOffset, t.byteLength >>> 2);
    const held = Math.floor((words.length - 1) / RECORD_WORDS);
    const n = Math.min(words[0]!, held);
    total += n;
    return { words, n, dropped: words[0]! - n };
  });
  const b = new TraceBuilder(Math.max(1, total));
  let dropped = 0;
  counts.forEach(({ words, n, dropped: d }, si) => {
    dropped += d;
    const first = stages[si]!.firstInvocation;
    for (let i = 0; i < n; i++) {
      const at = 1 + i * RECORD_WORDS;
      const site = maps.sites[si]![words[at + 1]!]!;
      const offset = site.base + words[at + 2]! * site.stride + site.offset;
      const elements = hostElements(maps.layouts[si]?.get(site.buffer), offset, site.size);
      for (const kind of site.kinds) for (const e of elements) b.push(first + words[at]!, site.buffer, e, kind, site.line, si);
    }
  });
  return { source: 'gpu', buffers: names, stages, ...b.columns(), dropped, outputs: fromOutputs(program, bufferOutputs), ms };
}

export async function traceWithDevice(device: GPUDevice, program: KernelProgram, c: Case, options: TraceOptions = {}): Promise<KernelTrace> {
  const t0 = performance.now();
  const { batch, stages, names, maps, capacity } = instrumentedBatch(program, c, options);
  const result = await (options.execute ?? ((b: DispatchBatch) => executeBatch(device, b)))(batch);
  const trace = decodeDeviceTrace(program, stages, names, result.outputs[0]!, performance.now() - t0, maps);
  if (trace.dropped > 0) {
    const needed = trace.count + trace.dropped;
    // Each stage's counter kept counting past its share: a case whose stages fit the budget together (mlp's first
    // matmul makes 400,000 of its 408,184) runs once more with shares that fit, rather than being refused.
    const made = result.outputs[0]!.slice(names.length).map((t) => new Uint32Array(t.buffer, t.byteOffset, 1)[0]!);
    if (needed <= capacity && !options.perStage) return traceWithDevice(device, program, c, { ...options, perStage: made });
    throw new TraceBudgetExceeded(`the kernel made ${needed} accesses; the trace holds ${capacity}`, needed, capacity);
  }
  return trace;
}

/** Runs the instrumented WGSL in the interpreter instead of a device: lets tests check the rewrite without a GPU. */
export function traceInstrumentedWithInterpreter(program: KernelProgram, c: Case, options: TraceOptions = {}): KernelTrace {
  const t0 = performance.now();
  const { batch, stages, names, maps } = instrumentedBatch(program, c, options);
  const bc = batch.cases[0]!;
  const bytes = caseBytes(bc);
  for (const d of bc.dispatches) {
    runDispatch({
      code: batch.shaders[d.shader]!, entry: d.entry, workgroups: d.workgroups, constants: d.constants,
      bindings: new Map(d.bindings.map((x) => [`${x.group}:${x.binding}`, { buffer: x.buffer, bytes: bytes[x.buffer]! }])),
    });
  }
  const outputs = bc.readback.map((i) => new Uint8Array(bytes[i]!, 0, bc.buffers[i]!.size));
  return decodeDeviceTrace(program, stages, names, outputs, performance.now() - t0, maps);
}

/** Each buffer of a case as the bytes a dispatch starts from (its data, or its fill), 4-byte aligned. */
export function caseBytes(bc: BatchCase): ArrayBuffer[] {
  return bc.buffers.map((buf) => {
    const a = new Uint8Array(Math.max(4, Math.ceil(buf.size / 4) * 4));
    if (buf.data) a.set(buf.data);
    else if (buf.fill) new Uint32Array(a.buffer).fill(buf.fill >>> 0);
    return a.buffer;
  });
}
