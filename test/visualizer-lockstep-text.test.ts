// What the lockstep panel says of one workgroup, in Node: an access as WGSL names it (nested indices of a 2-D array,
// the invocation's local_invocation_id), an out-of-bounds access as such (never a made-up value), and the variables
// of invocations that finished (a kernel without a barrier showed none for any).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { KernelProgram } from '../harness/run/program.ts';
import { ACCESS_OUTSIDE, ACCESS_WRITE, lockstepTrace } from '../harness/trace/lockstep.ts';
import transpose from '../kernels/transpose.kernel.ts';
import { accessText, raceFinding } from '../visualizer/src/race.ts';
import { workgroupAccessSummary } from '../visualizer/src/workgroup.ts';

const SOURCE = readFileSync('kernels/transpose.wgsl', 'utf8');
const program = (code = SOURCE): KernelProgram => ({ spec: transpose, sources: { [transpose.wgsl]: code }, origins: {} });
const draw = (rows: number, cols: number) => ({ shape: { rows, cols }, inputs: { a: Float32Array.from({ length: rows * cols }, (_, i) => i + 0.5) } });
const lineOf = (code: string, text: string) => code.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('lockstep panel text', () => {
  // Trial 67 B4: the lockstep refused a workgroup array sized by an override, which the interpreter engine runs with
  // the count written as its value.
  test('a workgroup array sized by an override is stepped as the interpreter engine runs it', () => {
    const code = SOURCE.replace('var<workgroup> tile: array<array<f32, 17>, 16>;', 'override T: u32 = 16u;\nvar<workgroup> tile: array<array<f32, T + 1u>, T>;');
    expect(code).toContain('override T');
    const t = lockstepTrace(program(code), draw(16, 16));
    expect(t.phases.length).toBeGreaterThan(1);
  });

  // Trial 161 B1: a read in a helper at line 20 and a write at line 26 were told "a barrier is missing after line 20
  // and before line 26", where main called the helper at line 35: the entry point's lines are said.
  test('a race whose read is in a helper: the barrier goes between the entry point\'s lines that reach the two', () => {
    const code = SOURCE.replace('workgroupBarrier();', '').replace('= tile[lid.x][lid.y];', '= fetch(lid.x, lid.y);')
      .replace('var<workgroup> tile: array<array<f32, 17>, 16>;', 'var<workgroup> tile: array<array<f32, 17>, 16>;\nfn fetch(x: u32, y: u32) -> f32 {\n  return tile[x][y];\n}');
    const t = lockstepTrace(program(code), draw(16, 16));
    const [write, call, read] = [lineOf(code, 'tile[lid.y][lid.x] ='), lineOf(code, '= fetch(lid.x, lid.y)'), lineOf(code, 'return tile[x][y]')];
    expect(read).toBeLessThan(write);
    const r = t.races[0]!;
    expect(r.entry).toEqual({ lines: r.a.line === write ? [write, call] : [call, write], via: ['fetch'] });
    expect(raceFinding(t, r).text).toContain(`a workgroupBarrier() is missing after line ${write} and before line ${call} of main, which reach the two accesses (through fetch).`);
  });

  // Trial 198 B1: a tiled matmul without its second barrier was told one was missing after its tile store and before
  // its product, where the first barrier already is: the race is a pass of the loop apart.
  test('a race a pass of the loop apart: the barrier goes at the end of the loop body', async () => {
    const { default: tiled } = await import('../kernels/matmul_tiled.kernel.ts');
    const code = readFileSync('kernels/matmul_tiled.wgsl', 'utf8').replace(/(workgroupBarrier\(\);\n {4}for \(var kk[\s\S]*?\n {4}\})\n {4}workgroupBarrier\(\);/, '$1');
    expect(code.match(/workgroupBarrier\(\)/g)).toHaveLength(1);
    const shape = { M: 16, N: 16, K: 32 };
    const t = lockstepTrace({ spec: tiled, sources: { [tiled.wgsl]: code }, origins: {} }, { shape, inputs: { a: new Float32Array(16 * 32).fill(1), b: new Float32Array(32 * 16).fill(1), bias: new Float32Array(16) } });
    const [store, barrier, product] = [lineOf(code, 'ta[r][q] = va;'), lineOf(code, 'workgroupBarrier();'), lineOf(code, 'acc[i][j] += ')];
    const r = t.races.find((x) => [x.a.line, x.b.line].sort().join() === [store, product].sort().join())!;
    expect(r).toBeDefined();
    expect(raceFinding(t, r).text).toContain(`the workgroupBarrier() on line ${barrier} lies between lines ${store} and ${product}, but these two accesses ran in one phase, a pass of the loop apart: a workgroupBarrier() is missing after line ${product}, at the end of the loop's body, before it comes round to line ${store} again.`);
  });

  test('an invocation that finished keeps its variables: a kernel without a barrier lists them at its one phase', () => {
    const code = SOURCE.replace('workgroupBarrier();', '');
    const t = lockstepTrace(program(code), draw(16, 16));
    expect(t.phases.length).toBe(1);
    // Invocation 17 is local_invocation_id (1, 1, 0).
    expect(t.phases[0]!.locals[17]).toMatchObject({ r: '1', c: '1', br: '1', bc: '1' });
  });

  test('an access of a 2-D array names its row and column, and a 2-D invocation its local_invocation_id', () => {
    const t = lockstepTrace(program(), draw(16, 16));
    const a = t.access;
    const tile = t.variables.findIndex((v) => v.name === 'tile');
    const k = Array.from({ length: t.accessCount }, (_, i) => i).find((i) => a.variable[i] === tile && a.invocation[i] === 16 && a.kind[i]! & ACCESS_WRITE)!;
    // tile is array<array<f32, 17>, 16>: invocation 16 (lid (0, 1)) writes tile[1][0], word 17.
    expect(a.word[k]).toBe(17);
    expect(accessText(t, k)).toBe(`invocation 16 (local_invocation_id (0, 1, 0)) writes tile[1][0] = 16.5 on line ${lineOf(SOURCE, 'tile[lid.y][lid.x] = ')}`);
  });

  test('an out-of-bounds read says so and what the interpreter used, not NaN', () => {
    const code = SOURCE.replace('a[r * params.cols + c]', 'a[r * params.cols + c + 1u]');
    const t = lockstepTrace(program(code), draw(1, 1));
    const k = Array.from({ length: t.accessCount }, (_, i) => i).find((i) => t.access.kind[i]! & ACCESS_OUTSIDE)!;
    expect(k).toBeDefined();
    const text = accessText(t, k);
    expect(text).toBe(`invocation 0 (local_invocation_id (0, 0, 0)) reads a[1] on line ${lineOf(code, 'a[r * params.cols')}: out of bounds (a has 1 element), no element there; ` +
      "the interpreter's load returned 0 (WGSL allows any value of the variable, or 0; a GPU may clamp the index)");
    expect(text).not.toContain('NaN');
    // The write that follows stored the 0 the load returned.
    const next = Array.from({ length: t.accessCount }, (_, i) => i).find((i) => i > k && t.access.invocation[i] === 0)!;
    expect(accessText(t, next)).toContain('writes tile[0][0] = 0 on line');
  });
});

