// `kernelscope report DIR... --out DIR` and the writing half of `test`: load, merge, apply expectations, write the
// page and the JUnit file, say in one paragraph what happened, and pick the exit status.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ResultsFile } from '../results/schema.ts';
import { loadResultsSet, MERGED_SCHEMA, ResultsLoadError, resultsPathOf, type MergedResultsFile } from './load.ts';
import { mergeResults, type MergedCell, type MergedReport } from './merge.ts';
import { applyExpectations, entryText, isNewProblem, loadExpectations, staleByEntry } from './expectations.ts';
import { toHtml } from './html.ts';
import { toJUnit } from './junit.ts';
import { tally, tallyText, verdictLine, verdictOf } from './status.ts';

export interface WriteOptions {
  /** Where relative fixture paths are found (the project root the runs were started from). Default: cwd. */
  projectRoot?: string;
}

/** A link from the page in outDir to a fixture, which may sit under the project root or beside the run's results. */
export function fixtureLink(outDir: string, fixture: string, source: string, projectRoot = process.cwd()): string {
  const candidates = isAbsolute(fixture) ? [fixture] : [resolve(projectRoot, fixture), resolve(dirname(source), fixture)];
  const found = candidates.find((p) => existsSync(p)) ?? candidates[0]!;
  return relative(resolve(outDir), found).split(sep).map(encodeURIComponent).join('/');
}

export function writeReports(outDir: string, merged: MergedReport, opts: WriteOptions = {}): { html: string; junit: string } {
  mkdirSync(outDir, { recursive: true });
  const html = join(outDir, 'index.html');
  const junit = join(outDir, 'junit.xml');
  writeFileSync(html, toHtml(merged, { fixtureHref: (f, source) => fixtureLink(outDir, f, source, opts.projectRoot) }));
  writeFileSync(junit, toJUnit(merged));
  return { html, junit };
}

export interface ReportCommandOptions extends WriteOptions {
  /** Default: expectations.json in the project root (projectRoot, else the working directory); a missing file means
   *  no expectations. The CLI passes the library's (KERNELSCOPE_LIBRARY, else this repository), so the verdict does
   *  not depend on where the command runs (a trial's report exited 1 from /tmp and 0 from the checkout). */
  expectations?: string;
  /** The report of one shard's own run (`test --shard`): its other shards are not missing from it. */
  shardAlone?: boolean;
  /** `report` of runs tested earlier: where no expectations file applies and a result fails or errors, say which file
   *  was looked for (a run tested under another library's expectations loses them here). */
  reReport?: boolean;
  log?: (line: string) => void;
  error?: (line: string) => void;
  now?: Date;
}

