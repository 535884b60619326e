// The second way to get an access trace: rewrite the WGSL so the engine running it records its own storage accesses.
// Every `buf[index]` of a traced storage variable becomes `buf[_ks_log(tag, index)]`, where _ks_log appends
// (invocation, tag, index) to a trace buffer at an atomicAdd-reserved slot and returns the index unchanged. The tag
// packs the pipeline buffer id, read/write, and the source line. The rewrite only inserts text within lines and
// appends its declarations after the last line, so every line number of the original stays valid.
//
// Why: wgsl_reflect's interpreter traced a 32³ matmul in 19 s here (lock-step scheduler), far from the 2 s a 64³
// matmul must take; a real engine runs the instrumented kernel in milliseconds.
import { reflect } from '../run/reflect.ts';

/** Words per recorded access: invocation, tag, element index. */
export const RECORD_WORDS = 3;
export const KIND_READ = 1;
export const KIND_WRITE = 2;

export function packTag(buffer: number, kind: number, line: number): number {
  return (buffer & 0xf) | ((kind & 0xf) << 4) | (line << 8);
}

export function unpackTag(tag: number): { buffer: number; kind: number; line: number } {
  return { buffer: tag & 0xf, kind: (tag >>> 4) & 0xf, line: tag >>> 8 };
}

export interface InstrumentOptions {
  entry: string;
  /** WGSL storage variable name -> the id its accesses are recorded under (at most 16 ids). */
  buffers: Map<string, number>;
  workgroups: [number, number, number];
  workgroupSize: [number, number, number];
  /** Most accesses the trace buffer holds; the counter keeps counting past it, so overflow is known. */
  capacity: number;
}

export interface Instrumented {
  code: string;
  /** Where the trace buffer must be bound. */
  group: number;
  binding: number;
  /** Bytes of the trace buffer: a u32 counter then capacity records. */
  bytes: number;
}

const IDENT = /[A-Za-z_0-9]/;

/** Index of the bracket closing the one at `open`, skipping nested brackets. */
function matching(code: string, open: number, o: string, c: string): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === o) depth++;
    else if (code[i] === c && --depth === 0) return i;
  }
  throw new Error(`unbalanced '${o}' at offset ${open}`);
}

/** Blanks comments (same length, newlines kept) so scanning never rewrites inside one. */
function maskComments(code: string): string {
  return code.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '));
}

function kindAfter(masked: string, close: number, before: string): number {
  if (/&\s*$/.test(before)) return KIND_READ | KIND_WRITE; // a pointer handed to an atomic builtin
  const rest = masked.slice(close + 1, close + 8).replace(/^\s+/, '');
  if (/^(\+\+|--)/.test(rest)) return KIND_READ | KIND_WRITE;
  if (/^(\+|-|\*|\/|%|&|\||\^|<<|>>)=/.test(rest)) return KIND_READ | KIND_WRITE;
  if (/^=(?!=)/.test(rest)) return KIND_WRITE;
  return KIND_READ;
}

export function instrument(code: string, o: InstrumentOptions): Instrumented {
  const mod = reflect(code);
  const entry = mod.entries.get(o.entry);
  if (!entry) throw new Error(`no @compute entry point '${o.entry}'`);
  let maxBinding = -1;
  for (const b of mod.bindings.values()) if (b.group === 0) maxBinding = Math.max(maxBinding, b.binding);
  const group = 0;
  const binding = maxBinding + 1;

  const masked = maskComments(code);
  const lineAt: number[] = [];
  for (let i = 0, line = 1; i < code.length; i++) {
    lineAt.push(line);
    if (code[i] === '\n') line++;
  }

  // Rewrites [from, to) of the source; recursive so that indices inside indices are traced too.
  const rewrite = (from: number, to: number): string => {
    let out = '';
    let i = from;
    while (i < to) {
      const ch = masked[i]!;
      if (!IDENT.test(ch) || (i > 0 && (IDENT.test(masked[i - 1]!) || masked[i - 1] === '.'))) {
        out += code[i];
        i++;
        continue;
      }
      let j = i;
      while (j < to && IDENT.test(masked[j]!)) j++;
      const name = masked.slice(i, j);
      let k = j;
      while (k < to && /\s/.test(masked[k]!)) k++;
      const id = o.buffers.get(name);
      if (id === undefined || masked[k] !== '[') {
        out += code.slice(i, j);
        i = j;
        continue;
      }
      const close = matching(masked, k, '[', ']');
      const kind = kindAfter(masked, close, masked.slice(Math.max(0, i - 4), i));
      const tag = packTag(id, kind, lineAt[i]!);
      out += `${code.slice(i, k)}[_ks_log(${tag}u, u32(${rewrite(k + 1, close)}))]`;
      i = close + 1;
    }
    return out;
  };

  // Where the entry point starts: its parameter list and the opening brace of its body.
  const fnMatch = new RegExp(`\\bfn\\s+${o.entry}\\s*\\(`).exec(masked);
  if (!fnMatch) throw new Error(`entry point '${o.entry}' not found in the source`);
  const paramsOpen = fnMatch.index + fnMatch[0].length - 1;
  const paramsClose = matching(masked, paramsOpen, '(', ')');
  const bodyOpen = masked.indexOf('{', paramsClose);
  const params = masked.slice(paramsOpen + 1, paramsClose);
  const gidMatch = /@builtin\s*\(\s*global_invocation_id\s*\)\s*([A-Za-z_]\w*)/.exec(params);
  const gid = gidMatch ? gidMatch[1]! : '_ks_gid';
  const extraParam = gidMatch ? '' : `@builtin(global_invocation_id) _ks_gid: vec3u${params.trim() ? ', ' : ''}`;
  const width = o.workgroups[0] * o.workgroupSize[0];
  const height = o.workgroups[1] * o.workgroupSize[1];
  const setInv = ` _ks_inv = ${gid}.x + ${width}u * (${gid}.y + ${height}u * ${gid}.z);`;

  const body =
    rewrite(0, paramsOpen + 1) + extraParam + rewrite(paramsOpen + 1, bodyOpen + 1) + setInv + rewrite(bodyOpen + 1, code.length);
  const cap = Math.max(1, Math.floor(o.capacity));
  const tail = `
struct _KsTrace { count: atomic<u32>, data: array<u32> }
@group(${group}) @binding(${binding}) var<storage, read_write> _ks_trace: _KsTrace;
var<private> _ks_inv: u32;
fn _ks_log(tag: u32, index: u32) -> u32 {
  let slot = atomicAdd(&_ks_trace.count, 1u);
  if (slot < ${cap}u) {
    _ks_trace.data[slot * ${RECORD_WORDS}u] = _ks_inv;
    _ks_trace.data[slot * ${RECORD_WORDS}u + 1u] = tag;
    _ks_trace.data[slot * ${RECORD_WORDS}u + 2u] = index;
  }
  return index;
}
`;
  return { code: (body.endsWith('\n') ? body : body + '\n') + tail, group, binding, bytes: 4 + cap * RECORD_WORDS * 4 };
}
