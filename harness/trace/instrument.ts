// The second way to get an access trace: rewrite the WGSL so the engine running it records its own storage accesses.
// Every index of a traced storage variable, `buf[i]` (or `s.data[i]`), becomes `buf[_ks_log(SITE, i)]`, where
// _ks_log appends (invocation, SITE, index) to a trace buffer at an atomicAdd-reserved slot and returns the index
// unchanged. SITE numbers the access in the source: its buffer, read or write, line, and which bytes of the element it
// touches (`particles[i].mass`: the member's 4 bytes, not the particle's 32; `px[i].x = v`: one component, written),
// so the host maps a record to the spec's elements exactly as the interpreter's trace does.
// The rewrite is made on wgsl_reflect's tokens and AST (harness/mutate/parse.ts), as the sanitizer's is: a comment,
// a local named like a buffer (where it is in scope: parse.ts localScopes), or a member access never counts as an
// access of the buffer. It only inserts text within lines and appends its declarations after the last line, so every
// line number of the original stays valid.
// Not recorded (as on the sanitizer's side): an access with no index (a whole scalar or struct variable, `&total`),
// and through a pointer the kernel holds (`let p = &buf[i]`: recorded once, at `&`, as a read and a write).
//
// Why: wgsl_reflect's interpreter traced a 32³ matmul in 19 s here (lock-step scheduler), far from the 2 s a 64³
// matmul must take; a real engine runs the instrumented kernel in milliseconds.
import { children, localScopes, parseWgsl, type Node } from '../mutate/parse.ts';
import { hoisted, reflect, reflectable, type WgslType } from '../run/reflect.ts';
import { applyEdits, entryBuiltins, signatureTokens, type Edit } from './rewrite.ts';

/** Words per recorded access: invocation, site, index. */
export const RECORD_WORDS = 3;
export const KIND_READ = 1;
export const KIND_WRITE = 2;

/** One access in the source. Its bytes in the buffer: base + index × stride + offset, `size` of them. */
export interface AccessSite {
  buffer: number;
  /** What it does, in order: a compound assignment (`+=`, `++`) reads then writes, as the interpreter's trace says;
   *  an atomic builtin's access is one read-and-write. */
  kinds: number[];
  line: number;
  base: number;
  stride: number;
  offset: number;
  size: number;
}

export interface InstrumentOptions {
  entry: string;
  /** WGSL storage variable name -> the id its accesses are recorded under. */
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
  /** By the number a record carries. */
  sites: AccessSite[];
}

const scalarSize = (t: WgslType) => ('scalar' in t && t.scalar === 'f16' ? 2 : 4);

/** An integer literal index (`[2]`, `[2u]`), else undefined. */
function literalIndex(n: Node): number | undefined {
  if (n.astNodeType !== 'literalExpr') return undefined;
  const v = Number((n.value as { data?: ArrayLike<number> } | undefined)?.data?.[0]);
  return Number.isInteger(v) && v >= 0 ? v : undefined;
}

/**
 * Where an access lands, from its postfix chain: the members before the first index give the array (`s.data`), and
 * what follows the index the part of the element (members, literal indices, components; a swizzle its span). A
 * dynamic index past the first stops there: the whole of what it indexes. Undefined when the chain has no index into
 * an array.
 */
function placeOf(type: WgslType, chain: Node | undefined): { index: Node; base: number; stride: number; offset: number; size: number } | undefined {
  let t = type;
  let base = 0;
  let p = chain;
  for (; p && !('index' in p); p = p.postfix as Node | undefined) {
    if (t.kind !== 'struct') return undefined;
    const m = t.members.find((x) => x.name === p!.value);
    if (!m) return undefined;
    base += m.offset;
    t = m.type;
  }
  if (!p || t.kind !== 'array') return undefined;
  const index = p.index as Node;
  const stride = t.stride;
  let e = t.element;
  let offset = 0;
  let size = e.size;
  for (let q = p.postfix as Node | undefined; q; q = q.postfix as Node | undefined) {
    if ('index' in q) {
      const k = literalIndex(q.index as Node);
      if (k === undefined) break;
      if (e.kind === 'array') (offset += k * e.stride), (e = e.element);
      else if (e.kind === 'matrix') (offset += k * e.colStride), (e = { kind: 'vector', scalar: e.scalar, n: e.rows, size: e.rows * scalarSize(e), align: 0 });
      else if (e.kind === 'vector') (offset += k * scalarSize(e)), (e = { kind: 'scalar', scalar: e.scalar, size: scalarSize(e), align: 0 });
      else break;
      size = e.size;
      continue;
    }
    const name = q.value as string;
    if (e.kind === 'struct') {
      const m = e.members.find((x) => x.name === name);
      if (!m) break;
      offset += m.offset;
      e = m.type;
      size = e.size;
      continue;
    }
    if (e.kind === 'vector' && /^([xyzw]+|[rgba]+)$/.test(name)) {
      const at = [...name].map((c) => 'xyzwrgba'.indexOf(c) % 4);
      offset += Math.min(...at) * scalarSize(e);
      size = (Math.max(...at) - Math.min(...at) + 1) * scalarSize(e);
    }
    break;
  }
  return { index, base, stride, offset, size };
}

