// Mesa's llvmpipe (lavapipe: Deno's and Firefox's adapter here) ends a shader's loops after 65,535 iterations, with
// no error: gallivm's LP_MAX_TGSI_LOOP_ITERATIONS, one count "shared between every loop" of the shader, taken once per
// iteration (the one that leaves a loop included) by each SIMD group of invocations (8 lanes at 256 bits). Measured on
// Deno here: two loops of 40,000 in one invocation gave 40,000 and 25,534; 300 × 300 nested gave 65,101. So a kernel
// that never ends finishes with whatever it had (trial 47's passed every property on Deno and Firefox), and a correct
// one that loops longer finishes wrong, blamed on the kernel or the engine.
//
// The canary tells such a run: every compute entry point of a module with a loop ends (at each `return`, and at its
// end) with a loop that must run twice, whose count comes from arrayLength of a buffer of 2 words, so that no compiler
// can unroll it. Once the shared count is spent, every loop of that SIMD group runs once: the canary then counts 1 and
// sets the buffer's first word. A lane that returned before the cut ran its canary before it too, but the lanes still
// looping at the cut run theirs after it. The canary takes 2 of the count, so a kernel within 2 of the limit is cut as
// well: it is at the limit either way. arrayLength is uniform, so the canary adds no non-uniform control flow.
// Node-free: WatchedEngine (watchdog.ts) runs it in front of every GPU engine whose adapter is llvmpipe.
import type { BatchResult, DispatchBatch } from '../gpu/batch.ts';
import { parseWgsl, type Node } from '../mutate/parse.ts';
import { applyEdits, signatureTokens, type Edit } from '../trace/rewrite.ts';
import type { EngineInfo } from './engine.ts';

/** gallivm's limit (lp_bld_limits.h). */
export const LLVMPIPE_LOOP_LIMIT = 65535;

/** Said of a case, or of every case, that llvmpipe cut short. */
export const LOOP_CUT = `reached llvmpipe's limit of ${LLVMPIPE_LOOP_LIMIT.toLocaleString('en-US')} loop iterations`;
const HOW = "Mesa's llvmpipe, this engine's adapter, ends an invocation's loops there, all of them counted together, with no error, so the outputs are not the kernel's";
/** The reason a case cut short comes back with (BatchResult.skipped): the runner counts such a case as one that did
 *  not finish, so its property is `skip: not judged`, never a pass. */
export const CASE_CUT = `its loops ${LOOP_CUT} (${HOW}): a loop that never ends, or more iterations than this engine runs; Dawn and the interpreter run it to the end`;
/** A property whose every case was cut short: an error, as a hang is on an engine whose watchdog sees it. */
export const EVERY_CASE_CUT = `the loops of every case ${LOOP_CUT}: a loop that never ends? (${HOW}; if the kernel only loops long, Dawn and the interpreter run it to the end)`;

/** llvmpipe by the adapter's name, or by Firefox's guess from its limits (page/device.ts describeAdapter). */
export function cutsLoops(info: EngineInfo): boolean {
  const a = info.adapter;
  return /llvmpipe|lavapipe/i.test([a?.vendor, a?.architecture, a?.description].join(' '));
}

const NAME = '_ks_loops';
const CANARY = `{ var _ks_k: u32 = 0u; loop { _ks_k += 1u; if _ks_k >= arrayLength(&${NAME}) { break; } } if _ks_k < arrayLength(&${NAME}) { ${NAME}[0] = 1u; } } `;

interface Canaried {
  code: string;
  group: number;
  binding: number;
  /** The module's own storage buffers (the canary's not counted). */
  storage: number;
}

/**
 * One WGSL module with the canary, and where its buffer binds; undefined for a module with no loop (nothing to cut),
 * with no compute entry point, or whose bindings are not all literal numbers (no free slot can be named).
 * @throws wgsl_reflect's message for WGSL that does not parse (the caller then runs the module as it is)
 */
