// Lockstep stepping of one workgroup: pick a workgroup, step it barrier phase by phase and access by access within a
// phase; the source shows how many invocations stand on each line (and how many wait at the barrier or finished),
// the invocations are drawn as a grid coloured by where they stand (an early return or a branch sets them apart), the
// workgroup memory is a heat map through the phases, and a race or out-of-bounds access opens on its two accesses.
// "Break it" deletes a barrier from the WGSL (the mutation operator's AST edit) and traces again.
import { Var, WgslParser } from 'wgsl_reflect/wgsl_reflect.module.js';
import { wgslMutants } from '../../harness/mutate/operators.ts';
import type { Case } from '../../harness/spec.ts';
import { LockstepBudgetExceeded, lockstepTraceOrFit, LockstepUnsupported, positionsAt, wordValue, type LockstepTrace } from '../../harness/trace/lockstep.ts';
import { drawInputs, programOf } from './catalog.ts';
import { fmt } from './numbers.ts';
import { accessText, findingPanel, firstFinding, invocationText, savedRaceOf, type Finding, type SavedRace } from './race.ts';
import { lastAccessOf, ranges, WorkgroupMemoryView, type Cursor } from './workgroup.ts';
import type { InvocationAccess } from './session.ts';

export interface LockstepInput {
  kernel: string;
  code: string;
  c: Case;
  stage: number;
  workgroups: [number, number, number];
  workgroup?: [number, number, number];
  /** Offer "break it" (the softmax lesson). */
  breakIt?: boolean;
  /** The counterexample's message reports a race or an out-of-bounds access. */
  expectFinding?: boolean;
  /** The two workgroups of a race between workgroups, as its message names them. */
  raceAcross?: [string, string];
  /** The element of the counterexample's race, which the view opens on where this workgroup's run races on it. */
  savedRace?: SavedRace;
}

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string)[]) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...kids);
  return e;
};

const CSS = `
.lockstep { border-top: 1px solid #333; margin-top: 12px; padding-top: 8px; }
.lockstep h2 { font-size: 14px; margin: 2px 0 6px; }
.ls-bar { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.ls-where { font: 12px ui-monospace, monospace; color: #ffd479; }
.ls-code { position: relative; margin: 0; background: #0d0f12; padding: 6px 0; max-height: 560px; overflow: auto; min-width: 600px; font: 12px/1.45 ui-monospace, monospace; }
.ls-line { white-space: pre; padding-right: 8px; }
.ls-line .no { color: #5d6875; padding: 0 6px 0 4px; }
.ls-line .count { display: inline-block; min-width: 5.5em; text-align: right; padding-right: 6px; color: #0d0f12; }
.ls-line.occupied .count { color: #7fd1ff; }
.ls-line.waiting .count { color: #c0c0c0; }
.ls-line.current { background: #5b4a00; }
.ls-line.race { background: #5a1a1a; }
.ls-groups { font: 12px ui-monospace, monospace; max-width: 520px; }
.ls-groups div { margin: 1px 0; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; vertical-align: middle; }
.ls-locals { font: 12px ui-monospace, monospace; min-width: 200px; max-width: 420px; }
#ls-invocations { align-self: flex-start; }
.finding { border: 1px solid #8a2a2a; background: #231414; padding: 6px 10px; margin: 6px 0; max-width: 1100px; }
.finding p { margin: 0 0 4px; color: #ffb0b0; }
.ls-unsupported { color: #ffcf6b; }
.ls-phase-list { font: 12px ui-monospace, monospace; color: #aab4c0; }
`;

const PALETTE = ['#4cc9f0', '#f4a261', '#90be6d', '#f94144', '#b388eb', '#f9c74f', '#43aa8b', '#ff7eb6'];
const WAITING = '#5d6875';
// Finished: an outline on the background (black cells vanished on the near-black page).
const FINISHED = '#15181c';
const FINISHED_EDGE = '#8a94a0';

export class LockstepPanel {
  readonly root: HTMLElement;
  private trace?: LockstepTrace;
  private cursor: Cursor = { phase: 0, access: null };
  private memory?: WorkgroupMemoryView;
  private finding?: Finding;
  private selected?: number;
  private code: string;
  private broken?: string;

