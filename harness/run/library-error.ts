// Errors in a kernel library's own files: a kernel or family file that does not load, and a reference or tolerance
// that throws or returns what does not fit its kernel. Each is a set-up error with one line naming the file (and the
// line, where a stack says it) and what to do, never a harness stack trace or a verdict on the kernel. Node-free:
// the judging code (universal.ts) throws these too.
import type { BoundError } from '../compare.ts';
import type { Case, Family } from '../spec.ts';
import { jsonText } from './json-text.ts';

/** A kernel library's file that does not load, or whose code misbehaves: a set-up error, named with its file. */
export class LibraryError extends Error {
  /** The kernel's buffer the mistake is about, where it is one: a run says beside it what else may explain it (a
   *  declared element type that differs from the spec's). */
  readonly buffer?: string;

  constructor(message: string, buffer?: string) {
    super(message);
    this.name = 'LibraryError';
    if (buffer !== undefined) this.buffer = buffer;
  }
}

/** Where each loaded family came from (its properties file, as shown to the user, and its text), for the messages
 *  below. */
const origins = new WeakMap<object, { origin: string; source?: string }>();

const cwd = (globalThis as { process?: { cwd(): string } }).process?.cwd();

/** The kit's helpers that live beside the repository's own families (harness/scaffold/kit.ts re-exports them): a
 *  frame in one is the kit's, and the library's line is further down (a new user's NaN bound was placed at
 *  properties/verdict.ts, a file of kernelscope's, not in the property that passed it). */
const KIT_HELPERS = ['values.ts', 'verdict.ts'].flatMap((f) => {
  try {
    return [new URL(`../../properties/${f}`, import.meta.url).pathname];
  } catch {
    return []; // a bundle without a module URL: its stacks name the bundle, not these files
  }
});

/** The first frame of a stack outside the harness, the kit's helpers and node_modules, as `path:line:col`: the
 *  library's own line. */
export function libraryFrame(e: unknown): string | undefined {
  for (const line of String((e as Error)?.stack ?? '').split('\n').slice(1)) {
    // The path starts the frame's location: "(node:internal/process/task_queues:95:5)" matched from its "/process"
    // and placed a harness bug at "/process/task_queues:95:5", blamed on the library.
    const m = line.match(/(?:\(|at )((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/);
    if (!m || /\/harness\/|\/node_modules\//.test(m[1]!) || KIT_HELPERS.includes(m[1]!.replace(/^file:\/\//, ''))) continue;
    let path = m[1]!.replace(/^file:\/\//, '');
    if (cwd && path.startsWith(`${cwd}/`)) path = path.slice(cwd.length + 1);
    return `${path}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/** JSON for a message, cut at 120 characters. */
export const cut120 = (s: string) => (s.length > 120 ? `${s.slice(0, 117)}...` : s);

/** A case's shape as JSON for a message, cut at 120 characters. */
export const shapeOf = (c: Case) => cut120(jsonText(c.shape));

/**
 * The family with its reference and tolerance guarded: an exception in either, or a tolerance that gives no array of
 * the reference's length for one of its outputs, is a LibraryError naming `origin` (the properties file), the
 * throwing line, the case's shape and what to fix (a NaN or negative bound in the array: badBound, where it is
 * compared). A missing bound is never read as 0 ("must be exact"): that failed correct kernels.
 */
export function guardFamily<S>(family: Family<S>, origin: string, source?: string): Family<S> {
  const guarded: Family<S> = {
    ...family,
    reference(c) {
      try {
        return family.reference(c);
      } catch (e) {
        throw threw('reference', origin, c, e);
      }
    },
    tolerance(c, expected) {
      let t: Record<string, Float64Array>;
      try {
        t = family.tolerance(c, expected);
      } catch (e) {
        throw threw('tolerance', origin, c, e);
      }
      for (const [name, want] of Object.entries(expected)) {
        const got = t?.[name];
        if (!got) throw new LibraryError(`${familyOrigin(guarded, 'tolerance')}: tolerance() gave no bound for output '${name}' (it gave: ${Object.keys(t ?? {}).join(', ') || 'nothing'}) on a case of shape ${shapeOf(c)}; return one array of allowed errors per output the reference returns`);
        if (got.length !== want.length) throw new LibraryError(`${familyOrigin(guarded, 'tolerance')}: tolerance() gave ${got.length} bounds for '${name}' but the reference gave ${want.length} values, on a case of shape ${shapeOf(c)}; give one bound per element`);
      }
      return t;
    },
  };
  const lazy = family.lazyTolerance;
  if (lazy) {
    guarded.lazyTolerance = (c, expected) => {
      let t: ReturnType<typeof lazy>;
      try {
        t = lazy.call(family, c, expected);
      } catch (e) {
        throw threw('lazyTolerance', origin, c, e);
      }
      for (const [name, want] of Object.entries(expected)) {
        if (t?.[name]?.length !== want.length) throw new LibraryError(`${origin}: lazyTolerance() gave ${t?.[name] ? `${t[name].length} bounds` : 'no bound'} for '${name}' but the reference gave ${want.length} values, on a case of shape ${shapeOf(c)}; give one bound per element`);
      }
      return t;
    };
  }
  origins.set(guarded, { origin, ...(source !== undefined ? { source } : {}) });
  return guarded;
}

/** compareArrays' BoundError on a family's tolerance() as the library's error: a NaN or negative bound is not a
 *  bound (Infinity is: an element with none, counted in the notes). */
export function badBound(family: Family, c: Case, output: string, e: BoundError): LibraryError {
  return new LibraryError(`${familyOrigin(family)}: tolerance() gave ${e.value} as the bound of ${output}[${e.index}] on a case of shape ${shapeOf(c)}; bounds must be numbers ≥ 0 (Infinity for no bound)`);
}

function threw(what: 'reference' | 'tolerance' | 'lazyTolerance', origin: string, c: Case, e: unknown): LibraryError {
  const at = libraryFrame(e);
  return new LibraryError(`${at ?? origin}: the family's ${what}() threw on a case of shape ${shapeOf(c)}: ${(e as Error)?.name ?? 'Error'}: ${String((e as Error)?.message ?? e).split('\n')[0]}${at ? ` (family ${origin})` : ''}; fix it, or draw only cases it supports`);
}

/** The family's properties file as the user knows it ('the family' when it was not loaded from a library); with
 *  `key`, at the one line that gives the family that member (`reference: (c) => ...`, `tolerance,`), where one does:
 *  a plain search of the TypeScript, enough to send the user to the function that returned the wrong thing. */
export function familyOrigin(f: Family, key?: 'reference' | 'tolerance' | 'unboundedWhere'): string {
  const o = origins.get(f);
  if (!o) return `the family '${f.name}'`;
  // The member starts its line or follows `{` or `,`; a comment's word is no member.
  const member = new RegExp(`(^\\s*|[{,]\\s*)${key}\\s*(:|,|\\(|$)`);
  const code = (l: string) => !/^\s*(\/\/|\/\*|\*)/.test(l);
  const lines = key ? (o.source ?? '').split('\n').flatMap((l, i) => (code(l) && member.test(l) ? [i + 1] : [])) : [];
  return lines.length === 1 ? `${o.origin}:${lines[0]}` : o.origin;
}
