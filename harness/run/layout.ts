// Host values <-> buffer bytes by WGSL's memory layout (WGSL §14.4): a pipeline buffer of vecN, matCxR or structs
// is a dense host array of scalars, spread to the WGSL stride on the way in (vec3<f32>: 12 bytes of data every 16)
// and gathered on the way out; a parameter struct is packed from plain values (numbers, arrays, nested objects).
// Node-free.
import { f16round, Float16Array, getFloat16, setFloat16 } from '@petamoriken/float16';
import type { ElementType, StructValue, TypedArray } from '../spec.ts';
import { typeName, type Scalar, type WgslType } from './reflect.ts';

export const scalarBytes = (t: ElementType | Scalar) => (t === 'f16' ? 2 : 4);

/** One element of a pipeline buffer: its scalars' byte offsets and types, and the stride between elements. */
export interface ElementLayout {
  /** Byte offset of each scalar of one element, in host order (vector components, matrix columns, struct fields). */
  offsets: number[];
  scalars: Scalar[];
  /** Bytes from one element to the next in the buffer. */
  stride: number;
  /** The element's WGSL type, for messages. */
  type: WgslType;
  /** A fixed-size array's length; 0 for a runtime-sized array or a single value. */
  count: number;
  /** Offsets are 0, s, 2s, ... and the stride is their total: the host bytes are the buffer bytes. */
  dense: boolean;
}

function leaves(t: WgslType, base: number, out: { offset: number; scalar: Scalar }[]): void {
  switch (t.kind) {
    case 'scalar':
    case 'atomic':
      out.push({ offset: base, scalar: t.scalar });
      return;
    case 'vector':
      for (let i = 0; i < t.n; i++) out.push({ offset: base + i * scalarBytes(t.scalar), scalar: t.scalar });
      return;
    case 'matrix':
      for (let c = 0; c < t.cols; c++) for (let r = 0; r < t.rows; r++) out.push({ offset: base + c * t.colStride + r * scalarBytes(t.scalar), scalar: t.scalar });
      return;
    case 'struct':
      for (const m of t.members) leaves(m.type, base + m.offset, out);
      return;
    case 'array':
      // Only a storage struct's last member may be runtime-sized; `unwrapped` takes the struct that holds it alone.
      if (!t.count) throw new Error(`its runtime-sized ${typeName(t)} follows other members`);
      for (let i = 0; i < t.count; i++) leaves(t.element, base + i * t.stride, out);
  }
}

/** A struct whose only member is a runtime-sized array (the WebGPU samples' `struct Particles { particles:
 *  array<Particle> }`) has that array's bytes: the array; any other type as it is. */
function unwrapped(t: WgslType): WgslType {
  const only = t.kind === 'struct' && t.members.length === 1 ? t.members[0]! : undefined;
  return only && only.offset === 0 && only.type.kind === 'array' && !only.type.count ? only.type : t;
}

/** The element layout of a storage variable bound to a pipeline buffer: an array's element (of the array a struct
 *  wraps, `unwrapped`), or the whole value. */
export function elementLayout(bound: WgslType): ElementLayout {
  const storeType = unwrapped(bound);
  const element = storeType.kind === 'array' ? storeType.element : storeType;
  const stride = storeType.kind === 'array' ? storeType.stride : storeType.size;
  const ls: { offset: number; scalar: Scalar }[] = [];
  leaves(element, 0, ls);
  const dense = ls.every((l, i) => l.offset === i * scalarBytes(l.scalar) && l.scalar === ls[0]!.scalar) && stride === ls.length * scalarBytes(ls[0]!.scalar);
  return {
    offsets: ls.map((l) => l.offset), scalars: ls.map((l) => l.scalar), stride, type: element,
    count: storeType.kind === 'array' ? storeType.count : 0, dense,
  };
}

/** The scalar type of the value at byte `byte` of a value of type `t` (a struct's padding reads as u32). */
export function scalarAt(t: WgslType, byte: number): Scalar {
  switch (t.kind) {
    case 'array': return scalarAt(t.element, t.stride ? byte % t.stride : byte);
    case 'struct': {
      const m = [...t.members].reverse().find((x) => x.offset <= byte);
      return m ? scalarAt(m.type, byte - m.offset) : 'u32';
    }
    case 'scalar': case 'atomic': case 'vector': case 'matrix': return t.scalar;
  }
}

