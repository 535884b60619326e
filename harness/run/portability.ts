// WGSL that is correct but that engines we run are known to compile wrongly: said beside a failure on a GPU engine
// that the kernel rewritten to WGSL's meaning passes there (or could not be run to see), and once after the run, so
// that a correct kernel failing there and passing on the interpreter is not taken for a wrong kernel without a word.
// Found through wgsl_reflect's AST and tokens, not the text. Node-free.
import { Continuing, For, Loop, Var, While, WgslScanner } from 'wgsl_reflect/wgsl_reflect.module.js';
import { addressRoot, callsInto, children, computeEntries, declarations, isCall, foundByText, parsedOrNone, reachableLines, rootName, walk, walkFinds, type Node as AstNode, type Parsed } from '../mutate/parse.ts';
import { LANE_READS } from '../engines/lane-reads.ts';
import { builtinParams, INVOCATION_BUILTINS, varyingIn } from './uniformity.ts';
import { oppositeBranches } from './index-sources.ts';
import type { KernelProgram } from './program.ts';
import { reflect, workgroupSizeFor, type ReflectedModule } from './reflect.ts';
import { SUBGROUP_OPERATION } from './wgsl-words.ts';
import { keptExchangeLines } from '../engines/interpreter/lost-updates.ts';

/** A function-scope `var` declared without an initializer inside a loop (its body, any block within it, its
 *  `continuing`). */
export interface LoopVar {
  name: string;
  /** 1-based line of the declaration. */
  line: number;
  /** Its type as written, an array's element count evaluated (`array<f32, TILE>` gives `array<f32, 4>`), for the
   *  advice `var x = T();`; 'T' when the AST gives none. */
  type: string;
  /** Character range of the declaration in the source, `var` to its `;`. */
  span: [number, number];
}

type Node = { constructor: unknown; body?: unknown; elseif?: unknown; else?: unknown; cases?: unknown };

/**
 * Every `var` without an initializer inside a `for`, `while` or `loop` body (its `continuing` included) of any
 * function of `code`. WGSL gives such a variable its zero value each time control reaches the declaration, so on
 * every iteration (WGSL §"Variable and Value Declarations": a function-scope variable's lifetime starts when control
 * enters its declaration); naga omitted that per-iteration zeroing (gfx-rs/wgpu#9489, fixed by #9592) and Dawn on
 * SwiftShader keeps the last iteration's value too (a new user's matmul summing tile partials: correct on the
 * interpreter, wrong on Dawn, Chromium, Firefox and Deno). Read from the AST reflect() keeps for `code`; empty for code
 * reflect() cannot read, such as code that does not parse (its compiler says why).
 */
export function loopVarsWithoutInitializer(code: string): LoopVar[] {
  let ast: readonly unknown[];
  try {
    ast = reflect(code).ast; // the parse reflect.ts keeps for this text, not another
  } catch {
    return [];
  }
  const found: LoopVar[] = [];
  const visit = (statements: unknown, inLoop: boolean): void => {
    if (!Array.isArray(statements)) return;
    for (const s of statements as Node[]) {
      // wgsl_reflect keeps a bare block `{ ... }` as a nested array of its statements.
      if (Array.isArray(s)) {
        visit(s, inLoop);
        continue;
      }
      if (!s || typeof s !== 'object') continue;
      if (s instanceof Var) {
        const v = s as unknown as { name: string; line: number; start: number; end: number; value: unknown; type?: { getTypeName?(): string; name?: string } | null };
        if (inLoop && !v.value) found.push({ name: v.name, line: v.line, type: typeText(v.type), span: [v.start, v.end] });
        continue;
      }
      // A loop's `continuing` block is among its body's statements, where it is visited; wgsl_reflect's Loop also
      // holds it as its `continuing` field, which is therefore not visited.
      const loop = s instanceof For || s instanceof While || s instanceof Loop || s instanceof Continuing;
      visit(s.body, inLoop || loop);
      if (Array.isArray(s.elseif)) for (const e of s.elseif as Node[]) visit(e.body, inLoop);
      visit(s.else, inLoop);
      if (Array.isArray(s.cases)) for (const c of s.cases as Node[]) visit(c.body, inLoop);
    }
  };
  for (const node of ast) visit((node as Node).body, false);
  return found;
}

function typeText(t: { getTypeName?(): string; name?: string } | null | undefined): string {
  if (!t) return 'T';
  const raw = t as { name?: string; format?: unknown; count?: number };
  // wgsl_reflect's AST types: a template (vec4<f32>, array<T, N>) keeps its format and count.
  const format = raw.format as typeof t | undefined;
  if (raw.name === 'array' && format) return `array<${typeText(format)}${raw.count ? `, ${raw.count}` : ''}>`;
  if (format) return `${raw.name}<${typeText(format)}>`;
  return raw.name ?? 'T';
}

const byProgram = new WeakMap<KernelProgram, { file: string; origin: string; v: LoopVar }[]>();

function loopVarsOf(program: KernelProgram) {
  let found = byProgram.get(program);
  if (!found) {
    found = Object.entries(program.sources).flatMap(([file, code]) => loopVarsWithoutInitializer(code).map((v) => ({ file, origin: program.origins[file] ?? file, v })));
    byProgram.set(program, found);
  }
  return found;
}

/** Every loop variable without an initializer in a kernel's WGSL files, each with its file's name as the user knows
 *  it (the program's origins), in the order of the program's sources and then of each source; found once per
 *  program. */
export function loopVars(program: KernelProgram): [string, LoopVar][] {
  return loopVarsOf(program).map(({ origin, v }) => [origin, v]);
}

/** `code` with each declaration of `vars` given its type's zero value as its initializer, the value WGSL gives it
 *  on every iteration anyway (`var wk: array<f32, N>;` becomes `var wk: array<f32, N> = array<f32, N>();`, the
 *  type as written); undefined where a declaration's tokens are not `var NAME : TYPE ;`. */
export function withInitializers(code: string, vars: readonly LoopVar[]): string | undefined {
  let out = code;
  for (const v of [...vars].sort((a, b) => b.span[0] - a.span[0])) {
    const [start, end] = v.span;
    const all = new WgslScanner(code.slice(start, end)).scanTokens().filter((t) => t.type.name !== 'EOF');
    // `var<function> t: f32;` is the same declaration (trial 42's twin passed on Dawn, its twin never made).
    const spaced = all[1]?.lexeme === '<' && all[2]?.lexeme === 'function' && all[3]?.lexeme === '>';
    const tokens = spaced ? [all[0]!, ...all.slice(4)] : all;
    const colon = tokens.findIndex((t) => t.lexeme === ':');
    const last = tokens[tokens.length - 1];
    if (tokens[0]?.lexeme !== 'var' || tokens[1]?.lexeme !== v.name || colon !== 2 || last?.lexeme !== ';' || tokens.length < 5) return undefined;
    const typeFrom = start + (tokens[3] as unknown as { start: number }).start;
    const typeTo = start + (tokens[tokens.length - 2] as unknown as { end: number }).end;
    const type = code.slice(typeFrom, typeTo);
    out = `${out.slice(0, typeTo)} = ${type}()${out.slice(typeTo)}`;
  }
  return out;
}

const twins = new WeakMap<KernelProgram, KernelProgram | null>();

/** The kernel with its loop variables initialized (withInitializers), the same kernel by WGSL's rules: where it
 *  passes a case the kernel as written fails on an engine, that engine did not zero them. Undefined when the kernel
 *  has none, or one cannot be rewritten. */
export function initializedTwin(program: KernelProgram): KernelProgram | undefined {
  let twin = twins.get(program);
  if (twin === undefined) {
    const found = loopVarsOf(program);
    const sources = { ...program.sources };
    let ok = found.length > 0;
    for (const file of new Set(found.map((f) => f.file))) {
      const edited = withInitializers(sources[file]!, found.filter((f) => f.file === file).map((f) => f.v));
      if (edited === undefined) ok = false;
      else sources[file] = edited;
    }
    twin = ok ? { ...program, sources } : null;
    twins.set(program, twin);
  }
  return twin ?? undefined;
}

/** The clause property-runner.ts adds to a failure on an engine other than the interpreter, where the kernel has such
 *  a variable: `confirmed` when the initializedTwin passed the failing case on that engine (the failure is the
 *  engine's), else (the twin could not run) the advice to compare with the interpreter. None where the twin fails
 *  too: the variable does not explain that failure (a trial's out-of-bounds read carried it). */
export function loopVarClause(file: string, v: LoopVar, engine: string, confirmed: boolean): string {
  return confirmed
    ? `${file}:${v.line}: 'var ${v.name}' has no initializer inside a loop, so WGSL zeroes it on every iteration, and ${engine} does not: ` +
      `with 'var ${v.name} = ${v.type}();' the same case passes on ${engine}, so this failure is the engine's; write that to be portable`
    : `${file}:${v.line}: 'var ${v.name}' has no initializer inside a loop, and Dawn and naga do not zero it each iteration as WGSL says: ` +
      `if the interpreter passes, write 'var ${v.name} = ${v.type}();'`;
}

/** The clause of a failure on an engine other than the interpreter where the kernel as written passed and its
 *  initializedTwin, the same kernel by WGSL's rules, failed the case: the engine kept the variable, and the kernel
 *  relies on it (trial 41's row sum declared its accumulator in the loop, passed on four GPU engines, and is wrong). */
export function loopVarPassClause(file: string, v: LoopVar, engine: string): string {
  return `${file}:${v.line}: 'var ${v.name}' has no initializer inside a loop, so WGSL zeroes it on every iteration, and ${engine} does not: ` +
    `the kernel as written passes here on the value ${engine} keeps, and as WGSL defines it ('var ${v.name} = ${v.type}();', which ${engine} runs as WGSL says) it fails this case, ` +
    `as it does on the interpreter and on any engine that zeroes it; initialize '${v.name}' where the kernel means it to start`;
}

/** After a run's results, once per variable of each kernel that errored on a GPU engine in that run, or failed with
 *  the variable's clause (harness/cli/test.ts); nothing after a run in which the GPU engines passed. */
export function loopVarNote(file: string, v: LoopVar): string {
  return `${file}:${v.line}: 'var ${v.name}' is declared without an initializer inside a loop. WGSL zeroes it on every iteration, ` +
    `but Dawn (SwiftShader) and naga before gfx-rs/wgpu#9592 keep the last iteration's value, so a correct kernel can fail on those ` +
    `engines and pass on the interpreter, and a kernel that relies on the kept value pass there and be wrong (kernelscope runs it as WGSL ` +
    `defines it beside each pass there, and fails it where that fails); write 'var ${v.name} = ${v.type}();' to be portable`;
}

/** A place where a kernel takes a subgroup to be consecutive invocations: `lid / sg_size`. */
export interface SubgroupSlot {
  /** 1-based line. */
  line: number;
  /** The expression as written. */
  text: string;
  /** A lane read by order (a shuffle up or down, a scan): it takes the lane before to hold the invocation before. */
  order?: true;
}

/** The subgroup operations that read lanes by their order: the lane before or after, or every lane before. */
const LANE_ORDER = new Set(['subgroupShuffleUp', 'subgroupShuffleDown', 'subgroupExclusiveAdd', 'subgroupExclusiveMul', 'subgroupInclusiveAdd', 'subgroupInclusiveMul']);

/** The value of an integer literal (`4u`, `16`), or undefined for any other expression. */
const literalOf = (p: Parsed, n: AstNode | undefined) => (n?.astNodeType === 'literalExpr' ? Number(/^\d+/.exec(p.text(n))?.[0]) : undefined);

/** Whether `n` reads one of the names `among`. */
function names(n: AstNode | undefined, among: Set<string>): boolean {
  let hit = false;
  if (n) walk([n], (m) => (hit ||= m.astNodeType === 'varExpr' && among.has(m.name as string)));
  return hit;
}

/**
 * Every `I / S`, `I >> S`, `I % S` or `I & S` in a function of `code` where S names the function's
 * @builtin(subgroup_size) parameter (or a let of it: `let sgs = sg_size;`, `firstTrailingBit(sg_size)`, `sg_size - 1u`)
 * and I one of its local_invocation_index, local_invocation_id or global_invocation_id parameters, or a helper's
 * parameters its callers pass those in: the subgroup's "index", or a lane's place in it, which
 * holds only where each subgroup is consecutive invocations. WGSL ties subgroup_invocation_id to no local index (nor
 * does Vulkan: "There is no direct relationship between SubgroupLocalInvocationId and LocalInvocationId or
 * LocalInvocationIndex"), and every engine here groups consecutive invocations, so such a kernel passes here whether
 * or not it is portable (a trial's reduction, and test/field's own subgroup_sum before it, wrote `partial[lid /
 * sg_size]`). Empty for code that does not parse.
 */
export function subgroupSlots(code: string): SubgroupSlot[] {
  if (!code.includes('subgroup_size') && ![...LANE_ORDER].some((f) => code.includes(f))) return [];
  const p = parsedOrNone(code);
  if (!p) return [];
  const found: SubgroupSlot[] = [];
  const fns = p.ast.filter((n) => n.astNodeType === 'function');
  // A helper's parameters that its callers pass the size or a local index in (`fn wg_reduce(v: f32, lid: u32, sgsize:
  // u32)` called with the entry point's builtins): trial 71's `lid / sgsize` in such a helper drew no note.
  const passed = new Map<string, { sizes: Set<string>; locals: Set<string> }>();
  for (const fn of fns) {
    const sizes = builtinParams(fn, (b) => b === 'subgroup_size');
    const locals = builtinParams(fn, (b) => INVOCATION_BUILTINS.has(b));
    walk([fn], (m) => {
      const callee = isCall(m) ? fns.find((f) => f.name === m.name) : undefined;
      if (!callee) return;
      const params = ((callee.args as AstNode[] | undefined) ?? []).map((a) => a.name as string);
      const into = passed.get(callee.name as string) ?? { sizes: new Set<string>(), locals: new Set<string>() };
      ((m.args as AstNode[] | undefined) ?? []).forEach((a, k) => {
        if (a.astNodeType !== 'varExpr' || !params[k]) return;
        if (sizes.has(a.name as string)) into.sizes.add(params[k]!);
        else if (locals.has(a.name as string)) into.locals.add(params[k]!);
      });
      passed.set(callee.name as string, into);
    });
  }
  for (const fn of fns) {
    const sizes = new Set([...builtinParams(fn, (b) => b === 'subgroup_size'), ...(passed.get(fn.name as string)?.sizes ?? [])]);
    const locals = new Set([...builtinParams(fn, (b) => INVOCATION_BUILTINS.has(b)), ...(passed.get(fn.name as string)?.locals ?? [])]);
    // A lane read by order in a function that places its data by a local index (`words[gid.x]` shuffled up for the
    // word before): the lane before holds the invocation before only where lanes follow local_invocation_index (trial
    // 173 B2: a tokenizer took its previous word from subgroupShuffleUp and passed here with no note).
    if (locals.size) walk([fn], (n) => {
      if (isCall(n) && LANE_ORDER.has(n.name as string)) found.push({ line: n.line as number, text: p.text(n), order: true });
    });
    if (!sizes.size || !locals.size) continue;
    // A let or const of the size (`let sgs = sg_size;`), or of its log (`firstTrailingBit(sg_size)`), stands for it;
    // one of a local index (`let lid = lidv.x;`, a trial's) for that.
    walk([fn], (n) => {
      if (n.astNodeType !== 'let' && n.astNodeType !== 'const') return;
      if (names(n.value as AstNode, sizes)) sizes.add(n.name as string);
      else if (names(n.value as AstNode, locals)) locals.add(n.name as string);
    });
    // A division by the size, or a shift by its log: `lid / sg_size`, `l >> firstTrailingBit(sg_size)`; the remainder
    // too, or a mask by size − 1, which takes a lane's place in its subgroup from the local index (`lid % sg_size == 0u`
    // for each subgroup's first lane, trial 70's leader).
    walk([fn], (n) => {
      if (n.astNodeType !== 'binaryOp' || !['/', '>>', '%', '&'].includes(n.operator as string)) return;
      if (names(n.right as AstNode, sizes) && names(n.left as AstNode, locals)) found.push({ line: n.line as number, text: p.text(n) });
    });
  }
  return found;
}

/** Notes found once per program and kind: `note` for each place `find` gives in each of its files. */
function notesOnce<T>(memo: WeakMap<KernelProgram, string[]>, program: KernelProgram, find: (code: string) => T[], note: (file: string, place: T) => string): string[] {
  let notes = memo.get(program);
  if (!notes) {
    notes = Object.entries(program.sources).flatMap(([file, code]) => find(code).map((place) => note(program.origins[file] ?? file, place)));
    memo.set(program, notes);
  }
  return notes;
}

