// What wgsl_reflect's interpreter cannot run faithfully, found before anything runs, from its AST: the kernel is then
// reported `skip: not supported on the interpreter: <construct>, line N` once, never judged on values the interpreter
// made up. What this misses, the console capture in dispatch.ts catches while running.
import { CallExpr, Enable, type Node } from 'wgsl_reflect/wgsl_reflect.module.js';
import { SUBGROUP_OPERATION, WGSL_RESERVED_WORDS } from '../../run/wgsl-words.ts';
import { withOverrideCounts } from './override-counts.ts';
import { withShortCircuits } from './short-circuits.ts';
import { localNames, locallySizedCounts, overrideCounts, ownCallIn, ownFunctions, parsedOrNone, walk, type Node as PNode, type Parsed } from '../../mutate/parse.ts';

/** wgsl_reflect cannot run this WGSL right: the case is skipped with the construct and its line, never judged. */
/** How every refusal of a construct begins, in the message and in a case's skip text. */
export const NOT_SUPPORTED = 'not supported on the interpreter';

export class InterpreterUnsupported extends Error {
  override name = 'InterpreterUnsupported';
  constructor(readonly construct: string, readonly line: number) {
    super(`${NOT_SUPPORTED}: ${construct}${line > 0 ? `, line ${line}` : ''}`);
  }
}

// Why each is refused, as what running it would do wrong: "subgroup operations act as if a subgroup held one
// invocation" read as though the interpreter ran them (trial 58 B5).
const WHY: Record<string, string> = {
  f16: 'enable f16 (it would compute and store f16 values at f32 precision)',
  subgroups: 'enable subgroups (it has no subgroups: each subgroup operation would act as if its subgroup held one invocation)',
};

/** unsupportedConstruct of a module as the interpreter runs it where no pipeline constant is known: its calls in the
 *  right operand of && and || rewritten (short-circuits.ts) and override-sized workgroup arrays at their overrides'
 *  defaults (override-counts.ts), which it runs, not refuses (trial 150 B1: the lost-update note was left out for a
 *  scan over `array<u32, WG>`; trial 151 B3, for `x < 0.0 && mod2(1u) == 1u`). For what a run says before or beside the
 *  interpreter's own verdict. */
export const unsupportedAtDefaults = (code: string) => unsupportedConstruct(withOverrideCounts(withShortCircuits(code)));

/** The first construct of a module the interpreter cannot run, with its line; undefined when it can run all of it. */
export function unsupportedConstruct(code: string): { construct: string; line: number } | undefined {
  let found: { construct: string; line: number } | undefined;
  const p = parsedOrNone(code);
  if (!p) return undefined; // a syntax error is the compiler's to report
  // A function of the module's own named like a builtin is its own (trial 163 A1: `quadratic`, `subgroupMul`,
  // `textureless_sq` were refused as subgroup operations and textures).
  const own = new Set(p.ast.filter((n) => n.astNodeType === 'function').map((n) => n.name as string));
  const visit = (n: Node) => {
    if (found) return;
    if (n instanceof Enable) found = { construct: WHY[n.name] ?? `enable ${n.name}`, line: n.line };
    else if (n instanceof CallExpr && !own.has(n.name) && SUBGROUP_OPERATION.test(n.name)) found = { construct: `${n.name} (subgroup operations)`, line: n.line };
    else if (n instanceof CallExpr && !own.has(n.name) && /^texture[A-Z]/.test(n.name)) found = { construct: `${n.name} (textures)`, line: n.line };
  };
  for (const s of p.ast as unknown as Node[]) {
    visit(s);
    s.search(visit);
  }
  return missingEnable(p) ?? found ?? reservedName(p) ?? undeclaredName(p) ?? overrideSizedWorkgroup(p) ?? locallySizedArray(p) ?? callInShortCircuit(p) ?? indexAfterSwizzle(p);
}

/** wgsl_reflect does not validate: a name declared nowhere (a typo, `if (nope > 0u)`) evaluates to nothing and the
 *  kernel runs on, where every WGSL compiler rejects it (a trial's kernel passed on the interpreter, Dawn said
 *  "unresolved value 'nope'"). Refused, never judged. Declared means anywhere in the module (a module-scope
 *  declaration, a function's parameter or local), so a name used outside its scope is not caught: a miss, the
 *  compiler's to report, never a false refusal. A phony assignment's `_` names nothing. */
