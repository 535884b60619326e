// a + b·dt in WGSL f32, fused or not (WGSL allows FMA contraction): |ŷ − y| ≤ u·|b·dt|(1 + u) + u·|y| with
// u = 2^-23 (WGSL §15.7.4), plus 2^-126 for a flushed subnormal intermediate. mass is copied: exact.
import { edgeSize, fc, fillF32, MIN_NORMAL_F32, seedArb, U, type Case, type Family } from 'kernelscope/kit';
import { FIELDS, GRAVITY, type ParticleShape } from '../kernels/particles.kernel.ts';

const cases: fc.Arbitrary<Case<ParticleShape>> = fc
  .record({ n: edgeSize(500, [64]), seed: seedArb, dt: fc.constantFrom(Math.fround(0.01), 0.5, Math.fround(1 / 60)) })
  .map(({ n, seed, dt }) => ({ shape: { n, dt }, inputs: { src: fillF32(seed, n * FIELDS, 'normal') } }));

/** The exact step, and per element the magnitude of the product that is rounded before the sum. */
function step(c: Case<ParticleShape>): { y: Float64Array; product: Float64Array } {
  const src = c.inputs.src!;
  const dt = c.shape.dt;
  const gdt = GRAVITY.map((g) => Math.fround(g));
  const y = new Float64Array(src.length);
  const product = new Float64Array(src.length);
  for (let p = 0; p < c.shape.n; p++) {
    const o = p * FIELDS;
    for (let k = 0; k < 3; k++) {
      product[o + k] = Math.abs(src[o + 3 + k]! * dt);
      y[o + k] = src[o + k]! + src[o + 3 + k]! * dt;
      product[o + 3 + k] = Math.abs(gdt[k]! * dt);
      y[o + 3 + k] = src[o + 3 + k]! + gdt[k]! * dt;
    }
    y[o + 6] = src[o + 6]!;
  }
  return { y, product };
}

const family: Family<ParticleShape> = {
  name: 'particles',
  cases,
  reference: (c) => ({ dst: step(c).y }),
  tolerance: (c, e) => {
    const { product } = step(c);
    return { dst: e.dst!.map((v, i) => (i % FIELDS === 6 ? 0 : U * product[i]! * (1 + U) + U * Math.abs(v) + MIN_NORMAL_F32)) };
  },
  properties: [],
};

export default family;
