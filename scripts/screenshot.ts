// Screenshots a report page (or one section of it) in Debian's Chromium, for the README.
// Usage: npx tsx scripts/screenshot.ts PAGE.html OUT.png [CSS-SELECTOR]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [page, out, selector] = process.argv.slice(2);
if (!page || !out) {
  console.error('usage: npx tsx scripts/screenshot.ts PAGE.html OUT.png [CSS-SELECTOR]');
  process.exit(2);
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const p = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await p.goto(pathToFileURL(resolve(page)).href);
  await p.waitForSelector('#matrix td.cell');
  if (selector) await p.locator(selector).first().screenshot({ path: out });
  else await p.screenshot({ path: out, fullPage: true });
} finally {
  await browser.close();
}
