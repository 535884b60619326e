// What a kernel name may be. The name becomes file names, a kernel and family id on the command line, a
// TypeScript function name (the reference) and part of type names, and an author may well use it in WGSL too; so it
// is held to what all of those accept, in the library's own style (snake_case: matmul_tiled).

import { WGSL_KEYWORDS, WGSL_RESERVED_WORDS } from '../run/wgsl-words.ts';

// JavaScript reserved words in strict mode (modules are strict), and the two names strict mode forbids to bind.
const TS_RESERVED = `break case catch class const continue debugger default delete do else enum export extends false
finally for function if import in instanceof new null return super switch this throw true try typeof var void while
with implements interface let package private protected public static yield await eval arguments`.split(/\s+/);

const RESERVED = new Set([...WGSL_KEYWORDS, ...WGSL_RESERVED_WORDS, ...TS_RESERVED]);

/** Why NAME cannot be a kernel name, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    // A path where the name goes (`init /tmp/lib`): the folder is --dir's.
    const folder = /[/\\]/.test(name) ? `; to make the library in ${name}, give a kernel name and --dir ${name}` : '';
    return `'${name}' is not a kernel name: use lower-case letters, digits and _, starting with a letter (like matmul_tiled)${folder}`;
  }
  if (name.length > 64) return `'${name}' is too long for a kernel name (at most 64 characters)`;
  if (RESERVED.has(name)) return `'${name}' is a reserved word in WGSL or TypeScript; choose another kernel name`;
  return undefined;
}
