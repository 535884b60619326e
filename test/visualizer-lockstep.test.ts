// The lockstep view of a whole workgroup, in a real Chromium with real clicks: stepping the library softmax's row
// phase by phase (the tree of partial maxima filling level by level in workgroup memory, invocations waiting at the
// barrier apart from those still working), and "break it" deleting a barrier so that the race view opens on the two
// conflicting accesses. Then, in Node, the lockstep trace's answers to bad input. Screenshots go to .cache/screenshots/.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeArray, FIXTURE_SCHEMA } from '../harness/run/fixture.ts';
import type { KernelProgram } from '../harness/run/program.ts';
import { LockstepBudgetExceeded, lockstepTrace, lockstepTraceOrFit, LockstepUnsupported, positionsAt } from '../harness/trace/lockstep.ts';
import { serveVisualizer, type VisualizerServer } from '../harness/view/server.ts';
import reduceSum from '../kernels/reduce_sum.kernel.ts';
import softmax from '../kernels/softmax.kernel.ts';
import { stageOfFinding } from '../visualizer/src/finding-stage.ts';
import { firstFinding, savedRaceOf } from '../visualizer/src/race.ts';
import { screenshotPath } from './screenshots.ts';

const ARGS = ['--no-sandbox', '--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
const SOURCE = readFileSync('kernels/softmax.wgsl', 'utf8');
const lineOf = (text: string) => SOURCE.split('\n').findIndex((l) => l.includes(text)) + 1;
const SEED_LINE = lineOf('partial[lid] = m;');
const FIRST_BARRIER = SEED_LINE + 1;
const TREE_LINE = lineOf('partial[lid] = max(partial[lid], partial[lid + s]);');
const TREE_BARRIER = TREE_LINE + 2;

// A saved no-data-race counterexample, as `test --wgsl softmax=BROKEN --backend interpreter` writes it: the user's
// softmax without its first barrier, failing in row 1's workgroup.
const fixtures = mkdtempSync(join(tmpdir(), 'ks-lockstep-'));
const BROKEN = '.cache/lockstep-test/softmax-no-first-barrier.wgsl';

describe('lockstep view in Chromium', () => {
  let server: VisualizerServer;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(dirname(BROKEN), { recursive: true });
    const lines = SOURCE.split('\n');
    lines[FIRST_BARRIER - 1] = '';
    writeFileSync(BROKEN, lines.join('\n'));
    const x = Float32Array.from({ length: 2 * 300 }, (_, i) => Math.sin(i * 0.7));
    writeFileSync(join(fixtures, 'softmax-race.json'), JSON.stringify({
      schema: FIXTURE_SCHEMA, kernel: 'softmax', property: 'no-data-race', backend: 'interpreter', adapter: 'wgsl_reflect', seed: 1, path: '0',
      wgsl: BROKEN, draw: {}, shape: { rows: 2, cols: 300 }, inputs: { x: encodeArray(x) }, actual: { x: encodeArray(x), y: encodeArray(new Float32Array(600)) }, createdAt: new Date(0).toISOString(),
      message: `data race on partial (workgroup memory) byte 1020: invocation 255 of workgroup (1, 0, 0) writes at line ${SEED_LINE}, invocation 127 of workgroup (1, 0, 0) reads at line ${TREE_LINE}, no barrier between (add a workgroupBarrier() between them); 128 races`,
    }));
    // The same message over the library's own softmax, which has its barriers: nothing to reproduce.
    const own = JSON.parse(readFileSync(join(fixtures, 'softmax-race.json'), 'utf8'));
    delete own.wgsl;
    writeFileSync(join(fixtures, 'softmax-race-not-here.json'), JSON.stringify(own));
    // A race between two workgroups, which no one-workgroup lockstep run can hold.
    own.message = 'data race on y (buffer 1) byte 0: invocation 0 of workgroup (0, 0, 0) writes at line 40, invocation 0 of workgroup (1, 0, 0) writes at line 40, different workgroups of one dispatch, which nothing orders; 300 races';
    writeFileSync(join(fixtures, 'softmax-race-across.json'), JSON.stringify(own));
    server = await serveVisualizer({ fixturesDir: fixtures });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(shape: object | string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1600 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const query = typeof shape === 'string' ? `?case=${shape}` : `?kernel=softmax&shape=${encodeURIComponent(JSON.stringify(shape))}`;
    await page.goto(new URL(`./${query}`, server.url).href);
    await page.waitForFunction(() => document.body.dataset.ready && document.querySelector('#lockstep')?.getAttribute('data-ready'), undefined, { timeout: 120_000 });
    expect(errors).toEqual([]);
    return page;
  }
  const groups = (page: Page): Promise<Record<string, number>> => page.$$eval('#ls-groups [data-place]', (l) => Object.fromEntries(l.map((d) => [d.getAttribute('data-place'), Number(d.getAttribute('data-count'))])));
  const lineCount = (page: Page, line: number) => page.$eval(`.ls-line[data-line="${line}"]`, (d) => Number((d as HTMLElement).dataset.count));
  const memory = (page: Page, word: number) => page.evaluate((w) => (window as any).__lockstep.memoryAt('partial', w), word);
  const ready = (page: Page) => page.evaluate(() => document.querySelector('#lockstep')!.getAttribute('data-ready'));

  // A new user's halo bug lived in workgroup memory, and the invocation panel listed only its storage accesses.
  test("an invocation's panel lists its workgroup memory accesses from the lockstep trace of its workgroup", { timeout: 240_000 }, async () => {
    const page = await open({ rows: 2, cols: 300 });
    const click = async (g: [number, number, number]) => {
      const at = await page.evaluate((x) => (window as any).__ks.gridCenter(x), g);
      await page.mouse.click(at.x, at.y);
    };
    await click([5, 0, 0]);
    const own = await page.textContent('#selection [data-workgroup-var="partial"]');
    expect(own).toMatch(new RegExp(`^var<workgroup> partial read \\d+× .*written \\d+× line ${SEED_LINE}: \\[5\\]`));
    // Workgroup (1, 0, 0) is not the one traced: said where to get it, nothing listed from another workgroup.
    await click([256 + 5, 0, 0]);
    expect(await page.$('#selection [data-workgroup-var]')).toBeNull();
    expect(await page.textContent('#selection-shared-hint')).toContain('step workgroup (1, 0, 0) in the lockstep panel below');
    await page.close();
  });

  // Trial 52: an invocation that wrote only workgroup memory, and ran to the end, was said to have "returned early".
  test('an invocation past n that touches only workgroup memory is said to, not to have returned early', { timeout: 240_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1600 } });
    await page.goto(new URL(`./?kernel=reduce_sum&shape=${encodeURIComponent(JSON.stringify({ n: 100 }))}`, server.url).href);
    await page.waitForFunction(() => document.body.dataset.ready && document.querySelector('#lockstep')?.getAttribute('data-ready'), undefined, { timeout: 120_000 });
    expect(await page.textContent('#summary')).toMatch(/^\d+ storage buffer accesses by \d+ of 256 invocations \(workgroup memory: the lockstep panel below\)\./);
    const at = await page.evaluate(() => (window as any).__ks.gridCenter([200, 0, 0]));
    await page.mouse.click(at.x, at.y);
    expect(await page.textContent('#selection-none')).toBe('touched no storage buffer; its workgroup memory accesses are below');
    expect(await page.textContent('#selection [data-workgroup-var="tree"]')).toMatch(/^var<workgroup> tree written 1× line \d+: \[200\]$/);
    await page.close();
  });

  test('steps a softmax row: phase by phase the tree of maxima fills, access by access the invocations stand apart', { timeout: 240_000 }, async () => {
    const cols = 300;
    const page = await open({ rows: 2, cols });
    const x: number[] = await page.evaluate(() => Array.from((window as any).__ks.session.c.inputs.x as Float32Array));
    const row = x.slice(0, cols);
    // Phase 1 ends at the first barrier: every invocation waits there, and partial[i] is the max of its strided slice.
    expect(await page.textContent('#ls-where')).toMatch(new RegExp(`^phase 1/20 \\(ends at the workgroupBarrier\\(\\) on line ${FIRST_BARRIER}\\)`));
    expect(await groups(page)).toEqual({ [`waiting at the barrier on line ${FIRST_BARRIER}`]: 256 });
    // Trial 198 B2: the tints are said, not left to be read as values.
    expect(await page.textContent('#workgroup-memory-key')).toMatch(/^Tinted:written in this phase so far,read \(the colour bar under each map is for the values/);
    expect(await lineCount(page, FIRST_BARRIER)).toBe(256);
    const slice = (i: number) => Math.max(row[0]!, ...row.filter((_, j) => j % 256 === i));
    const level0 = await Promise.all(Array.from({ length: 256 }, (_, i) => memory(page, i)));
    expect(level0).toEqual(Array.from({ length: 256 }, (_, i) => Math.fround(slice(i))));
    await page.screenshot({ path: screenshotPath('lockstep-phase1.png'), fullPage: true });

    // One access into phase 2: invocation 0 reads partial[0] on the tree's line; the upper half skipped the `if` and
    // already waits at the tree's barrier, apart from the lower half.
    await page.click('#ls-next-access');
    expect(await page.textContent('#ls-where')).toMatch(new RegExp(`phase 2/20 .*access 1/\\d+, invocation 0 reads partial\\[0\\] = .* on line ${TREE_LINE}`));
    const mid = await groups(page);
    expect(mid[`waiting at the barrier on line ${TREE_BARRIER}`]).toBe(128);
    expect(Object.entries(mid).filter(([k]) => k.startsWith('on line')).reduce((a, [, n]) => a + n, 0)).toBe(128);
    expect(mid[`on line ${TREE_LINE}`]).toBeGreaterThanOrEqual(1); // invocation 0, making the read
    expect(await lineCount(page, TREE_LINE)).toBe(mid[`on line ${TREE_LINE}`]);
    await page.screenshot({ path: screenshotPath('lockstep-divergent.png'), fullPage: true });

    await page.click('#ls-prev-phase');
    expect(await page.textContent('#ls-where')).toMatch(/^phase 1\/20 .*: all \d+ accesses done$/);
    // Phase by phase through the 8 levels: partial[i] for i < s is the max of partial[i] and partial[i + s].
    let level = level0;
    for (let s = 128; s >= 1; s >>= 1) {
      const before = await ready(page);
      await page.click('#ls-next-phase');
      expect(await ready(page)).toBe(before); // stepping does not re-trace
      const next = await Promise.all(Array.from({ length: 256 }, (_, i) => memory(page, i)));
      expect(next).toEqual(level.map((v, i) => (i < s ? Math.max(v, level[i + s]!) : v)));
      level = next;
      if (s === 32) await page.locator('#lockstep').screenshot({ path: screenshotPath('lockstep-tree.png') });
    }
    expect(level[0]).toBe(Math.fround(Math.max(...row)));
    // Trial 187 B4: each of the tree's phases says which time it ends at the loop's barrier.
    expect(await page.textContent('#ls-where')).toMatch(new RegExp(`^phase 9/20 \\(ends at the workgroupBarrier\\(\\) on line ${TREE_BARRIER}, time 8 of 8 there\\)`));

    // The variables of an invocation on demand: click its cell.
    const at = await page.evaluate(() => (window as any).__lockstep.invocationCenter(37));
    await page.mouse.click(at.x, at.y);
    expect(await page.getAttribute('#ls-locals', 'data-invocation')).toBe('37');
    expect(await page.textContent('#ls-locals')).toMatch(/lid\s*37/);
    const stepMs = Number(await page.getAttribute('#lockstep', 'data-step-ms'));
    expect(stepMs).toBeGreaterThan(0);
    console.log(`lockstep: one phase step redrawn in ${stepMs.toFixed(1)} ms (256 invocations, ${cols} columns)`);
    await page.close();
  });

  test('break it: deleting the first barrier opens the race view on the write and the read it no longer orders', { timeout: 240_000 }, async () => {
    const page = await open({ rows: 2, cols: 300 });
    expect(await page.$('#finding')).toBeNull();
    const before = await ready(page);
    await page.click('#break-it');
    await page.waitForFunction((b) => document.querySelector('#lockstep')!.getAttribute('data-ready') !== b, before);
    expect(await page.textContent('#ls-info')).toContain(`deleted workgroupBarrier() on line ${FIRST_BARRIER}`);
    expect(await page.getAttribute('#finding', 'data-kind')).toBe('race');
    // The first race in lockstep order (races are found as the accesses happen; the interpreter steps invocation 0,
    // then 255 down to 1): with 300 columns invocations 0-43 fold two elements each, so of the tree's first level
    // (invocations 0-127) invocation 127 reaches it first and reads partial[255], which invocation 255 wrote (seeding
    // its slice's max) with no barrier between.
    expect(await page.getAttribute('#finding', 'data-invocations')).toBe('255,127');
    expect(await page.getAttribute('#finding', 'data-lines')).toBe(`${SEED_LINE},${TREE_LINE}`);
    expect(await page.getAttribute('#finding', 'data-element')).toBe('partial[255]');
    expect(await page.textContent('#finding')).toContain(`a workgroupBarrier() is missing after line ${SEED_LINE} and before line ${TREE_LINE}`);
    // The view stands on the read; both lines are marked, and so is the element in workgroup memory.
    expect(await page.textContent('#ls-where')).toMatch(new RegExp(`invocation 127 reads partial\\[255\\] .* on line ${TREE_LINE}`));
    expect(await page.$$eval('.ls-line.race', (l) => l.map((d) => Number((d as HTMLElement).dataset.line)))).toEqual([SEED_LINE, TREE_LINE]);
    const selected = await page.$eval('figure.buffer[data-buffer="wg.partial"] canvas', (c) => (c as HTMLCanvasElement).dataset.selected);
    expect(selected?.split(',').map(Number)).toContain(255);
    await page.locator('#lockstep').screenshot({ path: screenshotPath('lockstep-race.png') });

    // Putting the barrier back: no race.
    const again = await ready(page);
    await page.click('#break-it');
    await page.waitForFunction((b) => document.querySelector('#lockstep')!.getAttribute('data-ready') !== b, again);
    expect(await page.$('#finding')).toBeNull();
    await page.close();
  });

  test('a saved no-data-race counterexample opens on the workgroup its message names, at the two accesses', { timeout: 240_000 }, async () => {
    const page = await open('softmax-race.json');
    expect(await page.textContent('#ls-info')).toMatch(/^workgroup \(1, 0, 0\)/);
    expect(await page.getAttribute('#finding', 'data-invocations')).toBe('255,127');
    expect(await page.getAttribute('#finding', 'data-element')).toBe('partial[255]');
    expect(await page.getAttribute('#finding', 'data-lines')).toBe(`${SEED_LINE},${TREE_LINE}`);
    // Row 1's values: the race view reads them from the fixture's inputs, not from fresh draws.
    const x = await page.evaluate(() => Array.from((window as any).__ks.session.c.inputs.x as Float32Array).slice(300, 303));
    expect(x).toEqual([300, 301, 302].map((i) => Math.fround(Math.sin(i * 0.7))));
    // A trace's fixture holds every buffer, its input x first: the counterexample shows the output y as the actual.
    const failing = await page.textContent('#failing');
    expect(failing).toContain('y: actual (engine)');
    expect(failing).not.toContain('x: actual (engine)');
    await page.close();
  });

  test('a reported race the interpreter does not reproduce in that workgroup is said, not drawn', { timeout: 240_000 }, async () => {
    const page = await open('softmax-race-not-here.json');
    expect(await page.$('#finding')).toBeNull();
    expect(await page.textContent('#ls-not-reproduced')).toContain('workgroup (1, 0, 0) made none');
    await page.close();
  });

  // Trial 58 B2: a race between two workgroups read "not reproduced here", as if the finding were doubtful.
  test('a race between two workgroups is said to be past what one workgroup in lockstep can show', { timeout: 240_000 }, async () => {
    const page = await open('softmax-race-across.json');
    expect(await page.$('#ls-not-reproduced')).toBeNull();
    // Trial 109 B2: named, and what the buffer views hold of it said as it is (one side may be a read).
    expect(await page.textContent('#ls-across')).toBe("The counterexample's race on y element 0 is between workgroups (0, 0, 0) and (1, 0, 0): a lockstep run holds one workgroup, so it cannot show it. In the buffer views above, that element of y shows which invocations of the dispatch read and wrote it.");
    await page.close();
  });
});

