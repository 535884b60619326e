// Float atomics in a kernel's WGSL. WGSL has atomics of i32 and u32 only, so a kernel that adds floats atomically
// (a scatter-add, a one-pass reduction) runs a compare-and-swap loop on the f32's bits: atomicCompareExchangeWeak on
// an atomic<u32>, the old value read back with bitcast<f32> (or a loop of two atomicExchanges: take the word's sum
// out, add it to one's own, put it back). The order in which such updates land is not specified
// (WGSL §"Atomic Built-in Functions": atomics are indivisible, not ordered), and f32 addition is not associative, so
// a correct kernel's last bits may differ from one run to the next on a GPU whose schedule varies. A software
// adapter's schedule is fixed and shows the same bits every run: that proves nothing for a real GPU. Node-free.
import { isCall, parsedOrNone, rootName, walk, walkFinds, type Node } from '../mutate/parse.ts';
import { withValuesFrom } from './uniformity.ts';
import type { KernelProgram } from './program.ts';
import { moduleVariableTypes, tokensOf, type WgslType } from './reflect.ts';
import { atomicClaims, atomicRead, nodeKey } from './portability.ts';

/** The builtins that read a u32 as floats (WGSL §"Data Unpacking Built-in Functions"). */
const UNPACK_FLOATS = new Set(['unpack2x16float', 'unpack2x16snorm', 'unpack2x16unorm', 'unpack4x8snorm', 'unpack4x8unorm']);

/** A float scalar, or a vector of them, as a bitcast's template names it (`f32`, `vec2<f16>`, `vec4f`, `vec2h`). */
const FLOAT_TYPE = /^(f32|f16|vec[234][fh])$/;

/**
 * Where a program's WGSL updates floats through atomics, `at` "file:line" of its first atomicCompareExchangeWeak or
 * atomicExchange (trial 118 A2: a float add by two exchanges), when the same file also bitcasts to a float type (f32,
 * f16, a vector of them, or an alias of one: packed f16 pairs in one u32 are a float atomic too) or unpacks floats from
 * a u32 (`unpack2x16float`); undefined otherwise. Read from the tokens, so a comment or a name that holds the
 * words does not count. A CAS loop on integer values (an atomicMax emulation) bitcasts to no float and is left out:
 * its result does not depend on the order. A lock (portability.ts atomicLocks) is named, with `lock`, where floats are
 * accumulated under it (accumulatesFloat of what it guards), whose order its holders then set.
 */
