// Mutation testing: mutants made from wgsl_reflect's AST, judged by the kernel's own properties on real Dawn, reported
// as mutation-testing-report-schema JSON (validated against the schema) and mutation-testing-elements' page.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { main } from '../harness/cli/main.ts';
import { spawn, spawnSync } from 'node:child_process';
import { kernelMutants, mutateCommand } from '../harness/cli/mutate.ts';
import type { Engine } from '../harness/engines/engine.ts';
import { openEngine } from '../harness/engines/open.ts';
import type { WatchedEngine } from '../harness/engines/watchdog.ts';
import { DeviceError } from '../harness/gpu/batch.ts';
import { wgslMutants, type Mutant } from '../harness/mutate/operators.ts';
import { specMutants } from '../harness/mutate/spec-mutants.ts';
import { parseWgsl } from '../harness/mutate/parse.ts';
import { loadEquivalents, markEquivalents } from '../harness/mutate/equivalent.ts';
import { mutationReport } from '../harness/mutate/report.ts';
import { hashOutputs, mutatedProgram, mutationScore, runBaseline, runMutants, stages, type MutantResult } from '../harness/mutate/run.ts';
import { loadKernels } from '../harness/run/registry.ts';
import { propertiesOf } from '../harness/run/universal.ts';
import { withStderr } from './capture-stderr.ts';

const ROOT = resolve(import.meta.dirname, '..');
const wgsl = (name: string) => readFileSync(join(ROOT, 'kernels', name), 'utf8');
const require = createRequire(import.meta.url);
const schema = z.fromJSONSchema(JSON.parse(readFileSync(require.resolve('mutation-testing-report-schema/mutation-testing-report-schema.json'), 'utf8')));
const tmp = () => mkdtempSync(join(tmpdir(), 'ks-mutate-'));
const find = (ms: Mutant[], operator: string, original: string, replacement?: string) =>
  ms.filter((m) => m.operator === operator && m.original === original && (replacement === undefined || m.replacement === replacement));

