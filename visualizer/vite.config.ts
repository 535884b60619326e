import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The app imports the harness, the kernels and their WGSL from outside its own folder.
export default defineConfig({
  root: resolve(import.meta.dirname),
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { host: '127.0.0.1', fs: { allow: [resolve(import.meta.dirname, '..')] } },
});