export function floatAtomicsAt(program: KernelProgram): { at: string; lock?: true } | undefined {
  for (const [file, source] of Object.entries(program.sources)) {
    const tokens = tokensOf(source);
    if (!tokens) continue;
    const where = program.origins[file] ?? file;
    // A lock's compare-exchange of literals (portability.ts atomicLocks) adds no float: the floats it guards are summed
    // in the order its holders take it, which is the lock's line to name (trial 165 B1 named it "float atomics").
    const claimed = atomicClaims(source);
    const claims = new Map(claimed.map((c) => [c.line, c.released]));
    // `alias F = f32;` (or of a float vector, or of such an alias declared before it): its name counts as the type.
    const floats = new Set<string>();
    const isFloat = (lexeme: string | undefined) => !!lexeme && (FLOAT_TYPE.test(lexeme) || floats.has(lexeme));
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i]!.lexeme !== 'alias' || tokens[i + 2]?.lexeme !== '=') continue;
      for (let j = i + 3; j < tokens.length && tokens[j]!.lexeme !== ';'; j++) if (isFloat(tokens[j]!.lexeme)) floats.add(tokens[i + 1]!.lexeme);
    }
    let cas: number | undefined;
    let lock: number | undefined;
    let bitcastFloat = false;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if ((t.lexeme === 'atomicCompareExchangeWeak' || t.lexeme === 'atomicExchange') && tokens[i + 1]?.lexeme === '(') {
        // A claim that nothing releases (one writer picked, `0u` for `1u`) moves no float and is neither.
        if (claims.get(t.line)) lock ??= t.line;
        else if (!claims.has(t.line)) cas ??= t.line;
      }
      // Packed floats unpacked and packed again around the exchange (CUDA's half2 atomicAdd in WGSL,
      // `unpack2x16float(old)` ... `pack2x16float(h)`, trial 174 A1): a float atomic with no bitcast.
      else if (UNPACK_FLOATS.has(t.lexeme) && tokens[i + 1]?.lexeme === '(') bitcastFloat = true;
      else if (t.lexeme === 'bitcast' && tokens[i + 1]?.lexeme === '<') {
        // The template's tokens up to its closing `>`: `f32`, `vec2` `<` `f16` `>`, `F`.
        for (let j = i + 2, depth = 1; j < tokens.length && depth > 0; j++) {
          const l = tokens[j]!.lexeme;
          if (l === '<') depth++;
          else if (l === '>') depth--;
          else if (l === '>>') depth -= 2;
          else if (isFloat(l)) bitcastFloat = true;
        }
      }
    }
    if (cas !== undefined && bitcastFloat) return { at: `${where}:${cas}` };
    // A lock orders the floats it guards only where they are accumulated under it (`out[b] += v`): a claim released
    // around a float that is only stored was called "a lock around float updates" for a bitcast elsewhere (trial 181 B2).
    if (lock !== undefined && accumulatesFloat(source, claimed.find((c) => c.line === lock)?.guards)) return { at: `${where}:${lock}`, lock: true };
  }
  return undefined;
}

/** The atomic read-modify-writes whose returned old value can hand out a slot or a link. */
const RMW = new Set(['atomicAdd', 'atomicSub', 'atomicMax', 'atomicMin', 'atomicAnd', 'atomicOr', 'atomicXor', 'atomicExchange', 'atomicCompareExchangeWeak']);

/**
 * The loops of `fn` that retry `call` until a test of its result (`carries`) leaves them, which hand out the slot
 * where the call succeeded by control rather than by value (trial 125 A2: a hash set's linear probe, `loop { let r =
 * atomicCompareExchangeWeak(&keys[k], EMPTY, key); if (r.exchanged) { vals[k] = v; break; } k = (k + 1u) & mask; }`):
 * whether one stores to module-scope memory under a test of the result, and the names such loops assign (`k`), which
 * hold the slot after them. A loop over neighbours that tests each one's result without leaving is no probe (trial
 * 117's BFS), and outside a loop a test of the result picks who writes, not where (a "last workgroup" reduction).
 */
function probes(fn: Node, call: Node, carries: (e: unknown) => boolean, memory: Set<string>): { stores: boolean; stepped: Set<string> } {
  const out = { stores: false, stepped: new Set<string>() };
  walk([fn], (loop) => {
    if (!['loop', 'for', 'while'].includes(loop.astNodeType as string) || !walkFinds(loop, (m) => m === call)) return;
    // Left by an `if` around a `break` or `return`, a `break if`, or the loop's condition.
    let leaves = loop.astNodeType !== 'loop' && carries(loop.condition);
    const tests: Node[] = [];
    walk([loop], (n) => {
      if (n.astNodeType === 'if' && carries(n.condition)) {
        tests.push(n);
        leaves ||= walkFinds(n, (m) => m.astNodeType === 'break' || m.astNodeType === 'return');
      }
      if (n.astNodeType === 'break' && n.condition && carries(n.condition)) leaves = true;
    });
    if (!leaves) return;
    out.stores ||= tests.some((n) => ((n.body as Node[] | undefined) ?? []).some((b) => walkFinds(b, (m) => m.astNodeType === 'assign' && memory.has(rootName(m.variable as Node) ?? ''))));
    walk([loop], (n) => {
      const target = n.astNodeType === 'assign' || n.astNodeType === 'increment' ? rootName(n.variable as Node) : undefined;
      if (target && !memory.has(target)) out.stepped.add(target);
    });
  });
  return out;
}

