// Reading results.json back: a report is often built from files copied off other machines, or left half-written
// by a run that died, so every refusal names the file and the field and says what is wrong, in one line. The check
// is the contract's zod schema (harness/schemas/results.ts); the file's own value is never changed.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { ResultsFile } from '../results/schema.ts';
import { FileFormatError, parseJsonText, parseWith } from '../schemas/read.ts';
import { MERGED_SCHEMA, MergedResultsFileSchema, RESULTS_SCHEMA, ResultsFileSchema, type Known } from '../schemas/results.ts';

export { FileFormatError as ResultsLoadError } from '../schemas/read.ts';
export { MERGED_SCHEMA } from '../schemas/results.ts';

export type MergedResultsFile = Known<z.output<typeof MergedResultsFileSchema>>;

export interface LoadOptions {
  /** Where warnings go (a partial run); defaults to stderr. */
  warn?: (message: string) => void;
}

const defaultWarn = (m: string) => process.stderr.write(`warning: ${m}\n`);

/** A DIR holding results.json, or the path of a results.json itself. */
export function resultsPathOf(dirOrFile: string): string {
  let st;
  try {
    st = statSync(dirOrFile);
  } catch {
    throw new FileFormatError(dirOrFile, 'no such file or directory');
  }
  return st.isDirectory() ? join(dirOrFile, 'results.json') : dirOrFile;
}

export function loadResults(path: string, opts: LoadOptions = {}): ResultsFile {
  const data = parseRun(parseJsonText(readText(path), path), path);
  warnIfPartial(data, path, opts.warn ?? defaultWarn);
  return data;
}

/** One run file, or a merged file written by `report`: either way, the runs it holds. */
export function loadResultsSet(path: string, opts: LoadOptions = {}): { path: string; data: ResultsFile }[] {
  return parseResultsSet(readText(path), path, opts);
}

/** loadResultsSet on text already read; `path` only names it in errors and warnings. */
export function parseResultsSet(text: string, path: string, opts: LoadOptions = {}): { path: string; data: ResultsFile }[] {
  const value = parseJsonText(text, path);
  const warn = opts.warn ?? defaultWarn;
  if (schemaOf(value) === MERGED_SCHEMA) {
    const merged = parseWith(MergedResultsFileSchema, value, path, MERGED_SCHEMA);
    for (const s of merged.sources) warnIfPartial(s.data, `${path} (${s.path})`, warn);
    return merged.sources.map(({ path, data }) => ({ path, data }));
  }
  const data = parseRun(value, path);
  warnIfPartial(data, path, warn);
  return [{ path, data }];
}

/** Parses text already read (tests, stdin); `path` only names it in errors. */
export function parseResults(text: string, path: string): ResultsFile {
  return parseRun(parseJsonText(text, path), path);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileFormatError(path, code === 'ENOENT' ? 'no such file (is this a run directory?)' : `cannot read: ${(e as Error).message}`);
  }
}

function warnIfPartial(data: ResultsFile, path: string, warn: (m: string) => void) {
  if (!data.complete) {
    warn(`${path}: partial run (complete: false): ${data.results.length} results were written before it stopped`);
  }
}

const schemaOf = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as { schema?: unknown }).schema : undefined);

/** Says first whether this is a results file at all (and of which version), then checks it field by field. */
function parseRun(value: unknown, path: string): ResultsFile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FileFormatError(path, `top level: expected a JSON object, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  const schema = schemaOf(value);
  if (schema === undefined) throw new FileFormatError(path, `not a kernelscope results file: no "schema" field (expected "${RESULTS_SCHEMA}")`);
  if (schema !== RESULTS_SCHEMA) {
    throw new FileFormatError(path, `not a kernelscope results file of a known version: schema is ${JSON.stringify(schema)?.slice(0, 80)}, ` +
      `expected "${RESULTS_SCHEMA}" (or "${MERGED_SCHEMA}")`);
  }
  return parseWith(ResultsFileSchema, value, path, RESULTS_SCHEMA);
}
