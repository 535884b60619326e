// One case on two engines side by side: engine A's output, engine B's, and how far apart they are in ULPs, as
// big-buffer views that pan and zoom together. The server runs the case again on both (harness/view/compare.ts:
// results.json keeps only hashes of the outputs) and says whether each re-run gave the bits the run recorded.
// Opened from the cross-engine report (?compare=1&kernel&property&engines=A,B&seed&cases&case&hashes) or from a
// saved counterexample's failing-case view.
import type { CompareMeta } from '../../harness/view/compare.ts';
import { BUNDLE_MIME, decodeBundle, type Bundle } from '../../harness/view/bundle.ts';
import { BigBufferView, el, viewportFor } from './bigbuffer.ts';
import { dimsOf, specs } from './catalog.ts';
import { argmax, distance, distanceUnit, errorMap, errorUnitOf, fmt, scaleFor, ulpMap } from './numbers.ts';
import { jsonText } from '../../harness/run/json-text.ts';

/** A binary route's bundle; its JSON `{ error }` (or the HTTP status) as the thrown message. */
export async function fetchBundle<M>(path: string): Promise<Bundle<M>> {
  const r = await fetch(path);
  if (!r.ok || r.headers.get('content-type') !== BUNDLE_MIME) {
    const body = await r.json().catch(() => ({})) as { error?: string };
    throw new Error(body.error ?? `${path}: HTTP ${r.status}`);
  }
  return decodeBundle<M>(await r.arrayBuffer());
}

export function loadComparison(q: URLSearchParams): Promise<Bundle<CompareMeta>> {
  return fetchBundle<CompareMeta>(`api/compare?${q}`);
}

/** The page for ?compare=1: the query is the server's. */
export async function comparePage(app: HTMLElement, params: URLSearchParams): Promise<void> {
  const q = new URLSearchParams(params);
  q.delete('compare');
  document.getElementById('title')!.textContent = `${q.get('kernel')} / ${q.get('property')}: ${q.get('engines')?.replace(',', ' vs ')}`;
  const status = document.getElementById('status')!;
  status.textContent = `running case ${q.get('case')} on ${q.get('engines')?.replace(',', ' and ')}…`;
  const t0 = performance.now();
  const b = await loadComparison(q);
  app.append(compareSection(b));
  status.textContent = `ran and drawn in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  document.body.dataset.ready = String(Date.now());
}

export function compareSection(b: Bundle<CompareMeta>): HTMLElement {
  const m = b.meta;
  const [A, B] = m.engines as [CompareMeta['engines'][0], CompareMeta['engines'][0]];
  const box = el('section', { class: 'compare', id: 'compare' });
  box.append(el('h2', {}, `${m.kernel} / ${m.property}: ${A.id} vs ${B.id}`), el('p', { class: 'note' }, `Run again here: ${m.origin}.`));
  const engines = el('ul', { class: 'engines' });
  for (const e of m.engines) {
    const li = el('li', { 'data-engine': e.id, 'data-reproduced': e.recordedHash ? String(e.hash === e.recordedHash) : 'unknown' },
      el('b', {}, e.id), e.adapter ? ` (${e.adapter})` : '', ': ');
    if (e.problem) li.append(el('span', { class: 'bad' }, e.problem));
    else {
      li.append(`output bits ${e.hash}`);
      if (e.recordedHash) li.append(e.hash === e.recordedHash ? ', as the run recorded'
        : el('span', { class: 'bad' }, `, not the run's ${e.recordedHash}: this machine (or the kernel) differs from the run's, so the picture below is not the divergence it reported`));
    }
    engines.append(li);
  }
  if (m.savedReproduced !== undefined) {
    engines.append(el('li', { class: m.savedReproduced ? '' : 'bad' }, m.savedReproduced
      ? `${A.id} gave the saved counterexample's output again, bit for bit`
      : `${A.id} did not give the saved counterexample's output again: it is shown as re-run here`));
  }
  box.append(engines);
  const ran = m.engines.filter((e) => !e.problem);
  if (ran.length < 2) {
    box.append(el('p', { class: 'bad', id: 'compare-summary' }, 'Only one engine ran the case: nothing to put side by side.'));
    return box;
  }
  const pickRun = el('select', { id: 'compare-run-index' }) as HTMLSelectElement;
  m.runs.forEach((r, i) => pickRun.append(el('option', { value: String(i) }, `run ${i + 1} of ${m.runs.length}: ${jsonText(r.shape).slice(0, 80)}`)));
  const pickBuffer = el('select', { id: 'compare-buffer' }) as HTMLSelectElement;
  const views = el('div', { class: 'compare-views' });
  box.append(el('div', { class: 'controls' }, m.runs.length > 1 ? pickRun : '', pickBuffer), views);
  const fillBuffers = () => {
    const run = m.runs[Number(pickRun.value)]!;
    pickBuffer.textContent = '';
    // The first buffer whose bits differ, else the first output.
    const differs = run.outputs.find((k) => ulpMap(b.arrays[`${A.id}/${pickRun.value}/${k}`]!, b.arrays[`${B.id}/${pickRun.value}/${k}`]!).some((d) => d !== 0));
    for (const k of run.outputs) pickBuffer.append(el('option', { value: k }, k));
    pickBuffer.value = differs ?? run.outputs[0]!;
  };
  const draw = () => {
    views.textContent = '';
    views.append(sideBySide(b, Number(pickRun.value), pickBuffer.value));
  };
  pickRun.addEventListener('change', () => (fillBuffers(), draw()));
  pickBuffer.addEventListener('change', draw);
  fillBuffers();
  draw();
  return box;
}

