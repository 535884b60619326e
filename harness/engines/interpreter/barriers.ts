// What each barrier orders (WGSL §"Synchronization Built-in Functions"), for the interpreter's race and lost-update
// checks (dispatch.ts, lost-updates.ts) and their messages.
/**
 * The memory a barrier orders. WGSL §"Synchronization Built-in Functions": storageBarrier() "Executes a control barrier
 * synchronization function that affects memory and atomic operations in the storage address space"; workgroupBarrier()
 * and workgroupUniformLoad() do so for "the workgroup address space"; textureBarrier() for the handle address space
 * (textures, which the interpreter does not run). "The affected memory and atomic operations program-ordered before the
 * synchronization function must be visible to all other threads in the workgroup before any affected memory or atomic
 * operation program-ordered after the synchronization function is executed": the others are not affected, so a
 * storage write, a workgroupBarrier() and another invocation's read of the word are unordered, a data race under
 * WGSL's memory model (§"Memory Model": two conflicting accesses of different invocations, not both atomic, that no
 * synchronization orders). A GPU may happen to order them; WGSL does not promise it.
 * Atomics never race, but the same rule decides which barrier orders an atomicStore and another invocation's update
 * (lost-updates.ts).
 */
export type Space = 'workgroup' | 'storage';

/** A control barrier the invocations of a workgroup passed: its builtin and line. */
export interface Barrier {
  builtin: string;
  line: number;
}

/** The address spaces each barrier builtin orders (see `Space`). */
export const ORDERS: Record<string, readonly Space[]> = {
  workgroupBarrier: ['workgroup'],
  workgroupUniformLoad: ['workgroup'],
  storageBarrier: ['storage'],
  textureBarrier: [],
};

/** A binding's accesses are storage (or uniform, which is never written), the rest workgroup memory. */
export const spaceOf = (a: { buffer?: number }): Space => (a.buffer === undefined ? 'workgroup' : 'storage');

/** The barrier that orders each address space. */
export const FIX: Record<Space, string> = { workgroup: 'workgroupBarrier()', storage: 'storageBarrier()' };

/** Each address space in the messages' words. */
export const MEMORY: Record<Space, string> = { workgroup: 'workgroup memory', storage: 'storage' };

/** "with only a workgroupBarrier() (line 12) between them, which orders workgroup memory, not storage": the barriers
 *  between two unordered accesses of `space` (none orders it), said; '' when there are none. */
export function betweenText(between: Barrier[] | undefined, space: Space): string {
  if (!between?.length) return '';
  const name = (b: Barrier) => `${b.builtin}() (line ${b.line})`;
  if (between.length === 1) {
    const b = between[0]!;
    const orders = ORDERS[b.builtin]?.[0];
    return `with only a ${name(b)} between them, which orders ${orders ? MEMORY[orders] : 'textures'}, not ${MEMORY[space]}`;
  }
  // One barrier passed on several turns of a loop is said once, with how many times (trial 88 B3: "workgroupBarrier()
  // (line 20), workgroupBarrier() (line 20)").
  const counted = new Map<string, number>();
  for (const b of between) counted.set(name(b), (counted.get(name(b)) ?? 0) + 1);
  const each = [...counted].map(([n, k]) => (k > 1 ? `${n} ${k} times` : n));
  const names = each.slice(0, 3).join(', ') + (each.length > 3 ? ` and ${each.length - 3} more` : '');
  return counted.size === 1 && between.length > 1
    ? `with only ${names} between them, which orders ${ORDERS[between[0]!.builtin]?.[0] ? MEMORY[ORDERS[between[0]!.builtin]![0]!] : 'textures'}, not ${MEMORY[space]}`
    : `with only ${names} between them, none of which orders ${MEMORY[space]}`;
}
