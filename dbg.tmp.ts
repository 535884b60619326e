import { compareArrays } from './harness/compare.ts';
import geluFamily from './properties/gelu.properties.ts';
import sigmoidFamily from './properties/sigmoid.properties.ts';
import tanhFamily from './properties/tanh.properties.ts';
import { fillF32, VALUE_DISTS } from './properties/values.ts';
const f = Math.fround;
const kern: Record<string, (v: number) => number> = {
  sigmoid: (v) => { const e = f(Math.exp(-Math.abs(v)) * (1 + 2e-7)); return v >= 0 ? f(1 / f(1 + e)) : f(e / f(1 + e)); },
  tanh: (v) => f(Math.tanh(v) * (1 + 1e-7)),
  gelu: (v) => { const t = f(Math.tanh(f(f(0.7978846) * f(v + f(f(f(0.044715 * v) * v) * v))))); return f(f(0.5 * v) * f(1 + t)); },
};
const cases: any[] = [];
for (const d of VALUE_DISTS) for (const s of [0, 2]) { const x = Float32Array.from(fillF32(9 + s, 50000, d), (v) => f(v * 2 ** s)); cases.push({ shape: { n: x.length }, inputs: { x } }); }
for (const fam of [geluFamily, sigmoidFamily, tanhFamily]) {
  const outs = cases.map((c) => Float32Array.from(c.inputs.x, kern[fam.name]!));
  const exps = cases.map((c) => fam.reference(c));
  const run = (lazy: boolean) => { const t0 = process.cpuUsage(); let r = 0;
    for (let k = 0; k < 3; k++) cases.forEach((c, j) => { const tol = lazy ? fam.lazyTolerance!(c, exps[j]).y! : fam.tolerance(c, exps[j]).y!; r += compareArrays(outs[j]!, exps[j].y!, tol).measure.boundRatio; });
    const u = process.cpuUsage(t0); return [(u.user + u.system) / 1000, r]; };
  for (let round = 0; round < 3; round++) console.log(fam.name, 'eager ms', run(false), 'lazy ms', run(true));
}