describe('mutation operators', () => {
  it('places every mutant at the text it replaces, with 1-based line and column', () => {
    for (const file of ['add.wgsl', 'softmax.wgsl', 'matmul.wgsl', 'histogram.wgsl', 'layernorm.wgsl']) {
      const source = wgsl(file);
      const ms = wgslMutants(file, source, ['main']);
      expect(ms.length).toBeGreaterThan(5);
      for (const m of ms) {
        expect(source.slice(m.start, m.end)).toBe(m.original);
        const lines = source.split('\n');
        expect(lines[m.location.start.line - 1]!.slice(m.location.start.column - 1)).toBe(source.slice(m.start).split('\n')[0]);
      }
    }
  });

  it('swaps the terms of a strided index and the axes of a builtin id (matmul)', () => {
    const ms = wgslMutants('matmul.wgsl', wgsl('matmul.wgsl'), ['main']);
    expect(find(ms, 'IndexTermSwap', 'row * params.K + k', '(k) * params.K + (row)')).toHaveLength(1);
    expect(find(ms, 'IndexTermSwap', 'row * params.N + col', '(col) * params.N + (row)')).toHaveLength(1);
    expect(find(ms, 'BuiltinAxisSwap', 'x', 'y')).toHaveLength(1);
    expect(find(ms, 'BuiltinAxisSwap', 'y', 'x')).toHaveLength(1);
    expect(find(ms, 'AccumulationForget', '+=', '=')).toHaveLength(1);
    const sizes = ms.filter((m) => m.operator === 'WorkgroupSizeChange');
    expect(sizes.map((m) => m.replacement).sort()).toEqual(['16', '16', '4', '4']);
    expect(sizes.every((m) => m.pinWorkgroupSize)).toBe(true);
  });

  it("mutates an override workgroup size from the value the spec's constants give it, not the WGSL's default", () => {
    const source = `override WG: u32 = 64u;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(WG) fn main(@builtin(global_invocation_id) g: vec3u) {
  y[g.x] = 1.0;
}`;
    const sizes = (constants?: Record<string, Record<string, number>>) =>
      wgslMutants('o.wgsl', source, ['main'], constants).filter((m) => m.operator === 'WorkgroupSizeChange');
    expect(sizes({ main: { WG: 32 } }).map((m) => [m.replacement, m.description])).toEqual([
      ['16', "workgroup size x WG (32 with the spec's constants) became 16, dispatched as before"],
      ['64', "workgroup size x WG (32 with the spec's constants) became 64, dispatched as before"],
    ]);
    expect(sizes().map((m) => m.replacement)).toEqual(['32', '128']);
  });

  it('replaces a whole right-hand side that ends in parentheses (wgsl_reflect keeps no node for them)', () => {
    const source = `@group(0) @binding(0) var<storage, read> b: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
  let j = g.x;
  if (j < arrayLength(&y)) {
    y[j] = 2.0 * (b[j] + (1.0 - b[j]));
  }
}`;
    const ms = wgslMutants('paren.wgsl', source, ['main']);
    const zero = ms.filter((m) => m.operator === 'ZeroOutput');
    expect(zero.map((m) => m.original)).toContain('2.0 * (b[j] + (1.0 - b[j]))');
    for (const m of ms) {
      const t = m.original;
      expect([...t].filter((c) => c === '(').length, `${m.operator}: ${t}`).toBe([...t].filter((c) => c === ')').length);
    }
  });

  // Trial 52: `(*p)[lid]`'s span ended at `p`, so the accumulation's mutant cut it there ("became *p = *p") and did not
  // compile, and the mutant meant was never tried.
  it('takes in a postfix after parentheses: (*p)[lid] and (a + b).x are whole', () => {
    const source = `var<workgroup> sh: array<f32, 64>;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
fn tree(p: ptr<workgroup, array<f32, 64>>, lid: u32) {
  (*p)[lid] = (*p)[lid] + (*p)[lid + 1u];
  (*p)[lid] += 1.0;
}
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) l: u32) {
  tree(&sh, l);
  y[l] = (vec2f(sh[l], 1.0) + vec2f(2.0)).x;
}`;
    const ms = wgslMutants('ptr.wgsl', source, ['main']);
    const forget = ms.filter((m) => m.operator === 'AccumulationForget');
    const apply = (m: Mutant) => source.slice(0, m.start) + m.replacement + source.slice(m.end);
    expect(forget.map((m) => apply(m).split('\n')[3 + forget.indexOf(m)])).toEqual(['  (*p)[lid] = (*p)[lid + 1u];', '  (*p)[lid] = 1.0;']);
    expect(ms.find((m) => m.operator === 'ZeroOutput')?.original).toBe('(vec2f(sh[l], 1.0) + vec2f(2.0)).x');
    for (const m of ms) expect(() => parseWgsl(apply(m)), `${m.operator}: ${m.description}`).not.toThrow();
  });

  // Trial 222 C2: a hash's shifts, masks and xors had no mutant.
  it('mutates bit operations and shifts, and never a template\'s >> or an address\'s &', () => {
    const source = `@group(0) @binding(0) var<storage, read_write> y: array<vec2<u32>>;
fn rotr(x: u32, r: u32) -> u32 { return (x >> r) | (x << (32u - r)); }
@compute @workgroup_size(1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let p = &y[gid.x];
  let h = (gid.x ^ 0x9e3779b9u) & 0xffffu;
  let k = h ^ gid.x ^ 7u;
  (*p) = vec2<u32>(rotr(h, 7u), k);
}`;
    const bits = wgslMutants('hash.wgsl', source, ['main']).filter((m) => m.operator === 'BitwiseOperator');
    expect(bits.map((m) => `${m.location.start.line}:${m.original}→${m.replacement}`)).toEqual(['2:>>→<<', '2:|→&', '2:<<→>>', '6:^→&', '6:&→|']);
    for (const m of bits) expect(() => parseWgsl(source.slice(0, m.start) + m.replacement + source.slice(m.end))).not.toThrow();
  });

  it('never takes a template\'s < or > for a comparison', () => {
    const source = `@group(0) @binding(0) var<storage, read_write> y: array<vec4<f32>>;
@compute @workgroup_size(1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let v = vec2<f32>(1.0, 2.0);
  if (gid.x < 4u) { y[gid.x] = vec4<f32>(v, v); }
}`;
    const eq = wgslMutants('t.wgsl', source, ['main']).filter((m) => m.operator === 'EqualityOperator');
    expect(eq).toHaveLength(1);
    expect(eq[0]!.location.start).toEqual({ line: 5, column: 13 });
  });

  it('makes the GPU-specific mutants: barrier, lost atomic update, max subtraction, exp2, running max at zero', () => {
    const soft = wgslMutants('softmax.wgsl', wgsl('softmax.wgsl'), ['main']);
    expect(soft.filter((m) => m.operator === 'BarrierDeletion')).toHaveLength(5);
    expect(find(soft, 'MaxSubtractionDropped', 'x[base + j] - rowMax', 'x[base + j]')).toHaveLength(2);
    expect(find(soft, 'ExpToExp2', 'exp', 'exp2')).toHaveLength(2);
    expect(find(soft, 'MinMaxInitZero', 'x[base]', '0.0')).toHaveLength(1);
    // reduce_max's running max already starts at 0.0: no mutant that is the kernel itself.
    expect(wgslMutants('reduce_max.wgsl', wgsl('reduce_max.wgsl'), ['main']).filter((m) => m.operator === 'MinMaxInitZero')).toEqual([]);
    // A seed written in hex is read for its value (parseFloat read -0x1.fffffep+127f as -0, a seed of zero), and a
    // hex zero is still zero.
    const seeded = (seed: string) => `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(1) fn main() {
  var m = ${seed};
  for (var i = 0u; i < 4u; i++) { m = max(m, y[i]); }
  y[0] = m;
}`;
    for (const seed of ['-0x1.fffffep+127f', '-0X1P127', '-3.4028234e38']) {
      expect(find(wgslMutants('t.wgsl', seeded(seed), ['main']), 'MinMaxInitZero', seed, '0.0')).toHaveLength(1);
    }
    for (const seed of ['0x0p0f', '0.0', '-0x0p0', '0x.0p3']) expect(find(wgslMutants('t.wgsl', seeded(seed), ['main']), 'MinMaxInitZero', seed)).toEqual([]);
    // Trial 152 B3: the fold in a helper given `&m` (`*p = max(*p, v)`), as a statement or inside an expression; a
    // helper that only reads through its pointer folds nothing.
    const helper = (call: string, body = '*p = max(*p, v);') => `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
fn fold(v: f32, p: ptr<function, f32>) -> f32 { ${body} return v; }
@compute @workgroup_size(1) fn main() {
  var m = y[0];
  var unused = y[1];
  for (var i = 1u; i < 4u; i++) { ${call} }
  y[0] = m + unused;
}`;
    expect(find(wgslMutants('t.wgsl', helper('_ = fold(y[i], &m);'), ['main']), 'MinMaxInitZero', 'y[0]', '0.0')).toHaveLength(1);
    expect(find(wgslMutants('t.wgsl', helper('y[i] = fold(y[i], &m) * 2.0;'), ['main']), 'MinMaxInitZero', 'y[0]', '0.0')).toHaveLength(1);
    expect(find(wgslMutants('t.wgsl', helper('_ = fold(y[i], &m);', 'let q = max(*p, v);'), ['main']), 'MinMaxInitZero', 'y[0]')).toEqual([]);
    const hist = wgslMutants('histogram.wgsl', wgsl('histogram.wgsl'), ['main']);
    expect(find(hist, 'AtomicLostUpdate', 'atomicAdd(&counts[lo + l], c);', 'atomicStore(&counts[lo + l], atomicLoad(&counts[lo + l]) + (c));')).toHaveLength(1);
  });

  it('turns workgroupUniformLoad into a plain load', () => {
    const source = `var<workgroup> n: u32;
@compute @workgroup_size(64) fn main() { let k = workgroupUniformLoad(&n); }`;
    const ms = wgslMutants('t.wgsl', source, ['main']).filter((m) => m.operator === 'UniformLoadToPlain');
    expect(ms.map((m) => [m.original, m.replacement])).toEqual([['workgroupUniformLoad(&n)', '(*(&n))']]);
  });

  it('marks mutants in a function no entry point calls', () => {
    const source = `fn unused(a: f32) -> f32 { return a + 1.0; }
@compute @workgroup_size(1) fn main() {}`;
    const ms = wgslMutants('t.wgsl', source, ['main']);
    expect(ms.filter((m) => m.unreachable).map((m) => m.operator)).toEqual(['ArithmeticOperator']);
  });
});

