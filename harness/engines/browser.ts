// A browser engine: a Playwright-driven browser whose harness page runs executeBatch on the browser's own WebGPU.
// Batches travel as bytes: inline as base64 when small, over the page server's HTTP when large (page/host.ts). A browser that crashes or hangs is killed and
// relaunched: the batch in flight fails with DeviceError 'lost' or 'timeout', and the run goes on. The deadline of
// each batch comes from the watchdog (watchdog.ts); the page keeps none of its own.
import type { Browser, BrowserServer, BrowserType, LaunchOptions, Page } from 'playwright-core';
import { DeviceError, type BatchResult, type DispatchBatch } from '../gpu/batch.ts';
import { decodeResult, encodeBatch } from '../gpu/codec.ts';
import { engineDiedMessage, EngineUnavailable, type EngineInfo } from './engine.ts';
import { trackHost, trackStarting, untrackHost } from './children.ts';
import { computesOnCpu, HostCpu } from './host-cpu.ts';
import { bundle, PAGE_ENTRY } from './page/bundle.ts';
import { fromBase64, INLINE_LIMIT, toBase64, type Payload } from './page/host.ts';
import { PageServer } from './page/server.ts';
import { LEARN_CORES_MS, submitDeadline, type KillableEngine } from './watchdog.ts';

export interface BrowserEngineOptions {
  backend: 'chromium' | 'firefox';
  /** launchAndConnect with the browser's type and options. */
  launch(): Promise<Launched>;
  /** Submit empty work while mapping (see page/device.ts). */
  nudge: boolean;
  startTimeoutMs?: number;
}

/** A browser started as a server and connected to: the server gives its process, whose exit says how it died
 *  (Playwright's launch() reaps it unsaid), and the process to kill. */
export interface Launched {
  server: BrowserServer;
  browser: Browser;
}

/** Launches with the run's SIGTERM and SIGHUP left to children.ts, not Playwright's. */
export async function launchAndConnect(type: BrowserType, options: LaunchOptions): Promise<Launched> {
  const server = await trackStarting(type.launchServer({ ...options, handleSIGTERM: false, handleSIGHUP: false }), (s) => s.process().pid);
  try {
    return { server, browser: await type.connect(server.wsEndpoint()) };
  } catch (e) {
    await server.kill().catch(() => {});
    untrackHost(server.process().pid);
    throw e;
  }
}

interface Session {
  server: BrowserServer;
  browser: Browser;
  page: Page;
  /** Rejects when the page crashes or the browser goes away. */
  died: Promise<never>;
  /** How it died, once it has (page crash, browser gone): what the error of the batch in flight says. */
  gone: { how?: string };
  /** The browser's process: after a hang it is killed, not asked to close. */
  pid?: number;
  /** The CPU time of the browser's processes (its GPU process runs the kernels): the watchdog's clock on a CPU
   *  adapter (submitDeadline). */
  cpu?: HostCpu;
  /** What the page's `kernelscopeSubmitted` calls: the watchdog of the batch in flight (submitDeadline). */
  submitted: { current?: () => void };
}

export async function openBrowserEngine(opts: BrowserEngineOptions): Promise<BrowserEngine> {
  const server = await PageServer.start(await bundle(PAGE_ENTRY));
  try {
    const { session, info } = await launchSession(opts, server);
    return new BrowserEngine(opts, server, session, info);
  } catch (e) {
    await server.close();
    throw e;
  }
}

async function launchSession(opts: BrowserEngineOptions, server: PageServer): Promise<{ session: Session; info: EngineInfo }> {
  let launched: Launched;
  try {
    launched = await opts.launch();
  } catch (e) {
    throw new EngineUnavailable(opts.backend, `${opts.backend} did not start: ${firstLine((e as Error).message)}`);
  }
  const { browser } = launched;
  const proc = launched.server.process();
  const pid = proc.pid;
  /** How the browser's process ended: its 'exit' usually comes before the browser's 'disconnected'. */
  let ended: string | undefined;
  proc.once('exit', (code, signal) => {
    ended = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  });
  trackHost(pid);
  try {
    const page = await browser.newPage();
    const submitted: Session['submitted'] = {};
    await page.exposeFunction('kernelscopeSubmitted', () => submitted.current?.());
    const console: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') console.push(m.text());
    });
    const gone: Session['gone'] = {};
    const died = new Promise<never>((_, reject) => {
      const lost = (why: string) => {
        gone.how ??= `${why}${console.length ? ` (console: ${console.slice(-2).join(' | ')})` : ''}`;
        reject(new DeviceError(gone.how, 'lost'));
      };
      page.on('crash', () => lost(`${opts.backend}'s page crashed (its renderer process died)`));
      browser.on('disconnected', () => {
        const how = () => ended ?? (proc.signalCode ? `was killed by ${proc.signalCode}` : proc.exitCode !== null ? `exited with code ${proc.exitCode}` : 'died or was closed');
        const say = () => lost(`${opts.backend} (the browser process) ${how()}`);
        if (ended || proc.exitCode !== null || proc.signalCode !== null) return say();
        // Under load 'disconnected' can come first (a CI run said "died or was closed" of a SIGKILL): wait a moment
        // for the process's 'exit', within the second execute() waits for this.
        const late = setTimeout(say, 400);
        proc.once('exit', () => (clearTimeout(late), say()));
      });
    });
    died.catch(() => {}); // observed only while a batch is in flight
    const version = `${opts.backend} ${browser.version()}`;
    // No deadline in the page: a hung page's GPU process may keep spinning (Chromium with SwiftShader: the next batch
    // hung too, measured), so a hang always costs the browser, and the watchdog here decides when.
    const query = new URLSearchParams({ backend: opts.backend, version, nudge: opts.nudge ? '1' : '0', timeoutMs: String(2 ** 31 - 1) });
    const info = await withTimer((async () => {
      await page.goto(`${server.origin}/?${query}`);
      await page.waitForFunction(() => !!window.kernelscope);
      return page.evaluate(() => window.kernelscope.start());
    })(), opts.startTimeoutMs ?? 60_000, () => new EngineUnavailable(opts.backend, `${opts.backend} did not report an adapter in time`));
    if (info.status !== 'ok') throw new EngineUnavailable(opts.backend, info.reason ?? 'no WebGPU adapter');
    return { session: { server: launched.server, browser, page, died, gone, submitted, ...(pid ? { pid } : {}) }, info };
  } catch (e) {
    await launched.server.close().catch(() => {});
    untrackHost(pid);
    throw e instanceof EngineUnavailable ? e : new EngineUnavailable(opts.backend, firstLine((e as Error).message));
  }
}

