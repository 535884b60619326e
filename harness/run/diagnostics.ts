// Compiler messages, located: every diagnostic a WebGPU compiler returns from getCompilationInfo() (errors,
// warnings, and the notes that say why, e.g. Tint's "control flow depends on possibly non-uniform value" under a
// barrier error) as `file:line:column: kind: message`, the source line, and a caret under the column. Node-free.
import type { ShaderDiagnostic } from '../gpu/batch.ts';

/** One located message; line 0 means the compiler gave no position. */
export interface LocatedMessage {
  kind: 'error' | 'warning' | 'note';
  shader: number;
  line: number;
  column: number;
  message: string;
}

const KIND: Record<ShaderDiagnostic['type'], LocatedMessage['kind']> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * Naga (Firefox, Deno) returns one message holding its own codespan rendering: a headline, labels under source
 * lines, and `= note` lines. Each label becomes a note at the column its marker (or its text) starts at; labels that
 * name Naga's internal IR (`naga::ir::Expression [3]`) say nothing about the WGSL and are left out.
 */
export function splitNagaMessage(d: ShaderDiagnostic): LocatedMessage[] {
  const lines = d.message.split('\n');
  const head = lines.findIndex((l) => l.trim());
  if (head < 0 || !lines.some((l) => /^\s*┌─/.test(l))) return [{ kind: KIND[d.type], shader: d.shader, line: d.line, column: d.column, message: d.message.trim() }];
  const headline = lines[head]!.trim().replace(/^Shader '[^']*' parsing error: |^Shader validation error: /, '');
  const out: LocatedMessage[] = [{ kind: KIND[d.type], shader: d.shader, line: d.line, column: d.column, message: headline }];
  let sourceLine = 0;
  for (const l of lines.slice(head + 1)) {
    const gutter = /^\s*(\d*)\s*│ ?(.*)$/.exec(l);
    if (gutter) {
      if (gutter[1]) {
        sourceLine = Number(gutter[1]);
        continue;
      }
      // A label line: markers (^^^ or ---) then the label, or a label hanging under an earlier marker (│ lines).
      const body = gutter[2]!;
      const label = /^([\s│╭╰─]*?)([\^-]+\s+)?([^\s│^-].*)$/.exec(body);
      if (!label || !sourceLine) continue;
      const text = label[3]!.trim();
      if (text.startsWith('naga::')) continue;
      out.push({ kind: 'note', shader: d.shader, line: sourceLine, column: label[1]!.length + 1, message: text });
      continue;
    }
    const footer = /^\s*= (?:note: )?(.*)$/.exec(l);
    if (footer?.[1]) out.push({ kind: 'note', shader: d.shader, line: 0, column: 0, message: footer[1] });
  }
  return out;
}

/**
 * The compiler's messages in blocks (a diagnostic and the notes that follow it), errors' blocks first so the first
 * line names an error, each message located in its file with the source line and a caret.
 *
 * @param files the shader index's file names (index = ShaderDiagnostic.shader)
 * @param sources WGSL text by file name; @param origins how to print each file's path
 */
export function formatDiagnostics(diagnostics: ShaderDiagnostic[], files: string[], sources: Record<string, string>, origins: Record<string, string> = {}): string {
  const blocks: LocatedMessage[][] = [];
  for (const m of diagnostics.flatMap(splitNagaMessage)) {
    if (m.kind === 'note' && blocks.length) blocks.at(-1)!.push(m);
    else blocks.push([m]);
  }
  const rank = (b: LocatedMessage[]) => (b[0]!.kind === 'error' ? 0 : b[0]!.kind === 'warning' ? 1 : 2);
  return blocks.sort((a, b) => rank(a) - rank(b)).flat().map((m) => {
    const file = files[m.shader] ?? '?';
    const where = origins[file] ?? file;
    if (m.line <= 0) return `${where}: ${m.kind}: ${m.message}`;
    const src = sources[file]?.split('\n')[m.line - 1]?.replace(/\r$/, '');
    const head = `${where}:${m.line}:${m.column}: ${m.kind}: ${m.message}`;
    if (src === undefined) return head;
    // The caret keeps the line's tabs so it sits under the column however wide a tab is drawn.
    const pad = src.slice(0, Math.max(0, m.column - 1)).replace(/[^\t]/g, ' ');
    return `${head}\n    ${src}\n    ${pad}^`;
  }).join('\n');
}
