// The readers of every contract file against hostile input: arbitrary JSON, and valid files mutated the way files
// go bad (a field dropped, a wrong type, NaN and 1e400 where a number was due, a path climbing out of the repository,
// the text cut short). Each reader must either return a value the rest of the harness can use (merged, decoded,
// matched) or throw a FileFormatError whose message is one line naming the file; never another kind of error, and
// never a change to the value it was given. Inputs that once broke a reader are kept in test/fixtures/hostile/.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyExpectations, parseExpectations } from '../harness/reports/expectations.ts';
import { parseResultsSet } from '../harness/reports/load.ts';
import { toJUnit } from '../harness/reports/junit.ts';
import { mergeResults } from '../harness/reports/merge.ts';
import { toView } from '../harness/reports/view.ts';
import { asCounterexample, decodeArray, decodeDraw, encodeArray, encodeDraw, FIXTURE_SCHEMA, parseCounterexample } from '../harness/run/fixture.ts';
import { checkKernelSpec } from '../harness/schemas/kernel-spec.ts';
import { FileFormatError } from '../harness/schemas/read.ts';
import addSpec from '../kernels/add.kernel.ts';
import scanSpec from '../kernels/scan.kernel.ts';

const ROOT = join(import.meta.dirname, '..');
const HOSTILE = join(import.meta.dirname, 'fixtures', 'hostile');
const RUNS = Number(process.env.HOSTILE_RUNS ?? 300);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Each reader from text, then what the harness does next with what it returned. */
const readers = {
  results: (text: string, file: string) => {
    const merged = mergeResults(parseResultsSet(text, file, { warn: () => {} }), new Date(0));
    toJUnit(merged);
    JSON.stringify(toView(merged));
  },
  fixture: (text: string, file: string) => {
    const fx = parseCounterexample(text, file);
    decodeDraw(fx.draw);
    for (const group of [fx.inputs, fx.actual, fx.expected ?? {}]) for (const a of Object.values(group)) decodeArray(a);
  },
  expectations: (text: string, file: string) => {
    const xs = parseExpectations(text, file);
    applyExpectations({ generatedAt: '', runs: [], engines: [], rows: [], cells: [], warnings: [] } as never, xs);
  },
};
type Reader = keyof typeof readers;

/** The outcome: null when the reader accepted the input, else the one-line message. Anything else fails the test. */
function outcome(reader: Reader, text: string, file = `hostile-${reader}.json`): string | null {
  try {
    readers[reader](text, file);
    return null;
  } catch (e) {
    if (!(e instanceof FileFormatError)) throw new Error(`${reader} threw ${(e as Error)?.name}: ${(e as Error)?.message} on ${JSON.stringify(text.slice(0, 300))}`);
    expect(e.message.startsWith(`${file}: `), e.message).toBe(true);
    expect(e.message, 'one line').not.toMatch(/\n/);
    expect(e.message.length).toBeLessThan(2000);
    return e.message;
  }
}

// Valid files to mutate: two results files of the test corpus (one merged), a fixture, an expectations list.
const resultsText = readFileSync(join(ROOT, 'test/fixtures/results/machine-a.json'), 'utf8');
const mergedText = JSON.stringify({ schema: 'kernelscope/merged-results@1', generatedAt: '', warnings: [], sources: [{ path: 'a/results.json', data: JSON.parse(resultsText) }] });
const fixtureValue = {
  schema: FIXTURE_SCHEMA, kernel: 'add', property: 'matches-reference', backend: 'dawn', adapter: 'swiftshader', seed: 5, path: '3:0',
  wgsl: 'test/wrong-kernels/add_off_by_one.wgsl',
  draw: encodeDraw({ n: 3, x: Float32Array.of(1, -0, NaN), big: Infinity, rows: [{ k: Uint32Array.of(7) }] }),
  shape: { n: 3 }, inputs: { a: encodeArray(Float32Array.of(1, 2, 3)) }, actual: { c: encodeArray(Float32Array.of(1, 2, 4)) },
  expected: { c: encodeArray(Float64Array.of(1, 2, 3)) }, worst: { buffer: 'c', index: 2 }, message: 'c[2] is 4, expected 3', createdAt: '2026-11-29T00:00:00Z',
};
const fixtureText = JSON.stringify(fixtureValue);
const expectationsText = JSON.stringify([
  { kernel: 'softmax', property: '*', engine: 'chromium', adapter: 'swiftshader', expected: 'error', reason: 'Tint rejects it (bug 1)' },
  { kernel: 'matmul', property: 'matches-reference', engine: 'dawn', expected: 'fail', reason: 'NVIDIA FMA' },
]);
const valid: Record<Reader, string[]> = { results: [resultsText, mergedText], fixture: [fixtureText], expectations: [expectationsText] };

