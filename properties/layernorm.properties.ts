// The layernorm family: y = (x − mean) / sqrt(var + eps) per row, through kernels/layernorm.wgsl.
// Its bound, and which implementations it covers: layernorm-bound.ts.
import * as fc from 'fast-check';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import type { LayernormShape } from '../kernels/layernorm.kernel.ts';
import { layernorm, rowStats } from '../reference/layernorm.ts';
import { layernormTolerance } from './layernorm-bound.ts';
import { distArb, drawValue, edgeSize, rng, seedArb, subSeed, type ValueDist } from './values.ts';
import { bitsAgreement, compareVerdict, finiteOutputs } from './verdict.ts';

export const EPS = Math.fround(1e-5);
/** The eps a case passes: half the draws 1e-5 (what it shrinks to), the rest the other values models use and one
 *  far larger, all as f32. A new user's kernel that ignored the uniform and wrote 1e-5 itself passed every property
 *  while eps was always 1e-5; against 1e-3 or 0.25, rows of variance about 1 (or less: `scale`) move by far more
 *  than their bound. */
const epsArb = fc.oneof(
  { arbitrary: fc.constant(EPS), weight: 4 },
  { arbitrary: fc.constantFrom(...[1e-6, 1e-12, 1e-3, 0.25].map(Math.fround)), weight: 4 },
);
const WG = 256;

/** plain: values from the distribution; offset: 1000 + value (a large shift the kernel must take out);
 *  constant: every third row is one repeated value; far: 2^65 · (1 + N(0, 1) · 2^-3 / cols), a mean whose square
 *  passes f32's largest value beside a spread whose squares do not (trial 157 A1: a Welford merge with an empty
 *  partner squared the mean, δ² · 0 = NaN, and passed every property on rows no larger than 1000). The spread shrinks
 *  with the row so that Welford's merge term ((max − min) · n/2)² stays below 2^128 and the bound finite. It is tight
 *  for rows of 2 to a few hundred elements only: an unshifted sum's rounding, about n·u·2^65, outgrows the spread
 *  near 512 (trial 162 C1: 7e18 at 1024 columns), and a one-element row's bound pairs the largest deviation with the
 *  largest scale. Those rows are judged by finite-outputs and in-range; the small ones, drawn often, by the bound. */
export const ROW_KINDS = ['plain', 'offset', 'constant', 'far'] as const;

/** The centre of a 'far' row: its square, 2^130, is past f32's largest value for every row drawn about it. */
const FAR = 2 ** 65;

export interface LayernormDraw extends LayernormShape {
  seed: number;
  dist: ValueDist;
  rowKind: (typeof ROW_KINDS)[number];
  /** Every value is multiplied by 2^scale (exact). */
  scale: number;
}

const DISTS = ['normal', 'uniform', 'dyadic', 'edge'] as const satisfies readonly ValueDist[];

const drawOf = (dists: readonly ValueDist[], kinds: readonly LayernormDraw['rowKind'][], scale: fc.Arbitrary<number>) =>
  fc.record({
    // Up to 64 × 4096; rows above 16 and columns above 1024 are 5 draws in 100 each (the largest cases cost ~1 s).
    rows: edgeSize(64, [], { common: 16, rare: 5 }),
    cols: edgeSize(4096, [WG], { common: 1024, rare: 5 }),
    eps: epsArb,
    seed: seedArb,
    dist: distArb(dists),
    rowKind: fc.constantFrom(...kinds),
    scale,
  });

export function layernormCase(d: LayernormDraw): Case<LayernormDraw> {
  const r = rng(subSeed(d.seed, 0));
  const x = new Float32Array(d.rows * d.cols);
  const f = 2 ** d.scale;
  for (let row = 0; row < d.rows; row++) {
    const constant = d.rowKind === 'constant' && row % 3 === 0 ? drawValue(r, d.dist) : undefined;
    for (let j = 0; j < d.cols; j++) {
      const v = constant ?? (d.rowKind === 'offset' ? Math.fround(1000 + drawValue(r, d.dist))
        : d.rowKind === 'far' ? Math.fround(FAR * (1 + (drawValue(r, 'normal') * 2 ** -3) / d.cols)) : drawValue(r, d.dist));
      x[row * d.cols + j] = v * f;
    }
  }
  return { shape: d, inputs: { x } };
}

