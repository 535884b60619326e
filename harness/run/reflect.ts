// What the harness needs to know about a WGSL module, read from the WGSL itself (wgsl_reflect): never hand-written
// binding numbers or offsets, so the 16-byte uniform alignment bug cannot happen. Types come with WGSL's layout
// (WGSL §14.4 "Memory Layout": vec3 aligned to 16 bytes, matrix columns padded like vectors, struct members at the
// offsets wgsl_reflect computes from those rules).
import { Enable, Function as FunctionNode, Override, ResourceType, TokenTypes, Var, WgslExec, WgslParser, WgslReflect, WgslScanner, type Node, type Token } from 'wgsl_reflect/wgsl_reflect.module.js';
import { installFixes } from '../engines/interpreter/fixes.ts';
import { entryResources } from './entry-resources.ts';

// wgsl_reflect scans `block` as a keyword (pre-2021 WGSL's `[[block]]` attribute), so a kernel with a variable named
// block, which WGSL neither reserves nor uses and Dawn and naga compile, did not parse and was refused (a new user's
// reduction: `let block = wid.x + wid.y * nwg.x;`). Its parser takes an identifier wherever it took that keyword
// (attribute names), so the word is scanned as one, for every parse in this process (patches/README.md §14).
delete (TokenTypes.keywords as Record<string, unknown>).block;

// Its integer literals took no `i` suffix after a hex number and no `0X` prefix, so `var s = 0x0i;` (valid WGSL: §15.2
// "Literals", hex_int_literal /0[xX][0-9a-fA-F]+[iu]?/) stopped the scan and every engine's run of a new user's
// correct kernel was an error (patches/README.md §20).
const tokenRules = TokenTypes.tokens as unknown as Record<string, { rule: RegExp }>;
tokenRules.int_literal!.rule = /-?0[xX][0-9a-fA-F]+i?|0i?|-?[1-9][0-9]*i?/;
tokenRules.uint_literal!.rule = /0[xX][0-9a-fA-F]+u|0u|[1-9][0-9]*u/;

// Its scanner decides whether a `>>` or `>=` closes a template list by looking for a `<` after a type among the five
// tokens before it, closed or not: `vec2<u32>(w >> 1u, 1u)` scanned as `w > > 1u`, a comparison, and a correct int4
// dequantization computed garbage on the interpreter alone; and a `>>` closing two lists further back
// (`ptr<workgroup, array<array<f32, 33>, 32>>`) stayed a shift. WGSL's template-list discovery (§"Template Lists")
// is followed instead: the `>` closes a list only where a `<` after a type is still open, outside any parentheses
// opened since (patches/README.md §33, §37).
type ScannerState = { _source: string; _current: number; _tokens: Token[]; _addToken(type: unknown): void };
const scanner = WgslScanner.prototype as unknown as { scanToken(this: ScannerState): boolean };
const scanToken = scanner.scanToken;
const literalTokens = TokenTypes.literalTokens as unknown as Record<string, unknown>;
scanner.scanToken = function (this: ScannerState): boolean {
  const s = this._source;
  const i = this._current;
  if (s[i] !== '>' || (s[i + 1] !== '>' && s[i + 1] !== '=')) return scanToken.call(this);
  const lexeme = closesTemplateList(this._tokens) ? '>' : s[i + 1] === '>' && s[i + 2] === '=' ? '>>=' : s.slice(i, i + 2);
  this._current += lexeme.length;
  this._addToken(literalTokens[lexeme]);
  return true;
};

/** Whether a `>` after `tokens` closes a template list: walking back, a `<` after a type that takes one (array, vec4,
 *  ptr, ...), not closed by a `>` since, with no unmatched `(` or `[`, statement end, assignment, `&&` or `||` between
 *  (WGSL §"Template Lists": none of those occur inside one at its own nesting). */
