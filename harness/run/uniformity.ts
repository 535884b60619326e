// Which values differ between the invocations of a workgroup, by WGSL's uniformity analysis (§"Uniformity Analysis")
// as far as kernelscope follows it: the flow of the invocation's id through a function's lets, vars, assignments,
// conditions and atomics, for the barrier check where no Tint engine runs (portability.ts nonUniformBarriers) and
// for advice (index-sources.ts). Found through wgsl_reflect's AST. Node-free: the visualizer imports it.
import { addressRoot, children, declarations, isCall, rootName, walk, walkFinds, type Node as AstNode, type Parsed } from '../mutate/parse.ts';

/** Builtins that differ between the invocations of a workgroup. */
export const INVOCATION_BUILTINS = new Set(['local_invocation_index', 'local_invocation_id', 'global_invocation_id']);

const isEntryPoint = (fn: AstNode) => !!(fn.attributes as { name: string }[] | undefined)?.some((x) => ['compute', 'vertex', 'fragment'].includes(x.name));
const builtinIs = (n: AstNode, is: (builtin: string) => boolean) => !!(n.attributes as { name: string; value: unknown }[] | undefined)?.some((x) => x.name === 'builtin' && is(String(x.value)));

/** The names of `fn`'s parameters whose @builtin `is` accepts; given the module `p`, also those of a struct type with
 *  such a member (`fn main(inp: In)`), whole: Tint takes the struct as one value, so `inp.wid.x` beside a member
 *  `lid` is not uniform either (WGSL §"Uniformity Analysis", checked with Tint: trial 139's list of misses). */
export const builtinParams = (fn: AstNode, is: (builtin: string) => boolean, p?: Parsed): Set<string> => new Set(((fn.args as AstNode[] | undefined) ?? [])
  // An entry point's only: a helper given such a struct is given what its caller built (trial 141 A3).
  .filter((a) => builtinIs(a, is) || (!!p && isEntryPoint(fn) && p.ast.some((s) => s.astNodeType === 'struct' && s.name === (a.type as AstNode | undefined)?.name && ((s.members as AstNode[] | undefined) ?? []).some((m) => builtinIs(m, is)))))
  .map((a) => a.name as string));

/** `names`, and every let, var or assignment under `nodes` whose value reads one of them, to a fixed point, by name:
 *  the names that carry a value computed from them. Grows `names` and returns it. */
export function withValuesFrom(nodes: AstNode[], names: Set<string>): Set<string> {
  for (let grew = true; grew;) {
    grew = false;
    walk(nodes, (n) => {
      const target = n.astNodeType === 'let' || n.astNodeType === 'var' ? (n.name as string)
        : n.astNodeType === 'assign' ? rootName(n.variable as AstNode | undefined) : undefined;
      if (!target || names.has(target) || !n.value) return;
      let from = false;
      walk([n.value as AstNode], (m) => (from ||= m.astNodeType === 'varExpr' && names.has(m.name as string)));
      if (from) {
        names.add(target);
        grew = true;
      }
    });
  }
  return names;
}

/** The builtins whose results differ between invocations: atomics, and subgroup operations, whose results differ
 *  between subgroups (Tint takes even subgroupBroadcastFirst's as differing: trial 145 A5). */
const VARYING_RESULT = /^(atomic(Load|Add|Sub|Max|Min|And|Or|Xor|Exchange|CompareExchangeWeak)|(subgroup|quad)[A-Z]\w*)$/;

/**
 * Of function `fn`, whether an expression reads a value computed from its parameters `params`: through the lets,
 * vars and assignments of the function (a module-scope variable assigned from one carries it too), by declaration, not
 * by name (two loops' `j`s are two variables: trial 84's uniform tile loop over `j` was taken for the earlier loop's
 * `j = lid`), and not through workgroupUniformLoad, whose result is the same in every invocation of the workgroup
 * (WGSL §"Uniformity Analysis"; trial 84's `t = workgroupUniformLoad(&total)`).
 *
 * Given `at`, the statement the expression belongs to, a var is read as carrying only where it may carry at `at`
 * (`dirtyAt`): the function's statements followed from its start along every path, as WGSL's analysis follows them,
 * so a plain assignment of a value that carries nothing (`bound = params.n;`, trial 129 A1) makes it the same again
 * until a write of a value that carries, or a write under a condition that carries; branches join, a branch that
 * returns joins nothing, loops run to a fixed point (trial 143 A1). A var whose address a helper may write through is
 * taken as carrying nothing, as the check says only the sure cases (trial 132 A3).
 */
