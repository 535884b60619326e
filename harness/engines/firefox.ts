// Firefox ESR (wgpu and Naga) through Playwright's WebDriver BiDi channel. Firefox completes GPU work on a ~100 ms
// poll (Mozilla bug 1870699); the page submits empty work while mapping, which brings a case from ~100 ms to a few.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { firefox } from 'playwright-core';
import { EngineUnavailable } from './engine.ts';
import { launchAndConnect, openBrowserEngine } from './browser.ts';
import { watched, type WatchedEngine } from './watchdog.ts';

export interface FirefoxOptions {
  /** Defaults to $KERNELSCOPE_FIREFOX or Debian's /usr/bin/firefox-esr. */
  executablePath?: string;
  /** Submit empty work while a map is pending (default true). Off only to measure what it saves. */
  nudge?: boolean;
  /** `--timeout MS`: a fixed watchdog instead of the calibrated one. */
  timeoutMs?: number;
}

export async function openFirefox(options: FirefoxOptions = {}): Promise<WatchedEngine> {
  const executablePath = options.executablePath ?? process.env.KERNELSCOPE_FIREFOX ?? '/usr/bin/firefox-esr';
  if (!existsSync(executablePath)) {
    throw new EngineUnavailable('firefox', `no Firefox at ${executablePath} (apt-get install firefox-esr, or set KERNELSCOPE_FIREFOX)`);
  }
  // Firefox refuses a HOME that its user does not own (as under sudo or in some CI containers).
  const env = { ...process.env, HOME: userInfo().homedir } as Record<string, string>;
  const engine = await openBrowserEngine({
    backend: 'firefox',
    nudge: options.nudge ?? true,
    launch: () => launchAndConnect(firefox, {
      channel: 'moz-firefox',
      executablePath,
      headless: true,
      env,
      firefoxUserPrefs: { 'dom.webgpu.enabled': true, 'gfx.webgpu.ignore-blocklist': true },
    }),
  });
  return watched(engine, { fixedMs: options.timeoutMs });
}
