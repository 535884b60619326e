import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadResults } from '../harness/reports/load.ts';
import { mergeResults } from '../harness/reports/merge.ts';
import { applyExpectations } from '../harness/reports/expectations.ts';
import { toJUnit, xmlEscape } from '../harness/reports/junit.ts';
import type { MergedReport } from '../harness/reports/merge.ts';
import { tally, tallyText } from '../harness/reports/status.ts';
import { summary } from '../harness/reports/write.ts';

const fx = (name: string) => join(import.meta.dirname, 'fixtures/results', name);
const file = (name: string) => ({ path: fx(name), data: loadResults(fx(name), { warn: () => {} }) });

/** Elements as a tree, checking that tags nest and that text carries no raw markup characters. */
function parseXml(xml: string) {
  type El = { name: string; attrs: Record<string, string>; children: El[]; text: string };
  const root: El = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const re = /<(\/?)([\w-]+)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(body))) {
    consumed = re.lastIndex;
    const [, close, name, attrText, selfClose, text] = m;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text) || text.includes('>')) throw new Error(`raw markup in text: ${text}`);
      stack.at(-1)!.text += text;
      continue;
    }
    if (close) {
      const top = stack.pop()!;
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([\w-]+)="([^"]*)"/g)) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(a[2]!)) throw new Error(`raw & in attribute ${a[1]}`);
      attrs[a[1]!] = a[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    }
    const el: El = { name: name!, attrs, children: [], text: '' };
    stack.at(-1)!.children.push(el);
    if (!selfClose) stack.push(el);
  }
  if (consumed !== body.length || stack.length !== 1) throw new Error(`not well-formed near ${JSON.stringify(body.slice(consumed, consumed + 40))}`);
  return root.children[0]!;
}

