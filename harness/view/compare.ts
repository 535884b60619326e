// One case on two engines, side by side: what `GET /api/compare` answers. results.json keeps per case and engine
// only a hash of the output bits and the largest ULP distance from the reference (caseHashes, caseMaxUlp), never the
// outputs, and a saved counterexample keeps one engine's output of the first run. So the case is run again here on
// both engines, from the seed and case index (the runner's own draws: property-runner's sampleDraws) or from a
// saved counterexample's shrunk draw, and each engine's new hash is checked against the one the run recorded: the
// page says whether the re-run reproduced the bits it is explaining.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendId, Engine } from '../engines/engine.ts';
import { DeviceError } from '../gpu/batch.ts';
import { BACKENDS } from '../engines/engine.ts';
import { openEngine } from '../engines/open.ts';
import { decodeArray, decodeDraw, parseCounterexample, type EncodedArray } from '../run/fixture.ts';
import { executeDraws, SAME_EARLY_DRAWS, sampleDraws } from '../run/property-runner.ts';
import { caseHashLike, HASH_ALGORITHMS, hashAlgorithm } from '../results/case-hash.ts';
import { kernelNames, LIBRARY, loadKernel, withWgsl } from '../run/registry.ts';
import { isTraceProperty } from '../run/trace-properties.ts';
import type { RunOutput } from '../spec.ts';
import { BUNDLE_MIME, encodeBundle, type BundleArray } from './bundle.ts';
import { fixtureWgsl } from './fixture-wgsl.ts';

export interface CompareRequest {
  kernel: string;
  property: string;
  engines: [BackendId, BackendId];
  /** From a run: its seed, how many cases it drew (its caseHashes' length) and the case's index among them. */
  seed?: number;
  cases?: number;
  index?: number;
  /** The run's recorded hash per engine (same order as `engines`), to say whether the re-run reproduced it. */
  hashes?: (string | undefined)[];
  /** Or a saved counterexample (its path); its engine's saved output is checked against the re-run. */
  fixturePath?: string;
}

export interface CompareEngine {
  id: BackendId;
  adapter: string;
  /** The re-run's output hash (results/case-hash.ts), '' when the engine skipped the case or could not start. */
  hash: string;
  recordedHash?: string;
  /** Why there is no output: the engine could not start, skipped the case, or failed. */
  problem?: string;
}

export interface CompareMeta {
  kernel: string;
  property: string;
  origin: string;
  engines: CompareEngine[];
  /** Each run of the case (a property may run the kernel several times per case): its shape and output names. */
  runs: { shape: unknown; outputs: string[]; types: Record<string, string> }[];
  /** For a counterexample: whether its engine's re-run gave the saved output of the first run, bit for bit. */
  savedReproduced?: boolean;
}

/** Parses the query; a missing or wrong field is a one-line error naming it. */
export function parseCompareQuery(q: URLSearchParams, fixturePath: (id: string) => string | undefined): CompareRequest {
  const need = (k: string) => {
    const v = q.get(k);
    if (!v) throw new Error(`compare: missing '${k}' in the query`);
    return v;
  };
  const engines = need('engines').split(',');
  if (engines.length !== 2 || engines[0] === engines[1] || engines.some((e) => !(BACKENDS as readonly string[]).includes(e))) {
    throw new Error(`compare: 'engines' must be two different ones of ${BACKENDS.join(', ')}, comma-separated (got '${q.get('engines')}')`);
  }
  const base = { kernel: need('kernel'), property: need('property'), engines: engines as [BackendId, BackendId] };
  if (q.get('fixture')) {
    const p = fixturePath(q.get('fixture')!);
    if (!p) throw new Error(`compare: no saved counterexample '${q.get('fixture')}'`);
    return { ...base, fixturePath: p };
  }
  const int = (k: string) => {
    const n = Number(need(k));
    if (!Number.isInteger(n) || n < 0) throw new Error(`compare: '${k}' must be a whole number ≥ 0 (got '${q.get(k)}')`);
    return n;
  };
  const r = { ...base, seed: int('seed'), cases: int('cases'), index: int('case'), hashes: (q.get('hashes') ?? '').split(',').map((h) => h || undefined) };
  if (r.index >= r.cases) throw new Error(`compare: case ${r.index} is past the ${r.cases} cases drawn`);
  return r;
}

const bitsEqual = (a: BundleArray, b: BundleArray) => {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
};

