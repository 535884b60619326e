// Bundles a host script (the page's, Deno's, or Dawn's Node child) with esbuild: the same batch.ts and codec.ts the Node side uses,
// compiled, not rewritten. Bundles are cached under .cache/ by a hash of their sources, so a run builds once.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const PAGE_ENTRY = join(root, 'harness/engines/page/host.ts');
export const DENO_ENTRY = join(root, 'harness/engines/deno-host.ts');
export const DAWN_ENTRY = join(root, 'harness/engines/dawn-host.ts');

/** Dawn's host runs on Node and loads the `webgpu` addon from the repository's node_modules (the bundle sits below
 *  the root, so Node's resolution finds it). */
const NODE_ENTRIES = new Set([DAWN_ENTRY]);

const memo = new Map<string, Promise<string>>();

/** Returns the path of an ES-module bundle of `entry`, rebuilt only when one of its inputs changed. */
export function bundle(entry: string): Promise<string> {
  let p = memo.get(entry);
  if (!p) {
    p = buildCached(entry);
    memo.set(entry, p);
    p.catch(() => memo.delete(entry));
  }
  return p;
}

async function buildCached(entry: string): Promise<string> {
  // A first pass only to learn the inputs; esbuild takes milliseconds, the point of caching is Deno's start.
  // absWorkingDir: the metafile names inputs relative to it, and a run may start from any folder.
  const node = NODE_ENTRIES.has(entry) ? { platform: 'node' as const, external: ['webgpu'] } : {};
  const probe = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', metafile: true, logLevel: 'silent', absWorkingDir: root, ...node });
  const hash = createHash('sha256');
  for (const input of Object.keys(probe.metafile.inputs).sort()) hash.update(input).update(readFileSync(join(root, input)));
  const name = entry.replace(/^.*\//, '').replace(/\.ts$/, '');
  const out = join(root, '.cache/bundles', `${name}-${hash.digest('hex').slice(0, 16)}.${NODE_ENTRIES.has(entry) ? 'mjs' : 'js'}`);
  if (!existsSync(out)) {
    mkdirSync(dirname(out), { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, probe.outputFiles[0]!.contents);
    renameSync(tmp, out); // atomic: parallel test workers may build the same bundle
  }
  return out;
}
