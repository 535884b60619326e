// A saved counterexample: everything needed to replay it exactly and to show it (the visualizer opens these).
// Typed arrays travel as base64 so a fixture stays a readable JSON file. Node-free.
import { Float16Array, isFloat16Array } from '@petamoriken/float16';
import type { z } from 'zod';
import { CounterexampleSchema, FIXTURE_SCHEMA, type EncodedArraySchema } from '../schemas/fixture.ts';
import { FileFormatError, parseJsonText, parseWith, type Known } from '../schemas/read.ts';
import type { TypedArray } from '../spec.ts';

export { FIXTURE_SCHEMA } from '../schemas/fixture.ts';

/** The format and its checks are one zod schema: harness/schemas/fixture.ts. */
export type EncodedArray = Known<z.output<typeof EncodedArraySchema>>;
export type Counterexample = Known<z.output<typeof CounterexampleSchema>>;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function encodeArray(a: TypedArray | Float64Array): EncodedArray {
  // Expected values are float64; they are stored as the f32 a correct kernel would aim at.
  const arr = a instanceof Float64Array ? Float32Array.from(a) : a;
  const type = arr instanceof Float32Array ? 'f32' : arr instanceof Uint32Array ? 'u32' : arr instanceof Float16Array ? 'f16' : 'i32';
  return { type, base64: toBase64(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength)) };
}

export function decodeArray(e: EncodedArray): TypedArray {
  const bytes = fromBase64(e.base64);
  const buf = bytes.buffer as ArrayBuffer;
  return e.type === 'f32' ? new Float32Array(buf) : e.type === 'u32' ? new Uint32Array(buf) : e.type === 'f16' ? new Float16Array(buf) : new Int32Array(buf);
}

const isTyped = (v: unknown): v is TypedArray => v instanceof Float32Array || v instanceof Uint32Array || v instanceof Int32Array || isFloat16Array(v);

/** A drawn value as JSON: typed arrays become {$array: EncodedArray}, everything else as is. */
export function encodeDraw(v: unknown): unknown {
  if (isTyped(v) || v instanceof Float64Array) return { $array: encodeArray(v) };
  if (Array.isArray(v)) return v.map(encodeDraw);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeDraw(x)]));
  if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
  return v;
}

export function decodeDraw(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeDraw);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('$array' in o) return decodeArray(o.$array as EncodedArray);
    if ('$number' in o) return Number(o.$number);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeDraw(x)]));
  }
  return v;
}

/**
 * Checks that a parsed JSON is one of ours and returns a checked copy (the value given is not changed). Throws a
 * FileFormatError whose one-line message names `where` and the field, e.g. `x.json: inputs.a.base64: not base64`.
 */
export function asCounterexample(json: unknown, where: string): Counterexample {
  const schema = json && typeof json === 'object' && !Array.isArray(json) ? (json as { schema?: unknown }).schema : undefined;
  if (schema !== FIXTURE_SCHEMA) {
    throw new FileFormatError(where, `not a kernelscope counterexample (schema is ${JSON.stringify(schema)?.slice(0, 80)}, expected "${FIXTURE_SCHEMA}")`);
  }
  return parseWith(CounterexampleSchema, json, where, FIXTURE_SCHEMA);
}

/** A fixture file's text: says whether it is truncated or where its JSON breaks, then checks it as above. */
export function parseCounterexample(text: string, where: string): Counterexample {
  return asCounterexample(parseJsonText(text, where), where);
}
