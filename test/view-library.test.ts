// `kernelscope view` of a library outside the repository (KERNELSCOPE_LIBRARY), in a real Chromium: the page bundles
// that library's kernels (its own build, visualizer/vite.config.ts's `@library`), and a counterexample found with
// `test --wgsl FILE`, FILE outside the folder the server runs in, runs FILE: the race it names is shown, not the
// library's own kernel's "not reproduced". A FILE changed since the fixture was saved, or gone, is said on the page
// and in the terminal. A kernel whose shape holds a vector (shift3) opens with it whole. The screenshots go to
// .cache/screenshots/view-library-race.png and view-library-vector-shape.png.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeArray, FIXTURE_SCHEMA } from '../harness/run/fixture.ts';
import { wgslHash } from '../harness/run/suite.ts';
import { distOf, serveVisualizer, type VisualizerServer } from '../harness/view/server.ts';
import pairsum from './fixtures/view-library/kernels/pairsum.kernel.ts';
import { screenshotPath } from './screenshots.ts';

const ARGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

// The library and the user's WGSL in a folder beside, not under, the repository and the server's cwd.
const home = mkdtempSync(join(tmpdir(), 'ks-view-library-'));
const library = join(home, 'my-kernels');
const fixtures = join(library, 'fixtures/counterexamples');
const wrong = join(library, 'wrong/pairsum_no_barrier.wgsl');
const own = readFileSync('test/fixtures/view-library/kernels/pairsum.wgsl', 'utf8');
const BARRIER_LINE = own.split('\n').findIndex((l) => l.includes('workgroupBarrier')) + 1;
const noBarrier = own.split('\n').map((l, i) => (i + 1 === BARRIER_LINE ? '' : l)).join('\n');

/** A no-data-race fixture as `test --wgsl pairsum=FILE` saves it, its name ending in the hash of the program's WGSL. */
function saveRace(wgsl: string, text: string): string {
  const n = 64;
  const hash = wgslHash({ spec: pairsum, sources: { 'pairsum.wgsl': text }, origins: {} });
  const id = `pairsum--no-data-race--dawn--seed1--${hash}.json`;
  writeFileSync(join(fixtures, id), JSON.stringify({
    schema: FIXTURE_SCHEMA, kernel: 'pairsum', property: 'no-data-race', backend: 'dawn', adapter: 'test', seed: 1, path: '0', wgsl,
    draw: {}, shape: { n }, inputs: { x: encodeArray(new Float32Array(n).fill(1)) }, actual: { y: encodeArray(new Float32Array(n)) },
    message: `data race on tile (workgroup memory) byte 4: invocation 1 of workgroup (0, 0, 0) writes at line 12, invocation 0 of workgroup (0, 0, 0) reads at line 15, no barrier between (add a workgroupBarrier() between them); 64 races`,
    createdAt: new Date(0).toISOString(),
  }));
  return id;
}

let server: VisualizerServer;
let browser: Browser;
const warnings: string[] = [];
let race: string;
let padded: string;
let changed: string;
let gone: string;
/** A counterexample of a kernel whose shape holds a vector (the uniform's vec3 offset). */
const SHIFT3 = 'shift3--matches-reference--dawn--seed1--00000000.json';

