// A DispatchBatch is plain data: WGSL sources, buffers as bytes, dispatches, and which buffers to read back.
// Every host (Node with Dawn, a browser page, Deno) runs the same `executeBatch`, so this module must not import
// anything from Node: it only uses the WebGPU API on the device it is handed.
import type { DeviceRequirements } from './device.ts';

export type BufferKind = 'storage' | 'uniform';

export interface BatchBuffer {
  /** Size in bytes; rounded up to a multiple of 4 on the device. */
  size: number;
  kind: BufferKind;
  /** Initial contents. When absent the buffer is prefilled with `fill` (a u32 bit pattern), or zeros. */
  data?: Uint8Array;
  fill?: number;
  /** Bytes the device buffer must have at least where `size` is fewer: WebGPU's minimum buffer binding size of the
   *  binding it is bound to (one element of a runtime-sized array), so an empty `array<vec4f>` is bound as 16 bytes,
   *  not 4. Only `size` bytes are uploaded and read back. */
  minSize?: number;
}

export interface BatchBinding {
  group: number;
  binding: number;
  /** Index into the case's buffers. */
  buffer: number;
}

export interface BatchDispatch {
  /** Index into the batch's shaders. */
  shader: number;
  entry: string;
  /** Pipeline-overridable constants (WGSL `override`). */
  constants?: Record<string, number>;
  bindings: BatchBinding[];
  workgroups: [number, number, number];
}

/** One case: its own buffers, a chain of dispatches recorded in order with no readback between them. */
export interface BatchCase {
  buffers: BatchBuffer[];
  dispatches: BatchDispatch[];
  /** Buffers whose final contents come back, in this order. */
  readback: number[];
}

export interface DispatchBatch {
  shaders: string[];
  cases: BatchCase[];
  /** Features and limits the device must have (from the WGSL's `enable`s and the spec's `requires`); the host
   *  runs the batch on a device opened with exactly these (harness/gpu/device.ts). Absent: WebGPU's defaults. */
  requires?: DeviceRequirements;
  /** A first guess of the shaders' cost relative to the watchdog's calibration kernel, used until it has learned
   *  theirs (harness/engines/watchdog.ts): a sanitized kernel (harness/trace/sanitize.ts) runs many times slower
   *  than the plain one. Absent: 1. With `costOf`, at least costHint times the cost learned for those shaders. */
  costHint?: number;
  /** The shaders of the kernel this batch's shaders instrument (a sanitized batch's plain kernel), whose learned cost
   *  the costHint multiplies: a loop-heavy kernel costs many calibration kernels, and its sanitized cases were called
   *  hung under a guess of 20 (trial 89 A2). */
  costOf?: string[];
  /** No submit of this batch counts as hung sooner (but `--timeout` is the user's, and stands): a sanitized case
   *  whose plain kernel was timed on it gets that time's share (property-runner.ts). */
  minDeadlineMs?: number;
  /** The shaders' files as the user knows them (the spec's, or the `--wgsl` file), for messages that name a line. */
  names?: string[];
}

export interface BatchResult {
  /** outputs[case][i] holds the bytes of buffer `readback[i]` of that case. */
  outputs: Uint8Array[][];
  /** Wall time of the whole batch (create, encode, submit, map), as the host measured it. */
  gpuMs: number;
  /** Per case: why the engine did not run it (e.g. over the interpreter's budget); its outputs are then empty. */
  skipped?: (string | undefined)[];
  /** What the compiler said about shaders that did compile (warnings and their notes); absent when nothing. */
  diagnostics?: ShaderDiagnostic[];
  /** Per case, from the interpreter: the first call of sin, cos or tan past π (where WGSL bounds none of its error), or of
   *  pack2x16float past f16's finite range (an indeterminate result),
   *  in which of the batch's shaders, and how many such calls the case made; and the case's outputs run again with
   *  each of those calls giving another value WGSL allows (domains.ts SUBSTITUTES, in order; undefined where that run
   *  did not finish). */
  outOfDomain?: ({ builtin: string; x: number; line: number; count: number; shader: number; alternatives: (Uint8Array[] | undefined)[] } | undefined)[];
}

export interface ShaderDiagnostic {
  shader: number;
  type: 'error' | 'warning' | 'info';
  line: number;
  column: number;
  message: string;
}

/** The WGSL did not compile: carries the compiler's messages with their positions. */
export class CompileError extends Error {
  constructor(readonly diagnostics: ShaderDiagnostic[]) {
    super(diagnostics.filter((d) => d.type === 'error').map((d) => `${d.line}:${d.column}: ${d.message}`).join('\n'));
    this.name = 'CompileError';
  }
}

