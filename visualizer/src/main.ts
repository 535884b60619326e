// Routes by query string: ?kernel=NAME (an example case, ?shape=JSON), ?case=FIXTURE (a saved counterexample), or
// ?compare=1&… (one case on two engines, compare.ts), or nothing (the start page: kernels, lessons, counterexamples).
// ?bench=1&n=N draws an N-element buffer and exposes it to bench/visualizer.ts (bigbuffer.ts: benchPage).
import { defaultShape, KernelView, status } from './app.ts';
import { LESSONS, specs } from './catalog.ts';
import { benchPage } from './bigbuffer.ts';
import { comparePage } from './compare.ts';
import { loadFixture } from './failing.ts';
import './style.css';

const app = document.getElementById('app')!;
const params = new URLSearchParams(location.search);

async function json<T>(path: string): Promise<T> {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) throw new Error((body as { error?: string }).error ?? `${path}: HTTP ${r.status}`);
  return body as T;
}

function link(href: string, text: string) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  return a;
}

async function startPage() {
  document.getElementById('title')!.textContent = 'start';
  const h = (t: string) => Object.assign(document.createElement('h2'), { textContent: t });
  app.append(h('Lessons'));
  const ul = document.createElement('ul');
  ul.id = 'lessons';
  // A user's library (KERNELSCOPE_LIBRARY) has its own kernels: a lesson shows only where its kernel is there.
  for (const l of LESSONS.filter((x) => specs.has(x.kernel))) {
    const li = document.createElement('li');
    li.append(link(`?kernel=${l.kernel}`, l.title), document.createTextNode(` — ${l.text}`));
    ul.append(li);
  }
  app.append(ul, h('Kernels'));
  const ks = document.createElement('ul');
  ks.id = 'kernels';
  for (const [name, spec] of specs) {
    const li = document.createElement('li');
    li.append(link(`?kernel=${name}`, name), document.createTextNode(` — ${spec.description}`));
    ks.append(li);
  }
  app.append(ks, h('Saved counterexamples'));
  const fx = document.createElement('ul');
  fx.id = 'fixtures';
  try {
    const list = await json<{ id: string; kernel?: string; property?: string; message?: string; error?: string }[]>('api/fixtures');
    if (!list.length) fx.append(Object.assign(document.createElement('li'), { textContent: 'none saved (fixtures/counterexamples/ is empty)' }));
    for (const f of list) {
      const li = document.createElement('li');
      if (f.error) li.textContent = `${f.id}: ${f.error}`;
      else li.append(link(`?case=${encodeURIComponent(f.id)}`, `${f.kernel} / ${f.property}`), document.createTextNode(` — ${f.message}`));
      fx.append(li);
    }
  } catch (e) {
    fx.append(Object.assign(document.createElement('li'), { textContent: `could not list: ${(e as Error).message}` }));
  }
  app.append(fx);
  document.body.dataset.ready = String(Date.now());
}

async function kernelPage(kernel: string) {
  if (!specs.has(kernel)) throw new Error(`no kernel '${kernel}' (kernels: ${[...specs.keys()].join(', ')})`);
  document.getElementById('title')!.textContent = kernel;
  const shape = params.get('shape') ? JSON.parse(params.get('shape')!) : await defaultShape(kernel);
  await new KernelView(app, { kernel, shape }).run();
}

async function casePage(id: string) {
  document.getElementById('title')!.textContent = id;
  const f = await loadFixture(id);
  // Never the library's own WGSL in place of the file the case was found with: that would show another kernel.
  if (f.wgsl && f.wgslSource === undefined) throw new Error(f.wgslProblem ?? `${id} was found with the WGSL ${f.wgsl}, which the server did not send`);
  // The whole shape: its stages and bindings read every field (a gravity vector dropped here left a uniform's vec3
  // undefined); the form offers its numbers and shows the rest.
  const shape = { ...(f.shape as Record<string, unknown>) };
  // A property of the user's may name its worst element in values it derived (a packed word's channels under their
  // own label): no element of the kernel's buffers, said so, and none picked (trial 210 B1: the page stopped at
  // "Cannot read properties of undefined"; B2: an index past the buffer showed "actual undefined").
  const fits = f.worst && f.worst.index < ((f.actual as Record<string, ArrayLike<number>> | undefined)?.[f.worst.buffer]?.length ?? 0);
  const unplaced = f.worst && !fits ? `The property named ${f.worst.buffer}[${f.worst.index}] as its worst element, which is no element of the kernel's buffers (values the property derived, under a name of its own): shown, the kernel's output, with no element picked.` : undefined;
  const warning = [f.wgslProblem, unplaced].filter((w) => w).join(' ');
  await new KernelView(app, {
    kernel: f.kernel, shape, ...(f.spreadY ? { spreadY: true } : {}), inputs: f.inputs, actual: f.actual, expected: f.expected, ...(fits ? { worst: f.worst } : {}), ...(f.runs ? { runs: f.runs } : {}), fixture: { id, property: f.property, backend: f.backend },
    message: f.message, wgsl: f.wgslSource, ...(f.wgsl ? { wgslFile: f.wgsl } : {}), ...(warning ? { warning } : {}), title: `${f.kernel} / ${f.property} on ${f.backend}${f.wgsl ? ` (WGSL: ${f.wgsl})` : ''}`,
  }).run();
}

(async () => {
  try {
    if (params.get('bench')) benchPage(app, params);
    else if (params.get('compare')) await comparePage(app, params);
    else if (params.get('case')) await casePage(params.get('case')!);
    else if (params.get('kernel')) await kernelPage(params.get('kernel')!);
    else {
      const cfg = await json<{ kernel: string | null; fixture: string | null }>('api/config').catch(() => ({ kernel: null, fixture: null }));
      if (cfg.fixture) await casePage(cfg.fixture);
      else if (cfg.kernel) await kernelPage(cfg.kernel);
      else await startPage();
    }
  } catch (e) {
    status((e as Error).message, 'error');
    const p = document.createElement('p');
    p.className = 'error';
    p.id = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = (e as Error).message;
    app.append(p);
    document.body.dataset.ready = String(Date.now());
  }
})();
