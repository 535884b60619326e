// Known failures, as in the WebGPU CTS's expectations: a divergence that is understood (an engine bug filed
// upstream, an accuracy rule an engine does not meet) is listed in expectations.json with its reason, so it stops
// failing the build, and it is flagged stale the day it passes again.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { ExpectationsFileSchema, type ExpectationSchema } from '../schemas/expectations.ts';
import { FileFormatError, parseJsonText, parseWith } from '../schemas/read.ts';
import { engineKey, type ExpectationEntry, type MergedCell, type MergedReport } from './merge.ts';
import type { EngineInfo } from '../engines/engine.ts';
import type { PropertyResult } from '../results/schema.ts';

export type Expectation = z.output<typeof ExpectationSchema>;

/** Throws a FileFormatError naming the file and the entry's field, e.g. `expectations.json: [2].engine: ...`. */
export function parseExpectations(text: string, file: string): Expectation[] {
  return parseWith(ExpectationsFileSchema, parseJsonText(text, file, true), file, 'the expectations format (docs/CONTRACTS.md)');
}

/** A missing file means no expectations. */
export function loadExpectations(file: string): Expectation[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new FileFormatError(file, `cannot read: ${(e as Error).message}`);
  }
  return parseExpectations(text, file);
}

export function matches(x: Expectation, cell: Pick<MergedCell, 'kernel' | 'property' | 'engine'>, backend: string): boolean {
  if ((x.kernel !== '*' && x.kernel !== cell.kernel) || (x.property !== '*' && x.property !== cell.property) || x.engine !== backend) return false;
  if (x.adapter === undefined) return true;
  const adapter = cell.engine.slice(backend.length).toLowerCase();
  return adapter.includes(x.adapter.toLowerCase());
}

/** Of the entries that cover a result, the first that expects its status, else the first (trial 225 B1: an entry for
 *  one property's failure hid a later `*` entry for the kernel's compile errors, and the error was a new problem). */
function coveringEntry(expectations: Expectation[], cell: Pick<MergedCell, 'kernel' | 'property' | 'engine'>, backend: string, status: string): Expectation | undefined {
  return expectations.find((e) => e.expected === status && matches(e, cell, backend)) ?? expectations.find((e) => matches(e, cell, backend));
}

/**
 * Tags each cell with the expectation that covers it: of those that do, the first listed that expects its status,
 * else the first listed. A cell matches when its status is the expected one: an error where only a failure was
 * expected is a new problem, not the known one. An expectation is
 * stale when a result it covers now passes (unless it is a 'skip' that covers an engine that did not start),
 * unused when it covers no result at all, and unexercised when it expects a failure or an error and every result it
 * covers was skipped: the known failure was not run, so it neither holds nor is stale.
 */
export function applyExpectations(merged: MergedReport, expectations: Expectation[]): MergedReport {
  const backendOf = new Map(merged.engines.map((e) => [e.key, e.backend as string]));
  const used = new Set<Expectation>();
  const stale: NonNullable<MergedReport['staleExpectations']> = [];
  /** Results each entry covers (engines that ran): a wildcard entry stale on some of them is narrowed, not removed. */
  const covered = new Map<Expectation, number>();
  /** Entries that cover a result that ran (not 'skip'). */
  const exercised = new Set<Expectation>();
  /** 'skip' entries that cover an engine that did not start: needed, whatever the same backend did where it started. */
  const needed = new Set<Expectation>();
  const cells = merged.cells.map((cell) => {
    const backend = backendOf.get(cell.engine) ?? cell.engine.split(' ')[0]!;
    const { expectation: _old, ...rest } = cell;
    // An engine that never ran says nothing about a known failure: neither matches nor stales it. Only a 'skip'
    // expectation covers it (the engine is known not to start there, e.g. no browser on this CI image).
    if (cell.status === 'unavailable') {
      const skip = expectations.find((e) => e.expected === 'skip' && matches(e, cell, backend));
      if (skip) {
        used.add(skip);
        needed.add(skip);
      }
      return skip ? { ...rest, expectation: { expected: 'skip' as const, reason: skip.reason, matched: true } } : rest;
    }
    const x = coveringEntry(expectations, cell, backend, cell.status);
    if (!x) return rest;
    used.add(x);
    covered.set(x, (covered.get(x) ?? 0) + 1);
    if (cell.status !== 'skip') exercised.add(x);
    if (cell.status === 'pass') {
      stale.push({ kernel: cell.kernel, property: cell.property, engine: x.engine, expected: x.expected, reason: x.reason, cellEngine: cell.engine,
        entry: entryOf(expectations, x), covered: 0 });
    }
    return { ...rest, expectation: { expected: x.expected, reason: x.reason, matched: cell.status === x.expected } };
  });
  for (const s of stale) s.covered = covered.get(expectations[s.entry.index]!) ?? 0;
  // A merge of a machine where firefox ran and one where it did not: `*/* on firefox, expected skip` was called stale
  // ("all 8 results it covers pass; remove it"), and removing it failed the report. It cannot be narrowed either: an
  // engine that did not start has no adapter to tell it from the one that ran.
  const stillStale = stale.filter((s) => !needed.has(expectations[s.entry.index]!));
  const described = (x: Expectation) => {
    const { kernel, property, engine, adapter, reason } = x;
    return { kernel, property, engine, ...(adapter !== undefined ? { adapter } : {}), reason, entry: entryOf(expectations, x) };
  };
  const unused = expectations.filter((x) => !used.has(x)).map(described);
  // Trial 98 B2: an expected failure whose every result was skipped (the kernel does not run on that engine) was
  // neither matched, nor stale, nor unused, and the summary said nothing of it: a CI integrator could not tell that the
  // known failure was never exercised.
  const unexercised = expectations.filter((x) => used.has(x) && !exercised.has(x) && x.expected !== 'skip')
    .map((x) => ({ ...described(x), expected: x.expected, covered: covered.get(x) ?? 0 }));
  return { ...merged, cells, staleExpectations: stillStale, unusedExpectations: unused, unexercisedExpectations: unexercised };
}

