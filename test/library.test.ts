// The kernel library's references, derived bounds and spec/WGSL agreement, checked on the CPU. The bounds are
// exercised against f32 simulations of each kernel's own order of operations (Math.fround after every step): a bound
// that a faithful simulation breaks is wrong, and one the simulation uses only a sliver of is suspiciously loose.
import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumBoundOf } from '../harness/bounds/gamma.ts';
import { validateProgram, type KernelProgram } from '../harness/run/program.ts';
import type { Family, KernelSpec } from '../harness/spec.ts';
import { gelu, geluInner } from '../reference/gelu.ts';
import { histogram } from '../reference/histogram.ts';
import { layernorm } from '../reference/layernorm.ts';
import { max, sum } from '../reference/reduce.ts';
import { composeAffine, inclusiveAffine, inclusiveSum } from '../reference/scan.ts';
import { transpose } from '../reference/transpose.ts';
import { geluBound } from '../properties/gelu.properties.ts';
import { layernormTolerance } from '../properties/layernorm-bound.ts';
import { EPS } from '../properties/layernorm.properties.ts';
import { fillF32, rng } from '../properties/values.ts';
import { tanhBoundFast } from '../properties/tanh-bound.ts';
import { tanhBound } from '../harness/bounds/wgsl.ts';

const f = Math.fround;
const KERNELS = ['matmul_tiled', 'reduce_sum', 'reduce_max', 'scan', 'transpose', 'layernorm', 'softmax_online', 'histogram', 'gelu', 'tanh', 'sigmoid', 'log_softmax'];

describe('references on hand-computed examples', () => {
  it('sum and max', () => {
    expect(sum([1, 2, 3.5])).toBe(6.5);
    expect(max([-3, -1, -2])).toBe(-1);
  });
  it('inclusive sum', () => {
    expect([...inclusiveSum([1, 2, 3, -4])]).toEqual([1, 3, 6, 2]);
  });
  it('affine composition applies the earlier map first and does not commute', () => {
    // f0(v) = 2v + 1, f1(v) = v + 3: f1(f0(v)) = 2v + 4; f0(f1(v)) = 2v + 7.
    expect(composeAffine([2, 1], [1, 3])).toEqual([2, 4]);
    expect(composeAffine([1, 3], [2, 1])).toEqual([2, 7]);
    expect([...inclusiveAffine([2, 1, 1, 3, -1, 0])]).toEqual([2, 1, 2, 4, -2, -4]);
  });
  it('transpose', () => {
    expect([...transpose([1, 2, 3, 4, 5, 6], 2, 3)]).toEqual([1, 4, 2, 5, 3, 6]);
  });
  it('layernorm of [1, 2, 3] with eps 0', () => {
    const s = Math.sqrt(1.5);
    const y = layernorm([1, 2, 3], 1, 3, 0);
    expect(y[0]).toBeCloseTo(-s, 14);
    expect(y[1]).toBe(0);
    expect(y[2]).toBeCloseTo(s, 14);
  });
  it('histogram\'s contended-flush properties say a lost update where a count is short, not where one is over', async () => {
    const fam = (await import('../properties/histogram.properties.ts')).default;
    const prop = fam.properties.find((p) => p.name === 'contended-flush-few')!;
    const d = { n: 512, bins: 3, seed: 7 };
    const [run] = prop.runs(d);
    const right = histogram(run!.inputs.keys!, 3);
    const short = Uint32Array.from(right, (v, i) => (i === 1 ? v - 1 : v));
    const over = Uint32Array.from(right, (v, i) => (i === 1 ? v + 1 : v));
    expect(prop.check(d, [{ counts: Uint32Array.from(right) }]).pass).toBe(true);
    // One run cannot tell a lost update from a count never made: both are said, and no claim about other runs.
    expect(prop.check(d, [{ counts: short }]).message).toMatch(/^run 1 of 1: .*counts\[1\] = \d+ .*: an update lost \(a flush of an atomicLoad then an atomicStore where one atomicAdd belongs\), or counts the kernel never makes/);
    expect(prop.check(d, [{ counts: short }]).message).not.toMatch(/every run|all 1 runs/);
    expect(prop.check(d, [{ counts: over }]).message).not.toMatch(/update (was )?lost/);
    // Short the same way on every run (trial 44's kernel that never counted the top bin): a count never made first.
    const twice = prop.check(d, [{ counts: short }, { counts: short.slice() }]).message;
    expect(twice).toMatch(/^run 1 of 2: .*; counts short the same way on all 2 runs, which an update lost under contention seldom is: look first for counts the kernel never makes/);
    expect(twice).not.toMatch(/update was lost/);
    expect(prop.check(d, [{ counts: short }, { counts: Uint32Array.from(right, (v, i) => (i === 1 ? v - 2 : v)) }]).message).toMatch(/not the same on every run: an update was lost/);
  });

  it('histogram bins keys mod bins', () => {
    expect([...histogram([0, 1, 5, 4, 4294967295], 4)]).toEqual([2, 2, 0, 1]);
  });
  it('gelu at 0, 1 and −1', () => {
    const g1 = 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715));
    expect([...gelu([0, 1, -1])]).toEqual([0, g1, -(1 - g1)]);
    expect(g1).toBeCloseTo(0.841192, 6);
  });
});

