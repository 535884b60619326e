// Shared case generation: a seeded PRNG, edge-biased shape arbitraries, and f32 value distributions.
//
// The rule every family follows: fast-check draws something small and JSON-serialisable (sizes, a seed, the name of
// a value distribution); the large input arrays are derived from it deterministically with `rng(seed)`. Drawing
// element-by-element arrays with fast-check is slow and shrinks poorly; a seed shrinks towards 0 and sizes shrink
// towards the small edge cases, which is what a kernel author wants to look at.
//
// Node-free: the same code runs in the browser and in the visualizer.
import * as fc from 'fast-check';
import type { Case, TypedArray } from '../harness/spec.ts';
import { Float16Array } from '@petamoriken/float16';
import { MAX_F16, MIN_NORMAL_F16, MIN_SUBNORMAL_F16 } from '../harness/bounds/f16.ts';

export const F32_MAX = 3.4028234663852886e38;
/** Smallest positive normal f32. */
export const F32_MIN_NORMAL = 2 ** -126;
/** Smallest positive subnormal f32. */
export const F32_MIN_SUBNORMAL = 2 ** -149;

/** A small, fast, seedable PRNG (mulberry32 seeded through splitmix32): the same seed gives the same stream everywhere. */
export interface Rng {
  /** Uniform u32. */
  u32(): number;
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

export function rng(seed: number): Rng {
  return new Mulberry32(seed);
}

// A class rather than closures: its methods inline into the fill loops and its state is an int32 field; the closures
// it replaces cost 1.2-2.2 times as much per value drawn (fillF32, measured per distribution).
class Mulberry32 implements Rng {
  private s: number;

