import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * The app imports the harness, the kernels and their WGSL from outside its own folder. `@library` is the kernel
 * library the page bundles (catalog.ts globs its kernels/ and properties/): this repository, or a user's
 * KERNELSCOPE_LIBRARY, built into its own outDir (harness/view/server.ts). A library outside this checkout imports
 * 'kernelscope/kit' with no node_modules of its own: the package's "exports" map those names here, as the Node
 * loader hook (harness/run/kit-hooks.mjs) does for `test`.
 */
export function viewConfig(library = ROOT, outDir = 'dist'): UserConfig {
  const exports = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).exports as Record<string, string>;
  const kit = Object.entries(exports).filter(([k]) => k !== './package.json')
    .map(([k, v]) => ({ find: new RegExp(`^${k === '.' ? 'kernelscope' : `kernelscope/${k.slice(2)}`}$`), replacement: join(ROOT, v) }));
  return {
    root: resolve(import.meta.dirname),
    base: './',
    resolve: { alias: [{ find: /^@library\//, replacement: `${resolve(library)}/` }, ...kit] },
    build: {
      outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000,
      // zod's comments that Rollup cannot place are harmless, and filled a first `view`'s terminal.
      rollupOptions: { onwarn: (w, next) => void (w.code !== 'INVALID_ANNOTATION' && next(w)) },
    },
    server: { host: '127.0.0.1', fs: { allow: [ROOT, resolve(library)] } },
  };
}

export default defineConfig(viewConfig());