// A new user's two-stage histogram (clear, then count) raced in `count`, on workgroup memory only `count` touches
// (through no helper): the panel opened on stage 1 and said the race was not reproduced.
describe('the stage a counterexample\'s finding is in', () => {
  const code = `@group(0) @binding(0) var<storage, read> pixels: array<u32>;
@group(0) @binding(1) var<storage, read_write> bins: array<atomic<u32>>;
var<workgroup> local_bins: array<u32, 256>;
@compute @workgroup_size(256) fn clear(@builtin(global_invocation_id) gid: vec3u) { atomicStore(&bins[gid.x], 0u); }
fn bump(l: u32) { local_bins[l] = local_bins[l] + 1u; }
@compute @workgroup_size(256) fn count(@builtin(local_invocation_index) l: u32) { bump(pixels[l] & 255u); }
`;
  const stages = [{ file: 'h.wgsl', entry: 'clear' }, { file: 'h.wgsl', entry: 'count' }];
  test.each([
    ['workgroup memory, reached through a helper', 'data race in twins/h.wgsl on local_bins (workgroup memory) byte 240: invocation 1 of workgroup (0, 0, 0) writes at line 5', 1],
    ['a storage buffer both stages touch: the first', 'data race on bins (buffer 1) byte 0: invocation 0 writes at line 4', 0],
    ['no variable named', 'the property does not hold', undefined],
    // Trial 71 B2: an access past a buffer's end, in the stage its message names.
    ['an out-of-bounds access, by the stage it names', 'stage 2 of 2: invocation 0 of workgroup (11, 1, 0) reads pixels element 44 (byte 176), past the end of pixels (h.wgsl:6); 256 such accesses', 1],
    ['a stage count that is not this case\'s', 'stage 2 of 3: invocation 0 reads pixels element 44 (byte 176), past the end of pixels (h.wgsl:6)', undefined],
  ])('%s', (_, message, stage) => {
    expect(stageOfFinding(message, stages, { 'h.wgsl': code })).toBe(stage);
  });
});

