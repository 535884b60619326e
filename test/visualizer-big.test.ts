// Big buffers and engines side by side in a real Chromium, with real clicks: a 2048 × 2048 (4,194,304-element)
// softmax counterexample (past the trace budget, so shown without a trace) where a jump to (row, column) or to an
// index selects the element on every map and draws it at full resolution, and the worst element is one click away;
// and the conformance report's "side by side" link for a case where Dawn (SwiftShader flushes subnormals) and the
// interpreter differ, run again on both engines. Screenshots go to .cache/screenshots/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadResults } from '../harness/reports/load.ts';
import { mergeResults } from '../harness/reports/merge.ts';
import { toHtml } from '../harness/reports/html.ts';
import { encodeArray, FIXTURE_SCHEMA } from '../harness/run/fixture.ts';
import { decodeBundle } from '../harness/view/bundle.ts';
import type { CompareMeta } from '../harness/view/compare.ts';
import { serveVisualizer, type VisualizerServer } from '../harness/view/server.ts';
import { softmax } from '../reference/softmax.ts';
import { screenshotPath } from './screenshots.ts';

const ARGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

let server: VisualizerServer;
let browser: Browser;
const fixtures = mkdtempSync(join(tmpdir(), 'ks-big-'));

// 2048 × 2048 logits; the engine's output equals the reference rounded to f32 except at (1500, 77), 1.5× off (the
// worst element), and a few elements a little off.
const R = 2048;
const C = 2048;
const WORST = 1500 * C + 77;
const x = new Float32Array(R * C);
for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) * 4;
const expected = softmax(x, R, C);
const actual = Float32Array.from(expected);
actual[WORST] = actual[WORST]! * 1.5;
for (const i of [5, 777_777, 4_000_000]) actual[i] = actual[i]! * (1 + 1e-5);
writeFileSync(join(fixtures, 'softmax-4m.json'), JSON.stringify({
  schema: FIXTURE_SCHEMA, kernel: 'softmax', property: 'matches-reference', backend: 'dawn', adapter: 'test', seed: 1, path: '0',
  draw: {}, shape: { rows: R, cols: C }, inputs: { x: encodeArray(x) }, actual: { y: encodeArray(actual) }, expected: { y: encodeArray(expected) },
  worst: { buffer: 'y', index: WORST }, message: `y[${WORST}] is far from the reference`, createdAt: new Date(0).toISOString(),
}));

beforeAll(async () => {
  server = await serveVisualizer({ fixturesDir: fixtures });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(fixtures, { recursive: true, force: true }); // 67 MB of fixture
});

async function open(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL(query, server.url).href);
  await page.waitForFunction(() => document.body.dataset.ready, undefined, { timeout: 240_000 });
  expect(errors).toEqual([]);
  return page;
}

const map = (name: string) => `figure.buffer[data-buffer="${name}"]`;

/** The pixel at element i's centre on a big-buffer map, and the page point of that centre. */
async function pixelOf(page: Page, name: string, i: number) {
  return page.$eval(`${map(name)} canvas:not(.overview)`, (c, [i, cols]) => {
    const cv = c as HTMLCanvasElement;
    const [x0, y0, z] = cv.dataset.view!.split(',').map(Number) as [number, number, number];
    const px = Math.floor(((i % cols) + 0.5 - x0) * z);
    const py = Math.floor((Math.floor(i / cols) + 0.5 - y0) * z);
    const r = cv.getBoundingClientRect();
    return { rgb: [...cv.getContext('2d')!.getImageData(px, py, 1, 1).data.slice(0, 3)], x: r.left + px, y: r.top + py };
  }, [i, C] as const);
}

