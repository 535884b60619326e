// Reading results.json back: a report is often built from files copied off other machines, or left half-written
// by a run that died, so every refusal names the file and says what is wrong with it, in words.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_SCHEMA, type ResultsFile } from '../results/schema.ts';
import { BACKENDS } from '../engines/engine.ts';

/** The schema `report --out` writes: the runs it merged, kept whole so a merged report can be merged again. */
export const MERGED_SCHEMA = 'kernelscope/merged-results@1';

export interface MergedResultsFile {
  schema: typeof MERGED_SCHEMA;
  generatedAt: string;
  warnings: string[];
  sources: { path: string; data: ResultsFile }[];
}

export class ResultsLoadError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'ResultsLoadError';
  }
}

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
    throw new ResultsLoadError(dirOrFile, 'no such file or directory');
  }
  return st.isDirectory() ? join(dirOrFile, 'results.json') : dirOrFile;
}

export function loadResults(path: string, opts: LoadOptions = {}): ResultsFile {
  const text = readText(path);
  const value = parseJson(text, path);
  const data = validateRun(value, path, '');
  warnIfPartial(data, path, opts.warn ?? defaultWarn);
  return data;
}

/** One run file, or a merged file written by `report`: either way, the runs it holds. */
export function loadResultsSet(path: string, opts: LoadOptions = {}): { path: string; data: ResultsFile }[] {
  const text = readText(path);
  const value = parseJson(text, path);
  const warn = opts.warn ?? defaultWarn;
  if (isObject(value) && value.schema === MERGED_SCHEMA) {
    if (!Array.isArray(value.sources)) throw new ResultsLoadError(path, 'merged results file has no "sources" array');
    return value.sources.map((s, i) => {
      const at = `sources[${i}]`;
      if (!isObject(s) || typeof s.path !== 'string') throw new ResultsLoadError(path, `${at}.path: missing`);
      const data = validateRun(s.data, path, `${at}.data.`);
      warnIfPartial(data, `${path} (${s.path})`, warn);
      return { path: s.path, data };
    });
  }
  const data = validateRun(value, path, '');
  warnIfPartial(data, path, warn);
  return [{ path, data }];
}

/** Parses text already read (tests, stdin); `path` only names it in errors. */
export function parseResults(text: string, path: string): ResultsFile {
  return validateRun(parseJson(text, path), path, '');
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ResultsLoadError(path, code === 'ENOENT' ? 'no such file (is this a run directory?)' : `cannot read: ${(e as Error).message}`);
  }
}

function warnIfPartial(data: ResultsFile, path: string, warn: (m: string) => void) {
  if (!data.complete) {
    warn(`${path}: partial run (complete: false): ${data.results.length} results were written before it stopped`);
  }
}

function parseJson(text: string, path: string): unknown {
  if (text.trim() === '') throw new ResultsLoadError(path, 'empty file (the run may have died before writing a result)');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ResultsLoadError(path, describeJsonError(text, (e as Error).message));
  }
}

/** Says where the JSON stops being JSON, as line:column, and whether the file simply ends too early. */
function describeJsonError(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  const end = text.trimEnd().length;
  const pos = m ? Number(m[1]) : /end of JSON input/i.test(message) ? end : -1;
  if (pos >= end) {
    const { line, column } = lineColumn(text, end);
    const open = unclosed(text);
    const what = open ? ` with ${open} still open` : '';
    return `not valid JSON: truncated: the file ends at line ${line}, column ${column} (byte ${end})${what}; ` +
      `the run was probably killed while writing it`;
  }
  if (pos >= 0) {
    const { line, column } = lineColumn(text, pos);
    const near = JSON.stringify(text.slice(Math.max(0, pos - 20), pos + 20));
    return `not valid JSON at line ${line}, column ${column} (byte ${pos}): ${message.replace(/ in JSON at position \d+.*$/, '')}, near ${near}`;
  }
  return `not valid JSON: ${message}`;
}

function lineColumn(text: string, pos: number) {
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

/** The brackets (and a string) left open at the end of the text, innermost last, e.g. `{ [ {`. */
function unclosed(text: string): string {
  const stack: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c);
    else if (c === '}' || c === ']') stack.pop();
  }
  if (inString) stack.push('a string');
  return stack.join(' ');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const RESULT_STATUSES = ['pass', 'fail', 'error', 'skip'];
const ENGINE_STATUSES = ['ok', 'unavailable'];