describe('lockstep trace: bad input', () => {
  const program = (code = SOURCE): KernelProgram => ({ spec: softmax, sources: { [softmax.wgsl]: code }, origins: {} });
  const draw = (shape: Record<string, unknown>) => ({ shape, inputs: { x: new Float32Array((shape.rows as number) * (shape.cols as number)).fill(0.5) } });

  test('a kernel the interpreter cannot run in lockstep names the construct and its line', () => {
    const code = `enable subgroups;\n${SOURCE.replace('let rowMax = partial[0];', 'let rowMax = subgroupMax(partial[0]);')}`;
    const e = (() => {
      try {
        lockstepTrace(program(code), draw({ rows: 1, cols: 8 }));
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(LockstepUnsupported);
    expect((e as Error).message).toMatch(/cannot run this kernel in lockstep: enable subgroups .*\(line 1\)/);
  });

  test('a case over the step budget names a shape that was traced within it', () => {
    const maxSteps = 40_000;
    const e = (() => {
      try {
        lockstepTraceOrFit(program(), draw({ rows: 1, cols: 4096 }), draw, { maxSteps });
      } catch (err) {
        return err;
      }
    })() as LockstepBudgetExceeded;
    expect(e).toBeInstanceOf(LockstepBudgetExceeded);
    expect(e.fits).toBeDefined();
    expect(e.message).toContain(`${JSON.stringify(e.fits)} fits`);
    // The named shape really fits, and twice its columns does not.
    expect(lockstepTrace(program(), draw(e.fits!), { maxSteps }).steps).toBeLessThanOrEqual(maxSteps);
    expect(() => lockstepTrace(program(), draw({ ...e.fits!, cols: (e.fits!.cols as number) * 2 }), { maxSteps })).toThrow(LockstepBudgetExceeded);
  });

  // A new user's matmul with `<=` wrote c[1] of a 1-element c from two invocations: told of a race on c[1] and to use
  // an atomic. Out of bounds is said first, as the CLI judges no race in such a case.
  test('two invocations writing one element past the end: out of bounds, not a race', () => {
    const head = SOURCE.slice(0, SOURCE.indexOf('@compute'));
    const code = `${head}@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32) {
  if (lid < 2u) { y[params.cols] = 1.0; }
}
`;
    const t = lockstepTrace(program(code), draw({ rows: 1, cols: 8 }));
    expect(t.races.length).toBeGreaterThan(0);
    const f = firstFinding(t)!;
    expect(f.kind).toBe('out-of-bounds');
    expect(f.text).toMatch(/^Out of bounds: invocation 0 writes y\[8\] on line \d+, but y has 8 elements/);
  });

  test('an out-of-bounds write is found with its index, the buffer\'s length and its line', () => {
    const store = 'y[base + j] = exp(x[base + j] - rowMax) / total;';
    const code = SOURCE.replace(store, store.replace('y[base + j]', 'y[base + j + 1u]'));
    const t = lockstepTrace(program(code), draw({ rows: 1, cols: 8 }));
    const f = firstFinding(t)!;
    expect(f.kind).toBe('out-of-bounds');
    expect(f.invocations).toEqual([7]);
    expect(f.lines).toEqual([lineOf(store)]);
    expect(f.text).toContain(`invocation 7 writes y[8] on line ${lineOf(store)}, but y has 8 elements (indices 0…7)`);
    expect(t.access.invocation[f.access]).toBe(7);
    expect(t.access.value[f.access]).toBeNaN();
  });

  // A workgroupBarrier() orders workgroup memory, not storage (WGSL §"Synchronization Built-in Functions"): the race
  // spans two phases, and the finding names the barrier that is there and the one that is missing.
  test('a storage race across a workgroupBarrier() says the barrier orders workgroup memory and a storageBarrier() is missing', () => {
    const code = readFileSync('test/wrong-kernels/lib_reduce_sum_storage_after_workgroup_barrier.wgsl', 'utf8');
    const p: KernelProgram = { spec: reduceSum, sources: { [reduceSum.wgsl]: code }, origins: {} };
    const t = lockstepTrace(p, { shape: { n: 512 }, inputs: { x: new Float32Array(512).fill(1) } });
    const f = firstFinding(t)!;
    expect(f.kind).toBe('race');
    expect(f.invocations).toEqual([0, 1]);
    expect(f.lines).toEqual([35, 37]);
    expect(f.element).toEqual({ variable: 'dst', word: 0 });
    expect(f.text).toBe('Data race on dst[0] (a storage buffer): invocation 0 writes it on line 35, then invocation 1 reads it on line 37, in phases 9 and 10, ' +
      'with only a workgroupBarrier() (line 36) between them, which orders workgroup memory, not storage. ' +
      'Nothing orders them: a storageBarrier() is missing after line 35 and before line 37.');
    // The view opens on the read, in its own phase (index 9: the stepper's "phase 10/...", as the text counts).
    expect(f.phase).toBe(9);
    expect(t.access.phase[f.access]).toBe(9);
    expect(t.access.invocation[f.access]).toBe(1);
  });

  test('invocations that return before a barrier the others wait at are listed, and the divergence is said', () => {
    const seed = 'partial[lid] = m;';
    const code = SOURCE.replace(seed, `if (lid >= 200u) {\n    return;\n  }\n  ${seed}`);
    const t = lockstepTrace(program(code), draw({ rows: 1, cols: 8 }));
    expect(t.returnedEarly.map((r) => r.invocation)).toEqual(Array.from({ length: 56 }, (_, i) => 200 + i));
    expect(new Set(t.returnedEarly.map((r) => r.line))).toEqual(new Set([SEED_LINE + 1]));
    expect(t.returnedEarly[0]!.phase).toBe(0);
    expect(t.errors.join(' ')).toMatch(/Barrier divergence/);
    const pos = positionsAt(t, 0, t.phases[0]!.endStep);
    expect(pos.state.filter((s) => s === 2).length).toBe(56);
    expect(pos.state.filter((s) => s === 1).length).toBe(200);
  });

  // A new user's blur kept its tile as vec4 pixels: each write covers four words, and the view marked only the first.
  test('a vec4 access of workgroup memory is one access per word it covers', () => {
    const head = SOURCE.slice(0, SOURCE.indexOf('@compute'));
    const code = `${head}var<workgroup> tile: array<vec4<f32>, 256>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32) {
  tile[lid] = vec4<f32>(f32(lid));
  workgroupBarrier();
  if (lid < params.cols) { y[lid] = tile[255u - lid].y; }
}
`;
    const t = lockstepTrace(program(code), draw({ rows: 1, cols: 8 }));
    const tile = t.variables.findIndex((v) => v.name === 'tile');
    const rowsOf = (inv: number, kind: number) => Array.from({ length: t.access.invocation.length }, (_, i) => i)
      .filter((i) => t.access.variable[i] === tile && t.access.invocation[i] === inv && t.access.kind[i] === kind).map((i) => t.access.word[i]);
    expect(rowsOf(3, 2)).toEqual([12, 13, 14, 15]);
    // wgsl_reflect loads tile[252] whole before taking .y, and races are judged on the whole vector; the view shows
    // the word the WGSL names (it showed all four).
    expect(rowsOf(3, 1)).toEqual([1009]);
  });

  // A new user's histogram was told a workgroupBarrier() was missing "after line 34 and before line 34"; a tree level
  // without its barrier (a write and another invocation's read of it at one line) does need one.
  test('a race at one line: a shared counter is told to use an atomic, a tree level missing its barrier a barrier', () => {
    const head = SOURCE.slice(0, SOURCE.indexOf('@compute'));
    const counter = `${head}var<workgroup> bins: array<u32, 4>;
@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32) {
  bins[lid % 2u] = bins[lid % 2u] + 1u;
  workgroupBarrier();
  if (lid < params.cols) { y[lid] = f32(bins[lid % 4u]); }
}
`;
    const shared = firstFinding(lockstepTrace(program(counter), draw({ rows: 1, cols: 8 })))!;
    expect(shared.text).toContain('several invocations updating one element (a counter, a histogram bin) need an atomic');
    const tree = firstFinding(lockstepTrace(program(readFileSync('test/wrong-kernels/softmax-no-barrier.wgsl', 'utf8')), draw({ rows: 1, cols: 8 })))!;
    expect(tree.kind).toBe('race');
    expect(tree.text).not.toContain('atomic');
    expect(tree.text).toMatch(/a workgroupBarrier\(\) is missing (after line \d+ and before line \d+|in the loop, between one execution of line \d+ and the next)\.$/);
  });

  // Trial 78 B2: a counterexample named "ta byte 4: invocation 1 ..., invocation 0 ...", and the view opened on
  // ta[15][0], invocations 240 and 255: the race on the element the message names comes first.
  test("the view opens on the counterexample's race where the lockstep run makes it, else on its first", () => {
    const t = lockstepTrace(program(readFileSync('test/wrong-kernels/softmax-no-barrier.wgsl', 'utf8')), draw({ rows: 1, cols: 8 }));
    expect(t.races.length).toBeGreaterThan(1);
    const other = t.races.find((r) => r.byte !== t.races[0]!.byte)!;
    const saved = savedRaceOf(`data race in k.wgsl on ${other.variable} (workgroup memory) byte ${other.byte}: invocation 1 of workgroup (0, 0, 0) writes at line 9`)!;
    expect(saved).toEqual({ variable: other.variable, byte: other.byte });
    expect(firstFinding(t, saved)!.element).toEqual({ variable: other.variable, word: other.byte / 4 });
    // Between the message's two invocations, where the run has that pair on the element.
    const [a, b] = [other.a.invocation, other.b.invocation];
    const named = savedRaceOf(`data race on ${other.variable} (workgroup memory) byte ${other.byte}: invocation ${b} of workgroup (0, 0, 0) writes at line 9, invocation ${a} of workgroup (0, 0, 0) reads at line 9`)!;
    expect(firstFinding(t, named)!.invocations.sort()).toEqual([a, b].sort());
    expect(firstFinding(t, { variable: other.variable, byte: 1 << 20 })!.element.word).toBe(t.races[0]!.byte / 4);
    expect(savedRaceOf('data race on y byte 12: invocation 3 of workgroup (0, 0, 0) writes at line 4')).toEqual({ variable: 'y', byte: 12 });
    expect(savedRaceOf('data race on tile (workgroup memory) byte 44 (tile[1][1]): invocation 0 of workgroup (0, 0, 0) reads at line 34, invocation 11 of workgroup (0, 0, 0) writes at line 32')).toEqual({ variable: 'tile', byte: 44, invocations: [0, 11] });
    expect(savedRaceOf('data race on y byte 12: invocation 3 of workgroup (0, 0, 0) writes at one of lines 4, 5 (a GPU run records which invocation, not which line), invocation 0 of workgroup (0, 0, 0) reads at line 4')).toEqual({ variable: 'y', byte: 12, invocations: [3, 0] });
  });

  // Trial 109 B1: a step with no line of its own (a loop's update) set its invocation's line to 0, which the panel
  // shows as "not started": 12 of 64 running invocations were listed so.
  test('positions: an invocation that has stepped in a phase stands on a line, whatever its last step', () => {
    const t = lockstepTrace(program(), draw({ rows: 1, cols: 8 }));
    for (let p = 0; p < t.phases.length; p++) {
      const ph = t.phases[p]!;
      for (let upTo = ph.firstStep + 1; upTo <= ph.endStep; upTo += 37) {
        const pos = positionsAt(t, p, upTo);
        const stepped = new Set<number>();
        for (let s = ph.firstStep; s < upTo; s++) stepped.add(t.stepInvocation[s]!);
        const lost = [...stepped].filter((i) => pos.state[i] === 0 && pos.line[i] === 0);
        expect(lost, `phase ${p}, step ${upTo}`).toEqual([]);
      }
    }
  });

  test('positions: before a phase\'s last step an invocation stands on its line, after it at the barrier', () => {
    const t = lockstepTrace(program(), draw({ rows: 1, cols: 8 }));
    const ph = t.phases[1]!;
    const inv = 200; // skips the first tree level's `if`
    const last = ph.lastStep[inv]!;
    expect(positionsAt(t, 1, last).state[inv]).toBe(0);
    expect(positionsAt(t, 1, last + 1).state[inv]).toBe(1);
    expect(positionsAt(t, 1, last + 1).line[inv]).toBe(TREE_BARRIER);
    const end = t.phases.length - 1;
    expect(positionsAt(t, end, t.steps).state.every((s) => s === 2)).toBe(true);
    expect(positionsAt(t, end, t.phases[end]!.firstStep).state.every((s) => s === 0)).toBe(true);
  });
});
