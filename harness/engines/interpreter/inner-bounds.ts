// WGSL bounds every index of an access by the length of what it indexes (§"Out-of-Bounds Access"), not by the
// variable's end: px[0][4] of an array<array<f32, 4>> names px[1][0]'s bytes and is still out of bounds. wgsl_reflect
// (and the robust wrapper's check of the flattened range, dispatch.ts) adds up the offsets, so a channel loop one too
// far passed, its aliased write read as a data race, and a vector's [4] was "not supported" (patches/README.md §28).
import { ArrayIndex, LiteralExpr, ScalarData, StringExpr } from 'wgsl_reflect/wgsl_reflect.module.js';
import { held } from './fixes.ts';

type Any = any;

/** An index outside the array, vector or matrix it indexes (a runtime-sized array of scalars or vectors at a binding's
 *  top is left to the flattened check). */
export interface InnerIndex {
  /** The access as WGSL writes it, with each index's value: `src[0][4]`, `tile[13][17]`, `p[2].pos[3]`. */
  path: string;
  /** The index out of range (an i32 may be negative). */
  index: number;
  /** The elements (an array), components (a vector) or columns (a matrix) it indexes. */
  length: number;
  /** What it indexes, as wgsl_reflect names it: `array<f32, 4>`, `vec4f`, `mat2x2f`. */
  type: string;
}

/** The first index of an evaluated chain (fixes.ts `evaluatedOnce`) outside what it indexes, with the bytes the access
 *  would name flattened (from the variable's start), and the chain with that index made 0 (to type a zero by it). */
export function innerIndexOutside(variable: string, typeInfo: unknown, base: number, bytes: number, chain: unknown):
  { inner: InnerIndex; offset: number; size: number; atZero: unknown } | undefined {
  let t = typeInfo as Any;
  let offset = base;
  let path = variable;
  for (let p = chain as Any; p; p = p.postfix) {
    if (p instanceof StringExpr) {
      if (!t?.isStruct) return undefined; // a swizzle ends the indexable part
      const m = t.members?.find((x: Any) => x.name === p.value);
      if (!m) return undefined;
      offset += m.offset;
      t = m.type;
      path += `.${p.value}`;
      continue;
    }
    if (!(p instanceof ArrayIndex)) return undefined;
    const k = indexValue(p.index);
    if (k === undefined || !t) return undefined;
    path += `[${k}]`;
    const shape = shapeOf(t);
    if (!shape) return undefined;
    // A runtime-sized array ends where the variable does: the flattened check says it, in its own words, of a plain
    // array of scalars or vectors ("y element 4 (byte 16)"). Of a struct's member or an array of structs those words
    // were "pin element 4 (12 bytes each; byte 48)" for pin.items[1].vel (trial 55 B5): said as the access, against
    // the array's length in this buffer, as Dawn's sanitizer says it.
    const runtime = shape.length === 0;
    const length = runtime ? Math.max(0, Math.floor((bytes - offset) / shape.stride)) : shape.length;
    if (runtime && offset + k * shape.stride >= 0 && offset + (k + 1) * shape.stride <= bytes) {
      /* inside */
    } else if (runtime && !path.includes('.') && !shape.element?.isStruct) {
      return undefined;
    } else if (k < 0 || k >= length) {
      let rest = '';
      for (let q = p.postfix as Any; q; q = q.postfix) rest += q instanceof ArrayIndex ? `[${indexValue(q.index) ?? '?'}]` : `.${q.value}`;
      return {
        inner: { path: path + rest, index: k, length, type: runtime ? t.getTypeName().replace(/, 0>$/, '>') : t.getTypeName() },
        offset: offset + k * shape.stride,
        size: shape.stride,
        atZero: zeroAt(chain, p),
      };
    }
    offset += k * shape.stride;
    t = shape.element;
  }
  return undefined;
}

/** Whether an index steps through it: an array, a vector or a matrix. */
export const indexable = (t: unknown): boolean => shapeOf(t) !== undefined;

/** What an index steps through: an array's count (0 runtime-sized) and stride, a vector's components, a matrix's
 *  columns (8 bytes apart for two rows, 16 for three or four). */
function shapeOf(t: Any): { length: number; stride: number; element: Any } | undefined {
  if (t.isArray) return { length: t.count ?? 0, stride: t.stride, element: t.format };
  const name: string = t.getTypeName?.() ?? '';
  const vec = /^vec([234])/.exec(name);
  if (vec) {
    const n = Number(vec[1]);
    return { length: n, stride: t.size ? t.size / n : 4, element: t.format ?? null };
  }
  const mat = /^mat([234])x([234])/.exec(name);
  if (mat) {
    const rows = Number(mat[2]);
    return { length: Number(mat[1]), stride: rows === 2 ? 8 : 16, element: { getTypeName: () => `vec${rows}`, size: 4 * rows } };
  }
  return undefined;
}

/** An evaluated index's value: a Held value (fixes.ts) or a literal's. */
function indexValue(index: Any): number | undefined {
  const v = index instanceof LiteralExpr ? (index as Any).value : undefined;
  const n = v instanceof ScalarData ? Number(v.value) : undefined;
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

/** The chain (the caller's own copy) with node `at`'s index replaced by 0. */
function zeroAt(chain: Any, at: Any): unknown {
  const zero = Object.assign(Object.create(Object.getPrototypeOf(at)), at);
  zero.index = held(new ScalarData(0, (at.index as Any).value.typeInfo));
  if (chain === at) return zero;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(chain)), chain);
  copy.postfix = zeroAt(chain.postfix, at);
  return copy;
}
