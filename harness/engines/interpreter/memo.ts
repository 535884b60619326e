// The interpreter's outcomes of whole cases, kept by what the case is. A property's cases are drawn from the same seed
// as its kernel's other properties (property-runner.ts keeps the draws), so matches-reference, inputs-unchanged,
// deterministic and most family properties hand the interpreter byte-identical cases: 44% of its case time in a
// `--runs 10` run of softmax, layernorm, gelu and matmul went to running a case it had already run (measured
// 2026-12-04). Its schedule is fixed and its memory starts zeroed, so the same case gives the same outcome: running
// it again computes nothing new. The GPU engines are never memoized: there a rerun is the point. No node: import: the
// visualizer runs the interpreter in the page.
import type { BatchCase, BatchResult } from '../../gpu/batch.ts';
import type { InterpreterOptions } from '../interpreter.ts';

/** What running one case gave: its outputs, why it was skipped, its out-of-domain call with the reruns' outputs. */
export interface CaseOutcome {
  outputs: Uint8Array[];
  skipped: string | undefined;
  outOfDomain: NonNullable<BatchResult['outOfDomain']>[number];
}

/** Cases whose inputs hold more than this are not kept: hashing them costs more than most runs they would save, and
 *  such a case is over the invocation budget before it runs (reduce_sum's full-size 2^24 elements). */
const MAX_KEY_BYTES = 4 << 20;
/** Outcomes kept, least recently used let go first: one property's cases at `--runs 100`, with room. */
const MAX_ENTRIES = 256;
/** Bytes kept at most, over all entries: outputs, inputs and keys. */
const MAX_BYTES = 128 << 20;

// -0, NaN and ±Infinity as themselves (JSON writes null for the last three), so that no two cases share a key.
const exactNumbers = (_: string, v: unknown) => (typeof v === 'number' ? (Object.is(v, -0) ? '-0' : `${v}`) : v);

const copies = (bs: Uint8Array[]) => bs.map((b) => b.slice());
const copied = (o: CaseOutcome): CaseOutcome =>
  ({ ...o, outputs: copies(o.outputs), outOfDomain: o.outOfDomain && { ...o.outOfDomain, alternatives: o.outOfDomain.alternatives.map((a) => a && copies(a)) } });
const sizeOf = (bs: readonly (Uint8Array | undefined)[] | undefined) => bs?.reduce((s, b) => s + (b?.byteLength ?? 0), 0) ?? 0;
const bytesOf = (o: CaseOutcome) => sizeOf(o.outputs) + (o.outOfDomain?.alternatives.reduce((s, a) => s + sizeOf(a), 0) ?? 0);

/** FNV-1a over the bytes: it picks the entry; the entry's own copy of the inputs decides, so no two cases share one. */
function fnv1a(h: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 16777619);
  return h >>> 0;
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  a === b || (!!a && !!b && a.byteLength === b.byteLength && a.every((v, i) => v === b[i]));

interface Entry<T> {
  outcome: T;
  /** The case's input bytes, compared on every answer. */
  inputs: (Uint8Array | undefined)[];
  bytes: number;
}

/** How a memo's outcomes are copied (a caller may write into what it is given) and weighed. */
export interface OutcomeKind<T> {
  copy(o: T): T;
  bytes(o: T): number;
}

const CASE_OUTCOMES: OutcomeKind<CaseOutcome> = { copy: copied, bytes: bytesOf };

export class CaseMemo<T = CaseOutcome> {
  private entries = new Map<string, Entry<T>>();
  private bytes = 0;

  constructor(private readonly kind: OutcomeKind<T> = CASE_OUTCOMES as unknown as OutcomeKind<T>) {}

  /** The case's key: its shaders, everything the case holds but the input bytes' values (a hash of them stands for
   *  them; get compares them) and every option that changes an outcome or its text; undefined for a case too large
   *  to keep. */
  keyOf(shaders: string[], c: BatchCase, options: InterpreterOptions): string | undefined {
    let size = 0;
    for (const b of c.buffers) size += b.data?.byteLength ?? 0;
    if (size > MAX_KEY_BYTES) return undefined;
    let h = 2166136261;
    for (const b of c.buffers) if (b.data) h = fnv1a(h, b.data);
    return JSON.stringify({ shaders, options, dispatches: c.dispatches, readback: c.readback, buffers: c.buffers.map((b) => [b.size, b.kind, b.fill, b.data?.byteLength]), h }, exactNumbers);
  }

  /** The outcome kept for this case, as a copy (a caller may write into what it is given). */
  get(key: string, c: BatchCase): T | undefined {
    const e = this.entries.get(key);
    if (!e || !c.buffers.every((b, i) => sameBytes(b.data, e.inputs[i]))) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return this.kind.copy(e.outcome);
  }

  /** Keeps a copy of the case's outcome (and of its inputs). */
  set(key: string, c: BatchCase, o: T): void {
    const outcome = this.kind.copy(o);
    const inputs = c.buffers.map((b) => b.data?.slice());
    const size = this.kind.bytes(outcome) + sizeOf(inputs) + key.length;
    if (size > MAX_BYTES) return;
    const old = this.entries.get(key);
    if (old) (this.entries.delete(key), (this.bytes -= old.bytes));
    this.entries.set(key, { outcome, inputs, bytes: size });
    this.bytes += size;
    for (const [k, v] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.entries.delete(k);
      this.bytes -= v.bytes;
    }
  }
}