function closesTemplateList(tokens: readonly Token[]): boolean {
  let closed = 0;
  let depth = 0;
  for (let k = tokens.length - 1; k >= 0; k--) {
    const t = tokens[k]!.lexeme;
    if (t === ')' || t === ']') depth++;
    else if (t === '(' || t === '[') {
      if (depth === 0) return false;
      depth--;
    } else if (depth > 0) continue;
    else if (t === '>') closed++;
    else if (t === '<') {
      if (closed === 0) return k > 0 && (tokens[k - 1] as Token & { isArrayOrTemplateType(): boolean }).isArrayOrTemplateType();
      closed--;
    } else if (t === ';' || t === '{' || t === '}' || t === '&&' || t === '||' || (t.endsWith('=') && !['==', '!=', '<=', '>='].includes(t))) return false;
  }
  return false;
}

export type Scalar = 'f32' | 'f16' | 'i32' | 'u32' | 'bool';

/** A host-shareable WGSL type with its layout: sizes, alignments and strides in bytes. */
export type WgslType =
  | { kind: 'scalar'; scalar: Scalar; size: number; align: number }
  | { kind: 'vector'; scalar: Scalar; n: number; size: number; align: number }
  /** `cols` columns, each a vec`rows`, `colStride` bytes apart. */
  | { kind: 'matrix'; scalar: Scalar; cols: number; rows: number; colStride: number; size: number; align: number }
  /** `count` 0: a runtime-sized array. */
  | { kind: 'array'; element: WgslType; count: number; stride: number; size: number; align: number }
  | { kind: 'struct'; name: string; members: { name: string; offset: number; type: WgslType }[]; size: number; align: number }
  | { kind: 'atomic'; scalar: Scalar; size: number; align: number };

export interface ReflectedBinding {
  name: string;
  group: number;
  binding: number;
  kind: 'storage' | 'uniform';
  access: string;
  /** The variable's store type with its layout. */
  type: WgslType;
  size: number;
  /** 1-based line of the declaration, for messages. */
  line: number;
}

export interface ReflectedOverride {
  name: string;
  /** The @id, when the WGSL gives one. */
  id?: number;
  hasDefault: boolean;
  line: number;
}

export interface ReflectedEntry {
  /** With every override at its default; `workgroupSizeFor` resolves the pipeline's constants. */
  workgroupSize: [number, number, number];
  resources: Set<string>;
  /** Overrides the entry point uses, directly or through @workgroup_size. */
  overrides: Set<string>;
  /** Whether @workgroup_size names an override: then the pipeline's constants decide. */
  sizeFromOverrides: boolean;
  /** The names @workgroup_size reads as written (consts and overrides; none where it is all literals). */
  sizeNames: string[];
}

export interface ReflectedModule {
  bindings: Map<string, ReflectedBinding>;
  /** Textures and samplers, by name: their type as written (`texture_2d<f32>`) and line. Not buffers, so no spec binds
   *  them; named when a spec's buffer has the name of one. */
  handles: Map<string, { type: string; line: number }>;
  entries: Map<string, ReflectedEntry>;
  /** Extensions named by `enable` directives (e.g. 'f16', 'subgroups'). */
  enables: string[];
  /** Each struct's size in bytes (its stride in an array): for messages about workgroup arrays of structs. */
  structSizes: Map<string, number>;
  overrides: Map<string, ReflectedOverride>;
  /** The WGSL as reflected: `code` with each @workgroup_size expression hoisted (see hoistWorkgroupSize). */
  reflected: string;
  /** wgsl_reflect's AST of `reflected`, parsed once for every reader (reflection, @workgroup_size evaluation,
   *  portability.ts): read it, never change it. */
  ast: readonly Node[];
}

const cache = new Map<string, ReflectedModule>();

const SCALARS: Record<string, Scalar> = { f: 'f32', h: 'f16', i: 'i32', u: 'u32', b: 'bool' };
const scalarSize = (s: Scalar) => (s === 'f16' ? 2 : 4);
const vecAlign = (s: Scalar, n: number) => scalarSize(s) * (n === 2 ? 2 : 4);
const vecSize = (s: Scalar, n: number) => scalarSize(s) * n;
export const roundUp = (n: number, k: number) => Math.ceil(n / k) * k;