describe('toJUnit', () => {
  const merged = mergeResults([file('machine-a.json'), file('machine-b.json')]);
  const doc = parseXml(toJUnit(merged));
  const suites = doc.children.filter((c) => c.name === 'testsuite');
  const suite = (name: string) => suites.find((s) => s.attrs.name === name)!;
  const outcome = (tc: { children: { name: string }[] }) => tc.children.find((c) => c.name !== 'system-out')?.name ?? 'pass';

  it('a pass says in its system-out what it did not judge: unbounded elements, outputs the reference leaves out', () => {
    const a = file('machine-a.json');
    const pass = a.data.results.find((r) => r.status === 'pass' && r.property === 'matches-reference')!;
    pass.notes = { ...pass.notes, unboundedElements: 2744, 'unbounded y': '2744 of 3584 elements had no finite bound (past π)', notJudged: 'z: not returned by reference(), so not compared' };
    const one = parseXml(toJUnit(mergeResults([a])));
    const cases = one.children.flatMap((su) => su.children).filter((t) => t.name === 'testcase' && t.attrs.classname === pass.kernel && t.attrs.name!.startsWith('matches-reference on '));
    const out = cases.map((t) => t.children.find((c) => c.name === 'system-out')?.text ?? '').find((x) => x.includes('unbounded y'));
    expect(out).toContain('unbounded y: 2744 of 3584 elements had no finite bound (past π)');
    expect(out).toContain('notJudged: z: not returned by reference(), so not compared');
  });

  it('writes one suite per engine column with one testcase per kernel/property', () => {
    expect(suites.map((s) => s.attrs.name)).toEqual(merged.engines.map((e) => e.key));
    expect(suites).toHaveLength(7);
    const dawn = suite('dawn · google swiftshader');
    // The engine in each test's name too (trial 225 C1): a dashboard keying tests on classname and name folds none.
    expect(dawn.children.filter((c) => c.name === 'testcase').map((t) => `${t.attrs.classname}/${t.attrs.name}`)).toEqual([
      'matmul/deterministic', 'matmul/matches-reference', 'softmax/matches-reference', 'softmax/sums-to-one', 'softmax/writes-every-output',
    ].map((t) => `${t} on dawn · google swiftshader`));
    const keys = suites.flatMap((s) => s.children.filter((c) => c.name === 'testcase').map((t) => `${t.attrs.classname}/${t.attrs.name}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('counts failures, errors and skips in every suite and in total', () => {
    let total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const s of suites) {
      const cases = s.children.filter((c) => c.name === 'testcase');
      const n = (k: string) => cases.filter((t) => outcome(t) === k).length;
      expect(Number(s.attrs.tests)).toBe(cases.length);
      expect(Number(s.attrs.failures)).toBe(n('failure'));
      expect(Number(s.attrs.errors)).toBe(n('error'));
      expect(Number(s.attrs.skipped)).toBe(n('skipped'));
      total = { tests: total.tests + cases.length, failures: total.failures + n('failure'), errors: total.errors + n('error'), skipped: total.skipped + n('skipped') };
    }
    // 35 results, and one test per engine that did not start (deno, chromium): an error each, no expectation lists them.
    expect(total).toEqual({ tests: 37, failures: 2, errors: 3, skipped: 11 });
    expect(doc.attrs).toMatchObject({ tests: '37', failures: '2', errors: '3', skipped: '11' });
  });

  it('skips every test of an unavailable engine with the reason, never passes it, and errs once for the engine', () => {
    for (const name of ['deno', 'chromium']) {
      const cases = suite(name).children.filter((c) => c.name === 'testcase');
      const properties = cases.filter((c) => c.attrs.classname !== 'kernelscope.engine');
      expect(properties.length).toBe(5);
      for (const t of properties) {
        expect(outcome(t)).toBe('skipped');
        expect(t.children[0]!.attrs.message).toMatch(/^engine unavailable: /);
      }
      const start = cases.find((c) => c.attrs.classname === 'kernelscope.engine')!;
      expect(start.attrs.name).toBe(`${name} starts`);
      expect(outcome(start)).toBe('error');
      expect(start.children[0]!.text).toMatch(/^The run fails: /);
      expect(start.children[0]!.text).toContain(`engine ${name} did not start`);
    }
    expect(suite('deno').attrs).toMatchObject({ tests: '6', skipped: '5', failures: '0', errors: '1' });
    // Listed as an expected skip, the engine's own test is skipped too, and the file has no error for it.
    const listed = applyExpectations(merged, [{ kernel: '*', property: '*', engine: 'deno', expected: 'skip', reason: 'no Deno here' }]);
    const deno = parseXml(toJUnit(listed)).children.find((s) => s.attrs.name === 'deno')!;
    expect(deno.attrs).toMatchObject({ tests: '6', skipped: '6', errors: '0' });
    // Each says it was expected, with the reason (trial 148 B4: a dashboard could not tell it from a new skip).
    const cell = deno.children.find((c) => c.attrs.classname !== undefined && c.attrs.classname !== 'kernelscope.engine')!;
    expect(cell.children[0]!.attrs.message).toMatch(/^expected skip \(no Deno here\): engine unavailable: /);
  });

  it('reports an error as <error> with its message escaped, never as a pass', () => {
    const t = suite('chromium · google swiftshader').children.find((c) => c.attrs.name === 'writes-every-output on chromium · google swiftshader')!;
    expect(outcome(t)).toBe('error');
    expect(t.children[0]!.attrs.message).toBe(`compile error: <unknown> at line 3 & 'quotes' "here"`);
    expect(t.children[0]!.text).toContain('expected &apos;&gt;&apos; for &apos;array&lt;f32&apos;');
  });

  it('reports a failure with its message and counterexample', () => {
    const t = suite('dawn · nvidia ampere').children.find((c) => c.attrs.classname === 'matmul' && c.attrs.name === 'matches-reference on dawn · nvidia ampere')!;
    expect(outcome(t)).toBe('failure');
    expect(t.children[0]!.attrs.message).toContain('exceeds the bound');
    expect(t.children[0]!.text).toContain('fixtures/counterexamples/matmul-matches-reference-dawn.json');
  });

  // A trial's CI read "minmax/matches-reference fail" of a --wgsl twin with nothing naming the twin's file.
  it('names the WGSL that ran in place of the library kernel\'s', () => {
    const data = structuredClone(file('machine-a.json').data);
    const r = data.results.find((x) => x.kernel === 'matmul' && x.property === 'matches-reference')!;
    r.wgsl = 'twins/matmul_zero_seed.wgsl';
    const xml = toJUnit(mergeResults([{ path: fx('machine-a.json'), data }]));
    expect(xml).toContain('WGSL: twins/matmul_zero_seed.wgsl (--wgsl, in place of the library kernel&apos;s)');
    expect(toJUnit(mergeResults([file('machine-a.json')]))).not.toContain('--wgsl, in place');
  });

  it('reports an expected failure as skipped with the expectation reason', () => {
    const tagged = applyExpectations(merged, [
      { kernel: 'softmax', property: 'matches-reference', engine: 'firefox', expected: 'fail', reason: 'Naga exp is 4 ulp off' },
    ]);
    const d = parseXml(toJUnit(tagged));
    const ff = d.children.find((s) => s.attrs.name!.startsWith('firefox'))!;
    const t = ff.children.find((c) => c.attrs.classname === 'softmax' && c.attrs.name!.startsWith('matches-reference on firefox'))!;
    expect(outcome(t)).toBe('skipped');
    expect(t.children[0]!.attrs.message).toBe('expected failure: Naga exp is 4 ulp off');
    expect(d.attrs).toMatchObject({ failures: '1', skipped: '12' });
  });

  it('escapes every markup character and drops characters XML cannot hold', () => {
    expect(xmlEscape(`a<b>&"c'\u0001\uD800`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;\uFFFD\uFFFD');
    expect(xmlEscape('😀')).toBe('😀');
  });
});

describe('the summaries count as junit.xml does', () => {
  const totals = (xml: string) => {
    const m = /<testsuites name="kernelscope" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/.exec(xml)!;
    return { failures: Number(m[2]), errors: Number(m[3]), skipped: Number(m[4]) };
  };
  const expectFail = [{ kernel: 'softmax', property: 'matches-reference', engine: 'firefox' as const, expected: 'fail' as const, reason: 'Naga exp' }];
  const denoSkip = [{ kernel: '*', property: '*', engine: 'deno' as const, expected: 'skip' as const, reason: 'no Deno here' }];
  const cases: [string, MergedReport][] = [
    ['one run, an engine that did not start', applyExpectations(mergeResults([file('machine-a.json')]), [])],
    ['an expected failure (a trial\'s "2 failed" beside failures="1" skipped="1")', applyExpectations(mergeResults([file('machine-a.json')]), expectFail)],
    ['the engine expected not to start', applyExpectations(mergeResults([file('machine-a.json')]), [...expectFail, ...denoSkip])],
    ['two machines', applyExpectations(mergeResults([file('machine-a.json'), file('machine-b.json')]), [])],
    ['a partial run', applyExpectations(mergeResults([file('partial.json')]), [])],
    ['a missing shard', applyExpectations(mergeResults([file('shard-1.json')]), [])],
  ];
  it.each(cases)('%s', (_, merged) => {
    const t = tally(merged);
    expect({ failures: t.failed, errors: t.errors, skipped: t.skipped }).toEqual(totals(toJUnit(merged)));
    expect(summary(merged, [])).toContain(`: ${tallyText(t)} (as junit.xml counts them).`);
  });

  it('says what the errors and skips are', () => {
    const a = applyExpectations(mergeResults([file('machine-a.json')]), expectFail);
    expect(tallyText(tally(a))).toMatch(/^\d+ tests \(\d+ results, 1 engine start\): \d+ passed, 0 failed, 2 errors \(1 engine that did not start\), \d+ skipped \(1 skipped by the run, 1 expected failure, 5 not run: engine unavailable\)$/);
    const b = applyExpectations(mergeResults([file('machine-a.json')]), [...expectFail, ...denoSkip]);
    expect(tallyText(tally(b))).toMatch(/, 1 error, \d+ skipped \(1 skipped by the run, 1 expected failure, 5 not run: engine unavailable, 1 engine not started, as expectations.json lists\)$/);
  });
});
