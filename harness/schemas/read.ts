// Reading a contract file (results.json, a counterexample, expectations.json): JSON text to a checked value, or one
// line that names the file, the field (zod's issue path) and what is wrong. Files come off other machines, out of
// runs that died mid-write, or by hand: every refusal is a FileFormatError, never a stack trace. Node-free (the
// visualizer reads counterexamples with it).
import type { z } from 'zod';

/** A file that is not what its contract says. `message` is one line: `FILE: FIELD: what is wrong`. */
export class FileFormatError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${oneLine(reason)}`);
    this.name = 'FileFormatError';
  }
}

/** A schema's output without the `[key: string]: unknown` that loose objects add, so interfaces stay assignable. */
export type Known<T> = unknown extends T
  ? T
  : T extends readonly (infer U)[]
  ? Known<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? (unknown extends T[K] ? never : K) : K]: Known<T[K]> }
    : T;

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

/** JSON.parse with the failure said in words: empty, truncated (and what was left open), or where it breaks.
 *  `byHand`: a file people write (expectations.json), not one a run writes, so an empty or cut-short one is not blamed
 *  on a run that died (trial 148 B2). A leading byte order mark, which editors on Windows save and JSON.parse refuses
 *  as an invisible "Unexpected token" (trial 148 B3), is read past, as Node's require does. */
export function parseJsonText(text: string, file: string, byHand = false): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new FileFormatError(file, byHand ? 'empty file: it must hold JSON' : 'empty file (the run may have died before writing it)');
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new FileFormatError(file, describeJsonError(body, (e as Error).message, byHand));
  }
}

/**
 * Checks `value` against `schema` and returns zod's output (a new value: the input is never changed). On a mismatch
 * the error lists the first few issues as `path: message`, e.g. `results[3].status: expected one of pass|fail|...`.
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, file: string, what: string): z.output<S> {
  const r = schema.safeParse(value, { error: inWords });
  if (r.success) return r.data;
  throw new FileFormatError(file, `does not match ${what}: ${describeIssues(r.error.issues)}`);
}

/** zod's messages for the common cases, in the words of a file reader: `missing`, `expected number, got string "1"`. */
export function inWords(iss: z.core.$ZodRawIssue): string | undefined {
  if ((iss.code === 'invalid_type' || iss.code === 'invalid_value') && iss.input === undefined) return 'missing';
  if (iss.code === 'invalid_type') return `expected ${iss.expected}, got ${kindOf(iss.input)}`;
  if (iss.code === 'invalid_value') return `expected ${iss.values.length > 1 ? 'one of ' : ''}${iss.values.map(String).join('|')}, got ${kindOf(iss.input)}`;
  return undefined;
}

/** A value as a message shows it: its kind, and a short excerpt for a scalar. */
function kindOf(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return 'an object';
  if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
  return typeof x === 'string' ? JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x) : `${typeof x} ${String(x)}`;
}

/** Up to `max` issues, each as `field: message`; the field is zod's path written as in JavaScript (a.b[2].c). */
function describeIssues(issues: readonly z.core.$ZodIssue[], max = 4): string {
  const shown = issues.slice(0, max).map((i) => `${fieldOf(i.path) || 'top level'}: ${issueMessage(i)}`);
  const more = issues.length > max ? `; and ${issues.length - max} more` : '';
  return shown.join('; ') + more;
}

function fieldOf(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else if (typeof k === 'string' && /^[A-Za-z_$][\w$]*$/.test(k)) s += s ? `.${k}` : k;
    else s += `[${JSON.stringify(String(k))}]`;
  }
  return s;
}

function issueMessage(i: z.core.$ZodIssue): string {
  // A union's own message ("Invalid input") hides which branch came closest; the first branch's first issue says it.
  if (i.code === 'invalid_union' && i.errors.length && i.errors.every((b) => b[0]?.code === 'invalid_type' && !b[0].path.length)) {
    const expected = i.errors.map((b) => (b[0] as z.core.$ZodIssueInvalidType).expected);
    return `expected ${expected.join(' or ')}, ${/got .*$/.exec(i.errors[0]![0]!.message)?.[0] ?? 'got something else'}`;
  }
  if (i.code === 'invalid_union' && i.errors.length && i.errors[0]!.length) {
    const inner = i.errors[0]![0]!;
    const at = fieldOf(inner.path);
    return `${at ? `${at}: ` : ''}${issueMessage(inner)}`;
  }
  if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  return oneLine(i.message).slice(0, 200);
}

/**
 * A path as a contract file may hold it: relative paths must stay inside the folder they are resolved against
 * (no `..` climbing out of it), since readers join them to the repository. Absolute paths are the run's own files
 * outside the repository (`test --wgsl /elsewhere/k.wgsl`), allowed only with `suffix`.
 */
export function pathProblem(p: string, suffix: string): string | undefined {
  if (p === '' || p.includes('\0')) return 'expected a file path';
  if (!p.toLowerCase().endsWith(suffix)) return `expected a ${suffix} file, got ${JSON.stringify(p.slice(-60))}`;
  if (isAbsolutePath(p)) return undefined;
  let depth = 0;
  for (const part of p.split(/[\\/]+/)) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) return `${JSON.stringify(p)} climbs out of the folder it is resolved against (..): only files inside it may be named`;
  }
  return undefined;
}

const isAbsolutePath = (p: string) => p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(p);

/** Says where the JSON stops being JSON, as line:column, and whether the file simply ends too early. */
function describeJsonError(text: string, message: string, byHand: boolean): string {
  const m = /position (\d+)/.exec(message);
  const end = text.trimEnd().length;
  const pos = m ? Number(m[1]) : /end of JSON input/i.test(message) ? end : quotedPosition(text, message);
  if (pos >= end) {
    const { line, column } = lineColumn(text, end);
    const open = unclosed(text);
    const what = open ? ` with ${open} still open` : '';
    return `not valid JSON: truncated: the file ends at line ${line}, column ${column} (byte ${end})${what}; ` +
      (byHand ? 'its end is missing' : 'whatever wrote it was probably stopped mid-write');
  }
  if (pos >= 0) {
    const { line, column } = lineColumn(text, pos);
    const near = JSON.stringify(text.slice(Math.max(0, pos - 20), pos + 20));
    return `not valid JSON at line ${line}, column ${column} (byte ${pos}): ${message.replace(/ in JSON at position \d+.*$/, '').replace(/, (?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, '')}, near ${near}`;
  }
  return `not valid JSON: ${message}`;
}

/** Node 20's V8 sometimes says no position, only `Unexpected token 'N', ..."seed": NaN, "r"... is not valid JSON`:
 *  the quoted excerpt is found in the text instead. -1 when it cannot be. */
function quotedPosition(text: string, message: string): number {
  const m = /Unexpected token '(.+?)', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(message);
  if (!m) return -1;
  const at = text.indexOf(m[2]!);
  return at < 0 ? -1 : at + Math.max(0, m[2]!.indexOf(m[1]!));
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
