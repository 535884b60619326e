// Compiler diagnostics as a user meets them: every message (errors, the notes that give the cause, warnings), each
// located with file:line:column, its source line and a caret, from Tint (Dawn, Chromium) and Naga (Deno).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';
import { formatDiagnostics, splitNagaMessage } from '../harness/run/diagnostics.ts';

const ROOT = resolve(import.meta.dirname, '..');
const LIBRARY = join(ROOT, 'test/fixtures/library');
const SCALE = readFileSync(join(LIBRARY, 'kernels/scale.wgsl'), 'utf8');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: LIBRARY }, timeout: 170_000,
  });
  return { code: r.status, stderr: r.stderr };
}
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

// What Naga (Deno 2.9, Firefox ESR 153) returned here for `let a = 1u; a = 2u;`: one message, its own rendering.
const NAGA_LET = "\nShader '' parsing error: invalid left-hand side of assignment\n  ┌─ wgsl:4:7\n  │\n4 │   let a = 1u;\n  │       ^ this is an immutable binding\n5 │   a = 2u;\n  │   ^ cannot assign to this expression\n  │\n  = note: consider declaring `a` with `var` instead of `let`\n\n";
// ... and for a call with the wrong argument type: labels hanging under markers, and notes naming Naga's own IR.
const NAGA_CALL = "\nShader validation error: Entry point main at Compute is invalid\n  ┌─ :5:12\n  │\n5 │   y[lid] = f(1.5f);\n  │            ^^^^^^^\n  │            │ │\n  │            │ naga::ir::Expression [3]\n  │            invalid function call\n  │\n  = Call to [0] is invalid\n  = Argument 0 value [3] doesn't match the type [2]\n\n";