export interface TypeInfoLike {
  name: string;
  size: number;
  align?: number;
  isArray: boolean;
  isStruct: boolean;
  format?: TypeInfoLike | null;
  count?: number;
  stride?: number;
  members?: { name: string; offset: number; type: TypeInfoLike }[] | null;
}

/** wgsl_reflect's TypeInfo as a WgslType. Throws for types that cannot live in a host-shareable buffer. */
export function typeOf(t: TypeInfoLike): WgslType {
  if (t.isStruct) {
    const members = (t.members ?? []).map((m) => ({ name: m.name, offset: m.offset, type: typeOf(m.type) }));
    const align = Math.max(1, ...members.map((m) => m.type.align));
    return { kind: 'struct', name: t.name, members, size: t.size, align };
  }
  if (t.isArray) {
    const element = typeOf(t.format!);
    const stride = t.stride || roundUp(element.size, element.align);
    const count = t.count ?? 0;
    return { kind: 'array', element, count, stride, size: count * stride, align: element.align };
  }
  const name = t.name;
  const scalar = (n: string | undefined): Scalar => {
    const s = n ?? t.format?.name;
    if (s === 'f32' || s === 'f16' || s === 'i32' || s === 'u32' || s === 'bool') return s;
    throw new Error(`type ${name}${t.format ? `<${t.format.name}>` : ''} has no host-shareable scalar type`);
  };
  if (name === 'f32' || name === 'f16' || name === 'i32' || name === 'u32' || name === 'bool') {
    const s = scalar(name);
    return { kind: 'scalar', scalar: s, size: scalarSize(s), align: scalarSize(s) };
  }
  if (name === 'atomic') {
    const s = scalar(undefined);
    return { kind: 'atomic', scalar: s, size: 4, align: 4 };
  }
  let m = /^vec([234])([fhiub])?$/.exec(name);
  if (m) {
    const s = m[2] ? SCALARS[m[2]]! : scalar(undefined);
    const n = Number(m[1]);
    return { kind: 'vector', scalar: s, n, size: vecSize(s, n), align: vecAlign(s, n) };
  }
  m = /^mat([234])x([234])([fh])?$/.exec(name);
  if (m) {
    const s = m[3] ? SCALARS[m[3]]! : scalar(undefined);
    const cols = Number(m[1]);
    const rows = Number(m[2]);
    const colStride = roundUp(vecSize(s, rows), vecAlign(s, rows));
    return { kind: 'matrix', scalar: s, cols, rows, colStride, size: cols * colStride, align: vecAlign(s, rows) };
  }
  throw new Error(`type ${name} is not host-shareable`);
}

/** Whether a value of this type holds an atomic anywhere: itself, an array's elements, a struct's members. */
export function holdsAtomic(t: WgslType): boolean {
  return t.kind === 'atomic' || (t.kind === 'array' && holdsAtomic(t.element)) || (t.kind === 'struct' && t.members.some((m) => holdsAtomic(m.type)));
}

/** How a WGSL type is written in messages: `vec4<f32>`, `mat2x3<f16>`, `array<Particle>`. */
export function typeName(t: WgslType): string {
  switch (t.kind) {
    case 'scalar': return t.scalar;
    case 'vector': return `vec${t.n}<${t.scalar}>`;
    case 'matrix': return `mat${t.cols}x${t.rows}<${t.scalar}>`;
    case 'atomic': return `atomic<${t.scalar}>`;
    case 'struct': return t.name;
    case 'array': return t.count ? `array<${typeName(t.element)}, ${t.count}>` : `array<${typeName(t.element)}>`;
  }
}

/** 1-based line of a module-scope declaration, found by its tokens (wgsl_reflect's scanner, not a pattern): the
 *  keyword (one of `after`: `var`, `fn`), an optional template (`var<storage, read>`), then the name; 1 where there
 *  is none. */
