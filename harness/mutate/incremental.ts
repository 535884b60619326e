// `--changed`, Stryker's incremental mode: the verdicts of the last mutation.json are kept for every mutant whose
// line did not change, and only the others run. A mutant is the same as one in the last report when its file, operator,
// replacement and columns match and the text of every line it spans is the same (so a line that only moved keeps its
// verdict); among mutants that match the same way, the n-th matches the n-th. The verdicts are comparable only when
// the same properties judged them the same way: a report of another seed, --runs or property selection, or one
// without the engine, is not reused, and the reason says so. With several engines each engine's verdict is kept apart.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Mutant } from './operators.ts';
import type { MutantResult, MutantStatus } from './run.ts';

/** Verdicts that stand while the mutant's line and the properties stay as they were. Ignored (the equivalents list,
 *  known hangs), RuntimeError and Pending are decided again: they cost nothing or said nothing. */
const KEPT: MutantStatus[] = ['Killed', 'Survived', 'Timeout', 'NoCoverage', 'CompileError'];

const Position = z.object({ line: z.number().int().positive(), column: z.number().int().positive() });
const Verdict = z.object({
  status: z.string(),
  statusReason: z.string().optional(),
  killedBy: z.union([z.array(z.string()), z.string()]).optional(),
  testsCompleted: z.number().optional(),
  duration: z.number().optional(),
});
const Report = z.object({
  config: z.record(z.string(), z.unknown()).optional(),
  files: z.record(z.string(), z.object({
    source: z.string(),
    mutants: z.array(Verdict.extend({
      mutatorName: z.string(),
      replacement: z.string().optional(),
      location: z.object({ start: Position, end: Position }),
      // The per-engine verdicts of a run on several engines (report.ts).
      engines: z.record(z.string(), Verdict).optional(),
    })),
  })),
});

/** The configuration that must match for a verdict to be kept. */
export interface JudgedBy {
  backend: string;
  properties: string[];
  runs: number;
  seed: number;
}

export interface Previous {
  /** Kept verdicts by index into the mutants given. */
  kept: Map<number, MutantResult>;
  /** Why nothing was kept, when nothing could be (no report, another configuration). */
  reason?: string;
}

/**
 * Finds the verdicts of `dir/mutation.json` that still hold for `mutants`. `sources` and `paths` are the current
 * files' text and shown paths, by the name the mutants use (the report's file keys are the shown paths).
 * A mutation.json that does not parse is an error naming it and what to do.
 */
export function previousVerdicts(dir: string, mutants: Mutant[], sources: Record<string, string>, paths: Record<string, string>, judged: JudgedBy): Previous {
  const path = join(dir, 'mutation.json');
  const kept = new Map<number, MutantResult>();
  if (!existsSync(path)) return { kept, reason: `no earlier report at ${path}: every mutant runs` };
  let parsed;
  try {
    parsed = Report.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message.split('\n')[0]}); delete it, or run without --changed`);
  }
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.')}: ${issue.message}; delete it, or run without --changed`);
  }
  const config = parsed.data.config ?? {};
  const differs = (['properties', 'runs', 'seed'] as const).find((k) => JSON.stringify(config[k]) !== JSON.stringify(judged[k]));
  if (differs) return { kept, reason: `the earlier report was judged with another ${differs} (${JSON.stringify(config[differs])}, now ${JSON.stringify(judged[differs])}): every mutant runs` };
  const engines = String(config.backend ?? '').split(',');
  if (!engines.includes(judged.backend)) return { kept, reason: `the earlier report was judged on ${engines.join(', ')}, not ${judged.backend}: every mutant runs` };

  // The earlier verdicts by key, in the order of their file.
  const earlier = new Map<string, MutantResult[]>();
  for (const [shown, f] of Object.entries(parsed.data.files)) {
    for (const m of f.mutants) {
      // A report of several engines keeps each engine's verdict apart; a report of one engine has only that one.
      const v = engines.length > 1 ? m.engines?.[judged.backend] : m;
      if (!v || !(KEPT as string[]).includes(v.status)) continue;
      const k = key(shown, m.mutatorName, m.replacement ?? '', m.location, f.source);
      const list = earlier.get(k) ?? [];
      const killedBy = typeof v.killedBy === 'string' ? v.killedBy : v.killedBy?.[0];
      list.push({
        status: v.status as MutantStatus,
        ...(killedBy ? { killedBy } : {}),
        ...(v.statusReason ? { statusReason: v.statusReason } : {}),
        testsCompleted: v.testsCompleted ?? 0,
        durationMs: v.duration ?? 0,
        ...(v.statusReason?.startsWith('outputs bit-identical') ? { unobservable: true } : {}),
      } as MutantResult);
      earlier.set(k, list);
    }
  }
  const taken = new Map<string, number>();
  mutants.forEach((m, i) => {
    if (m.equivalent || m.unreachable || m.hangs) return;
    const k = key(paths[m.file] ?? m.file, m.operator, m.replacement, m.location, sources[m.file] ?? '');
    const n = taken.get(k) ?? 0;
    taken.set(k, n + 1);
    const before = earlier.get(k)?.[n];
    if (before) kept.set(i, { ...m, ...before });
  });
  return { kept };
}

/** What identifies a mutant across edits of other lines: file, operator, replacement, columns, its lines' text. */
function key(file: string, operator: string, replacement: string, loc: { start: { line: number; column: number }; end: { line: number; column: number } }, source: string): string {
  const lines = source.split('\n').slice(loc.start.line - 1, loc.end.line);
  return JSON.stringify([file, operator, replacement, loc.start.column, loc.end.column, loc.end.line - loc.start.line, lines]);
}