/**
 * Where a program's WGSL hands out slots or links with an atomic read-modify-write, as "file:line" of the first such
 * call: its result (a compare-exchange's, or the value it expected, which it holds once the exchange succeeds) flows,
 * through lets, vars and assignments, into an index (`let slot = atomicAdd(&count[c], 1u); sorted[slot] = i`,
 * `sorted[atomicAdd(&off[b], 1u)] = i`, a compare-exchange bump `old -> old + 1u`) or into a value stored to
 * module-scope memory (a linked list's `next[i] = r.old_value`). The slots are handed out in an unspecified order, so
 * a float sum later taken in their order rounds differently from run to run (trial 99: a correct SPH density over a
 * counting sort failed deterministic by 1 to 4 ULP; trial 106: a list pushed by compare-exchange; trial 113 A2: slots
 * from a compare-exchange bump). A result dropped, kept unused (trial 113 A1: `let t = atomicAdd(...)` loosened every
 * float output) or only compared outside a probe (`probes`: a loop that retries the call until a test of its result
 * leaves, its slot where it stopped, trial 125 A2), and a compare-exchange loop whose expected value only feeds its
 * own retry (an atomicMax emulation), hand out nothing. Through a helper that returns it, takes it as an argument or
 * writes it through a pointer too (trial 118 A1). By name, as index-sources.ts follows values; undefined for WGSL that does not
 * parse.
 */
export function atomicSlotsAt(program: KernelProgram): string | undefined {
  for (const [file, source] of Object.entries(program.sources)) {
    if (!source.includes('atomic')) continue;
    const p = parsedOrNone(source);
    if (!p) continue;
    const memory = new Set(p.ast.filter((n) => n.astNodeType === 'var').map((n) => n.name as string));
    const functions = new Map(p.ast.filter((n) => n.astNodeType === 'function').map((n) => [n.name as string, n]));
    const calls: Node[] = [];
    // Not a read in all but name (`atomicCompareExchangeWeak(&w, 0u, 0u).old_value`, `atomicAdd(&w, 0u)`): it hands out
    // what the word holds, no slot (trial 220 B1).
    walk(p.ast, (m) => (isCall(m) && RMW.has(m.name as string) && !atomicRead(m) ? calls.push(m) : undefined));
    for (const call of calls) {
      const names = new Set<string>();
      // Functions that return the value (a `take_slot()` helper around the loop), to a fixed point.
      const returning = new Set<string>();
      const carries = (e: unknown) => {
        let found = false;
        if (e && typeof e === 'object') {
          walk([e as Node], (m) => (found ||= m === call || (m.astNodeType === 'varExpr' && names.has(m.name as string)) || (isCall(m) && returning.has(m.name as string))));
        }
        return found;
      };
      const expected = ((call.args as Node[] | undefined) ?? [])[1];
      if (call.name === 'atomicCompareExchangeWeak' && expected?.astNodeType === 'varExpr') names.add(expected.name as string);
      let probed = false;
      for (let grew = true; grew;) {
        const before = names.size + returning.size;
        walk(p.ast, (n) => {
          const target = n.astNodeType === 'let' || n.astNodeType === 'var' ? (n.name as string) : n.astNodeType === 'assign' ? rootName(n.variable as Node) : undefined;
          if (target && carries(n.value)) names.add(target);
        });
        withValuesFrom(p.ast, names);
        // Into a helper's parameter (`put(atomicAdd(&n, 1u), v)`), and out through a pointer argument whose
        // parameter is written with it (`take(&slot)` with `*p = atomicAdd(...)`): by name, as everything here.
        walk(p.ast, (m) => {
          const params = isCall(m) ? ((functions.get(m.name as string)?.args as Node[] | undefined) ?? []) : [];
          ((m.args as Node[] | undefined) ?? []).forEach((a, k) => {
            const param = params[k]?.name as string | undefined;
            if (!param) return;
            if (carries(a)) names.add(param);
            const root = a.astNodeType === 'unaryOp' && a.operator === '&' ? rootName(a) : undefined;
            if (root && names.has(param)) names.add(root);
          });
        });
        // A probe's slot is the name its loop steps (`k`), held once a test of the result leaves the loop.
        for (const fn of p.ast) {
          if (fn.astNodeType !== 'function') continue;
          const probe = probes(fn, call, carries, memory);
          probed ||= probe.stores;
          for (const name of probe.stepped) names.add(name);
        }
        for (const fn of p.ast) {
          if (fn.astNodeType === 'function' && !returning.has(fn.name as string)) walk([fn], (m) => (m.astNodeType === 'return' && carries(m.value) ? returning.add(fn.name as string) : undefined));
        }
        grew = names.size + returning.size > before;
      }
      let slot = false;
      walk(p.ast, (n) => {
        slot ||= ('index' in n && carries(n.index)) || (n.astNodeType === 'assign' && memory.has(rootName(n.variable as Node) ?? '') && carries(n.value));
      });
      if (slot || probed) return `${program.origins[file] ?? file}:${call.line}`;
    }
  }
  return undefined;
}

