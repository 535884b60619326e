// A buffer of any size as a heat map that stays responsive: the canvas draws only the window in view, one pass over
// its pixels (never one pass over the buffer), from the values where an element spans a pixel or more, and from a
// pyramid of 2×2-block summaries (min, max, mean, any NaN) where many elements share a pixel. Drag pans, the wheel
// zooms about the cursor, the overview beside it shows the whole buffer with the window outlined (a click there
// moves the window), and a field jumps to an index or to (row, column). Views of the same shape can share one
// Viewport: the failing-case and cross-engine maps pan and zoom together.
import type { ElementType } from '../../harness/spec.ts';
import { layoutOf, type BufferDisplay, MARK_MULTI, MARK_READ, MARK_SELECTED, MARK_STEP, MARK_UNWRITTEN, MARK_WRITE, tooltip } from './heatmap.ts';
import { bitsOf, colorScale, extent, fmt, ulps, type ColorScale, type Scale } from './numbers.ts';

export type Aggregate = 'mean' | 'min' | 'max';

export interface BigBufferOptions {
  name: string;
  label?: string;
  type: ElementType;
  dims: number[];
  scale?: Scale;
  /** The canvas's size in CSS pixels (a small buffer's canvas shrinks to fit its elements). */
  width?: number;
  height?: number;
  /** What a pixel covering many elements shows; 'max' for an error map (the worst element of the block). */
  aggregate?: Aggregate;
  /** Shared with other views of the same shape, so they pan and zoom together. */
  viewport?: Viewport;
  onSelect?(index: number): void;
  describe?(index: number): string;
  /** What an error map's values count, in its legend: 'ULPs' (the default), or 'differences' for integers. */
  errorUnit?: string;
  /** The element the "worst" button jumps to (a failure's worst error), when there is one. */
  worst?(): number | undefined;
}

/** Where the window is: element coordinates of the canvas's top-left corner, and pixels per element. */
export class Viewport {
  x = 0;
  y = 0;
  zoom = 1;
  private listeners = new Set<() => void>();
  constructor(readonly rows: number, readonly cols: number, readonly width: number, readonly height: number) {}
  listen(f: () => void) {
    this.listeners.add(f);
  }
  /** Elements across the canvas at the current zoom. */
  get spanX() {
    return this.width / this.zoom;
  }
  get spanY() {
    return this.height / this.zoom;
  }
  set(x: number, y: number, zoom: number) {
    this.zoom = Math.min(64, Math.max(this.fitZoom() / 2, zoom));
    // Keep some of the buffer in view: the window may hang over an edge by half its size, no more.
    this.x = Math.min(this.cols - this.spanX / 2, Math.max(-this.spanX / 2, x));
    this.y = Math.min(this.rows - this.spanY / 2, Math.max(-this.spanY / 2, y));
    for (const f of this.listeners) f();
  }
  fitZoom() {
    return Math.min(this.width / this.cols, this.height / this.rows);
  }
  fit() {
    const z = this.fitZoom();
    this.set((this.cols - this.width / z) / 2, (this.rows - this.height / z) / 2, z);
  }
  panBy(dx: number, dy: number) {
    this.set(this.x + dx / this.zoom, this.y + dy / this.zoom, this.zoom);
  }
  /** Zooms by `factor` keeping the element under canvas point (px, py) where it is. */
  zoomAt(factor: number, px: number, py: number) {
    const ex = this.x + px / this.zoom;
    const ey = this.y + py / this.zoom;
    const z = Math.min(64, Math.max(this.fitZoom() / 2, this.zoom * factor));
    this.set(ex - px / z, ey - py / z, z);
  }
  /** Centres element (row, col) at `zoom` pixels per element or more; an axis that fits whole stays centred whole. */
  centre(row: number, col: number, zoom: number) {
    const z = Math.min(64, Math.max(this.zoom, zoom));
    const at = (i: number, extent: number, span: number) => (span >= extent ? (extent - span) / 2 : Math.min(extent - span, Math.max(0, i + 0.5 - span / 2)));
    this.set(at(col, this.cols, this.width / z), at(row, this.rows, this.height / z), z);
  }
}

