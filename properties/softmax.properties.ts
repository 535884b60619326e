// The softmax family: y[r, j] = exp(x[r, j]) / Σ_k exp(x[r, k]), row by row.
import * as fc from 'fast-check';
import { U, nextUp, ulpDistance } from '../harness/bounds/f32.ts';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import type { SoftmaxShape } from '../kernels/softmax.kernel.ts';
import { softmax } from '../reference/softmax.ts';
import { softmaxTolerance } from './softmax-bound.ts';
import { distArb, edgeSize, F32_MAX, fillF32, permutation, rng, seedArb, type ValueDist } from './values.ts';
import { bitsAgreement, compareVerdict, finiteOutputs } from './verdict.ts';

/**
 * Row contents. The plain distributions come from values.ts ('huge' is left out: ±3e38 in one row makes
 * x − max overflow, and an overflowing runtime value is indeterminate in WGSL, so no kernel can be held to it).
 * The huge-logit rows keep every x − max finite:
 * - huge-equal: every element of the row is the same B, |B| in [2^100, 3e38], either sign
 * - huge-spike: one element +B among tiny ones (|x| < 2^-100)
 * - huge-neg-spike: one element −B among tiny ones
 * - huge-same-sign: every element in [1e37, 3e38] (or its negation): spreads near 3e38, exp underflows to 0
 */
export const SOFTMAX_DISTS = ['uniform', 'normal', 'dyadic', 'wide', 'edge', 'subnormal', 'huge-equal', 'huge-spike', 'huge-neg-spike', 'huge-same-sign'] as const;
export type SoftmaxDist = (typeof SOFTMAX_DISTS)[number];
export const HUGE_DISTS = ['huge-equal', 'huge-spike', 'huge-neg-spike', 'huge-same-sign'] as const satisfies readonly SoftmaxDist[];

export interface SoftmaxDraw extends SoftmaxShape {
  seed: number;
  dist: SoftmaxDist;
}

const rowsArb = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 64 }), weight: 1 });
/** 256 is the reference kernel's workgroup size; 4096 the family's maximum. */
const colsArb = edgeSize(4096, [256, 64, 32]);

export const softmaxDraw: fc.Arbitrary<SoftmaxDraw> = fc.record({ rows: rowsArb, cols: colsArb, seed: seedArb, dist: distArb(SOFTMAX_DISTS) });

/** The `-spread-y` cases (Family.spreadCases): 7 to 13 rows, one workgroup each in a row-per-workgroup kernel, so
 *  that under the lowered limit the dispatch spreads over y with three or more workgroups in the second row
 *  (spread-y.ts) and stays within 14 workgroups of 256, the interpreter's default budget of 4,096 invocations. More
 *  rows take the same y path (the lowered limit halves any count) and cost more: the ordinary draws' spreading ones
 *  averaged about 35 rows. */
const softmaxSpreadDraw: fc.Arbitrary<SoftmaxDraw> = fc.record({ rows: fc.integer({ min: 7, max: 13 }), cols: colsArb, seed: seedArb, dist: distArb(SOFTMAX_DISTS) });

export function fillSoftmax(seed: number, rows: number, cols: number, dist: SoftmaxDist): Float32Array {
  if (!(HUGE_DISTS as readonly string[]).includes(dist)) return fillF32(seed, rows * cols, dist as ValueDist);
  const r = rng(seed);
  const x = new Float32Array(rows * cols);
  // f32's largest now and then: a running max seeded with "-FLT_MAX" written -3.4e38, above a row of -3.40282347e38,
  // kept its seed and gave NaN, and no row drawn reached it (trial 81 A2).
  const big = () => (r.int(0, 7) === 0 ? F32_MAX : Math.fround(Math.min(3e38, 2 ** (100 + r.float() * 28))));
  for (let row = 0; row < rows; row++) {
    const base = row * cols;
    const sign = r.chance(0.5) ? 1 : -1;
    switch (dist) {
      case 'huge-equal':
        x.fill(sign * big(), base, base + cols);
        break;
      case 'huge-spike':
      case 'huge-neg-spike':
        for (let j = 0; j < cols; j++) x[base + j] = Math.fround((2 * r.float() - 1) * 2 ** -100);
        x[base + r.int(0, cols - 1)] = (dist === 'huge-spike' ? 1 : -1) * big();
        break;
      default:
        for (let j = 0; j < cols; j++) x[base + j] = Math.fround(sign * (1e37 + r.float() * 2.9e38));
    }
  }
  return x;
}

