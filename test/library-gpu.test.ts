// Library kernels against each other on a real engine (Dawn): softmax_online must agree with softmax on the same
// rows, element by element, within the sum of the two kernels' own bounds (each is within its bound of the same
// exact softmax), and a wrong online kernel must be told apart.
import { join } from 'node:path';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../harness/engines/engine.ts';
import { openDawn } from '../harness/engines/dawn.ts';
import { executeDraws } from '../harness/run/property-runner.ts';
import { loadKernels, withWgsl, type LoadedKernel } from '../harness/run/registry.ts';
import type { Case, Property, RunOutput } from '../harness/spec.ts';
import { softmaxTolerance } from '../properties/softmax-bound.ts';
import { softmaxCase, softmaxDraw, type SoftmaxDraw } from '../properties/softmax.properties.ts';
import { softmax } from '../reference/softmax.ts';

const ROOT = join(import.meta.dirname, '..');
const DRAWS = Number(process.env.SOFTMAX_AGREEMENT_DRAWS ?? 60);

let engine: Engine;
let kernels: Map<string, LoadedKernel>;

beforeAll(async () => {
  engine = await openDawn();
  kernels = await loadKernels(ROOT, ['softmax', 'softmax_online']);
}, 120_000);

afterAll(async () => {
  await engine?.close();
});

const oneRun: Property<SoftmaxDraw, SoftmaxDraw> = {
  name: 'run', description: '', arbitrary: softmaxDraw, runs: (d) => [softmaxCase(d)], check: () => ({ pass: true }),
};

async function outputs(k: LoadedKernel, draws: SoftmaxDraw[]): Promise<Float32Array[]> {
  const out = await executeDraws(engine, k.program, oneRun, draws);
  return out.map((o) => {
    if (!Array.isArray(o)) throw new Error(`a draw came back without outputs: ${String(o)}`);
    return (o as RunOutput[])[0]!.y as Float32Array;
  });
}

/** Elements where |online − softmax| > tol_online + tol_softmax, with the first one described. */
function disagreements(d: SoftmaxDraw, direct: Float32Array, online: Float32Array): { count: number; first?: string } {
  const c: Case<SoftmaxDraw> = softmaxCase(d);
  const x = c.inputs.x!;
  const y = softmax(x, d.rows, d.cols);
  const tolDirect = softmaxTolerance(x, y, d.rows, d.cols, 0, 'direct');
  const tolOnline = softmaxTolerance(x, y, d.rows, d.cols, 0, 'online');
  let count = 0;
  let first: string | undefined;
  for (let i = 0; i < y.length; i++) {
    const diff = Math.abs(online[i]! - direct[i]!);
    const allowed = tolOnline[i]! + tolDirect[i]!;
    if (!(diff <= allowed)) {
      count++;
      first ??= `${JSON.stringify(d)}: y[${i}] online ${online[i]} vs softmax ${direct[i]} (|diff| ${diff} > ${allowed})`;
    }
  }
  return { count, ...(first ? { first } : {}) };
}

describe('softmax_online agrees with softmax', () => {
  const draws = fc.sample(softmaxDraw, { seed: 11, numRuns: DRAWS });

  it(`on ${DRAWS} drawn cases, within tol_online + tol_softmax element-wise`, async () => {
    const direct = await outputs(kernels.get('softmax')!, draws);
    const online = await outputs(kernels.get('softmax_online')!, draws);
    const bad = draws.map((d, i) => disagreements(d, direct[i]!, online[i]!)).filter((r) => r.count > 0);
    expect(bad.map((b) => b.first)).toEqual([]);
  }, 300_000);

  it('and a kernel that forgets to rescale the running sum does not', async () => {
    const wrong = withWgsl(kernels.get('softmax_online')!, join(ROOT, 'test', 'wrong-kernels', 'lib_softmax_online_no_rescale.wgsl'));
    const direct = await outputs(kernels.get('softmax')!, draws);
    const online = await outputs(wrong, draws);
    const bad = draws.filter((d, i) => disagreements(d, direct[i]!, online[i]!).count > 0);
    // Not every row shows it (a row whose running max never grows after its first term needs no rescale), but
    // most drawn rows do.
    expect(bad.length).toBeGreaterThan(DRAWS / 4);
  }, 300_000);
});
