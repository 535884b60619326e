// The hash of a case's output bits that results.json keeps per case (caseHashes): the cross-engine comparison and the
// visualizer's side-by-side view tell engines apart by it. Node-free.
import { holdsResults, type KernelSpec, type RunOutput } from '../spec.ts';
import type { CaseTrace } from '../engines/interpreter.ts';

/** results.json's caseMaxUlp entry for a case that did not run (its caseHashes entry is ''): null already means an
 *  unbounded error, and the 0 written before 2026-12-02 read as an exact case. */
export const NOT_RUN = 'not run';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Written before a hash of every buffer (hashBytes: results.json's sourceHash, and the case hashes of kernelscope
 *  before caseHash): results.json files from before it hold FNV-1a hashes of eight hex digits and no tag. */
const HASH_TAG = 'm3:';
/** Written before a case hash of the output buffers only (caseHash), of the cases fc.check draws (checkStream). */
const CHECK_TAG = 'm3c:';
/** The same hash, of the cases drawn before 2026-12-01's round sixteen (fc.sample's stream: another case from the
 *  tenth draw on, so that case i of such a run is not case i of a newer one). */
const OUTPUTS_TAG = 'm3o:';

/** The kinds of recorded case hashes, newest first: only hashes of one kind say, equal or not, whether the outputs
 *  of the same case agree. */
export const HASH_ALGORITHMS = ['murmur3-check-draws', 'murmur3-outputs', 'murmur3', 'fnv1a'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** Which kind a recorded case hash is. */
export const hashAlgorithm = (h: string): HashAlgorithm =>
  h.startsWith(CHECK_TAG) ? 'murmur3-check-draws' : h.startsWith(OUTPUTS_TAG) ? 'murmur3-outputs' : h.startsWith(HASH_TAG) ? 'murmur3' : 'fnv1a';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3 x86_32's mix of one 32-bit block into h. */
const mixBlock = (h: number, k: number): number => {
  k = Math.imul(k, C1);
  k = Math.imul((k << 15) | (k >>> 17), C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
};

/**
 * A 32-bit hash of every array's bits, e.g. 'm3:1b2c3d4e': two engines agree bit for bit iff (almost surely) their
 * hashes agree. MurmurHash3 x86_32 (seed 0) over the arrays' bytes in order, each array's last 1-3 bytes as one
 * block of their own, and the total byte count; one multiply chain per 4 bytes, where the FNV-1a it replaced took
 * four, and hashing every output was a quarter of add's harness time.
 */
export const hashBytes = (arrays: RunOutput[]): string => HASH_TAG + murmur3(arrays.flatMap((out) => arraysOf(out)));

/** A run's arrays in order, the buffers `names` of the spec's `order` (all of them by default): a trace property's run
 *  (the interpreter's CaseTrace, the sanitizer's run) holds every buffer in the spec's order, any other run by name. */
function arraysOf(out: RunOutput, names?: string[], order?: string[]): ArrayBufferView[] {
  if ('dispatches' in out) {
    const outputs = (out as unknown as CaseTrace).outputs;
    return names && order ? outputs.filter((_, i) => names.includes(order[i]!)) : outputs;
  }
  return names ? names.flatMap((n) => (out[n] ? [out[n]] : [])) : Object.values(out);
}

/**
 * results.json's hash of a case (caseHashes), e.g. 'm3c:1b2c3d4e': hashBytes's MurmurHash3 over each run's output
 * and inout buffers in the spec's order, not its inputs (the same bytes on every engine, and half of an element-wise
 * case's bytes: hashing them was a tenth of sigmoid's harness time) nor its scratch (workspace whose contents may
 * differ between correct engines), whether the run is a plain one or a trace property's (a trial's BFS step, whose
 * frontier list is scratch in atomic order, differed between engines on no-data-race alone).
 */
export function caseHash(spec: KernelSpec, runs: RunOutput[]): string {
  const order = Object.keys(spec.buffers);
  const names = order.filter((n) => holdsResults(spec.buffers[n]));
  return CHECK_TAG + murmur3(runs.flatMap((out) => arraysOf(out, names, order)));
}

/** A re-run case's hash in the algorithm of the hash a run recorded for it, where this kernelscope still computes that
 *  one (MurmurHash3 of every buffer, as before caseHash), so that a results.json from before can still be confirmed
 *  or denied by a re-run; caseHash otherwise (an FNV-1a hash stays unknown). */
export function caseHashLike(recorded: string | undefined, spec: KernelSpec, runs: RunOutput[]): string {
  return recorded && hashAlgorithm(recorded) === 'murmur3' ? hashBytes(runs) : caseHash(spec, runs);
}

/** MurmurHash3 x86_32 of the arrays' bytes as one stream (see hashBytes), as eight hex digits. */
function murmur3(arrays: ArrayBufferView[]): string {
  let h = 0;
  let bytes = 0;
  for (const a of arrays) {
    const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    bytes += b.length;
    let i = 0;
    if (LITTLE_ENDIAN && b.byteOffset % 4 === 0) {
      const w = new Uint32Array(b.buffer, b.byteOffset, b.length >>> 2);
      for (let k = 0; k < w.length; k++) h = mixBlock(h, w[k]!);
      i = w.length * 4;
    }
    for (; i + 4 <= b.length; i += 4) h = mixBlock(h, b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24));
    if (i < b.length) {
      let k = 0;
      for (let s = 0; i < b.length; i++, s += 8) k |= b[i]! << s;
      h ^= Math.imul((Math.imul(k, C1) << 15) | (Math.imul(k, C1) >>> 17), C2);
    }
  }
  // MurmurHash3's finalizer: every input bit reaches every output bit.
  h ^= bytes;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The same hash of texts (UTF-8, each preceded by its length): `sourceHash` of two runs tells whether they ran the
 *  same kernel code. */
export const hashTexts = (texts: string[]): string => {
  const encoder = new TextEncoder();
  return hashBytes([Object.fromEntries(texts.flatMap((t, i) => {
    const bytes = encoder.encode(t);
    return [[`length${i}`, new Uint32Array([bytes.length])], [`text${i}`, bytes]];
  }))] as RunOutput[]);
};