export function readsFrom(p: Parsed, fn: AstNode, params: Set<string>): (expression: AstNode | undefined, at?: AstNode) => boolean {
  return analyse(p, fn, params).reads;
}

/** readsFrom's `reads`, with `why`: why an expression differs between invocations, in words, or undefined where it
 *  does not. */
export function varyingIn(p: Parsed, fn: AstNode, params: Set<string>) {
  const { reads, why } = analyse(p, fn, params);
  return { reads, why };
}

/** What a helper's result carries: `self`, a value that differs whatever it is given (an atomic's result, read in it
 *  or in a helper it calls: trial 139 A3's `fn peek(p) -> u32 { return atomicLoad(p); }`), and `params[k]`, whether
 *  it carries what its parameter k carries: a return of a value computed from it, or any return under a condition
 *  computed from it (trial 139 A2's `if (lane < WG) { return 32u; } return 32u;`, which Tint rejects), through the
 *  helpers it calls (trial 139 A4's `fn f(x) { return g(x, 32u); }` with a g that returns its second). */
interface HelperResult { self: boolean; params: boolean[] }
const helperResults = new WeakMap<Parsed, Map<string, HelperResult>>();
function helperResult(p: Parsed, callee: AstNode): HelperResult {
  const cache = helperResults.get(p) ?? helperResults.set(p, new Map()).get(p)!;
  const known = cache.get(callee.name as string);
  if (known) return known;
  const returns = (params: string[]) => {
    const a = analyse(p, callee, new Set(params));
    return walkFinds({ astNodeType: 'block', body: callee.body } as unknown as AstNode, (m) => m.astNodeType === 'return' && (!!a.underCarrying(m) || a.reads(m.value as AstNode | undefined, m)));
  };
  const result = { self: returns([]), params: ((callee.args as AstNode[] | undefined) ?? []).map((x) => returns([x.name as string])) };
  cache.set(callee.name as string, result);
  return result;
}

/** Whether `callee` may write through its parameter k: an assignment or increment through it, or the pointer handed
 *  on to another call (which may). */
function writesThrough(p: Parsed, callee: AstNode, k: number): boolean {
  const name = ((callee.args as AstNode[] | undefined) ?? [])[k]?.name as string | undefined;
  if (!name) return false;
  const named = (n: AstNode | undefined) => !!n && walkFinds(n, (m) => m.astNodeType === 'varExpr' && m.name === name);
  // The pointer itself (`q = p`, `g(p)`) or an address taken through it (`&(*p)[i]`), not a value read through it.
  const pointer = (n: AstNode | undefined) => !!n && ((n.astNodeType === 'varExpr' && n.name === name && !n.postfix) || (n.astNodeType === 'unaryOp' && n.operator === '&' && named(n)));
  return walkFinds({ astNodeType: 'block', body: callee.body } as unknown as AstNode, (m) =>
    ((m.astNodeType === 'assign' || m.astNodeType === 'increment') && named(m.variable as AstNode)) ||
    (isCall(m) && ((m.args as AstNode[] | undefined) ?? []).some(pointer)) ||
    ((m.astNodeType === 'let' || m.astNodeType === 'var') && pointer(m.value as AstNode | undefined)));
}