export function lineOf(code: string, name: string, after: string[]): number {
  const tokens = tokensOf(code) ?? [];
  for (let i = 0; i < tokens.length; i++) {
    if (!after.includes(tokens[i]!.lexeme)) continue;
    let j = i + 1;
    if (tokens[j]?.lexeme === '<') while (j < tokens.length && tokens[j]!.lexeme !== '>') j++;
    if (tokens[j]?.lexeme === '>') j++;
    if (tokens[j]?.lexeme === name) return tokens[j]!.line;
  }
  return 1;
}

const tokenCounts = new Map<string, Map<string, number>>();

/** How many times `name` stands as a token in `code` (wgsl_reflect's scanner: comments and other words that contain
 *  it do not count). A struct field named once is declared and never read. Counted once per text (cases call it). */
export function identifierCount(code: string, name: string): number {
  let counts = tokenCounts.get(code);
  if (!counts) {
    counts = new Map();
    for (const t of new WgslScanner(code).scanTokens()) counts.set(t.lexeme, (counts.get(t.lexeme) ?? 0) + 1);
    tokenCounts.set(code, counts);
  }
  return counts.get(name) ?? 0;
}

/** A texture's or sampler's type as written, access mode and all: wgsl_reflect's getTypeName leaves a storage
 *  texture's out ("texture_storage_2d<rgba8unorm>", trial 40). */
function handleTypeName(t: { getTypeName(): string; access?: string | null }): string {
  const name = t.getTypeName();
  return t.access && name.endsWith('>') ? `${name.slice(0, -1)}, ${t.access}>` : name;
}

/** Throws the parser's message when the WGSL does not parse: the caller adds the file name. */
export function reflect(code: string): ReflectedModule {
  const hit = cache.get(code);
  if (hit) return hit;
  installFixes(); // the resources an entry uses are found through fixed searches (patches/README.md §40)
  const { code: reflected, hoisted } = hoistWorkgroupSize(code);
  // WgslReflect's constructor would parse the text again: it is given this parse's AST instead.
  const ast = new WgslParser().parse(reflected);
  const r = new WgslReflect();
  r.updateAST(ast);
  const bindings = new Map<string, ReflectedBinding>();
  // wgsl_reflect lists a storage texture among storage buffers: it is a handle, which kernelscope does not bind (a
  // trial's texture_storage_2d output was told "Cannot read properties of undefined (reading 'scalar')").
  for (const s of r.storage) {
    if (s.resourceType === ResourceType.StorageTexture) continue;
    bindings.set(s.name, {
      name: s.name, group: s.group, binding: s.binding, kind: 'storage', access: String(s.access), size: s.size,
      type: safeType(s.type as unknown as TypeInfoLike), line: lineOf(code, s.name, ['var']),
    });
  }
  for (const u of r.uniforms) {
    bindings.set(u.name, {
      name: u.name, group: u.group, binding: u.binding, kind: 'uniform', access: 'read', size: u.size,
      type: safeType(u.type as unknown as TypeInfoLike), line: lineOf(code, u.name, ['var']),
    });
  }
  const handles = new Map<string, { type: string; line: number }>();
  for (const t of [...r.textures, ...r.samplers, ...r.storage.filter((x) => x.resourceType === ResourceType.StorageTexture)]) handles.set(t.name, { type: handleTypeName(t.type), line: lineOf(code, t.name, ['var']) });
  const overrides = new Map<string, ReflectedOverride>();
  const enables: string[] = [];
  for (const node of ast) {
    if (node instanceof Enable) enables.push(node.name);
    if (node instanceof Override && !hoisted.has(node.name)) {
      const id = node.attributes?.find((a) => a.name === 'id')?.value;
      overrides.set(node.name, {
        name: node.name, hasDefault: node.value !== null, line: node.line,
        ...(id !== undefined ? { id: Number(Array.isArray(id) ? id[0] : id) } : {}),
      });
    }
  }
  const entries = new Map<string, ReflectedEntry>();
  for (const e of r.entry.compute) {
    const ws = (e.workgroupSize ?? [1, 1, 1]) as number[];
    const used = new Set(((e.overrides ?? []) as { name: string }[]).map((o) => o.name));
    const sizeNames = workgroupSizeNames(ast, e.name).flatMap((n) => hoisted.get(n) ?? [n]);
    for (const n of sizeNames) if (overrides.has(n)) used.add(n);
    for (const n of hoisted.keys()) used.delete(n);
    entries.set(e.name, {
      workgroupSize: [ws[0] ?? 1, ws[1] ?? 1, ws[2] ?? 1],
      // With WGSL's scopes, and wherever a name is read (entry-resources.ts); wgsl_reflect's list where that cannot say.
      resources: entryResources(code, e.name) ?? new Set(((e.resources ?? []) as { name: string }[]).map((x) => x.name)),
      overrides: used,
      // A const-expression cannot read an override, so only a name that is one makes the size depend on them; a
      // hoisted expression is evaluated whatever it reads.
      sizeFromOverrides: sizeNames.some((n) => overrides.has(n)) || workgroupSizeNames(ast, e.name).some((n) => hoisted.has(n)),
      sizeNames: [...new Set(sizeNames.filter((n) => !hoisted.has(n)))],
    });
  }
  const structSizes = new Map(r.structs.map((st) => [st.name, st.size]));
  const mod: ReflectedModule = { bindings, handles, entries, enables, overrides, reflected, ast, structSizes };
  // The size with every override at its default, where each has one (the pipeline's constants may change it).
  for (const [name, e] of entries) {
    if (!e.sizeFromOverrides) continue;
    try {
      e.workgroupSize = evaluateWorkgroupSize(mod, name, {});
    } catch {
      // an override without a default: only the pipeline's constants give the size
    }
  }
  cache.set(code, mod);
  return mod;
}

