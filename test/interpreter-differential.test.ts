// The interpreter against Dawn, case by case: every library kernel's properties (those both engines run) on the same
// drawn cases, same seed, and the same verdict on every case the interpreter ran. A case the interpreter skipped (over
// its budget, a construct it cannot run) is counted, never compared; a kernel it can run no case of is listed.
// Prints the agreement table (kernels × properties) the issue asks to measure.
import * as fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Engine } from '../harness/engines/engine.ts';
import { DeviceError } from '../harness/gpu/batch.ts';
import { openEngine } from '../harness/engines/open.ts';
import { executeDraws, judge } from '../harness/run/property-runner.ts';
import { loadKernels, type LoadedKernel } from '../harness/run/registry.ts';
import { isTraceProperty } from '../harness/run/trace-properties.ts';
import type { Property, RunOutput } from '../harness/spec.ts';

const SEED = 5;
const RUNS = 2;
/** Small: a case over it is skipped in at most this much CPU time, so the whole comparison stays a few minutes. */
const BUDGET = { maxInvocations: 2048, caseTimeMs: 2000 };
const KERNELS = [...(await loadKernels()).values()];

let dawn: Engine;
let interpreter: Engine;
const rows: Row[] = [];
beforeAll(async () => {
  dawn = await openEngine('dawn');
  interpreter = await openEngine('interpreter', { interpreter: BUDGET });
}, 120_000);
afterAll(async () => {
  await dawn?.close();
  await interpreter?.close();
  const pairs = rows.filter((r) => r.compared > 0);
  const agree = pairs.filter((r) => !r.disagree.length);
  console.log([
    `interpreter vs Dawn, seed ${SEED}, ${RUNS} draws per property: ${agree.length}/${pairs.length} kernel × property pairs agree on every compared case; ${rows.length - pairs.length} pairs had no case the interpreter ran`,
    ...rows.map((r) => `  ${r.kernel.padEnd(15)} ${r.property.padEnd(28)} ${String(r.compared).padStart(2)} compared ${String(r.skipped).padStart(2)} skipped  ${r.disagree.length ? `DISAGREE ${r.disagree.join('; ')}` : r.compared ? 'agree' : `- ${r.why}`}`),
  ].join('\n'));
});

type Row = { kernel: string; property: string; compared: number; skipped: number; disagree: string[]; why: string };

async function verdicts(engine: Engine, k: LoadedKernel, prop: Property, draws: unknown[]) {
  const outs = await executeDraws(engine, k.program, prop, draws, { batchCases: 8 }).catch(async (e) => {
    // A hung batch (a loaded machine) must not take the next kernels' device with it.
    if (e instanceof DeviceError) await engine.recover?.();
    throw e;
  });
  return outs.map((o, i) => (o instanceof Error ? o.message : judge(prop, draws[i], o as RunOutput[]).pass));
}

test.each(KERNELS.map((k) => [k.program.spec.name, k] as const))('%s: on every case the interpreter runs, its verdict is Dawn\'s', async (_, k) => {
  const mine: Row[] = [];
  for (const prop of k.properties) {
    if (isTraceProperty(prop)) continue; // judged on the interpreter's trace: nothing to compare with
    const draws = fc.sample(prop.arbitrary, { seed: SEED, numRuns: RUNS });
    const row: Row = { kernel: k.program.spec.name, property: prop.name, compared: 0, skipped: 0, disagree: [], why: '' };
    const [d, i] = [await verdicts(dawn, k, prop, draws), await verdicts(interpreter, k, prop, draws)];
    draws.forEach((_, n) => {
      if (typeof i[n] === 'string') {
        row.skipped++;
        row.why = i[n];
      } else if (typeof d[n] === 'string') throw new Error(`Dawn skipped a case of ${row.kernel}/${row.property}: ${d[n]}`);
      else {
        row.compared++;
        if (i[n] !== d[n]) row.disagree.push(`case ${n}: Dawn ${d[n] ? 'pass' : 'fail'}, interpreter ${i[n] ? 'pass' : 'fail'}`);
      }
    });
    mine.push(row);
  }
  rows.push(...mine);
  expect(mine.filter((r) => r.disagree.length).map((r) => `${r.property}: ${r.disagree.join('; ')}`)).toEqual([]);
}, 900_000);

test('the comparison compares something: most of the library runs on the interpreter at these sizes', () => {
  expect(rows.filter((r) => r.compared > 0).length).toBeGreaterThan(rows.length / 2);
});