interface Level {
  rows: number;
  cols: number;
  min: Float32Array;
  max: Float32Array;
  mean: Float32Array;
  /** 1 where the block holds a NaN. */
  nan: Uint8Array;
  /** Elements in the block other than NaN (blocks at the ragged edges, and a strip's last row, hold fewer). */
  count: Uint32Array;
}

function newLevel(rows: number, cols: number): Level {
  const n = rows * cols;
  return { rows, cols, min: new Float32Array(n), max: new Float32Array(n), mean: new Float32Array(n), nan: new Uint8Array(n), count: new Uint32Array(n) };
}

/** One block's summary: its extremes, its mean over the `cnt` finite values, whether it holds a NaN. */
function setBlock(L: Level, k: number, mn: number, mx: number, sum: number, cnt: number, bad: number): void {
  L.min[k] = mn;
  L.max[k] = mx;
  L.mean[k] = cnt ? sum / cnt : NaN;
  L.nan[k] = bad;
  L.count[k] = cnt;
}

/** 2×2-block summaries of a rows × cols grid, level by level until one block covers it all: level k (levels[k - 1])
 *  has blocks of 2^k × 2^k elements. Level 0 is the values themselves. Plain loops: 4M elements in tens of ms. */
class Pyramid {
  readonly levels: Level[] = [];
  constructor(values: ArrayLike<number>, n: number, rows: number, cols: number) {
    if (rows <= 1 && cols <= 1) return;
    let L = newLevel(Math.ceil(rows / 2), Math.ceil(cols / 2));
    for (let r = 0; r < L.rows; r++) {
      for (let c = 0; c < L.cols; c++) {
        let mn = Infinity, mx = -Infinity, sum = 0, cnt = 0, bad = 0;
        for (let rr = 2 * r; rr < Math.min(rows, 2 * r + 2); rr++) {
          for (let cc = 2 * c; cc < Math.min(cols, 2 * c + 2); cc++) {
            const i = rr * cols + cc;
            if (i >= n) break;
            const v = values[i]!;
            if (v !== v) {
              bad = 1;
              continue;
            }
            if (v < mn) mn = v;
            if (v > mx) mx = v;
            sum += v;
            cnt++;
          }
        }
        setBlock(L, r * L.cols + c, mn, mx, sum, cnt, bad);
      }
    }
    this.levels.push(L);
    while (L.rows > 1 || L.cols > 1) {
      const P = L;
      L = newLevel(Math.ceil(P.rows / 2), Math.ceil(P.cols / 2));
      for (let r = 0; r < L.rows; r++) {
        for (let c = 0; c < L.cols; c++) {
          let mn = Infinity, mx = -Infinity, sum = 0, cnt = 0, bad = 0;
          for (let rr = 2 * r; rr < Math.min(P.rows, 2 * r + 2); rr++) {
            for (let cc = 2 * c; cc < Math.min(P.cols, 2 * c + 2); cc++) {
              const j = rr * P.cols + cc;
              bad |= P.nan[j]!;
              const m = P.count[j]!;
              if (!m) continue;
              if (P.min[j]! < mn) mn = P.min[j]!;
              if (P.max[j]! > mx) mx = P.max[j]!;
              sum += P.mean[j]! * m;
              cnt += m;
            }
          }
          setBlock(L, r * L.cols + c, mn, mx, sum, cnt, bad);
        }
      }
      this.levels.push(L);
    }
  }
}

const BACKGROUND = 0xff120f0d; // #0d0f12 as ABGR
const NAN_COLOUR = 0xffff00ff;

function lut32(s: ColorScale): Uint32Array {
  const out = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    const [r, g, b] = s.rgb(s.min + ((s.max - s.min) * i) / 255);
    out[i] = (0xff << 24) | (b << 16) | (g << 8) | r;
  }
  return out;
}

