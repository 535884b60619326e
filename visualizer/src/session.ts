// One kernel and one case, traced: the data every view draws from, and the questions they ask of it.
import { executeBatch } from '../../harness/gpu/batch.ts';
import { DeviceCache, mergeRequirements, RequirementsUnmet } from '../../harness/gpu/device.ts';
import type { Engine, EngineInfo } from '../../harness/engines/engine.ts';
import { withLaneWrap } from '../../harness/engines/lane-reads.ts';
import { adapterFacts } from '../../harness/engines/page/device.ts';
import { programRequirements, type KernelProgram } from '../../harness/run/program.ts';
import type { Case, KernelSpec } from '../../harness/spec.ts';
import { traceWithDevice, traceWithInterpreter, TraceBudgetExceeded, TraceUnsupported } from '../../harness/trace/record.ts';
import { READ, WRITE, type KernelTrace } from '../../harness/trace/trace.ts';

/** The page's WebGPU: its adapter described as the CLI's engines describe theirs, and a device per set of
 *  requirements, as a browser engine opens them (engines/page/device.ts): a kernel that enables subgroups or f16 was
 *  "the WGSL does not compile" here, its one device having been opened with no feature. */
interface PageGpu {
  info: EngineInfo;
  devices: DeviceCache;
}

let gpuPromise: Promise<PageGpu | null> | undefined;
function pageGpu(): Promise<PageGpu | null> {
  gpuPromise ??= (async () => {
    try {
      const gpu = navigator.gpu;
      const adapter = await gpu?.requestAdapter();
      if (!adapter) return null;
      const info: EngineInfo = { backend: 'chromium', status: 'ok', ...adapterFacts(adapter) };
      return { info, devices: new DeviceCache(() => gpu.requestAdapter(), adapter) };
    } catch {
      return null;
    }
  })();
  return gpuPromise;
}

/** The page's WebGPU as an engine, for the property runner: each batch on a device with what it requires, its
 *  subgroup lane reads wrapped as on the CLI's GPU engines (lane-reads.ts). */
export async function pageEngine(): Promise<Engine | null> {
  const gpu = await pageGpu();
  if (!gpu) return null;
  return {
    id: 'chromium',
    info: gpu.info,
    execute: withLaneWrap(gpu.info, async (batch) => executeBatch(await gpu.devices.get(batch.requires), batch)),
    close: async () => {},
  };
}

/** Records the trace on the page's WebGPU (instrumented WGSL, its lane reads wrapped as on the engines) when there is
 *  one with what the kernel requires, else in the interpreter. The device allows the adapter's largest storage
 *  binding: the trace buffer can be large. */
export async function record(program: KernelProgram, c: Case, prefer: 'gpu' | 'interpreter' = 'gpu'): Promise<KernelTrace> {
  const gpu = prefer === 'gpu' ? await pageGpu() : null;
  const requires = mergeRequirements(programRequirements(program), { limits: { maxStorageBufferBindingSize: gpu?.info.limits?.maxStorageBufferBindingSize ?? 0 } });
  let lacks: string | undefined;
  const device = gpu ? await gpu.devices.get(requires).catch((e: unknown) => {
    if (!(e instanceof RequirementsUnmet)) throw e;
    lacks = e.message;
    return null;
  }) : null;
  // Lane reads wrapped as the engines wrap them: a saved case of a 32-lane butterfly traced right on SwiftShader's 4
  // lanes, its failure panel showing the engine's wrong value above a trace of the right one (trial 58 A1).
  if (device) return traceWithDevice(device, program, c, { execute: withLaneWrap(gpu!.info, (b) => executeBatch(device, b)) });
  try {
    return traceWithInterpreter(program, c);
  } catch (e) {
    if (lacks && e instanceof TraceUnsupported) throw new TraceUnsupported(`the page's WebGPU cannot run it (${lacks}), and the interpreter cannot either (${e.message})`);
    throw e;
  }
}

export { TraceBudgetExceeded, TraceUnsupported };

export interface ElementAccess {
  invocation: number;
  kind: number;
  line: number;
}

/** One access an invocation made: to which element, read or write (trace.ts READ | WRITE), from which line. */
export interface InvocationAccess {
  index: number;
  kind: number;
  line: number;
}

export class Session {
  /** Per buffer: how many distinct invocations wrote each element (saturating at 255). */
  readonly writers: Record<string, Uint8Array> = {};
  /** Elements that two invocations of one stage wrote with plain stores: the overlap the summary flags. Atomics and
   *  compound assignments (read and write) are left out, and so are writes in different stages: a histogram's clear
   *  pass and its atomicAdd pass were flagged in red on a correct kernel. */
  readonly overlapping: number = 0;

  constructor(readonly program: KernelProgram, readonly c: Case, readonly trace: KernelTrace) {
    const t = trace;
    const last: Record<string, Int32Array> = {};
    const plain: Record<string, { invocation: Int32Array; stage: Int32Array; flagged: Uint8Array }> = {};
    for (const name of t.buffers) {
      const n = program.spec.buffers[name]!.length(c.shape);
      this.writers[name] = new Uint8Array(n);
      last[name] = new Int32Array(n).fill(-1);
      plain[name] = { invocation: new Int32Array(n).fill(-1), stage: new Int32Array(n).fill(-1), flagged: new Uint8Array(n) };
    }
    let overlapping = 0;
    for (let i = 0; i < t.count; i++) {
      if (!(t.kind[i]! & WRITE)) continue;
      const name = t.buffers[t.buffer[i]!]!;
      const idx = t.index[i]!;
      const w = this.writers[name]!;
      if (idx >= w.length) continue;
      if (last[name]![idx] !== t.invocation[i]) {
        last[name]![idx] = t.invocation[i]!;
        if (w[idx]! < 255) w[idx]!++;
      }
      if (t.kind[i] !== WRITE) continue;
      const p = plain[name]!;
      if (p.stage[idx] === t.stage[i] && p.invocation[idx] !== t.invocation[i] && !p.flagged[idx]) {
        p.flagged[idx] = 1;
        overlapping++;
      }
      p.stage[idx] = t.stage[i]!;
      p.invocation[idx] = t.invocation[i]!;
    }
    this.overlapping = overlapping;
  }

  get spec(): KernelSpec {
    return this.program.spec;
  }

  /** Every access of one invocation, by buffer. */
  accessesOf(invocation: number): Record<string, InvocationAccess[]> {
    const t = this.trace;
    const out: Record<string, InvocationAccess[]> = {};
    for (let i = 0; i < t.count; i++) {
      if (t.invocation[i] !== invocation) continue;
      (out[t.buffers[t.buffer[i]!]!] ??= []).push({ index: t.index[i]!, kind: t.kind[i]!, line: t.line[i]! });
    }
    return out;
  }

  /** Every access to one element. */
  accessesTo(buffer: string, index: number): ElementAccess[] {
    const t = this.trace;
    const b = t.buffers.indexOf(buffer);
    const out: ElementAccess[] = [];
    for (let i = 0; i < t.count; i++) {
      if (t.buffer[i] === b && t.index[i] === index) out.push({ invocation: t.invocation[i]!, kind: t.kind[i]!, line: t.line[i]! });
    }
    return out;
  }

  /** Invocations that made any access. */
  busy(): Set<number> {
    const s = new Set<number>();
    for (let i = 0; i < this.trace.count; i++) s.add(this.trace.invocation[i]!);
    return s;
  }
}

export const KIND_NAME = (k: number) => (k === (READ | WRITE) ? 'read+write' : k & WRITE ? 'write' : 'read');
