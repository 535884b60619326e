// `A && f(x)` and `A || f(x)`, where f is one of the kernel's own functions: wgsl_reflect's debugger makes every call
// of a statement before the statement (patches/README.md §24), so f would run whatever A is, where WGSL runs it only
// when A does not decide (§8.6 "Logical Expressions"). The interpreter runs such an operation as
// `var c: bool = A; if (c) { c = f(x); }` (`if (!c)` for ||), placed before its statement, with `c` where the operation
// was: the same program by WGSL's rules wherever nothing of the statement is evaluated before the operation, which
// the debugger runs right, the hoisted call inside the inner block. That holds where the operation (in parentheses,
// under `!`, or as the left operand of another operation, all evaluated first) is
//   - an if's or else-if's condition (a tree reduction's `lid < s && better(...)`, a TF.js-style argmax's
//     `best < 0 || better(...)`),
//   - a let's or var's initializer, a return's value, a `break if` condition,
//   - the value assigned to a reference whose indices read no var (a var could be written by f),
//   - a while's or for's condition, moved into the loop's body as `if !(c) { break; }`.
// Every line keeps its number. What this does not take (an operation deeper in an expression, a for's initializer or
// increment) is refused by unsupported.ts, never judged.
import { ownCallIn, ownFunctions, parseWgsl, walk, type Node, type Parsed } from '../../mutate/parse.ts';

const cache = new Map<string, string>();

/** `code` with each such operation written out as above; `code` itself where there is none or it does not parse. */
export function withShortCircuits(code: string): string {
  if (!code.includes('&&') && !code.includes('||')) return code;
  let out = cache.get(code);
  if (out !== undefined) return out;
  out = code;
  try {
    // One at a time, from the start again: an edit moves the places of everything after it.
    for (let edits = 0; edits < 64; edits++) {
      const next = rewriteOne(out, edits);
      if (next === undefined) break;
      out = next;
    }
  } catch {
    out = code;
  }
  cache.set(code, out);
  return out;
}

const lines = (t: string) => (t.match(/\n/g) ?? []).length;

