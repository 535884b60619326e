// `kernelscope list`: the kernels and their properties, with what each checks.
import { LIBRARY, loadEachKernel, loadFailure, type LoadedKernel } from '../run/registry.ts';

/** Exit 0, or 2 where a kernel of the library does not load: the others are listed all the same, and each that does
 *  not is named on stderr (LibraryError), after them. */
export async function listCommand(json: boolean): Promise<number> {
  const { kernels, errors } = await loadEachKernel();
  const listed = json ? listJson(kernels) : listText(kernels);
  const failure = loadFailure(LIBRARY, errors);
  if (failure) throw failure;
  return listed;
}

function listJson(kernels: Map<string, LoadedKernel>): number {
  console.log(JSON.stringify([...kernels.values()].map((k) => ({
    kernel: k.program.spec.name,
    properties: k.properties.map((p) => p.name),
    assumesAlgorithm: k.properties.filter((p) => p.assumes).map((p) => p.name),
  }))));
  return 0;
}

function listText(kernels: Map<string, LoadedKernel>): number {
  for (const k of kernels.values()) {
    const spec = k.program.spec;
    const family = spec.family && spec.family !== spec.name ? ` (family ${spec.family})` : '';
    console.log(`${spec.name}${family}: ${spec.description}`);
    for (const p of k.properties) {
      const optIn = p.optIn ? ` Runs only when named (--property ${p.name}): ${p.optIn}.` : '';
      // Which a --wgsl run leaves out: said here, not only when it runs (trial 68 B1).
      const assumes = p.assumes ? ` Assumes the kernel's own algorithm (${p.assumes}): a --wgsl run leaves it out unless --same-algorithm.` : '';
      console.log(`  ${p.name.padEnd(26)} ${p.description}${p.bound && p.bound !== 'exact' ? ` Bound: ${p.bound}` : ''}${optIn}${assumes}`);
    }
  }
  return 0;
}