/** Every path into a JSON value, as keys and indices. */
function pathsOf(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}

/** A copy of `v` with the value at `path` replaced (or removed when `to` is undefined). */
function mutate(v: Json, path: (string | number)[], to: Json | undefined): Json {
  if (!path.length) return to ?? null;
  const copy: Json = structuredClone(v);
  let parent = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (to !== undefined) parent[last] = to;
  else if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete parent[last];
  return copy;
}

/** What a field may turn into: wrong types, numbers JSON cannot hold written as strings, a path out of the repo. */
const hostileValue: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom<Json>(null, 'NaN', '1e400', 'Infinity', '-0', '', '../../../etc/passwd', '/etc/passwd.wgsl', '../../x.wgsl', true, [], {}, -1, 0.5, 1e308, -1e308,
    2 ** 53 + 2, { $number: 'NaN' }, { $array: { type: 'f64', base64: 'AAAA' } }, { $array: { type: 'f32', base64: 'AAA' } }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

/** A valid file, mutated at one to three places, then possibly cut short or with its numbers blown up. */
const mutated = (reader: Reader): fc.Arbitrary<string> =>
  fc.constantFrom(...valid[reader]).chain((text) => {
    const v = JSON.parse(text) as Json;
    const paths = pathsOf(v);
    const edit = fc.tuple(fc.nat(paths.length - 1), hostileValue);
    return fc.tuple(fc.array(edit, { minLength: 1, maxLength: 3 }), fc.nat(), fc.constantFrom('as is', 'truncated', '1e400', 'NaN')).map(([edits, cut, how]) => {
      let w = v;
      for (const [i, to] of edits) {
        const p = pathsOf(w)[i % pathsOf(w).length]!;
        w = mutate(w, p, to);
      }
      const s = JSON.stringify(w, null, 1);
      if (how === 'truncated') return s.slice(0, cut % Math.max(1, s.length));
      // Text-level: every number of a field replaced by a literal JSON.parse turns into Infinity, or one it refuses.
      if (how === '1e400') return s.replace(/: -?\d+(\.\d+)?(e[+-]?\d+)?/g, (m) => (cut % 3 === 0 ? ': 1e400' : m));
      if (how === 'NaN') return s.replace(/: -?\d+(\.\d+)?/, ': NaN');
      return s;
    });
  });

describe.each(Object.keys(readers) as Reader[])('the %s reader', (reader) => {
  it('accepts the valid files it is fuzzed from', () => {
    for (const text of valid[reader]) expect(outcome(reader, text)).toBeNull();
  });

  it('gives a value or a one-line error naming the file, on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => void outcome(reader, JSON.stringify(v))), { numRuns: RUNS, seed: 42 });
  });

  it('gives a value or a one-line error naming the file, on mutations of a valid file', () => {
    fc.assert(fc.property(mutated(reader), (text) => void outcome(reader, text)), { numRuns: RUNS, seed: 42 });
  });

  it('names the field: a dropped one is missing, a wrong type says what it got', () => {
    const v = JSON.parse(valid[reader][0]!) as Json;
    const [path, field] = reader === 'results' ? [['results', 0, 'status'], 'results[0].status'] : reader === 'fixture' ? [['seed'], 'seed'] : [[1, 'reason'], '[1].reason'];
    expect(outcome(reader, JSON.stringify(mutate(v, path, undefined)))).toContain(`${field}: missing`);
    expect(outcome(reader, JSON.stringify(mutate(v, path, [])))).toContain(`${field}: expected`);
  });
});

