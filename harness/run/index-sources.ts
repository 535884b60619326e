// Where the index of a store comes from, for the advice beside two invocations writing one element at one line: an
// index handed out by an atomic (a compaction's rank and base) overlaps when a read of the atomic comes before the
// updates it must see, which the index alone does not show (trial 39's compaction, a workgroupBarrier() short between
// a workgroup atomicAdd and its atomicLoad, was told only to check the index). Found through wgsl_reflect's AST.
// Node-free: race-text.ts, which the visualizer imports, says it.
import { children, declarations, isCall, parsedOrNone, rootName, walk, walkFinds, type Node as AstNode, type Parsed } from '../mutate/parse.ts';

/** An atomic builtin call whose result flows into an index. */
export interface AtomicSource {
  /** The atomic variable (its module-scope name: `count` for `&count[0]`). */
  variable: string;
  /** The builtin, `atomicLoad`, `atomicAdd`, ... */
  builtin: string;
  /** 1-based line of the call. */
  line: number;
  /** Whether the atomic is in var<workgroup>, whose updates a workgroupBarrier() orders before a read. */
  workgroup: boolean;
  /** Lines anywhere in the module that change the atomic (atomicStore and the read-modify-writes), whether or not
   *  their results flow into the index: the updates a read must be ordered after. */
  updates: number[];
  /** For a read: a workgroupBarrier()'s line between every update above it and it, where there is one (trial 92 B3:
   *  "is there one between lines 24 and 27 and line 29?" where line 28 was one). */
  barrierBefore?: number;
}


/**
 * The atomic calls whose results flow into the index of a store at `line` of `code` (`out[base + rank] = v`, with
 * `rank = atomicAdd(&wg_count, 1u)`, `wg_base = atomicAdd(&count[0], atomicLoad(&wg_count))` and
 * `base = workgroupUniformLoad(&wg_base)`): through lets, vars and assignments anywhere in the module, to a fixed point,
 * by name (a name reused in two functions taints both: this is advice, never a verdict). Every atomic builtin but
 * atomicStore returns the atomic's value. Empty for code that does not parse, or a line that stores nothing indexed.
 */
export function atomicIndexSources(code: string, line: number): AtomicSource[] {
  if (!code.includes('atomic')) return [];
  const p = parsedOrNone(code);
  if (!p) return [];
  const workgroup = new Set(p.ast.filter((n) => n.astNodeType === 'var' && n.storage === 'workgroup').map((n) => n.name as string));
  const updates = new Map<string, number[]>();
  walk(p.ast, (m) => {
    if (!isCall(m) || !/^atomic/.test(m.name as string) || m.name === 'atomicLoad') return;
    const variable = rootName(((m.args as AstNode[] | undefined) ?? [])[0]);
    if (variable && !updates.get(variable)?.includes(m.line as number)) updates.set(variable, [...(updates.get(variable) ?? []), m.line as number]);
  });
  const barriers: number[] = [];
  walk(p.ast, (m) => {
    if (isCall(m) && (m.name === 'workgroupBarrier' || m.name === 'workgroupUniformLoad')) barriers.push(m.line as number);
  });
  // The last barrier above a read, where it lies below every update above the read (lines only: advice).
  const barrierBefore = (variable: string, line: number): number | undefined => {
    const above = (updates.get(variable) ?? []).filter((u) => u < line);
    const b = Math.max(-1, ...barriers.filter((x) => x < line));
    return above.length && b > Math.max(...above) ? b : undefined;
  };
  const key = (s: AtomicSource) => `${s.variable}:${s.builtin}:${s.line}`;
  const sourcesIn = (n: AstNode | undefined, tainted: Map<string, Map<string, AtomicSource>>): AtomicSource[] => {
    const out: AtomicSource[] = [];
    if (n) walk([n], (m) => {
      if (isCall(m) && /^atomic/.test(m.name as string) && m.name !== 'atomicStore') {
        const variable = rootName(((m.args as AstNode[] | undefined) ?? [])[0]);
        const before = variable && m.name === 'atomicLoad' ? barrierBefore(variable, m.line as number) : undefined;
        if (variable) out.push({ variable, builtin: m.name as string, line: m.line as number, workgroup: workgroup.has(variable), updates: updates.get(variable) ?? [], ...(before !== undefined ? { barrierBefore: before } : {}) });
      }
      if (m.astNodeType === 'varExpr') out.push(...(tainted.get(m.name as string)?.values() ?? []));
    });
    return out;
  };
  const tainted = new Map<string, Map<string, AtomicSource>>();
  for (let grew = true; grew;) {
    grew = false;
    walk(p.ast, (n) => {
      const target = n.astNodeType === 'let' || n.astNodeType === 'var' ? (n.name as string)
        : n.astNodeType === 'assign' ? rootName(n.variable as AstNode | undefined) : undefined;
      if (!target) return;
      for (const s of sourcesIn(n.value as AstNode | undefined, tainted)) {
        if (!tainted.has(target)) tainted.set(target, new Map());
        const into = tainted.get(target)!;
        if (!into.has(key(s))) {
          into.set(key(s), s);
          grew = true;
        }
      }
    });
  }
  const found = new Map<string, AtomicSource>();
  walk(p.ast, (n) => {
    if (n.astNodeType !== 'assign' || n.line !== line) return;
    const lhs = n.variable as AstNode | undefined;
    // The index is what the stored-to expression holds under its root variable (`out` of `out[base + rank]`).
    const under = lhs && typeof lhs.postfix === 'object' && lhs.postfix ? [lhs.postfix as AstNode] : [];
    for (const s of under.flatMap((u) => sourcesIn(u, tainted))) found.set(key(s), s);
  });
  return [...found.values()].sort((a, b) => a.line - b.line || a.variable.localeCompare(b.variable));
}