/**
 * The WGSL access that reaches byte `byte` of a value of type `t`, as written after the variable's name: `[1][1]` in
 * an `array<array<f32, 18>, 18>` at byte 76, `[3].vel.y` in an array of structs. Stops where the byte lies in
 * padding, and at a runtime-sized array's element past any count (its stride still says which).
 */
export function accessPathAt(t: WgslType, byte: number): string {
  switch (t.kind) {
    case 'array': {
      if (!t.stride) return '';
      const i = Math.floor(byte / t.stride);
      return t.count && i >= t.count ? '' : `[${i}]${accessPathAt(t.element, byte - i * t.stride)}`;
    }
    case 'struct': {
      const m = t.members.find((x) => x.offset <= byte && byte < x.offset + x.type.size);
      return m ? `.${m.name}${accessPathAt(m.type, byte - m.offset)}` : '';
    }
    case 'matrix': {
      const c = Math.floor(byte / t.colStride);
      return c < t.cols ? `[${c}]${accessPathAt({ kind: 'vector', scalar: t.scalar, n: t.rows, size: t.rows * scalarBytes(t.scalar), align: 0 }, byte - c * t.colStride)}` : '';
    }
    case 'vector': {
      const k = Math.floor(byte / scalarBytes(t.scalar));
      return k < t.n ? `.${'xyzw'[k]}` : '';
    }
    case 'scalar': case 'atomic': return '';
  }
}

/** An index's coordinates in a logical shape (a spec buffer's dims, a variable's words), outermost axis first, the
 *  last axis fastest: 17 in [2, 3, 4] is (1, 1, 1). */
export function coordinatesOf(index: number, dims: readonly number[]): number[] {
  const at: number[] = [];
  let rest = index;
  for (let k = dims.length - 1; k >= 0; k--) {
    at.unshift(rest % dims[k]!);
    rest = Math.floor(rest / dims[k]!);
  }
  return at;
}

export function bytesOf(a: TypedArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** A host array's bytes in the buffer's layout (`elements` elements of `layout.stride` bytes), the padding between
 *  them filled with `padding` (bits of one scalar of `type`: 16 for f16, else 32), zeros by default. */
export function toBufferBytes(layout: ElementLayout, host: TypedArray, type: ElementType, padding = 0): Uint8Array {
  if (layout.dense) return bytesOf(host);
  const per = layout.offsets.length;
  const elements = host.length / per;
  const out = new Uint8Array(elements * layout.stride);
  if (padding) (type === 'f16' ? new Uint16Array(out.buffer) : new Uint32Array(out.buffer)).fill(padding);
  const view = new DataView(out.buffer);
  for (let e = 0; e < elements; e++) {
    for (let k = 0; k < per; k++) writeScalar(view, e * layout.stride + layout.offsets[k]!, type, host[e * per + k]!);
  }
  return out;
}

/** The host array of `type` gathered from a buffer's bytes in `layout` (none or dense: the bytes are the host array). */
export function fromBufferBytes(layout: ElementLayout | undefined, bytes: Uint8Array, type: ElementType): TypedArray {
  if (!layout || layout.dense) return viewAs(type, bytes);
  const per = layout.offsets.length;
  const elements = Math.floor(bytes.byteLength / layout.stride);
  const out = makeArray(type, elements * per);
  const src = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  for (let e = 0; e < elements; e++) {
    for (let k = 0; k < per; k++) out[e * per + k] = readScalar(view, e * layout.stride + layout.offsets[k]!, type);
  }
  return out;
}

export function makeArray(type: ElementType, n: number): TypedArray {
  switch (type) {
    case 'f32': return new Float32Array(n);
    case 'u32': return new Uint32Array(n);
    case 'i32': return new Int32Array(n);
    case 'f16': return new Float16Array(n);
  }
}

/** A typed array of `type` over the bytes (copied when they are not aligned). */
export function viewAs(type: ElementType, bytes: Uint8Array): TypedArray {
  const size = scalarBytes(type);
  const buf = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  const n = Math.floor(buf.byteLength / size);
  switch (type) {
    case 'f32': return new Float32Array(buf.buffer, buf.byteOffset, n);
    case 'u32': return new Uint32Array(buf.buffer, buf.byteOffset, n);
    case 'i32': return new Int32Array(buf.buffer, buf.byteOffset, n);
    case 'f16': return new Float16Array(buf.buffer, buf.byteOffset, n);
  }
}

/** The raw bits of each element: 16-bit for f16, 32-bit otherwise. */
export function bitsOf(a: TypedArray): Uint16Array | Uint32Array {
  return a instanceof Float16Array ? new Uint16Array(a.buffer, a.byteOffset, a.length) : new Uint32Array(a.buffer, a.byteOffset, a.length);
}

function writeScalar(view: DataView, at: number, type: ElementType | Scalar, v: number): void {
  switch (type) {
    case 'f32': view.setFloat32(at, v, true); break;
    case 'u32': view.setUint32(at, v, true); break;
    case 'i32': view.setInt32(at, v, true); break;
    case 'f16': setFloat16(view, at, v, true); break;
    case 'bool': view.setUint32(at, v ? 1 : 0, true); break;
  }
}

function readScalar(view: DataView, at: number, type: ElementType): number {
  switch (type) {
    case 'f32': return view.getFloat32(at, true);
    case 'u32': return view.getUint32(at, true);
    case 'i32': return view.getInt32(at, true);
    case 'f16': return getFloat16(view, at, true);
  }
}

/** A struct value the spec does not match: `path` names the field (e.g. "shape", "inner.pos[1]"). */
export class StructValueError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
    this.name = 'StructValueError';
  }
}

