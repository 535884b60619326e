// The sanitizer: WGSL rewritten so that a GPU engine checks its own memory accesses, for no-out-of-bounds and
// no-data-race on Dawn, Chromium, Firefox and Deno (the interpreter checks them natively). Node-free.
//
// Every access `v[i]` to a module-scope storage or workgroup array becomes `v[_ks_aK(TAG, SITE, ROW, u32(i))]`: the
// helper compares the index with the array's length (arrayLength for a runtime array, the declared count otherwise),
// notes a finding (variable, element, line) in the invocation's private memory, and returns the index clamped into the
// array, so an instrumented run never touches memory outside it. In bounds, it records the access in shadow words
// per element (last writer, last reader, and for storage the last reader before it from another workgroup: READERS)
// and notes a conflict. Every other dynamic index of the access chain (a
// fixed-size inner array's, `px[i][c]` of array<array<f32, 4>>; a vector's component or a matrix's column,
// `tile[k][c]` of vec4s; a workgroup vector's `acc[k]`) is checked and clamped too, by `_ks_ix`, against the length
// of what it indexes: WGSL bounds each index so (§"Out-of-Bounds Access"), though the bytes it names may lie inside
// the variable (a channel loop to 4 passed, as Tint clamps it). A literal index is the compiler's to reject. SITE
// numbers the checked index; a finding holds it and the values of the outer indices (re-evaluated, when every index of
// the chain is pure), so it names the whole access: `tile[14][17]`, index 17 of an array<f32, 17>. Each entry point becomes a plain function called by a
// new entry point of the same name; when it returns, each invocation adds its counts to a findings buffer and writes
// its first finding of each kind (with dispatch, invocation and workgroup) there while fewer than KEEP are kept, with
// atomics.
// An array member of a var<storage> struct (`b.data[i]`, `b.lut[k]`, a nested struct's `b.inner.lut[k]`) is checked as
// an array of its own named by its path, against arrayLength(&b.data) for the runtime-sized last member and the
// declared count otherwise, and recorded for races in a shadow region of its own: the arguments below hold for it as
// for any array (its elements are memory locations no other member shares). A pointer to the whole struct handed on
// is said, as one to an array is. A scalar, vector or matrix member of shared memory (`b.count` of read_write storage,
// `sh.scale` of a workgroup struct) is one shadowed element accessed whole, as a workgroup scalar is, and so is a
// read_write storage scalar; a vector or matrix member's dynamic index (`b.v[k]`) is checked against its components or
// columns. A workgroup struct's array members are checked and recorded as a storage struct's are (their shadows are
// workgroup arrays of their own: no byte offset is needed). A trial's race on a workgroup struct's scale passed on Dawn
// while these were checked for bounds only.
// Bounds only too, as the same helpers (mode b) with nothing recorded: a var<uniform> array and a uniform struct's
// array members (a trial's unmasked `table.t[k]` of a crc table passed on Dawn), a storage, uniform or private
// vector's or matrix's dynamic index, a var<private> array, and each function's own `var` of a fixed-size array,
// vector or matrix (localsOf): the invocation's own memory, where WGSL lets an out-of-bounds store write any location
// of the variable (a trial's sha256 twin stored w[64] of an array<u32, 64>). A finding names it `w[64]`, of `the
// function variable w` (SanitizedVar.scope), never a buffer or workgroup memory. A const, let or parameter array (a
// value) is not checked: one indexed at run time is said beside a pass (valuesOf).
// The rewrite is made on wgsl_reflect's tokens and AST (harness/mutate/parse.ts) and only inserts text within lines
// (comment marks around the entry points' attributes included) and appends declarations after the last one, so every
// line number of the kernel stays valid.
//
// Why a race report is never false. A shadow word holds a stamp of one real access: the invocation's
// local_invocation_index (exact: `lid_bits` bits hold the workgroup's size), its workgroup's linear number (`wg_bits`
// bits: exact when the dispatch's workgroups fit, else its low bits), and its phase in the address space of the
// access, plus one so that 0 means "no access yet": a barrier orders one address space only (WGSL §"Synchronization
// Built-in Functions", harness/engines/interpreter/barriers.ts), so each invocation keeps two counters, the barriers
// that order workgroup memory it has passed (workgroupBarrier, and the two of workgroupUniformLoad) for workgroup
// stamps, and those that order storage (storageBarrier) for storage stamps; textureBarrier orders neither and is not
// counted. Storage shadows are per dispatch and per case (zero-filled buffers at
// offsets given in the dispatch's config buffer), workgroup shadows are workgroup memory (zero at every workgroup's
// start), so a stamp never comes from another dispatch or case. An access that finds a conflicting stamp (a write
// against any, a read against a write) reports a race only when
//   - the workgroup fields differ (storage only): the two accesses were made by different workgroups of one dispatch,
//     which nothing orders. Truncated workgroup numbers that differ are different workgroups; equal ones fall through
//     to the next rule, which then reports only pairs that are races either way, or stays silent (a miss);
//   - or the phases are equal and the invocations differ: no barrier that orders this memory lies between the two
//     accesses (barriers of the other space may: a storage write, a workgroupBarrier() and another invocation's read
//     are a race, as the interpreter says). Barriers are in uniform control flow, so every invocation of a workgroup
//     passes the same ones in the same order: with k of them before each access and none between, neither access is
//     before a barrier the other is after, and nothing else orders them.
// The phase is exact: once it no longer fits its field, the invocation stops checking that memory (never a
// wrap-around), and says so (the findings' PAST_AT word): the case's races are then not judged, a skip, never a pass
// (trial 158 A1: 65535 workgroups of 256 left 7 phase bits, and a race after 130 storageBarrier()s passed). Each stamp
// holds the phase of its own space only, so the bit budget is the one-counter one.
// A write of one component of a vector element (`v[i].x = ...`) is recorded as a write of the whole element: WGSL
// says such a write may access every memory location of the vector, so different components are no excuse. An array
// of structs (one level) has a shadow word per member of each element (SanitizedVar.fields): each member is its own
// memory locations, so a member's access records its word and a whole element's every one. Atomic accesses (they do
// not race) and accesses through pointers (said as escapes) are not recorded. Any other access of shared memory left
// unrecorded (a write of a matrix element's column, of a nested struct's member, an element of an array nested three
// deep or more, whose shadow has two levels of counts, an access whose indices are evaluated
// twice and are not pure, a whole array copied) is listed (SanitizedShader.unrecorded) where it may meet a write of
// the same memory, and races are then not judged on that engine: said, never passed. A scalar, vector or matrix in
// workgroup memory is shadowed as one element: a write gets the helper's call as a statement before it, a read is
// wrapped in a function that records it and returns the value. An access made harmless
// by clamping may have changed what later accesses do, so a case with an out-of-bounds finding reports no race.
import { callsInto, children, declarations, isComputeEntry, localScopes, locallySizedCounts, overrideCounts, parseWgsl, reachableLines, walk, type Node, type Parsed } from '../mutate/parse.ts';
import { applyEdits, asPlainFunction, entryBuiltins, type Edit } from './rewrite.ts';
import type { BatchBinding, BatchCase } from '../gpu/batch.ts';
import { hoisted, moduleVariableTypes, reflect, reflectable, type WgslType } from '../run/reflect.ts';
import type { Access } from '../engines/interpreter/dispatch.ts';
import { ORDERS, type Space } from '../engines/interpreter/barriers.ts';

/** Findings kept per kind; the counters keep counting past them. */
export const KEEP = 8;

/** SanitizerFindings.raceOff of a case with out-of-bounds accesses and races: a finding, not a limit of the checker,
 *  so the property runner does not pass no-data-race on the other cases (a trial's off-by-one had it in 9 of 10). */
export const OOB_RACES_WHY = '(made harmless by clamping, they may change later accesses): no-out-of-bounds names them; once they are fixed, races are judged there too';
export const RACES_AFTER_OOB = `races are not judged in a case with out-of-bounds accesses ${OOB_RACES_WHY}`;
const OOB_WORDS = 9; // dispatch, lid, workgroup, tag, index, site, the access's first three indices before it
/** Outer indices whose values a finding holds (`a[i][j][k][c]`: i, j and k of c's). */
const OUTER = 3;
const RACE_WORDS = 7; // dispatch, lid, workgroup, tag, element, other stamp, other kind
// Counters: findings of each kind, then records taken of each kind (an invocation reports its count and its first
// finding of a kind at once, so the totals run ahead of the records).
const OOB_AT = 4;
const RACE_AT = OOB_AT + KEEP * OOB_WORDS;
/** A word of flags after the records: 1, an invocation passed more barriers that order workgroup memory than its
 *  stamps' phase field holds, and stopped checking it; 2, the same of storage. */
const PAST_AT = RACE_AT + KEEP * RACE_WORDS;
/** u32 words of the findings buffer: four counters, the kept records, then the flags of PAST_AT. */
export const FINDINGS_WORDS = PAST_AT + 1;
/** Binding of a dispatch's config buffer, after the findings buffer's (whose next two are the shadows'). */
export const CONFIG_AT = 3;
/** u32 words of the config buffer: dispatch, lid_bits, wg_bits, races, then each shadowed array's base, then each
 *  halves array's element count; whole vec4s. */
const configWords = (shadowed: number, halves = 0) => 4 * Math.ceil((4 + shadowed + halves) / 4);
/** Fewest phase bits a stamp keeps: past 2^6 − 2 barriers an invocation stops checking races. */
const MIN_PHASE_BITS = 6;

const READ = 1;
const WRITE = 2;
/** The taking of an address (`&x[i]` handed to a function or a let): checked, not recorded. */
const ADDRESS = 0;
/** The top bit of a reader stamp: another invocation of the stamp's phase (and workgroup) read the element too. With
 *  the last reader alone, every invocation reading a chunk's total and then its owner overwriting it in the same phase
 *  left the owner's own read in the word, and the race passed no-data-race on every GPU engine (trial 72's compaction,
 *  one barrier short); the writer then knows a reader other than itself exists, not which. Stamps fit below it. */
const OTHERS = 0x80000000;
/** Reader stamps per element of a storage shadow: the last reader, and the last before it from another workgroup.
 *  With the last alone, a workgroup's own read of an element replaced the read of a neighbour that it then overwrote:
 *  an in-place tiled difference reading one element past its tile passed no-data-race on lavapipe (Firefox, Deno),
 *  whose workgroups run in order (trial 45). */
const READERS = 2;

/** A module-scope array the sanitizer checks, or an array, vector or matrix member of a module-scope struct. */
export interface SanitizedVar {
  id: number;
  /** Its name, or for an array member of a storage struct its path: `b.data`. */
  name: string;
  /** An array member's variable (`b`: its binding), its members' names down to the array, and the array's byte
   *  offset in the variable (where reflected: a storage struct's). */
  of?: string;
  path?: string[];
  offset?: number;
  /** Uniform, private and function memory are checked for bounds only (raced is false): a uniform is read only, the
   *  other two are the invocation's own. */
  space: 'storage' | 'workgroup' | 'uniform' | 'private' | 'function';
  /** The invocation's own memory, named so in a finding (`the function variable w`): not a buffer, not workgroup
   *  memory. A function variable's name is its own; its key in the module's map is `FN:NAME`. */
  scope?: 'private variable' | 'function variable';
  /** Declared counts, outermost first; 0 for a runtime-sized array. At most two levels are checked. */
  counts: number[];
  /** A workgroup array's counts as WGSL u32 expressions, outermost first: the literal, or the override expression
   *  (`array<f32, WG>`) that the pipeline's constants set, which no number written here could know. */
  countExprs: string[];
  /** Bytes per element of the innermost checked level, when known. */
  stride?: number;
  /** Whether its accesses are recorded for races: read_write storage or workgroup memory, not atomic, not a member
   *  of a workgroup struct. */
  raced: boolean;
  /** Whether its elements are atomics, which only atomic builtins reach: a pointer to one is no race. */
  atomic?: boolean;
  /** Whether its element (of the innermost checked level) is a vector: a write of one component is then recorded as
   *  a write of the whole element, which is what WGSL allows it to be (§ "Component Reference from Vector Memory
   *  View": a write access to a component of a vector may access all of the vector's memory locations). */
  vector: boolean;
  /** A variable that is not an array (a scalar, vector or matrix in workgroup memory): accessed whole, by name. */
  whole?: boolean;
  /** The members of its element, when that is a struct (one level of array only): each has a shadow word of its own
   *  (element × members + member), as each is its own memory locations; a whole element's access records them all.
   *  `split`: a struct, array or matrix member, whose own parts (members, elements, columns) are memory locations
   *  apart, so a write of one part is not a write of the member. */
  fields?: { name: string; split: boolean; atomic?: boolean; offset?: number; size?: number; readLines: number[]; writeLines: number[] }[];
  /** A vector or matrix member of a struct (`b.v`): only its dynamic index (`b.v[k]`) is checked. */
  bounds?: boolean;
  /** Source lines that read and that write it, for naming the other side of a race. */
  readLines: number[];
  writeLines: number[];
}