/** An element with attributes and children. */
export const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string)[]) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...kids);
  return e;
};

/** The finite extremes of several arrays, as a two-element array colorScale can span. */
function rangeOf(arrays: ArrayLike<number>[]): Float64Array {
  const s = arrays.map(extent).filter(([lo]) => lo !== Infinity);
  return s.length ? Float64Array.of(Math.min(...s.map((x) => x[0])), Math.max(...s.map((x) => x[1]))) : new Float64Array(0);
}

/** For a one-dimensional buffer too long for the traced view's strip: rows of a power of two, about as wide as the
 *  canvas's aspect, so that row r, column c is element r × cols + c. */
function stripCols(n: number, width: number, height: number): number {
  return Math.min(n, 2 ** Math.round(Math.log2(Math.sqrt((n * width) / height))));
}

/**
 * The window for a buffer of these dims on a canvas of at most width × height: a buffer that fits at a pixel or more
 * per element gets a canvas its own size at up to 24 pixels per element (as the traced view draws it), a bigger one
 * the whole canvas, fitted. Views given the same Viewport pan and zoom together.
 */
export function viewportFor(dims: number[], width: number, height: number): Viewport {
  const n = dims.reduce((a, b) => a * b, 1);
  const lay = layoutOf(dims);
  const cols = lay.strip && n > 128 * 128 ? stripCols(n, width, height) : lay.cols;
  const rows = Math.ceil(n / cols);
  const fit = Math.min(width / cols, height / rows);
  const cell = fit >= 1 ? Math.min(24, Math.floor(fit)) : 0;
  const v = new Viewport(rows, cols, cell ? cols * cell : width, cell ? rows * cell : height);
  if (cell) v.set(0, 0, cell);
  else v.fit();
  return v;
}

export class BigBufferView implements BufferDisplay {
  readonly root: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly length: number;
  readonly rows: number;
  readonly cols: number;
  readonly viewport: Viewport;
  lastDrawMs = 0;
  private overview: HTMLCanvasElement;
  private overviewImage?: HTMLCanvasElement;
  private windowText: HTMLElement;
  private jumpError: HTMLElement;
  private legend: HTMLElement;
  private values: ArrayLike<number> = new Float32Array(0);
  private reference?: ArrayLike<number>;
  private pyramid?: Pyramid;
  private lut: Uint32Array = new Uint32Array(256);
  private scale?: ColorScale;
  private marks?: Uint8Array;
  private selected = -1;
  private image?: ImageData;
  private pending = false;
  private aggregate: Aggregate;
  private strip: boolean;

