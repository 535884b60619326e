// Opens an engine by backend id. One that cannot start throws EngineUnavailable with the reason (browser binary
// missing, WebGPU not exposed, no adapter): the runner reports it `unavailable`, never a pass.
import { openChromium, type ChromiumOptions } from './chromium.ts';
import { openDawn } from './dawn.ts';
import { openDeno, type DenoOptions } from './deno.ts';
import { EngineUnavailable, type BackendId, type Engine } from './engine.ts';
import { openFirefox, type FirefoxOptions } from './firefox.ts';
import { openInterpreter, type InterpreterOptions } from './interpreter.ts';

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
        return await openDawn({ timeoutMs });
      case 'chromium':
        return await openChromium({ ...opts.chromium, timeoutMs });
      case 'firefox':
        return await openFirefox({ ...opts.firefox, timeoutMs });
      case 'deno':
        return await openDeno({ ...opts.deno, timeoutMs });
      case 'interpreter':
        return openInterpreter(opts.interpreter);
    }
  } catch (e) {
    // Whatever stopped an engine from starting is a reason to report, not a crash of the run.
    if (e instanceof EngineUnavailable) throw e;
    throw new EngineUnavailable(id, `${id} could not start: ${(e as Error).message?.split('\n')[0] ?? String(e)}`);
  }
  throw new EngineUnavailable(id, `unknown backend '${id as string}'`);
}