function tolerance(c: Case<LayernormDraw>): Record<string, Float64Array> {
  const { rows, cols, eps } = c.shape;
  return { y: layernormTolerance(c.inputs.x!, rows, cols, eps) };
}

function reference(c: Case<LayernormDraw>): Record<string, Float64Array> {
  const { rows, cols, eps } = c.shape;
  return { y: layernorm(c.inputs.x!, rows, cols, eps) };
}

function isConstantRow(x: ArrayLike<number>, base: number, cols: number): boolean {
  for (let j = 1; j < cols; j++) if (x[base + j] !== x[base]) return false;
  return true;
}

const constantRowsGiveZeros: Property<LayernormDraw, LayernormDraw> = {
  name: 'constant-rows-give-zeros',
  description: 'A row of one repeated value (any value, any length) normalises to exact zeros: the kernel shifts by the row\'s first element, so every deviation is exactly 0.',
  bound: 'y = 0 exactly on constant rows',
  // Without the shift, the computed mean of a constant row need not be the value itself (0.1 · 3 / 3 rounds), and
  // its tiny deviations are divided by sqrt(eps): small, bounded by matches-reference, but not zero.
  assumes: 'layernorm.wgsl\'s shift of each row by its first element',
  arbitrary: drawOf(['normal', 'edge', 'wide', 'huge', 'dyadic'], ['constant'], fc.constant(0)),
  runs: (d) => [layernormCase(d)],
  check: (d, [out]): Verdict => {
    const x = layernormCase(d).inputs.x!;
    const actual: number[] = [];
    for (let row = 0; row < d.rows; row++) {
      const base = row * d.cols;
      if (!isConstantRow(x, base, d.cols)) continue;
      for (let j = 0; j < d.cols; j++) actual.push(out!.y![base + j]!);
    }
    return compareVerdict('y', actual, new Float64Array(actual.length), 0, 'constant rows (elements of those rows, in order)');
  },
};

/** Per row: |mean(ŷ)| ≤ |mean(y*)| + mean(t), and |mean(ŷ²) − V/(V + eps)| ≤ |mean(y*²) − V/(V + eps)| + mean(2|y*|t + t²):
 *  the target variance is V/(V + eps) = 1 − eps/(V + eps), which is 1 up to eps/V. */
const meanZeroVarianceOne: Property<LayernormDraw, LayernormDraw> = {
  name: 'mean-zero-variance-one',
  description:
    'On each non-constant row the output has mean ≈ 0 and (biased) variance ≈ 1: exactly, mean(y*) = 0 and ' +
    'mean(y*²) = V/(V + eps) = 1 − eps/(V + eps) (V the row\'s variance; compared with that, so eps does not hide ' +
    'in the bound); the kernel\'s deviations are bounded through the per-element ' +
    'tolerance t_j: |Σŷ − Σy*| ≤ Σt_j and |Σŷ² − Σy*²| ≤ Σ(2|y*_j| t_j + t_j²).',
  bound: '|mean ŷ| ≤ mean t; |mean ŷ² − V/(V + eps)| ≤ mean(2|y*|t + t²)',
  arbitrary: drawOf(['normal', 'uniform', 'dyadic'], ['plain', 'offset'], fc.integer({ min: -6, max: 12 })),
  runs: (d) => [layernormCase(d)],
  check: (d, [out]): Verdict => {
    const x = layernormCase(d).inputs.x!;
    const expected = layernorm(x, d.rows, d.cols, d.eps);
    const tol = layernormTolerance(x, d.rows, d.cols, d.eps);
    const got: number[] = [];
    const want: number[] = [];
    const allowed: number[] = [];
    /** The row of each (mean, mean square) pair: constant rows are left out. */
    const judged: number[] = [];
    for (let row = 0; row < d.rows; row++) {
      const base = row * d.cols;
      if (isConstantRow(x, base, d.cols)) continue;
      judged.push(row);
      const V = rowStats(x, base, d.cols).ss / d.cols;
      let m = 0, m2 = 0, e1 = 0, e2 = 0, t1 = 0, t2 = 0;
      for (let j = 0; j < d.cols; j++) {
        const yv = out!.y![base + j]!;
        const ye = expected[base + j]!;
        const t = tol[base + j]!;
        m += yv; m2 += yv * yv; e1 += ye; e2 += ye * ye;
        t1 += t; t2 += 2 * Math.abs(ye) * t + t * t;
      }
      const n = d.cols;
      // The f64 sums of n terms of size ≤ √n carry at most ~n·2^-52 relative error: a 1e-12 margin covers it.
      got.push(m / n, m2 / n);
      want.push(0, V / (V + d.eps));
      allowed.push(Math.abs(e1 / n) + t1 / n + 1e-12, Math.abs(e2 / n - V / (V + d.eps)) + t2 / n + 1e-12);
    }
    // Said by row, and pointed at the row's first element: an index into the pairs would name another element of y.
    const v = compareVerdict('pairs', got, want, allowed, 'per-row mean and mean square of the output');
    const row = (k: number) => judged[k >> 1]!;
    if (v.message) v.message = v.message.replace(/\bpairs\[(\d+)\]/g, (_, k: string) => `row ${row(+k)}'s ${+k % 2 ? 'mean square' : 'mean'}`);
    if (v.worst) v.worst = { buffer: 'y', index: row(v.worst.index) * d.cols };
    return v;
  },
};

