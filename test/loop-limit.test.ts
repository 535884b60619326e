// llvmpipe's loop limit (harness/engines/loop-limit.ts): the canary's rewrite, and real engines on lavapipe (Deno,
// Firefox) telling a case their limit cut short from one that finished, where before both came back as outputs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineUnavailable, type BackendId, type Engine } from '../harness/engines/engine.ts';
import { addCanary, CASE_CUT, cutsLoops, LLVMPIPE_LOOP_LIMIT, LOOP_CUT, NOT_ADDED } from '../harness/engines/loop-limit.ts';
import { openEngine } from '../harness/engines/open.ts';
import type { BatchCase, DispatchBatch } from '../harness/gpu/batch.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';
const ROOT = resolve(import.meta.dirname, '..');

describe('addCanary', () => {
  const LOOPS = `@group(0) @binding(0) var<storage, read_write> o: array<u32>;
@group(1) @binding(3) var<uniform> n: u32;
@compute @workgroup_size(8)
fn main(@builtin(local_invocation_index) l: u32) {
  if (l == 3u) { return; }
  for (var i = 0u; i < n; i++) { o[l] += 1u; }
}`;
  const added = (code: string) => {
    const c = addCanary(code);
    if (typeof c !== 'object') throw new Error(`no canary: ${c}`);
    return c;
  };

  it('makes each compute entry point a function that a new entry point calls before the canary, every line kept', () => {
    const c = added(LOOPS);
    expect(c).toMatchObject({ group: 0, binding: 1 });
    const lines = c.code.split('\n');
    // Only inserted: the entry's attributes and its parameters' commented out, its name prefixed.
    expect(lines.slice(0, 7).join('\n').replace(/\/\*|\*\/|_ks_cut_/g, '')).toBe(LOOPS);
    expect(c.code).toMatch(/\n@group\(0\) @binding\(1\) var<storage, read_write> _ks_loops: array<u32>;\n/);
    expect(c.code).toMatch(/\n@compute @workgroup_size\(8\)\nfn main\(@builtin\(local_invocation_index\) l: u32\) \{\n {2}_ks_cut_main\(l\);\n {2}_ks_canary\(\);\n\}\n$/);
    // Once, after the kernel: none at its returns, where one inside a loop took a turn of llvmpipe's count each pass.
    expect(c.code.match(/_ks_canary\(\)/g)).toHaveLength(2);
  });

  // Trial 49: comments in the signature went into the wrapper's parameters, or closed the block comment the attributes
  // were put in; an entry's @diagnostic moved off the code it governs; @binding(999) put the canary at 1000.
  it('keeps comments out of the wrapper, @diagnostic on the code, and takes the lowest free binding', () => {
    const c = added(`@group(0) @binding(999) var<storage, read_write> o: array<u32>;
@diagnostic(off, derivative_uniformity) @compute // the layout of kernels/*.wgsl
@workgroup_size(8, // rows */
  1)
fn main(
  @builtin(local_invocation_index) l: u32, // one per row
) {
  for (var i = 0u; i < 3u; i++) { o[l] += 1u; }
}`);
    expect(c.binding).toBe(0);
    const lines = c.code.split('\n');
    expect(lines.slice(1, 6)).toEqual(['@diagnostic(off, derivative_uniformity) /*@*//*compute*/ // the layout of kernels/*.wgsl', '/*@*//*workgroup_size*//*(*//*8*//*,*/ // rows */',
      '  /*1*//*)*/', 'fn _ks_cut_main(', '  /*@*//*builtin*//*(*//*local_invocation_index*//*)*/ l: u32, // one per row']);
    expect(c.code).toContain('@diagnostic(off, derivative_uniformity) @compute @workgroup_size(8, 1)\nfn main(@builtin(local_invocation_index) l: u32,) {\n  _ks_cut_main(l);');
  });

  it('leaves alone a module without a loop', () => {
    expect(addCanary('@group(0) @binding(0) var<storage, read_write> o: array<u32>;\n@compute @workgroup_size(1) fn main() { o[0] = 1u; }')).toBeUndefined();
  });

  it('reads a binding given by a const, and says why where it cannot read the WGSL (wgsl_reflect 1.6.0 has no expressions in attributes)', () => {
    expect(added('const G = 2u;\nconst B: u32 = 4;\n@group(G) @binding(B) var<storage, read_write> o: array<u32>;\n@compute @workgroup_size(1) fn main() { for (var i = 0u; i < 3u; i++) { o[i] = 1u; } }'))
      .toMatchObject({ group: 2, binding: 0 });
    expect(addCanary('const B = 1u;\n@group(0) @binding(B + 1u) var<storage, read_write> o: array<u32>;\n@compute @workgroup_size(1) fn main() { for (var i = 0u; i < 3u; i++) { o[i] = 1u; } }'))
      .toMatch(/^its WGSL does not parse here \(Expected '\)'\. Line: 2\)$/);
  });

  it('is for llvmpipe adapters, by name or by Firefox\'s guess', () => {
    const info = (description: string) => ({ backend: 'deno' as const, status: 'ok' as const, adapter: { vendor: '', architecture: '', device: '', description } });
    expect(cutsLoops(info('llvmpipe (LLVM 15.0.6, 256 bits)'))).toBe(true);
    expect(cutsLoops(info('probably lavapipe (llvmpipe): the browser hides the adapter\'s name, and its maxComputeInvocationsPerWorkgroup is 1024'))).toBe(true);
    expect(cutsLoops(info('SwiftShader driver 5.0.0'))).toBe(false);
  });
});

