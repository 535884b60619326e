// The CLI as a user meets it: real processes, real Dawn, the contract's exit codes, and bad input of every kind.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ResultsFile } from '../harness/results/schema.ts';
import { encodeArray } from '../harness/run/fixture.ts';

const ROOT = resolve(import.meta.dirname, '..');
const LIBRARY = join(ROOT, 'test/fixtures/library');
const BIN = join(ROOT, 'bin/kernelscope.mjs');

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 170_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lib = { KERNELSCOPE_LIBRARY: LIBRARY };
const tmp = () => mkdtempSync(join(tmpdir(), 'ks-cli-'));
const results = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;

describe('kernelscope CLI', () => {
  // Trial 108 B1: `--fixtures ../x` (relative, outside the repository) was recorded as given, and the run's own
  // report refused it as climbing out of its folder: a failing run exited 2, with no index.html or junit.xml.
  it('a relative --fixtures outside the repository is recorded absolutely, and a failing run exits 1', () => {
    const dir = tmp();
    const rel = (p: string) => relative(ROOT, p);
    const out = join(dir, 'out');
    const fixtures = join(dir, 'fx');
    const r = cli(['test', '--kernel', 'relu', '--property', 'matches-reference', '--runs', '5', '--backend', 'interpreter',
      '--wgsl', 'relu=test/wrong-kernels/relu-leaky.wgsl', '--out', rel(out), '--fixtures', rel(fixtures)]);
    expect(r.code, r.stderr).toBe(1);
    expect(existsSync(join(out, 'junit.xml'))).toBe(true);
    expect(results(out).results[0]!.counterexample?.fixture).toMatch(new RegExp(`^${fixtures}/relu--`));
  });

  it('list --json names every kernel of the library with its properties', () => {
    const r = cli(['list', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { kernel: string; properties: string[]; assumesAlgorithm: string[] }[];
    const onDisk = readdirSync(join(ROOT, 'kernels')).filter((f) => f.endsWith('.kernel.ts')).map((f) => f.replace('.kernel.ts', ''));
    expect(list.map((k) => k.kernel).sort()).toEqual(onDisk.sort());
    for (const k of list) expect(k.properties).toEqual(expect.arrayContaining(['matches-reference', 'writes-every-output', 'deterministic']));
    // The properties a --wgsl run leaves out, named (trial 68 B1); the text says so beside each.
    expect(list.find((k) => k.kernel === 'reduce_sum')!.assumesAlgorithm).toEqual(['matches-reference-tree']);
    expect(cli(['list']).stdout).toMatch(/\n {2}matches-reference-tree +.*Assumes the kernel's own algorithm \(.*\): a --wgsl run leaves it out unless --same-algorithm\.\n/);
  });

  it.each([
    [['test', '--kernel', 'nope'], /unknown kernel 'nope' \(kernels: .*softmax/],
    // A comma list, as --backend takes: 'add,nope' was one unknown kernel.
    [['test', '--kernel', 'add,nope'], /unknown kernel 'nope' \(kernels: /],
    [['test', '--kernel', 'add', '--property', 'matches-reference,nope'], /unknown property 'nope' /],
    [['test', '--kernel', 'add', '--property', 'nope'], /unknown property 'nope' .*correctly-rounded/],
    [['test', '--backend', 'metal'], /unknown backend 'metal' \(backends: dawn, chromium, firefox, deno, interpreter, all\)/],
    [['test', '--runs', 'many'], /--runs wants a whole number/],
    // A trial's negative seed read "wants a whole number", which -5 is.
    [['test', '--seed', '-5'], /--seed wants a whole number ≥ 0 \(digits only\), not '-5'/],
    // A count says ≥ 1 from the first refusal (trial 66 B4: -1 was told ≥ 0, then 0 was refused).
    [['test', '--runs', '-1'], /--runs wants a whole number ≥ 1 \(digits only\), not '-1'/],
    [['test', '--wgsl', 'add'], /--wgsl wants NAME=FILE/],
    [['test', '--wgsl', 'add=does/not/exist.wgsl'], /no such file/],
    [['test', '--wgsl', 'reduce_sum=test/alt-implementations/reduce_sum_sequential.wgsl', '--property', 'matches-reference-tree'],
      /property 'matches-reference-tree' assumes the library kernel's own algorithm \(reduce_sum\.wgsl's binary tree.*\), so a --wgsl run leaves it out; for a twin of that algorithm, add --same-algorithm/],
    [['test', '--same-algorithm', '--kernel', 'reduce_sum'], /--same-algorithm says what --wgsl files are, and none was given/],
    [['bench', '--harness', '--wgsl', 'nosuch=x.wgsl'], /--wgsl: unknown kernel 'nosuch' \(kernels: add, /],
    [['bench', '--harness', '--wgsl', 'relu=does/not/exist.wgsl'], /--wgsl relu=does\/not\/exist\.wgsl: no such file/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    // A --wgsl that --kernel leaves out ran nothing of it, and the run passed (a new user's).
    [['test', '--wgsl', 'add=test/wrong-kernels/add-truncated.wgsl', '--kernel', 'relu'],
      /--wgsl add=test\/wrong-kernels\/add-truncated\.wgsl would not run: --kernel selects relu; add --kernel add, or leave --kernel out/],
    // A named kernel left with no property ran nothing beside one that ran (a trial's).
    [['test', '--kernel', 'relu', '--kernel', 'softmax', '--property', 'sums-to-one'],
      /--kernel relu has none of the properties asked for \(sums-to-one\), so it would run nothing: drop it, or add one of its properties \(matches-reference, /],
  ])('usage error %j exits 2 with one line naming the valid choices', (args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  // Trial 124 B1: a KERNELSCOPE_LIBRARY with no kernels/ read "unknown kernel 'softmax' (kernels: )".
  it('an unknown kernel of a library with none names the library and the variable', () => {
    const r = cli(['test', '--kernel', 'softmax'], { KERNELSCOPE_LIBRARY: tmp() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown kernel 'softmax' \(the library \S+ks-cli-\w+, from KERNELSCOPE_LIBRARY, has no kernels \(no kernels\/ folder\)\)/);
  });

  // A trial's cumsum looped forever on every exclusive case; the interpreter passed it on the others, exit 0.
  it('on the interpreter, a property with cases that never finished is not judged: skip, and exit 1 when nothing else ran', () => {
    const out = tmp();
    const r = cli(['test', '--backend', 'interpreter', '--wgsl', 'relu=test/fixtures/hang/relu-some-cases-never-end.wgsl', '--property', 'matches-reference',
      '--runs', '10', '--interpreter-budget', 'seconds=0.3', '--out', out, '--fixtures', join(out, 'fx')]);
    const res = results(out).results[0]!;
    expect(res.status).toBe('skip');
    expect(res.error).toMatch(/^not judged: \d+ of 10 cases did not finish \(over the interpreter's budget: .*slow, or a loop that never ends .*\); the \d+ that ran passed, but the property is about every case$/);
    expect(r.code).toBe(1);
  });

  // A trial's BFS step passed on the interpreter: every case that reached its bug stopped at a construct the
  // interpreter cannot run, and the cases that ran passed.
  it('on the interpreter, a property with cases stopped at what it cannot run is not judged', () => {
    const out = tmp();
    cli(['test', '--backend', 'interpreter', '--wgsl', 'relu=test/fixtures/hang/relu-some-cases-unsupported.wgsl', '--property', 'matches-reference',
      '--runs', '10', '--out', out, '--fixtures', join(out, 'fx')]);
    const res = results(out).results[0]!;
    expect(res.status).toBe('skip');
    expect(res.error).toMatch(/^not judged: \d+ of 10 cases did not finish \(not supported on the interpreter: an index out of range of a value no variable holds .*, test\/fixtures\/hang\/relu-some-cases-unsupported\.wgsl:19 \(met while the case ran\)\); the \d+ that ran passed, but the property is about every case$/);
  });

  // The library's expectations.json, whatever the working directory, and read before the run: a malformed one was
  // said only after every property had run, and one in the working directory was applied instead (a trial's).
  it('reads the library\'s expectations.json before the run, from any working directory', () => {
    const library = tmp();
    for (const d of ['kernels', 'properties']) cpSync(join(LIBRARY, d), join(library, d), { recursive: true });
    writeFileSync(join(library, 'expectations.json'), JSON.stringify([{ kernel: 'scale', property: '*', engine: 'dawn', expected: 'fail', reason: 42 }]));
    const out = tmp();
    const r = spawnSync(process.execPath, [BIN, 'test', '--kernel', 'scale', '--runs', '2', '--out', out], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: library }, timeout: 170_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim()).toMatch(/^kernelscope: \S*expectations\.json: does not match the expectations format .*\[0\]\.reason: expected string, got number 42; fix it before the run/);
    expect(r.stderr).not.toMatch(/ok +dawn/);
    expect(existsSync(join(out, 'results.json'))).toBe(false);
  });

  it.each([['test', /Usage: kernelscope test \[options\][\s\S]*--wgsl <name=file>[\s\S]*runs the kernel sanitized/], ['init', /Usage: kernelscope init \[options\] \[name\][\s\S]*--dir <dir>/],
    ['replay', /Usage: kernelscope replay \[options\] \[fixture\]/], ['report', /--out <dir>/]])('%s --help describes that command and exits 0', (command, usage) => {
    const r = cli([command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(usage);
  });

  it('--backend all with one engine that cannot start exits 1, unless expectations.json lists it as a skip', () => {
    const work = tmp();
    // A copy of the library: its expectations.json is the one applied (the library's, not the working directory's).
    // Inside the checkout's git-ignored .cache/, where its import of fast-check resolves.
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    const library = mkdtempSync(join(ROOT, '.cache', 'cli-lib-'));
    onTestFinished(() => rmSync(library, { recursive: true, force: true }));
    for (const d of ['kernels', 'properties']) cpSync(join(LIBRARY, d), join(library, d), { recursive: true });
    const run = (out: string) => spawnSync(process.execPath, [BIN, 'test', '--backend', 'all', '--kernel', 'scale', '--property', 'matches-reference', '--runs', '2', '--out', join(work, out)],
      { cwd: work, encoding: 'utf8', env: { ...process.env, KERNELSCOPE_LIBRARY: library, KERNELSCOPE_FIREFOX: join(work, 'no-firefox-here') }, timeout: 170_000 });
    const r = run('a');
    expect(r.status, r.stderr).toBe(1);
    const res = results(join(work, 'a'));
    expect(res.engines.find((e) => e.backend === 'firefox')).toMatchObject({ status: 'unavailable' });
    // Every engine that did start passed: the exit status is the missing engine's alone.
    expect(res.results.filter((x) => x.backend !== 'firefox').every((x) => x.status === 'pass')).toBe(true);
    expect(r.stdout).toMatch(/The run fails: engine firefox did not start/);
    // Its property is counted as not run among the skips, and the engine's not starting as an error, as junit.xml counts them.
    expect(r.stderr).toMatch(/ 1 error \(1 engine that did not start\), 1 skipped \(1 not run: engine unavailable\)\n/);
    expect(readFileSync(join(work, 'a', 'junit.xml'), 'utf8')).toMatch(/name="firefox starts"[^>]*>\s*<error/);
    writeFileSync(join(library, 'expectations.json'), JSON.stringify([{ kernel: '*', property: '*', engine: 'firefox', expected: 'skip', reason: 'no Firefox on this image' }]));
    const listed = run('b');
    expect(listed.status, listed.stdout).toBe(0);
    expect(listed.stdout).toMatch(/Applied \S*cli-lib-\w+\/expectations\.json \(1 entry\)\./);
  });

  // A shard's own run passes on its own results; a merge of it alone lacks the other shard and fails; both pass.
  it('test --shard passes on its own shard, and report fails a merge that lacks one', () => {
    const work = tmp();
    const shard = (i: number) => cli(['test', '--kernel', 'relu', '--property', 'matches-reference', '--property', 'idempotent', '--runs', '2', '--shard', `${i}/2`, '--out', join(work, `s${i}`)]);
    for (const i of [1, 2]) {
      const r = shard(i);
      expect(r.code, r.stderr + r.stdout).toBe(0);
      expect(results(join(work, `s${i}`)).results).toHaveLength(1);
    }
    const alone = cli(['report', join(work, 's1'), '--out', join(work, 'm1')]);
    expect(alone.code).toBe(1);
    expect(alone.stdout).toMatch(/The run fails: shard 2\/2 of `test --kernel relu --property matches-reference --property idempotent --runs 2` \(seed 1\) is missing/);
    const both = cli(['report', join(work, 's1'), join(work, 's2'), '--out', join(work, 'm2')]);
    expect(both.code, both.stdout).toBe(0);
  });

  it('runs a library: results.json complete with the engine, a throwing property an error, HTML and JUnit written', () => {
    const out = tmp();
    const r = cli(['test', '--runs', '10', '--out', out], lib);
    expect(r.code, r.stderr).toBe(1); // the library has a property that throws on purpose
    const res = results(out);
    expect(res.schema).toBe('kernelscope/results@1');
    expect(res.complete).toBe(true);
    expect(res.engines[0]).toMatchObject({ backend: 'dawn', status: 'ok' });
    expect(res.engines[0]!.adapter!.description).not.toMatch(/null/i);
    const by = Object.fromEntries(res.results.map((x) => [x.property, x]));
    expect(by['matches-reference']).toMatchObject({ status: 'pass', runs: 10 });
    // The throwing property is an error at its own line (one line, no harness stack), and the property after it ran.
    expect(by['throws-on-purpose']).toMatchObject({ status: 'error' });
    const line = readFileSync(join(LIBRARY, 'properties/scale.properties.ts'), 'utf8').split('\n').findIndex((l) => l.includes('broken on purpose')) + 1;
    expect(by['throws-on-purpose']!.error).toMatch(new RegExp(`scale\\.properties\\.ts:${line}:\\d+: property 'throws-on-purpose' threw Error on a case of shape \\{[^}]*\\}: this property is broken on purpose; fix the property`));
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(by['sign-preserved']).toMatchObject({ status: 'pass', runs: 10 });
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<error/);
  });

  it('a WGSL compile error: exit 1, file:line:column, the message and the source line', () => {
    const out = tmp();
    const bad = join(out, 'bad.wgsl');
    writeFileSync(bad, readFileSync(join(LIBRARY, 'kernels/scale.wgsl'), 'utf8').replace('y[g.x] = 2.0 * x[g.x];', 'y[g.x] = 2.0 * x[g.x]'));
    const r = cli(['test', '--wgsl', `scale=${bad}`, '--property', 'matches-reference', '--runs', '3', '--out', out], lib);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.wgsl:1[0-9]:\d+: error: expected ';'/);
    // The source line the compiler points at, and a caret under the column.
    expect(r.stderr).toMatch(/error: expected ';'[^\n]*\n +\S[^\n]*\n +\^/);
    expect(results(out).results[0]).toMatchObject({ status: 'error' });
  });

  // A trial's `u32 + 1.0`: Dawn gave the located compile error, the interpreter (which parses and does not validate)
  // passed 4 properties of the same file in the same run, and the summary counted them.
  it('WGSL that Dawn rejects is that error on the interpreter too, whatever order the engines were named in', () => {
    const out = tmp();
    const bad = join(out, 'mixed.wgsl');
    writeFileSync(bad, readFileSync(join(LIBRARY, 'kernels/scale.wgsl'), 'utf8').replace('y[g.x] = 2.0 * x[g.x];', 'y[g.x] = 2.0 * x[g.x] + 1u;'));
    const r = cli(['test', '--backend', 'interpreter,dawn', '--wgsl', `scale=${bad}`, '--property', 'matches-reference,writes-every-output', '--runs', '3', '--out', out], lib);
    const res = results(out).results;
    expect(res.map((x) => `${x.backend} ${x.status}`), r.stderr).toEqual(['dawn error', 'dawn error', 'interpreter error', 'interpreter error']);
    for (const x of res.filter((y) => y.backend === 'interpreter')) {
      expect(x.error).toMatch(/^does not compile on dawn: .*mixed\.wgsl:\d+:\d+: error: .*\(the interpreter does not validate WGSL, so it runs nothing a compiler rejects\)$/);
    }
    expect(r.code).toBe(1);
  });

  it('a compile error is placed at the same line and column by the sanitized properties as by the plain ones', () => {
    const out = tmp();
    const bad = join(out, 'undeclared.wgsl');
    writeFileSync(bad, readFileSync(join(LIBRARY, 'kernels/scale.wgsl'), 'utf8').replace('y[g.x] = 2.0 * x[g.x];', 'y[g.x] = 2.0 * x[j];'));
    const r = cli(['test', '--wgsl', `scale=${bad}`, '--property', 'matches-reference', '--property', 'no-out-of-bounds', '--runs', '1', '--out', out], lib);
    expect(r.code).toBe(1);
    const [plain, sanitized] = results(out).results;
    expect(plain!.error).toMatch(/undeclared\.wgsl:\d+:\d+: error: unresolved value 'j'/);
    expect(sanitized!.error).toBe(plain!.error);
  });

  it('valid WGSL that wgsl_reflect cannot parse is "not supported here" at its line, never called bad WGSL', () => {
    const out = tmp();
    const odd = join(out, 'trailing-comma.wgsl');
    // A trailing comma in an attribute is WGSL (Tint takes it); wgsl_reflect 1.6.0's parser does not.
    writeFileSync(odd, readFileSync(join(LIBRARY, 'kernels/scale.wgsl'), 'utf8').replace('@workgroup_size(64)', '@workgroup_size(64,)'));
    const r = cli(['test', '--wgsl', `scale=${odd}`, '--property', 'matches-reference', '--runs', '2', '--out', out], lib);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/trailing-comma\.wgsl:7: not supported here: dawn compiles this WGSL, but kernelscope reads WGSL with wgsl_reflect 1\.6\.0, whose parser stops here \(Expected attribute value\)/);
    expect(r.stderr).not.toMatch(/does not parse/);
    expect(results(out).results[0]).toMatchObject({ status: 'error' });
  });

  // A trial's matvec bound `struct XBuf { count: u32, data: array<f32> }` and read "array<f32> inside an element has
  // no fixed length; not supported here": no element in sight, and no way on.
  it('a storage struct of fields before its runtime-sized array is "not supported here", naming the fields and the way round', () => {
    const out = tmp();
    const headed = join(out, 'headed.wgsl');
    writeFileSync(headed, readFileSync(join(LIBRARY, 'kernels/scale.wgsl'), 'utf8')
      .replace('var<storage, read> x: array<f32>;', 'var<storage, read> x: XBuf;\nstruct XBuf { count: u32, data: array<f32> }')
      .replace('2.0 * x[g.x]', '2.0 * x.data[g.x]'));
    const r = cli(['test', '--wgsl', `scale=${headed}`, '--property', 'matches-reference', '--runs', '1', '--out', out], lib);
    expect(r.code).toBe(1);
    expect(results(out).results[0]!.error).toMatch(/headed\.wgsl:3: 'x' is XBuf: its runtime-sized array<f32> follows other members \(count: u32\); not supported here, where a buffer is one array of elements: bind the array as a variable of its own \(var<storage, \.\.\.> data: array<f32>\) and pass count in a uniform, or in a buffer of its own$/);
  });

  it("a library whose case generator throws: each property is an error at the library's line, and no report of the last run is left", () => {
    const out = tmp();
    const stale = cli(['test', '--kernel', 'scale', '--property', 'matches-reference', '--runs', '2', '--out', out], lib);
    expect(stale.code).toBe(0);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).not.toMatch(/<error/);
    // A usage error stops the next run before it writes anything: the last run's pass must not stay behind.
    expect(cli(['test', '--kernel', 'scale', '--property', 'nope', '--out', out], lib).code).toBe(2);
    for (const f of ['results.json', 'junit.xml', 'index.html']) expect(existsSync(join(out, f)), f).toBe(false);
    // So does one refused while its options are read, or by Commander itself (trial 57 B5: `--runs abc` left them).
    for (const bad of [['--runs', 'abc'], ['--bogus']]) {
      expect(cli(['test', '--kernel', 'scale', '--property', 'matches-reference', '--runs', '1', `--out=${out}`], lib).code).toBe(0);
      expect(existsSync(join(out, 'junit.xml'))).toBe(true);
      expect(cli(['test', '--kernel', 'scale', '--out', out, ...bad], lib).code, bad.join(' ')).toBe(2);
      for (const f of ['results.json', 'junit.xml', 'index.html']) expect(existsSync(join(out, f)), `${bad.join(' ')}: ${f}`).toBe(false);
    }
    const r = cli(['test', '--kernel', 'scale', '--property', 'matches-reference', '--runs', '2', '--out', out], { ...lib, KERNELSCOPE_TEST_CASES_THROW: '1' });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout + r.stderr).toMatch(/scale\.properties\.ts:\d+:\d+: property 'matches-reference' threw TypeError( on a case of shape \{[^}]*\})?: r is not a function; fix the property/);
    expect(results(out)).toMatchObject({ complete: true, results: [{ property: 'matches-reference', status: 'error' }] });
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<error/);
  });

  it('a --wgsl file whose bindings do not match: the message names the binding, file and line', () => {
    const out = tmp();
    const bad = join(out, 'renamed.wgsl');
    writeFileSync(bad, readFileSync(join(LIBRARY, 'kernels/scale.wgsl'), 'utf8').replaceAll('y[', 'out[').replace('read_write> y:', 'read_write> out:'));
    const r = cli(['test', '--wgsl', `scale=${bad}`, '--property', 'matches-reference', '--runs', '3', '--out', out], lib);
    expect(r.code).toBe(1);
    // The user's file and the line of the buffer renamed (not of the first one declared), and what to change there
    // (not the library's spec).
    expect(r.stderr).toMatch(/renamed\.wgsl:4: kernel 'scale' binds 'y', which this WGSL does not declare \(it declares: x, out, params\); 'out', at this line, is bound by none of the kernel's buffers; name its variables x, y, params in your WGSL, or give your kernel a spec of its own \(kernelscope init\)/);
  });

  it('a kernel that never ends is an error after the timeout, and the run finishes', () => {
    const out = tmp();
    const t0 = Date.now();
    const r = cli(['test', '--wgsl', `scale=${join(LIBRARY, 'kernels/spin.wgsl')}`, '--property', 'matches-reference', '--runs', '2', '--timeout', '3000', '--out', out], lib);
    expect(r.code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(results(out).results[0]).toMatchObject({ status: 'error' });
    expect(results(out).results[0]!.error).toMatch(/spin\.wgsl: the GPU did not finish within 3000 ms/);
    expect(results(out).complete).toBe(true);
  });

  it('a kernel with atomics in storage or workgroup memory gets a note on the schedule that shows a lost update, unless the interpreter runs', () => {
    const out = tmp();
    const r = cli(['test', '--kernel', 'histogram', '--kernel', 'add', '--property', 'writes-every-output', '--runs', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const notes = r.stderr.split('\n').filter((l) => l.startsWith('note: '));
    expect(notes).toEqual([expect.stringMatching(/^note: histogram updates atomics \(counts, local_bins\): a lost update .*--backend dawn,interpreter adds the interpreter/)]);
  });

  // Trial 179 B4: the note pointed Firefox's user at the interpreter for a kernel Firefox had skipped whole.
  it('no schedule note for an atomics kernel that every engine of the run skipped', () => {
    const out = tmp();
    const wgsl = join(out, 'histogram_ptr.wgsl');
    writeFileSync(wgsl, `${readFileSync(join(ROOT, 'kernels/histogram.wgsl'), 'utf8')}\nfn firstOf(q: ptr<storage, array<f32>, read>) -> f32 {\n  return (*q)[0];\n}\n`);
    const r = cli(['test', '--backend', 'deno', '--kernel', 'histogram', '--wgsl', `histogram=${wgsl}`, '--property', 'writes-every-output', '--runs', '1', '--out', out]);
    expect(results(out).results).toEqual([expect.objectContaining({ status: 'skip' })]);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('note: '))).toEqual([]);
  });

  // Trial 140 B2: the naga note came after a kernel with no barrier, whose uniformity nothing needs to check.
  it('the naga note names the kernels with a barrier, and comes for none else', () => {
    const out = tmp();
    const notes = (kernels: string) => cli(['test', '--backend', 'deno', '--kernel', kernels, '--property', 'writes-every-output', '--runs', '1', '--out', out]).stderr.split('\n').filter((l) => l.includes('naga'));
    expect(notes('add')).toEqual([]);
    expect(notes('add,softmax')).toEqual([expect.stringMatching(/^note: deno compiles with naga, .* so the barriers of softmax are checked by kernelscope's own reading of it, .*; add --backend dawn to have Tint check them$/)]);
    // Trial 159 B2: nor for a kernel the engine skipped for a feature it lacks, which it never checked.
    const field = cli(['test', '--backend', 'deno', '--kernel', 'subgroup_sum', '--kernel', 'softmax_exp2', '--property', 'writes-every-output', '--runs', '1', '--out', out], { KERNELSCOPE_LIBRARY: join(ROOT, 'test', 'field') });
    expect(results(out).results.find((r) => r.kernel === 'subgroup_sum')).toMatchObject({ status: 'skip' });
    expect(field.stderr.split('\n').filter((l) => l.includes('naga'))).toEqual([expect.stringMatching(/ so the barriers of softmax_exp2 are checked by kernelscope's own reading of it, .*; add --backend dawn to have Tint check them$/)]);
  });

  // Trial 140 B1: a flush made of an atomicLoad and an atomicStore named only the atomics that the kernel updated.
  it('the note names an atomic loaded and then stored, and where', () => {
    const out = tmp();
    const r = cli(['test', '--kernel', 'histogram', '--wgsl', 'histogram=test/wrong-kernels/lib_histogram_lost_update.wgsl', '--property', 'writes-every-output', '--runs', '1', '--out', out]);
    const notes = r.stderr.split('\n').filter((l) => l.startsWith('note: ') && l.includes('atomics'));
    expect(notes).toEqual([expect.stringMatching(/^note: histogram updates atomics \(counts, local_bins\); test\/wrong-kernels\/lib_histogram_lost_update\.wgsl:\d+ loads an atomic of counts and then stores to it on the strength of what it loaded \(a value computed from it, or beside a store of it elsewhere\), which is not one update: .* lost/)]);
  });

  // Trial 194 B2: replay says what test said beside the failure, here the load then store that loses the counts.
  it('replay names the atomics beside the failure, as test does', () => {
    const out = tmp();
    const r = cli(['test', '--kernel', 'histogram', '--wgsl', 'histogram=test/wrong-kernels/lib_histogram_lost_update.wgsl', '--backend', 'interpreter', '--property', 'matches-reference', '--runs', '3', '--out', out, '--fixtures', join(out, 'fx')]);
    expect(r.code).toBe(1);
    const res = results(out).results[0]!;
    expect(res.error).toMatch(/ \(test\/wrong-kernels\/lib_histogram_lost_update\.wgsl:\d+ loads an atomic of counts/);
    const replay = cli(['replay', res.counterexample!.fixture]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/^FAILS: counts\[\d+\] = .* \(test\/wrong-kernels\/lib_histogram_lost_update\.wgsl:\d+ loads an atomic of counts/m);
    // Trial 195 B1: on Dawn the lost update shows only now and then; a pass there is not called a fix while the load
    // then store is in the code.
    const dawn = cli(['replay', res.counterexample!.fixture, '--backend', 'dawn']);
    expect(dawn.code).toBe(1);
    expect(dawn.stdout).toMatch(/^(FAILS: counts|NOT SHOWN FIXED: it passed in 10 runs on dawn, but on a GPU engine a lost update shows only now and then, and the kernel still has what loses updates: test\/wrong-kernels\/lib_histogram_lost_update\.wgsl:\d+(-\d+)? loads an atomic of counts and then stores to it)/m);
    // Trial 200 B2: deterministic's two runs take one schedule on the interpreter, so its pass there is no fix, and
    // replaying it there is not the advice. (Its draw is matches-reference's: both draw the family's cases.)
    const twoRuns = join(out, 'deterministic.json');
    writeFileSync(twoRuns, JSON.stringify({ ...JSON.parse(readFileSync(res.counterexample!.fixture, 'utf8')), property: 'deterministic' }));
    const same = cli(['replay', twoRuns, '--backend', 'interpreter']);
    expect(same.code).toBe(1);
    expect(same.stdout).toMatch(/^NOT SHOWN FIXED: it passed on interpreter, whose runs take one schedule, and the kernel still has what loses updates: .*\. Run `(npx kernelscope|node \S+) test --kernel histogram --wgsl histogram=test\/wrong-kernels\/lib_histogram_lost_update\.wgsl --backend interpreter`, whose schedule shows a lost update on every case it runs, in the values or in no-data-race \(deterministic compares runs/m);
  });

  // Trial 199 A1: a kernel that takes positions from an atomic's old value is told the order is WGSL's to choose.
  it('the note names an atomic that hands out slots, and that a GPU may hand them out in one order every run', () => {
    const r = cli(['test', '--kernel', 'relu', '--wgsl', 'relu=test/wrong-kernels/lib_relu_atomic_slot.wgsl', '--property', 'inputs-unchanged', '--runs', '1', '--out', tmp()]);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('note: relu updates atomics'))).toEqual([expect.stringMatching(/test\/wrong-kernels\/lib_relu_atomic_slot\.wgsl:\d+ hands out slots by an atomic's old value, in an order WGSL leaves open: a GPU engine may give them in the same order every run, .* and the interpreter gives them in another/)]);
  });

  // Trial 57 B8: view of a truncated --case served the page and printed its URL, the error on the page alone; and a
  // kernel that is not there was a stack trace.
  it('view refuses a kernel not in the library, and a --case file missing or malformed, in one line with exit 2', () => {
    const out = tmp();
    const truncated = join(out, 'truncated.json');
    writeFileSync(truncated, '{"schema": "kernelscope/counterexample@1", "kernel": "add", "draw": {');
    for (const [args, said] of [
      [['view', 'nosuch'], /^kernelscope: no kernel 'nosuch' \(kernels: add, /],
      [['view', 'add', '--case', join(out, 'gone.json')], /^kernelscope: --case .*gone\.json: no such file$/],
      [['view', 'add', '--case', truncated], /^kernelscope: --case .*truncated\.json: not valid JSON: truncated/],
    ] as const) {
      const r = cli([...args, '--port', '0']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(said)]);
      expect(r.stdout).not.toMatch(/visualizer: http/);
    }
  });

  it('a failure is shrunk, saved, and replays as a failure', () => {
    const out = tmp();
    const bad = join(out, 'triple.wgsl');
    writeFileSync(bad, readFileSync(join(LIBRARY, 'kernels/scale.wgsl'), 'utf8').replace('2.0 * x[g.x]', 'select(2.0, 3.0, g.x == 37u) * x[g.x]'));
    const r = cli(['test', '--wgsl', `scale=${bad}`, '--property', 'matches-reference', '--runs', '50', '--out', out, '--fixtures', join(out, 'fx')], lib);
    expect(r.code).toBe(1);
    const res = results(out).results[0]!;
    expect(res.status).toBe('fail');
    // The smallest failing input has exactly 38 elements: element 37 is the first the bug touches.
    expect(res.counterexample!.shrunk).toEqual({ n: 38 });
    expect(res.error).toMatch(/^y\[37\]/);
    const fixture = res.counterexample!.fixture;
    expect(fixture.startsWith(join(out, 'fx'))).toBe(true);
    const fx = JSON.parse(readFileSync(fixture, 'utf8'));
    expect(fx).toMatchObject({ schema: 'kernelscope/counterexample@1', kernel: 'scale', backend: 'dawn', worst: { buffer: 'y', index: 37 } });
    const replay = cli(['replay', fixture], lib);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/FAILS: y\[37\]/);
    // It says which WGSL it ran: the fixture's --wgsl file, not the library's kernel.
    expect(replay.stdout).toMatch(/^running .*triple\.wgsl \(the fixture's --wgsl\)$/m);
    // A file changed since is said before the run; a file gone is one line and exit 2, never a stack.
    writeFileSync(bad, `${readFileSync(bad, 'utf8')}\n// edited\n`);
    const changed = cli(['replay', fixture], lib);
    expect(changed.stdout).toMatch(/^note: .*triple\.wgsl changed since .* was saved \(WGSL hash [0-9a-f]{8}, saved [0-9a-f]{8}\)/m);
    // WGSL that no longer compiles ran nothing: one line, exit 2, not a stack and "still fails" (trial 197 B1).
    writeFileSync(bad, `@group(0) struct X { a: u32 }\n${readFileSync(bad, 'utf8')}`);
    const broken = cli(['replay', fixture], lib);
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kernelscope: .*: cannot replay: .*triple\.wgsl:1:\d+: error: /)]);
    // Fixed, then run on another engine: a pass there says nothing of the engines (a trial's read "the engines differ").
    writeFileSync(bad, readFileSync(join(LIBRARY, 'kernels/scale.wgsl'), 'utf8'));
    const fixed = cli(['replay', fixture, '--backend', 'interpreter'], lib);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/^PASSES on interpreter with .*triple\.wgsl as it is now, not as it was when the case failed on dawn \(the note above\): whether the engines differ on this case is not known/m);
    expect(fixed.stdout).not.toContain('the engines differ on this case (');
    // A fixture edited by hand is the file's fault, said in one line naming it, and exit 2, not a stack trace and
    // replay's "still fails" 1 (trial 57 B1).
    const edited = join(out, 'fx', 'edited.json');
    for (const [change, said] of [
      [(f: typeof fx) => (f.backend = 'dwan'), /edited\.json: does not match kernelscope\/counterexample@1: backend: expected one of dawn\|chromium\|firefox\|deno\|interpreter, got "dwan"$/],
      [(f: typeof fx) => (f.draw.shape.n = -5), /edited\.json: its saved case \(draw\) does not fit kernel 'scale' as its spec is now: .*scale\.kernel\.ts:\d+: buffer 'x': length\(\) returned -5/],
    ] as const) {
      const copy = JSON.parse(readFileSync(fixture, 'utf8'));
      change(copy);
      writeFileSync(edited, JSON.stringify(copy));
      const r = cli(['replay', edited], lib);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(said)]);
    }
    // A case the engine skips (past the interpreter's budget) was not judged: exit 2, as for a lacking engine (trial 164).
    const big = JSON.parse(readFileSync(fixture, 'utf8'));
    big.draw.shape.n = 100_000;
    for (const [name, v] of Object.entries(big.draw.inputs as Record<string, { $array: unknown }>)) big.draw.inputs[name] = { $array: encodeArray(new Float32Array(100_000)) };
    writeFileSync(edited, JSON.stringify(big));
    const skipped = cli(['replay', edited, '--backend', 'interpreter'], lib);
    expect(skipped.code, skipped.stdout + skipped.stderr).toBe(2);
    expect(skipped.stdout, skipped.stderr).toMatch(/^the engine skipped the case, so whether it still fails is not known: over the interpreter's budget/m);
    rmSync(bad);
    const gone = cli(['replay', fixture], lib);
    expect(gone.code).toBe(2);
    expect(gone.stderr.trim().split('\n')).toEqual([expect.stringMatching(/triple\.wgsl, which is gone \(no file .*\): the case cannot be run/)]);
    expect(cli(['replay', join(LIBRARY, 'kernels/scale.kernel.ts')], lib).code).toBe(2);
  });

  it('two --wgsl versions of one kernel keep their own fixtures: the name carries a hash of the WGSL', () => {
    const out = tmp();
    const fixtures = join(out, 'fx');
    const saved = (element: number) => {
      const file = join(out, `off-at-${element}.wgsl`);
      writeFileSync(file, readFileSync(join(LIBRARY, 'kernels/scale.wgsl'), 'utf8').replace('2.0 * x[g.x]', `select(2.0, 3.0, g.x == ${element}u) * x[g.x]`));
      const r = cli(['test', '--wgsl', `scale=${file}`, '--property', 'matches-reference', '--runs', '30', '--out', join(out, `run-${element}`), '--fixtures', fixtures], lib);
      expect(r.code).toBe(1);
      return results(join(out, `run-${element}`)).results[0]!.counterexample!.fixture;
    };
    const [a, b] = [saved(3), saved(5)];
    expect(a).toMatch(/scale--matches-reference--dawn--seed1--[0-9a-f]{8}\.json$/);
    expect(b).not.toBe(a);
    expect(readdirSync(fixtures).sort()).toHaveLength(2);
    expect(JSON.parse(readFileSync(a, 'utf8')).worst).toMatchObject({ index: 3 });
    expect(JSON.parse(readFileSync(b, 'utf8')).worst).toMatchObject({ index: 5 });
  });

  it('results.json is readable while the run is still going, and says it is partial', async () => {
    const out = tmp();
    const child = spawn(process.execPath, [BIN, 'test', '--runs', '200', '--out', out], { cwd: ROOT, env: { ...process.env, ...lib }, stdio: 'ignore' });
    const path = join(out, 'results.json');
    let partial: ResultsFile | undefined;
    for (let i = 0; i < 600 && !partial; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (!existsSync(path)) continue;
      const r = results(out);
      if (r.results.length >= 1) partial = r;
    }
    child.kill('SIGKILL');
    expect(partial).toBeDefined();
    expect(partial!.complete).toBe(false);
    expect(partial!.finishedAt).toBeNull();
    expect(partial!.results[0]!.status).toBe('pass');
  });
});

// Trial 95 B3: `view --port N` on a port another program holds ended in Node's EADDRINUSE stack.
it('view --port on a port in use is one line and exit 2', async () => {
  const { createServer } = await import('node:http');
  const holder = createServer();
  await new Promise<void>((res) => holder.listen(0, '127.0.0.1', () => res()));
  onTestFinished(() => void holder.close());
  const port = (holder.address() as { port: number }).port;
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'kernelscope.mjs'), 'view', '--port', String(port)], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  expect(r.status).toBe(2);
  expect(r.stderr.trim()).toBe(`kernelscope: port ${port} on 127.0.0.1 is in use by another program: give another with --port N, or leave --port out for any free one`);
}, 150_000);