/** A binding whose type is not host-shareable (a texture, a sampler) is still listed; its layout is then empty. */
function safeType(t: TypeInfoLike): WgslType {
  try {
    return typeOf(t);
  } catch {
    return { kind: 'struct', name: t.name, members: [], size: t.size, align: 4 };
  }
}

/** The module's bindings and var<workgroup>s by name, with their address space and type (wgsl_reflect's, its module
 *  constants evaluated: a var<workgroup>'s count is a const-expression, which overrides cannot change). A variable
 *  whose type has no host layout is left out; throws where the code does not parse. */
export function moduleVariableTypes(code: string): Map<string, { space: 'workgroup' | 'storage' | 'uniform'; type: WgslType }> {
  const exec = new WgslExec(new WgslParser().parse(code));
  exec._execStatements(exec.ast, exec.context);
  const out = new Map<string, { space: 'workgroup' | 'storage' | 'uniform'; type: WgslType }>();
  for (const node of exec.ast) {
    if (!(node instanceof Var) || !node.type) continue;
    const space = node.storage === 'workgroup' ? 'workgroup' : node.storage === 'storage' ? 'storage' : node.storage === 'uniform' ? 'uniform' : undefined;
    if (!space) continue;
    try {
      out.set(node.name, { space, type: typeOf(exec.getTypeInfo(node.type) as never) });
    } catch {
      // a type with no host layout
    }
  }
  return out;
}

/** wgsl_reflect's tokens of `code`, or undefined where its scanner throws: each text pass then leaves the code as it
 *  is, and the parser's own message says what is wrong. */
export function tokensOf(code: string): ReturnType<WgslScanner['scanTokens']> | undefined {
  try {
    return new WgslScanner(code).scanTokens();
  } catch {
    return undefined;
  }
}

/**
 * WGSL lets each @workgroup_size argument be any const- or override-expression (`@workgroup_size(TILE * 2)`), but
 * wgsl_reflect 1.6.0's parser takes only a literal or a name there. For reflection only, each longer argument is
 * replaced by a name, `_ks_wgN`, declared after the last line as `override _ks_wgN = (expression);`, which the
 * parser and the module-scope interpreter do take. Lines are kept (an argument spanning lines leaves its newlines),
 * so every line number reflected stays the source's. Returns each hoisted name with the identifiers its expression
 * reads, so an override read only there still counts as used by the entry point. Works on wgsl_reflect's tokens.
 */