describe('an inner index out of bounds', () => {
  // tile[lid.y][lid.x + 17u] of array<array<f32, 17>, 16>: its flattened word is the next row's, which it did not touch.
  test("names the access and the index, not the element whose word it lands on", () => {
    const code = SOURCE.replace('tile[lid.x][lid.y]', 'tile[lid.x][lid.y + 17u]');
    const t = lockstepTrace(program(code), draw(16, 16));
    const k = Array.from({ length: t.accessCount }, (_, i) => i).find((i) => t.access.kind[i]! & ACCESS_OUTSIDE && t.access.invocation[i] === 0)!;
    expect(k).toBeDefined();
    expect(accessText(t, k)).toBe(`invocation 0 (local_invocation_id (0, 0, 0)) reads tile[0][17] on line ${lineOf(code, 'tile[lid.x][lid.y + 17u]')}: out of bounds (index 17 is outside array<f32, 17>: indices 0…16), no element there; ` +
      "the interpreter's load returned 0 (WGSL allows any value of the variable, or 0; a GPU may clamp the index)");
  });
});

describe('race text', () => {
  // A new user's tree without its loop's barrier was told one was missing "after line 24 and before line 24".
  test('a race between two executions of one line says the barrier is missing in the loop', async () => {
    const softmax = (await import('../kernels/softmax.kernel.ts')).default;
    const { firstFinding } = await import('../visualizer/src/race.ts');
    const own = readFileSync('kernels/softmax.wgsl', 'utf8');
    const tree = 'partial[lid] = max(partial[lid], partial[lid + s]);';
    const line = lineOf(own, tree);
    const lines = own.split('\n');
    expect(lines[line + 1]!.trim()).toBe('workgroupBarrier();');
    lines[line + 1] = '';
    const p: KernelProgram = { spec: softmax, sources: { [softmax.wgsl]: lines.join('\n') }, origins: {} };
    const f = firstFinding(lockstepTrace(p, { shape: { rows: 1, cols: 8 }, inputs: { x: new Float32Array(8).fill(0.5) } }))!;
    expect(f.lines).toEqual([line, line]);
    expect(f.text).not.toContain(`after line ${line} and before line ${line}`);
    expect(f.text).toMatch(new RegExp(`two executions of line ${line} \\(a loop\\), and a workgroupBarrier\\(\\) is missing in the loop`));
  });

  // The CLI stopped telling a race between two branches of an `if` on the id to put a barrier between them (trial 123
  // B1); the panel still did.
  test('a race between two branches of an if on the id says no barrier can go between them', async () => {
    const { firstFinding } = await import('../visualizer/src/race.ts');
    const code = SOURCE.replace('{ tile[lid.y][lid.x] = a[r * params.cols + c]; }',
      '{\n    if (lid.x == 0u) {\n      tile[0][0] = a[r * params.cols + c];\n    } else {\n      tile[0][0] = 1.0;\n    }\n  }');
    const f = firstFinding(lockstepTrace(program(code), draw(4, 4)))!;
    expect(f.kind).toBe('race');
    expect(f.text).toContain('They are in different branches of `if (lid.x == 0u)`, taken by different invocations, so no barrier can go between them');
    expect(f.text).not.toMatch(/is missing after line/);
  });
});

