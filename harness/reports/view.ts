// The data the report page draws, flattened from a MergedReport: one record per matrix cell with what its tooltip
// and detail pane show. Node-free: the page's client code imports the types.
import type { MergedCell, MergedReport } from './merge.ts';
import { countStatuses, displayStatus, type DisplayStatus } from './status.ts';

export interface ViewCell {
  kernel: string;
  property: string;
  engine: string;
  status: DisplayStatus;
  /** The raw status under an expectation (fail or error). */
  rawStatus: MergedCell['status'];
  /** null: unbounded (a NaN or infinity where a number was due); JSON cannot carry Infinity. */
  boundRatio?: number | null;
  ulp?: number | null;
  abs?: number | null;
  message?: string;
  runs?: number;
  durationMs?: number;
  /** The WGSL that ran in place of the library kernel's (`test --wgsl`). */
  wgsl?: string;
  /** Facts the property reported (e.g. MNIST accuracy and agreement, add's bit-identity to round-to-nearest). */
  notes?: Record<string, string | number | boolean>;
  source: string;
  seed: number;
  fixture?: string;
  fixtureHref?: string;
  expectation?: string;
  /** More results for this cell in other files. */
  also: number;
  /** Every run the cell came from (two or more): its figures above are the worst of theirs, its cases their sum. */
  from?: { source: string; seed: number; status: MergedCell['status']; runs: number; boundRatio?: number | null; wgsl?: string }[];
  /** The runs ran different code under this kernel's name: one label per code. */
  mixedCode?: string[];
}

export interface ViewEngine {
  key: string;
  backend: string;
  adapterLabel: string;
  status: 'ok' | 'unavailable';
}

export interface ReportView {
  engines: ViewEngine[];
  rows: { kernel: string; property: string }[];
  cells: ViewCell[];
  counts: Record<DisplayStatus, number>;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

export type FixtureHref = (fixture: string, source: string) => string;

export function toView(merged: MergedReport, fixtureHref: FixtureHref = (f) => f): ReportView {
  return {
    engines: merged.engines.map((e) => ({ key: e.key, backend: e.backend, adapterLabel: e.adapterLabel, status: e.status })),
    rows: merged.rows,
    counts: countStatuses(merged.cells),
    cells: merged.cells.map((c) => {
      const r = c.result;
      const m = r?.maxError;
      const cx = r?.counterexample;
      return {
        kernel: c.kernel, property: c.property, engine: c.engine, status: displayStatus(c), rawStatus: c.status,
        source: c.source, seed: c.seed, also: c.also?.length ?? 0,
        ...(c.from ? { from: c.from.map((f) => ({ source: f.source, seed: f.seed, status: f.status, runs: f.result.runs,
          ...(f.result.maxError ? { boundRatio: finite(f.result.maxError.boundRatio) } : {}), ...(f.result.wgsl ? { wgsl: f.result.wgsl } : {}) })) } : {}),
        ...(c.mixedCode ? { mixedCode: c.mixedCode } : {}),
        ...(m ? { boundRatio: finite(m.boundRatio), ulp: finite(m.ulp), abs: finite(m.abs) } : {}),
        ...(r?.error || c.reason ? { message: c.status === 'unavailable' ? `engine unavailable: ${c.reason}` : r!.error } : {}),
        ...(r ? { runs: r.runs, durationMs: r.durationMs, ...(r.notes ? { notes: r.notes } : {}), ...(r.wgsl ? { wgsl: r.wgsl } : {}) } : {}),
        ...(cx ? { fixture: cx.fixture, fixtureHref: fixtureHref(cx.fixture, c.source) } : {}),
        ...(c.expectation ? { expectation: `expected ${c.expectation.expected}${c.expectation.matched ? '' : ' (but got ' + c.status + ')'}: ${c.expectation.reason}` } : {}),
      };
    }),
  };
}
