// Opens an engine by backend id. One that cannot start throws EngineUnavailable with the reason (browser binary
// missing, WebGPU not exposed, no adapter): the runner reports it `unavailable`, never a pass.
//
// Each engine's module is loaded when that engine is opened: Playwright is megabytes of heap that a run without a
// browser would otherwise carry, and every full garbage collection marks it again (GC was a third of the main
// thread's busy time in `bench --harness --backend dawn`).
import type { ChromiumOptions } from './chromium.ts';
import type { DenoOptions } from './deno.ts';
import { EngineUnavailable, type BackendId, type Engine } from './engine.ts';
import type { FirefoxOptions } from './firefox.ts';
import type { InterpreterOptions } from './interpreter.ts';

export interface OpenOptions {
  /** How long one batch may run before its engine is declared hung (GPU engines). */
  timeoutMs?: number;
  chromium?: Omit<ChromiumOptions, 'timeoutMs'>;
  firefox?: Omit<FirefoxOptions, 'timeoutMs'>;
  deno?: Omit<DenoOptions, 'timeoutMs'>;
  interpreter?: InterpreterOptions;
}

export async function openEngine(id: BackendId, opts: OpenOptions = {}): Promise<Engine> {
  const { timeoutMs } = opts;
  try {
    switch (id) {
      case 'dawn':
        return await (await import('./dawn.ts')).openDawn({ timeoutMs });
      case 'chromium':
        return await (await import('./chromium.ts')).openChromium({ ...opts.chromium, timeoutMs });
      case 'firefox':
        return await (await import('./firefox.ts')).openFirefox({ ...opts.firefox, timeoutMs });
      case 'deno':
        return await (await import('./deno.ts')).openDeno({ ...opts.deno, timeoutMs });
      case 'interpreter':
        return (await import('./interpreter.ts')).openInterpreter(opts.interpreter);
    }
  } catch (e) {
    // Whatever stopped an engine from starting is a reason to report, not a crash of the run.
    if (e instanceof EngineUnavailable) throw e;
    throw new EngineUnavailable(id, `${id} could not start: ${(e as Error).message?.split('\n')[0] ?? String(e)}`);
  }
  throw new EngineUnavailable(id, `unknown backend '${id as string}'`);
}