/** One checked index of one access in the source: what a finding at it names. */
export interface IndexSite {
  /** The access's postfix chain as written: each index's text, each member's name. */
  steps: ({ index: string } | { member: string })[];
  /** Which of its indices is checked here, 0 the outermost. */
  level: number;
  /** For each index before it (at most three), whether a finding holds its value (every index of the chain pure). */
  known: boolean[];
  /** The WGSL type that index indexes (`array<f32, 4>`, `vec4<f32>`; the declared type at level 0), and its elements,
   *  components or columns (0: a runtime-sized array, said as an element of the variable: outerOnly). */
  type: string;
  length: number;
  /** The outer index of a one-level array: said as an element and a byte of the variable, as it always was. */
  outerOnly: boolean;
}

export interface SanitizedShader {
  code: string;
  vars: SanitizedVar[];
  /** Every checked index, by the number its check reports. */
  sites: IndexSite[];
  /** Where the findings buffer (then the write and read shadows, when a storage array is raced, and the config
   *  buffer at binding + CONFIG_AT) are bound. */
  group: number;
  binding: number;
  /** Storage arrays with a shadow region (`_ks_base_ID`, word 4 + k of the config buffer), in id order. */
  shadowed: SanitizedVar[];
  /** Runtime-sized storage arrays of f16 scalars, whose binding holds one element more than the case's where their
   *  count is odd (a binding is whole 4-byte words): checked against the case's count (`_ks_len_ID`, word 4 +
   *  shadowed.length + k of the config buffer), not arrayLength alone. A trial's `k <= cols` read that padding
   *  element of odd-length f16 buffers and passed no-out-of-bounds on Deno and Firefox. */
  halves: SanitizedVar[];
  /** Why races are not checked in this shader at all, when they are not. */
  raceOff?: string;
  /** Each compute entry point's own lines and those of the functions it calls (directly or not): the other side of a
   *  race is named among the lines its dispatch's entry point can reach, not another entry point's. */
  reach?: Map<string, Set<number>>;
  /** Of each compute entry point, the lines whose phase is known (phaseLines): a race's other side is never named at
   *  a line of another phase than this side's. */
  phases?: Map<string, Map<number, LinePhase>>;
  /** Checked arrays handed on as pointers (`merge(&best, ...)`, `let p = &best[i]`), whose accesses through the
   *  pointer are neither bounds-checked nor recorded: "best (line 40, handed to a function)". Said beside a pass,
   *  which then covers the other accesses only. */
  escapes?: string[];
  /** Accesses of shared memory that are not recorded for races and may meet a write of the same memory, by their
   *  chain without indices and line: `st.scale (line 19)`, `p[].pos (line 30)`. Races are then not judged. */
  unrecorded?: string[];
}

// `component`: a write of one component of a vector element, recorded as the element's (said so in a race's advice).
export const tagOf = (id: number, kind: number, raced: boolean, line: number, component = false) =>
  (id | (kind << 8) | ((raced ? 1 : 0) << 10) | ((component ? 1 : 0) << 11) | (line << 12)) >>> 0;
export const untag = (tag: number) => ({ id: tag & 0xff, kind: (tag >>> 8) & 3, raced: ((tag >>> 10) & 1) === 1, component: ((tag >>> 11) & 1) === 1, line: tag >>> 12 });

const ATOMICS = new Set(['atomicLoad', 'atomicStore', 'atomicAdd', 'atomicSub', 'atomicMax', 'atomicMin', 'atomicAnd', 'atomicOr', 'atomicXor', 'atomicExchange', 'atomicCompareExchangeWeak']);
/** Builtins that take a pointer and do their own access, which the rewrite sees (atomics) or needs no check
 *  (arrayLength, workgroupUniformLoad). */
const POINTER_BUILTINS = new Set(['arrayLength', 'workgroupUniformLoad', ...ATOMICS]);
// The barriers that order some memory the sanitizer shadows, each wrapped to step the phase of what it orders
// (barriers.ts: workgroupBarrier() workgroup memory, storageBarrier() storage; textureBarrier() neither, so it is left
// as it is; workgroupUniformLoad is wrapped where it is found, below).
const BARRIERS = new Map(Object.entries(ORDERS).filter(([b, spaces]) => b !== 'workgroupUniformLoad' && spaces.length));
/** The private phase counter and stamp step of each address space (l: workgroup, g: storage). */
const STEP: Record<Space, string> = { workgroup: '_ks_step_l();', storage: '_ks_step_g();' };

/** Bytes of an element named by a WGSL type node, when it is a scalar or vector (enough for messages). */
function strideOf(t: Node | undefined): number | undefined {
  const name = t?.name as string | undefined;
  if (!name) return undefined;
  const scalar = (s: string | undefined) => (s === 'f16' ? 2 : s === 'f32' || s === 'i32' || s === 'u32' ? 4 : undefined);
  if (scalar(name)) return scalar(name);
  // atomic<u32> and atomic<i32>: 4 bytes (a workgroup array of them said "element 256 (byte 256)", trial 55 B2).
  if (name === 'atomic') return 4;
  const m = /^vec([234])([fhiu]?)$/.exec(name);
  if (!m) return undefined;
  const s = scalar(m[2] ? ({ f: 'f32', h: 'f16', i: 'i32', u: 'u32' } as Record<string, string>)[m[2]] : (t!.format as Node | undefined)?.name as string);
  return s === undefined ? undefined : s * (m[1] === '2' ? 2 : 4);
}

/** Expressions an index may be made of and still be evaluated twice for the same value (sanitizeShader pureIndex). */
const PURE_KINDS = new Set(['varExpr', 'literalExpr', 'binaryOp', 'unaryOp', 'stringExpr', '', 'constExpr', 'createExpr']);
/** Builtins whose value is a function of their arguments alone (WGSL §"Built-in Functions"). */
const PURE_CALLS = new Set(['min', 'max', 'clamp', 'select', 'abs', 'countOneBits', 'countLeadingZeros', 'countTrailingZeros', 'firstLeadingBit', 'firstTrailingBit', 'reverseBits', 'extractBits', 'insertBits']);

/** A type accessed whole, without an index the helpers could check: a scalar, vector or matrix. */
const WHOLE = /^(f16|f32|i32|u32|bool|vec[234][fhiu]?|mat[234]x[234][fh]?)$/;

const scalarOf = (m: string, format: Node | undefined) =>
  m ? ({ f: 'f32', h: 'f16', i: 'i32', u: 'u32' } as Record<string, string>)[m]! : ((format?.name as string | undefined) ?? 'f32');
/** A struct or alias named by a type node whose declaration the parser left unresolved. */
const declared = (p: Parsed, t: Node) => p.ast.find((n) => (n.astNodeType === 'struct' || n.astNodeType === 'alias') && n.name === t.name);
const resolved = (p: Parsed, t: Node): Node => {
  const d = !t.members && t.name !== 'array' ? declared(p, t) : undefined;
  return d?.astNodeType === 'alias' ? resolved(p, d.type as Node) : d ?? t;
};

/** What an index into a value of this type checks against and gives: an array's count (0: runtime-sized), a
 *  vector's components (a scalar each), a matrix's columns (a vector each). Undefined for anything else. */
function indexOf(p: Parsed, type: Node): { length: number; element?: Node } | undefined {
  const t = resolved(p, type);
  const name = (t.name as string | undefined) ?? '';
  if (name === 'array') return { length: Number(t.count ?? 0) || 0, ...(t.format ? { element: t.format as Node } : {}) };
  const v = /^vec([234])([fhiu]?)$/.exec(name);
  if (v) return { length: Number(v[1]), element: { name: scalarOf(v[2]!, t.format as Node | undefined) } as unknown as Node };
  const m = /^mat([234])x([234])([fh]?)$/.exec(name);
  if (m) return { length: Number(m[1]), element: { name: `vec${m[2]}`, format: { name: scalarOf(m[3]!, t.format as Node | undefined) } } as unknown as Node };
  return undefined;
}

/** A struct member's type; undefined for a vector's component or swizzle (nothing past it is indexed dynamically). */
function memberOf(p: Parsed, type: Node, member: string): Node | undefined {
  const t = resolved(p, type);
  return ((t.members as Node[] | undefined) ?? []).find((x) => x.name === member)?.type as Node | undefined;
}

/** A type node as WGSL text, for messages: `array<f32, 4>`, `vec4<f32>`, `mat2x4<f32>`, a struct's name. */
function typeText(t: Node): string {
  const f = t.format as Node | undefined;
  if (t.name === 'array') return `array<${f ? typeText(f) : '?'}${t.count ? `, ${Number(t.count)}` : ''}>`;
  return f ? `${t.name as string}<${typeText(f)}>` : (t.name as string);
}

const vec3 = (xs: string[]) => `vec3u(${[...xs, '0u', '0u', '0u'].slice(0, 3).join(', ')})`;

/**
 * Rewrites one WGSL module so that every compute entry point checks its accesses. Throws wgsl_reflect's message
 * when the WGSL does not parse (the caller then lets the plain run's compiler speak).
 */
/** `*(&x)` and `*&x[i]` as `(  x)` and `  x[i]`: the same reference, in the same columns, so that the access is
 *  checked and recorded as a plain one (trial 152 A1: a read of workgroup memory written `*(&total)`, as the mutation
 *  operator UniformLoadToPlain writes it, was neither recorded nor said, and a race passed no-data-race on Dawn). By
 *  tokens: a `*` before `&` or `(&` can only be a dereference (WGSL multiplies no pointer). */
function withoutDerefOfAddress(code: string): string {
  if (!code.includes('&')) return code;
  const t = parseWgsl(code).tokens;
  const chars = [...code];
  let changed = false;
  for (let i = 0; i + 1 < t.length; i++) {
    if (t[i]!.lexeme !== '*') continue;
    const amp = t[i + 1]!.lexeme === '&' ? i + 1 : t[i + 1]!.lexeme === '(' && t[i + 2]?.lexeme === '&' ? i + 2 : -1;
    if (amp < 0) continue;
    chars[t[i]!.start] = ' ';
    chars[t[amp]!.start] = ' ';
    changed = true;
  }
  return changed ? chars.join('') : code;
}

