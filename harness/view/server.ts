// `kernelscope view`: serves the built visualizer (visualizer/dist, built on demand) and a small JSON API on
// 127.0.0.1 only (a secure context, so the page gets navigator.gpu):
//   GET /api/config            what the command line asked to open: { kernel?, fixture? }
//   GET /api/kernels           [{ name, description, family, wgsl, buffers: { name: { role, type } } }]
//   GET /api/kernels/NAME      one kernel with its WGSL sources by file name
//   GET /api/fixtures          saved counterexamples: [{ id, kernel, property, backend, message, worst }]
//   GET /api/fixtures/ID       one counterexample, plus `wgslSource` when it was found with the user's own WGSL, and
//                              `wgslProblem` when that file is gone or changed since (fixture-wgsl.ts)
//   GET /api/fixtures/ID/arrays, GET /api/compare   typed arrays as bytes (compare.ts: binaryRoutes)
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { asCounterexample, parseCounterexample } from '../run/fixture.ts';
import { resolveKernelscopeImports } from '../run/kit-resolution.ts';
import type { KernelSpec } from '../spec.ts';
import { binaryRoutes } from './compare.ts';
import { fixtureWgsl } from './fixture-wgsl.ts';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
/** The library's kernels: this repository's, or those of KERNELSCOPE_LIBRARY, as for `test` and `replay`. */
const LIBRARY_ROOT = resolve(process.env.KERNELSCOPE_LIBRARY ?? ROOT);
const APP = join(ROOT, 'visualizer');

/** Where the app is built for a library: the page bundles the library's kernels and properties (catalog.ts), so a
 *  library other than this repository gets a build of its own, kept between runs (.cache/ is not tracked). */
export function distOf(library: string): string {
  if (library === ROOT) return join(APP, 'dist');
  return join(ROOT, '.cache/view', `${basename(library)}-${createHash('sha256').update(library).digest('hex').slice(0, 10)}`);
}

/** What the command line asked for cannot be served (no such kernel, a --case file missing or malformed): the
 *  command says it in one line and exits 2. */
export class ViewRefused extends Error {
  override name = 'ViewRefused';
}

export interface ViewOptions {
  kernel?: string;
  /** A counterexample JSON to open (any path). */
  fixture?: string;
  port?: number;
  /** Where saved counterexamples are listed from. */
  fixturesDir?: string;
  /** Rebuild the app even when a build exists (tests, after editing the app). */
  rebuild?: boolean;
  /** The kernel library (default KERNELSCOPE_LIBRARY, else this repository). */
  library?: string;
  /** Where a problem with a counterexample's WGSL is said in the terminal (default console.warn). */
  warn?(line: string): void;
}

export interface VisualizerServer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.wgsl': 'text/plain; charset=utf-8', '.map': 'application/json',
};

/** The newest file under `dir`, less folders named in `skip` and hidden ones, and files `source` refuses. */
function newestMtime(dir: string, skip: ReadonlySet<string> = new Set(), source: (name: string) => boolean = () => true): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && (skip.has(e.name) || e.name.startsWith('.'))) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p, skip, source) : source(e.name) ? statSync(p).mtimeMs : 0);
  }
  return t;
}

/** What a library's build does not depend on: packages, saved counterexamples, run outputs (test's default
 *  reports/latest among them), and any file but code and WGSL. */
const NOT_SOURCES = new Set(['node_modules', 'fixtures', 'reports', 'out', 'dist']);
const CODE = /\.(ts|mts|js|mjs|wgsl)$/;

/** The newest file of the library: this repository's kernels, properties and references; anything of a library of
 *  the user's own, whose specs and families may import modules anywhere in it (trial 93 A1: a shared helper in
 *  lib/common/ edited, and the page traced the old dispatch, even after a restart). 0 where it has none. */
export function newestInLibrary(library: string): number {
  if (library !== ROOT) return newestMtime(library, NOT_SOURCES, (name) => CODE.test(name));
  return Math.max(0, ...['kernels', 'properties', 'reference'].map((d) => join(library, d)).filter((d) => existsSync(d)).map((d) => newestMtime(d)));
}

/** Builds the app for a library when there is no build, or when its sources or the library's kernels, properties or
 *  references changed after it. Returns the build's folder. */
export async function ensureBuilt(force = false, library = LIBRARY_ROOT): Promise<string> {
  const dist = distOf(library);
  const index = join(dist, 'index.html');
  if (!force && existsSync(index)) {
    const built = statSync(index).mtimeMs;
    const sources = Math.max(newestMtime(join(APP, 'src')), statSync(join(APP, 'index.html')).mtimeMs, newestInLibrary(library));
    if (sources <= built) return dist;
  }
  const [{ build }, { viewConfig }] = await Promise.all([import('vite'), import('../../visualizer/vite.config.ts')]);
  await build({ ...viewConfig(library, dist), configFile: false, logLevel: 'warn' });
  return dist;
}