const slotsByProgram = new WeakMap<KernelProgram, string[]>();

/** The notes for a kernel's subgroupSlots, one per place, as `FILE:LINE: ...`; found once per program. */
export const subgroupSlotNotes = (program: KernelProgram): string[] => notesOnce(slotsByProgram, program, subgroupSlots, (file, s) =>
  s.order
    ? `${file}:${s.line}: '${s.text}' reads lanes by their order, and the data is placed by a local index: that takes the lane before to be the invocation before, which WGSL does not promise (subgroup_invocation_id is tied to no local index); every engine here numbers them so and cannot show otherwise (docs/writing-a-kernel.md, Pitfalls)`
    : `${file}:${s.line}: '${s.text}' takes each subgroup to be consecutive invocations, which WGSL does not promise; every engine here groups them so and cannot show otherwise (docs/writing-a-kernel.md, Pitfalls)`);

/** A place that holds only for subgroups of the adapter's one size (or of at most 32 lanes), which every engine here
 *  has, so no run here can show it wrong: a pass is said with it. */
export interface SubgroupWidth {
  line: number;
  text: string;
  /** What it takes for granted, said after the text. */
  assumes: string;
  /** The subgroups it is right for. */
  rightFor: string;
  /** What to write instead. */
  advice: string;
  /** A tree of lane reads (offsets 1, 2, ...) that stops at the adapter's size: at 4, WebGPU's smallest subgroup, it
   *  stays inside every subgroup, and is right wherever what follows combines its groups of 4 lanes. */
  tree?: true;
}

const SIZE_ADVICE = 'use the subgroup_size builtin';

/** The lane reads whose second argument is an offset or mask from the reading lane, not a lane. */
const OFFSET_READS = new Set(['subgroupShuffleXor', 'subgroupShuffleUp', 'subgroupShuffleDown']);

/** The names in `fn` of its @builtin(subgroup_size) parameter, of a helper's parameter its callers pass the size in
 *  (`subgroup_sum(v, sg_size)`: trial 159 A1), and the lets and consts computed from them. */
function subgroupSizeNames(fn: AstNode, p: Parsed): Set<string> {
  const sizes = builtinParams(fn, (b) => b === 'subgroup_size');
  for (const name of sizeParams(p).get(fn.name as string) ?? []) sizes.add(name);
  walk([fn], (n) => { if ((n.astNodeType === 'let' || n.astNodeType === 'const') && names(n.value as AstNode, sizes)) sizes.add(n.name as string); });
  return sizes;
}

/** Of each function of a module, the parameters a call passes a subgroup size in, through helpers to a fixed point. */
const sizeParamsOf = new WeakMap<Parsed, Map<string, Set<string>>>();
function sizeParams(p: Parsed): Map<string, Set<string>> {
  let out = sizeParamsOf.get(p);
  if (out) return out;
  out = new Map();
  sizeParamsOf.set(p, out);
  const fns = new Map(p.ast.filter((n) => n.astNodeType === 'function').map((f) => [f.name as string, f]));
  for (let grew = true; grew;) {
    grew = false;
    for (const f of fns.values()) {
      const sizes = subgroupSizeNames(f, p);
      walk([f], (n) => {
        const g = isCall(n) ? fns.get(n.name as string) : undefined;
        ((g?.args as AstNode[] | undefined) ?? []).forEach((param, k) => {
          const into = out!.get(g!.name as string) ?? new Set<string>();
          if (into.has(param.name as string) || !names((n.args as AstNode[] | undefined)?.[k], sizes)) return;
          out!.set(g!.name as string, into.add(param.name as string));
          grew = true;
        });
      });
    }
  }
  return out;
}

/** A `for` loop's own variable (`for (var off = 1u; off < 32u; off <<= 1u)`). */
interface ForVar {
  name: string;
  /** The literal start, and the literal its condition compares it with by `op`, where they are literals. */
  start?: number;
  bound?: number;
  op?: string;
  /** Every value the body sees, where start, bound and step (`off <<= 1u`, `i++`, `k = k / 2u`) are literals and the
   *  loop ends within 1024 steps. */
  values?: number[];
}

const STEPS: Record<string, (v: number, k: number) => number> = {
  '+': (v, k) => v + k, '-': (v, k) => v - k, '*': (v, k) => v * k, '/': (v, k) => Math.trunc(v / k), '<<': (v, k) => v * 2 ** k, '>>': (v, k) => Math.floor(v / 2 ** k),
};
const TESTS: Record<string, (v: number, b: number) => boolean> = { '<': (v, b) => v < b, '<=': (v, b) => v <= b, '>': (v, b) => v > b, '>=': (v, b) => v >= b, '!=': (v, b) => v !== b };

/** The variable a `for` node declares, with what its literals tell; undefined where its initializer is not a `var`. */
function forVar(p: Parsed, n: AstNode): ForVar | undefined {
  const init = n.init as AstNode | undefined;
  if (init?.astNodeType !== 'var') return undefined;
  const name = init.name as string;
  const cond = n.condition as AstNode | undefined;
  const compares = cond?.astNodeType === 'binaryOp' && (cond.left as AstNode).astNodeType === 'varExpr' && (cond.left as AstNode).name === name;
  const v: ForVar = { name, start: literalOf(p, init.value as AstNode), bound: compares ? literalOf(p, cond.right as AstNode) : undefined, op: compares ? (cond.operator as string) : undefined };
  // The step as an operator and a literal: `off <<= 1u`, `i++`, `k = k / 2u`.
  const u = n.increment as AstNode | undefined;
  const value = u?.value as AstNode | undefined;
  const step = u?.astNodeType === 'increment' ? [u.operator === '++' ? '+' : '-', 1] as const
    : u?.astNodeType === 'assign' && u.operator !== '=' ? [String(u.operator).slice(0, -1), literalOf(p, value)] as const
    : u?.astNodeType === 'assign' && value?.astNodeType === 'binaryOp' && (value.left as AstNode).astNodeType === 'varExpr' && (value.left as AstNode).name === name ? [value.operator as string, literalOf(p, value.right as AstNode)] as const
    : undefined;
  const next = step && STEPS[step[0]];
  const test = v.op && TESTS[v.op];
  if (v.start === undefined || v.bound === undefined || !next || !test || step![1] === undefined) return v;
  const values: number[] = [];
  for (let x = v.start; test(x, v.bound!); x = next(x, step![1]!)) {
    if (values.length === 1024) return v;
    values.push(x);
  }
  return { ...v, values };
}

/**
 * In a function that calls a subgroup builtin, the places that take the subgroup to have `lanes` lanes, SwiftShader's
 * one count (4), or at most 32, where WebGPU allows 4 to 128:
 * - a local index taken modulo the count, divided by it, masked with count − 1 or shifted by its log, written as a
 *   literal (`lid % 4u == 0u` to pick each subgroup's first lane, `partial[lid / 4u]`): right on 4 lanes, and every
 *   engine here has 4 or none (trials 64 and 66);
 * - a subgroupBallot read through fewer than its four words (`.x`, `[0]`, `.xy`, of the call or of a let holding it):
 *   lanes 32 to 127 are in .y, .z and .w (trial 65's count of lanes, trial 70's .x and .y);
 * - a loop of lane reads bounded by the count (`off < 4u`) or started at half of it, and the last lane as a literal
 *   (`subgroupBroadcast(x, 3u)`; trial 70);
 * - a tree of offsets 1, 2, ..., M, a loop's or literals', that joins 2M < 128 lanes (trial 70 A2, B1);
 * - in an entry point whose workgroup is not a multiple of 128 invocations, a lane read counted from subgroup_size:
 *   a wider subgroup's lanes past the workgroup's are inactive (trial 70 A5).
 * Advice, never a verdict: a `% 4u` may be a pixel's channel. Empty for code that does not parse.
 */
