// pack4x8unorm's level of each channel: WGSL allows packNormLevels' [lo, hi] (two levels where the value inside the
// floor lies within an f32 step of a whole number), so the reference is their midpoint and the bound half their gap:
// exact everywhere else. Draws: uniform in [0, 1], past the clamp ([-1, 2]), and the f32 values at and next to each
// level midpoint (k + 0.5)/255, where the GPU engines (Tint: round(clamp(e) * 255)) and WGSL's formula read exactly
// (the interpreter) give neighbouring levels.
import { edgeSize, fc, nextDown, nextUp, packNormLevels, rng, seedArb, subSeed, type Case, type Family } from 'kernelscope/kit';
import type { PixelsShape } from '../kernels/pack_unorm.kernel.ts';

type Dist = 'uniform' | 'outside' | 'near-half';

function fill(n: number, seed: number, dist: Dist): Float32Array {
  const r = rng(subSeed(seed, 0));
  const a = new Float32Array(4 * n);
  for (let i = 0; i < a.length; i++) {
    if (dist === 'uniform') a[i] = r.float();
    else if (dist === 'outside') a[i] = r.float() * 3 - 1;
    else {
      const mid = Math.fround((r.int(0, 254) + 0.5) / 255);
      a[i] = r.pick([mid, nextUp(mid), nextDown(mid), nextUp(nextUp(mid)), nextDown(nextDown(mid))]);
    }
  }
  return a;
}

const cases: fc.Arbitrary<Case<PixelsShape>> = fc
  .record({ n: edgeSize(600, [1, 64]), seed: seedArb, dist: fc.constantFrom<Dist>('uniform', 'outside', 'near-half') })
  .map(({ n, seed, dist }) => ({ shape: { n }, inputs: { src: fill(n, seed, dist) } }));

const levels = (c: Case<PixelsShape>) => Array.from(c.inputs.src!, (e) => packNormLevels(e, 'unorm8'));

const family: Family<PixelsShape> = {
  name: 'pack_unorm',
  cases,
  reference: (c) => ({ dst: Float64Array.from(levels(c), ([lo, hi]) => (lo + hi) / 2) }),
  tolerance: (c) => ({ dst: Float64Array.from(levels(c), ([lo, hi]) => (hi - lo) / 2) }),
  covers: 'pack4x8unorm as WGSL allows it: the value inside its floor correctly rounded to f32 either way, then floored (harness/bounds/wgsl.ts packNormLevels)',
  properties: [],
};

export default family;
