// `kernelscope init` as a new user meets it: a library folder outside the repository, the generated kernel passing
// on Dawn as written, a broken edit of its WGSL caught, and the refusals (bad names, existing files).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitSpecifier } from '../harness/cli/init.ts';
import type { ResultsFile } from '../harness/results/schema.ts';
import { nameProblem } from '../harness/scaffold/name.ts';
import { initHeadline, initRefusal } from '../harness/cli/init.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin/kernelscope.mjs');

function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: '/tmp', ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tmp = () => mkdtempSync(join(tmpdir(), 'ks-init-'));
const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
const statuses = (dir: string) => Object.fromEntries(results(dir).results.map((r) => [r.property, r.status]));
const KERNEL_FILES = ['kernels/cube_ish.wgsl', 'kernels/cube_ish.kernel.ts', 'reference/cube_ish.ts', 'properties/cube_ish.properties.ts'];

describe('kernelscope init', () => {
  // One library for the sequence a user goes through: init, test (passes), break the WGSL (fails), init again (refused).
  const work = tmp();
  const lib = join(work, 'my-kernels');
  const env = { KERNELSCOPE_LIBRARY: lib };

  it('writes the four files and what a library outside the repository needs, and prints the next command', () => {
    const r = cli(['init', 'cube_ish', '--dir', lib], work);
    expect(r.code, r.stderr).toBe(0);
    for (const f of [...KERNEL_FILES, 'package.json', 'tsconfig.json']) expect(r.stdout).toContain(f);
    expect(r.stdout).toContain(`KERNELSCOPE_LIBRARY=${lib} node `);
    expect(r.stdout).toMatch(/ node \S*bin\/kernelscope\.mjs test --kernel cube_ish/);
    expect(JSON.parse(readFileSync(join(lib, 'package.json'), 'utf8'))).toMatchObject({ type: 'module' });
    expect(readFileSync(join(lib, 'properties/cube_ish.properties.ts'), 'utf8')).toContain(`from '${kitSpecifier(lib)}'`);
  });

  // A trial ran its library's kernel from inside the library without KERNELSCOPE_LIBRARY, and was shown this
  // repository's kernels alone.
  it('run from inside the library (or a folder of it) without KERNELSCOPE_LIBRARY: says how to run it', () => {
    for (const cwd of [lib, join(lib, 'kernels')]) {
      const r = cli(['test', '--kernel', 'cube_ish', '--runs', '1'], cwd, { KERNELSCOPE_LIBRARY: ROOT });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`unknown kernel 'cube_ish' (kernels: add, `);
      expect(r.stderr).toContain(`; ${lib} is a library with it: run with KERNELSCOPE_LIBRARY=${lib}`);
    }
    // Elsewhere, no hint.
    expect(cli(['test', '--kernel', 'cube_ish'], work, { KERNELSCOPE_LIBRARY: ROOT }).stderr).not.toContain('is a library with');
  });

  it('generated files typecheck under the harness\'s compiler options, Node\'s types included', () => {
    // A trial's properties file read process.env, and tsc said "Cannot find name 'process'".
    const extra = join(lib, 'properties/runs-from-env.ts');
    writeFileSync(extra, 'export const runs = Number(process.env.RUNS ?? 10);\n');
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', lib], { encoding: 'utf8' });
      expect(r.status, r.stdout).toBe(0);
    } finally {
      rmSync(extra);
    }
  });

  it('the generated kernel passes every property on Dawn as written', () => {
    const out = join(work, 'out-pass');
    const r = cli(['test', '--kernel', 'cube_ish', '--runs', '15', '--out', out, '--fixtures', join(work, 'fx')], work, env);
    expect(r.code, r.stderr).toBe(0);
    expect(statuses(out)).toEqual({
      'matches-reference': 'pass', 'writes-every-output': 'pass', 'inputs-unchanged': 'pass', deterministic: 'pass', even: 'pass',
      'no-out-of-bounds': 'pass', 'no-data-race': 'pass',
    });
    // The bound is tight enough to matter: a correctly rounded product uses a visible part of it.
    const ref = results(out).results.find((x) => x.property === 'matches-reference')!;
    expect(ref.maxError!.boundRatio).toBeGreaterThan(0.1);
    expect(ref.maxError!.boundRatio).toBeLessThanOrEqual(1);
  });

  it('a broken edit of the generated WGSL is caught: 2 ULP off fails the reference, an odd function fails "even"', () => {
    const wgsl = join(lib, 'kernels/cube_ish.wgsl');
    const original = readFileSync(wgsl, 'utf8');
    expect(original).toContain('y[i] = x[i] * x[i];');
    try {
      // Two ULP too large: the reference comparison sees it; the metamorphic relation cannot (still even).
      writeFileSync(wgsl, original.replace('y[i] = x[i] * x[i];', 'y[i] = x[i] * x[i] * 1.0000002;'));
      const a = join(work, 'out-scaled');
      expect(cli(['test', '--kernel', 'cube_ish', '--runs', '15', '--out', a, '--fixtures', join(work, 'fx')], work, env).code).toBe(1);
      expect(statuses(a)).toMatchObject({ 'matches-reference': 'fail', even: 'pass' });
      // x·|x| is odd: the metamorphic property fails, and so does the reference on negative inputs.
      writeFileSync(wgsl, original.replace('y[i] = x[i] * x[i];', 'y[i] = x[i] * abs(x[i]);'));
      const b = join(work, 'out-odd');
      expect(cli(['test', '--kernel', 'cube_ish', '--runs', '15', '--out', b, '--fixtures', join(work, 'fx')], work, env).code).toBe(1);
      expect(statuses(b)).toMatchObject({ 'matches-reference': 'fail', even: 'fail' });
      const even = results(b).results.find((x) => x.property === 'even')!;
      expect(even.counterexample?.fixture).toBeTruthy();
      // The other side is the kernel's run on x, not the reference (trial 175 B2).
      expect((even as { error?: string }).error).toMatch(/^y\(−x\) against y\(x\): y\[\d+\] = -?[\d.e-]+ but the run on x is /);
      // Its two runs (x and −x) are said in the fixture, whose output is the first's (trial 161 B2); matches-reference's one run is not.
      const saved = (r: typeof even) => JSON.parse(readFileSync(resolve(work, r.counterexample!.fixture), 'utf8')) as { runs?: number };
      expect(saved(even).runs).toBe(2);
      expect(saved(results(b).results.find((x) => x.property === 'matches-reference')!).runs).toBeUndefined();
    } finally {
      writeFileSync(wgsl, original);
    }
  });

  // A trial's tolerance of Infinity at every element passed y = x + 1 in place of x·x: "ok" with a note.
  // Trial 152 B5: a library's mutation.json had the checkout for its projectRoot, absolute file keys, and a test file
  // relative to neither; every path is now the library's, as Stryker's tools read them.
  it('mutate: mutation.json\'s paths are relative to the library, its projectRoot; the terminal names the files', () => {
    const out = join(work, 'mut');
    const r = cli(['mutate', 'cube_ish', '--runs', '2', '--out', out], work, env);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'mutation.json'), 'utf8'));
    expect(report.projectRoot).toBe(lib);
    expect(Object.keys(report.files).sort()).toEqual(['kernels/cube_ish.kernel.ts', 'kernels/cube_ish.wgsl']);
    expect(Object.keys(report.testFiles)).toEqual(['properties/cube_ish.properties.ts']);
    for (const k of [...Object.keys(report.files), ...Object.keys(report.testFiles)]) expect(existsSync(join(lib, k)), k).toBe(true);
    expect(r.stderr).toContain(`${lib}/kernels/cube_ish.wgsl:`);
  });

  it('a tolerance of Infinity everywhere judges nothing: matches-reference is not judged, a skip, never a pass', () => {
    const props = join(lib, 'properties/cube_ish.properties.ts');
    const wgsl = join(lib, 'kernels/cube_ish.wgsl');
    const [p0, w0] = [readFileSync(props, 'utf8'), readFileSync(wgsl, 'utf8')];
    const bound = 'return { y: expected.y!.map((exact) => correctlyRoundedBound(exact, true)) };';
    expect(p0).toContain(bound);
    try {
      writeFileSync(props, p0.replace(bound, 'return { y: expected.y!.map(() => Infinity) };'));
      writeFileSync(wgsl, w0.replace('y[i] = x[i] * x[i];', 'y[i] = x[i] + 1.0;'));
      const o = join(work, 'out-unbounded');
      const r = cli(['test', '--kernel', 'cube_ish', '--runs', '5', '--property', 'matches-reference', '--out', o, '--fixtures', join(work, 'fx')], work, env);
      const m = results(o).results.find((x) => x.property === 'matches-reference')!;
      expect(m.status, r.stderr).toBe('skip');
      expect(m.error).toMatch(/^not judged: no element of the 5 cases had a finite bound/);
      expect(r.stderr).toContain('not judged: no element of the 5 cases had a finite bound');
    } finally {
      writeFileSync(props, p0);
      writeFileSync(wgsl, w0);
    }
  });

  it('a counterexample saved in the library replays from anywhere, without KERNELSCOPE_LIBRARY', () => {
    const off = join(work, 'off.wgsl');
    writeFileSync(off, readFileSync(join(lib, 'kernels/cube_ish.wgsl'), 'utf8').replace('y[i] = x[i] * x[i];', 'y[i] = x[i] * abs(x[i]);'));
    const out = join(work, 'out-replay');
    // No --fixtures: the counterexample goes to the library's own fixtures/counterexamples/.
    expect(cli(['test', '--kernel', 'cube_ish', '--wgsl', `cube_ish=${off}`, '--property', 'even', '--runs', '15', '--out', out], work, env).code).toBe(1);
    const fixture = resolve(work, results(out).results[0]!.counterexample!.fixture);
    expect(fixture.startsWith(join(lib, 'fixtures', 'counterexamples'))).toBe(true);
    const { KERNELSCOPE_LIBRARY: _, ...noLibrary } = process.env;
    const r = spawnSync(process.execPath, [BIN, 'replay', fixture], { cwd: ROOT, encoding: 'utf8', env: { ...noLibrary, XDG_RUNTIME_DIR: '/tmp' }, timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^FAILS: /m);
  });

  it('refuses to overwrite: exit 2 naming an existing file, and writes none of the others', () => {
    const kernelFiles = KERNEL_FILES.slice(0, 2).map((f) => join(lib, f));
    const saved = kernelFiles.map((f) => readFileSync(f, 'utf8'));
    for (const f of kernelFiles) rmSync(f);
    try {
      const r = cli(['init', 'cube_ish'], work, env); // the default folder: the current library
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/reference[/\\]cube_ish\.ts already exists/);
      for (const f of kernelFiles) expect(existsSync(f)).toBe(false);
    } finally {
      kernelFiles.forEach((f, i) => writeFileSync(f, saved[i]!));
    }
  });

  it('rejects a bad name on the command line with exit 2 and one line, writing nothing', () => {
    const dir = tmp();
    const r = cli(['init', 'My-Kernel', '--dir', dir], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/'My-Kernel' is not a kernel name: use lower-case letters, digits and _/);
    expect(readdirSync(dir)).toEqual([]);
  });

  // A new user typed `init /tmp/lib`, taking the argument for the library's folder.
  it('a path given as the name is answered with --dir', () => {
    const dir = tmp();
    const r = cli(['init', join(dir, 'lib')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toContain(`is not a kernel name: use lower-case letters, digits and _, starting with a letter (like matmul_tiled); to make the library in ${join(dir, 'lib')}, give a kernel name and --dir ${join(dir, 'lib')}`);
  });

  it.each([
    ['My_Kernel', /lower-case/], ['1x', /starting with a letter/], ['with-dash', /lower-case/], ['', /not a kernel name/],
    ['fn', /reserved word/], ['class', /reserved word/], ['filter', /reserved word/], ['arguments', /reserved word/],
    ['a'.repeat(65), /too long/],
  ])('the name %j is refused: %s', (name, why) => {
    expect(nameProblem(name)).toMatch(why);
  });

  it('accepts the names the library uses', () => {
    for (const n of ['relu', 'matmul_tiled', 'conv3', 'x', 'reduce_max']) expect(nameProblem(n)).toBeUndefined();
  });

  // A new user ran the suggested `npx kernelscope ...` from the library's folder outside the checkout: npm looked the
  // name up in the registry (404). From there only the checkout's own bin runs it.
  it('suggests the checkout\'s bin by its absolute path for a library outside the checkout', () => {
    const lib = tmp();
    const r = cli(['init', 'sq', '--dir', lib], ROOT);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`KERNELSCOPE_LIBRARY=${lib} node ${join(ROOT, 'bin', 'kernelscope.mjs')} test --kernel sq --runs 20`);
    expect(r.stdout).not.toContain('npx');
  });

  it('imports the harness by package name where kernelscope is in node_modules, and the library loads', () => {
    const project = tmp();
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(ROOT, join(project, 'node_modules/kernelscope'), 'dir');
    const r = cli(['init', 'sq', '--dir', 'kernels-lib'], project);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(project, 'kernels-lib/kernels/sq.kernel.ts'), 'utf8')).toContain("from 'kernelscope/kit'");
    // `npx kernelscope` works in such a project, so that is what it suggests.
    expect(r.stdout).toMatch(/npx kernelscope test --kernel sq/);
    const list = cli(['list', '--json'], project, { KERNELSCOPE_LIBRARY: join(project, 'kernels-lib') });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([{ kernel: 'sq', properties: ['matches-reference', 'writes-every-output', 'inputs-unchanged', 'deterministic', 'even', 'no-out-of-bounds', 'no-data-race'], assumesAlgorithm: [] }]);
  });

  it('the worked example of docs/writing-a-kernel.md, pasted over what init wrote, typechecks and passes on Dawn', () => {
    const doc = readFileSync(join(ROOT, 'docs/writing-a-kernel.md'), 'utf8');
    const blocks = [...doc.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!] as const);
    expect(blocks.map(([f]) => f).sort()).toEqual(['kernels/saxpy.kernel.ts', 'kernels/saxpy.wgsl', 'properties/saxpy.properties.ts', 'reference/saxpy.ts']);
    const project = tmp();
    const mine = join(project, 'my-kernels');
    expect(cli(['init', 'saxpy', '--dir', mine], project).code).toBe(0);
    // The page shows the same import as init wrote: the package name.
    expect(kitSpecifier(mine)).toBe('kernelscope/kit');
    for (const [file, text] of blocks) writeFileSync(join(mine, file), text);
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', mine], { encoding: 'utf8' });
    expect(tsc.status, tsc.stdout).toBe(0);
    const out = join(project, 'out');
    const r = cli(['test', '--kernel', 'saxpy', '--runs', '30', '--out', out, '--fixtures', join(project, 'fx')], project, { KERNELSCOPE_LIBRARY: mine });
    expect(r.code, r.stderr).toBe(0);
    // y is read and written in place: there is no pure output for writes-every-output to check.
    expect(statuses(out)).toEqual({
      'matches-reference': 'pass', 'inputs-unchanged': 'pass', deterministic: 'pass', homogeneous: 'pass',
      'no-out-of-bounds': 'pass', 'no-data-race': 'pass',
    });
  });

  it('a library and the checkout can both move: the package name still resolves, and the kernel still passes', () => {
    const work = tmp();
    // A checkout of its own (its files copied; its packages linked, as npm ci would have installed them).
    const checkout = join(work, 'a', 'kernelscope');
    for (const f of ['bin', 'harness', 'kernels', 'properties', 'reference', 'package.json']) cpSync(join(ROOT, f), join(checkout, f), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(checkout, 'node_modules'), 'dir');
    const run = (bin: string, library: string, args: string[]) => {
      const r = spawnSync(process.execPath, [join(bin, 'bin/kernelscope.mjs'), ...args], { cwd: work, encoding: 'utf8',
        env: { ...process.env, XDG_RUNTIME_DIR: '/tmp', KERNELSCOPE_LIBRARY: library }, timeout: 120_000 });
      return { code: r.status, stderr: r.stderr };
    };
    expect(run(checkout, join(work, 'lib'), ['init', 'sq', '--dir', join(work, 'lib')]).code).toBe(0);
    expect(readFileSync(join(work, 'lib/kernels/sq.kernel.ts'), 'utf8')).toContain("from 'kernelscope/kit'");
    expect(existsSync(join(work, 'lib/node_modules'))).toBe(false);
    const test = ['test', '--kernel', 'sq', '--runs', '5', '--out', join(work, 'out'), '--fixtures', join(work, 'fx')];
    expect(run(checkout, join(work, 'lib'), test).code).toBe(0);

    mkdirSync(join(work, 'b'));
    mkdirSync(join(work, 'c', 'd'), { recursive: true });
    renameSync(checkout, join(work, 'b', 'ks2'));
    renameSync(join(work, 'lib'), join(work, 'c', 'd', 'mine'));
    const moved = run(join(work, 'b', 'ks2'), join(work, 'c', 'd', 'mine'), test);
    expect(moved.code, moved.stderr).toBe(0);
    expect(statuses(join(work, 'out'))).toEqual({
      'matches-reference': 'pass', 'writes-every-output': 'pass', 'inputs-unchanged': 'pass', deterministic: 'pass', even: 'pass',
      'no-out-of-bounds': 'pass', 'no-data-race': 'pass',
    });
  });

  it('inside this repository it imports the harness by the same relative path as the library kernels', () => {
    expect(kitSpecifier(ROOT)).toBe('../harness/scaffold/kit.ts');
  });

  it('a library made inside the checkout (not the repository\'s own) is a library of its own: copied out, it still passes', () => {
    // .cache/ is git-ignored: the tree stays clean. A trial's `init --dir mine/lib` wrote relative imports and no
    // package.json, and its copy failed with ERR_REQUIRE_CYCLE_MODULE.
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    const inRepo = mkdtempSync(join(ROOT, '.cache', 'init-inside-'));
    try {
      const lib = join(inRepo, 'lib');
      const made = cli(['init', 'sq', '--dir', lib], ROOT);
      expect(made.code, made.stderr).toBe(0);
      expect(kitSpecifier(lib)).toBe('kernelscope/kit');
      expect(readFileSync(join(lib, 'kernels/sq.kernel.ts'), 'utf8')).toContain("from 'kernelscope/kit'");
      expect(JSON.parse(readFileSync(join(lib, 'package.json'), 'utf8'))).toMatchObject({ type: 'module' });
      const away = tmp();
      cpSync(lib, join(away, 'lib'), { recursive: true });
      const out = join(away, 'out');
      const r = cli(['test', '--kernel', 'sq', '--runs', '5', '--out', out, '--fixtures', join(away, 'fx')], away, { KERNELSCOPE_LIBRARY: join(away, 'lib') });
      expect(r.code, r.stderr).toBe(0);
      expect(statuses(out)['matches-reference']).toBe('pass');
    } finally {
      rmSync(inRepo, { recursive: true, force: true });
    }
  });
});

describe('init from a folder outside the library', () => {
  // Trials 55 and 83 to 92: `init lib` from a folder of their own wrote a kernel 'lib' into kernelscope's checkout, and
  // said so only after. Now nothing is written and the line says what to write.
  it('without --dir or KERNELSCOPE_LIBRARY writes nothing, and says what to write (exit 2)', () => {
    const work = mkdtempSync(join(tmpdir(), 'ks-init-outside-'));
    const env = { ...process.env };
    delete env.KERNELSCOPE_LIBRARY;
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'kernelscope.mjs'), 'init', 'lib'], { cwd: work, encoding: 'utf8', env });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/init lib --dir DIR \(--dir \. for this folder\), then KERNELSCOPE_LIBRARY=DIR/);
    expect(existsSync(join(ROOT, 'kernels', 'lib.kernel.ts'))).toBe(false);
    expect(initRefusal('k', false, join(ROOT, 'kernels'))).toBeUndefined();
    expect(initRefusal('k', true, tmpdir())).toBeUndefined();
    expect(initHeadline('k', '/tmp/lib')).toBe("kernelscope init: kernel 'k' in /tmp/lib");
  });
});
