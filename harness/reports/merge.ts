// Runs from several machines become one matrix: (kernel, property) rows × engine columns, where a column is a
// backend on one adapter, so Dawn on SwiftShader and Dawn on an NVIDIA card stay apart. Pure data in, data out:
// the HTML client imports these types.
import { vendorWord, type EngineInfo } from '../engines/engine.ts';
import { refusedByTint, TINT, type TintRefusal } from '../results/compilers.ts';
import type { PropertyResult, ResultsFile } from '../results/schema.ts';
import { compareAcrossEngines, type CrossEngineComparison } from './crossengine.ts';
import { runCommand } from './shard.ts';

export type CellStatus = 'pass' | 'fail' | 'error' | 'skip' | 'unavailable';

export interface EngineColumn {
  /** "dawn · google swiftshader"; the backend alone when the engine named no adapter. */
  key: string;
  backend: EngineInfo['backend'];
  adapterLabel: string;
  /** Unavailable on every run that named it. */
  status: 'ok' | 'unavailable';
  /** Why it was unavailable, per source file. */
  reasons: { source: string; reason: string }[];
  /** The engine entry as each run saw it (versions may differ between machines). */
  seen: { source: string; info: EngineInfo }[];
}

export interface MergedCell {
  kernel: string;
  property: string;
  engine: string;
  status: CellStatus;
  /** The result shown; absent for an engine that was unavailable and wrote none. */
  result?: PropertyResult;
  /** Which file the shown result came from, and that run's seed. */
  source: string;
  seed: number;
  /** Further results for the same cell from other files (the cell shows the worst). */
  also?: { source: string; seed: number; result: PropertyResult }[];
  /** Every run this cell came from (two or more), in order of their paths: `result` is then the shown run's, with the
   *  cases summed and each figure of maxError the worst of those that computed one, whatever order the runs were given. */
  from?: { source: string; seed: number; status: CellStatus; result: PropertyResult }[];
  /** Its runs ran different code under this kernel's name (sourceHash): one label per code, e.g. "runF/results.json
   *  (--wgsl add_f16.wgsl)". Such a cell is not one kernel's result: a skip or an engine not run outranks a pass. */
  mixedCode?: string[];
  reason?: string;
  /** Set by applyExpectations. */
  expectation?: { expected: 'fail' | 'error' | 'skip'; reason: string; matched: boolean };
}

export interface RunSource {
  path: string;
  seed: number;
  runs: number;
  startedAt: string;
  finishedAt: string | null;
  complete: boolean;
  host?: string;
  platform?: string;
  node?: string;
  /** The kernelscope build that made the run (results/build.ts), where the file records it. */
  kernelscope?: string;
  shard?: string;
  argv?: string[];
  resultCount: number;
  engines: string[];
  /** Of a run that did not finish: its retry merged beside it (the same command, shard, seed and code, started after
   *  it and run to the end on its engines), which holds every result it would have written. */
  supersededBy?: string;
}

/** An entry of expectations.json as written (its index in the file, and its patterns): what a user edits. */
export interface ExpectationEntry { index: number; kernel: string; property: string; engine: string; adapter?: string }

export interface MergedReport {
  generatedAt: string;
  runs: RunSource[];
  engines: EngineColumn[];
  rows: { kernel: string; property: string }[];
  cells: MergedCell[];
  warnings: string[];
  crossEngine: CrossEngineComparison[];
  /** Filled by applyExpectations: expectations whose result passes now, and those that matched nothing. */
  staleExpectations?: { kernel: string; property: string; engine: string; expected: string; reason: string; cellEngine: string;
    /** The entry of expectations.json that covers this passing result, and how many results (that ran) it covers. */
    entry: ExpectationEntry; covered: number }[];
  /** The expectations file applied and its number of entries, where it had any (said in the summary). */
  expectationsFile?: string;
  /** The expectations file looked for that had no entry (absent or empty): said where a result fails or errors. */
  expectationsNone?: string;
  /** A shard's own report (`test --shard I/N` reporting its run): its other shards are not expected in it. */
  shardAlone?: boolean;
  unusedExpectations?: { kernel: string; property: string; engine: string; adapter?: string; reason: string; entry: ExpectationEntry }[];
  /** Entries expecting a failure or an error whose every covered result was skipped: `covered` is how many. */
  unexercisedExpectations?: { kernel: string; property: string; engine: string; adapter?: string; reason: string; entry: ExpectationEntry;
    expected: string; covered: number }[];
  /** The files as loaded, for writing the merged results.json. */
  sources: { path: string; data: ResultsFile }[];
}

