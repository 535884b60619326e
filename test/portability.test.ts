// WGSL that is correct but that engines we run compile wrongly (harness/run/portability.ts): found through the AST, and
// said beside a failure on a GPU engine, so that a correct kernel failing there and passing on the interpreter is not
// taken for a wrong one without a word. The Dawn run also pins the engine's behaviour: if a Dawn upgrade zeroes the
// variable each iteration, the kernel passes there and this test says to revisit the note.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WgslParser } from 'wgsl_reflect/wgsl_reflect.module.js';
import { describe, expect, it, vi } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';
import { atomicLocks, workgroupAtomicsBeforeBarrier, laneReachNotes, laneReaches, loopVarsWithoutInitializer, readsVariable, spinWaitNotes, spinWaits, subgroupSlotNotes, subgroupSlots, updatedAtomics, withInitializers } from '../harness/run/portability.ts';
import { reflect } from '../harness/run/reflect.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('a var without an initializer inside a loop', () => {
  it('is found in every kind of loop and block within one, not outside loops nor with an initializer', () => {
    const code = `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(1)
fn main() {
  var a: f32;
  for (var i = 0u; i < 3u; i++) {
    var p: vec4<f32>;
    var q = 0.0;
    { var b: u32; }
    if (i > 0u) { var r: array<u32, 2>; } else { var s: f32; }
    loop { var t: i32; break; continuing { var u: f32; } }
    while (false) { switch (i) { case 0u: { var w: mat2x2<f32>; } default: {} } }
  }
  { var z: f32; for (var k = 0; k < 2; k++) { var c: f32; } }
}`;
    expect(loopVarsWithoutInitializer(code).map((v) => `${v.name}:${v.line}:${v.type}`)).toEqual([
      'p:6:vec4<f32>', 'b:8:u32', 'r:9:array<u32, 2>', 's:9:f32', 't:10:i32', 'u:10:f32', 'w:11:mat2x2<f32>', 'c:13:f32',
    ]);
  });

  it('is given its zero value as an initializer, its type as written, and nothing else changes', () => {
    const code = `const N = 3u;
fn main() {
  for (var i = 0u; i < 3u; i++) {
    var  wk :array<f32, N * 2u> ;
    var q = 0.0;
    var m: mat2x2<f32>; var v: vec3<u32>;
    var<function> t: f32;
  }
}`;
    expect(withInitializers(code, loopVarsWithoutInitializer(code))).toBe(`const N = 3u;
fn main() {
  for (var i = 0u; i < 3u; i++) {
    var  wk :array<f32, N * 2u> = array<f32, N * 2u>() ;
    var q = 0.0;
    var m: mat2x2<f32> = mat2x2<f32>(); var v: vec3<u32> = vec3<u32>();
    var<function> t: f32 = f32();
  }
}`);
  });

  // wgsl_reflect keeps a loop's continuing block both among the loop's statements and as its `continuing` field: a
  // walk over both would name the variable twice, and so put the advice twice beside a failure.
  it('in a continuing block is reported once', () => {
    const code = `@compute @workgroup_size(1)
fn main() {
  var i = 0u;
  loop {
    if (i >= 4u) { break; }
    continuing {
      var x: f32;
      i++;
    }
  }
}`;
    expect(loopVarsWithoutInitializer(code)).toMatchObject([{ name: 'x', line: 7, type: 'f32' }]);
    expect(loopVarsWithoutInitializer(code)).toHaveLength(1);
  });

  // A kernel's WGSL is parsed by reflect.ts, which keeps the AST; this check reads that AST instead of parsing again
  // (it had its own parse, and WgslReflect a third).
  it('is found in the AST reflect.ts keeps: the text is parsed once', () => {
    const code = `@compute @workgroup_size(1)\nfn main() { for (var i = 0; i < 2; i++) { var once: f32; } }\n// parsed once\n`;
    const parse = vi.spyOn(WgslParser.prototype, 'parse');
    try {
      reflect(code);
      expect(loopVarsWithoutInitializer(code).map((v) => v.name)).toEqual(['once']);
      expect(loopVarsWithoutInitializer(code).map((v) => v.name)).toEqual(['once']);
      expect(parse.mock.calls.filter(([text]) => text === code)).toHaveLength(1);
    } finally {
      parse.mockRestore();
    }
  });

  it('fails on Dawn with the advice and the proof beside the failure, passes on the interpreter, and the run says why once', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-portability-'));
    const r = spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', '--wgsl', 'relu=test/portability/relu_loop_var.wgsl', '--backend', 'dawn,interpreter',
      '--property', 'matches-reference', '--runs', '5', '--out', out, '--fixtures', join(out, 'fx')], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    const by = Object.fromEntries(res.results.map((x) => [x.backend, x]));
    expect(by.interpreter).toMatchObject({ status: 'pass' });
    expect(by.dawn).toMatchObject({ status: 'fail' });
    // The kernel with `var acc = f32();` passes the failing case on Dawn: the clause says so, not "if".
    expect(by.dawn!.error).toMatch(/\(test\/portability\/relu_loop_var\.wgsl:15: 'var acc' has no initializer inside a loop, so WGSL zeroes it on every iteration, and dawn does not: with 'var acc = f32\(\);' the same case passes on dawn, so this failure is the engine's; write that to be portable\)$/);
    expect(by.interpreter!.error).toBeUndefined();
    expect(r.stderr.match(/^note: test\/portability\/relu_loop_var\.wgsl:15: 'var acc' is declared without an initializer inside a loop\./gm)).toHaveLength(1);
  }, 180_000);

  // The converse (trial 41's row sum): a kernel that relies on the kept value passes on Dawn as written, and is wrong
  // by WGSL. Its twin with the variable initialized, the same kernel by WGSL's rules, runs beside the pass and fails it.
  it('relied on, fails on Dawn as WGSL defines the kernel, as on the interpreter, where the kernel as written passes', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-portability-'));
    spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', '--wgsl', 'relu=test/portability/relu_loop_var_relies.wgsl', '--backend', 'dawn,interpreter',
      '--property', 'matches-reference,deterministic', '--runs', '5', '--out', out, '--fixtures', join(out, 'fx')], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    const at = (backend: string, property: string) => res.results.find((x) => x.backend === backend && x.property === property)!;
    expect(at('interpreter', 'matches-reference')).toMatchObject({ status: 'fail' });
    expect(at('dawn', 'matches-reference')).toMatchObject({ status: 'fail' });
    expect(at('dawn', 'matches-reference').error).toMatch(/^y\[\d+\] = [-\d.e]+ but the reference is [-\d.e]+ .*, on the case \{.*\} run as WGSL defines the kernel \(test\/portability\/relu_loop_var_relies\.wgsl:16: 'var acc' has no initializer inside a loop, so WGSL zeroes it on every iteration, and dawn does not: the kernel as written passes here on the value dawn keeps/);
    expect(at('dawn', 'matches-reference').counterexample).toBeUndefined();
    // A property the twin passes too stays a pass.
    expect(at('dawn', 'deterministic')).toMatchObject({ status: 'pass' });
  }, 180_000);

  // Its twin with the variable initialized fails the same case: the variable does not explain this failure, and
  // neither the clause nor the note is said.
  it('is not named beside a failure that the kernel with it initialized has too', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-portability-'));
    const r = spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', '--wgsl', 'relu=test/portability/relu_loop_var_wrong.wgsl', '--backend', 'dawn',
      '--property', 'matches-reference', '--runs', '5', '--out', out, '--fixtures', join(out, 'fx')], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
    expect(res.results[0]).toMatchObject({ status: 'fail' });
    expect(res.results[0]!.error).not.toMatch(/initializer/);
    expect(r.stderr).not.toMatch(/initializer/);
  }, 180_000);
});

// A trial's subgroup reduction, and test/field's own before it, kept each subgroup's sum at partial[lid / sg_size]:
// right only where a subgroup is consecutive invocations, which WGSL does not promise and every engine here does.
describe('a subgroup taken to be consecutive invocations', () => {
  it('is found where a local index is divided by the subgroup_size builtin, and nowhere else', () => {
    const old = readFileSync(join(ROOT, 'test/portability/subgroup_sum_consecutive.wgsl'), 'utf8');
    const line = old.split('\n').findIndex((l) => l.includes('partial[lid / sg_size] = s')) + 1;
    expect(subgroupSlots(old)).toEqual([{ line, text: 'lid / sg_size' }]);
    // The count of subgroups (WG / sg_size) is no slot; nor is the portable form, nor a module without subgroups.
    for (const file of ['test/field/kernels/subgroup_sum.wgsl', 'kernels/relu.wgsl']) expect(subgroupSlots(readFileSync(join(ROOT, file), 'utf8')), file).toEqual([]);
    const viaId = old.replace('@builtin(local_invocation_index) lid: u32', '@builtin(local_invocation_id) l3: vec3u').replace(/lid/g, 'l3.x');
    expect(subgroupSlots(viaId).map((s) => s.text)).toEqual(['l3.x / sg_size']);
    // Through a let of the size, or a shift by its log (a trial's forms that passed without the note).
    const alias = old.replace('let sg_count = WG / sg_size;', 'let sgs = sg_size;\n  let sg_count = WG / sgs;').replace('partial[lid / sg_size] = s', 'partial[lid / sgs] = s');
    expect(subgroupSlots(alias).map((s) => s.text)).toEqual(['lid / sgs']);
    const local = old.replace('@builtin(local_invocation_index) lid: u32', '@builtin(local_invocation_id) lidv: vec3u').replace('let row = wid.x;', 'let row = wid.x;\n  let lid = lidv.x;');
    expect(subgroupSlots(local).map((s) => s.text)).toEqual(['lid / sg_size']);
    // In a helper the entry point hands the size and the local index to (trial 71's wg_reduce).
    const helper = `enable subgroups;
fn slot(v: f32, li: u32, sgs: u32) -> u32 { return li / sgs + u32(v); }
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32, @builtin(subgroup_size) sg_size: u32) {
  let s = subgroupAdd(1.0);
  _ = slot(s, lid, sg_size);
}`;
    expect(subgroupSlots(helper)).toEqual([{ line: 2, text: 'li / sgs' }]);
    // A lane's place from the local index, a leader by `lid % sg_size == 0u` (trial 70), or a mask by size − 1.
    const leader = old.replace('partial[lid / sg_size] = s', 'partial[lid] = select(0.0, s, lid % sg_size == 0u && (lid & (sg_size - 1u)) == 0u)');
    expect(subgroupSlots(leader).map((s) => s.text)).toEqual(['lid % sg_size', 'lid & (sg_size - 1u)']);
    const shift = old.replace('partial[lid / sg_size] = s', 'partial[lid >> firstTrailingBit(sg_size)] = s');
    expect(subgroupSlots(shift).map((s) => s.text)).toEqual(['lid >> firstTrailingBit(sg_size)']);
    const program = { sources: { 'sum.wgsl': old }, origins: { 'sum.wgsl': 'lib/sum.wgsl' } } as unknown as Parameters<typeof subgroupSlotNotes>[0];
    expect(subgroupSlotNotes(program)).toEqual([`lib/sum.wgsl:${line}: 'lid / sg_size' takes each subgroup to be consecutive invocations, which WGSL does not promise; every engine here groups them so and cannot show otherwise (docs/writing-a-kernel.md, Pitfalls)`]);
  });
});

