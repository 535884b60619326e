// The dispatch grid of one stage: every invocation as a cell, workgroups outlined. A 1-D dispatch is laid out one
// workgroup per row, a workgroup wider than WRAP as a band of rows of WRAP (a 256-wide one in a single row drew its
// invocations 2 pixels wide); a 3-D one as z slices side by side. Hover names the ids; a click selects the invocation.
import { invocationIds, type TraceStage } from '../../harness/trace/trace.ts';
import { tooltip } from './heatmap.ts';

export const INV_BUSY = 1;
export const INV_SELECTED = 2;
export const INV_READ = 4;
export const INV_WRITE = 8;

/** Invocations per row of a 1-D workgroup's band. */
const WRAP = 64;

export class GridView {
  readonly root: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private oneD: boolean;
  private W: number;
  private H: number;
  private D: number;
  private cols: number;
  private rows: number;
  /** 1-D: invocations per row, rows per workgroup, and rows from one workgroup's first to the next's (a blank row
   *  between banded workgroups). */
  private wrap = 0;
  private band = 1;
  private pitch = 1;
  readonly cell: number;

  constructor(parent: HTMLElement, private stages: TraceStage[], private stageIndex: number, private onSelect: (inv: number) => void) {
    const s = stages[stageIndex]!;
    this.W = s.workgroups[0] * s.workgroupSize[0];
    this.H = s.workgroups[1] * s.workgroupSize[1];
    this.D = s.workgroups[2] * s.workgroupSize[2];
    this.oneD = this.H === 1 && this.D === 1;
    if (this.oneD) {
      const size = s.workgroupSize[0];
      this.wrap = Math.min(size, WRAP);
      this.band = Math.ceil(size / this.wrap);
      this.pitch = this.band + (this.band > 1 ? 1 : 0);
      this.cols = this.wrap;
      this.rows = s.workgroups[0] * this.pitch - (this.pitch - this.band);
    } else {
      this.cols = this.W * this.D + (this.D - 1);
      this.rows = this.H;
    }
    this.cell = Math.max(2, Math.min(18, Math.floor(520 / Math.max(1, this.cols)), Math.floor(360 / Math.max(1, this.rows))));
    this.root = document.createElement('figure');
    this.root.className = 'grid';
    const cap = document.createElement('figcaption');
    const sz = s.workgroupSize;
    cap.textContent = `stage ${stageIndex + 1}/${stages.length} ${s.file}:${s.entry}  dispatch ${s.workgroups.join(' × ')} workgroups of ${sz.join(' × ')} = ${s.invocations} invocations` +
      (this.oneD ? (this.band > 1 ? `  (drawn one workgroup per band of ${this.band} rows of ${this.wrap})` : '  (drawn one workgroup per row)') : this.D > 1 ? '  (z slices side by side)' : '');
    this.canvas = document.createElement('canvas');
    this.canvas.width = this.cols * this.cell;
    this.canvas.height = this.rows * this.cell;
    this.canvas.dataset.cell = String(this.cell);
    this.root.append(cap, this.canvas);
    parent.append(this.root);
    this.canvas.addEventListener('mousemove', (e) => {
      const inv = this.invocationAt(e);
      if (inv === undefined) return tooltip(null);
      const ids = invocationIds(this.stages, inv);
      tooltip(`invocation ${inv}\nglobal_invocation_id (${ids.global.join(', ')})\nlocal_invocation_id (${ids.local.join(', ')})  index ${ids.localIndex}\nworkgroup_id (${ids.workgroup.join(', ')})`, e.clientX, e.clientY);
    });
    this.canvas.addEventListener('mouseleave', () => tooltip(null));
    this.canvas.addEventListener('click', (e) => {
      const inv = this.invocationAt(e);
      if (inv !== undefined) this.onSelect(inv);
    });
  }

  private cellOf(g: [number, number, number]): [number, number] {
    const s = this.stages[this.stageIndex]!;
    if (this.oneD) {
      const k = g[0] % s.workgroupSize[0];
      return [k % this.wrap, Math.floor(g[0] / s.workgroupSize[0]) * this.pitch + Math.floor(k / this.wrap)];
    }
    return [g[2] * (this.W + 1) + g[0], g[1]];
  }

  invocationAt(e: MouseEvent): number | undefined {
    const r = this.canvas.getBoundingClientRect();
    const cx = Math.floor((e.clientX - r.left) / this.cell);
    const cy = Math.floor((e.clientY - r.top) / this.cell);
    const s = this.stages[this.stageIndex]!;
    let g: [number, number, number];
    if (this.oneD) {
      const k = (cy % this.pitch) * this.wrap + cx;
      if (cy % this.pitch >= this.band || cx >= this.wrap || k >= s.workgroupSize[0]) return undefined;
      g = [Math.floor(cy / this.pitch) * s.workgroupSize[0] + k, 0, 0];
    } else {
      const z = Math.floor(cx / (this.W + 1));
      const x = cx % (this.W + 1);
      if (x >= this.W) return undefined;
      g = [x, cy, z];
    }
    if (g[0] >= this.W || g[1] >= this.H || g[2] >= this.D || cx < 0 || cy < 0) return undefined;
    return s.firstInvocation + g[0] + this.W * (g[1] + this.H * g[2]);
  }

  /** Page coordinates of a global invocation id's cell centre (tests click there). */
  centerOf(g: [number, number, number]): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    const [cx, cy] = this.cellOf(g);
    return { x: r.left + (cx + 0.5) * this.cell, y: r.top + (cy + 0.5) * this.cell };
  }

  /** `flags[inv - firstInvocation]`: INV_* bits. */
  draw(flags: Uint8Array) {
    const s = this.stages[this.stageIndex]!;
    const ctx = this.canvas.getContext('2d')!;
    ctx.fillStyle = '#111';
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    const c = this.cell;
    const gap = c >= 4 ? 1 : 0;
    for (let n = 0; n < s.invocations; n++) {
      const g: [number, number, number] = [n % this.W, Math.floor(n / this.W) % this.H, Math.floor(n / (this.W * this.H))];
      const [cx, cy] = this.cellOf(g);
      const f = flags[n]!;
      ctx.fillStyle = f & INV_SELECTED ? '#ffffff' : f & INV_WRITE ? '#ff8c00' : f & INV_READ ? '#00c8ff' : f & INV_BUSY ? '#5a6b7d' : '#2a2f36';
      ctx.fillRect(cx * c, cy * c, c - gap, c - gap);
    }
    // Workgroup outlines.
    ctx.strokeStyle = '#c8d0da';
    ctx.lineWidth = 1;
    const [sx, sy] = s.workgroupSize;
    if (this.oneD) {
      for (let w = 0; w < s.workgroups[0]; w++) ctx.strokeRect(0.5, w * this.pitch * c + 0.5, this.wrap * c - 1, this.band * c - 1);
    } else {
      for (let z = 0; z < this.D; z++) for (let y = 0; y < this.H; y += sy) for (let x = 0; x < this.W; x += sx) {
        ctx.strokeRect((z * (this.W + 1) + x) * c + 0.5, y * c + 0.5, sx * c - 1, sy * c - 1);
      }
    }
  }
}
