// How a merged cell is shown and counted, the same in the HTML, the JUnit file and the printed summary. Node-free:
// the report page's client code imports it.
import { BACKENDS } from '../engines/engine.ts';
import type { MergedCell, MergedReport } from './merge.ts';
import { missingShards } from './shard.ts';

export const DISPLAY_STATUSES = ['pass', 'fail', 'error', 'skip', 'expected-fail', 'unavailable'] as const;
export type DisplayStatus = (typeof DISPLAY_STATUSES)[number];

export function displayStatus(cell: Pick<MergedCell, 'status' | 'expectation'>): DisplayStatus {
  if ((cell.status === 'fail' || cell.status === 'error') && cell.expectation?.matched) return 'expected-fail';
  return cell.status;
}

export function countStatuses(cells: readonly Pick<MergedCell, 'status' | 'expectation'>[]): Record<DisplayStatus, number> {
  const counts = Object.fromEntries(DISPLAY_STATUSES.map((s) => [s, 0])) as Record<DisplayStatus, number>;
  for (const c of cells) counts[displayStatus(c)]++;
  return counts;
}

/** What the exit status says, for the printed summary, the HTML page and the JUnit file alike. */
export interface Verdict {
  exitCode: 0 | 1;
  /** Failures and errors that no expectation accounts for. */
  newProblems: number;
  /** Engines that were asked for, could not start, and no 'skip' expectation covers, with their reasons. */
  unavailable: { engine: string; reason: string }[];
  /** Results that skipped (a missing feature, every case over a budget) and no 'skip' expectation covers, with the
   *  reason of one of them (cells are in the report's order, not the run's): never counted as passes. */
  skipped: { count: number; first?: string };
  /** Results that skipped as expectations.json lists, and engines that did not start as it lists. */
  expectedSkips: number;
  expectedEngines: number;
  /** Nothing was computed: no result at all, or every result skipped or its engine did not start, expected or not. */
  nothingComputed: boolean;
  /** Runs whose results.json says they did not finish (complete: false: killed, crashed, or still running), with
   *  their result counts: the results they never wrote are missing, not passing. */
  incomplete: string[];
  /** Shards of a sharded run that no merged file holds (shard.ts missingShards). */
  missingShards: string[];
  /** Kernels whose row holds results of more than one code (sourceHash) where a code did not run every cell of the
   *  row, each with what ran where: no code of it was judged on the whole row (partialCodes). */
  partialCode: string[];
}

/**
 * The kernels of a merge whose rows hold more than one code (its WGSL, spec and library modules, by sourceHash) where some code did
 * not run every property and engine of the row, e.g. "vadd: code 6c4762f9 in shA/results.json (4 of 7 results), code
 * 691044fe in shB/results.json (3 of 7 results)". Shards of one run that tested different code (a kernel edited between them) each
 * passed their share, and the merge said the run passed: the code that failed no-out-of-bounds never ran it (trial
 * 75 A1). A cell both ran shows the worst of them already (merge.ts combine); where every code ran every cell, each
 * was judged whole and nothing is said here.
 */
function partialCodes(cells: readonly MergedCell[]): string[] {
  const rows = new Map<string, { cells: Set<string>; codes: Map<string, { cells: Set<string>; sources: Set<string> }> }>();
  for (const c of cells) {
    const row = rows.get(c.kernel) ?? rows.set(c.kernel, { cells: new Set(), codes: new Map() }).get(c.kernel)!;
    const id = `${c.property}\u0000${c.engine}`;
    row.cells.add(id);
    const runs = c.from ?? (c.result ? [{ source: c.source, result: c.result }] : []);
    for (const r of runs) {
      if (!r.result.sourceHash) continue;
      const code = row.codes.get(r.result.sourceHash) ?? row.codes.set(r.result.sourceHash, { cells: new Set(), sources: new Set() }).get(r.result.sourceHash)!;
      code.cells.add(id);
      code.sources.add(r.result.wgsl ? `${r.source} (--wgsl ${r.result.wgsl})` : r.source);
    }
  }
  const out: string[] = [];
  for (const [kernel, row] of rows) {
    if (row.codes.size < 2 || [...row.codes.values()].every((c) => c.cells.size === row.cells.size)) continue;
    out.push(`${kernel}: ${[...row.codes].map(([hash, c]) => `code ${hash.replace(/^\w+:/, '').slice(0, 8)} in ${[...c.sources].join(', ')} (${c.cells.size} of ${row.cells.size} results)`).join(', ')}`);
  }
  return out;
}

