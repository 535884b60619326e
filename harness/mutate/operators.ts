// Mutation operators for WGSL compute kernels: each finds its places in wgsl_reflect's AST (harness/mutate/parse.ts)
// and makes one mutant per place, an edit of the source at tokens the parser placed. docs/mutation.md describes each
// operator, the bug it stands for, and what is left out (and why). Conventional operators keep Stryker's names.
import { literalValue } from '../engines/interpreter/literals.ts';
import { reflect, workgroupSizeFor } from '../run/reflect.ts';
import { parseWgsl, walk, type Node, type Parsed } from './parse.ts';

export interface Position {
  line: number;
  column: number;
}

/** One mutant: a single edit of one WGSL file, or (spec level) a change of a stage's dispatch. */
export interface Mutant {
  id: string;
  operator: OperatorName;
  /** The WGSL file (as the spec names it) or, for a spec-level mutant, the kernel's .kernel.ts. */
  file: string;
  location: { start: Position; end: Position };
  /** Characters [start, end) of the file replaced by `replacement`. */
  start: number;
  end: number;
  original: string;
  replacement: string;
  description: string;
  /** Dispatch with the unmutated WGSL's workgroup size: the mutant changes the shader, not the grid. */
  pinWorkgroupSize?: boolean;
  /** Spec level: stage `stage` dispatches one workgroup fewer along `axis`. */
  /** Spec level: the stage index, the axis, and (where the stage's literal is known) the entry points it runs. */
  dispatch?: { stage: number; axis: number; entries?: string[] };
  /** Set when the mutant lies in code no entry point of the kernel reaches. */
  unreachable?: boolean;
  /** Why the mutant can never end (a loop whose condition became always true): it is not run unless asked. */
  hangs?: string;
  /** The edit lies in a loop's header or in a value its condition or increment reads: it may make the loop endless. */
  loopControl?: boolean;
  /** Why this mutant cannot change any output, from the reviewed list of equivalent mutants. */
  equivalent?: string;
  /** The list's entry holds only on adapters whose label contains this (`equivalenceHere`). */
  equivalentOnAdapter?: string;
}

export const OPERATORS = [
  'BarrierDeletion',
  'BoundsGuardDeletion',
  'EqualityOperator',
  'ArithmeticOperator',
  'BitwiseOperator',
  'AssignmentOperator',
  'IndexTermSwap',
  'BuiltinAxisSwap',
  'WorkgroupSizeChange',
  'MinMaxInitZero',
  'AccumulationForget',
  'ExpToExp2',
  'AtomicLostUpdate',
  'UniformLoadToPlain',
  'DispatchMinusOne',
  'ZeroOutput',
  'TailSkipped',
  'MaxSubtractionDropped',
] as const;
export type OperatorName = (typeof OPERATORS)[number];

type Edit = Omit<Mutant, 'id' | 'file' | 'location' | 'original'>;

const EQUALITY: Record<string, string> = { '<': '<=', '<=': '<', '>': '>=', '>=': '>', '==': '!=', '!=': '==' };
const ARITHMETIC: Record<string, string> = { '+': '-', '-': '+', '*': '/', '/': '*', '%': '*' };
// PIT's bitwise and shift mutators (Stryker has none): a hash's or a packer's wrong operation (trial 222 C2: a hash of
// rotations and xors got 16 mutants, none of its bit operations).
const BITWISE: Record<string, string> = { '<<': '>>', '>>': '<<', '&': '|', '|': '&', '^': '&' };
const BIT_OPS = new Set(['&', '|', '^']);
/** Bit operations chained with others, unparenthesized: see binary(). Parsed nodes are visited parent first. */
const unmixable = new WeakSet<Node>();
/** Whether an expression is written in parentheses of its own. */
const grouped = (p: Parsed, x: Node) => ((t) => p.tokens[t[0] - 1]?.lexeme === '(' && p.tokens[t[1] + 1]?.lexeme === ')')(p.tokensOf(x));
const ASSIGNMENT: Record<string, string> = { '+=': '-=', '-=': '+=', '*=': '/=', '/=': '*=', '%=': '*=', '<<=': '>>=', '>>=': '<<=', '&=': '|=', '|=': '&=' };
const RELATIONAL = new Set(['<', '<=', '>', '>=']);
const BARRIERS = new Set(['workgroupBarrier', 'storageBarrier', 'textureBarrier']);
const AXIS_BUILTINS = new Set(['global_invocation_id', 'local_invocation_id', 'workgroup_id', 'num_workgroups']);
const AXIS_SWAP: Record<string, string> = { x: 'y', y: 'x', z: 'x' };

