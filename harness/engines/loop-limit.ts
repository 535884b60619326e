// Mesa's llvmpipe (lavapipe: Deno's and Firefox's adapter here) ends a shader's loops after 65,535 iterations, with
// no error: gallivm's LP_MAX_TGSI_LOOP_ITERATIONS, one count "shared between every loop" of the shader, taken once per
// iteration (the one that leaves a loop included) by each SIMD group of invocations (8 lanes at 256 bits). Measured on
// Deno here: two loops of 40,000 in one invocation gave 40,000 and 25,534; 300 × 300 nested gave 65,101. So a kernel
// that never ends finishes with whatever it had (trial 47's passed every property on Deno and Firefox), and a correct
// one that loops longer finishes wrong, blamed on the kernel or the engine.
//
// The canary tells such a run: every compute entry point of a module with a loop becomes a plain function, called by
// a new entry point of its name that then runs a loop that must run twice, its count taken from arrayLength of a buffer
// of 2 words so that no compiler can unroll it (rewrite.ts asPlainFunction, as the sanitizer's report). Once the
// shared count is spent, every loop of that SIMD group runs once: the canary then counts 1 and sets the buffer's first
// word. It runs once, after every return of the kernel: put in front of a `return` inside a loop, it took a turn of the
// count at each pass of that loop, lanes masked or not (trial 48: cases from 32,766 iterations were cut). It takes 2 of
// the count, so a kernel within 2 of the limit is cut as well: it is at the limit either way. arrayLength is uniform,
// so the canary adds no non-uniform control flow, and it is called in a function of its own, where no name of the
// kernel's hides it (trial 48's `let arrayLength = ...`).
// Node-free: WatchedEngine (watchdog.ts) runs it in front of every GPU engine whose adapter is llvmpipe.
import type { BatchResult, DispatchBatch } from '../gpu/batch.ts';
import { isComputeEntry, parseWgsl, type Node, type Parsed } from '../mutate/parse.ts';
import { applyEdits, asPlainFunction, type Edit } from '../trace/rewrite.ts';
import type { EngineInfo } from './engine.ts';
import { ShaderMemo } from './shader-memo.ts';

/** gallivm's limit (lp_bld_limits.h). */
export const LLVMPIPE_LOOP_LIMIT = 65535;

/** Said of a case, or of every case, that llvmpipe cut short. */
export const LOOP_CUT = `reached llvmpipe's limit of ${LLVMPIPE_LOOP_LIMIT.toLocaleString('en-US')} loop iterations`;
const HOW = "Mesa's llvmpipe, this engine's adapter, ends an invocation's loops there, all of them counted together, with no error, so the outputs are not the kernel's";
/** Where a kernel that only loops long is judged: the interpreter's budget of 3 s a case skips most such cases. */
const ELSEWHERE = 'Dawn and Chromium run it to the end, the interpreter too within its budget (--interpreter-budget seconds=N)';
/** The reason a case cut short comes back with (BatchResult.skipped): the runner counts such a case as one that did
 *  not finish, so its property is `skip: not judged`, never a pass. */
export const CASE_CUT = `its loops ${LOOP_CUT} (${HOW}): a loop that never ends, or more iterations than this engine runs; ${ELSEWHERE}`;
/** A property whose every case was cut short: an error, as a hang is on an engine whose watchdog sees it. */
export const EVERY_CASE_CUT = `the loops of every case ${LOOP_CUT}: a loop that never ends? (${HOW}; if the kernel only loops long, ${ELSEWHERE})`;
/** Every case of a batch whose kernel the canary cannot be put in, or does not compile with. */
export const NOT_ADDED = `not supported here: kernelscope's check for llvmpipe's loop limit cannot be added to this kernel, and a run that llvmpipe may have cut short is not judged; ${ELSEWHERE}`;

/** llvmpipe by the adapter's name, or by Firefox's guess from its limits (page/device.ts describeAdapter). */
export function cutsLoops(info: EngineInfo): boolean {
  const a = info.adapter;
  return /llvmpipe|lavapipe/i.test([a?.vendor, a?.architecture, a?.description].join(' '));
}

const NAME = '_ks_loops';
const CANARY = `fn _ks_canary() {
  var k: u32 = 0u;
  loop { k += 1u; if k >= arrayLength(&${NAME}) { break; } }
  if k < arrayLength(&${NAME}) { ${NAME}[0] = 1u; }
}`;

interface Canaried {
  code: string;
  group: number;
  binding: number;
}

/**
 * One WGSL module with the canary, and where its buffer binds; undefined for a module with no loop (nothing to cut) or
 * no compute entry point; a string (why) where it cannot be added: a binding whose number is no constant the parser
 * evaluated, or WGSL the parser does not read.
 */