export function subgroupWidths(code: string, lanes: number): SubgroupWidth[] {
  if (!code.includes('subgroup')) return [];
  const p = parsedOrNone(code);
  if (!p) return [];
  const found: SubgroupWidth[] = [];
  let entries: ReflectedModule['entries'] | undefined;
  try {
    entries = reflect(code).entries;
  } catch {
    // A module reflect() cannot read: its compiler says why; no workgroup sizes to judge.
  }
  for (const fn of p.ast.filter((n) => n.astNodeType === 'function')) {
    let subgroups = false;
    walk([fn], (n) => (subgroups ||= isCall(n) && /^subgroup/.test(n.name as string)));
    if (!subgroups) continue;
    // The index builtins and lets that rename them (`let lid = lidv.x;`), not every value computed from them.
    const locals = builtinParams(fn, (b) => INVOCATION_BUILTINS.has(b) || b === 'subgroup_invocation_id');
    walk([fn], (n) => {
      const v = n.value as AstNode | undefined;
      if ((n.astNodeType === 'let' || n.astNodeType === 'const') && v?.astNodeType === 'varExpr' && locals.has(v.name as string)) locals.add(n.name as string);
    });
    const width = { '%': lanes, '/': lanes, '&': lanes - 1, '>>': Math.log2(lanes) } as Record<string, number>;
    walk([fn], (n) => {
      if (n.astNodeType !== 'binaryOp' || !(n.operator as string in width) || !names(n.left as AstNode, locals)) return;
      if (literalOf(p, n.right as AstNode) === width[n.operator as string]) found.push({ line: n.line as number, text: p.text(n), assumes: `takes ${lanes}, this adapter's subgroup size, for the lanes in a subgroup, if that is what it stands for`, rightFor: `of ${lanes} lanes`, advice: SIZE_ADVICE });
    });
    // Ballots by the name that holds them; which of the four words each is read through (4: the whole, or one not
    // known). Read through fewer than all four, never the last: right for 32 lanes a word (trials 65 and 70).
    const ballots = new Set<string>();
    const held = new Set<AstNode>();
    walk([fn], (n) => {
      if (n.astNodeType !== 'let' || !isCall(n.value as AstNode) || (n.value as AstNode).name !== 'subgroupBallot') return;
      ballots.add(n.name as string);
      held.add(n.value as AstNode);
    });
    const WORDS: Record<string, number> = { x: 0, y: 1, z: 2, w: 3, r: 0, g: 1, b: 2, a: 3 };
    const words = (n: AstNode): number[] => {
      const f = n.postfix as AstNode | undefined;
      if (!f) return [4];
      if (f.astNodeType === 'stringExpr') return [...String(f.value)].map((c) => WORDS[c] ?? 4);
      const i = literalOf(p, f.index as AstNode) ?? Number((f.index as { data?: ArrayLike<number> } | undefined)?.data?.[0]);
      return [Number.isInteger(i) && i >= 0 && i < 4 ? i : 4];
    };
    const reads = new Map<string, { first?: AstNode; top: number }>();
    walk([fn], (n) => {
      const key = isCall(n) && n.name === 'subgroupBallot' ? `call ${n.line}:${p.range(n)[0]}` : n.astNodeType === 'varExpr' && ballots.has(n.name as string) ? (n.name as string) : undefined;
      // The call a let holds is read through the let's name.
      if (!key || held.has(n)) return;
      const r = reads.get(key) ?? { top: -1 };
      const ws = words(n);
      r.top = Math.max(r.top, ...ws);
      if (ws.every((w) => w < 4)) r.first ??= n;
      reads.set(key, r);
    });
    // A lane read whose lanes stop at the count: a loop over offsets bounded by it (`off < 4u`) or started at half of
    // it (`off = 2u; ...; off >>= 1u`), the whole subgroup on 4 lanes and part of it on more (trial 70 A2); or a tree
    // of offsets 1, 2, ..., M (a loop's, or literals': `subgroupShuffleDown(acc, 2u)` then `1u`), which joins 2M lanes
    // where WebGPU allows 128 (trial 70 A2 and B1: `off < 32u` doubling from 1 stops at 16, a tree of 32).
    const sizes = subgroupSizeNames(fn, p);
    // The size capped by a literal below 128 (`min(sg_size, 32u)`): the lanes past it are left out on a wider subgroup,
    // which no engine here has (trial 159 A1: a butterfly over min(sg_size, 32u) passed with no note).
    walk([fn], (n) => {
      const args = isCall(n) && n.name === 'min' ? (n.args as AstNode[] | undefined) ?? [] : [];
      const cap = args.length === 2 && args.some((a) => names(a, sizes)) ? args.map((a) => literalOf(p, a)).find((k) => k !== undefined) : undefined;
      if (cap !== undefined && cap < 128) found.push({ line: n.line as number, text: p.text(n), assumes: `caps the subgroup size at ${cap}: on a subgroup of more lanes (WebGPU allows up to 128) the lanes past ${cap} are left out`, rightFor: `of ${cap} lanes or fewer`, advice: 'use the subgroup_size builtin uncapped' });
    });
    const tree = (offsets: number[]) => {
      const m = Math.max(...offsets);
      return offsets.length > 1 && m * 2 >= lanes && m * 2 < 128 && offsets.every((o, _, all) => o === 1 || all.includes(o / 2)) ? m * 2 : undefined;
    };
    const literalOffsets: { call: AstNode; offset: number }[] = [];
    let counted = false;
    walk([fn], (n) => {
      const v = n.astNodeType === 'for' ? forVar(p, n) : undefined;
      if (v && (names((n.init as AstNode).value as AstNode, sizes) || names(n.condition as AstNode, sizes))) sizes.add(v.name);
      let call: AstNode | undefined;
      if (v) walk(n.body as AstNode[], (m) => {
        const arg = (m.args as AstNode[] | undefined)?.[1];
        if (!call && isCall(m) && LANE_READS.has(m.name as string) && arg?.astNodeType === 'varExpr' && arg.name === v.name) call = m;
      });
      if (v && call) {
        const joins = OFFSET_READS.has(call.name as string) && v.values ? tree(v.values) : undefined;
        if ((v.bound === lanes && v.op === '<') || (v.start === lanes / 2 && v.op === '>') || joins === lanes) found.push({ line: n.line as number, text: p.text(n.condition as AstNode), assumes: `stops its lane reads (${p.text(call)}) at ${lanes}, this adapter's subgroup size, if that is what it stands for`, rightFor: `of ${lanes} lanes`, advice: SIZE_ADVICE, tree: true });
        else if (joins) found.push({ line: n.line as number, text: p.text(n.condition as AstNode), assumes: `takes offsets 1 to ${joins / 2} (${p.text(call)}), a tree that joins ${joins} lanes`, rightFor: `of ${joins} lanes or fewer`, advice: SIZE_ADVICE });
      }
      const arg = isCall(n) && LANE_READS.has(n.name as string) ? (n.args as AstNode[] | undefined)?.[1] : undefined;
      const offset = OFFSET_READS.has(n.name as string) ? literalOf(p, arg) : undefined;
      if (offset !== undefined) literalOffsets.push({ call: n, offset });
      counted ||= names(arg, sizes);
    });
    // Not where another lane read is counted from subgroup_size: the kernel sizes its tree itself.
    const joins = counted ? undefined : tree([...new Set(literalOffsets.map((o) => o.offset))]);
    if (joins) {
      const top = literalOffsets.find((o) => o.offset === joins / 2)!.call;
      found.push({ line: top.line as number, text: p.text(top), assumes: `and the offsets below it (1 to ${joins / 2}, as literals) ${joins === lanes ? `stop the lane reads at ${lanes}, this adapter's subgroup size, if that is what they stand for` : `make a tree that joins ${joins} lanes`}`, rightFor: joins === lanes ? `of ${lanes} lanes` : `of ${joins} lanes or fewer`, advice: SIZE_ADVICE, ...(joins === lanes ? { tree: true as const } : {}) });
    }
    // A workgroup that a subgroup of 128 lanes would not fill (64 invocations, or 96), in an entry point that reads
    // lanes counted from subgroup_size: on an adapter with wider subgroups the lanes past the workgroup's are inactive
    // and a read of one is indeterminate, while subgroup_size still counts them (trial 70 A5).
    // A size from overrides is judged at their defaults (trial 127 B1: `@workgroup_size(WG)`, `override WG = 64u`, got
    // no note where the literal 64 did); one without a default has no size to judge here.
    const size = entries?.get(fn.name as string);
    let ws: [number, number, number] | undefined;
    try {
      ws = size && workgroupSizeFor(code, fn.name as string);
    } catch {
      ws = undefined;
    }
    const invocations = ws ? ws[0] * ws[1] * ws[2] : 0;
    if (invocations % 128 !== 0) {
      let read: AstNode | undefined;
      walk([fn], (n) => { if (!read && isCall(n) && LANE_READS.has(n.name as string) && names((n.args as AstNode[] | undefined)?.[1], sizes)) read = n; });
      const fills = invocations & -invocations;
      if (read && fills >= lanes) found.push({ line: read.line as number, text: p.text(read), assumes: `reads lanes counted from subgroup_size in workgroups of ${invocations} invocations${size!.sizeFromOverrides ? ` (${size!.sizeNames.join(', ')} at ${size!.sizeNames.length > 1 ? 'their defaults' : 'its default'}, which the spec's constants may change: the same holds for any size not a multiple of 128)` : ''}: where a subgroup has more lanes than that, the lanes past them are inactive and what a read of one gives is indeterminate`, rightFor: `of ${fills} lanes or fewer`, advice: 'make the workgroup a multiple of 128 invocations, or keep the lanes read within it' });
    }
    walk([fn], (n) => {
      if (isCall(n) && (n.name === 'subgroupBroadcast' || n.name === 'subgroupShuffle') && literalOf(p, (n.args as AstNode[] | undefined)?.[1]) === lanes - 1) {
        found.push({ line: n.line as number, text: p.text(n), assumes: `takes lane ${lanes - 1} for the subgroup's last, if that is what it stands for`, rightFor: `of ${lanes} lanes`, advice: SIZE_ADVICE });
      }
    });
    for (const r of reads.values()) {
      if (!r.first || r.top >= 3) continue;
      const lanes32 = 32 * (r.top + 1);
      found.push({ line: r.first.line as number, text: p.text(r.first), assumes: `reads ${r.top === 0 ? 'the first word' : `the first ${r.top + 1} words`} of a subgroupBallot alone, lanes 0 to ${lanes32 - 1} (lanes ${lanes32} to 127 are in the ${['.y, .z and .w', '.z and .w', '.w'][r.top]})`, rightFor: `of ${lanes32} lanes or fewer`, advice: 'read every word of the ballot' });
    }
  }
  return found;
}

/** By lane count: two engines of one run may have subgroups of other sizes. */
const widthsByLanes = new Map<number, WeakMap<KernelProgram, string[]>>();

/** The notes for a kernel's subgroupWidths at this adapter's subgroup size, one per place, as `FILE:LINE: ...`. */
export const subgroupWidthNotes = (program: KernelProgram, lanes: number): string[] => notesOnce(widthsByLanes.get(lanes) ?? widthsByLanes.set(lanes, new WeakMap()).get(lanes)!, program, (code) => subgroupWidths(code, lanes), (file, w) =>
  w.tree && lanes === 4
    // Trial 115 B2: a butterfly of offsets 1 and 2 that goes on in workgroup memory was told to change.
    ? `${file}:${w.line}: '${w.text}' ${w.assumes}: a tree of 4 lanes stays inside every subgroup (4 is WebGPU's smallest), so it is right on every device where what follows combines its groups of 4 lanes, and wrong where it takes the tree's result for the whole subgroup's (every engine here has 4 lanes or no subgroups, so no run here can tell which; WebGPU allows 4 to 128: ${w.advice} for the latter)`
    : `${file}:${w.line}: '${w.text}' ${w.assumes}: right for subgroups ${w.rightFor}, and every engine here has ${lanes} lanes or no subgroups, so no run here can show otherwise; WebGPU allows 4 to 128 (${w.advice})`);

/** A subgroup builtin that takes another lane's value at a lane or offset known to reach past the subgroup. */
export interface LaneReach {
  line: number;
  /** The call as written. */
  text: string;
  builtin: string;
  /** The largest lane, mask or offset it takes that is known: a literal, or the `for` variable's literal start or
   *  bound. */
  reach: number;
}

/**
 * Every call of `code` to a LANE_READS builtin whose lane, mask or offset is `lanes` or more, by a literal or by a `for`
 * variable that starts at one (`for (var off = 16u; off > 0u; off >>= 1u) { v += subgroupShuffleXor(v, off); }`) or
 * is bounded by one (`for (var off = 1u; off < 32u; off <<= 1u) { v += subgroupShuffleDown(v, off); }`):
 * where the subgroup has `lanes` lanes the value read is indeterminate in WGSL. SwiftShader gives 0 there, so a
 * butterfly written for 32 lanes sums right on its 4 (trial 53's wrong twin passed on Dawn and Chromium). Empty for
 * code that does not parse.
 */
export function laneReaches(code: string, lanes: number): LaneReach[] {
  if (!code.includes('subgroup')) return [];
  const p = parsedOrNone(code);
  if (!p) return [];
  const found: LaneReach[] = [];
  for (const fn of p.ast.filter((n) => n.astNodeType === 'function')) {
    // The largest value each `for` variable takes, by the node that reads it: every value it takes where its start,
    // bound and step are literals (`off < 32u` doubling from 1: 16, trial 70 B1), else its literal start or the
    // largest value its literal bound lets through, whichever is larger. By loop, not by name: trial 54's kernel had
    // two loops of an `off`, and the second's start was taken for the first's. An inner loop of the same name comes
    // later and wins.
    const reachOfVar = new Map<AstNode, number>();
    walk([fn], (n) => {
      const v = n.astNodeType === 'for' ? forVar(p, n) : undefined;
      if (!v) return;
      const top = v.bound === undefined ? undefined : v.op === '<' ? v.bound - 1 : v.op === '<=' ? v.bound : undefined;
      const reach = v.values ? Math.max(...v.values) : v.start === undefined && top === undefined ? undefined : Math.max(v.start ?? 0, top ?? 0);
      if (reach !== undefined) walk(n.body as AstNode[], (m) => { if (m.astNodeType === 'varExpr' && !m.postfix && m.name === v.name) reachOfVar.set(m, reach); });
    });
    // A lane as a literal or such a variable, or a lane it sets a floor under: `lane ^ off`, `lane | off`, `lane + off`
    // (trial 70 B3's `i32(lane) ^ off`), through a conversion.
    const reachOf = (a: AstNode | undefined): number | undefined => {
      if (!a) return undefined;
      const known = literalOf(p, a) ?? reachOfVar.get(a);
      if (known !== undefined) return known;
      if (isCall(a) && ['u32', 'i32'].includes(a.name as string) && (a.args as AstNode[]).length === 1) return reachOf((a.args as AstNode[])[0]);
      if (a.astNodeType !== 'binaryOp' || !['^', '|', '+'].includes(a.operator as string)) return undefined;
      const sides = [reachOf(a.left as AstNode), reachOf(a.right as AstNode)].filter((r) => r !== undefined);
      return sides.length ? Math.max(...sides) : undefined;
    };
    // Where the kernel bounds the lane by the subgroup_size builtin (or a let of it), not said: a read under an `if`
    // on it, in a loop that leaves or skips by it (`if (off >= sg) { continue; }`) or whose condition names it, or
    // whose value is kept only by a select on it (`sm += select(0.0, o, off < sg)`, trial 70 B2).
    const sizes = subgroupSizeNames(fn, p);
    const guarded = new Set<AstNode>();
    const selected = new Set<AstNode>();
    const LOOPS = new Set(['for', 'while', 'loop']);
    const leaves = (body: AstNode[]) => body.some((s) => ['break', 'continue', 'return'].includes(s.astNodeType as string));
    walk([fn], (n) => {
      const body = n.body as AstNode[] | undefined;
      if (n.astNodeType === 'if' && names(n.condition as AstNode, sizes)) walk(body!, (m) => guarded.add(m));
      if (LOOPS.has(n.astNodeType as string) && (names(n.condition as AstNode, sizes) || body!.some((s) => s.astNodeType === 'if' && names(s.condition as AstNode, sizes) && leaves(s.body as AstNode[])))) walk(body!, (m) => guarded.add(m));
      const args = n.args as AstNode[] | undefined;
      if (isCall(n) && n.name === 'select' && names(args?.[2], sizes)) walk(args!.slice(0, 2), (m) => selected.add(m));
    });
    // A let of a lane read every use of which a select on the size keeps or drops.
    walk([fn], (n) => {
      if (n.astNodeType !== 'let' || !isCall(n.value as AstNode)) return;
      const uses: AstNode[] = [];
      walk([fn], (m) => { if (m.astNodeType === 'varExpr' && m.name === n.name) uses.push(m); });
      if (uses.length && uses.every((u) => selected.has(u))) guarded.add(n.value as AstNode);
    });
    walk([fn], (n) => {
      if (!isCall(n) || !LANE_READS.has(n.name as string) || guarded.has(n) || selected.has(n)) return;
      const reach = reachOf((n.args as AstNode[] | undefined)?.[1]);
      if (reach !== undefined && Number.isFinite(reach) && reach >= lanes) found.push({ line: n.line as number, text: p.text(n), builtin: n.name as string, reach });
    });
  }
  return found;
}

/** The notes for a kernel's laneReaches on an adapter whose subgroups have `lanes` lanes, one per place. `rewritten`:
 *  the engine takes each lane modulo the subgroup size (engines/lane-reads.ts), so a kernel that depends on a lane
 *  past the subgroup fails; else SwiftShader's 0 is all that is seen. */
export const laneReachNotes = (program: KernelProgram, lanes: number, rewritten = false): string[] => Object.entries(program.sources).flatMap(([file, code]) =>
  laneReaches(code, lanes).map((r) => `${program.origins[file] ?? file}:${r.line}: ${r.text} reads lane or offset ${r.reach}, past this adapter's subgroups of ${lanes} lanes, where WGSL leaves the value indeterminate` +
    (rewritten
      ? ': kernelscope gives it a value outside the range of the subgroup\'s values there (SwiftShader\'s own is 0), so a kernel that depends on it fails here'
      : ' (SwiftShader gives 0), so a pass here does not show the kernel right on any subgroup size') +
    // A broadcast's lane must be a const-expression, which subgroup_size is not (trial 70 B4).
    (r.builtin === 'subgroupBroadcast' ? '; a broadcast\'s lane must be a constant: for a lane counted from the subgroup\'s size write subgroupShuffle(v, sg_size - 1u) (docs/writing-a-kernel.md, Pitfalls)' : '; bound the lane by subgroup_size (docs/writing-a-kernel.md, Pitfalls)')));

/** A loop that waits on another workgroup: it leaves only once an atomicLoad of storage sees a value that some other
 *  invocation stores (a decoupled look-back's flag). */
export interface SpinWait {
  /** 1-based line of the loop. */
  line: number;
  /** The storage variable whose atomicLoad the loop's exit waits on. */
  variable: string;
}

const LOOPS = new Set(['loop', 'while', 'for']);
const ATOMIC_UPDATES = /^atomic(CompareExchangeWeak|Add|Sub|Max|Min|And|Or|Xor|Exchange)$/;

/** Whether a call reads an atomic: atomicLoad, a compare-exchange whose new value is its compare value, or an update
 *  whose literal operand changes nothing (`atomicOr(&flag, 0u)`, trial 42's spin; `atomicAdd(&g, 0u)`, CUDA's coherent
 *  read, trial 123 A2; `atomicAnd(&x, 0xffffffffu)`, `atomicMin(&x, 0xffffffffu)`). atomicMax with 0 counts, though it clamps an i32's negative values: the word's type is not known here, and a max
 *  with 0 is read as one by those who write it. The interpreter's schedule (early-loads.ts) knows the type. */
export function atomicRead(m: AstNode): boolean {
  if (!isCall(m)) return false;
  if (m.name === 'atomicLoad') return true;
  const args = (m.args as AstNode[] | undefined) ?? [];
  // A compare-exchange that stores what it compares with (`atomicCompareExchangeWeak(&st[k], 0u, 0u).old_value`, trial
  // 123 A4's wait) changes nothing either way.
  if (m.name === 'atomicCompareExchangeWeak') return sameOperand(args[1], args[2]);
  const operand = args[1];
  if (operand?.astNodeType !== 'literalExpr') return false;
  const v = Number((operand.value as { value?: unknown })?.value ?? operand.value);
  return /^atomic(Or|Add|Sub|Xor|Max)$/.test(m.name as string) ? v === 0 : m.name === 'atomicAnd' ? (v >>> 0) === 0xffffffff : m.name === 'atomicMin' && v === 0xffffffff;
}

/** Whether two operands are the same literal or the same plain name. */
function sameOperand(a: AstNode | undefined, b: AstNode | undefined): boolean {
  if (!a || !b || a.astNodeType !== b.astNodeType || a.postfix || b.postfix) return false;
  if (a.astNodeType === 'varExpr') return a.name === b.name;
  const value = (n: AstNode) => Number((n.value as { value?: unknown })?.value ?? n.value);
  return a.astNodeType === 'literalExpr' && value(a) === value(b) && !Number.isNaN(value(a));
}

/**
 * Every `loop`, `while` or `for` of `code` whose exit (its condition, or an `if` around a `break`, a `break if`)
 * depends on an atomicLoad of a var<storage>, directly or through lets and vars assigned from one. Such a loop spins
 * until another workgroup stores: WebGPU promises no forward progress between workgroups, and Mesa's llvmpipe ends an
 * invocation's loops after 65,535 iterations with no error, so on Deno and Firefox here the wait may fall through with
 * what it had (trial 39's correct look-back scan, one block's prefix 0, now and then; engines/loop-limit.ts now tells
 * such a case, which is not judged). A compare-exchange retry loop is not one:
 * its exit depends on its own update, which some invocation always wins. Empty for code that does not parse.
 */
/** Whether a statement holds a `continue` of the loop it is in (not of a loop inside it). */
function continues(st: AstNode): boolean {
  if (!st || typeof st !== 'object' || LOOPS.has(st.astNodeType as string)) return false;
  return st.astNodeType === 'continue' || children(st).some(continues);
}

/** The first parameter of a function of `code` that is a pointer into workgroup, storage or uniform memory, which WGSL
 *  allows only with the language extension unrestricted_pointer_parameters (§"Function Declarations": otherwise a
 *  pointer parameter is of the function or private address space), which naga (Firefox, Deno) does not have: such a
 *  kernel does not compile there. Undefined where there is none or the code does not parse. */
export function restrictedPointerParameter(code: string): { name: string; space: string } | undefined {
  if (!code.includes('ptr')) return undefined;
  for (const fn of parsedOrNone(code)?.ast.filter((n) => n.astNodeType === 'function') ?? []) {
    for (const arg of (fn.args as AstNode[] | undefined) ?? []) {
      const t = arg.type as { name?: string; storage?: string } | undefined;
      if (t?.name === 'ptr' && ['workgroup', 'storage', 'uniform'].includes(t.storage ?? '')) return { name: arg.name as string, space: t.storage! };
    }
  }
  return undefined;
}

export function spinWaits(code: string): SpinWait[] {
  if (!code.includes('atomic')) return [];
  const p = parsedOrNone(code);
  if (!p) return [];
  // Storage by the name the code reads it through: a module-scope var<storage>, and a helper's parameter of type
  // ptr<storage, ...> as the variable its callers pass (`fn waitFor(f: ptr<storage, atomic<u32>, read_write>)` called
  // with `&flags[j]` reads 'flags'), or as itself where no call says.
  const storage = new Map<string, string>(p.ast.filter((n) => n.astNodeType === 'var' && n.storage === 'storage').map((n) => [n.name as string, n.name as string]));
  for (const fn of p.ast.filter((n) => n.astNodeType === 'function')) {
    ((fn.args as AstNode[] | undefined) ?? []).forEach((arg, k) => {
      const t = arg.type as { name?: string; storage?: string } | undefined;
      if (t?.name !== 'ptr' || t.storage !== 'storage') return;
      let passed: string | undefined;
      walk(p.ast, (m) => {
        if (isCall(m) && m.name === fn.name) passed ??= storage.get(rootName(((m.args as AstNode[] | undefined) ?? [])[k]) ?? '');
      });
      storage.set(arg.name as string, passed ?? (arg.name as string));
    });
  }
  // A let that holds a pointer into storage reads it too (`let fp = &st[w - 1u]; ... atomicLoad(fp)`: trial 123 A4).
  walk(p.ast, (n) => {
    const v = n.value as AstNode | undefined;
    const root = n.astNodeType === 'let' && v?.astNodeType === 'unaryOp' && v.operator === '&' ? storage.get(rootName(v) ?? '') : undefined;
    if (root && !storage.has(n.name as string)) storage.set(n.name as string, root);
  });
  const storageIn = (args: unknown) => {
    let v: string | undefined;
    walk((args as AstNode[] | undefined) ?? [], (a) => {
      if (a.astNodeType === 'varExpr' && storage.has(a.name as string)) v ??= storage.get(a.name as string);
    });
    return v;
  };
  const readOf = (m: AstNode): string | undefined => (atomicRead(m) ? storageIn(m.args) : undefined);
  // Functions that return what they read of a storage atomic (a helper `fn flag(i: u32) -> u32 { return atomicLoad(...); }`).
  const readers = new Map<string, string>();
  for (const fn of p.ast.filter((n) => n.astNodeType === 'function')) {
    walk([fn], (n) => {
      if (n.astNodeType !== 'return' || !n.value) return;
      walk([n.value as AstNode], (m) => {
        const v = readOf(m);
        if (v && !readers.has(fn.name as string)) readers.set(fn.name as string, v);
      });
    });
  }
  // The storage variable a read under `n` reads, or a tainted name's; none under an atomic update's result, nor a
  // read whose arguments name one of `walkers` (it reads another place each time round).
  const waitedOn = (n: AstNode | undefined, tainted: Map<string, string>, walkers = new Set<string>()): string | undefined => {
    let found: string | undefined;
    let update = false;
    const walks = (m: AstNode) => {
      let hit = false;
      walk((m.args as AstNode[] | undefined) ?? [], (a) => (hit ||= a.astNodeType === 'varExpr' && walkers.has(a.name as string)));
      return hit;
    };
    if (n) walk([n], (m) => {
      const any = readOf(m) ?? (isCall(m) ? readers.get(m.name as string) : undefined);
      const read = any && !walks(m) ? any : undefined;
      if (read) found ??= read;
      else if (isCall(m) && ATOMIC_UPDATES.test(m.name as string)) update = true;
      if (m.astNodeType === 'varExpr' && tainted.has(m.name as string)) found ??= tainted.get(m.name as string);
    });
    return update ? undefined : found;
  };
  const found: SpinWait[] = [];
  walk(p.ast, (loop) => {
    if (!LOOPS.has(loop.astNodeType)) return;
    // Names that hold a loaded value: `let f = atomicLoad(&flags[j]); let st = f >> 30u;`, to a fixed point; and the
    // loop's counters, assigned something else (`i++`, `j -= 1u`).
    const tainted = new Map<string, string>();
    const counters = new Set<string>();
    // Names the loop changes every time round (a statement of its body itself, of its continuing block, or its for's
    // increment: not under an if): a read indexed by one is a walk over the atomics, such as a hash table's probe,
    // not a wait on one (trial 45's lookup had the note). A look-back moves on only once the flag it waits on is set,
    // under an if, so it stays a wait.
    // A change the body makes only after a `continue` that may skip it (`if (f == 0u) { continue; } ... j -= 1u;`, the
    // usual look-back: trial 96's passed the interpreter unjudged-as-a-wait) leaves the read to repeat: not a walker.
    // A continuing block's and a for's increment run on a continue too.
    const walkers = new Set<string>();
    const continuing = (loop.continuing as AstNode | undefined)?.body as AstNode[] | undefined;
    const targetOf = (st: AstNode | undefined) => (st && (st.astNodeType === 'increment' || st.astNodeType === 'assign') ? (st.variable as AstNode | undefined)?.name as string | undefined : undefined);
    let skippable = false;
    for (const st of (loop.body as AstNode[] | undefined) ?? []) {
      const target = targetOf(st);
      if (target && !skippable) walkers.add(target);
      skippable ||= !target && continues(st);
    }
    for (const st of [...(continuing ?? []), loop.increment as AstNode | undefined]) {
      const target = targetOf(st);
      if (target) walkers.add(target);
    }
    for (let grew = true; grew;) {
      grew = false;
      walk([loop], (n) => {
        if (n.astNodeType === 'increment') counters.add((n.variable as AstNode | undefined)?.name as string);
        const target = n.astNodeType === 'let' || n.astNodeType === 'var' ? n.name as string
          : n.astNodeType === 'assign' ? ((n.variable as AstNode | undefined)?.name as string | undefined) : undefined;
        // Under an if on a loaded value, every assignment carries it: a cooperative look-back's `if (f != 0u) { done
        // = 1u; }`, read back through workgroupUniformLoad(&done) to leave the loop (trial 122 A1).
        if (n.astNodeType === 'if') {
          const v = waitedOn(n.condition as AstNode | undefined, tainted, walkers);
          if (v) walk([...((n.body as AstNode[] | undefined) ?? []), ...((n.elseif as AstNode[] | undefined) ?? []), ...((n.else as AstNode[] | undefined) ?? [])], (m) => {
            const t = targetOf(m);
            if (t && !tainted.has(t)) (tainted.set(t, v), (grew = true));
          });
        }
        if (!target || tainted.has(target)) return;
        const v = waitedOn(n.value as AstNode | undefined, tainted, walkers);
        if (v) {
          tainted.set(target, v);
          grew = true;
        } else if (n.astNodeType === 'assign') counters.add(target);
      });
    }
    // An exit that counts (`i < atomicLoad(&n)`) is bounded by its counter, not a wait (trial 42's).
    const exitWaits = (c: AstNode | undefined) => {
      let counts = false;
      if (c) walk([c], (m) => (counts ||= m.astNodeType === 'varExpr' && counters.has(m.name as string) && !tainted.has(m.name as string)));
      return counts ? undefined : waitedOn(c, tainted, walkers);
    };
    let variable = exitWaits(loop.condition as AstNode | undefined);
    walk([loop], (n) => {
      // `break if C;` in a continuing block is a break with its condition.
      if (!variable && n.astNodeType === 'break' && n.condition) variable = exitWaits(n.condition as AstNode);
      if (variable || n.astNodeType !== 'if') return;
      // An if that breaks out on a loaded value, or goes round again on one (`if (f == 0u) { continue; }`).
      let jumps = false;
      // A helper's wait leaves by `return` (trial 42's `fn waitFor(...) -> u32 { loop { ... return v; } }`).
      walk((n.body as AstNode[] | undefined) ?? [], (b) => (jumps ||= b.astNodeType === 'break' || b.astNodeType === 'continue' || b.astNodeType === 'return'));
      if (jumps) variable = exitWaits(n.condition as AstNode | undefined);
    });
    // A loop that updates the atomic it reads is a retry (a capped compare-exchange), which some invocation wins.
    let retries = false;
    if (variable) walk([loop], (m) => (retries ||= isCall(m) && ATOMIC_UPDATES.test(m.name as string) && !readOf(m) && storageIn(m.args) === variable));
    if (variable && !retries) found.push({ line: loop.line, variable });
  });
  return found;
}

/** The names of a module's var<storage> declarations. */
const storageVars = (p: Parsed) => new Set(p.ast.filter((n) => n.astNodeType === 'var' && n.storage === 'storage').map((n) => n.name as string));

/** The loads that only seed a compare-exchange loop's expected value (`var old = atomicLoad(&w); loop { let r =
 *  atomicCompareExchangeWeak(&w, old, ...); ... old = r.old_value; }`): a stale value costs a retry, not a result
 *  (trial 112 B2: such a load was named beside an out-of-bounds failure). */
function casSeeds(p: Parsed): Set<AstNode> {
  const expected = new Set<string>();
  walk(p.ast, (m) => {
    const args = isCall(m) && m.name === 'atomicCompareExchangeWeak' ? (m.args as AstNode[] | undefined) ?? [] : [];
    if (args[1]?.astNodeType === 'varExpr') expected.add(`${rootName(args[0])}:${args[1].name as string}`);
  });
  const seeds = new Set<AstNode>();
  walk(p.ast, (n) => {
    const target = n.astNodeType === 'let' || n.astNodeType === 'var' ? (n.name as string) : n.astNodeType === 'assign' ? rootName(n.variable as AstNode) : undefined;
    const v = n.value as AstNode | undefined;
    if (target && v && atomicRead(v) && expected.has(`${rootName(((v.args as AstNode[] | undefined) ?? [])[0])}:${target}`)) seeds.add(v);
  });
  return seeds;
}

/**
 * The first atomic read (atomicRead: an atomicLoad, or an update that changes nothing) of each module-scope
 * var<storage> that an atomic write of the module (atomicStore or a read-modify-write) changes too, outside a spin
 * wait (spinWaits): a word another workgroup of the dispatch may have written. The interpreter takes the schedule in which such a load, by a workgroup that has not touched the word,
 * reads it as the dispatch found it (early-loads.ts), as WGSL's relaxed atomics allow; a "last block done" reduction
 * whose last workgroup reads the others' partials with atomicLoad failed there, "never written", with nothing said
 * (trial 80 B1). A load that only seeds a compare-exchange loop is left out. Empty for code that does not parse.
 */
export function storageAtomicLoads(code: string): { variable: string; line: number; builtin: string }[] {
  const p = parsedOrNone(code);
  if (!p) return [];
  const storage = storageVars(p);
  const written = new Set<string>();
  walk(p.ast, (m) => {
    const root = isCall(m) && (m.name === 'atomicStore' || ATOMIC_UPDATES.test(m.name as string)) && !atomicRead(m) ? rootName(((m.args as AstNode[] | undefined) ?? [])[0]) : undefined;
    if (root && storage.has(root)) written.add(root);
  });
  const spins = new Set(spinWaits(code).map((s) => s.variable));
  const seeds = casSeeds(p);
  const found = new Map<string, { line: number; builtin: string }>();
  walk(p.ast, (m) => {
    const root = atomicRead(m) && !seeds.has(m) ? rootName(((m.args as AstNode[] | undefined) ?? [])[0]) : undefined;
    if (root && written.has(root) && !spins.has(root) && !found.has(root)) found.set(root, { line: m.line as number, builtin: m.name as string });
  });
  return [...found].map(([variable, l]) => ({ variable, ...l }));
}

/**
 * The atomicLoads of a module-scope var<storage> that follow, in a function's source order, an atomic update of the
 * same variable with only workgroupBarrier()s between them (one at least, no storageBarrier()): the load reads the
 * word with nothing ordering the workgroup's other invocations' updates before it, since a workgroupBarrier orders
 * workgroup memory only (trial 99 A2: counts of atomicAdds loaded after one). Empty for code that does not parse.
 */
export function loadsPastWorkgroupBarrier(code: string): { variable: string; line: number }[] {
  if (!code.includes('atomicLoad') || !code.includes('workgroupBarrier')) return [];
  const p = parsedOrNone(code);
  if (!p) return [];
  const storage = storageVars(p);
  const found = new Map<string, number>();
  for (const fn of p.ast.filter((n) => n.astNodeType === 'function')) {
    /** Per variable updated so far: whether a workgroupBarrier, and whether a storageBarrier, came after its update. */
    const since = new Map<string, { workgroup: boolean; storage: boolean }>();
    walk([fn], (m) => {
      if (!isCall(m)) return;
      if (m.name === 'workgroupBarrier' || m.name === 'storageBarrier') {
        for (const b of since.values()) b[m.name === 'workgroupBarrier' ? 'workgroup' : 'storage'] = true;
        return;
      }
      const root = rootName(((m.args as AstNode[] | undefined) ?? [])[0]);
      if (!root || !storage.has(root)) return;
      if (m.name === 'atomicStore' || ATOMIC_UPDATES.test(m.name as string)) since.set(root, { workgroup: false, storage: false });
      else if (m.name === 'atomicLoad') {
        const b = since.get(root);
        if (b?.workgroup && !b.storage && !found.has(root)) found.set(root, m.line as number);
      }
    });
  }
  return [...found].map(([variable, line]) => ({ variable, line }));
}

/** Where a node of an entry point's walk (walkInlined) is: the word a pointer expression names, through the helpers'
 *  pointer parameters; whether a loop holds it; and the entry point's line that reaches it. */
interface InlinedAt {
  wordOf: (e: AstNode | undefined) => string | undefined;
  inLoop: boolean;
  line: number;
}

/**
 * Calls `on` for every node of compute entry point `entry` in the order it runs, children before their parent (a
 * call's arguments before the call: trial 175 B1), and each function it calls inlined after the call's arguments, its
 * pointer parameters bound to the variables the call passes (`bump(&bins[b])`: trial 172 B4, 174 B1). Recursion is cut.
 */
function walkInlined(p: Parsed, entry: AstNode, on: (n: AstNode, at: InlinedAt) => void): void {
  const fns = new Map(p.ast.filter((f) => f.astNodeType === 'function').map((f) => [f.name as string, f]));
  const visit = (nodes: AstNode[], inLoop: boolean, bound: Map<string, string>, at: number | undefined, stack: string[]): void => {
    const wordOf = (e: AstNode | undefined) => {
      const r = addressBase(e);
      return r && (bound.get(r) ?? r);
    };
    for (const n of nodes) {
      const line = at ?? (n.line as number);
      visit(children(n), inLoop || n.astNodeType === 'loop' || n.astNodeType === 'while' || n.astNodeType === 'for', bound, at, stack);
      on(n, { wordOf, inLoop, line });
      const callee = isCall(n) ? fns.get(n.name as string) : undefined;
      if (callee && !stack.includes(n.name as string)) {
        const passed = new Map<string, string>();
        ((callee.args as AstNode[] | undefined) ?? []).forEach((param, k) => {
          const w = wordOf(((n.args as AstNode[] | undefined) ?? [])[k]);
          if (w) passed.set(param.name as string, w);
        });
        visit((callee.body as AstNode[] | undefined) ?? [], false, passed, line, [...stack, n.name as string]);
      }
    }
  };
  visit((entry.body as AstNode[] | undefined) ?? [], false, new Map(), undefined, [entry.name as string]);
}

/** The names of a module's var<workgroup> declarations, as storageVars has its var<storage>s. */
const workgroupVars = (p: Parsed) => new Set(p.ast.filter((n) => n.astNodeType === 'var' && n.storage === 'workgroup').map((n) => n.name as string));

/** The names of `code`'s module-scope var<workgroup> declarations; none for code that does not parse. */
export function workgroupVariables(code: string): Set<string> {
  const p = parsedOrNone(code);
  return p ? workgroupVars(p) : new Set();
}

type TypeNode = { name?: string; format?: TypeNode; members?: { type?: TypeNode }[] } | undefined;
const holdsAtomicType = (t: TypeNode): boolean => !!t && (t.name === 'atomic' || holdsAtomicType(t.format) || !!t.members?.some((m) => holdsAtomicType(m.type)));

/** The names of `code`'s var<workgroup> declarations that hold an atomic: one, an array of them, or a struct with one
 *  among its members (trial 203 B2: `var<workgroup> acc: Acc` was not one); none for code that does not parse. */
export function workgroupAtomicVariables(code: string): Set<string> {
  const p = parsedOrNone(code);
  return new Set((p?.ast ?? []).filter((n) => n.astNodeType === 'var' && n.storage === 'workgroup' && holdsAtomicType(n.type as TypeNode)).map((n) => n.name as string));
}

/** The `if`s of `fn` that one invocation of a workgroup passes: the local_invocation_index (or a component of
 *  local_invocation_id) against a literal (`lid == 0u`; trial 176 B1: `(lid & 15u) == 15u` is passed by several). */
function leaderIfs(fn: AstNode): AstNode[] {
  const locals = builtinParams(fn, (b) => b === 'local_invocation_index' || b === 'local_invocation_id');
  const isLocal = (a: AstNode | undefined) => a?.astNodeType === 'varExpr' && locals.has(a.name as string) && (!a.postfix || (a.postfix as AstNode).astNodeType === 'stringExpr');
  const out: AstNode[] = [];
  walk([fn], (n) => {
    const c = n.condition as AstNode | undefined;
    if (n.astNodeType === 'if' && c?.astNodeType === 'binaryOp' && c.operator === '=='
      && [[c.left, c.right], [c.right, c.left]].some(([a, b]) => (b as AstNode)?.astNodeType === 'literalExpr' && isLocal(a as AstNode))) out.push(n);
  });
  return out;
}

/**
 * The accesses of a module-scope var<workgroup> atomic that follow, in an entry point's source order, a write of the
 * same variable with no workgroupBarrier() (nor workgroupUniformLoad) between them (walkInlined: in the entry point or a function it calls):
 * - `kind: 'load'`: an atomicLoad after an update (an atomic read-modify-write or store): it may read the word before
 *   the workgroup's other invocations' updates of it (trial 165 B3: a histogram's private bins, filled by
 *   compare-exchange loops in a helper, flushed with no barrier after, failed on values alone);
 * - `kind: 'update'`: a read-modify-write after an atomicStore: another invocation's update may land before the store
 *   and be erased (trial 179 B2: bins reset with no barrier before the counting, named on the interpreter alone).
 * Atomics never race, so no-data-race on a GPU engine sees neither. Empty for code that does not parse.
 */
export function workgroupAtomicsBeforeBarrier(code: string): { kind: 'load' | 'update'; variable: string; line: number; after: number }[] {
  if (!code.includes('atomic') || !code.includes('workgroup')) return [];
  const p = parsedOrNone(code);
  if (!p) return [];
  const shared = workgroupVars(p);
  if (!shared.size) return [];
  const seeds = casSeeds(p);
  const found: { kind: 'load' | 'update'; variable: string; line: number; after: number }[] = [];
  for (const entry of computeEntries(p)) {
    /** Per variable written since the last barrier: the entry point's lines of those writes; and of a store. */
    const since = new Map<string, number[]>();
    const stored = new Map<string, number>();
    // A load after a write, both in one invocation's block (`if (lid == 63u)`), is ordered by program order; the
    // others' writes are what it needs a barrier from (trial 205 B2: lane 63's load after its own update was named).
    const spans = leaderIfs(entry).map((n) => {
      let [lo, hi] = [Infinity, -Infinity];
      walk((n.body as AstNode[] | undefined) ?? [], (m) => {
        if (typeof m.line === 'number') [lo, hi] = [Math.min(lo, m.line), Math.max(hi, m.line)];
      });
      return [lo, hi];
    });
    const alone = (a: number, b: number) => spans.some(([lo, hi]) => lo! <= a && a <= hi! && lo! <= b && b <= hi!);
    // Loads since the last barrier, for a write after them in another branch of one `if`, which other invocations
    // take at the same time (trial 208 B3: a load in the `if`, the update in its `else`, was named only the other way).
    const loads = new Map<string, { line: number; at: number }[]>();
    const written = (root: string, line: number) => {
      since.set(root, [...(since.get(root) ?? []), line]);
      const load = (loads.get(root) ?? []).find((l) => oppositeBranches(code, l.at, line));
      if (load && !found.some((f) => f.variable === root && f.kind === 'load')) found.push({ kind: 'load', variable: root, line: load.line, after: line });
    };
    walkInlined(p, entry, (m, { wordOf, line }) => {
      if (!isCall(m)) return;
      const word = wordOf(((m.args as AstNode[] | undefined) ?? [])[0]);
      const root = word && shared.has(word) ? word : undefined;
      const once = (kind: 'load' | 'update') => !found.some((f) => f.variable === root && f.kind === kind);
      // workgroupUniformLoad is a workgroup barrier too (WGSL §"workgroupUniformLoad": a control barrier before and
      // after the load, ordering workgroup memory; trial 181 B1 was told to add a workgroupBarrier() beside one).
      if (m.name === 'workgroupBarrier' || m.name === 'workgroupUniformLoad') {
        since.clear();
        stored.clear();
        loads.clear();
      } else if (!root) return;
      else if (m.name === 'atomicLoad') {
        const after = (since.get(root) ?? []).filter((w) => !alone(w, line)).pop();
        if (after !== undefined && !seeds.has(m) && once('load')) found.push({ kind: 'load', variable: root, line: m.line as number, after });
        if (!seeds.has(m)) loads.set(root, [...(loads.get(root) ?? []), { line: m.line as number, at: line }]);
      } else if (m.name === 'atomicStore') {
        written(root, line);
        stored.set(root, line);
      } else if (ATOMIC_UPDATES.test(m.name as string)) {
        if (stored.has(root) && stored.get(root) !== line && once('update')) found.push({ kind: 'update', variable: root, line, after: stored.get(root)! });
        written(root, line);
      }
    });
  }
  return found;
}

/** The barriers, and workgroupUniformLoad, which WGSL requires in uniform control flow (§"Uniformity Analysis"). */
const BARRIERS = new Set(['workgroupBarrier', 'storageBarrier', 'textureBarrier', 'workgroupUniformLoad']);

/** Whether `code` reads module-scope variable `name` anywhere: any use but as the target of a plain assignment
 *  (`visible[slot] = id`) or an atomicStore's pointer. True for code that does not parse (a read is not ruled out). */
export function readsVariable(code: string, name: string): boolean {
  const p = parsedOrNone(code);
  if (!p) return true;
  const fns = new Map(p.ast.filter((n) => n.astNodeType === 'function').map((f) => [f.name as string, f]));
  // `&name` handed to a function of the module that only writes through that parameter (`push(&list, slot, i)`,
  // trial 151 B2) reads nothing of it either.
  const onlyWrites = (fn: AstNode, k: number, seen: Set<AstNode>): boolean => {
    const param = ((fn.args as AstNode[] | undefined) ?? [])[k]?.name as string | undefined;
    if (!param || seen.has(fn)) return false;
    seen.add(fn);
    return !usesOf(fn.body as AstNode[], param, seen);
  };
  /** Whether `nodes` use `v` other than as a written target (a let or call taking it on counts as a use). */
  const usesOf = (nodes: AstNode[], v: string, seen: Set<AstNode>): boolean => {
    const targets = new Set<AstNode>();
    let used = false;
    walk(nodes, (n) => {
      if (n.astNodeType === 'assign' && n.operator === '=') {
        // The target's base, not the indices in it (`(*l)[s]`: s is read, l written through).
        const root = addressRoot(n.variable as AstNode);
        if (root) targets.add(root);
      }
      if (isCall(n)) {
        ((n.args as AstNode[] | undefined) ?? []).forEach((a, k) => {
          const base = addressRoot(a);
          if (!base || base.name !== v || (a !== base && !(a.astNodeType === 'unaryOp' && a.operator === '&' && a.right === base))) return;
          // arrayLength(&name) reads its length, none of its elements (trial 182 B3: a flat output bounded by it).
          if ((n.name === 'atomicStore' || n.name === 'arrayLength') && k === 0) targets.add(base);
          else if (fns.has(n.name as string) && onlyWrites(fns.get(n.name as string)!, k, seen)) targets.add(base);
        });
      }
    });
    walk(nodes, (n) => (used ||= n.astNodeType === 'varExpr' && n.name === v && !targets.has(n)));
    return used;
  };
  return usesOf(p.ast, name, new Set());
}

/** Whether `code` calls a barrier or workgroupUniformLoad; false for code that does not parse. */
export function callsBarrier(code: string): boolean {
  const p = parsedOrNone(code);
  return !!p && walkFinds({ astNodeType: 'block', body: p.ast } as unknown as AstNode, (n) => isCall(n) && BARRIERS.has(n.name as string));
}

/** A barrier in non-uniform control flow: its line and call (a barrier, or a function of `code` that calls one), the
 *  condition on the invocation's id, and how the barrier depends on it: inside its `if`, `switch` or loop, or after a
 *  `return` (or, in a loop, a `break` or `continue`) under it. */
export interface NonUniformBarrier {
  line: number;
  call: string;
  condition: string;
  how: 'under' | 'after return' | 'after break' | 'pointer';
  /** Why the condition differs between invocations: the name or call it reads, and where that name got it
   *  (uniformity.ts varyingIn's `why`). */
  because?: string;
}

/**
 * Each barrier (or workgroupUniformLoad) of a function of `code` in non-uniform control flow, as WGSL's uniformity
 * analysis refuses it: inside an `if`, `switch` or loop whose condition reads the invocation's id
 * (local_invocation_index, local_invocation_id, global_invocation_id, subgroup_invocation_id), directly or through the
 * function's lets and vars of it (not past a plain assignment of a uniform value that every path to the condition
 * passes: `readsFrom`'s `at`, trial 129 A1); or after a `return` under such a condition (the rest of the function), or
 * after a `break` or `continue` under one (the rest of that loop, every iteration); a call of a function of the module that
 * holds a barrier counts as one there. Tint (Dawn, Chromium) refuses them; naga (Firefox, Deno) compiled `if (lid <
 * 1000u) { workgroupBarrier(); }` (trial 82 A1) and a blur's `if (gx >= w) { return; }` before its barrier (trial 83
 * A1), and they passed every property there. Only the sure cases: a barrier in a helper is found at its call. Empty
 * for code that does not parse.
 */
export function nonUniformBarriers(code: string): NonUniformBarrier[] {
  if (!/Barrier|workgroupUniformLoad|subgroup|quad/.test(code)) return [];
  const p = parsedOrNone(code);
  if (!p) return [];
  const fns = new Map(p.ast.filter((n) => n.astNodeType === 'function').map((f) => [f.name as string, f]));
  // Two passes: the barriers, in workgroup-uniform control flow, where subgroup_id differs; then the subgroup
  // operations, in subgroup-uniform control flow, where it does not (Tint: trial 145 A5).
  let isBarrier = callsInto(p, (name) => BARRIERS.has(name));
  const found: NonUniformBarrier[] = [];
  const seen = new Set<AstNode>();
  const report = (nodes: AstNode[], condition: string, how: NonUniformBarrier['how']) => walk(nodes, (m) => {
    if (!isBarrier(m) || seen.has(m)) return;
    seen.add(m);
    found.push({ line: m.line as number, call: m.name as string, condition, how, ...(reasons.get(condition) ? { because: reasons.get(condition)! } : {}) });
  });
  /** Why each condition found (by its text) differs between invocations, for the function being scanned. */
  let reasons = new Map<string, string | undefined>();
  const LOOPS = ['for', 'while', 'loop'];
  const list = (n: AstNode | undefined, key: string) => ((n?.[key] as AstNode[] | undefined) ?? []);
  // A `diagnostic(off, subgroup_uniformity)` (or warning, info) anywhere, on the module, a function or a statement,
  // turns the subgroup rule off there; Tint honours it (trial 149 A1). Read from the tokens, and taken for the whole
  // module: the check says only the sure cases.
  const t = p.tokens.map((x) => x.lexeme);
  const subgroupRuleOff = t.some((x, i) => x === 'diagnostic' && t[i + 1] === '(' && t[i + 2] !== 'error' && t[i + 3] === ',' && t[i + 4] === 'subgroup_uniformity');
  const passes = subgroupRuleOff ? ['workgroup' as const] : ['workgroup' as const, 'subgroup' as const];
  for (const [scope, fn] of passes.flatMap((scope) => [...fns.values()].map((f) => [scope, f] as const))) {
    if (scope === 'subgroup') isBarrier = callsInto(p, (name) => SUBGROUP_OPERATION.test(name));
    const own = builtinParams(fn, (b) => INVOCATION_BUILTINS.has(b) || b === 'subgroup_invocation_id' || (scope === 'workgroup' && b === 'subgroup_id'), p);
    // None is no exemption: an atomic's result differs too (trial 141 A5's last-workgroup ticket in `fn main()`).
    const a = varyingIn(p, fn, own);
    reasons = new Map();
    const varying = (n: AstNode | undefined, at: AstNode) => {
      if (!a.reads(n, at)) return false;
      const text = p.text(n!);
      if (!reasons.has(text)) reasons.set(text, a.why(n, at));
      return true;
    };
    // Whether `nodes` hold a `return`, or a `break`/`continue` of the loop they are in (not of a loop, or for a
    // break a switch, inside them).
    const exits = (nodes: AstNode[], kind: 'return' | 'break'): boolean => nodes.some((n) => {
      if (!n || typeof n !== 'object') return false;
      if (kind === 'return' ? n.astNodeType === 'return' : n.astNodeType === 'break' || n.astNodeType === 'continue') return true;
      if (kind === 'break' && (LOOPS.includes(n.astNodeType as string) || n.astNodeType === 'switch')) {
        // A continue in a switch continues the loop around it; its break leaves the switch.
        return n.astNodeType === 'switch' && hasContinue(list(n, 'cases'));
      }
      return exits(children(n), kind);
    });
    const hasContinue = (nodes: AstNode[]): boolean => nodes.some((n) => n && typeof n === 'object' && !LOOPS.includes(n.astNodeType as string) && (n.astNodeType === 'continue' || hasContinue(children(n))));
    /** The statements `stmts` in order; `taint` once control is non-uniform for the rest of them. Returns the
     *  condition of a non-uniform return met, for the rest of the enclosing lists, and of a non-uniform break or
     *  continue of the loop the list is in. */
    const scan = (stmts: AstNode[], taint?: { condition: string; how: NonUniformBarrier['how'] }): { ret?: string; brk?: string } => {
      let ret: string | undefined;
      let brk: string | undefined;
      // A bare block's statements run in line with the list's (wgsl_reflect keeps it as a list in the list).
      for (const st of (stmts as unknown[]).flat(Infinity) as AstNode[]) {
        if (!st || typeof st !== 'object') continue;
        if (taint) {
          report([st], taint.condition, taint.how);
          continue;
        }
        // workgroupUniformLoad's pointer must be uniform too (trial 139: `workgroupUniformLoad(&t[lid])`, which Tint
        // rejects): in this statement's own expressions, its branches being scanned on their own.
        const own = (n: AstNode) => {
          if (isCall(n) && n.name === 'workgroupUniformLoad' && !seen.has(n) && varying((n.args as AstNode[] | undefined)?.[0], st)) {
            seen.add(n);
            const condition = p.text((n.args as AstNode[])[0]!);
            found.push({ line: n.line as number, call: n.name as string, condition, how: 'pointer', ...(reasons.get(condition) ? { because: reasons.get(condition)! } : {}) });
          }
          // The right of `&&` or `||` runs only where the left allows: a barrier there is under the left (trial 143 A4).
          if (n.astNodeType === 'binaryOp' && (n.operator === '&&' || n.operator === '||') && varying(n.left as AstNode, st)) report([n.right as AstNode], p.text(n.left as AstNode), 'under');
          for (const [k, c] of Object.entries(n)) {
            if (['body', 'else', 'elseif', 'cases', 'continuing'].includes(k)) continue;
            for (const x of Array.isArray(c) ? c : [c]) if (x && typeof x === 'object' && typeof (x as AstNode).astNodeType === 'string') own(x as AstNode);
          }
        };
        own(st);
        const condition = ['if', 'switch', 'for', 'while'].includes(st.astNodeType as string) ? (st.condition as AstNode | undefined) : undefined;
        // `break if` on the id, in a loop's continuing block (trial 135 A3): the loop's next iteration is non-uniform.
        if (st.astNodeType === 'break' && st.condition && varying(st.condition as AstNode, st)) {
          brk ??= p.text(st.condition as AstNode);
          taint = { condition: brk, how: 'after break' };
          continue;
        }
        if (condition && varying(condition, st)) {
          const text = p.text(condition);
          report([...list(st, 'body'), ...list(st, 'else'), ...list(st, 'elseif'), ...list(st, 'cases'), ...(LOOPS.includes(st.astNodeType as string) ? [st.continuing as AstNode] : [])].filter(Boolean), text, 'under');
          if (exits([st], 'return')) ret ??= text;
          // A break in a switch leaves the switch; a continue there, the loop's iteration.
          else if (st.astNodeType === 'switch' ? hasContinue(list(st, 'cases')) : !LOOPS.includes(st.astNodeType as string) && exits(children(st), 'break')) brk ??= text;
        } else if (LOOPS.includes(st.astNodeType as string)) {
          const body = [...list(st, 'body'), ...(st.continuing ? [st.continuing as AstNode] : [])];
          const r = scan(body);
          // Control left non-uniform in one iteration is non-uniform in the next: the whole body.
          const again = r.ret ?? r.brk;
          if (again) scan(body, { condition: again, how: r.ret ? 'after return' : 'after break' });
          ret ??= r.ret;
        } else {
          // A uniform if, switch or block: each branch alone, as WGSL's analysis takes them; from an `else if` whose
          // condition is on the id, that branch and those after it are under that condition.
          const elseifs = list(st, 'elseif');
          const first = elseifs.findIndex((e) => varying(e.condition as AstNode, st));
          if (first >= 0) {
            const text = p.text(elseifs[first]!.condition as AstNode);
            const after = [...elseifs.slice(first).flatMap((e) => list(e, 'body')), ...list(st, 'else')];
            report(after, text, 'under');
            if (exits(after, 'return')) ret ??= text;
            else if (exits(after, 'break')) brk ??= text;
          }
          for (const branch of [list(st, 'body'), ...elseifs.slice(0, first >= 0 ? first : undefined).map((e) => list(e, 'body')), ...(first >= 0 ? [] : [list(st, 'else')]), ...list(st, 'cases').map((c) => list(c, 'body'))]) {
            if (!branch.length) continue;
            const r = scan(branch);
            ret ??= r.ret;
            // Past a switch, only a continue in it leaves the loop's iteration (its breaks leave the switch).
            if (st.astNodeType !== 'switch' || hasContinue(branch)) brk ??= r.brk;
          }
        }
        if (ret) taint = { condition: ret, how: 'after return' };
        else if (brk) taint = { condition: brk, how: 'after break' };
      }
      return { ...(ret ? { ret } : {}), ...(brk ? { brk } : {}) };
    };
    scan(list(fn, 'body'));
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The module-scope variables of `code` that an atomic read-modify-write (atomicAdd, atomicCompareExchangeWeak, ...)
 *  updates: where a lost update can be, which an atomicStore and atomicLoad alone cannot lose (trial 42's clear pass
 *  and read got the lost-update note). Empty for code that does not parse. */
export function updatedAtomics(code: string): Set<string> {
  const out = new Set<string>();
  const p = parsedOrNone(code);
  if (!p) return out;
  const roots = pointerRoots(p);
  for (const fn of p.ast.filter((n) => n.astNodeType === 'function')) {
    walk([fn], (m) => {
      if (!isCall(m) || !ATOMIC_UPDATES.test(m.name as string)) return;
      for (const root of roots(fn, ((m.args as AstNode[] | undefined) ?? [])[0])) out.add(root);
    });
  }
  return out;
}

/**
 * The module-scope variables an expression of function `fn` names: its root, or, for a pointer parameter, what the
 * callers pass it (`add(&rho[k], v)` makes `p` of `fn add(p: ptr<storage, atomic<u32>, read_write>, v: f32)` rho),
 * through helpers that pass it on (trial 136 B1, B2: a lost update and an atomic update through such a helper went
 * unnamed).
 */
/** The variable an address names (parse.ts addressRoot). */
const addressBase = (e: AstNode | undefined): string | undefined => addressRoot(e)?.name as string | undefined;

function pointerRoots(p: Parsed): (fn: AstNode, e: AstNode | undefined) => string[] {
  const fns = new Map(p.ast.filter((n) => n.astNodeType === 'function').map((f) => [f.name as string, f]));
  const passed = new Map<string, Set<string>>();
  const isPointer = (fn: AstNode, name: string) => ((fn.args as AstNode[] | undefined) ?? []).some((a) => a.name === name && /^ptr\b/.test(String((a.type as { name?: string } | undefined)?.name ?? '')));
  const of = (fn: AstNode, e: AstNode | undefined): string[] => {
    const root = addressBase(e);
    if (!root) return [];
    return isPointer(fn, root) ? [...(passed.get(`${fn.name as string}:${root}`) ?? [])] : [root];
  };
  for (let grew = true; grew;) {
    grew = false;
    for (const caller of fns.values()) {
      walk([caller], (m) => {
        const callee = isCall(m) ? fns.get(m.name as string) : undefined;
        if (!callee) return;
        ((m.args as AstNode[] | undefined) ?? []).forEach((a, k) => {
          const param = ((callee.args as AstNode[] | undefined) ?? [])[k]?.name as string | undefined;
          if (!param || !isPointer(callee, param)) return;
          const key = `${callee.name as string}:${param}`;
          const set = passed.get(key) ?? new Set<string>();
          for (const r of of(caller, a)) if (!set.has(r)) (set.add(r), (grew = true));
          passed.set(key, set);
        });
      });
    }
  }
  return of;
}

/** An atomic read, then a store to the same variable of a value computed from it, in one function: an update that is
 *  not one (two invocations that read the same value both store, and one's update is lost). */
export interface LoadThenStore {
  /** The module-scope variable. */
  variable: string;
  loadLine: number;
  storeLine: number;
  /** Whether the store is under an `if` that tests the load (a check-then-set: `if (atomicLoad(&seen[v]) == 0u) {
   *  atomicStore(&seen[v], 1u); }`), rather than of a value computed from it. */
  tested?: boolean;
  /** Of a tested store of a literal: the line of the first other statement under the `if`, which two invocations
   *  that both pass the test both run (the store itself loses nothing). */
  guards?: number;
  /** The read-modify-write that reads the word where it is not an atomicLoad (atomicRead: a compare-exchange of equal
   *  operands, an atomicAdd of 0), so that the cause names what the kernel calls (trial 216 B3). */
  reader?: string;
}

/**
 * Each atomicCompareExchangeWeak of `code` whose result's `exchanged` is never read (a call as a statement, a let of
 * it read only for `old_value`, or never): where another invocation's update lands between its load and it, it stores
 * nothing, and that update is lost (trial 165 B4: a float sum by one compare-exchange, no retry, passed on Dawn with no
 * word). By line and the variable it updates; empty for code that does not parse.
 */
export function unretriedExchanges(code: string): { line: number; variable: string }[] {
  if (!code.includes('atomicCompareExchangeWeak')) return [];
  const p = parsedOrNone(code);
  if (!p) return [];
  const found: { line: number; variable: string }[] = [];
  const roots = pointerRoots(p);
  for (const fn of p.ast.filter((n) => n.astNodeType === 'function')) {
    // Names read for `.exchanged`, or for `.old_value` (a loop that retries until the word holds what it wants, a
    // float max's `cur = r.old_value` with its own exit test, trial 178 B2), and calls read so directly.
    const readsExchanged = new Set<string>();
    const direct = new Set<AstNode>();
    walk([fn], (n) => {
      const f = n.postfix as AstNode | undefined;
      if (f?.astNodeType !== 'stringExpr' || (f.value !== 'exchanged' && f.value !== 'old_value')) return;
      if (n.astNodeType === 'varExpr') readsExchanged.add(n.name as string);
      else direct.add(n);
    });
    const held = new Map<AstNode, string>();
    walk([fn], (n) => {
      const v = n.value as AstNode | undefined;
      if ((n.astNodeType === 'let' || n.astNodeType === 'var') && v && isCall(v) && v.name === 'atomicCompareExchangeWeak') held.set(v, n.name as string);
    });
    // A compare-exchange in a loop that reads the word again (`loop { let cur = atomicLoad(p); if (done(cur)) { break; }
    // atomicCompareExchangeWeak(p, cur, next(cur)); }`, an f32 max, trial 196 B2): the loop's own test retries it.
    const retried = new Set<AstNode>();
    // A loop with no break is not one (a loop over elements that tries each once).
    walk([fn], (l) => {
      if (!LOOPS.has(l.astNodeType as string) || !walkFinds(l, (m) => m.astNodeType === 'break')) return;
      const reads = new Set<string>();
      const exchanges: AstNode[] = [];
      walk([l], (m) => {
        const target = isCall(m) ? ((m.args as AstNode[] | undefined) ?? [])[0] : undefined;
        if (target && m.name === 'atomicCompareExchangeWeak') exchanges.push(m);
        else if (target && atomicRead(m)) reads.add(p.text(target));
      });
      for (const x of exchanges) if (reads.has(p.text(((x.args as AstNode[] | undefined) ?? [])[0]!))) retried.add(x);
    });
    walk([fn], (n) => {
      if (!isCall(n) || n.name !== 'atomicCompareExchangeWeak' || direct.has(n) || retried.has(n)) return;
      const name = held.get(n);
      // Held by a let or var and never read for .exchanged, or called as a statement, its result dropped; one inside
      // another expression (an argument, `.old_value` alone) is left alone.
      if (name !== undefined ? readsExchanged.has(name) : n.astNodeType !== 'call') return;
      // The variable by the name its callers pass a helper's pointer as (`&total` for `p`).
      const target = ((n.args as AstNode[] | undefined) ?? [])[0];
      found.push({ line: n.line as number, variable: roots(fn, target).join(', ') || (rootName(target) ?? '?') });
    });
  }
  return found;
}

/** An unretried exchange (unretriedExchanges) as a sentence, at `file`. */
export const unretriedExchangeText = (file: string, f: { line: number; variable: string }) =>
  `${file}:${f.line} never reads atomicCompareExchangeWeak's .exchanged: where another invocation's update of ${f.variable} lands first, it stores nothing and that update is lost (retry until .exchanged)`;

/**
 * Where `code` takes a lock made of atomics: a compare-exchange of one literal for another (`atomicCompareExchangeWeak(
 * &lock[0], 0u, 1u)`), or an exchange of a literal compared with a literal inside a loop (`while (atomicExchange(&lock,
 * 1u) != 0u) {}`), that something releases (stores the free value back), by line. WGSL's atomics are relaxed (§"Memory Model": no acquire or release), so such a lock orders nothing: the next
 * holder may load a word before the last holder's store to it is seen (trial 165 B2: a lock-guarded float accumulator
 * was told of two invocations loading the same value, which the lock looked to rule out). A float add's compare-exchange
 * loop stores a computed value, never a literal, and is no lock.
 */
export function atomicLocks(code: string): number[] {
  return atomicClaims(code).filter((c) => c.released).map((c) => c.line);
}

/** A node's kind and source range: the same in any parse of the same code. */
export function nodeKey(p: Parsed, n: AstNode): string {
  try {
    return `${n.astNodeType}@${p.range(n).join('-')}`;
  } catch {
    return `${n.astNodeType}@line ${n.line}`; // a node wgsl_reflect gives no place (a parameter): none asked for
  }
}

/** Each compare-exchange of one literal for another, and each exchange of a literal compared with a literal in a loop,
 *  by line: a claim of a word (a lock's acquire where something releases it, atomicLocks; a one-shot claim where not).
 *  It moves no float, whatever the file bitcasts (trial 172 B3: a claim of one writer per row called "float atomics"). */
export function atomicClaims(code: string): { line: number; released: boolean; guards: Set<string> }[] {
  if (!code.includes('atomic')) return [];
  const p = parsedOrNone(code);
  if (!p) return [];
  const literal = (n: AstNode | undefined) => n?.astNodeType === 'literalExpr';
  // A literal's value, whatever its spelling: `0`, `0u`, `0x0u` (trial 174 B1: `0` released a lock taken by `0u`).
  const valueOf = (n: AstNode | undefined) => (literal(n) ? Number(p.text(n!).replace(/[iuf]$/, '')) : NaN);
  const args = (n: AstNode) => (n.args as AstNode[] | undefined) ?? [];
  // An exchange whose old value is only compared with a literal: a float add by two exchanges (trial 118 A2) keeps
  // the old value it takes out, and is no lock.
  const testedExchange = (n: AstNode | undefined) => !!n && isCall(n) && n.name === 'atomicExchange' && literal(args(n)[1]);
  const claims = new Set<number>();
  const locks = new Set<number>();
  // Per lock, the nodes its entry points run between taking it and releasing it (walkInlined's order): what it guards,
  // by nodeKey, which another parse of the same code gives alike.
  const guards = new Map<number, Set<string>>();
  // An acquire (its word, the value that means free and the value it takes) is a lock where the same entry point
  // brings the word back to free after it, by a store or exchange of the free value or a subtraction of what was
  // taken, in a helper too (trial 172 B3: a one-shot claim, a compare-exchange of 0u for 1u that nothing resets but a
  // clear before it, was called a lock).
  for (const entry of computeEntries(p)) {
    const held: { line: number; variable?: string; free: number; taken: number; from: number }[] = [];
    const order: AstNode[] = [];
    walkInlined(p, entry, (n, { wordOf, inLoop }) => {
      order.push(n);
      if (isCall(n) && n.name === 'atomicCompareExchangeWeak' && literal(args(n)[1]) && literal(args(n)[2]) && !sameOperand(args(n)[1], args(n)[2])) {
        held.push({ line: n.line as number, variable: wordOf(args(n)[0]), free: valueOf(args(n)[1]), taken: valueOf(args(n)[2]), from: order.length });
        claims.add(n.line as number);
      }
      if (inLoop && n.astNodeType === 'binaryOp' && (n.operator === '==' || n.operator === '!=')) {
        for (const [side, other] of [[n.left, n.right], [n.right, n.left]] as [AstNode, AstNode][]) {
          if (!testedExchange(side) || !literal(other)) continue;
          held.push({ line: side.line as number, variable: wordOf(args(side)[0]), free: valueOf(other), taken: valueOf(args(side)[1]), from: order.length });
          claims.add(side.line as number);
        }
      }
      if (isCall(n) && ['atomicStore', 'atomicExchange', 'atomicSub'].includes(n.name as string) && args(n)[1]) {
        const [variable, value] = [wordOf(args(n)[0]), valueOf(args(n)[1])];
        for (const h of held) {
          if (h.variable !== variable || (n.name === 'atomicSub' ? value !== h.taken - h.free : value !== h.free)) continue;
          locks.add(h.line);
          const g = guards.get(h.line) ?? new Set<string>();
          for (const m of order.slice(h.from, -1)) g.add(nodeKey(p, m));
          guards.set(h.line, g);
        }
      }
    });
  }
  return [...claims].sort((a, b) => a - b).map((line) => ({ line, released: locks.has(line), guards: guards.get(line) ?? new Set() }));
}

/** What a load then a store of `variable` (an atomic of buffer or variable `name`) does wrong, as a clause after its
 *  place: "loads an atomic of seen and then ...: use ...". */
export function loadThenStoreCause(f: LoadThenStore, name: string): string {
  if (f.guards !== undefined) return `${loadThenStoreRead(f, name)} and sets it under a test of what it loaded, which is no claim: two invocations that both load the value the test wants both pass it, and both run what it guards (line ${f.guards}); take the word with atomicExchange, or atomicCompareExchangeWeak, and act only where its old value shows that this invocation changed it`;
  return `${loadThenStoreRead(f, name)} and then stores to it on the strength of what it loaded (${f.tested ? 'under a test of it' : 'a value computed from it, or beside a store of it elsewhere'}), which is not one update: two invocations that load the same value both store, and one's update is lost; use atomicAdd, or atomicCompareExchangeWeak to store only where the word still holds what was loaded, retried with its old_value until it succeeds (for a float, a loop of it on the bits): an atomicExchange in the store's place is a store all the same`;
}

/** How a load-then-store reads its word: "loads an atomic of NAME", or "reads an atomic of NAME by an
 *  atomicCompareExchangeWeak that changes nothing". */
export const loadThenStoreRead = (f: LoadThenStore, name: string): string =>
  (f.reader ? `reads an atomic of ${name} by an ${f.reader} that changes nothing` : `loads an atomic of ${name}`);

/** Where it is, `FILE:LOAD-STORE`, or `FILE:LINE` where both are on one line. */
export const loadThenStorePlace = (file: string, f: LoadThenStore) => `${file}:${f.loadLine}${f.storeLine === f.loadLine ? '' : `-${f.storeLine}`}`;

/** Whether expression `e` has one value for every invocation: literals, consts, overrides, and type constructors and
 *  operators of them (`1u`, `VISITED`, `u32(1)`, `FLAG | 2u`). */
export function constantIn(p: Parsed, e: AstNode): boolean {
  const overrides = new Set(p.ast.filter((n) => n.astNodeType === 'override').map((n) => n.name as string));
  return !walkFinds(e, (m) => !(['literalExpr', 'constExpr', 'createExpr', 'binaryOp', 'unaryOp', 'typecastExpr', 'bitcastExpr'].includes(m.astNodeType as string)
    || (m.astNodeType === 'varExpr' && overrides.has(m.name as string)) || m.astNodeType === 'type' || m.astNodeType === 'templateType'));
}

/** Whether every write of `variable` in function `fn` (an atomicStore or a read-modify-write) is an atomicStore of the
 *  value written `value`. */
const onlyStoreOf = (p: Parsed, fn: AstNode, variable: string, value: string): boolean => !walkFinds(fn, (m) => {
  if (!isCall(m) || !(m.name === 'atomicStore' || ATOMIC_UPDATES.test(m.name as string))) return false;
  const args = (m.args as AstNode[] | undefined) ?? [];
  return addressBase(args[0]) === variable && (m.name !== 'atomicStore' || !args[1] || p.text(args[1]) !== value);
});

/** `name:i32` and `name:u32` for each module-scope variable of `code` that is an atomic or an array of them (a struct's
 *  atomics are not followed): the order a max or a clamp compares its words in. */
export const atomicTypes = foundByText<string>('atomic<', (p, out) => {
  for (const d of p.ast) {
    let t = d.type as AstNode | undefined;
    while (t?.name === 'array') t = t.format as AstNode | undefined;
    const scalar = (t?.format as AstNode | undefined)?.name;
    if (d.astNodeType === 'var' && t?.name === 'atomic' && (scalar === 'i32' || scalar === 'u32')) out.add(`${d.name as string}:${scalar}`);
  }
});

/** Where node `n` starts in the source (wgsl_reflect gives a name no span of its own); -1 where it has no place. */
function offsetOf(p: Parsed, n: AstNode): number {
  try {
    return p.range(n)[0];
  } catch {
    return -1;
  }
}

/**
 * A function's let and var declarations by name, each with what it holds (undefined: nothing followed). A name used at
 * an offset means the declaration whose scope holds it (parse.ts declarations: to the end of its compound statement),
 * so sibling blocks that reuse a name (two unrolled loops' `old` and `r`, trial 193 A4, B2) are told apart, and so is
 * a nested declaration whose block ended before the use (trial 216 A1: an inner `let v` in braces was taken for the
 * `v` read after them).
 */
class Declared<T> {
  private values = new Map<string, T | undefined>();
  private scopes: ReturnType<typeof declarations>;
  constructor(private p: Parsed, fn: AstNode, valueOf: (n: AstNode) => T | undefined) {
    this.scopes = declarations(p, fn);
    walk([fn], (n) => {
      const key = n.astNodeType === 'let' || n.astNodeType === 'var' ? this.scopes.of(n) : undefined;
      if (key !== undefined) this.values.set(key, valueOf(n));
    });
  }

  /** The key of the declaration in force at `at` (a node: its start), if a let or var. */
  key(name: string, at: AstNode): string | undefined {
    const k = this.scopes.at(name, offsetOf(this.p, at));
    return k !== undefined && this.values.has(k) ? k : undefined;
  }

  /** What `name` holds where it is used at `at` (a varExpr: itself). */
  get(name: string, at: AstNode): T | undefined {
    const k = this.key(name, at);
    return k === undefined ? undefined : this.values.get(k);
  }

  /** The declaration in force at `at` holds nothing followed from there on (an assignment of something else). */
  drop(name: string, at: AstNode): void {
    const k = this.key(name, at);
    if (k !== undefined) this.values.set(k, undefined);
  }
}

/**
 * What an expression of `fn` holds where it is the word just after the invocation's own atomicMax of it: the max's
 * address as written and its line. `max(old, v)` or `max(v, old)` with `old` a let of `atomicMax(&W, v)`, or the
 * call itself in its place; a let holding such a value; a helper's result whose one return is such a value of its
 * pointer parameter (`fn raise(p, v) -> u32 { return max(atomicMax(p, v), v); }`, trial 212 A2), at the caller's
 * address. `v` must hold at the test what the max was given: a var assigned between the two is not (trial 212 A1:
 * `v = min(v, cap)` made the test `old > cap`), nor a module variable another invocation may write.
 */
function ownMaxes(p: Parsed, fn: AstNode, depth = 0): (e: AstNode) => { at: string; line: number; steady: boolean } | undefined {
  const args = (n: AstNode) => (n.args as AstNode[] | undefined) ?? [];
  const lets = new Declared<AstNode>(p, fn, (n) => (n.astNodeType === 'let' ? n.value as AstNode | undefined : undefined));
  const params = new Set(((fn.args as AstNode[] | undefined) ?? []).map((a) => a.name as string));
  // Each function's writes by name, at their offsets: assignments, increments, and addresses taken (-1: a write
  // through the pointer may come anywhere).
  const writes = new Map<AstNode, [string, number][]>();
  for (const g of p.ast.filter((n) => n.astNodeType === 'function')) {
    const list: [string, number][] = [];
    walk([g], (n) => {
      const target = n.astNodeType === 'assign' || n.astNodeType === 'increment' ? rootName(n.variable as AstNode)
        : n.astNodeType === 'unaryOp' && n.operator === '&' ? rootName(n.right as AstNode) : undefined;
      if (target !== undefined) list.push([target, n.astNodeType === 'unaryOp' ? -1 : offsetOf(p, n)]);
    });
    writes.set(g, list);
  }
  const mine = writes.get(fn) ?? [];
  const between = (name: string, from: number, to: number) => mine.some(([v, at]) => v === name && (at < 0 || (at > from && at <= to)));
  const elsewhere = (name: string) => [...writes].some(([g, list]) => g !== fn && list.some(([v]) => v === name));
  const modules = new Map(p.ast.filter((n) => n.astNodeType === 'var').map((n) => [n.name as string, n]));
  // Every name `x` reads holds where it is read what it held at the max `max`: the same declaration (a shadowing let
  // is another, trial 214 A2), a let, or a var or parameter nothing writes between, on the same line too, or through a
  // pointer (trial 216 B1: `*v = ...` in a helper of pointer parameter v); a var<private> as a function's var, that no
  // other function writes; a var<workgroup> or read_write storage that nothing in the module writes (trial 214 A1: a
  // var<private> and a read_write input were taken for what other invocations write).
  const steady = (x: AstNode, max: AstNode) => !walkFinds(x, (m) => {
    if (m.astNodeType !== 'varExpr') return false;
    const name = m.name as string;
    const d = lets.key(name, m);
    if (d !== lets.key(name, max)) return true;
    if (d !== undefined ? lets.get(name, m) === undefined : params.has(name)) return between(name, offsetOf(p, max), offsetOf(p, m));
    if (d !== undefined) return false;
    const v = modules.get(name);
    if (!v || v.storage === 'uniform' || (v.storage === 'storage' && (v.access ?? 'read') === 'read')) return false;
    return v.storage === 'private' ? between(name, offsetOf(p, max), offsetOf(p, m)) || elsewhere(name) : between(name, -Infinity, Infinity) || elsewhere(name);
  });
  const maxCall = (m: AstNode | undefined) => (m && isCall(m) && m.name === 'atomicMax' && !m.postfix && args(m).length === 2 ? m : undefined);
  const of = (e: AstNode): { at: string; line: number; steady: boolean } | undefined => {
    if (e.postfix) return undefined;
    if (e.astNodeType === 'varExpr') {
      const v = lets.get(e.name as string, e);
      return v ? of(v) : undefined;
    }
    if (!isCall(e)) return undefined;
    if (e.name === 'max' && args(e).length === 2) {
      const [a, b] = args(e) as [AstNode, AstNode];
      const side = (r: AstNode, x: AstNode) => {
        const m = maxCall(r) ?? (r.astNodeType === 'varExpr' && !r.postfix ? maxCall(lets.get(r.name as string, r)) : undefined);
        return m && p.text(args(m)[1]!) === p.text(x) ? { at: p.text(args(m)[0]!), line: m.line as number, steady: steady(x, m) } : undefined;
      };
      return side(a, b) ?? side(b, a);
    }
    // A helper of one return, its pointer parameter mapped to the caller's address.
    const callee = depth < 4 ? p.ast.find((f) => f.astNodeType === 'function' && f.name === e.name) : undefined;
    const returns: AstNode[] = [];
    walk((callee?.body as AstNode[] | undefined) ?? [], (m) => { if (m.astNodeType === 'return') returns.push(m); });
    const inner = callee && returns.length === 1 && returns[0]!.value ? ownMaxes(p, callee, depth + 1)(returns[0]!.value as AstNode) : undefined;
    if (!inner) return undefined;
    const k = ((callee!.args as AstNode[] | undefined) ?? []).findIndex((a) => a.name === inner.at);
    return k >= 0 && args(e)[k] ? { ...inner, at: p.text(args(e)[k]!) } : undefined;
  };
  return of;
}

/**
 * Finds the lines of `code`'s clamps: an atomicStore of a value E to a word, under an `if` that found the word at E or past
 * it by a read of the same word as written (`var old = atomicLoad(&bins[b]); loop { if (old >= cap) {
 * atomicStore(&bins[b], cap); break; } ... old = r.old_value; }`, a saturating compare-exchange loop's stop; `>`, `==`,
 * the read on either side; the read held in a var that only reads of the word assign, or a compare-exchange's
 * `.old_value`; or `!(READ < E)`, `READ + 1 > E`; any of those `&&` another test). An update that raises the word to E at most (a compare-exchange or
 * atomicMax) cannot land between that read and the store: the word was at E or past it and no such update lowers it.
 * So the store erases none of those (trial 188 A5: a saturating histogram run by every invocation was called a lost
 * update); of one past E, lost-updates.ts judges.
 * Which updates a word has is the caller's to judge: lost-updates.ts by the values, loadThenStores by the builtins.
 * Cached by text; none for code that does not parse.
 */
const clampFinder = (kind: 'any' | 'past' | 'ownMax' | 'maxOld') => foundByText<string>('atomicStore', (p, out) => {
  const equality = kind === 'any';
  const args = (n: AstNode) => (n.args as AstNode[] | undefined) ?? [];
  const atomicCall = (m: AstNode) => isCall(m) && (m.name as string).startsWith('atomic');
  for (const fn of p.ast.filter((n) => n.astNodeType === 'function')) {
    // Names holding a read of a word, by its address as written: a value (an atomic read), or a compare-exchange's
    // result (read for `.old_value`; one of equal operands too, a read in all but name: trial 205 A1). A var that
    // anything else assigns holds no read.
    // A compare-exchange of equal operands read for its `.old_value` at once is a plain read (trial 205 A1's
    // `let seen = atomicCompareExchangeWeak(&w, 0u, 0u).old_value;`).
    const oldValueRead = (e: AstNode | undefined) => {
      const f = e?.postfix as AstNode | undefined;
      return !!e && isCall(e) && e.name === 'atomicCompareExchangeWeak' && atomicRead(e) && f?.astNodeType === 'stringExpr' && f.value === 'old_value' && !f.postfix;
    };
    const reads = new Declared<{ at: string; exchange: boolean }>(p, fn, (n) => {
      const v = n.value as AstNode | undefined;
      if (oldValueRead(v)) return { at: p.text(args(v!)[0]!), exchange: false };
      if (!v || !isCall(v) || v.postfix) return undefined;
      return atomicRead(v) || v.name === 'atomicCompareExchangeWeak' ? { at: p.text(args(v)[0]!), exchange: v.name === 'atomicCompareExchangeWeak' } : undefined;
    });
    const held = (e: AstNode) => reads.get(e.name as string, e);
    const oldValueOf = (e: AstNode | undefined) => {
      const f = e?.postfix as AstNode | undefined;
      const r = e?.astNodeType === 'varExpr' ? held(e) : undefined;
      return r?.exchange && f?.astNodeType === 'stringExpr' && f.value === 'old_value' && !f.postfix ? r.at : undefined;
    };
    const valueRead = (e: AstNode | undefined) => (e && isCall(e) && atomicRead(e) && (!e.postfix || oldValueRead(e)) ? p.text(args(e)[0]!) : oldValueOf(e));
    // `max(old, v)` where `old = atomicMax(&W, v)`: the word as that max left it, a read in all but name (trial 211
    // A2; ownMaxes). `detail`, of the read the test was last found to use: that max's line ('ownMax'), or why the
    // test holds what atomicMax returned ('maxOld').
    let detail: string | undefined;
    const ownMax = ownMaxes(p, fn);
    const afterMax = (e: AstNode | undefined): string | undefined => {
      const found = e && ownMax(e);
      if (found?.steady) detail = String(found.line);
      return found?.steady ? found.at : undefined;
    };
    const maxes = new Declared<{ at: string; line: number }>(p, fn, (n) => {
      const v = n.value as AstNode | undefined;
      return n.astNodeType === 'let' && v && isCall(v) && v.name === 'atomicMax' && !v.postfix && args(v).length === 2 ? { at: p.text(args(v)[0]!), line: v.line as number } : undefined;
    });
    walk([fn], (n) => {
      const name = n.astNodeType === 'assign' ? rootName(n.variable as AstNode) : undefined;
      const r = name !== undefined ? reads.get(name, n) : undefined;
      if (r && (r.exchange || (n.variable as AstNode).postfix || valueRead(n.value as AstNode) !== r.at)) reads.drop(name!, n);
    });
    const readOf = (e: AstNode | undefined) => {
      if (kind === 'maxOld') {
        const changed = e && ownMax(e);
        const at = changed && !changed.steady ? changed.at : e?.astNodeType === 'varExpr' && !e.postfix ? maxes.get(e.name as string, e)?.at : undefined;
        if (at !== undefined) detail = changed && !changed.steady ? 'changed' : 'old';
        return at;
      }
      const own = afterMax(e);
      if (own !== undefined || kind === 'ownMax') return own;
      if (e?.astNodeType !== 'varExpr' || e.postfix) return valueRead(e);
      const r = held(e);
      return r && !r.exchange ? r.at : undefined;
    };
    // `READ + 1 > E` is `READ >= E` (trial 193 A1: "the increment would pass the cap"): where the sum wraps, READ is
    // the word's greatest value, and the test fails.
    const plusOne = (e: AstNode) => e.astNodeType === 'binaryOp' && e.operator === '+' && ['1', '1u', '1i'].includes(p.text(e.right as AstNode)) ? readOf(e.left as AstNode) : undefined;
    const negated: Record<string, string> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };
    // The read, and the value it is at or past where `c` holds.
    const atLeast = (c: AstNode | undefined, op = c?.operator as string): [string, AstNode] | [] => {
      if (c?.astNodeType === 'unaryOp' && c.operator === '!' && (c.right as AstNode)?.astNodeType === 'binaryOp') return atLeast(c.right as AstNode, negated[(c.right as AstNode).operator as string]);
      if (c?.astNodeType !== 'binaryOp') return [];
      const [l, r] = [c.left as AstNode, c.right as AstNode];
      // A test beside another that must hold too (`old >= cap && lid < 128u`, trial 211 B1) stores only where it holds.
      if (op === '&&' && c.operator === '&&') {
        const left = atLeast(l);
        return left.length ? left : atLeast(r);
      }
      const found = ['>=', '>', ...(equality ? ['=='] : [])].includes(op) ? readOf(l) ?? (op === '>' ? plusOne(l) : undefined) : undefined;
      if (found) return [found, r];
      const mirrored = ['<=', '<', ...(equality ? ['=='] : [])].includes(op) ? readOf(r) ?? (op === '<' ? plusOne(r) : undefined) : undefined;
      return mirrored ? [mirrored, l] : [];
    };
    walk([fn], (n) => {
      if (n.astNodeType !== 'if') return;
      detail = undefined;
      const [at, bound] = atLeast(n.condition as AstNode | undefined);
      if (!at || !bound || walkFinds(bound, (m) => atomicCall(m) || (m.astNodeType === 'varExpr' && held(m) !== undefined))) return;
      walk((n.body as AstNode[] | undefined) ?? [], (m) => {
        const [target, value] = isCall(m) && m.name === 'atomicStore' ? args(m) : [];
        if (target && value && p.text(target) === at && p.text(value) === p.text(bound)) {
          out.add(kind === 'ownMax' || kind === 'maxOld' ? `${m.line as number} ${detail!}` : String(m.line));
        }
      });
    });
  }
});

const lines = (find: (code: string) => Set<string>) => (code: string) => new Set([...find(code)].map(Number));

/** The clamps, their test any of those above. */
export const clampStores = lines(clampFinder('any'));

/** The clamps (clampStores) whose test holds for every value at or past E, not only at E (`old == cap`): one that
 *  runs after an update past E stores E (lost-updates.ts, trial 202 A2). */
export const clampsAtOrPast = lines(clampFinder('past'));

/** The clamps (clampStores) whose test reads the word as its invocation's own atomicMax left it (`max(old, v)`), by
 *  line, each with the line of that max: lost-updates.ts takes that max as the test's read. */
export function clampsAfterOwnMax(code: string): Map<number, number> {
  return new Map([...ownMaxClamps(code)].map((k) => k.split(' ').map(Number) as [number, number]));
}
const ownMaxClamps = clampFinder('ownMax');

/** Stores of a cap under a test of what atomicMax returned alone (`let old = atomicMax(&w, v); if (old > cap)`,
 *  'old'), or of max(old, v) with v changed since the max (trial 212 B3, 'changed'): the word before that max, so the
 *  max that first passes the cap may skip the store; not clamps (clampStores), and named so in a lost update's advice
 *  (race-text.ts `maxOld`). By line. */
export function maxOldClamps(code: string): Map<number, 'old' | 'changed'> {
  return new Map([...maxOldFound(code)].map((k) => { const [line, why] = k.split(' '); return [Number(line), why as 'old' | 'changed']; }));
}
const maxOldFound = clampFinder('maxOld');

/**
 * Every atomicStore of `code` whose value reads a let or var assigned from an atomic read (atomicRead: an atomicLoad,
 * or `atomicAdd(&g, 0u)`, trial 123 A2) of the same variable, in the same function (`let old = atomicLoad(&y[i]);
 * atomicStore(&y[i], bitcast<u32>(bitcast<f32>(old) + v));`, trial 64's split-K sum in place of a compare-exchange
 * loop), or that an `if` testing such a name guards (a check-then-insert), or that follows the load where the loaded
 * name is stored to module-scope memory (an exchange made of two, a list's push). Empty for code that does not parse.
 */
export function loadThenStores(code: string): LoadThenStore[] {
  if (!code.includes('atomicStore') && !code.includes('atomicExchange')) return [];
  const p = parsedOrNone(code);
  if (!p) return [];
  const callOf = (m: AstNode, name: string) => isCall(m) && m.name === name;
  const found: LoadThenStore[] = [];
  const roots = pointerRoots(p);
  const shared = workgroupVars(p);
  const clamps = clampStores(code);
  // Whether the module's only updates of `variable` (through pointer parameters too) raise it: atomicMax, and
  // compare-exchanges whose new value is the compare value plus a positive literal, or, of a u32 word, plus a sum of
  // names and literals, under min or max or not (`old + 1u`, `min(old + v, cap)`). Trial 193 B1: a token bucket's
  // `old - 1u` beside a clamp loses a token; trial 196 B6: an i32's `old + d` may add a negative d.
  const types = atomicTypes(code);
  const raises = (m: AstNode, variable: string) => {
    if (m.name === 'atomicMax') return true;
    const [, expected, next] = (m.args as AstNode[] | undefined) ?? [];
    if (m.name !== 'atomicCompareExchangeWeak' || !expected || !next) return false;
    const sum = (e: AstNode) => !walkFinds(e, (x) => !['varExpr', 'literalExpr', 'constExpr'].includes(x.astNodeType as string) && !(x.astNodeType === 'binaryOp' && x.operator === '+'));
    const addend = (e: AstNode) => (e.astNodeType === 'literalExpr' ? Number(p.text(e).replace(/[iu]$/, '')) > 0 : types.has(`${variable}:u32`) && sum(e));
    const plus = (e: AstNode | undefined) => e?.astNodeType === 'binaryOp' && e.operator === '+'
      && [[e.left, e.right], [e.right, e.left]].some(([a, b]) => p.text(a as AstNode) === p.text(expected) && addend(b as AstNode));
    return plus(next) || (isCall(next) && (next.name === 'min' || next.name === 'max') && ((next.args as AstNode[] | undefined) ?? []).some(plus));
  };
  // A struct's members, by the names along an address (`&acc.hi`, `&accs[i].hi`): another member is another word (trial
  // 203 B2: an atomicAdd of `acc.count` made the clamp of `acc.hi` a lost update). A pointer parameter names none, and
  // may be any.
  const members = (e: AstNode | undefined) => {
    const out: string[] = [];
    for (let f = addressRoot(e)?.postfix as AstNode | undefined; f; f = f.postfix as AstNode | undefined) if (f.astNodeType === 'stringExpr') out.push(f.value as string);
    return out.join('.');
  };
  const raisedOnly = (variable: string, at: AstNode | undefined) => !p.ast.some((fn) => fn.astNodeType === 'function' && walkFinds(fn, (m) => isCall(m)
    && ATOMIC_UPDATES.test(m.name as string) && !raises(m, variable) && !atomicRead(m)
    && roots(fn, ((m.args as AstNode[] | undefined) ?? [])[0]).includes(variable) && ((a, b) => !a || !b || a === b)(members(((m.args as AstNode[] | undefined) ?? [])[0]), members(at))));
  // An atomicExchange whose old value is dropped writes its value whatever the word held: a store (trial 197 A2).
  const keptExchanges = keptExchangeLines(code);
  const storeCall = (m: AstNode) => callOf(m, 'atomicStore') || (callOf(m, 'atomicExchange') && !keptExchanges.has(m.line as number));
  // Each invocation's own word: where every atomic write of the variable that the store's entry points run is indexed
  // by the invocation's own index (a storage array by `gid.x` of global_invocation_id, in an entry point that uses it
  // only so; a var<workgroup> array by local_invocation_index), no other invocation writes the word (trial 208 A1: a
  // clamp pass's `let v = atomicLoad(&hist[i]); atomicStore(&hist[i], min(v, cap));`, `i = gid.x`). A dispatch of
  // rows that reads gid.x alone would share words; the interpreter's own check, which runs it, still sees that.
  const reach = reachableLines(p);
  const ownIndexed = (fn: AstNode, target: AstNode | undefined, variable: string): boolean => {
    const root = addressRoot(target);
    const index = (root?.postfix as AstNode | undefined)?.index as AstNode | undefined;
    if (!index || index.astNodeType !== 'varExpr') return false;
    // A let by the declaration in force where it is used (trial 209 B2: an inner `let i = keys[e]` shadowed `i = gid.x`).
    const lets = new Declared<AstNode>(p, fn, (n) => (n.astNodeType === 'let' ? n.value as AstNode : undefined));
    // The dispatch's other dimensions: every use of global_invocation_id is its .x (not `let g = gid;`, whose g.y reads
    // rows), and no workgroup_id, local_invocation_id or num_workgroups but their .x (trial 209 B1: rows from wid.y).
    const x = (m: AstNode) => (m.postfix as AstNode | undefined)?.astNodeType === 'stringExpr' && (m.postfix as AstNode).value === 'x';
    const rowsRead = () => {
      const dims = builtinParams(fn, (b) => ['global_invocation_id', 'workgroup_id', 'local_invocation_id', 'num_workgroups'].includes(b));
      return walkFinds(fn, (m) => m.astNodeType === 'varExpr' && dims.has(m.name as string) && !x(m));
    };
    const builtin = builtinParams(fn, (b) => (shared.has(variable) ? b === 'local_invocation_index' : b === 'global_invocation_id'));
    const own = (e: AstNode | undefined): boolean => {
      if (e?.astNodeType !== 'varExpr') return false;
      if (builtin.has(e.name as string)) return shared.has(variable) ? !e.postfix : x(e) && !(e.postfix as AstNode).postfix && !rowsRead();
      const value = lets.get(e.name as string, e);
      return !e.postfix && own(value);
    };
    return own(index);
  };
  // A workgroup of one row: its @workgroup_size has no y or z but 1 (trial 211 A1: `@workgroup_size(64, 4)`'s rows
  // share gid.x, read through local_invocation_index).
  const oneRow = (entry: string) => {
    const size = (p.ast.find((n) => n.astNodeType === 'function' && n.name === entry)?.attributes as { name: string; value: unknown }[] | null | undefined)?.find((a) => a.name === 'workgroup_size')?.value;
    return typeof size === 'string' || (Array.isArray(size) && size.slice(1).every((d) => d === '1' || d === '1u' || d === '1i'));
  };
  const ownWords = (f: LoadThenStore): boolean => {
    const entries = [...reach.entries()].filter(([, l]) => l.has(f.storeLine));
    if (!shared.has(f.variable) && !entries.every(([entry]) => oneRow(entry))) return false;
    const lines = new Set(entries.flatMap(([, l]) => [...l]));
    let writes = 0;
    const elsewhere = p.ast.some((fn) => fn.astNodeType === 'function' && walkFinds(fn, (m) => {
      if (!isCall(m) || !lines.has(m.line as number) || !(m.name === 'atomicStore' || ATOMIC_UPDATES.test(m.name as string)) || atomicRead(m)) return false;
      const target = ((m.args as AstNode[] | undefined) ?? [])[0];
      const base = addressBase(target);
      // Through a pointer parameter: any word, for all this knows.
      if (base !== f.variable) return !p.ast.some((d) => d.astNodeType === 'var' && d.name === base);
      writes++;
      return !ownIndexed(fn, target, f.variable);
    }));
    return writes > 0 && !elsewhere;
  };
  for (const fn of p.ast.filter((n) => n.astNodeType === 'function')) {
    const before = found.length;
    // A let of a pointer (`let p = &total[0];`) names its variable (trial 197 A2, B3: `p` was named, `total` not).
    const aliases = new Map<string, string>();
    walk([fn], (n) => {
      const v = n.value as AstNode | undefined;
      const root = n.astNodeType === 'let' && v?.astNodeType === 'unaryOp' && v.operator === '&' ? addressBase(v) : undefined;
      if (root) aliases.set(n.name as string, aliases.get(root) ?? root);
    });
    const baseOf = (e: AstNode | undefined) => ((b) => (b !== undefined ? aliases.get(b) ?? b : undefined))(addressBase(e));
    // Names holding an atomic load, by the variable loaded.
    const readerOf = (m: AstNode) => (m.name === 'atomicLoad' ? {} : { reader: m.name as string });
    const declared = new Declared<{ variable: string; line: number; at: string; reader?: string }>(p, fn, (n) => {
      let load: AstNode | undefined;
      walk([n.value as AstNode], (m) => (load ??= atomicRead(m) ? m : undefined));
      const variable = load && baseOf((load.args as AstNode[])[0]);
      return variable ? { variable, line: n.line as number, at: p.text((load!.args as AstNode[])[0]!), ...readerOf(load!) } : undefined;
    });
    const loadIn = (m: AstNode) => (m.astNodeType === 'varExpr' ? declared.get(m.name as string, m) : undefined);
    walk([fn], (n) => {
      if (!storeCall(n)) return;
      const [target, value] = (n.args as AstNode[] | undefined) ?? [];
      const variable = baseOf(target);
      let from: { variable: string; line: number; reader?: string } | undefined;
      walk([value!], (m) => {
        const l = loadIn(m);
        if (l && l.variable === variable) from ??= l;
        // Or read in the store's own value (`atomicStore(&c[i], atomicLoad(&c[i]) + v)`, the library's
        // lib_histogram_lost_update, trial 140 B1's form): one statement, two accesses.
        if (atomicRead(m) && baseOf(((m.args as AstNode[] | undefined) ?? [])[0]) === variable) from ??= { variable: variable!, line: m.line as number, ...readerOf(m) };
      });
      if (from && variable) found.push({ variable, loadLine: from.line, storeLine: n.line as number, ...(from.reader ? { reader: from.reader } : {}) });
    });
    // An exchange made of two: the word is loaded, then stored over, and what was loaded is kept in memory (a list's
    // `let old = atomicLoad(&head[c]); atomicStore(&head[c], i); next[i] = old;`, trial 126 B2): two invocations that
    // load the same head both link to it, and one's store erases the other's entry. The word is the same where the
    // store's address is written as the load's.
    const kept: { variable: string; line: number; at: string; reader?: string }[] = [];
    walk([fn], (n) => {
      // Stored to a module-scope variable, or handed to another atomic (trial 176 B1: a drain's `let got =
      // atomicLoad(&acc); atomicStore(&acc, 0u); atomicAdd(&total[0], got);`, an exchange made of two).
      // A compare-exchange hands on its new value, and only to another word: one of the loaded word is its retry
      // (a saturating loop's `atomicCompareExchangeWeak(&bins[b], old, old + 1u)`, trial 188 A5).
      const exchange = isCall(n) && n.name === 'atomicCompareExchangeWeak';
      const args = (n.args as AstNode[] | undefined) ?? [];
      const value = n.astNodeType === 'assign' && p.ast.some((d) => d.astNodeType === 'var' && d.name === rootName(n.variable as AstNode)) ? n.value as AstNode
        : isCall(n) && ATOMIC_UPDATES.test(n.name as string) ? args[exchange ? 2 : 1] : undefined;
      if (value) walk([value], (m) => {
        const l = loadIn(m);
        if (l && !(exchange && args[0] && p.text(args[0]) === l.at)) kept.push(l);
      });
    });
    walk([fn], (n) => {
      const target = storeCall(n) ? ((n.args as AstNode[] | undefined) ?? [])[0] : undefined;
      const load = target && kept.find((l) => l.at === p.text(target) && l.line <= (n.line as number));
      if (load && !found.some((f) => f.storeLine === n.line)) found.push({ variable: load.variable, loadLine: load.line, storeLine: n.line as number, ...(load.reader ? { reader: load.reader } : {}) });
    });
    // A check-then-act: the store is under an `if` that tests the loaded value (a hash set's `if (seen == EMPTY) {
    // atomicStore(&table[s], key); }`, trial 102 B2): two invocations that both see the slot empty both store.
    walk([fn], (n) => {
      if (n.astNodeType !== 'if') return;
      // By the variable tested, the line of its load: held in a name, or made in the condition itself
      // (`if (atomicLoad(&visited[v]) == 0u)`, trial 166 B1).
      const tested = new Map<string, { line: number; reader?: string }>();
      walk([n.condition as AstNode], (m) => {
        const l = loadIn(m);
        if (l && !tested.has(l.variable)) tested.set(l.variable, l);
        const direct = atomicRead(m) ? baseOf(((m.args as AstNode[] | undefined) ?? [])[0]) : undefined;
        if (direct && !tested.has(direct)) tested.set(direct, { line: m.line as number, ...readerOf(m) });
      });
      if (!tested.size) return;
      // Each branch: the `if`'s body, its `else if`s' and its `else` (trial 172 B2: a visit count's else stored 2u).
      const branches = [(n.body as AstNode[] | undefined) ?? [], ...((n.elseif as AstNode[] | undefined) ?? []).map((e) => (e.body as AstNode[] | undefined) ?? []), (n.else as AstNode[] | undefined) ?? []];
      for (const body of branches) walk(body, (m) => {
        const variable = storeCall(m) ? baseOf(((m.args as AstNode[] | undefined) ?? [])[0]) : undefined;
        if (!variable || !tested.has(variable) || found.some((f) => f.storeLine === m.line)) return;
        // A clamp of a word that only compare-exchanges and maxes raise (clampStores) loses none of their updates.
        if (clamps.has(m.line as number) && raisedOnly(variable, ((m.args as AstNode[] | undefined) ?? [])[0])) return;
        // A store of a constant, the same from every invocation, loses nothing where the function writes the word no
        // other way (a flag's set, trial 170 B4; as `VISITED` or `u32(1)`, trial 172 B1; as the interpreter's
        // lost-updates.ts has it): what it guards besides is what two invocations that both pass the test both do
        // (trial 166 B1: a BFS appended a vertex twice).
        const value = ((m.args as AstNode[] | undefined) ?? [])[1];
        const flag = !!value && constantIn(p, value) && onlyStoreOf(p, fn, variable, p.text(value));
        const guarded = flag ? body.find((st) => !walkFinds(st, (x) => x === m) && st.astNodeType !== 'let' && st.astNodeType !== 'const') : undefined;
        if (flag && !guarded) return;
        const { line, reader } = tested.get(variable)!;
        found.push({ variable, loadLine: line, storeLine: m.line as number, tested: true, ...(guarded ? { guards: guarded.line as number } : {}), ...(reader ? { reader } : {}) });
      });
    });
    // A var<workgroup> loaded and stored by one invocation of the workgroup, under `if (lid == 0u)` (trial 178 B1: a
    // drain by invocation 0 between barriers was named as a lost update): no other invocation loads it there.
    const leaders = leaderIfs(fn);
    const oneInvocation = (f: LoadThenStore) => shared.has(f.variable) && leaders.some((n) =>
      walkFinds({ astNodeType: 'block', body: n.body } as unknown as AstNode, (m) => storeCall(m) && m.line === f.storeLine) && ((n.body as AstNode[] | undefined) ?? []).some((st) => (st.line as number) <= f.loadLine));
    found.splice(before, Infinity, ...found.slice(before).filter((f) => !oneInvocation(f) && !ownWords(f)));
    // Through a pointer parameter, the variables its callers pass (pointerRoots).
    found.splice(before, Infinity, ...found.slice(before).flatMap((f) => {
      const vs = roots(fn, { astNodeType: 'varExpr', name: f.variable } as unknown as AstNode);
      return vs.length ? vs.map((variable) => ({ ...f, variable })) : [f];
    }));
  }
  return found;
}

const spinsByProgram = new WeakMap<KernelProgram, string[]>();

const spinPlacesByProgram = new WeakMap<KernelProgram, string[]>();

/** Where a kernel's spinWaits are, as `FILE:LINE`; found once per program. */
export const spinWaitPlaces = (program: KernelProgram): string[] => notesOnce(spinPlacesByProgram, program, spinWaits, (file, s) => `${file}:${s.line}`);

/** The notes for a kernel's spinWaits, one per loop, as `FILE:LINE: ...`; found once per program. */
export const spinWaitNotes = (program: KernelProgram): string[] => notesOnce(spinsByProgram, program, spinWaits, (file, s) =>
  `${file}:${s.line}: this loop waits until a read of the atomic '${s.variable}' sees another invocation's store: WebGPU promises no forward progress between workgroups, so the wait may never end on some GPU; Mesa's llvmpipe (Deno and Firefox here) ends an invocation's loops after 65,535 iterations with no error, and a case whose wait it cut is not judged there (docs/writing-a-kernel.md, Pitfalls)`);