const isType = (n: Node, ...types: string[]) => types.includes(n.astNodeType);
const name = (n: Node) => n.name as string;

/** Mutants of one WGSL file of a kernel. `entries` are the entry points the spec's stages use. */
/** `constants`: per entry point, the override constants its stage gives (GPUProgrammableStage.constants), so that
 *  a workgroup size given by an override is mutated from the value the pipeline runs with. */
export function wgslMutants(file: string, source: string, entries: string[], constants: Record<string, Record<string, number>> = {}): Mutant[] {
  const p = parseWgsl(source);
  const edits: Edit[] = [];
  const fns = new Map(p.ast.filter((n) => isType(n, 'function')).map((f) => [name(f), f]));
  const reached = reachable(fns, entries);
  const storage = storageOutputs(p);

  for (const fn of fns.values()) {
    const unreachable = !reached.has(name(fn));
    const before = edits.length;
    const builtinArgs = new Set(((fn.args ?? []) as Node[]).filter((a) => builtinOf(a) && AXIS_BUILTINS.has(builtinOf(a)!)).map(name));
    const forIncrements = new Set<Node>();
    walk(fn.body as Node[], (n) => { if (isType(n, 'for') && n.increment) forIncrements.add(n.increment as Node); });
    // A while loop's step too, an assignment in its body to a name its condition reads (trial 152 B4: `c += 64u`
    // became `c = 64u`, a loop that never ends, 67 s of a 77 s run), and a `loop`'s, in its continuing block to a name
    // its `break if` reads.
    walk(fn.body as Node[], (n) => {
      const loop = isType(n, 'while') ? { condition: n.condition as Node, body: n.body as Node[] }
        : isType(n, 'loop') && n.continuing ? { condition: undefined, body: (n.continuing as Node).body as Node[] } : undefined;
      if (!loop) return;
      const read = new Set<string>();
      walk(loop.condition ? [loop.condition] : loop.body.filter((x) => isType(x, 'break')).map((x) => x.condition as Node).filter(Boolean), (m) => (isType(m, 'varExpr') ? void read.add(name(m)) : undefined));
      walk(loop.body, (m) => {
        if (isType(m, 'assign', 'increment') && isType(m.variable as Node, 'varExpr') && read.has(name(m.variable as Node))) forIncrements.add(m);
      });
    });
    // Loop conditions, each with whether its loop can leave other than by the condition (break, return).
    const loopConditions = new Map<Node, boolean>();
    walk(fn.body as Node[], (n) => {
      if (!isType(n, 'for', 'while') || !n.condition) return;
      let exits = false;
      walk(n.body as Node[], (x) => { if (isType(x, 'break', 'return')) exits = true; });
      loopConditions.set(n.condition as Node, exits);
    });
    const indexExprs = new Set<Node>();
    walk(fn.body as Node[], (n) => {
      // Index arithmetic: inside [...] or the initialiser of a let/var (a base offset computed once).
      if (isType(n, 'varExpr', 'constExpr')) for (let q = n.postfix as Node | undefined; q; q = q.postfix as Node | undefined) if (q.index) indexExprs.add(q.index as Node);
      if (isType(n, 'let', 'var') && n.value) indexExprs.add(n.value as Node);
    });

    walk(fn.body as Node[], (n) => {
      const t = n.astNodeType;
      if (t === 'binaryOp') binary(p, n, edits, indexExprs, loopConditions);
      if (t === 'call' && BARRIERS.has(name(n))) {
        edits.push({ operator: 'BarrierDeletion', ...span(p, n), replacement: '', description: `${name(n)}() deleted: invocations of a workgroup no longer wait for each other's writes` });
      }
      if (t === 'if') guard(p, n, edits, workgroupX(source, entries));
      if (t === 'assign') assignment(p, n, edits, forIncrements.has(n), storage);
      if (t === 'varExpr' && builtinArgs.has(name(n))) axisSwap(p, n, edits);
      if (t === 'callExpr' && name(n) === 'exp') {
        const [a] = p.tokensOf(n);
        edits.push({ operator: 'ExpToExp2', ...tokenSpan(p, a), replacement: 'exp2', description: 'exp(x) computed as exp2(x): the base of the exponential is wrong' });
      }
      if (t === 'callExpr' && (name(n) === 'exp' || name(n) === 'exp2')) {
        const arg = (n.args as Node[])[0];
        if (arg && isType(arg, 'binaryOp') && arg.operator === '-') {
          edits.push({ operator: 'MaxSubtractionDropped', ...span(p, arg), replacement: p.text(arg.left as Node), description: `${name(n)}(${p.text(arg)}) without the subtraction: overflows for large inputs (a KernelBench shortcut)` });
        }
      }
      if (t === 'call' && (name(n) === 'atomicAdd' || name(n) === 'atomicSub')) {
        const [ptr, v] = (n.args as Node[]).map((a) => p.text(a));
        const op = name(n) === 'atomicAdd' ? '+' : '-';
        edits.push({ operator: 'AtomicLostUpdate', ...span(p, n), replacement: `atomicStore(${ptr}, atomicLoad(${ptr}) ${op} (${v}));`, description: `${name(n)} split into atomicLoad then atomicStore: concurrent updates are lost` });
      }
      if (t === 'callExpr' && name(n) === 'workgroupUniformLoad') {
        const arg = (n.args as Node[])[0]!;
        edits.push({ operator: 'UniformLoadToPlain', ...span(p, n), replacement: `(*(${p.text(arg)}))`, description: 'workgroupUniformLoad turned into a plain load: no barrier before the read' });
      }
    });
    minMaxInit(p, fn, edits);
    const control = loopControl(p, fn);
    for (let i = before; i < edits.length; i++) {
      const e = edits[i]!;
      if (unreachable) e.unreachable = true;
      if (control.some(([a, b]) => e.start < b && e.end > a)) e.loopControl = true;
    }
  }
  for (const entry of entries) workgroupSize(p, fns.get(entry), source, entry, edits, constants[entry]);
  return number(file, p, edits.sort((a, b) => a.start - b.start || a.end - b.end));
}

