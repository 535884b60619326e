import * as fc from 'fast-check';
import { loadKernels } from './harness/run/registry.ts';
import { validateProgram } from './harness/run/program.ts';
const ks = await loadKernels();
for (const [name, k] of ks) {
  const draws = fc.sample(k.family.cases, { seed: 1, numRuns: 3 });
  try { for (const d of draws) validateProgram(k.program, d.shape); console.log('ok', name); } catch (e) { console.log('FAIL', name, (e as Error).message); }
}