/** An array of vectors or matrices given as its numbers in a row (FIR taps as 64 numbers for array<vec4<f32>, 16>,
 *  as a matrix may be given flat): the elements, each its numbers; any other value as it is. */
function regrouped(t: WgslType, value: StructValue | undefined): StructValue | undefined {
  if (t.kind !== 'array' || !Array.isArray(value) || !value.length || !value.every((x) => typeof x === 'number')) return value;
  const e = t.element;
  const k = e.kind === 'vector' ? e.n : e.kind === 'matrix' ? e.cols * e.rows : 0;
  if (!k || value.length % k !== 0 || (t.count && value.length !== t.count * k)) return value;
  return Array.from({ length: value.length / k }, (_, i) => value.slice(i * k, (i + 1) * k) as number[]);
}

/** The bytes a value of `t` takes when packed from `given`: a runtime-sized array takes the length it is given. */
function packedSize(t: WgslType, given: StructValue | undefined): number {
  const value = regrouped(t, given);
  if (t.kind === 'array' && !t.count) return Array.isArray(value) ? value.length * t.stride : 0;
  if (t.kind === 'struct' && t.members.length) {
    const last = t.members[t.members.length - 1]!;
    const v = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, StructValue>)[last.name] : undefined;
    return Math.max(t.size, last.offset + packedSize(last.type, v));
  }
  return t.size;
}

/**
 * Packs plain values into a host-shareable struct (or any host-shareable type) by its reflected layout: numbers for
 * scalars, arrays for vectors, matrices (column by column, as nested arrays or flat) and arrays, objects for
 * structs. Every field must be given. Throws StructValueError naming the field.
 */
export function packValue(t: WgslType, value: StructValue, minSize = 0): Uint8Array {
  const bytes = new Uint8Array(Math.max(minSize, Math.ceil(packedSize(t, value) / 4) * 4));
  write(new DataView(bytes.buffer), 0, t, value, '');
  return bytes;
}

/** The value of `t` whose bytes are all zero (numbers 0, vectors and matrices of 0, arrays and structs of those). */
export function zeroOf(t: WgslType): StructValue {
  switch (t.kind) {
    case 'scalar':
    case 'atomic': return 0;
    case 'vector': return new Array<number>(t.n).fill(0);
    case 'matrix': return new Array<number>(t.cols * t.rows).fill(0);
    case 'array': return Array.from({ length: t.count }, () => zeroOf(t.element));
    case 'struct': return Object.fromEntries(t.members.map((m) => [m.name, zeroOf(m.type)]));
  }
}

const describe = (t: WgslType): string => {
  switch (t.kind) {
    case 'scalar': case 'atomic': return 'a number';
    case 'vector': return `${t.n} numbers, e.g. [${Array.from({ length: t.n }, (_, i) => i + 1).join(', ')}]`;
    case 'matrix': return `${t.cols} columns of ${t.rows} numbers`;
    case 'array': {
      const each = t.element.kind === 'vector' || t.element.kind === 'matrix' ? describe(t.element).replace(/, e\.g\. .*$/, '') : '';
      const count = t.count ? `${t.count} values` : 'an array';
      return each ? `${count} of ${each} each (nested, or their numbers in a row)` : count;
    }
    case 'struct': return `an object with ${t.members.map((m) => m.name).join(', ')}`;
  }
};

