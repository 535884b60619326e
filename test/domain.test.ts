// sin, cos and tan past π, where WGSL bounds none of their error: the interpreter sees every call and fails
// matches-reference where the kernel's bound claimed an accuracy no WGSL implementation has to give (a trial's RoPE
// without argument reduction passed every property on every engine, all of them accurate far past π), judging the
// case again with those calls giving other values WGSL allows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { traceCase } from '../harness/engines/interpreter.ts';
import { domainText } from '../harness/engines/interpreter/domains.ts';
import type { ResultsFile } from '../harness/results/schema.ts';

const ROOT = resolve(import.meta.dirname, '..');
const LIB = join(ROOT, 'test/fixtures/domain-lib');

function run(...args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'ks-domain-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'test', '--backend', 'dawn,interpreter', '--property', 'matches-reference',
    '--runs', '10', ...(args.includes('--kernel') ? [] : ['--kernel', 'wave']), ...args, '--out', out, '--fixtures', join(out, 'fx')],
  { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: LIB }, timeout: 170_000 });
  const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
  return { out, stderr: r.stderr, byEngine: Object.fromEntries(file.results.map((x) => [x.backend, x])) };
}

it('cos kept in [−π, π] passes on both engines', () => {
  const r = run();
  expect(r.byEngine.dawn?.status, r.stderr).toBe('pass');
  expect(r.byEngine.interpreter?.status, r.stderr).toBe('pass');
}, 180_000);

it('cos called past π fails on the interpreter, naming the call and what to do; Dawn cannot see it', () => {
  const r = run('--wgsl', `wave=${join(LIB, 'twins/wave-past-pi.wgsl')}`);
  expect(r.byEngine.interpreter?.status, r.stderr).toBe('fail');
  expect(r.byEngine.interpreter?.error).toMatch(/^cos\(6\.28318548\) at .*wave-past-pi\.wgsl:14: WGSL bounds cos's error on \[−π, π\] only and allows any value outside it, .*reduce the argument into \[−π, π\] first/);
  // The values are right on an accurate cos: a GPU engine's verdict is on values alone.
  expect(r.byEngine.dawn?.status, r.stderr).toBe('pass');
  // Replayed on Dawn, the saved case passes, and says why that is no news (a trial read "the engines differ").
  const saved = readdirSync(join(r.out, 'fx')).find((f) => f.includes('--interpreter--'))!;
  const replay = spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), 'replay', join(r.out, 'fx', saved), '--backend', 'dawn'],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: LIB }, timeout: 170_000 });
  expect(replay.stdout, replay.stderr).toContain('PASSES on dawn, as expected: the saved failure is a call whose result WGSL leaves open, which only the interpreter sees');
}, 180_000);

// A trial's branch-free RoPE computed cos for its padding rows too (angle 4.3e9) and let select discard it: right on
// every WGSL implementation, and failed here, since any call past π failed the case. The case now runs again with
// such calls giving NaN and the accurate value + 1 (values WGSL allows there), and fails only where an output leaves
// its bound.
it('a call past π whose result select discards passes on the interpreter, with a note naming it', () => {
  const r = run('--wgsl', `wave=${join(LIB, 'twins/wave-select-discards.wgsl')}`);
  expect(r.byEngine.interpreter?.status, r.stderr).toBe('pass');
  expect(r.byEngine.interpreter?.notes?.outOfDomain).toMatch(/^cos\(.+\) at .*wave-select-discards\.wgsl:15 .*the output stayed within its bound with cos giving NaN and with its accurate value \+ 1 there$/);
  expect(r.byEngine.dawn?.status, r.stderr).toBe('pass');
}, 180_000);

// Trial 224 B1: beside a failure, the note of a case that passed read as said of the failing one.
it('beside a failure, the note of a passing case\'s call past π says it is another case\'s', () => {
  const r = run('--wgsl', `wave=${join(LIB, 'twins/wave-select-small.wgsl')}`);
  expect(r.byEngine.interpreter?.status, r.stderr).toBe('fail');
  expect(r.byEngine.interpreter?.notes?.outOfDomain).toMatch(/the output stayed within its bound with cos giving NaN and with its accurate value \+ 1 there, in a case that passed \(the failure below is of another\)$/);
}, 180_000);

