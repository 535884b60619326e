// Routes by query string: ?kernel=NAME (an example case, ?shape=JSON), ?case=FIXTURE (a saved counterexample), or
// nothing (the start page: kernels, lessons, counterexamples). ?bench=1 draws a 1,000,000-element buffer and times it.
import { decodeArray, type Counterexample, type EncodedArray } from '../../harness/run/fixture.ts';
import type { TypedArray } from '../../harness/spec.ts';
import { defaultShape, KernelView, status } from './app.ts';
import { LESSONS, specs } from './catalog.ts';
import { BufferView } from './heatmap.ts';
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
  for (const l of LESSONS) {
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
  const shape = params.get('shape') ? JSON.parse(params.get('shape')!) : defaultShape(kernel);
  await new KernelView(app, { kernel, shape }).run();
}

async function casePage(id: string) {
  document.getElementById('title')!.textContent = id;
  const f = await json<Counterexample & { wgslSource?: string }>(`api/fixtures/${encodeURIComponent(id)}`);
  const dec = (o?: Record<string, EncodedArray>) =>
    o ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, decodeArray(v)])) as Record<string, TypedArray> : undefined;
  const shape = Object.fromEntries(Object.entries(f.shape as Record<string, unknown>).filter(([, v]) => typeof v !== 'object'));
  await new KernelView(app, {
    kernel: f.kernel, shape, inputs: dec(f.inputs), actual: dec(f.actual), expected: dec(f.expected), worst: f.worst,
    message: f.message, wgsl: f.wgslSource, title: `${f.kernel} / ${f.property} on ${f.backend}${f.wgsl ? ` (WGSL: ${f.wgsl})` : ''}`,
  }).run();
}

function bench() {
  const n = Number(params.get('n') ?? 1_000_000);
  const values = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.001));
  const t0 = performance.now();
  const v = new BufferView(app, { name: 'big', type: 'f32', dims: [n], scale: 'diverging', maxWidth: 1024 });
  v.setValues(values);
  v.draw();
  const ms = performance.now() - t0;
  document.body.dataset.benchMs = String(ms);
  status(`${n.toLocaleString()} elements drawn in ${ms.toFixed(1)} ms`);
  document.body.dataset.ready = String(Date.now());
}

(async () => {
  try {
    if (params.get('bench')) bench();
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
