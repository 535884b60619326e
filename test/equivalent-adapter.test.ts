// An equivalent mutant that holds on one driver only (kernels/equivalent-mutants.json entries with `adapter`): it is
// left out there and judged everywhere else, and the driver fact it rests on is measured again on every run, so a
// driver that stops ignoring the sign of log's argument fails here instead of hiding a killable mutant.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine, EngineInfo } from '../harness/engines/engine.ts';
import { openEngine } from '../harness/engines/open.ts';
import type { BatchCase } from '../harness/gpu/batch.ts';
import { equivalenceHere, loadEquivalents, markEquivalents } from '../harness/mutate/equivalent.ts';
import type { Mutant } from '../harness/mutate/operators.ts';
import { adapterLabel } from '../harness/reports/merge.ts';

const ROOT = new URL('..', import.meta.url).pathname;

/** log_softmax's negated sum (`sum += exp(...)` became `-=`), as `mutate` makes it. */
function negatedSum(): Mutant {
  const entry = loadEquivalents(ROOT).find((e) => e.kernel === 'log_softmax' && e.operator === 'AssignmentOperator')!;
  const at = { line: entry.line, column: 1 };
  const m = { operator: 'AssignmentOperator', file: entry.file, location: { start: at, end: at }, original: '+=', replacement: '-=', description: '+= became -=' } as Mutant;
  markEquivalents('log_softmax', [m], loadEquivalents(ROOT));
  return m;
}

const info = (vendor: string, architecture: string) => ({ backend: 'dawn', status: 'ok', adapter: { vendor, architecture } }) as EngineInfo;

describe('an equivalent mutant scoped to an adapter', () => {
  test('is left out on SwiftShader and judged on any other adapter', () => {
    const m = negatedSum();
    expect(m.equivalentOnAdapter).toBe('swiftshader');
    expect(equivalenceHere(m, info('google', 'swiftshader'))).toMatch(/^equivalent on this adapter \(google swiftshader; reviewed/);
    expect(equivalenceHere(m, info('nvidia', 'ampere'))).toBeUndefined();
    expect(equivalenceHere(m, { backend: 'interpreter', status: 'ok' } as EngineInfo)).toBeUndefined();
  });

  test('an entry without an adapter holds everywhere', () => {
    const m = { operator: 'BoundsGuardDeletion', file: 'softmax.wgsl', location: { start: { line: 24, column: 3 }, end: { line: 26, column: 4 } } } as Mutant;
    m.equivalent = 'a reason';
    expect(equivalenceHere(m, info('nvidia', 'ampere'))).toMatch(/^equivalent \(reviewed/);
  });
});

describe("the driver fact log_softmax's entry rests on", () => {
  let dawn: Engine;
  beforeAll(async () => {
    dawn = await openEngine('dawn');
  }, 60_000);
  afterAll(async () => dawn?.close());

  // Every S a row of log_softmax can have lies in [1, cols]; these span [1, 2^24] and both ends of each binade's mantissa.
  const N = 1 << 16;
  const xs = new Float32Array(N);
  for (let i = 0; i < N; i++) xs[i] = i < 48 ? 2 ** (i >> 1) * (i & 1 ? 2 - 2 ** -23 : 1) : 2 ** (24 * ((i * 0.6180339887) % 1));
  const wgsl = `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
  y[2u * g.x] = log(x[g.x]);
  y[2u * g.x + 1u] = log(-x[g.x]);
}`;

  test('on SwiftShader, log(-x) is log(x) bit for bit', async (ctx) => {
    const m = negatedSum();
    if (!equivalenceHere(m, dawn.info)) ctx.skip(`Dawn's adapter is ${adapterLabel(dawn.info)}, where the entry does not apply`);
    const c: BatchCase = {
      buffers: [{ size: 4 * N, kind: 'storage', data: new Uint8Array(xs.buffer) }, { size: 8 * N, kind: 'storage' }],
      dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }, { group: 0, binding: 1, buffer: 1 }], workgroups: [N / 64, 1, 1] }],
      readback: [1],
    };
    const out = new Uint32Array((await dawn.execute({ shaders: [wgsl], cases: [c] })).outputs[0]![0]!.slice().buffer);
    const differ = [];
    for (let i = 0; i < N; i++) if (out[2 * i] !== out[2 * i + 1]) differ.push(xs[i]);
    expect(differ.slice(0, 5)).toEqual([]);
    // A log that ignored its argument altogether would also pass the line above.
    expect(new Float32Array(out.buffer)[2 * 20]).toBeCloseTo(Math.log(2 ** 10), 5);
  }, 120_000);
});