// Trial 152 B4: a while loop's step made `c = 64u`, a loop that never ends.
it('leaves a while loop\'s step and a loop\'s continuing step alone, as a for loop\'s increment', () => {
  const src = `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) l: u32) {
  var acc = 0.0;
  var c = l;
  while (c < 256u) { acc += y[c]; c += 64u; }
  var i = 0u;
  loop { acc += 1.0; continuing { i += 1u; break if i >= 4u; } }
  y[l] = acc;
}`;
  const assigns = wgslMutants('k.wgsl', src, ['main']).filter((m) => m.operator === 'AccumulationForget' || m.operator === 'AssignmentOperator');
  // The accumulations' (acc += y[c], acc += 1.0), each made `=` and `-=`; not the steps'.
  expect(assigns.map((m) => src.slice(m.start - 4, m.end + 5).replace(';', ''))).toEqual(['acc += y[c]', 'acc += y[c]', 'acc += 1.0', 'acc += 1.0']);
});

describe('entry points a kernel reaches', () => {
  it('scan: the entry point depends on the shape (scan_blocks_${op}), so every entry point counts, none uncovered', async () => {
    const scan = (await loadKernels(undefined, ['scan'])).get('scan')!;
    const { mutants } = kernelMutants(scan);
    expect(mutants.length).toBeGreaterThan(50);
    expect(mutants.filter((m) => m.unreachable)).toEqual([]);
  });

  // Trial 152 B1: every stage's DispatchMinusOne sat on the first stage's `workgroups:` line.
  it('places each stage\'s DispatchMinusOne on its own workgroups line, never on a comment\'s', async () => {
    const kernels = await loadKernels(undefined, ['histogram', 'gelu']);
    const lines = (k: string) => kernelMutants(kernels.get(k)!).mutants.filter((m) => m.operator === 'DispatchMinusOne').map((m) => m.location.start.line);
    const source = readFileSync(join(ROOT, 'kernels/histogram.kernel.ts'), 'utf8').split('\n');
    const own = source.flatMap((l, i) => (/^\s+workgroups:/.test(l) ? [i + 1] : []));
    expect(own.length).toBe(2);
    expect(lines('histogram')).toEqual(own);
    expect(lines('gelu')).toHaveLength(1);
  });

  // Trial 177 B1: a stage that only larger shapes dispatch (reduce_sum's second level, scan's later passes) had no
  // DispatchMinusOne, the shape of ones giving one stage.
  it('makes a DispatchMinusOne of every stage the family\'s first cases reach', async () => {
    const kernels = await loadKernels(undefined, ['reduce_sum', 'scan']);
    const stagesOf = (k: string) => kernelMutants(kernels.get(k)!).mutants.filter((m) => m.operator === 'DispatchMinusOne').map((m) => m.dispatch!.stage);
    expect(stagesOf('reduce_sum')).toEqual([0, 1]);
    expect(stagesOf('scan')).toEqual([0, 1, 2]);
    // Its entry names are templates (`scan_blocks_${s.op}`): each stage sits on the literal that can give its name.
    const source = readFileSync(join(ROOT, 'kernels/scan.kernel.ts'), 'utf8').split('\n');
    const lineOf = (text: string) => source.findIndex((l) => l.includes(text)) + 1;
    expect(kernelMutants(kernels.get('scan')!).mutants.filter((m) => m.operator === 'DispatchMinusOne').map((m) => m.location.start.line))
      .toEqual([lineOf('entry: `scan_blocks_'), lineOf('entry: `scan_blocks_'), lineOf('entry: `add_offsets_')]);
  });
});