export function softmaxCase(d: SoftmaxDraw): Case<SoftmaxDraw> {
  return { shape: d, inputs: { x: fillSoftmax(d.seed, d.rows, d.cols, d.dist) } };
}

function expectedAndTol(x: Float32Array, rows: number, cols: number) {
  const y = softmax(x, rows, cols);
  return { y, tol: softmaxTolerance(x, y, rows, cols, 0, 'any') };
}

/** Largest error against a bound, as a Verdict's measure; reports the first element past its bound. */
function judge(actual: ArrayLike<number>, expected: ArrayLike<number>, allowed: ArrayLike<number>, say: (i: number) => string): Verdict {
  let abs = 0;
  let ulp = 0;
  let ratio = 0;
  let worst = 0;
  let first = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    const r = Number.isNaN(err) ? Infinity : err === 0 ? 0 : err / allowed[i]!;
    if (r > ratio) {
      ratio = r;
      worst = i;
    }
    abs = Math.max(abs, Number.isNaN(err) ? Infinity : err);
    ulp = Math.max(ulp, ulpDistance(actual[i]!, Math.fround(expected[i]!)));
    if (!(err <= allowed[i]!) && first < 0) first = i;
  }
  const measure = { abs, ulp, boundRatio: ratio };
  if (first >= 0) return { pass: false, message: say(first), measure, worst: { buffer: 'y', index: first } };
  return { pass: true, measure, worst: { buffer: 'y', index: worst } };
}

const sumsToOne: Property<SoftmaxDraw, SoftmaxDraw> = {
  name: 'sums-to-one',
  description:
    'Each row of y sums to 1 within Σ_j tol_j (the per-element bounds derived in softmaxRowTolerance: exp within ' +
    '3 + 2|x| ULP or exp2 of the scaled argument within 3 + 2|t| ULP, the sum in any order or online, the division ' +
    'within 2.5 ULP or the reciprocal within 2.5 ULP and the product rounded), plus the f64 summation of the check itself.',
  bound: '|Σ_j ŷ_j − 1| ≤ Σ_j tol_j + n·2^-52',
  arbitrary: softmaxDraw,
  runs: (d) => [softmaxCase(d)],
  check: (d, [out]) => {
    const { x } = softmaxCase(d).inputs as { x: Float32Array };
    const { tol } = expectedAndTol(x, d.rows, d.cols);
    const sums = new Float64Array(d.rows);
    const ones = new Float64Array(d.rows).fill(1);
    const allowed = new Float64Array(d.rows);
    for (let r = 0; r < d.rows; r++) {
      let s = 0;
      let t = 0;
      for (let j = 0; j < d.cols; j++) {
        s += out!.y![r * d.cols + j]!;
        t += tol[r * d.cols + j]!;
      }
      sums[r] = s;
      // The rounding of the f64 sum, of a finite sum only: a NaN or infinite sum would make the bound so and pass.
      allowed[r] = t + (d.cols + 1) * 2 ** -52 * Math.max(1, Number.isFinite(s) ? Math.abs(s) : 0);
    }
    const v = judge(sums, ones, allowed, (r) => `row ${r} sums to ${sums[r]}, more than ${allowed[r]} from 1`);
    return { ...v, worst: v.worst ? { buffer: 'y', index: v.worst.index * d.cols } : undefined };
  },
};