function number(file: string, p: Parsed, edits: Edit[]): Mutant[] {
  return edits.map((e) => ({
    ...e,
    id: '',
    file,
    original: p.source.slice(e.start, e.end),
    location: { start: p.position(e.start), end: p.position(e.end) },
  }));
}

const span = (p: Parsed, n: Node) => {
  const [start, end] = p.range(n);
  return { start, end };
};
const tokenSpan = (p: Parsed, i: number) => ({ start: p.tokens[i]!.start, end: p.tokens[i]!.end });

/** The operator token of a binary expression: between its operands, skipping parentheses. */
function operatorToken(p: Parsed, n: Node): number {
  const [, l] = p.tokensOf(n.left as Node);
  const [r] = p.tokensOf(n.right as Node);
  for (let i = l + 1; i < r; i++) if (p.tokens[i]!.lexeme === n.operator) return i;
  throw new Error(`no '${n.operator as string}' token on line ${n.line}`);
}

function binary(p: Parsed, n: Node, edits: Edit[], indexExprs: Set<Node>, loopConditions: Map<Node, boolean>) {
  const op = n.operator as string;
  if (EQUALITY[op]) {
    const e: Edit = { operator: 'EqualityOperator', ...tokenSpan(p, operatorToken(p, n)), replacement: EQUALITY[op]!, description: RELATIONAL.has(op) ? `boundary moved: ${op} became ${EQUALITY[op]}` : `${op} became ${EQUALITY[op]}` };
    // `s > 0u` moved to `s >= 0u` is true for every u32 (WGSL does not convert, so the other side is a u32 too):
    // a loop with no other way out never ends.
    const zero = (x: Node) => isType(x, 'literalExpr') && p.text(x).endsWith('u') && Number(p.text(x).slice(0, -1)) === 0;
    const always = (e.replacement === '>=' && zero(n.right as Node)) || (e.replacement === '<=' && zero(n.left as Node));
    if (always && loopConditions.get(n) === false) e.hangs = `${p.text(n.left as Node)} ${e.replacement} ${p.text(n.right as Node)} is true for every u32 and the loop has no break or return: the kernel never ends`;
    edits.push(e);
  }
  if (ARITHMETIC[op]) {
    edits.push({ operator: 'ArithmeticOperator', ...tokenSpan(p, operatorToken(p, n)), replacement: ARITHMETIC[op]!, description: `${op} became ${ARITHMETIC[op]}` });
  }
  // `a ^ b ^ c` with either `^` made `&` mixes operators, which WGSL rejects without parentheses: neither is made.
  const chained = (x: Node) => isType(x, 'binaryOp') && BIT_OPS.has(x.operator as string) && !grouped(p, x);
  if (BIT_OPS.has(op)) for (const c of [n.left as Node, n.right as Node]) if (chained(c)) unmixable.add(c).add(n);
  if (BITWISE[op] && !unmixable.has(n)) {
    edits.push({ operator: 'BitwiseOperator', ...tokenSpan(p, operatorToken(p, n)), replacement: BITWISE[op]!, description: `${op} became ${BITWISE[op]}` });
  }
  // row * K + k -> k * K + row (and k + row * K -> row + k * K): a strided index with its terms swapped.
  if (op === '+' && inside(n, indexExprs)) {
    const l = n.left as Node;
    const r = n.right as Node;
    const swap = (mul: Node, other: Node, mulFirst: boolean) => {
      const a = p.text(mul.left as Node);
      const b = p.text(other);
      if (a === b) return;
      const product = `(${b}) * ${p.text(mul.right as Node)}`;
      edits.push({ operator: 'IndexTermSwap', ...span(p, n), replacement: mulFirst ? `${product} + (${a})` : `(${a}) + ${product}`, description: `strided index ${p.text(n)} with its terms swapped` });
    };
    if (isType(l, 'binaryOp') && l.operator === '*') swap(l, r, true);
    else if (isType(r, 'binaryOp') && r.operator === '*') swap(r, l, false);
  }
}