beforeAll(async () => {
  cpSync('test/fixtures/view-library', library, { recursive: true });
  mkdirSync(join(library, 'wrong'), { recursive: true });
  mkdirSync(fixtures, { recursive: true });
  writeFileSync(wrong, noBarrier);
  // A kernel whose stage's WGSL is in a folder under kernels/, as `test` runs it (trial 67 B3: "not loaded" in the page).
  mkdirSync(join(library, 'kernels/sub'), { recursive: true });
  writeFileSync(join(library, 'kernels/sub/pairsum.wgsl'), own);
  writeFileSync(join(library, 'kernels/pairsub.kernel.ts'), readFileSync('test/fixtures/view-library/kernels/pairsum.kernel.ts', 'utf8')
    .replace("name: 'pairsum'", "name: 'pairsub'").replaceAll("'pairsum.wgsl'", "'sub/pairsum.wgsl'"));
  writeFileSync(join(library, 'properties/pairsub.properties.ts'), readFileSync('test/fixtures/view-library/properties/pairsum.properties.ts', 'utf8')
    .replaceAll("'pairsum'", "'pairsub'"));
  race = saveRace(wrong, noBarrier);
  // A port whose uniform struct has a padding field it never reads, as `test --wgsl` runs it (zero there).
  const paddedWgsl = join(library, 'wrong/pairsum_padded.wgsl');
  const paddedText = noBarrier.replace('struct Params { n: u32 }', 'struct Params { n: u32, _unused0: u32 }');
  writeFileSync(paddedWgsl, paddedText);
  padded = saveRace(paddedWgsl, paddedText);
  // Saved from a version of the file that differs from the one on disk now.
  changed = saveRace(wrong, noBarrier + '\n// an earlier version\n');
  gone = saveRace(join(library, 'wrong/deleted.wgsl'), noBarrier + '\n// deleted\n');
  writeFileSync(join(fixtures, SHIFT3), JSON.stringify({
    schema: FIXTURE_SCHEMA, kernel: 'shift3', property: 'matches-reference', backend: 'dawn', adapter: 'test', seed: 1, path: '0',
    draw: {}, shape: { n: 3, offset: [1, 2, -1] }, inputs: { x: encodeArray(Float32Array.of(0, 0, 0)) },
    actual: { y: encodeArray(Float32Array.of(1, 2, 0)) }, worst: { buffer: 'y', index: 2 },
    message: 'y[2] = 0 but the reference is -1 (error 1, allowed 0: the result must be exact)', createdAt: new Date(0).toISOString(),
  }));
  server = await serveVisualizer({ library, fixture: join(fixtures, race), warn: (l) => warnings.push(l) });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(distOf(library), { recursive: true, force: true }); // the build for this temporary library
});

async function open(query: string, lockstep: boolean): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(new URL(query, server.url).href);
  await page.waitForFunction((ls) => document.body.dataset.ready && (!ls || document.querySelector('#lockstep')?.getAttribute('data-ready')), lockstep, { timeout: 120_000 });
  expect(errors).toEqual([]);
  return page;
}