/**
 * The condition of an `if` of `code` one of whose branches holds line `a` and another line `b`, where its condition
 * differs between invocations (readsFrom), as written; else undefined. Two invocations racing there took different branches, so no barrier can go between the two accesses
 * (trial 123 B1, trial 126 B3: a store and an atomicOr in the two arms of an `if` on data were told to add a barrier
 * between them). Undefined for code that does not parse, or lines of one branch.
 */
export function oppositeBranches(code: string, a: number, b: number): string | undefined {
  const p = parsedOrNone(code);
  if (!p || a === b) return undefined;
  const holds = (nodes: AstNode[], line: number) => {
    let found = false;
    walk(nodes, (n) => (found ||= n.line === line));
    return found;
  };
  let found: string | undefined;
  for (const fn of p.ast.filter((f) => f.astNodeType === 'function')) {
    // Only where the condition differs between invocations: one on a loop's round is taken by every invocation in
    // turn, and a barrier between the rounds orders the two (trial 135 B1).
    const varying = readsFrom(p, fn, builtinParams(fn, (x) => INVOCATION_BUILTINS.has(x) || x === 'subgroup_invocation_id'));
    walk([fn], (n) => {
      if (found || n.astNodeType !== 'if') return;
      const elseifs = (n.elseif as AstNode[] | undefined) ?? [];
      const branches = [(n.body as AstNode[] | undefined) ?? [], ...elseifs.map((e) => (e.body as AstNode[] | undefined) ?? []), (n.else as AstNode[] | undefined) ?? []];
      const ia = branches.findIndex((br) => holds(br, a));
      const ib = branches.findIndex((br) => holds(br, b));
      if (ia >= 0 && ib >= 0 && ia !== ib && [n.condition as AstNode, ...elseifs.map((e) => e.condition as AstNode)].some((c) => varying(c, n))) found = p.text(n.condition as AstNode);
    });
  }
  return found;
}

/**
 * The access, as written (`sat[idx]`), by which both a store to `variable` at one of `writeLines` and a read of it at
 * one of `readLines` index it, when the two write the index the same way; else undefined. Two invocations racing
 * through one such expression computed the same element from it, which for a kernel whose invocations each own an
 * element (`run += sat[idx]; sat[idx] = run;`) is a wrong index, not a missing barrier (trial 45's summed-area table
 * with the wrong stride was told only to add a storageBarrier()). Undefined for code that does not parse.
 */
