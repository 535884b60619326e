// Which kernelscope made a run: its package version and, in a git checkout, its commit. Two builds may hash a
// kernel's code differently (sourceHash's recipe grew to cover imported modules) or judge it under different bounds,
// so a merged report names the builds where they differ rather than blaming the user's code (trial 93 B1).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);

/** package.json's version, or 0.0.0 where it cannot be read. */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

let build: string | undefined;

/**
 * "0.1.0", or "0.1.0 git 5b1b269c1a2e" in a git checkout, with "-dirty" where tracked files differ from that commit
 * (git describe --dirty). Read once per process (one git call, about 5 ms).
 */
export function kernelscopeBuild(): string {
  if (build !== undefined) return build;
  let commit = '';
  try {
    commit = execFileSync('git', ['-C', ROOT, 'describe', '--always', '--dirty', '--abbrev=12', '--match=NO-TAGS'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  } catch {
    // Not a git checkout (an npm install), or no git: the version alone.
  }
  return (build = commit ? `${packageVersion()} git ${commit}` : packageVersion());
}
