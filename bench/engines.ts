// Per-case cost on every engine: one case per submit (a batch of one, awaited) against 40 cases in one submit, and
// Firefox with and without the empty-submit nudge. Prints a table; run with `npx tsx bench/engines.ts [ROUNDS]`.
import { openFirefox } from '../harness/engines/firefox.ts';
import { BACKENDS, EngineUnavailable, type Engine } from '../harness/engines/engine.ts';
import { openEngine } from '../harness/engines/open.ts';
import { addBatch } from '../test/engines-batches.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
const rounds = Number(process.argv[2] ?? 40);
const N = 1024;

async function measure(e: Engine, label: string) {
  const single = addBatch(1, N).batch;
  const many = addBatch(rounds, N).batch;
  await e.execute(single); // compile and warm up
  let t0 = performance.now();
  for (let i = 0; i < rounds; i++) await e.execute(single);
  const one = (performance.now() - t0) / rounds;
  t0 = performance.now();
  const r = await e.execute(many);
  const batched = (performance.now() - t0) / rounds;
  const skipped = r.skipped?.filter((s) => s).length ?? 0;
  console.log(`${label.padEnd(22)} ${one.toFixed(2).padStart(9)} ms ${batched.toFixed(2).padStart(9)} ms ${(one / batched).toFixed(1).padStart(7)}x${skipped ? `  (${skipped} skipped)` : ''}`);
}

console.log(`c = a + b, ${N} elements; ${rounds} cases one per submit vs ${rounds} cases in one submit`);
console.log(`${'engine'.padEnd(22)} ${'1 case/submit'.padStart(12)} ${`${rounds} cases/submit`.padStart(12)} ${'gain'.padStart(8)}`);
for (const id of BACKENDS) {
  let e: Engine;
  try {
    e = await openEngine(id);
  } catch (err) {
    if (err instanceof EngineUnavailable) {
      console.log(`${id.padEnd(22)} unavailable: ${err.message}`);
      continue;
    }
    throw err;
  }
  try {
    await measure(e, `${id} (${e.info.adapter?.architecture || e.info.adapter?.description?.replace(/^.*: /, '').slice(0, 12) || '?'})`);
  } finally {
    await e.close();
  }
}
const ff = await openFirefox({ nudge: false });
try {
  await measure(ff, 'firefox without nudge');
} finally {
  await ff.close();
}
process.exit(0);