/** One invocation per lane counts its loop's iterations into o[l]; each case's loop runs `n` times (a uniform). */
const COUNT = `@group(0) @binding(0) var<storage, read_write> o: array<u32>;
@group(0) @binding(1) var<uniform> n: vec4u;
@compute @workgroup_size(8)
fn main(@builtin(local_invocation_index) l: u32) {
  var c = 0u;
  if (n.y == 1u && l != 5u) { o[l] = 7u; return; }
  for (var i = 0u; i < n.x; i++) { c += 1u; }
  o[l] = c;
}`;
/** Every storage buffer WebGPU allows by default (8), and a loop. */
const EIGHT = `${[...Array(8).keys()].map((b) => `@group(0) @binding(${b}) var<storage, read_write> s${b}: array<u32>;`).join('\n')}
@compute @workgroup_size(1)
fn main() { for (var i = 0u; i < 3u; i++) { s0[i] = i + s1[0] + s2[0] + s3[0] + s4[0] + s5[0] + s6[0] + s7[0]; } }`;

const countCase = (n: number, onlyLane5 = false): BatchCase => ({
  buffers: [{ size: 32, kind: 'storage' }, { size: 16, kind: 'uniform', data: new Uint8Array(new Uint32Array([n, onlyLane5 ? 1 : 0, 0, 0]).buffer) }],
  dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }, { group: 0, binding: 1, buffer: 1 }], workgroups: [1, 1, 1] }],
  readback: [0],
});
const u32 = (b: Uint8Array) => [...new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4)];

const LAVAPIPE: BackendId[] = ['deno', 'firefox'];
const open = new Map<BackendId, Promise<Engine | undefined>>();
afterAll(async () => {
  for (const e of open.values()) await (await e)?.close();
});