// Trial 178 B3: a spec returning its longest list first had each stage's mutant on another stage's line, and "stage 1
// (partial)" removed the workgroup of `direct`, stage 1 of the shorter list.
describe('spec-level mutants of a spec whose lists differ by shape', () => {
  const source = `const spec = {
  stages: (s) => {
    if (s.n > 64) {
      return [
        { wgsl: 'amax.wgsl', entry: 'init', workgroups: () => [1, 1, 1] },
        { wgsl: 'amax.wgsl', entry: 'partial', workgroups: () => [s.n / 64, 1, 1] },
        { wgsl: 'amax.wgsl', entry: 'finish', workgroups: () => [1, 1, 1] },
      ];
    }
    // one workgroups: line of a comment, never a place
    return [
      { wgsl: 'amax.wgsl', entry: 'init', workgroups: () => [1, 1, 1] },
      { wgsl: 'amax.wgsl', entry: 'direct', workgroups: () => [2, 1, 1] },
    ];
  },
};`;
  const wgslOf = ['init', 'partial', 'finish', 'direct'].map((e) => `@compute @workgroup_size(64) fn ${e}() {}`).join('\n');
  const long = ['init', 'partial', 'finish'];
  const spec = {
    name: 'amax', wgsl: 'amax.wgsl', buffers: {},
    stages: (s: { n: number }) => (s.n > 64 ? long : ['init', 'direct']).map((entry) => ({ wgsl: 'amax.wgsl', entry, workgroups: () => [entry === 'partial' || entry === 'direct' ? 2 : 1, 1, 1] as [number, number, number] })),
  } as unknown as Parameters<typeof specMutants>[0];
  const ms = specMutants(spec, 'amax.kernel.ts', source, { 'amax.wgsl': wgslOf }, [{ n: 128 }, { n: 8 }]);

  it('makes one mutant per stage of each list, each on its own literal\'s workgroups line', () => {
    const lineOf = (entry: string, nth = 0) => source.split('\n').map((l, i) => [l, i + 1] as const).filter(([l]) => l.includes(`entry: '${entry}'`))[nth]![1];
    expect(ms.map((m) => [m.description, m.location.start.line])).toEqual([
      ['stage 0 (amax.wgsl:init) dispatches one workgroup fewer along x', lineOf('init')],
      ['stage 1 (amax.wgsl:partial) dispatches one workgroup fewer along x', lineOf('partial')],
      ['stage 1 (amax.wgsl:direct) dispatches one workgroup fewer along x', lineOf('direct')],
      ['stage 2 (amax.wgsl:finish) dispatches one workgroup fewer along x', lineOf('finish')],
    ]);
  });

  // Trial 182 B2: entry points named by consts, in helpers written in the other order, sat on each other's lines.
  it('reads an entry named by a const', () => {
    const helpers = `const MAIN = 'main';
const CLEAR = 'clear';
const accumulate = (s) => ({
  wgsl: 'k.wgsl',
  entry: MAIN,
  workgroups: () => [s.n, 1, 1],
});
const clear = (s) => ({
  wgsl: 'k.wgsl',
  entry: CLEAR,
  workgroups: () => [1, 1, 1],
});
const spec = { stages: (s) => [clear(s), accumulate(s)] };`;
    const twoStages = { name: 'k', wgsl: 'k.wgsl', buffers: {}, stages: () => ['clear', 'main'].map((entry) => ({ wgsl: 'k.wgsl', entry, workgroups: () => [1, 1, 1] as [number, number, number] })) } as unknown as Parameters<typeof specMutants>[0];
    const line = (text: string) => helpers.split('\n').findIndex((l) => l.includes(text)) + 1;
    const placed = specMutants(twoStages, 'k.kernel.ts', helpers, { 'k.wgsl': '@compute @workgroup_size(1) fn main() {}\n@compute @workgroup_size(1) fn clear() {}' }, [{ n: 2 }]);
    expect(placed.map((m) => [m.description, m.location.start.line])).toEqual([
      ['stage 0 (k.wgsl:clear) dispatches one workgroup fewer along x', line('workgroups: () => [1, 1, 1]')],
      ['stage 1 (k.wgsl:main) dispatches one workgroup fewer along x', line('workgroups: () => [s.n, 1, 1]')],
    ]);
  });

  it('changes only the cases whose list runs that entry point at that index', () => {
    const partial = ms.find((m) => m.description.includes(':partial'))!;
    const program = mutatedProgram({ spec, sources: {}, origins: {} } as unknown as Parameters<typeof mutatedProgram>[0], partial);
    const counts = (n: number) => program.spec.stages({ n } as never).map((st) => st.workgroups([64, 1, 1], {} as never)[0]);
    expect(counts(128)).toEqual([1, 1, 1]);
    expect(counts(8)).toEqual([1, 2]);
  });
});

describe('equivalent mutants', () => {
  it('the reviewed list names softmax\'s row guard, and an entry for an edited line matches nothing', () => {
    const list = loadEquivalents(ROOT);
    const ms = wgslMutants('softmax.wgsl', wgsl('softmax.wgsl'), ['main']);
    markEquivalents('softmax', ms, list);
    expect(ms.filter((m) => m.equivalent).map((m) => `${m.operator} ${m.location.start.line}`)).toEqual(['BoundsGuardDeletion 24', 'EqualityOperator 24']);
    const fresh = wgslMutants('softmax.wgsl', wgsl('softmax.wgsl'), ['main']);
    markEquivalents('softmax', fresh, list.map((e) => ({ ...e, line: e.line + 1 })));
    expect(fresh.some((m) => m.equivalent)).toBe(false);
  });
});

describe('mutation report', () => {
  it('validates against mutation-testing-report-schema, and the validator rejects a bad status', async () => {
    const kernel = (await loadKernels(undefined, ['add'])).get('add')!;
    const [m] = wgslMutants('add.wgsl', wgsl('add.wgsl'), ['main']).filter((x) => x.operator === 'ArithmeticOperator');
    const results: MutantResult[] = [{ ...m!, id: '1', status: 'Killed', killedBy: 'matches-reference', testsCompleted: 1, durationMs: 3 }];
    const report = mutationReport({ kernel, sources: kernel.program.sources, paths: { 'add.wgsl': 'kernels/add.wgsl' }, results, config: {} });
    expect(schema.safeParse(report).success).toBe(true);
    const bad = JSON.parse(JSON.stringify(report));
    bad.files['kernels/add.wgsl'].mutants[0].status = 'Dead';
    expect(schema.safeParse(bad).success).toBe(false);
  });

  it('scores as Stryker does: detected (killed + timeout) over valid, compile errors and ignored left out', () => {
    const s = (status: MutantResult['status']) => ({ status });
    expect(mutationScore([s('Killed'), s('Timeout'), s('Survived'), s('NoCoverage'), s('CompileError'), s('RuntimeError'), s('Ignored')]))
      .toEqual({ detected: 2, valid: 4, score: 50 });
  });
});

