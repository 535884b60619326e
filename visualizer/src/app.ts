// The kernel view: controls, dispatch grid, buffers, selection lists, scrubber, source and stepper, editor, and for
// a counterexample the reference / actual / error maps side by side.
import { WgslParser } from 'wgsl_reflect/wgsl_reflect.module.js';
import { spreadRan, toBatchCase, type KernelProgram } from '../../harness/run/program.ts';
import { holdsResults, type KernelSpec, type TypedArray } from '../../harness/spec.ts';
import { invocationIds, READ, WRITE } from '../../harness/trace/trace.ts';
import * as fc from 'fast-check';
import { DEFAULT_SHAPES, dimsOf, drawInputs, familyOf, LESSONS, programOf } from './catalog.ts';
import { GridView, INV_BUSY, INV_READ, INV_SELECTED, INV_WRITE } from './grid.ts';
import { BufferView, type BufferDisplay, MARK_MULTI, MARK_READ, MARK_SELECTED, MARK_STEP, MARK_UNWRITTEN, MARK_WRITE } from './heatmap.ts';
import { fmt, scaleFor } from './numbers.ts';
import { BigBufferView } from './bigbuffer.ts';
import { failingSection } from './failing.ts';
import { KIND_NAME, pageEngine, record, Session, TraceBudgetExceeded, TraceUnsupported, type InvocationAccess } from './session.ts';
import { compareWithInterpreter, PAGE_RUN, runPageProperties } from './checks.ts';
import type { PropertyResult } from '../../harness/results/schema.ts';
import { SourcePane } from './source.ts';
import { stageOfFinding } from './finding-stage.ts';
import { compileErrorText } from './compile-error.ts';
import { mountLockstep, type LockstepPanel } from './lockstep.ts';
import { jsonText } from '../../harness/run/json-text.ts';
import { withWorkgroupSize } from './workgroup-size.ts';

export interface CaseInput {
  kernel: string;
  shape: Record<string, unknown>;
  inputs?: Record<string, TypedArray>;
  /** The case ran spread over y under a lowered limit (a `-spread-y` property's): traced as it ran (trial 71 B2). */
  spreadY?: boolean;
  /** A counterexample: what the engine returned and what the reference says. */
  actual?: Record<string, TypedArray>;
  expected?: Record<string, TypedArray>;
  worst?: { buffer: string; index: number };
  /** The property's runs of the case, where more than one: `inputs` and `actual` are the first's. */
  runs?: number;
  message?: string;
  /** Said above a counterexample: its WGSL changed since it was saved (or cannot be checked). */
  warning?: string;
  wgsl?: string;
  /** The file `wgsl` came from (`test --wgsl NAME=FILE`, as the fixture names it): shown for the kernel's own file,
   *  whose text it replaces (a trial's stage line said fft64.wgsl over its twin's code). */
  wgslFile?: string;
  title?: string;
  /** A saved counterexample: its id, property and engine (to run it on another engine beside it). */
  fixture?: { id: string; property: string; backend: string };
  /** Said once the learner changed a counterexample's shape: which case that was. */
  caseLeft?: string;
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string)[]) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...kids);
  return e;
};

export function status(text: string, kind: 'info' | 'error' = 'info') {
  const s = document.getElementById('status')!;
  s.textContent = text;
  s.className = kind;
}

/** Wraps a spec so its stages use another dispatch size (the learner's override). */
function withDispatch(spec: KernelSpec, dispatch: [number, number, number] | undefined): KernelSpec {
  if (!dispatch) return spec;
  return { ...spec, stages: (s) => spec.stages(s).map((st) => ({ ...st, workgroups: () => dispatch })) };
}

/** Where WGSL fails to parse: the parser's message and line. */
export function parseError(code: string): { line: number; message: string } | null {
  const parser = new WgslParser();
  try {
    parser.parse(code);
    return null;
  } catch (e) {
    const p = parser as unknown as { _tokens?: { line: number }[]; _current?: number };
    const line = p._tokens?.[p._current ?? 0]?.line ?? Number(/line[: ]+(\d+)/i.exec(String((e as Error).message))?.[1] ?? 0);
    return { line, message: String((e as Error).message ?? e) };
  }
}

/** Whether the module declares a var<workgroup> (false where it does not parse: the page says why elsewhere). */
function declaresWorkgroupMemory(code: string): boolean {
  try {
    return new WgslParser().parse(code).some((n) => (n as { astNodeType?: string; storage?: string }).astNodeType === 'var' && (n as { storage?: string }).storage === 'workgroup');
  } catch {
    return false;
  }
}

/** Buffers with more elements are drawn by BigBufferView (the window in view, the rest summarised). */
const BIG = 1 << 18;

export class KernelView {
  private session?: Session;
  private selected: { invocation?: number; element?: { buffer: string; index: number } } = {};
  private lockstep?: LockstepPanel;
  private stage = 0;
  private stageFromFinding = false;
  private grid?: GridView;
  private views = new Map<string, BufferDisplay>();
  /** The failing panel's buffer and its selection, which follows a click on an element of that buffer. */
  private failingPick?: { buffer: string; pick: (i: number, notify?: boolean) => void };
  private source?: SourcePane;
  private scrub = 0;
  private stepLine = -1;
  private code: string;
  private dispatch?: [number, number, number];
  private root: HTMLElement;

  constructor(parent: HTMLElement, private input: CaseInput) {
    this.root = el('div', { class: 'kernel-view' });
    parent.append(this.root);
    this.code = input.wgsl ?? programOf(input.kernel).sources[programOf(input.kernel).spec.wgsl]!;
  }