export function reportCommand(dirs: string[], outDir: string, opts: ReportCommandOptions = {}): 0 | 1 | 2 {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const error = opts.error ?? ((l: string) => process.stderr.write(`${l}\n`));
  if (!dirs.length) {
    error('kernelscope report: name at least one run directory or results.json');
    return 2;
  }
  const warnings: string[] = [];
  const mergedPath = join(outDir, 'results.json');
  // What this report would write goes first, as `test` does: a report that fails (a truncated input, a malformed
  // expectations.json) left the last one's page, JUnit and results.json in --out, which a CI step then published as
  // this one's (a trial's). An input's own results.json (report DIR --out DIR) is the record, and stays.
  const inputPaths = new Set(dirs.map((d) => {
    try {
      return resolve(resultsPathOf(d));
    } catch {
      return undefined;
    }
  }));
  // --out an input's folder, with other runs merged in: its page and junit.xml would describe the merge beside a
  // results.json of that one run (never overwritten), which a later `report --out` of that folder reads as the record
  // (a trial's `report A B --out A`). One run's own folder (report A --out A, as `test` does) stays allowed.
  if (inputPaths.has(resolve(mergedPath)) && inputPaths.size > 1) {
    error(`kernelscope report: --out ${outDir} holds ${mergedPath}, one of the runs merged, which a merged report must not sit beside (its page would describe other runs too); choose another --out`);
    return 2;
  }
  for (const f of ['index.html', 'junit.xml']) rmSync(join(outDir, f), { force: true });
  let files: { path: string; data: import('../results/schema.ts').ResultsFile }[] = [];
  let merged: MergedReport;
  try {
    // A run named twice (`report work/A work/A`, or a merged file beside one of its own runs) is one run: merged twice
    // it counted 2 runs and listed its source twice, without a word (a trial's).
    const named = new Map<string, string>();
    const origins: (string | undefined)[] = [];
    const repeated: string[] = [];
    for (const d of dirs) {
      const path = resultsPathOf(d);
      const first = named.get(resolve(path));
      if (first !== undefined) {
        repeated.push(`${path} is named twice (${first === d ? d : `${first} and ${d}`}): its runs are counted once`);
        continue;
      }
      named.set(resolve(path), d);
      const set = loadResultsSet(path, { warn: (m) => warnings.push(m) });
      // Where each run was named: on its own, or as a run of a merged file (report MERGED RUN named one path twice).
      const how = (origin: string | undefined) => (origin === undefined ? 'on its own' : `as a run of ${origin}`);
      for (const f of set) {
        const text = JSON.stringify(f.data);
        const same = files.findIndex((g) => JSON.stringify(g.data) === text);
        const origin = set.length > 1 || f.path !== path ? path : undefined;
        if (same < 0) {
          files.push(f);
          origins.push(origin);
        } else if (files[same]!.path === f.path) {
          repeated.push(`${f.path} is named twice (${how(origins[same])} and ${how(origin)}): counted once`);
        } else repeated.push(`${f.path} is the same run as ${files[same]!.path} (identical results.json): counted once`);
      }
    }
    const expectationsPath = opts.expectations ?? join(opts.projectRoot ?? process.cwd(), 'expectations.json');
    const expectations = loadExpectations(expectationsPath);
    const plain = mergeResults(files, opts.now);
    merged = applyExpectations({ ...plain, warnings: [...repeated, ...plain.warnings] }, expectations);
    if (opts.shardAlone) merged.shardAlone = true;
    if (expectations.length) merged.expectationsFile = `${expectationsPath} (${expectations.length} entr${expectations.length === 1 ? 'y' : 'ies'})`;
    else if (opts.reReport) merged.expectationsNone = expectationsPath;
  } catch (e) {
    // A results.json that a merged input names as one of its runs is a run's own record too (never overwritten below).
    if (!inputPaths.has(resolve(mergedPath)) && !files.some((f) => resolve(f.path) === resolve(mergedPath))) rmSync(mergedPath, { force: true });
    error(`kernelscope report: ${e instanceof ResultsLoadError ? e.message : (e as Error).message}`);
    return 2;
  }

  const written = writeReports(outDir, merged, opts);
  // Never overwrite a run's own results.json (report DIR with --out DIR): it is the record the page was built from.
  const isInput = files.some((f) => resolve(f.path) === resolve(mergedPath)) ||
    dirs.some((d) => resolve(resultsPathOf(d)) === resolve(mergedPath));
  if (!isInput) {
    const out: MergedResultsFile = { schema: MERGED_SCHEMA, generatedAt: merged.generatedAt, warnings: merged.warnings, sources: files };
    writeFileSync(mergedPath, `${JSON.stringify(out, null, 2)}\n`);
  }
  const code = verdictOf(merged).exitCode;
  log(summary(merged, [written.html, written.junit, ...(isInput ? [] : [mergedPath])]));
  return code;
}

/** Kernel/property pairs of one seed and one code (sourceHash) that failed on some engines and passed on others.
 *  Engines that ran other WGSL under the kernel's name say nothing of the engines: a trial's --wgsl twin failing on
 *  the interpreter beside the library's kernel passing on Dawn read "Engines disagree". */