  constructor(seed: number) {
    // splitmix32 whitens small and consecutive seeds so that seed 0, 1, 2 give unrelated streams.
    let s = (seed >>> 0) ^ 0x9e3779b9;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b);
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35);
    this.s = (s ^ (s >>> 16)) | 0;
  }

  u32(): number {
    const s = (this.s = (this.s + 0x6d2b79f5) | 0);
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  float(): number {
    return this.u32() / 4294967296;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  normal(): number {
    const u = 1 - this.float(); // (0, 1]: log(0) would be -inf
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }
}

/** The seed fast-check draws: shrinks towards 0. */
export const seedArb: fc.Arbitrary<number> = fc.nat({ max: 0x7fffffff });

/**
 * fc.constantFrom(...edges)'s draws (the same values from the same random numbers), shrinking to every smaller edge
 * and then toward 1 by halving: constantFrom shrinks only to its first value, so a failure drawn at a size of 4,096
 * stayed at 4,096 where 257 fails too (seen by a new user).
 */
class Edges extends fc.Arbitrary<number> {
  private readonly inner: fc.Arbitrary<number>;
  constructor(private readonly edges: number[]) {
    super();
    this.inner = fc.constantFrom(...edges);
  }
  generate(mrng: fc.Random, bias: number | undefined): fc.Value<number> {
    return new fc.Value(this.inner.generate(mrng, bias).value, undefined);
  }
  canShrinkWithoutContext(v: unknown): v is number {
    return Number.isInteger(v) && (v as number) >= 1;
  }
  shrink(value: number): fc.Stream<fc.Value<number>> {
    const below = this.edges.filter((e) => e < value).map((e) => new fc.Value(e, undefined));
    return fc.Stream.of(...below).join(fc.integer({ min: 1, max: value }).shrink(value, undefined));
  }
}

/**
 * Sizes 1..max, biased to the edges that break kernels: 1, each tile size t and t ± 1 (workgroup size, tile widths),
 * a non-multiple of every tile, max and max − 1. About half the draws are edges, the rest uniform in 1..max or small.
 */
export function edgeSize(max: number, tiles: readonly number[] = [], cost: SizeCost = {}): fc.Arbitrary<number> {
  const edges = new Set<number>([1, 2, 3, max, max - 1]);
  for (const t of tiles) for (const d of [-1, 0, 1]) edges.add(t + d);
  // A size no tile divides: the product of the tiles plus one is coprime to each of them.
  const coprime = tiles.reduce((p, t) => p * t, 1) + 1;
  edges.add(coprime);
  for (const t of tiles) edges.add(2 * t + 1);
  const inRange = [...edges].filter((n) => n >= 1 && n <= max).sort((a, b) => a - b);
  const small = Math.min(max, Math.max(8, 2 * Math.max(0, ...tiles) + 2));
  const common = cost.common === undefined ? max : Math.min(max, cost.common);
  if (common >= max) {
    return fc.oneof(
      { arbitrary: new Edges(inRange), weight: 4 },
      { arbitrary: fc.integer({ min: 1, max: small }), weight: 3 },
      { arbitrary: fc.integer({ min: 1, max }), weight: 3 },
    );
  }
  // The same mixture below `common`; above it (the maximum among them) only `rare` draws in 100.
  const rare = cost.rare ?? 3;
  const low = inRange.filter((n) => n <= common);
  const high = inRange.filter((n) => n > common);
  return fc.oneof(
    { arbitrary: new Edges(low), weight: 40 },
    { arbitrary: fc.integer({ min: 1, max: Math.min(small, common) }), weight: 30 },
    { arbitrary: fc.integer({ min: 1, max: common }), weight: 30 - rare },
    { arbitrary: fc.oneof({ arbitrary: new Edges(high), weight: 2 }, { arbitrary: fc.integer({ min: common + 1, max }), weight: 1 }), weight: rare },
  );
}

/**
 * Sizes for an element-wise family's `-spread-y` cases (Family.spreadCases): n = block·k + r with k in [6, 12] and
 * r in [1, block], r = block (the last workgroup full) and r = 1 (one element in it) a third of the draws each. A
 * kernel of `block`-wide workgroups then has 7 to 13 of them along x: under the lowered limit (⌊x/2⌋ + 1,
 * harness/run/program.ts) its dispatch spreads over y with three or more workgroups in the second row and one or two
 * past the end (spread-y.ts), and runs at most 14 workgroups, 3,584 invocations, within the interpreter's default
 * budget of 4,096. Any larger x gives the same two rows and the same one or two workgroups past the end, so the
 * family's ordinary sizes (up to 200,000 elements, fifteen to twenty times these on average) bought the y path nothing but time;
 * the values at large sizes are the ordinary properties' to judge. A kernel of narrower workgroups spreads wider.
 */
export function spreadSize(block = 256): fc.Arbitrary<number> {
  return fc.tuple(
    fc.integer({ min: 6, max: 12 }),
    fc.oneof(fc.constant(block), fc.constant(1), fc.integer({ min: 2, max: block - 1 })),
  ).map(([k, r]) => block * k + r);
}

/**
 * For sizes whose cases are expensive (SwiftShader runs a few million elements a second): draws above `common` are
 * `rare` in 100 (default 3), edges above it included, so the maximum and the big tile edges stay reachable but a
 * hundred draws cost about as much as a few big ones. The very largest sizes belong in their own few-run property.
 */
export interface SizeCost {
  common?: number;
  rare?: number;
}

/**
 * Named value distributions for f32 inputs. Each is a recipe, so a case stays small: { dist, seed } regenerates it.
 * - uniform: U(−1, 1)
 * - normal: N(0, 1)
 * - wide: random sign × 2^e × mantissa with e uniform over [−30, 30] (many binades at once, no subnormals; products
 *   of two and sums of thousands of them stay far from overflow and underflow)
 * - edge: a mixture of ±0, ±1, powers of two, tiny normals near 2^−126, large values up to 2^100, and plain U(−1, 1)
 * - subnormal: like edge but with subnormals mixed in (only for rules that allow flushing them: see flush in bounds)
 * - dyadic: integers / 2^8 in [−16, 16]: sums, differences and integer shifts of these are exact in f32
 * - huge: magnitudes in [2^100, 3e38] with random sign, and one value in sixteen f32's largest, ±3.40282347e38 (a
 *   "-FLT_MAX" written -3.4e38, which is above it, passed every family that stopped at 3e38: trial 81 A2)
 */
export const VALUE_DISTS = ['uniform', 'normal', 'wide', 'edge', 'subnormal', 'dyadic', 'huge'] as const;
export type ValueDist = (typeof VALUE_DISTS)[number];

/** One f32 value (as a JS number that is exactly an f32) from a named distribution. */
export function drawValue(r: Rng, dist: ValueDist): number {
  return DRAW[dist](r);
}

/** 2^k for whole k in [−160, 160], by table: Math.pow in the fill loops cost more than the rest of a value. */
const POW2 = Float64Array.from({ length: 321 }, (_, i) => 2 ** (i - 160));
const pow2 = (k: number) => POW2[k + 160]!;

const sign = (r: Rng) => (r.chance(0.5) ? 1 : -1);

function edgeValue(r: Rng, subnormals: boolean): number {
  switch (r.int(0, subnormals ? 9 : 7)) {
    case 0: return r.chance(0.5) ? 0 : -0;
    case 1: return sign(r);
    case 2: return sign(r) * pow2(r.int(-20, 20));
    case 3: return Math.fround(sign(r) * F32_MIN_NORMAL * (1 + r.float()) * pow2(r.int(0, 4)));
    case 4: return Math.fround(sign(r) * pow2(r.int(60, 100)) * (1 + r.float()));
    // Small normal values, the binades between the ones above and the smallest normals (trial 108 A1: no
    // distribution drew a magnitude in (2^-120, 2^-30), and a relu that wrote 0 for x in (1e-30, 1e-10) passed).
    case 7: return Math.fround(sign(r) * pow2(r.int(-125, -21)) * (1 + r.float()));
    case 8:
    case 9: return sign(r) * F32_MIN_SUBNORMAL * r.int(1, 2 ** 23 - 1);
    default: return Math.fround(2 * r.float() - 1);
  }
}

const uniform = (r: Rng) => Math.fround(2 * r.float() - 1);
const normal = (r: Rng) => Math.fround(r.normal());
const wide = (r: Rng) => Math.fround(sign(r) * pow2(r.int(-30, 30)) * (1 + r.float()));
const dyadic = (r: Rng) => r.int(-16 * 256, 16 * 256) / 256;
const huge = (r: Rng) => (r.int(0, 15) === 0 ? sign(r) * F32_MAX : Math.fround(sign(r) * Math.min(3e38, 2 ** (100 + r.float() * 28))));
const DRAW: Record<ValueDist, (r: Rng) => number> = {
  uniform, normal, wide, dyadic, huge, edge: (r) => edgeValue(r, false), subnormal: (r) => edgeValue(r, true),
};

// The last fills, by (seed, n, dist), up to FILL_CACHE_BYTES: properties with their own arbitrary (add's
// correctly-rounded, gelu's odd part, ...) draw the same values as the universal properties before them (same seed,
// same runs), and copying a fill costs a small fraction of drawing it again. A hit is a copy, so that a caller that
// writes to its array (add halves its 'huge' values) changes nothing another caller sees.
const FILL_CACHE_BYTES = 32 << 20;
const fills = new Map<string, Float32Array>();
let fillBytes = 0;

/** Forgets the cached fills: `bench --harness` calls it before each round, so that a round draws what one run of the
 *  suite draws and no more is found in the cache than a real run finds there. */
export function clearFillCache(): void {
  fills.clear();
  fillBytes = 0;
}

/** n values of a distribution, derived from a seed. */
export function fillF32(seed: number, n: number, dist: ValueDist): Float32Array {
  const key = `${seed}:${n}:${dist}`;
  const hit = fills.get(key);
  if (hit) return hit.slice();
  const out = drawF32(seed, n, dist);
  if (out.byteLength <= FILL_CACHE_BYTES) {
    fills.set(key, out.slice());
    fillBytes += out.byteLength;
    // Oldest first: a Map iterates in insertion order.
    for (const [k, v] of fills) {
      if (fillBytes <= FILL_CACHE_BYTES) break;
      fills.delete(k);
      fillBytes -= v.byteLength;
    }
  }
  return out;
}

function drawF32(seed: number, n: number, dist: ValueDist): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  // One loop per distribution, each calling its own function, so that the call inlines (one loop calling whichever
  // function was chosen would not): this loop is most of the time spent drawing a case.
  switch (dist) {
    case 'uniform': for (let i = 0; i < n; i++) out[i] = uniform(r); break;
    case 'normal': for (let i = 0; i < n; i++) out[i] = normal(r); break;
    case 'wide': for (let i = 0; i < n; i++) out[i] = wide(r); break;
    case 'dyadic': for (let i = 0; i < n; i++) out[i] = dyadic(r); break;
    case 'huge': for (let i = 0; i < n; i++) out[i] = huge(r); break;
    case 'edge': for (let i = 0; i < n; i++) out[i] = edgeValue(r, false); break;
    case 'subnormal': for (let i = 0; i < n; i++) out[i] = edgeValue(r, true); break;
  }
  return out;
}