export function sanitizeShader(source: string, options: { races?: boolean } = {}): SanitizedShader {
  // `races: false`: bounds only, no shadow words (no-out-of-bounds on a kernel whose workgroup memory and its shadows
  // together pass the device's limit: a trial's 16 KiB sort took 48 KiB sanitized, and both properties were skipped).
  const races = options.races ?? true;
  // wgsl_reflect's parser takes only a literal or a name in @workgroup_size: an expression there (`TILE / 4u`, a
  // trial's tiled matmul) made both access properties an error on every GPU engine. The hoisted module is the same
  // program, line for line, with each such expression an override of its own (reflect.ts hoistWorkgroupSize).
  const code = withoutDerefOfAddress(reflectable(source));
  const p = parseWgsl(code);
  const mod = reflect(code);
  let workgroupLayouts: ReturnType<typeof moduleVariableTypes> | undefined;
  const workgroupTypes = () => {
    try {
      return (workgroupLayouts ??= moduleVariableTypes(mod.reflected));
    } catch {
      return (workgroupLayouts = new Map());
    }
  };
  // The sanitizer's bindings, CONFIG_AT + 1 in a row: the lowest that are free in group 0. One past the largest passed
  // maxBindingsPerBindGroup for a kernel at @binding(999) (trial 49).
  const taken = new Set([...mod.bindings.values()].filter((b) => b.group === 0).map((b) => b.binding));
  let firstFree = 0;
  while ([...Array(CONFIG_AT + 1).keys()].some((k) => taken.has(firstFree + k))) firstFree++;

  const vars = new Map<string, SanitizedVar>();
  const escapes = new Set<string>();
  /** Each checked member array's type node (`b.data`: array<f32>), what its accesses' chains start from. */
  const memberTypes = new Map<string, Node>();
  /** Storage and workgroup structs looked into: a pointer to the whole of one (`&b` handed on) escapes as an array's
   *  does. */
  const structVars = new Set<string>();
  /** A tag holds 8 bits of a checked variable's id (tagOf): past 256 of them, the rest are said beside a pass. */
  const full = (name: string, n: Node) => {
    if (vars.size <= 0xff) return false;
    escapes.add(`of ${name} (line ${n.line as number}, past the 256 variables one check can tell apart)`);
    return true;
  };
  /** Registers an array the sanitizer checks: a module-scope array `n`, or (`member`) an array member of a storage
   *  struct `n`, `b.data` or `b.inner.lut`, whose reflected layout is `reflected`. False when it is not checked. */
  const addArray = (n: Node, t: Node, member?: { path: string[]; offset: number; reflected?: WgslType }): boolean => {
    const counts = [Number(t.count ?? 0)];
    let element = t.format as Node | undefined;
    // array<array<f32, 4>> too (a pixel's channels): its rows are counted by arrayLength.
    if (element?.name === 'array') {
      counts.push(Number(element.count ?? 0));
      element = element.format as Node | undefined;
    }
    if (counts.some((c, i) => !Number.isInteger(c) || (c === 0 && (i > 0 || n.storage === 'workgroup')))) return false;
    // An override-sized count (only workgroup arrays may have one) parses as a placeholder number: check against the
    // expression itself, which the GPU evaluates with the pipeline's constants.
    const sized = member ? [] : overrideCounts(p, n);
    const countExprs = counts.map((c, i) => (sized[i] ? `u32(${sized[i]})` : `${c}u`));
    const atomic = element?.name === 'atomic';
    const space = (n.storage ?? 'function') as SanitizedVar['space'];
    // A var<workgroup>'s layout too (trial 170 B1: a race on part[4].agg of a workgroup array of structs was said at
    // the element's first byte, part[4].n).
    const reflected: WgslType | undefined = member ? member.reflected : mod.bindings.get(n.name as string)?.type ?? workgroupTypes().get(n.name as string)?.type;
    // A workgroup array of structs (a trial's array<Pair, 256>): the struct's size, else an element was told as its byte.
    const stride = reflected?.kind === 'array' ? (counts.length === 2 && reflected.element.kind === 'array' ? reflected.element.stride : reflected.stride)
      : strideOf(element) ?? mod.structSizes.get((element?.name as string | undefined) ?? '');
    const name = member ? [n.name as string, ...member.path].join('.') : (n.name as string);
    if (full(name, n)) return true;
    if (member) memberTypes.set(name, t);
    // A race names the member's byte where the element's layout is reflected (a storage binding's).
    const layout = reflected?.kind === 'array' && reflected.element.kind === 'struct' ? reflected.element.members : [];
    const fields = counts.length === 1 && element ? ((resolved(p, element).members as Node[] | undefined) ?? []).map((m) => {
      const rm = layout.find((x) => x.name === m.name);
      const mt = resolved(p, m.type as Node);
      return { name: m.name as string, split: !!mt.members || /^(array|mat\d)/.test((mt.name as string | undefined) ?? ''), ...(mt.name === 'atomic' ? { atomic: true } : {}), ...(rm ? { offset: rm.offset, size: rm.type.size } : {}), readLines: [] as number[], writeLines: [] as number[] };
    }) : [];
    vars.set(name, {
      ...(fields.length ? { fields } : {}),
      id: vars.size,
      name,
      ...(member ? { of: n.name as string, path: member.path, ...(member.reflected ? { offset: member.offset } : {}) } : {}),
      space,
      ...(space === 'private' ? { scope: 'private variable' as const } : {}),
      counts,
      countExprs,
      ...(stride ? { stride } : {}),
      raced: races && !atomic && (space === 'workgroup' || n.access === 'read_write'),
      ...(atomic ? { atomic } : {}),
      vector: /^vec[234][fhiu]?$/.test((element?.name as string | undefined) ?? ''),
      readLines: [],
      writeLines: [],
    });
    return true;
  };
  /** The array members of a storage (or workgroup) struct, nested structs' included, each checked as an array of its
   *  own (its runtime-sized last member against arrayLength(&b.data)); one that cannot be is said beside a pass. */
  const addMembers = (n: Node, t: Node, reflected: WgslType | undefined, path: string[], offset: number) => {
    for (const m of (resolved(p, t).members as Node[] | undefined) ?? []) {
      const mt = resolved(p, m.type as Node);
      const rm = reflected?.kind === 'struct' ? reflected.members.find((x) => x.name === m.name) : undefined;
      const at = [...path, m.name as string];
      if (mt.members) addMembers(n, mt, rm?.type, at, offset + (rm?.offset ?? 0));
      else if (WHOLE.test((mt.name as string | undefined) ?? '')) {
        // A scalar, vector or matrix member (`sh.scale`, `b.count`, `b.v[k]`): of shared memory (workgroup or
        // read_write storage), one shadowed element accessed whole, as a workgroup scalar is (a trial's race on a
        // workgroup struct's scale passed on Dawn); else a vector's or matrix's dynamic index is checked against its
        // components or columns, and a scalar's accesses need nothing.
        const shared = races && (n.storage === 'workgroup' || (n.storage === 'storage' && n.access === 'read_write'));
        if (!shared && !/^(vec|mat)/.test(mt.name as string)) continue;
        const name = [n.name as string, ...at].join('.');
        if (full(name, n)) continue;
        memberTypes.set(name, mt);
        vars.set(name, {
          id: vars.size, name, of: n.name as string, path: at, ...(rm ? { offset: offset + rm.offset } : {}), space: n.storage as SanitizedVar['space'], counts: [1], countExprs: ['1u'],
          ...(rm?.type.size || strideOf(mt) ? { stride: rm?.type.size ?? strideOf(mt)! } : {}), vector: false, readLines: [], writeLines: [],
          ...(shared ? { raced: true, whole: true } : { raced: false, bounds: true }),
        });
      } else if (mt.name === 'array' && !addArray(n, mt, { path: at, offset: offset + (rm?.offset ?? 0), ...(rm ? { reflected: rm.type } : {}) })) {
        escapes.add(`of ${[n.name as string, ...at].join('.')} (line ${n.line as number}, a member array whose length was not found: not checked)`);
      }
    }
  };
  for (const n of p.ast) {
    if (n.astNodeType !== 'var' || !['storage', 'workgroup', 'uniform', 'private'].includes(n.storage as string)) continue;
    const t = n.type as Node | undefined;
    // A storage struct (`b.lut[k]`, `b.data[i]`, the WebGPU samples' `particles.particles[i]`): each array member is
    // checked as an array of its own, named by its path (a trial's index 16 of a 16-element lut in one passed
    // unsaid); a scalar, vector or matrix member of shared memory is one shadowed element (addMembers). So are a
    // workgroup struct's members.
    if (t && resolved(p, t).members) {
      structVars.add(n.name as string);
      addMembers(n, t, mod.bindings.get(n.name as string)?.type, [], 0);
      continue;
    }
    const tn = (t && (resolved(p, t).name as string | undefined)) ?? '';
    if (races && t?.name !== 'array' && WHOLE.test(tn) && (n.storage === 'workgroup' || (n.storage === 'storage' && n.access === 'read_write'))) {
      // A scalar, vector or matrix of shared memory (a leader's `offset` in workgroup memory, a flag, a
      // `var<storage, read_write> total: f32`): one shadowed element, its accesses recorded through the wrappers
      // below. Workgroup atomics are left out (they do not race).
      if (full(n.name as string, n)) continue;
      memberTypes.set(n.name as string, resolved(p, t!));
      vars.set(n.name as string, {
        id: vars.size, name: n.name as string, space: n.storage as SanitizedVar['space'], counts: [1], countExprs: ['1u'], ...(strideOf(t) ? { stride: strideOf(t)! } : {}),
        raced: true, vector: /^vec/.test(tn), whole: true, readLines: [], writeLines: [],
      });
      continue;
    }
    if (t?.name !== 'array' && (n.storage !== 'workgroup' || !races)) {
      // A read-only storage, uniform or private vector or matrix (`v[k]` of a var<storage> vec4f): its dynamic index
      // is checked against its components or columns, as a struct member's is (a trial's went unchecked and unsaid);
      // with races off, a shared one too.
      if (/^(vec[234][fhiu]?|mat[234]x[234][fh]?)$/.test(tn) && !full(n.name as string, n)) {
        memberTypes.set(n.name as string, resolved(p, t!));
        vars.set(n.name as string, {
          id: vars.size, name: n.name as string, space: n.storage as SanitizedVar['space'], ...(n.storage === 'private' ? { scope: 'private variable' as const } : {}),
          counts: [1], countExprs: ['1u'], raced: false, vector: false, bounds: true, readLines: [], writeLines: [],
        });
      }
      continue;
    }
    if (t?.name !== 'array') continue;
    addArray(n, t);
  }

  const edits: Edit[] = [];
  /** Helpers used: array id and mode (b: bounds only, r: recorded read, w: recorded write). */
  const helpers = new Set<string>();
  /** Workgroup variables loaded with workgroupUniformLoad: each gets a wrapper that counts its barriers. */
  const wul = new Set<string>();
  /** `workgroupUniformLoad(&red[0])` or `(&sh.dims)`, by the element as written: its wrapper's number, the variable,
   *  and the index or member. Numbered, not named by them: `_ks_wul_scale_0` for `scale[0]` was also the wrapper of
   *  a variable named scale_0 (trial 118 B1). */
  const wulElements = new Map<string, { id: number; name: string; index?: string; member?: string }>();
  let raceOff: string | undefined;
  const lineOf = (n: Node) => p.position(p.range(n)[0]).line;

  const sites: IndexSite[] = [];
  /** A function variable's declaration (in its function's body), where its accesses' chains start. */
  const localDecls = new Map<SanitizedVar, Node>();
  /**
   * The function variables of `fn` that are checked, by name: a `var` of a fixed-size array (two levels at most) or
   * of a vector or matrix, declared once in the function (a name declared twice, or also a parameter, let or const,
   * may be either at an access: left out and said). Bounds only: the invocation's own memory, no races. WGSL lets an
   * out-of-bounds store to it write any location of the variable (a trial's sha256 twin stored w[64] of an
   * array<u32, 64> and passed unsaid on Dawn).
   */
  /** Whether a declaration (a const, a let, a parameter) holds an array, by its declared type or its value's. */
  const holdsArray = (n: Node) => {
    const t = (n.type as Node | undefined) ?? ((n.value as Node | undefined)?.type as Node | undefined);
    return !!t && resolved(p, t).name === 'array';
  };
  /** Arrays whose indices are not checked (a const, a let, a parameter: values, not memory the helpers index), by
   *  name: one indexed at run time is said beside a pass, as the interpreter checks it. */
  const moduleValues = new Map<string, string>();
  for (const n of p.ast) if (n.astNodeType === 'const' && holdsArray(n)) moduleValues.set(n.name as string, `of the const ${n.name as string} (line ${lineOf(n)}, an array value: not checked)`);
  const valuesOf = (fn: Node): Map<string, string> => {
    const out = new Map<string, string>();
    for (const a of (fn.args as Node[] | undefined) ?? []) if (holdsArray(a)) out.set(a.name as string, `of the parameter ${a.name as string} (line ${fn.line as number}, an array value: not checked)`);
    walk((fn.body as Node[] | undefined) ?? [], (n) => {
      if ((n.astNodeType === 'let' || n.astNodeType === 'const') && typeof n.name === 'string' && holdsArray(n)) out.set(n.name, `of the ${n.astNodeType} ${n.name} (line ${lineOf(n)}, an array value: not checked)`);
    });
    return out;
  };
  const localsOf = (fn: Node): Map<string, SanitizedVar> => {
    const out = new Map<string, SanitizedVar>();
    const declared = new Map<string, Node[]>();
    for (const a of (fn.args as Node[] | undefined) ?? []) declared.set(a.name as string, [a]);
    walk((fn.body as Node[] | undefined) ?? [], (n) => {
      if (['let', 'var', 'const'].includes(n.astNodeType) && typeof n.name === 'string') declared.set(n.name, [...(declared.get(n.name) ?? []), n]);
    });
    for (const [name, ds] of declared) {
      const n = ds[0]!;
      if (n.astNodeType !== 'var' || !n.type) continue;
      const t = resolved(p, n.type as Node);
      const tn = (t.name as string | undefined) ?? '';
      const array = tn === 'array';
      if (!array && !/^(vec[234][fhiu]?|mat[234]x[234][fh]?)$/.test(tn)) continue;
      const line = lineOf(n);
      if (ds.length > 1) {
        escapes.add(`of the function variable ${name} (line ${line}, a name declared more than once in ${fn.name as string}: not checked)`);
        continue;
      }
      const counts = array ? [Number(t.count ?? 0)] : [1];
      let element = array ? (t.format as Node | undefined) : undefined;
      if (element && resolved(p, element).name === 'array') {
        element = resolved(p, element);
        counts.push(Number(element.count ?? 0));
        element = element.format as Node | undefined;
      }
      // A count naming a const of the function in scope here: the parser took the module's of that name, or 1 (trial
      // 118 A3, A4); its value where it is a name the parser evaluated, else not checked.
      const scope = declarations(p, fn);
      locallySizedCounts(p, fn, n).forEach((expr, k) => {
        if (expr === undefined || k >= counts.length) return;
        const key = scope.at(expr, p.range(n)[0]);
        const c = key ? declared.get(expr)?.find((x) => scope.of(x) === key) : undefined;
        counts[k] = (c?.astNodeType === 'const' ? ((c.value as Node | undefined)?.value as { data?: number[] } | undefined)?.data?.[0] : undefined) ?? NaN;
      });
      if (counts.some((c) => !Number.isInteger(c) || c <= 0)) {
        escapes.add(`of the function variable ${name} (line ${line}, its length was not found: not checked)`);
        continue;
      }
      if (full(name, n)) continue;
      const stride = element ? strideOf(element) ?? mod.structSizes.get((element.name as string | undefined) ?? '') : undefined;
      const info: SanitizedVar = {
        id: vars.size, name, space: 'function', scope: 'function variable', counts, countExprs: counts.map((c) => `${c}u`), ...(stride ? { stride } : {}),
        raced: false, vector: /^vec[234][fhiu]?$/.test((element?.name as string | undefined) ?? ''), ...(array ? {} : { bounds: true }), readLines: [], writeLines: [],
      };
      vars.set(`${fn.name as string}:${name}`, info);
      localDecls.set(info, n);
      out.set(name, info);
    }
    return out;
  };
  const declOf = (name: string) => p.ast.find((n) => n.astNodeType === 'var' && n.name === name);
  /** An access's chain past the variable's name: `[i]` of `b.data[i]` for the member array `b.data`. */
  const headOf = (v: Node, info: SanitizedVar) => {
    let q = v.postfix as Node | undefined;
    for (let k = 0; k < (info.path?.length ?? 0); k++) q = q?.postfix as Node | undefined;
    return q;
  };
  /** The member array `b.data` that an access `b.data[i]` of a storage struct starts with, if it is checked. */
  const memberOfVar = (v: Node): SanitizedVar | undefined => {
    let path = v.name as string;
    for (let q = v.postfix as Node | undefined; q && !('index' in q); q = q.postfix as Node | undefined) {
      path += `.${q.value as string}`;
      const info = vars.get(path);
      if (info?.of) return info;
    }
    return undefined;
  };
  /** An access's postfix chain with the type each step applies to (undefined once unknown: a swizzle, a scalar). */
  const chainOf = (v: Node, info: SanitizedVar) => {
    // A member array's chain starts at its own type: a finding names `b.data[70]` and an array<f32>.
    const local = localDecls.get(info);
    const member = local ? undefined : memberTypes.get(info.name);
    const decl = member ? undefined : local ?? declOf(info.name);
    let t = member ?? (decl?.type as Node | undefined);
    const steps: { node: Node; index?: Node; member?: string; type?: Node; length?: number }[] = [];
    for (let q = headOf(v, info); q; q = q.postfix as Node | undefined) {
      if ('index' in q) {
        const ix = t ? indexOf(p, t) : undefined;
        steps.push({ node: q, index: q.index as Node, ...(t ? { type: t } : {}), ...(ix ? { length: ix.length } : {}) });
        t = ix?.element;
      } else {
        steps.push({ node: q, member: q.value as string });
        t = t ? memberOf(p, t, q.value as string) : undefined;
      }
    }
    return { steps, declType: member ? typeText(member) : decl ? code.slice(...typeSpan(p, decl)) : info.name };
  };
  /** Whether an index can be evaluated again for its value (no effects, reads no array): see `second` below. Consts,
   *  conversions and the builtins of PURE_CALLS count (`k / T`, `u32(sx)`, `tile[min(r, T - 1u)][c]`): a halo's
   *  `tile[ly + HALO][lx]` was recorded for bounds only, a race there unsaid. */
  const pureIndex = (n: Node) => {
    let pure = true;
    const look = (x: Node) => {
      const call = x.astNodeType === 'callExpr' && PURE_CALLS.has(x.name as string);
      if ((!PURE_KINDS.has(x.astNodeType) && !call) || 'index' in x || (x.astNodeType === 'unaryOp' && ['&', '*'].includes(x.operator as string))) pure = false;
      children(x).forEach(look);
    };
    look(n);
    return pure;
  };
  /**
   * A site for the index at `level` of an access (its number goes into the check's call and any finding), and the
   * outer indices' values as WGSL (`vec3u(...)`): the texts again when every index of the chain is pure (evaluated
   * in any order, they give the same values), else 0u and the site says they are unknown.
   */
  const siteOf = (v: Node, info: SanitizedVar, level: number): { site: number; outer: string[] } => {
    const { steps, declType } = chainOf(v, info);
    const indices = steps.filter((s) => s.index);
    const pure = indices.every((s) => pureIndex(s.index!));
    const outer = indices.slice(0, Math.min(level, OUTER)).map((s) => (pure ? `u32(${p.text(s.index!)})` : '0u'));
    const at = indices[level];
    const type = level === 0 ? declType : at?.type ? typeText(at.type) : '?';
    const site = sites.push({
      steps: steps.map((s) => (s.index ? { index: p.text(s.index) } : { member: s.member! })),
      level,
      known: outer.map(() => pure),
      type,
      // An override-sized row count is the pipeline's: its check reports it (_ks_row), and this says 0.
      // A function variable's counts are its own, a local const's value included (localsOf).
      length: level === 0 && info.counts.length === 2 && !/^\d+u$/.test(info.countExprs[0]!) ? 0 : info.space === 'function' && level < info.counts.length ? info.counts[level]! : at?.length ?? 0,
      // A member array's outer index is said as the access too (`b.data[70]`), its length being the member's.
      // A vector's index and the invocation's own arrays are said as the access too: `v[4]`, `w[64]` of `the function
      // variable w`, not an element and byte of a buffer.
      outerOnly: level === 0 && !info.whole && !info.of && !info.bounds && !info.scope && info.counts.length === 1,
    }) - 1;
    return { site, outer };
  };
  /**
   * Checks every dynamic index of the chain from index `from` on (the levels the array's own helpers do not check):
   * a fixed-size inner array, a vector's component, a matrix's column; a literal index is the compiler's to reject.
   * Each becomes `_ks_ix(TAG, SITE, LENGTH, u32(i), vec3u(OUTER))`, bounds only: races are recorded at the element.
   */
  const innerChecks = (v: Node, info: SanitizedVar, from: number, tag: number, depth: number) => {
    const { steps } = chainOf(v, info);
    const indices = steps.filter((s) => s.index);
    for (let level = from; level < indices.length; level++) {
      const s = indices[level]!;
      if (!s.length || (s.index!.astNodeType === 'literalExpr')) continue;
      const { site, outer } = siteOf(v, info, level);
      const [a, b] = p.range(s.index!);
      edits.push({ at: a, text: `_ks_ix(${tag}u, ${site}u, ${s.length}u, u32(`, order: -depth }, { at: b, text: `), ${vec3(outer)})`, order: depth });
      inner = true;
    }
  };
  let inner = false;

  /** Rewrites one access of a checked array; true when it is recorded for races. */
  const access = (v: Node, parent: Node | undefined, grand: Node | undefined, info: SanitizedVar, depth: number): boolean => {
    const first = headOf(v, info);
    if (!first || !('index' in first)) return false;
    const second = info.counts.length === 2 && first.postfix && 'index' in (first.postfix as Node) ? (first.postfix as Node) : undefined;
    const last = second ?? first;
    const level = info.counts.length === 1 || !!second;
    const whole = !last.postfix && level;
    // One component of a vector element (`v[i].x`, `v[i][k]`): WGSL lets its write access the whole vector, so two
    // invocations writing different components of one element race, and it is recorded as a write of the element.
    const component = level && info.vector && !!last.postfix && !(last.postfix as Node).postfix;
    // A member of a struct element (`p[i].pos`, `p[i].pos.x`) has shadow words of its own (SanitizedVar.fields); a
    // write of one part of a split member (`p[i].lut[k]`, `p[i].inner.a`, a matrix's column) stays unrecorded, as its
    // parts are not told apart: recorded as the member's, two invocations writing two parts would be a false race.
    const member = level && info.fields && last.postfix && !('index' in (last.postfix as Node)) ? (last.postfix as Node) : undefined;
    const field = member ? info.fields!.findIndex((f) => f.name === member.value) : -1;
    const written = whole || component || (field >= 0 && (!member!.postfix || !info.fields![field]!.split));
    let kind = READ;
    let raced = info.raced && whole;
    if (parent?.astNodeType === 'assign' && parent.variable === v) {
      kind = parent.operator === '=' ? WRITE : READ | WRITE;
      raced = info.raced && written;
    } else if (parent?.astNodeType === 'increment' && parent.variable === v) {
      kind = READ | WRITE;
      raced = info.raced && written;
    } else if (parent?.astNodeType === 'unaryOp' && parent.operator === '&') {
      // Atomics are not races; any other pointer escapes to accesses this rewrite does not see, and its index is
      // checked where the address is taken: said as that (ADDRESS), not as a read (trial 90 B2).
      kind = ATOMICS.has(grand?.name as string) ? (grand?.name !== 'atomicLoad' ? READ | WRITE : READ) : ADDRESS;
      raced = false;
    } else if (!whole && last.postfix) {
      // Reading part of an element overlaps any write of the whole element: recorded as a read.
      raced = info.raced;
    }
    // tile[r][c]: the engine may evaluate c before r (Tint did), so the column's check is handed the row's text again.
    // Evaluating it twice gives the same value only when it has no effects and reads no array: else bounds only.
    // (siteOf hands the row on only when every index of the chain is pure: a third index's effects count too.)
    if (second && !chainOf(v, info).steps.every((st) => !st.index || pureIndex(st.index))) raced = false;
    const line = lineOf(v);
    if (raced) {
      (kind & WRITE ? info.writeLines : info.readLines).push(line);
      // A member's lines, and a whole element's in every member's: the other side of a race on one member's word.
      for (const f of field >= 0 ? [info.fields![field]!] : info.fields ?? []) (kind & WRITE ? f.writeLines : f.readLines).push(line);
    }
    const tag = tagOf(info.id, kind, raced, line, raced && !whole && component && (kind & WRITE) !== 0);
    // One helper per array and kind of check, so that nothing in it branches on the tag at run time.
    const mode = !raced ? 'b' : kind & WRITE ? 'w' : 'r';
    helpers.add(`${info.id}${mode}`);
    const wrap = (index: Node, fn: string, level: number) => {
      const { site, outer } = siteOf(v, info, level);
      const [a, b] = p.range(index);
      // A struct element's helper takes the member (1 + its number; 0: the whole element) where a row would be.
      const row = info.fields ? `${field >= 0 ? field + 1 : 0}u` : outer[0] ?? '0u';
      edits.push({ at: a, text: `${fn}(${tag}u, ${site}u, ${row}, u32(`, order: -depth }, { at: b, text: `))`, order: depth });
    };
    if (second) {
      wrap(first.index as Node, `_ks_row${info.id}`, 0);
      wrap(second.index as Node, `_ks_a${info.id}${mode}`, 1);
    } else if (info.counts.length === 2) {
      // A whole row (`tile[r]`, a pointer or a copy): checked against the outer count only (raced is false).
      wrap(first.index as Node, `_ks_row${info.id}`, 0);
    } else wrap(first.index as Node, `_ks_a${info.id}${mode}`, 0);
    // The row handed to the column's check is the row's value when the chain is pure (siteOf), else 0u: then the
    // access is checked for bounds only (raced is false above), and a finding says the row is not known.
    innerChecks(v, info, second ? 2 : 1, tag, depth);
    return raced;
  };

  /** Types of the whole variables whose reads are wrapped (`_ks_v{id}`). */
  const wholeReads = new Map<number, string>();
  // An access of a whole variable has no index to hand to a helper. A write (`v = e`, `v += e`, `v++`, `v.x = e`)
  // gets the helper's call as a statement before it; a read becomes `_ks_vID(TAG, v)`, which records it and returns
  // the value. A pointer to it (`&v`: atomics, workgroupUniformLoad) and a write in a for loop's header are left
  // unrecorded (the latter said: unrecorded).
  const wholeAccess = (v: Node, parent: Node | undefined, grand: Node | undefined, info: SanitizedVar, depth: number): boolean => {
    const line = lineOf(v);
    // A vector's or matrix's runtime index (`acc[k]`): checked for bounds whatever the access is recorded as.
    const writes = (parent?.astNodeType === 'assign' || parent?.astNodeType === 'increment') && parent.variable === v;
    innerChecks(v, info, 0, tagOf(info.id, writes ? WRITE : READ, false, line), depth);
    if (writes) {
      // A matrix's columns are memory locations apart: a write of one (`m[c] = ...`, `m[c].x = ...`) recorded as the
      // matrix's would make two invocations writing two columns a false race. Left unrecorded, and said.
      const head = headOf(v, info);
      // A for loop's header has no room for a statement before its write; its body has (trial 107 A1: `acc = acc +
      // cache[j];` right in a for's body was left unrecorded, and a missing barrier after it went unjudged).
      const header = grand?.astNodeType === 'for' && (grand.init === parent || grand.increment === parent);
      if (header || (/^mat/.test(wholeType(info) ?? '') && head && 'index' in head)) return false;
      const kind = parent!.astNodeType === 'assign' && parent!.operator === '=' ? WRITE : READ | WRITE;
      info.writeLines.push(line);
      helpers.add(`${info.id}w`);
      edits.push({ at: p.range(parent!)[0], text: `_ = _ks_a${info.id}w(${tagOf(info.id, kind, true, line)}u, 0u, 0u, 0u); `, order: 50 });
      return true;
    }
    if (parent?.astNodeType === 'unaryOp' && parent.operator === '&') return false;
    const type = wholeType(info);
    if (!type) return false;
    info.readLines.push(line);
    helpers.add(`${info.id}r`);
    wholeReads.set(info.id, type);
    const at = p.range(v)[0];
    // The variable's name, then a member's path (`sh . scale` as written).
    const end = at + new RegExp(`^\\w+${(info.path ?? []).map((m) => `\\s*\\.\\s*${m}\\b`).join('')}`).exec(code.slice(at))![0].length;
    edits.push({ at, text: `_ks_v${info.id}(${tagOf(info.id, READ, true, line)}u, `, order: 0 }, { at: end, text: ')', order: 0 });
    return true;
  };
  const wholeType = (info: SanitizedVar): string | undefined => {
    const member = memberTypes.get(info.name);
    if (member) return typeText(member);
    const decl = p.ast.find((n) => n.astNodeType === 'var' && n.name === info.name);
    return decl ? code.slice(...typeSpan(p, decl)) : undefined;
  };

  /** Accesses of workgroup and read_write storage memory, by their chain without indices (`st.scale`, `p[].pos`). */
  const shared: { key: string; line: number; write: boolean; recorded: boolean }[] = [];
  const keyOf = (v: Node) => {
    let key = v.name as string;
    for (let q = v.postfix as Node | undefined; q; q = q.postfix as Node | undefined) key += 'index' in q ? '[]' : `.${q.value as string}`;
    return key;
  };
  for (const fn of p.ast) {
    if (fn.astNodeType !== 'function') continue;
    // Which declaration a name names at an access, by WGSL's scopes: a local named like a module variable hides it
    // only where the local is in scope.
    const scoped = localScopes(p, fn);
    const isLocal = (n: Node) => scoped(n.name as string, p.range(n)[0]);
    const own = localsOf(fn);
    const values = valuesOf(fn);
    const walkIn = (n: Node, parent: Node | undefined, grand: Node | undefined, depth: number) => {
      const local = (n.astNodeType === 'varExpr' || n.astNodeType === 'constExpr') && isLocal(n);
      // A module const is read as a constExpr.
      if ((n.astNodeType === 'varExpr' || n.astNodeType === 'constExpr') && !(local && own.has(n.name as string))) {
        const q = n.postfix as Node | undefined;
        const said = local ? values.get(n.name as string) : moduleValues.get(n.name as string);
        if (said && q && 'index' in q && (q.index as Node).astNodeType !== 'literalExpr') escapes.add(said);
      }
      const mine = n.astNodeType === 'varExpr' && local ? own.get(n.name as string) : undefined;
      const info = mine ?? (n.astNodeType !== 'varExpr' || local ? undefined : structVars.has(n.name as string) ? memberOfVar(n) : vars.get(n.name as string));
      const writes = (parent?.astNodeType === 'assign' || parent?.astNodeType === 'increment') && parent.variable === n;
      let recorded = false;
      if (info) {
        if (info.bounds) innerChecks(n, info, 0, tagOf(info.id, writes ? WRITE : READ, false, lineOf(n)), depth);
        else recorded = info.whole ? wholeAccess(n, parent, grand, info, depth) : access(n, parent, grand, info, depth);
      }
      // Every access of memory other invocations share, recorded or not (`unrecorded` below); a pointer taken is an
      // atomic's access (no race) or an escape (said above).
      const decl = n.astNodeType === 'varExpr' && !local ? declOf(n.name as string) : undefined;
      if (decl && (decl.storage === 'workgroup' || (decl.storage === 'storage' && decl.access === 'read_write')) && !(parent?.astNodeType === 'unaryOp' && parent.operator === '&')) {
        shared.push({ key: keyOf(n), line: lineOf(n), write: writes, recorded });
      }
      // A pointer to a checked array (or an element of one) handed to a function of the kernel's: what the function
      // does through it is not seen here (a trial's merge(&best, i, j) read past the end unflagged).
      // Kept in a let (`let p = &m[b]; p[c + 1u]`) it is not seen either (a trial's matrix column 4 passed unsaid).
      // A pointer to a whole storage struct (`&b`, or to a member that is not an array) is one to its arrays too.
      const struct = n.astNodeType === 'varExpr' && !info && structVars.has(n.name as string) && !local;
      if ((struct || info) && parent?.astNodeType === 'unaryOp' && parent.operator === '&') {
        // Memory no other invocation writes is named for what it is (`the function variable w`): its pointer hides
        // out-of-bounds accesses, never a race (trace-properties.ts reads the name; a trial's conv3x3 handed its
        // function array of 9 weights to a helper and no-data-race was not judged on any GPU engine).
        const own = info?.scope ?? (info?.space === 'uniform' ? 'uniform' : decl?.storage === 'storage' && decl.access !== 'read_write' ? 'read-only storage' : info?.atomic ? 'atomic array' : undefined);
        const name = `${own ? `the ${own} ` : ''}${info?.name ?? (n.name as string)}`;
        // A pointer to one atomic (`bump(&bins[k])`, its index checked here) reaches that element only, and only
        // through atomic builtins, which do not race: nothing escapes (trial 136 B3: no-data-race was not judged on
        // Dawn for the usual atomicAddF32(&bins[k], v) helper). A pointer to the whole array still hides its indices.
        let indices = 0;
        let member: string | undefined;
        for (let q = n.postfix as Node | undefined; q; q = q.postfix as Node | undefined) {
          if ('index' in q) indices++;
          else if (indices === info?.counts.length && member === undefined) member = String(q.value);
        }
        // Or to an atomic member of one element (`bump(&wbins[k].c)`, trial 151 B4).
        const oneAtomic = indices === info?.counts.length && (member === undefined ? !!info.atomic : !!info.fields?.find((f) => f.name === member)?.atomic);
        const how = oneAtomic ? undefined
          : (grand?.astNodeType === 'callExpr' || grand?.astNodeType === 'call') && !POINTER_BUILTINS.has(grand.name as string) ? 'handed to a function'
          : grand?.astNodeType === 'let' ? 'kept in a let' : undefined;
        if (how) escapes.add(`through a pointer to ${name} (line ${lineOf(n)}, ${how})`);
      }
      if ((n.astNodeType === 'callExpr' || n.astNodeType === 'call') && n.name === 'workgroupUniformLoad') {
        const arg = (n.args as Node[])[0];
        const target = arg?.astNodeType === 'unaryOp' ? (arg.right as Node) : undefined;
        if (target?.astNodeType === 'varExpr' && !target.postfix && !isLocal(target)) {
          const [a, b] = p.range(n);
          edits.push({ at: a, text: `_ks_wul_${target.name as string}()`, order: 0, drop: b });
          wul.add(target.name as string);
          return;
        }
        // An element at a literal index, `&red[0]` (a trial's attention kernel), or a struct's member, `&sh.dims` (a
        // trial's broadcast): a wrapper of its own. A constant index past a fixed count does not compile, so nothing
        // is left to check of it.
        const at = target?.astNodeType === 'varExpr' ? (target.postfix as Node | undefined) : undefined;
        // wgsl_reflect's ArrayIndex has no astNodeType of its own: known by its index.
        // An index written with module-scope constants (`&bl[LAST]`, `&bl[WG - 1u]`: trial 138 B1) is one too: the
        // wrapper, at module scope, reads the same names.
        const moduleConstant = (e: Node) => {
          let ok = true;
          walk([e], (m) => {
            const t = m.astNodeType;
            ok &&= t === 'literalExpr' || t === 'binaryOp' || t === 'unaryOp' || ((t === 'varExpr' || t === 'constExpr') && !m.postfix && !isLocal(m) && p.ast.some((d) => (d.astNodeType === 'const' || d.astNodeType === 'override') && d.name === m.name));
          });
          return ok;
        };
        const literal = at && 'index' in at && !at.postfix && moduleConstant(at.index as Node) ? code.slice(...p.range(at.index as Node)) : undefined;
        const member = at?.astNodeType === 'stringExpr' && !at.postfix ? String(at.value) : undefined;
        if ((literal !== undefined || (member !== undefined && /^\w+$/.test(member))) && !isLocal(target!)) {
          const key = JSON.stringify([target!.name, literal ?? null, member ?? null]);
          if (!wulElements.has(key)) wulElements.set(key, { id: wulElements.size, name: target!.name as string, ...(literal !== undefined ? { index: literal } : { member: member! }) });
          const [a, b] = p.range(n);
          edits.push({ at: a, text: `_ks_wule${wulElements.get(key)!.id}()`, order: 0, drop: b });
          return;
        }
        raceOff = `workgroupUniformLoad of something other than a module-scope variable, its element at an index of literals and module-scope constants, or its member, line ${lineOf(n)}`;
      }
      for (const k of children(n)) walkIn(k, n, parent, depth + 1);
    };
    for (const s of (fn.body as Node[]) ?? []) walkIn(s, undefined, undefined, 1);
  }

  // Barriers: the call's name becomes a wrapper that passes the barrier and counts it, by tokens (never in comments).
  for (let i = 0; i + 1 < p.tokens.length; i++) {
    const t = p.tokens[i]!;
    if (BARRIERS.has(t.lexeme) && p.tokens[i + 1]!.lexeme === '(') edits.push({ at: t.start, text: '_ks_', order: 100 });
  }

  // Accesses the stamps miss (the list in this file's header): where one may meet a write of the same memory, races
  // are not judged on this engine (said beside the result), rather than passed on the accesses that were recorded (a
  // trial's race on a workgroup struct's member passed on Dawn).
  const within = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  const overlaps = (a: string, b: string) => within(a, b) || within(b, a);
  const unrecorded = [...new Set(shared.filter((x) => !x.recorded && (x.write || shared.some((y) => y.write && overlaps(x.key, y.key)))).map((x) => `${x.key} (line ${x.line})`))];

  const wrappers: string[] = [];
  const reach = reachableLines(p);
  const phases = phaseLines(p);
  const entries = entryEdits(p, edits, wrappers);
  // Onto the module with its const_asserts (hoisted): a GPU engine must refuse the copy where it refuses the module.
  const out = applyEdits(withoutDerefOfAddress(hoisted(source)), edits);

  const list = [...vars.values()];
  const shadowed = list.filter((v) => v.space === 'storage' && v.raced);
  const halves = list.filter((v) => v.space === 'storage' && v.counts.length === 1 && v.counts[0] === 0 && v.stride === 2);
  const group = 0;
  const binding = firstFree;
  const decl: string[] = [];
  // A dispatch's number, stamp layout and shadow offsets vary from case to case: read from a uniform buffer, not
  // given as override constants, so that one pipeline serves every case (SwiftShader takes about half a second to
  // create one for softmax, and the pipelines are cached by their constants).
  decl.push(`@group(${group}) @binding(${binding + CONFIG_AT}) var<uniform> _ks_c: array<vec4u, ${configWords(shadowed.length, halves.length) / 4}>;`);
  decl.push(`var<private> _ks_dispatch: u32;`, `var<private> _ks_lid_bits: u32;`, `var<private> _ks_wg_bits: u32;`, `var<private> _ks_races: bool;`);
  for (const v of shadowed) decl.push(`var<private> _ks_base_${v.id}: u32;`);
  for (const v of halves) decl.push(`var<private> _ks_len_${v.id}: u32;`);
  decl.push(`@group(${group}) @binding(${binding}) var<storage, read_write> _ks_f: array<atomic<u32>>;`);
  if (shadowed.length) {
    decl.push(`@group(${group}) @binding(${binding + 1}) var<storage, read_write> _ks_w: array<atomic<u32>>;`);
    decl.push(`@group(${group}) @binding(${binding + 2}) var<storage, read_write> _ks_r: array<atomic<u32>>;`);
  }
  decl.push(`var<private> _ks_lid: u32;`, `var<private> _ks_wg: u32;`, `var<private> _ks_phase_l: u32;`, `var<private> _ks_phase_g: u32;`);
  // This invocation's stamps for workgroup and storage shadows in its current phase (0: it has stopped checking),
  // set at its start and at each barrier rather than at each access.
  decl.push(`var<private> _ks_me_l: u32;`, `var<private> _ks_me_g: u32;`, `var<private> _ks_past: u32;`);
  // Findings wait in private memory (a count and the first of each kind) until the entry point returns, where
  // _ks_flush reports them with atomics: the atomic report then costs nothing at an access that finds nothing.
  // (SwiftShader runs both sides of a branch under a lane mask, and every atomic as a loop over the lanes.)
  // An out-of-bounds finding: tag, index, site, and the values of the outer indices of its access (siteOf).
  decl.push(`var<private> _ks_no: u32;`, `var<private> _ks_o: vec3u;`, `var<private> _ks_oo: vec3u;`, `var<private> _ks_nr: u32;`, `var<private> _ks_r4: vec4u;`);
  decl.push(`fn _ks_init(li: u32, wid: vec3u, nwg: vec3u) {
  _ks_lid = li;
  _ks_wg = wid.x + nwg.x * (wid.y + nwg.y * wid.z);
  _ks_dispatch = _ks_c[0].x;
  _ks_lid_bits = _ks_c[0].y;
  _ks_wg_bits = _ks_c[0].z;
  _ks_races = _ks_c[0].w != 0u;${shadowed.map((v, k) => `
  _ks_base_${v.id} = _ks_c[${(4 + k) >> 2}].${'xyzw'[(4 + k) & 3]};`).join('')}${halves.map((v, j) => `
  _ks_len_${v.id} = _ks_c[${(4 + shadowed.length + j) >> 2}].${'xyzw'[(4 + shadowed.length + j) & 3]};`).join('')}
  // Names every binding of the sanitizer, so each entry point's 'auto' layout holds them.
  _ks_phase_l = min(${['arrayLength(&_ks_f)', ...(shadowed.length ? ['arrayLength(&_ks_w)', 'arrayLength(&_ks_r)'] : [])].join(' + ')}, 0u);
  _ks_phase_g = 0u;
  _ks_step_l();
  _ks_step_g();
}`);
  // Stamps, low to high: invocation, workgroup (storage only), phase; a workgroup stamp carries the phase of workgroup
  // memory (barriers that order it passed), a storage stamp that of storage. See the header for why a reported
  // conflict is always a race. The phase must fit whole above the other fields, or this invocation stops checking that
  // memory (stamp 0), as it does in a case whose races are not checked.
  decl.push(`fn _ks_step_l() {
  _ks_phase_l += 1u;
  let lb = _ks_lid_bits;
  let fits = (_ks_phase_l >> (31u - lb)) == 0u;
  _ks_me_l = select(0u, (_ks_phase_l << lb) | _ks_lid, _ks_races && fits);
  if (_ks_races && !fits) { _ks_past |= 1u; }
}`);
  decl.push(`fn _ks_step_g() {
  _ks_phase_g += 1u;
  let lb = _ks_lid_bits;
  let gb = lb + _ks_wg_bits;
  let fits = (_ks_phase_g >> (31u - gb)) == 0u;
  _ks_me_g = select(0u, (_ks_phase_g << gb) | ((_ks_wg & ((1u << _ks_wg_bits) - 1u)) << lb) | _ks_lid, _ks_races && fits);
  if (_ks_races && !fits) { _ks_past |= 2u; }
}`);
  for (const [b, spaces] of BARRIERS) decl.push(`fn _ks_${b}() { ${b}(); ${spaces.map((sp) => STEP[sp]).join(' ')} }`);
  const wulSteps = ORDERS.workgroupUniformLoad!.map((sp) => STEP[sp]).join(' ');
  for (const name of wul) {
    const t = p.ast.find((n) => n.astNodeType === 'var' && n.name === name);
    // workgroupUniformLoad of an atomic<T> returns T (trial 106 B2: the wrapper returned atomic<u32> and did not compile).
    const atomicOf = (n: Node | undefined) => (n?.name === 'atomic' && n.format ? typeText(n.format as Node) : undefined);
    const type = t ? atomicOf(t.type as Node) ?? code.slice(...typeSpan(p, t)) : undefined;
    if (!type) {
      raceOff = `workgroupUniformLoad(&${name}): its type was not found`;
      continue;
    }
    // workgroupUniformLoad is a barrier, the load, a barrier (WGSL §17.11.2; Tint lowers it so).
    decl.push(`fn _ks_wul_${name}() -> ${type} { ${wulSteps} let v = workgroupUniformLoad(&${name}); ${wulSteps} return v; }`);
  }
  for (const { id, name, index, member } of wulElements.values()) {
    const t = p.ast.find((n) => n.astNodeType === 'var' && n.name === name);
    const element = !t ? undefined : index !== undefined ? indexOf(p, t.type as Node)?.element : memberOf(p, t.type as Node, member!);
    const path = index !== undefined ? `${name}[${index}]` : `${name}.${member!}`;
    if (!element) {
      raceOff = `workgroupUniformLoad(&${path}): its type was not found`;
      continue;
    }
    const loaded = (element as Node).name === 'atomic' && (element as Node).format ? typeText((element as Node).format as Node) : typeText(element);
    decl.push(`fn _ks_wule${id}() -> ${loaded} { ${wulSteps} let v = workgroupUniformLoad(&${path}); ${wulSteps} return v; }`);
  }
  decl.push(`fn _ks_oob(tag: u32, i: u32, site: u32, outer: vec3u) {
  if (_ks_no == 0u) { _ks_o = vec3u(tag, i, site); _ks_oo = outer; }
  _ks_no += 1u;
}`);
  if (inner) {
    decl.push(`fn _ks_ix(tag: u32, site: u32, n: u32, i: u32, outer: vec3u) -> u32 {
  if (i >= n) { _ks_oob(tag, i, site, outer); }
  return min(i, n - 1u);
}`);
  }
  decl.push(`fn _ks_race(tag: u32, e: u32, other: u32, kind: u32) {
  if (_ks_nr == 0u) { _ks_r4 = vec4u(tag, e, other, kind); }
  _ks_nr += 1u;
}`);
  decl.push(`fn _ks_flush() {
  if (_ks_past != 0u) { atomicOr(&_ks_f[${PAST_AT}], _ks_past); }
  if (_ks_no != 0u) {
    atomicAdd(&_ks_f[0], _ks_no);
    let slot = atomicAdd(&_ks_f[2], 1u);
    if (slot < ${KEEP}u) {
      let at = ${OOB_AT}u + slot * ${OOB_WORDS}u;
      atomicStore(&_ks_f[at], _ks_dispatch);
      atomicStore(&_ks_f[at + 1u], _ks_lid);
      atomicStore(&_ks_f[at + 2u], _ks_wg);
      atomicStore(&_ks_f[at + 3u], _ks_o.x);
      atomicStore(&_ks_f[at + 4u], _ks_o.y);
      atomicStore(&_ks_f[at + 5u], _ks_o.z);
      atomicStore(&_ks_f[at + 6u], _ks_oo.x);
      atomicStore(&_ks_f[at + 7u], _ks_oo.y);
      atomicStore(&_ks_f[at + 8u], _ks_oo.z);
    }
  }
  if (_ks_nr != 0u) {
    atomicAdd(&_ks_f[1], _ks_nr);
    let slot = atomicAdd(&_ks_f[3], 1u);
    if (slot < ${KEEP}u) {
      let at = ${RACE_AT}u + slot * ${RACE_WORDS}u;
      atomicStore(&_ks_f[at], _ks_dispatch);
      atomicStore(&_ks_f[at + 1u], _ks_lid);
      atomicStore(&_ks_f[at + 2u], _ks_wg);
      atomicStore(&_ks_f[at + 3u], _ks_r4.x);
      atomicStore(&_ks_f[at + 4u], _ks_r4.y);
      atomicStore(&_ks_f[at + 5u], _ks_r4.z);
      atomicStore(&_ks_f[at + 6u], _ks_r4.w);
    }
  }
}`);
  // Whether a shadow word's stamp conflicts with this invocation's (an access of the kind that conflicts):
  // d = old ^ me. Within a workgroup: the same phase and another invocation, 0 < d < 2^lid_bits (old = 0 gives
  // d = me, whose phase is at least 1). Storage: a stamp (old != 0) of another workgroup (its workgroup bits differ)
  // or of another invocation of this workgroup in the same phase.
  decl.push(`fn _ks_hit_l(old: u32) -> bool {
  let d = old ^ _ks_me_l;
  return d != 0u && d < (1u << _ks_lid_bits);
}`);
  if (shadowed.length) {
    decl.push(`fn _ks_other_wg(old: u32) -> bool {
  return old != 0u && (((old ^ _ks_me_g) >> _ks_lid_bits) & ((1u << _ks_wg_bits) - 1u)) != 0u;
}`, `fn _ks_hit_g(old: u32) -> bool {
  let d = old ^ _ks_me_g;
  return _ks_other_wg(old) || (old != 0u && d != 0u && d < (1u << _ks_lid_bits));
}`);
  }
  for (const v of list) {
    const inner = v.countExprs[1];
    const runtime = halves.includes(v) ? `min(arrayLength(&${v.name}), _ks_len_${v.id})` : `arrayLength(&${v.name})`;
    const outer = v.counts[0] ? v.countExprs[0]! : runtime;
    const n = inner ?? outer;
    const len = (v.counts.length === 2 ? v.counts[1] : v.counts[0]) ? n : runtime;
    const element = inner ? `min(_ks_row, ${outer} - 1u) * ${inner} + _ks_i` : '_ks_i';
    if (inner) {
      decl.push(`fn _ks_row${v.id}(_ks_tag: u32, _ks_site: u32, _ks_row: u32, _ks_i: u32) -> u32 {
  if (_ks_i >= ${outer}) { _ks_oob(_ks_tag, _ks_i, _ks_site, vec3u(${outer}, 0u, 0u)); }
  return min(_ks_i, ${outer} - 1u);
}`);
    }
    for (const mode of ['b', 'r', 'w']) {
      if (!helpers.has(`${v.id}${mode}`)) continue;
      let race = '';
      if (mode !== 'b') {
        // A struct element's shadow words: the member's, row − 1 (access()), or every member's for row 0.
        const at = v.fields ? '_ks_s' : '_ks_e';
        // Storage keeps two readers per element (READERS): the last, and the last before it from another workgroup.
        const [w, r, me, hit] = v.space === 'workgroup' ? [`_ks_ww${v.id}[${at}]`, `_ks_wr${v.id}[${at}]`, '_ks_me_l', '_ks_hit_l'] : [`_ks_w[_ks_base_${v.id} + ${at}]`, `_ks_r[${READERS}u * (_ks_base_${v.id} + ${at})]`, '_ks_me_g', '_ks_hit_g'];
        const other = v.space === 'storage' ? `_ks_r[${READERS}u * (_ks_base_${v.id} + ${at}) + 1u]` : undefined;
        // The last reader's stamp carries OTHERS where another invocation of its phase and workgroup read too: a
        // writer that is the last reader itself races with that other one.
        const body = mode === 'w'
          ? `let old = atomicExchange(&${w}, ${me});
    if (${hit}(old)) { _ks_race(_ks_tag, ${at}, old, ${WRITE}u); }
    let rd = atomicLoad(&${r});
    let rp = rd & ${~OTHERS >>> 0}u;
    if (${hit}(rp)) { _ks_race(_ks_tag, ${at}, rp, ${READ}u); } else if (rd != rp && (rp ^ ${me}) < (1u << _ks_lid_bits)) { _ks_race(_ks_tag, ${at}, rd, ${READ}u); }${other ? `
    let ro = atomicLoad(&${other});
    if (${hit}(ro)) { _ks_race(_ks_tag, ${at}, ro, ${READ}u); }` : ''}`
          : `let wr = atomicLoad(&${w});
    if (${hit}(wr)) { _ks_race(_ks_tag, ${at}, wr, ${WRITE}u); }
    let prev = atomicExchange(&${r}, ${me});${other ? `
    if (_ks_other_wg(prev)) { atomicStore(&${other}, prev & ${~OTHERS >>> 0}u); }` : ''}
    let pd = (prev & ${~OTHERS >>> 0}u) ^ ${me};
    if (pd < (1u << _ks_lid_bits) && (pd != 0u || prev >= ${OTHERS}u)) { atomicOr(&${r}, ${OTHERS}u); }`;
        const m = v.fields?.length;
        race = ` else if (${me} != 0u) {
    let _ks_e = ${element};
    ${m ? `for (var _ks_k = select(_ks_row - 1u, 0u, _ks_row == 0u); _ks_k < select(_ks_row, ${m}u, _ks_row == 0u); _ks_k++) {
    let _ks_s = _ks_e * ${m}u + _ks_k;
    ${body}
    }` : body}
  }`;
      }
      // Every name the helper declares is kernelscope's: the count expressions are the kernel's, and a kernel's `row`
      // or `n` must not be hidden under them (trial 112 B1: a buffer named `row` made the rewrite fail to compile).
      decl.push(`fn _ks_a${v.id}${mode}(_ks_tag: u32, _ks_site: u32, _ks_row: u32, _ks_i: u32) -> u32 {
  let _ks_n = ${len};
  if (_ks_i >= _ks_n) { _ks_oob(_ks_tag, _ks_i, _ks_site, vec3u(${inner ? '_ks_row' : '_ks_n'}, 0u, 0u)); }${race}
  return min(_ks_i, _ks_n - 1u);
}`);
    }
    if (v.raced && v.space === 'workgroup' && (helpers.has(`${v.id}r`) || helpers.has(`${v.id}w`))) {
      const total = [...v.countExprs, ...(v.fields ? [`${v.fields.length}u`] : [])].join(' * ');
      decl.push(`var<workgroup> _ks_ww${v.id}: array<atomic<u32>, ${total}>;`, `var<workgroup> _ks_wr${v.id}: array<atomic<u32>, ${total}>;`);
    }
  }
  for (const [id, type] of wholeReads) decl.push(`fn _ks_v${id}(tag: u32, x: ${type}) -> ${type} { _ = _ks_a${id}r(tag, 0u, 0u, 0u); return x; }`);
  const tail = `\n// kernelscope sanitizer (harness/trace/sanitize.ts): ${entries} entry point(s) checked\n${[...decl, ...wrappers].join('\n')}\n`;
  if (!races) raceOff = 'the access checker ran for bounds only here (its race shadows do not fit the device)';
  return { code: (out.endsWith('\n') ? out : out + '\n') + tail, vars: list, group, binding, shadowed, halves, sites, reach, phases, ...(raceOff ? { raceOff } : {}), ...(escapes.size ? { escapes: [...escapes] } : {}), ...(unrecorded.length ? { unrecorded } : {}) };
}

