// Chromium (Dawn and Tint inside the browser) through Playwright. Without a GPU, SwiftShader is asked for by flag.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { EngineUnavailable } from './engine.ts';
import { launchAndConnect, openBrowserEngine } from './browser.ts';
import { watched, type WatchedEngine } from './watchdog.ts';

export interface ChromiumOptions {
  /** Defaults to $KERNELSCOPE_CHROMIUM or Debian's /usr/bin/chromium. */
  executablePath?: string;
  /** Force SwiftShader even where a GPU exists (the default: what this project's machines have). */
  swiftshader?: boolean;
  /** `--timeout MS`: a fixed watchdog instead of the calibrated one. */
  timeoutMs?: number;
}

export async function openChromium(options: ChromiumOptions = {}): Promise<WatchedEngine> {
  const executablePath = options.executablePath ?? process.env.KERNELSCOPE_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new EngineUnavailable('chromium', `no Chromium at ${executablePath} (apt-get install chromium, or set KERNELSCOPE_CHROMIUM)`);
  }
  const args = ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run'];
  if (options.swiftshader ?? true) args.push('--use-webgpu-adapter=swiftshader');
  const engine = await openBrowserEngine({
    backend: 'chromium',
    nudge: false,
    launch: () => launchAndConnect(chromium, { executablePath, headless: true, args }),
  });
  return watched(engine, { fixedMs: options.timeoutMs });
}