/**
 * Exit 1 for a new failure or error, for an engine that was asked for and could not start unless
 * expectations.json lists it as an expected skip (every cell of its column covered), for a run in which every
 * result skipped (unless each is an expected skip) or that holds no result, for a run that did not finish, and for
 * a shard missing from a sharded run; else 0. The last three came of a trial of `report` as a CI merge step: a
 * killed job's partial file, an empty one and a missing shard each merged to "The run passes".
 */
export function verdictOf(merged: Pick<MergedReport, 'cells' | 'engines' | 'runs' | 'shardAlone'>): Verdict {
  // A failure or error no expectation accounts for still displays as one.
  const newProblems = merged.cells.filter((c) => ['fail', 'error'].includes(displayStatus(c))).length;
  const unavailable = merged.engines
    .filter((e) => e.status === 'unavailable')
    .filter((e) => {
      const cells = merged.cells.filter((c) => c.engine === e.key);
      return !cells.length || cells.some((c) => !c.expectation?.matched);
    })
    .map((e) => ({ engine: e.key, reason: e.reasons[0]?.reason ?? 'no reason given' }));
  const skips = merged.cells.filter((c) => c.status === 'skip' && !c.expectation?.matched);
  const first = skips[0];
  const skipped = { count: skips.length, ...(first ? { first: `${first.kernel}/${first.property} on ${first.engine}: ${first.result?.error ?? first.reason ?? 'no reason given'}` } : {}) };
  // A run in which no result computed anything says nothing about the kernels: a CI wrapper must not read it as a pass,
  // not even where expectations.json lists every skip (trial 75 A2: the one engine asked for did not start, listed as
  // an expected skip, and the run "passed" with nothing run).
  const computed = merged.cells.some((c) => c.status === 'pass' || c.status === 'fail' || c.status === 'error');
  const nothingComputed = !computed;
  const expectedSkips = merged.cells.filter((c) => c.status === 'skip' && c.expectation?.matched).length;
  const incomplete = merged.runs.filter((r) => !r.complete && !r.supersededBy).map((r) => {
    // Trial 105 B3: an engine the run never reached appeared nowhere in the report: named from the command line.
    // `all`, or none given (dawn), as `test` reads them (trial 225 B3: a killed `--backend all` named none).
    const asked = r.argv ? askedBackends(r.argv) : [];
    const reached = new Set(r.engines.map((e) => e.split(' ')[0]));
    const never = asked.filter((b) => !reached.has(b));
    return `${r.path} (${r.resultCount} result${r.resultCount === 1 ? '' : 's'}${never.length ? `; never reached: ${never.join(', ')}` : ''})`;
  });
  const lacking = merged.shardAlone ? [] : missingShards(merged.runs);
  const partialCode = partialCodes(merged.cells);
  const exitCode = newProblems || unavailable.length || nothingComputed || incomplete.length || lacking.length || partialCode.length ? 1 : 0;
  const expectedEngines = merged.engines.filter((e) => e.status === 'unavailable').length - unavailable.length;
  return { exitCode, newProblems, unavailable, skipped, expectedSkips, expectedEngines, nothingComputed, incomplete, missingShards: lacking, partialCode };
}

/** The verdict in one sentence, e.g. "The run fails: 2 new problems (...); engine chromium did not start (...)". */
export function verdictLine(v: Verdict): string {
  const n = v.skipped.count;
  const skips = `${n} result${n === 1 ? '' : 's'} skipped`;
  if (!v.exitCode) {
    if (!n) return 'The run passes: everything asked for passed or is listed in expectations.json.';
    return `The run passes: everything that ran passed or is listed in expectations.json; ${skips}, not counted as passes (one: ${v.skipped.first}).`;
  }
  const parts = [
    ...(v.newProblems ? [`${v.newProblems} new problem${v.newProblems === 1 ? '' : 's'} (failed or errored, not in expectations.json)`] : []),
    ...v.unavailable.map((u) => `engine ${u.engine} did not start and expectations.json does not list it as a skip`),
    ...(v.nothingComputed ? [n ? `nothing was judged: every result skipped (${skips}; one: ${v.skipped.first})`
      : v.expectedSkips ? `nothing was judged: every result skipped (${v.expectedSkips}, each as expectations.json lists), so the run says nothing of any kernel`
      : v.unavailable.length || v.expectedEngines ? 'nothing was computed: no engine asked for started' : 'nothing was computed: the run holds no result'] : []),
    ...v.incomplete.map((r) => `${r} did not finish (complete: false), so the results it never wrote are missing`),
    ...v.missingShards.map((s) => `${s} is missing: its results never ran here`),
    ...v.partialCode.map((k) => `kernel ${k.replace(': ', ' ran different code: ')}; a code that ran only some of the row's results was judged on those alone, and its pass is not the kernel's (merge runs of one code, or run each code on every property and engine)`),
  ];
  return `The run fails: ${parts.join('; ')}.`;
}