function edgeF16(r: Rng, subnormals: boolean): number {
  switch (r.int(0, subnormals ? 9 : 7)) {
    case 0: return r.chance(0.5) ? 0 : -0;
    case 1: return sign(r);
    case 2: return sign(r) * pow2(r.int(-10, 10));
    case 3: return sign(r) * MIN_NORMAL_F16 * (1 + r.float()) * pow2(r.int(0, 4));
    case 4: return sign(r) * Math.min(MAX_F16, pow2(r.int(11, 15)) * (1 + r.float()));
    case 8:
    case 9: return sign(r) * MIN_SUBNORMAL_F16 * r.int(1, 2 ** 10 - 1);
    default: return 2 * r.float() - 1;
  }
}

const DRAW_F16: Record<ValueDist, (r: Rng) => number> = {
  uniform, normal, dyadic,
  wide: (r) => sign(r) * pow2(r.int(-8, 8)) * (1 + r.float()),
  huge: (r) => sign(r) * Math.min(MAX_F16, 2 ** (10 + r.float() * 6)),
  edge: (r) => edgeF16(r, false),
  subnormal: (r) => edgeF16(r, true),
};

/**
 * n f16 values of a distribution, derived from a seed: fillF32's distributions in f16's range (IEEE 754 binary16:
 * largest 65504, smallest normal 2^-14, subnormals k·2^-24). A fillF32 stored into a Float16Array made 'huge' all
 * ±Infinity and 'edge' 14% Infinity and 24% zeros, and drew no f16 subnormal (trial 73).
 * - uniform, normal, dyadic: as fillF32's, rounded to f16
 * - wide: random sign × 2^e × mantissa with e uniform over [−8, 8]
 * - edge: ±0, ±1, powers of two in [2^-10, 2^10], tiny normals near 2^-14, large values from 2^11 up to 65504, U(−1, 1)
 * - subnormal: like edge with f16 subnormals mixed in (only for rules that allow flushing them)
 * - huge: magnitudes in [2^10, 65504] with random sign
 * Each value is rounded to f16 as the array stores it.
 */