/** Engines opened for comparisons, kept for the server's life (a browser or Deno takes seconds to start). */
export class EnginePool {
  private open = new Map<BackendId, Promise<Engine>>();
  get(id: BackendId): Promise<Engine> {
    let e = this.open.get(id);
    if (!e) {
      e = openEngine(id);
      this.open.set(id, e);
      e.catch(() => this.open.delete(id));
    }
    return e;
  }
  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((p) => p.then((e) => e.close(), () => undefined)));
    this.open.clear();
  }
}

/** Runs the case on both engines; the bundle holds `ENGINE/RUN/BUFFER`, `reference/RUN/BUFFER`, `input/RUN/BUFFER`. */
export async function compareCase(pool: EnginePool, r: CompareRequest, library = LIBRARY): Promise<Uint8Array> {
  // The fixture's kernel alone: another's broken spec does not stop the page.
  let kernel = await loadKernel(library, r.kernel);
  if (!kernel) throw new Error(`compare: no kernel '${r.kernel}' (kernels: ${kernelNames(library).join(', ')})`);
  const fx = r.fixturePath ? parseCounterexample(readFileSync(r.fixturePath, 'utf8'), r.fixturePath) : undefined;
  const w = fx ? fixtureWgsl(fx, r.fixturePath!, kernel.program.spec, join(library, 'kernels')) : undefined;
  if (w) {
    // The WGSL the failure was found with (`test --wgsl`), as the page shows it; gone is an error, changed is said.
    if (w.source === undefined) throw new Error(`compare: ${w.problem}`);
    kernel = withWgsl(kernel, w.path);
  }
  const prop = kernel.properties.find((p) => p.name === r.property);
  if (!prop) throw new Error(`compare: kernel '${r.kernel}' has no property '${r.property}'`);
  if (isTraceProperty(prop)) throw new Error(`compare: ${r.property} is judged on the interpreter's access trace; it has no outputs to compare`);
  let draw: unknown;
  let origin: string;
  let saved: { backend: string; actual: Record<string, BundleArray> } | undefined;
  if (fx) {
    if (fx.kernel !== r.kernel || fx.property !== r.property) throw new Error(`compare: ${r.fixturePath} is ${fx.kernel}/${fx.property}, not ${r.kernel}/${r.property}`);
    draw = decodeDraw(fx.draw);
    origin = `the saved counterexample's shrunk case (seed ${fx.seed}, path ${fx.path}${fx.wgsl ? `, WGSL ${fx.wgsl}` : ''})${w?.problem ? `; ${w.problem}` : ''}`;
    saved = { backend: fx.backend, actual: Object.fromEntries(Object.entries(fx.actual).map(([k, v]) => [k, decodeArray(v)])) };
  } else {
    draw = sampleDraws(prop, r.seed!, r.cases!)[r.index!];
    origin = `case ${r.index} of the run with seed ${r.seed} (drawn again from the seed, as the runner draws)`;
  }
  const cases = prop.runs(draw);
  const arrays: Record<string, BundleArray> = {};
  const meta: CompareMeta = { kernel: r.kernel, property: r.property, origin, engines: [], runs: [] };
  cases.forEach((c, run) => {
    for (const [k, v] of Object.entries(c.inputs)) arrays[`input/${run}/${k}`] = v;
    for (const [k, v] of Object.entries(kernel.family.reference(c))) arrays[`reference/${run}/${k}`] = v;
    meta.runs.push({ shape: c.shape, outputs: [], types: {} });
  });
  // One engine at a time: on a machine without a GPU both would compete for the same cores.
  for (const [i, id] of r.engines.entries()) {
    const e: CompareEngine = { id, adapter: '', hash: '', ...(r.hashes?.[i] ? { recordedHash: r.hashes[i] } : {}) };
    meta.engines.push(e);
    let out: RunOutput[];
    try {
      const engine = await pool.get(id);
      const a = engine.info.adapter;
      e.adapter = a ? [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') : '';
      const [res] = await executeDraws(engine, kernel.program, prop, [draw]);
      if (!Array.isArray(res)) {
        e.problem = `skipped the case: ${(res as Error).message}`;
        continue;
      }
      out = res;
    } catch (err) {
      e.problem = (err as Error).message.split('\n')[0]!;
      // A hung or lost device: a fresh one for the next comparison, as the runner does.
      if (err instanceof DeviceError && (err.kind === 'lost' || err.kind === 'timeout')) await pool.get(id).then((x) => x.recover?.()).catch(() => undefined);
      continue;
    }
    // In the recorded hash's algorithm where that is still computed (a results.json from before caseHash hashed every
    // buffer); one recorded by an older kernelscope still (FNV-1a) can neither confirm nor deny the re-run: unknown,
    // not "differs".
    e.hash = caseHashLike(e.recordedHash, kernel.program.spec, out);
    if (e.recordedHash && hashAlgorithm(e.recordedHash) !== hashAlgorithm(e.hash)) delete e.recordedHash;
    // A run from before fc.check's stream (checkStream) drew another case from the tenth on: its hash there is of
    // another case, which says nothing about this one.
    else if (e.recordedHash && !fx && hashAlgorithm(e.recordedHash) !== HASH_ALGORITHMS[0] && r.index! >= SAME_EARLY_DRAWS) delete e.recordedHash;
    out.forEach((o, run) => {
      for (const [k, v] of Object.entries(o)) {
        arrays[`${id}/${run}/${k}`] = v;
        if (!meta.runs[run]!.outputs.includes(k)) meta.runs[run]!.outputs.push(k);
        meta.runs[run]!.types[k] = kernel.program.spec.buffers[k]?.type ?? 'f32';
      }
    });
    // Outputs before the inputs the engine hands back too.
    for (const r of meta.runs) r.outputs.sort((x, y) => Number(kernel.program.spec.buffers[x]?.role === 'input') - Number(kernel.program.spec.buffers[y]?.role === 'input'));
    if (saved && saved.backend === id) meta.savedReproduced = Object.entries(saved.actual).every(([k, v]) => out[0]?.[k] && bitsEqual(out[0][k]!, v));
  }
  return encodeBundle(meta, arrays);
}

export interface BinaryResponse {
  status: number;
  type: string;
  body: Uint8Array | string;
}

/**
 * The view server's binary routes:
 *   GET /api/compare?kernel&property&engines=A,B&(seed&cases&case[&hashes=HA,HB] | fixture=ID)   compareCase's bundle
 *   GET /api/fixtures/ID/arrays   a counterexample as a bundle: meta is the fixture (as /api/fixtures/ID answers it)
 *                                 without its arrays and drawn value, arrays are `inputs/NAME`, `actual/NAME`, `expected/NAME`
 * Errors come back as JSON `{ error }`, as from the JSON routes.
 */
export function binaryRoutes(deps: {
  api(path: string): { status: number; body: unknown };
  fixturePath(id: string): string | undefined;
  library?: string;
}) {
  const pool = new EnginePool();
  const fail = (status: number, e: unknown): BinaryResponse => ({ status, type: 'application/json', body: JSON.stringify({ error: (e as Error).message ?? String(e) }) });
  return {
    handle(url: URL): Promise<BinaryResponse> | undefined {
      if (url.pathname === '/api/compare') {
        return (async () => {
          let req: CompareRequest;
          try {
            req = parseCompareQuery(url.searchParams, deps.fixturePath);
          } catch (e) {
            return fail(400, e);
          }
          try {
            return { status: 200, type: BUNDLE_MIME, body: await compareCase(pool, req, deps.library) };
          } catch (e) {
            return fail(422, e);
          }
        })();
      }
      const m = /^\/api\/fixtures\/([^/]+)\/arrays$/.exec(url.pathname);
      if (!m) return undefined;
      return (async (): Promise<BinaryResponse> => {
        try {
          const r = deps.api(`/api/fixtures/${m[1]}`);
          if (r.status !== 200) return { status: r.status, type: 'application/json', body: JSON.stringify(r.body) };
          // The drawn value (its arrays again, as base64) stays on the server: the page shows the first run's arrays.
          const { inputs, actual, expected, draw: _draw, ...meta } = r.body as Record<string, Record<string, EncodedArray> | undefined>;
          const arrays: Record<string, BundleArray> = {};
          for (const [group, set] of Object.entries({ inputs, actual, expected })) {
            for (const [k, v] of Object.entries(set ?? {})) arrays[`${group}/${k}`] = decodeArray(v);
          }
          return { status: 200, type: BUNDLE_MIME, body: encodeBundle(meta, arrays) };
        } catch (e) {
          return fail(500, e);
        }
      })();
    },
    close: () => pool.close(),
  };
}