describe.each(LAVAPIPE)('%s on lavapipe', (id) => {
  const engine = async () => {
    if (!open.has(id)) open.set(id, openEngine(id, { timeoutMs: 60_000 }).catch((e) => (e instanceof EngineUnavailable ? undefined : Promise.reject(e))));
    const e = await open.get(id)!;
    if (!e) console.log(`${id}: skipped, engine unavailable`);
    else if (!cutsLoops(e.info)) console.log(`${id}: skipped, its adapter is not llvmpipe (${e.info.adapter?.description})`);
    return e && cutsLoops(e.info) ? e : undefined;
  };

  it('a case whose loop ran past the limit comes back cut, the others with their outputs', async () => {
    const e = await engine();
    if (!e) return;
    const batch: DispatchBatch = { shaders: [COUNT], cases: [countCase(1000), countCase(100_000), countCase(LLVMPIPE_LOOP_LIMIT - 1000), countCase(200_000, true)] };
    const r = await e.execute(batch);
    expect(r.skipped).toEqual([undefined, CASE_CUT, undefined, CASE_CUT]);
    expect(u32(r.outputs[0]![0]!)).toEqual(new Array(8).fill(1000));
    expect(u32(r.outputs[2]![0]!)).toEqual(new Array(8).fill(LLVMPIPE_LOOP_LIMIT - 1000));
    expect(r.outputs[1]).toEqual([]);
    // Only lane 5 loops, and the others returned first: the lane still looping tells the cut.
    expect(r.outputs[3]).toEqual([]);
  }, 120_000);

  // Trial 48's kernels that the first canary got wrong, each a count of n.x loop iterations per lane.
  const styles = {
    // A return from inside the loop: the canary put there took a turn of the count each pass (cut from 32,766).
    returnInLoop: COUNT.replace('for (var i = 0u; i < n.x; i++) { c += 1u; }\n  o[l] = c;', 'for (var i = 0u; ; i++) { if (i == n.x) { o[l] = c; return; } c += 1u; }'),
    // Ten storage buffers declared, two used: the first canary counted the module's and left it out.
    tenDeclared: `${[...Array(8).keys()].map((b) => `@group(1) @binding(${b}) var<storage, read_write> spare${b}: array<u32>;`).join('\n')}\n${COUNT}`,
    // Bindings given by consts: the first canary could not name a slot and left it out.
    constBindings: `const O = 0u;\nconst N = 1u;\n${COUNT.replace('@binding(0)', '@binding(O)').replace('@binding(1)', '@binding(N)')}`,
    // A local that hides the builtin the canary calls: it broke the rewritten kernel.
    shadowsArrayLength: COUNT.replace('var c = 0u;', 'var c = 0u;\n  let arrayLength = 3u;'),
    // Comments in the signature (trial 49): a line comment after the last parameter, block-comment marks in one
    // among the attributes.
    commentedSignature: COUNT.replace('@compute @workgroup_size(8)\nfn main(@builtin(local_invocation_index) l: u32) {',
      '@compute // like kernels/*.wgsl\n@workgroup_size(8, // */\n 1)\nfn main(\n  @builtin(local_invocation_index) l: u32, // one per lane\n) {'),
  };

  it.each(Object.entries(styles))('%s: a case past the limit comes back cut, one of 40,000 iterations with its outputs', async (_, code) => {
    const e = await engine();
    if (!e) return;
    const r = await e.execute({ shaders: [code], cases: [countCase(40_000), countCase(100_000)] });
    expect(r.skipped).toEqual([undefined, CASE_CUT]);
    expect(u32(r.outputs[0]![0]!)).toEqual([...new Array(8).fill(40_000)]);
  }, 120_000);

  it('a kernel the canary cannot be put in is run, and not judged: every case says why', async () => {
    const e = await engine();
    if (!e) return;
    // Valid WGSL that wgsl_reflect 1.6.0 does not parse (an expression in @binding).
    const code = `const B = 0u;\n${COUNT.replace('@binding(1)', '@binding(B + 1u)')}`;
    const r = await e.execute({ shaders: [code], cases: [countCase(10)] });
    expect(r.skipped?.[0]).toMatch(new RegExp(`^${NOT_ADDED.replace(/[()]/g, '\\$&')} \\(its WGSL does not parse here`));
    expect(r.outputs[0]).toEqual([]);
  }, 120_000);

  it('a kernel with all 8 default storage buffers gets room for the canary\'s, and its outputs', async () => {
    const e = await engine();
    if (!e) return;
    const buffers = [...Array(8).keys()].map(() => ({ size: 16, kind: 'storage' as const }));
    const r = await e.execute({ shaders: [EIGHT], cases: [{ buffers, dispatches: [{ shader: 0, entry: 'main', bindings: buffers.map((_, b) => ({ group: 0, binding: b, buffer: b })), workgroups: [1, 1, 1] }], readback: [0] }] });
    expect(r.skipped?.[0]).toBeUndefined();
    expect(u32(r.outputs[0]![0]!)).toEqual([0, 1, 2, 0]);
  }, 120_000);
});

// A mutant whose loop never ends is a Timeout on Deno as on Dawn (Stryker counts it detected). Before the canary,
// scan's `off * 2u -> off / 2u` came back from llvmpipe with wrong values and was "killed" by them.
describe('mutate on deno', () => {
  it('calls a mutant that llvmpipe cut short a Timeout, naming the limit', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-mut-'));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'mutate', 'scan', '--backend', 'deno', '--runs', '5', '--operator', 'ArithmeticOperator', '--out', out],
      { cwd: ROOT, encoding: 'utf8', timeout: 290_000 });
    if (/deno.*(unavailable|could not start)/i.test(r.stderr + r.stdout)) return void console.log('deno: skipped, engine unavailable');
    const report = JSON.parse(readFileSync(join(out, 'mutation.json'), 'utf8')) as { files: Record<string, { mutants: { status: string; statusReason?: string; replacement: string; location: { start: { line: number } } }[] }> };
    const timeouts = report.files['kernels/scan.wgsl']!.mutants.filter((m) => m.status === 'Timeout');
    expect(timeouts.map((m) => m.replacement)).toEqual(['/', '/']);
    // The cut, or, where llvmpipe needs more than the watchdog's 15 s of CPU to reach it (beside two CPU-bound jobs,
    // 2026-12-07, an AMD EPYC), the watchdog: a Timeout either way, never "killed" by the cut run's values.
    for (const m of timeouts) expect(m.statusReason).toMatch(new RegExp(`: its loops ${LOOP_CUT} \\(a loop that never ends counts as detected, as a hang does\\)$|, ended by the watchdog: .* \\(a hang counts as detected\\)$`));
  }, 300_000);
});
