// A counterexample's reference, actual output and error side by side, as big-buffer views that pan and zoom
// together; the worst element a click away; and, for a saved counterexample, the same case run on another engine
// beside it (compare.ts). Drawn without the trace, so a case too big to trace still shows its failure.
import type { Counterexample } from '../../harness/run/fixture.ts';
import { holdsResults, type KernelSpec, type TypedArray } from '../../harness/spec.ts';
import { BACKENDS } from '../../harness/engines/engine.ts';
import { BigBufferView, el, viewportFor } from './bigbuffer.ts';
import { dimsOf } from './catalog.ts';
import { compareSection, fetchBundle, loadComparison } from './compare.ts';
import type { BufferDisplay } from './heatmap.ts';
import { argmax, distanceUnit, errorMap, errorUnitOf, fmt, scaleFor, ulpMap } from './numbers.ts';
import { coordinatesOf } from '../../harness/run/layout.ts';

export interface FailingCase {
  spec: KernelSpec;
  shape: Record<string, unknown>;
  actual: Record<string, TypedArray>;
  expected?: Record<string, TypedArray>;
  worst?: { buffer: string; index: number };
  message?: string;
  /** Said above the case: the fixture's WGSL changed since it was saved (or cannot be checked). */
  warning?: string;
  title?: string;
  /** How many runs the property made of the case, where more than one: the output shown is the first's. */
  runs?: number;
  /** A saved counterexample: its id on the server, property and engine, for "run it on another engine too". */
  fixture?: { id: string; property: string; backend: string };
}

/** The section and its views by name (`BUFFER.reference`, `.actual`, `.error`), for the kernel view's marks. */
export function failingSection(c: FailingCase, onSelect?: (buffer: string, index: number) => void): { box: HTMLElement; views: Map<string, BufferDisplay>; buffer: string; pick: (i: number, notify?: boolean) => void } {
  const box = el('section', { class: 'failing', id: 'failing' });
  box.append(el('h2', {}, c.title ?? 'counterexample'));
  if (c.warning) box.append(el('p', { class: 'error', id: 'wgsl-warning', role: 'alert' }, c.warning));
  box.append(el('p', { class: 'message' }, c.message ?? ''));
  // Trial 161 B2: a relation's message was about its second run, under the first run's output, with nothing to say so.
  if (c.runs && c.runs > 1) box.append(el('p', { class: 'note', id: 'failing-run' }, `Shown: the inputs and output of the first of the property's ${c.runs} runs of this case; the message may be about another of them.`));
  // Without a worst element (a property judged on accesses), the first buffer the kernel writes: a trace's fixture
  // holds its inputs too, and the first of them read as "x: actual (engine)" (a new user's no-data-race case).
  const written = Object.keys(c.actual).find((k) => holdsResults(c.spec.buffers[k]));
  const buffer = c.worst?.buffer ?? written ?? Object.keys(c.actual)[0]!;
  const actual = c.actual[buffer]!;
  const expected = c.expected?.[buffer];
  const dims = dimsOf(c.spec, buffer, c.shape);
  const views = new Map<string, BigBufferView>();
  const distances = expected ? ulpMap(actual, expected) : undefined;
  const unit = distanceUnit(actual);
  // The worst element by ULPs, computed here: it must be the one the fixture names.
  const worst = distances ? argmax(distances) : c.worst?.index;
  const info = el('p', { id: 'failing-element', class: 'element' });
  const pick = (i: number, notify = true) => {
    for (const v of views.values()) v.select(i);
    const row = dims.length > 1 ? ` (${dims.length === 2 ? `row ${Math.floor(i / dims[1]!)}, column ${i % dims[1]!}` : `coordinates ${coordinatesOf(i, dims).join(', ')}`})` : '';
    info.dataset.index = String(i);
    // A fixture keeps the float64 reference rounded to f32 (the value a correct kernel aims at): said so, since the
    // terminal's message gives the float64 value (a trial read -0.550237834 here against -0.550237846 there).
    const rounded = expected instanceof Float32Array ? ' (float64, rounded to f32)' : '';
    info.textContent = `${buffer}[${i}]${row}: actual ${fmt(actual[i]!)}` + (expected ? `, reference ${fmt(expected[i]!)}${rounded}, ${distances![i]}${unit} apart` : '');
    if (notify) onSelect?.(buffer, i);
  };
  const row = el('div', { class: 'row' });
  box.append(row);
  const common = { dims, viewport: viewportFor(dims, 300, 240), onSelect: pick, worst: () => worst };
  if (expected) {
    // An integer output's reference is kept in its own type (property-runner.ts expectedAs), the rest as f32.
    const ref = new BigBufferView(row, { ...common, name: `${buffer}.reference`, label: `${buffer}: reference`, type: expected instanceof Float32Array ? 'f32' : c.spec.buffers[buffer]!.type, scale: scaleFor(expected) });
    ref.setValues(expected, undefined, undefined, [expected, actual]);
    views.set(`${buffer}.reference`, ref);
  }
  const act = new BigBufferView(row, { ...common, name: `${buffer}.actual`, label: `${buffer}: actual (engine)`, type: c.spec.buffers[buffer]!.type, scale: scaleFor(expected ?? actual) });
  // The reference's and the output's colours span both: the same colour is the same value on either map.
  act.setValues(actual, expected, undefined, expected ? [expected, actual] : [actual]);
  views.set(`${buffer}.actual`, act);
  if (expected) {
    const err = new BigBufferView(row, { ...common, name: `${buffer}.error`, label: `${buffer}: error`, type: 'f32', scale: 'error',
      describe: (i) => `${distances![i]}${unit || ' apart'}`, errorUnit: errorUnitOf(actual) });
    err.setValues(errorMap(actual, expected, distances), undefined, 'error');
    views.set(`${buffer}.error`, err);
  }
  box.dataset.worstComputed = String(worst ?? '');
  box.dataset.worstBuffer = buffer;
  box.dataset.worstIndex = String(c.worst?.index ?? '');
  box.append(info, el('div', { id: 'writers', class: 'writers' }));
  if (c.fixture) box.append(otherEngine(c.fixture, c.spec.name));
  for (const v of views.values()) v.draw();
  // The kernel view selects it itself once its panes exist.
  if (c.worst) pick(c.worst.index, false);
  return { box, views, buffer, pick };
}