function undeclaredName(p: Parsed): { construct: string; line: number } | undefined {
  const declared = new Set<string>();
  for (const n of p.ast) {
    if (typeof n.name === 'string') declared.add(n.name);
    if (n.astNodeType === 'function') for (const name of localNames(n)) declared.add(name);
  }
  let found: { construct: string; line: number } | undefined;
  walk(p.ast, (n) => {
    if (found || (n.astNodeType !== 'varExpr' && n.astNodeType !== 'constExpr') || n.name === '_' || declared.has(n.name as string)) return;
    found = { construct: `'${n.name as string}', which the module declares nowhere (invalid WGSL: a GPU engine's compiler rejects it; the interpreter does not validate)`, line: p.position(p.range(n)[0]).line };
  });
  return found;
}

const F16_NAMES = new Set(['f16', 'vec2h', 'vec3h', 'vec4h', ...[2, 3, 4].flatMap((c) => [2, 3, 4].map((r) => `mat${c}x${r}h`))]);
const SUBGROUP_BUILTINS = new Set(['subgroup_size', 'subgroup_invocation_id']);

/** f16 (a type or an `h` literal) without `enable f16;`, or a subgroup builtin or operation without `enable
 *  subgroups;`: every WGSL compiler rejects it, and wgsl_reflect crashed on it or ran it (trial 159 B1: "wgsl_reflect
 *  failed (RangeError: ...)" for a missing `enable f16;`). Through the tokens; a name the module declares is its own. */
function missingEnable(p: Parsed): { construct: string; line: number } | undefined {
  const enabled = new Set<string>();
  const declared = new Set<string>();
  p.tokens.forEach((t, i) => {
    if (t.lexeme === 'enable') for (let j = i + 1; j < p.tokens.length && p.tokens[j]!.lexeme !== ';'; j++) enabled.add(p.tokens[j]!.lexeme);
  });
  walk(p.ast, (n) => void (typeof n.name === 'string' && n.astNodeType !== 'call' && n.astNodeType !== 'callExpr' && n.astNodeType !== 'varExpr' && declared.add(n.name)));
  for (const t of p.tokens) {
    const f16 = (F16_NAMES.has(t.lexeme) && !declared.has(t.lexeme)) || (/float_literal/.test(String(t.type?.name ?? t.type)) && t.lexeme.endsWith('h'));
    const subgroups = !declared.has(t.lexeme) && (SUBGROUP_BUILTINS.has(t.lexeme) || SUBGROUP_OPERATION.test(t.lexeme));
    const needs = f16 ? 'f16' : subgroups ? 'subgroups' : undefined;
    if (needs && !enabled.has(needs)) return { construct: `'${t.lexeme}' without \`enable ${needs};\` (invalid WGSL: a GPU engine's compiler rejects it; the interpreter does not validate)`, line: t.line };
  }
  return undefined;
}

/** A declaration named by one of WGSL's reserved words (`var<workgroup> priv`), which wgsl_reflect reads as any other
 *  name: every WGSL compiler rejects it (trial 139 A5's passed every property on the interpreter). */
function reservedName(p: Parsed): { construct: string; line: number } | undefined {
  const DECLARATIONS = new Set(['var', 'let', 'const', 'override', 'function', 'struct', 'alias', 'argument', 'member']);
  let found: { construct: string; line: number } | undefined;
  walk(p.ast, (n) => {
    const name = n.name as string;
    // An identifier may not begin with two underscores either (WGSL §"Identifiers"; trial 151 B7's `__acc`).
    if (found || !DECLARATIONS.has(n.astNodeType as string) || !(WGSL_RESERVED_WORDS.has(name) || name.startsWith('__'))) return;
    const what = name.startsWith('__') ? 'a name that begins with two underscores, which WGSL reserves' : 'a reserved word in WGSL, as a name';
    found = { construct: `'${name}', ${what} (invalid WGSL: a GPU engine's compiler rejects it; the interpreter does not validate)`, line: n.line as number };
  });
  return found;
}

const SWIZZLE = /^([xyzw]{2,4}|[rgba]{2,4})$/;

