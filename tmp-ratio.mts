import * as fc from 'fast-check';
const W = '/work/wt/bounds';
const { sumBoundOf } = await import(`${W}/harness/bounds/gamma.ts`);
const rs = (await import(`${W}/properties/reduce_sum.properties.ts`)).default;
const sc = await import(`${W}/properties/scan.properties.ts`);
const ln = await import(`${W}/properties/layernorm.properties.ts`);
const sm = await import(`${W}/properties/softmax.properties.ts`);
const { softmax } = await import(`${W}/reference/softmax.ts`);

function stats(name: string, pairs: [number, number][]) {
  const r = pairs.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && b > 0).map(([a, b]) => a / b).sort((x, y) => x - y);
  const q = (p: number) => r[Math.min(r.length - 1, Math.floor(p * r.length))]!;
  console.log(`${name}: ${r.length} elements, new/old bound ratio median ${q(0.5).toPrecision(3)}, p10 ${q(0.1).toPrecision(3)}, p90 ${q(0.9).toPrecision(3)}, max ${r[r.length - 1]!.toPrecision(3)}`);
}
const N = Number(process.env.N ?? 40);
await (async () => {
  const pairs: [number, number][] = [];
  for (const c of fc.sample(rs.cases, { seed: 5, numRuns: N })) pairs.push([sumBoundOf(c.inputs.x), sumBoundOf(c.inputs.x, 'tree')]);
  stats('reduce_sum (γ_{n−1} vs γ_⌈log2 n⌉)', pairs);
})();
await (async () => {
  const pairs: [number, number][] = [];
  for (const c of fc.sample(sc.default.cases, { seed: 5, numRuns: N })) {
    if (c.shape.op !== 'add') continue;
    const a = sc.scanTolerance(c).y, b = sc.hillisSteeleTolerance(c).y;
    for (let i = 0; i < a.length; i += Math.max(1, Math.floor(a.length / 200))) pairs.push([a[i], b[i]]);
  }
  stats('scan (γ_i vs γ_{8L+L−1})', pairs);
})();
await (async () => {
  const pairs: [number, number][] = [];
  for (const c of fc.sample(ln.default.cases, { seed: 5, numRuns: N })) {
    const { rows, cols, eps } = c.shape;
    const a = ln.layernormTolerance(c.inputs.x, rows, cols, eps), b = ln.layernormTolerance(c.inputs.x, rows, cols, eps, 'shift-first');
    for (let i = 0; i < a.length; i += Math.max(1, Math.floor(a.length / 200))) pairs.push([a[i], b[i]]);
  }
  stats('layernorm (any vs shift-first)', pairs);
})();
await (async () => {
  const pd: [number, number][] = [], pe: [number, number][] = [];
  for (const c of fc.sample(sm.default.cases, { seed: 5, numRuns: N })) {
    const { rows, cols } = c.shape;
    const y = softmax(c.inputs.x, rows, cols);
    const a = sm.softmaxTolerance(c.inputs.x, y, rows, cols, 0, 'any');
    const d = sm.softmaxTolerance(c.inputs.x, y, rows, cols, 0, 'direct');
    const o = sm.softmaxTolerance(c.inputs.x, y, rows, cols, 0, 'online');
    for (let i = 0; i < a.length; i += Math.max(1, Math.floor(a.length / 200))) { pd.push([a[i], d[i]]); pe.push([a[i], Math.max(d[i], o[i])]); }
  }
  stats('softmax (any vs direct, the softmax kernel\'s own)', pd);
  stats('softmax (any vs the old max(direct, online lanes))', pe);
})();