  constructor(parent: HTMLElement, private o: BigBufferOptions) {
    this.length = o.dims.reduce((a, b) => a * b, 1);
    this.strip = layoutOf(o.dims).strip;
    this.viewport = o.viewport ?? viewportFor(o.dims, o.width ?? 480, o.height ?? 360);
    this.rows = this.viewport.rows;
    this.cols = this.viewport.cols;
    this.aggregate = o.aggregate ?? (o.scale === 'error' ? 'max' : 'mean');
    this.root = el('figure', { class: 'buffer big', 'data-buffer': o.name });
    const shape = this.strip ? `[${this.length.toLocaleString()}]${this.rows > 1 ? ` (rows of ${this.cols})` : ''}` : o.dims.join(' × ');
    this.canvas = el('canvas', { width: String(this.viewport.width), height: String(this.viewport.height) });
    this.overview = el('canvas', { class: 'overview', title: 'the whole buffer; click to move the window there' });
    const ow = 120;
    this.overview.width = this.rows > this.cols ? Math.max(8, Math.round((ow * this.cols) / this.rows)) : ow;
    this.overview.height = this.rows > this.cols ? ow : Math.max(8, Math.round((ow * this.rows) / this.cols));
    this.windowText = el('span', { class: 'window' });
    this.legend = el('span', { class: 'legend-text' });
    this.jumpError = el('span', { class: 'jump-error error', role: 'alert' });
    const jump = el('input', { class: 'jump', size: '14', placeholder: o.dims.length > 1 ? 'index or row, col' : 'index', 'aria-label': `${o.name}: jump to` }) as HTMLInputElement;
    const go = el('button', { type: 'button', class: 'go' }, 'go');
    const bar = el('div', { class: 'big-bar' }, jump, go);
    const button = (cls: string, text: string, title: string, f: () => void) => {
      const b = el('button', { type: 'button', class: cls, title }, text);
      b.addEventListener('click', f);
      bar.append(b);
    };
    button('zoom-in', '+', 'zoom in', () => this.viewport.zoomAt(2, this.viewport.width / 2, this.viewport.height / 2));
    button('zoom-out', '−', 'zoom out', () => this.viewport.zoomAt(0.5, this.viewport.width / 2, this.viewport.height / 2));
    button('fit', 'fit', 'the whole buffer', () => this.viewport.fit());
    if (o.worst) button('worst', 'worst', 'jump to the worst element', () => {
      const w = o.worst!();
      if (w !== undefined) this.jumpTo(w);
    });
    const agg = el('select', { class: 'aggregate', title: 'what a pixel shows where it covers many elements' }) as HTMLSelectElement;
    for (const a of ['mean', 'min', 'max'] as const) agg.append(el('option', { value: a }, a === 'max' && o.scale === 'error' ? 'max (worst)' : a));
    agg.value = this.aggregate;
    agg.addEventListener('change', () => {
      this.aggregate = agg.value as Aggregate;
      this.drawOverview();
      this.draw();
    });
    bar.append(agg, this.jumpError);
    const doJump = () => {
      const r = this.parseJump(jump.value);
      this.jumpError.textContent = typeof r === 'string' ? r : '';
      if (typeof r === 'number') this.jumpTo(r);
    };
    go.addEventListener('click', doJump);
    jump.addEventListener('keydown', (e) => e.key === 'Enter' && doJump());
    this.root.append(el('figcaption', {}, `${o.label ?? o.name}  ${shape}  ${o.type}`), bar,
      el('div', { class: 'big-row' }, this.canvas, this.overview), el('div', { class: 'legend-row' }, this.legend, this.windowText));
    parent.append(this.root);
    this.viewport.listen(() => this.schedule());
    // A buffer drawn whole at a pixel or more per element needs no overview.
    if (this.viewport.fitZoom() >= 1) this.overview.style.display = 'none';
    this.listen();
  }

  /** "123", "[4][5]", "4, 5" or "4 5 6": an index or one coordinate per dimension. A string says what is wrong. */
  parseJump(text: string): number | string {
    const nums = text.match(/-?\d+/g)?.map(Number) ?? [];
    const dims = this.o.dims;
    if (!nums.length) return `give an index${dims.length > 1 ? ` or ${dims.length} coordinates` : ''}`;
    if (nums.length === 1) {
      const i = nums[0]!;
      return i >= 0 && i < this.length ? i : `index ${i} is outside 0…${this.length - 1}`;
    }
    if (nums.length !== dims.length) return `${this.o.name} has ${dims.length} dimension${dims.length === 1 ? '' : 's'} (${dims.join(' × ')}): give ${dims.length === 1 ? 'one index' : `one index or ${dims.length} coordinates`}`;
    let i = 0;
    for (let k = 0; k < dims.length; k++) {
      if (nums[k]! < 0 || nums[k]! >= dims[k]!) return `coordinate ${k + 1} is ${nums[k]}, outside 0…${dims[k]! - 1}`;
      i = i * dims[k]! + nums[k]!;
    }
    return i;
  }

  /** Selects element i, brings it to the middle of the window at 8 pixels per element or more, and says so. */
  jumpTo(i: number) {
    this.jumpError.textContent = '';
    this.select(i);
    this.viewport.centre(Math.floor(i / this.cols), i % this.cols, 8);
    this.o.onSelect?.(i);
  }

