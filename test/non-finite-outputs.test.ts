// A kernel's output is never the harness's error: NaN or ±Infinity in any float output gives every property of every
// library kernel a verdict, not an exception. A check whose allowance is computed from the kernel's output (the f64
// rounding of a sum of outputs) made its bound NaN from a NaN output, an error in place of a fail, and infinite from an
// infinite one, a pass: gelu's odd-part, softmax's sums-to-one and log_softmax's exp-sums-to-one all had that shape.
// Then what a failing check says on such spoiled outputs, where a new user found it unhelpful.
import * as fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKernels, type LoadedKernel } from '../harness/run/registry.ts';
import { isTraceProperty } from '../harness/run/trace-properties.ts';
import type { Case, Property, RunOutput } from '../harness/spec.ts';
import { finiteOutputs } from '../properties/verdict.ts';

let kernels: Map<string, LoadedKernel>;
beforeAll(async () => {
  kernels = await loadKernels();
});

/** What a correct kernel returns for the property's runs of a draw: the reference rounded to each buffer's type, the
 *  inputs as given, scratch zeroed. */
function correctOutputs(k: LoadedKernel, runs: Case[]): RunOutput[] {
  return runs.map((c) => {
    const ref = k.family.reference(c);
    const out: RunOutput = {};
    for (const [name, b] of Object.entries(k.program.spec.buffers)) {
      const T = b.type === 'u32' ? Uint32Array : b.type === 'i32' ? Int32Array : Float32Array;
      const from = ref[name] ?? c.inputs[name];
      out[name] = from ? T.from(from as ArrayLike<number>) : new T(b.length(c.shape));
    }
    return out;
  });
}

/** The outputs with `bad` in the middle element of every f32 output of every run. */
function spoiled(k: LoadedKernel, outs: RunOutput[], bad: number): RunOutput[] {
  return outs.map((o) => Object.fromEntries(Object.entries(o).map(([name, a]) => {
    const role = k.program.spec.buffers[name]!.role;
    const copy = a.slice();
    if ((role === 'output' || role === 'inout') && copy instanceof Float32Array && copy.length) copy[copy.length >> 1] = bad;
    return [name, copy];
  })));
}

// The MNIST property's check reads only each digit's argmax (comparisons, which a NaN never wins), and its reference
// over 10,000 digits costs about 15 s a call here: left out for time.
const SLOW = new Set(['classifies-mnist-test-set']);

describe('a NaN or infinite output is a verdict, never an error', () => {
  it('every property of every library kernel, on a drawn case', () => {
    const threw: string[] = [];
    let checked = 0;
    for (const [name, k] of kernels) {
      for (const p of k.properties as Property<unknown, unknown>[]) {
        if (isTraceProperty(p as Property) || SLOW.has(p.name)) continue;
        const [draw] = fc.sample(p.arbitrary, { seed: 7, numRuns: 1 });
        const outs = correctOutputs(k, p.runs(draw) as Case[]);
        for (const bad of [NaN, Infinity, -Infinity]) {
          try {
            p.check(draw, spoiled(k, outs, bad));
          } catch (e) {
            threw.push(`${name}/${p.name} with ${bad}: ${(e as Error).message.split('\n')[0]}`);
          }
          checked++;
        }
      }
    }
    expect(threw).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  }, 300_000);

  // Where every element is bounded (normal logits and inputs), a NaN or infinite output must fail these sums.
  it.each([
    ['softmax', 'sums-to-one', { dist: 'normal' }],
    ['log_softmax', 'exp-sums-to-one', { dist: 'normal' }],
    ['gelu', 'odd-part-is-identity', { dist: 'normal', scale: 0 }],
  ])('%s %s fails on NaN and on ±Infinity', (kernel, property, bounded) => {
    const k = kernels.get(kernel)!;
    const p = k.properties.find((q) => q.name === property)! as Property<unknown, unknown>;
    const [drawn] = fc.sample(p.arbitrary, { seed: 3, numRuns: 1 });
    const draw = { ...(drawn as object), ...bounded };
    const outs = correctOutputs(k, p.runs(draw) as Case[]);
    expect(p.check(draw, outs).pass).toBe(true);
    for (const bad of [NaN, Infinity, -Infinity]) expect([bad, p.check(draw, spoiled(k, outs, bad)).pass]).toEqual([bad, false]);
  });
});

// A new user's unclamped built-in tanh failed finite-outputs (SwiftShader's tanh is NaN at x = −2.5e7) with no word on
// what to change: the failure now says to clamp the argument, as the library's kernel does.
it.each([
  ['tanh', /clamp the argument first, as kernels\/tanh\.wgsl does/],
  ['gelu', /clamp x before the cube, as kernels\/gelu\.wgsl does/],
])('%s finite-outputs tells a failing kernel to clamp its argument', (name, advice) => {
  const k = kernels.get(name)!;
  const p = k.properties.find((q) => q.name === 'finite-outputs')! as Property<unknown, unknown>;
  const draw = { n: 64, seed: 5, dist: 'huge', scale: 0 };
  const outs = correctOutputs(k, p.runs(draw) as Case[]);
  expect(p.check(draw, outs).pass).toBe(true);
  const v = p.check(draw, spoiled(k, outs, NaN));
  expect(v.pass).toBe(false);
  expect(v.message).toMatch(/= NaN where the exact result .* is finite .*: /);
  expect(v.message).toMatch(advice);
  // At small inputs the clamp explains nothing (a trial's gelu that dropped its tail was told to clamp at x = 1.26).
  const small = { ...draw, dist: 'normal' };
  const plain = p.check(small, spoiled(k, correctOutputs(k, p.runs(small) as Case[]), NaN));
  expect(plain.pass).toBe(false);
  expect(plain.message).toMatch(/= NaN where the exact result .* is finite \(x\[\d+\] = [^)]*\)$/);
});

