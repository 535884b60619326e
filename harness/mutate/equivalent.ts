// The reviewed list of equivalent mutants: survivors that cannot change any output, each with the reason. A mutant
// matches an entry by kernel, file, line, operator, original text and replacement, so an edit of the line makes the
// entry stale (it then matches nothing, and the mutant is judged again) rather than hiding a new bug.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { EngineInfo } from '../engines/engine.ts';
import { adapterLabel } from '../reports/merge.ts';
import { OPERATORS, type Mutant } from './operators.ts';

const Entry = z.object({
  kernel: z.string(),
  file: z.string(),
  line: z.number().int().positive(),
  operator: z.enum(OPERATORS),
  original: z.string(),
  replacement: z.string(),
  reason: z.string().min(20),
  /** Only on engines whose adapter label (reports/merge.ts `adapterLabel`) contains this, case-insensitive, e.g.
   *  "swiftshader": a mutant that no input can show on that driver, but that another engine may kill. */
  adapter: z.string().min(1).optional(),
});
const File = z.array(Entry);
export type EquivalentMutant = z.infer<typeof Entry>;

export const EQUIVALENT_FILE = 'kernels/equivalent-mutants.json';

/** Reads the library's list; a malformed file is an error naming the entry and field. */
export function loadEquivalents(library: string): EquivalentMutant[] {
  const path = join(library, EQUIVALENT_FILE);
  if (!existsSync(path)) return [];
  const parsed = File.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${EQUIVALENT_FILE}: entry ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/** Marks the kernel's mutants that the list names. */
export function markEquivalents(kernel: string, mutants: Mutant[], list: EquivalentMutant[]): void {
  for (const m of mutants) {
    const e = list.find((x) => x.kernel === kernel && x.file === m.file && x.line === m.location.start.line &&
      x.operator === m.operator && x.original === m.original && x.replacement === m.replacement);
    if (e) Object.assign(m, { equivalent: e.reason }, e.adapter ? { equivalentOnAdapter: e.adapter } : {});
  }
}

/** The reason to leave `m` out on this engine, if its entry applies here (every engine, or the entry's adapter). */
export function equivalenceHere(m: Mutant, engine: EngineInfo): string | undefined {
  if (!m.equivalent) return undefined;
  if (!m.equivalentOnAdapter) return `equivalent (reviewed, ${EQUIVALENT_FILE}): ${m.equivalent}`;
  const label = adapterLabel(engine);
  if (!label.toLowerCase().includes(m.equivalentOnAdapter.toLowerCase())) return undefined;
  return `equivalent on this adapter (${label}; reviewed, ${EQUIVALENT_FILE}): ${m.equivalent}`;
}
