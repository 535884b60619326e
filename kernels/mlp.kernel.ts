// The vibe-infer classifier's forward pass, 784 → 128 → 10, as four chained dispatches of the library's own kernels
// with no readback between them: matmul + bias, relu, matmul + bias, softmax.
import type { KernelSpec, StageSpec } from '../harness/spec.ts';

export interface MlpShape {
  /** Number of images (rows of x). */
  batch: number;
}

export const MLP_IN = 784;
export const MLP_HIDDEN = 128;
export const MLP_OUT = 10;

const spec: KernelSpec<MlpShape> = {
  name: 'mlp',
  family: 'mlp',
  // --wgsl mlp=FILE replaces the matmul both layers use.
  wgsl: 'matmul.wgsl',
  description: 'MNIST MLP forward pass: softmax(relu(x·W1 + b1)·W2 + b2), four stages reusing matmul, relu and softmax.',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.batch * MLP_IN, dims: (s) => [s.batch, MLP_IN] },
    w1: { role: 'input', type: 'f32', length: () => MLP_IN * MLP_HIDDEN, dims: () => [MLP_IN, MLP_HIDDEN] },
    b1: { role: 'input', type: 'f32', length: () => MLP_HIDDEN },
    w2: { role: 'input', type: 'f32', length: () => MLP_HIDDEN * MLP_OUT, dims: () => [MLP_HIDDEN, MLP_OUT] },
    b2: { role: 'input', type: 'f32', length: () => MLP_OUT },
    hidden: { role: 'scratch', type: 'f32', length: (s) => s.batch * MLP_HIDDEN, dims: (s) => [s.batch, MLP_HIDDEN] },
    act: { role: 'scratch', type: 'f32', length: (s) => s.batch * MLP_HIDDEN, dims: (s) => [s.batch, MLP_HIDDEN] },
    logits: { role: 'scratch', type: 'f32', length: (s) => s.batch * MLP_OUT, dims: (s) => [s.batch, MLP_OUT] },
    probs: { role: 'output', type: 'f32', length: (s) => s.batch * MLP_OUT, dims: (s) => [s.batch, MLP_OUT] },
  },
  stages: (s): StageSpec<MlpShape>[] => [
    {
      wgsl: 'matmul.wgsl',
      entry: 'main',
      bind: { a: 'x', b: 'w1', bias: 'b1', c: 'hidden', params: { uniform: { M: s.batch, N: MLP_HIDDEN, K: MLP_IN } } },
      workgroups: ([wx, wy]) => [Math.ceil(MLP_HIDDEN / wx), Math.ceil(s.batch / wy), 1],
    },
    {
      wgsl: 'relu.wgsl',
      entry: 'main',
      bind: { x: 'hidden', y: 'act', params: { uniform: { n: s.batch * MLP_HIDDEN } } },
      workgroups: ([wx]) => [Math.ceil((s.batch * MLP_HIDDEN) / wx), 1, 1],
    },
    {
      wgsl: 'matmul.wgsl',
      entry: 'main',
      bind: { a: 'act', b: 'w2', bias: 'b2', c: 'logits', params: { uniform: { M: s.batch, N: MLP_OUT, K: MLP_HIDDEN } } },
      workgroups: ([wx, wy]) => [Math.ceil(MLP_OUT / wx), Math.ceil(s.batch / wy), 1],
    },
    {
      wgsl: 'softmax.wgsl',
      entry: 'main',
      bind: { x: 'logits', y: 'probs', params: { uniform: { rows: s.batch, cols: MLP_OUT } } },
      workgroups: () => [s.batch, 1, 1],
    },
  ],
};

export default spec;