describe('a counterexample\'s out-of-bounds access', () => {
  // Trial 161 B3: the panel opened on invocation 9 reading a[2], where the message named invocation 1 reading a[1].
  test('the panel opens on the access its message names, where the lockstep run made it', async () => {
    const { firstFinding, savedRaceOf } = await import('../visualizer/src/race.ts');
    const code = SOURCE.replace('if (r < params.rows && c < params.cols)', 'if (r <= params.rows && c < params.cols)');
    const t = lockstepTrace(program(code), draw(1, 2));
    expect(t.outOfBounds.length).toBeGreaterThan(1);
    const other = t.outOfBounds[1]!;
    const saved = savedRaceOf(`invocation ${other.invocation} of workgroup (0, 0, 0) reads a element 3 (byte 12), past the end of a (k.wgsl:19); 2 such accesses`);
    expect(saved).toEqual({ variable: 'a', invocation: other.invocation });
    expect(firstFinding(t, saved)!.invocations).toEqual([other.invocation]);
    expect(firstFinding(t)!.invocations).toEqual([t.outOfBounds[0]!.invocation]);
  });
});

describe('the workgroup memory summary', () => {
  // A trial's array<vec4<f32>, 256> read "elements 0…1023": words counted as elements, past its 256.
  test('counts elements, with the words where an element holds several', () => {
    const code = SOURCE.replace('array<array<f32, 17>, 16>', 'array<array<vec2<f32>, 17>, 16>')
      .replace('tile[lid.y][lid.x] = a[r * params.cols + c];', 'tile[lid.y][lid.x] = vec2<f32>(a[r * params.cols + c], 0.0);')
      .replace('= tile[lid.x][lid.y];', '= tile[lid.x][lid.y].x;');
    const t = lockstepTrace(program(code), draw(2, 2));
    expect(workgroupAccessSummary(t, { phase: 0, access: null })).toEqual([
      `writes of tile on line ${lineOf(code, 'tile[lid.y][lid.x] = ')}: elements 0…1, 17…18 (words 0…3, 34…37) by invocations 0…1, 16…17`,
    ]);
    // An array of scalars: its words are its elements.
    expect(workgroupAccessSummary(lockstepTrace(program(), draw(2, 2)), { phase: 0, access: null })).toEqual([
      `writes of tile on line ${lineOf(SOURCE, 'tile[lid.y][lid.x] = ')}: elements 0…1, 17…18 by invocations 0…1, 16…17`,
    ]);
  });
});