async function loadSpecs(library: string, version = 0): Promise<Map<string, KernelSpec>> {
  resolveKernelscopeImports(); // a library's specs may import 'kernelscope/kit'
  const dir = join(library, 'kernels');
  const out = new Map<string, KernelSpec>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.kernel.ts')).sort()) {
    // A version in the URL after the library changed: the module cache would hand back the spec as first imported.
    // A whole number: vitest's module runner refused a fractional one ("Invalid loader value").
    const spec = (await import(`${pathToFileURL(join(dir, f)).href}${version ? `?v=${version}` : ''}`)).default as KernelSpec;
    out.set(f.slice(0, -'.kernel.ts'.length), spec);
  }
  return out;
}

function kernelInfo(name: string, spec: KernelSpec) {
  return {
    name, description: spec.description, family: spec.family ?? spec.name, wgsl: spec.wgsl,
    buffers: Object.fromEntries(Object.entries(spec.buffers).map(([k, b]) => [k, { role: b.role, type: b.type }])),
  };
}

export async function serveVisualizer(opts: ViewOptions = {}): Promise<VisualizerServer> {
  const library = resolve(opts.library ?? LIBRARY_ROOT);
  const warn = opts.warn ?? ((line: string) => console.warn(line));
  const specs = await loadSpecs(library);
  if (opts.kernel && !specs.has(opts.kernel)) {
    throw new ViewRefused(`no kernel '${opts.kernel}' (kernels: ${[...specs.keys()].join(', ')})`);
  }
  // Where `test` saves them: the library's, not this repository's, when KERNELSCOPE_LIBRARY names another.
  const fixturesDir = resolve(opts.fixturesDir ?? join(library, 'fixtures/counterexamples'));
  // Fixture ids are file names; one given on the command line joins the list under its own name.
  const extra = new Map<string, string>();
  let fixtureId: string | undefined;
  if (opts.fixture) {
    const path = resolve(opts.fixture);
    if (!existsSync(path)) throw new ViewRefused(`--case ${opts.fixture}: no such file`);
    fixtureId = basename(path);
    extra.set(fixtureId, path);
  }
  const fixturePaths = () => {
    const m = new Map<string, string>();
    if (existsSync(fixturesDir)) for (const f of readdirSync(fixturesDir).filter((x) => x.endsWith('.json')).sort()) m.set(f, join(fixturesDir, f));
    for (const [k, v] of extra) m.set(k, v);
    return m;
  };
  // Each problem with a fixture's WGSL is said once in the terminal, as well as on the page.
  const warned = new Set<string>();
  const wgslOf = (f: ReturnType<typeof asCounterexample>, file: string) => {
    const spec = specs.get(f.kernel);
    const w = spec && fixtureWgsl(f, file, spec, join(library, 'kernels'));
    if (w?.problem && !warned.has(w.problem)) {
      warned.add(w.problem);
      warn(w.problem);
    }
    return w;
  };
  if (fixtureId) {
    // The one asked for on the command line is refused there if malformed, in one line (trial 57 B8: the page alone
    // said so, and the terminal printed the URL as for a good one); said before the build, which can take a while.
    let f;
    try {
      f = parseCounterexample(readFileSync(extra.get(fixtureId)!, 'utf8'), opts.fixture!);
    } catch (e) {
      throw new ViewRefused(`--case ${(e as Error).message}`);
    }
    wgslOf(f, extra.get(fixtureId)!);
  }
  if (library !== ROOT && !existsSync(join(distOf(library), 'index.html'))) {
    console.log(`building the visualizer for the library ${library} (once; about 30 s), into ${distOf(library)} (the checkout's own git-ignored cache; kept for the next view)`);
  }
  const DIST = await ensureBuilt(opts.rebuild, library);
  // A running view follows the library: the page bundles its kernels, so an edit or a new kernel after the start went
  // unseen, the old WGSL traced and a new kernel 'not in this library', until a restart nothing asked for (trial 58
  // B1). Each load of the page rebuilds first where the library changed since the build.
  let builtAt = statSync(join(DIST, 'index.html')).mtimeMs;
  /** The library's newest file when the page was last built or checked. */
  let seen = Math.max(builtAt, newestInLibrary(library));
  let refreshing: Promise<void> | undefined;
  const refresh = () => (refreshing ??= (async () => {
    seen = newestInLibrary(library);
    await ensureBuilt(false, library);
    const now = statSync(join(DIST, 'index.html')).mtimeMs;
    if (now === builtAt) return;
    builtAt = now;
    const fresh = await loadSpecs(library, Math.round(now));
    specs.clear();
    for (const [k, v] of fresh) specs.set(k, v);
  })().finally(() => (refreshing = undefined)));
  const libraryChanged = () => newestInLibrary(library) > seen;

  const api = (path: string): { status: number; body: unknown } => {
    if (path === '/api/config') return { status: 200, body: { kernel: opts.kernel ?? null, fixture: fixtureId ?? null } };
    if (path === '/api/kernels') return { status: 200, body: [...specs].map(([n, s]) => kernelInfo(n, s)) };
    let m = /^\/api\/kernels\/([\w-]+)$/.exec(path);
    if (m) {
      const spec = specs.get(m[1]!);
      if (!spec) return { status: 404, body: { error: `no kernel '${m[1]}'` } };
      const files = new Set([spec.wgsl]);
      const sources: Record<string, string> = {};
      for (const f of files) sources[f] = readFileSync(join(library, 'kernels', f), 'utf8');
      return { status: 200, body: { ...kernelInfo(m[1]!, spec), sources } };
    }
    if (path === '/api/fixtures') {
      const list = [];
      for (const [id, p] of fixturePaths()) {
        try {
          const f = asCounterexample(JSON.parse(readFileSync(p, 'utf8')), id);
          list.push({ id, kernel: f.kernel, property: f.property, backend: f.backend, message: f.message, worst: f.worst ?? null });
        } catch (e) {
          list.push({ id, error: (e as Error).message });
        }
      }
      return { status: 200, body: list };
    }
    m = /^\/api\/fixtures\/([^/]+)$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      const p = fixturePaths().get(id);
      // Where it looked, and how to open one saved elsewhere (trial 187 B7: a case saved with --fixtures DIR).
      if (!p) return { status: 404, body: { error: `no saved counterexample '${id}' in ${fixturesDir}${opts.fixture ? ` nor given with --case` : ''}: one saved elsewhere (test --fixtures DIR) opens with view --case FILE` } };
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(p, 'utf8'));
      } catch (e) {
        return { status: 422, body: { error: `${id}: not JSON (${(e as Error).message})` } };
      }
      try {
        const f = asCounterexample(json, id);
        if (!specs.has(f.kernel)) return { status: 422, body: { error: `${id}: names kernel '${f.kernel}', which this library does not have` } };
        const w = wgslOf(f, p);
        return { status: 200, body: { ...f, id, ...(w?.source !== undefined ? { wgslSource: w.source } : {}), ...(w?.problem ? { wgslProblem: w.problem } : {}) } };
      } catch (e) {
        return { status: 422, body: { error: (e as Error).message } };
      }
    }
    return { status: 404, body: { error: `no API ${path}` } };
  };

  const binary = binaryRoutes({ api, fixturePath: (id) => fixturePaths().get(id), library });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'text/plain', 'GET only');
    if ((url.pathname === '/' || url.pathname === '/index.html') && libraryChanged()) {
      console.log(`the library ${library} changed since the page was built: rebuilding it before the page loads (about 30 s)`);
      return void refresh().then(() => send(200, TYPES['.html']!, readFileSync(join(DIST, 'index.html'))), (e: unknown) => send(500, 'text/plain', `could not rebuild the page: ${(e as Error).message}`));
    }
    if (url.pathname.startsWith('/api/')) {
      const b = binary.handle(url);
      if (b) return void b.then((r) => send(r.status, r.type, typeof r.body === 'string' ? r.body : Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength)));
      const r = api(url.pathname);
      return send(r.status, 'application/json', JSON.stringify(r.body));
    }
    const file = resolve(DIST, '.' + (url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname)));
    if (!file.startsWith(DIST + sep) || !existsSync(file) || !statSync(file).isFile()) {
      // The app routes by query string; an unknown path gets the app too, which says what it cannot find.
      return send(404, 'text/plain', `not found: ${relative(DIST, file)}`);
    }
    send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(opts.port ?? 0, '127.0.0.1', () => res());
  });
  const { port } = server.address() as AddressInfo;
  const q = new URLSearchParams();
  if (opts.kernel) q.set('kernel', opts.kernel);
  if (fixtureId) q.set('case', fixtureId);
  const url = `http://127.0.0.1:${port}/${q.size ? `?${q}` : ''}`;
  return {
    url,
    close: async () => {
      await new Promise<void>((res) => {
        server.closeAllConnections();
        server.close(() => res());
      });
      await binary.close();
    },
  };
}