/**
 * Scaling a row by 2^k (k ≥ 1) scales its variance by 4^k, and in the exact result only eps does not scale:
 * y*(2^k x) − y*(x) = (x − μ)(s(eps/4^k) − s(eps)). With V the row's variance, |s(e)/s(0) − 1| ≤ e/(2V), so when
 * eps ≤ 2^-23 V the exact outputs differ by at most 2^-24 |y*|: eps is negligible, and the two runs must agree
 * within their two tolerances plus that. Rows with V < 2^23 eps are left out (counted in the notes).
 */
const scaleInvariant: Property<LayernormDraw, LayernormDraw & { k: number }> = {
  name: 'scale-invariant',
  description: 'Multiplying a row by a power of two 2^k (k = 1..20) leaves the output unchanged within both runs\' tolerances, on rows whose variance V ≥ 2^23 eps (eps negligible: the exact outputs then differ by ≤ 2^-24 |y*|).',
  bound: '|ŷ(2^k x) − ŷ(x)| ≤ t(x) + t(2^k x) + 2^-24 |y*|, when V ≥ 2^23 eps',
  arbitrary: fc.record({
    rows: edgeSize(32, [], { common: 16, rare: 5 }), cols: edgeSize(2048, [WG], { common: 1024, rare: 5 }), eps: fc.constant(EPS), seed: seedArb,
    dist: distArb(['normal', 'uniform', 'dyadic'] as const), rowKind: fc.constantFrom('plain' as const, 'offset' as const),
    scale: fc.integer({ min: 8, max: 16 }), k: fc.integer({ min: 1, max: 20 }),
  }),
  runs: (d) => [layernormCase(d), layernormCase({ ...d, scale: d.scale + d.k })],
  check: (d, [a, b]): Verdict => {
    const x1 = layernormCase(d).inputs.x!;
    const x2 = layernormCase({ ...d, scale: d.scale + d.k }).inputs.x!;
    const t1 = layernormTolerance(x1, d.rows, d.cols, d.eps);
    const t2 = layernormTolerance(x2, d.rows, d.cols, d.eps);
    const ye = layernorm(x1, d.rows, d.cols, d.eps);
    const got: number[] = [];
    const want: number[] = [];
    const allowed: number[] = [];
    let skipped = 0;
    for (let row = 0; row < d.rows; row++) {
      const base = row * d.cols;
      const V = rowStats(x1, base, d.cols).ss / d.cols;
      if (!(d.eps <= 2 ** -23 * V)) {
        skipped++;
        continue;
      }
      for (let j = 0; j < d.cols; j++) {
        got.push(b!.y![base + j]!);
        want.push(a!.y![base + j]!);
        allowed.push(t1[base + j]! + t2[base + j]! + 2 ** -24 * Math.abs(ye[base + j]!));
      }
    }
    const v = compareVerdict('y', got, want, allowed, `rows × 2^${d.k} against the rows (kept rows' elements, in order)`, { expectedIs: 'the unscaled run\'s' });
    return { ...v, notes: { ...v.notes, rowsSkippedForEps: skipped, bitIdentical: bitsAgreement(got, want).bitIdentical } };
  },
};

