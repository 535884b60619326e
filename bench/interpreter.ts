// Seconds the interpreter takes to trace matmul 32³ and softmax 4 × 1024 with every access recorded (out-of-bounds and
// race checks on), through the path the no-out-of-bounds / no-data-race properties take: kernel program -> traceDraw ->
// traceCase. The goal (issue 12, item 5) is under 5 s each; matmul_tiled 32³ (workgroup memory, barriers, nested
// arrays) is timed with them. CPU time of this process is printed next to wall time
// (CPU time means nearly the same on a loaded machine), with the load average. The first run of each case includes
// V8's warm-up; later ones (REPEATS > 1) are what a property's later cases cost.
// Run with `npx tsx bench/interpreter.ts [--profile] [--only=KERNEL] [REPEATS]` (default 1 run). --profile
// samples each case with V8's CPU profiler (which slows it about twofold) and prints where its time went, by part
// (wgsl_reflect's one-line bundle is mapped back to its TypeScript source through the source map it ships) and by
// function.
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRequire, SourceMap } from 'node:module';
import { loadavg } from 'node:os';
import { cpuMs } from '../harness/engines/interpreter/dispatch.ts';
import type { CaseTrace } from '../harness/engines/interpreter.ts';
import { loadKernels } from '../harness/run/registry.ts';
import { isTraceProperty, traceDraw } from '../harness/run/trace-properties.ts';
import type { Case } from '../harness/spec.ts';

const profile = process.argv.includes('--profile');
const repeats = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 1);
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const kernels = await loadKernels(undefined, ['matmul', 'matmul_tiled', 'softmax']);

/** Deterministic inputs in [-2, 2): the values do not change the work done. */
function filled(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 4 - 2;
  }
  return out;
}

const cases: { name: string; kernel: string; c: Case }[] = [
  { name: 'matmul 32³', kernel: 'matmul', c: { shape: { M: 32, N: 32, K: 32 }, inputs: { a: filled(1024, 1), b: filled(1024, 2), bias: filled(32, 3) } } },
  { name: 'matmul_tiled 32³', kernel: 'matmul_tiled', c: { shape: { M: 32, N: 32, K: 32 }, inputs: { a: filled(1024, 1), b: filled(1024, 2), bias: filled(32, 3) } } },
  { name: 'softmax 4 × 1024', kernel: 'softmax', c: { shape: { rows: 4, cols: 1024 }, inputs: { x: filled(4096, 4) } } },
];

// No budget gets in the way: the point is how long the whole case takes.
const unlimited = { maxInvocations: 1 << 30, stepBudget: 1e12, caseTimeMs: 1e9 };

const session = new Session();
if (profile) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
}

