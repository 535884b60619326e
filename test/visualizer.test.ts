// The visualizer in a real Chromium (SwiftShader WebGPU), with real clicks: the matmul mapping, a saved softmax
// counterexample, stepping, bad input, an edited kernel's properties run in the page. Screenshots of the main views
// go to .cache/screenshots/ (docs/img/ with `npm run screenshots`).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeArray, FIXTURE_SCHEMA } from '../harness/run/fixture.ts';
import { serveVisualizer, type VisualizerServer } from '../harness/view/server.ts';
import { softmax } from '../reference/softmax.ts';
import matmul from '../kernels/matmul.kernel.ts';
import { wgslHash } from '../harness/run/suite.ts';
import { screenshotPath } from './screenshots.ts';

const ARGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

let server: VisualizerServer;
let browser: Browser;
const fixtures = mkdtempSync(join(tmpdir(), 'ks-fixtures-'));

// A softmax counterexample whose actual output is wrong at one element (index 11 of a 2×9 case), and a file that is
// not ours.
const rows = 2;
const cols = 9;
const x = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 1.7));
const expected = Float64Array.from(softmax(x, rows, cols) as ArrayLike<number>);
const actual = Float32Array.from(expected);
actual[11] = actual[11]! * 1.5;
actual[3] = actual[3]! * (1 + 1e-6);
writeFileSync(join(fixtures, 'softmax-case.json'), JSON.stringify({
  schema: FIXTURE_SCHEMA, kernel: 'softmax', property: 'matches-reference', backend: 'dawn', adapter: 'test', seed: 1, path: '0',
  draw: {}, shape: { rows, cols }, inputs: { x: encodeArray(x) }, actual: { y: encodeArray(actual) }, expected: { y: encodeArray(expected) },
  worst: { buffer: 'y', index: 11 }, message: 'y[11] is far from the reference', createdAt: new Date(0).toISOString(),
}));
writeFileSync(join(fixtures, 'not-ours.json'), JSON.stringify({ hello: 'world' }));
// Trial 161 B2: a relation of two runs whose message is about the second, shown under the first run's output.
writeFileSync(join(fixtures, 'softmax-two-runs.json'), JSON.stringify({
  schema: FIXTURE_SCHEMA, kernel: 'softmax', property: 'shift-invariant', backend: 'dawn', adapter: 'test', seed: 1, path: '0',
  draw: {}, shape: { rows, cols }, inputs: { x: encodeArray(x) }, actual: { y: encodeArray(actual) }, runs: 2,
  worst: { buffer: 'y', index: 11 }, message: 'y(x + 7)[11] is far from y(x)[11]', createdAt: new Date(0).toISOString(),
}));

// A new user's matmul with `<=` in its bounds check, at M = N = 1, K = 2: invocations (1, 0) and (0, 1) write c[1], past
// the end of a 1-element c, and on a GPU that write may land on c[0]; the view credited c[0]'s wrong value to (0, 0).
const matmulLe = readFileSync('kernels/matmul.wgsl', 'utf8').replace('if (row >= params.M || col >= params.N) {', 'if (row > params.M || col > params.N) {');
writeFileSync(join(fixtures, 'matmul_le.wgsl'), matmulLe);
const leHash = wgslHash({ spec: matmul, sources: { 'matmul.wgsl': matmulLe }, origins: {} });
writeFileSync(join(fixtures, `matmul--matches-reference--dawn--seed1--${leHash}.json`), JSON.stringify({
  schema: FIXTURE_SCHEMA, kernel: 'matmul', property: 'matches-reference', backend: 'dawn', adapter: 'test', seed: 1, path: '0',
  wgsl: join(fixtures, 'matmul_le.wgsl'), draw: {}, shape: { M: 1, N: 1, K: 2 },
  inputs: { a: encodeArray(Float32Array.of(0.5, 0.25)), b: encodeArray(Float32Array.of(1, 2)), bias: encodeArray(Float32Array.of(0)) },
  actual: { c: encodeArray(Float32Array.of(9)) }, expected: { c: encodeArray(Float64Array.of(1)) },
  worst: { buffer: 'c', index: 0 }, message: 'c[0] is far from the reference', createdAt: new Date(0).toISOString(),
}));