function analyse(p: Parsed, fn: AstNode, params: Set<string>) {
  const d = declarations(p, fn);
  const key = (m: AstNode) => d.at(m.name as string, p.range(m)[0]) ?? (m.name as string);
  const carrying = new Set([...params].map((n) => `${n}@param`));
  /** Where each carrying declaration got what it carries: by its value, or by a write under a condition. */
  const origins = new Map<string, { node: AstNode; how: 'value' | 'control'; cause?: AstNode }>();
  const targetOf = (n: AstNode) => {
    const root = addressRoot(n.variable as AstNode);
    return root && key(root);
  };
  // `except`: the name `dirtyAt` is following, whose state there is `exceptDiffers`, itself or through a pointer let
  // (`*p`): `k = k >> 1u` keeps a uniform k uniform (trial 135 A1).
  // `at`: the statement it stands in, where a name that was reset before it carries nothing (trial 141 A1: `j = 0u;`
  // after `var j = lid`, then a uniform `if (j < 5u) { k = 16u; }`, was taken for a write of k under the id).
  const plain = (n: AstNode | undefined, except?: string, at?: AstNode, exceptDiffers = false): boolean => {
    if (!n || typeof n !== 'object') return false;
    // A function of the module first: it may be named like a builtin, which it then shadows (trial 143 A6).
    // An address handed to a helper hands it what the variable holds there (trial 145's `rd(&k)`).
    if (isCall(n) && helpers.has(n.name as string)) return helperCarries(n, (a) => plain(a.astNodeType === 'unaryOp' && a.operator === '&' ? (a.right as AstNode) : a, except, at, exceptDiffers));
    if (isCall(n) && n.name === 'workgroupUniformLoad') return false;
    // An atomic's result differs between invocations (WGSL §"Uniformity Analysis"; trial 135's `let r = atomicAdd(...)`).
    if (isCall(n) && VARYING_RESULT.test(n.name as string)) return true;
    // An address is the same wherever its indices are (`&off` of a function variable: trial 145 A2).
    if (n.astNodeType === 'unaryOp' && n.operator === '&') return indexVaries(n, (e) => plain(e, except, at, exceptDiffers));
    if (named(n)) {
      // Through a pointer let (`*p`, `p.a`): what its variable holds there (trial 145 A2, A6).
      const k = pointerTo.get(key(n)) ?? key(n);
      // A pointer to an element at an index that differs is itself a value that differs (trial 145's
      // `let p = &t[lid]; workgroupUniformLoad(p)`).
      const address = addresses.get(key(n));
      if (address && plain(address.value as AstNode, except, address, exceptDiffers)) return true;
      if (except !== undefined && k === except) {
        if (exceptDiffers) return true;
      } else if (carrying.has(k) && (!at || !reassigned(k, at))) return true;
    }
    return children(n).some((c) => plain(c, except, at, exceptDiffers));
  };
  /** A name read: a variable, or a name wgsl_reflect took for a module const that a local declaration shadows (trial
   *  145 A4: `const N = 4u; ... let N = lid;`). */
  const named = (n: AstNode) => n.astNodeType === 'varExpr' || (n.astNodeType === 'constExpr' && key(n) !== n.name);
  /** The statement a node stands in, for `plain`'s `at`. */
  const stand = (n: AstNode) => statementOf.get(n) ?? n;
  // A helper's result carries what it returns of its parameters, or what it reads that differs (helperResult):
  // `rounds(lid)` that ignores its argument returns a uniform value (trial 137 A1); what else a helper reads (storage,
  // workgroup memory) is left to Tint.
  const helpers = new Map(p.ast.filter((f) => f.astNodeType === 'function').map((f) => [f.name as string, f]));
  const helperCarries = (call: AstNode, carries: (a: AstNode) => boolean): boolean => {
    const r = helperResult(p, helpers.get(call.name as string)!);
    return r.self || ((call.args as AstNode[] | undefined) ?? []).some((a, k) => r.params[k] !== false && carries(a));
  };
  // Each statement's place: the list that holds it, its index there, and the statement that holds the list.
  const places = new Map<AstNode, { list: AstNode[]; index: number; owner?: AstNode }>();
  const placeList = (owner: AstNode | undefined, v: unknown[]) => v.forEach((st, index) => {
    // A bare block, a list in the list: its statements are placed in it, under the same owner.
    if (Array.isArray(st)) return placeList(owner, st);
    if (!st || typeof st !== 'object' || typeof (st as AstNode).astNodeType !== 'string') return;
    places.set(st as AstNode, { list: v as AstNode[], index, ...(owner ? { owner } : {}) });
    place(st as AstNode, st as AstNode);
  });
  const place = (owner: AstNode | undefined, n: AstNode) => {
    for (const v of Object.values(n)) if (Array.isArray(v)) placeList(owner, v);
    for (const c of children(n)) if (!Array.isArray(c) && c && typeof c === 'object' && !places.has(c)) place(owner, c);
  };
  place(undefined, fn);
  // A for loop's initializer runs once before it, where its owner's statements run; its increment after each round,
  // in it (trial 147 A1, A2: both were judged at the loop's condition).
  walk([fn], (m) => {
    if (m.astNodeType !== 'for') return;
    if (m.init) places.set(m.init as AstNode, { list: [m.init as AstNode], index: 0, ...(places.get(m)?.owner ? { owner: places.get(m)!.owner } : {}) });
    if (m.increment) places.set(m.increment as AstNode, { list: [m.increment as AstNode], index: 0, owner: m });
  });
  // A var written through a pointer: `let p = &k;` makes `*p = e` an assignment of k. One whose address goes anywhere
  // else (a helper's argument) may be written where nothing here shows, so whether it carries is not sure there: it
  // is taken for uniform, as the check says only the sure cases (trial 132 A3, trial 135 A2).
  const pointerTo = new Map<string, string>();
  const escaped = new Set<string>();
  // A pointer to a part (`&s.a`, `&a[i]`) writes part of its variable; a copy of a pointer (`let p2 = p`) is the same
  // pointer (trial 143 A2, A3).
  const partial = new Set<string>();
  /** Each pointer let's declaration that takes the address: its indices make the pointer differ (`&t[lid]`). */
  const addresses = new Map<string, AstNode>();
  for (let grew = true; grew;) {
    grew = false;
    walk([fn], (n) => {
      const v = n.value as AstNode | undefined;
      const name = n.astNodeType === 'let' ? d.of(n) ?? (n.name as string) : undefined;
      if (!name || pointerTo.has(name) || !v) return;
      if (v.astNodeType === 'unaryOp' && v.operator === '&' && (v.right as AstNode)?.astNodeType === 'varExpr') {
        pointerTo.set(name, key(v.right as AstNode));
        addresses.set(name, n);
        if ((v.right as AstNode).postfix) partial.add(name);
        grew = true;
      } else if (v.astNodeType === 'varExpr' && !v.postfix && pointerTo.has(key(v))) {
        pointerTo.set(name, pointerTo.get(key(v))!);
        addresses.set(name, addresses.get(key(v))!);
        if (partial.has(key(v))) partial.add(name);
        grew = true;
      }
    });
  }
  walk([fn], (n) => {
    if (!isCall(n)) return;
    // A helper that only reads through its pointer parameter changes nothing (trial 141 A4's `first_stride(&s)`, whose
    // result carries what `*slot` does: helperResult).
    const callee = helpers.get(n.name as string);
    ((n.args as AstNode[] | undefined) ?? []).forEach((a, k) => {
      if (callee && !writesThrough(p, callee, k)) return;
      // The variable whose address it is, not those of its index (`&t[lid]`: lid's value goes, not its address).
      if (a.astNodeType === 'unaryOp' && a.operator === '&') {
        const base = addressRoot(a);
        if (base) escaped.add(key(base));
      }
      else if (a.astNodeType === 'varExpr' && pointerTo.has(key(a))) escaped.add(pointerTo.get(key(a))!);
    });
  });
  /** The var an assignment or increment writes: its own, or a pointer let's (`*p = e`). */
  const writes = (n: AstNode): string | undefined => {
    if (n.astNodeType !== 'assign' && n.astNodeType !== 'increment') return undefined;
    const t = n.variable as AstNode | undefined;
    if (t?.astNodeType === 'unaryOp' && t.operator === '*' && (t.right as AstNode)?.astNodeType === 'varExpr') return pointerTo.get(key(t.right as AstNode));
    // Through a pointer's member or element (`p.a = e`, `p[i] = e`).
    const target = targetOf(n);
    return target !== undefined && pointerTo.has(target) ? pointerTo.get(target) : target;
  };
  const whole = (n: AstNode) => {
    const t = n.variable as AstNode | undefined;
    return !!t && ((t.astNodeType === 'varExpr' && !t.postfix && !pointerTo.has(key(t))) || (t.astNodeType === 'unaryOp' && t.operator === '*' && !t.postfix && !partial.has(key(t.right as AstNode))));
  };
  /** Whether a statement holds a `break` or `continue` that leaves the construct around it (not one of a loop, or
   *  for a `break` a switch, inside it). */
  const leaves = (n: AstNode): boolean => {
    const find = (m: AstNode, inLoop: boolean, inSwitch: boolean): boolean => {
      if (!m || typeof m !== 'object') return false;
      if (m.astNodeType === 'continue') return !inLoop;
      if (m.astNodeType === 'break' && !m.condition) return !inLoop && !inSwitch;
      const loop = inLoop || ['for', 'while', 'loop'].includes(m.astNodeType as string);
      const sw = inSwitch || m.astNodeType === 'switch';
      return children(m).some((c) => find(c, loop, sw));
    };
    // A switch's own `break`s end its case, not the construct around it.
    return children(n).some((c) => find(c, false, n.astNodeType === 'switch'));
  };
  /** Whether a write's target is indexed by a value that varies: each invocation writes another part of it (trial 143
   *  A5: `a[lid & 3u] = 1u` makes the whole of `a` differ, as Tint takes it). */
  const indexVaries = (target: AstNode | undefined, varies: (e: AstNode) => boolean) => {
    let found = false;
    for (let q = target?.astNodeType === 'unaryOp' ? (target.right as AstNode | undefined) : target; q && !found; q = q.postfix as AstNode | undefined) {
      if ('index' in q && q.index) found = varies(q.index as AstNode);
    }
    return found;
  };
  /**
   * Whether `v` may differ between invocations where statement `at` begins (for a loop: at its condition, every
   * iteration): the function's statements followed in order from its start, as WGSL's analysis follows them. A write of
   * a value that differs, or any write under a condition that differs, makes it differ; a write of a value that does
   * not, outside such a condition, makes it the same again (`bound = params.n;`, trial 129 A1), even where it read
   * itself (`k = k >> 1u` where k was the same). Branches join (one that differs makes it differ), a branch that
   * returns joins nothing after it (trial 143 A1), a loop runs to a fixed point with what its `continue`s and `break`s
   * carry, and a loop left under a condition that differs is under it throughout. Other names in a condition or value
   * are judged where they stand (`plain`'s `at`).
   */
  /** The names some statement of the function declares or writes: any other keeps what it held at the start. */
  const written = new Set<string>();
  walk([fn], (m) => {
    const w = m.astNodeType === 'let' || m.astNodeType === 'var' || m.astNodeType === 'const' ? d.of(m) : writes(m);
    if (w) written.add(w);
  });
  const dirtyAt = (v: string, at: AstNode): boolean => {
    let atDirty = false;
    const varies = (e: AstNode | undefined, st: AstNode, dirty: boolean) => plain(e, v, stand(st), dirty);
    // `under` is asked only where `v` is written: a name never written needs no condition judged (and asking would
    // judge names whose own answer may rest on this one).
    type Under = () => boolean;
    const either = (a: Under, b: () => boolean): Under => {
      let known: boolean | undefined;
      return () => (known ??= a() || b());
    };
    /** Along a path: whether `v` differs (`d`), and whether control does since a `break` or `continue` under a
     *  condition that differs left some invocations behind (`c`: the rest of that loop's body, its next iterations,
     *  the rest of a switch's case; trial 145 A3). Undefined: no path goes on. */
    type State = { d: boolean; c: Under } | undefined;
    const join = (xs: State[]): State => {
      const on = xs.filter((x): x is NonNullable<State> => x !== undefined);
      return on.length ? { d: on.some((x) => x.d), c: on.slice(1).reduce((c, x) => either(c, x.c), on[0]!.c) } : undefined;
    };
    // Where `break` and `continue` go: the innermost loop's, or for a `break`, a switch's.
    const targets: { kind: 'loop' | 'switch'; breaks: State[]; continues: State[] }[] = [];
    const exec = (list: AstNode[] | undefined, state: State, under: Under): State => {
      for (const st of list ?? []) {
        if (state === undefined) return undefined;
        state = step(st, state, under);
      }
      return state;
    };
    const loop = (st: AstNode, entry: NonNullable<State>, under: Under, condition: AstNode | undefined, body: AstNode[], after: AstNode[]): State => {
      let head = entry;
      for (let round = 0; ; round++) {
        if (st === at) atDirty ||= head.d;
        const h = head.d;
        const u = either(under, () => !!condition && varies(condition, st, h));
        const target = { kind: 'loop' as const, breaks: [] as State[], continues: [] as State[] };
        targets.push(target);
        const end = exec(body, head, u);
        const next = exec(after, join([end, ...target.continues]), u);
        targets.pop();
        const again = join([head, next])!;
        // Past the loop, control is what it was before it (Tint takes it so: trial 145's cases).
        if (round >= 1 && again.d === head.d) {
          const out = join([...(condition ? [head] : []), ...target.breaks]);
          return out && { d: out.d, c: entry.c };
        }
        head = again;
      }
    };
    const step = (st: AstNode, state: NonNullable<State>, under: Under): State => {
      const dirty = state.d;
      // A block of its own (`{ s = 2u; }`), which wgsl_reflect keeps as a list in the list.
      if (Array.isArray(st)) return exec(st as AstNode[], state, under);
      if (!st || typeof st !== 'object') return state;
      const kind = st.astNodeType as string;
      if (st === at && !['for', 'while', 'loop'].includes(kind)) atDirty ||= dirty;
      const ruled = either(under, state.c);
      const as = (d: boolean): State => ({ d, c: state.c });
      switch (kind) {
        case 'var': case 'let': case 'const':
          return d.of(st) === v ? as(ruled() || varies(st.value as AstNode | undefined, st, dirty)) : state;
        case 'assign': {
          if (writes(st) !== v) return state;
          if (ruled()) return as(true);
          const value = varies(st.value as AstNode, st, dirty);
          if (st.operator === '=' && whole(st)) return as(value);
          return as(dirty || value || indexVaries(st.variable as AstNode, (e) => varies(e, st, dirty)));
        }
        case 'increment':
          return writes(st) === v ? as(dirty || ruled()) : state;
        case 'if': {
          const elseifs = (st.elseif as AstNode[] | undefined) ?? [];
          let u = under;
          const conditions: Under[] = [];
          const outs = [st, ...elseifs].map((b) => {
            const c = () => varies(b.condition as AstNode, st, dirty);
            conditions.push(c);
            u = either(u, c);
            return exec(b.body as AstNode[], state, u);
          });
          outs.push(st.else ? exec(st.else as AstNode[], state, u) : state);
          const out = join(outs);
          // A branch that leaves the loop or switch around it, taken on a condition that differs: the rest of it runs
          // for the invocations that stayed.
          return out && leaves(st) ? { d: out.d, c: either(out.c, () => conditions.some((c) => c())) } : out;
        }
        case 'switch': {
          const selector = () => varies(st.condition as AstNode, st, dirty);
          const u = either(under, selector);
          const cases = (st.cases as AstNode[] | undefined) ?? [];
          const target = { kind: 'switch' as const, breaks: [] as State[], continues: [] as State[] };
          targets.push(target);
          const outs = cases.map((c) => exec(c.body as AstNode[], state, u));
          targets.pop();
          const hasDefault = cases.some((c) => c.astNodeType === 'default' || ((c.selectors as AstNode[] | undefined) ?? []).some((x) => x.astNodeType === 'default' || (x as { value?: unknown }).value === 'default'));
          const out = join([...outs, ...target.breaks, ...(hasDefault ? [] : [state])]);
          // Past the switch, control is what it was before it; a `continue` in a case leaves the loop's iteration.
          return out && { d: out.d, c: leaves(st) ? either(state.c, selector) : state.c };
        }
        case 'for': {
          const entry = st.init ? step(st.init as AstNode, state, under) : state;
          return entry && loop(st, entry, under, st.condition as AstNode | undefined, (st.body as AstNode[] | undefined) ?? [], st.increment ? [st.increment as AstNode] : []);
        }
        case 'while':
          return loop(st, state, under, st.condition as AstNode, (st.body as AstNode[] | undefined) ?? [], []);
        case 'loop':
          return loop(st, state, under, undefined, (st.body as AstNode[] | undefined) ?? [], ((st.continuing as AstNode | null | undefined)?.body as AstNode[] | undefined) ?? []);
        case 'return':
          return undefined;
        case 'break': {
          // A break or continue under a condition that differs leaves control differing where it goes.
          const gone = { d: dirty, c: ruled };
          targets[targets.length - 1]?.breaks.push(gone);
          // `break if` in a continuing block leaves only when its condition holds; where that differs, the loop's
          // next iteration runs for some invocations only.
          return st.condition ? { d: dirty, c: either(state.c, () => varies(st.condition as AstNode, st, dirty)) } : undefined;
        }
        case 'continue':
          [...targets].reverse().find((t) => t.kind === 'loop')?.continues.push({ d: dirty, c: ruled });
          return undefined;
        default:
          return state;
      }
    };
    if (!written.has(v)) return true;
    exec(fn.body as AstNode[], { d: true, c: () => false }, () => false);
    return atDirty;
  };
  // By statement and name, cleared as `carrying` grows; one asked again while it is being found (two vars whose
  // resets each rest on the other's) is taken as reset, as the check says only the sure cases.
  const memo = new Map<AstNode, Map<string, boolean>>();
  const reassigned = (v: string, at: AstNode): boolean => {
    if (escaped.has(v)) return true;
    const known = memo.get(at) ?? memo.set(at, new Map()).get(at)!;
    const was = known.get(v);
    if (was !== undefined) return was;
    known.set(v, true);
    const r = !dirtyAt(v, at);
    known.set(v, r);
    return r;
  };
  const reads = (n: AstNode | undefined, at?: AstNode): boolean => plain(n, undefined, at);
  // Whether a statement runs under a condition that carries: an enclosing `if`'s (or an `else if`'s), a `switch`'s, a
  // loop's, or one that leaves such a loop.
  /** Whether loop `s` is left, or its iteration cut short, on a condition that carries: a `break if`, or an `if` or
   *  `switch` holding a break or continue of this loop (not of a loop or switch inside it: trial 147 A3), or a return. */
  // Each returns the statement whose condition it is (an `if`, `switch`, loop or `break if`), for `why`.
  const leftOn = (s: AstNode): AstNode | undefined => {
    const visit = (m: AstNode, inner: boolean): AstNode | undefined => {
      if (!m || typeof m !== 'object') return undefined;
      if (m.astNodeType === 'break' && m.condition && !inner && reads(m.condition as AstNode, s)) return m;
      if ((m.astNodeType === 'if' || m.astNodeType === 'switch') && ((!inner && leaves(m)) || walkFinds(m, (x) => x.astNodeType === 'return')) && reads(m.condition as AstNode, s)) return m;
      const deeper = inner || ['for', 'while', 'loop'].includes(m.astNodeType as string);
      for (const c of children(m)) {
        const found = visit(c, deeper);
        if (found) return found;
      }
      return undefined;
    };
    for (const c of children(s)) {
      const found = visit(c, false);
      if (found) return found;
    }
    return undefined;
  };
  const underCarrying = (n: AstNode): AstNode | undefined => {
    for (let s = places.get(statementOf.get(n) ?? n)?.owner; s; s = places.get(s)?.owner) {
      if (reads(s.condition as AstNode | undefined, s) || ((s.elseif as AstNode[] | undefined) ?? []).some((e) => reads(e.condition as AstNode, s))) return s;
      const left = s.astNodeType === 'for' || s.astNodeType === 'while' || s.astNodeType === 'loop' ? leftOn(s) : undefined;
      if (left) return left;
    }
    return undefined;
  };
  const body = (fn.body as AstNode[] | undefined) ?? [];
  // The statement a declaration belongs to: itself in a list, or the for loop whose initializer it is.
  const statementOf = new Map<AstNode, AstNode>();
  for (const st of [...places.keys()].reverse()) walk([st], (m) => (statementOf.has(m) ? undefined : statementOf.set(m, st)));
  for (let grew = true; grew;) {
    grew = false;
    walk(body, (n) => {
      let target: string | undefined;
      // A declaration or an assignment carries what its value reads where it stands (trial 132 A2: `var k = half`
      // after `half = 32u`; trial 135 A2: `j = k` after `k = 32u`).
      if (n.astNodeType === 'let' || n.astNodeType === 'var') target = d.of(n);
      else if (n.astNodeType === 'assign' || n.astNodeType === 'increment') target = writes(n);
      // Or written under a condition that carries (control, as WGSL's analysis follows it: trial 135's `if (lid < 5u)
      // { k = 16u; }` before a loop on k); a uniform reassignment after it is a reset (`kills`, trial 120 A1).
      // A pointer let is followed to its variable (`pointerTo`), not itself a value that differs.
      if (!target || carrying.has(target) || pointerTo.has(target)) return;
      const at = statementOf.get(n);
      const value = reads(n.value as AstNode | undefined, at) || (n.astNodeType === 'assign' && indexVaries(n.variable as AstNode, (e) => reads(e, at)));
      const cause = value || n.astNodeType === 'let' || n.astNodeType === 'var' ? undefined : underCarrying(n);
      const how = value ? 'value' : cause ? 'control' : undefined;
      if (!how) return;
      carrying.add(target);
      origins.set(target, { node: n, how, ...(cause ? { cause } : {}) });
      memo.clear();
      grew = true;
    });
  }
  /** Why `n` differs between invocations where `reads` says it does, in words, for a finding: the first name or call
   *  it reads that carries, and where that name got what it carries (trial 141 B1: "reads the invocation's id" of a
   *  variable reset since, with no way to check the reasoning). */
  /** A statement as written, shortened, after a colon; nothing where wgsl_reflect placed none (a for's initializer). */
  const quoted = (st: AstNode) => {
    let text: string;
    try {
      text = p.text(st).replace(/\s+/g, ' ');
    } catch {
      return '';
    }
    return `: \`${text.length > 60 ? `${text.slice(0, 57)}...` : text}\``;
  };
  /** A statement's condition as written: `if (lid >= s) { break; }` for an if that leaves, `break if i > lid`. */
  const conditionText = (st: AstNode): string => {
    const c = st.condition as AstNode | undefined;
    let text: string;
    try {
      text = st.astNodeType === 'break' ? `break if ${p.text(c!)}` : st.astNodeType === 'if' && leaves(st) ? p.text(st) : p.text(c!);
    } catch {
      return st.astNodeType as string;
    }
    text = text.replace(/\s+/g, ' ');
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  };
  // Of the names an expression reads that differ, one that got it by its value first: a loop's own counter, written
  // under the loop's condition, said only the condition back (trial 153 B1: `k < r` "reads 'k' ... under `k < r`").
  // A name written under a condition says what that condition reads, one step on.
  const why = (n: AstNode | undefined, at?: AstNode, depth = 0): string | undefined => {
    const found: { text: string; control: boolean }[] = [];
    const visit = (m: AstNode | undefined) => {
      const r = reason(m, at, depth);
      if (r) found.push(r);
      else if (r === undefined) for (const c of children(m!)) visit(c);
    };
    visit(n);
    return (found.find((f) => !f.control) ?? found[0])?.text;
  };
  /** One node's reason, or undefined to look inside it, or null where nothing inside it differs. */
  const reason = (n: AstNode | undefined, at: AstNode | undefined, depth: number): { text: string; control: boolean } | null | undefined => {
    if (!n || typeof n !== 'object') return null;
    if (isCall(n) && (helpers.has(n.name as string) ? reads(n, at) : n.name !== 'workgroupUniformLoad' && VARYING_RESULT.test(n.name as string))) return { text: `the result of ${n.name as string}() at line ${n.line as number}`, control: false };
    if (isCall(n) && n.name === 'workgroupUniformLoad' && !helpers.has(n.name as string)) return null;
    if (n.astNodeType === 'unaryOp' && n.operator === '&' && !reads(n, at)) return null;
    const k = named(n) ? pointerTo.get(key(n)) ?? key(n) : undefined;
    if (k !== undefined && carrying.has(k) && (!at || !reassigned(k, at))) {
      const o = origins.get(k);
      if (!o) return { text: `the builtin '${n.name as string}'`, control: false };
      const through = pointerTo.has(key(n)) ? ` through the pointer '${n.name as string}'` : '';
      // The write before `at` that reaches it, where it is not the origin (`s = first_stride(&s)` after `var s = lid`).
      let last: AstNode | undefined;
      for (let st: AstNode | undefined = at; st && !last; st = places.get(st)?.owner) {
        const pl = places.get(st);
        if (!pl) break;
        last = pl.list.slice(0, pl.index).reverse().find((x) => walkFinds(x, (m) => writes(m) === k));
      }
      const then = last && last !== o.node && !walkFinds(last, (m) => m === o.node) ? `; written again at line ${last.line as number}${quoted(last)}` : '';
      const further = o.cause && depth < 1 ? why(o.cause.condition as AstNode | undefined, o.cause, depth + 1) : undefined;
      const cause = o.cause ? `under or after \`${conditionText(o.cause)}\` at line ${o.cause.line as number}${further ? `, which reads ${further}` : ''}` : 'under a condition that differs, or after a break or continue taken on one';
      return { text: `'${k.split('@')[0]}'${through} (line ${o.node.line as number} ${o.how === 'value' ? 'gives it a value that differs between invocations' : `writes it where control differs between invocations (${cause})`}${quoted(o.node)}${then})`, control: o.how === 'control' };
    }
    return undefined;
  };
  return { reads, underCarrying, why };
}
