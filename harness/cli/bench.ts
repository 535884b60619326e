// `kernelscope bench [KERNEL] [--backend ID]`: where a case's time goes, per kernel: drawing the inputs, building
// the batch, the engine round trip (batched, and one case per submit), and judging against the reference.
// Figures, not assertions: these machines are shared, so compare the ratios within one run.
import * as fc from 'fast-check';
import type { BackendId } from '../engines/engine.ts';
import { openEngine } from '../engines/open.ts';
import { executeDraws } from '../run/property-runner.ts';
import { loadKernels } from '../run/registry.ts';
import { describeAdapter } from '../run/suite.ts';
import { UsageError } from './usage.ts';

const CASES = 32;

export async function benchCommand(kernelName: string | undefined, backend: BackendId): Promise<number> {
  const kernels = await loadKernels();
  if (kernelName && !kernels.has(kernelName)) throw new UsageError(`unknown kernel '${kernelName}' (kernels: ${[...kernels.keys()].join(', ')})`);
  const engine = await openEngine(backend);
  console.log(`${backend}: ${describeAdapter(engine)}; ${CASES} cases of matches-reference per kernel, seed 1`);
  console.log(['kernel', 'draw ms', 'batched ms/case', 'single ms/case', 'judge ms/case', 'round trip share'].map((h, i) => (i ? h.padStart(16) : h.padEnd(16))).join(''));
  try {
    for (const k of kernels.values()) {
      if (kernelName && k.program.spec.name !== kernelName) continue;
      const prop = k.properties.find((p) => p.name === 'matches-reference')!;
      let t = performance.now();
      const draws = fc.sample(prop.arbitrary, { seed: 1, numRuns: CASES });
      const drawMs = performance.now() - t;
      await executeDraws(engine, k.program, prop, draws.slice(0, 1)); // warm the pipeline cache and the JIT
      t = performance.now();
      const outs = await executeDraws(engine, k.program, prop, draws);
      const batchedMs = (performance.now() - t) / CASES;
      const single = draws.slice(0, 8);
      t = performance.now();
      for (const d of single) await executeDraws(engine, k.program, prop, [d]);
      const singleMs = (performance.now() - t) / single.length;
      t = performance.now();
      draws.forEach((d, i) => {
        const o = outs[i];
        if (Array.isArray(o)) prop.check(d, o);
      });
      const judgeMs = (performance.now() - t) / CASES;
      const share = batchedMs / (batchedMs + judgeMs + drawMs / CASES);
      console.log([k.program.spec.name.padEnd(16), drawMs.toFixed(1), batchedMs.toFixed(2), singleMs.toFixed(2), judgeMs.toFixed(2), `${(share * 100).toFixed(0)}%`]
        .map((s, i) => (i ? s.padStart(16) : s)).join(''));
    }
  } finally {
    await engine.close();
  }
  return 0;
}