  get program(): KernelProgram {
    const p = programOf(this.input.kernel, this.code);
    // Messages name the file the code came from: an edit in the page is not the library's file, nor the --wgsl one
    // (trial 58 B4: an edit's race and compile error named kernels/wgsum.wgsl).
    const from = this.fileShown(p.spec.wgsl);
    return { ...p, origins: { ...p.origins, [p.spec.wgsl]: from }, spec: withDispatch(p.spec, this.dispatch) };
  }

  /** The WGSL the page opened with: the case's --wgsl file's, else the library's. */
  private get unedited(): string {
    const library = programOf(this.input.kernel);
    return this.input.wgsl ?? library.sources[library.spec.wgsl]!;
  }

  /** How the kernel's own file is named: the --wgsl FILE where its text is (unedited) the FILE's, the library's file
   *  otherwise, and either one as edited in the page once the editor changed it. */
  private fileShown(own: string): string {
    return this.code === this.unedited ? this.openedFile(own) : `${this.openedFile(own)} (edited in the page)`;
  }

  private openedFile(own: string): string {
    return this.input.wgslFile ?? `kernels/${own}`;
  }

  async run(): Promise<boolean> {
    const p = this.program;
    const shape = this.input.shape;
    const inputs = this.input.inputs ?? drawInputs(p.spec, shape);
    status('tracing…');
    const t0 = performance.now();
    try {
      const c = { shape, inputs, ...(this.input.spreadY ? { spreadY: true } : {}) };
      const trace = await record(p, c);
      this.session = new Session(p, c, trace);
      // A counterexample's race opens on the stage it is in, once: a later pick of the learner's stays.
      if (!this.stageFromFinding) {
        this.stageFromFinding = true;
        this.stage = stageOfFinding(this.input.message, trace.stages, p.sources) ?? this.stage;
      }
    } catch (e) {
      if (e instanceof TraceBudgetExceeded || e instanceof TraceUnsupported) {
        this.cannotTrace(e);
        return false;
      }
      const compiled = compileErrorText(e, p, { shape, inputs });
      if (compiled) {
        status(`the WGSL does not compile: ${compiled.split('\n')[0]}`, 'error');
        // An edit that does not compile: the editor says why under the edit, the last good view kept.
        if (this.session) throw new Error(compiled);
        this.session = undefined;
        this.root.textContent = '';
        this.root.append(el('pre', { class: 'bad', id: 'compile-error', role: 'alert' }, compiled));
        status(`the WGSL does not compile: ${compiled.split('\n')[0]}`, 'error');
        document.body.dataset.ready = String(Date.now());
        return false;
      }
      status(`could not run: ${(e as Error).message}`, 'error');
      throw e;
    }
    this.render();
    const s = this.session!;
    const drawn = performance.now() - t0;
    status(`traced ${s.trace.count.toLocaleString()} accesses on ${s.trace.source === 'gpu' ? "the page's WebGPU (instrumented WGSL)" : 'the interpreter'} in ${s.trace.ms.toFixed(0)} ms; traced and drawn in ${drawn.toFixed(0)} ms`);
    document.body.dataset.totalMs = String(drawn);
    document.body.dataset.traceMs = String(s.trace.ms);
    document.body.dataset.ready = String(Date.now());
    (window as unknown as { __ks: unknown }).__ks = this.testHooks();
    return true;
  }

  /** No trace: a case past the budget (with a smaller one offered), or a kernel neither the page's WebGPU nor the
   *  interpreter can run (at any size). */
  private cannotTrace(e: TraceBudgetExceeded | TraceUnsupported) {
    this.session = undefined; // an earlier case's trace: not this one's
    this.root.textContent = '';
    if (e instanceof TraceUnsupported) {
      this.root.append(el('div', { class: 'budget', role: 'alert', id: 'trace-unsupported' }, `This kernel cannot be traced in this page: ${e.message}.`));
      if (this.input.actual) this.root.append(this.failing());
      status('cannot trace this kernel here', 'error');
      document.body.dataset.ready = String(Date.now());
      return;
    }
    const smaller = Object.fromEntries(Object.entries(this.input.shape).map(([k, v]) => [k, typeof v === 'number' && Number.isInteger(v) && v > 1 ? Math.max(1, Math.floor(v / 2)) : v]));
    const btn = el('button', { id: 'smaller' }, `Trace a smaller case instead: ${JSON.stringify(smaller)}`);
    btn.addEventListener('click', () => {
      this.input.shape = smaller;
      this.input.inputs = undefined;
      void this.run();
    });
    this.root.append(el('div', { class: 'budget', role: 'alert' }, `This case is past the trace budget: ${e.message}.`), btn);
    // A failure is still shown, without the trace: reference, actual and error need none.
    if (this.input.actual) this.root.append(this.failing());
    status('over the trace budget', 'error');
    document.body.dataset.ready = String(Date.now());
  }

