/**
 * The stage object literals a kernel spec's TypeScript source writes (`{ wgsl, entry, workgroups }`), read through the
 * TypeScript compiler's own parser, so that a spec-level mutant sits on the `workgroups:` line of the stage it
 * changes. A spec may return lists of different lengths for different shapes, in any order (trial 178 B3: the
 * longest list came first, and every mutant was placed one list off).
 */
import ts from 'typescript';

/** One object literal with a `workgroups` property. */
export interface StageLiteral {
  /** Offset of its `workgroups` property in the source (UTF-16 code units, as JavaScript strings count). */
  workgroupsAt: number;
  /** Its `entry:` and `wgsl:` where written as string literals or names of const strings; undefined where absent or computed. */
  entry?: string;
  wgsl?: string;
  /** Where `entry:` is a template literal: its fixed text before, between and after the substitutions. */
  entryParts?: string[];
  /** Whether it has an `entry` property at all (absent means the entry point `main`). */
  namesEntry: boolean;
  /** Its index in the array literal that holds it directly, if any. */
  index?: number;
}

/** Every stage literal of `source`, in source order. A source TypeScript cannot parse gives what it could parse. */
export function stageLiterals(source: string, fileName = 'kernel.ts'): StageLiteral[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: StageLiteral[] = [];
  // `const MAIN = 'main'`: a name a literal may give its entry by (trial 182 B2), where it is declared once.
  const strings = new Map<string, string | null>();
  const collect = (n: ts.Node) => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && ts.isStringLiteralLike(n.initializer) && (ts.getCombinedNodeFlags(n) & ts.NodeFlags.Const)) {
      strings.set(n.name.text, strings.has(n.name.text) ? null : n.initializer.text);
    }
    ts.forEachChild(n, collect);
  };
  collect(file);
  const stringOf = (e: ts.Expression | undefined) => (!e ? undefined : ts.isStringLiteralLike(e) ? e.text : ts.isIdentifier(e) ? strings.get(e.text) ?? undefined : undefined);
  const nameOf = (p: ts.ObjectLiteralElementLike) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined);
  const visit = (n: ts.Node) => {
    if (ts.isObjectLiteralExpression(n)) {
      const props = new Map(n.properties.map((p) => [nameOf(p), p]));
      const workgroups = props.get('workgroups');
      if (workgroups) {
        // `entry: 'main'`, `entry: MAIN`, or `{ entry }` with `entry` a const.
        const init = (name: string) => {
          const p = props.get(name);
          return p && ts.isPropertyAssignment(p) ? p.initializer : p && ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
        };
        const text = (name: string) => stringOf(init(name));
        const entry = text('entry');
        const wgsl = text('wgsl');
        // A template (`scan_blocks_${s.op}`): its fixed parts, in order, which a name it gives must hold.
        const template = init('entry');
        const parts = template && ts.isTemplateExpression(template) ? [template.head.text, ...template.templateSpans.map((t) => t.literal.text)] : undefined;
        const parent = n.parent;
        out.push({
          workgroupsAt: workgroups.getStart(file),
          ...(entry !== undefined ? { entry } : {}),
          ...(wgsl !== undefined ? { wgsl } : {}),
          namesEntry: props.has('entry'),
          ...(parts ? { entryParts: parts } : {}),
          ...(ts.isArrayLiteralExpression(parent) ? { index: parent.elements.indexOf(n) } : {}),
        });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
  return out;
}

/**
 * The literal that writes stage `index` of a list, running `entry` of `wgsl`: the first literal that names both and
 * sits at that index of its array (two lists that both begin with `init` share one mutant, placed on the first), else
 * the first that names them at any index (a template literal names those it can give), else undefined (a spec that
 * builds its stages with names computed otherwise: the caller places the mutant by count).
 */
export function literalOf(literals: StageLiteral[], index: number, wgsl: string, entry: string): StageLiteral | undefined {
  const fits = literals.filter((l) => (l.entryParts ? templateGives(l.entryParts, entry) : l.namesEntry ? l.entry === entry : entry === 'main') && (l.wgsl === undefined || l.wgsl === wgsl));
  return fits.find((l) => l.index === index) ?? fits[0];
}

/** Whether a template literal with these fixed parts can give `name`: each part in order, the first at its start and
 *  the last at its end. */
function templateGives(parts: string[], name: string): boolean {
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!name.startsWith(first) || !name.endsWith(last) || name.length < first.length + last.length) return false;
  let at = first.length;
  for (const part of parts.slice(1, -1)) {
    const i = name.indexOf(part, at);
    if (i < 0 || i + part.length > name.length - last.length) return false;
    at = i + part.length;
  }
  return true;
}