const inUnitInterval: Property<SoftmaxDraw, SoftmaxDraw> = {
  name: 'in-unit-interval',
  description:
    'Every y is in [0, 1]. The top end: ê/Ŝ is at most 1 where Ŝ holds the same ê, but an implementation may evaluate ' +
    'exp twice, or add the max\'s own term as a literal 1 while its numerator is exp(0), which WGSL lets be 3 ULP ' +
    'off (1 + 3u above, 1 − 1.5u below): so ê/Ŝ ≤ (1 + 3u)/(1 − 1.5u), times the division\'s 2.5 ULP, or the ' +
    'reciprocal\'s 2.5 ULP and the product\'s rounding: about 1 + 7.5u (u = 2^-23; trial 59). The bottom end is stricter than WGSL\'s literal exp accuracy (3 + 2|x| ULP of a result near 0 spans ' +
    'negative numbers for very negative x), because an exp that returns a negative number is wrong by any reading.',
  bound: '0 ≤ ŷ ≤ (1 + 3u)(1 + 2.5u)(1 + u/2)/(1 − 1.5u), u = 2^-23',
  arbitrary: softmaxDraw,
  runs: (d) => [softmaxCase(d)],
  check: (d, [out]) => {
    const y = out!.y!;
    // The numerator exp(0) 3 ULP over 1 against a denominator whose own exp(0) is 3 ULP under it (spacing 2^-24 below
    // 1): an online softmax's literal 1 for the max's term, or exp evaluated twice, does not keep Ŝ ≥ ê.
    const top = nextUp(((1 + 3 * U) * (1 + 2.5 * U) * (1 + 0.5 * U)) / (1 - 1.5 * U));
    let worst = 0;
    let beyond = 0;
    for (let i = 0; i < d.rows * d.cols; i++) {
      const v = y[i]!;
      const over = Number.isNaN(v) ? Infinity : v < 0 ? -v : v > 1 ? v - 1 : 0;
      if (over > beyond) {
        beyond = over;
        worst = i;
      }
      if (!(v >= 0 && v <= top)) {
        return { pass: false, message: `y[${Math.floor(i / d.cols)}][${i % d.cols}] = ${v} is outside [0, 1]`, measure: { abs: over, ulp: ulpDistance(v, v < 0 ? 0 : 1), boundRatio: Infinity }, worst: { buffer: 'y', index: i } };
      }
    }
    return { pass: true, measure: { abs: beyond, ulp: ulpDistance(y[worst]!, y[worst]! < 0 ? 0 : Math.min(1, y[worst]!)), boundRatio: beyond / (top - 1) }, worst: { buffer: 'y', index: worst } };
  },
};

const finiteAtHugeLogits: Property<SoftmaxDraw, SoftmaxDraw> = {
  name: 'finite-at-huge-logits',
  description:
    'Rows of huge logits (|x| up to f32\'s largest, 3.40282347e38: all equal; one huge value among tiny ones, either sign; all huge of one ' +
    'sign) give finite outputs within the derived bound. A kernel that skips the max subtraction overflows exp here.',
  bound: 'finite, and |ŷ − y| ≤ tol (softmaxRowTolerance)',
  arbitrary: fc.record({ rows: rowsArb, cols: colsArb, seed: seedArb, dist: distArb(HUGE_DISTS) }),
  runs: (d) => [softmaxCase(d)],
  check: (d, [out]) => {
    const { x } = softmaxCase(d).inputs as { x: Float32Array };
    const { y, tol } = expectedAndTol(x, d.rows, d.cols);
    const at = (i: number) => `[${Math.floor(i / d.cols)}][${i % d.cols}]`;
    return judge(out!.y!, y, tol, (i) =>
      Number.isFinite(out!.y![i]!) ? `y${at(i)} = ${out!.y![i]}, expected ${y[i]} ± ${tol[i]} (x${at(i)} = ${x[i]})` : `y${at(i)} = ${out!.y![i]} is not finite (x${at(i)} = ${x[i]})`);
  },
};

interface ShiftDraw extends SoftmaxShape {
  seed: number;
  k: number;
}

/** Why an output that is not finite fails a property that compares outputs with each other. */
const NOT_FINITE = "softmax's outputs are finite, in [0, 1] (matches-reference and finite-outputs say where it went wrong)";

/** Two runs judged against each other: each within its own bound of the same exact softmax. `say(i, same)` describes
 *  the failing element i; `same` when both runs hold the same value there, which fails only when it is not finite
 *  (Infinity − Infinity is NaN, no error a bound can hold): the message must not read as a difference. */
function agreeWithin(a: ArrayLike<number>, tolA: ArrayLike<number>, b: ArrayLike<number>, tolB: ArrayLike<number>, say: (i: number, same: boolean) => string): Verdict {
  const allowed = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) allowed[i] = tolA[i]! + tolB[i]!;
  const v = judge(b, a, allowed, (i) => say(i, Object.is(a[i], b[i])));
  return { ...v, notes: { ...v.notes, ...bitsAgreement(a, b) } };
}