  constructor(parent: HTMLElement, private input: LockstepInput) {
    if (!document.getElementById('lockstep-css')) document.head.append(el('style', { id: 'lockstep-css' }, CSS));
    // Focusable, and stepped from the keyboard as the replay scrubber is: ← → by access, shift+← → by phase.
    this.root = el('section', { class: 'lockstep', id: 'lockstep', tabindex: '0', title: '← → step by access, shift+← → by phase' });
    this.root.addEventListener('keydown', (e) => {
      if (!this.trace || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') || (e.target as HTMLElement).tagName === 'INPUT') return;
      e.preventDefault();
      this.move(e.key === 'ArrowRight' ? 1 : -1, e.shiftKey ? 'phase' : 'access');
    });
    this.code = input.code;
    parent.append(this.root);
    this.frame();
  }

  /** The controls that stay: the workgroup picker and "break it". */
  private frame() {
    const wg = this.input.workgroup ?? [0, 0, 0];
    const pick = el('input', { id: 'ls-workgroup', value: wg.join(','), size: '8', title: `workgroup x,y,z of ${this.input.workgroups.join(' × ')}` }) as HTMLInputElement;
    const go = el('button', { type: 'button', id: 'ls-trace' }, 'Step this workgroup in lockstep');
    go.addEventListener('click', () => {
      const w = pick.value.split(',').map((x) => Number(x.trim()) || 0);
      this.run([w[0] ?? 0, w[1] ?? 0, w[2] ?? 0]);
    });
    const bar = el('div', { class: 'ls-bar' }, el('h2', {}, 'Lockstep: a whole workgroup'), 'workgroup ', pick, go);
    if (this.input.breakIt) {
      const b = el('button', { type: 'button', id: 'break-it' }, 'Break it: delete a barrier');
      b.addEventListener('click', () => this.breakIt(b));
      bar.append(b);
    }
    this.root.append(bar, el('div', { id: 'ls-body' }));
  }

  /** Deletes the first workgroupBarrier() of the entry point (the mutation operator BarrierDeletion) and traces again;
   *  a second click puts it back. */
  private breakIt(button: HTMLElement) {
    if (this.broken !== undefined) {
      this.code = this.input.code;
      this.broken = undefined;
      button.textContent = 'Break it: delete a barrier';
      this.run(this.workgroup());
      return;
    }
    const stageEntry = this.stageEntry();
    const m = wgslMutants('kernel.wgsl', this.input.code, [stageEntry]).find((x) => x.operator === 'BarrierDeletion');
    if (!m) {
      this.body().append(el('p', { class: 'ls-unsupported' }, 'this kernel has no barrier to delete'));
      return;
    }
    this.code = this.input.code.slice(0, m.start) + m.replacement + this.input.code.slice(m.end);
    this.broken = `deleted ${m.original.trim().replace(/;$/, '')} on line ${m.location.start.line}`;
    button.textContent = `Put the barrier back (line ${m.location.start.line})`;
    this.run(this.workgroup());
  }

  private stageEntry(): string {
    const p = programOf(this.input.kernel, this.code);
    return p.spec.stages(this.input.c.shape)[this.input.stage]?.entry ?? 'main';
  }

  private workgroup(): [number, number, number] {
    return this.trace?.workgroup ?? this.input.workgroup ?? [0, 0, 0];
  }

  private body(): HTMLElement {
    return this.root.querySelector<HTMLElement>('#ls-body')!;
  }

  /** Traces one workgroup and draws it; opens on its first race or out-of-bounds access when there is one. */
  run(workgroup: [number, number, number]): boolean {
    const body = this.body();
    body.textContent = '';
    delete this.root.dataset.ready;
    const program = programOf(this.input.kernel, this.code);
    try {
      this.trace = lockstepTraceOrFit(program, this.input.c, (shape) => ({ shape, inputs: drawInputs(program.spec, shape) }), { stage: this.input.stage, workgroup });
    } catch (e) {
      const why = e instanceof LockstepUnsupported ? `${e.message}. The views above show the engine's instrumented trace instead.`
        : e instanceof LockstepBudgetExceeded ? `This case is too large to step in lockstep: ${e.message}${e.fits ? '' : '; no smaller shape was found that fits'}.`
          : `could not trace in lockstep: ${(e as Error).message}`;
      body.append(el('p', { class: 'ls-unsupported', id: 'ls-error', role: 'alert' }, why));
      this.root.dataset.ready = String(Date.now());
      return false;
    }
    const t = this.trace;
    this.finding = firstFinding(t, this.input.savedRace);
    this.selected = undefined;
    const where = el('span', { class: 'ls-where', id: 'ls-where' });
    const btn = (id: string, text: string, f: () => void) => {
      const b = el('button', { type: 'button', id }, text);
      b.addEventListener('click', f);
      return b;
    };
    const nav = el('div', { class: 'ls-bar' },
      btn('ls-prev-phase', '◀◀ phase', () => this.move(-1, 'phase')), btn('ls-prev-access', '◀ access', () => this.move(-1, 'access')),
      btn('ls-next-access', 'access ▶', () => this.move(1, 'access')), btn('ls-next-phase', 'phase ▶▶', () => this.move(1, 'phase')),
      el('span', { class: 'ls-phase-list' }, '(← → keys)'), where);
    const info = `workgroup (${t.workgroup.join(', ')}) of stage ${t.stage + 1} (${t.entry}): ${t.invocations} invocations, ${t.phases.length} barrier phase${t.phases.length === 1 ? '' : 's'}, `
      + `${t.steps.toLocaleString()} steps, ${t.accessCount.toLocaleString()} accesses, traced in ${t.ms.toFixed(0)} ms`
      + `${this.broken ? ` — ${this.broken}` : ''}. Variables are shown as they are at the end of each phase.`;
    body.append(el('p', { class: 'ls-phase-list', id: 'ls-info' }, info));
    if (t.errors.length) body.append(el('p', { class: 'bad', id: 'ls-errors' }, t.errors.join('; ')));
    if (this.finding) {
      body.append(findingPanel(this.finding, () => this.openFinding()));
      const saved = this.input.savedRace;
      const f = this.finding;
      if (saved?.byte !== undefined && f.kind === 'race' && (f.element.variable !== saved.variable || f.element.word !== Math.floor(saved.byte / 4))) {
        body.append(el('p', { class: 'ls-unsupported', id: 'ls-other-race' }, `This is another race than the counterexample's (on ${saved.variable} byte ${saved.byte}): the interpreter's lockstep run of workgroup (${t.workgroup.join(', ')}) made none on that element, its order of the invocations being another than the engine's. Both are races of the kernel.`));
      }
    }
    else if (this.input.raceAcross) {
      // One workgroup in lockstep cannot hold a race between two: "not reproduced here" read as a doubtful finding
      // (trial 58 B2).
      const [a, b] = this.input.raceAcross;
      // Trial 109 B2: "the element each of them wrote", where one side read and no element was selected.
      const saved = this.input.savedRace;
      const where = saved?.byte !== undefined ? ` on ${saved.variable} element ${Math.floor(saved.byte / 4)}` : '';
      body.append(el('p', { class: 'ls-unsupported', id: 'ls-across' }, `The counterexample's race${where} is between workgroups (${a}) and (${b}): a lockstep run holds one workgroup, so it cannot show it. In the buffer views above, ${saved ? `that element of ${saved.variable}` : 'the element'} shows which invocations of the dispatch read and wrote it.`));
    } else if (this.input.expectFinding && !this.broken) {
      body.append(el('p', { class: 'ls-unsupported', id: 'ls-not-reproduced' }, `The counterexample reports a race or an out-of-bounds access, but the interpreter's lockstep run of workgroup (${t.workgroup.join(', ')}) made none: the finding is not reproduced here (another workgroup, or another engine's order of the invocations).`));
    }
    body.append(nav);
    const row = el('div', { class: 'row' });
    const codeCol = el('div', { class: 'col' });
    const side = el('div', { class: 'col' });
    row.append(codeCol, side);
    body.append(row);
    codeCol.append(this.codeListing());
    const grid = el('canvas', { id: 'ls-invocations', title: 'invocations by local_invocation_index; click one for its variables' }) as HTMLCanvasElement;
    grid.addEventListener('click', (e) => {
      const i = this.invocationAt(grid, e);
      if (i !== undefined) {
        this.selected = i;
        this.draw();
      }
    });
    side.append(el('div', { class: 'legend-row' }, 'invocations (local_invocation_index, row by row)'), grid,
      el('div', { class: 'ls-groups', id: 'ls-groups' }), el('div', { class: 'ls-locals', id: 'ls-locals' }));
    this.memory = new WorkgroupMemoryView(body, t);
    body.append(el('div', { class: 'ls-groups', id: 'ls-accesses' }));
    this.cursor = { phase: 0, access: null };
    if (this.finding) this.openFinding();
    else this.draw();
    this.root.dataset.ready = String(Date.now());
    return true;
  }

  openFinding() {
    const f = this.finding;
    if (!f || !this.trace) return;
    this.cursor = { phase: f.phase, access: f.access >= 0 ? f.access : null };
    this.selected = f.invocations[0];
    this.draw();
  }

  private move(dir: 1 | -1, by: 'phase' | 'access') {
    const t = this.trace!;
    const c = this.cursor;
    if (by === 'phase') {
      this.cursor = { phase: Math.max(0, Math.min(t.phases.length - 1, c.phase + dir)), access: null };
    } else if (dir > 0) {
      const ph = t.phases[c.phase]!;
      const next = t.phases[c.phase + 1];
      if (c.access === null) {
        if (!next) return;
        this.cursor = { phase: c.phase + 1, access: next.endAccess > next.firstAccess ? next.firstAccess : null };
      } else this.cursor = { phase: c.phase, access: c.access + 1 < ph.endAccess ? c.access + 1 : null };
    } else {
      const ph = t.phases[c.phase]!;
      const at = c.access ?? ph.endAccess;
      if (at - 1 >= ph.firstAccess) this.cursor = { phase: c.phase, access: at - 1 };
      else if (c.phase > 0) this.cursor = { phase: c.phase - 1, access: null };
    }
    this.draw();
  }

  /** Redraws everything for the cursor; times itself (a phase step must stay under 100 ms). */
  draw() {
    const t0 = performance.now();
    const t = this.trace!;
    const c = this.cursor;
    const ph = t.phases[c.phase]!;
    // At an access, the invocation making it stands on its line (its step has not finished).
    const pos = c.access === null ? positionsAt(t, c.phase, ph.endStep) : positionsAt(t, c.phase, t.access.step[c.access]! + 1, true);
    // Counts per line: running there, or waiting at the barrier on it.
    const running = new Map<number, number>();
    const waiting = new Map<number, number>();
    let finished = 0;
    for (let i = 0; i < t.invocations; i++) {
      if (pos.state[i] === 2) finished++;
      else (pos.state[i] === 1 ? waiting : running).set(pos.line[i]!, ((pos.state[i] === 1 ? waiting : running).get(pos.line[i]!) ?? 0) + 1);
    }
    const raceLines = new Set(this.finding?.lines ?? []);
    const current = c.access === null ? -1 : t.access.line[c.access]!;
    for (const div of Array.from(this.root.querySelectorAll<HTMLElement>('.ls-line'))) {
      const n = Number(div.dataset.line);
      const r = running.get(n) ?? 0;
      const w = waiting.get(n) ?? 0;
      div.dataset.count = String(r + w);
      div.classList.toggle('occupied', r > 0);
      div.classList.toggle('waiting', w > 0 && r === 0);
      div.classList.toggle('current', n === current);
      div.classList.toggle('race', raceLines.has(n));
      div.querySelector<HTMLElement>('.count')!.textContent = r + w ? `${r ? `${r}▶` : ''}${w ? ` ${w}‖` : ''}` : '·';
    }
    // Keep the line that matters in sight: the access's, else where most invocations stand.
    const busiest = [...running, ...waiting].sort((a, b) => b[1] - a[1])[0]?.[0];
    const focus = this.root.querySelector<HTMLElement>(`.ls-line[data-line="${current > 0 ? current : busiest ?? 1}"]`);
    const pre = this.root.querySelector<HTMLElement>('#ls-code')!;
    if (focus) pre.scrollTop = Math.max(0, focus.offsetTop - pre.clientHeight / 2);
    const lines = [...running.keys()].sort((a, b) => a - b);
    const colour = (i: number) => (pos.state[i] === 2 ? FINISHED : pos.state[i] === 1 ? WAITING : PALETTE[lines.indexOf(pos.line[i]!) % PALETTE.length]!);
    this.drawInvocations(colour, c);
    // The invocations grouped by where they stand: divergent ones apart.
    const groups = this.root.querySelector<HTMLElement>('#ls-groups')!;
    groups.textContent = '';
    const byPlace = new Map<string, { colour: string; inv: number[] }>();
    for (let i = 0; i < t.invocations; i++) {
      const key = pos.state[i] === 2 ? (t.returnedEarly.some((r) => r.invocation === i) ? 'returned early' : 'finished')
        : pos.state[i] === 1 ? `waiting at the barrier on line ${pos.line[i]}` : pos.line[i] ? `on line ${pos.line[i]}` : 'not started';
      const g = byPlace.get(key) ?? byPlace.set(key, { colour: colour(i), inv: [] }).get(key)!;
      g.inv.push(i);
    }
    for (const [key, g] of byPlace) {
      groups.append(el('div', { 'data-place': key, 'data-count': String(g.inv.length) }, el('span', { class: 'swatch', style: `background:${g.colour}${g.colour === FINISHED ? `;outline:1px solid ${FINISHED_EDGE}` : ''}` }),
        `${g.inv.length} ${key}: ${ranges(g.inv)}`));
    }
    // Where we are.
    // A barrier in a loop ends one phase per iteration: which time this is tells the iterations apart (trial 187 B4:
    // a tree reduction's phases 2 to 8 read alike).
    const at = (p: typeof ph) => p.end.kind === 'barrier' && ph.end.kind === 'barrier' && p.end.line === ph.end.line;
    const times = t.phases.filter(at).length;
    const time = times > 1 ? `, time ${t.phases.slice(0, c.phase + 1).filter(at).length} of ${times} there` : '';
    const end = ph.end.kind === 'barrier' ? `ends at the ${ph.end.builtin}() on line ${ph.end.line}${time}` : ph.end.kind === 'load' ? 'the workgroupUniformLoad\'s own load' : 'ends with the kernel';
    let where = `phase ${c.phase + 1}/${t.phases.length} (${end})`;
    if (c.access === null) {
      const n = ph.endAccess - ph.firstAccess;
      where += n === 0 ? ': no access' : n === 1 ? ': its one access done' : `: all ${n} accesses done`;
    }
    else {
      where += `: access ${c.access - ph.firstAccess + 1}/${ph.endAccess - ph.firstAccess}, ${accessText(t, c.access)}`;
    }
    const whereEl = this.root.querySelector<HTMLElement>('#ls-where')!;
    whereEl.textContent = where;
    this.root.dataset.phase = String(c.phase);
    this.root.dataset.access = c.access === null ? '' : String(c.access);
    this.root.dataset.finished = String(finished);
    this.memory!.show(c, this.finding?.element && t.variables.some((v) => v.name === this.finding!.element.variable && v.space === 'workgroup') ? this.finding.element : undefined);
    const accesses = this.root.querySelector<HTMLElement>('#ls-accesses')!;
    accesses.textContent = '';
    const lines2 = this.memory!.summary(c);
    accesses.append(el('b', {}, 'workgroup memory this phase so far: '), ...(lines2.length ? lines2.map((l) => el('div', {}, l)) : [el('div', {}, 'no access yet')]));
    this.drawLocals(c);
    this.root.dataset.stepMs = (performance.now() - t0).toFixed(2);
  }

  private codeListing(): HTMLElement {
    const pre = el('pre', { class: 'ls-code', id: 'ls-code' });
    const source = programOf(this.input.kernel, this.code).sources[this.trace!.file] ?? this.code;
    source.split('\n').forEach((text, i) => {
      pre.append(el('div', { class: 'ls-line', 'data-line': String(i + 1) }, el('span', { class: 'count' }, '·'), el('span', { class: 'no' }, String(i + 1).padStart(3)), text || ' '));
    });
    return pre;
  }

  private cells() {
    // Rows of local x where x is wide enough to read as a row, else a square.
    const n = this.trace!.invocations;
    const wx = this.trace!.workgroupSize[0];
    const cols = wx >= 8 ? Math.min(32, wx) : Math.ceil(Math.sqrt(n));
    // Cells of up to 40 px, a grid of about 320 px: an 8 × 8 workgroup's 12 px cells made a 96 px grid.
    return { cols, rows: Math.ceil(n / cols), size: Math.max(12, Math.min(40, Math.floor(320 / cols))) };
  }

  /** Cell geometry as displayed: CSS may draw the canvas at another size than its pixels (a flex column stretched
   *  an 8 × 8 workgroup's 96 px to 354, and a click on invocation 1 selected 12). */
  private displayed(canvas: HTMLCanvasElement) {
    const { cols, size } = this.cells();
    const r = canvas.getBoundingClientRect();
    return { cols, r, w: (size * r.width) / (canvas.width || 1), h: (size * r.height) / (canvas.height || 1) };
  }

  private invocationAt(canvas: HTMLCanvasElement, e: MouseEvent): number | undefined {
    const { cols, r, w, h } = this.displayed(canvas);
    const col = Math.floor((e.clientX - r.left) / w);
    const i = Math.floor((e.clientY - r.top) / h) * cols + col;
    return col >= 0 && col < cols && i >= 0 && i < this.trace!.invocations ? i : undefined;
  }

  /** Page coordinates of an invocation's cell (tests click there). */
  invocationCenter(i: number): { x: number; y: number } {
    const { cols, r, w, h } = this.displayed(this.root.querySelector<HTMLCanvasElement>('#ls-invocations')!);
    return { x: r.left + ((i % cols) + 0.5) * w, y: r.top + (Math.floor(i / cols) + 0.5) * h };
  }

  private drawInvocations(colour: (i: number) => string, c: Cursor) {
    const t = this.trace!;
    const canvas = this.root.querySelector<HTMLCanvasElement>('#ls-invocations')!;
    const { cols, rows, size } = this.cells();
    canvas.width = cols * size;
    canvas.height = rows * size;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#15181c';
    g.fillRect(0, 0, canvas.width, canvas.height);
    const early = new Set(t.returnedEarly.map((r) => r.invocation));
    for (let i = 0; i < t.invocations; i++) {
      const x = (i % cols) * size;
      const y = Math.floor(i / cols) * size;
      g.fillStyle = colour(i);
      g.fillRect(x + 1, y + 1, size - 2, size - 2);
      if (g.fillStyle === FINISHED) {
        g.strokeStyle = FINISHED_EDGE;
        g.strokeRect(x + 1.5, y + 1.5, size - 3, size - 3);
      }
      if (early.has(i)) {
        g.strokeStyle = '#b388eb';
        g.strokeRect(x + 1.5, y + 1.5, size - 3, size - 3);
      }
    }
    const ring = (i: number | undefined, css: string) => {
      if (i === undefined) return;
      g.strokeStyle = css;
      g.lineWidth = 2;
      g.strokeRect((i % cols) * size + 1, Math.floor(i / cols) * size + 1, size - 2, size - 2);
      g.lineWidth = 1;
    };
    for (const i of this.finding?.invocations ?? []) ring(i, '#ff3030');
    if (c.access !== null) ring(t.access.invocation[c.access], '#ffffff');
    ring(this.selected, '#ffd479');
  }

  private drawLocals(c: Cursor) {
    const t = this.trace!;
    const box = this.root.querySelector<HTMLElement>('#ls-locals')!;
    box.textContent = '';
    const i = this.selected ?? (c.access !== null ? t.access.invocation[c.access] : undefined);
    if (i === undefined) {
      box.append(el('div', { class: 'vars-title' }, 'click an invocation for its variables'));
      return;
    }
    const phase = t.phases[c.phase]!;
    const vars = phase.locals[i] ?? {};
    box.dataset.invocation = String(i);
    box.append(el('div', { class: 'vars-title' }, `${invocationText(t, i)}: its variables at the end of phase ${c.phase + 1}${phase.state[i] === 2 ? ' (as it finished)' : ''}`));
    const table = el('table', {});
    for (const [k, v] of Object.entries(vars)) table.append(el('tr', {}, el('td', {}, k), el('td', {}, Array.isArray(v) ? `(${v.join(', ')})` : typeof v === 'number' ? fmt(v) : v)));
    box.append(table);
  }

  /**
   * One invocation's accesses of workgroup memory (by variable: kind, line, element) in the workgroup this panel has
   * traced; undefined when it traced none, another workgroup, or another stage. For the main view's invocation panel,
   * which the engine's trace fills with storage accesses only (a new user's halo bug lived in `tile`).
   */
  sharedAccessesOf(stage: number, workgroup: readonly number[], local: number): Map<string, InvocationAccess[]> | undefined {
    const t = this.traceOf(stage, workgroup);
    if (!t) return undefined;
    const out = new Map<string, InvocationAccess[]>();
    const a = t.access;
    for (let k = 0; k < t.accessCount; k++) {
      if (a.invocation[k] !== local) continue;
      const v = t.variables[a.variable[k]!]!;
      if (v.space !== 'workgroup') continue;
      (out.get(v.name) ?? out.set(v.name, []).get(v.name)!).push({ kind: a.kind[k]!, line: a.line[k]!, index: a.word[k]! });
    }
    return out;
  }

  /** Words a workgroup variable holds (the product of its dims), where this panel traced `workgroup` of `stage`. */
  sharedWordsOf(stage: number, workgroup: readonly number[], name: string): number | undefined {
    const v = this.traceOf(stage, workgroup)?.variables.find((x) => x.name === name && x.space === 'workgroup');
    return v ? v.dims.reduce((a, d) => a * d, 1) : undefined;
  }

  /** Whether invocation `local` of the traced workgroup returned before the entry point's end; undefined when that
   *  workgroup is not the one traced. */
  returnedEarlyOf(stage: number, workgroup: readonly number[], local: number): boolean | undefined {
    return this.traceOf(stage, workgroup)?.returnedEarly.some((r) => r.invocation === local);
  }

  /** The trace, where it is of this stage's `workgroup`. */
  private traceOf(stage: number, workgroup: readonly number[]) {
    const t = this.trace;
    return t && stage === this.input.stage && t.workgroup.every((w, i) => w === workgroup[i]) ? t : undefined;
  }

  /** The workgroup traced, when one is. */
  get tracedWorkgroup(): readonly number[] | undefined {
    return this.trace?.workgroup;
  }

  testHooks() {
    return {
      trace: () => this.trace,
      invocationCenter: (i: number) => this.invocationCenter(i),
      memoryAt: (name: string, word: number) => (this.trace ? wordValue(this.trace.phases[this.cursor.phase]!.memory.get(name)!, this.trace.variables.find((v) => v.name === name)!, word) : NaN),
      lastAccess: () => (this.trace ? lastAccessOf(this.trace, this.cursor) : -1),
    };
  }
}

/**
 * The lockstep panel under a kernel view. It traces at once when the entry point has workgroup memory or the case is a
 * race or out-of-bounds counterexample (then on the workgroup its message names), else on a click.
 */
export function mountLockstep(parent: HTMLElement, input: LockstepInput & { message?: string }): LockstepPanel {
  const m = /workgroup \((\d+), (\d+), (\d+)\)/.exec(input.message ?? '');
  const workgroup: [number, number, number] | undefined = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : input.workgroup;
  const finding = /data race|lost update|out of bounds|outside|past the end|before the start/.test(input.message ?? '');
  const groups = [...(input.message ?? '').matchAll(/of workgroup \((\d+, \d+, \d+)\)/g)].map((x) => x[1]!);
  const across = /data race/.test(input.message ?? '') && groups.length >= 2 && groups[0] !== groups[1] ? [groups[0]!, groups[1]!] as [string, string] : undefined;
  const saved = savedRaceOf(input.message);
  const panel = new LockstepPanel(parent, { ...input, workgroup, breakIt: input.breakIt ?? input.kernel === 'softmax', expectFinding: finding, ...(across ? { raceAcross: across } : {}), ...(saved ? { savedRace: saved } : {}) });
  const shared = reflectWorkgroupVars(input.code);
  if (finding || shared) panel.run(workgroup ?? [0, 0, 0]);
  (window as unknown as { __lockstep: unknown }).__lockstep = panel.testHooks();
  return panel;
}

/** Whether the module declares a var<workgroup> (from its AST). */
function reflectWorkgroupVars(code: string): boolean {
  try {
    return new WgslParser().parse(code).some((n) => n instanceof Var && n.storage === 'workgroup');
  } catch {
    return false;
  }
}