function sideBySide(b: Bundle<CompareMeta>, run: number, buffer: string): HTMLElement {
  const m = b.meta;
  const [A, B] = [m.engines[0]!.id, m.engines[1]!.id];
  const a = b.arrays[`${A}/${run}/${buffer}`]!;
  const c = b.arrays[`${B}/${run}/${buffer}`]!;
  const ref = b.arrays[`reference/${run}/${buffer}`];
  const type = (m.runs[run]!.types[buffer] ?? 'f32') as 'f32';
  const spec = specs.get(m.kernel);
  const dims = spec?.buffers[buffer] ? dimsOf(spec, buffer, m.runs[run]!.shape) : [a.length];
  const distances = ulpMap(a, c);
  const unit = distanceUnit(a);
  let differing = 0;
  for (let i = 0; i < distances.length; i++) if (distances[i] !== 0) differing++;
  const worst = differing ? argmax(distances) : undefined;
  const box = el('div', {});
  const summary = el('p', { id: 'compare-summary', 'data-differing': String(differing), 'data-elements': String(a.length), 'data-worst': String(worst ?? '') });
  const at = el('p', { id: 'compare-element', class: 'element' });
  const row = el('div', { class: 'row' });
  box.append(summary, row, at);
  const all: BigBufferView[] = [];
  const say = (i: number) => {
    const refText = ref ? `, reference ${fmt(ref[i]!)} (${A} ${distance(a, a[i]!, ref[i]!)}${unit} from it, ${B} ${distance(a, c[i]!, ref[i]!)})` : '';
    return `${buffer}[${i}]: ${A} ${fmt(a[i]!)}, ${B} ${fmt(c[i]!)}, ${distances[i]}${unit} apart${refText}`;
  };
  const pick = (i: number) => {
    for (const v of all) v.select(i);
    at.dataset.index = String(i);
    at.textContent = say(i);
  };
  summary.textContent = differing
    ? `${differing.toLocaleString()} of ${a.length.toLocaleString()} elements of ${buffer} differ; the farthest apart: ${say(worst!)}`
    : `${A} and ${B} agree bit for bit on ${buffer} (${a.length.toLocaleString()} element${a.length === 1 ? '' : 's'})`;
  const common = { dims, type, viewport: viewportFor(dims, 300, 240), onSelect: pick, worst: () => worst };
  const va = new BigBufferView(row, { ...common, name: `${buffer}.${A}`, label: `${buffer} on ${A}`, scale: scaleFor(ref ?? a) });
  // One colour scale for both engines (and the reference): the same colour is the same value on either map.
  const range = [a, c, ...(ref ? [ref] : [])];
  va.setValues(a, ref, undefined, range);
  const vb = new BigBufferView(row, { ...common, name: `${buffer}.${B}`, label: `${buffer} on ${B}`, scale: scaleFor(ref ?? a) });
  vb.setValues(c, ref, undefined, range);
  const vd = new BigBufferView(row, { ...common, name: `${buffer}.difference`, label: `${A} vs ${B}: ${unit ? 'ULPs apart' : 'difference'}`, type: 'f32', scale: 'error', describe: (i) => say(i), errorUnit: errorUnitOf(a) });
  vd.setValues(errorMap(a, c, distances), undefined, 'error');
  all.push(va, vb, vd);
  for (const v of all) v.draw();
  return box;
}
