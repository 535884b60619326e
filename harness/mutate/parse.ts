// WGSL as wgsl_reflect parses it, with every expression placed in the source. wgsl_reflect gives statements a
// character span but not expressions; this parser subclass notes the token at which each expression starts and ends
// as it is built, so a mutant is an edit at a place the parser found (a template's `<` is never a comparison).
import { WgslParser, WgslScanner, type Token } from 'wgsl_reflect/wgsl_reflect.module.js';
import { fixParser } from '../engines/interpreter/parser-fixes.ts';
import { fixLiterals } from '../engines/interpreter/literals.ts';

// `0X1P4f` scans, and a hex float literal has its value (literals.ts); a switch case keeps every statement, and a
// postfix after parentheses the one inside them (parser-fixes.ts).
fixLiterals();
fixParser();

/** An AST node as wgsl_reflect builds it: the fields the operators read. */
export interface Node {
  astNodeType: string;
  start: number;
  end: number;
  line: number;
  hasSpan: boolean;
  [field: string]: unknown;
}

export interface Parsed {
  source: string;
  tokens: Token[];
  ast: Node[];
  /** First and last token index of an expression, postfix chain (`a[i].x`) included. */
  tokensOf(n: Node): [number, number];
  /** Character range of an expression or statement. */
  range(n: Node): [number, number];
  text(n: Node): string;
  /** Token indices inside a character range. */
  tokensIn(start: number, end: number): number[];
  /** 1-based line and column of a character offset. */
  position(offset: number): { line: number; column: number };
}

/** The minified parser's methods this subclass hooks: declared in wgsl_reflect's types, called through `this`. */
interface ParserHooks {
  _current: number;
  _tokens: Token[];
  _updateNode<T>(n: T, l?: number): T;
  _primary_expression(): Node;
  _unary_expression(): Node;
}

/** parseWgsl, or undefined for code that does not parse: for the advice drawn from the code, which a compile error
 *  has already said all there is of. */
export function parsedOrNone(source: string): Parsed | undefined {
  try {
    return parseWgsl(source);
  } catch {
    return undefined;
  }
}

/**
 * A finder of source lines (or names), cached by the code's text: `find` fills the set from the parse of code that
 * contains `needle`; code without it, or that does not parse, has none. For the facts the interpreter looks up at each
 * access (which stores are a fallback, a clamp, ...), computed once per kernel.
 */
export function foundByText<T = number>(needle: string, find: (p: Parsed, out: Set<T>) => void): (code: string) => Set<T> {
  const cache = new Map<string, Set<T>>();
  return (code) => {
    let out = cache.get(code);
    if (out) return out;
    cache.set(code, (out = new Set<T>()));
    const p = code.includes(needle) ? parsedOrNone(code) : undefined;
    if (p) find(p, out);
    return out;
  };
}