/**
 * What junit.xml counts, for the summaries to say the same numbers: failures; errors (results, engines that did not
 * start and no expectation lists, the run as a whole: nothing computed, unfinished, a missing shard); skipped (skips,
 * expected failures, results of engines that did not start, engines whose not starting is expected). A trial read
 * "2 failed" and "1 fail, 1 expected failure" on the terminal beside failures="1" skipped="1", and an engine's
 * "starts" error that the terminal never counted.
 */
export interface Tally {
  /** JUnit's tests: the results, one test per engine that did not start, one per problem of the run as a whole. */
  tests: number;
  results: number;
  passed: number;
  failed: number;
  errors: number;
  /** Of the errors: engines that did not start (one JUnit test each), and what fails the run as a whole. */
  engineErrors: number;
  runErrors: number;
  skipped: number;
  /** Of the skipped: expected failures, results of engines that did not start, engines expected not to start. */
  expectedFailures: number;
  notRun: number;
  expectedEngines: number;
}

export function tally(merged: Pick<MergedReport, 'cells' | 'engines' | 'runs' | 'shardAlone'>): Tally {
  const c = countStatuses(merged.cells);
  const v = verdictOf(merged);
  const engineErrors = v.unavailable.length;
  const expectedEngines = v.expectedEngines;
  const runErrors = (v.nothingComputed ? 1 : 0) + v.incomplete.length + v.missingShards.length + v.partialCode.length;
  return {
    tests: merged.cells.length + engineErrors + expectedEngines + runErrors,
    results: merged.cells.length, passed: c.pass, failed: c.fail, errors: c.error + engineErrors + runErrors, engineErrors, runErrors,
    skipped: c.skip + c['expected-fail'] + c.unavailable + expectedEngines, expectedFailures: c['expected-fail'], notRun: c.unavailable, expectedEngines,
  };
}

/**
 * "11 tests (10 results, 1 engine start): 5 passed, 1 failed, 1 error (1 engine that did not start), 4 skipped (1
 * expected failure, 3 not run: engine unavailable)": the parts add up to the total, which is JUnit's tests. A trial's
 * "32 results: 23 passed, 1 failed, 1 error ..., 8 skipped" summed to 33.
 */
export function tallyText(t: Tally): string {
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  const engineTests = t.engineErrors + t.expectedEngines;
  const total = t.tests === t.results ? n(t.results, 'result') : `${n(t.tests, 'test')} (${[n(t.results, 'result'),
    ...(engineTests ? [n(engineTests, 'engine start')] : []), ...(t.runErrors ? [n(t.runErrors, 'check of the run as a whole', 'checks of the run as a whole')] : [])].join(', ')})`;
  const of = (parts: (string | false)[]) => (parts.some(Boolean) ? ` (${parts.filter(Boolean).join(', ')})` : '');
  const errorsOf = of([
    t.engineErrors > 0 && n(t.engineErrors, 'engine that did not start', 'engines that did not start'),
    t.runErrors > 0 && `${t.runErrors} about the run as a whole`,
  ]);
  const plain = t.skipped - t.expectedFailures - t.notRun - t.expectedEngines;
  const skippedOf = of([
    plain > 0 && plain < t.skipped && `${plain} skipped by the run`,
    t.expectedFailures > 0 && n(t.expectedFailures, 'expected failure'),
    t.notRun > 0 && `${t.notRun} not run: engine unavailable`,
    t.expectedEngines > 0 && n(t.expectedEngines, 'engine not started, as expectations.json lists', 'engines not started, as expectations.json lists'),
  ]);
  return `${total}: ${t.passed} passed, ${t.failed} failed, ${n(t.errors, 'error')}${errorsOf}, ${t.skipped} skipped${skippedOf}`;
}

/** The engines a `test` command line asks for: each `--backend` value (`--backend a,b`, `--backend=a`), `all` as every
 *  engine, and dawn where none is given. */
export function askedBackends(argv: string[]): string[] {
  const values = argv.flatMap((a, i) => (a === '--backend' ? [argv[i + 1] ?? ''] : a.startsWith('--backend=') ? [a.slice('--backend='.length)] : []));
  const named = values.flatMap((v) => v.split(',')).filter(Boolean);
  if (!values.length) return ['dawn'];
  return [...new Set(named.flatMap((b) => (b === 'all' ? [...BACKENDS] : [b])))];
}