/** Character span of a module-scope variable's type, found by tokens: from after `name :` to the `;` or `=`. */
function typeSpan(p: Parsed, decl: Node): [number, number] {
  const ts = p.tokensIn(decl.start, decl.end);
  const colon = ts.findIndex((i) => p.tokens[i]!.lexeme === ':');
  // The type ends before an initializer: `var<private> NIB: array<u32, 16> = array<u32, 16>(...)` was said to be past
  // the end of "an array<u32, 16> = array<u32, 16>(0u, 1u, ...)" (trial 65 B3).
  const init = ts.findIndex((i, k) => k > colon && p.tokens[i]!.lexeme === '=');
  let end = init > colon ? init - 1 : ts.length - 1;
  while (end > colon && [';', '='].includes(p.tokens[ts[end]!]!.lexeme)) end--;
  return [p.tokens[ts[colon + 1]!]!.start, p.tokens[ts[end]!]!.end];
}

/** A line's phase in each space; `atLeast`: the fewest, where the path decides how many more. */
type LinePhase = Record<Space, number> & { atLeast?: true };

/** Of each compute entry point, the lines of its own body whose accesses every invocation makes in one known phase
 *  of each space: the number of barriers ordering that space (the top-level `workgroupBarrier();` and
 *  `storageBarrier();` statements the sanitizer steps its phase at) run before them. Counted up to the first
 *  statement that holds a barrier in a branch, a loop or a called function (from there the count depends on the
 *  path, and the lines from it on have that count `atLeast`: trial 158 B1, a tree loop's line after a barrier was
 *  named beside a write before it); a line with a barrier on it, or spanning two phases, is left out. A stamp holds no
 *  line: a race's other side is one of the lines that access the memory, and a line of another phase than this side's
 *  cannot be it (trial 78 B3: `sh[lid] = v;` then `workgroupBarrier();` was named as the write racing with a read
 *  after the barrier). */
