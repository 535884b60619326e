// The visualizer of a kernel that enables a device feature, in a real Chromium (SwiftShader: subgroups of 4 lanes,
// no shader-f16). The page opened one device with no feature, so a subgroup kernel was "the WGSL does not compile:
// extension 'subgroups' is not allowed", and its "run the properties" could not wrap lane reads as the CLI's engines
// do (lane-reads.ts). Now each batch gets a device with what it requires, and lane reads are wrapped: the butterfly
// written for 32 lanes fails in the page as it does on the CLI. A kernel that neither the page nor the interpreter can
// run (f16 here) says so, rather than "past the trace budget: trace a smaller case".
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { distOf, serveVisualizer, type VisualizerServer } from '../harness/view/server.ts';
import { screenshotPath } from './screenshots.ts';

const ARGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const library = resolve('test/field');

let server: VisualizerServer;
let browser: Browser;

beforeAll(async () => {
  server = await serveVisualizer({ library, rebuild: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(distOf(library), { recursive: true, force: true });
});

async function open(kernel: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL(`?kernel=${kernel}`, server.url).href);
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 120_000 });
  expect(errors).toEqual([]);
  return page;
}

/** Runs the editor's WGSL and its properties; each property's status by name. */
async function runProperties(page: Page, wgsl?: string): Promise<Record<string, string>> {
  const done = await page.getAttribute('#editor-properties', 'data-done');
  if (wgsl !== undefined) await page.fill('#wgsl-editor', wgsl);
  await page.click('#editor-run');
  await page.waitForFunction((d) => {
    const v = document.querySelector('#editor-properties')?.getAttribute('data-done');
    return v && v !== d;
  }, done, { timeout: 200_000 });
  return Object.fromEntries(await page.$$eval('#editor-properties li', (l) => l.map((li) => [li.getAttribute('data-property'), li.getAttribute('data-status')])));
}

/** Whether the traced case's row sums (y) are x's, within f32 rounding. */
const traceAgrees = (page: Page) => page.evaluate(() => {
  const s = (window as unknown as { __ks: { session: { c: { shape: { rows: number; cols: number }; inputs: { x: Float32Array } }; trace: { outputs: { y: Float32Array } } } } }).__ks.session;
  const { rows, cols } = s.c.shape;
  const x = s.c.inputs.x;
  const y = s.trace.outputs.y;
  for (let r = 0; r < rows; r++) {
    let t = 0;
    let a = 0;
    for (let j = 0; j < cols; j++) (t += x[r * cols + j]!), (a += Math.abs(x[r * cols + j]!));
    if (!(Math.abs(y[r]! - t) <= 1e-5 * (1 + a))) return false;
  }
  return true;
});

describe('a kernel that enables a feature, in the page', () => {
  test('subgroups: traced on the page\'s WebGPU; its properties pass, and a butterfly for 32 lanes fails', { timeout: 300_000 }, async () => {
    const page = await open('subgroup_sum');
    expect(await page.$('#compile-error')).toBeNull();
    expect(await page.textContent('#status')).toMatch(/on the page's WebGPU/);
    const own = await runProperties(page);
    expect(own['matches-reference']).toBe('pass');
    expect(Object.entries(own).filter(([, s]) => s !== 'pass' && s !== 'skip')).toEqual([]);
    // The interpreter runs no subgroup: said, not compared.
    expect(await page.getAttribute('#editor-interpreter', 'data-equal')).toBe('skipped');

    expect(await traceAgrees(page)).toBe(true);

    const twin = await runProperties(page, readFileSync('test/lane-reads/subgroup_sum_xor32.wgsl', 'utf8'));
    expect(twin['matches-reference']).toBe('fail');
    // The page's own trace of the twin wraps lane reads too: it traced the right sums on 4 lanes, under a failure
    // panel showing the engine's wrong value (trial 58 A1).
    expect(await traceAgrees(page)).toBe(false);
    await page.locator('section.editor').screenshot({ path: screenshotPath('visualizer-subgroups.png') });
    await page.close();
  });

  test('f16, where the page has no shader-f16: said as what it is, not a trace budget', { timeout: 120_000 }, async () => {
    const page = await open('dot_f16');
    const f16 = await page.evaluate(async () => (await navigator.gpu.requestAdapter())?.features.has('shader-f16') ?? false);
    if (f16) {
      expect(await page.$('#trace-unsupported')).toBeNull();
    } else {
      expect(await page.textContent('#trace-unsupported')).toMatch(/^This kernel cannot be traced in this page: the page's WebGPU cannot run it \(the adapter lacks feature shader-f16\), and the interpreter cannot either \(not supported on the interpreter: enable f16 \(it would compute/);
      expect(await page.$('#smaller')).toBeNull();
    }
    await page.close();
  });
});