/** Whether a node is one of the index expressions or lies under one. */
function inside(n: Node, roots: Set<Node>): boolean {
  if (roots.has(n)) return true;
  for (const r of roots) {
    let found = false;
    walk([r], (x) => { if (x === n) found = true; });
    if (found) return true;
  }
  return false;
}

function guard(p: Parsed, n: Node, edits: Edit[], wx: number) {
  if ((n.elseif as Node[] | null)?.length || (n.else as Node[] | null)?.length) return;
  const cond = n.condition as Node;
  const comparisons: Node[] = [];
  walk([cond], (x) => { if (isType(x, 'binaryOp') && RELATIONAL.has(x.operator as string)) comparisons.push(x); });
  if (!comparisons.length) return;
  const body = n.body as Node[];
  const exits = body.length === 1 && isType(body[0]!, 'return', 'continue');
  if (exits) {
    edits.push({ operator: 'BoundsGuardDeletion', ...span(p, n), replacement: '', description: `guard ${p.text(cond)} deleted: out-of-range invocations go on` });
  } else {
    edits.push({ operator: 'BoundsGuardDeletion', ...span(p, cond), replacement: 'true', description: `guard ${p.text(cond)} made always true` });
  }
  // The work rounded down to whole workgroups: `i >= n` becomes `i >= (n / W) * W`, so the tail is never computed.
  for (const c of exits ? comparisons : []) {
    const op = c.operator as string;
    const bound = op === '>=' || op === '>' ? (c.right as Node) : undefined;
    if (!bound || wx <= 1) continue;
    // Unsuffixed literals take the bound's type, u32 or i32 (trial 116 B2: `16u` beside an i32 did not compile).
    edits.push({ operator: 'TailSkipped', ...span(p, bound), replacement: `((${p.text(bound)}) / ${wx}) * ${wx}`, description: `bound ${p.text(bound)} rounded down to a multiple of ${wx}, the workgroup's x size: the tail past the last whole workgroup is skipped (a KernelBench shortcut)` });
  }
}

function assignment(p: Parsed, n: Node, edits: Edit[], loopIncrement: boolean, outputs: Map<string, string>) {
  const op = n.operator as string;
  const target = n.variable as Node;
  const [, lhsEnd] = p.tokensOf(target);
  const opToken = lhsEnd + 1;
  // A loop's increment mutated to `j = WG` or `j -= WG`-style hangs or wraps: hangs cost a watchdog each, so the
  // increment is left to EqualityOperator on the loop's condition.
  if (!loopIncrement) {
    if (ASSIGNMENT[op]) edits.push({ operator: 'AssignmentOperator', ...tokenSpan(p, opToken), replacement: ASSIGNMENT[op]!, description: `${op} became ${ASSIGNMENT[op]}` });
    if (op === '+=' || op === '*=') {
      edits.push({ operator: 'AccumulationForget', ...tokenSpan(p, opToken), replacement: '=', description: `${p.text(target)} ${op} x became ${p.text(target)} = x: the accumulation keeps only the last term` });
    }
    const v = n.value as Node;
    if (op === '=' && isType(v, 'binaryOp') && (v.operator === '+' || v.operator === '*') && p.text(v.left as Node) === p.text(target)) {
      edits.push({ operator: 'AccumulationForget', ...span(p, v), replacement: p.text(v.right as Node), description: `${p.text(target)} = ${p.text(v)} became ${p.text(target)} = ${p.text(v.right as Node)}: the accumulation keeps only the last term` });
    }
  }
  // KernelBench's constant-output shortcut: a store to an output buffer writes the element type's zero.
  const element = isType(target, 'varExpr') ? outputs.get(name(target)) : undefined;
  if (op === '=' && element && target.postfix) {
    edits.push({ operator: 'ZeroOutput', ...span(p, n.value as Node), replacement: `${element}()`, description: `${p.text(target)} written as zero (a KernelBench shortcut)` });
  }
}

