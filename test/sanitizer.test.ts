// The sanitizer (harness/trace/sanitize.ts): no-out-of-bounds and no-data-race on a GPU engine (Dawn) through WGSL
// rewritten to check its own accesses. The rewrite keeps every line; the library and the field corpus raise no
// false alarm over several seeds; wrong kernels are caught with the access named (a race between workgroups, an
// index of -1, a missing barrier, a missing bounds check); every bounds-guard and barrier deletion of the library is
// killed on Dawn by some property; a kernel whose sanitized form the device refuses skips the two properties (with
// the device's message) while its other properties run, unless the plain kernel is refused too: then they are its
// error, as the other properties are.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kernelMutants } from '../harness/cli/mutate.ts';
import type { Engine } from '../harness/engines/engine.ts';
import { openEngine } from '../harness/engines/open.ts';
import { DeviceError } from '../harness/gpu/batch.ts';
import { parseWgsl } from '../harness/mutate/parse.ts';
import { runBaseline, runMutant } from '../harness/mutate/run.ts';
import type { ResultsFile } from '../harness/results/schema.ts';
import { runProperty } from '../harness/run/property-runner.ts';
import { loadKernels, type LoadedKernel } from '../harness/run/registry.ts';
import { decodeFindings, FINDINGS_WORDS, sanitizeShader, tagOf, type SanitizedCase } from '../harness/trace/sanitize.ts';
import { SanitizedRuns, SanitizerRefused } from '../harness/trace/sanitize-runs.ts';
import type { KernelProgram } from '../harness/run/program.ts';

const ROOT = resolve(import.meta.dirname, '..');
/** Seeds and cases per seed of the false-alarm sweep (the CI default keeps it to minutes on two busy cores). */
const SEEDS = (process.env.SANITIZER_SEEDS ?? '1,2').split(',').map(Number);
const RUNS = Number(process.env.SANITIZER_RUNS ?? 2);
const TRACE = ['no-out-of-bounds', 'no-data-race'];

function cli(args: string[], backend = 'dawn') {
  const out = mkdtempSync(join(tmpdir(), 'ks-sanitizer-'));
  const r = spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', '--backend', backend, '--runs', '4', '--out', out, '--fixtures', join(out, 'fx'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, results: Object.fromEntries(res.results.map((x) => [x.property, x])) };
}

// A trial's attention kernel read `workgroupUniformLoad(&red[0])`: an element, where the sanitizer took only a whole
// variable, so every case of no-data-race on Dawn was skipped.
describe('workgroupUniformLoad of an element at a literal index', () => {
  it('is checked: the correct kernel passes, a race beside it fails', () => {
    const ok = cli(['--kernel', 'softmax', '--property', 'no-data-race', '--wgsl', 'softmax=test/fixtures/wul/softmax-uniform-load.wgsl']);
    expect(ok.results['no-data-race'], ok.stderr).toMatchObject({ status: 'pass', runs: 4 });
    const race = cli(['--kernel', 'softmax', '--property', 'no-data-race', '--wgsl', 'softmax=test/fixtures/wul/softmax-uniform-load-race.wgsl']);
    expect(race.results['no-data-race']?.status, race.stderr).toBe('fail');
    expect(race.results['no-data-race']?.error).toMatch(/^data race in test\/fixtures\/wul\/softmax-uniform-load-race\.wgsl on partial \(workgroup memory\)/);
  }, 300_000);

  // A trial's port broadcast a block's constants through a workgroup struct: workgroupUniformLoad(&sh.dims).
  it('and of a struct member: checked alike', () => {
    const ok = cli(['--kernel', 'relu', '--property', 'no-data-race', '--wgsl', 'relu=test/fixtures/wul/relu-struct-broadcast.wgsl']);
    expect(ok.results['no-data-race'], ok.stderr).toMatchObject({ status: 'pass', runs: 4 });
    const race = cli(['--kernel', 'relu', '--property', 'no-data-race', '--wgsl', 'relu=test/fixtures/wul/relu-struct-broadcast-race.wgsl']);
    expect(race.results['no-data-race']?.error, race.stderr).toMatch(/^data race in test\/fixtures\/wul\/relu-struct-broadcast-race\.wgsl on y byte 0/);
  }, 300_000);

  // Trial 138 B1: `&bl[WG - 1u]` (a Blelloch scan's total) turned no-data-race off on Dawn, where `&bl[255u]` did not.
  it('at an index of module-scope constants too; a local constant of the same name is not one', () => {
    const code = readFileSync(join(ROOT, 'test/fixtures/wul/softmax-uniform-load.wgsl'), 'utf8');
    const named = sanitizeShader(code.replaceAll('&partial[0]', '&partial[WG - 256u]'));
    expect(named.raceOff).toBeUndefined();
    expect(named.code).toContain('&partial[WG - 256u]');
    const local = sanitizeShader(code.replaceAll('&partial[0]', '&partial[K]').replace('let rowMax', 'const K = 0u;\n  let rowMax'));
    expect(local.raceOff).toMatch(/^workgroupUniformLoad of something other than a module-scope variable, its element at an index of literals and module-scope constants/);
  });

  it('and of a workgroup atomic, whose load is its u32', () => {
    const ok = cli(['--kernel', 'relu', '--property', 'no-data-race', '--wgsl', 'relu=test/fixtures/wul/relu-atomic-broadcast.wgsl']);
    expect(ok.results['no-data-race'], ok.stderr).toMatchObject({ status: 'pass', runs: 4 });
  }, 300_000);
});