function phaseLines(p: Parsed): Map<string, Map<number, LinePhase>> {
  const fns = new Map(p.ast.filter((n) => n.astNodeType === 'function').map((f) => [f.name as string, f]));
  const isBarrier = callsInto(p, (name) => !!ORDERS[name]?.length);
  const holdsBarrier = (nodes: Node[]): boolean => {
    let found = false;
    walk(nodes, (n) => (found ||= isBarrier(n)));
    return found;
  };
  const out = new Map<string, Map<number, LinePhase>>();
  for (const fn of fns.values()) {
    if (!isComputeEntry(fn)) continue;
    const lines = new Map<number, LinePhase | null>();
    const phase: Record<Space, number> = { workgroup: 0, storage: 0 };
    let exact = true;
    const mark = (n: Node) => {
      for (let l = p.position(n.start).line; l <= p.position(n.end).line; l++) {
        const had = lines.get(l);
        if (!exact) {
          if (had === undefined) lines.set(l, { ...phase, atLeast: true });
          continue;
        }
        lines.set(l, had === undefined || (had && had.workgroup === phase.workgroup && had.storage === phase.storage) ? { ...phase } : null);
      }
    };
    for (const st of (fn.body as Node[] | undefined) ?? []) {
      const orders = exact && st.astNodeType === 'call' ? ORDERS[st.name as string] : undefined;
      if (orders?.length && st.name !== 'workgroupUniformLoad') {
        mark(st);
        for (const s of orders) phase[s]++;
        mark(st);
        continue;
      }
      if (exact && holdsBarrier([st])) exact = false;
      mark(st);
    }
    out.set(fn.name as string, new Map([...lines].filter((e): e is [number, LinePhase] => e[1] !== null)));
  }
  return out;
}

