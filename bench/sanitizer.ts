// What the sanitizer costs: per library kernel on a GPU engine, the same drawn cases run plain and sanitized
// (harness/trace/sanitize.ts: every storage and workgroup access checked for bounds and recorded for races), engine
// time only (compile, dispatch, readback: everything inside engine.execute), after one warm-up of each so that
// first-use compilation is not counted. The goal is at most 5x; compute-sanitizer's racecheck costs about 18x.
// Prints figures, asserts nothing.
// Run with `npx tsx bench/sanitizer.ts [RUNS] [BACKEND] [KERNEL...]` (default: 5 cases, dawn, every library kernel).
import { openEngine } from '../harness/engines/open.ts';
import type { BackendId, Engine } from '../harness/engines/engine.ts';
import { executeDraws } from '../harness/run/property-runner.ts';
import { loadKernels } from '../harness/run/registry.ts';
import { isTraceProperty } from '../harness/run/trace-properties.ts';
import type { Case, Property } from '../harness/spec.ts';
import * as fc from 'fast-check';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
const runs = Number(process.argv[2] ?? 5);
const backend = (process.argv[3] ?? 'dawn') as BackendId;
const names = process.argv.slice(4);
const kernels = await loadKernels(undefined, names.length ? names : undefined);
// A fixed, generous deadline: this measures time, and the watchdog has not learned these shaders' cost yet.
const inner = await openEngine(backend, { timeoutMs: 600_000 });
let engineMs = 0;
const engine: Engine = {
  id: inner.id,
  info: inner.info,
  async execute(batch) {
    const t = performance.now();
    try {
      return await inner.execute(batch);
    } finally {
      engineMs += performance.now() - t;
    }
  },
  close: () => inner.close(),
};

const timed = async (f: () => Promise<unknown>) => {
  await f(); // warm-up: compiles the shaders once
  engineMs = 0;
  await f();
  return engineMs;
};

console.log(`sanitizer overhead on ${backend}, ${runs} cases per kernel, engine time after a warm-up (load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
console.log(`${'kernel'.padEnd(15)} ${'plain ms'.padStart(9)} ${'sanitized ms'.padStart(12)} ${'ratio'.padStart(6)}`);
const ratios: number[] = [];
for (const [name, k] of kernels) {
  const trace = k.properties.find((p) => p.name === 'no-data-race');
  if (!trace || !isTraceProperty(trace)) continue;
  // The same draws both ways: the family's cases, as the trace properties draw them.
  const draws = fc.sample(fc.asyncProperty(trace.arbitrary, async () => true), { seed: 1, numRuns: runs }).map((t) => t[0]) as Case[];
  const plain: Property<unknown, Case> = { name: 'plain', description: '', arbitrary: trace.arbitrary, runs: (c) => [c as Case], check: () => ({ pass: true }) };
  try {
    const p = await timed(() => executeDraws(engine, k.program, plain, draws));
    const s = await timed(() => executeDraws(engine, k.program, trace, draws));
    ratios.push(s / p);
    console.log(`${name.padEnd(15)} ${p.toFixed(0).padStart(9)} ${s.toFixed(0).padStart(12)} ${(s / p).toFixed(1).padStart(6)}`);
  } catch (e) {
    console.log(`${name.padEnd(15)} not measured: ${(e as Error).message.split('\n')[0]}`);
  }
}
const geo = Math.exp(ratios.reduce((a, r) => a + Math.log(r), 0) / Math.max(1, ratios.length));
console.log(`geometric mean ratio ${geo.toFixed(1)}x over ${ratios.length} kernels; largest ${Math.max(...ratios).toFixed(1)}x`);
await engine.close();