/** The entry as the file has it: its index, and its kernel, property, engine and adapter as written. */
function entryOf(expectations: Expectation[], x: Expectation): ExpectationEntry {
  return { index: expectations.indexOf(x), kernel: x.kernel, property: x.property, engine: x.engine, ...(x.adapter !== undefined ? { adapter: x.adapter } : {}) };
}

// An entry as the user wrote it, e.g. "[0] softmax/(star) on chromium (adapter \"swiftshader\")".
export function entryText(e: ExpectationEntry): string {
  return `[${e.index}] ${e.kernel}/${e.property} on ${e.engine}${e.adapter !== undefined ? ` (adapter ${JSON.stringify(e.adapter)})` : ''}`;
}

/**
 * Stale results grouped by the entry that covers them, in the file's order: a user acts on entries, and one wildcard
 * entry read as twelve stale results (a trial's `*` / `*` on dawn).
 */
export function staleByEntry(stale: NonNullable<MergedReport['staleExpectations']>):
  { entry: ExpectationEntry; expected: string; reason: string; covered: number; passing: { kernel: string; property: string; cellEngine: string }[] }[] {
  const groups = new Map<number, ReturnType<typeof staleByEntry>[number]>();
  for (const s of stale) {
    const g = groups.get(s.entry.index) ?? groups.set(s.entry.index, { entry: s.entry, expected: s.expected, reason: s.reason, covered: s.covered, passing: [] }).get(s.entry.index)!;
    g.passing.push({ kernel: s.kernel, property: s.property, cellEngine: s.cellEngine });
  }
  return [...groups.values()].sort((a, b) => a.entry.index - b.entry.index);
}

/**
 * The entry that accounts for one result as it is printed during a run, as applyExpectations would tag its cell (only
 * when the status is the expected one); `info` is its engine as results.json
 * describes it, without which an entry that names an adapter matches nothing (never a false "expected").
 */
export function expectationFor(expectations: Expectation[], r: Pick<PropertyResult, 'kernel' | 'property' | 'backend' | 'status'>,
  info?: EngineInfo): Expectation | undefined {
  if (r.status !== 'fail' && r.status !== 'error') return undefined;
  const engine = info && info.status === 'ok' ? engineKey(info) : r.backend;
  const x = coveringEntry(expectations, { kernel: r.kernel, property: r.property, engine }, r.backend, r.status);
  return x?.expected === r.status ? x : undefined;
}

/** A failure or error no expectation accounts for. Unavailable engines and skips never count. */
export function isNewProblem(cell: MergedCell): boolean {
  return (cell.status === 'fail' || cell.status === 'error') && !cell.expectation?.matched;
}

export function exitCodeFor(merged: MergedReport): 0 | 1 {
  return merged.cells.some(isNewProblem) ? 1 : 0;
}