/** Adds, for every compute entry point, the builtins it lacks and a call to _ks_init at the start of its body. */
function entryEdits(p: Parsed, edits: Edit[], wrappers: string[]): number {
  let count = 0;
  for (const fn of p.ast) {
    if (!isComputeEntry(fn)) continue;
    count++;
    const have = entryBuiltins(p, fn);
    const add: string[] = [];
    const need: [string, string, string][] = [['local_invocation_index', '_ks_li', 'u32'], ['workgroup_id', '_ks_wid', 'vec3u'], ['num_workgroups', '_ks_nwg', 'vec3u']];
    for (const [b, name, type] of need) {
      if (!have.has(b)) {
        add.push(`@builtin(${b}) ${name}: ${type}`);
        have.set(b, name);
      }
    }
    // The entry point becomes a plain function, `_ks_body_NAME`, called by a new entry point NAME appended at the
    // end, which reports the findings once after it returns (asPlainFunction).
    const { attrs, params, args: names } = asPlainFunction(p, fn, edits, '_ks_body_');
    const sep = params === '' || params.endsWith(',') ? '' : ', ';
    wrappers.push(`${attrs}
fn ${fn.name as string}(${params}${add.length ? sep + add.join(', ') : ''}) {
  _ks_init(${have.get('local_invocation_index')}, ${have.get('workgroup_id')}, ${have.get('num_workgroups')});
  // Every invocation past WebGPU's zeroing of workgroup memory (the shadows included) before any access: without a
  // barrier in the kernel, SwiftShader let invocation 16 of a transpose read, and its shadow be wiped, before
  // invocation 1's write was seen, and the race went unreported on Dawn. The barrier orders no access of the kernel.
  workgroupBarrier();
  _ks_body_${fn.name as string}(${names});
  _ks_flush();
}`);
  }
  return count;
}

