// How a merged cell is shown and counted, the same in the HTML, the JUnit file and the printed summary. Node-free:
// the report page's client code imports it.
import type { MergedCell, MergedReport } from './merge.ts';

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
}

/**
 * Exit 1 for a new failure or error, and for an engine that was asked for and could not start unless
 * expectations.json lists it as an expected skip (every cell of its column covered); else 0.
 */
export function verdictOf(merged: Pick<MergedReport, 'cells' | 'engines'>): Verdict {
  // A failure or error no expectation accounts for still displays as one.
  const newProblems = merged.cells.filter((c) => ['fail', 'error'].includes(displayStatus(c))).length;
  const unavailable = merged.engines
    .filter((e) => e.status === 'unavailable')
    .filter((e) => {
      const cells = merged.cells.filter((c) => c.engine === e.key);
      return !cells.length || cells.some((c) => !c.expectation?.matched);
    })
    .map((e) => ({ engine: e.key, reason: e.reasons[0]?.reason ?? 'no reason given' }));
  return { exitCode: newProblems || unavailable.length ? 1 : 0, newProblems, unavailable };
}

/** The verdict in one sentence, e.g. "The run fails: 2 new problems (...); engine chromium did not start (...)". */
export function verdictLine(v: Verdict): string {
  if (!v.exitCode) return 'The run passes: everything asked for passed or is listed in expectations.json.';
  const parts = [
    ...(v.newProblems ? [`${v.newProblems} new problem${v.newProblems === 1 ? '' : 's'} (failed or errored, not in expectations.json)`] : []),
    ...v.unavailable.map((u) => `engine ${u.engine} did not start and expectations.json does not list it as a skip`),
  ];
  return `The run fails: ${parts.join('; ')}.`;
}