export function addCanary(code: string): Canaried | undefined {
  const p = parseWgsl(code);
  if (!p.tokens.some((t) => t.lexeme === 'loop' || t.lexeme === 'for' || t.lexeme === 'while')) return undefined;
  const slots: [number, number][] = [];
  for (const n of p.ast) {
    const attrs = (n.attributes as Node[] | null) ?? [];
    const group = attrs.find((a) => a.name === 'group');
    const binding = attrs.find((a) => a.name === 'binding');
    if (!group || !binding) continue;
    const slot: [number, number] = [Number(group.value), Number(binding.value)];
    if (!slot.every((x) => Number.isInteger(x))) return undefined;
    slots.push(slot);
  }
  const group = slots.length ? Math.min(...slots.map(([g]) => g)) : 0;
  const binding = 1 + Math.max(-1, ...slots.filter(([g]) => g === group).map(([, b]) => b));
  const edits: Edit[] = [];
  for (const fn of p.ast) {
    if (fn.astNodeType !== 'function' || !((fn.attributes as Node[] | null) ?? []).some((a) => a.name === 'compute')) continue;
    const body = p.tokensIn(p.tokens[signatureTokens(p, fn).open]!.start, fn.end);
    for (const k of body) if (p.tokens[k]!.lexeme === 'return') edits.push({ at: p.tokens[k]!.start, text: CANARY, order: 0 });
    // After a final return the canary would be code Tint warns is unreachable, in the user's compiler messages.
    const close = body.findLast((k) => p.tokens[k]!.lexeme === '}')!;
    if ((fn.body as Node[]).at(-1)?.astNodeType !== 'return') edits.push({ at: p.tokens[close]!.start, text: CANARY, order: 0 });
  }
  if (!edits.length) return undefined;
  const storage = p.ast.filter((n) => n.astNodeType === 'var' && n.storage === 'storage').length;
  return { code: `${applyEdits(code, edits)}\n@group(${group}) @binding(${binding}) var<storage, read_write> ${NAME}: array<u32>;\n`, group, binding, storage };
}

/** A batch run with the canary, and its result with each cut case in `skipped`. */
export interface CanaryRun {
  batch: DispatchBatch;
  unwrap(result: BatchResult): BatchResult;
}

/**
 * Puts the canary in a batch for an llvmpipe adapter: its shaders rewritten (addCanary, kept by source), each case a
 * buffer of 2 words bound to every dispatch of a rewritten shader and read back last. Undefined when no shader has a
 * loop, or when the canary's storage buffer would take the kernel past the storage buffers its device allows and the
 * adapter has no more to give (`adapterLimits`): the batch then runs as it is.
 */
export class LoopCanary {
  private readonly shaders = new Map<string, Canaried | undefined>();

  constructor(private readonly adapterLimits: Record<string, number> | undefined, private readonly defaultLimits: Record<string, number> | undefined) {}

  private canaried(code: string): Canaried | undefined {
    if (!this.shaders.has(code)) {
      let c: Canaried | undefined;
      try {
        c = addCanary(code);
      } catch {
        // WGSL the parser does not read: the engine's compiler says what is wrong with it, on the user's own text.
        c = undefined;
      }
      this.shaders.set(code, c);
    }
    return this.shaders.get(code);
  }

  wrap(batch: DispatchBatch): CanaryRun | undefined {
    const rewritten = batch.shaders.map((s) => this.canaried(s));
    if (!rewritten.some((c) => c)) return undefined;
    const requires = this.storageFor(batch, rewritten);
    if (requires === null) return undefined;
    const cases = batch.cases.map((c) => {
      const at = c.buffers.length;
      return {
        buffers: [...c.buffers, { size: 8, kind: 'storage' as const }],
        dispatches: c.dispatches.map((d) => {
          const r = rewritten[d.shader];
          return r ? { ...d, bindings: [...d.bindings, { group: r.group, binding: r.binding, buffer: at }] } : d;
        }),
        readback: [...c.readback, at],
      };
    });
    return {
      batch: { ...batch, shaders: rewritten.map((r, i) => r?.code ?? batch.shaders[i]!), cases, ...(requires ? { requires } : {}) },
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

  /** The batch's requirements with room for one more storage buffer where the kernel's own storage buffers (counted
   *  over each rewritten module) already fill what its device allows; null when the adapter has no more to give. */
  private storageFor(batch: DispatchBatch, rewritten: (Canaried | undefined)[]): DispatchBatch['requires'] | null {
    const name = 'maxStorageBuffersPerShaderStage';
    const allowed = batch.requires?.limits?.[name] ?? this.defaultLimits?.[name] ?? 8;
    const most = Math.max(...rewritten.map((r) => r?.storage ?? 0));
    if (most < allowed) return batch.requires;
    const adapter = this.adapterLimits?.[name] ?? allowed;
    // Over its own limit already: the kernel's own error, on its own text, is the verdict.
    if (most > allowed || adapter <= allowed) return null;
    return { ...batch.requires, limits: { ...batch.requires?.limits, [name]: allowed + 1 } };
  }
}
