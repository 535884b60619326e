import { openEngine } from '../harness/engines/open.ts';
import type { Engine } from '../harness/engines/engine.ts';
import { kernelMutants } from '../harness/cli/mutate.ts';
import { runBaseline, runMutants } from '../harness/mutate/run.ts';
import { loadKernels } from '../harness/run/registry.ts';
const name = process.argv[2] ?? 'softmax';
const k = (await loadKernels(undefined, [name])).get(name)!;
const dawn = await openEngine('dawn');
let log: string[] = [];
const engine: Engine = { id: dawn.id, info: dawn.info, accessChecking: dawn.accessChecking, recover: dawn.recover?.bind(dawn), close: () => dawn.close(),
  async execute(batch) { const t = performance.now(); try { return await dawn.execute(batch); } finally { log.push(`${batch.cases.length}c/${batch.shaders.length}s ${JSON.stringify(batch.requires ?? "")} ${(performance.now() - t).toFixed(0)}ms`); } } };
const { mutants } = kernelMutants(k);
const base = await runBaseline(engine, k, { seed: 1, runs: 3 });
console.log(base.properties.map((b) => `${b.property.name} ${b.ms.toFixed(0)}ms costs=${b.costs.join('/')}`).join('\n'));
log = [];
let t = performance.now();
await runMutants(engine, k, mutants, base, (r) => {
  console.log(`#${r.id} ${r.operator} ${r.status} ${r.killedBy ?? ''} ${(performance.now() - t).toFixed(0)}ms: ${log.join(' | ')}`);
  log = []; t = performance.now();
});
await dawn.close(); process.exit(0);