describe('specs agree with their WGSL', () => {
  for (const name of KERNELS) {
    it(name, async () => {
      const spec = (await import(`../kernels/${name}.kernel.ts`)).default as KernelSpec;
      const familyName = spec.family ?? spec.name;
      let family: Family | undefined;
      try {
        family = (await import(`../properties/${familyName}.properties.ts`)).default as Family;
      } catch {
        // matmul and softmax families belong to another file owner and may not exist yet
      }
      const sources: Record<string, string> = {};
      const shapes: unknown[] = family ? fc.sample(family.cases, { seed: 7, numRuns: 20 }).map((c) => c.shape) : [];
      shapes.push(...fallbackShapes(name));
      for (const shape of shapes) {
        for (const s of spec.stages(shape)) sources[s.wgsl] ??= readFileSync(new URL(`../kernels/${s.wgsl}`, import.meta.url), 'utf8');
        const program: KernelProgram = { spec, sources, origins: {} };
        validateProgram(program, shape);
      }
    });
  }
});

function fallbackShapes(name: string): unknown[] {
  if (name === 'matmul_tiled') return [{ M: 17, N: 33, K: 15 }];
  if (name === 'softmax_online') return [{ rows: 3, cols: 300 }];
  if (name === 'scan') return [{ n: 256 ** 2 + 1, op: 'add' }, { n: 256 ** 3, op: 'affine' }];
  if (name.startsWith('reduce')) return [{ n: 2 ** 24 }];
  return [];
}

describe('reduce chains', () => {
  it('reduce_sum passes shrink 512-fold and end in out', async () => {
    const { reducePasses } = await import('../kernels/reduce_sum.kernel.ts');
    const passes = reducePasses('reduce_sum.wgsl', 2 ** 24);
    expect(passes.map((p) => [p.bind.src, p.bind.dst, (p.bind.params as { uniform: { n: number } }).uniform.n]))
      .toEqual([['x', 'p0', 2 ** 24], ['p0', 'p1', 2 ** 15], ['p1', 'out', 64]]);
    expect(reducePasses('reduce_sum.wgsl', 1).length).toBe(1);
  });
});

/** reduce_sum.wgsl's arithmetic in f32: pairs (i, i + 256) then strides 128..1 per 512-block, passes chained. */
function simulateTreeSum(x: Float32Array): number {
  let data = Array.from(x);
  for (;;) {
    const blocks = Math.ceil(data.length / 512);
    const next: number[] = [];
    for (let w = 0; w < blocks; w++) {
      const t = new Array<number>(256);
      for (let l = 0; l < 256; l++) {
        const i = w * 512 + l;
        let v = i < data.length ? data[i]! : 0;
        if (i + 256 < data.length) v = f(v + data[i + 256]!);
        t[l] = v;
      }
      for (let s = 128; s > 0; s >>= 1) for (let l = 0; l < s; l++) t[l] = f(t[l]! + t[l + s]!);
      next.push(t[0]!);
    }
    if (blocks === 1) return next[0]!;
    data = next;
  }
}

