// Do engines agree bit for bit? With one seed, case i of a property is the same input on every engine, so its output
// hashes can be compared directly. Divergences are classified by who disagrees with whom: the WGSL compilers
// (Tint in Dawn and Chromium, Naga in Firefox and Deno) are the usual suspects, and a split exactly along that line
// is named as such.
import type { PropertyResult } from '../results/schema.ts';
import { HASH_ALGORITHMS, hashAlgorithm, type HashAlgorithm } from '../results/case-hash.ts';

/** How a report names a case hash algorithm older than the newest in a comparison. */
const OLDER: Record<HashAlgorithm, string> = {
  'murmur3-check-draws': 'MurmurHash3 of the outputs',
  'murmur3-outputs': "MurmurHash3 of the outputs, of cases drawn as before 2026-12-01's round sixteen: another case from the tenth on",
  murmur3: 'MurmurHash3 of every buffer, inputs and scratch too',
  fnv1a: 'FNV-1a',
};

/** Where `kernelscope view` listens unless told otherwise (--port): the report's "side by side" links point there. */
export const VIEW_PORT = 7357;

/**
 * The visual debugger's side-by-side view of one divergent case: the first backend of each of the two largest groups
 * of identical bits, run again by `kernelscope view` from the seed and case index (outputs are not kept in
 * results.json), with the hashes the run recorded so the page can say whether it reproduced them.
 */
export function compareHref(c: Pick<CrossEngineComparison, 'kernel' | 'property' | 'seed' | 'compared'>, d: CaseDivergence,
  base = `http://127.0.0.1:${VIEW_PORT}/`): string {
  const [a, b] = [...d.groups].sort((x, y) => y.engines.length - x.engines.length);
  const q = new URLSearchParams({
    compare: '1', kernel: c.kernel, property: c.property, engines: `${a!.backends[0]},${b!.backends[0]}`,
    seed: String(c.seed), cases: String(c.compared), case: String(d.index), hashes: `${a!.hash},${b!.hash}`,
  });
  return `${base}?${q}`;
}

export type Compiler = 'tint' | 'naga' | 'interpreter';

export const COMPILER_OF: Record<string, Compiler> = {
  dawn: 'tint', chromium: 'tint', firefox: 'naga', deno: 'naga', interpreter: 'interpreter',
};

/** What one case's disagreement looks like. */
export type DivergenceKind =
  | 'tint-vs-naga' // every Tint engine agrees, every Naga engine agrees, and the two differ
  | 'within-compiler' // engines sharing a compiler disagree (different adapters or drivers)
  | 'interpreter-only' // every GPU engine agrees; only the CPU interpreter differs
  // Tint engines agree, Naga engines agree, the two differ, and the interpreter differs from both: three outputs, so
  // not a split exactly along the compilers' line (a trial's was labelled tint-vs-naga).
  | 'tint-vs-naga-vs-interpreter'
  | 'mixed';

export interface CaseDivergence {
  index: number;
  kind: DivergenceKind;
  /** Engines grouped by the bits they produced; `maxUlp` per engine when the runs recorded caseMaxUlp. */
  groups: { hash: string; engines: string[]; backends: string[]; maxUlp?: (number | null)[] }[];
}

export interface EngineCases {
  engine: string;
  backend: string;
  source: string;
  result: PropertyResult;
}

export interface CrossEngineComparison {
  kernel: string;
  property: string;
  seed: number;
  engines: string[];
  /** Cases compared: those at least two engines ran. Case i is the same draw on every engine of one seed, whatever
   *  its runs (fc.check's stream), so a run of fewer cases (the interpreter's at a small --runs) is compared where it
   *  has them, and the longer runs among themselves past its end; an engine's skipped case, hash '', is left out. */
  compared: number;
  /** Engines that ran fewer of the compared cases than `compared` (a case over the interpreter's budget), with how
   *  many they ran: "5 / 5" beside an interpreter that ran 4 said more than it compared (trial 60 B3). */
  partial?: Record<string, number>;
  identical: number;
  divergent: CaseDivergence[];
  counts: Record<DivergenceKind, number>;
  notCompared: { engine: string; reason: string }[];
  summary: string;
}

interface Entry {
  kernel: string;
  property: string;
  engine: string;
  seed: number;
  source: string;
  result?: PropertyResult;
  status: string;
}

