// Dawn through the `webgpu` package, in a Node child process (dawn-host.ts) behind the calibrated watchdog: a kernel
// that never ends is stopped by killing that process, which an in-process device cannot be (SwiftShader's threads
// kept spinning and every later batch of the process timed out, seen here). Dawn's `null` backend is never used: its
// dispatches compute nothing.
import { bundle, DAWN_ENTRY } from './page/bundle.ts';
import { ProcessEngine } from './process-engine.ts';
import { watched, type WatchedEngine } from './watchdog.ts';

export interface DawnOptions {
  /** `--timeout MS`: a fixed watchdog instead of the calibrated one. */
  timeoutMs?: number;
}

export async function openDawn(options: DawnOptions = {}): Promise<WatchedEngine> {
  const script = await bundle(DAWN_ENTRY);
  const engine = await ProcessEngine.start({
    backend: 'dawn',
    command: process.execPath,
    args: [script],
    env: process.env,
    startTimeoutMs: 60_000,
    framesOnFd3: true,
  });
  return watched(engine, { fixedMs: options.timeoutMs });
}