function axisSwap(p: Parsed, n: Node, edits: Edit[]) {
  const member = n.postfix as Node | undefined;
  if (!member || !isType(member, 'stringExpr')) return;
  const [at] = p.tokensOf(n);
  const tok = p.tokens[at + 2];
  if (!tok || p.tokens[at + 1]?.lexeme !== '.' || !AXIS_SWAP[tok.lexeme]) return;
  edits.push({ operator: 'BuiltinAxisSwap', start: tok.start, end: tok.end, replacement: AXIS_SWAP[tok.lexeme]!, description: `${name(n)}.${tok.lexeme} read as ${name(n)}.${AXIS_SWAP[tok.lexeme]}` });
}

/**
 * Character ranges that steer a loop: each for/while header (up to its body's `{`), and the initialisers of the
 * let/var values its condition or increment reads (`let stride = nwg.x * WG; ... i = i + stride`).
 */
function loopControl(p: Parsed, fn: Node): [number, number][] {
  const ranges: [number, number][] = [];
  const names = new Set<string>();
  walk(fn.body as Node[], (n) => {
    if (!isType(n, 'for', 'while') || !n.hasSpan) return;
    let depth = 0;
    for (const i of p.tokensIn(n.start, n.end)) {
      const lex = p.tokens[i]!.lexeme;
      if (lex === '(') depth++;
      if (lex === ')') depth--;
      if (lex === '{' && depth === 0) {
        ranges.push([n.start, p.tokens[i]!.start]);
        break;
      }
    }
    for (const part of [n.condition, n.increment] as (Node | undefined)[]) {
      if (part) walk([part], (x) => { if (isType(x, 'varExpr')) names.add(name(x)); });
    }
  });
  walk(fn.body as Node[], (n) => { if (isType(n, 'let', 'var') && n.value && names.has(name(n))) ranges.push(p.range(n.value as Node)); });
  return ranges;
}

/** `var m = x[0]; ... m = max(m, v)`, or the fold in a helper given `&m` (`fn fold(p: ptr<function, f32>, v: f32) {
 *  *p = max(*p, v); }`, trial 152 B3): the running max (or min) starts at zero instead. */
function minMaxInit(p: Parsed, fn: Node, edits: Edit[]) {
  // `m = max(m, v)` in `body`, of a plain variable or (`deref`) through a pointer `*m`: each m's name.
  const foldsIn = (body: Node[], deref: boolean) => {
    const names = new Set<string>();
    const target = (x: Node) => (deref ? isType(x, 'unaryOp') && x.operator === '*' && !x.postfix && isType(x.right as Node, 'varExpr') && !(x.right as Node).postfix : isType(x, 'varExpr') && !x.postfix) ? name(deref ? (x.right as Node) : x) : undefined;
    walk(body, (n) => {
      const m = isType(n, 'assign') && n.operator === '=' ? target(n.variable as Node) : undefined;
      const v = n.value as Node;
      if (m && isType(v, 'callExpr') && (name(v) === 'max' || name(v) === 'min') && (v.args as Node[]).some((a) => target(a) === m)) names.add(m);
    });
    return names;
  };
  const folded = foldsIn(fn.body as Node[], false);
  // The helpers' folding pointer parameters, by position, and the variables this function passes there as `&m`.
  const helpers = new Map(p.ast.filter((f) => isType(f, 'function')).map((f) => {
    const through = foldsIn(f.body as Node[], true);
    return [name(f), ((f.args as Node[] | undefined) ?? []).map((a) => through.has(name(a)))] as const;
  }));
  walk(fn.body as Node[], (n) => {
    const at = isType(n, 'callExpr', 'call') ? helpers.get(name(n)) : undefined;
    ((n.args as Node[] | undefined) ?? []).forEach((a, k) => {
      const r = a.right as Node | undefined;
      if (at?.[k] && isType(a, 'unaryOp') && a.operator === '&' && !a.postfix && r && isType(r, 'varExpr') && !r.postfix) folded.add(name(r));
    });
  });
  walk(fn.body as Node[], (n) => {
    if (!isType(n, 'var') || !n.value || !folded.has(name(n))) return;
    // Already seeded with zero (a max over values known to be >= 0, say): the mutant would be the kernel itself.
    if (isType(n.value as Node, 'literalExpr') && literalValue(p.text(n.value as Node)) === 0) return;
    const declared = n.type as { name?: string } | null;
    edits.push({ operator: 'MinMaxInitZero', ...span(p, n.value as Node), replacement: declared?.name ? `${declared.name}()` : '0.0', description: `running ${name(n)} starts at 0 instead of ${p.text(n.value as Node)}: wrong when every value is negative (max) or positive (min)` });
  });
}

