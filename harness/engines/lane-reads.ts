// A subgroup builtin that reads a lane past the subgroup gives an indeterminate value (WGSL §"Subgroup Built-in
// Functions"), and SwiftShader gives 0 there: a butterfly over offsets 16 to 1, written for 32 lanes, sums right on
// its 4 lanes (trial 53's wrong twin passed on Dawn and Chromium; trial 54's shuffle-down tree over offsets 1 to 16
// too). On an adapter whose subgroups all have S lanes, S a power of two, the lane, mask or delta of each shuffle and
// broadcast is taken modulo S, and one of S or more, which reads past the subgroup from every lane, gives a value
// outside the range of the subgroup's values. Where WGSL defines the value nothing changes, and a read past the
// subgroup gets a value WGSL allows there: a kernel that depends on a lane past its subgroup then fails here, as it
// would on a GPU whose lanes there hold something else. Found through wgsl_reflect's AST; the edits insert text, or
// copy an argument onto the same line, so every line keeps its number. Node-free.
import { CompileError, DeviceError, type BatchResult, type DispatchBatch } from '../gpu/batch.ts';
import type { EngineInfo } from './engine.ts';
import { ownFunctions, parsedOrNone, walk, type Node as AstNode } from '../mutate/parse.ts';
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

/** Builtins whose calls a copy of an argument would repeat with effect (an atomic, a texture store, a barrier's load):
 *  a lane read with one in its arguments, or a lane read or a call of the module's own functions, is wrapped without
 *  the out-of-range value. */
const NOT_COPIED = /^(atomic|textureStore$|workgroupUniformLoad$)/;

/**
 * `code` with each LANE_READS call's lane argument `L` written `((L) & (S - 1))`; `code` itself where it has none or
 * does not parse (its compiler says why). With `outOfRange`, a call whose lane, mask or delta is S or more, which reads
 * past the subgroup from every lane, and a shuffle up or down on the lanes its delta runs off the subgroup's edge (every
 * lane active), gives instead a value outside the range of its value argument V over the
 * subgroup: on even lanes `2 max − min + |max| + 1`, above the largest, on odd lanes `2 min − max − |min| − 1`, below the
 * smallest (and another than V where the subgroup's values are all one), lane 0 taking the one above. Another lane's
 * value is no different from the lane's own for max, min, and, or (trial 66: a max written for 32 lanes passed on 4,
 * every shuffle reading its own lane); WGSL allows any value there. Text is only inserted, or copied onto the same
 * line, so every line keeps its number; a call whose arguments hold a comment, a lane read, an atomic or a call of
 * the module's own functions is wrapped without it.
 */