// finite-outputs computes its reference only where an output is not finite (a pass otherwise: nothing can fail); there
// the exact result decides: beyond the f32 range (log_softmax of logits ±3e38 is −6e38) an infinite output is right.
it('finite-outputs takes the reference where an output is not finite, and only there', () => {
  let references = 0;
  const p = finiteOutputs(fc.constant(0), () => [{ shape: 0, inputs: { x: Float32Array.of(1, 2) } }], () => {
    references++;
    return { y: Float64Array.of(0.5, -6e38) };
  }, 'thing');
  expect(p.check(0, [{ y: Float32Array.of(0.5, -3e38) }])).toEqual({ pass: true, notes: { finiteElementsChecked: 2 } });
  expect(references).toBe(0);
  expect(p.check(0, [{ y: Float32Array.of(0.5, -Infinity) }])).toEqual({ pass: true, notes: { finiteElementsChecked: 1 } });
  const v = p.check(0, [{ y: Float32Array.of(NaN, -Infinity) }]);
  expect([v.pass, v.message]).toEqual([false, 'y[0] = NaN where the exact result 0.5 is finite (x[0] = 1)']);
  expect(references).toBe(2);
  // Where matches-reference bounds nothing (an intermediate may overflow), the failure says WGSL allows the value and
  // that the property asks more (trial 74 B1); where it bounds the element, nothing more is said.
  const told = (tol: number) => finiteOutputs(fc.constant(0), () => [{ shape: 0, inputs: { x: Float32Array.of(1) } }], () => ({ y: Float64Array.of(-1) }), 'thing', undefined, () => ({ y: [tol] }))
    .check(0, [{ y: Float32Array.of(NaN) }]).message;
  expect(told(Infinity)).toMatch(/^y\[0\] = NaN where the exact result -1 is finite \(x\[0\] = 1\); an intermediate may overflow f32 there, where WGSL makes the result indeterminate/);
  expect(told(1e-6)).toBe('y[0] = NaN where the exact result -1 is finite (x[0] = 1)');
});

// A new user's one-pass layernorm failed with "y[1] = 0.63 but the reference is 1.0": index 1 of the (mean, mean
// square) pairs, which named another element of y. Now the row and the statistic, and the worst element in y is the row's.
it("layernorm mean-zero-variance-one names the row and the statistic, and points at the row's first element", () => {
  const k = kernels.get('layernorm')!;
  const p = k.properties.find((q) => q.name === 'mean-zero-variance-one')! as Property<unknown, unknown>;
  const [drawn] = fc.sample(p.arbitrary, { seed: 3, numRuns: 1 });
  const draw = { ...(drawn as object), rows: 3, cols: 8, rowKind: 'plain', dist: 'normal', scale: 0 };
  const outs = correctOutputs(k, p.runs(draw) as Case[]);
  expect(p.check(draw, outs).pass).toBe(true);
  const y = outs[0]!.y as Float32Array;
  for (let j = 16; j < 24; j++) y[j] = y[j]! * 0.5; // row 2's deviations halved: its mean square a quarter
  const v = p.check(draw, outs);
  expect(v.message).toMatch(/^per-row mean and mean square of the output: row 2's mean square = [\d.]+ but the reference is [\d.]+ /);
  expect(v.worst).toEqual({ buffer: 'y', index: 16 });
});

// Trial 162 B1: on a 'far' row (values past 1.8e19, a finite bound), a NaN from ∞ · 0 got no cause in finite-outputs
// and in-range; both now say what squares past f32's range, and what usually makes the NaN.
it("layernorm on a row past 1.8e19: finite-outputs and in-range name the square that overflows", () => {
  const k = kernels.get('layernorm')!;
  const draw = { rows: 1, cols: 4, eps: Math.fround(1e-5), seed: 3, dist: 'normal', rowKind: 'far', scale: 0 };
  for (const name of ['finite-outputs', 'in-range']) {
    const p = k.properties.find((q) => q.name === name)! as Property<unknown, unknown>;
    const outs = correctOutputs(k, p.runs(draw) as Case[]);
    expect(p.check(draw, outs).pass, name).toBe(true);
    (outs[0]!.y as Float32Array)[1] = NaN;
    expect(p.check(draw, outs).message, name).toMatch(/this row holds values past 1\.8e19, whose squares pass f32's largest value: .*∞ · 0.*a merge with an empty partner squares a mean$/);
  }
});
