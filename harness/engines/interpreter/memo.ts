// The interpreter's outcomes of whole cases, kept by what the case is. A property's cases are drawn from the same seed
// as its kernel's other properties (property-runner.ts keeps the draws), so matches-reference, inputs-unchanged,
// deterministic and most family properties hand the interpreter byte-identical cases: 44% of its case time in a
// `--runs 10` run of softmax, layernorm, gelu and matmul went to running a case it had already run (measured
// 2026-12-04). Its schedule is fixed and its memory starts zeroed, so the same case gives the same outcome: running
// it again computes nothing new. The GPU engines are never memoized: there a rerun is the point.
import { createHash } from 'node:crypto';
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
/** Bytes of outputs kept at most, over all entries. */
const MAX_OUTPUT_BYTES = 64 << 20;

// -0, NaN and ±Infinity as themselves (JSON writes null for the last three), so that no two cases share a key.
const exactNumbers = (_: string, v: unknown) => (typeof v === 'number' ? (Object.is(v, -0) ? '-0' : `${v}`) : v);

const copies = (bs: Uint8Array[]) => bs.map((b) => b.slice());
const copied = (o: CaseOutcome): CaseOutcome =>
  ({ ...o, outputs: copies(o.outputs), outOfDomain: o.outOfDomain && { ...o.outOfDomain, alternatives: o.outOfDomain.alternatives.map((a) => a && copies(a)) } });
const sizeOf = (bs: Uint8Array[] | undefined) => bs?.reduce((s, b) => s + b.byteLength, 0) ?? 0;
const bytesOf = (o: CaseOutcome) => sizeOf(o.outputs) + (o.outOfDomain?.alternatives.reduce((s, a) => s + sizeOf(a), 0) ?? 0);

export class CaseMemo {
  private entries = new Map<string, CaseOutcome>();
  private bytes = 0;

  /** The case's key: its shaders, everything the case holds and every option that changes an outcome or its text;
   *  undefined for a case too large to keep. */
  keyOf(shaders: string[], c: BatchCase, options: InterpreterOptions): string | undefined {
    let size = 0;
    for (const b of c.buffers) size += b.data?.byteLength ?? 0;
    if (size > MAX_KEY_BYTES) return undefined;
    const h = createHash('sha256');
    for (const s of shaders) h.update(s).update('\0');
    h.update(JSON.stringify({ options, dispatches: c.dispatches, readback: c.readback, buffers: c.buffers.map((b) => [b.size, b.kind, b.fill, b.data?.byteLength]) }, exactNumbers));
    for (const b of c.buffers) if (b.data) h.update(b.data);
    return h.digest('hex');
  }

  /** The kept outcome, as a copy (a caller may write into what it is given). */
  get(key: string): CaseOutcome | undefined {
    const o = this.entries.get(key);
    if (!o) return undefined;
    this.entries.delete(key);
    this.entries.set(key, o);
    return copied(o);
  }

  /** Keeps a copy of the outcome. */
  set(key: string, o: CaseOutcome): void {
    const kept = copied(o);
    const size = bytesOf(kept);
    if (size > MAX_OUTPUT_BYTES) return;
    const old = this.entries.get(key);
    if (old) (this.entries.delete(key), (this.bytes -= bytesOf(old)));
    this.entries.set(key, kept);
    this.bytes += size;
    for (const [k, v] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_OUTPUT_BYTES) break;
      this.entries.delete(k);
      this.bytes -= bytesOf(v);
    }
  }
}