export function wrapLaneReads(code: string, lanes: number, outOfRange = false): string {
  if (!code.includes('subgroupShuffle') && !code.includes('subgroupBroadcast')) return code;
  const p = parsedOrNone(code);
  if (!p) return code;
  const own = ownFunctions(p);
  // [offset, text, order]: at one offset, an opening of a longer span goes before one of a shorter (the outer call's
  // `((` before the inner's `select(`), and a closing of a shorter span before one of a longer.
  const inserts: [number, string, number][] = [];
  const copyable = (n: AstNode) => {
    const text = p.text(n);
    if (text.includes('//') || text.includes('/*')) return undefined;
    let ok = true;
    walk([n], (m) => {
      if ((m.astNodeType === 'callExpr' || m.astNodeType === 'call') && (LANE_READS.has(m.name as string) || own.has(m.name as string) || NOT_COPIED.test(m.name as string))) ok = false;
    });
    return ok ? text.replace(/\s+/g, ' ') : undefined;
  };
  walk(p.ast, (n) => {
    if ((n.astNodeType !== 'callExpr' && n.astNodeType !== 'call') || !LANE_READS.has(n.name as string)) return;
    const [value, lane] = (n.args as AstNode[] | undefined) ?? [];
    if (!lane) return;
    const [a, b] = p.range(lane);
    // The lane's wrap lies outside an inner call's select where the two share a span (`subgroupShuffle(v,
    // subgroupShuffle(l, i))`): half a place further out.
    inserts.push([a, '((', -(b - a) - 0.5], [b, `) & ${lanes - 1})`, b - a + 0.5]);
    const v = outOfRange && value ? copyable(value) : undefined;
    const l = v === undefined ? undefined : copyable(lane);
    if (l === undefined) return;
    const [c, d] = p.range(n);
    const [hi, lo] = [`subgroupMax(${v})`, `subgroupMin(${v})`];
    const outside = `select(2 * ${hi} - ${lo} + abs(${hi}) + 1, 2 * ${lo} - ${hi} - abs(${lo}) - 1, (subgroupExclusiveAdd(1u) & 1u) == 1u)`;
    // A shift reads past the subgroup's edge from the lanes it runs off, whatever its delta: lane + delta ≥ S down,
    // lane < delta up (trial 70: scans with no `lane >= off` guard summed right on SwiftShader's zeros). The lane is
    // its count of active lanes below it, which is its id where every lane is active (the ballot of true is full);
    // elsewhere only a delta of S or more is taken as past the edge.
    const edge = n.name === 'subgroupShuffleDown' ? `subgroupExclusiveAdd(1u) + (${l}) >= ${lanes}u` : n.name === 'subgroupShuffleUp' ? `subgroupExclusiveAdd(1u) < (${l})` : undefined;
    // `|` and `&`, not `||` and `&&`: a short circuit would put the subgroup calls in non-uniform control flow.
    const full = `all(subgroupBallot(true) == vec4u(${[0, 1, 2, 3].map((w) => `${2 ** Math.max(0, Math.min(32, lanes - 32 * w)) - 1}u`).join(', ')}))`;
    // Each operand in parentheses: WGSL does not mix a comparison with `|` or `&` without them.
    const past = edge ? `((${l}) >= ${lanes}) | (${full} & (${edge}))` : `(${l}) >= ${lanes}`;
    inserts.push([c, 'select(', -(d - c)], [d, `, ${outside}, ${past})`, d - c]);
  });
  // From the end, so that each offset is still the source's; at one offset, in the reverse of the order the text has.
  inserts.sort((x, y) => y[0] - x[0] || y[2] - x[2]);
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
  const refused = (e: unknown) => e instanceof CompileError || (e instanceof DeviceError && e.kind === 'validation');
  return (given) => {
    // The out-of-range value calls subgroupMax and subgroupMin, which a compiler may refuse where the shuffle was
    // allowed: then the lanes alone are wrapped, and where that is refused too, the kernel's own text runs.
    const tries = [...new Set([lanes.wrap(given, true), lanes.wrap(given, false), given])];
    const attempt = (k: number): Promise<BatchResult> => run(tries[k]!).catch((e: unknown) => {
      if (k + 1 === tries.length || !refused(e)) throw e;
      return attempt(k + 1);
    });
    return attempt(0);
  };
}

/** wrapLaneReads for one adapter's subgroup size, each shader rewritten once (with the out-of-range value, and without). */
export class LaneWrap {
  private readonly wrapped: ShaderMemo<string>;
  private readonly plain: ShaderMemo<string>;

  constructor(readonly lanes: number) {
    this.wrapped = new ShaderMemo((s) => wrapLaneReads(s, lanes, true));
    this.plain = new ShaderMemo((s) => wrapLaneReads(s, lanes));
  }

  /** The batch with its shaders' lane reads wrapped; the batch itself where no shader has one. */
  wrap<B extends { shaders: string[] }>(batch: B, outOfRange = true): B {
    const memo = outOfRange ? this.wrapped : this.plain;
    const shaders = batch.shaders.map((s) => memo.of(s));
    return shaders.every((s, i) => s === batch.shaders[i]) ? batch : { ...batch, shaders };
  }
}
