// An engine that lives in a child process and speaks the batch protocol over stdio (harness/gpu/codec.ts).
// A child that crashes or hangs is killed and relaunched, and the run goes on: a crash costs the batch in flight (an
// error naming the death, never a silent retry), never the results already computed. Hosts every engine that runs out of process (Dawn's Node host, Deno); the deadline of
// each batch comes from the watchdog (watchdog.ts).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { DeviceError, type BatchResult, type DispatchBatch } from '../gpu/batch.ts';
import { decodeResult, encodeBatch, FrameReader } from '../gpu/codec.ts';
import { trackHost, untrackHost } from './children.ts';
import { engineDiedMessage, EngineUnavailable, type BackendId, type EngineInfo } from './engine.ts';
import { computesOnCpu, HostCpu } from './host-cpu.ts';
import { LEARN_CORES_MS, submitDeadline, type KillableEngine } from './watchdog.ts';

export interface ProcessEngineOptions {
  backend: BackendId;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** How long the child may take to report its adapter. */
  startTimeoutMs?: number;
  /** Frames come back on file descriptor 3 instead of stdout: for a host whose native code prints to stdout (Dawn
   *  writes shader compilation warnings there, which would corrupt the frame stream). Its stdout is then kept
   *  like stderr, for the last words of a crash. */
  framesOnFd3?: boolean;
  /** What the engine's own validation misses, checked before a batch goes: throws a DeviceError 'validation' as
   *  the engine would have. */
  validate?: (batch: DispatchBatch) => void;
}

interface Pending {
  submitted?: () => void;
  resolve(bytes: Uint8Array): void;
  reject(e: Error): void;
}

class Child {
  readonly proc: ChildProcessWithoutNullStreams;
  private reader = new FrameReader();
  private pending: Pending[] = [];
  private stderr = '';
  readonly info: Promise<EngineInfo>;
  exited: string | undefined;
  /** The CPU time of this process and its descendants: the watchdog's clock on a CPU adapter (submitDeadline). */
  cpu: HostCpu | undefined;

  constructor(private opts: ProcessEngineOptions) {
    this.proc = spawn(opts.command, opts.args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe', ...(opts.framesOnFd3 ? ['pipe' as const] : [])] }) as ChildProcessWithoutNullStreams;
    trackHost(this.proc.pid);
    const frames = opts.framesOnFd3 ? (this.proc.stdio[3] as NodeJS.ReadableStream) : this.proc.stdout;
    let gotInfo: (i: EngineInfo) => void;
    let failInfo: (e: Error) => void;
    this.info = new Promise((res, rej) => {
      gotInfo = res;
      failInfo = rej;
    });
    let first = true;
    frames.on('data', (chunk: Buffer) => {
      for (const f of this.reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))) {
        if (first) {
          first = false;
          gotInfo(JSON.parse(new TextDecoder().decode(f)) as EngineInfo);
        } else if (f.byteLength === 0) this.pending[0]?.submitted?.(); // SUBMITTED_FRAME, before its result
        else this.pending.shift()?.resolve(f);
      }
    });
    const keep = (chunk: Buffer) => {
      // Keep only the tail: it is what explains a crash.
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    };
    this.proc.stderr.on('data', keep);
    if (opts.framesOnFd3) this.proc.stdout.on('data', keep);
    const onExit = (why: string) => {
      if (this.exited) return;
      this.exited = why;
      untrackHost(this.proc.pid);
      const err = new DeviceError(`${opts.backend} process ${why}${this.lastWords()}`, 'lost');
      failInfo(err);
      for (const p of this.pending.splice(0)) p.reject(err);
    };
    this.proc.on('exit', (code, signal) => onExit(signal ? `was killed by ${signal}` : `exited with code ${code}`));
    this.proc.on('error', (e) => onExit(`could not start: ${e.message}`));
    this.proc.stdin.on('error', () => {
      /* the exit handler reports it */
    });
  }

  lastWords(): string {
    const lines = this.stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/XDG_RUNTIME_DIR/.test(l));
    return lines.length ? ` (last stderr: ${lines.slice(-3).join(' | ')})` : '';
  }

  /** Sends one frame (its length already in front: encodeBatch's `framed`) and resolves with the reply's; `submitted`
   *  is called when the host says the batch's work is submitted. */
  request(framed: Uint8Array, submitted?: () => void): Promise<Uint8Array> {
    if (this.exited) return Promise.reject(new DeviceError(`${this.opts.backend} process ${this.exited}`, 'lost'));
    // The last words of a crash are what the host said since this batch came: Dawn's warnings from opening its
    // adapter, said once at start, read as the cause of a SIGKILL.
    this.stderr = '';
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject, ...(submitted ? { submitted } : {}) });
      this.proc.stdin.write(framed);
    });
  }

  kill() {
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}

