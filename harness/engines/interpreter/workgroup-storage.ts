// The workgroup memory an entry point takes, as a WebGPU device counts it against maxComputeWorkgroupStorageSize when
// the pipeline is created. The interpreter did not count it: a trial's kernel with 16,640 bytes of var<workgroup> passed
// there, where Dawn, Chromium and Firefox refuse the pipeline under the default 16,384. Counting every var<workgroup>
// of the module would refuse a correct module whose entry points each use their own arrays, so only the variables the
// entry point statically uses count, as WebGPU says.
import { WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';
import { localScopes, parseWgsl, walk, type Node } from '../../mutate/parse.ts';
import { roundUp, typeOf, type TypeInfoLike } from '../../run/reflect.ts';

export interface WorkgroupStorage {
  /** Σ roundUp(16, SizeOf(T)) over the variables, in bytes. */
  bytes: number;
  /** Each variable used, in declaration order, with its size rounded up to 16 bytes. */
  vars: { name: string; bytes: number }[];
}

const cache = new Map<string, WorkgroupStorage>();

/**
 * The var<workgroup> variables `entry` statically uses and their bytes (WebGPU §"createComputePipeline" validation:
 * the sum of roundUp(16, SizeOf(T)) over each workgroup variable statically used by the entry point, that is named in
 * its body or in a function it calls, on any path, taken or not). A name that a parameter or a local declaration in
 * scope shadows there is not a use of the module's variable. Sizes are WGSL's (§"Memory Layout"); an array counted by
 * an override must already have its count written as a value (override-counts.ts), or it is counted as wgsl_reflect
 * sizes it, one element. Throws wgsl_reflect's parse error for WGSL that does not parse.
 */
export function workgroupStorage(code: string, entry: string): WorkgroupStorage {
  const key = `${entry}\u0000${code}`;
  let storage = cache.get(key);
  if (!storage) cache.set(key, (storage = measured(code, entry)));
  return storage;
}

function measured(code: string, entry: string): WorkgroupStorage {
  const p = parseWgsl(code);
  const declared = new Map(p.ast.filter((n) => n.astNodeType === 'var' && n.storage === 'workgroup').map((n) => [n.name as string, n]));
  const storage: WorkgroupStorage = { bytes: 0, vars: [] };
  if (!declared.size) return storage;
  const functions = new Map(p.ast.filter((n) => n.astNodeType === 'function').map((n) => [n.name as string, n]));
  const used = new Set<string>();
  const reached = new Set<string>();
  const reach = (name: string) => {
    const fn = functions.get(name);
    if (!fn || reached.has(name)) return;
    reached.add(name);
    const local = localScopes(p, fn);
    walk((fn.body as Node[] | undefined) ?? [], (n) => {
      if ((n.astNodeType === 'callExpr' || n.astNodeType === 'call') && functions.has(n.name as string)) reach(n.name as string);
      else if (n.astNodeType === 'varExpr' && declared.has(n.name as string) && !local(n.name as string, p.range(n)[0])) used.add(n.name as string);
    });
  };
  reach(entry);
  if (!used.size) return storage;
  const types = new WgslReflect();
  types.updateAST(p.ast as unknown as Parameters<WgslReflect['updateAST']>[0]);
  for (const [name, n] of declared) {
    if (!used.has(name)) continue;
    const info = types.getTypeInfo(n.type as Parameters<WgslReflect['getTypeInfo']>[0], n.attributes as Parameters<WgslReflect['getTypeInfo']>[1]);
    const bytes = roundUp(typeOf(info as unknown as TypeInfoLike).size, 16);
    storage.vars.push({ name, bytes });
    storage.bytes += bytes;
  }
  return storage;
}