export class BrowserEngine implements KillableEngine {
  readonly id: 'chromium' | 'firefox';
  /** Crashes and hangs survived, for the report. */
  restarts = 0;
  lastCores: number | undefined;
  private session: Session | undefined;

  constructor(private opts: BrowserEngineOptions, private server: PageServer, session: Session, readonly info: EngineInfo) {
    this.id = opts.backend;
    this.session = session;
  }

  /** Runs a batch; past `limit` ms from its submit (submitDeadline) the browser is killed and relaunched, and the
   *  batch fails with DeviceError 'timeout'. */
  async run(batch: DispatchBatch, limit: number, cpuScale?: number): Promise<BatchResult> {
    if (!this.session) await this.recover();
    const { page, died, gone, submitted, pid } = this.session!;
    const cpu = computesOnCpu(this.info) && pid !== undefined ? (this.session!.cpu ??= new HostCpu(pid)) : undefined;
    const encoded = encodeBatch(batch);
    const sent: Payload = encoded.byteLength <= INLINE_LIMIT[this.id] ? { b64: toBase64(encoded) } : { id: this.server.offer(encoded) };
    let got: Payload;
    try {
      got = await Promise.race([
        submitDeadline(this.id, (onSubmit) => {
          submitted.current = onSubmit;
          return page.evaluate((b) => window.kernelscope.run(b), sent);
        }, limit, cpu, cpuScale),
        died,
      ]);
      this.lastCores = cpu?.coresUsed(LEARN_CORES_MS);
    } catch (e) {
      if ('id' in sent) this.server.take(sent.id);
      const timeout = e instanceof DeviceError && e.kind === 'timeout';
      // page.evaluate may reject ("Target page, context or browser has been closed") before the browser's
      // 'disconnected' comes: wait a moment for it, so that a death is said as one.
      if (!timeout && !gone.how) await Promise.race([died.catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
      // Read before recover(), whose kill would set it.
      const how = gone.how;
      // The browser is in an unknown state: start a fresh one now so the next batch finds it ready.
      const relaunch = await this.recover().then(() => undefined, (x: unknown) => {
        this.session = undefined;
        return x as Error;
      });
      if (timeout) throw e;
      if (how) throw new DeviceError(engineDiedMessage(how, relaunch), 'lost');
      throw e instanceof DeviceError ? e : new DeviceError(`${this.id}: ${firstLine((e as Error).message)}`, 'lost');
    }
    const bytes = 'b64' in got ? fromBase64(got.b64) : this.server.take(got.id);
    if ('id' in sent) this.server.take(sent.id); // forgets the batch (its result, if any, was taken above)
    if (!bytes) throw new DeviceError(`${this.id} finished a batch without posting its result`, 'lost');
    try {
      return decodeResult(bytes);
    } catch (e) {
      // The page lost its device, and the browser's GPU process may be in any state: a fresh browser is the only
      // clean one.
      if (e instanceof DeviceError && (e.kind === 'timeout' || e.kind === 'lost')) {
        const relaunch = await this.recover().then(() => undefined, (x: unknown) => {
          this.session = undefined;
          return x as Error;
        });
        // Said as the engine's death, as a killed browser is (trial 66 B1: a killed GPU process read as the kernel's).
        if (e.kind === 'lost') throw new DeviceError(engineDiedMessage(e.message, relaunch), 'lost');
      }
      throw e;
    }
  }

  async recover(): Promise<void> {
    const old = this.session;
    this.session = undefined;
    // Killed with its process group (Playwright starts it as a group leader): asked to close, a Firefox whose GPU
    // work hung took 30 s to go (measured).
    for (const target of old?.pid ? [-old.pid, old.pid] : []) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        /* gone already */
      }
    }
    if (old) await old.server.close().catch(() => {});
    untrackHost(old?.pid);
    this.restarts++;
    this.session = (await launchSession(this.opts, this.server)).session;
  }

  async close(): Promise<void> {
    await this.session?.server.close().catch(() => {});
    untrackHost(this.session?.pid);
    this.session = undefined;
    await this.server.close();
  }
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim())?.trim() ?? s;
}

async function withTimer<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    })]);
  } finally {
    clearTimeout(timer);
  }
}