/** wgsl_reflect evaluates an index of a swizzle (`v3[i].zxy[c]`) to nothing, and the assignment holding it writes
 *  nothing: a trial's correct gather failed matches-reference there, its output never written. Refused, not judged.
 *  A struct member named like a swizzle and indexed is refused too (a skip, never a verdict). */
function indexAfterSwizzle(p: Parsed): { construct: string; line: number } | undefined {
  // A struct's array member named with swizzle letters (`arr`, `rgba`) is indexed as itself: trial 60's `p.arr[0]`
  // was refused as a swizzle's index.
  const arrays = new Set<string>();
  for (const n of p.ast) {
    if (n.astNodeType !== 'struct') continue;
    for (const m of (n.members as PNode[] | undefined) ?? []) if ((m.type as PNode | undefined)?.name === 'array') arrays.add(m.name as string);
  }
  let found: { construct: string; line: number } | undefined;
  walk(p.ast, (n) => {
    for (let q = n as PNode | undefined; !found && q; q = q.postfix as PNode | undefined) {
      const next = q.postfix as PNode | undefined;
      if (q.astNodeType === 'stringExpr' && SWIZZLE.test(String(q.value)) && !arrays.has(String(q.value)) && next && 'index' in next) {
        found = { construct: `an index of a swizzle (.${String(q.value)}[...]; index the vector, or copy the swizzle into a let first)`, line: p.position(p.range(n)[0]).line };
      }
    }
  });
  return found;
}

/** wgsl_reflect's debugger runs every call to a function of the kernel's in a statement before the statement itself,
 *  so one in the right operand of `&&` or `||` runs whatever the left operand is (WGSL runs it only when the left
 *  does not decide): a trial's `i < n && push(x[i])` appended for every invocation. Refused, not judged, where
 *  short-circuits.ts has not written it out as an if (one deeper in an expression, or in a for's head). */
function callInShortCircuit(p: Parsed): { construct: string; line: number } | undefined {
  const own = ownFunctions(p);
  let found: { construct: string; line: number } | undefined;
  walk(p.ast, (n) => {
    if (found || n.astNodeType !== 'binaryOp' || (n.operator !== '&&' && n.operator !== '||')) return;
    const m = ownCallIn(n.right as PNode, own);
    if (m) found = { construct: `a call to ${m.name as string}() in the right operand of ${n.operator as string} (the interpreter would call it whatever the left operand is, where WGSL calls it only when the left operand does not decide; the interpreter runs it as WGSL says where it is evaluated first in an if's or a loop's condition, a let's, var's or return's value or an assignment's: give it a let of its own)`, line: p.position(p.range(m)[0]).line };
  });
  return found;
}

/** wgsl_reflect sizes an array by the module's declarations: one whose count names a const of its function (`const K
 *  = 4u; var stage: array<f32, K>;`) came out one element long, or as long as a module-scope K (trial 118 A3, A4: a
 *  correct kernel failed no-out-of-bounds, and writes past its end passed). Refused. */
function locallySizedArray(p: Parsed): { construct: string; line: number } | undefined {
  for (const fn of p.ast) {
    if (fn.astNodeType !== 'function') continue;
    let found: { construct: string; line: number } | undefined;
    walk((fn.body as PNode[] | undefined) ?? [], (n) => {
      const count = !found && n.astNodeType === 'var' && n.type ? locallySizedCounts(p, fn, n).find((c) => c !== undefined) : undefined;
      if (count) found = { construct: `an array sized by a name declared in its function (${n.name as string}: ${count} elements; declare the const at module scope)`, line: n.line };
    });
    if (found) return found;
  }
  return undefined;
}

/** wgsl_reflect sizes a workgroup array whose count is an override expression as one element, whatever the
 *  pipeline's constants say (a new user's `var<workgroup> red: array<f32, WG>` came out wrong, not refused). The
 *  interpreter runs such a module with the counts written as values (override-counts.ts); this refuses one left,
 *  whose override had no value to write. */
function overrideSizedWorkgroup(p: Parsed): { construct: string; line: number } | undefined {
  for (const n of p.ast) {
    if (n.astNodeType !== 'var' || n.storage !== 'workgroup') continue;
    const count = overrideCounts(p, n).find((c) => c !== undefined);
    if (count) return { construct: `a workgroup array sized by an override expression (${n.name as string}: ${count} elements)`, line: n.line };
  }
  return undefined;
}
