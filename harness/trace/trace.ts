// An access trace in columns: one row per storage access (which invocation, which pipeline buffer, which element,
// read or write, which source line), in the order the engine made them. Columns of typed arrays, because a 64³
// matmul makes half a million accesses and the visualizer indexes them both ways. Node-free.
import type { TypedArray } from '../spec.ts';

export const READ = 1;
export const WRITE = 2;

export interface TraceStage {
  /** WGSL file (relative to kernels/) and entry point of this dispatch. */
  file: string;
  entry: string;
  workgroups: [number, number, number];
  workgroupSize: [number, number, number];
  /** Invocation numbers are global over the stages: this stage's are [firstInvocation, firstInvocation + invocations). */
  firstInvocation: number;
  invocations: number;
}

export interface KernelTrace {
  /** Who recorded it: wgsl_reflect's interpreter, or the WGSL instrumented and run by a WebGPU engine. */
  source: 'interpreter' | 'gpu';
  /** Pipeline buffer names (the spec's order); `buffer` below indexes this. */
  buffers: string[];
  stages: TraceStage[];
  count: number;
  invocation: Uint32Array;
  buffer: Uint8Array;
  index: Uint32Array;
  /** READ, WRITE, or both (a compound assignment or an atomic). */
  kind: Uint8Array;
  line: Uint32Array;
  stage: Uint8Array;
  /** Accesses the engine made beyond what the trace could hold: > 0 means the trace is incomplete. */
  dropped: number;
  /** Every pipeline buffer as the kernel left it. */
  outputs: Record<string, TypedArray>;
  /** Wall time of recording, in milliseconds. */
  ms: number;
}

export class TraceBuilder {
  count = 0;
  invocation: Uint32Array;
  buffer: Uint8Array;
  index: Uint32Array;
  kind: Uint8Array;
  line: Uint32Array;
  stage: Uint8Array;

  constructor(capacity = 1024) {
    this.invocation = new Uint32Array(capacity);
    this.buffer = new Uint8Array(capacity);
    this.index = new Uint32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.line = new Uint32Array(capacity);
    this.stage = new Uint8Array(capacity);
  }

  push(invocation: number, buffer: number, index: number, kind: number, line: number, stage: number) {
    if (this.count === this.invocation.length) this.grow(this.count * 2);
    const i = this.count++;
    this.invocation[i] = invocation;
    this.buffer[i] = buffer;
    this.index[i] = index;
    this.kind[i] = kind;
    this.line[i] = line;
    this.stage[i] = stage;
  }

  private grow(n: number) {
    const g = <T extends Uint32Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.invocation = g(this.invocation);
    this.buffer = g(this.buffer);
    this.index = g(this.index);
    this.kind = g(this.kind);
    this.line = g(this.line);
    this.stage = g(this.stage);
  }

  columns() {
    const n = this.count;
    return {
      count: n,
      invocation: this.invocation.subarray(0, n),
      buffer: this.buffer.subarray(0, n),
      index: this.index.subarray(0, n),
      kind: this.kind.subarray(0, n),
      line: this.line.subarray(0, n),
      stage: this.stage.subarray(0, n),
    };
  }
}

export interface InvocationIds {
  stage: number;
  global: [number, number, number];
  local: [number, number, number];
  workgroup: [number, number, number];
  localIndex: number;
}

/** The builtin ids of a global invocation number. */
export function invocationIds(stages: TraceStage[], invocation: number): InvocationIds {
  const stage = stages.findIndex((s) => invocation >= s.firstInvocation && invocation < s.firstInvocation + s.invocations);
  if (stage < 0) throw new RangeError(`invocation ${invocation} is in no stage`);
  const s = stages[stage]!;
  const w = s.workgroups[0] * s.workgroupSize[0];
  const h = s.workgroups[1] * s.workgroupSize[1];
  const n = invocation - s.firstInvocation;
  const global: [number, number, number] = [n % w, Math.floor(n / w) % h, Math.floor(n / (w * h))];
  const [sx, sy, sz] = s.workgroupSize;
  const local: [number, number, number] = [global[0] % sx, global[1] % sy, global[2] % sz];
  const workgroup: [number, number, number] = [Math.floor(global[0] / sx), Math.floor(global[1] / sy), Math.floor(global[2] / sz)];
  return { stage, global, local, workgroup, localIndex: local[0] + sx * (local[1] + sy * local[2]) };
}

/** The global invocation number of a global invocation id in a stage. */
export function invocationNumber(s: TraceStage, global: [number, number, number]): number {
  const w = s.workgroups[0] * s.workgroupSize[0];
  const h = s.workgroups[1] * s.workgroupSize[1];
  return s.firstInvocation + global[0] + w * (global[1] + h * global[2]);
}