// Trial 53's butterfly over offsets 16..1 assumed 32 lanes; SwiftShader's subgroups have 4 and give 0 for a lane past
// them, so the sum came out right and the wrong kernel passed on Dawn and Chromium, with no word.
describe('a lane read past the subgroup', () => {
  const kernel = (body: string) => `enable subgroups;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(subgroup_size) sg: u32) {
  var v = y[lid];
  ${body}
  y[lid] = v;
}`;
  it('is found where a literal, or a for variable that starts at one, reaches the adapter\'s subgroup size', () => {
    const butterfly = kernel('for (var off = 16u; off > 0u; off >>= 1u) { v += subgroupShuffleXor(v, off); }');
    expect(laneReaches(butterfly, 4)).toEqual([{ line: 6, text: 'subgroupShuffleXor(v, off)', builtin: 'subgroupShuffleXor', reach: 16 }]);
    expect(laneReaches(butterfly, 32)).toEqual([]);
    expect(laneReaches(kernel('v = subgroupBroadcast(v, 5u);'), 4).map((r) => r.reach)).toEqual([5]);
    expect(laneReaches(kernel('v = subgroupShuffleDown(v, 4u);'), 4).map((r) => r.builtin)).toEqual(['subgroupShuffleDown']);
    // Trial 54: a shuffle-down tree counting up to its bound (whose offsets stop at 16, trial 70 B1), and a bounded
    // butterfly beside a loop of the same name.
    expect(laneReaches(kernel('for (var off = 1u; off < 32u; off <<= 1u) { v += subgroupShuffleDown(v, off); }'), 4).map((r) => r.reach)).toEqual([16]);
    expect(laneReaches(kernel('for (var off = 1u; off < 32u; off++) { v += subgroupShuffleDown(v, off); }'), 4).map((r) => r.reach)).toEqual([31]);
    // A lane the loop's offset sets a floor under (trial 70 B3's `i32(lane) ^ off`).
    expect(laneReaches(kernel('for (var off = 16; off > 0; off /= 2) { v += subgroupShuffle(v, i32(lid) ^ off); }'), 4).map((r) => r.reach)).toEqual([16]);
    const two = kernel(`for (var off = sg / 2u; off > 0u; off >>= 1u) { v += subgroupShuffleXor(v, off); }
  for (var off = 16u; off > 0u; off >>= 1u) { v += subgroupShuffleDown(v, off); }`);
    expect(laneReaches(two, 4).map((r) => r.builtin)).toEqual(['subgroupShuffleDown']);
    // Bounded by the subgroup's size, or an offset of one (the last lane's value is the kernel's to ignore): no note.
    for (const body of ['for (var off = sg / 2u; off > 0u; off >>= 1u) { v += subgroupShuffleXor(v, off); }', 'v += subgroupShuffleDown(v, 1u);', 'v = subgroupAdd(v);',
      'for (var off = 16u; off > 0u; off >>= 1u) { if (off < sg) { v += subgroupShuffleXor(v, off); } }',
      // A read the kernel drops by the size (trial 70 B2), or a step it skips by it.
      'for (var off = 64u; off > 0u; off >>= 1u) { let o = subgroupShuffleXor(v, off); v += select(0.0, o, off < sg); }',
      'for (var off = 64u; off > 0u; off >>= 1u) { if (off >= sg) { continue; } v += subgroupShuffleXor(v, off); }']) {
      expect(laneReaches(kernel(body), 4), body).toEqual([]);
    }
    const program = { sources: { 'k.wgsl': butterfly }, origins: { 'k.wgsl': 'lib/k.wgsl' } } as unknown as Parameters<typeof laneReachNotes>[0];
    expect(laneReachNotes(program, 4)).toEqual(["lib/k.wgsl:6: subgroupShuffleXor(v, off) reads lane or offset 16, past this adapter's subgroups of 4 lanes, where WGSL leaves the value indeterminate (SwiftShader gives 0), so a pass here does not show the kernel right on any subgroup size; bound the lane by subgroup_size (docs/writing-a-kernel.md, Pitfalls)"]);
  });
});

// Trial 39's correct look-back scan failed now and then on Deno and Firefox alone: llvmpipe ends an invocation's loops
// after 65,535 iterations, and the wait fell through. The wait is named beside the verdict on every engine.
describe('a loop that waits on another workgroup', () => {
  const code = readFileSync(join(ROOT, 'test/portability/lookback_spin.wgsl'), 'utf8');
  const lineOf = (text: string, from = 0) => code.split('\n').findIndex((l, i) => i >= from && l.includes(text)) + 1;

  it('is found where the exit depends on an atomicLoad of storage, and not in a bounded loop or a compare-exchange retry', () => {
    expect(spinWaits(code)).toEqual([{ line: lineOf('loop {'), variable: 'state' }]);
    // A while whose condition loads, and a spin on a var reassigned from the load (trial 38's chained scan).
    expect(spinWaits(readFileSync(join(ROOT, 'test/interpreter-cases/spin-on-flag.wgsl'), 'utf8'))).toEqual([{ line: 7, variable: 'flag' }]);
    const reloaded = `@group(0) @binding(0) var<storage, read_write> carry: array<atomic<u32>>;
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3u) {
  var prev = atomicLoad(&carry[wid.x]);
  loop {
    if (prev != 0u) { break; }
    prev = atomicLoad(&carry[wid.x]);
  }
  atomicStore(&carry[wid.x + 1u], prev + 1u);
}`;
    expect(spinWaits(reloaded)).toEqual([{ line: 5, variable: 'carry' }]);
    // `break if` in a continuing block, which wgsl_reflect keeps as a break with a condition.
    const breakIf = reloaded.replace('if (prev != 0u) { break; }\n    prev = atomicLoad(&carry[wid.x]);', 'continuing { prev = atomicLoad(&carry[wid.x]); break if prev != 0u; }');
    expect(breakIf).not.toBe(reloaded);
    expect(spinWaits(breakIf)).toEqual([{ line: 5, variable: 'carry' }]);
    // Trial 122 A1: a whole workgroup's look-back, whose flag is set under an if on the load and read back through
    // workgroupUniformLoad to leave the loop.
    const cooperative = `@group(0) @binding(0) var<storage, read_write> carry: array<atomic<u32>>;
var<workgroup> done: u32;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  loop {
    if (lid == 0u) { if (atomicLoad(&carry[wid.x]) != 0u) { done = 1u; } }
    if (workgroupUniformLoad(&done) != 0u) { break; }
  }
}`;
    expect(spinWaits(cooperative)).toEqual([{ line: 5, variable: 'carry' }]);
    // Trial 123 A4: the wait read through a let that holds a pointer into storage.
    const pointer = reloaded.replace('var prev = atomicLoad(&carry[wid.x]);', 'let fp = &carry[wid.x];\n  var prev = atomicLoad(fp);').replace('prev = atomicLoad(&carry[wid.x]);\n  }', 'prev = atomicLoad(fp);\n  }');
    expect(pointer).not.toContain('atomicLoad(&carry');
    expect(spinWaits(pointer)).toEqual([{ line: 6, variable: 'carry' }]);
    // Trial 42's: the flag read through a helper, or by an update that changes nothing, and a loop that goes round again
    // on it are waits; a capped compare-exchange increment and a loop counted up to a loaded bound are not.
    const wait = (body: string, helper = '') => spinWaits(`@group(0) @binding(0) var<storage, read_write> st: array<atomic<u32>>;
${helper}
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3u) {
  var p = 0u;
${body}
  atomicStore(&st[wid.x + 1u], p + 1u);
}`).map((w) => w.variable);
    expect(wait('  loop { let f = flag(wid.x); if (f != 0u) { p = f; break; } }', 'fn flag(i: u32) -> u32 { return atomicLoad(&st[i]); }')).toEqual(['st']);
    expect(wait('  loop { let f = atomicOr(&st[wid.x], 0u); if (f != 0u) { p = f; break; } }')).toEqual(['st']);
    // Trial 123 A4: a compare-exchange that stores what it compares with is a read too; one that stores another is not.
    expect(wait('  loop { let r = atomicCompareExchangeWeak(&st[wid.x], 0u, 0u); if (r.old_value != 0u) { p = r.old_value; break; } }')).toEqual(['st']);
    expect(wait('  loop { let r = atomicCompareExchangeWeak(&st[wid.x], 0u, 1u); if (r.old_value != 0u) { p = r.old_value; break; } }')).toEqual([]);
    expect(wait('  loop { let f = atomicLoad(&st[wid.x]); if (f == 0u) { continue; } p = f; break; }')).toEqual(['st']);
    expect(wait('  loop { let old = atomicLoad(&st[0]); if (old >= 1000u) { break; } let r = atomicCompareExchangeWeak(&st[0], old, old + 1u); if (r.exchanged) { break; } }')).toEqual([]);
    expect(wait('  for (var k = 0u; k < atomicLoad(&st[0]); k++) { p += k; }')).toEqual([]);
    // The wait inside a helper that takes the flag by a ptr<storage> and leaves by `return`: named by what main passes.
    expect(spinWaits(`@group(0) @binding(0) var<storage, read_write> flags: array<atomic<u32>>;
fn waitFor(f: ptr<storage, atomic<u32>, read_write>) -> u32 {
  loop {
    let v = atomicLoad(f);
    if (v != 0u) { return v; }
  }
}
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) w: vec3u) {
  if (w.x > 0u) { let p = waitFor(&flags[w.x - 1u]); }
  atomicStore(&flags[w.x], 1u);
}`)).toEqual([{ line: 3, variable: 'flags' }]);
    // A search counted over the flags leaves on a loaded value too, by `break` or `return`: bounded, not a wait.
    expect(wait('  for (var k = 0u; k < 16u; k++) { if (atomicLoad(&st[k]) == wid.x) { return; } }')).toEqual([]);
    // Trial 45's hash-table lookup: a probe that moves to the next slot every time round reads another atomic each
    // time, bounded by its count or not: a walk, not a wait. Moving on only under an if (a look-back) is a wait.
    const probe = (step: string) => wait(`  var slot = wid.x;
  loop {
    let v = atomicLoad(&st[slot]);
    if (v == 7u) { p = v; break; }
${step}
  }`);
    expect(probe('    slot = (slot + 1u) & 15u;')).toEqual([]);
    expect(probe('    if (v == 1u) { slot = (slot + 1u) & 15u; }')).toEqual(['st']);
    expect(probe('    continuing { slot += 1u; }')).toEqual([]);
    // Trial 96 A1: the usual look-back goes round again on the same slot (`continue`) until the flag is set, and only
    // then moves on: a wait, though the move is a statement of the body itself.
    const lookBack = (skip: string) => wait(`  var j = wid.x;
  loop {
    let f = atomicLoad(&st[j]);
${skip}
    p += f;
    if (f > 1u) { break; }
    j = j - 1u;
  }`);
    expect(lookBack('    if (f == 0u) { continue; }')).toEqual(['st']);
    // Without the continue, each time round reads the next slot: a walk.
    expect(lookBack('')).toEqual([]);
    // No wait in the library's kernels, nor in the compare-exchange loops of the atomics field.
    for (const file of ['kernels/histogram.wgsl', 'test/field-atomics/kernels/scatter_add.wgsl', 'test/interpreter-cases/compare-exchange-loop.wgsl']) {
      expect(spinWaits(readFileSync(join(ROOT, file), 'utf8')), file).toEqual([]);
    }
    const program = { sources: { 'scan.wgsl': code }, origins: { 'scan.wgsl': 'lib/scan.wgsl' } } as unknown as Parameters<typeof spinWaitNotes>[0];
    expect(spinWaitNotes(program)).toEqual([`lib/scan.wgsl:${lineOf('loop {')}: this loop waits until a read of the atomic 'state' sees another invocation's store: WebGPU promises no forward progress between workgroups, so the wait may never end on some GPU; Mesa's llvmpipe (Deno and Firefox here) ends an invocation's loops after 65,535 iterations with no error, and a case whose wait it cut is not judged there (docs/writing-a-kernel.md, Pitfalls)`]);
  });
});