export function sharedIndex(code: string, variable: string, readLines: readonly number[], writeLines: readonly number[]): string | undefined {
  const p = parsedOrNone(code);
  if (!p) return undefined;
  const indexed = (n: AstNode | undefined) => (n && n.astNodeType === 'varExpr' && n.name === variable && n.postfix ? p.text(n) : undefined);
  const written = new Set<string>();
  // The stored-to sides: not reads, unless the assignment is compound (`sat[idx] += v` reads it too).
  const stored = new Set<AstNode>();
  walk(p.ast, (n) => {
    if (n.astNodeType !== 'assign') return;
    const lhs = n.variable as AstNode | undefined;
    if (lhs && n.operator === '=') stored.add(lhs);
    const t = indexed(lhs);
    if (t && writeLines.includes(n.line as number)) written.add(t);
  });
  // Every read of the variable at the read's lines must be that expression: at `partial[lid] = partial[lid] +
  // partial[lid + s]` the race may be the other read's, and the message cannot tell which (a reduction missing its
  // barrier was told to check the index).
  const reads = new Set<string>();
  walk(p.ast, (n) => {
    if (stored.has(n) || !readLines.includes(n.line as number) || n.astNodeType !== 'varExpr' || n.name !== variable) return;
    reads.add(indexed(n) ?? variable);
  });
  const [only] = reads;
  const found = reads.size === 1 && written.has(only!) ? only : undefined;
  // Only an index that varies with the invocation says "each owns its element": one from the workgroup's id or a
  // uniform is shared by design, a seed and an update taking turns (`dst[w] = tree[0]`, then `dst[w] = dst[w] +
  // tree[1]`), which a barrier orders.
  if (!found) return undefined;
  const own = perInvocation(p);
  let varies = false;
  walk(p.ast, (n) => {
    if (varies || n.astNodeType !== 'varExpr' || n.name !== variable || !n.postfix || p.text(n) !== found) return;
    walk([n.postfix as AstNode], (m) => (varies ||= m.astNodeType === 'varExpr' && own.has(m.name as string)));
  });
  return varies ? found : undefined;
}

/** Builtins that differ between the invocations of a workgroup. */
export const INVOCATION_BUILTINS = new Set(['local_invocation_index', 'local_invocation_id', 'global_invocation_id']);

/** The names of `fn`'s parameters whose @builtin `is` accepts. */
export const builtinParams = (fn: AstNode, is: (builtin: string) => boolean): Set<string> => new Set(((fn.args as AstNode[] | undefined) ?? [])
  .filter((a) => (a.attributes as { name: string; value: unknown }[] | undefined)?.some((x) => x.name === 'builtin' && is(String(x.value))))
  .map((a) => a.name as string));

/** The names whose value differs from invocation to invocation: the entry points' parameters of those builtins, and
 *  lets, vars and assignments from them, to a fixed point, by name (advice, never a verdict). */
function perInvocation(p: NonNullable<ReturnType<typeof parsedOrNone>>): Set<string> {
  const own = new Set<string>();
  for (const fn of p.ast.filter((n) => n.astNodeType === 'function')) {
    for (const a of (fn.args as AstNode[] | undefined) ?? []) {
      if ((a.attributes as { name: string; value: unknown }[] | undefined)?.some((x) => x.name === 'builtin' && INVOCATION_BUILTINS.has(String(x.value)))) own.add(a.name as string);
    }
  }
  return withValuesFrom(p.ast, own);
}

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

/** The atomic builtins, whose results differ between invocations. */
const ATOMIC_RESULT = /^atomic(Load|Add|Sub|Max|Min|And|Or|Xor|Exchange|CompareExchangeWeak)$/;

/**
 * Of function `fn`, whether an expression reads a value computed from its parameters `params`: through the lets,
 * vars and assignments of the function (a module-scope variable assigned from one carries it too), by declaration, not
 * by name (two loops' `j`s are two variables: trial 84's uniform tile loop over `j` was taken for the earlier loop's
 * `j = lid`), and not through workgroupUniformLoad, whose result is the same in every invocation of the workgroup
 * (WGSL §"Uniformity Analysis"; trial 84's `t = workgroupUniformLoad(&total)`).
 *
 * Given `at`, the statement the expression belongs to, a var is not read as carrying where a plain assignment of a
 * value that carries nothing (`bound = params.n;`) comes before `at` in a statement list around it, with nothing after
 * that assignment in the list, up to and including the statement holding `at`, assigning the var a value that carries
 * (trial 129 A1: `var bound = lid.x; bound = params.n;` before a loop with a barrier, which Tint compiles), or under a
 * condition that carries, or in a loop such a condition leaves; and never one whose address is taken (trial 132 A3).
 * Every path to `at` passes such an assignment, since a list runs in order from its start. A for loop's own
 * initializer counts for its condition, and a declaration reads its value where it stands (trial 132 A1, A2).
 */