describe('derived bounds hold for f32 simulations of the kernels', () => {
  it('reduce_sum: γ_⌈log2 n⌉ Σ|x| bounds the kernel\'s tree, and integer sums are exact', () => {
    let worst = 0;
    for (const [n, seed] of [[1, 1], [513, 2], [1000, 3], [262145, 4], [70000, 5]] as const) {
      const x = fillF32(seed, n, 'uniform');
      // Same-sign values make rounding errors pile up in one direction.
      for (let i = 0; i < n; i++) x[i] = Math.abs(x[i]!);
      const err = Math.abs(simulateTreeSum(x) - sum(x));
      const bound = sumBoundOf(x, 'tree');
      expect(err).toBeLessThanOrEqual(bound);
      if (bound > 0) worst = Math.max(worst, err / bound);
    }
    expect(worst).toBeGreaterThan(0);
    const r = rng(9);
    const ints = Float32Array.from({ length: 100_000 }, () => r.int(-160, 160));
    expect(simulateTreeSum(ints)).toBe(sum(ints));
  });

  it('layernorm: the interval bound covers a simulation in the kernel\'s order, with shift, and constant rows give 0', () => {
    const sim = (x: Float32Array, cols: number, eps: number) => {
      const y = new Float32Array(cols);
      const K = x[0]!;
      const tree = (vals: number[]) => {
        const t = vals.slice();
        while (t.length < 256) t.push(0);
        for (let s = 128; s > 0; s >>= 1) for (let l = 0; l < s; l++) t[l] = f(t[l]! + t[l + s]!);
        return t[0]!;
      };
      const part = (g: (j: number) => number) => {
        const p: number[] = [];
        for (let l = 0; l < 256; l++) {
          let s = 0;
          for (let j = l; j < cols; j += 256) s = f(s + g(j));
          p.push(s);
        }
        return tree(p);
      };
      const mean = f(part((j) => f(x[j]! - K)) / cols);
      const q = part((j) => {
        const d = f(f(x[j]! - K) - mean);
        return f(d * d);
      });
      const r = f(1 / Math.sqrt(f(f(q / cols) + eps)));
      for (let j = 0; j < cols; j++) y[j] = f(f(f(x[j]! - K) - mean) * r);
      return y;
    };
    let worst = 0;
    for (const [cols, seed, offset] of [[1, 1, 0], [3, 2, 0], [255, 3, 1000], [257, 4, 0], [4096, 5, 1000], [1000, 6, 1e6]] as const) {
      const x = fillF32(seed, cols, 'normal').map((v) => f(v + offset));
      const y = sim(x, cols, EPS);
      const ref = layernorm(x, 1, cols, EPS);
      const tol = layernormTolerance(x, 1, cols, EPS, 'shift-first');
      for (let j = 0; j < cols; j++) {
        expect(Math.abs(y[j]! - ref[j]!)).toBeLessThanOrEqual(tol[j]!);
        if (tol[j]! > 0) worst = Math.max(worst, Math.abs(y[j]! - ref[j]!) / tol[j]!);
      }
    }
    expect(worst).toBeGreaterThan(0);
    const constant = new Float32Array(37).fill(f(0.1));
    expect([...sim(constant, 37, EPS)].every((v) => v === 0)).toBe(true);
  });

  it('the default bounds cover implementations in other orders: a sequential sum, a layernorm without shift', () => {
    let worstSum = 0;
    for (const [n, seed] of [[2, 1], [513, 2], [70000, 3]] as const) {
      const x = fillF32(seed, n, 'uniform').map(Math.abs);
      let s = 0;
      for (let i = 0; i < n; i++) s = f(s + x[i]!);
      const err = Math.abs(s - sum(x));
      expect(err).toBeLessThanOrEqual(sumBoundOf(x));
      worstSum = Math.max(worstSum, err / sumBoundOf(x));
    }
    expect(worstSum).toBeGreaterThan(0);
    for (const [cols, seed, offset] of [[3, 2, 0], [257, 4, 0], [4096, 5, 1000], [1000, 6, 1e6]] as const) {
      const x = fillF32(seed, cols, 'normal').map((v) => f(v + offset));
      let s = 0;
      for (let j = 0; j < cols; j++) s = f(s + x[j]!);
      const mean = f(s / cols);
      let q = 0;
      for (let j = 0; j < cols; j++) q = f(q + f(f(x[j]! - mean) ** 2));
      const sd = f(Math.sqrt(f(f(q / cols) + EPS)));
      const ref = layernorm(x, 1, cols, EPS);
      const tol = layernormTolerance(x, 1, cols, EPS);
      for (let j = 0; j < cols; j++) expect(Math.abs(f(f(x[j]! - mean) / sd) - ref[j]!)).toBeLessThanOrEqual(tol[j]!);
    }
  });

  it('gelu: the propagated bound covers an f32 evaluation and is finite where tanh has a bound', () => {
    const K = f(Math.sqrt(2 / Math.PI));
    const C = f(0.044715);
    for (let i = -2000; i <= 2000; i++) {
      const x = f(i / 200);
      const inner = f(K * f(x + f(f(f(C * x) * x) * x)));
      const y = f(f(0.5 * x) * f(1 + f(Math.tanh(inner))));
      const bound = geluBound(x);
      expect(Number.isFinite(bound)).toBe(true);
      expect(Math.abs(y - gelu([x])[0]!)).toBeLessThanOrEqual(bound);
    }
    // Past |inner| ≈ 88.7 exp overflows and WGSL gives tanh no finite bound.
    expect(geluInner(14)).toBeGreaterThan(89);
    expect(geluBound(14)).toBe(Infinity);
  });
});