  /** Outlines element i (-1: none) without moving the window. */
  select(i: number) {
    this.selected = i;
    this.canvas.dataset.selected = i >= 0 ? String(i) : '';
    this.schedule();
  }

  /** `scaleOf`: values whose range the colours span (several views' values, so equal colours are equal values). */
  setValues(values: ArrayLike<number>, reference?: ArrayLike<number>, kind: Scale = this.o.scale ?? 'sequential', scaleOf: ArrayLike<number>[] = [values]) {
    // Float16Array is a Proxy: read it once, not once per pixel per frame.
    const plain = values instanceof Float32Array || values instanceof Float64Array || values instanceof Int32Array || values instanceof Uint32Array;
    this.values = plain ? values : Float32Array.from(values as ArrayLike<number>);
    this.reference = reference;
    this.scale = colorScale(scaleOf.length === 1 ? this.values : rangeOf(scaleOf), kind, this.o.errorUnit);
    this.lut = lut32(this.scale);
    this.pyramid = new Pyramid(this.values, this.length, this.rows, this.cols);
    const s = this.scale;
    // A scale shared with another map is said to be: a reference of 0 read "0 … 0.7095" as its own range (trial 67 B7).
    this.legend.textContent = scaleOf.length > 1 ? `${s.label} (one scale for reference and actual)` : s.label;
    this.drawOverview();
  }

  /** The traced view's marks; this view draws the selection (other marks tint elements drawn a pixel or more). */
  setMarks(marks: Uint8Array | undefined) {
    this.marks = marks;
    let sel = -1;
    if (marks) for (let i = 0; i < marks.length; i++) if (marks[i]! & MARK_SELECTED) {
      sel = i;
      break;
    }
    this.select(sel);
  }

