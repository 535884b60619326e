/**
 * Spec-level mutants (DispatchMinusOne): made from a kernel spec and its TypeScript source, not from WGSL. Apart from
 * operators.ts, which the visualizer bundles, since placing them reads the spec with the TypeScript compiler.
 */
import type { KernelSpec } from '../spec.ts';
import { reflect } from '../run/reflect.ts';
import type { Mutant } from './operators.ts';
import { literalOf, stageLiterals, type StageLiteral } from './spec-stages.ts';

/**
 * Spec-level mutants: each stage of the kernel dispatches one workgroup fewer along x (and along y when 2-D). A stage is
 * its index in the list `stages` returns and the object literal that writes it, so a spec whose lists differ by shape
 * (`[init, partial, finish]` past one block, `[init, direct]` below) has a mutant of each, and each changes only the
 * cases whose list runs one of its entry points at that index (trial 178 B3: "stage 1 (partial)" removed `direct`'s
 * workgroup). A stage whose literal the source does not show (built in a loop, a computed entry name) is its index
 * alone, whatever it runs.
 */
export function specMutants(spec: KernelSpec, kernelFile: string, kernelSource: string, sources: Record<string, string>, shapes: unknown[] = [new Proxy({}, { get: () => 1 })]): Mutant[] {
  const literals = stageLiterals(kernelSource, kernelFile);
  const declared = (wgsl: string, entry: string) => {
    try {
      return reflect(sources[wgsl] ?? '').entries.has(entry);
    } catch {
      return true; // a file that does not parse: the run says so
    }
  };
  // Every stage of every shape's list (trial 177 B1: a sum whose `finish` stage runs only past one block had no mutant
  // of it, the shape of ones giving one stage), but not one a placeholder shape names and the WGSL lacks.
  const groups = new Map<string, { stage: number; wgsl: string; entries: Set<string>; literal?: StageLiteral }>();
  let longest = 0;
  for (const shape of shapes) {
    let list: ReturnType<KernelSpec['stages']>;
    try {
      list = spec.stages(shape as never);
    } catch {
      continue; // a shape the spec refuses: another gives its stages
    }
    longest = Math.max(longest, list.length);
    list.forEach((s, stage) => {
      const entry = s.entry ?? 'main';
      if (!declared(s.wgsl, entry)) return;
      const literal = literalOf(literals, stage, s.wgsl, entry);
      const key = literal ? `${stage} ${literal.workgroupsAt}` : `${stage}`;
      const group = groups.get(key) ?? { stage, wgsl: s.wgsl, entries: new Set<string>(), ...(literal ? { literal } : {}) };
      group.entries.add(entry);
      groups.set(key, group);
    });
  }
  // Placed on the spec's `workgroups:` line (TypeScript, not WGSL), where the dispatch count is computed: the stage's
  // own literal where the source shows it (trial 152 B1: every stage's mutant sat on the first stage's line); else the
  // line of the same count from the end (the longest list is most often returned last), or the one line all stages
  // share. Parsed, so a comment's "65,535 workgroups: a second row" is none.
  const lines = literals.map((l) => l.workgroupsAt);
  const atOf = (g: { stage: number; literal?: StageLiteral }) =>
    g.literal?.workgroupsAt ?? (lines.length >= longest ? lines[lines.length - longest + g.stage]! : lines[0] ?? 0);
  const pos = (o: number) => {
    const before = kernelSource.slice(0, o).split('\n');
    return { line: before.length, column: before[before.length - 1]!.length + 1 };
  };
  const out: Mutant[] = [];
  for (const [g, at] of [...groups.values()].map((g) => [g, atOf(g)] as const).sort(([a, x], [b, y]) => a.stage - b.stage || x - y)) {
    const { stage, wgsl } = g;
    const entries = [...g.entries];
    const lineEnd = kernelSource.indexOf('\n', at);
    const size = reflect(sources[wgsl] ?? '').entries.get(entries[0]!)?.workgroupSize ?? [1, 1, 1];
    const axes = size[1] > 1 ? [0, 1] : [0];
    for (const axis of axes) {
      const original = kernelSource.slice(at, lineEnd < 0 ? undefined : lineEnd);
      out.push({
        id: '', operator: 'DispatchMinusOne', file: kernelFile, start: at, end: at + original.length, original,
        location: { start: pos(at), end: pos(at + original.length) },
        replacement: `${original} /* stage ${stage} (${entries.join(' or ')}): ${'xyz'[axis]} count - 1 */`,
        description: `stage ${stage} (${wgsl}:${entries.join(' or ')}) dispatches one workgroup fewer along ${'xyz'[axis]}`,
        dispatch: { stage, axis, ...(g.literal ? { entries } : {}) },
      });
    }
  }
  return out;
}
