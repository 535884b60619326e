// wgsl_reflect sizes a workgroup array whose element count names an override (`var<workgroup> tile: array<f32, TILE *
// TILE>`) as one element, whatever the pipeline's constants (unsupported.ts refuses such a module). A pipeline fixes
// its overrides when it is created, so for one dispatch the count is a constant: the interpreter runs the module with
// each such name written as its value. Three trials' kernels in that style (tiled matmuls, a bitonic sort, a layer
// norm) were skipped on the interpreter before.
import { overrideIntegers } from '../../run/reflect.ts';
import { parseWgsl } from '../../mutate/parse.ts';

const cache = new Map<string, string>();

/**
 * `code` with each override named in a workgroup variable's type replaced by its integer value under `constants`
 * (keyed by name or @id, as GPUProgrammableStage.constants), each on its own line and column range; `code` as it is
 * where there is none, or where a value cannot be had (then unsupported.ts still refuses it).
 */
export function withOverrideCounts(code: string, constants: Record<string, number> = {}): string {
  if (!code.includes('override')) return code; // per dispatch of every case: most modules have none
  const key = `${JSON.stringify(constants)}\u0000${code}`;
  let out = cache.get(key);
  if (out !== undefined) return out;
  out = code;
  try {
    const p = parseWgsl(code);
    const overrides = new Set(p.ast.filter((n) => n.astNodeType === 'override').map((n) => n.name as string));
    // A workgroup variable's type names an override only in an array's element count.
    const at = p.ast.filter((n) => n.astNodeType === 'var' && n.storage === 'workgroup')
      .flatMap((n) => p.tokensIn(...p.range(n)).map((i) => p.tokens[i]!).filter((t) => overrides.has(t.lexeme)));
    const values = at.length ? overrideIntegers(code, new Set(at.map((t) => t.lexeme)), constants) : undefined;
    if (values) {
      for (const t of [...at].sort((a, b) => b.start - a.start)) out = `${out.slice(0, t.start)}(${values.get(t.lexeme)})${out.slice(t.end)}`;
    }
  } catch {
    out = code; // a module that does not parse: its compiler says why
  }
  cache.set(key, out);
  return out;
}