export function readsFrom(p: Parsed, fn: AstNode, params: Set<string>): (expression: AstNode | undefined, at?: AstNode) => boolean {
  const d = declarations(p, fn);
  const key = (m: AstNode) => d.at(m.name as string, p.range(m)[0]) ?? (m.name as string);
  const carrying = new Set([...params].map((n) => `${n}@param`));
  const targetOf = (n: AstNode) => {
    let root: AstNode | undefined;
    walk([n.variable as AstNode], (a) => (root ??= a.astNodeType === 'varExpr' ? a : undefined));
    return root && key(root);
  };
  // `except`: a name taken as carrying nothing, the assumption being checked (`k = k >> 1u` in the loop that `k > 0u`
  // bounds keeps a uniform k uniform: trial 135 A1).
  const plain = (n: AstNode | undefined, except?: string): boolean => {
    if (!n || typeof n !== 'object') return false;
    if (isCall(n) && n.name === 'workgroupUniformLoad') return false;
    // An atomic's result differs between invocations (WGSL §"Uniformity Analysis"; trial 135's `let r = atomicAdd(...)`).
    if (isCall(n) && ATOMIC_RESULT.test(n.name as string)) return true;
    if (isCall(n) && helpers.has(n.name as string)) return helperCarries(n, (a) => plain(a, except));
    if (n.astNodeType === 'varExpr' && carrying.has(key(n)) && key(n) !== except) return true;
    return children(n).some((c) => plain(c, except));
  };
  // A helper's result carries what it returns of its parameters: `rounds(lid)` that ignores its argument returns a
  // uniform value (trial 137 A1); what else a helper reads is left to Tint.
  const helpers = new Map(p.ast.filter((f) => f.astNodeType === 'function').map((f) => [f.name as string, f]));
  const returnedParams = new Map<string, boolean[]>();
  const helperCarries = (call: AstNode, carries: (a: AstNode) => boolean): boolean => {
    const callee = helpers.get(call.name as string)!;
    let returned = returnedParams.get(callee.name as string);
    if (!returned) {
      returned = ((callee.args as AstNode[] | undefined) ?? []).map((a) => {
        const names = withValuesFrom((callee.body as AstNode[] | undefined) ?? [], new Set([a.name as string]));
        return walkFinds({ astNodeType: 'block', body: callee.body } as unknown as AstNode, (m) => m.astNodeType === 'return' && !!m.value && walkFinds(m.value as AstNode, (x) => x.astNodeType === 'varExpr' && names.has(x.name as string)));
      });
      returnedParams.set(callee.name as string, returned);
    }
    return ((call.args as AstNode[] | undefined) ?? []).some((a, k) => returned![k] !== false && carries(a));
  };
  // Each statement's place: the list that holds it, its index there, and the statement that holds the list.
  const places = new Map<AstNode, { list: AstNode[]; index: number; owner?: AstNode }>();
  const place = (owner: AstNode | undefined, n: AstNode) => {
    for (const v of Object.values(n)) {
      if (!Array.isArray(v)) continue;
      v.forEach((st, index) => {
        if (!st || typeof st !== 'object' || typeof (st as AstNode).astNodeType !== 'string') return;
        places.set(st as AstNode, { list: v as AstNode[], index, ...(owner ? { owner } : {}) });
        place(st as AstNode, st as AstNode);
      });
    }
    for (const c of children(n)) if (!Array.isArray(c) && c && typeof c === 'object' && !places.has(c)) place(owner, c);
  };
  place(undefined, fn);
  // A var written through a pointer: `let p = &k;` makes `*p = e` an assignment of k. One whose address goes anywhere
  // else (a helper's argument) may be written where nothing here shows, so whether it carries is not sure there: it
  // is taken for uniform, as the check says only the sure cases (trial 132 A3, trial 135 A2).
  const pointerTo = new Map<string, string>();
  const escaped = new Set<string>();
  walk([fn], (n) => {
    const v = n.value as AstNode | undefined;
    if (n.astNodeType === 'let' && v?.astNodeType === 'unaryOp' && v.operator === '&' && (v.right as AstNode)?.astNodeType === 'varExpr' && !(v.right as AstNode).postfix) pointerTo.set(d.of(n) ?? (n.name as string), key(v.right as AstNode));
  });
  walk([fn], (n) => {
    if (!isCall(n)) return;
    for (const a of (n.args as AstNode[] | undefined) ?? []) {
      if (a.astNodeType === 'unaryOp' && a.operator === '&') walk([a], (m) => (m.astNodeType === 'varExpr' ? escaped.add(key(m)) : undefined));
      else if (a.astNodeType === 'varExpr' && pointerTo.has(key(a))) escaped.add(pointerTo.get(key(a))!);
    }
  });
  /** The var an assignment or increment writes: its own, or a pointer let's (`*p = e`). */
  const writes = (n: AstNode): string | undefined => {
    if (n.astNodeType !== 'assign' && n.astNodeType !== 'increment') return undefined;
    const t = n.variable as AstNode | undefined;
    if (t?.astNodeType === 'unaryOp' && t.operator === '*' && (t.right as AstNode)?.astNodeType === 'varExpr') return pointerTo.get(key(t.right as AstNode));
    return targetOf(n);
  };
  const whole = (n: AstNode) => {
    const t = n.variable as AstNode | undefined;
    return !!t && ((t.astNodeType === 'varExpr' && !t.postfix) || (t.astNodeType === 'unaryOp' && t.operator === '*' && !t.postfix));
  };
  const LEAVE = (n: AstNode) => n.astNodeType === 'break' || n.astNodeType === 'return';
  // Whether something in `nodes` may make `v` carry again, `v` taken as carrying nothing where it is read: an
  // assignment of a value that carries, or any assignment or increment of it under a condition that carries or in a
  // loop that such a condition leaves (control, which WGSL's analysis follows too: `if (lid > 3u) { k = 7u; }`).
  const spoils = (nodes: AstNode[], v: string): boolean => {
    let bad = false;
    const visit = (n: AstNode, under: boolean) => {
      if (bad || !n || typeof n !== 'object') return;
      if (writes(n) === v && (under || (n.astNodeType === 'assign' && plain(n.value as AstNode, v)))) {
        bad = true;
        return;
      }
      let u = under || (['if', 'switch', 'for', 'while', 'elseif'].includes(n.astNodeType as string) && plain(n.condition as AstNode, v));
      if (n.astNodeType === 'for' || n.astNodeType === 'while' || n.astNodeType === 'loop') {
        walk([n], (m) => (u ||= (m.astNodeType === 'break' && plain(m.condition as AstNode, v)) || (m.astNodeType === 'if' && plain(m.condition as AstNode, v) && children(m).some((c) => walkFinds(c, LEAVE)))));
      }
      for (const c of children(n)) visit(c, u);
    };
    for (const n of nodes) visit(n, false);
    return bad;
  };
  // A statement after which `v` carries nothing, whatever it held: a plain assignment of a value that carries nothing
  // (`bound = params.n;`, or through a pointer let), or an `if` on a uniform condition with an `else`, or a `switch`
  // with a `default`, each of whose branches ends so (trial 135 A2).
  const kills = (st: AstNode | undefined, v: string): boolean => {
    if (!st) return false;
    if (st.astNodeType === 'assign') return st.operator === '=' && whole(st) && writes(st) === v && !plain(st.value as AstNode, v);
    // Its declaration with a value that carries nothing (trial 135's swap: `var a = 32u;` read before `a = b`).
    if (st.astNodeType === 'var') return d.of(st) === v && !plain(st.value as AstNode | undefined, v);
    // A branch that ends by leaving (`else { return; }`) lets no path on with what it held (trial 137 A1).
    const branchKills = (list: AstNode[]) => {
      let k = -1;
      list.forEach((x, i) => (kills(x, v) ? (k = i) : undefined));
      const last = list[list.length - 1];
      return (k >= 0 && !spoils(list.slice(k + 1), v)) || (!!last && ['return', 'break', 'continue'].includes(last.astNodeType as string) && !(last.astNodeType === 'break' && last.condition));
    };
    // A block of its own (`{ s = 2u; }`), which wgsl_reflect keeps as a list in the list.
    if (Array.isArray(st)) return branchKills(st as AstNode[]);
    if (st.astNodeType === 'if') {
      const branches = [(st.body as AstNode[] | undefined) ?? [], ...((st.elseif as AstNode[] | undefined) ?? []).map((e) => (e.body as AstNode[] | undefined) ?? [])];
      const conditions = [st.condition as AstNode, ...((st.elseif as AstNode[] | undefined) ?? []).map((e) => e.condition as AstNode)];
      return !!st.else && !conditions.some((c) => plain(c, v)) && [...branches, st.else as AstNode[]].every(branchKills);
    }
    if (st.astNodeType === 'switch') {
      const cases = (st.cases as AstNode[] | undefined) ?? [];
      return !plain(st.condition as AstNode, v) && cases.some((c) => c.astNodeType === 'default' || ((c.selectors as AstNode[] | undefined) ?? []).some((x) => x.astNodeType === 'default' || (x as { value?: unknown }).value === 'default')) && cases.every((c) => branchKills((c.body as AstNode[] | undefined) ?? []));
    }
    return false;
  };
  const reassigned = (v: string, at: AstNode): boolean => {
    if (escaped.has(v)) return true;
    // A for loop's own initializer, for its condition (trial 132 A1: `for (k = 32u; k > 0u; k >>= 1u)` reusing a `k`
    // an earlier loop started from the id).
    if (at.astNodeType === 'for' && kills(at.init as AstNode, v) && !spoils([...((at.body as AstNode[] | undefined) ?? []), at.increment as AstNode].filter(Boolean), v)) return true;
    for (let s: AstNode | undefined = at; s; s = places.get(s)?.owner) {
      const pl = places.get(s);
      if (!pl) return false;
      let k = -1;
      pl.list.slice(0, pl.index).forEach((st, i) => (kills(st, v) ? (k = i) : undefined));
      if (k >= 0 && !spoils(pl.list.slice(k + 1, pl.index + 1), v)) return true;
    }
    return false;
  };
  const reads = (n: AstNode | undefined, at?: AstNode): boolean => {
    if (!n || typeof n !== 'object') return false;
    if (isCall(n) && n.name === 'workgroupUniformLoad') return false;
    if (isCall(n) && ATOMIC_RESULT.test(n.name as string)) return true;
    if (isCall(n) && helpers.has(n.name as string)) return helperCarries(n, (a) => reads(a, at));
    if (n.astNodeType === 'varExpr' && carrying.has(key(n))) return !at || !reassigned(key(n), at);
    return children(n).some((c) => reads(c, at));
  };
  // Whether a statement runs under a condition that carries: an enclosing `if`'s (or an `else if`'s), a `switch`'s, a
  // loop's, or one that leaves such a loop.
  const underCarrying = (n: AstNode): boolean => {
    for (let s = places.get(statementOf.get(n) ?? n)?.owner; s; s = places.get(s)?.owner) {
      if (reads(s.condition as AstNode | undefined, s) || ((s.elseif as AstNode[] | undefined) ?? []).some((e) => reads(e.condition as AstNode, s))) return true;
      if (s.astNodeType === 'for' || s.astNodeType === 'while' || s.astNodeType === 'loop') {
        let leaves = false;
        walk([s], (m) => (leaves ||= (m.astNodeType === 'break' && reads(m.condition as AstNode | undefined, s)) || (m.astNodeType === 'if' && children(m).some((c) => walkFinds(c, LEAVE)) && reads(m.condition as AstNode, s))));
        if (leaves) return true;
      }
    }
    return false;
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
      if (!target || carrying.has(target) || !(reads(n.value as AstNode | undefined, statementOf.get(n)) || (n.astNodeType !== 'let' && n.astNodeType !== 'var' && underCarrying(n)))) return;
      carrying.add(target);
      grew = true;
    });
  }
  return reads;
}
