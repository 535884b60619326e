// What a kernel name may be. The name becomes file names, a kernel and family id on the command line, a
// TypeScript function name (the reference) and part of type names, and an author may well use it in WGSL too; so it
// is held to what all of those accept, in the library's own style (snake_case: matmul_tiled).

// WGSL keywords and reserved words (WGSL spec, "Keyword Summary" and "Reserved Words"), lower-case ones only: a
// name is lower-case.
const WGSL_RESERVED = `alias break case const const_assert continue continuing default diagnostic discard else enable
false fn for if let loop override requires return struct switch true var while abstract active alignas alignof as asm
asm_fragment async attribute auto await become cast catch class co_await co_return co_yield coherent column_major
common compile compile_fragment concept const_cast consteval constexpr constinit crate debugger decltype delete demote
demote_to_helper do dynamic_cast enum explicit export extends extern external fallthrough filter final finally friend
from fxgroup get goto groupshared highp impl implements import inline instanceof interface layout lowp macro
macro_rules match mediump meta mod module move mut mutable namespace new nil noexcept noinline nointerpolation
non_coherent noncoherent noperspective null nullptr of operator package packoffset partition pass patch pixelfragment
precise precision premerge priv protected pub public readonly ref regardless register reinterpret_cast require
resource restrict self set shared sizeof smooth snorm static static_assert static_cast std subroutine super target
template this thread_local throw trait try type typedef typeid typename typeof union unless unorm unsafe unsized use
using varying virtual volatile wgsl where with writeonly yield`.split(/\s+/);

// JavaScript reserved words in strict mode (modules are strict), and the two names strict mode forbids to bind.
const TS_RESERVED = `break case catch class const continue debugger default delete do else enum export extends false
finally for function if import in instanceof new null return super switch this throw true try typeof var void while
with implements interface let package private protected public static yield await eval arguments`.split(/\s+/);

const RESERVED = new Set([...WGSL_RESERVED, ...TS_RESERVED]);

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
