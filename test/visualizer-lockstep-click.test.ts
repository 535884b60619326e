// The lockstep panel's invocation grid of a 2-D workgroup, in a real Chromium: the canvas drawn at another size than
// its pixels (CSS stretched it in its flex column: a new user's click on invocation 1 of an 8 × 8 workgroup selected
// 12), and a click on a cell selects the invocation drawn there. Screenshot: .cache/screenshots/lockstep-click-2d.png.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serveVisualizer, type VisualizerServer } from '../harness/view/server.ts';
import { screenshotPath } from './screenshots.ts';

const ARGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('lockstep grid of a 2-D workgroup, and its keys', () => {
  let server: VisualizerServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await serveVisualizer({});
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a click on a cell, where it is drawn, selects that invocation', { timeout: 240_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1600 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL(`./?kernel=transpose&shape=${encodeURIComponent(JSON.stringify({ rows: 16, cols: 16 }))}`, server.url).href);
    await page.waitForFunction(() => document.body.dataset.ready && document.querySelector('#lockstep')?.getAttribute('data-ready'), undefined, { timeout: 120_000 });
    const grid = page.locator('#ls-invocations');
    // The panel no longer stretches it; any CSS size must still be read right.
    await grid.evaluate((c: HTMLCanvasElement) => (c.style.width = `${c.width * 1.7}px`));
    await page.evaluate(() => document.querySelector('#ls-invocations')!.scrollIntoView({ block: 'center' }));
    const box = (await grid.boundingBox())!;
    const pixels = await grid.evaluate((c: HTMLCanvasElement) => c.width);
    // The case this guards: the canvas displayed at another width than its pixels.
    expect(box.width).not.toBeCloseTo(pixels, 0);
    // 16 × 16 invocations, 16 to a row; the cell of invocation 17 (local_invocation_id (1, 1, 0)) as displayed.
    const cell = box.width / 16;
    await page.mouse.click(box.x + 1.5 * cell, box.y + 1.5 * (box.height / 16));
    const locals = page.locator('#ls-locals');
    await expect.poll(() => locals.getAttribute('data-invocation')).toBe('17');
    expect(await locals.innerText()).toContain('local_invocation_id (1, 1, 0)');
    expect(await locals.innerText()).toMatch(/lid\s+\(1, 1, 0\)/);
    // The test hook answers the displayed geometry too.
    await page.evaluate(() => document.querySelector('#ls-invocations')!.scrollIntoView({ block: 'center' }));
    const at = await page.evaluate(() => (window as any).__lockstep.invocationCenter(33));
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => locals.getAttribute('data-invocation')).toBe('33');
    await page.locator('#lockstep').screenshot({ path: screenshotPath('lockstep-click-2d.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  // The replay scrubber had keys; the lockstep panel had only buttons.
  test('arrow keys step by access, shift+arrow by phase', { timeout: 240_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1600 } });
    await page.goto(new URL(`./?kernel=transpose&shape=${encodeURIComponent(JSON.stringify({ rows: 16, cols: 16 }))}`, server.url).href);
    await page.waitForFunction(() => document.body.dataset.ready && document.querySelector('#lockstep')?.getAttribute('data-ready'), undefined, { timeout: 120_000 });
    const at = () => page.evaluate(() => [document.querySelector('#lockstep')!.getAttribute('data-phase'), document.querySelector('#lockstep')!.getAttribute('data-access')]);
    expect(await at()).toEqual(['0', '']);
    await page.focus('#lockstep');
    await page.keyboard.press('Shift+ArrowRight');
    expect(await at()).toEqual(['1', '']);
    // At the kernel's end every invocation has finished: drawn as an outline, not black on the near-black page.
    expect(await page.getAttribute('#ls-groups [data-place="finished"]', 'data-count')).toBe('256');
    expect(await page.getAttribute('#ls-groups [data-place="finished"] .swatch', 'style')).toContain('outline');
    const edge = await page.$eval('#ls-invocations', (c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(1, 1, 1, 1).data.slice(0, 3)));
    expect(edge).not.toEqual([0, 0, 0]);
    expect(Math.max(...edge)).toBeGreaterThan(100);
    await page.keyboard.press('ArrowLeft');
    const [phase, access] = await at();
    expect(phase).toBe('1');
    expect(Number(access)).toBeGreaterThan(0);
    expect(await page.textContent('#ls-where')).toMatch(/access (\d+)\/\1, invocation \d+ \(local_invocation_id/);
    await page.close();
  });
});