  private render() {
    const s = this.session!;
    const spec = s.spec;
    const shape = this.input.shape;
    this.root.textContent = '';
    this.views.clear();
    this.root.append(this.controls());
    if (this.input.actual) this.root.append(this.failing());

    const left = el('div', { class: 'col left' });
    const right = el('div', { class: 'col right' });
    this.root.append(el('div', { class: 'row' }, left, right));

    const own = programOf(this.input.kernel).spec.wgsl;
    const stages = s.trace.stages.map((st) => (st.file === own && (this.input.wgslFile || this.code !== this.unedited) ? { ...st, file: this.fileShown(own) } : st));
    if (stages.length > 1) {
      const pick = el('select', { id: 'stage' });
      stages.forEach((st, i) => pick.append(el('option', { value: String(i) }, `stage ${i + 1}: ${st.file}`)));
      pick.value = String(this.stage);
      pick.addEventListener('change', () => {
        this.stage = Number(pick.value);
        this.render();
      });
      left.append(pick);
    }
    this.grid = new GridView(left, stages, this.stage, (inv) => this.selectInvocation(inv));
    left.append(this.scrubber());
    left.append(el('div', { id: 'selection', class: 'selection' }));

    for (const name of s.trace.buffers) {
      const b = spec.buffers[name]!;
      const dims = dimsOf(spec, name, shape);
      const view = new (dims.reduce((x, y) => x * y, 1) > BIG ? BigBufferView : BufferView)(right, {
        // The failing case's maps choose so too (failing.ts): one value was teal there and dark red here (trial 187 B5).
        name, type: b.type, dims, scale: scaleFor(this.input.expected?.[name] ?? s.trace.outputs[name]!),
        onSelect: (i) => this.selectElement(name, i),
        describe: (i) => {
          const acc = s.accessesTo(name, i);
          const r = new Set(acc.filter((a) => a.kind & READ).map((a) => a.invocation)).size;
          const w = new Set(acc.filter((a) => a.kind & WRITE).map((a) => a.invocation)).size;
          return `read by ${r}, written by ${w} invocation${w === 1 ? '' : 's'}`;
        },
      });
      view.setValues(s.trace.outputs[name]!, this.input.expected?.[name]);
      this.views.set(name, view);
    }

    // Each line's accesses, of the stages that run the file shown: mlp's four stages are four files, and relu's line
    // 16 was annotated on the matmul shown (a new user's).
    const shownFile = s.trace.stages[this.stage]!.file;
    const shown = (i: number) => s.trace.stages[s.trace.stage[i]!]?.file === shownFile;
    const lines = new Map<number, string>();
    for (let i = 0; i < s.trace.count; i++) {
      const l = s.trace.line[i]!;
      if (!lines.has(l) && shown(i)) lines.set(l, '');
    }
    for (const l of lines.keys()) {
      const names = new Set<string>();
      for (let i = 0; i < s.trace.count && names.size < 4; i++) if (s.trace.line[i] === l && shown(i)) names.add(`${s.trace.buffers[s.trace.buffer[i]!]}:${KIND_NAME(s.trace.kind[i]!)}`);
      lines.set(l, `← ${[...names].join(' ')}`);
    }
    const bottom = el('div', { class: 'row' });
    this.root.append(bottom);
    const srcCol = el('div', { class: 'col' });
    bottom.append(srcCol);
    srcCol.append(this.stepControls());
    const stageFile = s.trace.stages[this.stage]!.file;
    const code = stageFile === spec.wgsl ? this.code : this.program.sources[stageFile]!;
    this.source = new SourcePane(srcCol, code, lines);
    this.source.onLine = (line) => {
      this.stepLine = line;
      this.refresh();
    };
    bottom.append(this.editor());
    this.lockstep = mountLockstep(this.root, { kernel: this.input.kernel, code: this.code, c: s.c, stage: this.stage, workgroups: s.trace.stages[this.stage]!.workgroups, message: this.input.message });

    if (this.input.worst) this.selectElement(this.input.worst.buffer, this.input.worst.index);
    else this.refresh();
  }

  /** What the inputs are: the saved case's, or drawn by the page; never the family's draw for the shape's seed and
   *  dist, which the page cannot make (a family's `cases` is an fc arbitrary, not a function of the shape). */
  private inputsNote(): string {
    const sizes = Object.entries(this.session!.c.inputs).map(([k, a]) => `${k}[${a.length}]`).join(', ');
    // A -spread-y case is traced as it ran, spread over y (trial 71 B2: the full dispatch showed no finding).
    const spread = this.input.spreadY ? spreadRan(this.program, this.input.shape) : undefined;
    if (this.input.actual) return `inputs ${sizes}: the saved case's, as the engine ran them.${spread ? ` Traced as it ran: ${spread.replace(/^this case ran as /, '')}.` : ''}`;
    const shape = this.input.shape;
    const family = 'seed' in shape || 'dist' in shape
      ? ` — not what kernelscope test draws for seed ${jsonText(shape.seed)}${'dist' in shape ? `, dist ${jsonText(shape.dist)}` : ''}`
      : '';
    return `inputs ${sizes}: drawn by the page (f32 uniform in [-1, 1), u32 0…63, i32 -32…31; seed 1)${family}.${this.input.caseLeft ? ` (${this.input.caseLeft}.)` : ''}`;
  }

