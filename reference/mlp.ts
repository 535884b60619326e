// The 784 → 128 → 10 classifier in float64: softmax(relu(x·W1 + b1)·W2 + b2), the composition of the references.
// Every intermediate is kept, because the mlp bound propagates each layer's error through the next.
import { matmul } from './matmul.ts';
import { relu } from './relu.ts';
import { softmax } from './softmax.ts';

export interface MlpWeights {
  w1: ArrayLike<number>; // [784][128], input-major
  b1: ArrayLike<number>; // [128]
  w2: ArrayLike<number>; // [128][10]
  b2: ArrayLike<number>; // [10]
}

export const MLP_IN = 784;
export const MLP_HIDDEN = 128;
export const MLP_OUT = 10;

export interface MlpTrace {
  hidden: Float64Array; // x·W1 + b1, batch × 128
  hiddenAbs: Float64Array; // |x|·|W1| + |b1|
  act: Float64Array; // relu(hidden)
  logits: Float64Array; // act·W2 + b2, batch × 10
  probs: Float64Array; // softmax(logits)
}

export function mlp(x: ArrayLike<number>, w: MlpWeights, batch: number): MlpTrace {
  const h = matmul(x, w.w1, w.b1, batch, MLP_HIDDEN, MLP_IN);
  const act = relu(h.c);
  const logits = matmul(act, w.w2, w.b2, batch, MLP_OUT, MLP_HIDDEN).c;
  return { hidden: h.c, hiddenAbs: h.abs, act, logits, probs: softmax(logits, batch, MLP_OUT) };
}