export function hoistWorkgroupSize(code: string): { code: string; hoisted: Map<string, string[]> } {
  const hoisted = new Map<string, string[]>();
  const tokens = tokensOf(code);
  if (!tokens) return { code, hoisted };
  const edits: { start: number; end: number; name: string }[] = [];
  const declarations: string[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i]!.lexeme !== '@' || tokens[i + 1]!.lexeme !== 'workgroup_size' || tokens[i + 2]!.lexeme !== '(') continue;
    let depth = 0;
    let first = i + 3;
    for (let j = i + 2; j < tokens.length; j++) {
      const t = tokens[j]!.lexeme;
      if (t === '(' || t === '[') depth++;
      else if (t === ')' || t === ']') depth--;
      const argumentEnds = (depth === 1 && t === ',') || depth === 0;
      if (!argumentEnds) continue;
      if (j - first > 1) {
        const name = `_ks_wg${hoisted.size}`;
        const [start, end] = [tokens[first]!.start, tokens[j - 1]!.end];
        const expression = code.slice(start, end);
        hoisted.set(name, tokens.slice(first, j).filter((t) => /^[A-Za-z_]/.test(t.lexeme)).map((t) => t.lexeme));
        edits.push({ start, end, name: name + expression.replace(/[^\n]/g, '') });
        declarations.push(`override ${name} = (${expression.replace(/\n/g, ' ')});`);
      }
      first = j + 1;
      if (depth === 0) break;
    }
  }
  if (!edits.length) return { code, hoisted };
  let out = code;
  for (const e of edits.reverse()) out = out.slice(0, e.start) + e.name + out.slice(e.end);
  return { code: `${out}\n${declarations.join(' ')}\n`, hoisted };
}

const hoistedCache = new Map<string, string>();
const reflectableCache = new Map<string, string>();

/** `code` with its @workgroup_size expressions hoisted (hoistWorkgroupSize), its `const_assert`s kept: what a GPU
 *  engine compiles of a rewritten module. Same text as `reflectable(code)` but for the assertions, at the same
 *  offsets, so that edits placed by parsing the one apply to the other. Cached by text. */
export function hoisted(code: string): string {
  let out = hoistedCache.get(code);
  if (out === undefined) hoistedCache.set(code, (out = hoistWorkgroupSize(code).code));
  return out;
}

/** `code` as wgsl_reflect can parse and run it (hoisted, withoutConstAsserts, withUpstreamNames), same lines and
 *  offsets; cached by text. */
export function reflectable(code: string): string {
  let out = reflectableCache.get(code);
  if (out === undefined) reflectableCache.set(code, (out = withUpstreamNames(withoutConstAsserts(hoisted(code)))));
  return out;
}

/** Builtins wgsl_reflect 1.6.0 knows by another name: its list spells pack4xI8Clamp `pack4x8Clamp`, and implements it
 *  as WGSL does (each component clamped to [-128, 127], then packed), so the call was "Unknown function" and a trial's
 *  int8 quantizer was skipped on the interpreter. Written as upstream's name, padded to the same length. */
const UPSTREAM_NAMES: Record<string, string> = { pack4xI8Clamp: 'pack4x8Clamp ' };

function withUpstreamNames(code: string): string {
  if (!Object.keys(UPSTREAM_NAMES).some((n) => code.includes(n))) return code;
  const tokens = tokensOf(code);
  if (!tokens) return code;
  let out = code;
  for (const t of tokens) {
    const to = UPSTREAM_NAMES[t.lexeme];
    if (to) out = out.slice(0, t.start) + to + out.slice(t.end);
  }
  return out;
}

/** Each `const_assert ...;` of `code`, `const_assert` to `;`, by its tokens; `moduleScope` where it stands outside
 *  every brace. None where the code does not scan. */
function constAsserts(code: string): { start: number; end: number; line: number; moduleScope: boolean }[] {
  if (!code.includes('const_assert')) return [];
  const tokens = tokensOf(code) ?? [];
  const found: { start: number; end: number; line: number; moduleScope: boolean }[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.lexeme === '{') depth++;
    else if (t.lexeme === '}') depth--;
    if (t.lexeme !== 'const_assert') continue;
    let j = i;
    while (j < tokens.length && tokens[j]!.lexeme !== ';') j++;
    if (j === tokens.length) break;
    found.push({ start: t.start, end: tokens[j]!.end, line: t.line, moduleScope: depth === 0 });
    i = j;
  }
  return found;
}

