// Deno (wgpu and Naga) in a child process, through ProcessEngine behind the calibrated watchdog: relaunched when it
// dies or hangs.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DeviceError, type DispatchBatch } from '../gpu/batch.ts';
import { EngineUnavailable } from './engine.ts';
import { checkWorkgroupSize, checkWorkgroupStorage, LimitExceeded } from './interpreter/limits.ts';
import { withOverrideCounts } from './interpreter/override-counts.ts';
import { workgroupSizeFor } from '../run/reflect.ts';
import { bundle, DENO_ENTRY } from './page/bundle.ts';
import { ProcessEngine } from './process-engine.ts';
import { watched, type WatchedEngine } from './watchdog.ts';

export interface DenoOptions {
  /** Defaults to $KERNELSCOPE_DENO, else the npm package's binary. */
  executablePath?: string;
  /** `--timeout MS`: a fixed watchdog instead of the calibrated one. */
  timeoutMs?: number;
  /** Vulkan ICD to hand Deno (wgpu picks lavapipe by itself; a SwiftShader ICD path selects SwiftShader). */
  vkIcd?: string;
}

/**
 * The Vulkan driver choice this process was started with, handed to Deno as it was: its adapter must not depend on
 * anything this process set later.
 */
const STARTUP_VK_ICD = process.env.VK_ICD_FILENAMES;

export function denoBinary(): string | undefined {
  if (process.env.KERNELSCOPE_DENO) return process.env.KERNELSCOPE_DENO;
  try {
    // The npm package keeps the real binary in a platform package; its bin/ entry is a Node shim.
    const req = createRequire(import.meta.url);
    const pkg = dirname(req.resolve('deno/package.json'));
    const candidates = [join(pkg, 'deno'), join(pkg, 'bin/deno')];
    const platform = `@deno/${process.platform === 'darwin' ? 'darwin' : process.platform === 'win32' ? 'win32' : 'linux'}-${process.arch === 'arm64' ? 'arm64' : 'x64'}`;
    try {
      candidates.unshift(join(dirname(req.resolve(`${platform}/package.json`, { paths: [pkg] })), 'deno'));
    } catch {
      /* no platform package: try the shim */
    }
    return candidates.find((p) => existsSync(p));
  } catch {
    return undefined;
  }
}

export async function openDeno(options: DenoOptions = {}): Promise<WatchedEngine> {
  const bin = options.executablePath ?? denoBinary();
  if (!bin || !existsSync(bin)) throw new EngineUnavailable('deno', `no Deno binary${bin ? ` at ${bin}` : ''} (npm package 'deno', or set KERNELSCOPE_DENO)`);
  const script = await bundle(DENO_ENTRY);
  const runtime = '/tmp/kernelscope-runtime-' + (process.getuid?.() ?? 'user');
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? runtime,
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
    // No deadline in the host: the watchdog here kills the process when it fires.
    KERNELSCOPE_TIMEOUT_MS: String(2 ** 31 - 1),
  };
  const icd = options.vkIcd ?? STARTUP_VK_ICD;
  if (icd) env.VK_ICD_FILENAMES = icd;
  else delete env.VK_ICD_FILENAMES;
  const engine = await ProcessEngine.start({
    backend: 'deno',
    command: bin,
    // Only the script is read; no network, no other file.
    args: ['run', '--unstable-webgpu', '--no-prompt', `--allow-read=${script}`, '--allow-env', '--no-config', '--no-lock', script],
    env,
    startTimeoutMs: 60_000,
    validate: checkWorkgroupLimits,
  });
  return watched(engine, { fixedMs: options.timeoutMs });
}

/** The entry's workgroup size with the dispatch's constants; undefined where it cannot be told (Deno's compiler says). */
function sizeOrNone(code: string, entry: string, constants?: Record<string, number>): [number, number, number] | undefined {
  try {
    return workgroupSizeFor(code, entry, constants);
  } catch {
    return undefined;
  }
}

/**
 * Deno 2.9's wgpu creates a compute pipeline whose entry point uses more workgroup memory than the device's
 * maxComputeWorkgroupStorageSize, which WebGPU's createComputePipeline must refuse: a trial's kernel with 17,424 bytes
 * passed every property on Deno, exit 0, where Dawn, Chromium, Firefox and the interpreter refuse it. So does a
 * workgroup size an override sets past maxComputeInvocationsPerWorkgroup (trial 60: `override WG = 512u` passed on
 * Deno alone; a literal @workgroup_size(512) it refuses itself). Checked here against the limits the host opens the
 * device with (the batch's `requires`, else WebGPU's defaults), counted as WebGPU counts them
 * (interpreter/limits.ts, workgroup-storage.ts).
 */
function checkWorkgroupLimits(batch: DispatchBatch): void {
  const seen = new Set<string>();
  for (const c of batch.cases) {
    for (const d of c.dispatches) {
      const code = batch.shaders[d.shader]!;
      const key = `${d.shader}\u0000${d.entry}\u0000${JSON.stringify(d.constants ?? {})}`;
      const memory = /var\s*<\s*workgroup/.test(code);
      const overridden = /\boverride\b/.test(code);
      if (seen.has(key) || !(memory || overridden)) continue;
      seen.add(key);
      try {
        const size = overridden ? sizeOrNone(code, d.entry, d.constants) : undefined;
        if (size) checkWorkgroupSize(size, d.entry, batch.requires?.limits);
        if (memory) checkWorkgroupStorage(withOverrideCounts(code, d.constants), d.entry, batch.requires?.limits);
      } catch (e) {
        if (!(e instanceof LimitExceeded)) throw e;
        throw new DeviceError(`${e.message}; checked by kernelscope before the pipeline is made, as Deno's wgpu does not`, 'validation');
      }
    }
  }
}