export function addCanary(code: string): Canaried | string | undefined {
  let p: Parsed;
  try {
    p = parseWgsl(code);
  } catch (e) {
    return `its WGSL does not parse here (${(e as Error).message.split('\n')[0]})`;
  }
  if (!p.tokens.some((t) => t.lexeme === 'loop' || t.lexeme === 'for' || t.lexeme === 'while')) return undefined;
  // `@binding(B)` with `const B = 0u;` is valid WGSL; wgsl_reflect keeps a const's value evaluated.
  const consts = new Map(p.ast.filter((n) => n.astNodeType === 'const').map((n) => [n.name as string, ((n.value as Node | undefined)?.value as { data?: number[] } | undefined)?.data?.[0]]));
  const slots: [number, number][] = [];
  for (const n of p.ast) {
    const attrs = (n.attributes as Node[] | null) ?? [];
    const at = (name: string) => {
      const v = String(attrs.find((a) => a.name === name)?.value);
      return /^\d+[iu]?$/.test(v) ? parseInt(v, 10) : consts.get(v);
    };
    if (!attrs.some((a) => a.name === 'group')) continue;
    const slot = [at('group'), at('binding')];
    if (!slot.every((x) => Number.isInteger(x))) return `the binding of ${n.name as string} is not a number it can read (${attrs.map((a) => `@${a.name}(${a.value})`).join(' ')})`;
    slots.push(slot as [number, number]);
  }
  const group = slots.length ? Math.min(...slots.map(([g]) => g)) : 0;
  // The lowest free slot: one past the largest may pass maxBindingsPerBindGroup (trial 49's @binding(999)).
  const taken = new Set(slots.filter(([g]) => g === group).map(([, b]) => b));
  let binding = 0;
  while (taken.has(binding)) binding++;
  const edits: Edit[] = [];
  const wrappers: string[] = [];
  for (const fn of p.ast) {
    if (!isComputeEntry(fn)) continue;
    const { attrs, params, args } = asPlainFunction(p, fn, edits, '_ks_cut_');
    wrappers.push(`${attrs}\nfn ${fn.name as string}(${params}) {\n  _ks_cut_${fn.name as string}(${args});\n  _ks_canary();\n}`);
  }
  if (!wrappers.length) return undefined;
  const tail = `\n// kernelscope's check for llvmpipe's loop limit (harness/engines/loop-limit.ts)\n@group(${group}) @binding(${binding}) var<storage, read_write> ${NAME}: array<u32>;\n${CANARY}\n${wrappers.join('\n')}\n`;
  return { code: applyEdits(code, edits) + tail, group, binding };
}

/** A batch run with the canary, and its result with each cut case in `skipped`. */
export interface CanaryRun {
  batch: DispatchBatch;
  unwrap(result: BatchResult): BatchResult;
}

/**
 * Puts the canary in a batch for an llvmpipe adapter: its shaders rewritten (addCanary, kept by source), each case a
 * buffer of 2 words bound to every dispatch of a rewritten shader and read back last, the device asked for one storage
 * buffer more where the adapter has it (`adapterLimits`, against `defaultLimits`, what a device gets unasked).
 */
export class LoopCanary {
  private readonly canaried = new ShaderMemo(addCanary);

  constructor(private readonly adapterLimits: Record<string, number> | undefined, private readonly defaultLimits: Record<string, number> | undefined) {}

  /**
   * The batch with the canary, its result mapped back; undefined when no shader has a loop. Where a shader with a loop
   * cannot have it (addCanary's why), the batch runs as it is (its own errors are reported as they are) and every case
   * comes back `not supported here`: a run that llvmpipe may have cut is never judged.
   */
  wrap(batch: DispatchBatch): CanaryRun | undefined {
    const rewritten = batch.shaders.map((s) => this.canaried.of(s));
    const refused = rewritten.find((r) => typeof r === 'string');
    if (refused) {
      const why = `${NOT_ADDED} (${refused})`;
      return { batch, unwrap: (result) => ({ ...result, outputs: result.outputs.map(() => []), skipped: result.outputs.map((_, i) => result.skipped?.[i] ?? why) }) };
    }
    const added = rewritten as (Canaried | undefined)[];
    if (!added.some((c) => c)) return undefined;
    const cases = batch.cases.map((c) => {
      const at = c.buffers.length;
      return {
        buffers: [...c.buffers, { size: 8, kind: 'storage' as const }],
        dispatches: c.dispatches.map((d) => {
          const r = added[d.shader];
          return r ? { ...d, bindings: [...d.bindings, { group: r.group, binding: r.binding, buffer: at }] } : d;
        }),
        readback: [...c.readback, at],
      };
    });
    return {
      batch: { ...batch, shaders: added.map((r, i) => r?.code ?? batch.shaders[i]!), cases, requires: this.oneMoreStorageBuffer(batch.requires) },
      unwrap: (result) => {
        const cut = (o: Uint8Array[]) => o.length > 0 && new DataView(o.at(-1)!.buffer, o.at(-1)!.byteOffset).getUint32(0, true) !== 0;
        const skipped = result.outputs.map((o, i) => result.skipped?.[i] ?? (cut(o) ? CASE_CUT : undefined));
        return {
          ...result,
          outputs: result.outputs.map((o, i) => (skipped[i] === CASE_CUT ? [] : o.slice(0, -1))),
          ...(skipped.some((s) => s) ? { skipped } : {}),
        };
      },
    };
  }

  /** The requirements with one storage buffer more than the kernel's device allows, where the adapter has it: the
   *  canary's buffer then fits exactly where the kernel's own do, and a kernel over its own limit is still refused
   *  (WatchedEngine then runs it plain, for its own error). */
  private oneMoreStorageBuffer(requires: DispatchBatch['requires']): DispatchBatch['requires'] {
    const name = 'maxStorageBuffersPerShaderStage';
    const allowed = requires?.limits?.[name] ?? this.defaultLimits?.[name] ?? 8;
    if ((this.adapterLimits?.[name] ?? allowed) <= allowed) return requires;
    return { ...requires, limits: { ...requires?.limits, [name]: allowed + 1 } };
  }
}
