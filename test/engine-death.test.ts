// An engine that dies under a property is said, never hidden: a Dawn or Deno host or a browser killed mid-run gives the
// property in flight an `error` that names the death and the relaunch (the engine's, not the kernel's WGSL: "<file>:
// chromium went away" read as the kernel's), and the rest run on the new one. A silent retry on a new
// host made that property pass and the run exit 0 (a trial, 2026-12-02): a kernel that crashes its engine now and
// then looked clean.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** The pids of `pid`'s children whose command line matches. */
const childrenOf = (pid: number, args: RegExp) => execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
  .split('\n').map((l) => l.trim()).filter((l) => l && args.test(l)).map((l) => Number(l.split(/\s+/)[0]));

/** The pids of every process under `pid` whose command line matches. */
function descendantsOf(pid: number, args: RegExp): number[] {
  const all = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n').map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/)).filter((m) => m !== null);
  const under = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [, p, pp] of all) if (under.has(Number(pp)) && !under.has(Number(p))) (under.add(Number(p)), (grew = true));
  }
  return all.filter(([, p, , a]) => Number(p) !== pid && under.has(Number(p)) && args.test(a!)).map(([, p]) => Number(p));
}

/** What is killed on each engine (its host, found under the run's process at kill time), and how its death is said. */
const DEATHS = [
  { backend: 'dawn', what: 'its host', find: (pid: number) => childrenOf(pid, /dawn-host/), death: "dawn's host process was killed by SIGKILL" },
  { backend: 'deno', what: 'its host', find: (pid: number) => childrenOf(pid, /deno.*deno-host/), death: "deno's host process was killed by SIGKILL" },
  { backend: 'chromium', what: 'its browser', find: (pid: number) => childrenOf(pid, /chrom/), death: 'chromium \\(the browser process\\) was killed by SIGKILL' },
  // The GPU process, under the browser (a zygote's child): its death lost the page's WebGPU instance, and every later property was
  // an error of its own with the browser's words (trial 66 B1).
  { backend: 'chromium', what: 'its GPU process', find: (pid: number) => descendantsOf(pid, /--type=gpu-process/),
    death: "the browser's GPU process died \\(.*A valid external Instance reference no longer exists" },
] as const;

describe.each(DEATHS)('$backend', ({ backend, what, find, death }) => {
  it(`${what} killed after the first result: one property is an error naming the death, the others pass, exit 1`, async () => {
    if (backend === 'chromium' && !existsSync(process.env.KERNELSCOPE_CHROMIUM ?? '/usr/bin/chromium')) return void console.log('skipped: no chromium');
    const out = mkdtempSync(join(tmpdir(), 'ks-death-'));
    const child = spawn(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'test', '--backend', backend, '--kernel', 'relu', '--runs', '5',
      '--out', out, '--fixtures', join(out, 'counterexamples')], { cwd: ROOT, env: { ...process.env, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' } });
    let text = '';
    let killed: number[] = [];
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    // Result lines go to stderr when stdout is no terminal.
    const take = (c: Buffer) => {
      text += c.toString();
      if (/^ok\s/m.test(text) && !killed.length) {
        killed = find(child.pid!);
        for (const pid of killed) process.kill(pid, 'SIGKILL');
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const code = await exited;
    const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    if (file.engines[0]?.status !== 'ok') return void console.log(`${backend}: skipped, engine unavailable: ${file.engines[0]?.reason}`);
    expect(killed.length, text).toBe(1);
    expect(code, text).toBe(1);
    const bad = file.results.filter((r) => r.status !== 'pass');
    expect(bad.map((r) => [r.status, r.error]), text).toEqual([['error',
      expect.stringMatching(new RegExp(`^kernels/relu\\.wgsl: the engine died while running this kernel: ${death}.*; relaunched for the next property$`))]]);
    expect(file.results.length).toBeGreaterThan(2);
    expect(file.results.at(-1)!.status).toBe('pass');
  }, 240_000);
});