describe('the rewrite', () => {
  const files = [
    ...readdirSync(join(ROOT, 'kernels')).filter((f) => f.endsWith('.wgsl')).map((f) => join(ROOT, 'kernels', f)),
    ...['field', 'field-atomics'].flatMap((d) => readdirSync(join(ROOT, 'test', d, 'kernels')).filter((f) => f.endsWith('.wgsl')).map((f) => join(ROOT, 'test', d, 'kernels', f))),
  ];
  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))('%s keeps every line and still parses', (_name, file) => {
    const code = readFileSync(file, 'utf8');
    const s = sanitizeShader(code);
    const lines = code.split('\n');
    const out = s.code.split('\n');
    // Text was only inserted within lines (a workgroupUniformLoad call aside, none here): each original line is a
    // subsequence of the same line of the output.
    lines.forEach((line, i) => {
      let at = 0;
      for (const ch of line) {
        at = out[i]!.indexOf(ch, at) + 1;
        expect(at, `${file}:${i + 1}: '${line}' not kept in '${out[i]}'`).toBeGreaterThan(0);
      }
    });
    expect(() => parseWgsl(s.code)).not.toThrow();
  });

  it('checks every storage and workgroup array access, and names the lines of each kind', () => {
    const code = readFileSync(join(ROOT, 'kernels', 'softmax.wgsl'), 'utf8');
    const s = sanitizeShader(code);
    expect(s.vars.map((v) => [v.name, v.space, v.raced])).toEqual([['x', 'storage', false], ['y', 'storage', true], ['partial', 'workgroup', true]]);
    const partial = s.vars.find((v) => v.name === 'partial')!;
    // Sized by a const: the parser's number is right, and no override expression is needed.
    expect([partial.counts, partial.countExprs]).toEqual([[256], ['256u']]);
    expect(new Set(partial.writeLines).size).toBeGreaterThanOrEqual(4);
    // Every barrier goes through the wrapper that counts it, in the phase of the memory it orders.
    const body = s.code.split('\n').slice(0, code.split('\n').length).join('\n');
    expect(body.match(/\b_ks_workgroupBarrier\(\)/g)?.length).toBe(code.match(/\bworkgroupBarrier\(\)/g)!.length);
    expect(s.code).toContain('fn _ks_workgroupBarrier() { workgroupBarrier(); _ks_step_l(); }');
  });

  // A trial's split-K matmul zeroed its output in one entry point and accumulated in another: a race in the second
  // was told "at one of lines 17, 21", 17 being the first's. A race's other side is named among its entry's lines.
  it('the lines each entry point runs, its callees\' included, and not another entry point\'s', () => {
    const s = sanitizeShader(`@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64)
fn zero(@builtin(global_invocation_id) g: vec3u) {
  y[g.x] = 0.0;
}
fn add(i: u32) {
  y[i % 4u] += 1.0;
}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3u) {
  add(g.x);
}
`);
    expect(s.vars.find((v) => v.name === 'y')!.writeLines).toEqual([4, 7]);
    expect([4, 7].map((l) => s.reach!.get('main')!.has(l))).toEqual([false, true]);
    expect([4, 7].map((l) => s.reach!.get('zero')!.has(l))).toEqual([true, false]);
  });

  // Trial 78 B3: `sh[lid] = v;` then `workgroupBarrier();` was named among the writes racing with a read after the
  // barrier. A line's phase is known up to the first barrier in a branch, a loop or a call; a barrier's line is not.
  it('the phase of each line of an entry point, up to the first barrier that not every path passes alike, then the fewest', () => {
    const s = sanitizeShader(`var<workgroup> sh: array<f32, 64>;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
fn sync() { workgroupBarrier(); }
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) l: u32) {
  sh[l] = 1.0;
  workgroupBarrier();
  if (l > 0u) { sh[l] += sh[l - 1u]; }
  storageBarrier(); y[l] = sh[l];
  for (var k = 0u; k < 2u; k++) { y[l] += 1.0; }
  sync();
  y[l] = sh[0];
}
`);
    const phases = s.phases!.get('main')!;
    expect([6, 7, 8, 9, 10, 11, 12].map((l) => phases.get(l))).toEqual([
      { workgroup: 0, storage: 0 }, undefined, { workgroup: 1, storage: 0 }, undefined, { workgroup: 1, storage: 1 },
      // From the call of a helper with a barrier on, the fewest (trial 158 B1: a tree loop's line after a barrier was
      // named beside a write before it).
      { workgroup: 1, storage: 1, atLeast: true }, { workgroup: 1, storage: 1, atLeast: true },
    ]);
  });

  // A trial's argmax kept (value, index) pairs in workgroup memory: element 256 was told as byte 256, not 2048.
  it('a workgroup array of structs has the struct\'s size as its stride, for the bytes a finding names', () => {
    const s = sanitizeShader(`struct Pair { v: f32, i: u32 }
var<workgroup> best: array<Pair, 256>;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) l: u32) {
  best[l] = Pair(f32(l), l);
  workgroupBarrier();
  y[l] = best[l].v;
}
`);
    expect(s.vars.find((v) => v.name === 'best')!.stride).toBe(8);
  });

  it('checks an override-sized workgroup array against its override expression, which the constants set', () => {
    // The count parses as a placeholder number: checked against that, a new user's array<f32, WG> with WG = 128 in
    // the constants failed no-out-of-bounds at element 64 on Dawn.
    const s = sanitizeShader(`override WG: u32 = 64u;
var<workgroup> red: array<f32, WG>;
var<workgroup> tile: array<array<f32, 4>, WG * 2u>;
@compute @workgroup_size(WG) fn main(@builtin(local_invocation_index) l: u32) { red[l] = 1.0; tile[l][1] = red[l]; }`);
    expect(s.vars.map((v) => [v.name, v.countExprs])).toEqual([['red', ['u32(WG)']], ['tile', ['u32(WG * 2u)', '4u']]]);
    expect(s.code).toMatch(/fn _ks_a0w\(_ks_tag: u32, _ks_site: u32, _ks_row: u32, _ks_i: u32\) -> u32 {\n  let _ks_n = u32\(WG\);/);
    expect(s.code).toContain('var<workgroup> _ks_ww0: array<atomic<u32>, u32(WG)>;');
    // The row's check reports the count the pipeline's constants made, for the finding's message.
    expect(s.code).toContain('if (_ks_i >= u32(WG * 2u)) { _ks_oob(_ks_tag, _ks_i, _ks_site, vec3u(u32(WG * 2u), 0u, 0u)); }');
    expect(() => parseWgsl(s.code)).not.toThrow();
  });

  it('takes an expression in @workgroup_size, as the interpreter does: the same program, line for line', () => {
    // A trial's tiled matmul (`@workgroup_size(TILE / 4u, TILE)`): wgsl_reflect's parser takes only a literal or a
    // name there, and both access properties were an error (a parser stack) on every GPU engine.
    const code = `override TILE: u32 = 16u;
var<workgroup> ta: array<f32, TILE * TILE>;
@compute @workgroup_size(TILE / 4u, TILE) fn main(@builtin(local_invocation_index) l: u32) {
  ta[l] = 1.0;
}`;
    const s = sanitizeShader(code);
    expect(s.vars.map((v) => v.name)).toEqual(['ta']);
    expect(s.code).toContain('@workgroup_size(_ks_wg0, TILE)');
    expect(s.code).toContain('override _ks_wg0 = (TILE / 4u);');
    // The access is checked, on its own line: findings name the source's lines.
    expect(s.code.split('\n')[3]).toMatch(/^  ta\[_ks_a0w\(\d+u, 0u, 0u, u32\(l\)\)\] = 1\.0;$/);
    expect(() => parseWgsl(s.code)).not.toThrow();
  });
});