export class ProcessEngine implements KillableEngine {
  readonly id: BackendId;
  /** Crashes and hangs survived, for the report: a flaky driver should be visible, not hidden. */
  restarts = 0;
  lastCores: number | undefined;
  private child: Child;

  private constructor(private opts: ProcessEngineOptions, child: Child, readonly info: EngineInfo) {
    this.id = opts.backend;
    this.child = child;
  }

  static async start(opts: ProcessEngineOptions): Promise<ProcessEngine> {
    const child = new Child(opts);
    const info = await withTimer(child.info, opts.startTimeoutMs ?? 60_000, () => {
      child.kill();
      return new EngineUnavailable(opts.backend, `${opts.backend} did not report an adapter within ${opts.startTimeoutMs ?? 60_000} ms`);
    }).catch((e: Error) => {
      child.kill();
      throw e instanceof EngineUnavailable ? e : new EngineUnavailable(opts.backend, e.message);
    });
    if (info.status !== 'ok') {
      child.kill();
      throw new EngineUnavailable(opts.backend, info.reason ?? 'unavailable');
    }
    return new ProcessEngine(opts, child, info);
  }

  /** Runs a batch; past `timeoutMs` from its submit (submitDeadline) the child is killed (with it every thread still
   *  running the kernel) and relaunched, and the batch fails with DeviceError 'timeout'. */
  async run(batch: DispatchBatch, timeoutMs: number, cpuScale?: number): Promise<BatchResult> {
    this.opts.validate?.(batch);
    const bytes = encodeBatch(batch, true);
    const child = this.child;
    try {
      const cpu = computesOnCpu(this.info) && child.proc.pid !== undefined ? (child.cpu ??= new HostCpu(child.proc.pid)) : undefined;
      const reply = await submitDeadline(this.id, (submitted) => child.request(bytes, submitted), timeoutMs, cpu, cpuScale)
        .catch((e: unknown) => {
          if (e instanceof DeviceError && e.kind === 'timeout') child.kill();
          throw e;
        });
      this.lastCores = cpu?.coresUsed(LEARN_CORES_MS);
      return decodeResult(reply);
    } catch (e) {
      if (!(e instanceof DeviceError) || (e.kind !== 'lost' && e.kind !== 'timeout')) throw e;
      // A crash is reported, not retried on a fresh process: a retry that passed made a kernel that crashes its host
      // now and then look clean (a host killed mid-property: a new one ran the batch, the property passed, exit 0).
      const relaunch = await this.recover().then(() => undefined, (x: unknown) => x as Error);
      if (e.kind === 'timeout') throw e;
      const how = child.exited ? `${this.id}'s host process ${child.exited}${child.lastWords()}` : `${this.id}'s host process: ${e.message}`;
      throw new DeviceError(engineDiedMessage(how, relaunch), 'lost');
    }
  }

  /** The host process's id now (it changes when a hang or crash relaunches it): for tests and diagnostics. */
  get hostPid(): number | undefined {
    return this.child.proc.pid;
  }

  async recover(): Promise<void> {
    this.child.kill();
    this.restarts++;
    this.child = new Child(this.opts);
    await this.child.info;
  }

  async close(): Promise<void> {
    this.child.proc.stdin.end();
    const exited = new Promise((r) => this.child.proc.once('exit', r));
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    this.child.kill();
  }
}

async function withTimer<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(onTimeout()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