export function fillF16(seed: number, n: number, dist: ValueDist): Float16Array {
  const r = rng(seed);
  const draw = DRAW_F16[dist];
  const out = new Float16Array(n);
  for (let i = 0; i < n; i++) out[i] = draw(r);
  return out;
}

/**
 * `fill` as a case maker that fills each drawn value's inputs once, on first read: a property's runs() and check()
 * (and an expected()) share one fill, and a case whose inputs are never read costs none (a -spread-y property draws
 * cases until one's shape spreads and reads only the shapes: up to 24 fills of up to 200,000 values each, for one
 * case). Sharing is safe because nothing writes to a case's inputs (the engines copy them; a property that needs
 * other values, such as a negated x, makes new arrays) and the fill depends on the draw alone.
 */
export function filledOnce<D extends object>(fill: (d: D) => Record<string, TypedArray>): (d: D) => Case<D> {
  const made = new WeakMap<D, Case<D>>();
  return (d) => {
    let c = made.get(d);
    if (!c) {
      let inputs: Record<string, TypedArray> | undefined;
      c = { shape: d, get inputs() { return (inputs ??= fill(d)); } };
      made.set(d, c);
    }
    return c;
  };
}

/** −x, element by element (exact): the second run of an odd or symmetric property. A loop, not x.map(), whose call
 *  per element cost more than the rest of making the run. */
export function negated(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = -x[i]!;
  return out;
}

/** Seeds for several arrays of one case, so that a and b of the same case are not the same stream. */
export function subSeed(seed: number, k: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(k + 1, 0x165667b1)) >>> 0;
}

/** A distribution arbitrary over a chosen subset, shrinking towards the first (list the plainest first). */
export function distArb<D extends string>(dists: readonly D[]): fc.Arbitrary<D> {
  return fc.constantFrom(...dists);
}

/** A random permutation of 0..n−1 derived from a seed (Fisher–Yates). */
export function permutation(seed: number, n: number): Uint32Array {
  const r = rng(seed);
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(0, i);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** Is x (a JS number) a subnormal f32 or zero? Kernels may flush these to zero under WGSL's rules. */
export function isSubnormalF32(x: number): boolean {
  return x !== 0 && Math.abs(x) < F32_MIN_NORMAL;
}
