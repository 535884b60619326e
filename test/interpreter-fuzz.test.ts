// The interpreter computes what Dawn computes, bit for bit, on random programs whose results WGSL fixes exactly
// (test/interpreter-fuzz/programs.ts): integer expressions, statements and control flow, structs, helpers, loops,
// workgroup atomics after barriers, exact f32, storage structs' layouts, private and workgroup memory, i32 atomics,
// integer vectors and the packed 4x8 builtins. Each generator found faults in wgsl_reflect that gave wrong values, not
// skips (patches/README.md §3, §42-§48); their reproducers are in test/interpreter-cases/. A program the interpreter
// refuses is a skip, counted: most must be compared. A program Dawn refuses is a fault of the generator, and fails.
// More runs: KERNELSCOPE_FUZZ_RUNS=500 (and KERNELSCOPE_FUZZ_SEED) npx vitest run test/interpreter-fuzz.test.ts.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../harness/engines/engine.ts';
import { traceCase } from '../harness/engines/interpreter.ts';
import { openEngine } from '../harness/engines/open.ts';
import type { BatchCase } from '../harness/gpu/batch.ts';
import { N, RECS, REC_WORDS, inputs, integerExpressions, integerStatements, integerVectors, memoryInputs, memoryLayouts, structsAndBarriers, type Program } from './interpreter-fuzz/programs.ts';

const RUNS = Number(process.env.KERNELSCOPE_FUZZ_RUNS ?? 100);
const SEED = Number(process.env.KERNELSCOPE_FUZZ_SEED ?? 20261205);

let dawn: Engine;
beforeAll(async () => {
  dawn = await openEngine('dawn');
}, 60_000);
afterAll(async () => dawn?.close());

function oneCase(p: Program, xs: number[]): BatchCase {
  const words = (n: number, fill: (k: number) => number = () => 0) => {
    const w = new Uint32Array(n).map((_, k) => fill(k));
    return { size: n * 4, kind: 'storage' as const, data: new Uint8Array(w.buffer) };
  };
  const buffers = [words(N, (k) => xs[k]!), words(p.words * N)];
  // src's Recs from x, cyclically; dst's zero, so its padding stays 0 where only members are written.
  if (p.recs) buffers.push(words(RECS * REC_WORDS, (k) => xs[k % N]!), words(N * REC_WORDS));
  return {
    buffers,
    dispatches: [{ shader: 0, entry: 'main', bindings: buffers.map((_, b) => ({ group: 0, binding: b, buffer: b })), workgroups: [1, 1, 1] }],
    readback: p.recs ? [1, 3] : [1],
  };
}

const words = (bytes: Uint8Array) => Array.from(new Uint32Array(bytes.slice().buffer));
/** A zero's sign is open where f32 operations meet ±0 (WGSL allows either for some); every other bit must agree. */
const zeroless = (w: number) => (w === 0x80000000 ? 0 : w);

describe.each([
  ['integer expressions', integerExpressions, 0],
  ['integer statements and control flow', integerStatements, 1],
  ['structs, helpers, loops, barriers and exact f32', structsAndBarriers, 2],
  ['storage layouts, private and workgroup memory, i32 atomics', memoryLayouts, 3],
  ['integer vectors and packed 4x8 builtins', integerVectors, 4],
] as const)('%s', (_name, programs, k) => {
  test('the interpreter computes what Dawn computes', async () => {
    let compared = 0;
    let skipped = 0;
    await fc.assert(
      fc.asyncProperty(programs, k === 3 ? memoryInputs : inputs, async (p, xs) => {
        const c = oneCase(p, xs);
        const gpu = await dawn.execute({ shaders: [p.code], cases: [c] });
        const t = traceCase([p.code], c);
        if (t.skipped) {
          skipped++;
          return;
        }
        compared++;
        const [mine, dawns] = [words(t.outputs[0]!), words(gpu.outputs[0]![0]!)];
        // Bitwise but for a zero's sign, and only in f32 words (the last of three in structsAndBarriers).
        const f32 = (i: number) => p.words === 3 && i % 3 === 2;
        expect(mine.map((w, i) => (f32(i) ? zeroless(w) : w))).toEqual(dawns.map((w, i) => (f32(i) ? zeroless(w) : w)));
        if (p.recs) expect(words(t.outputs[1]!).map(zeroless)).toEqual(words(gpu.outputs[0]![1]!).map(zeroless));
      }),
      { numRuns: RUNS, seed: SEED + k },
    );
    console.log(`${_name}: ${compared} programs compared, ${skipped} not supported on the interpreter`);
    expect(compared).toBeGreaterThanOrEqual(RUNS * 0.8);
  }, 600_000);
});