/** Where a dispatch's sanitizer state lives in its case, for reading the findings back. */
export interface SanitizedDispatch {
  shader: SanitizedShader;
  /** Case buffer index of each storage variable's binding. */
  bufferOf: Map<string, number>;
  workgroups: [number, number, number];
  lidBits: number;
  wgBits: number;
  /** Whether the workgroup numbers in stamps are whole (else their low wgBits bits). */
  wgExact: boolean;
  /** The entry point it runs. */
  entry: string;
}

export interface SanitizedCase {
  /** Index of the findings buffer in the case's readback. */
  findings: number;
  dispatches: SanitizedDispatch[];
  /** Why races were not checked in this case, when they were not. */
  raceOff?: string;
}

const bitsFor = (n: number) => Math.max(1, Math.ceil(Math.log2(Math.max(2, n))));

/** Largest shadow binding asked for: WebGPU's default maxStorageBufferBindingSize (128 MiB). */
export const MAX_SHADOW_BYTES = 128 << 20;

/**
 * Turns a plain batch case into its sanitized twin, in place: the findings buffer (read back last) and the shadow
 * buffers are added and bound to every dispatch, and a config buffer of its own that says its number, its stamp
 * layout and where its shadow regions start. `shaders[i]` is the sanitized form of the batch's shader i;
 * `workgroupSize[d]` the invocations per workgroup of dispatch d.
 */
export function sanitizeCase(c: BatchCase, shaders: SanitizedShader[], workgroupSize: number[], names: (shader: number, binding: BatchBinding, entry: string) => string | undefined): SanitizedCase {
  const findings = c.buffers.push({ size: FINDINGS_WORDS * 4, kind: 'storage' }) - 1;
  let shadowWords = 0;
  const plan = c.dispatches.map((d, k) => {
    const shader = shaders[d.shader]!;
    const bufferOf = new Map<string, number>();
    for (const b of d.bindings) {
      const name = names(d.shader, b, d.entry);
      if (name) bufferOf.set(name, b.buffer);
    }
    const bases: number[] = [];
    for (const v of shader.shadowed) {
      const at = bufferOf.get(v.of ?? v.name);
      bases.push(shadowWords);
      // A whole variable or member (`b.count` of a large struct) needs one word, not one per element of its buffer.
      if (at !== undefined) shadowWords += v.whole ? 1 : Math.floor(c.buffers[at]!.size / (v.stride ?? 4)) * (v.fields?.length ?? 1);
    }
    const [x, y, z] = d.workgroups;
    const lidBits = bitsFor(workgroupSize[k]!);
    const need = bitsFor(x * y * z);
    const wgBits = Math.min(need, 31 - lidBits - MIN_PHASE_BITS);
    return { shader, bufferOf, bases, lidBits, wgBits, wgExact: wgBits === need, workgroups: d.workgroups, entry: d.entry };
  });
  const shadowBytes = Math.max(4, shadowWords * 4);
  const readerBytes = READERS * shadowBytes;
  const raceOff = readerBytes > MAX_SHADOW_BYTES ? `the race shadow would need ${readerBytes} bytes, over the ${MAX_SHADOW_BYTES}-byte binding limit` : plan.map((p) => p.shader.raceOff).find((r) => r);
  const uses = plan.some((p) => p.shader.shadowed.length);
  const w = uses ? c.buffers.push({ size: raceOff ? 4 : shadowBytes, kind: 'storage' }) - 1 : -1;
  const r = uses ? c.buffers.push({ size: raceOff ? 4 * READERS : readerBytes, kind: 'storage' }) - 1 : -1;
  c.dispatches.forEach((d, k) => {
    const p = plan[k]!;
    d.bindings.push({ group: p.shader.group, binding: p.shader.binding, buffer: findings });
    if (p.shader.shadowed.length) {
      d.bindings.push({ group: p.shader.group, binding: p.shader.binding + 1, buffer: w }, { group: p.shader.group, binding: p.shader.binding + 2, buffer: r });
    }
    const halves = p.shader.halves;
    const config = new Uint32Array(configWords(p.bases.length, halves.length));
    config.set([k, p.lidBits, p.wgBits, raceOff ? 0 : 1, ...(raceOff ? p.bases.map(() => 0) : p.bases)]);
    // The case's count of each f16 array: its buffer's bytes as the case has them (BatchBuffer.size, before the device
    // rounds them up to whole words), past the array's offset in its binding; all ones where no buffer is bound.
    config.set(halves.map((v) => {
      const at = p.bufferOf.get(v.of ?? v.name);
      return at === undefined ? 0xffffffff : Math.floor((c.buffers[at]!.size - (v.offset ?? 0)) / 2);
    }), 4 + p.bases.length);
    const cb = c.buffers.push({ size: config.byteLength, kind: 'uniform', data: new Uint8Array(config.buffer) }) - 1;
    d.bindings.push({ group: p.shader.group, binding: p.shader.binding + CONFIG_AT, buffer: cb });
  });
  c.readback.push(findings);
  return { findings: c.readback.length - 1, dispatches: plan, ...(raceOff ? { raceOff } : {}) };
}