describe('WGSL the sanitizer cannot rewrite', () => {
  it('is a skip that names the file and why, not an error with a parser\'s stack', () => {
    const program = { sources: { 'k.wgsl': '@compute @workgroup_size(1) fn main( {' }, origins: { 'k.wgsl': 'mine/k.wgsl' } } as unknown as KernelProgram;
    const runs = new SanitizedRuns(program);
    expect(() => runs.shader('k.wgsl')).toThrow(SanitizerRefused);
    expect(() => runs.shader('k.wgsl')).toThrow(/^not supported here: the access checker that runs this property on a GPU engine cannot rewrite mine\/k\.wgsl \(.+\); --backend interpreter checks the accesses without it$/);
  });
});

// Trial 107 A1: a write of a workgroup scalar right in a for loop's body (`acc = acc + cache[j];`) was taken for one in
// its header, which has no room for the recording call: left unrecorded, the missing barrier after it went unjudged.
describe('a whole workgroup variable written in a for loop', () => {
  const kernel = (loop: string) => sanitizeShader(`@group(0) @binding(0) var<storage, read_write> y: array<f32>;
var<workgroup> acc: f32;
var<workgroup> cache: array<f32, 64>;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) l: u32) {
  cache[l] = f32(l);
  workgroupBarrier();
  if (l == 0u) {
    ${loop}
  }
  y[l] = acc;
}`);
  it('is recorded in its body, and said unrecorded in its header', () => {
    expect(kernel('for (var j = 0u; j < 64u; j++) { acc = acc + cache[j]; }').unrecorded).toBeUndefined();
    expect(kernel('for (acc = 0.0; acc < 3.0; acc = acc + 1.0) { }').unrecorded).toEqual(['acc (line 8)']);
  });
});

// Trial 103 A1: a pipeline's file whose entry points each declare a variable at @binding(0): the first declared was
// taken for every dispatch, so the second entry's buffer had no shadow words, and a correct pipeline failed
// no-data-race on every GPU engine.
describe('a binding number shared by two entry points of one file', () => {
  it("is the running entry point's variable", () => {
    const code = `@group(0) @binding(0) var<storage, read_write> a: array<u32>;
@group(0) @binding(0) var<storage, read_write> b: array<u32>;
@compute @workgroup_size(1) fn first() { a[0] = 1u; }
@compute @workgroup_size(1) fn second() { b[0] = 2u; }`;
    const spec = {
      name: 'k', wgsl: 'k.wgsl', description: '',
      buffers: { a: { role: 'output', type: 'u32', length: () => 1 }, b: { role: 'output', type: 'u32', length: () => 4 } },
      stages: () => [
        { wgsl: 'k.wgsl', entry: 'first', bind: { a: 'a' }, workgroups: () => [1, 1, 1] },
        { wgsl: 'k.wgsl', entry: 'second', bind: { b: 'b' }, workgroups: () => [1, 1, 1] },
      ],
    };
    const program = { spec, sources: { 'k.wgsl': code }, origins: { 'k.wgsl': 'k.wgsl' } } as unknown as KernelProgram;
    const plans: SanitizedCase[] = [];
    new SanitizedRuns(program).add({ shape: {}, inputs: {} }, { files: ['k.wgsl'], index: () => 0 }, plans);
    expect(plans[0]!.dispatches.map((d) => [d.entry, [...d.bufferOf]])).toEqual([['first', [['a', 0]]], ['second', [['b', 1]]]]);
  });
});

describe('reading the findings back', () => {
  it('a case with both kinds of finding keeps its out-of-bounds total and judges no race', () => {
    const shader = sanitizeShader(readFileSync(join(ROOT, 'kernels', 'relu.wgsl'), 'utf8'));
    const f = new Uint32Array(FINDINGS_WORDS);
    // Counters: 5 out-of-bounds accesses and 3 races in all, one record of each; the out-of-bounds record is
    // dispatch 0, invocation 2, workgroup 0, a read (kind 1) of x (id 0) at line 13, element 70, at x's first site.
    const site = shader.sites.findIndex((st) => st.level === 0 && st.outerOnly);
    f.set([5, 3, 1, 1, 0, 2, 0, tagOf(0, 1, false, 13), 70, site, 0, 0, 0]);
    const plan = { findings: 0, dispatches: [{ shader, bufferOf: new Map([['x', 0], ['y', 1]]), workgroups: [2, 1, 1] as [number, number, number], lidBits: 6, wgBits: 1, wgExact: true, entry: 'main' }] };
    const r = decodeFindings(plan, new Uint8Array(f.buffer));
    expect(r.dispatches[0]!.outOfBounds).toHaveLength(1);
    expect(r.dispatches[0]!.outOfBounds[0]).toMatchObject({ variable: 'x', kind: 'read', invocation: 2, line: 13, offset: 280 });
    expect(r.dispatches[0]!.outOfBoundsCount).toBe(5);
    expect(r.dispatches[0]!.races).toEqual([]);
    expect(r.raceOff).toMatch(/^races are not judged in a case with out-of-bounds accesses/);
    // Trial 90 B2: an index checked where its address is taken (`put(&part[64], v)`, kind 0) is that, not a read.
    f.set([tagOf(0, 0, false, 13)], 7);
    expect(decodeFindings(plan, new Uint8Array(f.buffer)).dispatches[0]!.outOfBounds[0]).toMatchObject({ variable: 'x', address: true, line: 13 });
    // And the rewrite gives such an address kind 0.
    const put = sanitizeShader('var<workgroup> part: array<f32, 64>;\nfn put(p: ptr<workgroup, f32>) { *p = 1.0; }\n@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) l: u32) {\n  put(&part[l + 1u]);\n}\n');
    expect(put.code).toContain(`put(&part[_ks_a${put.vars.find((v) => v.name === 'part')!.id}b(${tagOf(put.vars.find((v) => v.name === 'part')!.id, 0, false, 4)}u, `);
  });
});

