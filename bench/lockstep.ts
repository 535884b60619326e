// Times a lockstep trace of one softmax workgroup (256 invocations, a row of 1,024 columns) with its workgroup memory
// per phase, and where the invocations stand at each step of one phase (what the page computes per phase step).
// Run: npx tsx bench/lockstep.ts [COLS]
import { readFileSync } from 'node:fs';
import type { KernelProgram } from '../harness/run/program.ts';
import { lockstepTrace, positionsAt } from '../harness/trace/lockstep.ts';
import softmax from '../kernels/softmax.kernel.ts';

const cols = Number(process.argv[2] ?? 1024);
const program: KernelProgram = { spec: softmax, sources: { [softmax.wgsl]: readFileSync(`kernels/${softmax.wgsl}`, 'utf8') }, origins: {} };
const x = Float32Array.from({ length: cols }, (_, i) => Math.sin(i * 0.37) * 4);
const c = { shape: { rows: 1, cols }, inputs: { x } };

const times: number[] = [];
let t = lockstepTrace(program, c);
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  t = lockstepTrace(program, c);
  times.push(performance.now() - t0);
}
console.log(`softmax, 1 workgroup of ${t.invocations} invocations, ${cols} columns: ${t.steps.toLocaleString('en-US')} steps, ${t.phases.length} phases, ${t.accessCount.toLocaleString('en-US')} accesses`);
console.log(`lockstep trace with workgroup memory per phase: ${times.map((ms) => ms.toFixed(0)).join(', ')} ms (median ${median(times).toFixed(0)}; target <= 2000)`);

// The replay a phase step in the page does: where every invocation stands at the phase's end.
const step: number[] = [];
for (const ph of t.phases) {
  const t0 = performance.now();
  positionsAt(t, ph.index, ph.endStep);
  step.push(performance.now() - t0);
}
console.log(`positions at a phase's end (the replay a phase step does): median ${median(step).toFixed(2)} ms, worst ${Math.max(...step).toFixed(2)} ms over ${step.length} phases`);

function median(a: number[]): number {
  const s = [...a].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)]!;
}