describe('the closed-form tanh bound', () => {
  // tanhBoundFast replaces the literal interval evaluation of WGSL's inherited tanh rule in the gelu tolerance: it
  // must never be below it (that would be a false alarm waiting to happen) and should be barely above it.
  it('is never below tanhBound, and within 6% above it, over |x| ≤ 90 and at every power of two', () => {
    const xs: number[] = [];
    for (let a = 0; a < 90; a += 0.0137) xs.push(a, -a);
    for (let p = -30; p < 7; p++) for (const d of [-1e-12, 0, 1e-12]) xs.push(2 ** p * (1 + d));
    for (let k = 1; k < 128; k++) for (const d of [-1e-9, 0, 1e-9]) xs.push(k * Math.LN2 + d);
    let worst = 0;
    for (const x of xs) {
      const slow = tanhBound(x);
      const fast = tanhBoundFast(x);
      if (!Number.isFinite(slow)) {
        expect(fast, `x = ${x}`).toBe(Infinity);
        continue;
      }
      expect(fast, `x = ${x}`).toBeGreaterThanOrEqual(slow);
      worst = Math.max(worst, fast / slow);
    }
    expect(worst).toBeLessThan(1.06);
  });
  it('is Infinity for NaN and where exp overflows', () => {
    expect(tanhBoundFast(NaN)).toBe(Infinity);
    expect(tanhBoundFast(89)).toBe(Infinity);
    expect(tanhBoundFast(-1e30)).toBe(Infinity);
  });
});

describe('one-draw full-size properties', () => {
  it('do not shrink: each candidate would be another full-size dispatch, and a smaller seed is no smaller case', async () => {
    const { loadKernels } = await import('../harness/run/registry.ts');
    const oneDraw: string[] = [];
    for (const k of (await loadKernels()).values()) {
      for (const p of k.properties.filter((q) => (q.runsScale ?? 1) <= 0.01)) {
        oneDraw.push(`${k.program.spec.name}/${p.name}`);
        const r = fc.check(fc.property(p.arbitrary, () => false), { numRuns: 1, seed: 1 });
        expect(r.numShrinks, `${k.program.spec.name}/${p.name}`).toBe(0);
      }
    }
    expect(oneDraw).toContain('reduce_sum/full-size-exact');
    expect(oneDraw).toContain('scan/full-size-exact');
  });
});
