// The mutation report in the ecosystem's own format: mutation.json per the npm mutation-testing-report-schema (what
// Stryker's dashboard and tools read) and an HTML page rendered by mutation-testing-elements' own
// <mutation-test-report-app>, its bundled script inlined so the page opens from disk.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { MutationTestResult } from 'mutation-testing-report-schema';
import type { LoadedKernel } from '../run/registry.ts';
import { LIBRARY, ROOT } from '../run/registry.ts';
import { mutationScore, type Baseline, type MutantResult } from './run.ts';
import { packageVersion } from '../results/build.ts';

export interface ReportInput {
  kernel: LoadedKernel;
  /** Source of every file a mutant names, by the name the mutant uses. */
  sources: Record<string, string>;
  /** Each file's path relative to the library (the report's projectRoot). */
  paths: Record<string, string>;
  /** Every mutant's state: one engine's, or the engines' combined (harness/cli/mutate.ts: combineVerdicts). */
  results: MutantResult[];
  /** With several engines: each engine's verdicts, in the order of `results`. */
  byEngine?: Record<string, MutantResult[]>;
  /** The baseline of each engine that ran (its properties are the report's tests). */
  baselines?: Record<string, Baseline>;
  config: Record<string, unknown>;
  performance?: { setup: number; initialRun: number; mutation: number };
}

export function mutationReport(o: ReportInput): MutationTestResult {
  const files: MutationTestResult['files'] = {};
  const engines = Object.entries(o.baselines ?? {});
  // With several engines a test is a property on one engine ('dawn:matches-reference'), so killedBy says which.
  const tests = engines.flatMap(([e, b]) => b.properties.map((p) => ({ id: o.byEngine ? `${e}:${p.property.name}` : p.property.name, p: p.property, e })));
  for (const [file, source] of Object.entries(o.sources)) {
    files[o.paths[file] ?? file] = {
      // Prism, which the report app highlights with, has no WGSL grammar; the name is kept for other readers.
      language: file.endsWith('.wgsl') ? 'wgsl' : 'typescript',
      source,
      mutants: o.results.flatMap((r, i) => (r.file !== file ? [] : [{
        id: r.id,
        mutatorName: r.operator,
        replacement: r.replacement,
        description: r.description,
        location: { start: r.location.start, end: r.location.end },
        status: r.status,
        ...(r.statusReason ? { statusReason: r.statusReason } : {}),
        ...(r.killedBy ? { killedBy: r.killedBy.split(',') } : {}),
        // Every property that can judge covers every reachable mutant; one not run was covered by none.
        coveredBy: ['NoCoverage', 'Ignored', 'Pending'].includes(r.status) ? [] : tests.filter((t) => !o.byEngine || !['NoCoverage', 'Ignored', 'Pending'].includes(o.byEngine[t.e]![i]!.status)).map((t) => t.id),
        testsCompleted: r.testsCompleted,
        duration: Math.round(r.durationMs),
        // The per-engine column (an extra field: the schema allows them; Stryker's tools ignore it).
        ...(o.byEngine ? { engines: Object.fromEntries(Object.entries(o.byEngine).map(([e, rs]) => [e, verdict(rs[i]!)])) } : {}),
      }])),
    };
  }
  const family = o.kernel.family.name;
  return {
    schemaVersion: '2',
    thresholds: { high: 80, low: 60 },
    projectRoot: LIBRARY,
    files,
    testFiles: {
      [`properties/${family}.properties.ts`]: {
        tests: tests.map((t) => ({ id: t.id, name: `${t.id}: ${t.p.description}` })),
      },
    },
    framework: { name: 'kernelscope', version: packageVersion() },
    config: o.config,
    ...(o.byEngine ? { scoreByEngine: Object.fromEntries(Object.entries(o.byEngine).map(([e, rs]) => [e, mutationScore(rs)])) } : {}),
    ...(o.performance ? { performance: o.performance } : {}),
  };
}

/** One engine's verdict on a mutant, as the report's per-engine field gives it. */
function verdict(r: MutantResult) {
  return { status: r.status, ...(r.killedBy ? { killedBy: r.killedBy } : {}), ...(r.statusReason ? { statusReason: r.statusReason } : {}), testsCompleted: r.testsCompleted, duration: Math.round(r.durationMs) };
}

/** Writes DIR/mutation.json atomically (a reader never sees half a file) and DIR/index.html. */
export function writeReport(dir: string, report: MutationTestResult, html = true): void {
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(report, null, 1);
  const tmp = join(dir, `.mutation.json.${process.pid}`);
  writeFileSync(tmp, json);
  renameSync(tmp, join(dir, 'mutation.json'));
  if (html) writeFileSync(join(dir, 'index.html'), reportHtml(report));
}

/** A self-contained page: mutation-testing-elements' bundle and the report inlined. */
export function reportHtml(report: MutationTestResult): string {
  const require = createRequire(import.meta.url);
  const bundle = readFileSync(join(require.resolve('mutation-testing-elements'), '..', 'mutation-test-elements.js'), 'utf8');
  // Neither the script nor the JSON may end the <script> element early.
  const inline = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1');
  const title = Object.keys(report.files).join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>kernelscope mutation report: ${title.replace(/[<&]/g, '')}</title>
<script>${inline(bundle)}</script>
</head>
<body>
<mutation-test-report-app title-postfix="kernelscope"></mutation-test-report-app>
<script>document.querySelector('mutation-test-report-app').report = ${inline(JSON.stringify(report))};</script>
</body>
</html>
`;
}

/** A path relative to the repository when inside it. */
export function shownPath(path: string): string {
  const r = relative(ROOT, path);
  return r.startsWith('..') ? path : r;
}