describe('on Dawn', () => {
  let engine: Engine;
  beforeAll(async () => {
    process.env.XDG_RUNTIME_DIR ??= '/tmp';
    engine = await openEngine('dawn');
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
  });

  it('raises no false alarm on the library and the field corpus', async () => {
    const bad: string[] = [];
    let judged = 0;
    for (const lib of [ROOT, join(ROOT, 'test', 'field'), join(ROOT, 'test', 'field-atomics')]) {
      for (const [, k] of await loadKernels(lib)) {
        for (const name of TRACE) {
          const p = k.properties.find((x) => x.name === name)!;
          for (const seed of SEEDS) {
            const r = await runProperty(engine, k, p, { seed, runs: RUNS, shrinkMs: 1 });
            if (r.status === 'pass') judged++;
            // A skip must name a feature the adapter lacks (dot_f16 wants shader-f16), never hide a verdict.
            else if (!(r.status === 'skip' && /needs feature/.test(r.error ?? ''))) bad.push(`${k.program.spec.name}/${name} seed ${seed}: ${r.status} ${r.error ?? ''}`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
    expect(judged).toBeGreaterThan(40);
  }, 1_800_000);

  // Trial 89 A2: a correct kernel of 60,000 stores an invocation ran its sanitized case past a deadline predicted with
  // no plain timing: an error "a kernel that never ends?". The plain kernel on that case now tells slow from hung.
  // Dawn as it is, but its first sanitized submit reported past its deadline (and, in the second run, the plain
  // kernel's too), which a kernel that slow would need minutes to show.
  it('a sanitized case alone past its deadline runs again with the plain kernel\'s time; a hang of both stands', async () => {
    const k = (await loadKernels(ROOT, ['relu'])).get('relu')!;
    const p = k.properties.find((x) => x.name === 'no-out-of-bounds')!;
    const stalling = (plainToo: boolean): Engine & { deadlines: (number | undefined)[] } => {
      const deadlines: (number | undefined)[] = [];
      return {
        deadlines, id: engine.id, info: engine.info, close: async () => undefined,
        execute: async (b) => {
          const sanitized = b.shaders.some((s) => s.includes('_ks_'));
          if ((sanitized && (deadlines.push(b.minDeadlineMs), b.minDeadlineMs === undefined)) || (!sanitized && plainToo)) {
            throw new DeviceError('the GPU did not finish within 15000 ms (stalled by the test): a kernel that never ends?', 'timeout', { cases: [0], alone: 'probe' });
          }
          return engine.execute(b);
        },
      };
    };
    const slow = stalling(false);
    const r = await runProperty(slow, k, p, { seed: 1, runs: 4, batchCases: 1, shrinkMs: 1 });
    expect(r.status, r.error).toBe('pass');
    expect(slow.deadlines[0]).toBeUndefined();
    expect(slow.deadlines[1]).toBeGreaterThan(0);
    const hung = stalling(true);
    const h = await runProperty(hung, k, p, { seed: 1, runs: 4, batchCases: 1, shrinkMs: 1 });
    expect(h.status).toBe('error');
    expect(h.error).toMatch(/the GPU did not finish within 15000 ms \(stalled by the test\), nor did the plain kernel within its own: a kernel that never ends\?/);
  }, 300_000);

  // Every bounds-guard and barrier deletion of the library, judged by the sanitizer's two properties and the
  // universal and family ones, on small cases. The ones no property kills at these sizes, each with the reason
  // (none now: scan.wgsl:42, the second barrier of a Hillis-Steele step, was one until a write of one component of a
  // vector element, `sh[l].x = t`, was recorded as a write of the element; the race with the next step's read of
  // sh[l - off].x at line 39 now kills it):
  const SURVIVE: Record<string, string> = {};
  // Not listed because the sweep leaves them out: the reviewed equivalents of kernels/equivalent-mutants.json
  // (log_softmax:25: one workgroup per row, the grid is exact; histogram:41: the barrier at line 33 already orders
  // what it orders). Killed on these draws (seed 1, 2 cases): transpose:20, as both shapes (2 × 695, 700 × 2) have a
  // tile with rows and columns past the first, where invocation (x, y) reads what (y, x) wrote; a draw of only
  // 1 × c or r × 1 shapes would not kill it. relu:13 by no-out-of-bounds (n = 2: invocations 2..63 write past y).
  // 13 minutes here, and its list of survivors was written from partial runs: the first full run (seed 1, 2 cases)
  // left relu:13, scan:42 and softmax:24 alive and killed log_softmax:25, matmul_tiled:56 and transpose:20. relu:13
  // and softmax:24 were mlp's (its relu and softmax stages have exact grids: now in kernels/equivalent-mutants.json
  // for mlp, and a file of another kernel is named with its kernel, mlp/softmax.wgsl); matmul_tiled:56 is killed
  // (seed 1's two cases draw K > 16). A sweep of scan, mlp and matmul_tiled (2026-11-30, load 7-24) also reported
  // matmul_tiled:40 and :44 (tile-load guards made true) not killed, which `mutate` killed on the same first case
  // (M 8, N 300, K 2). Not reproduced since (the sweep of the three kills both, on this code and on that day's,
  // after the false-alarm test or alone); the likely cause: runBaseline leaves out, silently here, a property that
  // errors on the unmutated kernel, and the watchdog of that day counted compilation as running time (860f8a6, merged
  // later, found a 15 s floor passed while compiling under load). Without no-out-of-bounds exactly :40 and :44
  // survive (bit-identical outputs: the tile's zero-padded partner hides the stray value), :63 falls to
  // matches-reference. So a property left out of a baseline now fails the sweep with its reason, not as survivors.
  // The whole sweep passed on 2026-11-30 in 7.4 minutes (load 10-12), every mutant killed; for its time it runs only
  // when asked for: SANITIZER_SWEEP=1, or SANITIZER_SWEEP=add,relu for some kernels only.
  const sweep = process.env.SANITIZER_SWEEP;
  const swept = (kernel: string) => sweep === '1' || (sweep ?? '').split(',').includes(kernel);
  it.runIf(!!sweep)('kills every bounds-guard and barrier deletion of the library', async () => {
    const survivors: string[] = [];
    const leftOut: string[] = [];
    let judged = 0;
    const kernels = await loadKernels(ROOT);
    for (const [name, k] of kernels) {
      if (!swept(name)) continue;
      const { mutants } = kernelMutants(k, ['BoundsGuardDeletion', 'BarrierDeletion']);
      if (!mutants.length) continue;
      // Small cases only: not the opt-in ones (the true-limit spread case), nor the one-run properties at full size
      // (reduce_sum's and scan's full-size-exact, mlp's MNIST test set), each 2-3 minutes per surviving mutant here:
      // with them the sweep of softmax, softmax_online, reduce_max, reduce_sum, scan, matmul, matmul_tiled and mlp ran
      // past its 30 minutes.
      const big = ['full-size-exact', 'classifies-mnist-test-set'];
      const keep = (k2: LoadedKernel) => ({ ...k2, properties: k2.properties.filter((p) => !p.optIn && !big.includes(p.name)) });
      const kk = keep(k);
      const base = await runBaseline(engine, kk, { seed: 1, runs: RUNS });
      // A property that fails or errors on the unmutated kernel (a watchdog under load) judges no mutant: its kills
      // would come back as survivors. (One whose every case was skipped here, e.g. a spread-y draw that does not
      // spread, judges none either, but honestly so: a survivor it leaves is then one these draws cannot kill.)
      leftOut.push(...base.excluded.filter((x) => !x.reason.startsWith('every case skipped')).map((x) => `${name}: ${x.property} left out: ${x.reason}`));
      // The sanitizer's properties first: they are what kills most of these.
      base.properties.sort((a, b) => Number(TRACE.includes(b.property.name)) - Number(TRACE.includes(a.property.name)));
      for (const m of mutants) {
        const r = await runMutant(engine, kk, m, base);
        // NoCoverage: the mutation tool found no entry point for it (scan names its entries by shape); Ignored: a
        // reviewed equivalent mutant (kernels/equivalent-mutants.json). Neither is a verdict of the properties.
        if (r.status === 'NoCoverage' || r.status === 'Ignored') continue;
        judged++;
        // A file of another kernel (mlp's softmax.wgsl) is named with its kernel, so it is not taken for that kernel's own.
        const where = m.file === `${name}.wgsl` ? m.file : `${name}/${m.file}`;
        // Anything but Survived (a RuntimeError, a CompileError) says so, with its reason: it is not a survivor's verdict.
        if (r.status !== 'Killed' && r.status !== 'Timeout') survivors.push(`${where}:${m.location.start.line} ${m.operator}${r.status === 'Survived' ? '' : ` ${r.status}: ${r.statusReason}`}`);
      }
    }
    expect(leftOut).toEqual([]);
    expect(survivors.sort()).toEqual(Object.keys(SURVIVE).filter((m) => swept(m.split(/\.wgsl|\//)[0]!)).sort());
    if (sweep === '1') expect(judged).toBeGreaterThan(40);
    else expect(judged).toBeGreaterThan(0);
  }, 1_800_000);
});

describe('wrong kernels on Dawn (the command line)', () => {
  it('a race between two workgroups on storage memory', () => {
    const r = cli(['--wgsl', 'relu=test/sanitizer/relu-workgroups-race.wgsl', '--property', 'no-data-race']);
    expect(r.results['no-data-race']).toMatchObject({ status: 'fail' });
    // The earlier access's stamp holds no line: the lines that write y are named. The later access is line 22 of any
    // workgroup, or line 20 of workgroup 0 (its y[i] is y[0]) when workgroup 0 happens to run after another.
    expect(r.results['no-data-race']!.error).toMatch(/^data race in test\/sanitizer\/relu-workgroups-race\.wgsl on y byte 0: invocation 0 of workgroup \(\d+, 0, 0\) writes at one of lines 20, 22 \(a GPU run records which invocation, not which line\), invocation 0 of workgroup \((\d+, 0, 0\) writes at line 22|0, 0, 0\) writes at line 20), different workgroups of one dispatch/);
  }, 600_000);

  // Trial 45: an in-place tiled stencil read one element past its part, which the next workgroup overwrote after its
  // own read of it. lavapipe runs workgroups in order, so a shadow keeping only the last reader held that own read
  // when the write came, and Firefox and Deno passed (Deno 5 runs of 5). Caught whatever the order now, so the
  // failure shrinks to the smallest case, two workgroups (the race at byte 256); before, Deno's shrink could reach
  // only cases with workgroups out of order (byte 20736 in one run).
  it.each(['dawn', 'deno'])('%s: a read of the next workgroup\'s element, which that workgroup reads and then overwrites', (backend) => {
    const r = cli(['--wgsl', 'relu=test/sanitizer/relu-reads-next-tile-race.wgsl', '--property', 'no-data-race'], backend);
    expect(r.results['no-data-race']?.status, r.stderr).toBe('fail');
    expect(r.results['no-data-race']!.error).toMatch(/^data race in test\/sanitizer\/relu-reads-next-tile-race\.wgsl on y byte 256: .*invocation 63 of workgroup \(0, 0, 0\) reads at (line 24|one of lines 22, 24).*different workgroups of one dispatch/);
  }, 600_000);

  // The sanitizer sees an index's u32 bits: an i32 -1 and a u32 i - 1u at i = 0 look alike, so both are said (a new
  // user's u32 head flags were told "element -1, before the start").
  it('a read at index -1, named as both the u32 and the i32 it may be', () => {
    const r = cli(['--wgsl', 'relu=test/sanitizer/relu-read-before.wgsl', '--property', 'no-out-of-bounds']);
    expect(r.results['no-out-of-bounds']!.error).toMatch(/^invocation 0 of workgroup \(0, 0, 0\) reads x element 4294967295 \(or -1, if the index is an i32; byte 17179869180\), outside x \(test\/sanitizer\/relu-read-before\.wgsl:18\)/);
    // The same read by an invocation that then returns early: its finding is still reported.
    const early = cli(['--wgsl', 'relu=test/sanitizer/relu-read-before-return.wgsl', '--property', 'no-out-of-bounds']);
    expect(early.results['no-out-of-bounds']!.error).toMatch(/^invocation 0 of workgroup \(0, 0, 0\) reads x element 4294967295 \(or -1, if the index is an i32; byte 17179869180\), outside x \(test\/sanitizer\/relu-read-before-return\.wgsl:19\)/);
  }, 600_000);

  // A trial's merge(&best, i, j) read past the end of best and no-out-of-bounds passed with nothing said; a later
  // trial's tile store through a pointer parameter passed with it said beside the pass, exit 0. Not judged: a skip.
  it('a read through a pointer handed to a function: not judged, and said why', () => {
    const r = cli(['--wgsl', 'relu=test/sanitizer/relu-read-through-pointer.wgsl', '--property', 'no-out-of-bounds']);
    expect(r.results['no-out-of-bounds']!.status).toBe('skip');
    expect(r.results['no-out-of-bounds']!.error).toMatch(/^not judged: the checked accesses of the 4 cases were all fine, but not the accesses through a pointer to the read-only storage x \(line 23, handed to a function\) \(the GPU check follows no pointer; --backend interpreter does\)/);
    expect(r.stderr).toMatch(/skip .*no-out-of-bounds.*\n {5}not judged: .*through a pointer to the read-only storage x \(line 23, handed to a function\)/);
    // Kept in a let, it is not followed either (a trial's `let p = &m[b]; p[c + 1u]` passed with nothing said).
    const kept = cli(['--wgsl', 'relu=test/sanitizer/relu-read-through-let-pointer.wgsl', '--property', 'no-out-of-bounds']);
    expect(kept.results['no-out-of-bounds']!.status).toBe('skip');
    expect(kept.results['no-out-of-bounds']!.notes?.notChecked).toMatch(/^accesses through a pointer to the read-only storage x \(line 20, kept in a let\)/);
  }, 600_000);

  it('a missing barrier and a missing bounds check', () => {
    const a = cli(['--wgsl', 'softmax=test/wrong-kernels/softmax-no-barrier.wgsl', '--property', 'no-data-race']);
    expect(a.results['no-data-race']!.error).toMatch(/data race in test\/wrong-kernels\/softmax-no-barrier\.wgsl on partial \(workgroup memory\).*no barrier that orders workgroup memory between/);
    const b = cli(['--wgsl', 'matmul=test/wrong-kernels/matmul-no-bounds-check.wgsl', '--property', 'no-out-of-bounds']);
    expect(b.results['no-out-of-bounds']!.error).toMatch(/past the end of/);
  }, 600_000);

  // A trial's off-by-one raced and wrote past the end in 9 of 10 cases; run with --property no-data-race alone, the
  // one case without either passed the property, exit 0. Races not judged are not a pass.
  it('races in cases with out-of-bounds accesses are not judged, and the property is not passed on the others', () => {
    const r = cli(['--wgsl', 'relu=test/sanitizer/relu-oob-race.wgsl', '--property', 'no-data-race']);
    expect(r.results['no-data-race'], r.stderr).toMatchObject({ status: 'skip' });
    expect(r.results['no-data-race']!.error).toMatch(/^not judged: [1-4] of 4 cases had out-of-bounds accesses, and races after them are not judged .*no-out-of-bounds names them/);
    expect(r.stderr).toMatch(/^skip dawn +relu +no-data-race/m);
    expect(r.code).toBe(1);
  }, 600_000);

  // Trial 78 B3: a tree's race was told "writes at one of lines 18, 22", 18 being the store before the barrier.
  it("a race's other side is never named at a line a barrier orders before this side's", () => {
    const r = cli(['--kernel', 'reduce_sum', '--wgsl', 'reduce_sum=test/wrong-kernels/lib_reduce_sum_no_level_barrier.wgsl', '--property', 'no-data-race']);
    expect(r.results['no-data-race']!.error, r.stderr).toMatch(/^data race in test\/wrong-kernels\/lib_reduce_sum_no_level_barrier\.wgsl on tree \(workgroup memory\) byte \d+: invocation \d+ of workgroup \(\d+, \d+, 0\) (writes at line 29, invocation \d+ of workgroup \(\d+, \d+, 0\) reads at line 29|reads at (line 29|one of lines 29, 32) \(?.*invocation \d+ of workgroup \(\d+, \d+, 0\) writes at line 29),/);
  }, 600_000);

  it('a write of one component of a vector races with one of another component; members of a struct do not', () => {
    // WGSL: a write of a vector's component may access all of the vector's memory locations; a struct's members are
    // distinct memory locations.
    const v = cli(['--wgsl', 'relu=test/sanitizer/relu-vector-components-race.wgsl', '--property', 'no-data-race']);
    expect(v.results['no-data-race']!.error).toMatch(/^data race in test\/sanitizer\/relu-vector-components-race\.wgsl on pair \(workgroup memory\) byte 0: invocation \d+ of workgroup \(0, 0, 0\) writes at line 22, invocation \d+ of workgroup \(0, 0, 0\) writes at line 22, no barrier that orders workgroup memory between/);
    // The advice is the vector's, not "check the index" (a trial's vec4 tile filled one component per invocation).
    expect(v.results['no-data-race']!.error).toContain('(both write it at line 22, one component of the same vector element each: WGSL lets a write of one component access the whole vector');
    const s = cli(['--wgsl', 'relu=test/sanitizer/relu-struct-members.wgsl', '--property', 'no-data-race', '--property', 'matches-reference']);
    expect(s.results['no-data-race']).toMatchObject({ status: 'pass' });
    expect(s.results['matches-reference']).toMatchObject({ status: 'pass' });
    // One member written by two invocations does race: a member's write had no shadow word and passed on Dawn.
    const m = cli(['--wgsl', 'relu=test/sanitizer/relu-struct-member-race.wgsl', '--property', 'no-data-race']);
    expect(m.results['no-data-race']!.error).toMatch(/^data race in test\/sanitizer\/relu-struct-member-race\.wgsl on pair \(workgroup memory\) byte \d+ \(pair\[\d+\]\.a\): invocation \d+ of workgroup \(0, 0, 0\) \w+s at line 25, invocation \d+ of workgroup \(0, 0, 0\) \w+s at line 25/);
    // Trial 170 B1: the raced member second in the struct, at its own byte, named alike on Dawn and the interpreter.
    for (const backend of ['dawn', 'interpreter']) {
      const b = cli(['--wgsl', 'relu=test/sanitizer/relu-struct-member-b-race.wgsl', '--property', 'no-data-race'], backend);
      const at = /on pair \(workgroup memory\) byte (\d+) \(pair\[(\d+)\]\.b\): /.exec(b.results['no-data-race']!.error ?? '');
      expect(at, `${backend}: ${b.results['no-data-race']!.error}`).not.toBeNull();
      expect(Number(at![1])).toBe(8 * Number(at![2]) + 4);
    }
  }, 600_000);

  // A const in a row index (`tile[r + HALO][c]`) made the access impure to the race check, so it went unrecorded:
  // silent before round twenty-five, then said as not judged; consts, conversions and min/max/clamp/select count now.
  it('a tile row past a halo const: a race without its barrier is found, with it none, as on the interpreter', () => {
    const bad = cli(['--wgsl', 'relu=test/sanitizer/relu-halo-tile-race.wgsl', '--property', 'no-data-race']);
    // Trial 158 B4: a 2-D tile's byte is said as its element too, which the reader had to work out from the row stride.
    const at = /byte (\d+) \(tile\[(\d+)\]\[(\d+)\]\)/.exec(bad.results['no-data-race']!.error ?? '');
    expect(at, bad.results['no-data-race']!.error).not.toBeNull();
    expect(Number(at![1])).toBe(64 * Number(at![2]) + 4 * Number(at![3]));
    expect(bad.results['no-data-race']!.error).toMatch(/^data race in test\/sanitizer\/relu-halo-tile-race\.wgsl on tile \(workgroup memory\) byte \d+ \(tile\[\d+\]\[\d+\]\): invocation \d+ of workgroup \(0, 0, 0\) (reads at line 24, invocation \d+ of workgroup \(0, 0, 0\) writes at line 21|writes at line 21, invocation \d+ of workgroup \(0, 0, 0\) reads at line 24)/);
    const ok = cli(['--wgsl', 'relu=test/sanitizer/relu-halo-tile.wgsl', '--property', 'no-data-race', '--property', 'matches-reference']);
    expect(ok.results['no-data-race']).toMatchObject({ status: 'pass' });
    expect(ok.results['no-data-race']!.notes?.notChecked).toBeUndefined();
    expect(ok.results['matches-reference']).toMatchObject({ status: 'pass' });
  }, 600_000);

  it('a scalar var<workgroup> written by one invocation and read by the others with no barrier between: a race', () => {
    const r = cli(['--wgsl', 'relu=test/sanitizer/relu-scalar-workgroup-race.wgsl', '--property', 'no-data-race']);
    expect(r.results['no-data-race']!.error).toMatch(/^data race in test\/sanitizer\/relu-scalar-workgroup-race\.wgsl on scale \(workgroup memory\) byte 0: invocation \d+ of workgroup \(0, 0, 0\) (writes at line 20, invocation \d+ of workgroup \(0, 0, 0\) reads at line 21|reads at line 21, invocation 0 of workgroup \(0, 0, 0\) writes at line 20), no barrier that orders workgroup memory between/);
    const ok = cli(['--wgsl', 'relu=test/sanitizer/relu-scalar-workgroup.wgsl', '--property', 'no-data-race', '--property', 'matches-reference']);
    expect(ok.results['no-data-race']).toMatchObject({ status: 'pass' });
    expect(ok.results['matches-reference']).toMatchObject({ status: 'pass' });
  }, 600_000);

  // Trial 72: every invocation read a chunk's total, then its owner overwrote it with no barrier between; the reader
  // word held the owner's own read, and the race passed on every GPU engine. The writer is told another invocation read.
  it('an element read by every invocation and then overwritten by its owner, the last reader: a race, said as another invocation\'s read', () => {
    const bad = cli(['--wgsl', 'relu=test/sanitizer/relu-owner-overwrites-race.wgsl', '--property', 'no-data-race']);
    expect(bad.results['no-data-race']!.error).toMatch(/^data race in test\/sanitizer\/relu-owner-overwrites-race\.wgsl on sc \(workgroup memory\) byte 252: (another invocation|invocation \d+) of workgroup \(\d+, 0, 0\) reads at line 20, invocation 63 of workgroup \(\d+, 0, 0\) writes at line 21, no barrier that orders workgroup memory between/);
    const ok = cli(['--wgsl', 'relu=test/sanitizer/relu-owner-overwrites.wgsl', '--property', 'no-data-race', '--property', 'matches-reference']);
    expect(ok.results['no-data-race']).toMatchObject({ status: 'pass' });
    expect(ok.results['matches-reference']).toMatchObject({ status: 'pass' });
  }, 600_000);

  it('a barrier orders its own address space only: a storage race across a workgroupBarrier() and a workgroup one across a storageBarrier() are found, a storageBarrier() twin passes', () => {
    // WGSL §"Synchronization Built-in Functions" (harness/engines/interpreter/barriers.ts). The sanitizer counted every
    // barrier into one phase, so both races passed on Dawn while the interpreter reported them.
    const s = cli(['--wgsl', 'relu=test/sanitizer/relu-storage-after-workgroup-barrier.wgsl', '--property', 'no-data-race', '--property', 'matches-reference']);
    expect(s.results['matches-reference']).toMatchObject({ status: 'pass' });
    // Every write of y precedes the barrier, so invocation 0's read of y[1] after it always finds invocation 1's stamp.
    expect(s.results['no-data-race']!.error).toMatch(/^data race in test\/sanitizer\/relu-storage-after-workgroup-barrier\.wgsl on y byte 4: invocation 1 of workgroup \(0, 0, 0\) writes at one of lines 17, 20 \(a GPU run records which invocation, not which line\), invocation 0 of workgroup \(0, 0, 0\) reads at line 20, no barrier that orders storage between \(add a storageBarrier\(\) between them: a workgroupBarrier\(\) orders workgroup memory only; a storageBarrier\(\) orders the invocations of one workgroup only: .*\)/);
    const ok = cli(['--wgsl', 'relu=test/sanitizer/relu-storage-barrier.wgsl', '--property', 'no-data-race', '--property', 'matches-reference']);
    expect(ok.results['no-data-race']).toMatchObject({ status: 'pass' });
    expect(ok.results['matches-reference']).toMatchObject({ status: 'pass' });
    const w = cli(['--wgsl', 'relu=test/sanitizer/relu-workgroup-after-storage-barrier.wgsl', '--property', 'no-data-race']);
    expect(w.results['no-data-race']!.error).toMatch(/^data race in test\/sanitizer\/relu-workgroup-after-storage-barrier\.wgsl on tile \(workgroup memory\) byte \d+: invocation \d+ of workgroup \(0, 0, 0\) (writes at line 21, invocation \d+ of workgroup \(0, 0, 0\) reads at line 23|reads at line 23, invocation \d+ of workgroup \(0, 0, 0\) writes at line 21), no barrier that orders workgroup memory between \(add a workgroupBarrier\(\) between them: a storageBarrier\(\) orders storage only\)/);
  }, 600_000);

  it("a sanitized kernel over a default limit runs under the adapter's; over the adapter's, no-out-of-bounds runs for bounds alone and no-data-race skips with its message", () => {
    // 16,800 bytes with its shadow words, past WebGPU's default 16,384 and within SwiftShader's 32,768 (a trial's
    // 32 × 32 matmul tile was skipped so, on an adapter that offered the room).
    const big = cli(['--wgsl', 'relu=test/sanitizer/relu-big-workgroup-array.wgsl', '--property', 'no-out-of-bounds', '--property', 'no-data-race']);
    for (const p of TRACE) expect(big.results[p], p).toMatchObject({ status: 'pass' });
    const r = cli(['--wgsl', 'relu=test/sanitizer/relu-huge-workgroup-array.wgsl', '--property', 'no-out-of-bounds', '--property', 'no-data-race', '--property', 'matches-reference']);
    expect(r.results['matches-reference']).toMatchObject({ status: 'pass' });
    // Without race shadows the kernel's own 11,200 bytes fit (a trial's 16 KiB sort had both properties skipped).
    expect(r.results['no-out-of-bounds']).toMatchObject({ status: 'pass' });
    expect(r.results['no-data-race']).toMatchObject({ status: 'skip' });
    expect(r.results['no-data-race']!.error).toMatch(/^the sanitized kernel does not run on dawn \(the plain kernel does; --backend interpreter checks accesses without rewriting it\): The total use of workgroup storage \(33600 bytes\) is larger than the maximum allowed \(32768 bytes\)/);
  }, 600_000);

  // Trial 49 read the compiler's quoted line of the rewrite as a fault of its own kernel.
  it("a rewrite that does not compile where the kernel does is kernelscope's fault, said so, and a skip", () => {
    const r = cli(['--wgsl', 'relu=test/sanitizer/relu-sanitizer-name.wgsl', '--property', 'no-out-of-bounds', '--property', 'matches-reference']);
    expect(r.results['matches-reference']).toMatchObject({ status: 'pass' });
    expect(r.results['no-out-of-bounds']).toMatchObject({ status: 'skip' });
    expect(r.results['no-out-of-bounds']!.error).toBe("not supported here: kernelscope's access-checking rewrite of test/sanitizer/relu-sanitizer-name.wgsl does not compile on dawn, though the kernel does (a fault of kernelscope's rewrite, not of the kernel: please report it with the kernel; --backend interpreter checks accesses without rewriting it); dawn said of the rewritten text: test/sanitizer/relu-sanitizer-name.wgsl:29:23: error: redeclaration of '_ks_f'");
    expect(r.code).toBe(0);
  }, 600_000);

  it('a kernel whose overrides are named as the helpers\' parameters (row, tag) is checked', () => {
    const ok = cli(['--wgsl', 'relu=test/sanitizer/relu-helper-names.wgsl', '--property', 'no-out-of-bounds,no-data-race']);
    for (const p of TRACE) expect(ok.results[p], ok.stderr).toMatchObject({ status: 'pass' });
    const oob = cli(['--wgsl', 'relu=test/sanitizer/relu-helper-names-oob.wgsl', '--property', 'no-out-of-bounds']);
    expect(oob.results['no-out-of-bounds'], oob.stderr).toMatchObject({ status: 'fail' });
    expect(oob.results['no-out-of-bounds']!.error).toMatch(/reads tile\[2\]/);
  }, 600_000);

  it('a function-scope array sized by a function-scope const has that length, not the module\'s or one', () => {
    const ok = cli(['--wgsl', 'relu=test/sanitizer/relu-local-const-array.wgsl', '--property', 'no-out-of-bounds']);
    expect(ok.results['no-out-of-bounds'], ok.stderr).toMatchObject({ status: 'pass' });
    expect(ok.results['no-out-of-bounds']!.notes?.notChecked).toBeUndefined();
    const oob = cli(['--wgsl', 'relu=test/sanitizer/relu-local-const-array-oob.wgsl', '--property', 'no-out-of-bounds']);
    expect(oob.results['no-out-of-bounds']!.error).toMatch(/writes stage\[4\]: index 4 is past the end of an array<f32, K> \(4 elements\), in the function variable stage/);
    // Trial 120 A3: a K of another block, declared after the array, is not the array's.
    const sibling = cli(['--wgsl', 'relu=test/sanitizer/relu-local-const-sibling.wgsl', '--property', 'no-out-of-bounds,matches-reference']);
    for (const p of ['no-out-of-bounds', 'matches-reference']) expect(sibling.results[p], sibling.stderr).toMatchObject({ status: 'pass' });
    expect(sibling.results['no-out-of-bounds']!.notes?.notChecked).toBeUndefined();
    const interpreter = cli(['--wgsl', 'relu=test/sanitizer/relu-local-const-array-oob.wgsl', '--property', 'no-out-of-bounds'], 'interpreter');
    expect(interpreter.results['no-out-of-bounds']).toMatchObject({ status: 'skip' });
    expect(interpreter.results['no-out-of-bounds']!.error).toMatch(/not supported on the interpreter: an array sized by a name declared in its function \(stage: K elements/);
  }, 600_000);

  it('a table of constants indexed at run time: as a const, not judged, and told to declare it var<private>, which is checked', () => {
    const table = cli(['--wgsl', 'relu=test/sanitizer/relu-const-table.wgsl', '--property', 'no-out-of-bounds']);
    expect(table.results['no-out-of-bounds'], table.stderr).toMatchObject({ status: 'skip' });
    expect(table.results['no-out-of-bounds']!.error).toMatch(/of the const TABLE \(line 12, an array value: not checked\) \(the GPU check follows no pointer and checks no index of a const, let or parameter array \(a table declared var<private> it checks\); --backend interpreter does\)/);
    const kept = cli(['--wgsl', 'relu=test/sanitizer/relu-private-table.wgsl', '--property', 'no-out-of-bounds']);
    expect(kept.results['no-out-of-bounds'], kept.stderr).toMatchObject({ status: 'pass' });
    expect(kept.results['no-out-of-bounds']!.notes?.notChecked).toBeUndefined();
  }, 600_000);

  it('a plain kernel over a default limit itself: the two properties are its error, not a pass on the raised device', () => {
    const r = cli(['--wgsl', 'relu=test/sanitizer/relu-over-default-workgroup-storage.wgsl', '--property', 'no-out-of-bounds', '--property', 'no-data-race', '--property', 'matches-reference']);
    const plain = r.results['matches-reference']!;
    expect(plain).toMatchObject({ status: 'error' });
    expect(plain.error).toMatch(/workgroup storage \(16800 bytes\)/);
    for (const p of TRACE) expect(r.results[p], p).toMatchObject({ status: 'error', error: plain.error });
    expect(r.code).toBe(1);
  }, 600_000);

  it('a module whose const_assert fails: the two properties are its compile error, never a pass', () => {
    // The sanitized copy was built from the module with its assertions blanked (for wgsl_reflect's parser), so Dawn
    // compiled and ran it: no-out-of-bounds and no-data-race passed beside every other property's compile error.
    const r = cli(['--wgsl', 'relu=test/sanitizer/relu-const-assert-fails.wgsl', '--property', 'no-out-of-bounds', '--property', 'no-data-race', '--property', 'matches-reference']);
    const plain = r.results['matches-reference']!;
    expect(plain).toMatchObject({ status: 'error' });
    expect(`${plain.error}\n${plain.detail ?? ''}`).toMatch(/relu-const-assert-fails\.wgsl:12:1: error: const assertion failed/);
    for (const p of TRACE) expect(r.results[p], p).toMatchObject({ status: 'error' });
    expect(r.code).toBe(1);
  }, 600_000);

  it('a plain kernel whose dispatch is refused too: the two properties are the same error as the others, never a skip', () => {
    // @workgroup_size(1) under relu's spec: n = 100000 dispatches 100000 workgroups, over Dawn's 65535 per dimension.
    // The plain kernel compiles and was run on the batch's first (small) case only, so the sanitized batch's refusal
    // read as the sanitizer's limit: "skip ... (the plain kernel does)", while every other property was an error.
    const r = cli(['--wgsl', 'relu=test/sanitizer/relu-workgroup-size-1.wgsl', '--runs', '20', '--property', 'no-out-of-bounds', '--property', 'no-data-race', '--property', 'matches-reference']);
    const plain = r.results['matches-reference']!;
    expect(plain).toMatchObject({ status: 'error' });
    for (const p of TRACE) expect(r.results[p], p).toMatchObject({ status: 'error', error: plain.error });
    // Dawn's text, then what the spec dispatched, on the same line.
    expect(plain.error).toMatch(/^test\/sanitizer\/relu-workgroup-size-1\.wgsl: Dispatch workgroup count X \(\d+\) exceeds max compute workgroups per dimension \(65535\): kernel 'relu' \(kernels\/relu\.kernel\.ts\) dispatches (\d+) workgroups along x for n = \1 at @workgroup_size\(1\) \(test\/sanitizer\/relu-workgroup-size-1\.wgsl\); a larger @workgroup_size, or a spec of your own/);
  }, 600_000);
});
