// The log_softmax family: y[r, j] = (x[r, j] − max_r) − log Σ_k exp(x[r, k] − max_r), row by row (ONNX LogSoftmax).
// Its bound, and which implementations it covers: log_softmax-bound.ts.
import * as fc from 'fast-check';
import type { Case, Family, Property, Verdict } from '../harness/spec.ts';
import { logSoftmax } from '../reference/log_softmax.ts';
import { logSoftmaxTolerance } from './log_softmax-bound.ts';
import { softmaxCase, softmaxDraw, type SoftmaxDraw } from './softmax.properties.ts';
import { fillF32 } from './values.ts';
import { compareVerdict, finiteOutputs } from './verdict.ts';

function expected(d: SoftmaxDraw) {
  const x = softmaxCase(d).inputs.x!;
  const y = logSoftmax(x, d.rows, d.cols);
  return { x, y, tol: logSoftmaxTolerance(x, y, d.rows, d.cols) };
}

const expSumsToOne: Property<SoftmaxDraw, SoftmaxDraw> = {
  name: 'exp-sums-to-one',
  description: 'In each row Σ_j exp(ŷ_j) = 1 (the outputs are log-probabilities), within Σ_j (exp(y_j + t_j) − exp(y_j)) for the per-element bounds t_j, plus the f64 check\'s own rounding.',
  bound: '|Σ_j exp(ŷ_j) − 1| ≤ Σ_j (e^(y_j + t_j) − e^(y_j)) + n·2^-50',
  arbitrary: softmaxDraw,
  runs: (d) => [softmaxCase(d)],
  check: (d, [out]): Verdict => {
    const { y, tol } = expected(d);
    const got: number[] = [];
    const allowed: number[] = [];
    for (let r = 0; r < d.rows; r++) {
      let s = 0;
      let t = 0;
      for (let j = r * d.cols; j < (r + 1) * d.cols; j++) {
        s += Math.exp(out!.y![j]!);
        t += Math.exp(y[j]! + tol[j]!) - Math.exp(y[j]!);
      }
      got.push(s);
      // The rounding of the f64 sum, of a finite sum only: a NaN or infinite sum made the bound so (an error, a pass).
      allowed.push(t + d.cols * 2 ** -50 * Math.max(1, Number.isFinite(s) ? s : 0));
    }
    // Named by row (a sum is no element of y), and placed at the row's first element of y, as softmax's sums-to-one.
    const v = compareVerdict('row', got, new Float64Array(d.rows).fill(1), allowed, 'Σ_j exp(ŷ[row][j]) of each row');
    return { ...v, worst: v.worst ? { buffer: 'y', index: v.worst.index * d.cols } : undefined };
  },
};

const nonPositive: Property<SoftmaxDraw, SoftmaxDraw> = {
  name: 'non-positive',
  description: 'Every ŷ_j ≤ 0 within its bound: y_j = (x_j − max) − log S with x_j ≤ max and S ≥ 1.',
  bound: 'ŷ_j ≤ t_j',
  arbitrary: softmaxDraw,
  runs: (d) => [softmaxCase(d)],
  check: (d, [out]): Verdict => {
    const { tol } = expected(d);
    const y = out!.y!;
    // Math.max keeps a NaN. A typed array and a loop: Array.from with a mapping function cost 30 times as much.
    const got = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) got[i] = Math.max(y[i]!, 0);
    return compareVerdict('y', got, new Float64Array(got.length), tol, 'the positive part of ŷ');
  },
};

/** Every logit in [−1000, −200): U(−1, 1) scaled by 400 and shifted by −600, rounded to f32. */
function negativeCase(d: SoftmaxDraw): Case<SoftmaxDraw> {
  const x = fillF32(d.seed, d.rows * d.cols, 'uniform');
  for (let i = 0; i < x.length; i++) x[i] = Math.fround(x[i]! * 400 - 600);
  return { shape: d, inputs: { x } };
}

const negativeLogits: Property<SoftmaxDraw, SoftmaxDraw> = {
  name: 'negative-logits',
  description:
    'Rows whose every logit lies in [−1000, −200) match the reference within the family\'s bound. Every exp(x_j) ' +
    'underflows to 0 in f32 there (exp(−104) is below the smallest subnormal), so only the row\'s own max subtracted ' +
    'first keeps S ≥ 1: with a max seeded with 0 (or any value above the row) S underflows to 0, and log S is ' +
    'not log Σ exp(x_j) (SwiftShader returned ŷ = x for a one-column row). The drawn distributions reach such rows ' +
    'only by chance (huge-same-sign with a negative sign).',
  bound: '|ŷ − y| ≤ tol (logSoftmaxTolerance)',
  arbitrary: softmaxDraw,
  runs: (d) => [negativeCase(d)],
  check: (d, [out]): Verdict => {
    const x = negativeCase(d).inputs.x!;
    const y = logSoftmax(x, d.rows, d.cols);
    return compareVerdict('y', out!.y!, y, logSoftmaxTolerance(x, y, d.rows, d.cols), 'rows of negative logits');
  },
};

const family: Family<SoftmaxDraw> = {
  name: 'log_softmax',
  cases: softmaxDraw.map(softmaxCase),
  reference: (c) => ({ y: logSoftmax(c.inputs.x!, c.shape.rows, c.shape.cols) }),
  tolerance: (c: Case<SoftmaxDraw>, exp) => ({ y: logSoftmaxTolerance(c.inputs.x!, exp.y!, c.shape.rows, c.shape.cols) }),
  covers: 'the normaliser S formed directly or online, in any order, through exp or exp2, then (x_j − max) − log S or x_j − (max + log S); not log(softmax(x)), which underflows to log(0) = −∞ where x_j − max is below about −104',
  unboundedWhere: "elements whose exact x_j − max lies beyond f32's largest value, so that the subtraction overflows, which WGSL leaves indeterminate (no f32 holds the exact value)",
  properties: [
    finiteOutputs(softmaxDraw, (d) => [softmaxCase(d)], (d) => ({ y: expected(d).y }), 'log-softmax'),
    expSumsToOne,
    nonPositive,
    negativeLogits,
  ],
};

export default family;