describe('compiler diagnostics', () => {
  it("Naga's rendering becomes the headline and located notes; its IR labels are left out", () => {
    expect(splitNagaMessage({ shader: 0, type: 'error', line: 5, column: 3, message: NAGA_LET })).toEqual([
      { kind: 'error', shader: 0, line: 5, column: 3, message: 'invalid left-hand side of assignment' },
      { kind: 'note', shader: 0, line: 4, column: 7, message: 'this is an immutable binding' },
      { kind: 'note', shader: 0, line: 5, column: 3, message: 'cannot assign to this expression' },
      { kind: 'note', shader: 0, line: 0, column: 0, message: 'consider declaring `a` with `var` instead of `let`' },
    ]);
    expect(splitNagaMessage({ shader: 0, type: 'error', line: 5, column: 12, message: NAGA_CALL }).map((m) => [m.line, m.column, m.message])).toEqual([
      [5, 12, 'Entry point main at Compute is invalid'],
      [5, 12, 'invalid function call'],
      [0, 0, 'Call to [0] is invalid'],
      [0, 0, "Argument 0 value [3] doesn't match the type [2]"],
    ]);
  });

  // Trial 64 B2: C's FLT_MAX as written, -3.4028235e38, is refused by Tint with its exact value and nothing else.
  it("FLT_MAX written as C prints it: Tint's error, then what to write", async () => {
    const { KernelCompileError } = await import('../harness/run/property-runner.ts');
    const { CompileError } = await import('../harness/gpu/batch.ts');
    const code = 'fn f() {\n  var m = -3.4028235e38;\n}\n';
    const program = { spec: { wgsl: 'k.wgsl' }, sources: { 'k.wgsl': code }, origins: { 'k.wgsl': 'k.wgsl' } } as never;
    const e = new KernelCompileError(program, ['k.wgsl'], new CompileError([{ type: 'error', shader: 0, line: 2, column: 11, message: "value -340282349999999991754788743781432688640.0 cannot be represented as 'f32'" }]));
    expect(e.message).toMatch(/^k\.wgsl:2:11: error: value -34028\d+\.0 cannot be represented as 'f32'\n[\s\S]*\nhint: FLT_MAX as C, JavaScript and printf's %\.9g print it \(3\.4028235e38, 3\.40282347e38\) is past f32's largest value read exactly: write 3\.40282346e38, or bitcast<f32>\(0x7f7fffffu\)$/);
    // Another value past f32's range has no such hint.
    expect(new KernelCompileError(program, ['k.wgsl'], new CompileError([{ type: 'error', shader: 0, line: 2, column: 11, message: "value 1e+39 cannot be represented as 'f32'" }])).message).not.toContain('hint');
  });

  // Trial 87 B2: naga's "requires capability Capabilities(SUBGROUP)" for a module without `enable subgroups;` read as
  // the adapter lacking subgroups, which kernelscope says as a skip.
  it("naga's missing capability, where the module lacks its enable: what WGSL asks for", async () => {
    const { KernelCompileError } = await import('../harness/run/property-runner.ts');
    const { CompileError } = await import('../harness/gpu/batch.ts');
    const error = (code: string) => new KernelCompileError({ spec: { wgsl: 'k.wgsl' }, sources: { 'k.wgsl': code }, origins: { 'k.wgsl': 'k.wgsl' } } as never, ['k.wgsl'],
      new CompileError([{ type: 'error', shader: 0, line: 0, column: 0, message: 'Shader requires capability Capabilities(SUBGROUP)' }])).message;
    expect(error('fn f() -> f32 { return subgroupAdd(1.0); }\n')).toMatch(/\nhint: the module uses subgroup builtins without `enable subgroups;`, which WGSL requires at its top/);
    expect(error('enable subgroups;\nfn f() -> f32 { return subgroupAdd(1.0); }\n')).not.toContain('hint');
  });

  // Trial 97 B2: naga has no bitcast between u32 and vec2<f16> (gfx-rs/wgpu#8896), valid WGSL that was an error
  // with naga's words, read as the user's own type error: not supported here, a skip.
  it("naga's missing vec2<f16> bitcast is not supported here, found by its message or by the module's bitcasts", async () => {
    const { KernelCompileError } = await import('../harness/run/property-runner.ts');
    const { CompileError } = await import('../harness/gpu/batch.ts');
    const missing = (code: string, message: string) => new KernelCompileError({ spec: { wgsl: 'k.wgsl' }, sources: { 'k.wgsl': code }, origins: { 'k.wgsl': 'k.wgsl' } } as never, ['k.wgsl'],
      new CompileError([{ type: 'error', shader: 0, line: 3, column: 7, message }])).missingLanguageFeature;
    const head = 'enable f16;\n@group(0) @binding(0) var<storage, read_write> a: array<u32>;\n';
    const toU32 = `${head}@compute @workgroup_size(1) fn main() { a[0] = bitcast<u32>(vec2<f16>(1.0h, 2.0h)); }\n`;
    expect(missing(toU32, 'the type of `w` is expected to be `u32`, but got `vec2<{non-WGSL Naga scalar Scalar { kind: Uint, width: 2 }}>`')).toMatch(/^a bitcast between a 32-bit type and vec2<f16> .*naga\) does not implement yet \(gfx-rs\/wgpu#8896\)/);
    expect(missing(toU32, 'the type of `w` is expected to be `u32`, but got `vec2<u16>`')).toBeDefined();
    const fromU32 = `${head}@compute @workgroup_size(1) fn main() { let v = bitcast<vec2h>(a[0]); a[1] = u32(v.x); }\n`;
    expect(missing(fromU32, "\nShader '' parsing error: invalid field accessor `x`\n")).toBeDefined();
    // The same words where the module has no such bitcast are the user's error.
    const plain = `${head}@compute @workgroup_size(1) fn main() { let v = a[0]; a[1] = v.x; }\n`;
    expect(missing(plain, "\nShader '' parsing error: invalid field accessor `x`\n")).toBeUndefined();
    expect(missing(plain, 'unknown type: `vec2<u16>`')).toBeUndefined();
  });

  it('errors come first, each with its notes; warnings follow; tabs are kept under the caret', () => {
    const src = 'fn f() {\n\tlet a = 1;\n\treturn;\n\tlet b = 2;\n}\n';
    const text = formatDiagnostics([
      { shader: 0, type: 'warning', line: 4, column: 2, message: 'code is unreachable' },
      { shader: 0, type: 'error', line: 2, column: 6, message: 'bad a' },
      { shader: 0, type: 'info', line: 1, column: 4, message: 'f declared here' },
    ], ['k.wgsl'], { 'k.wgsl': src }, { 'k.wgsl': 'lib/k.wgsl' });
    expect(text.split('\n')).toEqual([
      'lib/k.wgsl:2:6: error: bad a', '    \tlet a = 1;', '    \t    ^',
      'lib/k.wgsl:1:4: note: f declared here', '    fn f() {', '       ^',
      'lib/k.wgsl:4:2: warning: code is unreachable', '    \tlet b = 2;', '    \t^',
    ]);
  });

  it('a barrier in non-uniform control flow: Tint\'s error and the notes naming the cause, on Dawn and Chromium', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-diag-'));
    const file = join(out, 'barrier.wgsl');
    // g.x is a builtin that differs per invocation: the branch on it is non-uniform, so the barrier inside is invalid.
    const wgsl = SCALE.replace('y[g.x] = 2.0 * x[g.x];', 'y[g.x] = 2.0 * x[g.x];\n    workgroupBarrier();');
    writeFileSync(file, wgsl);
    const r = cli(['test', '--backend', 'dawn,chromium', '--wgsl', `scale=${file}`, '--property', 'matches-reference', '--runs', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const barrier = lineOf(wgsl, 'workgroupBarrier');
    const branch = lineOf(wgsl, 'if (g.x < params.n)');
    const results = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile).results;
    expect(results.map((x) => [x.backend, x.status])).toEqual([['dawn', 'error'], ['chromium', 'error']]);
    for (const res of results) {
      expect(res.error).toMatch(new RegExp(`barrier\\.wgsl:${barrier}:5: error: 'workgroupBarrier' must only be called from uniform control flow$`));
      const detail = res.detail!.split('\n');
      // Each message: located line, the source line, a caret under the column.
      const note = detail.findIndex((l) => l.endsWith(`barrier.wgsl:${branch}:3: note: control flow depends on possibly non-uniform value`));
      expect(note, res.detail).toBeGreaterThan(0);
      expect(detail[note + 1]).toBe('      if (g.x < params.n) {');
      expect(detail[note + 2]).toBe('      ^');
      expect(res.detail).toMatch(new RegExp(`barrier\\.wgsl:${branch}:\\d+: note: .*'g'.* may be non-uniform`));
    }
    // The terminal shows the notes too (printed once for the kernel).
    expect(r.stderr).toContain('note: control flow depends on possibly non-uniform value');
  });

  // Trial 83 A1: a barrier after an early return on the id passed every property on Deno, Firefox and the
  // interpreter; Tint refuses it. Without Tint in the run kernelscope finds it, and where Tint ran and compiled a
  // kernel its verdict stands (trial 84: a barrier under a workgroupUniformLoad's value was refused on Deno alone).
  it('a barrier after a return on the id: an error on naga and the interpreter without Tint in the run', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-diag-'));
    const file = join(out, 'return.wgsl');
    const wgsl = SCALE.replace('  if (g.x < params.n) {', '  if (g.x >= params.n) { return; }\n  workgroupBarrier();\n  {');
    writeFileSync(file, wgsl);
    const r = cli(['test', '--backend', 'deno,interpreter', '--wgsl', `scale=${file}`, '--property', 'matches-reference', '--runs', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const results = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile).results;
    expect(results.map((x) => [x.backend, x.status])).toEqual([['deno', 'error'], ['interpreter', 'error']]);
    for (const res of results) expect(res.error).toMatch(new RegExp(`^not valid WGSL: .*return\\.wgsl:${lineOf(wgsl, 'workgroupBarrier')}: workgroupBarrier\\(\\) after a return under 'g\\.x >= params\\.n', which reads the builtin 'g'`));
    // With Dawn in the run, Tint's own error, on every engine.
    const t = cli(['test', '--backend', 'dawn,interpreter', '--wgsl', `scale=${file}`, '--property', 'matches-reference', '--runs', '2', '--out', out]);
    const tint = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile).results;
    expect(tint.map((x) => [x.backend, x.status]), t.stderr).toEqual([['dawn', 'error'], ['interpreter', 'error']]);
    for (const res of tint) expect(res.error).toMatch(/must only be called from uniform control flow/);
  });

  // Trial 82 B9: "17:3: error: Expected ';' after statement.. Line: 17" for a `;` missing at the end of line 16.
  it("the interpreter's parse error: the missing ';' at the end of its line, said once", () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-diag-'));
    const file = join(out, 'semi.wgsl');
    const wgsl = SCALE.replace('y[g.x] = 2.0 * x[g.x];', 'let t = 2.0 * x[g.x]\n    y[g.x] = t;');
    writeFileSync(file, wgsl);
    const r = cli(['test', '--backend', 'interpreter', '--wgsl', `scale=${file}`, '--property', 'matches-reference', '--runs', '1', '--out', out]);
    const [res] = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile).results;
    const line = lineOf(wgsl, 'let t = 2.0 * x[g.x]');
    expect(res!.error, r.stderr).toMatch(new RegExp(`semi\\.wgsl:${line}:${wgsl.split('\n')[line - 1]!.length + 1}: error: Expected ';' after statement$`));
  });

  it('a kernel that compiles with a warning passes, and the warning is shown, located, once', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-diag-'));
    const file = join(out, 'warn.wgsl');
    const wgsl = SCALE.replace('y[g.x] = 2.0 * x[g.x];', 'y[g.x] = 2.0 * x[g.x];\n    return;\n    y[g.x] = 0.0;');
    writeFileSync(file, wgsl);
    const r = cli(['test', '--backend', 'dawn,chromium', '--wgsl', `scale=${file}`, '--property', 'matches-reference', '--property', 'deterministic', '--runs', '3', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const line = lineOf(wgsl, 'y[g.x] = 0.0;');
    const results = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile).results;
    expect(results.map((x) => x.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    for (const res of results) expect(res.detail).toMatch(new RegExp(`warn\\.wgsl:${line}:12: warning: code is unreachable\n {8}y\\[g\\.x\\] = 0\\.0;\n {15}\\^$`));
    expect(r.stderr.match(/warn\.wgsl:\d+:\d+: warning: code is unreachable/g)).toHaveLength(1);
  });

  it('Naga on Deno: the headline, then each label as a located note with its source line', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-diag-'));
    const file = join(out, 'let.wgsl');
    const wgsl = SCALE.replace('y[g.x] = 2.0 * x[g.x];', 'let k = 2.0;\n    k = 3.0;\n    y[g.x] = k * x[g.x];');
    writeFileSync(file, wgsl);
    const r = cli(['test', '--backend', 'deno', '--wgsl', `scale=${file}`, '--property', 'matches-reference', '--runs', '2', '--out', out]);
    const res = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile).results[0]!;
    if (res.status === 'skip') return expect(res.error).toMatch(/engine unavailable/); // no Deno here: said, not passed
    expect(r.code).toBe(1);
    const let_ = lineOf(wgsl, 'let k');
    const assign = lineOf(wgsl, 'k = 3.0');
    expect(res.error).toMatch(new RegExp(`let\\.wgsl:${assign}:5: error: invalid left-hand side of assignment$`));
    expect(res.detail).toContain(`let.wgsl:${let_}:9: note: this is an immutable binding\n        let k = 2.0;\n            ^`);
    expect(res.detail).toContain('note: consider declaring `k` with `var` instead of `let`');
    expect(res.detail).not.toContain('┌─');
  });
});
