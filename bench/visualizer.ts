// Times the visualizer in Chromium (SwiftShader WebGPU): a 4,194,304-element buffer (values to first frame, then
// panning it at three zooms: frames per second from requestAnimationFrame timestamps while the window moves every
// frame, as a drag moves it, and each draw's own time), and tracing plus drawing a 64×64×64 matmul (instrumented WGSL
// on the page's WebGPU). Prints figures; asserts nothing. Run: npx tsx bench/visualizer.ts
import { chromium } from 'playwright-core';
import { serveVisualizer } from '../harness/view/server.ts';

const ARGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const N = 4 << 20;

const server = await serveVisualizer({});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
try {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1300 } });
  const runs = async (url: string, read: string, n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      await page.goto(new URL(url, server.url).href);
      await page.waitForFunction(() => document.body.dataset.ready, undefined, { timeout: 120_000 });
      out.push(Number(await page.evaluate((k) => document.body.dataset[k], read)));
    }
    return out;
  };
  const first = await runs(`./?bench=1&n=${N}`, 'benchMs', 5);
  console.log(`${N.toLocaleString()}-element buffer (800×600 canvas), values to first frame (colour scale, block summaries, overview, draw): ` +
    `${first.map((x) => x.toFixed(0)).join(', ')} ms (median ${median(first).toFixed(0)})`);
  for (const [zoom, what] of [[0.15, 'fitted: a pixel summarises 8×8-element blocks'], [1, 'one pixel per element'], [8, '8 pixels per element']] as const) {
    const r = await page.evaluate(([z]) => (window as any).__big.pan(120, 7, z), [zoom]) as { times: number[]; draws: number[] };
    const gaps = r.times.slice(3).map((t, i) => t - r.times[i + 2]!);
    const fps = 1000 / (gaps.reduce((a, b) => a + b, 0) / gaps.length);
    const sorted = [...gaps].sort((a, b) => a - b);
    console.log(`pan at ${what}: ${fps.toFixed(1)} frames/s over ${gaps.length} frames (frame interval median ${median(gaps).toFixed(1)} ms, ` +
      `slowest ${sorted[sorted.length - 1]!.toFixed(1)} ms; one draw: median ${median(r.draws).toFixed(1)} ms, slowest ${Math.max(...r.draws).toFixed(1)} ms)`);
  }
  const shape = encodeURIComponent(JSON.stringify({ M: 64, N: 64, K: 64 }));
  const mm = await runs(`./?kernel=matmul&shape=${shape}`, 'totalMs', 3);
  const tr = Number(await page.evaluate(() => document.body.dataset.traceMs));
  const count = await page.evaluate(() => (window as any).__ks.session.trace.count);
  console.log(`64³ matmul, traced (${count} accesses) and drawn: ${mm.map((x) => x.toFixed(0)).join(', ')} ms (median ${median(mm).toFixed(0)}; last trace alone ${tr.toFixed(0)} ms)`);
} finally {
  await browser.close();
  await server.close();
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}