/**
 * `code` with each `const_assert ...;` blanked (spaces, newlines kept). wgsl_reflect's interpreter stops at one
 * ("Invalid statement type"), so a trial's tiled matmul with `const_assert BK * BN <= 256u;` was skipped on the
 * interpreter, and its out-of-bounds store went unseen. An assertion is checked when the WGSL is compiled, which the
 * interpreter never does (a GPU engine's compiler does); running without it changes no value. A module rewritten for
 * a GPU engine keeps them (`hoisted`): a trial's module whose assertion fails passed no-out-of-bounds and
 * no-data-race on all four GPU engines, its sanitized copy compiled without the assertion.
 */
function withoutConstAsserts(code: string): string {
  let out = code;
  for (const { start, end } of constAsserts(code)) out = out.slice(0, start) + out.slice(start, end).replace(/[^\n]/g, ' ') + out.slice(end);
  return out;
}

/** The identifiers (not literals) an entry point's @workgroup_size names. */
function workgroupSizeNames(ast: readonly Node[], entry: string): string[] {
  for (const node of ast) {
    if (!(node instanceof FunctionNode) || node.name !== entry) continue;
    const attr = node.attributes?.find((a) => a.name === 'workgroup_size');
    const values = attr ? (Array.isArray(attr.value) ? attr.value : [attr.value]) : [];
    return values.map(String).filter((v) => /^[A-Za-z_]/.test(v));
  }
  return [];
}

/**
 * A stage's constants as WebGPU takes them (GPUProgrammableStage.constants): an override declared with `@id(N)` is
 * keyed by "N" and by nothing else (Dawn: 'Pipeline overridable constant "WG" not found'), one without by its name.
 * A spec may key either way; a trial's `@id(7) override WG` given `{ WG: 32 }` errored on Dawn, `{ 7: 32 }` on the
 * interpreter. Keys the module does not declare are kept (checkOverrides names them).
 */
export function pipelineConstants(mod: ReflectedModule, constants: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(constants).map(([k, v]) => {
    const id = mod.overrides.get(k)?.id;
    return [id === undefined ? k : String(id), v];
  }));
}

/** The same constants keyed by override name, as wgsl_reflect's interpreter takes them: "N" becomes the name of the
 *  override declared `@id(N)`. */
export function constantsByName(mod: ReflectedModule, constants: Record<string, number>): Record<string, number> {
  const byId = new Map([...mod.overrides.values()].flatMap((o) => (o.id === undefined ? [] : [[String(o.id), o.name] as const])));
  return Object.fromEntries(Object.entries(constants).map(([k, v]) => [byId.get(k) ?? k, v]));
}

/**
 * The workgroup size an entry point really runs with: its @workgroup_size with the pipeline's override constants
 * applied (an override not given takes its default expression's value). Throws when an override it needs has
 * neither. Constants are keyed by override name or by @id (a spec may use either; WebGPU's
 * GPUProgrammableStage.constants takes an @id override by its id only, which pipelineConstants passes it).
 */
export function workgroupSizeFor(code: string, entry: string, constants: Record<string, number> = {}): [number, number, number] {
  const mod = reflect(code);
  const e = mod.entries.get(entry);
  if (!e) throw new Error(`no entry point '${entry}'`);
  if (!e.sizeFromOverrides) return e.workgroupSize;
  const key = `${entry}\u0000${JSON.stringify(constants)}\u0000${code}`;
  const hit = sizeCache.get(key);
  if (hit) return hit;
  const size = evaluateWorkgroupSize(mod, entry, constants);
  sizeCache.set(key, size);
  return size;
}

const sizeCache = new Map<string, [number, number, number]>();

