// Outputs that are not finite fail the properties that compare outputs with each other or with a range, and the
// message must say what the output is: a new user read "y[0] = Infinity > y[0] = Infinity beyond the bounds" and
// "y[0] is Infinity for x but Infinity for x + 0" as contradictions, and "y[1] = NaN but the reference is 0" as a
// wrong reference (the 0 was a distance).
import { describe, expect, it } from 'vitest';
import type { Family, Property } from '../harness/spec.ts';
import sigmoidFamily from '../properties/sigmoid.properties.ts';
import logSoftmaxFamily from '../properties/log_softmax.properties.ts';
import softmaxFamily from '../properties/softmax.properties.ts';
import tanhFamily from '../properties/tanh.properties.ts';

const prop = (f: Family, name: string) => f.properties.find((p) => p.name === name)! as Property;

describe('messages on outputs that are not finite', () => {
  const d = { rows: 1, cols: 4, seed: 1, dist: 'normal', k: 0, permSeed: 3 };
  const inf = () => ({ y: Float32Array.of(Infinity, Infinity, Infinity, Infinity) });

  it("softmax's shift-invariant and permutation-equivariant say both runs hold the same infinity", () => {
    const shift = prop(softmaxFamily, 'shift-invariant').check(d, [inf(), inf()]);
    expect(shift.pass).toBe(false);
    expect(shift.message).toMatch(/^y\[0\] is Infinity for x and for x \+ 0 alike: softmax's outputs are finite, in \[0, 1\]/);
    const perm = prop(softmaxFamily, 'permutation-equivariant').check(d, [inf(), inf()]);
    expect(perm.pass).toBe(false);
    expect(perm.message).toMatch(/^y\(Px\)\[0\] and y\(x\) at the permuted position are both Infinity: softmax's outputs are finite/);
    // Different values keep the message of a difference.
    const differ = prop(softmaxFamily, 'shift-invariant').check(d, [inf(), { y: Float32Array.of(NaN, 0, 0, 0) }]);
    expect(differ.message).toMatch(/^y\[0\] is Infinity for x but NaN for x \+ 0$/);
  });

  it("softmax's argmax-preserved names the output that cannot be ordered, not the argmax against itself", () => {
    const v = prop(softmaxFamily, 'argmax-preserved').check(d, [inf()]);
    expect(v.pass).toBe(false);
    expect(v.message).toMatch(/^row 0: y\[\d\] = Infinity, which no output can be ordered against \(the largest input is x\[\d\] = /);
    const nan = prop(softmaxFamily, 'argmax-preserved').check(d, [{ y: Float32Array.of(0.25, NaN, 0.25, 0.25) }]);
    expect(nan.message).toMatch(/y\[1\] = NaN, which no output can be ordered against/);
  });

  it("sigmoid's in-unit-interval and tanh's in-range say a NaN output is NaN, and keep the distance otherwise", () => {
    const sd = { n: 3, seed: 1, dist: 'normal', scale: 0 };
    const nan = prop(sigmoidFamily, 'in-unit-interval').check(sd, [{ y: Float32Array.of(0.5, NaN, 0.5) }]);
    expect(nan.pass).toBe(false);
    expect(nan.message).toBe('y[1] is NaN where every output must be in [0, 1 + 2.5 ULP]');
    const above = prop(sigmoidFamily, 'in-unit-interval').check(sd, [{ y: Float32Array.of(0.5, 1.5, 0.5) }]);
    expect(above.message).toMatch(/; the output y\[1\] is 1\.5$/);
    const t = prop(tanhFamily, 'in-range').check(sd, [{ y: Float32Array.of(NaN, 0, 0) }]);
    expect(t.message).toBe('y[0] is NaN where every output must be in [−1 − 1e-5, 1 + 1e-5]');
    // Below the range too, and a pass is the comparison's verdict of all-zero distances (rangeVerdict's fast path).
    expect(prop(tanhFamily, 'in-range').check(sd, [{ y: Float32Array.of(-2, 0, 0) }]).message).toMatch(/^distance of \|ŷ\| beyond 1 \+ 1e-5: y\[0\] = 0\.99999 .*; the output y\[0\] is -2$/);
    expect(prop(sigmoidFamily, 'in-unit-interval').check(sd, [{ y: Float32Array.of(0, 1, -0) }])).toEqual({ pass: true, measure: { abs: 0, ulp: 0, boundRatio: 0 }, worst: { buffer: 'y', index: 0 } });
  });
});

describe("log_softmax's exp-sums-to-one", () => {
  it('names the row whose exps do not sum to 1, and places it at the row in y (a helper read "y[1]" as an element)', () => {
    const d = { rows: 2, cols: 2, seed: 1, dist: 'normal', k: 0, permSeed: 3 };
    // Row 0 right (log 1/2 twice), row 1 wrong (both log 1/4: its exps sum to 1/2).
    const v = prop(logSoftmaxFamily, 'exp-sums-to-one').check(d, [{ y: Float32Array.of(Math.log(0.5), Math.log(0.5), Math.log(0.25), Math.log(0.25)) }]);
    expect(v.pass).toBe(false);
    expect(v.message).toMatch(/^Σ_j exp\(ŷ\[row\]\[j\]\) of each row: row\[1\] = 0\.49999\d+ but the reference is 1 \(error 0\.5,/);
    expect(v.worst).toEqual({ buffer: 'y', index: 2 });
  });
});
