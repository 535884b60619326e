// A Node module-resolution hook (module.register): `kernelscope` and `kernelscope/*` imported by a kernel library
// anywhere on disk resolve to the kernelscope that is running, through its package.json "exports", as if imported
// from inside it. So a library outside this checkout needs no node_modules and no path into the checkout, and
// either folder can move. Plain JavaScript: hooks run on the loader's own thread, before any TypeScript loader.
const SELF = new URL('../../package.json', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'kernelscope' || specifier.startsWith('kernelscope/')) return nextResolve(specifier, { ...context, parentURL: SELF });
  return nextResolve(specifier, context);
}