function workgroupSize(p: Parsed, fn: Node | undefined, source: string, entry: string, edits: Edit[], constants: Record<string, number> = {}) {
  if (!fn || !reflect(source).entries.has(entry)) return;
  let size: [number, number, number];
  try {
    size = workgroupSizeFor(source, entry, constants);
  } catch {
    return; // an override with no value: the kernel does not build, and its own run says so
  }
  // The attribute's arguments, from the tokens of the function's span: `workgroup_size` `(` a `,` b `)`.
  const toks = p.tokensIn(fn.start, fn.end);
  const at = toks.findIndex((i) => p.tokens[i]!.lexeme === 'workgroup_size');
  if (at < 0 || p.tokens[toks[at + 1]!]!.lexeme !== '(') return;
  const args: number[][] = [[]];
  let depth = 0;
  for (let k = at + 2; k < toks.length; k++) {
    const lex = p.tokens[toks[k]!]!.lexeme;
    if (lex === '(') depth++;
    if (lex === ')' && depth-- === 0) break;
    if (lex === ',' && depth === 0) args.push([]);
    else args[args.length - 1]!.push(toks[k]!);
  }
  args.forEach((arg, axis) => {
    if (!arg.length) return;
    const start = p.tokens[arg[0]!]!.start;
    const end = p.tokens[arg[arg.length - 1]!]!.end;
    const value = size[axis]!;
    const text = source.slice(start, end);
    // An override's value is the pipeline's: say which, since the WGSL's own default may differ.
    const was = String(value) === text.replace(/u$/, '') ? text : `${text} (${value} with the spec's constants)`;
    for (const to of value > 1 ? [value / 2, value * 2] : [value * 2]) {
      if (!Number.isInteger(to)) continue;
      edits.push({ operator: 'WorkgroupSizeChange', start, end, replacement: String(to), pinWorkgroupSize: true, description: `workgroup size ${'xyz'[axis]} ${was} became ${to}, dispatched as before` });
    }
  });
}

/** The x size of the entry points' workgroups (the largest, when several differ). */
function workgroupX(source: string, entries: string[]): number {
  return Math.max(1, ...entries.map((e) => reflect(source).entries.get(e)?.workgroupSize[0] ?? 1));
}

function builtinOf(arg: Node): string | undefined {
  const attrs = (arg.attributes ?? []) as { name: string; value: string | string[] }[];
  const b = attrs.find((a) => a.name === 'builtin');
  return b ? String(Array.isArray(b.value) ? b.value[0] : b.value) : undefined;
}

/** read_write storage buffers of the module, with their element type, from the declarations. */
function storageOutputs(p: Parsed): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of p.ast) {
    if (!isType(n, 'var') || n.storage !== 'storage' || n.access !== 'read_write') continue;
    const type = n.type as { name?: string; format?: { name?: string } } | null;
    const element = type?.format?.name;
    if (element && ['f32', 'u32', 'i32', 'f16'].includes(element)) out.set(name(n), element);
  }
  return out;
}

/** Functions reachable from the entry points by calls. */
function reachable(fns: Map<string, Node>, entries: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f) || !fns.has(f)) return;
    seen.add(f);
    walk(fns.get(f)!.body as Node[], (n) => { if (isType(n, 'call', 'callExpr') && fns.has(name(n))) visit(name(n)); });
  };
  entries.forEach(visit);
  return seen;
}
