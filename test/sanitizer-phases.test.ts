// A race after more barriers than the sanitizer's stamps count in one dispatch (trial 158 A1): each invocation's
// stamp packs its number, its workgroup's and its phase into 31 bits, and past the phase field's range it stops
// checking. That was silent, and a race after 130 storageBarrier()s in a dispatch of 65535 workgroups of 256 passed
// no-data-race on Dawn. Now the case's races are not judged, and it says why. Here 16384 workgroups of 64 leave
// 31 − 6 − 14 = 11 bits: 2046 barriers are counted, 2100 are not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../harness/engines/engine.ts';
import { openEngine } from '../harness/engines/open.ts';
import type { BatchCase } from '../harness/gpu/batch.ts';
import { decodeFindings, sanitizeCase, sanitizeShader } from '../harness/trace/sanitize.ts';

const kernel = (barriers: number) => `@group(0) @binding(0) var<storage, read_write> tmp: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {
  if (wid.x != 0u) { return; }
  for (var k = 0u; k < ${barriers}u; k++) { storageBarrier(); }
  if (lid == 1u) { tmp[0] = 7u; }
  if (lid == 0u) { tmp[1] = tmp[0]; }
}`;

describe('a race past the barriers a stamp counts, on Dawn', () => {
  let engine: Engine;
  beforeAll(async () => {
    process.env.XDG_RUNTIME_DIR ??= '/tmp';
    engine = await openEngine('dawn');
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
  });

  async function findings(barriers: number) {
    const s = sanitizeShader(kernel(barriers));
    const c: BatchCase = { buffers: [{ size: 16, kind: 'storage' }], dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [16384, 1, 1] }], readback: [0] };
    const plan = sanitizeCase(c, [s], [64], () => 'tmp');
    expect(plan.dispatches[0]).toMatchObject({ lidBits: 6, wgBits: 14 });
    const out = (await engine.execute({ shaders: [s.code], cases: [c] })).outputs[0]!;
    return decodeFindings(plan, out[plan.findings]!);
  }

  it('within the count, the race is found', async () => {
    const f = await findings(2000);
    expect(f.raceOff).toBeUndefined();
    expect(f.dispatches[0]!.races[0]).toMatchObject({ variable: 'tmp', byte: 0 });
  }, 300_000);

  it('past it, the case\'s races are not judged, and the reason names the count', async () => {
    const f = await findings(2100);
    expect(f.dispatches[0]!.races).toEqual([]);
    expect(f.raceOff).toBe("an invocation passed more barriers in one dispatch than the race check's stamps count, at most 2046 barriers that order storage memory (a stamp's 31 bits less 6 for the invocation's number and 14 for the workgroup's, of 16384, leave 11 for the phase), and stopped checking: fewer workgroups or fewer barriers per dispatch keep races judged, and the interpreter judges them where its budget allows");
  }, 300_000);
});