/** Groups results by (kernel, property, seed) and compares the engines in each group. */
export function compareAcrossEngines(cells: (Entry & { also?: { source: string; seed: number; result: PropertyResult }[] })[]): CrossEngineComparison[] {
  const groups = new Map<string, Entry[]>();
  const add = (e: Entry) => {
    const k = `${e.kernel}\u0000${e.property}\u0000${e.seed}`;
    const g = groups.get(k);
    if (g) g.push(e);
    else groups.set(k, [e]);
  };
  for (const c of cells) {
    add(c);
    for (const a of c.also ?? []) add({ ...c, seed: a.seed, source: a.source, result: a.result, status: a.result.status });
  }
  const out: CrossEngineComparison[] = [];
  for (const entries of groups.values()) {
    const first = entries[0]!;
    const usable: EngineCases[] = [];
    const notCompared: { engine: string; reason: string }[] = [];
    for (const e of entries) {
      if (e.status === 'unavailable' || !e.result) notCompared.push({ engine: e.engine, reason: 'engine unavailable' });
      else if (!e.result.caseHashes?.length) notCompared.push({ engine: e.engine, reason: 'no case hashes recorded' });
      else if (usable.some((u) => u.engine === e.engine)) notCompared.push({ engine: e.engine, reason: `second run of this engine (${e.source})` });
      else usable.push({ engine: e.engine, backend: e.result.backend, source: e.source, result: e.result });
    }
    /** Takes the engines `apart` out of the comparison, saying why. */
    const leaveOut = (apart: (e: EngineCases) => boolean, why: (e: EngineCases) => string) => {
      for (const e of usable.filter(apart)) {
        notCompared.push({ engine: e.engine, reason: why(e) });
        usable.splice(usable.indexOf(e), 1);
      }
    };
    // Hashes of two algorithms (a results.json from an older kernelscope, merged with a newer one) differ whatever the
    // outputs: compare the newest algorithm's engines, and say why the others were left out. A run whose every case
    // was skipped has no hash to tell: it is taken as the newest.
    const algorithm = (e: EngineCases) => {
      const h = e.result.caseHashes!.find(Boolean);
      return h === undefined ? HASH_ALGORITHMS[0] : hashAlgorithm(h);
    };
    const newest = HASH_ALGORITHMS.find((a) => usable.some((e) => algorithm(e) === a));
    leaveOut((e) => algorithm(e) !== newest, (e) => `its case hashes are an older kernelscope's (${OLDER[algorithm(e)]}, in ${e.source}): run it again to compare`);
    // Engines that ran other code under this kernel's name (results.json's sourceHash) differ whatever the engines
    // do: compare those that ran the code most of them ran (a file from before sourceHash is taken as that code).
    const tally = new Map<string, number>();
    for (const { result: { sourceHash: h } } of usable) if (h) tally.set(h, (tally.get(h) ?? 0) + 1);
    const common = [...tally].sort((a, b) => b[1] - a[1])[0]?.[0];
    leaveOut((e) => !!e.result.sourceHash && e.result.sourceHash !== common, (e) => `it ran other code for this kernel (its WGSL, spec or the library modules they import differ, in ${e.source})`);
    if (usable.length < 2) continue;
    out.push({ ...compareCases(first.kernel, first.property, first.seed, usable), notCompared });
  }
  return out.sort((a, b) => b.divergent.length - a.divergent.length || (a.kernel + a.property < b.kernel + b.property ? -1 : 1));
}

