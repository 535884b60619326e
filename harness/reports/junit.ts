// JUnit XML for CI dashboards: one suite per engine column, one test per kernel/property. An engine that could not
// start shows every test skipped with its reason (never passed) and one error of its own (the run exits 1), and a
// known failure shows as skipped with the expectation's reason, so the dashboard stays green only for what really
// passed or is understood.
import type { MergedCell, MergedReport } from './merge.ts';
import { displayStatus, verdictLine, verdictOf } from './status.ts';

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry at all. */
export function xmlEscape(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attr = (name: string, value: string | number) => `${name}="${xmlEscape(String(value))}"`;

interface Counts { tests: number; failures: number; errors: number; skipped: number; time: number }

function testcase(cell: MergedCell): { xml: string; kind: 'pass' | 'failure' | 'error' | 'skipped'; time: number } {
  const r = cell.result;
  const time = (r?.durationMs ?? 0) / 1000;
  // The engine in the name as well as the suite: dashboards that key a test on classname and name alone (GitLab's,
  // Jenkins') would fold five engines' results of one property into one (trial 225 C1).
  const open = `    <testcase ${attr('classname', cell.kernel)} ${attr('name', `${cell.property} on ${cell.engine}`)} ${attr('time', time.toFixed(3))}`;
  const detail = details(cell);
  const status = displayStatus(cell);
  const wrap = (inner: string) => `${open}>\n${inner}\n    </testcase>`;
  switch (status) {
    case 'pass':
      return { xml: detail ? wrap(`      <system-out>${xmlEscape(detail)}</system-out>`) : `${open}/>`, kind: 'pass', time };
    case 'fail':
      return { xml: wrap(`      <failure ${attr('message', r?.error ?? 'property failed')} type="PropertyFailed">${xmlEscape(detail)}</failure>`), kind: 'failure', time };
    case 'error':
      return { xml: wrap(`      <error ${attr('message', r?.error ?? 'error')} type="Error">${xmlEscape(detail)}</error>`), kind: 'error', time };
    case 'expected-fail':
      return { xml: wrap(`      <skipped ${attr('message', `expected failure: ${cell.expectation!.reason}`)}>${xmlEscape(`${cell.status}: ${r?.error ?? ''}\n${detail}`.trim())}</skipped>`), kind: 'skipped', time };
    case 'unavailable':
      return { xml: wrap(`      <skipped ${attr('message', `${expectedSkip(cell)}engine unavailable: ${cell.reason ?? 'no reason given'}`)}/>`), kind: 'skipped', time };
    case 'skip':
      // A combined cell says its runs (and their codes) under the skip: a pass of another run is there, not hidden.
      return { xml: wrap(`      <skipped ${attr('message', `${expectedSkip(cell)}${r?.error ?? 'skipped'}${cell.mixedCode ? ' (mixed code: another run of this cell ran different code)' : ''}`)}${cell.from ? `>${xmlEscape(detail)}</skipped>` : '/>'}`), kind: 'skipped', time };
  }
}

/** A skip that expectations.json lists, said as one with its reason, as the HTML says it: a dashboard reading JUnit
 *  tells a planned engine gap from a new one (trial 148 B4). */
const expectedSkip = (cell: MergedCell) => (cell.expectation?.expected === 'skip' && cell.expectation.matched ? `expected skip (${cell.expectation.reason}): ` : '');

function details(cell: MergedCell): string {
  const r = cell.result;
  if (!r) return '';
  const lines: string[] = [];
  if (r.wgsl) lines.push(`WGSL: ${r.wgsl} (--wgsl, in place of the library kernel's)`);
  if (r.maxError) lines.push(`max error: abs ${r.maxError.abs}, ${r.maxError.ulp} ulp, ${r.maxError.boundRatio} of the bound`);
  if (r.counterexample) lines.push(`counterexample: ${r.counterexample.fixture} (seed ${r.counterexample.seed}, path ${r.counterexample.path})`);
  // What a pass did not judge, as the terminal says it: a CI dashboard shows junit.xml alone (a trial's RoPE passed with
  // 77 % of its elements unbounded, which only the terminal and results.json said).
  for (const [k, v] of Object.entries(r.notes ?? {})) if (k.startsWith('unbounded ') || k.startsWith('NaN reference ') || k === 'notJudged') lines.push(`${k}: ${v}`);
  if (r.detail) lines.push(r.detail);
  if (cell.mixedCode) lines.push(`mixed code: its runs ran different code under this kernel's name: ${cell.mixedCode.join(' against ')}`);
  if (cell.from) {
    // A combined cell: its figures are the worst of its runs', its cases their sum; each run is named.
    lines.push(`runs: ${r.runs}, from ${cell.from.length} runs:`, ...cell.from.map((f) => `  ${f.source} (seed ${f.seed}${f.result.wgsl ? `, --wgsl ${f.result.wgsl}` : ''}): ` +
      `${f.status}, ${f.result.runs} cases${f.result.maxError ? `, ${f.result.maxError.boundRatio} of the bound` : ''}`));
  } else lines.push(`runs: ${r.runs}, from ${cell.source} (seed ${cell.seed})`);
  return lines.join('\n');
}

export function toJUnit(merged: MergedReport): string {
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  const suites: string[] = [];
  const verdict = verdictOf(merged);
  for (const engine of merged.engines) {
    const cells = merged.cells.filter((c) => c.engine === engine.key);
    const c: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
    const cases = cells.map((cell) => {
      const t = testcase(cell);
      c.tests++;
      c.time += t.time;
      if (t.kind === 'failure') c.failures++;
      else if (t.kind === 'error') c.errors++;
      else if (t.kind === 'skipped') c.skipped++;
      return t.xml;
    });
    // An engine that was asked for and did not start fails the run (unless expected): one test says so, so the
    // dashboard agrees with the exit status; its properties stay skipped, since none of them ran.
    if (engine.status === 'unavailable') {
      const problem = verdict.unavailable.find((u) => u.engine === engine.key);
      const open = `    <testcase ${attr('classname', 'kernelscope.engine')} ${attr('name', `${engine.key} starts`)} time="0.000">`;
      c.tests++;
      if (problem) c.errors++;
      else c.skipped++;
      cases.push(problem
        ? `${open}\n      <error ${attr('message', `engine unavailable: ${problem.reason}`)} type="EngineUnavailable">${xmlEscape(verdictLine(verdict))}</error>\n    </testcase>`
        : `${open}\n      <skipped ${attr('message', `engine unavailable, as expectations.json lists: ${engine.reasons[0]?.reason ?? ''}`)}/>\n    </testcase>`);
    }
    for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += c[k];
    const props = [
      ['backend', engine.backend], ['adapter', engine.adapterLabel], ['status', engine.status],
      ...engine.reasons.map((r) => ['unavailable', `${r.reason} (${r.source})`]),
      ...engine.seen.map((s) => ['source', `${s.source}${s.info.version ? ` (version ${s.info.version})` : ''}`]),
    ];
    suites.push([
      `  <testsuite ${attr('name', engine.key)} ${attr('tests', c.tests)} ${attr('failures', c.failures)} ${attr('errors', c.errors)} ` +
        `${attr('skipped', c.skipped)} ${attr('time', c.time.toFixed(3))}>`,
      `    <properties>\n${props.map(([n, v]) => `      <property ${attr('name', n!)} ${attr('value', v!)}/>`).join('\n')}\n    </properties>`,
      ...cases,
      '  </testsuite>',
    ].join('\n'));
  }
  // What fails the run as a whole (verdictOf): a run that computed nothing, one that did not finish, a missing shard.
  // One erroring test each, so that no dashboard shows green what the exit status fails.
  const runCases = [
    ...(verdict.nothingComputed ? [['computes something', verdict.skipped.count || verdict.expectedSkips ? 'nothing was judged: every result skipped' : 'nothing was computed: no result', 'NothingComputed']] : []),
    ...verdict.incomplete.map((r) => [`${r} finished`, `the run did not finish (complete: false): ${r}`, 'IncompleteRun']),
    ...verdict.missingShards.map((m) => [`${m} is present`, `missing: ${m}`, 'MissingShard']),
    ...verdict.partialCode.map((k) => [`${k.split(':')[0]} ran one code`, `different code, none run on every result: ${k}`, 'PartialCode']),
  ];
  if (runCases.length) {
    total.tests += runCases.length;
    total.errors += runCases.length;
    suites.push([
      `  <testsuite name="run" ${attr('tests', runCases.length)} failures="0" ${attr('errors', runCases.length)} skipped="0" time="0.000">`,
      ...runCases.map(([name, message, type]) => `    <testcase ${attr('classname', 'kernelscope.run')} ${attr('name', name!)} time="0.000">\n` +
        `      <error ${attr('message', message!)} ${attr('type', type!)}>${xmlEscape(verdictLine(verdict))}</error>\n    </testcase>`),
      '  </testsuite>',
    ].join('\n'));
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="kernelscope" ${attr('tests', total.tests)} ${attr('failures', total.failures)} ${attr('errors', total.errors)} ` +
      `${attr('skipped', total.skipped)} ${attr('time', total.time.toFixed(3))}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