/** The device reported a validation, out-of-memory or internal error, or was lost, or did not answer in time. */
export class DeviceError extends Error {
  constructor(message: string, readonly kind: 'validation' | 'out-of-memory' | 'internal' | 'lost' | 'timeout', readonly inFlight?: InFlight) {
    super(message);
    this.name = 'DeviceError';
  }
}

/** Which of a batch's cases a submit that did not come back held. The watchdog runs a batch as several submits (a
 *  probe, parts, one case at a time), so the batch's cases are not all what hung: a user reproduces a hang with the
 *  cases named here, not with the batch's first (those of a relu that hung on one huge case were all normal). */
export interface InFlight {
  /** Indices into the batch's `cases`. */
  cases: number[];
  /** Why one case of several went alone: the watchdog's first submit of a kernel it has not timed ('probe'), of a
   *  case larger than those it timed the kernel on ('larger'), or one at a time after a submit of several ran past
   *  its deadline ('one-by-one'). */
  alone?: 'probe' | 'larger' | 'one-by-one';
}

const align4 = (n: number) => Math.max(4, Math.ceil(n / 4) * 4);
const deviceSize = (b: BatchBuffer) => Math.max(align4(b.size), b.minSize ?? 0);

/** Bytes of every case's buffers, for callers that cut a long list of cases into batches of bounded memory. */
export function caseBytes(c: BatchCase): number {
  return c.buffers.reduce((s, b) => s + deviceSize(b), 0) + c.readback.reduce((s, i) => s + align4(c.buffers[i]!.size), 0);
}

/** How long one batch may keep the GPU before it counts as hung. Generous: a batch of 16 MiB of atomics takes
 *  seconds on SwiftShader, and a false alarm is a bug too. */
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface ExecuteOptions {
  /** Milliseconds to wait for the GPU, from the submit, before declaring the batch hung. */
  timeoutMs?: number;
  /** Called once the batch's work is submitted: everything before (a device with new limits, shader compilation,
   *  pipeline creation) is slow on a loaded software adapter but cannot run the kernel, so a watchdog that counts
   *  only from here never takes slow compilation for a hang (watchdog.ts). */
  onSubmitted?: () => void;
}

/**
 * Records every case of the batch in one command encoder, submits once and maps one staging buffer once.
 * Throws CompileError for WGSL that does not compile, DeviceError for anything the device rejects.
 */
export async function executeBatch(device: GPUDevice, batch: DispatchBatch, options: ExecuteOptions = {}): Promise<BatchResult> {
  const t0 = performance.now();
  const cache = pipelineCache(device, batch.shaders);
  const { modules, diagnostics } = cache.compiled ?? await compileShaders(device, batch.shaders);

  device.pushErrorScope('internal');
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const created: GPUBuffer[] = [];
  let staging: GPUBuffer | undefined;
  try {
    const pipelines = cache.pipelines;
    const pipelineFor = (d: BatchDispatch) => {
      const key = `${d.shader}\u0000${d.entry}\u0000${JSON.stringify(d.constants ?? {})}`;
      let p = pipelines.get(key);
      if (!p) {
        p = device.createComputePipeline({
          layout: 'auto',
          compute: { module: modules[d.shader]!, entryPoint: d.entry, ...(d.constants ? { constants: d.constants } : {}) },
        });
        pipelines.set(key, p);
      }
      return p;
    };

    // Staging layout: every case's readbacks back to back, each at a 4-byte aligned offset.
    const readOffsets: number[][] = [];
    let stagingSize = 0;
    for (const c of batch.cases) {
      readOffsets.push(c.readback.map((i) => {
        const at = stagingSize;
        stagingSize += align4(c.buffers[i]!.size);
        return at;
      }));
    }
    staging = device.createBuffer({ size: Math.max(4, stagingSize), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });

    const encoder = device.createCommandEncoder();
    batch.cases.forEach((c, ci) => {
      const buffers = c.buffers.map((b) => {
        const size = deviceSize(b);
        const usage = (b.kind === 'uniform' ? GPUBufferUsage.UNIFORM : GPUBufferUsage.STORAGE) | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
        const buf = device.createBuffer({ size, usage });
        created.push(buf);
        // WebGPU zero-fills a new buffer: zeros (outputs, the sanitizer's shadows) need no upload.
        if (!b.data && !b.fill) return buf;
        const bytes = new Uint8Array(size);
        if (b.data) bytes.set(b.data.subarray(0, Math.min(b.data.byteLength, size)));
        else new Uint32Array(bytes.buffer).fill(b.fill! >>> 0);
        device.queue.writeBuffer(buf, 0, bytes);
        return buf;
      });
      for (const d of c.dispatches) {
        const pipeline = pipelineFor(d);
        const pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        const groups = new Map<number, GPUBindGroupEntry[]>();
        for (const b of d.bindings) {
          const entries = groups.get(b.group) ?? [];
          entries.push({ binding: b.binding, resource: { buffer: buffers[b.buffer]! } });
          groups.set(b.group, entries);
        }
        for (const [group, entries] of groups) {
          pass.setBindGroup(group, device.createBindGroup({ layout: pipeline.getBindGroupLayout(group), entries }));
        }
        const [x, y, z] = d.workgroups;
        if (x > 0 && y > 0 && z > 0) pass.dispatchWorkgroups(x, y, z);
        pass.end();
      }
      c.readback.forEach((bi, k) => {
        encoder.copyBufferToBuffer(buffers[bi]!, 0, staging!, readOffsets[ci]![k]!, align4(c.buffers[bi]!.size));
      });
    });
    device.queue.submit([encoder.finish()]);
    options.onSubmitted?.();
  } finally {
    const [validation, oom, internal] = await Promise.all([device.popErrorScope(), device.popErrorScope(), device.popErrorScope()]);
    const err = validation ?? oom ?? internal;
    if (err) {
      // A pipeline created in this batch may be the invalid one.
      cache.pipelines.clear();
      for (const b of created) b.destroy();
      staging?.destroy();
      const kind = err === validation ? 'validation' : err === oom ? 'out-of-memory' : 'internal';
      // eslint-disable-next-line no-unsafe-finally
      throw new DeviceError(err.message, kind);
    }
  }
  // Only shaders and pipelines that compiled and validated are kept for the next batch.
  cache.compiled ??= { modules, diagnostics };

  try {
    await withTimeout(staging!.mapAsync(GPUMapMode.READ), device, options);
    const all = new Uint8Array(staging!.getMappedRange()).slice();
    staging!.unmap();
    let at = 0;
    const outputs = batch.cases.map((c) => c.readback.map((i) => {
      const size = c.buffers[i]!.size;
      const out = all.slice(at, at + size);
      at += align4(size);
      return out;
    }));
    return { outputs, gpuMs: performance.now() - t0, ...(diagnostics.length ? { diagnostics } : {}) };
  } finally {
    for (const b of created) b.destroy();
    staging!.destroy();
  }
}