describe('view of a library outside the repository', () => {
  test('a race found with --wgsl FILE outside the cwd runs FILE and shows the race', { timeout: 240_000 }, async () => {
    const page = await open('./', true);
    expect(await page.textContent('#failing h2')).toContain(wrong);
    expect(await page.$('#wgsl-warning')).toBeNull();
    expect(await page.$('#ls-not-reproduced')).toBeNull();
    expect(await page.getAttribute('#finding', 'data-kind')).toBe('race');
    expect(await page.$$eval('.ls-line.race', (l) => l.map((d) => Number((d as HTMLElement).dataset.line)))).toEqual([12, 15]);
    // The stage is FILE's, whose code it shows, not the library's pairsum.wgsl (a trial's said its kernel's file).
    expect(await page.textContent('figure.grid figcaption')).toMatch(new RegExp(`^stage 1/1 ${wrong.replace(/[.]/g, '\\.')}:main `));
    await page.screenshot({ path: screenshotPath('view-library-race.png'), fullPage: true });
    await page.close();
    expect(warnings).toEqual([]);
  });

  // Trial 187 B7: a case the server does not have said only "no saved counterexample", not where it looked.
  test('a case the server does not have names the folder it looked in and how to open one saved elsewhere', async () => {
    const r = await fetch(new URL('api/fixtures/elsewhere.json', server.url));
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: string }).error).toBe(`no saved counterexample 'elsewhere.json' in ${fixtures} nor given with --case: one saved elsewhere (test --fixtures DIR) opens with view --case FILE`);
  });

  test('the library\'s kernel on its own opens at a shape its family draws, not a guessed { n: 64 }', { timeout: 120_000 }, async () => {
    const page = await open('?kernel=pairsum', false);
    expect(await page.$('#error')).toBeNull();
    // The smallest of the family's 20 cases at seed 1 (n from 1 to 200): fast-check's draws for a seed are fixed.
    const n = Number(await page.inputValue('input[name="shape.n"]'));
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThan(64);
    await page.close();
  });

  // Trial 71 B1: the page refused it ("write _unused0: a number"), a spec the port's user does not own.
  test('a saved case of a --wgsl port with an unread padding field in its uniform struct opens, as test and replay run it', { timeout: 120_000 }, async () => {
    expect(readFileSync(join(library, 'wrong/pairsum_padded.wgsl'), 'utf8')).toContain('_unused0');
    const page = await open(`?case=${encodeURIComponent(padded)}`, false);
    expect(await page.$('#error')).toBeNull();
    expect(await page.textContent('#summary')).toMatch(/storage buffer accesses/);
    await page.close();
  });

  test('a kernel whose stage WGSL is in a folder under kernels/ opens and traces', { timeout: 120_000 }, async () => {
    const page = await open('?kernel=pairsub', false);
    expect(await page.$('#error')).toBeNull();
    expect(await page.textContent('#summary')).toMatch(/storage buffer accesses/);
    await page.close();
  });

  test('a FILE changed since the fixture was saved is said on the page and in the terminal', { timeout: 240_000 }, async () => {
    const page = await open(`?case=${encodeURIComponent(changed)}`, true);
    const said = `pairsum_no_barrier.wgsl changed since ${changed} was saved`;
    expect(await page.textContent('#wgsl-warning')).toContain(said);
    expect(warnings.some((w) => w.includes(said))).toBe(true);
    await page.close();
  });

  test('a FILE that is gone is an error on the page and in the terminal, not the library\'s own WGSL', { timeout: 120_000 }, async () => {
    const page = await open(`?case=${encodeURIComponent(gone)}`, false);
    expect(await page.textContent('#error')).toContain('deleted.wgsl, which is gone');
    expect(await page.$('#lockstep')).toBeNull();
    expect(warnings.some((w) => w.includes('deleted.wgsl, which is gone'))).toBe(true);
    await page.close();
  });

  // The page kept only a shape's numbers: a trial's particle step, whose shape held a gravity vector, opened as
  // "gravity (vec3<f32>) is undefined". Its vector is passed to the stages whole, and shown, not offered.
  test('a kernel whose shape holds a vector opens, with a saved case and without, and shows the vector read-only', { timeout: 240_000 }, async () => {
    const saved = await open(`?case=${encodeURIComponent(SHIFT3)}`, false);
    expect(await saved.$('#error')).toBeNull();
    expect(await saved.inputValue('input[name="shape.offset"]')).toBe('[1,2,-1]');
    expect(await saved.isDisabled('input[name="shape.offset"]')).toBe(true);
    expect(await saved.textContent('#failing')).toContain('y[2] = 0 but the reference is -1');
    // Trial 187 B1: the trace's own run gives -1 there, not the engine's 0: said above the trace, which shows that run.
    expect(await saved.textContent('#trace-differs')).toMatch(/^The trace below ran this case on (the interpreter|the page's WebGPU), whose y differs from the engine's output at 1 of 3 elements \(first y\[2\]: 0 on the engine, -1 in the trace\)/);
    await saved.screenshot({ path: screenshotPath('view-library-vector-shape.png'), fullPage: true });
    await saved.close();
    const drawn = await open('?kernel=shift3', false);
    expect(await drawn.$('#error')).toBeNull();
    expect(await drawn.inputValue('input[name="shape.offset"]')).toMatch(/^\[-?\d,-?\d,-?\d\]$/);
    await drawn.close();
  });

  // Trial 58 B1: a running view kept the kernels it started with: an edit traced the old WGSL, and a kernel added
  // since was "no kernel". The page's next load rebuilds where the library changed.
  test('a kernel added to the library while view runs opens on the next page load', { timeout: 300_000 }, async () => {
    const spec = readFileSync(join(library, 'kernels/pairsum.kernel.ts'), 'utf8').replace("name: 'pairsum',", "name: 'pairsum2',\n  family: 'pairsum',");
    writeFileSync(join(library, 'kernels/pairsum2.kernel.ts'), spec);
    const page = await open('?kernel=pairsum2', false);
    expect(await page.$('#error')).toBeNull();
    expect(await page.textContent('h1, header')).toContain('pairsum2');
    await page.close();
    rmSync(join(library, 'kernels/pairsum2.kernel.ts'));
  });
});