type Profile = { nodes: { id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[]; startTime: number; endTime: number };

/** Where each function of wgsl_reflect's one-line bundle came from: its TypeScript file, class and declaration. */
function bundleOrigins() {
  const require = createRequire(import.meta.url);
  const map = JSON.parse(readFileSync(`${require.resolve('wgsl_reflect/wgsl_reflect.module.js')}.map`, 'utf8')) as { sources: string[]; sourcesContent: string[] };
  const sm = new SourceMap(map as never);
  const lines = new Map(map.sources.map((s, i) => [s, map.sourcesContent[i]!.split('\n')]));
  return (line: number, column: number): { file: string; cls: string; fn: string } => {
    const e = sm.findEntry(line, column) as { originalSource?: string; originalLine?: number };
    if (!e.originalSource) return { file: '?', cls: '', fn: '?' };
    const src = lines.get(e.originalSource) ?? [];
    let cls = '';
    for (let i = e.originalLine!; i >= 0; i--) {
      const m = /^export (?:abstract )?class (\w+)|^class (\w+)/.exec(src[i] ?? '');
      if (m) {
        cls = m[1] ?? m[2]!;
        break;
      }
    }
    return { file: e.originalSource, cls, fn: (src[e.originalLine!] ?? '').trim().slice(0, 60) };
  };
}

/** The part of the interpreter a function belongs to, for the summary. */
function partOf(file: string, cls: string, url: string): string {
  if (url.includes('/interpreter/dispatch.ts')) return 'per-access bookkeeping (dispatch.ts)';
  if (url.includes('/interpreter/fixes.ts')) return 'our hooks (fixes.ts)';
  if (file === 'src/exec/race_detector.ts') return cls === 'WorkgroupScheduler' ? 'scheduler (WorkgroupScheduler, stepping)' : 'per-access bookkeeping (MemoryTracker, TrackedTypedData)';
  if (/wgsl_debug|exec\/(command|stack_frame|exec_stack)/.test(file)) return 'scheduler (WorkgroupScheduler, stepping)';
  if (/wgsl_exec|exec_context|builtin_functions|wgsl_ast|reflect\/info|utils\//.test(file)) return "wgsl_reflect's expression evaluation";
  if (file !== '') return `wgsl_reflect (${file})`;
  return '';
}

let origins: ReturnType<typeof bundleOrigins> | undefined;

function summarise(p: Profile) {
  origins ??= bundleOrigins();
  const total = p.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
  const parts = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const node of p.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    let part: string;
    let fn: string;
    if (url.includes('wgsl_reflect.module.js')) {
      const o = origins(lineNumber, columnNumber);
      part = partOf(o.file, o.cls, url);
      fn = `${o.file.replace(/^src\//, '')} ${o.cls ? `${o.cls}: ` : ''}${o.fn}`;
    } else {
      part = partOf('', '', url) || (functionName === '(garbage collector)' ? 'garbage collection' : url ? 'other JavaScript (Node, harness)' : 'V8 builtins and runtime');
      fn = `${url.replace(/^.*\//, '') || '-'} ${functionName || '(anonymous)'}:${lineNumber + 1}`;
    }
    parts.set(part, (parts.get(part) ?? 0) + hits);
    fns.set(fn, (fns.get(fn) ?? 0) + hits);
  }
  const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
  console.log(`  where the time went (${total} samples, self time):`);
  for (const [part, n] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`    ${pct(n)}  ${part}`);
  console.log('  top functions:');
  for (const [fn, n] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${pct(n)}  ${fn}`);
}

console.log(`interpreter, full tracing, ${repeats} run(s) each (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
console.log(`${'case'.padEnd(18)} ${'cpu s'.padStart(7)} ${'wall s'.padStart(7)} ${'accesses'.padStart(9)} ${'µs/access'.padStart(10)}  findings`);
for (const { name, kernel, c } of cases) {
  if (only && kernel !== only) continue;
  const k = kernels.get(kernel)!;
  const prop = k.properties.find(isTraceProperty)!;
  for (let r = 0; r < repeats; r++) {
    if (profile) await session.post('Profiler.start');
    const cpu0 = cpuMs();
    const wall0 = performance.now();
    const traces = traceDraw(k.program, prop, c, unlimited);
    const cpu = cpuMs() - cpu0;
    const wall = performance.now() - wall0;
    const prof = profile ? (await session.post('Profiler.stop')).profile : undefined;
    if (typeof traces === 'string') throw new Error(`${name}: skipped: ${traces}`);
    const d = (traces as CaseTrace[]).flatMap((t) => t.dispatches);
    const accesses = d.reduce((n, x) => n + (x.accesses?.length ?? 0), 0);
    const findings = `${d.reduce((n, x) => n + x.outOfBounds.length, 0)} out of bounds, ${d.reduce((n, x) => n + x.races.length, 0)} races, ${d.reduce((n, x) => n + x.errors.length, 0)} errors`;
    console.log(`${name.padEnd(18)} ${(cpu / 1000).toFixed(2).padStart(7)} ${(wall / 1000).toFixed(2).padStart(7)} ${String(accesses).padStart(9)} ${((1000 * cpu) / accesses).toFixed(1).padStart(10)}  ${findings}`);
    if (prof) summarise(prof);
  }
}
