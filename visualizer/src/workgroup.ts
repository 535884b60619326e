// Workgroup memory as a buffer: each var<workgroup> of a lockstep trace in its logical shape as a heat map, at a
// point of the trace (a phase's end, or one access into a phase), with that phase's reads and writes so far marked
// and the invocations that made them listed.
import { ACCESS_OUTSIDE, ACCESS_WRITE, wordValue, type LockstepTrace, type LockstepVariable } from '../../harness/trace/lockstep.ts';
import { BufferView, MARK_READ, MARK_SELECTED, MARK_WRITE, OVERLAY } from './heatmap.ts';

/** Where the view stands: a phase, and the last access of it that has run (its endAccess - 1 at the phase's end). */
export interface Cursor {
  phase: number;
  /** Absolute access index, or null for the phase's end. */
  access: number | null;
}

export const lastAccessOf = (t: LockstepTrace, c: Cursor) => (c.access ?? t.phases[c.phase]!.endAccess - 1);

/** A 1-D array past 32 words, in rows of 32 (or 16) where they divide it: a 128-word tree drawn in one row had 5 px
 *  cells whose values could not be seen (trial 187 B3). Row-major, so word i is still cell i. */
function rowsOf(dims: number[], size: [number, number, number]): number[] {
  const n = dims[0] ?? 0;
  if (dims.length !== 1) return dims;
  // One element per invocation of a 2-D workgroup (`tile[lid.y * 16u + lid.x]`): drawn as the invocation grid is, in
  // rows of workgroup_size.x (trial 198 B3: a 16 × 16 tile drawn in rows of 32 showed one column of B as two).
  if (size[1] > 1 && size[2] === 1 && n === size[0] * size[1]) return [size[1], size[0]];
  if (n <= 32) return dims;
  const cols = n % 32 === 0 ? 32 : n % 16 === 0 ? 16 : 0;
  return cols ? [n / cols, cols] : dims;
}

export class WorkgroupMemoryView {
  readonly root: HTMLElement;
  private views = new Map<string, { view: BufferView; v: LockstepVariable; index: number }>();
  private who = new Map<string, Map<number, { r: Set<number>; w: Set<number>; lines: Set<number> }>>();

  constructor(parent: HTMLElement, private t: LockstepTrace) {
    this.root = document.createElement('section');
    this.root.className = 'workgroup-memory';
    this.root.id = 'workgroup-memory';
    parent.append(this.root);
    // What the tints mean, which a learner read as values (trial 198 B2: a tile drawn all orange over a blue-red scale).
    const swatch = (rgb: number[]) => Object.assign(document.createElement('span'), { className: 'swatch', style: `margin-left:4px;background:rgb(${rgb.join(',')})` });
    const key = document.createElement('p');
    key.id = 'workgroup-memory-key';
    key.append('Tinted:', swatch(OVERLAY[MARK_WRITE]!), 'written in this phase so far,', swatch(OVERLAY[MARK_READ]!), 'read (the colour bar under each map is for the values; click an element for its value and who touched it).');
    t.variables.forEach((v, index) => {
      if (v.space !== 'workgroup') return;
      const view = new BufferView(this.root, {
        name: `wg.${v.name}`, label: `var<workgroup> ${v.name}: ${v.type}`, type: v.scalarAt(0) === 'f32' ? 'f32' : 'u32',
        dims: rowsOf(v.dims, t.workgroupSize), scale: v.scalarAt(0) === 'f32' ? 'diverging' : 'sequential', maxWidth: 640,
        describe: (i) => this.describe(v.name, i),
      });
      this.views.set(v.name, { view, v, index });
    });
    if (!this.views.size) this.root.append(Object.assign(document.createElement('p'), { textContent: 'this entry point has no var<workgroup>' }));
    else this.root.prepend(key);
  }

