// The report page opened the way a user opens it: from disk, in Debian's Chromium, with no server and no network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadResults } from '../harness/reports/load.ts';
import { mergeResults } from '../harness/reports/merge.ts';
import { applyExpectations } from '../harness/reports/expectations.ts';
import { writeReports } from '../harness/reports/write.ts';
import { screenshotPath } from './screenshots.ts';

const root = join(import.meta.dirname, '..');
const fx = (name: string) => join(import.meta.dirname, 'fixtures/results', name);

describe('report page from disk', () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];
  let pageUrl = '';

  beforeAll(async () => {
    const merged = applyExpectations(
      // Sources named relative to the repository, so the committed screenshot does not show where it was checked out.
      mergeResults(['machine-a.json', 'machine-b.json'].map((n) => ({ path: relative(root, fx(n)), data: loadResults(fx(n)) })), new Date('2026-11-24T12:00:00Z')),
      [{ kernel: 'softmax', property: 'writes-every-output', engine: 'chromium', expected: 'error', reason: 'Tint rejects the template (bug 123)' }],
    );
    const out = mkdtempSync(join(tmpdir(), 'ks-report-'));
    const { html } = writeReports(out, merged, { projectRoot: root });
    pageUrl = pathToFileURL(html).href;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    await page.goto(pageUrl);
    await page.waitForSelector('#matrix td.cell');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('draws one matrix cell per result, matching the summary counts', async () => {
    const summary = await page.$$eval('[data-count]', (els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.count!, Number(e.textContent)])));
    // The tiles count as junit.xml does (chromium's and deno's "starts" errors among the errors, a test of its own); the matrix's
    // statuses are their sub-counts.
    expect(summary).toEqual({ pass: 21, fail: 2, error: 2, 'engine-errors': 2, skipped: 12, skip: 1, 'expected-fail': 1, unavailable: 10,
      total: 37, results: 35, 'engine-tests': 2 });
    const drawn = await page.$$eval('#matrix td[data-status]', (els) => els.map((e) => (e as HTMLElement).dataset.status!));
    expect(drawn).toHaveLength(35);
    for (const status of ['pass', 'fail', 'skip', 'expected-fail', 'unavailable'] as const) expect(drawn.filter((s) => s === status).length, status).toBe(summary[status]);
    expect(drawn.filter((s) => s === 'error').length).toBe(summary['error-results'] ?? 0);
    expect(await page.$$eval('#matrix th.engine', (els) => els.length)).toBe(7);
  });

  it('puts each result in its own column: the NVIDIA matmul failure is not SwiftShader\'s', async () => {
    const status = (engine: string) => page.$eval(
      `#matrix td[data-kernel="matmul"][data-property="matches-reference"][data-engine="${engine}"]`, (e) => (e as HTMLElement).dataset.status);
    expect(await status('dawn · nvidia ampere')).toBe('fail');
    expect(await status('dawn · google swiftshader')).toBe('pass');
    expect(await page.$$eval('#matrix td[data-engine="deno"]', (els) => els.map((e) => (e as HTMLElement).dataset.status))).toEqual(Array(5).fill('unavailable'));
  });

  it('shows a cell\'s details with a working relative link to its counterexample', async () => {
    await page.click('#matrix td[data-kernel="softmax"][data-property="matches-reference"][data-status="fail"]');
    const detail = await page.textContent('#detail');
    expect(detail).toContain('exceeds the bound');
    const href = await page.getAttribute('#detail a', 'href');
    expect(href).toMatch(/^(\.\.\/)+.*fixtures\/counterexamples\/softmax-matches-reference-firefox\.json$/);
    expect(new URL(href!, pageUrl).protocol).toBe('file:');
  });

  it('draws the margin chart with the bound line and flags the Tint/Naga split and differing limits', async () => {
    expect(await page.$$eval('#margin-chart circle', (els) => els.length)).toBeGreaterThan(10);
    expect(await page.$('#margin-chart .bound line')).not.toBeNull();
    expect(await page.textContent('#divergence-summary')).toContain('1 of 2');
    expect(await page.textContent('.divergences')).toContain('split Tint (dawn, chromium) vs Naga (firefox)');
    const differs = await page.$$eval('#adapters tr.differs', (els) => els.map((e) => (e as HTMLElement).dataset.fact));
    expect(differs).toContain('limits.maxComputeInvocationsPerWorkgroup');
    expect(differs).toContain('features.float32-filterable');
    expect(await page.textContent('#warnings')).toContain('merged runs differ: seeds 1 and 7');
  });

  it('dims a status when its legend entry is clicked, and brings it back', async () => {
    await page.click('#legend button[data-status="pass"]');
    expect(await page.$$eval('#matrix td.cell.dimmed', (els) => els.map((e) => (e as HTMLElement).dataset.status))).toEqual(Array(21).fill('pass'));
    await page.click('#legend button[data-status="pass"]');
    expect(await page.$$eval('#matrix td.cell.dimmed', (els) => els.length)).toBe(0);
  });

  it('lists the expectation that matched, not the unavailable engine', async () => {
    const text = await page.textContent('#expectations');
    expect(text).toContain('writes-every-output on chromium · google swiftshader: expected error');
    expect(text).not.toContain('not what was expected');
  });

  it('made no network request and raised no script error', async () => {
    await page.click('#detail');
    await page.screenshot({ path: screenshotPath('report-matrix.png'), fullPage: true });
    expect(requests).toEqual([pageUrl]);
    expect(problems).toEqual([]);
  });
});