// The lost-update note (cli/test.ts schedulingNote) is for atomics some invocation updates: trial 42's clear pass
// (atomicStore) and read (atomicLoad) alone got it.
it('updatedAtomics names the variables an atomic read-modify-write updates, not those only stored and loaded', () => {
  expect([...updatedAtomics(readFileSync(join(ROOT, 'kernels/histogram.wgsl'), 'utf8'))].sort()).toEqual(['counts', 'local_bins']);
  expect([...updatedAtomics(readFileSync(join(ROOT, 'test/interpreter-cases/spin-on-flag.wgsl'), 'utf8'))]).toEqual([]);
  expect([...updatedAtomics(readFileSync(join(ROOT, 'test/portability/lookback_spin.wgsl'), 'utf8'))]).toEqual(['bins']);
});


/** A helper that spins until another invocation stores to flags[k]: added to the library's add. */
const WAIT_FOR = `@group(1) @binding(0) var<storage, read_write> flags: array<atomic<u32>>;
fn waitFor(k: u32) {
  loop {
    if (atomicLoad(&flags[k]) != 0u) { break; }
  }
}`;

// Trial 59 A1: the interpreter runs workgroups one after another, each whole, so a look-back's predecessor is always
// done: two wrong decoupled look-back scans passed there while Dawn failed them. A kernel that waits on another
// workgroup's store is not judged on its values there; its accesses are.
it("the interpreter does not judge the values of a kernel that waits on another workgroup's store", async () => {
  const { loadKernels } = await import('../harness/run/registry.ts');
  const { runProperty } = await import('../harness/run/property-runner.ts');
  const { openInterpreter } = await import('../harness/engines/interpreter.ts');
  const add = (await loadKernels(ROOT, ['add'])).get('add')!;
  const waiting = `${add.program.sources['add.wgsl']}\n${WAIT_FOR}`;
  const k = { ...add, program: { ...add.program, sources: { 'add.wgsl': waiting }, origins: { 'add.wgsl': 'lib/add.wgsl' } } };
  const run = (name: string) => runProperty(openInterpreter(), k, k.properties.find((p) => p.name === name)!, { seed: 1, runs: 2 });
  const r = await run('matches-reference');
  expect(r).toMatchObject({ status: 'skip', runs: 0 });
  expect(r.error).toMatch(/^not judged on the interpreter: the loop at lib\/add\.wgsl:\d+ waits for another workgroup's store, and the interpreter runs workgroups one after another, each whole/);
  expect((await run('no-out-of-bounds')).status).toBe('pass');
  // The library's add, which waits on nothing, is judged.
  expect((await runProperty(openInterpreter(), add, add.properties.find((p) => p.name === 'matches-reference')!, { seed: 1, runs: 2 })).status).toBe('pass');
});

// Trial 59 B2: writes-every-output blamed a wrong look-back scan's starting contents ("depends on what the outputs
// held before the kernel ran"), which its first stage had cleared: the runs differed by how the workgroups ran.
it("writes-every-output says a kernel that waits on another workgroup's store differs from run to run", async () => {
  const { loadKernels } = await import('../harness/run/registry.ts');
  const { writesEveryOutput } = await import('../harness/run/universal.ts');
  const add = (await loadKernels(ROOT, ['add'])).get('add')!;
  const waiting = `${add.program.sources['add.wgsl']}\n${WAIT_FOR}`;
  const c = { shape: { n: 2 }, inputs: { a: Float32Array.of(1, 2), b: Float32Array.of(3, 4) } };
  const outs = (second: number) => [Float32Array.of(4, 6), Float32Array.of(4, second), Float32Array.of(4, 6)].map((y) => ({ ...c.inputs, c: y }));
  const check = (program: typeof add.program) => writesEveryOutput(add.program.spec, add.family, program).check(c, outs(5));
  const spins = check({ ...add.program, sources: { 'add.wgsl': waiting }, origins: { 'add.wgsl': 'lib/add.wgsl' } });
  expect(spins.message).toMatch(/^c\[1\] differs from run to run: 6 in one run and 5 in another, which started with other contents; the loop at lib\/add\.wgsl:\d+ waits for another workgroup's store, so what the kernel computes can depend on the order its workgroups ran in/);
  // A kernel that waits on nothing is told what it read.
  expect(check(add.program).message).toMatch(/^c\[1\] depends on what the outputs held before the kernel ran/);
});

// Trials 64, 65, 66: places right for one subgroup size alone, which is every engine's here.
it('subgroupWidths: a local index by the adapter\'s lane count as a literal, and a ballot read through its first word alone', async () => {
  const { subgroupWidths } = await import('../harness/run/portability.ts');
  const code = `enable subgroups;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32, @builtin(subgroup_size) sgs: u32) {
  let b = subgroupBallot(lid > 1u);
  let c = subgroupBallot(lid > 3u);
  let i = lid;
  let n = countOneBits(subgroupBallot(lid > 2u).x) + countOneBits(b[0]) + countOneBits(c.x) + countOneBits(c.y);
  let s = subgroupAdd(1.0);
  let a = (i % 4u) + (lid / 4u) + (lid & 3u) + (lid >> 2u) + (lid % 8u) + (lid / sgs) + (n % 4u);
}
@compute @workgroup_size(64) fn plain(@builtin(local_invocation_index) lid: u32) { let channel = lid % 4u; }`;
  const found = subgroupWidths(code, 4);
  expect(found.map((w) => w.text)).toEqual(['i % 4u', 'lid / 4u', 'lid & 3u', 'lid >> 2u', 'subgroupBallot(lid > 2u).x', 'b[0]', 'c.x']);
  // Lane reads that stop at the count (trial 70 A2): a butterfly bounded by 4, one started at 2, the last lane as 3.
  const four = `enable subgroups;
@compute @workgroup_size(128) fn main(@builtin(subgroup_size) sgs: u32) {
  var m = 1.0;
  for (var off = 1u; off < 4u; off <<= 1u) { m = max(m, subgroupShuffleXor(m, off)); }
  for (var off = 2u; off > 0u; off >>= 1u) { m += subgroupShuffleDown(m, off); }
  for (var off = 1u; off < sgs; off <<= 1u) { m += subgroupShuffleXor(m, off); }
  m += subgroupBroadcast(m, 3u) + subgroupBroadcast(m, 0u);
}`;
  expect(subgroupWidths(four, 4).map((w) => w.text)).toEqual(['off < 4u', 'off > 0u', 'subgroupBroadcast(m, 3u)']);
  // Trial 115 B2: a tree of 4 lanes stays inside every subgroup: its note says when it is right, not to change it.
  const { subgroupWidthNotes } = await import('../harness/run/portability.ts');
  const notes = subgroupWidthNotes({ spec: { name: 'k' }, sources: { 'k.wgsl': four }, origins: { 'k.wgsl': 'k.wgsl' } } as never, 4);
  expect(notes[0]).toMatch(/^k\.wgsl:\d+: 'off < 4u' stops its lane reads .*: a tree of 4 lanes stays inside every subgroup \(4 is WebGPU's smallest\), so it is right on every device where what follows combines its groups of 4 lanes/);
  expect(notes[2]).toMatch(/'subgroupBroadcast\(m, 3u\)' takes lane 3 .*: right for subgroups of 4 lanes/);
  // A tree of offsets that joins fewer than 128 lanes: a loop's (trial 70 B1), or literals' (trial 70 A2's shuffle-down
  // by 2u then 1u); none where the tree reaches 128, nor for literals beside a loop counted from the size.
  const trees = (body: string) => subgroupWidths(`enable subgroups;
@compute @workgroup_size(128) fn main(@builtin(subgroup_size) sgs: u32, @builtin(subgroup_invocation_id) lane: u32) {
  var m = 1.0;
  ${body}
}`, 4).map((w) => [w.text, w.rightFor]);
  expect(trees('for (var off = 1u; off < 32u; off <<= 1u) { let t = subgroupShuffleUp(m, off); if (lane >= off) { m += t; } }')).toEqual([['off < 32u', 'of 32 lanes or fewer']]);
  expect(trees('m += subgroupShuffleDown(m, 2u);\n  m += subgroupShuffleDown(m, 1u);')).toEqual([['subgroupShuffleDown(m, 2u)', 'of 4 lanes']]);
  expect(trees('m += subgroupShuffleXor(m, 8u); m += subgroupShuffleXor(m, 4u); m += subgroupShuffleXor(m, 2u); m += subgroupShuffleXor(m, 1u);')).toEqual([['subgroupShuffleXor(m, 8u)', 'of 16 lanes or fewer']]);
  // A workgroup a 128-lane subgroup would not fill, reading lanes counted from the size (trial 70 A5): lanes past 64
  // would be inactive. None at 128 invocations (trees() above). A size from an override is judged at its default
  // (trial 127 B1), and one with no default not at all.
  const partial = (size: string) => subgroupWidths(`enable subgroups;
override WG = 64u;
@compute @workgroup_size(${size}) fn main(@builtin(subgroup_size) sgs: u32) {
  var m = 1.0;
  for (var off = sgs / 2u; off > 0u; off >>= 1u) { m += subgroupShuffleXor(m, off); }
}`, 4).map((w) => w.rightFor);
  expect([partial('64'), partial('32, 3'), partial('WG'), partial('256'), partial('WG * 2u')]).toEqual([['of 64 lanes or fewer'], ['of 32 lanes or fewer'], ['of 64 lanes or fewer'], [], []]);
  expect(subgroupWidths(`enable subgroups;\noverride WG: u32;\n@compute @workgroup_size(WG) fn main(@builtin(subgroup_size) sgs: u32) {
  var m = 1.0;
  for (var off = sgs / 2u; off > 0u; off >>= 1u) { m += subgroupShuffleXor(m, off); }
}`, 4)).toEqual([]);
  for (const body of ['for (var off = 64u; off > 0u; off >>= 1u) { m += select(0.0, subgroupShuffleXor(m, off), off < sgs); }', 'm += subgroupShuffleDown(m, 1u);',
    'for (var off = sgs / 2u; off > 2u; off >>= 1u) { m += subgroupShuffleDown(m, off); }\n  m += subgroupShuffleDown(m, 2u);\n  m += subgroupShuffleDown(m, 1u);']) {
    expect(trees(body), body).toEqual([]);
  }
  // The size capped below 128, in a helper given it (trial 159 A1): the lanes past the cap are left out; no note for a
  // cap of 128 or for a helper given something else.
  const capped = (cap: string, passed = 'sgs') => subgroupWidths(`enable subgroups;
fn sum(v: f32, n: u32) -> f32 {
  var s = v;
  let width = min(n, ${cap});
  for (var off = width / 2u; off > 0u; off >>= 1u) { s += subgroupShuffleXor(s, off); }
  return s;
}
@compute @workgroup_size(128) fn main(@builtin(subgroup_size) sgs: u32, @builtin(subgroup_invocation_id) lane: u32) {
  let t = sum(1.0, ${passed});
}`, 4).map((w) => [w.text, w.rightFor]);
  expect(capped('32u')).toEqual([['min(n, 32u)', 'of 32 lanes or fewer']]);
  expect([capped('128u'), capped('32u', 'lane')]).toEqual([[], []]);
  // Two words of four read (trial 70's .x and .y): right for 64 lanes or fewer.
  expect(found.at(-1)).toMatchObject({ rightFor: 'of 64 lanes or fewer', assumes: expect.stringMatching(/^reads the first 2 words of a subgroupBallot alone, lanes 0 to 63 \(lanes 64 to 127/) });
  // Every word read, or the ballot whole: nothing to say.
  expect(subgroupWidths(`enable subgroups;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32) {
  let b = subgroupBallot(lid > 1u);
  let n = countOneBits(b.x) + countOneBits(b.y) + countOneBits(b.z) + countOneBits(b.w) + dot(countOneBits(subgroupBallot(lid > 2u)), vec4u(1u));
}`, 4)).toEqual([]);
});

// Trial 64 B1: a split-K sum that adds with atomicLoad then atomicStore, after a pass that cleared every element, was
// told it read its output's starting contents: the update is not one, and runs differ by which one is lost.
it('loadThenStores, and writes-every-output naming it where the runs differ', async () => {
  const { loadThenStoreCause, loadThenStores } = await import('../harness/run/portability.ts');
  const { loadKernels } = await import('../harness/run/registry.ts');
  const { writesEveryOutput } = await import('../harness/run/universal.ts');
  const twin = `@group(0) @binding(0) var<storage, read_write> c: array<atomic<u32>>;
fn addTo(i: u32, v: f32) {
  let old = atomicLoad(&c[i]);
  atomicStore(&c[i], bitcast<u32>(bitcast<f32>(old) + v));
}
fn clear(i: u32) {
  let keep = atomicLoad(&c[0]);
  atomicStore(&c[i], 0u);
}`;
  expect(loadThenStores(twin)).toEqual([{ variable: 'c', loadLine: 3, storeLine: 4 }]);
  // Trial 151 B1: through a pointer to the whole array, the caller's buffer, not the index (`b`), is named.
  expect(loadThenStores(`@group(0) @binding(0) var<storage, read_write> bins: array<atomic<u32>>;
fn flush(dst: ptr<storage, array<atomic<u32>>, read_write>, b: u32, v: u32) {
  atomicStore(&(*dst)[b], atomicLoad(&(*dst)[b]) + v);
}
@compute @workgroup_size(16) fn main(@builtin(local_invocation_index) l: u32) { flush(&bins, l, 1u); }`)).toEqual([{ variable: 'bins', loadLine: 3, storeLine: 3 }]);
  // A read by an update that changes nothing is a load (trial 123 A2: `atomicAdd(&g[0], 0u)`, then a store).
  // It is named for what it calls (trial 216 B3: a compare-exchange's read was said to "load").
  const added = loadThenStores(twin.replace('atomicLoad(&c[i])', 'atomicAdd(&c[i], 0u)'));
  expect(added).toEqual([{ variable: 'c', loadLine: 3, storeLine: 4, reader: 'atomicAdd' }]);
  expect(loadThenStoreCause(added[0]!, 'c')).toMatch(/^reads an atomic of c by an atomicAdd that changes nothing and then stores to it/);
  expect(loadThenStoreCause(loadThenStores(twin)[0]!, 'c')).toMatch(/^loads an atomic of c and then stores/);
  const exchanged = twin.replace('atomicLoad(&c[i])', 'atomicCompareExchangeWeak(&c[i], 0u, 0u).old_value');
  expect(loadThenStores(exchanged)).toEqual([{ variable: 'c', loadLine: 3, storeLine: 4, reader: 'atomicCompareExchangeWeak' }]);
  expect(loadThenStores(exchanged.replace('let old = ', 'if (').replace(').old_value;\n  atomicStore(&c[i], bitcast<u32>(bitcast<f32>(old) + v));', ').old_value == 0u) { atomicStore(&c[i], 5u); }')))
    .toEqual([{ variable: 'c', loadLine: 3, storeLine: 3, tested: true, reader: 'atomicCompareExchangeWeak' }]);
  expect(loadThenStores(twin.replace('atomicLoad(&c[i])', 'atomicAdd(&c[i], 1u)'))).toEqual([]);
  // Trial 218: a store in a loop's continuing block is found once (the block is both the body's last and its field).
  expect(loadThenStores(`@group(0) @binding(0) var<storage, read_write> c: array<atomic<u32>>;
fn f() {
  var k = 0u;
  loop {
    let old = atomicLoad(&c[0]);
    if (k >= 4u) { break; }
    continuing {
      atomicStore(&c[0], old + 1u);
      k = k + 1u;
    }
  }
}`)).toEqual([{ variable: 'c', loadLine: 5, storeLine: 8 }]);
  // Trial 102 B2: a check-then-insert, a store under a test of the loaded value; a test of another variable is none.
  const insert = `@group(0) @binding(0) var<storage, read_write> t: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> u: array<atomic<u32>>;
fn put(s: u32, key: u32) {
  let seen = atomicLoad(&t[s]);
  if (seen == 0u) {
    atomicStore(&t[s], key);
  }
  if (seen == 1u) {
    atomicStore(&u[s], key);
  }
}`;
  expect(loadThenStores(insert)).toEqual([{ variable: 't', loadLine: 4, storeLine: 6, tested: true }]);
  // Trial 166 B1: the load made in the condition itself, `if (atomicLoad(&visited[v]) == 0u)`; one of another
  // variable is none.
  const direct = insert.replace('  let seen = atomicLoad(&t[s]);\n  if (seen == 0u) {', '  if (atomicLoad(&t[s]) == 0u) {').replace('if (seen == 1u)', 'if (atomicLoad(&t[s]) == 1u)');
  expect(loadThenStores(direct)).toEqual([{ variable: 't', loadLine: 4, storeLine: 5, tested: true }]);
  // Trial 170 B4: a flag set to a literal under its own test loses nothing; what the test guards besides runs twice.
  const flag = direct.replace('atomicStore(&t[s], key);', 'atomicStore(&t[s], 1u);');
  expect(loadThenStores(flag)).toEqual([]);
  // Trial 172 B1, B2: a constant spelled as a const or a constructor is a flag too; an else that stores another value
  // to the word makes the set a lost update.
  expect(loadThenStores(`const SEEN = 1u;\n${flag.replace('atomicStore(&t[s], 1u);', 'atomicStore(&t[s], SEEN);')}`)).toEqual([]);
  expect(loadThenStores(flag.replace('atomicStore(&t[s], 1u);', 'atomicStore(&t[s], u32(1));'))).toEqual([]);
  expect(loadThenStores(flag.replace('atomicStore(&t[s], 1u);\n  }', 'atomicStore(&t[s], 1u);\n  } else {\n    atomicStore(&t[s], 2u);\n  }'))).toEqual([
    { variable: 't', loadLine: 4, storeLine: 5, tested: true }, { variable: 't', loadLine: 4, storeLine: 7, tested: true }]);
  expect(loadThenStores(flag.replace('atomicStore(&t[s], 1u);', 'atomicStore(&t[s], 1u);\n    atomicStore(&u[s], key);'))).toEqual([{ variable: 't', loadLine: 4, storeLine: 5, tested: true, guards: 6 }]);
  // Trial 126 B2: a list's push as a load, a store of another value, and the loaded head kept in memory.
  const push = `@group(0) @binding(0) var<storage, read_write> head: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> next: array<u32>;
fn push(c: u32, i: u32) {
  let old = atomicLoad(&head[c]);
  atomicStore(&head[c], i);
  next[i] = old;
}`;
  expect(loadThenStores(push)).toEqual([{ variable: 'head', loadLine: 4, storeLine: 5 }]);
  expect(loadThenStores(push.replace('next[i] = old;', 'var keep = old;'))).toEqual([]);
  // Trial 176 B1: a drain made of a load, a reset and an atomicAdd of what was loaded is an exchange made of two.
  const drain = `var<workgroup> acc: atomic<u32>;
@group(0) @binding(0) var<storage, read_write> total: array<atomic<u32>>;
fn flush() {
  let got = atomicLoad(&acc);
  atomicStore(&acc, 0u);
  atomicAdd(&total[0], got);
}`;
  expect(loadThenStores(drain)).toEqual([{ variable: 'acc', loadLine: 4, storeLine: 5 }]);
  expect(loadThenStores(drain.replace('  let got = atomicLoad(&acc);\n  atomicStore(&acc, 0u);', '  let got = atomicExchange(&acc, 0u);'))).toEqual([]);
  // Trial 178 B1: by one invocation of the workgroup (`lid == 0u`), a var<workgroup>'s drain loses nothing; by every
  // sixteenth (`(lid & 15u) == 15u`) it does.
  const led = (test: string) => `var<workgroup> acc: atomic<u32>;
@group(0) @binding(0) var<storage, read_write> total: array<atomic<u32>>;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32) {
  if (${test}) {
    let got = atomicLoad(&acc);
    atomicStore(&acc, 0u);
    atomicAdd(&total[0], got);
  }
}`;
  expect(loadThenStores(led('lid == 0u'))).toEqual([]);
  expect(loadThenStores(led('(lid & 15u) == 15u'))).toEqual([{ variable: 'acc', loadLine: 5, storeLine: 6 }]);
  // Trial 188 A5, B1: a saturating compare-exchange loop's stop stores the cap it found the word at or past: a clamp,
  // which loses none of the word's compare-exchanges and maxes; beside an atomicAdd, or storing what it read, it loses.
  const saturating = (store: string, other = '') => `@group(0) @binding(0) var<storage, read_write> bins: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read> caps: array<u32>;
@compute @workgroup_size(4) fn main(@builtin(global_invocation_id) gid: vec3u) {
  let cap = caps[0];${other}
  var old = atomicLoad(&bins[0]);
  loop {
    if (old >= cap) {
      ${store}
      break;
    }
    let r = atomicCompareExchangeWeak(&bins[0], old, old + 1u);
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}`;
  const { clampStores } = await import('../harness/run/portability.ts');
  expect([...clampStores(saturating('atomicStore(&bins[0], cap);'))]).toEqual([8]);
  expect(loadThenStores(saturating('atomicStore(&bins[0], cap);'))).toEqual([]);
  expect(loadThenStores(saturating('atomicStore(&bins[0], cap);', '\n  atomicMax(&bins[0], cap);'))).toEqual([]);
  expect(loadThenStores(saturating('atomicStore(&bins[0], cap);', '\n  atomicAdd(&bins[0], 1u);'))).toEqual([{ variable: 'bins', loadLine: 6, storeLine: 9, tested: true }]);
  expect(loadThenStores(saturating('atomicStore(&bins[0], old);'))).toEqual([{ variable: 'bins', loadLine: 5, storeLine: 8 }]);
  expect([...clampStores(saturating('atomicStore(&bins[1], cap);'))]).toEqual([]);
  expect([...clampStores(saturating('atomicStore(&bins[0], cap);').replace('if (old >= cap)', 'if (old < cap)'))]).toEqual([]);
  expect([...clampStores(saturating('atomicStore(&bins[0], cap);').replace('old = r.old_value;', 'old = r.old_value - 1u;'))]).toEqual([]);
  // Trial 193 A1: the same test as "the increment would pass the cap", or negated; `old + 1u >= cap` is not one.
  const clampAt = (test: string) => [...clampStores(saturating('atomicStore(&bins[0], cap);').replace('if (old >= cap)', `if (${test})`))];
  expect(clampAt('old + 1u > cap')).toEqual([8]);
  expect(clampAt('cap < old + 1u')).toEqual([8]);
  expect(clampAt('!(old < cap)')).toEqual([8]);
  expect(clampAt('old + 1u >= cap')).toEqual([]);
  expect(clampAt('old + 2u > cap')).toEqual([]);
  expect(clampAt('!(old > cap)')).toEqual([]);
  // Trial 211: a test of atomicMax's return alone is no clamp, and is named; of max(old, v), what the max left, it is.
  const { maxOldClamps, clampsAfterOwnMax } = await import('../harness/run/portability.ts');
  const byMax = (test: string) => saturating('atomicStore(&bins[0], cap);').replace('var old = atomicLoad(&bins[0]);', `let was = atomicMax(&bins[0], gid.x);\n  if (${test}) { atomicStore(&bins[0], cap); }\n  var old = atomicLoad(&bins[0]);`);
  expect([...maxOldClamps(byMax('was > cap'))]).toEqual([[6, 'old']]);
  // Trial 212 B3: max(old, v) with v changed since the max is named so, and is no clamp.
  const changed = byMax('max(was, v) > cap').replace('let was = atomicMax(&bins[0], gid.x);', 'var v = gid.x;\n  let was = atomicMax(&bins[0], v);\n  v = min(v, cap);');
  expect([...maxOldClamps(changed)]).toEqual([[8, 'changed']]);
  expect([...clampsAfterOwnMax(changed)]).toEqual([]);
  expect([...clampStores(byMax('was > cap'))]).toEqual([10]);
  expect([...clampStores(byMax('max(was, gid.x) > cap'))]).toEqual([6, 10]);
  expect([...clampsAfterOwnMax(byMax('max(gid.x, was) >= cap'))]).toEqual([[6, 5]]);
  expect([...clampsAfterOwnMax(byMax('max(was, gid.y) > cap'))]).toEqual([]);
  expect([...maxOldClamps(byMax('max(was, gid.x) > cap'))]).toEqual([]);
  // Trial 211 B1: beside another test that must hold too, on either side; not one that may hold alone.
  expect(clampAt('old >= cap && gid.x < 128u')).toEqual([8]);
  expect(clampAt('gid.x < 128u && old >= cap')).toEqual([8]);
  expect(clampAt('old >= cap || gid.x < 128u')).toEqual([]);
  expect(clampAt('!(old < cap && gid.x < 128u)')).toEqual([]);
  // Trial 205 A1: a compare-exchange of equal operands read for its old_value at once, in a let or inline.
  expect([...clampStores(saturating('atomicStore(&bins[0], cap);').replace('var old = atomicLoad(&bins[0]);', 'var old = atomicLoad(&bins[0]);\n  let seen = atomicCompareExchangeWeak(&bins[0], 0u, 0u).old_value;\n  if (seen >= cap) { atomicStore(&bins[0], cap); }\n  if (atomicCompareExchangeWeak(&bins[0], 0u, 0u).old_value >= cap) { atomicStore(&bins[0], cap); }'))]).toEqual([7, 8, 11]);
  expect([...clampStores(saturating('atomicStore(&bins[0], cap);').replace('var old = atomicLoad(&bins[0]);', 'var old = atomicLoad(&bins[0]);\n  let seen = atomicCompareExchangeWeak(&bins[0], 0u, 1u).old_value;\n  if (seen >= cap) { atomicStore(&bins[0], cap); }'))]).toEqual([10]);
  // Trial 205 A1: a compare-exchange of equal operands used as a read.
  expect([...clampStores(saturating('atomicStore(&bins[0], cap);').replace('var old = atomicLoad(&bins[0]);', 'var old = atomicLoad(&bins[0]);\n  let seen = atomicCompareExchangeWeak(&bins[0], 0u, 0u);\n  if (seen.old_value >= cap) { atomicStore(&bins[0], cap); }'))]).toEqual([7, 10]);
  // Trial 193 B1: beside a compare-exchange that lowers the word (a token taken), a clamp loses it.
  expect(loadThenStores(saturating('atomicStore(&bins[0], cap);').replace('old + 1u', 'old - 1u'))).toEqual([{ variable: 'bins', loadLine: 5, storeLine: 8, tested: true }]);
  // Trial 196 B6: an i32 word's `old + d` may subtract, and a wrapping `(old + 1u) % 7u` lowers the word; `old + 1`
  // raises it.
  const signed = (next: string) => saturating('atomicStore(&bins[0], cap);').replace('atomic<u32>', 'atomic<i32>').replace('array<u32>', 'array<i32>').replace('old + 1u', next);
  expect(loadThenStores(signed('old + 1'))).toEqual([]);
  expect(loadThenStores(signed('old + caps[1]'))).toEqual([{ variable: 'bins', loadLine: 5, storeLine: 8, tested: true }]);
  expect(loadThenStores(saturating('atomicStore(&bins[0], cap);').replace('old + 1u', '(old + 1u) % 7u'))).toEqual([{ variable: 'bins', loadLine: 5, storeLine: 8, tested: true }]);
  // Trial 203 B2: an atomicAdd of a struct's other member is another word's update; one through a pointer may be any.
  const fields = `struct Acc { hi: atomic<i32>, count: atomic<u32> }
var<workgroup> acc: Acc;
@group(0) @binding(0) var<storage, read> caps: array<i32>;
fn bump(p: ptr<workgroup, atomic<u32>>) { atomicAdd(p, 1u); }
@compute @workgroup_size(4) fn main(@builtin(local_invocation_index) l: u32) {
  atomicMax(&acc.hi, caps[l]);
  OTHER;
  let cur = atomicLoad(&acc.hi);
  if (cur >= caps[0]) {
    atomicStore(&acc.hi, caps[0]);
  }
}`;
  expect(loadThenStores(fields.replace('OTHER', 'atomicAdd(&acc.count, 1u)'))).toEqual([]);
  expect(loadThenStores(fields.replace('OTHER', 'atomicAdd(&acc.hi, 1)'))).toEqual([{ variable: 'acc', loadLine: 8, storeLine: 10, tested: true }]);
  expect(loadThenStores(fields.replace('OTHER', 'bump(&acc.count)'))).toEqual([{ variable: 'acc', loadLine: 8, storeLine: 10, tested: true }]);
  const { workgroupAtomicVariables } = await import('../harness/run/portability.ts');
  expect([...workgroupAtomicVariables(`${fields.replace('OTHER', 'bump(&acc.count)')}\nvar<workgroup> plain: array<f32, 4>;\nvar<workgroup> many: array<Acc, 2>;`)]).toEqual(['acc', 'many']);
  // Trial 208 A1: a pass that clamps each invocation's own word (`i = gid.x`), the counting in another entry point.
  const own = `@group(0) @binding(0) var<storage, read_write> hist: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read> keys: array<u32>;
@compute @workgroup_size(64) fn count(@builtin(global_invocation_id) gid: vec3u) { atomicAdd(&hist[keys[gid.x] % 8u], 1u); }
@compute @workgroup_size(64) fn clamp(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let v = atomicLoad(&hist[i]);
  atomicStore(&hist[i], min(v, 5u));
}`;
  expect(loadThenStores(own)).toEqual([]);
  expect(loadThenStores(own.replace('  let i = gid.x;', '  let i = gid.x;\n  atomicAdd(&hist[keys[i] % 8u], 1u);'))).toEqual([{ variable: 'hist', loadLine: 7, storeLine: 8 }]);
  expect(loadThenStores(own.replace('  let i = gid.x;', '  let i = gid.x + gid.y;'))).toEqual([{ variable: 'hist', loadLine: 6, storeLine: 7 }]);
  expect(loadThenStores(own.replace('  let i = gid.x;', '  let i = gid.x;\n  let j = gid.y;'))).toEqual([{ variable: 'hist', loadLine: 7, storeLine: 8 }]);
  expect(loadThenStores(own.replace('  let i = gid.x;', '  let i = gid.x;\n  let g = gid;'))).toEqual([{ variable: 'hist', loadLine: 7, storeLine: 8 }]);
  expect(loadThenStores(own.replace('  let i = gid.x;', '  var i = gid.x;'))).toEqual([{ variable: 'hist', loadLine: 6, storeLine: 7 }]);
  // Trial 211 A1: a workgroup of four rows, whose invocations share gid.x.
  expect(loadThenStores(own.replace('@compute @workgroup_size(64) fn clamp', '@compute @workgroup_size(64, 4) fn clamp'))).toEqual([{ variable: 'hist', loadLine: 6, storeLine: 7 }]);
  expect(loadThenStores(own.replace('@compute @workgroup_size(64) fn clamp', '@compute @workgroup_size(64, 1u) fn clamp'))).toEqual([]);
  // Trial 209 B1, B2: rows from workgroup_id's y; an inner let that shadows the own index.
  expect(loadThenStores(own.replace('fn clamp(@builtin(global_invocation_id) gid: vec3u) {', 'fn clamp(@builtin(global_invocation_id) gid: vec3u, @builtin(workgroup_id) wid: vec3u) {\n  let row = wid.y;'))).toEqual([{ variable: 'hist', loadLine: 7, storeLine: 8 }]);
  expect(loadThenStores(own.replace('  let v = atomicLoad(&hist[i]);\n  atomicStore(&hist[i], min(v, 5u));', '  {\n    let i = keys[gid.x] % 8u;\n    let v = atomicLoad(&hist[i]);\n    atomicStore(&hist[i], min(v, 5u));\n  }'))).toEqual([{ variable: 'hist', loadLine: 8, storeLine: 9 }]);
  // Trial 193 A4, B2: two loops in sibling blocks that reuse `old` and `r` are each a clamp, each of its own load.
  const loop = saturating('atomicStore(&bins[0], cap);').split('\n').slice(4, 14).join('\n');
  const twice = saturating('atomicStore(&bins[0], cap);').replace(loop, `  {\n${loop}\n  }\n  {\n${loop}\n  }`);
  expect([...clampStores(twice)]).toEqual([9, 21]);
  expect(loadThenStores(twice)).toEqual([]);
  expect(loadThenStores(twice.replace('atomicStore(&bins[0], cap);', 'atomicStore(&bins[0], old + 2u);'))).toEqual([{ variable: 'bins', loadLine: 6, storeLine: 9 }]);
  // Trial 197 A2, B3: an exchange whose old value is dropped stores as atomicStore does, and a let of a pointer names
  // its variable.
  expect(loadThenStores(twin.replace('atomicStore(&c[i], bitcast<u32>(bitcast<f32>(old) + v));', '_ = atomicExchange(&c[i], bitcast<u32>(bitcast<f32>(old) + v));'))).toEqual([{ variable: 'c', loadLine: 3, storeLine: 4 }]);
  expect(loadThenStores(twin.replace('  let old = atomicLoad(&c[i]);\n  atomicStore(&c[i],', '  let q = &c[i];\n  let old = atomicLoad(q);\n  atomicStore(q,'))).toEqual([{ variable: 'c', loadLine: 4, storeLine: 5 }]);
  // Trial 136 B1, B2: through a helper's pointer parameter, passed on by another helper, the variable is the callers'.
  const { updatedAtomics } = await import('../harness/run/portability.ts');
  const viaPointer = `@group(0) @binding(0) var<storage, read_write> rho: array<atomic<u32>>;
fn addF(p: ptr<storage, atomic<u32>, read_write>, v: f32) {
  let old = atomicLoad(p);
  atomicStore(p, bitcast<u32>(bitcast<f32>(old) + v));
}
fn deposit(q: ptr<storage, atomic<u32>, read_write>, v: f32) { addF(q, v); atomicMax(q, 1u); }
@compute @workgroup_size(1) fn main() { deposit(&rho[0], 1.0); }`;
  expect(loadThenStores(viaPointer)).toEqual([{ variable: 'rho', loadLine: 3, storeLine: 4 }]);
  expect([...updatedAtomics(viaPointer)]).toEqual(['rho']);
  const add = (await loadKernels(ROOT, ['add'])).get('add')!;
  const c = { shape: { n: 2 }, inputs: { a: Float32Array.of(1, 2), b: Float32Array.of(3, 4) } };
  const outs = [Float32Array.of(4, 6), Float32Array.of(4, 5), Float32Array.of(4, 6)].map((y) => ({ ...c.inputs, c: y }));
  // The helpers appended, called from add's entry point: a cause its entry does not run is none (trial 196 B3).
  const calling = (code: string) => add.program.sources['add.wgsl']!.replace('c[i] = a[i] + b[i];', `c[i] = a[i] + b[i];\n  ${[...code.matchAll(/fn (\w+)\(([^)]*)\)/g)].map(([, f, ps]) => `${f}(${ps!.split(',').filter((x) => x.trim()).map(() => 'i').join(', ')});`).join(' ')}`) + `\n${code}`;
  const program = { ...add.program, sources: { 'add.wgsl': calling(twin.split('\n').slice(1).join('\n')) }, origins: { 'add.wgsl': 'lib/add.wgsl' } };
  const v = writesEveryOutput(add.program.spec, add.family, program).check(c, outs);
  expect(v.message).toMatch(/^c\[1\] differs from run to run: 6 in one run and 5 in another, which started with other contents; lib\/add\.wgsl:\d+-\d+ loads an atomic of c and then stores to it on the strength of what it loaded \(a value computed from it, or beside a store of it elsewhere\), which is not one update/);
  // Trial 125 B1, 128 B1: where the kernel updates atomics in a way the harness does not recognise as handing out an
  // order, that order is named among the causes; without atomic updates it is not.
  const counted = (code: string, runs = outs, uncalled = false) => writesEveryOutput(add.program.spec, add.family, { ...add.program, sources: { 'add.wgsl': uncalled ? `${add.program.sources['add.wgsl']}\n${code}` : calling(code) }, origins: { 'add.wgsl': 'lib/add.wgsl' } }).check(c, runs).message;
  const ticket = '@group(0) @binding(9) var<storage, read_write> t: atomic<u32>;\nfn count() { atomicAdd(&t, 1u); }';
  expect(counted(ticket)).toMatch(/a float sum taken in an order the kernel's atomics hand out that the harness did not recognise \(then give c orderDependent: true in the spec\)/);
  expect(counted(ticket.replace('atomicAdd(&t, 1u)', 'atomicStore(&t, 1u)'))).not.toMatch(/orderDependent/);
  // Trial 190 B2: a compare-exchange tried once with a store of a computed value as its fallback is named as the cause;
  // one of a constant (a flag) is not.
  const once = (value: string) => `@group(0) @binding(9) var<storage, read_write> w: atomic<u32>;\nfn put(v: u32) {\n  let r = atomicCompareExchangeWeak(&w, 0u, v);\n  if (!r.exchanged) {\n    atomicStore(&w, ${value});\n  }\n}`;
  expect(counted(once('r.old_value + v'))).toMatch(/^c\[1\] differs from run to run: 6 in one run and 5 in another, which started with other contents; lib\/add\.wgsl:\d+ stores as the fallback of a compare-exchange tried once, and an update that lands between the failed exchange and the store is erased/);
  expect(counted(once('7u'))).not.toMatch(/fallback/);
  // Trial 196 B1, B3: not where the element kept the fill (a read of the starting contents), nor from a function the
  // entry point never calls.
  const { READ_FILL_F32 } = await import('../harness/run/program.ts');
  expect(counted(once('r.old_value + v'), [Float32Array.of(4, 6), Float32Array.of(4, new Float32Array(Uint32Array.of(READ_FILL_F32).buffer)[0]!), Float32Array.of(4, 6)].map((y) => ({ ...c.inputs, c: y })))).toMatch(/^c\[1\] depends on what the outputs held before the kernel ran/);
  expect(counted(once('r.old_value + v'), outs, true)).not.toMatch(/fallback/);
  // Nor for an output the store's word does not feed: another output's word, where a scratch buffer's feeds every one.
  const { fallbackStoreOf } = await import('../harness/run/universal.ts');
  const fed = (role: string) => ({ ...add.program, sources: { 'k.wgsl': `@compute @workgroup_size(1) fn main() { put(0u); }\n${once('r.old_value + v')}` }, origins: { 'k.wgsl': 'k.wgsl' },
    spec: { ...add.program.spec, buffers: { c: add.program.spec.buffers.c!, w: { ...add.program.spec.buffers.c!, role } }, stages: () => [{ wgsl: 'k.wgsl', workgroups: [1, 1, 1], bind: { c: 'c', w: 'w' } }] } } as never);
  expect(fallbackStoreOf(fed('output'), {}, 'c')).toBeUndefined();
  expect(fallbackStoreOf(fed('output'), {}, 'w')).toBe('k.wgsl:6');
  expect(fallbackStoreOf(fed('scratch'), {}, 'c')).toBe('k.wgsl:6');
  // Trial 197 A3: nor in a stage of one invocation, which no other can interleave with.
  const alone = fed('scratch') as unknown as { spec: { stages: () => unknown[] } };
  const one = { ...alone, spec: { ...alone.spec, stages: () => [{ wgsl: 'k.wgsl', workgroups: () => [1, 1, 1], bind: { c: 'c', w: 'w' } }] } } as never;
  expect(fallbackStoreOf(one, {}, 'c')).toBeUndefined();
  const two = { ...alone, spec: { ...alone.spec, stages: () => [{ wgsl: 'k.wgsl', workgroups: () => [2, 1, 1], bind: { c: 'c', w: 'w' } }] } } as never;
  expect(fallbackStoreOf(two, {}, 'c')).toBe('k.wgsl:6');
  // Trial 194 B1: so is one whose .exchanged is never read.
  expect(counted('@group(0) @binding(9) var<storage, read_write> w: atomic<u32>;\nfn put(v: u32) {\n  let r = atomicCompareExchangeWeak(&w, 0u, v);\n}')).toMatch(/^c\[1\] differs from run to run: .*; lib\/add\.wgsl:\d+ never reads atomicCompareExchangeWeak's \.exchanged: .*, differently from run to run/);
});

// Trial 200 B1: a scan of one workgroup loaded counts a clear of several workgroups stored, and the failure was told
// the load may read the word as the dispatch found it: the clause is for a stage of several workgroups that runs it.
it('failure clauses: the interpreter\'s early load only where a stage of several workgroups runs it; no barrier between two branches', async () => {
  const { loadKernels } = await import('../harness/run/registry.ts');
  const { failureMessage } = await import('../harness/run/property-runner.ts');
  const add = (await loadKernels(ROOT, ['add'])).get('add')!;
  const code = `@group(0) @binding(0) var<storage, read_write> counts: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> c: array<f32>;
@compute @workgroup_size(4) fn clear(@builtin(global_invocation_id) g: vec3u) { atomicStore(&counts[g.x], 0u); }
@compute @workgroup_size(4) fn count(@builtin(global_invocation_id) g: vec3u) { atomicAdd(&counts[g.x % 2u], 1u); }
@compute @workgroup_size(4) fn scan(@builtin(local_invocation_index) l: u32) {
  c[l] = f32(atomicLoad(&counts[l]));
}`;
  const message = (scanWorkgroups: number) => failureMessage({ ...add, program: { ...add.program, sources: { 'k.wgsl': code }, origins: { 'k.wgsl': 'k.wgsl' },
    spec: { ...add.program.spec, stages: () => ['clear', 'count', 'scan'].map((entry) => ({ wgsl: 'k.wgsl', entry, workgroups: () => [entry === 'scan' ? scanWorkgroups : 2, 1, 1], bind: { counts: 'c', c: 'c' } })) } } } as never,
  add.family.properties[0] ?? { name: 'p' } as never, { pass: false, message: 'c[1] is off' }, { n: 8 }, 'interpreter');
  expect(message(1)).not.toMatch(/as the dispatch found it/);
  expect(message(2)).toMatch(/\(on the interpreter, the atomicLoad of counts at k\.wgsl:6 may read the word as the dispatch found it/);
  // Trial 203 B3: a workgroup atomic's update and load in two branches of one `if` were told to put a barrier between.
  const branches = `var<workgroup> m: atomic<u32>;
@group(0) @binding(0) var<storage, read_write> c: array<f32>;
@compute @workgroup_size(4) fn main(@builtin(local_invocation_index) l: u32) {
  if (l > 1u) {
    atomicMax(&m, l);
  } else {
    c[l] = f32(atomicLoad(&m));
  }
}`;
  const told = failureMessage({ ...add, program: { ...add.program, sources: { 'add.wgsl': branches }, origins: { 'add.wgsl': 'k.wgsl' } } } as never, add.family.properties[0] ?? { name: 'p' } as never, { pass: false, message: 'c[1] is off' }, { n: 8 }, 'dawn');
  expect(told).toMatch(/\(the atomicLoad of m at k\.wgsl:7 and the update at line 5 are in different branches of `if \(l > 1u\)`, taken by different invocations, .* no barrier can go inside the branches; do it after the `if`, past a workgroupBarrier\(\) there\)/);
  expect(failureMessage({ ...add, program: { ...add.program, sources: { 'add.wgsl': branches.replace('  } else {\n', '') .replace('    c[l]', '  }\n  {\n    c[l]') }, origins: { 'add.wgsl': 'k.wgsl' } } } as never, add.family.properties[0] ?? { name: 'p' } as never, { pass: false, message: 'c[1] is off' }, { n: 8 }, 'dawn')).toMatch(/add a workgroupBarrier\(\) before the load\)/);
});

// Two engines of one run may have subgroups of other sizes: the notes are kept per lane count, not per program alone.
it('subgroupWidthNotes are found for each lane count', async () => {
  const { subgroupWidthNotes } = await import('../harness/run/portability.ts');
  const code = 'enable subgroups;\n@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32) {\n  let s = subgroupAdd(f32(lid % 32u));\n}';
  const program = { spec: { wgsl: 'k.wgsl' }, sources: { 'k.wgsl': code }, origins: { 'k.wgsl': 'k.wgsl' } } as never;
  expect(subgroupWidthNotes(program, 4)).toEqual([]);
  expect(subgroupWidthNotes(program, 32)).toEqual([expect.stringMatching(/^k\.wgsl:3: 'lid % 32u' takes 32, this adapter's subgroup size/)]);
});

// Trial 80 B1: a "last block done" reduction whose last workgroup read the partials with atomicLoad failed on the
// interpreter, "never written", with nothing said of the load the interpreter's schedule made early.
it('storageAtomicLoads: an atomicLoad of a storage word an atomic write changes, outside a spin wait', async () => {
  const { storageAtomicLoads } = await import('../harness/run/portability.ts');
  const code = `@group(0) @binding(0) var<storage, read_write> partial: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> ticket: atomic<u32>;
@group(0) @binding(2) var<storage, read_write> flag: atomic<u32>;
@group(0) @binding(3) var<storage, read_write> only: array<atomic<u32>>;
var<workgroup> local: atomic<u32>;
@compute @workgroup_size(64) fn main(@builtin(workgroup_id) w: vec3u, @builtin(num_workgroups) n: vec3u) {
  atomicStore(&partial[w.x], 1u);
  atomicStore(&local, 1u);
  let t = atomicAdd(&ticket, 1u);
  atomicStore(&flag, 1u);
  loop { if (atomicLoad(&flag) != 0u) { break; } }
  if (t == n.x - 1u) {
    var s = atomicLoad(&partial[0]) + atomicLoad(&partial[1]) + atomicLoad(&local) + atomicLoad(&only[0]);
  }
}`;
  expect(storageAtomicLoads(code)).toEqual([{ variable: 'partial', line: 13, builtin: 'atomicLoad' }]);
  // An update that changes nothing reads (trial 123 A2), and writes nothing: `only` has no other write.
  expect(storageAtomicLoads(code.replace('atomicLoad(&partial[0])', 'atomicOr(&partial[0], 0u)').replace('atomicLoad(&only[0])', 'atomicAdd(&only[0], 0u)')))
    .toEqual([{ variable: 'partial', line: 13, builtin: 'atomicOr' }]);
  // Trial 112 B2: a load that only seeds a compare-exchange loop's expected value is left out; a later one is not.
  const cas = `@group(0) @binding(0) var<storage, read_write> out: array<atomic<u32>>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
  var old = atomicLoad(&out[0]);
  loop { let r = atomicCompareExchangeWeak(&out[0], old, old + 1u); if (r.exchanged) { break; } old = r.old_value; }
  // READ
}`;
  expect(storageAtomicLoads(cas)).toEqual([]);
  expect(storageAtomicLoads(cas.replace('// READ', 'let seen = atomicLoad(&out[1]);'))).toEqual([{ variable: 'out', line: 5, builtin: 'atomicLoad' }]);
});

// Trial 82 A1: `if (lid < 1000u) { workgroupBarrier(); }` compiled on naga (Firefox, Deno) and passed every property;
// Tint refuses it. The sure cases are found without Tint; a barrier under a uniform condition is not one.
it('nonUniformBarriers: a barrier under a condition on the invocation\'s id, directly or through its lets and vars', async () => {
  const { nonUniformBarriers } = await import('../harness/run/portability.ts');
  const kernel = (body: string) => `var<workgroup> t: array<f32, 64>;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3u) {
  let me = lid * 2u;
  ${body}
}`;
  expect(nonUniformBarriers(kernel('if (lid < 1000u) { workgroupBarrier(); }'))).toEqual([{ line: 4, call: 'workgroupBarrier', condition: 'lid < 1000u', how: 'under', because: "the builtin 'lid'" }]);
  expect(nonUniformBarriers(kernel('for (var i = me; i < 64u; i += 64u) { storageBarrier(); }')).map((b) => b.call)).toEqual(['storageBarrier']);
  // Trial 116 A1's barrier in a loop bounded by a var assigned under a condition on the id is not found: following
  // control into a var made a correct kernel that reassigns it uniformly before the loop an error (trial 120 A1), and
  // only the sure cases are said.
  expect(nonUniformBarriers(kernel('var rounds = 2u;\n  if (lid >= 36u) { rounds = 1u; }\n  rounds = 2u;\n  for (var r = 0u; r < rounds; r++) { workgroupBarrier(); }'))).toEqual([]);
  // Trial 129 A1: a var set from the id, then given a uniform value before the loop (or the `if`) it bounds: Tint
  // compiles it, and WGSL's analysis follows each assignment. A carrying assignment after that one, or in the loop,
  // or the uniform one inside a branch only, leaves it carrying.
  const reassigned = (between: string, inLoop = '') => nonUniformBarriers(kernel(`var bound = lid;\n  bound = 4u;\n  ${between}\n  for (var k = 0u; k < bound; k++) { workgroupBarrier(); ${inLoop} }\n  if (bound > 2u) { storageBarrier(); }`)).map((b) => b.call);
  expect(reassigned('')).toEqual([]);
  expect(reassigned('loop { if (wid.x >= bound) { break; } workgroupBarrier(); }')).toEqual([]);
  expect(reassigned('bound = bound + me;')).toEqual(['workgroupBarrier', 'storageBarrier']);
  expect(reassigned('', 'bound = lid;')).toEqual(['workgroupBarrier', 'storageBarrier']);
  expect(nonUniformBarriers(kernel('var bound = lid;\n  if (wid.x == 0u) { bound = 4u; }\n  for (var k = 0u; k < bound; k++) { workgroupBarrier(); }')).map((b) => b.call)).toEqual(['workgroupBarrier']);
  // Trial 132 A3: after the uniform assignment, a write through a pointer let or any assignment under a condition on
  // the id makes it carry again; an unconditional increment does not, nor `*p = 4u`. A helper given its address may
  // write anything: not sure, so not said (trial 135 A2's `*p = 32u` in a helper is valid).
  const helper = '\nfn setp(p: ptr<function, u32>, v: u32) { *p = v; }';
  for (const [after, found] of [['let p = &bound;\n  *p = lid;', true], ['let p = &bound;\n  *p = 4u;', false], ['setp(&bound, lid);', false], ['if (lid == 0u) { bound++; }', true], ['if (lid == 0u) { bound = 5u; }', true],
    ['loop { if (lid > 3u) { break; } bound = bound + 1u; }', true], ['bound++;', false], ['bound += 2u;', false]] as const) {
    expect(nonUniformBarriers(kernel(`var bound = lid;\n  bound = 4u;\n  ${after}\n  for (var k = 0u; k < bound; k++) { workgroupBarrier(); }`) + helper).length, after).toBe(found ? 1 : 0);
  }
  // Trial 132 A1, A2: a for loop's own initializer gives its variable a uniform value, and a declaration reads what
  // its value's names hold where it stands.
  expect(nonUniformBarriers(kernel('var k = lid;\n  for (k = 32u; k > 0u; k >>= 1u) { if (lid < k) { t[lid] += 1.0; } workgroupBarrier(); }'))).toEqual([]);
  expect(nonUniformBarriers(kernel('var k = lid;\n  for (k = 32u; k > 0u; k >>= 1u) { if (lid < 3u) { k = 1u; } workgroupBarrier(); }')).length).toBe(1);
  expect(nonUniformBarriers(kernel('var half = lid;\n  half = 32u;\n  for (var k = half; k > 0u; k >>= 1u) { workgroupBarrier(); }'))).toEqual([]);
  expect(nonUniformBarriers(kernel('var half = lid;\n  for (var k = half; k > 0u; k >>= 1u) { workgroupBarrier(); }')).length).toBe(1);
  // Trial 135 A1: the loop's own update of the var its condition reads, from the var itself, keeps it uniform; A2: a
  // uniform if with an else, or a switch with a default, each branch giving it a uniform value, is a reset; and so
  // is a copy of it made after its reset.
  const later = (code: string) => nonUniformBarriers(kernel(`var k = lid;\n  ${code}`)).length;
  expect(later('k = 32u;\n  while (k > 0u) { workgroupBarrier(); k = k >> 1u; }')).toBe(0);
  expect(later('for (k = 32u; k > 0u; k = k / 2u) { workgroupBarrier(); }')).toBe(0);
  expect(later('k = 32u;\n  loop { if (k == 0u) { break; } workgroupBarrier(); k = k - 1u; }')).toBe(0);
  expect(later('k = 32u;\n  while (k > 0u) { workgroupBarrier(); k = k >> lid; }')).toBe(1);
  expect(later('if (wid.x == 0u) { k = 32u; } else { k = 16u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }')).toBe(0);
  expect(later('if (wid.x == 0u) { k = 32u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }')).toBe(1);
  expect(later('if (lid == 0u) { k = 32u; } else { k = 16u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }')).toBe(1);
  expect(later('switch (wid.x) { case 0u: { k = 8u; } default: { k = 4u; } }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }')).toBe(0);
  expect(later('k = 32u;\n  var j = 0u;\n  j = k;\n  while (j > 0u) { workgroupBarrier(); j >>= 1u; }')).toBe(0);
  expect(later('var j = 0u;\n  j = k;\n  while (j > 0u) { workgroupBarrier(); j >>= 1u; }')).toBe(1);
  // Trial 135 A3 (checked against Tint): a var set under a condition on the id, through a pointer let too, then a loop
  // on it; an atomic's result as a condition; a `break if` on the id. A uniform reset after the first is valid.
  expect(later('k = 32u;\n  if (lid < 5u) { k = 16u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }')).toBe(1);
  expect(later('k = 32u;\n  let p = &k;\n  if (lid == 0u) { *p = 0u; }\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }')).toBe(1);
  expect(later('k = 32u;\n  if (lid < 5u) { k = 16u; }\n  k = 8u;\n  while (k > 0u) { workgroupBarrier(); k >>= 1u; }')).toBe(0);
  expect(nonUniformBarriers(`var<workgroup> c: atomic<u32>;\n@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32) {\n  let r = atomicAdd(&c, 1u);\n  if (r == 0u) { workgroupBarrier(); }\n}`).length).toBe(1);
  expect(later('var i = 0u;\n  loop { workgroupBarrier(); continuing { i++; break if i > lid; } }')).toBe(1);
  expect(later('var i = 0u;\n  loop { workgroupBarrier(); continuing { i++; break if i > 4u; } }')).toBe(0);
  // Trial 83 A1: a blur's early return above its barrier, inline or through a let, passed on Firefox and Deno.
  expect(nonUniformBarriers(kernel('if (lid >= 60u) { return; }\n  workgroupBarrier();'))).toEqual([{ line: 5, call: 'workgroupBarrier', condition: 'lid >= 60u', how: 'after return', because: "the builtin 'lid'" }]);
  expect(nonUniformBarriers(kernel('let out = me >= 120u;\n  if (wid.x == 0u) { if (out) { return; } }\n  t[0] = 1.0;\n  workgroupBarrier();'))).toEqual([{ line: 7, call: 'workgroupBarrier', condition: 'out', how: 'after return', because: "'out' (line 4 gives it a value that differs between invocations: `let out = me >= 120u;`)" }]);
  expect(nonUniformBarriers(kernel('if (wid.x == 0u) { t[0] = 1.0; } else if (lid < 3u) { workgroupBarrier(); } else { storageBarrier(); }')).map((b) => b.call)).toEqual(['workgroupBarrier', 'storageBarrier']);
  expect(nonUniformBarriers(kernel('for (var k = 0u; k < 4u; k++) { workgroupBarrier(); if (lid == k) { continue; } t[k] = 1.0; }\n  workgroupBarrier();'))).toEqual([{ line: 4, call: 'workgroupBarrier', condition: 'k < 4u', how: 'under', because: "'k' (line 4 writes it where control differs between invocations (under or after `if (lid == k) { continue; }` at line 4, which reads the builtin 'lid'): `k++`)" }]);
  expect(nonUniformBarriers(`var<workgroup> t: array<f32, 64>;
fn sync() { workgroupBarrier(); }
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) lid: u32) {
  if (lid >= 60u) { return; }
  sync();
}`)).toEqual([{ line: 5, call: 'sync', condition: 'lid >= 60u', how: 'after return', because: "the builtin 'lid'" }]);
  for (const uniform of ['if (wid.x < 3u) { workgroupBarrier(); }', 'if (lid == 0u) { t[0] = 1.0; }\n  workgroupBarrier();', 'for (var s = 32u; s > 0u; s >>= 1u) { if (lid < s) { t[lid] += t[lid + s]; } workgroupBarrier(); }',
    // A return in one branch of a uniform if leaves the other alone; a break in a switch leaves the switch only.
    'if (wid.x == 0u) { if (lid > 3u) { return; } } else { workgroupBarrier(); }',
    'for (var k = 0u; k < 4u; k++) { switch (lid) { case 0u: { break; } default: { t[k] = 1.0; } } workgroupBarrier(); }',
    // Trial 84 A1: workgroupUniformLoad's result is the workgroup's one value, whatever its argument was written from.
    'var<workgroup> total: f32;\n  total = f32(lid);\n  let w = workgroupUniformLoad(&total);\n  if (w < 0.0) { workgroupBarrier(); }',
    // Trial 84 A2: another loop's `j`, started from the id, is another variable.
    'for (var j = lid; j < 64u; j += 64u) { t[j] = 0.0; }\n  for (var j = 0u; j < 4u; j++) { workgroupBarrier(); }']) {
    expect(nonUniformBarriers(kernel(uniform)), uniform).toEqual([]);
  }
});

// Trial 150 B2: a failure named an append list's unwritten tail as the source of an output no stage computed from it.
it('readsVariable: a buffer only assigned or atomicStored to is not read; an index, a compound assignment or a load is', () => {
  const code = (body: string) => `@group(0) @binding(0) var<storage, read_write> visible: array<u32>;
@group(0) @binding(1) var<storage, read_write> n: atomic<u32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
  ${body}
}`;
  expect(readsVariable(code('let slot = atomicAdd(&n, 1u);\n  visible[slot] = g.x;'), 'visible')).toBe(false);
  expect(readsVariable(code('visible[visible[0]] = g.x;'), 'visible')).toBe(true);
  expect(readsVariable(code('visible[0] += 1u;'), 'visible')).toBe(true);
  expect(readsVariable(code('let v = visible[g.x];\n  atomicStore(&n, v);'), 'visible')).toBe(true);
  expect(readsVariable(code('atomicStore(&n, 0u);'), 'n')).toBe(false);
  // Trial 182 B3: its length is no read of its elements.
  expect(readsVariable(code('if (g.x < arrayLength(&visible)) { visible[g.x] = 1u; }'), 'visible')).toBe(false);
  // Trial 151 B2: through a helper that only writes through its pointer, or one that reads through it.
  const push = (body: string) => code('push(&visible, atomicAdd(&n, 1u), g.x);').replace('@compute', `fn push(l: ptr<storage, array<u32>, read_write>, s: u32, v: u32) { ${body} }\n@compute`);
  expect(readsVariable(push('(*l)[s] = v;'), 'visible')).toBe(false);
  expect(readsVariable(push('(*l)[s] = (*l)[0] + v;'), 'visible')).toBe(true);
});

// Trial 165 B4: a float sum by one compare-exchange that never read .exchanged (no retry) passed on Dawn with no word.
it('unretriedExchanges: a compare-exchange whose .exchanged is never read, by the variable its callers pass', async () => {
  const { unretriedExchanges } = await import('../harness/run/portability.ts');
  const body = (b: string) => `@group(0) @binding(0) var<storage, read_write> total: atomic<u32>;
fn add(p: ptr<storage, atomic<u32>, read_write>, v: f32) {
${b}
}
@compute @workgroup_size(64) fn main() { add(&total, 1.0); }`;
  const once = 'let old = atomicLoad(p);\n  let r = atomicCompareExchangeWeak(p, old, bitcast<u32>(bitcast<f32>(old) + v));';
  expect(unretriedExchanges(body(once))).toEqual([{ line: 4, variable: 'total' }]);
  expect(unretriedExchanges(body('let old = atomicLoad(p);\n  atomicCompareExchangeWeak(p, old, old + 1u);'))).toEqual([{ line: 4, variable: 'total' }]);
  expect(unretriedExchanges(body(`loop {\n  ${once}\n  if (r.exchanged) { break; } }`))).toEqual([]);
  expect(unretriedExchanges(body('loop { let old = atomicLoad(p); if (atomicCompareExchangeWeak(p, old, old + 1u).exchanged) { break; } }'))).toEqual([]);
  // Trial 178 B2: a float max that retries with the old value until the word holds at least its own.
  expect(unretriedExchanges(body('var cur = atomicLoad(p);\n  loop {\n    if (bitcast<f32>(cur) >= v) { break; }\n    let r = atomicCompareExchangeWeak(p, cur, bitcast<u32>(v));\n    cur = r.old_value;\n  }'))).toEqual([]);
  // Trial 196 B2: nor one called as a statement in a loop that loads the word again and breaks on it; a loop over
  // elements, with no break, tries each once.
  expect(unretriedExchanges(body('loop {\n    let cur = atomicLoad(p);\n    if (bitcast<f32>(cur) >= v) { break; }\n    atomicCompareExchangeWeak(p, cur, bitcast<u32>(v));\n  }'))).toEqual([]);
  expect(unretriedExchanges(body('for (var k = 0u; k < 4u; k++) {\n    let cur = atomicLoad(p);\n    atomicCompareExchangeWeak(p, cur, cur + k);\n  }'))).toEqual([{ line: 5, variable: 'total' }]);
});

// Trial 165 B2: a lock made of atomics orders nothing in WGSL; a float add's compare-exchange loop is no lock.
it('atomicLocks finds a compare-exchange of literals and an exchange of a literal in a loop, not a float CAS loop', () => {
  const head = `@group(0) @binding(0) var<storage, read_write> lock: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> acc: array<atomic<u32>>;
`;
  const locks = `${head}fn acquire() {
  loop {
    if (atomicCompareExchangeWeak(&lock[0], 0u, 1u).exchanged) { break; }
  }
}
fn take() {
  while (atomicExchange(&lock[1], 1u) != 0u) {}
}
fn once() { let was = atomicExchange(&lock[1], 1u); }
fn release() { atomicStore(&lock[0], 0u); atomicStore(&lock[1], 0u); }
@compute @workgroup_size(1) fn main() { atomicStore(&lock[0], 0u); acquire(); take(); once(); release(); }`;
  expect(atomicLocks(locks)).toEqual([5, 9]);
  // Trial 172 B3: a one-shot claim, which nothing releases after it (a clear before it is no release), is no lock.
  expect(atomicLocks(locks.replace('release(); }', '}'))).toEqual([]);
  // Trial 174 B1: a release through a helper's pointer, by an abstract-int 0, or by subtracting what was taken.
  for (const release of ['fn release() { free(&lock[0]); atomicExchange(&lock[1], 0); }\nfn free(l: ptr<storage, atomic<u32>, read_write>) { atomicStore(l, 0u); }',
    'fn release() { atomicSub(&lock[0], 1u); atomicStore(&lock[1], 0x0u); }']) {
    expect(atomicLocks(locks.replace('fn release() { atomicStore(&lock[0], 0u); atomicStore(&lock[1], 0u); }', release)), release).toEqual([5, 9]);
  }
  // A float add by two exchanges takes the word's value out with a literal, and keeps it: no lock.
  expect(atomicLocks(`${head}fn add(v: f32) {
  var mine = v;
  loop {
    let theirs = bitcast<f32>(atomicExchange(&acc[0], 0u));
    mine = bitcast<f32>(atomicExchange(&acc[0], bitcast<u32>(theirs + mine)));
    if (mine == 0.0) { break; }
  }
}`)).toEqual([]);
  expect(atomicLocks(`${head}fn add(v: f32) {
  var old = atomicLoad(&acc[0]);
  loop {
    let r = atomicCompareExchangeWeak(&acc[0], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}`)).toEqual([]);
});

// Trial 165 B3: private bins filled through a helper's compare-exchange loop, flushed with no barrier after.
it('workgroupAtomicsBeforeBarrier follows updates into helpers and is cleared by a workgroupBarrier()', () => {
  const code = `var<workgroup> bins: array<atomic<u32>, 64>;
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
fn add(b: u32) {
  var old = atomicLoad(&bins[b]);
  loop { let r = atomicCompareExchangeWeak(&bins[b], old, old + 1u); if (r.exchanged) { break; } old = r.old_value; }
}
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32) {
  atomicStore(&bins[lid], 0u);
  workgroupBarrier();
  add(lid % 3u);
  out[lid] = atomicLoad(&bins[lid]);
}`;
  expect(workgroupAtomicsBeforeBarrier(code)).toEqual([{ kind: 'load', variable: 'bins', line: 12, after: 11 }]);
  expect(workgroupAtomicsBeforeBarrier(code.replace('  out[lid] =', '  workgroupBarrier();\n  out[lid] ='))).toEqual([]);
  // Trial 172 B4: a barrier in a helper clears it; an update through a pointer parameter counts, at the call's line.
  expect(workgroupAtomicsBeforeBarrier(`fn sync() { workgroupBarrier(); }\n${code.replace('  out[lid] =', '  sync();\n  out[lid] =')}`)).toEqual([]);
  const viaPointer = `var<workgroup> bins: array<atomic<u32>, 64>;
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
fn bump(b: ptr<workgroup, atomic<u32>>) { atomicAdd(b, 1u); }
@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32) {
  atomicStore(&bins[lid], 0u);
  workgroupBarrier();
  bump(&bins[lid % 3u]);
  out[lid] = atomicLoad(&bins[lid]);
}`;
  expect(workgroupAtomicsBeforeBarrier(viaPointer)).toEqual([{ kind: 'load', variable: 'bins', line: 9, after: 8 }]);
  // Trial 208 B3: a load in an `if`, an update in its `else`: named as the reverse order is.
  const split = viaPointer.replace('  bump(&bins[lid % 3u]);\n  out[lid] = atomicLoad(&bins[lid]);', '  if (lid < 32u) {\n    out[lid] = atomicLoad(&bins[lid]);\n  } else {\n    bump(&bins[lid % 3u]);\n  }');
  expect(workgroupAtomicsBeforeBarrier(split)).toEqual([{ kind: 'load', variable: 'bins', line: 9, after: 11 }]);
  // Trial 205 B2: one invocation's load after its own update, in its block, after the others' barrier; not where the
  // others' updates have no barrier before it.
  const leader = viaPointer.replace('  bump(&bins[lid % 3u]);\n  out[lid] = atomicLoad(&bins[lid]);', '  if (lid == 63u) {\n    bump(&bins[0]);\n    out[0] = atomicLoad(&bins[0]);\n  }');
  expect(workgroupAtomicsBeforeBarrier(leader)).toEqual([]);
  expect(workgroupAtomicsBeforeBarrier(leader.replace('  workgroupBarrier();\n', '  bump(&bins[lid]);\n'))).toEqual([{ kind: 'update', variable: 'bins', line: 7, after: 6 }, { kind: 'load', variable: 'bins', line: 10, after: 7 }]);
  // Trial 175 B1: a load in a store's own argument runs before the store; it follows no update.
  expect(workgroupAtomicsBeforeBarrier(viaPointer.replace('  bump(&bins[lid % 3u]);\n  out[lid] = atomicLoad(&bins[lid]);', '  atomicStore(&bins[lid % 3u], atomicLoad(&bins[lid % 3u]) + 1u);'))).toEqual([]);
  // Trial 179 B2: bins reset and counted into with no barrier between: the update may be erased by another's reset.
  const reset = viaPointer.replace('  workgroupBarrier();\n  bump(&bins[lid % 3u]);\n  out[lid] = atomicLoad(&bins[lid]);', '  bump(&bins[lid % 3u]);');
  expect(workgroupAtomicsBeforeBarrier(reset)).toEqual([{ kind: 'update', variable: 'bins', line: 7, after: 6 }]);
  // Trial 181 B1: workgroupUniformLoad is a barrier of the workgroup too.
  const uniform = `var<workgroup> nb: u32;\n${reset.replace('  bump(&bins[lid % 3u]);', '  let k = workgroupUniformLoad(&nb);\n  bump(&bins[lid % k]);')}`;
  expect(workgroupAtomicsBeforeBarrier(uniform)).toEqual([]);
});

// Trial 173 B2: a tokenizer's previous word taken by subgroupShuffleUp, its words placed by the global index.
it('subgroupSlots names a lane read by order where the data is placed by a local index', async () => {
  const { subgroupSlots } = await import('../harness/run/portability.ts');
  const code = `enable subgroups;
@group(0) @binding(0) var<storage, read> words: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let w = words[gid.x];
  out[gid.x] = subgroupShuffleUp(w, 1u);
}`;
  expect(subgroupSlots(code)).toEqual([{ line: 7, text: 'subgroupShuffleUp(w, 1u)', order: true }]);
  // A reduction takes no order: nothing.
  expect(subgroupSlots(code.replace('subgroupShuffleUp(w, 1u)', 'subgroupAdd(w)'))).toEqual([]);
});

// Trial 220 B1: a compare-exchange of equal operands read for a finished sum hands out no slot; an atomicAdd's
// return used as an index does.
it('atomicSlotsAt: a read in all but name is no slot', async () => {
  const { atomicSlotsAt } = await import('../harness/run/float-atomics.ts');
  const code = (read: string) => `@group(0) @binding(0) var<storage, read_write> part: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(4) fn main(@builtin(local_invocation_index) l: u32) {
  let v = ${read};
  y[l] = v;
}`;
  const program = (c: string) => ({ sources: { 'k.wgsl': c }, origins: {} }) as never;
  expect(atomicSlotsAt(program(code('atomicCompareExchangeWeak(&part[0], 0u, 0u).old_value')))).toBeUndefined();
  expect(atomicSlotsAt(program(code('atomicAdd(&part[0], 0u)')))).toBeUndefined();
  expect(atomicSlotsAt(program(code('atomicAdd(&part[0], 1u)')))).toBe('k.wgsl:4');
});