  private controls(): HTMLElement {
    const box = el('form', { class: 'controls', id: 'controls' });
    const s = this.session!;
    for (const [k, v] of Object.entries(this.input.shape)) {
      // A string, vector or object of the shape (a dist, a gravity [0, 0, 0.003]): shown, not offered.
      if (typeof v !== 'number') {
        const text = jsonText(v);
        box.append(el('label', { title: 'a field of the case\'s shape: shown, not editable here' }, `${k} `, el('input', { name: `shape.${k}`, value: text, size: String(Math.min(Math.max(text.length, 4), 30)), readonly: '', disabled: '' })));
        continue;
      }
      // The page draws its own inputs (drawInputs: seed 1), so a family's `seed` field changed nothing: shown, not
      // offered (the inputs note says what the inputs are).
      if (k === 'seed') {
        box.append(el('label', { title: "the family's draw seed: the page's inputs do not come from it (see below)" }, 'seed ', el('input', { name: `shape.${k}`, value: String(v), size: '8', readonly: '', disabled: '' })));
        continue;
      }
      // A count (an integer of 1 or more) keeps min 1; a dt of 0.125 or a negative offset takes any value: with min 1
      // on every field, the browser refused the form and Re-trace silently did nothing.
      const count = Number.isInteger(v) && v >= 1;
      box.append(el('label', {}, `${k} `, el('input', { name: `shape.${k}`, type: 'number', value: String(v), ...(count ? { min: '1', step: '1' } : { step: 'any' }) })));
    }
    const st = s.trace.stages[this.stage]!;
    // The editor holds the kernel's own file: a stage of another file is shown, not rewritten (trial 67 B2).
    const own = st.file === programOf(this.input.kernel).spec.wgsl;
    box.append(el('label', { title: own ? `rewrites the @workgroup_size of this stage's entry point (${st.entry}) for the page's runs` : `this stage runs ${st.file}, which the editor does not hold: its size is shown, not editable here` },
      'workgroup size ', el('input', { name: 'wgsize', value: st.workgroupSize.join(','), size: '8', ...(own ? {} : { readonly: '', disabled: '' }) })));
    box.append(el('label', {}, 'dispatch ', el('input', { name: 'dispatch', value: (this.dispatch ?? st.workgroups).join(','), size: '8', title: 'workgroups x,y,z for every stage' })));
    const auto = el('button', { type: 'button', id: 'auto-dispatch' }, 'spec dispatch');
    const apply = el('button', { type: 'submit', id: 'apply' }, 'Re-trace');
    // The shape as the fields say: "spec dispatch" after an edit of the width had traced the old width.
    const readShape = () => {
      const f = new FormData(box);
      const before = JSON.stringify(this.input.shape);
      for (const [k, v] of Object.entries(this.input.shape)) if (typeof v === 'number' && f.has(`shape.${k}`)) this.input.shape[k] = Number(f.get(`shape.${k}`));
      if (this.input.actual && JSON.stringify(this.input.shape) !== before) {
        // Another shape is another case: the counterexample's inputs (1 element) no longer fit it, and its output,
        // reference and message are not this case's. The page said the family's properties file disagreed, then threw.
        this.input.caseLeft = `the saved case was ${before}`;
        for (const k of ['actual', 'expected', 'worst', 'message', 'fixture', 'spreadY'] as const) delete this.input[k];
      }
      if (!this.input.actual) this.input.inputs = undefined;
      // The workgroup size field, read by both buttons: "spec dispatch" put 32,1,1 back to 64,1,1 without a word.
      const ws = String(f.get('wgsize') ?? st.workgroupSize.join(',')).split(',').map(Number);
      if (own && ws.join(',') !== st.workgroupSize.join(',') && ws.every((n) => Number.isInteger(n) && n >= 1)) this.code = withWorkgroupSize(this.code, ws, st.entry);
    };
    // One trace at a time: a second click while one ran drew the page from a session the first replaced
    // ("undefined is not iterable" in setValues). render() puts fresh buttons in when the trace is drawn.
    const start = () => {
      auto.disabled = apply.disabled = true;
      void this.run().finally(() => {
        auto.disabled = apply.disabled = false;
      });
    };
    auto.addEventListener('click', () => {
      if (auto.disabled) return;
      readShape();
      this.dispatch = undefined;
      start();
    });
    box.append(apply, auto);
    box.addEventListener('submit', (e) => {
      e.preventDefault();
      if (apply.disabled) return;
      const f = new FormData(box);
      readShape();
      const d = String(f.get('dispatch')).split(',').map(Number);
      if (d.join(',') !== st.workgroups.join(',')) this.dispatch = [d[0] || 1, d[1] || 1, d[2] || 1];
      start();
    });
    const lesson = LESSONS.find((l) => l.kernel === this.input.kernel);
    const wrap = el('div', { class: 'top' }, box, el('p', { class: 'summary', id: 'inputs-note' }, this.inputsNote()));
    // The lesson describes the library's WGSL: over a case of a user's own (`--wgsl`) or an edit, it would describe a
    // kernel that is not the one shown (a new user's swapped matmul was told "invocation (x, y) computes C[y][x]").
    const library = programOf(this.input.kernel).sources[programOf(this.input.kernel).spec.wgsl];
    if (lesson && this.code === library) wrap.append(el('p', { class: 'lesson' }, el('b', {}, lesson.title + '. '), lesson.text));
    else if (lesson) wrap.append(el('p', { class: 'lesson' }, el('b', {}, 'Your WGSL. '), `This is not the library's ${this.input.kernel}, so its lesson is left out: the grid and the panels below show what your kernel did.`));
    const t = s.trace;
    const unwritten = Object.entries(s.writers).filter(([n]) => holdsResults(s.spec.buffers[n])).reduce((a, [, w]) => a + w.filter((x) => x === 0).length, 0);
    const multi = s.overlapping;
    wrap.append(el('p', { class: 'summary', id: 'summary' },
      // Storage only (the engine's trace): a trial read "14 accesses by 13 of 64 invocations" as 51 idle ones, where
      // all 64 wrote workgroup memory, which the lockstep panel traces.
      `${t.count.toLocaleString()} storage buffer accesses by ${s.busy().size} of ${t.stages.reduce((a, x) => a + x.invocations, 0)} invocations${declaresWorkgroupMemory(this.code) ? ' (workgroup memory: the lockstep panel below)' : ''}. `,
      el('span', { class: unwritten ? 'bad' : '' }, `${unwritten} output element${unwritten === 1 ? '' : 's'} never written`), ', ',
      el('span', { class: multi ? 'bad' : '' }, `${multi} written by more than one invocation of one stage`), '.'));
    return wrap;
  }

  private failing(): HTMLElement {
    // The saved failure is of the WGSL before an edit: said so above it, since the trace below is of the edit.
    const before = this.code === this.unedited ? {} : { warning: [this.input.warning, `This is the saved case as it failed on ${this.openedFile(this.program.spec.wgsl)} before your edit; the trace below runs the edited WGSL.`].filter(Boolean).join(' ') };
    const f = failingSection({ ...this.input, ...before, spec: this.program.spec, actual: this.input.actual! },
      this.session ? (buffer, i) => this.selectElement(buffer, i) : undefined);
    for (const [k, v] of f.views) this.views.set(k, v);
    this.failingPick = { buffer: f.buffer, pick: f.pick };
    const differs = this.code === this.unedited ? this.traceDiffers(f.buffer) : undefined;
    if (differs) f.box.querySelector('.message')!.after(el('p', { class: 'note bad', id: 'trace-differs' }, differs));
    return f.box;
  }