  /** Page coordinates of an element's centre while it is in the window (tests click there). */
  centerOf(i: number): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    const v = this.viewport;
    return { x: r.left + ((i % this.cols) + 0.5 - v.x) * v.zoom, y: r.top + (Math.floor(i / this.cols) + 0.5 - v.y) * v.zoom };
  }

  private schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private colour(v: number): number {
    if (Number.isNaN(v)) return NAN_COLOUR;
    const s = this.scale!;
    const t = ((v - s.min) / (s.max - s.min)) * 255;
    return this.lut[t <= 0 ? 0 : t >= 255 ? 255 : Math.round(t)]!;
  }

  /** One pass over the canvas's pixels: element or block under each pixel centre, its colour. */
  draw() {
    if (!this.pyramid) return;
    const t0 = performance.now();
    const v = this.viewport;
    const W = v.width;
    const H = v.height;
    if (!this.image || this.image.width !== W) this.image = new ImageData(W, H);
    const px = new Uint32Array(this.image.data.buffer);
    // Level L's blocks are 2^L elements wide: the smallest at least as wide as a pixel, so no block falls between
    // two pixel centres (an outlier is never skipped).
    const level = v.zoom >= 1 ? 0 : Math.min(this.pyramid.levels.length, Math.ceil(Math.log2(1 / v.zoom)));
    // Per pixel column, the element column under its centre (-1: none); per pixel row, the source row. Where the
    // zoom puts several pixels on one element, a pixel row repeats the one above and a pixel its left neighbour:
    // copied, not computed again.
    const colOf = new Int32Array(W);
    for (let x = 0; x < W; x++) {
      const c = Math.floor(v.x + (x + 0.5) / v.zoom);
      colOf[x] = c >= 0 && c < this.cols ? c : -1;
    }
    const m = this.marks;
    const L = level ? this.pyramid.levels[level - 1]! : undefined;
    const data = L ? L[this.aggregate] : this.values;
    const nan = L?.nan;
    const s = this.scale!;
    const lo = s.min;
    const k255 = 255 / (s.max - s.min);
    const lut = this.lut;
    let lastRow = -2;
    for (let y = 0; y < H; y++) {
      const row = Math.floor(v.y + (y + 0.5) / v.zoom);
      const base = y * W;
      if (row < 0 || row >= this.rows) {
        px.fill(BACKGROUND, base, base + W);
        lastRow = -2;
        continue;
      }
      const src = row >> level;
      if (src === lastRow && row !== this.rows - 1) {
        px.copyWithin(base, base - W, base);
        continue;
      }
      lastRow = src;
      const rowBase = src * (L ? L.cols : this.cols);
      const rowEnd = row * this.cols;
      let lastK = -1;
      let colour = BACKGROUND;
      for (let x = 0; x < W; x++) {
        const c = colOf[x]!;
        if (c < 0 || rowEnd + c >= this.length) {
          px[base + x] = BACKGROUND;
          lastK = -1;
          continue;
        }
        const k = rowBase + (c >> level);
        if (k !== lastK) {
          lastK = k;
          const val = data[k]!;
          if (val !== val || nan?.[k]) colour = NAN_COLOUR;
          else {
            const t = (val - lo) * k255;
            colour = lut[t <= 0 ? 0 : t >= 255 ? 255 : (t + 0.5) | 0]!;
          }
          if (m && !L && m[k]) colour = tint(colour, m[k]!);
        }
        px[base + x] = colour;
      }
    }
    const ctx = this.canvas.getContext('2d', { alpha: false })!;
    ctx.putImageData(this.image, 0, 0);
    if (this.selected >= 0) {
      // The selected element, outlined; at least 7 pixels across so it is found when many elements share a pixel.
      const r = Math.floor(this.selected / this.cols);
      const c = this.selected % this.cols;
      const size = Math.max(7, v.zoom);
      const cx = (c + 0.5 - v.x) * v.zoom;
      const cy = (r + 0.5 - v.y) * v.zoom;
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 3;
      ctx.strokeRect(cx - size / 2, cy - size / 2, size, size);
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(cx - size / 2, cy - size / 2, size, size);
    }
    this.drawWindow(level);
    this.canvas.dataset.view = `${v.x.toFixed(2)},${v.y.toFixed(2)},${v.zoom.toFixed(4)}`;
    this.lastDrawMs = performance.now() - t0;
  }

  private drawWindow(level: number) {
    const v = this.viewport;
    const r0 = Math.max(0, Math.floor(v.y));
    const r1 = Math.min(this.rows, Math.ceil(v.y + v.spanY)) - 1;
    const c0 = Math.max(0, Math.floor(v.x));
    const c1 = Math.min(this.cols, Math.ceil(v.x + v.spanX)) - 1;
    const text = `rows ${r0}…${r1}, columns ${c0}…${c1}; ` +
      (level ? `a pixel shows the ${this.aggregate} of ${2 ** level}×${2 ** level}-element blocks` : `${v.zoom.toFixed(v.zoom < 10 ? 1 : 0)} px per element`);
    if (this.windowText.textContent !== text) this.windowText.textContent = text;
    const o = this.overview;
    const ctx = o.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    if (this.overviewImage) ctx.drawImage(this.overviewImage, 0, 0);
    const sx = o.width / this.cols;
    const sy = o.height / this.rows;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1;
    ctx.strokeRect(v.x * sx + 0.5, v.y * sy + 0.5, Math.max(2, v.spanX * sx - 1), Math.max(2, v.spanY * sy - 1));
  }

  /** The overview: the whole buffer at the pyramid level whose blocks are at least an overview pixel. */
  private drawOverview() {
    if (!this.pyramid) return;
    const o = this.overview;
    const per = Math.max(this.cols / o.width, this.rows / o.height);
    const level = per <= 1 ? 0 : Math.min(this.pyramid.levels.length, Math.ceil(Math.log2(per)));
    const img = new ImageData(o.width, o.height);
    const px = new Uint32Array(img.data.buffer);
    const L = level ? this.pyramid.levels[level - 1]! : undefined;
    for (let y = 0; y < o.height; y++) {
      const row = Math.floor(((y + 0.5) * this.rows) / o.height);
      for (let x = 0; x < o.width; x++) {
        const c = Math.floor(((x + 0.5) * this.cols) / o.width);
        const i = row * this.cols + c;
        if (i >= this.length) px[y * o.width + x] = BACKGROUND;
        else if (!L) px[y * o.width + x] = this.colour(this.values[i]!);
        else {
          const k = (row >> level) * L.cols + (c >> level);
          px[y * o.width + x] = L.nan[k] ? NAN_COLOUR : this.colour(L[this.aggregate][k]!);
        }
      }
    }
    const c = document.createElement('canvas');
    c.width = o.width;
    c.height = o.height;
    c.getContext('2d')!.putImageData(img, 0, 0);
    this.overviewImage = c;
  }

  private elementAt(e: MouseEvent): { row: number; col: number; index?: number } {
    const r = this.canvas.getBoundingClientRect();
    const v = this.viewport;
    const row = Math.floor(v.y + (e.clientY - r.top) / v.zoom);
    const col = Math.floor(v.x + (e.clientX - r.left) / v.zoom);
    const i = row * this.cols + col;
    return { row, col, ...(row >= 0 && row < this.rows && col >= 0 && col < this.cols && i < this.length ? { index: i } : {}) };
  }

  private listen() {
    const c = this.canvas;
    let drag: { x: number; y: number; moved: boolean } | undefined;
    c.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY, moved: false };
      c.setPointerCapture(e.pointerId);
    });
    c.addEventListener('pointermove', (e) => {
      if (drag) {
        const dx = e.clientX - drag.x;
        const dy = e.clientY - drag.y;
        if (drag.moved || Math.abs(dx) + Math.abs(dy) > 3) {
          drag.moved = true;
          drag.x = e.clientX;
          drag.y = e.clientY;
          this.viewport.panBy(-dx, -dy);
          tooltip(null);
        }
        return;
      }
      this.hover(e);
    });
    c.addEventListener('pointerup', (e) => {
      const was = drag;
      drag = undefined;
      if (!was || was.moved) return;
      const r = c.getBoundingClientRect();
      if (this.viewport.zoom < 1) {
        // Many elements per pixel: a click zooms in there; a pixel or more per element: it selects.
        this.viewport.zoomAt(4, e.clientX - r.left, e.clientY - r.top);
        return;
      }
      const at = this.elementAt(e);
      if (at.index !== undefined) {
        this.select(at.index);
        this.draw();
        this.o.onSelect?.(at.index);
      }
    });
    c.addEventListener('mouseleave', () => tooltip(null));
    c.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = c.getBoundingClientRect();
      this.viewport.zoomAt(Math.pow(1.0015, -e.deltaY), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    const moveTo = (e: MouseEvent) => {
      const r = this.overview.getBoundingClientRect();
      const col = ((e.clientX - r.left) / r.width) * this.cols;
      const row = ((e.clientY - r.top) / r.height) * this.rows;
      const v = this.viewport;
      v.set(col - v.spanX / 2, row - v.spanY / 2, v.zoom);
    };
    this.overview.addEventListener('pointerdown', (e) => {
      moveTo(e);
      this.overview.setPointerCapture(e.pointerId);
    });
    this.overview.addEventListener('pointermove', (e) => e.buttons && moveTo(e));
  }

  private hover(e: MouseEvent) {
    const at = this.elementAt(e);
    if (at.index === undefined) return tooltip(null);
    const v = this.viewport;
    const name = this.o.label ?? this.o.name;
    const where = this.strip ? `[${at.index}]` : `[${at.row}][${at.col}]`;
    let text: string;
    if (v.zoom < 1 && this.pyramid) {
      const level = Math.min(this.pyramid.levels.length, Math.ceil(Math.log2(1 / v.zoom)));
      const L = this.pyramid.levels[level - 1]!;
      const k = (at.row >> level) * L.cols + (at.col >> level);
      const s = 2 ** level;
      const r0 = (at.row >> level) * s;
      const c0 = (at.col >> level) * s;
      text = `${name}: rows ${r0}…${Math.min(this.rows, r0 + s) - 1}, columns ${c0}…${Math.min(this.cols, c0 + s) - 1}\n` +
        `min ${fmt(L.min[k]!)}  max ${fmt(L.max[k]!)}  mean ${fmt(L.mean[k]!)}${L.nan[k] ? '  (holds NaN)' : ''}\nclick to zoom in`;
    } else {
      const x = this.values[at.index]!;
      text = `${name}${where}  (index ${at.index})\nvalue ${fmt(x)}  bits ${bitsOf(x, this.o.type)}`;
      if (this.reference && this.o.type === 'f32') text += `\nreference ${fmt(this.reference[at.index]!)}  ${ulps(x, this.reference[at.index]!)} ULP away`;
      const extra = this.o.describe?.(at.index);
      if (extra) text += `\n${extra}`;
    }
    tooltip(text, e.clientX, e.clientY);
  }
}

