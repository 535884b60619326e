// What the sanitizer costs: per library kernel on a GPU engine, the same drawn cases run plain and sanitized
// (harness/trace/sanitize.ts: every storage and workgroup access checked for bounds and recorded for races), engine
// time only (compile, dispatch, readback: one submit of the engine per batch), after one warm-up of each so that
// first-use compilation is not counted; the last column gives the warm-up's ratios, compilation included (what one
// property run pays). The goal is at most 5x; compute-sanitizer's racecheck costs about 18x.
// "before" is the sanitizer as of commit SANITIZER_BEFORE (default a5ba15d, before its overhead was cut; `none` to
// leave it out), loaded from git and run on the same cases in the same batches (its constants are per case, so its
// pipelines are compiled per case shape: the warm-up hides that, real runs paid it). The variants take turns REPS times
// (default 3) and each keeps its fastest time, so that a burst of load on this shared machine hits one turn, not
// one variant. Prints figures, asserts nothing.
// Run with `npx tsx bench/sanitizer.ts [RUNS] [BACKEND] [KERNEL...]` (default: 5 cases, dawn, every library kernel).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openEngine } from '../harness/engines/open.ts';
import type { BackendId, Engine } from '../harness/engines/engine.ts';
import { WatchedEngine } from '../harness/engines/watchdog.ts';
import type { DispatchBatch } from '../harness/gpu/batch.ts';
import { executeDraws } from '../harness/run/property-runner.ts';
import { loadKernels } from '../harness/run/registry.ts';
import { isTraceProperty } from '../harness/run/trace-properties.ts';
import { CONFIG_AT, sanitizeShader, type SanitizedShader } from '../harness/trace/sanitize.ts';
import type { Case, Property } from '../harness/spec.ts';
import * as fc from 'fast-check';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
const ROOT = resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 5);
const backend = (process.argv[3] ?? 'dawn') as BackendId;
const names = process.argv.slice(4);
const reps = Number(process.env.REPS ?? 3);
const beforeRef = process.env.SANITIZER_BEFORE ?? 'a5ba15d';