describe('numbers and paths', () => {
  it('1e400 (Infinity once parsed) and "NaN" are refused where a finite number is due, naming the field', () => {
    expect(outcome('results', resultsText.replace(/"seed": \d+/, '"seed": 1e400'))).toMatch(/seed: expected number, got Infinity/);
    expect(outcome('results', resultsText.replace(/"durationMs": [\d.]+/, '"durationMs": "NaN"'))).toMatch(/results\[0\]\.durationMs: expected number, got "NaN"/);
    expect(outcome('fixture', fixtureText.replace('"seed":5', '"seed":1e400'))).toMatch(/: seed: expected number, got Infinity/);
  });

  it('a null error measure is an unbounded one (how the writer stores Infinity), not a malformed file', () => {
    const r = JSON.parse(resultsText) as { results: { maxError?: unknown }[] };
    r.results[0]!.maxError = { abs: null, ulp: null, boundRatio: null };
    const [run] = parseResultsSet(JSON.stringify(r), 'r.json');
    expect(run!.data.results[0]!.maxError).toEqual({ abs: Infinity, ulp: Infinity, boundRatio: Infinity });
  });

  it('a fixture cannot name WGSL outside the folder replay resolves it against, nor a file that is not WGSL', () => {
    for (const wgsl of ['../../../etc/passwd.wgsl', 'kernels/../../x.wgsl', '..\\..\\x.wgsl']) {
      expect(outcome('fixture', JSON.stringify({ ...fixtureValue, wgsl }))).toMatch(/: wgsl: .*climbs out of the folder/);
    }
    expect(outcome('fixture', JSON.stringify({ ...fixtureValue, wgsl: '/etc/passwd' }))).toMatch(/: wgsl: expected a \.wgsl file/);
    // The run's own WGSL outside the repository is saved absolutely (test --wgsl /elsewhere/k.wgsl): replayable.
    expect(outcome('fixture', JSON.stringify({ ...fixtureValue, wgsl: '/tmp/mine/k.wgsl' }))).toBeNull();
  });

  it('a results file cannot link its counterexample outside the project', () => {
    const r = JSON.parse(resultsText) as { results: Record<string, unknown>[] };
    r.results[0]!.counterexample = { fixture: '../../../../home/me/.ssh/id_rsa.json', shrunk: {}, seed: 1, path: '0' };
    expect(outcome('results', JSON.stringify(r))).toMatch(/results\[0\]\.counterexample\.fixture: .*climbs out/);
  });

  it('base64 that is not base64, or not whole 4-byte elements, and $number that is not a non-finite number', () => {
    expect(outcome('fixture', JSON.stringify({ ...fixtureValue, inputs: { a: { type: 'f32', base64: 'AAA*' } } }))).toMatch(/inputs\.a\.base64: not base64/);
    expect(outcome('fixture', JSON.stringify({ ...fixtureValue, inputs: { a: { type: 'f32', base64: 'AAA=' } } }))).toMatch(/inputs\.a\.base64: decodes to 2 bytes/);
    expect(outcome('fixture', JSON.stringify({ ...fixtureValue, draw: { rows: [{ $number: '12' }] } }))).toMatch(/draw\.rows\[0\]\.\$number: expected one of NaN/);
    expect(outcome('fixture', JSON.stringify({ ...fixtureValue, draw: { x: { $array: { type: 'f64', base64: '' } } } }))).toMatch(/draw\.x\.\$array\.type: expected one of f32\|u32\|i32\|f16, got "f64"/);
    expect(outcome('fixture', JSON.stringify({ ...fixtureValue, inputs: { a: { type: 'f16', base64: 'AAAA' } } }))).toMatch(/inputs\.a\.base64: decodes to 3 bytes, not a whole number of 2-byte f16/);
  });
});

describe('the readers leave what they read unchanged', () => {
  it('asCounterexample returns a checked copy and does not touch its argument', () => {
    fc.assert(fc.property(mutated('fixture'), (text) => {
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch {
        return;
      }
      const before = structuredClone(v);
      try {
        asCounterexample(v, 'f.json');
      } catch (e) {
        if (!(e instanceof FileFormatError)) throw e;
      }
      expect(v).toEqual(before);
    }), { numRuns: RUNS / 3, seed: 7 });
  });

  it('checkKernelSpec does not touch the spec (functions and all)', () => {
    const spec = { ...addSpec, buffers: { ...addSpec.buffers } };
    const keys = Object.keys(spec.buffers);
    checkKernelSpec(spec, 'kernels/add.kernel.ts');
    expect(Object.keys(spec.buffers)).toEqual(keys);
    expect(spec.stages).toBe(addSpec.stages);
  });
});