/** Parses WGSL; throws wgsl_reflect's message (with its line) when it does not parse. */
export function parseWgsl(source: string): Parsed {
  const tokens = new WgslScanner(source).scanTokens();
  const first = new WeakMap<object, number>();
  const last = new WeakMap<object, number>();
  const parser = new WgslParser() as unknown as ParserHooks & { parse(t: Token[]): Node[] };
  const proto = Object.getPrototypeOf(parser) as ParserHooks;
  // Every node is created right after its last token is consumed; leaves also know where they began.
  parser._updateNode = function <T>(n: T, l?: number): T {
    const r = proto._updateNode.call(this, n, l) as T;
    if (n && typeof n === 'object' && !last.has(n)) last.set(n, this._current - 1);
    return r;
  };
  for (const method of ['_primary_expression', '_unary_expression'] as const) {
    parser[method] = function (this: ParserHooks): Node {
      const at = this._current;
      const n = proto[method].call(this);
      if (n && !first.has(n)) first.set(n, at);
      return n;
    };
  }
  const ast = parser.parse(tokens);

  // wgsl_reflect keeps no node for parentheses: `a * (b + c)`'s right operand is the `b + c` inside them, so a span
  // built from the operands ends before the `)`. Take in the parentheses a span opens but does not close (and the
  // reverse), so the span is always a whole expression.
  const balanced = ([a, b]: [number, number]): [number, number] => {
    let open = 0;
    let close = 0;
    for (let i = a; i <= b; i++) {
      const t = tokens[i]!.lexeme;
      if (t === '(') open++;
      else if (t === ')') open > 0 ? open-- : close++;
    }
    while (open > 0 && tokens[b + 1]?.lexeme === ')') (b++, open--);
    while (close > 0 && tokens[a - 1]?.lexeme === '(') (a--, close--);
    return [a, b];
  };
  const tokensOf = (n: Node): [number, number] => balanced(spanOf(n));
  const spanOf = (n: Node): [number, number] => {
    // A for loop's increment is a statement wgsl_reflect leaves without a span.
    if (n.astNodeType === 'assign') return [tokensOf(n.variable as Node)[0], tokensOf(n.value as Node)[1]];
    if (n.astNodeType === 'increment') return [tokensOf(n.variable as Node)[0], tokensOf(n.variable as Node)[1] + 1];
    let [a, b]: [number | undefined, number | undefined] = n.astNodeType === 'binaryOp'
      ? [tokensOf(n.left as Node)[0], tokensOf(n.right as Node)[1]]
      : n.astNodeType === 'unaryOp' ? [first.get(n) ?? tokensOf(n.right as Node)[0] - 1, tokensOf(n.right as Node)[1]] : [first.get(n), last.get(n)];
    if (a === undefined || b === undefined) throw new Error(`wgsl_reflect gave a ${n.astNodeType} on line ${n.line} no place`);
    // A postfix after parentheses is the inner expression's (parser-fixes.ts): `(*p)[lid]` is `*p` with `[lid]`, and
    // its span ended at `p` (trial 52: a mutant of `(*p)[lid] = (*p)[lid] + ...` cut the text there and did not compile).
    for (let p = n.postfix as Node | undefined; p; p = p.postfix as Node | undefined) b = Math.max(b, last.get(p) ?? b);
    return [a, b];
  };
  const range = (n: Node): [number, number] => {
    if (n.hasSpan) return [n.start, n.end];
    const [a, b] = tokensOf(n);
    return [tokens[a]!.start, tokens[b]!.end];
  };
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  return {
    source,
    tokens,
    ast,
    tokensOf,
    range,
    text: (n) => source.slice(...range(n)),
    tokensIn: (start, end) => tokens.flatMap((t, i) => (t.start >= start && t.end <= end ? [i] : [])),
    position(offset) {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
    },
  };
}

/** The given nodes and every AST node under them (statements and expressions), depth first. */
export function walk(nodes: Node[], visit: (n: Node) => void): void {
  for (const n of nodes) {
    if (!n || typeof n !== 'object') continue;
    visit(n);
    walk(children(n), visit);
  }
}

/** Whether any node under `n` (itself included) satisfies `test`. */
export function walkFinds(n: Node, test: (m: Node) => boolean): boolean {
  let found = false;
  walk([n], (m) => (found ||= test(m)));
  return found;
}

/** Whether a node is a call (a statement's or an expression's). */
export const isCall = (n: Node): boolean => n.astNodeType === 'callExpr' || n.astNodeType === 'call';

/** The variable node an address or a write's target is of, through `&` and `*`: `&(*a)[j]` is a's, not j's (trial
 *  137 B1, trial 151 B1: rootName met the index first). */
export function addressRoot(e: Node | undefined): Node | undefined {
  for (let n = e; n; n = n.right as Node | undefined) {
    if (n.astNodeType === 'varExpr') return n;
    if (n.astNodeType !== 'unaryOp') {
      let root: Node | undefined;
      walk([n], (m) => (root ??= m.astNodeType === 'varExpr' ? m : undefined));
      return root;
    }
  }
  return undefined;
}