const OVER: Record<number, number> = { [MARK_WRITE]: 0xff008cff, [MARK_READ]: 0xffffc800, [MARK_MULTI]: 0xff1e1eff, [MARK_UNWRITTEN]: 0xffc800ff, [MARK_STEP]: 0xff00e6ff };

/** The traced view's tint: two thirds the mark's colour (ABGR words). */
function tint(colour: number, mark: number): number {
  const bit = mark & MARK_WRITE || mark & MARK_READ || mark & MARK_STEP || mark & MARK_MULTI || mark & MARK_UNWRITTEN;
  const o = OVER[bit];
  if (o === undefined) return colour;
  const mix = (s: number) => ((((colour >>> s) & 0xff) + ((o >>> s) & 0xff) * 2) / 3) & 0xff;
  return ((0xff << 24) | (mix(16) << 16) | (mix(8) << 8) | mix(0)) >>> 0;
}

/**
 * ?bench=1&n=N[&rows=R]: an N-element f32 buffer (a smooth field, one outlier) drawn once, timed (body's
 * data-bench-ms: values to first frame), then `window.__big.pan(frames, dx, zoom)` pans it by dx canvas pixels a
 * frame, the way a drag does (the viewport schedules the draw for the next frame), and resolves to the frames'
 * requestAnimationFrame timestamps and each draw's time. For bench/visualizer.ts.
 */