/** "Run this case on another engine too": the case re-run on both engines by the server, side by side. */
function otherEngine(f: NonNullable<FailingCase['fixture']>, kernel: string): HTMLElement {
  const pickEngine = el('select', { id: 'compare-engine' }) as HTMLSelectElement;
  for (const b of BACKENDS) if (b !== f.backend) pickEngine.append(el('option', { value: b }, b));
  const go = el('button', { type: 'button', id: 'compare-run' }, `run this case on ${f.backend} and`);
  const out = el('div', { class: 'compare-out' });
  go.addEventListener('click', async () => {
    go.setAttribute('disabled', '');
    out.textContent = `running the case on ${f.backend} and ${pickEngine.value}…`;
    try {
      const q = new URLSearchParams({ kernel, property: f.property, engines: `${f.backend},${pickEngine.value}`, fixture: f.id });
      const bundle = await loadComparison(q);
      out.textContent = '';
      out.append(compareSection(bundle));
    } catch (e) {
      out.textContent = (e as Error).message;
      out.className = 'compare-out error';
    }
    go.removeAttribute('disabled');
  });
  return el('div', { class: 'other-engine' }, go, pickEngine, ' side by side', out);
}

/** A saved counterexample from the server, its arrays as bytes (GET /api/fixtures/ID/arrays). */
export async function loadFixture(id: string): Promise<Omit<Counterexample, 'inputs' | 'actual' | 'expected'> & {
  wgslSource?: string; wgslProblem?: string; inputs: Record<string, TypedArray>; actual: Record<string, TypedArray>; expected?: Record<string, TypedArray>;
}> {
  const b = await fetchBundle<Omit<Counterexample, 'inputs' | 'actual' | 'expected'> & { wgslSource?: string; wgslProblem?: string }>(`api/fixtures/${encodeURIComponent(id)}/arrays`);
  const group = (g: string) => {
    const out: Record<string, TypedArray> = {};
    for (const [k, v] of Object.entries(b.arrays)) if (k.startsWith(`${g}/`)) out[k.slice(g.length + 1)] = v as TypedArray;
    return out;
  };
  const expected = group('expected');
  return { ...b.meta, inputs: group('inputs'), actual: group('actual'), ...(Object.keys(expected).length ? { expected } : {}) };
}
