// Times the visualizer in Chromium (SwiftShader WebGPU): drawing a 1,000,000-element buffer, and tracing plus
// drawing a 64×64×64 matmul (instrumented WGSL on the page's WebGPU). Run: npx tsx bench/visualizer.ts
import { chromium } from 'playwright-core';
import { serveVisualizer } from '../harness/view/server.ts';

const ARGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

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
  const big = await runs('./?bench=1&n=1000000', 'benchMs', 5);
  console.log(`1,000,000-element buffer, colour map + draw: ${big.map((x) => x.toFixed(1)).join(', ')} ms (median ${median(big).toFixed(1)}; target < 200)`);
  const shape = encodeURIComponent(JSON.stringify({ M: 64, N: 64, K: 64 }));
  const mm = await runs(`./?kernel=matmul&shape=${shape}`, 'totalMs', 3);
  const tr = Number(await page.evaluate(() => document.body.dataset.traceMs));
  const count = await page.evaluate(() => (window as any).__ks.session.trace.count);
  console.log(`64³ matmul, traced (${count} accesses) and drawn: ${mm.map((x) => x.toFixed(0)).join(', ')} ms (median ${median(mm).toFixed(0)}; last trace alone ${tr.toFixed(0)} ms; target < 2000)`);
} finally {
  await browser.close();
  await server.close();
}

function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)]!;
}
