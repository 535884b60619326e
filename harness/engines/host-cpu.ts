// The CPU time an engine's host has used: the watchdog's clock on an adapter that runs kernels on the CPU.
//
// Why: on a loaded machine a software adapter (SwiftShader, lavapipe) gets a share of the cores, so a correct kernel
// takes longer on the clock, by as much as the load; a deadline on the clock then called a slow kernel hung (issue 11:
// a CI run beside two CPU-bound jobs, 10× its prediction on the clock). The CPU time the host needs for the kernel does
// not grow with the load, and a kernel that never ends keeps using it, so on these adapters the deadline counts CPU
// time (watchdog.ts, submitDeadline). Read from Linux's /proc: the host's process and all its descendants (a browser's
// GPU and renderer processes); elsewhere there is none and the deadline stays on the clock.
import { readdirSync, readFileSync } from 'node:fs';
import type { EngineInfo } from './engine.ts';

/** /proc's unit for utime and stime: USER_HZ, 100 on every Linux architecture Node runs on (sysconf(_SC_CLK_TCK)). */
const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  /** utime + stime of the process and of its children it has waited for (cutime + cstime), in ticks. */
  ticks: number;
}

/** A process's /proc/PID/stat, or undefined when it is gone. Fields after the command's closing ')' (proc(5)): state,
 *  ppid, ..., utime (14th field), stime, cutime, cstime. The command may hold spaces and parentheses itself. */
function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
}

/** The process `root` and every descendant it has now, by one walk over /proc. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = readStat(pid);
    if (!s) continue;
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const out: number[] = [];
  for (const todo = [root]; todo.length;) {
    const pid = todo.pop()!;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/**
 * The CPU time that the process `pid` and its descendants use, in milliseconds, counted from `start()`. The first
 * start walks /proc for the descendants; later starts read those only (a few files: cheap enough for every submit).
 * `usedMs()` walks /proc again, so that a descendant started since counts too, all its CPU time. Undefined where /proc
 * cannot tell: not Linux, or the host is gone.
 */
export class HostCpu {
  private members: number[] | undefined;
  private base = new Map<number, number>();
  private startedAt = 0;

  constructor(readonly pid: number) {}

  start(): void {
    this.base.clear();
    this.startedAt = performance.now();
    try {
      this.members ??= tree(this.pid);
    } catch {
      return;
    }
    for (const m of this.members) {
      const s = readStat(m);
      if (s) this.base.set(m, s.ticks);
    }
  }

  /** `walk: false` counts only the processes the last walk found: a few files, for after every submit. */
  usedMs(walk = true): number | undefined {
    if (process.platform !== 'linux' || !this.base.has(this.pid)) return undefined;
    try {
      if (walk || !this.members) this.members = tree(this.pid);
    } catch {
      return undefined;
    }
    let ticks = 0;
    for (const m of this.members) {
      const s = readStat(m);
      // A process gone since start() takes its CPU time with it, unless its parent waited for it (cutime): the
      // count can only come out low, which makes the watchdog wait longer, never call a kernel hung sooner.
      if (s) ticks += Math.max(0, s.ticks - (this.base.get(m) ?? 0));
    }
    return (ticks * 1000) / TICKS_PER_SECOND;
  }

  /** Milliseconds on the clock since start(). */
  sinceMs(): number {
    return performance.now() - this.startedAt;
  }

  /** Cores' worth of CPU used per millisecond on the clock since start(), for a submit long enough to tell (at
   *  least `minMs`, so that /proc's 10 ms ticks are a small part of it); undefined otherwise. */
  coresUsed(minMs: number): number | undefined {
    const clock = this.sinceMs();
    const cpu = clock >= minMs ? this.usedMs(false) : undefined;
    return cpu === undefined ? undefined : cpu / clock;
  }
}

/** Whether the adapter runs kernels on the CPU, by its name (or, on Firefox, which hides it, the page's guess from its
 *  limits: page/device.ts): SwiftShader, lavapipe, llvmpipe. An adapter not known to be one keeps the deadline on the
 *  clock: a real GPU's host waits idle while the kernel runs, so its CPU time would never reach a deadline. */
export function computesOnCpu(info: EngineInfo): boolean {
  const a = info.adapter;
  return /swiftshader|lavapipe|llvmpipe/i.test([a?.vendor, a?.architecture, a?.description, info.fallback].join(' '));
}
