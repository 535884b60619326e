// Where tests put their screenshots: a gitignored folder, so `npm test` leaves the working tree as it found it.
// `npm run screenshots` sets KERNELSCOPE_SCREENSHOTS=docs/img to refresh the README's pictures on purpose.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DIR = resolve(import.meta.dirname, '..', process.env.KERNELSCOPE_SCREENSHOTS ?? '.cache/screenshots');

/** The path for screenshot NAME (e.g. "visualizer-matmul.png"), its folder created. */
export function screenshotPath(name: string): string {
  mkdirSync(DIR, { recursive: true });
  return join(DIR, name);
}
