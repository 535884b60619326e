// WGSL the page cannot compile is shown as the terminal prints it (file:line:column, the source line, a caret, the
// notes). A new user's tred_early showed one bare line, "25:5: 'workgroupBarrier' must only be called from uniform
// control flow", without the file or the notes that name the non-uniform value.
import { readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CompileError } from '../harness/gpu/batch.ts';
import softmax from '../kernels/softmax.kernel.ts';
import { serveVisualizer, type VisualizerServer } from '../harness/view/server.ts';
import { compileErrorText } from '../visualizer/src/compile-error.ts';
import { screenshotPath } from './screenshots.ts';

test("a compile error names the file and keeps the compiler's notes", () => {
  const code = readFileSync('kernels/softmax.wgsl', 'utf8');
  const lines = code.split('\n');
  const barrier = lines.findIndex((l) => l.includes('workgroupBarrier')) + 1;
  const program = { spec: softmax, sources: { [softmax.wgsl]: code }, origins: { [softmax.wgsl]: 'lib/softmax.wgsl' } };
  // Tint's messages, as getCompilationInfo() hands them to the page: an error and the notes that give its cause.
  const e = new CompileError([
    { shader: 0, type: 'error', line: barrier, column: 3, message: "'workgroupBarrier' must only be called from uniform control flow" },
    { shader: 0, type: 'info', line: 2, column: 1, message: 'control flow depends on possibly non-uniform value' },
  ]);
  const text = compileErrorText(e, program, { shape: { rows: 1, cols: 8 }, inputs: { x: new Float32Array(8) } })!;
  expect(text.split('\n')[0]).toBe(`lib/softmax.wgsl:${barrier}:3: error: 'workgroupBarrier' must only be called from uniform control flow`);
  expect(text).toContain(`\n    ${lines[barrier - 1]}\n`);
  expect(text).toContain('lib/softmax.wgsl:2:1: note: control flow depends on possibly non-uniform value');
  expect(compileErrorText(new Error('lost'), program, { shape: { rows: 1, cols: 8 }, inputs: {} })).toBeUndefined();
});

// In the page: an edit that does not compile is explained under the editor, as above, and the view stays.
describe('an edit that does not compile, in Chromium', () => {
  let server: VisualizerServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await serveVisualizer({});
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader'], headless: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the editor shows the located messages and the notes; the last good view is kept', { timeout: 240_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL(`./?kernel=add&shape=${encodeURIComponent(JSON.stringify({ n: 64, seed: 0, dist: 'uniform' }))}`, server.url).href);
    await page.waitForFunction(() => document.body.dataset.ready, undefined, { timeout: 120_000 });
    const code = readFileSync('kernels/add.wgsl', 'utf8').replace(/c\[i\] = a\[i\] \+ b\[i\];/, 'c[i] = a[i] + b[i];\n  workgroupBarrier();');
    expect(code).toContain('workgroupBarrier');
    await page.fill('#wgsl-editor', code);
    await page.click('#editor-run');
    await page.waitForFunction(() => document.querySelector('#editor-result')?.classList.contains('error'), undefined, { timeout: 120_000 });
    const text = (await page.textContent('#editor-result'))!;
    // Named as the edit, not the library's file (trial 58 B4).
    expect(text).toMatch(/^kernels\/add\.wgsl \(edited in the page\):\d+:\d+: error: 'workgroupBarrier' must only be called from uniform control flow\n/);
    expect(text).toMatch(/\nkernels\/add\.wgsl \(edited in the page\):\d+:\d+: note: /);
    expect(await page.$('#wgsl-editor')).not.toBeNull();
    expect(await page.$('#summary')).not.toBeNull();
    await page.locator('section.editor').screenshot({ path: screenshotPath('editor-compile-error.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
