// One buffer in its logical shape (rows × cols; a vector as a strip wrapped into rows) as a heat map on a canvas,
// one pixel per element scaled up, with what the current selection touched drawn over it.
import type { ElementType, TypedArray } from '../../harness/spec.ts';
import { bitsOf, colorScale, fmt, ulps, type ColorScale, type Scale } from './numbers.ts';
import { coordinatesOf } from '../../harness/run/layout.ts';

export const MARK_READ = 1;
export const MARK_WRITE = 2;
export const MARK_UNWRITTEN = 4;
export const MARK_MULTI = 8;
export const MARK_SELECTED = 16;
export const MARK_STEP = 32;

export const OVERLAY: [number, number, number][] = [];
OVERLAY[MARK_READ] = [0, 200, 255];
OVERLAY[MARK_WRITE] = [255, 140, 0];
OVERLAY[MARK_UNWRITTEN] = [255, 0, 200];
OVERLAY[MARK_MULTI] = [255, 30, 30];

export interface BufferViewOptions {
  name: string;
  label?: string;
  type: ElementType;
  dims: number[];
  scale?: Scale;
  maxWidth?: number;
  onSelect?(index: number): void;
  describe?(index: number): string;
}

export function layoutOf(dims: number[]): { rows: number; cols: number; strip: boolean } {
  if (dims.length >= 2) {
    // An image's channels (a last axis of at most 4: RGBA, a vec4 per pixel) sit inline in its row: [h, w, 4] is h
    // rows of w·4, not h·w rows of 4 (a new user's 3 × 70 blur was drawn as a strip 4 cells wide).
    const inline = dims.length >= 3 && dims[dims.length - 1]! <= 4 ? 2 : 1;
    const cols = dims.slice(-inline).reduce((a, b) => a * b, 1);
    return { rows: dims.slice(0, -inline).reduce((a, b) => a * b, 1), cols, strip: false };
  }
  const n = dims[0] ?? 0;
  const cols = n <= 128 ? Math.max(1, n) : Math.min(1024, Math.ceil(Math.sqrt(n) * 2));
  return { rows: Math.ceil(n / cols), cols, strip: true };
}

/** What the kernel view asks of a buffer's picture, small (BufferView) or big (bigbuffer.ts's BigBufferView). */
export interface BufferDisplay {
  readonly root: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly length: number;
  lastDrawMs: number;
  setValues(values: ArrayLike<number>, reference?: ArrayLike<number>, kind?: Scale): void;
  setMarks(marks: Uint8Array | undefined): void;
  draw(): void;
  centerOf(i: number): { x: number; y: number };
}

export class BufferView implements BufferDisplay {
  readonly root: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private legend: HTMLCanvasElement;
  private legendText: HTMLElement;
  private values: ArrayLike<number> = [];
  private reference?: ArrayLike<number>;
  private marks?: Uint8Array;
  private scale?: ColorScale;
  private image?: ImageData;
  private small: HTMLCanvasElement = document.createElement('canvas');
  readonly rows: number;
  readonly cols: number;
  readonly cell: number;
  readonly length: number;
  lastDrawMs = 0;

  constructor(parent: HTMLElement, private o: BufferViewOptions) {
    this.root = document.createElement('figure');
    this.root.className = 'buffer';
    this.root.dataset.buffer = o.name;
    const { rows, cols, strip } = layoutOf(o.dims);
    this.rows = rows;
    this.cols = cols;
    this.length = o.dims.reduce((a, b) => a * b, 1);
    const maxWidth = o.maxWidth ?? 360;
    this.cell = Math.max(1, Math.min(24, Math.floor(maxWidth / cols), Math.floor(Math.max(maxWidth, 200) / Math.max(1, rows))));
    const cap = document.createElement('figcaption');
    cap.textContent = `${o.label ?? o.name}  ${strip ? `[${this.length}]${rows > 1 ? ` (strip, ${cols} per row)` : ''}` : o.dims.join(' × ')}  ${o.type}`;
    this.canvas = document.createElement('canvas');
    this.canvas.width = cols * this.cell;
    this.canvas.height = rows * this.cell;
    this.canvas.dataset.cell = String(this.cell);
    this.canvas.dataset.cols = String(cols);
    this.legend = document.createElement('canvas');
    this.legend.className = 'legend';
    this.legend.width = 160;
    this.legend.height = 10;
    this.legendText = document.createElement('span');
    this.legendText.className = 'legend-text';
    const leg = document.createElement('div');
    leg.className = 'legend-row';
    leg.append(this.legend, this.legendText);
    this.root.append(cap, this.canvas, leg);
    parent.append(this.root);
    this.small.width = cols;
    this.small.height = rows;
    this.canvas.addEventListener('mousemove', (e) => this.hover(e));
    this.canvas.addEventListener('mouseleave', () => tooltip(null));
    this.canvas.addEventListener('click', (e) => {
      const i = this.indexAt(e);
      if (i !== undefined) this.o.onSelect?.(i);
    });
  }

  /** The element under a mouse event, if any. */
  indexAt(e: MouseEvent): number | undefined {
    const r = this.canvas.getBoundingClientRect();
    const col = Math.floor((e.clientX - r.left) / this.cell);
    const row = Math.floor((e.clientY - r.top) / this.cell);
    const i = row * this.cols + col;
    return col >= 0 && col < this.cols && row >= 0 && i < this.length ? i : undefined;
  }