export function verdictSplits(cells: MergedCell[]): { kernel: string; property: string; failing: string[]; passing: string[] }[] {
  const groups = new Map<string, MergedCell[]>();
  for (const c of cells) {
    if (c.mixedCode) continue;
    const key = `${c.kernel}\0${c.property}\0${c.seed}\0${c.result?.sourceHash ?? ''}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(c);
  }
  const out: { kernel: string; property: string; failing: string[]; passing: string[] }[] = [];
  for (const g of groups.values()) {
    // A failure expectations.json lists is known, not news.
    const failing = g.filter((c) => c.status === 'fail' && !c.expectation?.matched).map((c) => c.engine);
    // Not an engine that skipped some of the cases (the interpreter, over its budget): the failing case may be one it
    // never ran, and the engines do not disagree on it (trial 164 B1).
    const passing = g.filter((c) => c.status === 'pass' && !Number(c.result?.notes?.skippedCases ?? 0)).map((c) => c.engine);
    if (failing.length && passing.length) out.push({ kernel: g[0]!.kernel, property: g[0]!.property, failing, passing });
  }
  return out;
}

/** `test`'s count of its own run, with expectations applied: the same numbers as its report's summary and junit.xml. */
export function runTallyText(data: ResultsFile, path: string, opts: { expectations: string; shardAlone?: boolean }): string {
  let expectations: ReturnType<typeof loadExpectations> = [];
  try {
    expectations = loadExpectations(opts.expectations);
  } catch {
    // Read and checked before the run; the report that follows says it if it no longer reads.
  }
  const merged = applyExpectations(mergeResults([{ path, data }]), expectations);
  return tallyText(tally({ ...merged, ...(opts.shardAlone ? { shardAlone: true } : {}) }));
}

export function summary(merged: MergedReport, wrote: string[]): string {
  const hosts = [...new Set(merged.runs.map((r) => r.host).filter(Boolean))];
  const unavailable = merged.engines.filter((e) => e.status === 'unavailable');
  const newProblems = merged.cells.filter(isNewProblem);
  // Bits that differ where every engine passed are rounding within the bounds; where one failed, the failure says
  // more, and "allowed within the bounds" was said of three failing pairs (trial 57 B6).
  const failed = new Set(merged.cells.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => `${c.kernel}/${c.property}`));
  const diverging = merged.crossEngine.filter((x) => x.divergent.length && !failed.has(`${x.kernel}/${x.property}`));
  const parts = [
    `kernelscope report: ${merged.runs.length} run${merged.runs.length === 1 ? '' : 's'}${hosts.length ? ` (${hosts.join(', ')})` : ''}, ` +
      `${merged.engines.length} engine column${merged.engines.length === 1 ? '' : 's'}: ${tallyText(tally(merged))} (as junit.xml counts them).`,
  ];
  if (newProblems.length) {
    const shown = newProblems.slice(0, 5).map((p) => `${p.kernel}/${p.property} on ${p.engine} (${p.status})`).join(', ');
    parts.push(`New problems: ${shown}${newProblems.length > 5 ? ` and ${newProblems.length - 5} more` : ''}.`);
  }
  if (unavailable.length) parts.push(`Unavailable: ${unavailable.map((e) => `${e.key} (${e.reasons[0]?.reason ?? '?'})`).join('; ')}.`);
  // A failure on one engine where another passed the same drawn cases looks like any failure (trial 30's int8 dot
  // product failed on the interpreter alone, an interpreter bug): said, so that it is checked on the others.
  const splits = verdictSplits(merged.cells);
  if (splits.length) {
    const shown = splits.slice(0, 5).map((x) => `${x.kernel}/${x.property} fails on ${x.failing.join(', ')}, passes on ${x.passing.join(', ')}`).join('; ');
    // Trial 179 B2: an access check that fails on the interpreter alone is one the GPU engines' check cannot make
    // (atomics, accesses through a pointer), not a value computed differently.
    const accessChecks = splits.filter((x) => /^no-(data-race|out-of-bounds)/.test(x.property) && x.failing.every((e) => e.startsWith('interpreter')));
    const values = splits.length > accessChecks.length
      ? `the same drawn cases: one engine computed something else on one of them: either the kernel has a race, hands out slots by an atomic's old value in an order WGSL leaves open (a sort's ranks from atomicAdd, which one engine may give in invocation order every run), depends on the order its atomics land in, which WGSL leaves open too (a flag or a label another invocation tests, which one engine's lockstep may keep the same every run), or a value WGSL leaves open, which engines may compute differently, or that engine has a bug, which a kernel with neither points to; \`kernelscope replay FIXTURE --backend ENGINE\` runs the saved case on another engine` : '';
    const access = accessChecks.length
      ? `${accessChecks.map((x) => `${x.kernel}/${x.property}`).join(', ')} ${accessChecks.length === 1 ? 'is an access check that fails' : 'are access checks that fail'} on the interpreter alone, which sees every access, where a GPU engine's sanitized kernel records no atomic (whose lost updates only the interpreter looks for) and no access through a pointer handed to a helper: the failure's message says which` : '';
    parts.push(`Engines disagree on ${splits.length} kernel/property pair${splits.length === 1 ? '' : 's'}: ${shown}${splits.length > 5 ? `; and ${splits.length - 5} more` : ''} (${[values, access].filter(Boolean).join('; ')}).`);
  }
  // Said with what it means (a trial took it for a problem on a run that passed): engines may round differently within
  // WGSL's bounds; a value outside them is a failure of its own.
  if (diverging.length) parts.push(`${diverging.length} kernel/property pair${diverging.length === 1 ? '' : 's'} differ in bits across engines (allowed within the bounds; index.html's "Cross-engine agreement" shows which cases, and which engine is closer to the reference).`);
  if (merged.expectationsFile) parts.push(`Applied ${merged.expectationsFile}.`);
  // A run re-reported under another library (no KERNELSCOPE_LIBRARY) lost its expected failures without a word, and
  // exited 1 where `test` had exited 0 (trial 57 C5): the file looked for is named where it would have mattered.
  // Trial 179 B3: where KERNELSCOPE_LIBRARY is set, that is the library looked in, and telling the user to set it
  // suggested a mismatch that was not there.
  else if (merged.expectationsNone && failed.size) parts.push(`No expectations applied: ${merged.expectationsNone} ${existsSync(merged.expectationsNone) ? 'lists none' : 'does not exist'} (report applies the expectations.json of the library that KERNELSCOPE_LIBRARY names, as test does${process.env.KERNELSCOPE_LIBRARY ? '' : ': give it the KERNELSCOPE_LIBRARY the runs were tested with to apply theirs'}).`);
  // Named, not only counted: an entry that no longer matches hides the next real failure of what it covers. Named as
  // the file has it (index, patterns), with the results it covers that pass: a user edits entries, not results.
  const stale = staleByEntry(merged.staleExpectations ?? []);
  if (stale.length) {
    parts.push(`Stale expectation${stale.length === 1 ? '' : 's'} (results they cover pass now): ${stale.map((g) => {
      const all = g.passing.length === g.covered;
      const shown = g.passing.slice(0, 3).map((p) => `${p.kernel}/${p.property} on ${p.cellEngine}`).join(', ') + (g.passing.length > 3 ? `, and ${g.passing.length - 3} more` : '');
      const one = g.covered === 1;
      return `entry ${entryText(g.entry)}, expected ${g.expected}: ${all ? (one ? 'the result it covers passes' : `all ${g.covered} results it covers pass`) : `${g.passing.length} of the ${g.covered} results it covers pass`} ` +
        `(${shown}); ${all ? 'remove it' : 'narrow it to what still does not pass'}`;
    }).join('; ')}.`);
  }
  const unused = merged.unusedExpectations ?? [];
  if (unused.length) parts.push(`Unused expectation${unused.length === 1 ? '' : 's'} (matched no result of these runs): ${unused.map((u) => `entry ${entryText(u.entry)}`).join(', ')}.`);
  const unexercised = merged.unexercisedExpectations ?? [];
  if (unexercised.length) parts.push(`Unexercised expectation${unexercised.length === 1 ? '' : 's'} (every result covered was skipped, so the known failure was not run): ${unexercised.map((u) =>
    `entry ${entryText(u.entry)}, expected ${u.expected}: ${u.covered === 1 ? 'its result' : `all ${u.covered} of its results`} skipped`).join('; ')}.`);
  if (merged.warnings.length) parts.push(`Warnings: ${merged.warnings.join('; ')}.`);
  parts.push(`Wrote ${wrote.join(', ')}.`, verdictLine(verdictOf(merged)));
  return parts.join(' ');
}