const matchesShiftFirst: Property<LayernormDraw, Case<LayernormDraw>> = {
  name: 'matches-reference-shift-first',
  description: 'Every output within the bound of layernorm.wgsl\'s own algorithm (layernormTolerance \'shift-first\'): rows shifted by x_0, sums of depth ceil(n/256) − 1 + ceil(log2 min(n, 256)), inverseSqrt times the deviation.',
  bound: '|ŷ − y| ≤ layernormTolerance(x, …, \'shift-first\')',
  assumes: 'layernorm.wgsl: shift by the row\'s first element, per-invocation sums then a 256-lane tree, inverseSqrt',
  arbitrary: drawOf(DISTS, ROW_KINDS, fc.constant(0)).map(layernormCase),
  runs: (c) => [c],
  check: (c, [out]): Verdict => {
    const { rows, cols, eps } = c.shape;
    return compareVerdict('y', out!.y!, layernorm(c.inputs.x!, rows, cols, eps), layernormTolerance(c.inputs.x!, rows, cols, eps, 'shift-first'), 'shift-first bound');
  },
};

/** |x| from which x² is past f32's largest value (2^64 · (1 − 2^-25) rounds to 2^64, whose square is 2^128). */
const SQUARE_OVERFLOWS = 2 ** 64;
const SQUARE_ADVICE = `this row holds values past 1.8e19, whose squares pass f32's largest value: a NaN or a value far out of range there comes most often from an infinity meeting a zero or another infinity (∞ · 0, ∞ − ∞) in the kernel's own arithmetic, as where Welford's update begun from a zero state squares its first value (δ² · (k − 1)/k at k = 1), or a merge with an empty partner squares a mean`;

/** The margin on rows with no finite bound: a robust kernel's rounding there is ~n·u relative (n ≤ 4096, 2^-11). */
const IN_RANGE_MARGIN = 2 ** -8;

/**
 * |y_j| ≤ √(n − 1) exactly (Samuelson's inequality: |x_j − μ| ≤ σ √(n − 1) with the population σ, and eps ≥ 0 only
 * shrinks y). Within the element's tolerance where it is finite; on a row whose sums may overflow (no finite bound,
 * indeterminate in WGSL) within a 2^-8 relative margin: stricter than WGSL's letter there, as finite-outputs is.
 * A kernel's finite −1.04e30 on such a row passed every other property of that row.
 */