  /** Page coordinates of an element's centre (tests click there). */
  centerOf(i: number): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: r.left + ((i % this.cols) + 0.5) * this.cell, y: r.top + (Math.floor(i / this.cols) + 0.5) * this.cell };
  }

  setValues(values: ArrayLike<number>, reference?: ArrayLike<number>, kind: Scale = this.o.scale ?? 'sequential') {
    this.values = values;
    this.reference = reference;
    this.scale = colorScale(values, kind);
    const s = this.scale;
    this.legendText.textContent = s.label;
    const ctx = this.legend.getContext('2d')!;
    for (let x = 0; x < this.legend.width; x++) {
      ctx.fillStyle = s.css(s.min + ((s.max - s.min) * x) / (this.legend.width - 1));
      ctx.fillRect(x, 0, 1, this.legend.height);
    }
    const img = new ImageData(this.cols, this.rows);
    const d = img.data;
    for (let i = 0; i < this.length; i++) {
      const [r, g, b] = s.rgb(values[i]!);
      d[i * 4] = r;
      d[i * 4 + 1] = g;
      d[i * 4 + 2] = b;
      d[i * 4 + 3] = 255;
    }
    this.image = img;
  }

  setMarks(marks: Uint8Array | undefined) {
    this.marks = marks;
    const listOf = (bit: number) => {
      if (!marks) return '';
      const out: number[] = [];
      for (let i = 0; i < marks.length && out.length < 20000; i++) if (marks[i]! & bit) out.push(i);
      return out.join(',');
    };
    this.canvas.dataset.read = listOf(MARK_READ);
    this.canvas.dataset.written = listOf(MARK_WRITE);
    this.canvas.dataset.unwritten = listOf(MARK_UNWRITTEN);
    this.canvas.dataset.multi = listOf(MARK_MULTI);
    this.canvas.dataset.selected = listOf(MARK_SELECTED);
  }

  draw() {
    const t0 = performance.now();
    if (!this.image) return;
    let img = this.image;
    const m = this.marks;
    if (m) {
      // Elements the selection touched keep their colour under a tint; the rest are dimmed so they stand out.
      const lit = MARK_READ | MARK_WRITE | MARK_STEP;
      let any = false;
      for (let i = 0; i < m.length; i++) if (m[i]! & lit) {
        any = true;
        break;
      }
      img = new ImageData(new Uint8ClampedArray(this.image.data), this.cols, this.rows);
      const d = img.data;
      for (let i = 0; i < this.length; i++) {
        const k = m[i]!;
        const o = i * 4;
        let over: [number, number, number] | undefined;
        if (k & MARK_WRITE) over = OVERLAY[MARK_WRITE];
        else if (k & MARK_READ) over = OVERLAY[MARK_READ];
        else if (k & MARK_MULTI) over = OVERLAY[MARK_MULTI];
        else if (k & MARK_UNWRITTEN) over = OVERLAY[MARK_UNWRITTEN];
        if (over) {
          d[o] = (d[o]! + over[0] * 2) / 3;
          d[o + 1] = (d[o + 1]! + over[1] * 2) / 3;
          d[o + 2] = (d[o + 2]! + over[2] * 2) / 3;
        } else if (any && !(k & (lit | MARK_SELECTED))) {
          d[o] = d[o]! * 0.3;
          d[o + 1] = d[o + 1]! * 0.3;
          d[o + 2] = d[o + 2]! * 0.3;
        }
      }
    }
    const sctx = this.small.getContext('2d')!;
    sctx.putImageData(img, 0, 0);
    const ctx = this.canvas.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(this.small, 0, 0, this.cols * this.cell, this.rows * this.cell);
    if (m && this.cell >= 6) {
      // Outlines for what matters most, readable even where colours are close.
      for (let i = 0; i < this.length; i++) {
        const k = m[i]!;
        if (!(k & (MARK_SELECTED | MARK_STEP | MARK_MULTI | MARK_UNWRITTEN))) continue;
        ctx.strokeStyle = k & MARK_SELECTED ? '#fff' : k & MARK_STEP ? '#ffe600' : k & MARK_MULTI ? '#ff2020' : '#ff00c8';
        ctx.lineWidth = k & (MARK_SELECTED | MARK_STEP) ? 2 : 1;
        const x = (i % this.cols) * this.cell;
        const y = Math.floor(i / this.cols) * this.cell;
        ctx.strokeRect(x + 1, y + 1, this.cell - 2, this.cell - 2);
        if (k & MARK_UNWRITTEN) {
          ctx.beginPath();
          ctx.moveTo(x + 1, y + this.cell - 1);
          ctx.lineTo(x + this.cell - 1, y + 1);
          ctx.stroke();
        }
      }
    }
    this.lastDrawMs = performance.now() - t0;
  }

  private hover(e: MouseEvent) {
    const i = this.indexAt(e);
    if (i === undefined) return tooltip(null);
    const v = this.values[i]!;
    const where = this.o.dims.length >= 2 ? coordinatesOf(i, this.o.dims).map((c) => `[${c}]`).join('') : `[${i}]`;
    let text = `${this.o.label ?? this.o.name}${where}  (index ${i})\nvalue ${fmt(v)}  bits ${bitsOf(v, this.o.type)}`;
    if (this.reference && this.o.type === 'f32') {
      const r = this.reference[i]!;
      text += `\nreference ${fmt(r)}  ${ulps(v, r)} ULP away`;
    }
    const extra = this.o.describe?.(i);
    if (extra) text += `\n${extra}`;
    tooltip(text, e.clientX, e.clientY);
  }
}

export function tooltip(text: string | null, x = 0, y = 0) {
  const t = document.getElementById('tooltip')!;
  if (text === null) {
    t.hidden = true;
    return;
  }
  t.hidden = false;
  t.textContent = text;
  t.style.left = `${x + 14}px`;
  t.style.top = `${y + 14}px`;
}

export type Values = TypedArray | Float64Array;
