// The WGSL source with line numbers, the current line highlighted, breakpoints in the gutter, and a stepper that
// runs one invocation through wgsl_reflect's WgslDebug (step over, into, out, run to breakpoint) showing its
// variables.
import { WgslDebug, WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';

export class SourcePane {
  readonly root: HTMLElement;
  private lines: HTMLElement[] = [];
  private vars: HTMLElement;
  private debug?: WgslDebug;
  private breakpoints = new Set<number>();
  currentLine = -1;
  onLine?: (line: number) => void;

  constructor(parent: HTMLElement, private code: string, private linesWithAccesses: Map<number, string>) {
    this.root = document.createElement('section');
    this.root.className = 'source';
    const pre = document.createElement('pre');
    pre.className = 'code';
    code.split('\n').forEach((text, i) => {
      const line = document.createElement('div');
      line.className = 'line';
      line.dataset.line = String(i + 1);
      const no = document.createElement('span');
      no.className = 'no';
      no.textContent = String(i + 1).padStart(3);
      no.title = 'toggle breakpoint';
      no.addEventListener('click', () => this.toggleBreakpoint(i + 1));
      const t = document.createElement('span');
      t.textContent = text || ' ';
      const note = linesWithAccesses.get(i + 1);
      line.append(no, t);
      if (note) {
        const n = document.createElement('span');
        n.className = 'note';
        n.textContent = note;
        line.append(n);
      }
      pre.append(line);
      this.lines.push(line);
    });
    this.vars = document.createElement('div');
    this.vars.className = 'vars';
    this.root.append(pre, this.vars);
    parent.append(this.root);
  }

  highlight(line: number, kind: 'step' | 'scrub' = 'step') {
    for (const l of this.lines) l.classList.remove('current', 'scrub');
    const el = this.lines[line - 1];
    if (el) {
      el.classList.add(kind === 'step' ? 'current' : 'scrub');
      el.scrollIntoView({ block: 'nearest' });
    }
    if (kind === 'step') {
      this.currentLine = line;
      this.root.dataset.currentLine = String(line);
    }
  }

  toggleBreakpoint(line: number) {
    if (this.breakpoints.has(line)) this.breakpoints.delete(line);
    else this.breakpoints.add(line);
    this.lines[line - 1]?.classList.toggle('breakpoint', this.breakpoints.has(line));
    this.debug?.toggleBreakpoint(line);
  }

  /** Starts debugging one invocation; returns false when the entry point did not start. */
  start(entry: string, globalId: number[], workgroups: number[], bindGroups: Record<string, Record<string, unknown>>): boolean {
    this.debug = new WgslDebug(this.code);
    for (const b of this.breakpoints) this.debug.toggleBreakpoint(b);
    const ok = this.debug.debugWorkgroup(entry, globalId, workgroups, bindGroups as never);
    this.settle();
    this.after();
    return ok;
  }

  step(how: 'over' | 'into' | 'out' | 'continue') {
    const d = this.debug;
    if (!d) return;
    if (how === 'over') d.stepOver();
    else if (how === 'into') d.stepInto();
    else if (how === 'out') d.stepOut();
    else {
      // Steps until a breakpoint line or the end; bounded so a runaway loop cannot freeze the page.
      for (let n = 0; n < 100_000; n++) {
        d.stepInto();
        if (d.currentState === null || this.breakpoints.has(d.currentLine)) break;
      }
    }
    this.settle();
    this.after();
  }

  /**
   * Steps past the commands of no line: a loop's continue target and its condition as the interpreter's fixes lower
   * a `for` (line -1, then 0). They read as the end, "invocation finished" mid-loop, and "Continue to breakpoint"
   * stopped at each iteration (trial 67 B1). The end is a debugger with no frame left.
   */
  private settle() {
    const d = this.debug!;
    for (let n = 0; n < 1000 && d.currentState !== null && d.currentLine <= 0; n++) d.stepOver();
  }

  get finished(): boolean {
    return !this.debug || this.debug.currentState === null;
  }

  private after() {
    const d = this.debug!;
    const line = d.currentLine;
    this.highlight(line);
    this.showVariables();
    this.onLine?.(line);
  }

  private showVariables() {
    const d = this.debug;
    this.vars.textContent = '';
    if (!d) return;
    const table = document.createElement('table');
    const seen = new Set<string>();
    type Scope = { variables: Map<string, unknown>; parent: Scope | null };
    // Innermost scope first; buffers and the builtins' own '@' names left out.
    const bound = new Set(new WgslReflect(this.code).storage.concat(new WgslReflect(this.code).uniforms).map((v) => v.name));
    for (let ctx = d.context as unknown as Scope | null; ctx; ctx = ctx.parent) {
      for (const name of ctx.variables.keys()) {
        if (seen.has(name) || name.startsWith('@') || bound.has(name)) continue;
        seen.add(name);
        let v: unknown;
        try {
          v = d.getVariableValue(name);
        } catch {
          v = undefined;
        }
        if (v === null || v === undefined) continue;
        const tr = document.createElement('tr');
        const a = document.createElement('td');
        a.textContent = name;
        const b = document.createElement('td');
        b.textContent = Array.isArray(v) ? `(${v.join(', ')})` : String(v);
        tr.append(a, b);
        table.append(tr);
      }
    }
    const h = document.createElement('div');
    h.className = 'vars-title';
    h.textContent = d.currentState === null ? 'invocation finished' : `line ${d.currentLine}: variables`;
    this.vars.append(h, table);
  }
}