/** Worse first: a cell with several results shows the worst of them. */
const SEVERITY: Record<CellStatus, number> = { error: 0, fail: 1, pass: 2, skip: 3, unavailable: 4 };
/** Of runs that ran different code, a pass of one says nothing about another that did not run: it never hides it. */
const MIXED_SEVERITY: Record<CellStatus, number> = { error: 0, fail: 1, skip: 2, unavailable: 3, pass: 4 };

export function adapterLabel(e: EngineInfo): string {
  const a = e.adapter;
  const words: string[] = [];
  // A decimal vendor id (wgpu's) as its vendor: a column read "deno · 65541" for Mesa's lavapipe.
  for (const w of [a?.vendor && vendorWord(a.vendor.trim()), a?.architecture]) {
    const t = w?.trim().toLowerCase();
    if (t && !words.includes(t)) words.push(t);
  }
  if (words.length) return words.join(' ');
  // A guess's reason stays in the adapter table: as a column and JUnit suite name the whole sentence read as one
  // (trial 60 B2: "firefox · probably lavapipe (llvmpipe): the browser hides the adapter's name, and its ...").
  if (a?.description?.trim()) return a.description.trim().split(': ')[0]!;
  if (a?.device?.trim()) return a.device.trim();
  // Firefox hides adapter.info, but its limits and features still tell one adapter from another.
  if (e.limits && Object.keys(e.limits).length) return `hidden adapter #${fingerprint(e)}`;
  return '';
}

export function engineKey(e: EngineInfo): string {
  const label = e.status === 'ok' || e.adapter ? adapterLabel(e) : '';
  return label ? `${e.backend} · ${label}` : e.backend;
}