/** Runs the module scope in wgsl_reflect's interpreter with the constants set, then reads @workgroup_size. The
 *  interpreter keeps its values in its own context, not in the AST, so the module's one parse serves every call. */
function evaluateWorkgroupSize(mod: ReflectedModule, entry: string, constants: Record<string, number>): [number, number, number] {
  const exec = moduleScope(mod, constants, mod.entries.get(entry)!.overrides);
  const attr = (mod.ast.find((n) => n instanceof FunctionNode && n.name === entry) as FunctionNode).attributes!.find((a) => a.name === 'workgroup_size')!;
  const values = (Array.isArray(attr.value) ? attr.value : [attr.value]).map(String);
  const size: [number, number, number] = [1, 1, 1];
  values.slice(0, 3).forEach((v, i) => {
    const literal = parseInt(v);
    const value = Number.isNaN(literal) ? exec.getVariableValue(v) : literal;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`@workgroup_size of '${entry}': '${v}' has no constant value`);
    size[i] = value;
  });
  return size;
}

/** wgsl_reflect's interpreter after the module scope ran with the pipeline's constants (by name or @id), each
 *  override not given at its default expression's value, as pipeline creation fixes them. Throws where an override in
 *  `needed` has neither; one outside it stands at 0. */
function moduleScope(mod: ReflectedModule, constants: Record<string, number>, needed: ReadonlySet<string>): WgslExec {
  const byName: Record<string, number> = {};
  for (const o of mod.overrides.values()) {
    const v = constants[o.name] ?? (o.id !== undefined ? constants[String(o.id)] : undefined);
    if (v !== undefined) byName[o.name] = v;
    // The interpreter needs a value for every override to run the module scope; one this entry never reads may
    // stand at 0, one it reads cannot.
    else if (!o.hasDefault && needed.has(o.name)) throw new Error(`override '${o.name}' has no value and no default`);
    else if (!o.hasDefault) byName[o.name] = 0;
  }
  installFixes(); // the module scope's directives printed "Invalid statement type." (patches/README.md §16)
  const exec = new WgslExec(mod.ast as Node[]);
  exec.execute({ constants: byName });
  return exec;
}

/**
 * The module-scope `const_assert`s of `code` whose expression is false, each with its line and column: the module no
 * WGSL compiler accepts. The interpreter runs the module with its assertions blanked (reflectable), and alone (no GPU
 * engine in the run to refuse it) it passed a trial's module whose assertion fails. Each is evaluated as a const of
 * its own by wgsl_reflect's module scope; one it cannot evaluate is left to a compiler (never a refusal on a guess).
 */
export function failedConstAsserts(code: string): { line: number; column: number }[] {
  const asserts = constAsserts(code).filter((a) => a.moduleScope);
  if (!asserts.length) return [];
  // Each assertion as `const _ks_caK = EXPR;`, in place; any other (in a function) blanked, as reflectable does.
  let out = reflectable(code);
  for (const [k, a] of [...asserts.entries()].reverse()) out = out.slice(0, a.start) + `const _ks_ca${k} = ${code.slice(a.start + 'const_assert'.length, a.end)}` + out.slice(a.end);
  try {
    const exec = moduleScope(reflect(out), {}, new Set());
    return asserts.flatMap((a, k) => {
      const v = exec.getVariableValue(`_ks_ca${k}`);
      const column = a.start - code.lastIndexOf('\n', a.start - 1);
      return v === 0 ? [{ line: a.line, column }] : [];
    });
  } catch {
    return [];
  }
}

/** The integer value of each override in `names` under the pipeline's constants (moduleScope); undefined when one
 *  has none, or is not an integer. */
export function overrideIntegers(code: string, names: ReadonlySet<string>, constants: Record<string, number> = {}): Map<string, number> | undefined {
  try {
    const exec = moduleScope(reflect(code), constants, names);
    const values = new Map<string, number>();
    for (const n of names) {
      const v = exec.getVariableValue(n);
      if (typeof v !== 'number' || !Number.isInteger(v)) return undefined;
      values.set(n, v);
    }
    return values;
  } catch {
    return undefined;
  }
}

