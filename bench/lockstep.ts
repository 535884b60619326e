// Times the lockstep view of one softmax workgroup (256 invocations, a row of 1,024 columns): the lockstep trace with
// its workgroup memory per phase, in Node and in the page (Chromium), and one phase step in the page (the redraw:
// positions, the source's counts, the invocation grid, the workgroup-memory heat map). Targets: trace <= 2 s, a phase
// step <= 100 ms. Run: npx tsx bench/lockstep.ts [COLS]
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { KernelProgram } from '../harness/run/program.ts';
import { lockstepTrace } from '../harness/trace/lockstep.ts';
import { serveVisualizer } from '../harness/view/server.ts';
import softmax from '../kernels/softmax.kernel.ts';

const cols = Number(process.argv[2] ?? 1024);
const program: KernelProgram = { spec: softmax, sources: { [softmax.wgsl]: readFileSync(`kernels/${softmax.wgsl}`, 'utf8') }, origins: {} };
const x = Float32Array.from({ length: cols }, (_, i) => Math.sin(i * 0.37) * 4);
const c = { shape: { rows: 1, cols }, inputs: { x } };

const node: number[] = [];
let t = lockstepTrace(program, c);
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  t = lockstepTrace(program, c);
  node.push(performance.now() - t0);
}
console.log(`softmax, one workgroup of ${t.invocations} invocations, ${cols} columns: ${t.steps.toLocaleString('en-US')} steps, ${t.phases.length} phases, ${t.accessCount.toLocaleString('en-US')} accesses`);
console.log(`lockstep trace in Node: ${node.map((ms) => ms.toFixed(0)).join(', ')} ms (median ${median(node).toFixed(0)}; target <= 2000)`);

const ARGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const server = await serveVisualizer({});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1300 } });
  const traced: number[] = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(new URL(`./?kernel=softmax&shape=${encodeURIComponent(JSON.stringify({ rows: 1, cols }))}`, server.url).href);
    await page.waitForFunction(() => document.querySelector('#lockstep')?.getAttribute('data-ready'), undefined, { timeout: 120_000 });
    traced.push(await page.evaluate(() => (window as any).__lockstep.trace().ms as number));
  }
  console.log(`lockstep trace in the page: ${traced.map((ms) => ms.toFixed(0)).join(', ')} ms (median ${median(traced).toFixed(0)}; target <= 2000)`);
  const steps: number[] = [];
  for (let p = 1; p < t.phases.length; p++) {
    await page.click('#ls-next-phase');
    steps.push(Number(await page.getAttribute('#lockstep', 'data-step-ms')));
  }
  await page.click('#ls-prev-phase');
  const accessSteps: number[] = [];
  for (let i = 0; i < 20; i++) {
    await page.click('#ls-next-access');
    accessSteps.push(Number(await page.getAttribute('#lockstep', 'data-step-ms')));
  }
  console.log(`one phase step in the page: median ${median(steps).toFixed(1)} ms, worst ${Math.max(...steps).toFixed(1)} ms over ${steps.length} steps; one access step: median ${median(accessSteps).toFixed(1)} ms (target <= 100)`);
} finally {
  await browser.close();
  await server.close();
}

function median(a: number[]): number {
  const s = [...a].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)]!;
}