function rewriteOne(code: string, serial: number): string | undefined {
  const p = parseWgsl(code);
  const own = ownFunctions(p);
  const c = `_ks_sc${serial}`;
  // The operation in first place in `v`, its left operand's calls included: v itself, inside parentheses, under a
  // unary operator, or the left operand of another binary operation.
  const first = (v: Node | undefined): Node | undefined => {
    for (let n = v; n; ) {
      if (n.astNodeType === 'binaryOp' && (n.operator === '&&' || n.operator === '||') && ownCallIn(n.right as Node, own)) return n;
      n = n.astNodeType === 'binaryOp' ? (n.left as Node) : n.astNodeType === 'unaryOp' ? (n.right as Node) : undefined;
    }
    return undefined;
  };
  // `var c: bool = A; if (c) { c = f(x); } ` and `value`'s text with `c` in the operation's place.
  const hoist = (value: Node, op: Node): { before: string; value: string } => {
    const [vStart, vEnd] = withParens(p, value);
    const [oStart, oEnd] = withParens(p, op);
    const left = code.slice(...withParens(p, op.left as Node));
    const right = code.slice(...withParens(p, op.right as Node));
    return {
      before: `var ${c}: bool = ${left}; if (${op.operator === '||' ? '!' : ''}${c}) { ${c} = ${right}; } `,
      value: `${code.slice(vStart, oStart)}${c}${code.slice(oEnd, vEnd)}`,
    };
  };
  // `head` in place of code[start, end), padded with the line breaks it lost.
  const replace = (start: number, end: number, head: string) =>
    `${code.slice(0, start)}${head}${'\n'.repeat(Math.max(0, lines(code.slice(start, end)) - lines(head)))}${code.slice(end)}`;
  // A statement whose `value` is evaluated first: the hoisted part goes before it.
  const before = (statement: Node, value: Node, op: Node) => {
    const [sStart] = p.range(statement);
    const [vStart, vEnd] = withParens(p, value);
    const h = hoist(value, op);
    return replace(sStart, vEnd, `${h.before}${code.slice(sStart, vStart)}${h.value}`);
  };
  // A for's initializer and increment are statements with no room before them.
  const inForHead = new Set<Node>();
  walk(p.ast, (n) => {
    if (n.astNodeType === 'for') for (const s of [n.init, n.increment]) if (s) inForHead.add(s as Node);
  });
  const vars = new Set<string>();
  walk(p.ast, (n) => {
    if (n.astNodeType === 'var') vars.add(n.name as string);
  });

  let edit: string | undefined;
  walk(p.ast, (n) => {
    if (edit !== undefined || inForHead.has(n)) return;
    let op: Node | undefined;
    switch (n.astNodeType) {
      case 'if': {
        if ((op = first(n.condition as Node))) edit = before(n, n.condition as Node, op);
        else {
          const elseIf = (n.elseif as Node[] | null)?.find((e) => first(e.condition as Node));
          if (elseIf) edit = unchain(p, n, elseIf);
        }
        return;
      }
      case 'let':
      case 'var':
      case 'return':
        if ((op = first(n.value as Node))) edit = before(n, n.value as Node, op);
        return;
      case 'break':
        if ((op = first(n.condition as Node))) edit = before(n, n.condition as Node, op);
        return;
      case 'assign':
        if (n.operator === '=' && (op = first(n.value as Node)) && readsNoVar(n.variable as Node, vars, own)) edit = before(n, n.value as Node, op);
        return;
      case 'while':
      case 'for': {
        const cond = n.condition as Node | null;
        if (!cond || !(op = first(cond))) return;
        const [cStart, cEnd] = withParens(p, cond);
        const [, nEnd] = p.range(n);
        const open = p.tokens.find((t) => t.start >= cEnd && t.end <= nEnd && t.lexeme === '{');
        if (!open) return;
        const h = hoist(cond, op);
        const check = `${h.before}if !(${h.value}) { break; }`;
        const [nStart] = p.range(n);
        // `while (A && f(x)) {` as `loop { ... if !(c) { break; }`; a for keeps its head, its condition left empty.
        const head = n.astNodeType === 'while' ? `loop { ${check}` : `${code.slice(nStart, cStart)}${code.slice(cEnd, open.end)} ${check}`;
        edit = replace(nStart, open.end, head);
        return;
      }
    }
  });
  return edit;

  /** `} else if (A && f(x)) { ... } else { ... }` as `} else { if (A && f(x)) { ... } else { ... } }`, whose if the
   *  next round takes. */
  function unchain(p: Parsed, chain: Node, elseIf: Node): string | undefined {
    const [cStart] = withParens(p, elseIf.condition as Node);
    const at = p.tokens.findLastIndex((t) => t.end <= cStart);
    const [ifTok, elseTok] = [p.tokens[at], p.tokens[at - 1]];
    if (ifTok?.lexeme !== 'if' || elseTok?.lexeme !== 'else') return undefined;
    const [, chainEnd] = p.range(chain);
    return `${code.slice(0, elseTok.end)} {${code.slice(elseTok.end, chainEnd)} }${code.slice(chainEnd)}`;
  }
}

/** Whether an assignment's target reads nothing that a call on its right could change: its indices name no var and
 *  dereference no pointer (WGSL evaluates the target before the value), and call nothing of the kernel's. */
function readsNoVar(target: Node, vars: Set<string>, own: Set<string>): boolean {
  if (target.astNodeType !== 'varExpr' && target.astNodeType !== 'variableExpr') return false;
  let ok = true;
  for (let q = target.postfix as Node | undefined; q; q = q.postfix as Node | undefined) {
    const index = q.index as Node | undefined;
    if (!index) continue;
    if (ownCallIn(index, own)) ok = false;
    walk([index], (m) => {
      if ((m.astNodeType === 'varExpr' || m.astNodeType === 'variableExpr') && vars.has(m.name as string)) ok = false;
      // A let may point at a var: `arr[*p]`.
      if (m.astNodeType === 'unaryOp' && m.operator === '*') ok = false;
    });
  }
  return ok;
}

/** A node's range with the parentheses around it (`hasParen`): wgsl_reflect's range leaves them out, and a right
 *  operand `(b < 0 || f(x))` came out as `if (a)) { if (b < 0 || f(x)) {`, which does not parse (a trial's argmax
 *  tree was then refused). */
function withParens(p: Parsed, n: Node): [number, number] {
  let [a, b] = p.range(n);
  if (!n.hasParen) return [a, b];
  // Out to the first pair that is not the operand's own: `if ((a) && f())` stops at `(a)`, before the if's `(`.
  for (;;) {
    const before = p.tokens.filter((t) => t.end <= a).at(-1);
    const after = p.tokens.find((t) => t.start >= b);
    if (before?.lexeme !== '(' || after?.lexeme !== ')') return [a, b];
    [a, b] = [before.start, after.end];
  }
}