/** The first variable an expression names (`flags` of `&flags[j]`), or undefined. */
export function rootName(a: Node | undefined): string | undefined {
  let v: string | undefined;
  if (a) walk([a], (m) => (v ??= m.astNodeType === 'varExpr' ? (m.name as string) : undefined));
  return v;
}

/** Whether a node is a call of one of `builtins`, or of a function of the module that makes one, directly or through
 *  another (WGSL has no recursion): the barriers a helper holds count at its call (portability's nonUniformBarriers,
 *  the sanitizer's phaseLines). */
export function callsInto(p: Parsed, builtins: (name: string) => boolean): (n: Node) => boolean {
  const fns = new Map(p.ast.filter((f) => f.astNodeType === 'function').map((f) => [f.name as string, f]));
  const holds = new Map<string, boolean>();
  const holding = (name: string): boolean => {
    if (!holds.has(name)) {
      holds.set(name, false);
      let found = false;
      walk([fns.get(name)!], (m) => (found ||= reaches(m)));
      holds.set(name, found);
    }
    return holds.get(name)!;
  };
  // A function of the module named like a builtin is that function: WGSL lets a declaration shadow a builtin (trial
  // 143 A6: `fn workgroupBarrier() {}`).
  const reaches = (n: Node): boolean => (n.astNodeType === 'callExpr' || n.astNodeType === 'call') && (fns.has(n.name as string) ? holding(n.name as string) : builtins(n.name as string));
  return reaches;
}

/** The names of the module's own functions. */
/** Whether a top-level declaration is a function marked `@compute`. */
export const isComputeEntry = (n: Node): boolean => n.astNodeType === 'function' && ((n.attributes as Node[] | null) ?? []).some((a) => a.name === 'compute');

/** A module's compute entry points, in source order. */
export const computeEntries = (p: Parsed): Node[] => p.ast.filter(isComputeEntry);

export const ownFunctions = (p: Parsed): Set<string> => new Set(p.ast.filter((n) => n.astNodeType === 'function').map((n) => n.name as string));

/** The first call under `n` (itself included) of a function named in `own`. */
export function ownCallIn(n: Node, own: Set<string>): Node | undefined {
  let found: Node | undefined;
  walk([n], (m) => {
    if (!found && (m.astNodeType === 'callExpr' || m.astNodeType === 'call') && own.has(m.name as string)) found = m;
  });
  return found;
}

// Fields that hold types, attributes or call graphs rather than code.
const SKIP = new Set(['type', 'attributes', 'returnType', 'calls', 'args_types', '_type', 'structInfo']);

/** A statement list's nodes, a bare block's (`{ let N = lid; ... }`, which wgsl_reflect keeps as a list in the list)
 *  included: trial 145 A4's barrier in one went unseen by every walk. */
function flatten(list: unknown[], out: Node[]): void {
  for (const x of list) {
    if (Array.isArray(x)) flatten(x, out);
    else if (isNode(x)) out.push(x);
  }
}

/** The AST nodes directly under a node (statements and expressions; not types, attributes or call graphs), each once:
 *  a loop's `continuing` block is both the last of its body and its `continuing` field (trial 218: a load-then-store
 *  with the store there was found twice). */
export function children(n: Node): Node[] {
  const out: Node[] = [];
  for (const [k, v] of Object.entries(n)) {
    if (SKIP.has(k) || !v || typeof v !== 'object') continue;
    if (Array.isArray(v)) flatten(v, out);
    else if (isNode(v)) out.push(v);
  }
  return out.length > 1 ? [...new Set(out)] : out;
}

/**
 * Whether a name at a character offset inside `fn` names one of its locals (a parameter, or a let, var or const whose
 * scope holds the offset) rather than a module-scope declaration. WGSL scopes a declaration from its end to the end of
 * its compound statement, a for loop's initializer to the end of the loop (§"Declaration and Scope"). wgsl_reflect's
 * AST flattens a bare `{ ... }` into its parent, so the compound statement is found by the braces around the
 * declaration. Before, any local of the name hid the module variable in the whole function: a trial's `let y = 0u;`
 * in an early return's block left every `y[i]` after it unchecked, and a race on y passed on Dawn.
 */
