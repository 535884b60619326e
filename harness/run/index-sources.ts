// Where the index of a store comes from, for the advice beside two invocations writing one element at one line: an
// index handed out by an atomic (a compaction's rank and base) overlaps when a read of the atomic comes before the
// updates it must see, which the index alone does not show (trial 39's compaction, a workgroupBarrier() short between
// a workgroup atomicAdd and its atomicLoad, was told only to check the index). Found through wgsl_reflect's AST.
// Node-free: race-text.ts, which the visualizer imports, says it.
import { children, isCall, isComputeEntry, parsedOrNone, rootName, walk, walkFinds, type Node as AstNode } from '../mutate/parse.ts';
import { builtinParams, INVOCATION_BUILTINS, readsFrom } from './uniformity.ts';

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
  /** For a read: the line of an update of the atomic above it whose result the code drops (`atomicAdd(&n, 1u);` as a
   *  statement), where the value read back after it was meant to be that update's own (trial 158 B2). */
  droppedBefore?: number;
  /** For a read: the line of an atomicStore of the atomic below it, where the two make one update by hand (`let s =
   *  atomicLoad(c); atomicStore(c, s + 1u);`: trial 163 B1 was told to take the value from the store's return). */
  storedAfter?: number;
  /** For a read after its barrier: an update of the atomic after one of its atomicStores with no workgroupBarrier()
   *  between (portability.ts workgroupAtomicsBeforeBarrier), which may land before the store and be erased, so the
   *  read is right and what it reads is not (trial 213 B2). Given by the caller. */
  erasable?: { store: number; update: number };
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
  // The updates that can run beside the store: those of the entry points that reach it and what they call. Another
  // entry point is another dispatch, ordered before or after (trial 150 B3: a reset stage's atomicStore was named).
  const fns = new Map(p.ast.filter((n) => n.astNodeType === 'function').map((f) => [f.name as string, f]));
  const reach = (f: AstNode, seen = new Set<AstNode>()): Set<AstNode> => {
    if (seen.has(f)) return seen;
    seen.add(f);
    walk([f], (m) => (isCall(m) && fns.has(m.name as string) ? void reach(fns.get(m.name as string)!, seen) : undefined));
    return seen;
  };
  // Of the load's own entry points, where it is in another than the store (trial 199 B1: a histogram's load, stored to
  // a buffer a later dispatch scatters by, was asked for a barrier it had, its entry point's updates not looked at).
  const entries = [...fns.values()].filter(isComputeEntry);
  const scopeOf = (holding: AstNode | undefined): AstNode[] => {
    const beside = holding ? entries.map((e) => reach(e)).filter((r) => r.has(holding)) : [];
    return beside.length ? [...new Set(beside.flatMap((r) => [...r]))] : p.ast;
  };
  // A helper's pointer parameter stands for what its callers pass (`take(&cnt[0])` with `fn take(c: ptr<storage,
  // atomic<u32>, read_write>)`: c is cnt, trial 151 B5), through helpers that pass it on.
  const fnOf = new Map<AstNode, AstNode>();
  for (const f of fns.values()) walk([f], (m) => void fnOf.set(m, f));
  const passed = new Map<string, string[]>();
  const variablesOf = (name: string, f: AstNode | undefined): string[] => {
    const k = ((f?.args as AstNode[] | undefined) ?? []).findIndex((arg) => arg.name === name && (arg.type as { name?: string } | undefined)?.name === 'ptr');
    if (k < 0) return [name];
    const at = `${f!.name as string}/${name}`;
    if (!passed.has(at)) {
      passed.set(at, [name]); // a recursion's own call site (WGSL has none) stops here
      const roots: string[] = [];
      walk(p.ast, (m) => {
        const root = isCall(m) && m.name === f!.name ? rootName(((m.args as AstNode[] | undefined) ?? [])[k]) : undefined;
        if (root) roots.push(...variablesOf(root, fnOf.get(m)));
      });
      if (roots.length) passed.set(at, [...new Set(roots)]);
    }
    return passed.get(at)!;
  };
  const atomicVariables = (m: AstNode) => {
    const root = rootName(((m.args as AstNode[] | undefined) ?? [])[0]);
    return root ? variablesOf(root, fnOf.get(m)) : [];
  };
  // The lines of each atomic's updates beside a function: all, those whose result is dropped, and the stores.
  const accesses = new Map<AstNode | undefined, { updates: Map<string, number[]>; dropped: Map<string, [number, string][]>; storesOf: Map<string, number[]> }>();
  // As written, less spaces and integer suffixes (trial 214 B2: `&cnt[0]` and `&cnt[0u]` are one word).
  const addressOf = (m: AstNode) => p.text(((m.args as AstNode[] | undefined) ?? [])[0]!).replace(/\s+/g, '').replace(/\b(\d+)[ui]\b/g, '$1');
  const accessesBeside = (holding: AstNode | undefined) => {
    if (accesses.has(holding)) return accesses.get(holding)!;
    const found = { updates: new Map<string, number[]>(), dropped: new Map<string, [number, string][]>(), storesOf: new Map<string, number[]>() };
    const { updates, dropped, storesOf } = found;
    walk(scopeOf(holding), (m) => {
      if (!isCall(m) || !/^atomic/.test(m.name as string) || m.name === 'atomicLoad') return;
      for (const variable of atomicVariables(m)) {
        if (!updates.get(variable)?.includes(m.line as number)) updates.set(variable, [...(updates.get(variable) ?? []), m.line as number]);
        // A call statement: its result, the value before the update, is dropped (atomicStore returns none).
        if (m.astNodeType === 'call' && m.name !== 'atomicStore') dropped.set(variable, [...(dropped.get(variable) ?? []), [m.line as number, addressOf(m)]]);
        if (m.name === 'atomicStore') storesOf.set(variable, [...(storesOf.get(variable) ?? []), m.line as number]);
      }
    });
    accesses.set(holding, found);
    return found;
  };
  const barriers: number[] = [];
  walk(p.ast, (m) => {
    if (isCall(m) && (m.name === 'workgroupBarrier' || m.name === 'workgroupUniformLoad')) barriers.push(m.line as number);
  });
  // The last barrier above a read, where it lies below every update above the read (lines only: advice).
  const barrierBefore = (updates: Map<string, number[]>, variable: string, line: number): number | undefined => {
    const above = (updates.get(variable) ?? []).filter((u) => u < line);
    const b = Math.max(-1, ...barriers.filter((x) => x < line));
    return above.length && b > Math.max(...above) ? b : undefined;
  };
  const key = (s: AtomicSource) => `${s.variable}:${s.builtin}:${s.line}`;
  const sourcesIn = (n: AstNode | undefined, tainted: Map<string, Map<string, AtomicSource>>, inHelpers = new Set<AstNode>()): AtomicSource[] => {
    const out: AtomicSource[] = [];
    if (n) walk([n], (m) => {
      if (isCall(m) && /^atomic/.test(m.name as string) && m.name !== 'atomicStore') {
        const { updates, dropped, storesOf } = accessesBeside(fnOf.get(m));
        for (const variable of atomicVariables(m)) {
          const before = m.name === 'atomicLoad' ? barrierBefore(updates, variable, m.line as number) : undefined;
          // Of the word the load reads, as written (trial 213 B1: a histogram's `atomicAdd(&hist[digit], 1u)`, then
          // `atomicLoad(&hist[lid])` of another bin, was told to take the load's value from the add's return).
          const drop = m.name === 'atomicLoad' ? Math.max(-1, ...(dropped.get(variable) ?? []).filter(([u, at]) => u < (m.line as number) && at === addressOf(m)).map(([u]) => u)) : -1;
          const store = m.name === 'atomicLoad' ? Math.min(Infinity, ...(storesOf.get(variable) ?? []).filter((u) => u > (m.line as number))) : Infinity;
          out.push({ variable, builtin: m.name as string, line: m.line as number, workgroup: workgroup.has(variable), updates: updates.get(variable) ?? [], ...(before !== undefined ? { barrierBefore: before } : {}), ...(drop >= 0 && before === undefined ? { droppedBefore: drop } : {}), ...(Number.isFinite(store) ? { storedAfter: store } : {}) });
        }
      }
      // A helper's result: what its returns hold.
      const helper = isCall(m) ? fns.get(m.name as string) : undefined;
      if (helper && !inHelpers.has(helper)) {
        inHelpers.add(helper);
        walk([helper], (r) => (r.astNodeType === 'return' ? void out.push(...sourcesIn(r.value as AstNode | undefined, tainted, inHelpers)) : undefined));
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
    const varying = invocationVarying(p, fn);
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

/** A statement whose condition differs between invocations, as varyingBlockAround finds it. */
export interface VaryingBlock {
  line: number;
  /** How to name it: "the `if (v < cap)`", "the `switch (l / 16u)`", "the loop `for (...; b < 16u; ...)`". */
  name: string;
  /** It holds the other line too: no barrier between the two can go anywhere inside it. */
  holdsBoth: boolean;
}

/** Whether an expression of `fn` differs between the invocations of a workgroup: it reads an invocation's own
 *  builtin (a subgroup lane's too), by declaration (uniformity.ts readsFrom). */
function invocationVarying(p: NonNullable<ReturnType<typeof parsedOrNone>>, fn: AstNode) {
  return readsFrom(p, fn, builtinParams(fn, (x) => INVOCATION_BUILTINS.has(x) || x === 'subgroup_invocation_id', p));
}

/**
 * The outermost `if`, `switch`, `for` or `while` of `code` whose condition differs between invocations (as
 * oppositeBranches judges) and whose body holds line `line`: WGSL's uniformity analysis refuses a barrier inside it,
 * so a barrier between `line` and line `other` goes before it (trial 209 B3: advice to put a workgroupBarrier()
 * before a load inside `if (v < params.cap)` could not compile; trial 212 B2: inside a `switch` or such a loop), or,
 * where it holds `other` too, nowhere inside it (trial 212 B1: an inner `if` was named where an outer one held the
 * update and the load both). Undefined for code that does not parse, or where none holds the line.
 */
export function varyingBlockAround(code: string, line: number, other: number): VaryingBlock | undefined {
  const p = parsedOrNone(code);
  if (!p) return undefined;
  const holds = (nodes: AstNode[], at: number) => nodes.some((x) => walkFinds(x, (n) => n.line === at));
  const bodies = (n: AstNode): AstNode[] => [
    ...((n.body as AstNode[] | undefined) ?? []),
    ...((n.elseif as AstNode[] | undefined) ?? []).flatMap((e) => (e.body as AstNode[] | undefined) ?? []),
    ...((n.else as AstNode[] | undefined) ?? []),
    ...((n.cases as AstNode[] | undefined) ?? []).flatMap((c) => (c.body as AstNode[] | undefined) ?? []),
  ];
  let found: VaryingBlock | undefined;
  for (const fn of p.ast.filter((f) => f.astNodeType === 'function')) {
    const varying = invocationVarying(p, fn);
    walk([fn], (n) => {
      if (found || !['if', 'switch', 'for', 'while'].includes(n.astNodeType)) return;
      const conditions = [n.condition as AstNode | undefined, ...((n.elseif as AstNode[] | undefined) ?? []).map((e) => e.condition as AstNode)].filter((c): c is AstNode => !!c);
      const inside = bodies(n);
      if (!holds(inside, line) || !conditions.some((c) => varying(c, n))) return;
      const c = p.text(n.condition as AstNode);
      const name = n.astNodeType === 'for' ? `the loop \`for (...; ${c}; ...)\`` : n.astNodeType === 'while' ? `the loop \`while (${c})\`` : `the \`${n.astNodeType} (${c})\``;
      found = { line: n.line as number, name, holdsBoth: holds(inside, other) || n.line === other };
    });
  }
  return found;
}

/**
 * The line of entry point `entry`'s own body that leads to line `line` of `code`: the line itself where the entry
 * point holds it, else the first call in its body into the helper that holds it (to any depth), with that helper's
 * name. Where a barrier between two accesses goes when one is in a helper (trial 161 B1: a read in `blur3` at line 20
 * and a write at line 26 were told "a barrier is missing after line 20 and before line 26", where `main` calls blur3
 * at line 35). Undefined for code that does not parse, or a line no call from the entry point reaches.
 */
export function entryLine(code: string, entry: string, line: number): { line: number; via?: string } | undefined {
  const p = parsedOrNone(code);
  if (!p) return undefined;
  const fns = new Map(p.ast.filter((f) => f.astNodeType === 'function').map((f) => [f.name as string, f]));
  const spans = (f: AstNode) => p.position(f.start as number).line <= line && line <= p.position(f.end as number).line;
  const holder = [...fns.values()].find(spans);
  const top = fns.get(entry);
  if (!holder || !top) return undefined;
  if (holder === top) return { line };
  const reaches = (f: AstNode, seen = new Set<AstNode>()): boolean => {
    if (f === holder) return true;
    if (seen.has(f)) return false;
    seen.add(f);
    return walkFinds(f, (m) => isCall(m) && fns.has(m.name as string) && reaches(fns.get(m.name as string)!, seen));
  };
  let at: number | undefined;
  walk([top], (m) => {
    if (at === undefined && isCall(m) && fns.has(m.name as string) && reaches(fns.get(m.name as string)!)) at = m.line as number;
  });
  return at === undefined ? undefined : { line: at, via: holder.name as string };
}

/**
 * Where both sides of a race are at lines of one helper (not an entry point), where its barrier goes: in the entry
 * point that calls it, as a clause ("line 15 is in fold, which main calls at line 28: ..."); else undefined. Trial
 * 163 B3: a tree whose loop in main called `fold` with no barrier after was told "add a workgroupBarrier() between
 * them" of two accesses at fold's one line, under its `if`.
 */
export function helperCallClause(code: string, lines: readonly number[], fix: string): string | undefined {
  const p = parsedOrNone(code);
  if (!p || !lines.length) return undefined;
  const fns = p.ast.filter((f) => f.astNodeType === 'function');
  const spans = (f: AstNode, line: number) => p.position(f.start as number).line <= line && line <= p.position(f.end as number).line;
  const holder = fns.find((f) => lines.every((l) => spans(f, l)));
  if (!holder || isComputeEntry(holder)) return undefined;
  for (const e of fns.filter(isComputeEntry)) {
    let at: number | undefined;
    walk([e], (m) => (at ??= isCall(m) && m.name === holder.name ? (m.line as number) : undefined));
    if (at !== undefined) return `line ${lines[0]} is in ${holder.name as string}, which ${e.name as string} calls at line ${at}: put the ${fix} in ${e.name as string}, between that call and the next, where every invocation of the workgroup reaches it`;
  }
  return undefined;
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
  // And every store at the write's lines (a GPU run's candidates) must be it too: a bitonic tile's load `tile[t] = ...`
  // beside the compare's `tile[l] = b` was told "both reach it as tile[l]", where the load lacked its barrier (trial
  // 160 B1).
  const [only] = reads;
  const found = reads.size === 1 && written.size === 1 && written.has(only!) ? only : undefined;
  // Only an index that varies with the invocation says "each owns its element": one from the workgroup's id or a
  // uniform is shared by design, a seed and an update taking turns (`dst[w] = tree[0]`, then `dst[w] = dst[w] +
  // tree[1]`), which a barrier orders.
  if (!found) return undefined;
  // By declaration, not by name (trial 221 B1: a Cholesky's `t[j * LD + j]` over the column loop's `j` was taken to
  // vary with the invocation, as an earlier loop's `let j = e % n` from the local index did).
  let varies = false;
  for (const fn of p.ast.filter((f) => f.astNodeType === 'function')) {
    const varying = invocationVarying(p, fn);
    walk([fn], (n) => {
      if (varies || n.astNodeType !== 'varExpr' || n.name !== variable || !n.postfix || p.text(n) !== found) return;
      walk([n.postfix as AstNode], (m) => (varies ||= m.astNodeType === 'varExpr' && varying(m)));
    });
  }
  return varies ? found : undefined;
}