/** The earlier rewrite, from git: its module written next to a copy whose imports point into this checkout. */
async function loadBefore(ref: string): Promise<((code: string) => string) | string> {
  let text: string;
  try {
    text = execFileSync('git', ['show', `${ref}:harness/trace/sanitize.ts`], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    return `not measured: git show ${ref}:harness/trace/sanitize.ts failed (${(e as Error).message.split('\n')[0]})`;
  }
  const file = join(mkdtempSync(join(tmpdir(), 'ks-sanitize-before-')), 'sanitize.ts');
  writeFileSync(file, text.replaceAll(`from '../`, `from '${pathToFileURL(join(ROOT, 'harness')).href}/`));
  const mod = (await import(pathToFileURL(file).href)) as { sanitizeShader(code: string): { code: string } };
  return (code) => mod.sanitizeShader(code).code;
}
const before = beforeRef === 'none' ? 'left out (SANITIZER_BEFORE=none)' : await loadBefore(beforeRef);

const kernels = await loadKernels(undefined, names.length ? names : undefined);
const inner = await openEngine(backend);
// Past the watchdog: it splits a batch into submits by a learned cost (different for plain and sanitized shaders)
// and recalibrates inside execute after a slow submit, which would time its own work instead of the kernel's.
const run = inner instanceof WatchedEngine ? (b: DispatchBatch) => inner.inner.run(b, 600_000) : (b: DispatchBatch) => inner.execute(b);
let engineMs = 0;
/** While measuring "before": the current rewrite of each source mapped to the earlier rewrite's text. */
let swap: Map<string, { before: string; now: SanitizedShader }> | undefined;
const engine: Engine = {
  id: inner.id,
  info: inner.info,
  async execute(batch: DispatchBatch) {
    if (swap) batch = toBefore(batch, swap);
    const t = performance.now();
    try {
      return await run(batch);
    } finally {
      engineMs += performance.now() - t;
    }
  },
  close: () => inner.close(),
};

/** The batch as the earlier rewrite (a5ba15d) takes it: the same findings and shadow bindings, but a dispatch's
 *  number, stamp layout and shadow offsets as override constants instead of the config buffer. */
function toBefore(batch: DispatchBatch, map: NonNullable<typeof swap>): DispatchBatch {
  const cases = batch.cases.map((c) => ({
    ...c,
    dispatches: c.dispatches.map((d) => {
      const s = map.get(batch.shaders[d.shader]!);
      const at = s && d.bindings.find((b) => b.binding === s.now.binding + CONFIG_AT);
      if (!s || !at) return d;
      const data = c.buffers[at.buffer]!.data!;
      const w = new Uint32Array(data.buffer, data.byteOffset, data.byteLength / 4);
      const bases = Object.fromEntries(w[3] ? s.now.shadowed.map((v, k) => [`_ks_base_${v.id}`, w[4 + k]!]) : []);
      return { ...d, bindings: d.bindings.filter((b) => b !== at), constants: { ...d.constants, _ks_dispatch: w[0]!, _ks_lid_bits: w[1]!, _ks_wg_bits: w[2]!, _ks_races: w[3]!, ...bases } };
    }),
  }));
  return { ...batch, shaders: batch.shaders.map((s) => map.get(s)?.before ?? s), cases };
}

console.log(`sanitizer overhead on ${backend}, ${runs} cases per kernel, engine time after a warm-up, fastest of ${reps} turns (load average ${loadavg()[0]!.toFixed(1)})`);
if (typeof before === 'string') console.log(`before (${beforeRef}): ${before}`);
const withBefore = typeof before === 'function';
console.log(`${'kernel'.padEnd(15)} ${'plain ms'.padStart(9)}${withBefore ? ` ${'before ms'.padStart(10)}` : ''} ${'after ms'.padStart(9)}${withBefore ? ` ${'before'.padStart(7)}` : ''} ${'after'.padStart(6)}   first turn (compiling)`);
const ratios: { before: number[]; after: number[] } = { before: [], after: [] };
for (const [name, k] of kernels) {
  const trace = k.properties.find((p) => p.name === 'no-data-race');
  if (!trace || !isTraceProperty(trace)) continue;
  // The same draws every way: the family's cases, as the trace properties draw them.
  const draws = fc.sample(fc.asyncProperty(trace.arbitrary, async () => true), { seed: 1, numRuns: runs }).map((t) => t[0]) as Case[];
  const plain: Property<unknown, Case> = { name: 'plain', description: '', arbitrary: trace.arbitrary, runs: (c) => [c as Case], check: () => ({ pass: true }) };
  const swapOf = withBefore ? new Map(Object.values(k.program.sources).map((src) => {
    const now = sanitizeShader(src);
    return [now.code, { before: before(src), now }];
  })) : undefined;
  const variants = { plain: () => executeDraws(engine, k.program, plain, draws), ...(withBefore ? { before: () => executeDraws(engine, k.program, trace, draws) } : {}), after: () => executeDraws(engine, k.program, trace, draws) };
  try {
    const best: Record<string, number> = {};
    const first: Record<string, number> = {};
    for (let turn = 0; turn <= reps; turn++) {
      for (const [v, f] of Object.entries(variants)) {
        swap = v === 'before' ? swapOf : undefined;
        engineMs = 0;
        await f();
        // Turn 0 is the warm-up: it compiles the shaders (kept as "first", what one property run pays).
        if (turn > 0) best[v] = Math.min(best[v] ?? Infinity, engineMs);
        else first[v] = engineMs;
      }
    }
    swap = undefined;
    const r = (v: string) => best[v]! / best.plain!;
    const f = (v: string) => (first[v]! / first.plain!).toFixed(1);
    ratios.after.push(r('after'));
    if (withBefore) ratios.before.push(r('before'));
    const ms = (v: string) => best[v]!.toFixed(0);
    console.log(`${name.padEnd(15)} ${ms('plain').padStart(9)}${withBefore ? ` ${ms('before').padStart(10)}` : ''} ${ms('after').padStart(9)}${withBefore ? ` ${r('before').toFixed(1).padStart(7)}` : ''} ${r('after').toFixed(1).padStart(6)}   ${withBefore ? `${f('before')} -> ` : ''}${f('after')}`);
  } catch (e) {
    swap = undefined;
    console.log(`${name.padEnd(15)} not measured: ${(e as Error).message.split('\n')[0]}`);
  }
}
const summary = (xs: number[]) => `geometric mean ${Math.exp(xs.reduce((a, r) => a + Math.log(r), 0) / Math.max(1, xs.length)).toFixed(1)}x, largest ${Math.max(...xs).toFixed(1)}x`;
if (withBefore) console.log(`before: ${summary(ratios.before)} over ${ratios.before.length} kernels`);
console.log(`after: ${summary(ratios.after)} over ${ratios.after.length} kernels (goal: at most 5x each); load average now ${loadavg()[0]!.toFixed(1)}`);
await engine.close();
