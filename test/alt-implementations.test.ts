// Other correct implementations of the library's families, written in another order (test/alt-implementations/*.wgsl,
// each headed `// implements: KERNEL`), must pass every property of their family through the `--wgsl NAME=FILE` path
// (registry.withWgsl), over many seeds: a family's default bound holds for any correct implementation, not only for
// the library kernel's own algorithm. The properties that assume the library kernel's algorithm are dropped by that
// path (each names what it assumes), and checked here to be. The one-draw full-size properties are left out (they
// time a 2^22-element dispatch, not a bound), and the interpreter's race and bounds checks run for the first seed only
// (they judge the WGSL's accesses, not a bound, and cost most of the time: 20 seeds took 20 minutes on two loaded
// cores with them on every seed).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../harness/engines/engine.ts';
import { openDawn } from '../harness/engines/dawn.ts';
import { runProperty } from '../harness/run/property-runner.ts';
import { loadKernels, withWgsl } from '../harness/run/registry.ts';
import { isTraceProperty } from '../harness/run/trace-properties.ts';

const ROOT = join(import.meta.dirname, '..');
const DIR = join(ROOT, 'test', 'alt-implementations');
const SEEDS = Number(process.env.ALT_SEEDS ?? 20);
const RUNS = Number(process.env.ALT_RUNS ?? 3);

const corpus = readdirSync(DIR).filter((f) => f.endsWith('.wgsl')).sort().map((file) => {
  const kernel = readFileSync(join(DIR, file), 'utf8').match(/^\/\/ implements: (\S+)$/m)?.[1];
  if (!kernel) throw new Error(`${file}: the header needs '// implements: KERNEL'`);
  return { file, kernel };
});

let engine: Engine;
beforeAll(async () => {
  engine = await openDawn();
}, 120_000);
afterAll(async () => {
  await engine?.close();
});

describe.each(corpus)('$file', ({ file, kernel }) => {
  it(`passes every ${kernel} property over ${SEEDS} seeds`, async () => {
    const loaded = (await loadKernels(ROOT, [kernel])).get(kernel)!;
    const alt = withWgsl(loaded, join(DIR, file));
    expect(alt.properties.filter((p) => p.assumes)).toEqual([]);
    const props = alt.properties.filter((p) => (p.runsScale ?? 1) >= 0.1);
    const bad: string[] = [];
    for (let s = 0; s < SEEDS; s++) {
      const seed = 1000 + 7919 * s;
      for (const p of props) {
        if (s > 0 && isTraceProperty(p)) continue;
        const r = await runProperty(engine, alt, p, { seed, runs: RUNS });
        if (r.status !== 'pass' && r.status !== 'skip') bad.push(`seed ${seed} ${p.name}: ${r.status} ${r.error ?? ''}`);
      }
    }
    expect(bad).toEqual([]);
  }, 1_800_000);
});