export function localScopes(p: Parsed, fn: Node): (name: string, at: number) => boolean {
  const { at } = declarations(p, fn);
  return (name, offset) => at(name, offset) !== undefined;
}

/** A function's locals, each by a key of its own (`name@offset`, where its scope starts: two `j`s of two loops are
 *  two keys), as localScopes finds their scopes: `at(name, offset)` is the key of the local that a name at that
 *  offset names (the innermost whose scope holds it; undefined for a module-scope name), `of(declaration)` the key a
 *  let, var or const (or a for loop's initializer) declares. */
export function declarations(p: Parsed, fn: Node): { at: (name: string, offset: number) => string | undefined; of: (declaration: Node) => string | undefined } {
  const params = new Set(((fn.args as Node[] | undefined) ?? []).map((a) => a.name as string));
  const [start, end] = p.range(fn);
  const blocks: [number, number][] = [];
  const open: number[] = [];
  for (const t of p.tokens) {
    if (t.start < start || t.start >= end) continue;
    if (t.lexeme === '{') open.push(t.start);
    else if (t.lexeme === '}' && open.length) blocks.push([open.pop()!, t.start]);
  }
  const scopes = new Map<string, [number, number][]>();
  const keys = new Map<Node, string>();
  const add = (n: Node, name: string, from: number, to: number) => {
    scopes.set(name, [...(scopes.get(name) ?? []), [from, to]]);
    keys.set(n, `${name}@${from}`);
  };
  const inits = new Set<Node>();
  walk((fn.body as Node[] | undefined) ?? [], (n) => {
    if (n.astNodeType === 'for' && n.init) {
      // wgsl_reflect gives the initializer no place: its scope starts at the loop header's first `;`.
      const init = n.init as Node;
      inits.add(init);
      const [a, b] = p.range(n);
      const semi = p.tokens.find((t) => t.start > a && t.lexeme === ';');
      if (['let', 'var', 'const'].includes(init.astNodeType) && typeof init.name === 'string') add(init, init.name, semi?.start ?? a, b);
    }
    if (!['let', 'var', 'const'].includes(n.astNodeType) || typeof n.name !== 'string' || inits.has(n)) return;
    const [a, b] = p.range(n);
    const closes = blocks.filter(([o, c]) => o < a && c > a).map(([, c]) => c);
    add(n, n.name, b, closes.length ? Math.min(...closes) : end);
  });
  return {
    at: (name, offset) => {
      let best: number | undefined;
      for (const [from, to] of scopes.get(name) ?? []) if (offset >= from && offset < to && (best === undefined || from > best)) best = from;
      return best !== undefined ? `${name}@${best}` : params.has(name) ? `${name}@param` : undefined;
    },
    of: (d) => keys.get(d),
  };
}

/** Names a function declares (parameters, let, var, const anywhere in its body). */
export function localNames(fn: Node): Set<string> {
  const s = new Set<string>();
  for (const a of (fn.args as Node[] | undefined) ?? []) s.add(a.name as string);
  walk((fn.body as Node[] | undefined) ?? [], (n) => {
    if (['let', 'var', 'const'].includes(n.astNodeType) && typeof n.name === 'string') s.add(n.name);
  });
  return s;
}

const isNode = (x: unknown): x is Node => !!x && typeof x === 'object' && typeof (x as Node).astNodeType === 'string' && 'line' in (x as object);

/**
 * The count expressions of a declaration's array type that name an override, outermost first (undefined for a
 * literal, a const expression or a runtime-sized level): with `override WG: u32`, `var<workgroup> t: array<array<f32,
 * 4>, WG * 2u>` gives ['WG * 2u', undefined]. A count that names no override (a literal, a module-scope const) is
 * evaluated by the parser, rightly.
 */