export function instrument(source: string, o: InstrumentOptions): Instrumented {
  // @workgroup_size expressions hoisted as the sanitizer does, line for line (reflect.ts reflectable).
  const code = reflectable(source);
  const p = parseWgsl(code);
  const mod = reflect(code);
  const entry = p.ast.find((n) => n.astNodeType === 'function' && n.name === o.entry);
  if (!entry || !mod.entries.has(o.entry)) throw new Error(`no @compute entry point '${o.entry}'`);
  let maxBinding = -1;
  for (const b of mod.bindings.values()) if (b.group === 0) maxBinding = Math.max(maxBinding, b.binding);
  const group = 0;
  const binding = maxBinding + 1;

  const edits: Edit[] = [];
  const sites: AccessSite[] = [];
  const visit = (v: Node, parent: Node | undefined, grand: Node | undefined, depth: number) => {
    const buffer = o.buffers.get(v.name as string);
    const type = mod.bindings.get(v.name as string)?.type;
    if (buffer === undefined || !type) return;
    const place = placeOf(type, v.postfix as Node | undefined);
    if (!place) return;
    let kinds = [KIND_READ];
    if ((parent?.astNodeType === 'assign' || parent?.astNodeType === 'increment') && parent.variable === v) {
      kinds = parent.astNodeType === 'assign' && parent.operator === '=' ? [KIND_WRITE] : [KIND_READ, KIND_WRITE];
    } else if (parent?.astNodeType === 'unaryOp' && parent.operator === '&') {
      // An atomic builtin's pointer (atomicStore writes; the rest are drawn as read and write, as the interpreter's
      // trace draws an atomic), or one the kernel keeps, whose uses are not seen here.
      kinds = [grand?.name === 'atomicStore' ? KIND_WRITE : KIND_READ | KIND_WRITE];
    }
    const site = sites.push({ buffer, kinds, line: p.position(p.range(v)[0]).line, base: place.base, stride: place.stride, offset: place.offset, size: place.size }) - 1;
    const [a, b] = p.range(place.index);
    edits.push({ at: a, text: `_ks_log(${site}u, u32(`, order: -depth }, { at: b, text: '))', order: depth });
  };
  for (const fn of p.ast) {
    if (fn.astNodeType !== 'function') continue;
    const local = localScopes(p, fn);
    const walk = (n: Node, parent: Node | undefined, grand: Node | undefined, depth: number) => {
      if (n.astNodeType === 'varExpr' && !local(n.name as string, p.range(n)[0])) visit(n, parent, grand, depth);
      for (const k of children(n)) walk(k, n, parent, depth + 1);
    };
    for (const s of (fn.body as Node[]) ?? []) walk(s, undefined, undefined, 1);
  }

  // The entry point: a global_invocation_id parameter if it has none, and the invocation's number first thing.
  const sig = signatureTokens(p, entry);
  const gid = entryBuiltins(p, entry).get('global_invocation_id');
  if (!gid) {
    const empty = sig.close === sig.paren + 1;
    edits.push({ at: p.tokens[sig.paren]!.end, text: `@builtin(global_invocation_id) _ks_gid: vec3u${empty ? '' : ', '}`, order: 0 });
  }
  const g = gid ?? '_ks_gid';
  const width = o.workgroups[0] * o.workgroupSize[0];
  const height = o.workgroups[1] * o.workgroupSize[1];
  edits.push({ at: p.tokens[sig.open]!.end, text: ` _ks_inv = ${g}.x + ${width}u * (${g}.y + ${height}u * ${g}.z);`, order: 0 });

  const body = applyEdits(hoisted(source), edits);
  const cap = Math.max(1, Math.floor(o.capacity));
  const tail = `
struct _KsTrace { count: atomic<u32>, data: array<u32> }
@group(${group}) @binding(${binding}) var<storage, read_write> _ks_trace: _KsTrace;
var<private> _ks_inv: u32;
fn _ks_log(site: u32, index: u32) -> u32 {
  let slot = atomicAdd(&_ks_trace.count, 1u);
  if (slot < ${cap}u) {
    _ks_trace.data[slot * ${RECORD_WORDS}u] = _ks_inv;
    _ks_trace.data[slot * ${RECORD_WORDS}u + 1u] = site;
    _ks_trace.data[slot * ${RECORD_WORDS}u + 2u] = index;
  }
  return index;
}
`;
  return { code: (body.endsWith('\n') ? body : body + '\n') + tail, group, binding, bytes: 4 + cap * RECORD_WORDS * 4, sites };
}
