// `if (A && f(x)) { ... }`, as a tree reduction's merge step writes it (`lid < s && better(...)`): wgsl_reflect's
// debugger makes every call of a statement before the statement, so f would run whatever A is (patches/README.md
// §24), and unsupported.ts refuses such a kernel. With no else, it is the same statement by WGSL's rules as
// `if (A) { if (f(x)) { ... } }` (§8.6: the right operand of && is evaluated only when the left is true), which the
// debugger runs right: the interpreter runs it so, its lines kept. An if whose condition is `A || f(x)`, or `A &&
// f(x)` with an else, is run as `var c = A; if (!c) { c = f(x); } if (c) ...`. What this does not take (a call in a
// let's or a loop's condition, or deeper in the condition) is still refused.
import { ownCallIn, ownFunctions, parseWgsl, walk, type Node } from '../../mutate/parse.ts';

const cache = new Map<string, string>();

/** `code` with each such if written as two nested ifs; `code` itself where there is none or it does not parse. */
export function withNestedIfs(code: string): string {
  if (!code.includes('&&') && !code.includes('||')) return code;
  let out = cache.get(code);
  if (out !== undefined) return out;
  out = code;
  try {
    // One if at a time, from the start again: an edit moves the places of everything after it.
    for (let edits = 0; edits < 64; edits++) {
      const next = nestOne(out, edits);
      if (next === undefined) break;
      out = next;
    }
  } catch {
    out = code;
  }
  cache.set(code, out);
  return out;
}

function nestOne(code: string, serial: number): string | undefined {
  const p = parseWgsl(code);
  const own = ownFunctions(p);
  let edit: string | undefined;
  walk(p.ast, (n) => {
    if (edit !== undefined || n.astNodeType !== 'if') return;
    const cond = n.condition as Node;
    const op = cond.operator as string;
    if (cond.astNodeType !== 'binaryOp' || (op !== '&&' && op !== '||') || !ownCallIn(cond.right as Node, own)) return;
    const [, condEnd] = p.range(cond);
    const [leftStart, leftEnd] = withParens(p, cond.left as Node);
    const [rightStart, rightEnd] = withParens(p, cond.right as Node);
    // The body's braces: the first `{` after the condition, and the if's last token.
    const [ifStart, ifEnd] = p.range(n);
    const inIf = p.tokensIn(ifStart, ifEnd).map((i) => p.tokens[i]!);
    const open = inIf.find((t) => t.start >= condEnd && t.lexeme === '{');
    const close = inIf[inIf.length - 1];
    if (!open || close?.lexeme !== '}') return;
    if (op === '||' || (n.elseif as Node[] | null)?.length || (n.else as Node[] | null)?.length) {
      // `if (A || f(x)) {` as `var c: bool = A; if (!c) { c = f(x); } if (c) {` (`&&`: `if (c)`), which WGSL's rules
      // make the same statement, an else and all (§8.6: the right operand is evaluated only where the left does not
      // decide), and the debugger runs right, its hoisted call inside the inner block. On the if's own lines: the
      // line breaks of the condition follow it. A trial's TF.js-style argmax (`best < 0 || better(...)`) was refused.
      const c = `_ks_sc${serial}`;
      const left = code.slice(leftStart, leftEnd);
      const right = code.slice(rightStart, rightEnd);
      // The operands keep their own line breaks; the rest of the head's follow (a trial's operand over two lines put
      // every later line one too low when all were added again).
      const lines = (t: string) => (t.match(/\n/g) ?? []).length;
      const breaks = '\n'.repeat(lines(code.slice(ifStart, open.end)) - lines(left) - lines(right));
      edit = `${code.slice(0, ifStart)}var ${c}: bool = ${left}; if (${op === '||' ? '!' : ''}${c}) { ${c} = ${right}; } if (${c}) {${breaks}${code.slice(open.end)}`;
      return;
    }
    // `&&` and what lies around it go; their line breaks stay, before the inner if, so every line keeps its number.
    const breaks = '\n'.repeat((code.slice(leftEnd, rightStart).match(/\n/g) ?? []).length);
    const between = code.slice(rightEnd, open.end);
    edit = `${code.slice(0, leftStart)}${code.slice(leftStart, leftEnd)}${between}${breaks} if (${code.slice(rightStart, rightEnd)}) {${code.slice(open.end, close.start)}} }${code.slice(close.end)}`;
  });
  return edit;
}

/** A node's range with the parentheses around it (`hasParen`): wgsl_reflect's range leaves them out, and a right
 *  operand `(b < 0 || f(x))` came out as `if (a)) { if (b < 0 || f(x)) {`, which does not parse (a trial's argmax
 *  tree was then refused). */
function withParens(p: ReturnType<typeof parseWgsl>, n: Node): [number, number] {
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