/** The whole numbers a u32 or i32 holds: a value outside them was wrapped (-0.5 as 0, 1e10 as 1410065408, 2.7 as 2)
 *  and the kernel, right for what the spec meant, failed (trial 53). */
const INTEGER_RANGE: Partial<Record<Scalar, [number, number]>> = { u32: [0, 2 ** 32 - 1], i32: [-(2 ** 31), 2 ** 31 - 1] };

/** A float type's rounding and largest finite value: a finite value that rounds past it reached the kernel as
 *  ±Infinity with no word (trial 73's 70000 in an f16 field, and an f32 field's 1e39 alike). */
const FLOAT_RANGE: Partial<Record<Scalar, [(x: number) => number, string]>> = { f32: [Math.fround, '3.40282347e38'], f16: [f16round, '65504'] };

/** A value as a message shows it: JSON, and what JSON cannot write (a BigInt threw "Do not know how to serialize a
 *  BigInt" while the message was made, trial 54) as JavaScript prints it. */
function shown(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

function write(view: DataView, at: number, t: WgslType, given: StructValue, path: string): void {
  const value = regrouped(t, given)!;
  const bad = (why: string) => new StructValueError(path, `${path || 'the value'} (${typeName(t)}) ${why}; give ${describe(t)}`);
  const scalar = (x: number, where: string, s: Scalar, to: number) => {
    const range = INTEGER_RANGE[s];
    if (range && !(Number.isInteger(x) && x >= range[0] && x <= range[1])) {
      throw new StructValueError(path, `${where || 'the value'} (${s}) is ${x}; give a whole number in ${range[0]}..${range[1]}`);
    }
    const float = FLOAT_RANGE[s];
    if (float && Number.isFinite(x) && !Number.isFinite(float[0](x))) {
      throw new StructValueError(path, `${where || 'the value'} (${s}) is ${x}, past ${s}'s largest finite value (${float[1]}), so the kernel would read ${x > 0 ? '' : '-'}Infinity; give a value within ±${float[1]}, or Infinity itself`);
    }
    writeScalar(view, to, s, Number(x));
  };
  switch (t.kind) {
    case 'scalar':
    case 'atomic':
      // A boolean only for a bool (trial 54's `true` for a u32 was bound as 1, and the kernel was blamed).
      if (typeof value !== 'number' && !(typeof value === 'boolean' && t.scalar === 'bool')) throw bad(`is ${shown(value)}`);
      scalar(value as number, path, t.scalar, at);
      return;
    case 'vector': {
      if (!Array.isArray(value) || value.length !== t.n || value.some((x) => typeof x !== 'number')) throw bad(`is ${shown(value)}`);
      value.forEach((x, i) => scalar(x as number, `${path}[${i}]`, t.scalar, at + i * scalarBytes(t.scalar)));
      return;
    }
    case 'matrix': {
      const flat = Array.isArray(value) && value.every(Array.isArray) ? (value as number[][]).flat() : value;
      if (!Array.isArray(flat) || flat.length !== t.cols * t.rows || flat.some((x) => typeof x !== 'number')) throw bad(`is ${shown(value)}`);
      for (let c = 0; c < t.cols; c++) for (let r = 0; r < t.rows; r++) scalar(flat[c * t.rows + r] as number, `${path}[${c}][${r}]`, t.scalar, at + c * t.colStride + r * scalarBytes(t.scalar));
      return;
    }
    case 'array': {
      if (!Array.isArray(value) || (t.count && value.length !== t.count)) throw bad(`is ${Array.isArray(value) ? `${value.length} values` : shown(value)}`);
      value.forEach((x, i) => write(view, at + i * t.stride, t.element, x as StructValue, `${path}[${i}]`));
      return;
    }
    case 'struct': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw bad(`is ${shown(value)}`);
      const given = value as Record<string, StructValue>;
      for (const k of Object.keys(given)) {
        if (!t.members.some((m) => m.name === k)) {
          throw new StructValueError(path ? `${path}.${k}` : k, `${t.name} has no field '${k}' (fields: ${t.members.map((m) => m.name).join(', ')}); give the struct's fields only`);
        }
      }
      for (const m of t.members) {
        const p = path ? `${path}.${m.name}` : m.name;
        if (!(m.name in given)) throw new StructValueError(p, `field '${p}' (${typeName(m.type)}) is not given; write ${m.name}: ${describe(m.type)}`);
        write(view, at + m.offset, m.type, given[m.name]!, p);
      }
    }
  }
}