describe('kernelscope mutate: bad input', () => {
  it.each([
    [['mutate'], /mutate takes one KERNEL/],
    [['mutate', 'nope'], /unknown kernel 'nope' \(kernels: .*softmax/],
    [['mutate', 'add', '--operator', 'Frob'], /unknown operator 'Frob' \(operators: .*ArithmeticOperator/],
    [['mutate', 'add', '--property', 'nope'], /unknown property 'nope' for add \(properties: .*matches-reference/],
  ])('%j exits 2 with one line naming the valid choices', async (args, message) => {
    const { value, stderr } = await withStderr(() => main(args));
    expect(value).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('kernelscope mutate on Dawn', () => {
  it('add: known mutants are killed by the properties that catch them; guard deletions only by the sanitizer', async () => {
    const out = tmp();
    const code = await mutateCommand({ kernel: 'add', backend: 'dawn' as const, operators: [], runs: 3, seed: 1, out, timeoutMs: 30_000 });
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'mutation.json'), 'utf8'));
    expect(schema.safeParse(report).success).toBe(true);
    const rs = report.files['kernels/add.wgsl'].mutants as { mutatorName: string; replacement: string; status: string; killedBy?: string[]; statusReason?: string }[];
    const get = (op: string, rep: string) => rs.find((r) => r.mutatorName === op && r.replacement === rep)!;
    // a - b is caught by the reference comparison or the correctly-rounded check, whichever runs first.
    expect(get('ArithmeticOperator', '-').status).toBe('Killed');
    expect(['matches-reference', 'correctly-rounded']).toContain(get('ArithmeticOperator', '-').killedBy![0]);
    expect(get('ZeroOutput', 'f32()').status).toBe('Killed');
    expect(get('BuiltinAxisSwap', 'y').status).toBe('Killed');
    expect(get('TailSkipped', '((params.n) / 64) * 64').status).toBe('Killed');
    expect(get('WorkgroupSizeChange', '32').status).toBe('Killed');
    // Robust buffer access discards the stray write past n: only a memory check can see these, and on Dawn the
    // sanitized kernel (no-out-of-bounds) does.
    expect(get('BoundsGuardDeletion', '').status).toBe('Killed');
    expect(get('BoundsGuardDeletion', '').killedBy).toEqual(['no-out-of-bounds']);
    expect(get('EqualityOperator', '>').status).toBe('Killed');
    expect(get('EqualityOperator', '>').killedBy).toEqual(['no-out-of-bounds']);
    const dispatch = report.files['kernels/add.kernel.ts'].mutants;
    expect(dispatch).toHaveLength(1);
    expect(dispatch[0].status).toBe('Killed');
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/);
    // The page opens from disk and the report app draws the file with its score.
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`file://${join(out, 'index.html')}#mutant/add.wgsl`);
      await expect.poll(async () => page.locator('text=c[i] = a[i] + b[i];').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('relu judged by writes-every-output alone: the mutants that write wrong values survive, by name', async () => {
    const out = tmp();
    const seen: MutantResult[] = [];
    const code = await mutateCommand({ kernel: 'relu', backend: 'dawn' as const, operators: [], properties: ['writes-every-output'], runs: 3, seed: 1, out, timeoutMs: 30_000, onResult: (r) => seen.push(r) });
    expect(code).toBe(0);
    const survivors = seen.filter((r) => r.status === 'Survived').map((r) => `${r.operator} ${r.original} -> ${r.replacement}`).sort();
    expect(survivors).toEqual([
      'BoundsGuardDeletion if (i >= params.n) {\n    return;\n  } -> ',
      'EqualityOperator >= -> >',
      'ZeroOutput max(x[i], 0.0) -> f32()',
    ]);
    // Doubling the workgroup with the dispatch unchanged computes every element as before: listed as equivalent.
    const doubled = seen.find((r) => r.operator === 'WorkgroupSizeChange' && r.replacement === '128')!;
    expect(doubled.status).toBe('Ignored');
    expect(doubled.statusReason).toMatch(/^equivalent \(reviewed/);
  });

  it('stages: every case has a finite cost, trace properties too, and the stages grow (not one case each)', async () => {
    const kernel = (await loadKernels(undefined, ['relu'])).get('relu')!;
    const dawn = await openEngine('dawn');
    try {
      const only = { ...kernel, properties: kernel.properties.filter((p) => ['writes-every-output', 'no-out-of-bounds', 'matches-reference'].includes(p.name)) };
      const base = await runBaseline(dawn, only, { seed: 1, runs: 10 });
      expect(base.properties.map((b) => b.property.name).sort()).toEqual(['matches-reference', 'no-out-of-bounds', 'writes-every-output']);
      // A sanitized run holds findings beside its outputs: its cost once came out NaN, and a NaN total cut every
      // stage down to a single case.
      for (const b of base.properties) for (const c of b.costs) expect(Number.isFinite(c) && c > 0).toBe(true);
      const cases = base.properties.reduce((n, b) => n + b.draws.length, 0);
      const ss = stages(base);
      expect(ss.flat()).toHaveLength(cases);
      expect(ss.length).toBeLessThan(cases / 2);
      expect(ss.some((s) => s.length > 1)).toBe(true);
    } finally {
      await dawn.close();
    }
  });

  it('an interrupted run keeps every verdict reached in mutation.json', async () => {
    const out = tmp();
    let n = 0;
    const code = await mutateCommand({ kernel: 'relu', backend: 'dawn' as const, operators: [], properties: ['writes-every-output'], runs: 2, seed: 1, out, timeoutMs: 30_000, onResult: () => n++, stopped: () => n >= 2 });
    expect(code).toBe(130);
    const report = JSON.parse(readFileSync(join(out, 'mutation.json'), 'utf8'));
    const statuses = Object.values(report.files).flatMap((f) => (f as { mutants: { status: string }[] }).mutants.map((m) => m.status));
    expect(statuses.filter((s) => s !== 'Pending')).toHaveLength(2);
    expect(statuses.filter((s) => s === 'Pending').length).toBeGreaterThan(0);
  });

  it('--changed keeps the verdicts of mutants whose line is unchanged (moved lines too) and runs the others', async () => {
    const out = tmp();
    const opts = { kernel: 'relu', backend: 'dawn' as const, operators: [], properties: ['writes-every-output'], runs: 2, seed: 1, out, timeoutMs: 30_000 };
    expect(await mutateCommand(opts)).toBe(0);
    const path = join(out, 'mutation.json');
    type Report = { files: Record<string, { source: string; mutants: { mutatorName: string; location: { start: { line: number }; end: { line: number } }; status: string; statusReason?: string }[] }> };
    const first = JSON.parse(readFileSync(path, 'utf8')) as Report;
    const file = first.files['kernels/relu.wgsl']!;
    const lines = file.source.split('\n');
    const store = lines.findIndex((l) => l.includes('max(x[i], 0.0)')) + 1;
    // As if the earlier report had been made from a kernel with a comment line more at the top (every line moved
    // down one) and a different store line: only the mutants of the store line are new.
    lines.splice(store - 1, 1, lines[store - 1]!.replace('0.0', '1.0'));
    file.source = ['// an earlier version', ...lines].join('\n');
    for (const m of file.mutants) {
      m.location.start.line++;
      m.location.end.line++;
      if (m.status === 'Killed') m.statusReason = 'kept, not run again';
    }
    writeFileSync(path, JSON.stringify(first));
    const ran: MutantResult[] = [];
    const { value, stderr } = await withStderr(() => mutateCommand({ ...opts, changed: true, onResult: (r) => ran.push(r) }));
    expect(value).toBe(0);
    expect(stderr).toMatch(/--changed: \d+ verdicts on dawn kept/);
    const ranWgsl = ran.filter((r) => r.file === 'relu.wgsl' && r.status !== 'Ignored');
    expect(ranWgsl.length).toBeGreaterThan(0);
    expect(ranWgsl.every((r) => r.location.start.line === store)).toBe(true);
    const second = JSON.parse(readFileSync(path, 'utf8')) as Report;
    const kept = second.files['kernels/relu.wgsl']!.mutants.filter((m) => m.statusReason === 'kept, not run again');
    expect(kept.length).toBe(file.mutants.filter((m) => m.status === 'Killed' && m.location.start.line - 1 !== store).length);
    expect(kept.length).toBeGreaterThan(0);
    // Judged by other properties: nothing is kept, and the run says why.
    const other = await withStderr(() => mutateCommand({ ...opts, runs: 3, changed: true }));
    expect(other.stderr).toMatch(/--changed: 0 verdicts on dawn kept .*another runs \(2, now 3\)/);
  });

  it('several engines: each judges every mutant; the report says which engine killed it and scores each', async () => {
    const out = tmp();
    const code = await mutateCommand({ kernel: 'add', backend: ['dawn', 'interpreter'], operators: ['BoundsGuardDeletion', 'ArithmeticOperator'], runs: 2, seed: 1, out, timeoutMs: 30_000 });
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'mutation.json'), 'utf8'));
    expect(schema.safeParse(report).success).toBe(true);
    type M = { mutatorName: string; replacement: string; status: string; killedBy?: string[]; engines: Record<string, { status: string; killedBy?: string }> };
    const ms = report.files['kernels/add.wgsl'].mutants as M[];
    // Robust buffer access hides the stray write on Dawn's outputs; the interpreter sees it, and so does the
    // sanitized kernel on Dawn: each engine's column names its own killer.
    const guard = ms.find((m) => m.mutatorName === 'BoundsGuardDeletion')!;
    expect(guard.engines.dawn).toMatchObject({ status: 'Killed', killedBy: 'no-out-of-bounds' });
    expect(guard.engines.interpreter).toMatchObject({ status: 'Killed', killedBy: 'no-out-of-bounds' });
    expect(guard.status).toBe('Killed');
    expect([...guard.killedBy!].sort()).toEqual(['dawn:no-out-of-bounds', 'interpreter:no-out-of-bounds']);
    const minus = ms.find((m) => m.mutatorName === 'ArithmeticOperator' && m.replacement === '-')!;
    expect(minus.killedBy!.map((k) => k.split(':')[0]).sort()).toEqual(['dawn', 'interpreter']);
    const tests = report.testFiles['properties/add.properties.ts'].tests.map((t: { id: string }) => t.id);
    expect(tests).toEqual(expect.arrayContaining(['interpreter:no-out-of-bounds', 'dawn:no-out-of-bounds']));
    // Each engine's score counts its own column.
    for (const engine of ['dawn', 'interpreter']) {
      const detected = ms.filter((m) => ['Killed', 'Timeout'].includes(m.engines[engine]!.status)).length;
      expect(report.scoreByEngine[engine].detected).toBe(detected);
    }
  });

  // Trial 61: matches-reference judged nothing on the unmutated kernel (no element with a finite bound; `test` says
  // "not judged"), and 25 mutants, ZeroOutput among them, survived "within every property's bound".
  it('a property that judges nothing on the unmutated kernel is left out, with why', async () => {
    const relu = (await loadKernels(undefined, ['relu'])).get('relu')!;
    const family = { ...relu.family, exact: false, lazyTolerance: undefined, tolerance: (c: never, e: Record<string, Float64Array>) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v.map(() => Infinity)])) };
    const kernel = { ...relu, family, properties: propertiesOf(relu.program.spec, family as never, relu.program).filter((p) => p.name === 'matches-reference' || p.name === 'writes-every-output') };
    const engine = await openEngine('interpreter');
    try {
      const base = await runBaseline(engine, kernel, { seed: 1, runs: 2 });
      expect(base.excluded).toEqual([{ property: 'matches-reference', reason: expect.stringMatching(/^judges nothing on the unmutated kernel: no case drawn had an element with a finite bound/) }]);
      expect(base.properties.map((p) => p.property.name)).toEqual(['writes-every-output']);
    } finally {
      await engine.close();
    }
  });

  // Trial 61 B1: a mutant that leaves elements unwritten survives a two-run relation, both runs holding the sentinel
  // NaN there, and read "outputs changed, but within every property's bound", as if the bound were weak.
  it('a survivor whose unwritten elements were NaN in both runs says they were not compared', async () => {
    const seen: MutantResult[] = [];
    const code = await mutateCommand({ kernel: 'matmul', backend: 'dawn' as const, operators: ['DispatchMinusOne'], properties: ['row-permutation'], runs: 3, seed: 1, out: tmp(), timeoutMs: 30_000, onResult: (r) => seen.push(r) });
    expect(code).toBe(0);
    const x = seen.find((r) => r.dispatch?.axis === 0)!;
    expect(x.status).toBe('Survived');
    expect(x.statusReason).toMatch(/^outputs changed, but within every property's bound; on row-permutation, \d+ output elements were NaN on both sides of the comparison where the unmutated kernel's were not, so not compared/);
  });

  // Trial 152 B2: a survivor of a kernel with atomics on Dawn said "or by a memory/race check" and nothing of the
  // interpreter, whose schedule kills it.
  it('a survivor with unchanged outputs names what could see it: the race check that did not run, the interpreter', async () => {
    const seen: MutantResult[] = [];
    await mutateCommand({ kernel: 'histogram', backend: 'dawn' as const, operators: ['AtomicLostUpdate'], properties: ['matches-reference'], runs: 2, seed: 1, out: tmp(), timeoutMs: 60_000, onResult: (r) => seen.push(r) });
    const survivors = seen.filter((r) => r.status === 'Survived' && /bit-identical/.test(r.statusReason ?? ''));
    expect(survivors.length, JSON.stringify(seen.map((r) => [r.status, r.statusReason]))).toBeGreaterThan(0);
    for (const r of survivors) expect(r.statusReason).toMatch(/, or by no-data-race, which did not run, or by the interpreter's schedule, which shows a lost update of atomics on every case it runs \(--backend dawn,interpreter\)$/);
  }, 600_000);

  // Trial 79 A1: a property whose bound was built from the output threw on a mutant's NaN, and mutate counted a kill
  // (test calls a throw an error, never a verdict). Now a RuntimeError naming the property, out of the score.
  it('a mutant on whose output a property throws, and none fails, is a RuntimeError, not Killed', async () => {
    const relu = (await loadKernels(undefined, ['relu'])).get('relu')!;
    const writes = relu.properties.find((p) => p.name === 'writes-every-output')!;
    const brittle = { ...writes, name: 'brittle', check: (d: never, outs: never) => {
      const y = (outs as { y: Float32Array }[])[0]!.y;
      if (y.some((v) => Number.isNaN(v))) throw new RangeError('a NaN bound');
      return { pass: true };
    } };
    const kernel = { ...relu, properties: [brittle as typeof writes] };
    const source = relu.program.sources[relu.program.spec.wgsl]!;
    const at = source.indexOf('max(x[i], 0.0)');
    const m = { ...kernelMutants(relu).mutants[0]!, operator: 'ArithmeticOperator' as const, start: at, end: at + 'max(x[i], 0.0)'.length, replacement: '(x[i] / 0.0 * 0.0)', description: 'NaN' };
    const engine = await openEngine('interpreter');
    try {
      const base = await runBaseline(engine, kernel, { seed: 1, runs: 2 });
      expect(base.excluded).toEqual([]);
      const [r] = await runMutants(engine, kernel, [m], base, () => {});
      expect([r!.status, r!.killedBy]).toEqual(['RuntimeError', undefined]);
      expect(r!.statusReason).toMatch(/^brittle threw on case \d+ \(shape .*\): a NaN bound: a property that throws judges nothing/);
    } finally {
      await engine.close();
    }
  });

  // Trial 79 A2: a mutant whose loop never ends ran past the interpreter's budget on cases the kernel finished, and
  // read "no coverage" (undetected) where a GPU engine's watchdog makes it a Timeout (detected).
  it('a mutant that never ends on the interpreter, on a case the kernel finished, is a Timeout', async () => {
    const softmax = (await loadKernels(undefined, ['softmax'])).get('softmax')!;
    const kernel = { ...softmax, properties: softmax.properties.filter((p) => p.name === 'writes-every-output') };
    const source = softmax.program.sources[softmax.program.spec.wgsl]!;
    const at = source.indexOf('s >>= 1u');
    const m = { ...kernelMutants(softmax).mutants[0]!, operator: 'ArithmeticOperator' as const, start: at, end: at + 's >>= 1u'.length, replacement: 's >>= 0u', description: 'endless' };
    const engine = await openEngine('interpreter', { interpreter: { caseTimeMs: 1000 } });
    try {
      const base = await runBaseline(engine, kernel, { seed: 1, runs: 8 });
      expect(base.properties.map((p) => p.property.name), JSON.stringify(base.excluded)).toEqual(['writes-every-output']);
      const [r] = await runMutants(engine, kernel, [m], base, () => {});
      expect(r!.status).toBe('Timeout');
      expect(r!.statusReason).toMatch(/did not finish within the interpreter's budget, where the unmutated kernel did/);
    } finally {
      await engine.close();
    }
  }, 120_000);

  // Trial 79 B1: a mutant that changed only a scratch buffer read "outputs changed, but within every property's
  // bound", as if a bound were weak: scratch is no output, and no property sees it.
  it('the outputs a survivor is judged by leave scratch out', async () => {
    const mlp = (await loadKernels(undefined, ['mlp'])).get('mlp')!;
    const run = (y: number, hidden: number) => ({ probs: Float32Array.of(y), hidden: Float32Array.of(hidden) });
    expect(hashOutputs([run(1, 2)], mlp.program.spec)).toBe(hashOutputs([run(1, 3)], mlp.program.spec));
    expect(hashOutputs([run(1, 2)], mlp.program.spec)).not.toBe(hashOutputs([run(4, 2)], mlp.program.spec));
  });

  // Trial 52: a mutant the interpreter could not run counted as "no coverage" against its score, with no reason.
  it('a mutant the interpreter cannot run, where it ran the kernel, is a RuntimeError with the reason', async () => {
    const kernel = (await loadKernels(undefined, ['relu'])).get('relu')!;
    const source = kernel.program.sources[kernel.program.spec.wgsl]!;
    const at = source.indexOf('max(x[i], 0.0)');
    const m = { ...kernelMutants(kernel).mutants[0]!, operator: 'ArithmeticOperator' as const, start: at, end: at + 'max(x[i], 0.0)'.length, replacement: 'max(x[i], subgroupAdd(0.0))', description: 'a subgroup call' };
    const engine = await openEngine('interpreter');
    try {
      const base = await runBaseline(engine, kernel, { seed: 1, runs: 2 });
      const [r] = await runMutants(engine, kernel, [m], base, () => {});
      expect(r!.status).toBe('RuntimeError');
      // relu.wgsl enables no subgroups: the interpreter refuses the call as invalid WGSL before it refuses subgroups.
      expect(r!.statusReason).toMatch(/^on \S+, case \d+: not supported on the interpreter: 'subgroupAdd' without `enable subgroups;`/);
    } finally {
      await engine.close();
    }
  });

  it('a mutant that crashes the engine is a RuntimeError and the run goes on (a killed host is restarted)', async () => {
    const kernel = (await loadKernels(undefined, ['relu'])).get('relu')!;
    const { mutants } = kernelMutants(kernel);
    const dawn = await openEngine('dawn') as WatchedEngine;
    const host = dawn.inner as unknown as { child: { kill(): void } };
    let killed = 0;
    // A real crash once (the Dawn host killed mid-run: the engine restarts it, and the batch under way is an error,
    // not retried: the baseline's first property), and for the ZeroOutput mutant the error of a host that crashed.
    const engine: Engine = {
      id: dawn.id, info: dawn.info, recover: () => dawn.recover(), close: () => dawn.close(),
      async execute(batch) {
        if (batch.shaders[0]!.includes('y[i] = f32();')) throw new DeviceError('dawn process was killed by SIGSEGV (crashed on every retry)', 'lost');
        if (!killed++) host.child.kill();
        return dawn.execute(batch);
      },
    };
    try {
      const base = await runBaseline(engine, kernel, { seed: 1, runs: 2 });
      const rs = await runMutants(engine, kernel, mutants, base, () => {});
      const zero = rs.find((r) => r.operator === 'ZeroOutput')!;
      expect(zero.status).toBe('RuntimeError');
      expect(zero.statusReason).toMatch(/SIGSEGV/);
      // Every mutant after it still got its verdict.
      expect(rs.slice(rs.indexOf(zero) + 1).every((r) => ['Killed', 'Survived', 'Ignored'].includes(r.status))).toBe(true);
      expect(rs.filter((r) => r.status === 'Killed').length).toBeGreaterThan(2);
      expect(dawn.restarts).toBeGreaterThan(0);
    } finally {
      await dawn.close();
    }
  });

  it('Ctrl-C (SIGINT) on the CLI finishes the mutant under way, writes the report with every verdict reached, exits 130', async () => {
    const out = tmp();
    const child = spawn(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'mutate', 'softmax', '--runs', '2', '--out', out], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const reached = () => {
      try {
        const r = JSON.parse(readFileSync(join(out, 'mutation.json'), 'utf8'));
        return Object.values(r.files).flatMap((f) => (f as { mutants: { status: string }[] }).mutants).filter((m) => !['Pending', 'Ignored'].includes(m.status)).length;
      } catch {
        return 0;
      }
    };
    await expect.poll(reached, { timeout: 170_000, interval: 200 }).toBeGreaterThanOrEqual(2);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const report = JSON.parse(readFileSync(join(out, 'mutation.json'), 'utf8'));
    const statuses = Object.values(report.files).flatMap((f) => (f as { mutants: { status: string }[] }).mutants.map((m) => m.status));
    expect(statuses.filter((s) => !['Pending', 'Ignored'].includes(s)).length).toBeGreaterThanOrEqual(2);
    expect(statuses).toContain('Pending');
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('mutation-test-report-app');
  }, 200_000);

  it('a kernel left with no property that can judge a mutant: exit 2 with what to add', async () => {
    const { value, stderr } = await withStderr(() => mutateCommand({ kernel: 'gelu', backend: 'interpreter' as const, operators: [], properties: ['no-out-of-bounds-spread-y-full'], runs: 1, seed: 1, out: tmp(), timeoutMs: 30_000 }));
    // Its one case is far over the interpreter's budget: skipped, so nothing judges.
    expect(value).toBe(2);
    expect(stderr).toMatch(/no property of 'gelu' passes and judges the unmutated kernel.*properties\/gelu\.properties\.ts/);
  });
});

// Trial 164 A1: a scan whose spec dispatches its second and third entry points only where n > 256 had every mutant in
// them called "in a function no entry point of the kernel calls" (NoCoverage), never run: the entry points were found
// from the stages of a shape of ones alone. Now from the family's cases too.
describe('an entry point a spec dispatches only for larger shapes', () => {
  it('its mutants are run, not called unreached', () => {
    // Inside the checkout (its gitignored .cache), where `kernelscope/kit` resolves as for test/field-pingpong.
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    const lib = mkdtempSync(join(ROOT, '.cache', 'ks-mutate-stages-'));
    cpSync(join(ROOT, 'test', 'field-pingpong'), lib, { recursive: true });
    const spec = join(lib, 'kernels', 'pingpong.kernel.ts');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace("stages: (s) => [['u', 'tmp'], ['tmp', 'u']].map(([src, dst]) => ({", "stages: (s) => [['u', 'tmp', 'main'], ['tmp', 'u', 'again']].slice(0, s.n > 1 ? 2 : 1).map(([src, dst, entry]) => ({\n    entry,"));
    const code = join(lib, 'kernels', 'pingpong.wgsl');
    writeFileSync(code, `${readFileSync(code, 'utf8')}
@compute @workgroup_size(64)
fn again(@builtin(global_invocation_id) gid: vec3u) {
  if (gid.x < params.n) {
    dst[gid.x] = 2.0 * src[gid.x];
  }
}
`);
    // With one element the second stage is not dispatched, so the kernel is 2u, not 4u: the family says so.
    const props = join(lib, 'properties', 'pingpong.properties.ts');
    writeFileSync(props, readFileSync(props, 'utf8').replace('reference: (c) => ({ u: pingpong(c.inputs.u!) }),', 'reference: (c) => ({ u: c.shape.n > 1 ? pingpong(c.inputs.u!) : Float64Array.from(c.inputs.u!, (v) => 2 * v) }),'));
    try {
      const out = join(lib, 'out');
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'mutate', 'pingpong', '--runs', '3', '--operator', 'ArithmeticOperator', '--out', out], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: lib, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' }, timeout: 300_000 });
      expect(r.status, r.stderr).toBe(0);
      const report = JSON.parse(readFileSync(join(out, 'mutation.json'), 'utf8'));
      const ms = report.files['kernels/pingpong.wgsl'].mutants as { location: { start: { line: number } }; status: string; statusReason?: string }[];
      const inAgain = ms.filter((m) => m.location.start.line > 17);
      expect(inAgain.length).toBeGreaterThan(0);
      for (const m of inAgain) expect(m.status, m.statusReason).toBe('Killed');
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  }, 300_000);
});