describe('big buffers and engines side by side, in Chromium', () => {
  test('4M-element counterexample: jump to (row, column) and to an index, click an element, the worst one click away', { timeout: 400_000 }, async () => {
    const page = await open('./?case=softmax-4m.json');
    // 4M elements are past the trace budget: the failure is still drawn, without the trace.
    expect(await page.textContent('.budget')).toMatch(/past the trace budget/);
    expect(await page.getAttribute('#failing', 'data-worst-computed')).toBe(String(WORST));
    const names = ['y.reference', 'y.actual', 'y.error'];
    const selected = () => Promise.all(names.map((n) => page.getAttribute(`${map(n)} canvas:not(.overview)`, 'data-selected')));

    await page.fill(`${map('y.error')} input.jump`, '1500, 77');
    await page.click(`${map('y.error')} button.go`);
    expect(await page.getAttribute('#failing-element', 'data-index')).toBe(String(WORST));
    expect(await page.textContent('#failing-element')).toMatch(/^y\[3072077\] \(row 1500, column 77\): actual \S+, reference \S+ \(float64, rounded to f32\), [1-9]\d* ULP apart$/);
    expect(await selected()).toEqual(names.map(() => String(WORST)));
    // Drawn at full resolution: the worst element in the hottest colour of the error map (inferno's top, #fcffa4),
    // its exact neighbour in the coldest (#000004); all three maps show the same window.
    await page.waitForFunction(() => Array.from(document.querySelectorAll('figure.big canvas:not(.overview)')).every((c) => Number((c as HTMLElement).dataset.view?.split(',')[2]) >= 8));
    expect((await pixelOf(page, 'y.error', WORST)).rgb).toEqual([252, 255, 164]);
    expect((await pixelOf(page, 'y.error', WORST + 1)).rgb).toEqual([0, 0, 4]);
    const views = await page.$$eval('figure.big canvas:not(.overview)', (cs) => cs.map((c) => (c as HTMLElement).dataset.view));
    expect(new Set(views).size).toBe(1);
    await page.screenshot({ path: screenshotPath('visualizer-big-jump.png') });

    // A real click on the neighbour, on the actual map, selects it.
    const right = await pixelOf(page, 'y.actual', WORST + 1);
    await page.mouse.click(right.x, right.y);
    expect(await page.getAttribute('#failing-element', 'data-index')).toBe(String(WORST + 1));
    expect(await page.textContent('#failing-element')).toMatch(/, 0 ULP apart/);

    // An index; a coordinate out of range is said, nothing moves.
    await page.fill(`${map('y.actual')} input.jump`, '4000000');
    await page.click(`${map('y.actual')} button.go`);
    expect(await page.getAttribute('#failing-element', 'data-index')).toBe('4000000');
    expect(await page.textContent('#failing-element')).toMatch(/row 1953, column 256/);
    await page.fill(`${map('y.actual')} input.jump`, '3000, 5');
    await page.click(`${map('y.actual')} button.go`);
    expect(await page.textContent(`${map('y.actual')} .jump-error`)).toBe('coordinate 1 is 3000, outside 0…2047');
    expect(await page.getAttribute('#failing-element', 'data-index')).toBe('4000000');

    // Dragging pans every map together.
    const before = await page.getAttribute(`${map('y.reference')} canvas:not(.overview)`, 'data-view');
    const box = (await page.locator(`${map('y.actual')} canvas:not(.overview)`).boundingBox())!;
    await page.mouse.move(box.x + 100, box.y + 100);
    await page.mouse.down();
    await page.mouse.move(box.x + 40, box.y + 70, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((b) => document.querySelector('figure[data-buffer="y.reference"] canvas:not(.overview)')!.getAttribute('data-view') !== b, before);
    const after = await page.$$eval('figure.big canvas:not(.overview)', (cs) => cs.map((c) => (c as HTMLElement).dataset.view));
    expect(new Set(after).size).toBe(1);

    // From the whole buffer, fitted (a pixel summarises blocks), the worst element is one click away.
    await page.click(`${map('y.error')} button.fit`);
    // The window is redrawn on the next animation frame.
    await page.waitForFunction(() => /a pixel shows the max of \d+×\d+-element blocks/.test(document.querySelector('figure[data-buffer="y.error"] .window')?.textContent ?? ''));
    await page.click(`${map('y.error')} button.worst`);
    expect(await page.getAttribute('#failing-element', 'data-index')).toBe(String(WORST));
    expect(await selected()).toEqual(names.map(() => String(WORST)));
    await page.screenshot({ path: screenshotPath('visualizer-big-worst.png') });
    await page.close();
  });

  test('the conformance report links a divergent case to both engines\' outputs and their difference', { timeout: 300_000 }, async () => {
    const dir = join(import.meta.dirname, '../reports/conformance');
    // Dawn's column of the GPU run beside the interpreter's run.
    const only = (d: string, backend: string) => {
      const r = loadResults(join(dir, d, 'results.json'));
      return { path: d, data: { ...r, engines: r.engines.filter((e) => e.backend === backend), results: r.results.filter((x) => x.backend === backend) } };
    };
    const html = toHtml(mergeResults([only('gpu', 'dawn'), only('interpreter', 'interpreter')]));
    const links = [...html.matchAll(/<a class="compare" href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    // add/matches-reference, case 0: subnormal inputs, which SwiftShader flushes to zero and the interpreter keeps.
    const href = links.find((h) => /kernel=add&property=matches-reference&/.test(h) && /engines=(dawn%2Cinterpreter|interpreter%2Cdawn)&.*case=0&/.test(h))!;
    expect(href).toBeDefined();
    const url = new URL(href);
    expect(url.origin).toBe('http://127.0.0.1:7357');
    const page = await open(`./${url.search}`);
    // Both re-runs gave the very bits the run recorded.
    for (const e of ['dawn', 'interpreter']) expect(await page.getAttribute(`#compare li[data-engine="${e}"]`, 'data-reproduced')).toBe('true');
    const summary = page.locator('#compare-summary');
    const differing = Number(await summary.getAttribute('data-differing'));
    // Counted again here from the bytes the server sent.
    const q = new URLSearchParams(url.search);
    q.delete('compare');
    const b = decodeBundle<CompareMeta>(await (await fetch(new URL(`api/compare?${q}`, server.url))).arrayBuffer());
    const [A, B] = b.meta.engines.map((e) => b.arrays[`${e.id}/0/c`]!);
    const recount = [...A!].filter((v, i) => !Object.is(v, B![i])).length;
    expect(differing).toBe(recount);
    expect(differing).toBeGreaterThan(0);
    await page.click(`${map('c.difference')} button.worst`);
    expect(await page.getAttribute('#compare-element', 'data-index')).toBe(await summary.getAttribute('data-worst'));
    expect(await page.textContent('#compare-element')).toMatch(/c\[\d+\]: \w+ \S+, \w+ \S+, [1-9]\d* ULP apart, reference/);
    await page.screenshot({ path: screenshotPath('visualizer-compare.png') });
    await page.close();
  });

  test('a saved counterexample found with the user\'s WGSL runs again on its engine and on another, side by side', { timeout: 300_000 }, async () => {
    // A real failure: add that truncates its sums, on the interpreter, saved where the server lists fixtures.
    const out = mkdtempSync(join(tmpdir(), 'ks-big-run-'));
    const run = spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', '--wgsl', 'add=test/wrong-kernels/add-truncated.wgsl', '--backend', 'interpreter',
      '--property', 'matches-reference', '--runs', '20', '--fixtures', fixtures, '--out', out], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' });
    rmSync(out, { recursive: true, force: true });
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const id = readdirSync(fixtures).find((f) => f.startsWith('add--matches-reference--interpreter'))!;
    const page = await open(`./?case=${encodeURIComponent(id)}`);
    await page.selectOption('#compare-engine', 'dawn');
    await page.click('#compare-run');
    await page.waitForSelector('#compare-summary', { timeout: 240_000 });
    // The interpreter, run again on the saved draw with the saved WGSL, gave the saved output bit for bit.
    expect(await page.textContent('#compare .engines')).toContain('interpreter gave the saved counterexample\'s output again, bit for bit');
    expect(await page.textContent('#compare .note')).toContain('WGSL test/wrong-kernels/add-truncated.wgsl');
    expect(await page.textContent('#compare-summary')).toMatch(/^(interpreter and dawn agree bit for bit on c|\d+ of \d+ elements of c differ)/);
    await page.locator('#compare').screenshot({ path: screenshotPath('visualizer-compare-fixture.png') });
    await page.close();
  });
});