export function benchPage(app: HTMLElement, params: URLSearchParams) {
  const n = Number(params.get('n') ?? 4 << 20);
  const rows = Number(params.get('rows') ?? 0);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.sin(i * 0.001) * Math.cos(i * 0.0000037);
  values[Math.floor(n * 0.7)] = 40;
  const t0 = performance.now();
  const v = new BigBufferView(app, { name: 'big', type: 'f32', dims: rows ? [rows, n / rows] : [n], scale: 'diverging', width: 800, height: 600 });
  v.setValues(values);
  v.draw();
  const ms = performance.now() - t0;
  document.body.dataset.benchMs = String(ms);
  document.getElementById('status')!.textContent = `${n.toLocaleString()} elements: first frame in ${ms.toFixed(1)} ms`;
  (window as unknown as { __big: unknown }).__big = {
    view: v,
    pan: (frames: number, dx: number, zoom: number) => new Promise((resolve) => {
      const vp = v.viewport;
      vp.set(vp.x, vp.y, zoom);
      const times: number[] = [];
      const draws: number[] = [];
      let dir = 1;
      const step = (t: number) => {
        times.push(t);
        draws.push(v.lastDrawMs);
        const before = vp.x;
        vp.panBy(dx * dir, dx * dir * 0.25);
        if (vp.x === before) dir = -dir; // at an edge: back the other way
        if (times.length <= frames) requestAnimationFrame(step);
        else resolve({ times, draws: draws.slice(2) });
      };
      requestAnimationFrame(step);
    }),
  };
  document.body.dataset.ready = String(Date.now());
}