/** Shader sets whose modules and pipelines a device keeps, most recent last. */
const PIPELINE_CACHE_SETS = 4;
interface CachedShaders {
  compiled?: { modules: GPUShaderModule[]; diagnostics: ShaderDiagnostic[] };
  pipelines: Map<string, GPUComputePipeline>;
}
const pipelineCaches = new WeakMap<GPUDevice, Map<string, CachedShaders>>();

/**
 * The modules and pipelines of the last few shader sets run on this device. A long list of cases goes as several
 * batches of the same shaders (the watchdog's probe and splits, a mutant's stages), and on SwiftShader creating a
 * compute pipeline of softmax cost 0.3-0.5 s, and as much again for the same WGSL (measured here in one process;
 * bench/mutate.ts prints a batch's time first and again).
 */
function pipelineCache(device: GPUDevice, shaders: string[]): CachedShaders {
  let sets = pipelineCaches.get(device);
  if (!sets) pipelineCaches.set(device, (sets = new Map()));
  const key = shaders.join('\u0000');
  const hit = sets.get(key) ?? { pipelines: new Map() };
  sets.delete(key);
  sets.set(key, hit);
  while (sets.size > PIPELINE_CACHE_SETS) sets.delete(sets.keys().next().value!);
  return hit;
}

async function compileShaders(device: GPUDevice, shaders: string[]): Promise<{ modules: GPUShaderModule[]; diagnostics: ShaderDiagnostic[] }> {
  device.pushErrorScope('validation');
  const modules = shaders.map((code) => device.createShaderModule({ code }));
  const infos = await Promise.all(modules.map((m) => m.getCompilationInfo()));
  await device.popErrorScope(); // the diagnostics below say the same, with positions
  const diagnostics: ShaderDiagnostic[] = [];
  infos.forEach((info, shader) => {
    for (const m of info.messages) {
      diagnostics.push({ shader, type: m.type, line: m.lineNum, column: m.linePos, message: m.message });
    }
  });
  if (diagnostics.some((d) => d.type === 'error')) throw new CompileError(diagnostics);
  return { modules, diagnostics };
}

async function withTimeout(p: Promise<void>, device: GPUDevice, options: ExecuteOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      p,
      device.lost.then((info) => {
        throw new DeviceError(`device lost (${info.reason}): ${info.message}`, 'lost');
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeviceError(`the GPU did not finish within ${timeoutMs} ms (a kernel that never ends?)`, 'timeout')), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