/** Compares the same (kernel, property, seed) on several engines, case by case. */
export function compareCases(kernel: string, property: string, seed: number, engines: EngineCases[]): Omit<CrossEngineComparison, 'notCompared'> {
  const drawn = Math.max(...engines.map((e) => e.result.caseHashes?.length ?? 0));
  const divergent: CaseDivergence[] = [];
  const counts: Record<DivergenceKind, number> = { 'tint-vs-naga': 0, 'tint-vs-naga-vs-interpreter': 0, 'within-compiler': 0, 'interpreter-only': 0, mixed: 0 };
  let compared = 0;
  const ranCount = new Map<string, number>();
  for (let i = 0; i < drawn; i++) {
    // An engine that skipped the case (over the interpreter's budget: hash '') has no output to compare.
    const ran = engines.filter((e) => (e.result.caseHashes![i] ?? '') !== '');
    if (ran.length < 2) continue;
    compared++;
    for (const e of ran) ranCount.set(e.engine, (ranCount.get(e.engine) ?? 0) + 1);
    const byHash = new Map<string, EngineCases[]>();
    for (const e of ran) {
      const h = e.result.caseHashes![i]!;
      const g = byHash.get(h);
      if (g) g.push(e);
      else byHash.set(h, [e]);
    }
    if (byHash.size === 1) continue;
    const kind = classify([...byHash.values()].map((g) => g.map((e) => e.backend)));
    counts[kind]++;
    divergent.push({
      index: i,
      kind,
      groups: [...byHash.entries()].map(([hash, g]) => {
        const ulps = g.map((e) => {
          const u = e.result.caseMaxUlp?.[i];
          return typeof u === 'number' ? u : null;
        });
        return { hash, engines: g.map((e) => e.engine), backends: g.map((e) => e.backend), ...(ulps.some((u) => u !== null) ? { maxUlp: ulps } : {}) };
      }),
    });
  }
  const names = engines.map((e) => e.engine);
  const partial = Object.fromEntries(names.filter((n) => (ranCount.get(n) ?? 0) < compared).map((n) => [n, ranCount.get(n) ?? 0]));
  return { kernel, property, seed, engines: names, compared, ...(Object.keys(partial).length ? { partial } : {}), identical: compared - divergent.length, divergent, counts,
    summary: summarise(kernel, property, seed, engines, compared, divergent.length, counts) };
}

/** `groups` holds, per distinct output, the backends that produced it. */
export function classify(groups: string[][]): DivergenceKind {
  const compilersIn = (g: string[]) => new Set(g.map((b) => COMPILER_OF[b] ?? b));
  const gpuGroups = groups.map((g) => g.filter((b) => COMPILER_OF[b] !== 'interpreter')).filter((g) => g.length);
  if (gpuGroups.length <= 1) return 'interpreter-only';
  // Engines with the same compiler in different groups: the compiler is not what separates them.
  for (const c of ['tint', 'naga'] as const) {
    if (gpuGroups.filter((g) => compilersIn(g).has(c)).length > 1) return 'within-compiler';
  }
  const tint = gpuGroups.findIndex((g) => compilersIn(g).has('tint'));
  const naga = gpuGroups.findIndex((g) => compilersIn(g).has('naga'));
  if (gpuGroups.length === 2 && tint >= 0 && naga >= 0 && tint !== naga) {
    // The interpreter's output alone in its group is a third answer: the split is not only Tint's against Naga's.
    const interpreterAlone = groups.some((g) => g.length && g.every((b) => COMPILER_OF[b] === 'interpreter'));
    return interpreterAlone ? 'tint-vs-naga-vs-interpreter' : 'tint-vs-naga';
  }
  return 'mixed';
}

function summarise(kernel: string, property: string, seed: number, engines: EngineCases[], compared: number, nDivergent: number,
  counts: Record<DivergenceKind, number>): string {
  const head = `${kernel}/${property} (seed ${seed}, ${engines.length} engines)`;
  if (compared === 0) return `${head}: no case recorded by every engine`;
  if (nDivergent === 0) return `${head}: all ${compared} cases bit-identical`;
  const order = Object.keys(COMPILER_OF);
  const backends = (c: Compiler) => [...new Set(engines.filter((e) => COMPILER_OF[e.backend] === c).map((e) => e.backend))]
    .sort((a, b) => order.indexOf(a) - order.indexOf(b)).join(', ');
  const parts: string[] = [];
  // Trial 105 B2: a subnormal SwiftShader flushed and llvmpipe kept read as the compilers' doing. Here each compiler's
  // engines run on one software device (Tint on SwiftShader, Naga on llvmpipe), so the split may be either's.
  if (counts['tint-vs-naga']) parts.push(`${counts['tint-vs-naga']} split Tint (${backends('tint')}) vs Naga (${backends('naga')}) (the compilers, or the devices under them where each compiler's engines share one, as SwiftShader and llvmpipe do here: a subnormal one flushes and the other keeps is the devices')`);
  if (counts['tint-vs-naga-vs-interpreter']) {
    parts.push(`${counts['tint-vs-naga-vs-interpreter']} split three ways: Tint (${backends('tint')}), Naga (${backends('naga')}) and the interpreter each differ`);
  }
  if (counts['within-compiler']) parts.push(`${counts['within-compiler']} differ between engines sharing a compiler`);
  if (counts['interpreter-only']) parts.push(`${counts['interpreter-only']} differ only on the interpreter`);
  if (counts.mixed) parts.push(`${counts.mixed} mixed`);
  return `${head}: ${nDivergent} of ${compared} cases differ in bits; ${parts.join(', ')}`;
}