export function overrideCounts(p: Parsed, decl: Node): (string | undefined)[] {
  return countsNaming(p, decl, new Set(p.ast.filter((n) => n.astNodeType === 'override').map((n) => n.name as string)));
}

/** Of a declaration in `fn`, its array type's count expressions that name a local of `fn` in scope there (a `const K
 *  = 4u` of its block: the parser took the module's K, or 1), outermost first; undefined for the other levels. A name
 *  that is the module's there, though some other block declares it too, is the parser's to size (trial 120 A3). */
export function locallySizedCounts(p: Parsed, fn: Node, decl: Node): (string | undefined)[] {
  // A declaration with no array in its type has no count; one wgsl_reflect gave no place (a for loop's initializer)
  // has none to read.
  if ((decl.type as Node | undefined)?.name !== 'array') return [];
  let offset: number;
  try {
    offset = p.range(decl)[0];
  } catch {
    return [];
  }
  const d = declarations(p, fn);
  return countsNaming(p, decl, new Set([...localNames(fn)].filter((name) => d.at(name, offset) !== undefined)));
}

/**
 * The count expressions of a declaration's array type that name one of `names`, outermost first (undefined for the
 * other levels). Read from the declaration's tokens: wgsl_reflect's AST keeps no span for types and parses a count as
 * a number, from the module's declarations only (a function-scope `const K = 4u` sizing `array<f32, K>` gave 1, or
 * the module's K: trial 118 A3, A4).
 */
export function countsNaming(p: Parsed, decl: Node, names: Set<string>): (string | undefined)[] {
  const ids = p.tokensIn(...p.range(decl));
  const tok = (k: number) => p.tokens[ids[k]!]!;
  const closed: (string | undefined)[] = [];
  /** Each open `array<`: the template depth inside it, and the first token of its count once its comma is met. */
  const open: { depth: number; from: number }[] = [];
  let depth = 0;
  for (let k = ids.findIndex((i) => p.tokens[i]!.lexeme === 'array'); k >= 0 && k < ids.length; k++) {
    const x = tok(k).lexeme;
    if (x === 'array' && tok(k + 1)?.lexeme === '<') open.push({ depth: depth + 1, from: -1 });
    else if (x === '<') depth++;
    else if (x === ',' && open.at(-1)?.depth === depth) open.at(-1)!.from = k + 1;
    else if (x === '>' || x === '>>') {
      for (let c = x === '>>' ? 2 : 1; c > 0; c--, depth--) {
        if (open.at(-1)?.depth !== depth) continue;
        const { from } = open.pop()!;
        let sized = false;
        for (let j = from; j >= 0 && j < k; j++) sized ||= names.has(tok(j).lexeme);
        closed.push(sized ? p.source.slice(tok(from).start, tok(k - 1).end) : undefined);
      }
      if (depth <= 0) break;
    }
  }
  return closed.reverse();
}

/** The source lines each compute entry point runs: its own and those of every function it calls, transitively. */
export function reachableLines(p: Parsed): Map<string, Set<number>> {
  const fns = new Map(p.ast.filter((n) => n.astNodeType === 'function').map((f) => [f.name as string, f]));
  const out = new Map<string, Set<number>>();
  for (const fn of fns.values()) {
    if (!isComputeEntry(fn)) continue;
    const lines = new Set<number>();
    const seen = new Set<string>();
    const visit = (f: Node) => {
      if (seen.has(f.name as string)) return;
      seen.add(f.name as string);
      const [a, b] = [p.position(f.start).line, p.position(f.end).line];
      for (let l = a; l <= b; l++) lines.add(l);
      walk((f.body as Node[] | undefined) ?? [], (n) => {
        const callee = (n.astNodeType === 'callExpr' || n.astNodeType === 'call') && fns.get(n.name as string);
        if (callee) visit(callee);
      });
    };
    visit(fn);
    out.set(fn.name as string, lines);
  }
  return out;
}