function fingerprint(e: EngineInfo): string {
  const limits = Object.entries(e.limits ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = JSON.stringify([limits, [...(e.features ?? [])].sort()]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0').slice(0, 6);
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function mergeResults(files: { path: string; data: ResultsFile }[], now: Date = new Date()): MergedReport {
  const columns = new Map<string, EngineColumn>();
  const parts = new Map<string, MergedCell[]>();
  const rows = new Map<string, { kernel: string; property: string }>();
  const warnings: string[] = [];
  const runs: RunSource[] = [];
  const rowsPerFile: Set<string>[] = [];
  // Tint's compile errors by kernel and code (sourceHash), in any run: the interpreter's and naga's results of that
  // code become that error, as `test` makes them in one run (results/compilers.ts), and where, is warned once.
  const tint = new Map<string, TintRefusal & { path: string }>();
  for (const { path, data } of files) {
    for (const r of data.results) {
      const key = `${r.kernel}\u0000${r.sourceHash}`;
      if (r.compileError && r.status === 'error' && TINT.has(r.backend) && r.sourceHash && !tint.has(key)) tint.set(key, { backend: r.backend, error: r.error ?? 'a compile error', path });
    }
  }
  const refusedRuns = new Map<string, string>();

  for (const { path, data } of files) {
    const keyOfBackend = new Map<string, string>();
    const engineKeys: string[] = [];
    for (const info of data.engines) {
      const key = engineKey(info);
      if (keyOfBackend.has(info.backend)) {
        warnings.push(`${path}: engine ${info.backend} is listed twice; results are shown under ${keyOfBackend.get(info.backend)}`);
        continue;
      }
      keyOfBackend.set(info.backend, key);
      engineKeys.push(key);
      let col = columns.get(key);
      if (!col) {
        col = { key, backend: info.backend, adapterLabel: adapterLabel(info), status: info.status, reasons: [], seen: [] };
        columns.set(key, col);
      } else if (info.status === 'ok') col.status = 'ok';
      col.seen.push({ source: path, info });
      if (info.status === 'unavailable') col.reasons.push({ source: path, reason: info.reason ?? 'no reason given' });
    }

    const fileRows = new Set<string>();
    for (const r of data.results) {
      const rowKey = `${r.kernel}\u0000${r.property}`;
      fileRows.add(rowKey);
      if (!rows.has(rowKey)) rows.set(rowKey, { kernel: r.kernel, property: r.property });
      let key = keyOfBackend.get(r.backend);
      if (!key) {
        // A result for a backend the run never described (a crash before the engine entry was written).
        key = r.backend;
        keyOfBackend.set(r.backend, key);
        engineKeys.push(key);
        warnings.push(`${path}: results for ${r.backend}, which the run's engine list does not describe`);
        if (!columns.has(key)) columns.set(key, { key, backend: r.backend, adapterLabel: '', status: 'ok', reasons: [], seen: [] });
      }
      const info = data.engines.find((e) => e.backend === r.backend);
      const unavailable = info?.status === 'unavailable';
      const refusal = r.sourceHash ? tint.get(`${r.kernel}\u0000${r.sourceHash}`) : undefined;
      const refused = r.status !== 'error' && !unavailable ? refusedByTint(r.backend, refusal) : undefined;
      if (refused) refusedRuns.set(`${path}: ${r.kernel} on ${r.backend}`, `its results are errors: the same code did not compile on ${refusal!.backend} (${refusal!.path})`);
      const result: PropertyResult = refused ? { ...r, status: 'error', error: refused } : r;
      const status: CellStatus = unavailable ? 'unavailable' : result.status;
      addPart(parts, {
        kernel: r.kernel, property: r.property, engine: key, status, result, source: path, seed: data.seed,
        ...(unavailable ? { reason: info?.reason ?? r.error ?? 'engine unavailable' } : {}),
      });
    }
    rowsPerFile.push(fileRows);

    runs.push({
      path, seed: data.seed, runs: data.runs, startedAt: data.startedAt, finishedAt: data.finishedAt,
      complete: data.complete, resultCount: data.results.length, engines: engineKeys,
      ...(data.run ? { host: data.run.host, platform: data.run.platform, node: data.run.node, argv: data.run.argv } : {}),
      ...(typeof data.run?.kernelscope === 'string' ? { kernelscope: data.run.kernelscope } : {}),
      ...(data.run?.shard ? { shard: data.run.shard } : {}),
    });
  }

  for (const [what, why] of refusedRuns) warnings.push(`${what}: ${why}`);
  const cells = new Map<string, MergedCell>();
  /** Runs that drew the same cases of a cell, by their paths: how many cells. */
  const repeated = new Map<string, number>();
  for (const [id, list] of parts) cells.set(id, combine(list, warnings, repeated));
  for (const [paths, n] of repeated) warnings.push(`${paths} ran the same cases (the same seed and code) of ${n} result${n === 1 ? '' : 's'}: each counted once`);

  // An unavailable engine still gets a cell for every row its run covered: it shows, and counts, as not run.
  files.forEach(({ path, data }, i) => {
    const covered = rowsPerFile[i]!.size ? [...rowsPerFile[i]!] : [...rows.keys()];
    for (const info of data.engines) {
      if (info.status !== 'unavailable') continue;
      const key = engineKey(info);
      for (const rowKey of covered) {
        const row = rows.get(rowKey)!;
        const id = cellId(row.kernel, row.property, key);
        if (!cells.has(id)) {
          cells.set(id, { kernel: row.kernel, property: row.property, engine: key, status: 'unavailable', source: path,
            seed: data.seed, reason: info.reason ?? 'engine unavailable' });
        }
      }
    }
  });

  warnings.push(...differences(files, rowsPerFile));
  // A killed job beside its complete retry (trial 225 B4: the merge failed for "results it never wrote", which the
  // retry held): the same command (but where it writes), shard and seed, on the same engines and adapters (not
  // another machine's), started after it and running the code it ran (trial 226 A1: last night's complete run, of
  // older code, stood for tonight's killed one).
  const codes = files.map(({ data }) => new Map(data.results.map((x) => [x.kernel, x.sourceHash])));
  const sameCode = (a: number, b: number) => [...codes[a]!].every(([kernel, hash]) => codes[b]!.get(kernel) === hash);
  runs.forEach((r, i) => {
    if (r.complete) return;
    const j = runs.findIndex((o) => o.complete && o.seed === r.seed && o.shard === r.shard && !!o.argv && !!r.argv && runCommand(o.argv) === runCommand(r.argv)
      && r.engines.every((e) => o.engines.includes(e)) && Date.parse(o.startedAt) >= Date.parse(r.startedAt));
    const retry = j >= 0 && sameCode(i, j) ? runs[j] : undefined;
    if (retry) r.supersededBy = retry.path;
    warnings.push(`${r.path}: partial run (complete: false), ${r.resultCount} results${retry ? `; ${retry.path} ran the same command, seed and code to the end after it, and stands for it` : ''}`);
  });

  const sortedRows = [...rows.values()].sort((a, b) => byText(a.kernel, b.kernel) || byText(a.property, b.property));
  const engineOrder = [...columns.values()].sort((a, b) => byText(a.key, b.key));
  const cellList = [...cells.values()].sort((a, b) =>
    byText(a.kernel, b.kernel) || byText(a.property, b.property) || byText(a.engine, b.engine));

  return {
    generatedAt: now.toISOString(),
    runs,
    engines: engineOrder,
    rows: sortedRows,
    cells: cellList,
    warnings,
    // Each run of a cell is compared on its own seed and code, as it ran.
    // Each run of a cell is compared as it ran (its own cases, seed and code), not as the cell's combined figures.
    crossEngine: compareAcrossEngines(cellList.map((c) => (c.from ? { ...c, result: shownRun(c).result } : c))),
    sources: files,
  };
}

export function cellId(kernel: string, property: string, engine: string) {
  return `${kernel}\u0000${property}\u0000${engine}`;
}

function addPart(parts: Map<string, MergedCell[]>, cell: MergedCell) {
  const id = cellId(cell.kernel, cell.property, cell.engine);
  const list = parts.get(id);
  if (list) list.push(cell);
  else parts.set(id, [cell]);
}

/** The run whose result a combined cell shows (its message, counterexample and notes). */
export function shownRun(cell: MergedCell): NonNullable<MergedCell['from']>[number] {
  return cell.from?.find((f) => f.source === cell.source && f.seed === cell.seed && f.status === cell.status) ?? cell.from![0]!;
}

/**
 * One cell from every run that computed it, the same whatever order the runs were named in: the worst status (ties to
 * the first path), the cases summed, and each figure of the error the worst any run reached (of runs of different
 * code, any run of the code shown). A trial's deno softmax
 * showed runA's 0.0089 of the bound or runB's 0.074 depending on argument order, and "cases 5" of the 10 that ran.
 */
function combine(list: MergedCell[], warnings: string[], repeated: Map<string, number>): MergedCell {
  if (list.length === 1) return list[0]!;
  const sorted = [...list].sort((a, b) => byText(a.source, b.source) || a.seed - b.seed);
  const hashes = [...new Set(sorted.map((p) => p.result?.sourceHash).filter((h): h is string => !!h))];
  const rank = hashes.length > 1 ? MIXED_SEVERITY : SEVERITY;
  const shown = sorted.reduce((w, p) => (rank[p.status] < rank[w.status] ? p : w));
  // Of runs of different code, the figures are those of the code shown: a skip of a --wgsl version showed "1 × the
  // bound" of the library kernel that passed beside it.
  const results = sorted.map((p) => p.result!).filter((r) => r && (hashes.length < 2 || r.sourceHash === shown.result?.sourceHash));
  const errors = results.map((r) => r.maxError).filter((m): m is NonNullable<typeof m> => !!m);
  const worst = (k: 'abs' | 'ulp' | 'boundRatio') => Math.max(...errors.map((m) => m[k]));
  // Runs of one seed and one code drew the same cases (fast-check is deterministic for a seed): a full run merged with
  // its own shards, or one command run on two machines of one adapter, counted them twice (trial 148 B1). Counted once,
  // as the larger of them, and said.
  const bySeed = new Map<string, { runs: number; sources: string[] }>();
  sorted.forEach((p) => {
    const r = p.result;
    if (!r || !results.includes(r)) return;
    const key = `${p.seed}\u0000${r.sourceHash ?? ''}`;
    const seen = bySeed.get(key) ?? bySeed.set(key, { runs: 0, sources: [] }).get(key)!;
    seen.runs = Math.max(seen.runs, r.runs);
    seen.sources.push(p.source);
  });
  for (const { sources } of bySeed.values()) {
    if (sources.length > 1) {
      const pair = [...new Set(sources)].join(', ');
      repeated.set(pair, (repeated.get(pair) ?? 0) + 1);
    }
  }
  const result: PropertyResult | undefined = shown.result && {
    ...shown.result,
    runs: [...bySeed.values()].reduce((s, g) => s + g.runs, 0),
    durationMs: results.reduce((s, r) => s + r.durationMs, 0),
    ...(errors.length ? { maxError: { abs: worst('abs'), ulp: worst('ulp'), boundRatio: worst('boundRatio') } } : {}),
  };
  const from = sorted.filter((p) => p.result).map((p) => ({ source: p.source, seed: p.seed, status: p.status, result: p.result! }));
  const also = from.filter((f) => f.result !== shown.result).map(({ source, seed, result: r }) => ({ source, seed, result: r }));
  const mixedCode = hashes.length > 1 ? hashes.map((h) => {
    const own = sorted.filter((p) => p.result?.sourceHash === h);
    const wgsl = own.find((p) => p.result?.wgsl)?.result?.wgsl;
    return `${own.map((p) => p.source).join(', ')} (${wgsl ? `--wgsl ${wgsl}` : 'library WGSL'})`;
  }) : undefined;
  const statuses = [...new Set(sorted.map((p) => p.status))];
  if (statuses.length > 1) {
    warnings.push(`${shown.kernel}/${shown.property} on ${shown.engine}: ${sorted.map((p) => `${p.status} in ${p.source}`).join(', ')}; ` +
      `the matrix shows ${shown.status}${!mixedCode ? '' : statuses.includes('pass') && SEVERITY[shown.status] > SEVERITY.pass
      ? ' (they ran different code: a pass of one never hides what another did not run)' : ' (they ran different code)'}`);
  }
  return { ...shown, ...(result ? { result } : {}), also, from, ...(mixedCode ? { mixedCode } : {}) };
}

/** The FILE of a `--wgsl KERNEL=FILE` (or `--wgsl=KERNEL=FILE`) in a run's command line. */
function wgslArgument(argv: string[], kernel: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i] === '--wgsl' ? argv[i + 1] : argv[i]!.startsWith('--wgsl=') ? argv[i]!.slice('--wgsl='.length) : undefined;
    if (value?.startsWith(`${kernel}=`)) return value.slice(kernel.length + 1);
  }
  return undefined;
}

/** What made the merged runs not quite comparable: seeds, case counts, and which kernels and properties ran. */
function differences(files: { path: string; data: ResultsFile }[], rowsPerFile: Set<string>[]): string[] {
  if (files.length < 2) return [];
  const out: string[] = [];
  const distinct = <T>(xs: T[]) => [...new Set(xs)];
  const list = (xs: (string | number)[]) => xs.length <= 2 ? xs.join(' and ') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;
  const seeds = distinct(files.map((f) => f.data.seed));
  if (seeds.length > 1) {
    out.push(`merged runs differ: seeds ${list(seeds)} (cases drawn differ, so bits are compared across engines only within one seed)`);
  }
  const counts = distinct(files.map((f) => f.data.runs));
  if (counts.length > 1) out.push(`merged runs differ: runs ${list(counts)} cases per property`);
  // One kernel name, two codes (a --wgsl run beside the library's, or a kernel changed between runs): its row holds
  // two kernels' results.
  const codes = new Map<string, Map<string, string[]>>();
  for (const f of files) {
    for (const r of f.data.results) {
      if (!r.sourceHash) continue;
      const byHash = codes.get(r.kernel) ?? codes.set(r.kernel, new Map()).get(r.kernel)!;
      const paths = byHash.get(r.sourceHash) ?? byHash.set(r.sourceHash, []).get(r.sourceHash)!;
      const file = wgslArgument(f.data.run?.argv ?? [], r.kernel);
      const label = file ? `${f.path} (--wgsl ${r.kernel}=${file})` : f.path;
      if (!paths.includes(label)) paths.push(label);
    }
  }
  // Trial 93 B1: shards of one library run by two kernelscope builds were said to have run different code, the user's,
  // when the hash's recipe had changed; and two builds may judge under different bounds. Named where they differ.
  const builds = new Map<string, string[]>();
  for (const f of files) {
    const b = f.data.run?.kernelscope ?? 'a build that did not record itself';
    builds.set(b, [...(builds.get(b) ?? []), f.path]);
  }
  const buildsDiffer = builds.size > 1;
  if (buildsDiffer) {
    out.push(`merged runs differ: they were made by different kernelscope builds, ${[...builds].map(([b, paths]) => `${b} (${list(paths)})`).join(' against ')}; ` +
      `bounds and the code hash may differ between builds: run every part with one build for a report that compares like with like`);
  }
  for (const [kernel, byHash] of codes) {
    if (byHash.size < 2) continue;
    out.push(`merged runs differ: kernel '${kernel}' ran different code (its WGSL, spec or the library modules they import${buildsDiffer ? ', or only the kernelscope build that hashed them' : ''}): ` +
      `${[...byHash.values()].map((p) => list(p)).join(' against ')}; ` +
      `a cell of its row that both ran shows the worst of their results (a skip or an engine not run outranks a pass), is marked as mixed code, and bits are compared across engines only within one code`);
  }
  // Shards of one run cover different rows by design; only unsharded runs are expected to cover the same set.
  const unsharded = files.map((f, i) => ({ f, rows: rowsPerFile[i]! })).filter((x) => !x.f.data.run?.shard && x.f.data.complete);
  if (unsharded.length > 1) {
    const all = new Set(unsharded.flatMap((x) => [...x.rows]));
    for (const x of unsharded) {
      const missing = [...all].filter((r) => !x.rows.has(r)).map((r) => r.replace('\u0000', '/')).sort(byText);
      if (missing.length) {
        const shown = missing.slice(0, 4).join(', ') + (missing.length > 4 ? `, and ${missing.length - 4} more` : '');
        out.push(`merged runs differ: kernel/property sets: ${x.f.path} lacks ${shown}`);
      }
    }
  }
  return out;
}