  /** Where the trace's own run of the case left `buffer` other than the engine's failing output: said above the trace,
   *  whose values and accesses are of that run (trial 187 B1: an out-of-bounds store Dawn clamped into the last row,
   *  which the interpreter dropped, drew a trace that matched the reference beside the failure). */
  private traceDiffers(buffer: string): string | undefined {
    const s = this.session;
    const traced = s?.trace.outputs[buffer];
    const actual = this.input.actual?.[buffer];
    if (!s || !traced || !actual || traced.length !== actual.length) return undefined;
    const bits = (a: TypedArray) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const [x, y] = [bits(traced), bits(actual)];
    const size = actual.BYTES_PER_ELEMENT;
    let first = -1;
    let count = 0;
    for (let i = 0; i < actual.length; i++) {
      for (let b = i * size; b < (i + 1) * size; b++) {
        if (x[b] !== y[b]) {
          if (first < 0) first = i;
          count++;
          break;
        }
      }
    }
    if (!count) return undefined;
    const on = s.trace.source === 'gpu' ? "the page's WebGPU" : 'the interpreter';
    return `The trace below ran this case on ${on}, whose ${buffer} differs from the engine's output at ${count} of ${actual.length} elements (first ${buffer}[${first}]: ` +
      `${fmt(Number(actual[first]))} on the engine, ${fmt(Number(traced[first]))} in the trace): its values and accesses are of that run, not of the one that failed. ` +
      'An access out of bounds is one cause: an engine may clamp it into the buffer, where the interpreter drops a store and reads 0.';
  }

  private scrubber(): HTMLElement {
    const s = this.session!;
    const n = s.trace.count;
    const range = el('input', { type: 'range', min: '0', max: String(n), value: '0', id: 'scrub' }) as HTMLInputElement;
    const label = el('span', { id: 'scrub-label' }, 'time: all accesses (drag to replay)');
    const play = el('button', { type: 'button', id: 'play' }, '▶ replay');
    let timer: number | undefined;
    const set = (v: number) => {
      this.scrub = v;
      range.value = String(v);
      if (v === 0) label.textContent = 'time: all accesses (drag to replay)';
      else {
        const i = v - 1;
        const ids = invocationIds(s.trace.stages, s.trace.invocation[i]!);
        label.textContent = `access ${v}/${n}: invocation (${ids.global.join(',')}) ${KIND_NAME(s.trace.kind[i]!)} ${s.trace.buffers[s.trace.buffer[i]!]}[${s.trace.index[i]}] line ${s.trace.line[i]}`;
        this.source?.highlight(s.trace.line[i]!, 'scrub');
      }
      this.refresh();
    };
    range.addEventListener('input', () => set(Number(range.value)));
    play.addEventListener('click', () => {
      if (timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
        return;
      }
      const stepBy = Math.max(1, Math.ceil(n / 300));
      let v = 0;
      timer = window.setInterval(() => {
        v = Math.min(n, v + stepBy);
        set(v);
        if (v >= n) {
          clearInterval(timer);
          timer = undefined;
        }
      }, 30);
    });
    return el('div', { class: 'scrubber' }, play, range, label);
  }

  private stepControls(): HTMLElement {
    const bar = el('div', { class: 'stepper' });
    const mk = (id: string, text: string, f: () => void) => {
      const b = el('button', { type: 'button', id }, text);
      b.addEventListener('click', f);
      bar.append(b);
    };
    mk('debug-start', 'Debug selected invocation', () => this.startDebug());
    mk('step-over', 'Step over', () => this.source?.step('over'));
    mk('step-into', 'Step into', () => this.source?.step('into'));
    mk('step-out', 'Step out', () => this.source?.step('out'));
    mk('continue', 'Continue to breakpoint', () => this.source?.step('continue'));
    bar.append(el('span', { class: 'hint' }, 'click a line number for a breakpoint'));
    // The stepper runs one invocation alone: workgroup memory holds none of the others' writes, so a tiled matmul's
    // `acc` read 0 all the way through (trial 78 B1). Said before a learner steps, with where to look instead.
    if (!declaresWorkgroupMemory(this.code)) return bar;
    return el('div', {}, bar, el('p', { class: 'hint', id: 'debug-alone' }, 'This steps one invocation alone: what the other invocations of its workgroup write to workgroup memory is not there, so values read from it here are not the kernel\'s. Step the whole workgroup in the lockstep panel below, which shows workgroup memory as it runs.'));
  }

  private startDebug() {
    const s = this.session!;
    const inv = this.selected.invocation ?? [...s.busy()][0]!;
    if (this.selected.invocation === undefined) this.selectInvocation(inv);
    const ids = invocationIds(s.trace.stages, inv);
    const stage = s.trace.stages[ids.stage]!;
    const bc = toBatchCase(this.program, this.session!.c, () => 0);
    const d = bc.dispatches[ids.stage]!;
    const groups: Record<string, Record<string, unknown>> = {};
    for (const b of d.bindings) {
      const buf = bc.buffers[b.buffer]!;
      const bytes = new Uint8Array(Math.max(4, Math.ceil(buf.size / 4) * 4));
      if (buf.data) bytes.set(buf.data);
      else if (buf.fill) new Uint32Array(bytes.buffer).fill(buf.fill >>> 0);
      // A later stage starts from what the earlier ones left: take the trace's outputs for scratch buffers.
      const name = s.trace.buffers[b.buffer];
      if (ids.stage > 0 && name && s.spec.buffers[name]!.role === 'scratch') bytes.set(new Uint8Array(s.trace.outputs[name]!.buffer.slice(0)));
      (groups[String(b.group)] ??= {})[String(b.binding)] = buf.kind === 'uniform' ? { uniform: bytes.buffer } : bytes;
    }
    this.source!.start(stage.entry, ids.global, stage.workgroups, groups);
  }

