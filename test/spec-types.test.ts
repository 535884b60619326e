// A spec's stages written as one array literal whose stages bind different names must typecheck (npm run
// typecheck compiles this file): TypeScript types such an array with `x?: undefined` in the stage without x, which
// a Record of bindings rejected (a new user's two-pass scan needed an annotation to compile).
import { describe, expect, it } from 'vitest';
import type { KernelSpec } from '../harness/spec.ts';

const twoPasses: KernelSpec<{ n: number }> = {
  name: 'two_passes',
  wgsl: 'two_passes.wgsl',
  description: 'a block pass, then a pass that adds the block totals back',
  buffers: {
    x: { role: 'input', type: 'f32', length: (s) => s.n },
    y: { role: 'output', type: 'f32', length: (s) => s.n },
    totals: { role: 'scratch', type: 'f32', length: (s) => Math.ceil(s.n / 256) },
  },
  stages: (s) => [
    { wgsl: 'two_passes.wgsl', entry: 'blocks', bind: { x: 'x', y: 'y', totals: 'totals', params: { uniform: { n: s.n } } }, workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1] },
    { wgsl: 'two_passes.wgsl', entry: 'add_back', bind: { y: 'y', totals: 'totals', params: { uniform: { n: s.n } } }, workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1] },
  ],
};

describe('a spec whose stages bind different names', () => {
  it('typechecks without an annotation on its stages, and keeps each stage its own bindings', () => {
    const [a, b] = twoPasses.stages({ n: 1000 });
    expect(Object.keys(a!.bind)).toEqual(['x', 'y', 'totals', 'params']);
    expect(Object.keys(b!.bind)).toEqual(['y', 'totals', 'params']);
  });
});
