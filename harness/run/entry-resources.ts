// The resources (module-scope variables with a @binding) an entry point uses, as WebGPU's layout 'auto' counts them:
// every name in the entry's body and in the functions it calls, transitively, that is not a local in scope there.
// The harness binds exactly these (a bind group must match 'auto''s layout entry for entry), and the interpreter binds
// these. wgsl_reflect's list missed a buffer read only after a member access, in a switch's selector or in a `break if`
// (a trial's embedding gather `emb.rows[ids[t] * dim + j]` was a bind-group error on every GPU engine), and took a
// parameter, or a local of an outer block, for the buffer of the same name (one binding too many). Found on the AST with
// WGSL's scopes (parse.ts localScopes). Node-free.
import { localScopes, parsedOrNone, walk, type Node } from '../mutate/parse.ts';

/** The names of the resources `entry` of `code` uses; undefined where the code does not parse or has no such entry. */
export function entryResources(code: string, entry: string): Set<string> | undefined {
  const p = parsedOrNone(code);
  if (!p) return undefined;
  const bound = new Set(p.ast.filter((n) => n.astNodeType === 'var' && ((n.attributes as { name: string }[] | null) ?? []).some((a) => a.name === 'binding')).map((n) => n.name as string));
  const functions = new Map(p.ast.filter((n) => n.astNodeType === 'function').map((n) => [n.name as string, n]));
  if (!functions.has(entry)) return undefined;
  const used = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const fn = functions.get(name)!;
    const local = localScopes(p, fn);
    walk((fn.body as Node[] | undefined) ?? [], (n) => {
      if (n.astNodeType === 'varExpr' && bound.has(n.name as string) && !local(n.name as string, p.range(n)[0])) used.add(n.name as string);
      if ((n.astNodeType === 'callExpr' || n.astNodeType === 'call') && functions.has(n.name as string) && !local(n.name as string, p.range(n)[0])) visit(n.name as string);
    });
  };
  visit(entry);
  return used;
}