// The same trial: a bound that leaves one element open (one that may overflow) silenced the check for the whole
// case, so a finite 2^-11 on every other element, fed by cos past π, passed.
it('one unbounded element does not excuse the others: their finite bound fails with cos giving NaN there', () => {
  const r = run('--kernel', 'wave_first_open', '--wgsl', `wave_first_open=${join(LIB, 'twins/wave-past-pi.wgsl')}`);
  expect(r.byEngine.interpreter?.status, r.stderr).toBe('fail');
  expect(r.byEngine.interpreter?.error).toMatch(/^cos\(6\.28318548\) at .*wave-past-pi\.wgsl:14.*; with cos giving NaN there, a value WGSL allows: y\[1\] = NaN but the reference is /);
  const right = run('--kernel', 'wave_first_open');
  expect(right.byEngine.interpreter?.status, right.stderr).toBe('pass');
}, 180_000);

// A trial clamped to 65520 before pack2x16float: past f16's largest finite value (65504), so the packed word is
// indeterminate; Dawn's word failed, the interpreter cut it to 65504 and passed.
it('pack2x16float of a value past f16\'s finite range is recorded, with what to do', () => {
  const code = `@group(0) @binding(0) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(1) fn main() {
  y[0] = pack2x16float(vec2<f32>(65504.0, -2.0));
  y[1] = pack2x16float(vec2<f32>(1.0, 65520.0));
}`;
  const c = { buffers: [{ size: 8, kind: 'storage' as const }], dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1] as [number, number, number] }], readback: [0] };
  const call = traceCase([code], c).dispatches[0]!.outOfDomain;
  expect(call).toMatchObject({ builtin: 'pack2x16float', x: 65520, line: 4, count: 1 });
  expect(domainText(call!, 'k.wgsl')).toBe("pack2x16float of 65520 at k.wgsl:4: a value outside f16's finite range (±65504) makes the packed u32 indeterminate in WGSL, any value at all (the engines here happen to give one); clamp to ±65504 first");
});

// A trial's pow(x, 2.0) over inputs of both signs passed on Dawn and Deno, which give the real power, and was refused
// on every case by the interpreter, so `--backend dawn,interpreter` exited 0. WGSL gives pow the accuracy of
// exp2(y * log2(x)), which has no value for x < 0: such a call is now judged as cos past π is.
it('pow of a base at or below 0 fails on the interpreter, naming the call and what to do; Dawn gives the real power', () => {
  const r = run('--wgsl', `wave=${join(LIB, 'twins/wave-pow-negative.wgsl')}`);
  expect(r.byEngine.interpreter?.status, r.stderr).toBe('fail');
  expect(r.byEngine.interpreter?.error).toMatch(/^pow with base \S+ at .*wave-pow-negative\.wgsl:15.*: WGSL gives pow the accuracy of exp2\(y \* log2\(x\)\), which has no bound for a base at or below 0 .*write a square as x \* x/);
  expect(r.byEngine.dawn?.status, r.stderr).toBe('pass');
}, 180_000);

it('pow records a base below f32\'s smallest normal, 0 and a subnormal included, and the furthest of a vector', () => {
  const code = `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(1) fn main() {
  y[0] = pow(1.17549435e-38, 0.5) + pow(3.0, 0.5);
  y[1] = pow(vec2f(-1.5, -4.0), vec2f(2.0)).y;
  y[2] = pow(0.0, 2.0) + pow(1e-39, 2.0);
}`;
  const c = { buffers: [{ size: 12, kind: 'storage' as const }], dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1] as [number, number, number] }], readback: [0] };
  const t = traceCase([code], c);
  expect(t.dispatches[0]!.outOfDomain).toMatchObject({ builtin: 'pow', x: -4, line: 4, count: 3 });
  // The accurate value where there is one (the real power), as the engines here give.
  expect(Array.from(new Float32Array(t.outputs[0]!.slice().buffer))).toEqual([Math.fround(Math.sqrt(2 ** -126) + Math.sqrt(3)), 16, 0]);
});