/** The lines that may have made a race's other access: those of `all` the dispatch's entry point runs (a trial's race
 *  in `main` was told "at one of lines 17, 21", 17 being in another entry point, a stage of its own), less those of
 *  another phase of `space` than this side's line `line` (phaseLines; `space` undefined: the other side may be of
 *  another workgroup, which no barrier orders). */
function otherLines(d: SanitizedDispatch, all: number[], line: number, space: Space | undefined): number[] {
  const reached = uniq(all.filter((l) => d.shader.reach?.get(d.entry)?.has(l) ?? true));
  const known = space && d.shader.phases?.get(d.entry);
  const at = known && known.get(line);
  const here = at && !at.atLeast ? at[space] : undefined;
  if (!known || here === undefined) return reached;
  const same = reached.filter((l) => {
    const k = known.get(l);
    return !k || (k.atLeast ? k[space] <= here : k[space] === here);
  });
  return same.length ? same : reached;
}

/** One access a finding names: the interpreter's Access (less its phase), with what a stamp cannot say made explicit. */
export interface FoundAccess extends Omit<Access, 'phase'> {
  /** The other side of a race: the lines that make such an access (a stamp holds no line). */
  lines?: number[];
  /** When only the low bits of its workgroup's number are known: "a workgroup numbered N mod 2^k". */
  workgroupText?: string;
  /** A write of one component of a vector element, recorded as a write of the element. */
  component?: true;
  /** An index of 2^31 or more, as the i32 it is if the WGSL's index was one (the helper sees only its u32 bits): a
   *  u32 `i - 1u` at i = 0 is 4294967295, past the end; an i32 -1 is before the start. */
  asI32?: number;
  /** An index outside the fixed-size array, vector or matrix it indexes (the interpreter's Access.inner, in the same
   *  shape, so both engines say it alike): `tile[14][17]`, index 17, length 17, `array<f32, 17>`. An element and a
   *  byte of the variable would not name it (the row is dropped; the byte is a neighbour's). Then offset is the index
   *  and size 1. The indices before it are values where the check knew them (IndexSite.known), the others their text. */
  inner?: { path: string; index: number; length: number; type: string };
}

export interface FoundRace {
  variable: string;
  buffer?: number;
  byte: number;
  a: FoundAccess;
  b: FoundAccess;
  /** Within a workgroup, the stamps say only that no barrier ordering this memory lies between (they count no other
   *  kind), not which others do, as the interpreter's Race.between does. */
  betweenUnknown: true;
}

/** A sanitized case's findings in the interpreter's shape (one entry per dispatch), with the true totals. */
export interface SanitizerFindings {
  dispatches: { outOfBounds: FoundAccess[]; races: FoundRace[]; outOfBoundsCount: number; raceCount: number }[];
  raceOff?: string;
  /** SanitizedShader.escapes and .unrecorded of the case's shaders. */
  escapes?: string[];
  unrecorded?: string[];
}

const coords = (linear: number, [x, y]: [number, number, number]): [number, number, number] => [linear % x, Math.floor(linear / x) % y, Math.floor(linear / (x * y))];
const uniq = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

const escapesOf = (s: SanitizedCase) => {
  const e = [...new Set(s.dispatches.flatMap((d) => d.shader.escapes ?? []))];
  const u = [...new Set(s.dispatches.flatMap((d) => d.shader.unrecorded ?? []))];
  return { ...(e.length ? { escapes: e } : {}), ...(u.length ? { unrecorded: u } : {}) };
};

/** An inner finding (FoundAccess.inner): the indices before it by value where known, by their text otherwise, and
 *  those after it by their text. */
function innerOf(variable: string, site: IndexSite, index: number, outer: number[]): NonNullable<FoundAccess['inner']> {
  let level = -1;
  let path = variable;
  for (const st of site.steps) {
    if (!('index' in st)) {
      path += `.${st.member}`;
      continue;
    }
    level++;
    path += `[${level === site.level ? index : level < site.level && site.known[level] ? outer[level] : st.index}]`;
  }
  // A row count that an override sets: the check reported it where the outer indices go (none at level 0).
  return { path, index, length: site.length || outer[0]!, type: site.type };
}

/** Why a case's races were not judged where an invocation passed more barriers than its stamps count (`flags`: the
 *  PAST_AT word), with the fewest each dispatch's layout counts in that memory; undefined for no flags. */
function pastPhases(s: SanitizedCase, flags: number): string | undefined {
  const spaces = (['workgroup', 'storage'] as const).filter((_, k) => flags & (1 << k));
  if (!spaces.length) return undefined;
  const said = spaces.map((space) => {
    const d = s.dispatches.reduce((a, b) => (space === 'storage' ? a.lidBits + a.wgBits >= b.lidBits + b.wgBits : a.lidBits >= b.lidBits) ? a : b);
    const bits = 31 - d.lidBits - (space === 'storage' ? d.wgBits : 0);
    const [x, y, z] = d.workgroups;
    const beside = space === 'storage' ? `${d.lidBits} for the invocation's number and ${d.wgBits} for the workgroup's, of ${x * y * z}` : `${d.lidBits} for the invocation's number`;
    return `${2 ** bits - 2} barriers that order ${space} memory (a stamp's 31 bits less ${beside}, leave ${bits} for the phase)`;
  });
  return `an invocation passed more barriers in one dispatch than the race check's stamps count, at most ${said.join(' and ')}, and stopped checking: fewer workgroups or fewer barriers per dispatch keep races judged, and the interpreter judges them where its budget allows`;
}

/** Reads the findings buffer of a sanitized case back into findings. */
export function decodeFindings(s: SanitizedCase, bytes: Uint8Array): SanitizerFindings {
  const f = new Uint32Array(bytes.buffer, bytes.byteOffset, FINDINGS_WORDS);
  const out: SanitizerFindings['dispatches'] = s.dispatches.map(() => ({ outOfBounds: [], races: [], outOfBoundsCount: 0, raceCount: 0 }));
  const accessOf = (d: SanitizedDispatch, lid: number, wg: number, tag: number, element: number): FoundAccess => {
    const t = untag(tag);
    const v = d.shader.vars[t.id]!;
    const size = v.stride ?? 1;
    // An index past 2^31 is a u32 past the end, or an i32 below zero: the helper takes either as u32 bits.
    const wrapped = element >= 0x80000000;
    return {
      variable: v.name,
      ...((v.space === 'storage' || v.space === 'uniform') && d.bufferOf.has(v.of ?? v.name) ? { buffer: d.bufferOf.get(v.of ?? v.name)! } : {}),
      ...(v.scope ? { scope: v.scope } : {}),
      offset: (v.offset ?? 0) + element * size,
      ...(wrapped ? { asI32: element - 0x100000000 } : {}),
      size,
      kind: t.kind & WRITE ? 'write' : 'read',
      ...(t.kind === ADDRESS ? { address: true } : {}),
      atomic: false,
      workgroup: coords(wg, d.workgroups),
      invocation: lid,
      line: t.line,
      ...(t.component ? { component: true } : {}),
    };
  };
  const oobs = Math.min(f[2]!, KEEP);
  for (let i = 0; i < oobs; i++) {
    const at = OOB_AT + i * OOB_WORDS;
    const k = f[at]!;
    const d = s.dispatches[k]!;
    const a = accessOf(d, f[at + 1]!, f[at + 2]!, f[at + 3]!, f[at + 4]!);
    const site = d.shader.sites[f[at + 5]!];
    out[k]!.outOfBounds.push(site && !site.outerOnly ? { ...a, offset: f[at + 4]!, size: 1, inner: innerOf(a.variable, site, f[at + 4]!, [...f.subarray(at + 6, at + 9)]) } : a);
  }
  const races = Math.min(f[3]!, KEEP);
  for (let i = 0; i < races; i++) {
    const at = RACE_AT + i * RACE_WORDS;
    const k = f[at]!;
    const d = s.dispatches[k]!;
    const v = d.shader.vars[untag(f[at + 3]!).id]!;
    // A struct element's race is at one member's shadow word: element × members + member.
    const field = v.fields?.[f[at + 4]! % v.fields.length];
    const b = accessOf(d, f[at + 1]!, f[at + 2]!, f[at + 3]!, v.fields ? Math.floor(f[at + 4]! / v.fields.length) : f[at + 4]!);
    const memberAt = field?.offset ?? 0;
    const stamp = f[at + 5]!;
    const otherKind = f[at + 6]! === WRITE ? 'write' : 'read';
    // A reader stamp marked OTHERS whose invocation is this one's: another invocation, not known which.
    const lid = stamp >= OTHERS && (stamp & ((1 << d.lidBits) - 1)) === f[at + 1]! ? -1 : stamp & ((1 << d.lidBits) - 1);
    let workgroup = b.workgroup;
    let workgroupText: string | undefined;
    if (v.space === 'storage') {
      const low = (stamp >>> d.lidBits) & ((1 << d.wgBits) - 1);
      if (d.wgExact) workgroup = coords(low, d.workgroups);
      else if (low !== (f[at + 2]! & ((1 << d.wgBits) - 1))) workgroupText = `a workgroup numbered ${low} mod 2^${d.wgBits}`;
      else workgroupText = `the same workgroup or one numbered alike mod 2^${d.wgBits}`;
    }
    const a: FoundAccess = {
      ...b,
      kind: otherKind,
      invocation: lid,
      workgroup,
      ...(workgroupText ? { workgroupText } : {}),
      // Of the lines this dispatch's entry point runs: a trial's race in `main` was told "at one of lines 17, 21",
      // 17 being in another entry point, a stage of its own.
      lines: otherLines(d, (otherKind === 'write' ? (field ?? v).writeLines : (field ?? v).readLines), b.line, v.space === 'storage' ? (d.wgExact && workgroup.every((x, i) => x === b.workgroup[i]) ? 'storage' : undefined) : 'workgroup'),
    };
    const element = (b.offset - (v.offset ?? 0)) / b.size;
    out[k]!.races.push({ variable: v.name, ...(b.buffer !== undefined ? { buffer: b.buffer } : {}), byte: (v.offset ?? 0) + element * (v.stride ?? 4) + memberAt, a, b, betweenUnknown: true });
  }
  // The totals are the case's; they are shown with the first dispatch that has a finding.
  const firstOob = out.find((d) => d.outOfBounds.length);
  if (firstOob) firstOob.outOfBoundsCount = f[0]!;
  if (f[0]! > 0 && f[1]! > 0) {
    // A clamped out-of-bounds write may have changed the accesses after it: its races are not judged.
    for (const d of out) d.races = [];
    return { dispatches: out, ...escapesOf(s), raceOff: RACES_AFTER_OOB };
  }
  const firstRace = out.find((d) => d.races.length);
  if (firstRace) firstRace.raceCount = f[1]!;
  // An invocation that stopped checking may hide a race; one found is still one (a stamp never lies).
  const past = !f[1] && !s.raceOff ? pastPhases(s, f[PAST_AT]!) : undefined;
  return { dispatches: out, ...escapesOf(s), ...(s.raceOff ?? past ? { raceOff: s.raceOff ?? past } : {}) };
}