  /** Draws every variable at the cursor; `selected` marks one element (a race's). */
  show(c: Cursor, selected?: { variable: string; word: number }) {
    const t = this.t;
    const phase = t.phases[c.phase]!;
    const upTo = lastAccessOf(t, c);
    const a = t.access;
    this.who.clear();
    for (const [name, { view, v, index }] of this.views) {
      const start = c.phase > 0 ? t.phases[c.phase - 1]!.memory.get(name)! : t.initialMemory.get(name)!;
      const words = view.length;
      const values = new Float64Array(words);
      const marks = new Uint8Array(words);
      const who = new Map<number, { r: Set<number>; w: Set<number>; lines: Set<number> }>();
      if (c.access === null) for (let i = 0; i < words; i++) values[i] = wordValue(phase.memory.get(name)!, v, i);
      else for (let i = 0; i < words; i++) values[i] = wordValue(start, v, i);
      for (let i = phase.firstAccess; i <= upTo; i++) {
        if (a.variable[i] !== index) continue;
        const w = a.word[i]!;
        // Out of bounds by an inner index lands on another element's word, which it did not touch.
        if (w < 0 || w >= words || a.kind[i]! & ACCESS_OUTSIDE) continue;
        const write = (a.kind[i]! & ACCESS_WRITE) !== 0;
        if (write && c.access !== null) values[w] = a.value[i]!;
        marks[w]! |= write ? MARK_WRITE : MARK_READ;
        let e = who.get(w);
        if (!e) who.set(w, (e = { r: new Set(), w: new Set(), lines: new Set() }));
        (write ? e.w : e.r).add(a.invocation[i]!);
        e.lines.add(a.line[i]!);
      }
      if (c.access !== null && a.variable[c.access] === index) marks[a.word[c.access]!]! |= MARK_SELECTED;
      if (selected?.variable === name && selected.word < words) marks[selected.word]! |= MARK_SELECTED;
      this.who.set(name, who);
      view.setValues(values);
      view.setMarks(marks);
      view.draw();
    }
  }

  /** Which invocations wrote and read element i in the phase so far (the tooltip). */
  private describe(name: string, i: number): string {
    const e = this.who.get(name)?.get(i);
    if (!e) return 'not touched in this phase so far';
    const list = (s: Set<number>) => (s.size ? `${[...s].slice(0, 8).join(', ')}${s.size > 8 ? ` … (${s.size})` : ''}` : 'none');
    return `this phase: written by ${list(e.w)}, read by ${list(e.r)} (line ${[...e.lines].join(', ')})`;
  }

  /** The accesses of the phase so far to workgroup memory, grouped by line and kind: who made them, where. */
  summary(c: Cursor): string[] {
    return workgroupAccessSummary(this.t, c);
  }
}

/** The accesses of a phase so far to workgroup memory, grouped by line and kind: the elements (flattened), with the
 *  words where an element holds several (a trial's array<vec4<f32>, 256> read "elements 0…1023", words said as
 *  elements), and the invocations that made them. */
export function workgroupAccessSummary(t: LockstepTrace, c: Cursor): string[] {
  const phase = t.phases[c.phase]!;
  const upTo = lastAccessOf(t, c);
  const a = t.access;
  const groups = new Map<string, { inv: Set<number>; words: Set<number>; per: number }>();
  for (let i = phase.firstAccess; i <= upTo; i++) {
    const v = t.variables[a.variable[i]!]!;
    if (v.space !== 'workgroup') continue;
    const key = `${a.kind[i]! & ACCESS_WRITE ? 'writes' : 'reads'} of ${v.name} on line ${a.line[i]}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { inv: new Set(), words: new Set(), per: v.elementWords }));
    g.inv.add(a.invocation[i]!);
    g.words.add(a.word[i]!);
  }
  return [...groups].map(([k, g]) => {
    const words = [...g.words];
    const elements = [...new Set(words.map((w) => Math.floor(w / g.per)))];
    const where = `${plural(elements.length, 'element')} ${ranges(elements)}${g.per === 1 ? '' : ` (${plural(words.length, 'word')} ${ranges(words)})`}`;
    return `${k}: ${where} by ${plural(g.inv.size, 'invocation')} ${ranges([...g.inv])}`;
  });
}

/** Integers as compact ranges: "0…127, 130". */
/** `word` or `words`, as `n` asks (trial 187 B4: "by invocations 0" for one). */
const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

export function ranges(xs: number[]): string {
  const s = [...new Set(xs)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < s.length; i++) {
    let j = i;
    while (j + 1 < s.length && s[j + 1] === s[j]! + 1) j++;
    parts.push(j > i ? `${s[i]}…${s[j]}` : String(s[i]));
    i = j;
  }
  const out = parts.join(', ');
  return out.length > 200 ? `${out.slice(0, 200)}…` : out;
}