const inRange: Property<LayernormDraw, LayernormDraw> = {
  name: 'in-range',
  description: "Every |ŷ_j| ≤ √(n − 1) (Samuelson's inequality; eps only shrinks y), plus its tolerance; on rows whose sums may overflow, where matches-reference has no finite bound, within a 2^-8 relative margin (stricter than WGSL's letter there, as finite-outputs is).",
  bound: '|ŷ_j| ≤ √(n − 1) + t_j, or √(n − 1)(1 + 2^-8) where t_j is unbounded',
  arbitrary: drawOf(DISTS, ROW_KINDS, fc.constant(0)),
  runs: (d) => [layernormCase(d)],
  check: (d, [out]): Verdict => {
    const x = layernormCase(d).inputs.x!;
    const tol = layernormTolerance(x, d.rows, d.cols, d.eps);
    const top = Math.sqrt(d.cols - 1);
    const y = out!.y!;
    let unbounded = 0;
    for (let i = 0; i < y.length; i++) {
      const allowed = Number.isFinite(tol[i]!) ? top + tol[i]! : (unbounded++, top * (1 + IN_RANGE_MARGIN));
      if (!(Math.abs(y[i]!) <= allowed)) {
        // Trial 85 B1: on a row whose intermediates may overflow, "for every layernorm" read as a bound WGSL sets. Trial
        // 157 B1: "scale the row" was the only way out it named, for a Welford merge's δ² · 0 = NaN.
        // Trial 162 B1: on a 'far' row, whose bound is finite, the NaN of ∞ · 0 got no clause at all.
        const row = Math.floor(i / d.cols) * d.cols;
        const squares = x.subarray(row, row + d.cols).some((v) => Math.abs(v) >= SQUARE_OVERFLOWS);
        const overflow = Number.isFinite(tol[i]!) ? (squares ? `; ${SQUARE_ADVICE}` : '')
          : `; on this row the sums or squared deviations may pass f32's largest value, where WGSL makes the result indeterminate and matches-reference bounds nothing: in-range asks more than WGSL's letter here, the exact layernorm's range, which a kernel keeps where an overflow only makes its variance infinite (y = 0, as layernorm.wgsl gives) or where it scales the row first; a value far outside it comes more often from an infinity meeting a zero in the kernel's own arithmetic (∞ · 0 = NaN: a merge with an empty partner, say)`;
        return { pass: false, message: `y[${i}] = ${y[i]} but |y| ≤ √(${d.cols} − 1) = ${top.toPrecision(6)} for the exact layernorm of every row (allowed ${allowed.toPrecision(6)})${overflow}`, worst: { buffer: 'y', index: i } };
      }
    }
    return { pass: true, notes: { unboundedElementsChecked: unbounded } };
  },
};

// The rows drawn hold values up to 2^100 ('edge'), whose squared deviations overflow, but none near f32's largest
// value, whose sums overflow: the library's layernorm gives NaN on [3e38, 3e38, −3e38, −3e38] (exactly ±1), since
// it does not scale a row before summing it. The description says which rows are judged rather than claim all.
const finiteOutput: Property<LayernormDraw, LayernormDraw> = {
  ...finiteOutputs(drawOf(DISTS, ROW_KINDS, fc.constant(0)), (d) => [layernormCase(d)], (d) => reference(layernormCase(d)), 'layernorm', { past: SQUARE_OVERFLOWS, text: SQUARE_ADVICE },
    (d) => ({ y: layernormTolerance(layernormCase(d).inputs.x!, d.rows, d.cols, d.eps) })),
  description: 'Every output is finite wherever the exact layernorm is finite, on rows with values up to 2^100, whose squared deviations overflow f32 (where WGSL\'s accuracy rule is unbounded): NaN or ±Infinity there fails. Rows whose sums overflow (values near 3e38) are not drawn.',
};

const family: Family<LayernormDraw> = {
  name: 'layernorm',
  cases: drawOf(DISTS, ROW_KINDS, fc.constant(0)).map(layernormCase),
  reference,
  tolerance,
  covers: 'every two-pass layernorm (the mean, then the squared deviations from it, with or without a shift taken first, sums in any order, each divided by n or made of pre-scaled terms x·(1/n), inverseSqrt or a division by sqrt), and Welford\'s one-pass update in the form m2 += δ·(x − mean), merged across invocations or not, a merge with an empty partner returning the other side (the 1962 form δ²·(k − 1)/k squares the first value itself, and a merge with an idle lane\'s mean 0 squares a mean: past f32\'s range for |x| > 1.8e19, where the bound asks more than WGSL\'s letter, on purpose: writing-a-kernel.md §5) (by simulation with every rounding WGSL allows pushed one way, not by proof); not the one-pass E[x²] − E[x]², whose cancellation loses every digit of the variance on a row whose mean is large against its spread (Higham §1.9)',
  unboundedWhere: "rows whose sums or squared deviations, or Welford's merge term ((max − min)·n/2)², may pass f32's largest value, which WGSL leaves indeterminate; finite-outputs and in-range (|y| ≤ √(n − 1)) still judge them",
  properties: [meanZeroVarianceOne, scaleInvariant, finiteOutput, inRange],
  kernelProperties: { layernorm: [constantRowsGiveZeros, matchesShiftFirst] },
};

export default family;
