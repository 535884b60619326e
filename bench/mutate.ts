// Seconds per mutant for `kernelscope mutate` on Dawn, and where they go: the engine (shader compile, pipeline,
// dispatch, readback: everything inside engine.execute), the properties' judging (reference, comparison) and the
// rest (drawing is done once, in the baseline). Each kernel runs in stages (harness/mutate/run.ts, `stages`); with
// --one-batch then also every case of a mutant in one stage (one batch; how mutants ran before the stages), in the
// same process, so the ratio is measured at one load. Also the cost of one compile alone (a batch of one tiny case on a shader no cache
// has seen) and of the same batch again (the pipeline cache of harness/gpu/batch.ts).
// Run with `npx tsx bench/mutate.ts [RUNS] [KERNEL...] [--one-batch]` (default: 3 cases per property, softmax and
// matmul, staged only; --one-batch adds the one-batch run, about five times the staged run's time).
import { loadavg } from 'node:os';
import { openEngine } from '../harness/engines/open.ts';
import type { Engine } from '../harness/engines/engine.ts';
import { kernelMutants } from '../harness/cli/mutate.ts';
import { mutationScore, runBaseline, runMutants, type MutantResult } from '../harness/mutate/run.ts';
import { loadKernels } from '../harness/run/registry.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
const args = process.argv.slice(2).filter((a) => a !== '--one-batch');
const oneBatch = args.length < process.argv.length - 2;
const runs = Number(args[0] ?? 3);
const names = args.slice(1).length ? args.slice(1) : ['softmax', 'matmul'];
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

console.log(`kernelscope mutate on Dawn, --runs ${runs} (load average ${loadavg()[0]!.toFixed(1)})`);
console.log(`${'kernel'.padEnd(9)} ${'stages'.padEnd(7)} ${'mutants'.padStart(7)} ${'s/mutant'.padStart(9)} ${'engine'.padStart(7)} ${'judge+rest'.padStart(10)} ${'batches/mutant'.padStart(14)} ${'ms/batch'.padStart(9)}  verdicts`);
for (const name of names) {
  const k = kernels.get(name)!;
  const { mutants } = kernelMutants(k);
  const base = await runBaseline(engine, k, { seed: 1, runs });
  // One compile: the cheapest property's first case alone, on a shader with a comment changed (no cache can help).
  const first = base.properties[0]!;
  const one = { ...base, properties: [{ ...first, draws: first.draws.slice(0, 1), hashes: first.hashes.slice(0, 1), costs: first.costs.slice(0, 1) }] };
  const probe = [{ ...mutants[0]!, start: 0, end: 0, replacement: `// ${Date.now()}\n`, operator: 'ArithmeticOperator' as const, pinWorkgroupSize: false, dispatch: undefined }];
  const timed = async () => {
    const t = performance.now();
    await runMutants(engine, k, probe, one, () => {});
    return performance.now() - t;
  };
  const compileMs = await timed();
  const cachedMs = await timed();
  const verdicts: Record<string, string> = {};
  // Staged first: the second run of the same mutants finds their pipelines compiled already (SwiftShader caches by
  // SPIR-V, so even a changed comment does not defeat it: matmul's 0.16 s compile then costs nothing), which can only
  // flatter the one-stage run that comes second.
  for (const [label, share] of ([['staged', undefined], ['one', 1]] as const).slice(0, oneBatch ? 2 : 1)) {
    engineMs = 0;
    batches = 0;
    const t1 = performance.now();
    const results = await runMutants(engine, k, mutants, base, () => {}, () => false, share);
    const total = performance.now() - t1;
    const ran = results.filter((r) => r.status !== 'Ignored').length;
    const count = (s: string) => results.filter((r) => r.status === s).length;
    const { score } = mutationScore(results);
    verdicts[label] = results.map((r: MutantResult) => r.status).join();
    console.log(`${name.padEnd(9)} ${label.padEnd(7)} ${String(ran).padStart(7)} ${(total / 1000 / ran).toFixed(2).padStart(9)} ${`${((100 * engineMs) / total).toFixed(0)}%`.padStart(7)} ` +
      `${`${((100 * (total - engineMs)) / total).toFixed(0)}%`.padStart(10)} ${(batches / ran).toFixed(1).padStart(14)} ${(engineMs / batches).toFixed(0).padStart(9)}  ` +
      `${count('Killed')} killed, ${count('Survived')} survived, ${count('CompileError')} no-compile, ${count('Ignored')} ignored; score ${score.toFixed(1)}%`);
  }
  console.log(`${name.padEnd(9)} one compile ${compileMs.toFixed(0)} ms, the same batch again ${cachedMs.toFixed(0)} ms; ` +
    `${oneBatch ? `verdicts ${verdicts.one === verdicts.staged ? 'the same' : 'DIFFER'} both ways ` : ''}(load average ${loadavg()[0]!.toFixed(1)})`);
}
await dawn.close();
process.exit(0);
