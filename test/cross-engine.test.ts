// A reduced run on all five engines, as `npm test` promises: the same cases everywhere, every engine really
// computing, and the generated report opened in Chromium showing the counts results.json holds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('a reduced run on every engine', () => {
  const out = mkdtempSync(join(tmpdir(), 'ks-all-'));
  let res: ResultsFile;

  it('passes on dawn, chromium, firefox, deno and the interpreter with the same cases', () => {
    // matmul is left out: the interpreter steps a workgroup's invocations in lock-step at about 8 ms per loop
    // iteration of 64 invocations, so one 33×31×296 case takes minutes there. The GPU engines run it in engines.test.
    const r = spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', '--backend', 'all', '--kernel', 'add', '--kernel', 'relu', '--kernel', 'softmax', '--runs', '3', '--seed', '5', '--out', out, '--fixtures', join(out, 'fx')], { cwd: ROOT, encoding: 'utf8', timeout: 290_000 });
    res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    expect(res.engines.map((e) => `${e.backend}:${e.status}${e.reason ? ` (${e.reason})` : ''}`)).toEqual(
      ['dawn:ok', 'chromium:ok', 'firefox:ok', 'deno:ok', 'interpreter:ok']);
    // No engine ran on Dawn's null backend or without an adapter.
    for (const e of res.engines.filter((x) => x.backend !== 'interpreter' && x.backend !== 'firefox')) {
      expect([e.adapter?.vendor, e.adapter?.architecture, e.adapter?.description].join(''), e.backend).toMatch(/\S/);
    }
    const bad = res.results.filter((x) => x.status !== 'pass');
    expect(bad.map((x) => `${x.backend} ${x.kernel} ${x.property}: ${x.status} ${x.error ?? ''}`), r.stderr.slice(-3000)).toEqual([]);
    expect(r.status).toBe(0);
    // Same seed, same drawn cases: every engine judged as many cases per property (the interpreter may skip some).
    for (const x of res.results.filter((x) => x.backend !== 'interpreter')) expect(x.runs, `${x.backend} ${x.kernel} ${x.property}`).toBe(3);
  }, 300_000);

  it('the report page shows the matrix with the counts of results.json', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(out, 'index.html')).href);
      await page.waitForSelector('#matrix td.cell');
      const summary = await page.$$eval('[data-count]', (els) => Object.fromEntries(els.map((e) => [(e as HTMLElement).dataset.count!, Number(e.textContent)])));
      expect(summary.pass).toBe(res.results.filter((x) => x.status === 'pass').length);
      expect(summary.total).toBe(res.results.length);
      expect(await page.$$eval('#matrix td[data-status="pass"]', (els) => els.length)).toBe(summary.pass);
      expect(await page.$$eval('#matrix th.engine', (els) => els.length)).toBe(5);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
