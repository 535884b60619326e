// How a value is shown: its bits, its distance in ULPs from the reference, and a colour.
import { color, interpolateInferno, interpolateRdBu, interpolateViridis } from 'd3';
import { ulpDistance } from '../../harness/bounds/f32.ts';
import { distanceIn, distanceKindOf } from '../../harness/compare.ts';
import { setFloat16 } from '@petamoriken/float16';
import type { ElementType, TypedArray } from '../../harness/spec.ts';

const f = new Float32Array(1);
const u = new Uint32Array(f.buffer);

export function bitsOf(x: number, type: ElementType = 'f32'): string {
  if (type === 'f16') {
    const v = new DataView(new ArrayBuffer(2));
    setFloat16(v, 0, x);
    return '0x' + v.getUint16(0).toString(16).padStart(4, '0');
  }
  if (type === 'f32') f[0] = x;
  else u[0] = x >>> 0;
  return '0x' + u[0]!.toString(16).padStart(8, '0');
}

export function ulps(actual: number, expected: number): number {
  if (Number.isNaN(actual) || Number.isNaN(expected)) return Number.isNaN(actual) && Number.isNaN(expected) ? 0 : Infinity;
  return ulpDistance(actual, Math.fround(expected));
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? String(+x.toPrecision(9)) : x.toExponential(6);
}

export type Scale = 'sequential' | 'diverging' | 'error';

export interface ColorScale {
  /** The domain the colours span: never empty, so `(x - min) / (max - min)` is a number (callers map with it). */
  min: number;
  max: number;
  kind: Scale;
  /** The legend: the values' own range, one value as itself (the domain of a one-element buffer is widened around
   *  it, and "-0.599689066 … 1.39843127" read as a range the buffer spans). */
  label: string;
  /** RGB bytes of a value. */
  rgb(x: number): [number, number, number];
  css(x: number): string;
}

// d3's interpolators answer in rgb() or hex, depending on the scheme.
const parse = (c: string): [number, number, number] => {
  const rgb = color(c)?.rgb();
  return rgb ? [Math.round(rgb.r), Math.round(rgb.g), Math.round(rgb.b)] : [0, 0, 0];
};

/** Diverging (blue-white-red about zero) where values take both signs, sequential otherwise. */
export function scaleFor(values: ArrayLike<number>): Scale {
  let neg = false;
  let pos = false;
  for (let i = 0; i < values.length && !(neg && pos); i++) {
    if (values[i]! < 0) neg = true;
    else if (values[i]! > 0) pos = true;
  }
  return neg && pos ? 'diverging' : 'sequential';
}

/** The finite extremes of values ([Infinity, -Infinity] when none is finite). */
export function extent(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return [min, max];
}

/** A 256-entry lookup: building one colour by d3 per element would not draw a million elements in time. */
export function colorScale(values: ArrayLike<number>, kind: Scale, errorUnit = 'ULPs'): ColorScale {
  const [lo, hi] = extent(values);
  const finite = lo !== Infinity;
  let label = !finite ? 'no finite value' : lo === hi ? `${fmt(lo)} (one value)` : `${fmt(lo)} … ${fmt(hi)}`;
  let [min, max] = finite ? [lo, hi] : [0, 1];
  if (kind === 'error') {
    // An error map starts at 0 ULPs, drawn black, and its legend says so: a one-element map of a 2e9-ULP error was
    // drawn black, the colour of no error, under "9.32473373 … 10.3247337".
    min = 0;
    max = finite && hi > 0 ? hi : 1;
    label = `log10(1 + ${errorUnit}): ${finite && hi > 0 ? `0 … ${fmt(hi)}` : finite ? `0 (every element 0 ${errorUnit})` : label}`;
  } else if (kind === 'diverging') {
    const m = Math.max(Math.abs(min), Math.abs(max)) || 1;
    (min = -m), (max = m);
  } else if (max === min) {
    // One value: the middle of the scale, neither end.
    (min -= 1), (max += 1);
  }
  const interp = kind === 'diverging' ? (t: number) => interpolateRdBu(1 - t) : kind === 'error' ? interpolateInferno : interpolateViridis;
  const lut = Array.from({ length: 256 }, (_, i) => parse(interp(i / 255)));
  const rgb = (x: number): [number, number, number] => {
    if (Number.isNaN(x)) return [255, 0, 255];
    const t = Math.min(1, Math.max(0, (x - min) / (max - min)));
    return lut[Math.round(t * 255)]!;
  };
  return { min, max, kind, label, rgb, css: (x) => `rgb(${rgb(x).join(',')})` };
}

const isIntegerArray = (a: ArrayLike<number>): boolean => distanceKindOf(a) === 'integer';

/** How far apart an element of `actual` and its reference are, in the unit matches-reference reports them in
 *  (harness/compare.ts distanceIn: differences for integers, f16 or f32 ULPs); Infinity where exactly one is NaN. */
export function distance(actual: ArrayLike<number>, a: number, e: number): number {
  if (Number.isNaN(a) || Number.isNaN(e)) return Number.isNaN(a) && Number.isNaN(e) ? 0 : Infinity;
  return distanceIn(distanceKindOf(actual), a, e);
}

/** The unit of those distances, as a suffix of the number: ' ULP', or nothing for integers ('2 apart'). */
export const distanceUnit = (actual: ArrayLike<number>): string => (isIntegerArray(actual) ? '' : ' ULP');

/** The error map's legend unit for `actual`'s distances. */
export const errorUnitOf = (actual: ArrayLike<number>): string => (isIntegerArray(actual) ? 'differences' : 'ULPs');

/** Per element, `distance` of `actual` from `expected`. */
export function ulpMap(actual: ArrayLike<number>, expected: ArrayLike<number>): Float64Array {
  const out = new Float64Array(actual.length);
  for (let i = 0; i < actual.length; i++) out[i] = distance(actual, actual[i]!, expected[i]!);
  return out;
}

/** log10(1 + ulps), from ulpMap's distances: errors span many orders of magnitude. */
export function errorMap(actual: ArrayLike<number>, expected: ArrayLike<number>, distances = ulpMap(actual, expected)): Float64Array {
  const out = new Float64Array(actual.length);
  for (let i = 0; i < out.length; i++) {
    const d = distances[i]!;
    out[i] = d === Infinity ? 12 : Math.log10(1 + d);
  }
  return out;
}

/** The first index of the largest value (-1 for an empty array). */
export function argmax(a: ArrayLike<number>): number {
  let w = -1;
  let wv = -Infinity;
  for (let i = 0; i < a.length; i++) if (a[i]! > wv) (wv = a[i]!), (w = i);
  return w;
}
