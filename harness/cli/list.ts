// `kernelscope list`: the kernels and their properties, with what each checks.
import { loadKernels } from '../run/registry.ts';

export async function listCommand(json: boolean): Promise<number> {
  const kernels = await loadKernels();
  if (json) {
    console.log(JSON.stringify([...kernels.values()].map((k) => ({
      kernel: k.program.spec.name,
      properties: k.properties.map((p) => p.name),
    }))));
    return 0;
  }
  for (const k of kernels.values()) {
    const spec = k.program.spec;
    const family = spec.family && spec.family !== spec.name ? ` (family ${spec.family})` : '';
    console.log(`${spec.name}${family}: ${spec.description}`);
    for (const p of k.properties) {
      const optIn = p.optIn ? ` Runs only when named (--property ${p.name}): ${p.optIn}.` : '';
      console.log(`  ${p.name.padEnd(26)} ${p.description}${p.bound && p.bound !== 'exact' ? ` Bound: ${p.bound}` : ''}${optIn}`);
    }
  }
  return 0;
}