  private editor(): HTMLElement {
    const box = el('section', { class: 'editor' });
    const ta = el('textarea', { id: 'wgsl-editor', spellcheck: 'false', rows: '22', cols: '70' }) as HTMLTextAreaElement;
    ta.value = this.code;
    const run = el('button', { type: 'button', id: 'editor-run' }, 'Run edited WGSL and its properties (WebGPU + interpreter)');
    const out = el('div', { id: 'editor-result', class: 'editor-result' });
    run.addEventListener('click', async () => {
      const err = parseError(ta.value);
      if (err) {
        out.className = 'editor-result error';
        out.dataset.line = String(err.line);
        out.textContent = `line ${err.line}: ${err.message} (the view still shows the last WGSL that ran)`;
        return;
      }
      const previous = this.code;
      this.code = ta.value;
      if (!this.input.actual) this.input.inputs = undefined;
      run.disabled = true;
      out.textContent = 'tracing the edited kernel…';
      const ok = await this.run().catch((e) => {
        this.code = previous;
        out.className = 'editor-result error';
        out.textContent = String((e as Error).message);
        return false;
      });
      run.disabled = false;
      // A successful run re-rendered the view: the editor now on the page is a new one.
      if (ok) await this.checkProperties(this.root.querySelector<HTMLElement>('section.editor')!);
    });
    // Which file: the spec's own, whatever stage is shown (trial 67 B2 edited stage 2's softmax in a box holding stage 1).
    const own = programOf(this.input.kernel).spec.wgsl;
    const others = [...new Set(this.session?.trace.stages.map((st) => st.file).filter((f) => f !== own) ?? [])];
    box.append(el('h3', { id: 'editor-file' }, `Edit the kernel: ${this.openedFile(own)}${others.length ? ` (its other stages' ${others.join(', ')} are shown above, not edited here)` : ''}`), ta, run, out,
      el('p', { id: 'editor-interpreter', class: 'interpreter' }),
      el('ul', { id: 'editor-properties', class: 'verdicts' }));
    return box;
  }

  /** The edited kernel's real properties on the page's WebGPU, and the displayed case in the interpreter too. */
  private async checkProperties(box: HTMLElement) {
    const s = this.session!;
    const program = this.program;
    const out = box.querySelector<HTMLElement>('#editor-result')!;
    const list = box.querySelector<HTMLElement>('#editor-properties')!;
    const agree = box.querySelector<HTMLElement>('#editor-interpreter')!;
    out.className = 'editor-result';
    list.textContent = '';
    delete list.dataset.done;
    const engine = await pageEngine();
    if (!engine) {
      out.className = 'editor-result error';
      out.textContent = 'this page has no WebGPU: the properties run on the page\'s GPU';
      list.dataset.done = 'no-webgpu';
      return;
    }
    agree.textContent = 'running the case in the interpreter…';
    try {
      const a = await compareWithInterpreter(engine, program, s.c);
      agree.dataset.equal = String(a.equal);
      agree.className = `interpreter ${a.equal === false ? 'bad' : ''}`;
      agree.textContent = a.text;
    } catch (e) {
      agree.dataset.equal = 'error';
      agree.className = 'interpreter bad';
      agree.textContent = `could not compare with the interpreter: ${(e as Error).message}`;
    }
    const t0 = performance.now();
    try {
      const results = await runPageProperties(engine, program, (r, done, total) => {
        list.append(verdictItem(r));
        out.textContent = `${done} of ${total} properties run (seed ${PAGE_RUN.seed}, ${PAGE_RUN.runs} draws each)`;
      }, (name) => {
        out.textContent = `${out.textContent.split(';')[0]}; running ${name}…`;
      });
      const failed = results.filter((r) => r.status !== 'pass' && r.status !== 'skip').length;
      const skipped = results.filter((r) => r.status === 'skip').length;
      out.className = `editor-result ${failed ? 'error' : ''}`;
      // A skip is not a pass (matches-reference-spread-y skips a kernel whose dispatch does not spread): said apart.
      out.textContent = `${results.length - failed - skipped} of ${results.length} properties pass${skipped ? `, ${skipped} skipped` : ''} on the page's WebGPU (seed ${PAGE_RUN.seed}, ${PAGE_RUN.runs} draws each, ${((performance.now() - t0) / 1000).toFixed(1)} s)`;
    } catch (e) {
      out.className = 'editor-result error';
      out.textContent = `could not run the properties: ${(e as Error).message}`;
    }
    list.dataset.done = String(Date.now());
  }

  selectInvocation(inv: number) {
    this.selected = { invocation: inv };
    const s = this.session!;
    const ids = invocationIds(s.trace.stages, inv);
    if (ids.stage !== this.stage) {
      this.stage = ids.stage;
      this.render();
      this.selected = { invocation: inv };
    }
    const acc = s.accessesOf(inv);
    const box = document.getElementById('selection')!;
    box.textContent = '';
    box.append(el('h3', {}, `invocation ${inv}: global (${ids.global.join(', ')}), local (${ids.local.join(', ')}), workgroup (${ids.workgroup.join(', ')})`));
    // Said from what was traced: the engine's trace holds storage only, and a trial's invocation that wrote workgroup
    // memory and ran to the end was said to have "returned early".
    const shared = this.lockstep?.sharedAccessesOf(ids.stage, ids.workgroup, ids.localIndex);
    const early = this.lockstep?.returnedEarlyOf(ids.stage, ids.workgroup, ids.localIndex);
    if (!Object.keys(acc).length) {
      const why = early ? ': it returned early' : shared?.size ? '; its workgroup memory accesses are below' : shared ? ' or workgroup memory' : '';
      box.append(el('p', { id: 'selection-none' }, `touched no storage buffer${why}`));
    }
    const accessLine = (name: string, list: InvocationAccess[], label: string, attr: string, words?: number) => {
      const reads = list.filter((a) => a.kind & READ);
      const writes = list.filter((a) => a.kind & WRITE);
      // An index past the buffer's end is said so: a new user's `<=` matmul listed c[1] and c[2] of a 1-element c as
      // plain writes, and the value they clamped into c[0] was credited to the one invocation that computed it right.
      // A workgroup variable's words too (trial 187 B2: a store past a tile's end was listed as 17 plain writes).
      const length = words ?? (s.spec.buffers[name] ? s.spec.buffers[name]!.length(this.input.shape) : Infinity);
      const unit = words === undefined ? 'element' : 'word';
      const fmtList = (l: typeof list) => {
        const byLine = new Map<number, number[]>();
        for (const a of l) (byLine.get(a.line) ?? byLine.set(a.line, []).get(a.line)!).push(a.index);
        return [...byLine].map(([line, idx]) => {
          const out = idx.filter((i) => i >= length);
          return `line ${line}: [${compact(idx)}]${out.length ? ` (${out.length === idx.length ? 'all' : out.length} past the end of ${name}, which has ${length} ${unit}${length === 1 ? '' : 's'})` : ''}`;
        }).join('; ');
      };
      return el('p', { [attr]: name }, el('b', {}, label), reads.length ? ` read ${reads.length}× ${fmtList(reads)}` : '', writes.length ? ` written ${writes.length}× ${fmtList(writes)}` : '');
    };
    for (const [name, list] of Object.entries(acc)) box.append(accessLine(name, list, name, 'data-buffer'));
    // Workgroup memory comes from the lockstep trace of the invocation's workgroup (the engine's trace has storage
    // only): listed when that workgroup is the one traced below, else said where to get it.
    if (shared) for (const [name, list] of shared) box.append(accessLine(name, list, `var<workgroup> ${name}`, 'data-workgroup-var', this.lockstep?.sharedWordsOf(ids.stage, ids.workgroup, name)));
    else if (this.lockstep?.tracedWorkgroup) {
      box.append(el('p', { id: 'selection-shared-hint' }, `its workgroup memory: step workgroup (${ids.workgroup.join(', ')}) in the lockstep panel below to list its accesses (the panel has (${this.lockstep.tracedWorkgroup.join(', ')}))`));
    }
    this.refresh();
  }

  selectElement(buffer: string, index: number) {
    const s = this.session!;
    this.selected = { element: { buffer, index } };
    const acc = s.accessesTo(buffer, index);
    const box = document.getElementById('selection')!;
    box.textContent = '';
    const v = s.trace.outputs[buffer]?.[index];
    box.append(el('h3', {}, `${buffer}[${index}] = ${v === undefined ? '?' : fmt(v)}`));
    const lines = (k: number) => {
      const m = new Map<number, Set<number>>();
      for (const a of acc) if (a.kind & k) (m.get(a.invocation) ?? m.set(a.invocation, new Set()).get(a.invocation)!).add(a.line);
      return m;
    };
    // With stages in several files (mlp), a line is named with its file; with several stages, an invocation with its
    // stage (trial 223 B1: "(0,0,0) line 62; (0,0,0) line 73" read as one invocation counted twice).
    const files = new Set(s.trace.stages.map((st) => st.file)).size > 1;
    const staged = s.trace.stages.length > 1;
    const fmtInv = (m: Map<number, Set<number>>) => [...m].slice(0, 64).map(([inv, l]) => {
      const ids = invocationIds(s.trace.stages, inv);
      return `${staged ? `stage ${ids.stage + 1} ` : ''}(${ids.global.join(',')}) line ${files ? `${s.trace.stages[ids.stage]!.file}:` : ''}${[...l].join(',')}`;
    }).join('; ') + (m.size > 64 ? ` … ${m.size - 64} more` : '');
    const w = lines(WRITE);
    const r = lines(READ);
    // "read by 0:" followed by nothing read as a list cut off (trial 187 B4).
    box.append(el('p', { id: 'element-writers' }, el('b', {}, w.size ? `written by ${w.size}: ` : 'written by none'), fmtInv(w)));
    box.append(el('p', {}, el('b', {}, r.size ? `read by ${r.size}: ` : 'read by none'), fmtInv(r)));
    // Writes past the end land anywhere in the buffer on a GPU (WGSL §"Out-of-Bounds Access"), this element included.
    const length = s.spec.buffers[buffer]!.length(this.input.shape);
    let past = 0;
    for (let i = 0; i < s.trace.count; i++) if (s.trace.buffers[s.trace.buffer[i]!] === buffer && s.trace.index[i]! >= length && s.trace.kind[i]! & WRITE) past++;
    if (past) box.append(el('p', { class: 'bad', id: 'element-oob' }, `${past} write${past === 1 ? '' : 's'} went past the end of ${buffer} (${length} element${length === 1 ? '' : 's'}): a GPU may drop such a write or store it to any element of ${buffer}, this one included, so its value need not be its writers'. Fix the bounds check first (no-out-of-bounds names the invocation and line).`));
    // The failing panel follows an element of its own buffer (its line above says which), and is left alone for
    // another buffer's (trial 161 B4: "y[63]: actual ..." above "y[62] was written by", or "a[0] was written by" under
    // a failure of b).
    const writers = this.failingPick?.buffer === buffer ? document.getElementById('writers') : null;
    if (writers) {
      this.failingPick!.pick(index, false);
      writers.textContent = '';
      writers.append(el('b', {}, `${buffer}[${index}] was written by ${w.size} invocation${w.size === 1 ? '' : 's'}: `), fmtInv(w) || 'none');
    }
    this.refresh();
  }

  /** Redraws marks for the current selection, scrub position and stepped line. */
  refresh() {
    const s = this.session!;
    const t = s.trace;
    const marks = new Map<string, Uint8Array>();
    for (const name of t.buffers) {
      const m = new Uint8Array(s.spec.buffers[name]!.length(this.input.shape));
      const w = s.writers[name]!;
      if (holdsResults(s.spec.buffers[name])) for (let i = 0; i < m.length; i++) if (w[i] === 0) m[i]! |= MARK_UNWRITTEN;
      for (let i = 0; i < m.length; i++) if (w[i]! > 1) m[i]! |= MARK_MULTI;
      marks.set(name, m);
    }
    const st = t.stages[this.stage]!;
    const flags = new Uint8Array(st.invocations);
    for (const inv of s.busy()) if (inv >= st.firstInvocation && inv < st.firstInvocation + st.invocations) flags[inv - st.firstInvocation]! |= INV_BUSY;
    const inv = this.selected.invocation;
    const elt = this.selected.element;
    const upTo = this.scrub > 0 ? this.scrub : 0;
    for (let i = 0; i < t.count; i++) {
      const name = t.buffers[t.buffer[i]!]!;
      const m = marks.get(name)!;
      const idx = t.index[i]!;
      if (idx >= m.length) continue;
      const k = t.kind[i]!;
      if (upTo && i < upTo) m[idx]! |= k & WRITE ? MARK_WRITE : MARK_READ;
      if (upTo && i === upTo - 1) m[idx]! |= MARK_STEP;
      if (inv !== undefined && t.invocation[i] === inv) {
        m[idx]! |= k & WRITE ? MARK_WRITE : 0;
        m[idx]! |= k & READ && !(k & WRITE) ? MARK_READ : 0;
        if (this.stepLine > 0 && t.line[i] === this.stepLine) m[idx]! |= MARK_STEP;
      }
      if (elt && elt.buffer === name && elt.index === idx) {
        const n = t.invocation[i]! - st.firstInvocation;
        if (n >= 0 && n < flags.length) flags[n]! |= k & WRITE ? INV_WRITE : INV_READ;
      }
    }
    if (inv !== undefined && inv >= st.firstInvocation && inv < st.firstInvocation + st.invocations) flags[inv - st.firstInvocation]! |= INV_SELECTED;
    if (upTo) {
      const n = t.invocation[upTo - 1]! - st.firstInvocation;
      if (n >= 0 && n < flags.length) flags[n]! |= INV_SELECTED;
    }
    if (elt) marks.get(elt.buffer)?.[elt.index] !== undefined && (marks.get(elt.buffer)![elt.index]! |= MARK_SELECTED);
    for (const [name, view] of this.views) {
      const base = name.split('.')[0]!;
      const m = marks.get(base);
      if (name.includes('.')) {
        // The failing-case maps mark only the selected element.
        const mm = new Uint8Array(view.length);
        if (elt && elt.buffer === base) mm[elt.index] = MARK_SELECTED;
        view.setMarks(mm);
      } else view.setMarks(m);
      view.draw();
    }
    this.grid?.draw(flags);
  }

  private testHooks() {
    return {
      session: this.session,
      gridCenter: (g: [number, number, number]) => this.grid!.centerOf(g),
      elementCenter: (buffer: string, i: number) => this.views.get(buffer)!.centerOf(i),
      drawMs: () => Object.fromEntries([...this.views].map(([k, v]) => [k, v.lastDrawMs])),
    };
  }
}

/** One property's verdict: status, name, the worst error against its bound, and the failure's message. */
function verdictItem(r: PropertyResult): HTMLElement {
  const ratio = r.maxError?.boundRatio;
  const li = el('li', { 'data-property': r.property, 'data-status': r.status, class: `verdict ${r.status}` },
    el('span', { class: 'badge' }, r.status), ' ', el('b', {}, r.property),
    ` (${r.runs} run${r.runs === 1 ? '' : 's'}, ${(r.durationMs / 1000).toFixed(1)} s)`);
  if (ratio !== undefined) li.append(el('span', { class: 'ratio', title: 'worst error / the bound it must stay within' }, ` error/bound ${Number.isFinite(ratio) ? ratio.toPrecision(3) : '∞'}`));
  if (r.counterexample) li.append(el('span', { class: 'shrunk' }, ` ${r.counterexample.path.includes(':') ? 'shrunk to' : 'failed on'} ${jsonText(r.counterexample.shrunk)}`));
  if (r.error) li.append(el('div', { class: 'message' }, r.error));
  return li;
}

function compact(idx: number[]): string {
  const s = [...new Set(idx)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; i++) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    parts.push(j > i + 1 ? `${s[i]}…${s[j]}` : j === i + 1 ? `${s[i]}, ${s[j]}` : String(s[i]));
    i = j;
  }
  const out = parts.join(', ');
  return out.length > 300 ? out.slice(0, 300) + '…' : out;
}

/** The lesson's shape, or for a kernel that has none (a user's library) the smallest of 20 cases its family draws
 *  (seed 1, by total buffer length): a shape its own properties accept, where a guessed `{ n: 64 }` may name no field
 *  the kernel reads. */
export async function defaultShape(kernel: string): Promise<Record<string, unknown>> {
  if (DEFAULT_SHAPES[kernel]) return { ...DEFAULT_SHAPES[kernel] };
  const spec = programOf(kernel).spec;
  const family = await familyOf(spec);
  const size = (shape: unknown) => Object.values(spec.buffers).reduce((n, b) => n + b.length(shape), 0);
  const shapes = fc.sample(family.cases, { seed: 1, numRuns: 20 }).map((c) => c.shape);
  // Every field, arrays too (the stages read them); controls() offers the numbers.
  return { ...(shapes.reduce((a, b) => (size(b) < size(a) ? b : a)) as Record<string, unknown>) };
}
