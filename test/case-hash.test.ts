import { describe, expect, it } from 'vitest';
import { caseHash, caseHashLike, hashAlgorithm, hashBytes as hashRuns, hashTexts } from '../harness/results/case-hash.ts';
import type { KernelSpec } from '../harness/spec.ts';
import type { RunOutput } from '../harness/spec.ts';

/** hashBytes over runs of one output each (any view: the hash reads bytes). */
const hashBytes = (runs: Record<string, ArrayBufferView>[]) => hashRuns(runs as unknown as RunOutput[]);

const bytes = (s: string) => Uint8Array.from(new TextEncoder().encode(s));

describe('case hashes', () => {
  it('are MurmurHash3 x86_32 (seed 0) of the output bytes, tagged', () => {
    // The algorithm's published test vectors.
    expect(hashBytes([{ x: bytes('') }])).toBe('m3:00000000');
    expect(hashBytes([{ x: bytes('hello') }])).toBe('m3:248bfa47');
    expect(hashBytes([{ x: bytes('The quick brown fox jumps over the lazy dog') }])).toBe('m3:2e4ff723');
    // Words read through a Uint32Array and bytes read one at a time (an unaligned view) give the same hash.
    const words = new Float32Array([1.5, -2, 3e-39, NaN]);
    const unaligned = new Uint8Array(words.byteLength + 1).subarray(1);
    unaligned.set(new Uint8Array(words.buffer));
    expect(hashBytes([{ y: unaligned }])).toBe(hashBytes([{ y: words }]));
  });

  it('tell apart outputs that differ in one bit, or only in the signs of two elements', () => {
    const y = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i));
    const h = hashBytes([{ y }]);
    for (const i of [0, 499, 999]) {
      const flipped = y.slice();
      new Uint32Array(flipped.buffer)[i]! ^= 1;
      expect(hashBytes([{ y: flipped }])).not.toBe(h);
    }
    // Two sign bits: a hash that xors each word into the high bits unmixed (word-wise FNV-1a) cancels them.
    const signs = y.slice();
    signs[3] = -signs[3]!;
    signs[700] = -signs[700]!;
    expect(hashBytes([{ y: signs }])).not.toBe(h);
    // Which array a byte is in counts only through the order: the runs' outputs are hashed as one stream.
    expect(hashBytes([{ a: y.subarray(0, 10) }, { a: y.subarray(10) }])).toBe(hashBytes([{ a: y }]));
  });

  it('hashes texts with their boundaries: a kernel\'s files split otherwise are other code', () => {
    expect(hashTexts(['a.wgsl', 'x'])).toMatch(/^m3:[0-9a-f]{8}$/);
    expect(hashTexts(['ab', 'c'])).not.toBe(hashTexts(['a', 'bc']));
    expect(hashTexts(['fn main() {}'])).not.toBe(hashTexts(['fn main() { }']));
    expect(hashTexts(['é'])).toBe(hashTexts(['é']));
  });

  it('names the algorithm of a recorded hash', () => {
    expect(hashAlgorithm('m3c:0123abcd')).toBe('murmur3-check-draws');
    expect(hashAlgorithm('m3o:0123abcd')).toBe('murmur3-outputs');
    expect(hashAlgorithm('m3:0123abcd')).toBe('murmur3');
    expect(hashAlgorithm('0123abcd')).toBe('fnv1a');
  });

  it("of a case (caseHash) are of its output and inout buffers only, in the spec's order, every run's in turn", () => {
    const buffer = (role: string) => ({ role, type: 'f32', length: () => 4 });
    const spec = { buffers: { x: buffer('input'), y: buffer('output'), partials: buffer('scratch'), acc: buffer('inout') } } as unknown as KernelSpec;
    const run = (x: number, y: number, partials: number, acc: number) =>
      ({ x: Float32Array.of(x), y: Float32Array.of(y), partials: Float32Array.of(partials), acc: Float32Array.of(acc) });
    const h = caseHash(spec, [run(1, 2, 3, 4), run(5, 6, 7, 8)]);
    expect(h).toBe(`m3c:${hashBytes([{ y: Float32Array.of(2) }, { acc: Float32Array.of(4) }, { y: Float32Array.of(6) }, { acc: Float32Array.of(8) }]).slice(3)}`);
    // Inputs and scratch change nothing (the same on every engine, or workspace that may differ between correct ones);
    // an output or inout element does.
    expect(caseHash(spec, [run(9, 2, 9, 4), run(9, 6, 9, 8)])).toBe(h);
    expect(caseHash(spec, [run(1, 2, 3, 4), run(5, 6, 7, 9)])).not.toBe(h);
    expect(caseHash(spec, [run(1, 2, 3, 4), run(5, -6, 7, 8)])).not.toBe(h);
    // A re-run is hashed as the recorded hash was where that is still computed: every buffer for an 'm3:' one.
    const runs = [run(1, 2, 3, 4)];
    expect(caseHashLike('m3:0123abcd', spec, runs)).toBe(hashRuns(runs));
    expect(caseHashLike('m3o:0123abcd', spec, runs)).toBe(caseHash(spec, runs));
    expect(caseHashLike('0123abcd', spec, runs)).toBe(caseHash(spec, runs));
    expect(caseHashLike(undefined, spec, runs)).toBe(caseHash(spec, runs));
    // A trace property's run holds every buffer in the spec's order: its scratch is left out too (a trial's BFS step,
    // whose frontier list is scratch in atomic order, "differed in bits" between engines on no-data-race alone).
    const trace = (r: ReturnType<typeof run>) => ({ outputs: Object.values(r).map((a) => new Uint8Array(a.buffer)), dispatches: [] }) as unknown as RunOutput;
    expect(caseHash(spec, [trace(run(1, 2, 3, 4)), trace(run(5, 6, 7, 8))])).toBe(h);
    expect(caseHash(spec, [trace(run(9, 2, 9, 4)), trace(run(9, 6, 9, 8))])).toBe(h);
  });
});