beforeAll(async () => {
  server = await serveVisualizer({ fixturesDir: fixtures });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(query: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1500, height: 1300 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL(query, server.url).href);
  await page.waitForFunction(() => document.body.dataset.ready, undefined, { timeout: 60_000 });
  expect(errors).toEqual([]);
  return page;
}

const lit = (page: Page, buffer: string, what: 'read' | 'written' | 'unwritten' | 'selected') =>
  page.$eval(`figure.buffer[data-buffer="${buffer}"] canvas`, (c, w) => ((c as HTMLCanvasElement).dataset[w] ?? '').split(',').filter(Boolean).map(Number), what);

describe('visualizer in Chromium', () => {
  test('start page lists kernels, lessons and counterexamples, and names a file that is not ours', async () => {
    const page = await open('./');
    expect(await page.$$eval('#kernels li', (l) => l.length)).toBeGreaterThanOrEqual(5);
    expect(await page.textContent('#lessons')).toContain('matmul');
    const fx = await page.textContent('#fixtures');
    expect(fx).toContain('softmax / matches-reference');
    expect(fx).toMatch(/not-ours\.json: .*not a kernelscope counterexample/);
    await page.screenshot({ path: screenshotPath('visualizer-start.png') });
    await page.close();
  });

  test('matmul: selecting invocation (row r, col c) lights row r of A, column c of B as read and C[r][c] as written', async () => {
    const M = 12, N = 16, K = 8;
    const page = await open(`./?kernel=matmul&shape=${encodeURIComponent(JSON.stringify({ M, N, K }))}`);
    const r = 5, c = 10;
    const at = await page.evaluate(([gx, gy]) => (window as any).__ks.gridCenter([gx, gy, 0]), [c, r]);
    await page.mouse.click(at.x, at.y);
    expect(await lit(page, 'a', 'read')).toEqual(Array.from({ length: K }, (_, k) => r * K + k));
    expect(await lit(page, 'b', 'read')).toEqual(Array.from({ length: K }, (_, k) => k * N + c));
    expect(await lit(page, 'c', 'written')).toEqual([r * N + c]);
    expect(await lit(page, 'c', 'read')).toEqual([]);
    expect(await page.textContent('#selection')).toContain(`global (${c}, ${r}, 0)`);
    await page.screenshot({ path: screenshotPath('visualizer-matmul.png') });

    // Stepping the selected invocation moves the highlighted line.
    await page.click('#debug-start');
    const line0 = Number(await page.getAttribute('.source', 'data-current-line'));
    await page.click('#step-over');
    await page.click('#step-over');
    const line1 = Number(await page.getAttribute('.source', 'data-current-line'));
    expect(line0).toBeGreaterThan(0);
    expect(line1).toBeGreaterThan(line0);
    expect(await page.textContent('.vars')).toMatch(/col\s*10/);
    await page.screenshot({ path: screenshotPath('visualizer-step.png') });
    // Through the K loop to its end: every step stands on a line of the kernel, none says "finished" before the
    // store of c (trial 67 B1: each iteration ended on "invocation finished", then "line 0").
    const store = readFileSync('kernels/matmul.wgsl', 'utf8').split('\n').findIndex((l) => /c\[row \* params\.N \+ col\] =/.test(l)) + 1;
    const seen: number[] = [];
    for (let s = 0; s < 4 * K + 10 && !/invocation finished/.test((await page.textContent('.vars'))!); s++) {
      seen.push(Number(await page.getAttribute('.source', 'data-current-line')));
      await page.click('#step-over');
    }
    expect(seen.every((l) => l > 0), seen.join(',')).toBe(true);
    expect(seen.at(-1), seen.join(',')).toBe(store);

    // Too few workgroups: the uncovered part of C is marked as never written.
    await page.fill('input[name=dispatch]', '1,1,1');
    const ready = await page.evaluate(() => document.body.dataset.ready);
    await page.click('#apply');
    await page.waitForFunction((r) => document.body.dataset.ready !== r, ready);
    expect(await page.textContent('#summary')).toContain(`${M * N - 64} output elements never written`);
    const unwritten = await lit(page, 'c', 'unwritten');
    const expectUnwritten = Array.from({ length: M * N }, (_, i) => i).filter((i) => Math.floor(i / N) >= 8 || i % N >= 8);
    expect(unwritten).toEqual(expectUnwritten);
    await page.screenshot({ path: screenshotPath('visualizer-uncovered.png') });
    await page.close();
  });

  test('a saved softmax counterexample opens with the worst element the fixture names selected', async () => {
    const page = await open('./?case=softmax-case.json');
    expect(await page.getAttribute('#failing', 'data-worst-computed')).toBe('11');
    expect(await lit(page, 'y.error', 'selected')).toEqual([11]);
    expect(await lit(page, 'y', 'selected')).toEqual([11]);
    // One invocation of row 1's workgroup wrote y[11].
    expect(await page.textContent('#writers')).toMatch(/written by 1 invocation: \(\d+,0,0\) line \d+/);
    await page.screenshot({ path: screenshotPath('visualizer-counterexample.png'), fullPage: false });
    // The reference's and the output's maps share one colour scale, and their legends say so (trial 67 B7).
    expect(await page.$$eval('#failing .legend-text', (l) => l.map((e) => e.textContent))).toEqual([expect.stringMatching(/ \(one scale for reference and actual\)$/), expect.stringMatching(/ \(one scale for reference and actual\)$/), expect.stringMatching(/^log10/)]);
    // Once edited, the saved failure is said to be the WGSL's before the edit, and the edit is not the library's file
    // (trial 58 B4: both read as kernels/softmax.wgsl, the red panel unmarked above a trace of the fix).
    expect(await page.$('#wgsl-warning')).toBeNull();
    const ready = await page.evaluate(() => document.body.dataset.ready);
    await page.fill('#wgsl-editor', `${await page.inputValue('#wgsl-editor')}\n// an edit\n`);
    await page.click('#editor-run');
    await page.waitForFunction((r) => document.body.dataset.ready !== r, ready);
    expect(await page.textContent('#wgsl-warning')).toBe('This is the saved case as it failed on kernels/softmax.wgsl before your edit; the trace below runs the edited WGSL.');
    expect(await page.textContent('#editor-file')).toBe('Edit the kernel: kernels/softmax.wgsl');
    await page.locator('#failing').screenshot({ path: screenshotPath('visualizer-edited-case.png') });
    await page.close();
  });

  test('a case whose writes go past the end says so beside the element, and the lesson is left out for WGSL not the library\'s', async () => {
    const page = await open(`./?case=matmul--matches-reference--dawn--seed1--${leHash}.json`);
    expect(await page.textContent('#element-oob')).toMatch(/^\d+ writes? went past the end of c \(1 element\): a GPU may drop such a write or store it to any element of c, this one included/);
    // The lesson describes the library's matmul, not this one.
    expect(await page.textContent('.lesson')).toMatch(/^Your WGSL\. This is not the library's matmul/);
    await page.close();
  });

  test("a relation's counterexample says its output is the first of the property's runs", async () => {
    const page = await open('./?case=softmax-two-runs.json');
    expect(await page.textContent('#failing-run')).toBe("Shown: the inputs and output of the first of the property's 2 runs of this case; the message may be about another of them.");
    await page.locator('#failing').screenshot({ path: screenshotPath('visualizer-two-runs.png') });
    await page.close();
    // A property of one run says nothing of it.
    const one = await open('./?case=softmax-case.json');
    expect(await one.$('#failing-run')).toBeNull();
    await one.close();
  });

  test('a fixture that is not ours says so', async () => {
    const page = await open('./?case=not-ours.json');
    expect(await page.textContent('#error')).toMatch(/not a kernelscope counterexample/);
    await page.close();
  });

  test('WGSL that does not parse: error at its line, the last good view kept', async () => {
    const page = await open('./?kernel=add');
    const before = await page.textContent('#summary');
    const code = (await page.inputValue('#wgsl-editor')).split('\n');
    const bad = code.findIndex((l) => /c\[/.test(l));
    code[bad] = code[bad]!.replace('=', '= ((');
    await page.fill('#wgsl-editor', code.join('\n'));
    await page.click('#editor-run');
    await page.waitForSelector('#editor-result.error');
    expect(Number(await page.getAttribute('#editor-result', 'data-line'))).toBe(bad + 1);
    expect(await page.textContent('#summary')).toBe(before);
    await page.screenshot({ path: screenshotPath('visualizer-editor-error.png') });
    await page.close();
  });

  test('editor: the kernel\'s real properties run in the page; an edit that subtracts fails matches-reference', { timeout: 240_000 }, async () => {
    const page = await open('./?kernel=add');
    const verdicts = () => page.$$eval('#editor-properties li', (l) => l.map((li) => ({
      name: li.getAttribute('data-property'), status: li.getAttribute('data-status'), text: li.textContent ?? '' })));
    const rerun = async () => {
      const done = await page.getAttribute('#editor-properties', 'data-done');
      await page.click('#editor-run');
      await page.waitForFunction((d) => {
        const v = document.querySelector('#editor-properties')?.getAttribute('data-done');
        return v && v !== d;
      }, done, { timeout: 200_000 });
    };

    await rerun();
    const clean = await verdicts();
    // Every property of the family, the access checks too (sanitized, as on any GPU engine): the universal four,
    // correctly-rounded, no-out-of-bounds and no-data-race (add's dispatch never spreads over y: no -spread-y ones).
    expect(clean.map((v) => v.name)).toEqual(['matches-reference', 'writes-every-output', 'inputs-unchanged', 'deterministic', 'correctly-rounded', 'no-out-of-bounds', 'no-data-race']);
    expect(clean.filter((v) => v.status !== 'pass').map((v) => `${v.name}: ${v.status}`)).toEqual([]);
    expect(await page.getAttribute('#editor-interpreter', 'data-equal')).toBe('true');
    expect(await page.textContent('#editor-interpreter')).toMatch(/bit for bit/);

    const code = await page.inputValue('#wgsl-editor');
    expect(code).toContain('c[i] = a[i] + b[i];');
    await page.fill('#wgsl-editor', code.replace('c[i] = a[i] + b[i];', 'c[i] = a[i] - b[i];'));
    await rerun();
    const edited = await verdicts();
    const ref = edited.find((v) => v.name === 'matches-reference')!;
    expect(ref.status).toBe('fail');
    expect(ref.text).toMatch(/c\[\d+\]/);
    expect(edited.find((v) => v.name === 'correctly-rounded')!.status).toBe('fail');
    // Subtraction still writes every output once and leaves the inputs alone.
    expect(edited.find((v) => v.name === 'writes-every-output')!.status).toBe('pass');
    expect(edited.find((v) => v.name === 'inputs-unchanged')!.status).toBe('pass');
    // Both engines ran the edited kernel: they still agree with each other.
    expect(await page.getAttribute('#editor-interpreter', 'data-equal')).toBe('true');
    expect(await page.textContent('#editor-result')).toMatch(/5 of 7 properties pass on/);
    await page.locator('section.editor').screenshot({ path: screenshotPath('visualizer-editor-properties.png') });

    // A new user's edit that drops the bounds check passed "5 of 5" in the page while the CLI failed it.
    await page.fill('#wgsl-editor', code.replace(/if \(i >= params\.n\) \{\s*return;\s*\}/, ''));
    await rerun();
    const unguarded = await verdicts();
    expect(unguarded.find((v) => v.name === 'no-out-of-bounds')!.status).toBe('fail');
    expect(unguarded.find((v) => v.name === 'no-out-of-bounds')!.text).toMatch(/past the end of c/);
    await page.close();
  });

  // mlp's default case was refused as "408184 accesses; the trace holds 1048576": each of its four stages had a
  // quarter of the budget, and its first matmul needs more. Stages that fit together are traced, shares resized.
  test('a case whose stages fit the trace budget together is traced, however unevenly they share it', async () => {
    const page = await open('./?kernel=mlp');
    expect(await page.textContent('#summary')).toMatch(/^408,184 storage buffer accesses by \d+ of 1920 invocations/);
    // The editor holds the spec's own file; the other stages' files are named as not edited there (trial 67 B2).
    expect(await page.textContent('#editor-file')).toBe("Edit the kernel: kernels/matmul.wgsl (its other stages' relu.wgsl, softmax.wgsl are shown above, not edited here)");
    await page.close();
  });

  test('a case past the trace budget is said, not hung', async () => {
    const page = await open(`./?kernel=matmul&shape=${encodeURIComponent(JSON.stringify({ M: 512, N: 512, K: 512 }))}`);
    expect(await page.textContent('.budget')).toMatch(/past the trace budget/);
    expect(await page.textContent('#smaller')).toContain('256');
    await page.close();
  });
});
