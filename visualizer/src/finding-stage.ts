// Which stage of a multi-stage kernel a counterexample's finding is in, from the WGSL's AST. Node-free and free of the
// page's catalog, so tests import it.
import { Call, CallExpr, Function as AstFunction, VariableExpr, WgslParser, type Node as AstNode } from 'wgsl_reflect/wgsl_reflect.module.js';

/**
 * The stage a counterexample's finding is in: the one an out-of-bounds message names, or for a race the first whose entry point reaches the variable the message names
 * ("data race ... on local_bins (workgroup memory) ..."), directly or through the functions it calls, by its AST.
 * A new user's histogram raced in its second stage, and the panel opened on the first and said "not reproduced".
 */
export function stageOfFinding(message: string | undefined, stages: readonly { file: string; entry: string }[], sources: Record<string, string>): number | undefined {
  // An access outside a buffer names its stage ("stage 3 of 3: invocation 0 of workgroup (11, 1, 0) reads ...").
  const named = /\bstage (\d+) of (\d+): /.exec(message ?? '');
  if (named && Number(named[2]) === stages.length) return Number(named[1]) - 1;
  const variable = /\bon (\w+) \((?:workgroup memory|buffer \d+|a storage buffer)/.exec(message ?? '')?.[1];
  if (!variable || stages.length < 2) return undefined;
  for (let i = 0; i < stages.length; i++) {
    try {
      const ast = new WgslParser().parse(sources[stages[i]!.file] ?? '') as AstNode[];
      const fns = new Map(ast.filter((n): n is AstFunction => n instanceof AstFunction).map((f) => [f.name, f]));
      const seen = new Set<string>();
      const reaches = (name: string): boolean => {
        const f = fns.get(name);
        if (!f || seen.has(name)) return false;
        seen.add(name);
        let found = false;
        const calls: string[] = [];
        const visit = (n: AstNode) => {
          if (n instanceof VariableExpr && n.name === variable) found = true;
          else if (n instanceof CallExpr || n instanceof Call) calls.push(n.name);
        };
        for (const st of f.body) {
          visit(st);
          st.search(visit);
        }
        return found || calls.some(reaches);
      };
      if (reaches(stages[i]!.entry)) return i;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
