// A saved counterexample's page, in a real Chromium, when the learner changes its shape: the case's 1-element inputs
// do not fit n = 150, so the page draws new ones (a new user's page blamed the family's properties file and threw
// twice), says what its inputs are (the `seed` field changed nothing: the page draws with seed 1), and both buttons
// keep an edited workgroup size ("spec dispatch" put 32,1,1 back to 64,1,1). An integer output's case reads in
// differences, not ULPs. Screenshot:
// .cache/screenshots/case-shape-edit.png.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeArray, FIXTURE_SCHEMA } from '../harness/run/fixture.ts';
import { serveVisualizer, type VisualizerServer } from '../harness/view/server.ts';
import { screenshotPath } from './screenshots.ts';

const ARGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const fixtures = mkdtempSync(join(tmpdir(), 'ks-case-shape-'));
const ID = 'add--matches-reference--dawn--seed1--00000000.json';
const HIST = 'histogram--matches-reference--dawn--seed1--00000000.json';
const CHANNELS = 'histogram--channel-levels--dawn--seed1--00000000.json';

describe('changing a counterexample\'s shape', () => {
  let server: VisualizerServer;
  let browser: Browser;
  beforeAll(async () => {
    const a = Float32Array.of(0.25);
    const b = Float32Array.of(0.5);
    writeFileSync(join(fixtures, ID), JSON.stringify({
      schema: FIXTURE_SCHEMA, kernel: 'add', property: 'matches-reference', backend: 'dawn', adapter: 'test', seed: 1, path: '0',
      draw: {}, shape: { n: 1, seed: 0, dist: 'uniform' }, inputs: { a: encodeArray(a), b: encodeArray(b) },
      actual: { a: encodeArray(a), b: encodeArray(b), c: encodeArray(Float32Array.of(0.8)) },
      message: 'c[0] = 0.800000012 but the reference is 0.75 (error 0.05, allowed 0: the result must be exact)', createdAt: new Date(0).toISOString(),
    }));
    // A histogram's counts, u32: the reference kept as u32 (bin 1 counted 3 where 2 keys fell in it).
    const keys = Uint32Array.of(0, 1, 1, 2);
    writeFileSync(join(fixtures, HIST), JSON.stringify({
      schema: FIXTURE_SCHEMA, kernel: 'histogram', property: 'matches-reference', backend: 'dawn', adapter: 'test', seed: 1, path: '0',
      draw: {}, shape: { n: 4, bins: 3 }, inputs: { keys: encodeArray(keys) }, actual: { keys: encodeArray(keys), counts: encodeArray(Uint32Array.of(1, 3, 1)) },
      expected: { counts: encodeArray(Uint32Array.of(1, 2, 1)) }, worst: { buffer: 'counts', index: 1 },
      message: 'counts[1] = 3 but the reference is 2 (error 1, allowed 0: the result must be exact)', createdAt: new Date(0).toISOString(),
    }));
    // Trial 210 B1: a property of the user's named its worst element in values it derived, under a name of its own.
    writeFileSync(join(fixtures, CHANNELS), JSON.stringify({ ...JSON.parse(readFileSync(join(fixtures, HIST), 'utf8')), property: 'channel-levels', worst: { buffer: 'channel (r g b a)', index: 1 } }));
    server = await serveVisualizer({ fixturesDir: fixtures });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A saved case's page, ready, and the errors it throws from then on. */
  const open = async (id: string): Promise<{ page: Page; errors: string[] }> => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL(`./?case=${id}`, server.url).href);
    await page.waitForFunction(() => document.body.dataset.ready, undefined, { timeout: 120_000 });
    return { page, errors };
  };

  const retrace = async (page: Page, button: string) => {
    const before = await page.evaluate(() => document.body.dataset.ready);
    await page.click(button);
    await page.waitForFunction((b) => document.body.dataset.ready !== b, before, { timeout: 120_000 });
  };

  test('n = 150 draws new inputs, says so, and keeps the workgroup size the learner typed', { timeout: 240_000 }, async () => {
    const { page, errors } = await open(ID);
    expect(await page.textContent('#inputs-note')).toBe("inputs a[1], b[1]: the saved case's, as the engine ran them.");
    expect(await page.isDisabled('input[name="shape.seed"]')).toBe(true);

    await page.fill('input[name="shape.n"]', '150');
    await retrace(page, '#auto-dispatch');
    expect(await page.getAttribute('#status', 'class') ?? '').not.toContain('error');
    expect(await page.inputValue('input[name="dispatch"]')).toBe('3,1,1');
    const note = await page.textContent('#inputs-note');
    expect(note).toContain('inputs a[150], b[150]: drawn by the page');
    expect(note).toContain('not what kernelscope test draws for seed 0, dist "uniform"');
    expect(note).toContain('the saved case was {"n":1,"seed":0,"dist":"uniform"}');

    await page.fill('input[name="wgsize"]', '32,1,1');
    await retrace(page, '#auto-dispatch');
    expect(await page.inputValue('input[name="wgsize"]')).toBe('32,1,1');
    expect(await page.inputValue('input[name="dispatch"]')).toBe('5,1,1');
    await page.screenshot({ path: screenshotPath('case-shape-edit.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  // A trial's argmax, a u32 index 6 against 4, read "4194304 ULP apart": an integer output's distance is a difference.
  test('an integer output is off by a difference, not ULPs, and its reference is shown as u32', { timeout: 240_000 }, async () => {
    const { page, errors } = await open(HIST);
    await page.waitForSelector('#failing-element[data-index="1"]', { timeout: 60_000 });
    expect(await page.textContent('#failing-element')).toBe('counts[1]: actual 3, reference 2, 1 apart');
    const failing = await page.textContent('#failing');
    expect(failing).toMatch(/counts: reference\s*\[3\]\s*u32/);
    expect(failing).toContain('log10(1 + differences): 0 … 0.301');
    // Trial 161 B4: a click on an element of the kernel's buffer views rewrote the panel's writers line alone ("y[63]:
    // actual ..." above "y[62] was written by"), or named an input under the failure. Of its buffer, both follow it;
    // of another, neither moves.
    const click = async (buffer: string, i: number) => {
      const at: { x: number; y: number } = await page.evaluate(([b, k]) => (window as any).__ks.elementCenter(b, k), [buffer, i] as const);
      await page.mouse.click(at.x, at.y);
    };
    await click('counts', 2);
    await page.waitForSelector('#failing-element[data-index="2"]', { timeout: 10_000 });
    expect(await page.textContent('#writers')).toMatch(/^counts\[2\] was written by /);
    // Each writer with its stage: the clear's and the count's (trial 223 B1: "(0,0,0) line 62; (0,0,0) line 73" of
    // two stages read as one invocation counted twice).
    expect(await page.textContent('#writers')).toMatch(/: stage 1 \(2,0,0\) line \d+; stage 2 \(\d+,0,0\) line \d+/);
    await click('keys', 0);
    await page.waitForFunction(() => document.getElementById('selection')?.textContent?.startsWith('keys[0]'), undefined, { timeout: 10_000 });
    expect(await page.getAttribute('#failing-element', 'data-index')).toBe('2');
    expect(await page.textContent('#writers')).toMatch(/^counts\[2\] was written by /);
    await page.screenshot({ path: screenshotPath('failing-after-input-click.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a worst element in values the property derived: said so, and the page draws', { timeout: 240_000 }, async () => {
    const { page, errors } = await open(CHANNELS);
    expect(await page.textContent('#wgsl-warning')).toBe("The property named channel (r g b a)[1] as its worst element, which is no element of the kernel's buffers (values the property derived, under a name of its own): shown, the kernel's output, with no element picked.");
    expect(await page.getAttribute('#failing', 'data-worst-buffer')).toBe('counts');
    expect(errors).toEqual([]);
    await page.close();
  });
});
