// How a merged cell is shown and counted, the same in the HTML, the JUnit file and the printed summary. Node-free:
// the report page's client code imports it.
import type { MergedCell } from './merge.ts';

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