const shiftInvariant: Property<SoftmaxDraw, ShiftDraw> = {
  name: 'shift-invariant',
  description:
    'softmax(x + k) = softmax(x) for an integer k. The inputs are on the dyadic grid i/256 in [−16, 16], so x + k ' +
    'is exact in f32 and both runs have the same exact softmax, each within its bound of it, so the two runs must ' +
    'be within the sum of their bounds of each other: that is what this checks (an error both runs share passes ' +
    'here; matches-reference judges each against the reference). Notes whether the two were bit-identical (they are when the kernel subtracts ' +
    'the max). Shifts up to ±1000 overflow exp in a kernel that does not subtract the max.',
  bound: '|ŷ(x + k) − ŷ(x)| ≤ tol(x + k) + tol(x)',
  arbitrary: fc.record({
    rows: rowsArb,
    cols: colsArb,
    seed: seedArb,
    k: fc.oneof(fc.constantFrom(1, -1, 100, -100, 200, 1000, -1000), fc.integer({ min: -1000, max: 1000 })),
  }),
  runs: (d) => {
    const x = fillF32(d.seed, d.rows * d.cols, 'dyadic');
    return [{ shape: { ...d, dist: 'dyadic' }, inputs: { x } }, { shape: { ...d, dist: 'dyadic' }, inputs: { x: x.map((v) => v + d.k) } }];
  },
  check: (d, [a, b]) => {
    const x = fillF32(d.seed, d.rows * d.cols, 'dyadic');
    const ta = expectedAndTol(x, d.rows, d.cols).tol;
    const tb = expectedAndTol(x.map((v) => v + d.k), d.rows, d.cols).tol;
    return agreeWithin(a!.y!, ta, b!.y!, tb, (i, same) => (same
      ? `y[${i}] is ${a!.y![i]} for x and for x + ${d.k} alike: ${NOT_FINITE}`
      : `y[${i}] is ${a!.y![i]} for x but ${b!.y![i]} for x + ${d.k}`));
  },
};

interface PermDraw extends SoftmaxDraw {
  permSeed: number;
}

function permuteRows(x: Float32Array, rows: number, cols: number, p: Uint32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out[r * cols + j] = x[r * cols + p[j]!]!;
  return out;
}

const permutationEquivariant: Property<SoftmaxDraw, PermDraw> = {
  name: 'permutation-equivariant',
  description:
    'Permuting the columns of every row permutes the outputs the same way. The sum\'s order changes, so each run ' +
    'is held to its own bound of the same exact value (not to bit equality); notes whether they were bit-identical.',
  bound: '|ŷ(Px)_j − ŷ(x)_{p(j)}| ≤ tol_{p(j)} + tol_{p(j)}',
  arbitrary: fc.record({ rows: rowsArb, cols: colsArb, seed: seedArb, dist: distArb(SOFTMAX_DISTS), permSeed: seedArb }),
  runs: (d) => {
    const c = softmaxCase(d);
    const p = permutation(d.permSeed, d.cols);
    return [c, { shape: d, inputs: { x: permuteRows(c.inputs.x as Float32Array, d.rows, d.cols, p) } }];
  },
  check: (d, [a, b]) => {
    const { x } = softmaxCase(d).inputs as { x: Float32Array };
    const p = permutation(d.permSeed, d.cols);
    const { tol } = expectedAndTol(x, d.rows, d.cols);
    // The permuted input has the same exact outputs, permuted; its bound is the same per element, permuted.
    const ya = permuteRows(a!.y as Float32Array, d.rows, d.cols, p);
    const ta = permuteRows(Float32Array.from(tol), d.rows, d.cols, p);
    return agreeWithin(ya, ta, b!.y!, ta, (i, same) => (same
      ? `y(Px)[${i}] and y(x) at the permuted position are both ${ya[i]}: ${NOT_FINITE}`
      : `y(Px)[${i}] = ${b!.y![i]} but y(x) at the permuted position = ${ya[i]}`));
  },
};

