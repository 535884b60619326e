// Registers harness/run/kit-hooks.mjs once per process, before a kernel library is imported.
import { register } from 'node:module';

let registered = false;

/** From here on, `import ... from 'kernelscope/kit'` in any file resolves to this kernelscope. Idempotent. */
export function resolveKernelscopeImports(): void {
  if (registered) return;
  register(new URL('./kit-hooks.mjs', import.meta.url));
  registered = true;
}