/** Checks the fields contract 2 promises; lists every problem (up to a few) rather than the first. */
function validateRun(v: unknown, path: string, prefix: string): ResultsFile {
  if (!isObject(v)) throw new ResultsLoadError(path, `${prefix || 'top level'}: expected a JSON object, got ${kind(v)}`);
  if (!('schema' in v)) {
    throw new ResultsLoadError(path, `not a kernelscope results file: no "schema" field (expected "${RESULTS_SCHEMA}")`);
  }
  if (v.schema !== RESULTS_SCHEMA) {
    throw new ResultsLoadError(path, `not a kernelscope results file of a known version: schema is ${JSON.stringify(v.schema)}, ` +
      `expected "${RESULTS_SCHEMA}" (or "${MERGED_SCHEMA}")`);
  }
  const problems: string[] = [];
  const need = (obj: Record<string, unknown>, at: string, key: string, type: 'number' | 'string' | 'array' | 'object') => {
    const x = obj[key];
    const ok = type === 'array' ? Array.isArray(x) : type === 'object' ? isObject(x) : typeof x === type;
    if (!ok) problems.push(x === undefined ? `${prefix}${at}${key}: missing` : `${prefix}${at}${key}: expected ${type}, got ${kind(x)}`);
    return ok;
  };
  const oneOf = (obj: Record<string, unknown>, at: string, key: string, allowed: readonly string[]) => {
    const x = obj[key];
    if (x === undefined) problems.push(`${prefix}${at}${key}: missing`);
    else if (typeof x !== 'string' || !allowed.includes(x)) {
      problems.push(`${prefix}${at}${key}: expected one of ${allowed.join('|')}, got ${JSON.stringify(x)}`);
    }
  };
  need(v, '', 'seed', 'number');
  need(v, '', 'runs', 'number');
  need(v, '', 'startedAt', 'string');
  if (v.finishedAt !== null && v.finishedAt !== undefined && typeof v.finishedAt !== 'string') {
    problems.push(`${prefix}finishedAt: expected string or null, got ${kind(v.finishedAt)}`);
  }
  if (v.complete !== undefined && typeof v.complete !== 'boolean') {
    problems.push(`${prefix}complete: expected boolean, got ${kind(v.complete)}`);
  }
  if (need(v, '', 'engines', 'array')) {
    (v.engines as unknown[]).forEach((e, i) => {
      const at = `engines[${i}].`;
      if (!isObject(e)) return problems.push(`${prefix}engines[${i}]: expected an object, got ${kind(e)}`);
      oneOf(e, at, 'backend', BACKENDS);
      oneOf(e, at, 'status', ENGINE_STATUSES);
      if (e.adapter !== undefined) need(e, at, 'adapter', 'object');
      if (e.limits !== undefined) need(e, at, 'limits', 'object');
      if (e.features !== undefined) need(e, at, 'features', 'array');
    });
  }
  if (need(v, '', 'results', 'array')) {
    (v.results as unknown[]).forEach((r, i) => {
      const at = `results[${i}].`;
      if (!isObject(r)) return problems.push(`${prefix}results[${i}]: expected an object, got ${kind(r)}`);
      need(r, at, 'kernel', 'string');
      need(r, at, 'property', 'string');
      oneOf(r, at, 'backend', BACKENDS);
      oneOf(r, at, 'status', RESULT_STATUSES);
      need(r, at, 'runs', 'number');
      if (r.caseHashes !== undefined) need(r, at, 'caseHashes', 'array');
      if (r.maxError !== undefined && need(r, at, 'maxError', 'object')) {
        // JSON has no Infinity: the writer's null means an unbounded error (a NaN or infinity where a number was due).
        const m = r.maxError as Record<string, unknown>;
        for (const k of ['abs', 'ulp', 'boundRatio']) if (m[k] === null) m[k] = Infinity;
        need(m, `${at}maxError.`, 'boundRatio', 'number');
      }
    });
  }
  if (problems.length) {
    const shown = problems.slice(0, 8).join('; ');
    const more = problems.length > 8 ? `; and ${problems.length - 8} more` : '';
    throw new ResultsLoadError(path, `does not match ${RESULTS_SCHEMA}: ${shown}${more}`);
  }
  // `complete` is not in the published contract: a file without it is whole when it says when it finished.
  const complete = typeof v.complete === 'boolean' ? v.complete : typeof v.finishedAt === 'string';
  return { ...(v as unknown as ResultsFile), finishedAt: (v.finishedAt as string | null | undefined) ?? null, complete };
}

function kind(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? 'an object' : `${typeof x} ${JSON.stringify(x)}`.slice(0, 40);
}