const argmaxPreserved: Property<SoftmaxDraw, SoftmaxDraw> = {
  name: 'argmax-preserved',
  description:
    'In each row the largest input gets the largest output. WGSL does not make exp monotonic (3 + 2|x| ULP each), ' +
    'so an output above the argmax\'s is accepted only where the two are within their combined bounds of each other.',
  bound: 'ŷ_j ≤ ŷ_{argmax x} + tol_j + tol_{argmax x}',
  arbitrary: fc.record({ rows: rowsArb, cols: colsArb, seed: seedArb, dist: distArb(SOFTMAX_DISTS) }),
  runs: (d) => [softmaxCase(d)],
  check: (d, [out]) => {
    const { x } = softmaxCase(d).inputs as { x: Float32Array };
    const { tol } = expectedAndTol(x, d.rows, d.cols);
    const y = out!.y!;
    let ratio = 0;
    let abs = 0;
    for (let r = 0; r < d.rows; r++) {
      const b = r * d.cols;
      let ix = b;
      for (let j = b; j < b + d.cols; j++) if (x[j]! > x[ix]!) ix = j;
      for (let j = b; j < b + d.cols; j++) {
        const over = y[j]! - y[ix]!;
        if (Number.isNaN(over) || over > 0) {
          const allowed = tol[j]! + tol[ix]!;
          const q = Number.isNaN(over) ? Infinity : over / allowed;
          ratio = Math.max(ratio, q);
          abs = Math.max(abs, Number.isNaN(over) ? Infinity : over);
          if (!(q <= 1)) {
            // NaN, or the same infinity on both sides (the argmax against itself): no order to speak of.
            const odd = Number.isFinite(y[ix]!) ? j : ix;
            return {
              pass: false,
              message: Number.isNaN(over)
                ? `row ${r}: y[${odd - b}] = ${y[odd]}, which no output can be ordered against (the largest input is x[${ix - b}] = ${x[ix]}); ${NOT_FINITE}`
                : `row ${r}: the largest input is x[${ix - b}] = ${x[ix]}, but y[${j - b}] = ${y[j]} > y[${ix - b}] = ${y[ix]} beyond the bounds`,
              measure: { abs, ulp: ulpDistance(y[j]!, y[ix]!), boundRatio: Infinity },
              worst: { buffer: 'y', index: j },
            };
          }
        }
      }
    }
    return { pass: true, measure: { abs, ulp: 0, boundRatio: ratio } };
  },
};

/** The tighter bound one algorithm earns, as its own property (softmaxRowTolerance with that `sum`). */
function algorithmBound(sum: 'direct' | 'online', name: string, assumes: string): Property<SoftmaxDraw, SoftmaxDraw> {
  return {
    name,
    description: `Every output within the bound of ${assumes} (softmaxRowTolerance, sum '${sum}'): tighter than the family's default, which holds for any normaliser in any order.`,
    bound: `|ŷ − y| ≤ softmaxRowTolerance(x, y, 0, '${sum}')`,
    assumes,
    arbitrary: softmaxDraw,
    runs: (d) => [softmaxCase(d)],
    check: (d, [out]) => {
      const { x } = softmaxCase(d).inputs as { x: Float32Array };
      const y = softmax(x, d.rows, d.cols);
      return compareVerdict('y', out!.y!, y, softmaxTolerance(x, y, d.rows, d.cols, 0, sum), `${sum} bound`);
    },
  };
}

const family: Family<SoftmaxDraw> = {
  name: 'softmax',
  cases: softmaxDraw.map(softmaxCase),
  spreadCases: softmaxSpreadDraw.map(softmaxCase),
  reference: (c) => ({ y: softmax(c.inputs.x!, c.shape.rows, c.shape.cols) }),
  // The default holds for any implementation, direct or online, in any order; each library kernel also gets the
  // tighter bound its own algorithm earns, as a property that says what it assumes.
  tolerance: (c, expected) => ({ y: softmaxTolerance(c.inputs.x!, expected.y!, c.shape.rows, c.shape.cols, 0, 'any') }),
  covers:
    'exp(x_j − max), or exp2((x_j − max) · log2(e)) with log2(e) to f32 precision where that product does not ' +
    'overflow (|x_j − max| < 2.3e38), summed in any order directly or online, then divided by the sum or multiplied ' +
    'by 1 / sum; not exp2(x_j · c − max · c), which scales before subtracting',
  properties: [sumsToOne, inUnitInterval, finiteAtHugeLogits, shiftInvariant, permutationEquivariant, argmaxPreserved,
    finiteOutputs(softmaxDraw, (d) => [softmaxCase(d)], (d) => ({ y: softmax(softmaxCase(d).inputs.x!, d.rows, d.cols) }), 'softmax', undefined,
      (d, e) => ({ y: softmaxTolerance(softmaxCase(d).inputs.x!, e.y!, d.rows, d.cols, 0, 'any') }))],
  kernelProperties: {
    softmax: [algorithmBound('direct', 'matches-reference-direct', 'the direct normaliser: exp(x_j − max) summed (any order) then divided, as softmax.wgsl does')],
    softmax_online: [algorithmBound('online', 'matches-reference-online-lanes', 'softmax_online.wgsl\'s 256 lanes with running maxima, merged by its stride-halving tree')],
  },
};

export default family;