/**
 * Whether `code` accumulates into a float of memory that invocations share: an assignment to an element of a
 * var<storage> or var<workgroup> holding f32 or f16 whose value reads the same element (`out[b] = out[b] + v`) or a
 * compound one (`out[b] += v`); or an atomic write of float bits (a value that bitcasts or packs floats:
 * `atomicStore(&t, bitcast<u32>(bitcast<f32>(atomicLoad(&t)) + v))`); of the nodes `within` only, where given (what a
 * lock guards: trial 182 B4's lock around an integer count beside a float tree sum). False for code that does not parse.
 */
export function accumulatesFloat(code: string, within?: Set<string>): boolean {
  const p = parsedOrNone(code);
  if (!p) return false;
  const written = (n: Node) => ((n.args as Node[] | undefined) ?? [])[n.name === 'atomicCompareExchangeWeak' ? 2 : 1];
  let bits = false;
  walk(p.ast, (n) => {
    if (bits || !isCall(n) || !['atomicStore', 'atomicExchange', 'atomicCompareExchangeWeak'].includes(n.name as string) || (within && !within.has(nodeKey(p, n)))) return;
    const v = written(n);
    bits = !!v && walkFinds(v, (m) => m.astNodeType === 'bitcastExpr' || (isCall(m) && /^pack2x16float$/.test(m.name as string)));
  });
  if (bits) return true;
  let types: ReturnType<typeof moduleVariableTypes>;
  try {
    types = moduleVariableTypes(code);
  } catch {
    return false;
  }
  const holdsFloat = (t: WgslType): boolean => (t.kind === 'array' ? holdsFloat(t.element) : t.kind === 'struct' ? t.members.some((m) => holdsFloat(m.type))
    : t.kind !== 'atomic' && (t.scalar === 'f32' || t.scalar === 'f16'));
  // A node wgsl_reflect gives no place (a literal it folded from a const) has no text to compare.
  const textOf = (m: Node) => {
    try {
      return p.text(m);
    } catch {
      return undefined;
    }
  };
  let found = false;
  walk(p.ast, (n) => {
    if (found || n.astNodeType !== 'assign' || (within && !within.has(nodeKey(p, n)))) return;
    const target = n.variable as Node | undefined;
    const v = target && types.get(rootName(target) ?? '');
    if (!v || v.space === 'uniform' || !holdsFloat(v.type)) return;
    const text = textOf(target!);
    found = ['+=', '-=', '*=', '/='].includes(n.operator as string) || (n.operator === '=' && text !== undefined && walkFinds(n.value as Node, (m) => textOf(m) === text));
  });
  return found;
}
