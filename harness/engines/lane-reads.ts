// A subgroup builtin that reads a lane past the subgroup gives an indeterminate value (WGSL §"Subgroup Built-in
// Functions"), and SwiftShader gives 0 there: a butterfly over offsets 16 to 1, written for 32 lanes, sums right on
// its 4 lanes (trial 53's wrong twin passed on Dawn and Chromium; trial 54's shuffle-down tree over offsets 1 to 16
// too). On an adapter whose subgroups all have S lanes, S a power of two, the lane, mask or delta of each shuffle and
// broadcast is taken modulo S. Where WGSL defines the value nothing changes, and a read past the subgroup gets another
// lane's value, which WGSL allows: a kernel that depends on a lane past its subgroup then fails here, as it would on a
// GPU whose lanes there hold something else. Found through wgsl_reflect's AST; the edits only insert text, so every
// line keeps its number. Node-free.
import { CompileError, DeviceError, type BatchResult, type DispatchBatch } from '../gpu/batch.ts';
import type { EngineInfo } from './engine.ts';
import { parsedOrNone, walk } from '../mutate/parse.ts';
import { ShaderMemo } from './shader-memo.ts';

/** The builtins whose lane argument (the second: a lane, a mask or a delta) is taken modulo the subgroup size. A
 *  lane, mask or delta below S is its own remainder; one of S or more reads past the subgroup from every lane (a
 *  delta from every lane too), where WGSL allows any value. A const-expression lane (subgroupBroadcast's) stays one. */
export const LANE_READS = new Set(['subgroupShuffle', 'subgroupShuffleXor', 'subgroupShuffleUp', 'subgroupShuffleDown', 'subgroupBroadcast']);

/** The adapter's one subgroup size, where it has one and it is a power of two; undefined otherwise. */
export function oneSubgroupSize(info: EngineInfo): number | undefined {
  const a = info.adapter;
  const s = a?.subgroupMaxSize;
  return s && a.subgroupMinSize === s && (s & (s - 1)) === 0 ? s : undefined;
}

/** `code` with each LANE_READS call's lane argument `L` written `((L) & (S - 1))`; `code` itself where it has none or
 *  does not parse (its compiler says why). */
export function wrapLaneReads(code: string, lanes: number): string {
  if (!code.includes('subgroupShuffle') && !code.includes('subgroupBroadcast')) return code;
  const p = parsedOrNone(code);
  if (!p) return code;
  const inserts: [number, string][] = [];
  walk(p.ast, (n) => {
    if ((n.astNodeType !== 'callExpr' && n.astNodeType !== 'call') || !LANE_READS.has(n.name as string)) return;
    const lane = (n.args as Parameters<typeof p.range>[0][] | undefined)?.[1];
    if (!lane) return;
    const [a, b] = p.range(lane);
    inserts.push([a, '(('], [b, `) & ${lanes - 1})`]);
  });
  // From the end, so that each offset is still the source's (no two share one: a nested call's lane lies inside the
  // outer call's lane, between its own parentheses).
  inserts.sort((x, y) => y[0] - x[0]);
  let out = code;
  for (const [at, text] of inserts) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/** `run` with each batch's lane reads wrapped to the adapter's one subgroup size (`run` itself where it has none).
 *  Where the wrapped WGSL is refused, the kernel's own text runs, as before: its compiler, not the rewrite, has the
 *  last word. Used by the watchdog (every GPU engine of the CLI) and by the visualizer's page. */
export function withLaneWrap(info: EngineInfo, run: (batch: DispatchBatch) => Promise<BatchResult>): (batch: DispatchBatch) => Promise<BatchResult> {
  const size = oneSubgroupSize(info);
  if (!size) return run;
  const lanes = new LaneWrap(size);
  return (given) => {
    const batch = lanes.wrap(given);
    if (batch === given) return run(given);
    return run(batch).catch((e: unknown) => {
      if (!(e instanceof CompileError || (e instanceof DeviceError && e.kind === 'validation'))) throw e;
      return run(given);
    });
  };
}

/** wrapLaneReads for one adapter's subgroup size, each shader rewritten once. */
export class LaneWrap {
  private readonly wrapped: ShaderMemo<string>;

  constructor(readonly lanes: number) {
    this.wrapped = new ShaderMemo((s) => wrapLaneReads(s, lanes));
  }

  /** The batch with its shaders' lane reads wrapped; the batch itself where no shader has one. */
  wrap<B extends { shaders: string[] }>(batch: B): B {
    const shaders = batch.shaders.map((s) => this.wrapped.of(s));
    return shaders.every((s, i) => s === batch.shaders[i]) ? batch : { ...batch, shaders };
  }
}
