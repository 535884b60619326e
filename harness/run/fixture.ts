// A saved counterexample: everything needed to replay it exactly and to show it (the visualizer opens these).
// Typed arrays travel as base64 so a fixture stays a readable JSON file. Node-free.
import { Float16Array, isFloat16Array } from '@petamoriken/float16';
import type { TypedArray } from '../spec.ts';

export const FIXTURE_SCHEMA = 'kernelscope/counterexample@1';

export interface EncodedArray {
  type: 'f32' | 'u32' | 'i32' | 'f16';
  base64: string;
}

export interface Counterexample {
  schema: typeof FIXTURE_SCHEMA;
  kernel: string;
  property: string;
  backend: string;
  adapter: string;
  /** fast-check's seed and path: `fc.check(prop, { seed, path })` reaches the same shrunk value. */
  seed: number;
  path: string;
  /** The user's WGSL when the run used `--wgsl`, relative to the repository. */
  wgsl?: string;
  /** The shrunk value the property drew (typed arrays encoded), from which its runs are rebuilt. */
  draw: unknown;
  /** The first run's shape and inputs and what the engine returned, for display. */
  shape: unknown;
  inputs: Record<string, EncodedArray>;
  actual: Record<string, EncodedArray>;
  expected?: Record<string, EncodedArray>;
  worst?: { buffer: string; index: number };
  message: string;
  createdAt: string;
}

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

/** Checks that a parsed JSON is one of ours; the message says what is wrong. */
export function asCounterexample(json: unknown, where: string): Counterexample {
  const o = json as Partial<Counterexample> | null;
  if (!o || typeof o !== 'object') throw new Error(`${where}: not a JSON object`);
  if (o.schema !== FIXTURE_SCHEMA) {
    throw new Error(`${where}: not a kernelscope counterexample (schema is ${JSON.stringify(o.schema)}, expected "${FIXTURE_SCHEMA}")`);
  }
  for (const k of ['kernel', 'property', 'draw', 'inputs', 'actual'] as const) {
    if (o[k] === undefined) throw new Error(`${where}: counterexample lacks '${k}'`);
  }
  return o as Counterexample;
}
