// What the WGSL rewrites (sanitize.ts, instrument.ts, engines/loop-limit.ts) share: edits that only insert text within
// lines (or replace a call), so every line number of the kernel stays valid, the tokens of an entry point's signature,
// and an entry point made a plain function that a wrapper calls. Node-free.
import type { Node, Parsed } from '../mutate/parse.ts';

export interface Edit {
  at: number;
  text: string;
  /** Order among edits at one offset, highest first: openings outermost first, closings innermost first. */
  order: number;
  /** The edit replaces the source up to here (a whole call), rather than inserting. */
  drop?: number;
}

/** The source with the edits made; an edit inside a replaced span is dropped with it. */
export function applyEdits(code: string, edits: Edit[]): string {
  const sorted = [...edits].sort((x, y) => x.at - y.at || y.order - x.order);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.at < at) continue;
    out += code.slice(at, e.at) + e.text;
    at = e.drop ?? e.at;
  }
  return out + code.slice(at);
}

/** Token indices (into p.tokens) of a function's `fn`, the `(` and `)` of its parameters, and its body's `{`. */
export function signatureTokens(p: Parsed, fn: Node): { fn: number; paren: number; close: number; open: number } {
  const ts = p.tokensIn(fn.start, fn.end);
  let i = ts.findIndex((k, j) => p.tokens[k]!.lexeme === 'fn' && p.tokens[ts[j + 1]!]?.lexeme === fn.name);
  const at = ts[i]!;
  while (p.tokens[ts[i]!]!.lexeme !== '(') i++;
  const paren = i;
  let depth = 0;
  let close = i;
  for (; close < ts.length; close++) {
    const l = p.tokens[ts[close]!]!.lexeme;
    if (l === '(') depth++;
    else if (l === ')' && --depth === 0) break;
  }
  let open = close;
  while (p.tokens[ts[open]!]!.lexeme !== '{') open++;
  return { fn: at, paren: ts[paren]!, close: ts[close]!, open: ts[open]! };
}

/** An entry point's builtins by name, as the expressions that reach them (`gid`, or `input.gid` for a struct
 *  parameter's member). */
export function entryBuiltins(p: Parsed, fn: Node): Map<string, string> {
  const structs = new Map(p.ast.filter((n) => n.astNodeType === 'struct').map((s) => [s.name as string, s]));
  const builtinOf = (attrs: unknown) => ((attrs as Node[] | null) ?? []).find((a) => a.name === 'builtin')?.value as string | undefined;
  const have = new Map<string, string>();
  for (const a of (fn.args as Node[]) ?? []) {
    const b = builtinOf(a.attributes);
    if (b) have.set(b, a.name as string);
    const s = structs.get((a.type as Node | undefined)?.name as string);
    for (const m of (s?.members as Node[] | undefined) ?? []) {
      const mb = builtinOf(m.attributes);
      if (mb) have.set(mb, `${a.name as string}.${m.name as string}`);
    }
  }
  return have;
}

/** The source from token `from` to token `to` (inclusive) with each comment between them as one space: text that
 *  goes elsewhere, where a line comment would swallow what follows it (trial 49's trailing `// one per row`). */
function tokenText(p: Parsed, from: number, to: number): string {
  let out = '';
  for (let k = from; k <= to; k++) {
    const t = p.tokens[k]!;
    if (k > from) {
      const gap = p.source.slice(p.tokens[k - 1]!.end, t.start);
      out += /^\s*$/.test(gap) ? gap : ' ';
    }
    out += p.source.slice(t.start, t.end);
  }
  return out;
}

/** Edits that comment out tokens `from` to `to` (inclusive) one by one, inserting only, the comments between them left
 *  as they are: one block comment around them all broke on a comment among them that holds a `*\/` or a `/*`, which
 *  nest (trial 49). A closing comes before an opening at one offset (order). */
function commentOut(p: Parsed, edits: Edit[], from: number, to: number): void {
  for (let k = from; k <= to; k++) edits.push({ at: p.tokens[k]!.start, text: '/*', order: 0 }, { at: p.tokens[k]!.end, text: '*/', order: 1 });
}

/** Token index of the `)` that closes the `(` at `open`. */
function closing(p: Parsed, open: number): number {
  let k = open;
  for (let d = 0; k < p.tokens.length; k++) {
    const l = p.tokens[k]!.lexeme;
    if (l === '(') d++;
    else if (l === ')' && --d === 0) break;
  }
  return k;
}

/**
 * Makes a compute entry point a plain function named `prefix` + its name, in place: its attributes and its
 * parameters' are commented out (every line keeps its text), but for `@diagnostic`, which stays with the code it
 * governs (trial 49's subgroup_uniformity). Returns what a new entry point of the old name, appended at the end, needs
 * to call it: the entry's attributes, its parameter list (attributes included, comments left out), and the call's
 * arguments. Such a wrapper runs its code once after the kernel, by whatever `return` it left: a lane mask runs the
 * code at every return of a SIMD program, so code put at each would cost as many times over.
 */
export function asPlainFunction(p: Parsed, fn: Node, edits: Edit[], prefix: string): { attrs: string; params: string; args: string } {
  // The entry's tokens: `@attributes fn NAME (` ... `)` ... `{`.
  const { fn: fnAt, paren, close } = signatureTokens(p, fn);
  const attrs: string[] = [];
  for (let k = fnAt - 1; k >= 0;) {
    // Back over `@name` or `@name(...)`.
    let at = k;
    if (p.tokens[at]!.lexeme === ')') {
      let d = 0;
      for (; at >= 0; at--) {
        const l = p.tokens[at]!.lexeme;
        if (l === ')') d++;
        else if (l === '(' && --d === 0) break;
      }
      at--;
    }
    if (at < 1 || p.tokens[at - 1]!.lexeme !== '@') break;
    attrs.unshift(tokenText(p, at - 1, k));
    if (p.tokens[at]!.lexeme !== 'diagnostic') commentOut(p, edits, at - 1, k);
    k = at - 2;
  }
  edits.push({ at: p.tokens[fnAt + 1]!.start, text: prefix, order: 0 });
  for (let k = paren + 1; k < close; k++) {
    if (p.tokens[k]!.lexeme !== '@') continue;
    const end = p.tokens[k + 2]?.lexeme === '(' ? closing(p, k + 2) : k + 1;
    commentOut(p, edits, k, end);
    k = end;
  }
  const params = close > paren + 1 ? tokenText(p, paren + 1, close - 1) : '';
  const args = ((fn.args as Node[]) ?? []).map((a) => a.name as string).join(', ');
  return { attrs: attrs.join(' '), params, args };
}
