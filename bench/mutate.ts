// Seconds per mutant for `kernelscope mutate` on Dawn, and where they go: the engine (shader compile, pipeline,
// dispatch, readback: everything inside engine.execute), the properties' judging (reference, comparison) and the
// rest (drawing is done once, in the baseline). Also the cost of one compile alone: a batch of a single tiny case.
// Run with `npx tsx bench/mutate.ts [RUNS] [KERNEL...]` (default: 5 cases per property, softmax and matmul).
import { openEngine } from '../harness/engines/open.ts';
import type { Engine } from '../harness/engines/engine.ts';
import { kernelMutants } from '../harness/cli/mutate.ts';
import { mutationScore, runBaseline, runMutants } from '../harness/mutate/run.ts';
import { loadKernels } from '../harness/run/registry.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
const runs = Number(process.argv[2] ?? 5);
const names = process.argv.slice(3).length ? process.argv.slice(3) : ['softmax', 'matmul'];
const kernels = await loadKernels(undefined, names);
const dawn = await openEngine('dawn');

// Time spent inside the engine, and the number of batches, counted around execute().
let engineMs = 0;
let batches = 0;
const engine: Engine = {
  id: dawn.id,
  info: dawn.info,
  async execute(batch) {
    const t = performance.now();
    batches++;
    try {
      return await dawn.execute(batch);
    } finally {
      engineMs += performance.now() - t;
    }
  },
  recover: dawn.recover?.bind(dawn),
  close: () => dawn.close(),
};

console.log(`kernelscope mutate on Dawn, --runs ${runs} (load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
console.log(`${'kernel'.padEnd(9)} ${'mutants'.padStart(7)} ${'s/mutant'.padStart(9)} ${'engine'.padStart(7)} ${'judge+rest'.padStart(10)} ${'batches/mutant'.padStart(14)} ${'ms/batch'.padStart(9)} ${'1 compile'.padStart(10)}  verdicts`);
for (const name of names) {
  const k = kernels.get(name)!;
  const { mutants } = kernelMutants(k);
  const base = await runBaseline(engine, k, { seed: 1, runs });
  // One compile: the cheapest property's first case alone, on a shader with a comment changed (no cache can help).
  const first = base.properties[0]!;
  const t0 = performance.now();
  await runMutants(engine, k, [{ ...mutants[0]!, start: 0, end: 0, replacement: `// ${Date.now()}\n`, operator: 'ArithmeticOperator', pinWorkgroupSize: false, dispatch: undefined }],
    { ...base, properties: [{ ...first, draws: first.draws.slice(0, 1), hashes: first.hashes.slice(0, 1) }] }, () => {});
  const compileMs = performance.now() - t0;
  engineMs = 0;
  batches = 0;
  const t1 = performance.now();
  const results = await runMutants(engine, k, mutants, base, () => {});
  const total = performance.now() - t1;
  const ran = results.filter((r) => r.status !== 'Ignored').length;
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const { score } = mutationScore(results);
  console.log(`${name.padEnd(9)} ${String(ran).padStart(7)} ${(total / 1000 / ran).toFixed(2).padStart(9)} ${`${((100 * engineMs) / total).toFixed(0)}%`.padStart(7)} ${`${((100 * (total - engineMs)) / total).toFixed(0)}%`.padStart(10)} ` +
    `${(batches / ran).toFixed(1).padStart(14)} ${(engineMs / batches).toFixed(0).padStart(9)} ${`${compileMs.toFixed(0)} ms`.padStart(10)}  ` +
    `${count('Killed')} killed, ${count('Survived')} survived, ${count('CompileError')} no-compile, ${count('Ignored')} ignored; score ${score.toFixed(1)}%`);
}
await dawn.close();
process.exit(0);