describe('kernel specs as a library exports them', () => {
  const specs = [addSpec, scanSpec] as unknown as Record<string, unknown>[];

  it('accepts the library\'s specs, and fields the vocabulary adds later', () => {
    for (const s of specs) checkKernelSpec(s, 'k.kernel.ts');
    checkKernelSpec({ ...addSpec, requires: { features: ['shader-f16'] }, buffers: { a: { ...addSpec.buffers.a, type: 'f16', notes: 'later' } } }, 'k.kernel.ts');
  });

  it("refuses an element type the harness cannot lay out, naming the buffer's field and the types it can", () => {
    // 'uint32' once got past loading and threw a TypeError inside matches-reference, blamed on the property.
    for (const type of ['uint32', 'vec4<f16>', 'F32']) {
      expect(() => checkKernelSpec({ ...addSpec, buffers: { ...addSpec.buffers, c: { ...addSpec.buffers.c, type } } }, 'kernels/add.kernel.ts'))
        .toThrow(`kernels/add.kernel.ts: does not match a KernelSpec (harness/spec.ts): buffers.c.type: expected one of f32|u32|i32|f16, got ${JSON.stringify(type)}`);
    }
  });

  it('names the field of a malformed spec in one line, for any value put anywhere in it', () => {
    const spot = fc.constantFrom<(string | number)[]>(['name'], ['wgsl'], ['description'], ['buffers'], ['buffers', 'a'], ['buffers', 'a', 'role'],
      ['buffers', 'a', 'type'], ['buffers', 'a', 'length'], ['stages'], ['family'], ['requires']);
    fc.assert(fc.property(fc.constantFrom(...specs), spot, hostileValue, (spec, path, to) => {
      const bad = structuredCloneSpec(spec, path, to);
      try {
        checkKernelSpec(bad, 'kernels/k.kernel.ts');
      } catch (e) {
        if (!(e instanceof FileFormatError)) throw e;
        expect(e.message).toMatch(/^kernels\/k\.kernel\.ts: does not match a KernelSpec \(harness\/spec\.ts\): [^\n]+$/);
      }
    }), { numRuns: RUNS, seed: 3 });
    expect(() => checkKernelSpec({ ...addSpec, wgsl: '../../../etc/passwd.wgsl' }, 'k.kernel.ts')).toThrow(/k\.kernel\.ts: .*wgsl: .*climbs out/);
    expect(() => checkKernelSpec({ ...addSpec, wgsl: '/etc/add.wgsl' }, 'k.kernel.ts')).toThrow(/wgsl: expected a path relative to kernels\//);
    expect(() => checkKernelSpec({ ...addSpec, stages: [] }, 'k.kernel.ts')).toThrow(/stages: expected a function/);
    expect(() => checkKernelSpec({ ...addSpec, buffers: { a: { ...addSpec.buffers.a, role: 'output ' } } }, 'k.kernel.ts'))
      .toThrow(/buffers\.a\.role: expected one of input\|output\|inout\|scratch, got "output "/);
    expect(() => checkKernelSpec(undefined, 'k.kernel.ts')).toThrow(/k\.kernel\.ts: .*top level: missing/);
  });
});

/** A spec copied along `path` only (functions kept), with the value there replaced or removed. */
function structuredCloneSpec(spec: Record<string, unknown>, path: (string | number)[], to: unknown): Record<string, unknown> {
  const [k, ...rest] = path;
  const copy: Record<string, unknown> = { ...spec };
  if (!rest.length) {
    if (to === undefined) delete copy[k!];
    else copy[k!] = to;
  } else {
    const inner = copy[k!];
    copy[k!] = inner && typeof inner === 'object' ? structuredCloneSpec(inner as Record<string, unknown>, rest, to) : inner;
  }
  return copy;
}

describe('inputs that once broke a reader (test/fixtures/hostile/)', () => {
  const cases = readdirSync(HOSTILE).filter((f) => f.endsWith('.json')).sort();
  it('are kept', () => expect(cases.length).toBeGreaterThan(0));
  it.each(cases)('%s', (name) => {
    const c = JSON.parse(readFileSync(join(HOSTILE, name), 'utf8')) as { reader: Reader; why: string; text: string; error: string | null };
    const got = outcome(c.reader, c.text);
    if (c.error === null) expect(got).toBeNull();
    else expect(got).toContain(c.error);
  });
});
