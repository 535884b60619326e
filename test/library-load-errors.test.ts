// A library file that does not load is one line naming the file, the line and column, and what is wrong: a syntax
// error (esbuild's, through tsx) and an undefined name (the error's frame in that file), not "Transform failed".
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';
import { libraryFrame } from '../harness/run/library-error.ts';

const ROOT = resolve(import.meta.dirname, '..');
const cli = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/kernelscope.mjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });

describe('a library file that does not load', () => {
  it.each([
    ['const broken = (1;', /properties\/lost\.properties\.ts:(\d+):18: does not load: Expected "\)" but found ";"/],
    ['const y = notDefinedHere + 1;', /properties\/lost\.properties\.ts:(\d+):11: does not load: notDefinedHere is not defined/],
  ])('%s', (line, message) => {
    const work = mkdtempSync(join(tmpdir(), 'ks-load-'));
    const lib = join(work, 'lib');
    expect(cli(['init', 'lost', '--dir', lib], work).status).toBe(0);
    const file = join(lib, 'properties/lost.properties.ts');
    appendFileSync(file, `${line}\n`);
    const r = cli(['list'], work, { KERNELSCOPE_LIBRARY: lib });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    const m = lines[0]!.match(message);
    expect(m, r.stderr).not.toBeNull();
    // The line named is the one appended.
    expect(Number(m![1])).toBe(readFileSync(file, 'utf8').trimEnd().split('\n').length);
  });

  // Trial 225 B2: a syntax error in the reference module the properties file imports was placed in the properties
  // file, at the reference's line and column.
  it('a syntax error in a module the properties file imports is placed in that module', () => {
    const work = mkdtempSync(join(tmpdir(), 'ks-load-'));
    const lib = join(work, 'lib');
    expect(cli(['init', 'lost', '--dir', lib], work).status).toBe(0);
    const file = join(lib, 'reference/lost.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}const broken = (1;\n`);
    const r = cli(['list'], work, { KERNELSCOPE_LIBRARY: lib });
    expect(r.status).toBe(2);
    const line = readFileSync(file, 'utf8').trimEnd().split('\n').length;
    expect(r.stderr.trim().split('\n'), r.stderr).toEqual([expect.stringContaining(`lib/reference/lost.ts:${line}:18 (imported by lib/properties/lost.properties.ts): does not load: Expected ")" but found ";"`)]);
  });
});

// Trial 196 C1: an unboundedWhere that is not a sentence, or that names an output the kernel lacks, was said as it was
// or dropped without a word.
it.each([
  ["{ yy: 'x' }", /^kernelscope: lib\/properties\/lost\.properties\.ts:78: unboundedWhere names 'yy', which kernel 'lost' has no output of \(its outputs: y\)$/],
  ['42 as never', /^kernelscope: lib\/properties\/lost\.properties\.ts:78: unboundedWhere is 42; give a sentence, or one per output by name/],
])('unboundedWhere: %s is one line naming the file and line', (value, message) => {
  const work = mkdtempSync(join(tmpdir(), 'ks-where-'));
  expect(cli(['init', 'lost', '--dir', 'lib'], work).status).toBe(0);
  const file = join(work, 'lib/properties/lost.properties.ts');
  const from = "  reference: (c) => ({ y: reference.lost(c.inputs.x!) }),\n";
  expect(readFileSync(file, 'utf8').split('\n')[76]).toBe(from.trimEnd());
  writeFileSync(file, readFileSync(file, 'utf8').replace(from, `${from}  unboundedWhere: ${value},\n`));
  const r = cli(['list'], work, { KERNELSCOPE_LIBRARY: join(work, 'lib') });
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
});

describe("a family's reference or tolerance that does not fit its kernel", () => {
  // Each is an error naming the properties file (or the throwing line) and what to fix, never a verdict on the
  // kernel: a tolerance with no bound for an output once read as "must be exact" and failed a correct kernel.
  it.each([
    ['a tolerance with no bound for y', 'return { y: expected.y!.map((exact) => correctlyRoundedBound(exact, true)) };', 'return { yy: expected.y!.map((exact) => correctlyRoundedBound(exact, true)) };',
      /properties\/lost\.properties\.ts:\d+: tolerance\(\) gave no bound for output 'y' \(it gave: yy\)/],
    ['a tolerance of NaN', 'return { y: expected.y!.map((exact) => correctlyRoundedBound(exact, true)) };', 'return { y: expected.y!.map(() => NaN) };',
      /tolerance\(\) gave NaN as the bound of y\[0\]/],
    ['a reference under another name', "reference: (c) => ({ y: reference.lost(c.inputs.x!) }),", "reference: (c) => ({ out: reference.lost(c.inputs.x!) }),",
      /reference\(\) returned 'out', which is not an output of kernel lost \(its outputs: y\)/],
    // At the line that gives the family its reference (a trial's was told the file alone).
    ['a reference one element short', "reference: (c) => ({ y: reference.lost(c.inputs.x!) }),", "reference: (c) => ({ y: reference.lost(c.inputs.x!).slice(1) }),",
      /properties\/lost\.properties\.ts:\d+: reference\(\) returned \d+ values? for 'y', but kernel lost wrote \d+, the length its spec's buffers\.y\.length\(shape\) gives for the shape \{"n":\d+[^}]*\}; one of the two is wrong: return one value per element of the output, or make that length the kernel's/],
    ['a reference that throws', "reference: (c) => ({ y: reference.lost(c.inputs.x!) }),", "reference: (c) => { if (c.inputs.x!.length >= 0) throw new Error('not yet'); return {}; },",
      /properties\/lost\.properties\.ts:\d+:\d+: the family's reference\(\) threw on a case of shape \{.*\}: Error: not yet/],
  ])('%s', (_, from, to, message) => {
    const work = mkdtempSync(join(tmpdir(), 'ks-ref-'));
    const lib = join(work, 'lib');
    expect(cli(['init', 'lost', '--dir', lib], work).status).toBe(0);
    const file = join(lib, 'properties/lost.properties.ts');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(from);
    writeFileSync(file, text.replace(from, to));
    const out = join(work, 'out');
    const r = cli(['test', '--kernel', 'lost', '--property', 'matches-reference', '--runs', '1', '--out', out, '--fixtures', join(work, 'fx')], work, { KERNELSCOPE_LIBRARY: lib });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const [result] = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).results;
    expect(result.status).toBe('error');
    expect(result.error).toMatch(message);
    expect(result.error).not.toContain('\n');
  }, 120_000);
});

// Trial 84 B2: a spec's u32 for an array<i32> output; the reference's negative values were told to wrap with >>> 0,
// which would have hidden the mismatch. The WGSL's declaration is said beside it.
it('a reference value the spec\'s type cannot hold, beside a WGSL that declares another type, names that declaration', () => {
  const { test, results } = libraryWith('kernels/lost.wgsl', 'var<storage, read_write> y: array<f32>;', 'var<storage, read_write> y: array<i32>;',
    ['kernels/lost.wgsl', 'y[i] = x[i] * x[i];', 'y[i] = -i32(i);'],
    ['kernels/lost.kernel.ts', "y: { role: 'output', type: 'f32'", "y: { role: 'output', type: 'u32'"],
    ['reference/lost.ts', 'y[i] = x[i]! * x[i]!;', 'y[i] = -i;']);
  const r = test('--property', 'matches-reference', '--runs', '1');
  expect(results()[0]!.error, r.stderr).toMatch(/reference\(\) returned -1 for y\[1\], which no u32 holds .* \(lib\/kernels\/lost\.wgsl:\d+: 'y' is declared array<i32>, but the spec's buffer 'y' is u32: the harness writes and reads it as u32\)$/);
}, 120_000);

// Trial 167 A1: a reference that reads past its input's end (undefined, so NaN) left its last element unbounded, and
// a kernel wrong there passed with a note about the case that overflowed most. The NaN reference is said apart, on the
// terminal and in junit.xml, from the first case that has one.
it("a reference's NaN from finite inputs is said on the result's line and in junit.xml, with the kernel's value there", () => {
  const { test, results, path } = libraryWith('reference/lost.ts', 'y[i] = x[i]! * x[i]!;', 'y[i] = x[i + 1]! * x[i + 1]!;',
    ['kernels/lost.wgsl', 'y[i] = x[i] * x[i];', 'y[i] = select(x[i + 1u] * x[i + 1u], 42.0, i + 1u == arrayLength(&x));']);
  const r = test('--property', 'matches-reference', '--runs', '5');
  const [result] = results();
  expect(result!.status, r.stderr).toBe('pass');
  const nan = /NaN reference y: the reference is NaN at 1 of the case's (\d+) elements \(first y\[(\d+)\], where the kernel gives 42\), so nothing judged them: .* a bug of the reference \(lib\/properties\/lost\.properties\.ts:\d+\), often an input read past its end/;
  const line = (r.stdout + r.stderr).split('\n').find((l) => l.startsWith('ok '));
  expect(line, r.stdout + r.stderr).toMatch(nan);
  const m = nan.exec(line!)!;
  expect(Number(m[2])).toBe(Number(m[1]) - 1);
  expect(readFileSync(join(dirname(dirname(dirname(path))), 'out', 'junit.xml'), 'utf8')).toContain('NaN reference y: the reference is NaN at 1 of');
}, 120_000);

// Trial 166 C1: a first-index argmax failed where SwiftShader read a subnormal as 0 and a tie appeared; nothing in
// the message pointed at the subnormal. An exact output of a family that is not element-wise, failing on a case with
// subnormal inputs, says so.
it('an exact output picked by comparing floats, failing on a case with subnormal inputs, names the subnormal and WGSL\'s flush rule', () => {
  const { test, results } = libraryWith('kernels/lost.wgsl', 'y[i] = x[i] * x[i];', 'y[i] = select(0.0, 1.0, x[i] > 0.0);',
    ['reference/lost.ts', 'y[i] = x[i]! * x[i]!;', 'y[i] = x[i]! > 0 ? 1 : 0;'],
    ['properties/lost.properties.ts', '  elementwise: true,', '  exact: true,'],
    ['properties/lost.properties.ts', 'properties: [even],', 'properties: [],']);
  const r = test('--property', 'matches-reference', '--runs', '30');
  const [result] = results();
  expect(result!.status, r.stderr).toBe('fail');
  expect(result!.error).toMatch(/; the case's x holds \d+ subnormal values? \((first )?x\[\d+\] = [\d.e-]+\), which WGSL lets a device read as ±0, in a comparison too \(writing-a-kernel\.md, "Flush to zero"\)/);
}, 120_000);

// Trial 167 B1: a spec's output one element short; the scaffold's property comparing two runs was told "fix the
// property", which was right.
it("a property's comparison of arrays of other lengths than the output names both causes", () => {
  const { test, results } = libraryWith('kernels/lost.kernel.ts', "y: { role: 'output', type: 'f32', length: (s) => s.n },", "y: { role: 'output', type: 'f32', length: (s) => Math.max(1, s.n - 1) },");
  const r = test('--property', 'even', '--runs', '3');
  expect(results()[0]!.error, r.stderr).toMatch(/property 'even' threw OutputLengthError .*: the kernel's y has \d+ elements?, as the spec's buffers\.y\.length\(shape\) gives it, but the values it is compared with have \d+ and the allowed errors \d+; make the property's arrays one per element of y, or the spec's length\(\) the kernel's, whichever is wrong/);
}, 120_000);

// Trial 210 B3: a comparison under a label of the property's own (values it derived) was said to be the kernel's
// buffer of that name, as the spec's length() gives it: no such buffer exists.
it("a property's comparison under a label of its own, of arrays of other lengths, names the label as the property's", () => {
  const { test, results } = libraryWith('properties/lost.properties.ts', "return compareVerdict('y', onMinusX!.y!, onX!.y!, allowed,", "return compareVerdict('channels', onMinusX!.y!, onX!.y!, [...allowed, 0],");
  const r = test('--property', 'even', '--runs', '3');
  const error = results()[0]!.error;
  expect(error, r.stderr).toMatch(/property 'even' threw OutputLengthError .*: the property compares \d+ values? it labels channels \(no buffer of the spec's\) with \d+ expected values and \d+ allowed errors; make the three arrays one length \(/);
  expect(error).not.toMatch(/buffers\.channels/);
}, 120_000);

/** A fresh `init` library with one edit of `file` (`from` must be there), and more as `[file, from, to]`, and where
 *  a run of it writes; `path` is the first file's. */
function libraryWith(file: string, from: string, to: string, ...more: [string, string, string][]) {
  const work = mkdtempSync(join(tmpdir(), 'ks-lib-'));
  const lib = join(work, 'lib');
  expect(cli(['init', 'lost', '--dir', lib], work).status).toBe(0);
  const path = join(lib, file);
  for (const [f, a, b] of [[file, from, to] as [string, string, string], ...more]) {
    const text = readFileSync(join(lib, f), 'utf8');
    expect(text).toContain(a);
    writeFileSync(join(lib, f), text.replace(a, b));
  }
  const out = join(work, 'out');
  const test = (...args: string[]) => cli(['test', '--kernel', 'lost', ...args, '--out', out, '--fixtures', join(work, 'fx')], work, { KERNELSCOPE_LIBRARY: lib });
  const results = () => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).results as { property: string; status: string; error: string }[];
  const list = () => cli(['list'], work, { KERNELSCOPE_LIBRARY: lib });
  return { test, results, list, path };
}

// Trial 95 A1: a stage that bound one buffer as its read-only input and its output ran on the interpreter and passed
// its race check, where WebGPU refuses the dispatch without naming the buffer. A spec error, on every engine.
it('a stage that binds one buffer writable beside another binding of it is a spec error naming both', () => {
  const { test, results } = libraryWith('kernels/lost.kernel.ts', "bind: { x: 'x', y: 'y',", "bind: { x: 'y', y: 'y',");
  const r = test('--property', 'inputs-unchanged', '--backend', 'interpreter', '--runs', '1');
  expect(results()[0]!.error, r.stderr).toMatch(/^lib\/kernels\/lost\.kernel\.ts: stage 1 \('main'\) binds buffer 'y' to 'x' \(lib\/kernels\/lost\.wgsl:\d+, read\) and 'y' \(lib\/kernels\/lost\.wgsl:\d+, read_write\): WebGPU refuses a buffer bound writable beside another binding of it in one dispatch/);
}, 120_000);

// Trial 82 B7: a spec that dispatched no workgroup for a shape read as the kernel's "never written".
it('an output never written where the spec dispatches no workgroup says so, at the spec\'s line', () => {
  const { test, results, path } = libraryWith('kernels/lost.kernel.ts', 'workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1],', 'workgroups: () => [0, 1, 1],');
  const r = test('--property', 'writes-every-output', '--runs', '1');
  const line = readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes('workgroups: () => [0, 1, 1]')) + 1;
  expect(results()[0]!.error, r.stderr).toMatch(new RegExp(`^y\\[0\\] was never written, .* \\(lib/kernels/lost\\.kernel\\.ts:${line}: workgroups\\(\\) returned \\(0, 1, 1\\) for this shape: no invocation of it ran\\)`));
}, 120_000);

// Trial 89 A1: a wrong kernel's failure shrank onto the one case its reference threw on, and became an error of 0
// cases, its counterexample unsaved. The failure found stands, and the shrink's stop is said.
it('a reference that throws on a case the shrink reaches stops the shrink; the failure stands', () => {
  const { test, results } = libraryWith('reference/lost.ts', 'const y = new Float64Array(x.length);', "if (x.length === 1) throw new Error('one element: not yet');\n  const y = new Float64Array(x.length);",
    ['kernels/lost.wgsl', 'y[i] = x[i] * x[i];', 'y[i] = x[i] * x[i] + 1.0;']);
  const r = test('--property', 'matches-reference', '--runs', '10');
  const result = results()[0]! as { status: string; error: string; counterexample?: string };
  expect(result.status, r.stderr).toBe('fail');
  expect(result.error).toMatch(/; shrinking stopped, a smaller case, \{"n":1,[^}]*\}, threw in the library's code, which is no verdict on the kernel: fix that, and the failure shrinks further \(.*one element: not yet/);
  expect(result.counterexample).toBeDefined();
}, 120_000);

// A trial's library with two broken specs: every command stopped at the first, and named it alone; fixing it met the
// next. Each is named at once, and a run of another kernel runs.
it('broken specs are all named, and a run of another kernel of the library runs', () => {
  const work = mkdtempSync(join(tmpdir(), 'ks-broken-'));
  const lib = join(work, 'lib');
  for (const name of ['lost', 'good', 'other']) expect(cli(['init', name, '--dir', lib], work).status).toBe(0);
  for (const name of ['lost', 'other']) {
    const path = join(lib, `kernels/${name}.kernel.ts`);
    writeFileSync(path, readFileSync(path, 'utf8').replace("y: { role: 'output', type: 'f32'", "y: { role: 'output', type: 'uint32'"));
  }
  const env = { KERNELSCOPE_LIBRARY: lib };
  const list = cli(['list'], work, env);
  expect(list.status).toBe(2);
  expect(list.stderr).toMatch(/^kernelscope: 2 kernels of .*lib cannot load:\n {2}.*lib\/kernels\/lost\.kernel\.ts: does not match a KernelSpec .*"uint32"\n {2}.*lib\/kernels\/other\.kernel\.ts: does not match/);
  // list shows the kernels that load, and names the others after them (trial 40's list showed none).
  expect(list.stdout).toMatch(/^good: /m);
  expect(list.stdout).not.toMatch(/^(lost|other): /m);
  const good = cli(['test', '--kernel', 'good', '--runs', '2', '--out', join(work, 'out'), '--fixtures', join(work, 'fx')], work, env);
  expect(good.status, good.stderr).toBe(0);
  expect(good.stderr).toMatch(/7 results: 7 passed/);
  // replay, bench and mutate load the kernel they are asked for alone, as test does (trial 40, B3).
  const wrong = join(work, 'wrong.wgsl');
  writeFileSync(wrong, readFileSync(join(lib, 'kernels/good.wgsl'), 'utf8').replace('y[i] = x[i] * x[i];', 'y[i] = x[i] * x[i] + 1.0;'));
  const failing = cli(['test', '--wgsl', `good=${wrong}`, '--property', 'matches-reference', '--runs', '2', '--out', join(work, 'out2'), '--fixtures', join(work, 'fx')], work, env);
  expect(failing.status, failing.stderr).toBe(1);
  const fixture = (failing.stdout + failing.stderr).match(/saved (\S+\.json)/)?.[1];
  expect(fixture, failing.stdout).toBeDefined();
  const replay = cli(['replay', fixture!], work, env);
  expect(replay.status, replay.stderr).toBe(1);
  expect(replay.stdout).toMatch(/^FAILS: /m);
  const bench = cli(['bench', 'good'], work, env);
  expect(bench.status, bench.stderr).toBe(0);
  expect(bench.stdout).toMatch(/^good\s+\d/m);
  // Two draws: the first alone is a case whose squares all come out 0 (since 'edge' draws small normal values), on
  // which a zeroed output is right.
  const mutate = cli(['mutate', 'good', '--operator', 'ZeroOutput', '--property', 'matches-reference', '--runs', '2', '--out', join(work, 'mut')], work, env);
  expect(mutate.status, mutate.stderr).toBe(0);
  expect(mutate.stderr).toMatch(/1 killed/);
  // A name the library does not have is that, not the broken specs.
  expect(cli(['test', '--kernel', 'nope'], work, env).stderr).toMatch(/^kernelscope: unknown kernel 'nope' \(kernels: good, lost, other\)/);
}, 120_000);

describe('a spec that does not fit its WGSL', () => {
  it("a buffer's element type that is not one the harness knows is refused when the library loads, in one line", () => {
    // It once loaded and threw "TypeError: Cannot read properties of undefined (reading 'buffer')" inside
    // matches-reference, placed at /process/task_queues and blamed on the property.
    const { list } = libraryWith('kernels/lost.kernel.ts', "y: { role: 'output', type: 'f32'", "y: { role: 'output', type: 'uint32'");
    const r = list();
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr).toMatch(/lib\/kernels\/lost\.kernel\.ts: does not match a KernelSpec \(harness\/spec\.ts\): buffers\.y\.type: expected one of f32\|u32\|i32\|f16, got "uint32"/);
  }, 60_000);

  it('a binding to a buffer the spec does not declare names the spec file, its line and the buffers it has', () => {
    const { test, results, path } = libraryWith('kernels/lost.kernel.ts', "bind: { x: 'x', y: 'y',", "bind: { x: 'x', y: 'w',");
    const r = test('--property', 'matches-reference', '--runs', '1');
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const [result] = results();
    expect(result!.status).toBe('error');
    const m = result!.error.match(/kernels\/lost\.kernel\.ts:(\d+): stage lost\.wgsl binds 'y' to buffer 'w', which its buffers do not declare \(they are: x, y\)/);
    expect(m, result!.error).not.toBeNull();
    expect(readFileSync(path, 'utf8').split('\n')[Number(m![1]) - 1]).toContain("y: 'w'");
  }, 120_000);

  // A trial's matvec dispatched rows / 4 workgroups for 5 rows: Dawn truncated 1.25 to one workgroup and failed the
  // kernel, the interpreter ran two and passed it. The same spec error on every engine instead, before any verdict.
  it('workgroups() that returns a fraction is a spec error naming its line, alike on Dawn and the interpreter', () => {
    const { test, results, path, list } = libraryWith('kernels/lost.kernel.ts', 'workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1],', 'workgroups: ([wx]) => [s.n / wx, 1, 1],');
    // A kernel that never spreads over y gets no -spread-y properties for the error: the plain ones name it (trial 41).
    expect(list().stdout).toMatch(/^ {2}matches-reference /m);
    expect(list().stdout).not.toMatch(/-spread-y/);
    const r = test('--property', 'matches-reference,writes-every-output', '--runs', '3', '--backend', 'dawn,interpreter');
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const all = results();
    expect(all.map((x) => x.status)).toEqual(['error', 'error', 'error', 'error']);
    const line = readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes('workgroups: ([wx])')) + 1;
    for (const x of all) {
      expect(x.error).toMatch(new RegExp(`lib/kernels/lost\\.kernel\\.ts:${line}: workgroups\\(\\) returned \\(\\d+\\.\\d+, 1, 1\\), not three whole numbers from 0 to 4294967295; round a count up \\(Math\\.ceil`));
    }
  }, 180_000);

  // A trial's conv gave dims [w, h + 1] for w·h elements: its failures named wrong coordinates, quietly.
  it("dims() whose product is not length() is a spec error naming the buffer's line", () => {
    const { test, results, path } = libraryWith('kernels/lost.kernel.ts', "y: { role: 'output', type: 'f32', length: (s) => s.n },", "y: { role: 'output', type: 'f32', length: (s) => s.n, dims: (s) => [2, s.n] },");
    const r = test('--property', 'matches-reference', '--runs', '1');
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const line = readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes('dims: (s) => [2, s.n]')) + 1;
    expect(results()[0]!.error).toMatch(new RegExp(`lib/kernels/lost\\.kernel\\.ts:${line}: buffer 'y': dims\\(\\) returned \\[2,(\\d+)\\] \\((\\d+) elements\\) for shape \\{.*\\}, but length\\(\\) gives \\1; dims is the buffer's logical shape`));
  }, 120_000);

  it("a uniform value that does not fit the WGSL's struct names its binding's line and the spec file", () => {
    const { test, results, path } = libraryWith('kernels/lost.kernel.ts', 'params: { uniform: { n: s.n } }', 'params: { uniform: { count: s.n } }');
    const r = test('--property', 'matches-reference', '--runs', '1');
    expect(r.status, r.stdout + r.stderr).toBe(1);
    // The line of the generated WGSL's binding of params (the generated comment above it may grow).
    const line = readFileSync(join(dirname(path), 'lost.wgsl'), 'utf8').split('\n').findIndex((l) => l.includes('var<uniform> params')) + 1;
    expect(results()[0]!.error).toContain(`kernels/lost.wgsl:${line}: kernel 'lost' binds`);
    expect(results()[0]!.error).toMatch(/kernels\/lost\.wgsl:\d+: kernel 'lost' binds 'params' .*Params has no field 'count' \(fields: n\); give the struct's fields only \(the value is bound in .*kernels\/lost\.kernel\.ts\)/);
  }, 120_000);

  // A trial's drag: vec3<f32> given 2 numbers was placed at the var<uniform> line, not at the field's.
  it("a uniform field's value of the wrong size names the field's line", () => {
    const { test, results, path } = libraryWith('kernels/lost.kernel.ts', 'params: { uniform: { n: s.n } }', 'params: { uniform: { n: [s.n, 1] } }');
    const r = test('--property', 'matches-reference', '--runs', '1');
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const line = readFileSync(join(dirname(path), 'lost.wgsl'), 'utf8').split('\n').findIndex((l) => /^\s*n: u32,/.test(l)) + 1;
    expect(results()[0]!.error).toMatch(new RegExp(`kernels/lost\\.wgsl:${line}: kernel 'lost' binds 'params' .*: n \\(u32\\) is \\[`));
  }, 120_000);
});

// A trial's `y[row] += ...` on an output was told only "never written, or written from memory that never was".
describe('an output the WGSL updates before writing it', () => {
  // And a trial's `mean[c] += ...` on a scratch buffer: the output it reached was "never written", with no line.
  it('or a scratch buffer: names the statement, the buffer and its line', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-scratch-'));
    // Dawn only: the case is over the interpreter's budget.
    const r = spawnSync(process.execPath, ['bin/kernelscope.mjs', 'test', '--wgsl', 'mlp=test/scratch-update/matmul_updates.wgsl', '--backend', 'dawn',
      '--property', 'writes-every-output', '--runs', '1', '--out', out, '--fixtures', join(out, 'fx')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const line = readFileSync(join(ROOT, 'test/scratch-update/matmul_updates.wgsl'), 'utf8').split('\n').findIndex((l) => l.includes('c[row * params.N + col] +=')) + 1;
    const results = (JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile).results;
    expect(results.map((x) => x.status)).toEqual(['fail']);
    for (const x of results) {
      expect(x.error).toMatch(new RegExp(`^probs\\[\\d+\\] .*(was never written|depends on what the outputs and scratch held).*\\(test/scratch-update/matmul_updates\\.wgsl:${line}: c\\[row \\* params\\.N \\+ col\\] \\+= acc \\+ bias\\[col\\] reads c, the scratch buffer 'hidden', as it updates it, and scratch buffers start filled with the sentinel, not zeros`));
    }
  }, 240_000);

  it("names the statement and its line, and the two ways out ('=' first, or role inout)", () => {
    const { test, results, path } = libraryWith('kernels/lost.wgsl', '  y[i] = x[i] * x[i];', '  y[i] += x[i] * x[i];');
    const r = test('--property', 'writes-every-output', '--runs', '2', '--backend', 'dawn,interpreter');
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const line = readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes('y[i] +=')) + 1;
    for (const x of results()) {
      expect(x.status).toBe('fail');
      expect(x.error).toMatch(new RegExp(`was never written, .*\\(\\S*lib/kernels/lost\\.wgsl:${line}: y\\[i\\] \\+= x\\[i\\] \\* x\\[i\\] reads y as it updates it, and the output 'y' starts filled with the sentinel, not zeros: write it with = first, or give it role 'inout' in the spec, with its starting values as an input\\)$`));
    }
  }, 120_000);
});

describe("a library's own code that throws, or cases that do not fit the spec", () => {
  it("a property's check that throws is one line at its own line, not a harness stack", () => {
    const { test, results } = libraryWith('properties/lost.properties.ts', 'check: (d, [onX, onMinusX]) => {', "check: (d, [onX, onMinusX]) => {\n    if (d.n >= 0) throw new TypeError('compareVerdit is not a function');");
    const r = test('--property', 'even', '--runs', '1');
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const [result] = results();
    expect(result!.status).toBe('error');
    expect(result!.error).toMatch(/properties\/lost\.properties\.ts:\d+:\d+: property 'even' threw TypeError on a case of shape \{"n":\d+,[^}]*\}: compareVerdit is not a function; fix the property/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }, 120_000);

  // Trial 82 B1, B2: a check() with a path that returns nothing, and a runs() that gives no case, ended in a TypeError
  // and a stack through the harness. Each is one line naming the property, its family's file and what to return.
  it("a property's check() that returns no verdict, or runs() that gives no case, is said as the property's mistake", () => {
    const noVerdict = libraryWith('properties/lost.properties.ts', 'check: (d, [onX, onMinusX]) => {', "check: (d, [onX, onMinusX]) => {\n    if (d.n >= 0) return undefined as never;");
    const r = noVerdict.test('--property', 'even', '--runs', '1');
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(noVerdict.results()[0]!.error).toMatch(/^properties\/lost\.properties\.ts: property 'even': its check\(\) returned undefined, not a verdict \(\{ pass: boolean, message\?: string \}\): return one on every path, on a case of shape \{"n":\d+/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const noCase = libraryWith('properties/lost.properties.ts', 'const c = lostCase(d);\n    return [c,', 'const c = lostCase(d);\n    if (d.n >= 0) return [];\n    return [c,');
    const e = noCase.test('--property', 'even', '--runs', '1');
    expect(e.status, e.stdout + e.stderr).toBe(1);
    expect(noCase.results()[0]!.error).toMatch(/^properties\/lost\.properties\.ts: property 'even': its runs\(\) gave \[\] for the draw \{"n":\d+.*, not a list of one case or more: return \[case, \.\.\.\]/);
  }, 240_000);

  // A new user's property called its reference in runs(), which threw for some shapes: the message had no case, and
  // said "fix the property" where the line it named was the reference's.
  it("a property's runs() that throws in the code it calls names the draw, and that line to fix", () => {
    const { test, results } = libraryWith('properties/lost.properties.ts', 'const c = lostCase(d);\n    return [c,',
      'const c = lostCase(d);\n    if (d.n > 0) reference.lost(null as never);\n    return [c,');
    const r = test('--property', 'even', '--runs', '1');
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(results()[0]!.error).toMatch(/lib\/reference\/lost\.ts:\d+:\d+: property 'even' threw TypeError making the runs of the draw \{"n":\d+,[^}]*\}: .*; fix that line, or what property 'even' passes to it \(/);
  }, 120_000);

  it("a NaN bound a property passes to the kit's compareVerdict is placed at the property's line, not the kit's", () => {
    // A new user's bound of Inf − Inf read "properties/verdict.ts:19:20: ... threw BoundError", a file of kernelscope's.
    const { test, results, path } = libraryWith('properties/lost.properties.ts', "return compareVerdict('y', onMinusX!.y!, onX!.y!, allowed, 'y(−x) against y(x)', { expectedIs: 'the run on x' });",
      "return compareVerdict('y', onMinusX!.y!, onX!.y!, allowed.map(() => NaN), 'y(−x) against y(x)', { expectedIs: 'the run on x' });");
    const r = test('--property', 'even', '--runs', '1');
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const line = readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes('allowed.map(() => NaN)')) + 1;
    expect(results()[0]!.error).toMatch(new RegExp(`lib/properties/lost\\.properties\\.ts:${line}:\\d+: property 'even' threw BoundError on a case of shape \\{"n":\\d+,[^}]*\\}: compareArrays: allowed error at 0 is NaN; bounds must be ≥ 0; fix the property`));
  }, 120_000);

  it('inputs of the wrong length name the spec file, once in full', () => {
    const { test, results } = libraryWith('properties/lost.properties.ts', 'inputs: { x: fillF32(d.seed, d.n, d.dist) }', 'inputs: { x: fillF32(d.seed, d.n + 1, d.dist) }');
    const r = test('--runs', '1');
    expect(r.status, r.stdout + r.stderr).toBe(1);
    const all = results();
    expect(all.length).toBeGreaterThan(2);
    for (const x of all) {
      expect(x.status).toBe('error');
      expect(x.error).toMatch(/kernels\/lost\.kernel\.ts: input 'x' of a case of shape \{.*\} has \d+ elements, but the spec's length\(shape\) gives \d+; make the family's cases/);
    }
    // Every property fails alike: the message once, then a pointer to it.
    expect(r.stderr.split("input 'x' of a case").length - 1, r.stderr).toBe(1);
    expect(r.stderr.split('the same error as ').length - 1).toBe(all.length - 1);
  }, 120_000);
});


// A bug of kernelscope's own (a missing import in harness/compare.ts, met mid-edit) was placed at
// "/process/task_queues:95:5", Node's internal frame read from its '/process', and blamed on the library's property.
describe('libraryFrame', () => {
  const thrown = (...frames: string[]) => Object.assign(new Error('x'), { stack: ['ReferenceError: MAX_F32 is not defined', ...frames.map((f) => `    at ${f}`)].join('\n') });
  it("skips the harness and Node's internals: no library line is no library line", () => {
    expect(libraryFrame(thrown('compareArrays (/repo/harness/compare.ts:317:77)', 'process.processTicksAndRejections (node:internal/process/task_queues:95:5)'))).toBeUndefined();
  });
  it("names the library's own frame, in parentheses or bare, with or without file://", () => {
    expect(libraryFrame(thrown('compareArrays (/repo/harness/compare.ts:3:7)', 'check (/tmp/lib/properties/a.properties.ts:12:5)'))).toBe('/tmp/lib/properties/a.properties.ts:12:5');
    expect(libraryFrame(thrown('node:internal/modules/esm:1:1', 'file:///tmp/lib/reference/a.ts:4:2'))).toBe('/tmp/lib/reference/a.ts:4:2');
  });
});