// sqrt inherits 1 / inverseSqrt(x), and inverseSqrt, log and log2 are bounded for x > 0 only (the CTS's intervals are
// "any" at 0): a GPU computing sqrt as x * inverseSqrt(x) gives NaN at 0, where the engines here give 0.
it('sqrt, inverseSqrt, log and log2 record an argument below f32\'s smallest normal, with what to do', () => {
  for (const b of ['sqrt', 'inverseSqrt', 'log', 'log2']) {
    const code = `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(1) fn main() {
  y[0] = ${b}(1.17549435e-38);
  y[1] = ${b}(y[1]);
}`;
    const c = { buffers: [{ size: 8, kind: 'storage' as const }], dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1] as [number, number, number] }], readback: [0] };
    const call = traceCase([code], c).dispatches[0]!.outOfDomain;
    expect(call, b).toMatchObject({ builtin: b, x: 0, line: 4, count: 1 });
    expect(domainText(call!, 'k.wgsl')).toMatch(new RegExp(`^${b}\\(0\\) at k\\.wgsl:4: WGSL gives ${b} .*no bound for an argument at or below 0 .*; discard such a call with select\\(${b}\\(x\\), `));
  }
});

// Trial 94 A2: length(e) inherits sqrt(dot(e, e)) (the CTS's lengthInterval), distance length(a - b) and normalize
// e / length(e), so each is open for a zero vector (or a subnormal or overflowing dot); a norm written with length
// passed where the same norm written with sqrt failed.
it('length, distance and normalize record a dot below f32\'s smallest normal or past its largest, once per call', () => {
  const code = `@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(1) fn main() {
  y[0] = length(vec2f(3.0, 4.0)) + distance(vec3f(1.0), vec3f(1.0, 2.0, 3.0)) + normalize(vec2f(0.0, 2.0)).y;
  y[1] = normalize(vec3f(y[1])).x;
  y[2] = length(vec2f(1e20, 1e20)) + distance(vec2f(y[2]), vec2f(0.0)) + length(y[3]);
}`;
  const c = { buffers: [{ size: 16, kind: 'storage' as const }], dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1] as [number, number, number] }], readback: [0] };
  const t = traceCase([code], c);
  // normalize of the zero vector at line 4, its inner length not counted again; line 5's three calls.
  expect(t.dispatches[0]!.outOfDomain).toMatchObject({ builtin: 'normalize', x: 0, line: 4, count: 4 });
  const call = t.dispatches[0]!.outOfDomain!;
  expect(domainText(call, 'k.wgsl')).toMatch(/^normalize\(e\) with dot\(e, e\) = 0 at k\.wgsl:4 \(and 3 more such calls\): WGSL gives normalize\(e\) the accuracy of e \/ length\(e\), .*no bound where dot\(e, e\) is at or below 0 .*; discard such a call with select\(normalize\(e\), vec3f\(0\.0\), dot\(e, e\) < 1\.17549435e-38\)/);
  expect(domainText({ builtin: 'distance', x: 1e-40, line: 7, count: 1 }, 'k.wgsl')).toMatch(/^distance\(a, b\) with dot\(a - b, a - b\) = 1e-40 at k\.wgsl:7: WGSL gives distance\(a, b\) the accuracy of length\(a - b\)/);
  // A length of normal vectors is not recorded: 5 + sqrt(5) + 1.
  const clean = traceCase([code.replace(/y\[1\] = .*\n/, '').replace(/y\[2\] = .*\n/, '')], c);
  expect(clean.dispatches[0]!.outOfDomain).toBeUndefined();
  expect(new Float32Array(clean.outputs[0]!.slice().buffer)[0]).toBe(Math.fround(Math.fround(5 + Math.fround(Math.sqrt(5))) + 1));
});
