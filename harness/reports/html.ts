// The conformance report as one HTML file that opens from disk with no network: its data, CSS and script (the
// client below, bundled with the parts of d3 it uses by esbuild) are all inline. Sections that need no drawing
// (adapters, divergences, provenance) are plain HTML written here, so they read even with scripts off.
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { MergedReport } from './merge.ts';
import { entryText, staleByEntry } from './expectations.ts';
import { DISPLAY_STATUSES, tally, verdictLine, verdictOf, type DisplayStatus } from './status.ts';
import { toView, type FixtureHref } from './view.ts';
import { COMPILER_OF, compareHref, VIEW_PORT } from './crossengine.ts';
import { jsonText } from '../run/json-text.ts';

export interface HtmlOptions {
  /** Turns a counterexample's fixture path into a link relative to where the page is written. */
  fixtureHref?: FixtureHref;
  title?: string;
}

let bundled: string | undefined;

/** The page script: bundled once per process (about 0.1 s), d3 tree-shaken to what the client imports. */
export function clientBundle(): string {
  if (bundled === undefined) {
    const out = buildSync({
      entryPoints: [fileURLToPath(new URL('./client/report.ts', import.meta.url))],
      bundle: true, format: 'iife', platform: 'browser', target: 'es2020', minify: true, write: false, legalComments: 'none',
    });
    bundled = out.outputFiles[0]!.text;
  }
  return bundled;
}

const esc = (s: string | number) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Inline <script> content must not contain "</script" (nor "<!--"): both are written so the parser cannot see them. */
const scriptSafe = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

const LABEL: Record<DisplayStatus, string> = {
  pass: 'pass', fail: 'fail', error: 'error', skip: 'skip', 'expected-fail': 'expected failure', unavailable: 'engine unavailable',
};

export function toHtml(merged: MergedReport, opts: HtmlOptions = {}): string {
  const view = toView(merged, opts.fixtureHref);
  const verdict = verdictOf(merged);
  const title = opts.title ?? 'kernelscope conformance report';
  const data = JSON.stringify(view).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <h1>${esc(title)}</h1>
  <p class="sub">${esc(merged.runs.length)} run${merged.runs.length === 1 ? '' : 's'} · ${esc(merged.engines.length)} engine column${merged.engines.length === 1 ? '' : 's'} ·
  ${esc(merged.rows.length)} kernel/property pairs · generated ${esc(merged.generatedAt)}</p>
  <p id="verdict" class="verdict" data-verdict="${verdict.exitCode ? 'fail' : 'pass'}">${esc(verdictLine(verdict))}</p>
  ${merged.warnings.length ? `<ul class="warnings" id="warnings">${merged.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
</header>
<main>
<section id="summary-section">
  ${tiles(merged, view.counts)}
</section>
<section>
  <h2>Matrix</h2>
  <p class="help">Rows are kernel / property, columns an engine on one adapter. The number in a cell is the largest error as a
  fraction of the allowed bound. Click a cell for details; click a legend entry to dim a status.</p>
  <div id="legend" class="legend">${DISPLAY_STATUSES.map((s) => `<button type="button" data-status="${s}" aria-pressed="true"><i class="swatch s-${s}"></i>${esc(LABEL[s])}</button>`).join('')}</div>
  <div class="matrix-wrap"><div id="matrix"></div><aside id="detail" class="empty">Click a cell to see its result.</aside></div>
</section>
<section>
  <h2>Error margin</h2>
  <p class="help">Largest error seen ÷ the bound derived from WGSL's accuracy rules, per engine. Right of the line at 1 the bound
  was broken; hollow dots at the left edge were exact.</p>
  <div id="margin-chart"></div>
</section>
${adaptersSection(merged)}
${crossEngineSection(merged)}
${counterexamplesSection(merged, view.cells)}
${expectationsSection(merged)}
${provenanceSection(merged)}
</main>
<script type="application/json" id="report-data">${data}</script>
<script>${scriptSafe(clientBundle())}</script>
</body>
</html>
`;
}

/**
 * The tiles count what junit.xml counts (tally): errors include an engine that did not start and what fails the run as
 * a whole, skipped the expected failures and the results of engines that did not start, each shown as a sub-count. A
 * trial's tiles said error=0 results=38 beside JUnit's errors="1" tests="39". The matrix's own statuses are the
 * sub-counts that carry a status's name (data-count="skip", "expected-fail", "unavailable", "error-results").
 */
function tiles(merged: MergedReport, cells: Record<DisplayStatus, number>): string {
  const t = tally(merged);
  // A part that is zero is left out: "0 expected failures, 0 not run" under every skipped tile read as noise.
  const sub = (key: string, n: number, label: string) => (n ? `<li><span data-count="${key}">${n}</span> ${esc(label)}</li>` : '');
  const tile = (status: string, key: string, n: number, label: string, subs: string[] = []) =>
    `<div class="count s-${status}"><span data-count="${key}">${n}</span><label>${esc(label)}</label>${subs.join('') ? `<ul class="sub">${subs.join('')}</ul>` : ''}</div>`;
  const engineTests = t.engineErrors + t.expectedEngines;
  return `<div id="summary" class="summary" data-total="${t.tests}">
    ${tile('pass', 'pass', t.passed, 'passed')}
    ${tile('fail', 'fail', t.failed, 'failed')}
    ${tile('error', 'error', t.errors, 'errors', t.errors === cells.error ? [] : [
      sub('error-results', cells.error, 'results'), ...(t.engineErrors ? [sub('engine-errors', t.engineErrors, t.engineErrors === 1 ? 'engine that did not start' : 'engines that did not start')] : []),
      ...(t.runErrors ? [sub('run-errors', t.runErrors, 'about the run as a whole')] : [])])}
    ${tile('skip', 'skipped', t.skipped, 'skipped', [sub('skip', cells.skip, 'skipped by the run'), sub('expected-fail', cells['expected-fail'], 'expected failures'),
      sub('unavailable', cells.unavailable, 'not run: engine unavailable'), ...(t.expectedEngines ? [sub('expected-engines', t.expectedEngines, 'engines not started, as expectations.json lists')] : [])])}
    <div class="count total"><span data-count="total">${t.tests}</span><label>tests, as junit.xml counts them</label>${t.tests === t.results ? '' : `<ul class="sub">${
      sub('results', t.results, 'results')}${sub('engine-tests', engineTests, engineTests === 1 ? 'engine start' : 'engine starts')}${
      sub('run-tests', t.runErrors, t.runErrors === 1 ? 'check of the run as a whole' : 'checks of the run as a whole')}</ul>`}</div>
  </div>`;
}

function adaptersSection(merged: MergedReport): string {
  const cols = merged.engines;
  // Per column, each fact's value(s): one column may have been seen on several machines.
  const values = (get: (info: MergedReport['engines'][number]['seen'][number]['info']) => string | undefined) =>
    cols.map((c) => [...new Set(c.seen.filter((s) => s.info.status === 'ok').map((s) => get(s.info) ?? '—'))].join(' | '));
  const rows: { group: string; name: string; cells: string[] }[] = [];
  const add = (group: string, name: string, cells: string[]) => rows.push({ group, name, cells });
  add('engine', 'status', cols.map((c) => c.status === 'ok' ? 'ok' : `unavailable: ${c.reasons.map((r) => r.reason).join('; ')}`));
  add('engine', 'compiler', cols.map((c) => COMPILER_OF[c.backend] ?? ''));
  add('engine', 'version', values((i) => i.version));
  add('engine', 'fallback', values((i) => i.fallback));
  for (const k of ['vendor', 'architecture', 'device', 'description'] as const) add('adapter', k, values((i) => i.adapter?.[k] || undefined));
  const limitNames = [...new Set(cols.flatMap((c) => c.seen.flatMap((s) => Object.keys(s.info.limits ?? {}))))].sort();
  for (const n of limitNames) add('limits', n, values((i) => (i.limits ? String(i.limits[n] ?? '—') : undefined)));
  const features = [...new Set(cols.flatMap((c) => c.seen.flatMap((s) => s.info.features ?? [])))].sort();
  for (const f of features) add('features', f, values((i) => (i.features ? (i.features.includes(f) ? '✓' : '—') : undefined)));

  const available = cols.map((c) => c.status === 'ok');
  const differs = (cells: string[]) => new Set(cells.filter((_, i) => available[i]).map((v) => v || '—')).size > 1;
  let group = '';
  const body = rows.map((r) => {
    const d = r.group !== 'engine' && differs(r.cells);
    const head = r.group !== group ? `<tr class="group"><th colspan="${cols.length + 1}">${esc(r.group)}</th></tr>` : '';
    group = r.group;
    return `${head}<tr class="${d ? 'differs' : 'same'}" data-fact="${esc(r.group)}.${esc(r.name)}"><th>${esc(r.name)}</th>${r.cells.map((v, i) =>
      `<td class="${available[i] ? '' : 'na'}">${esc(v)}</td>`).join('')}</tr>`;
  }).join('\n');
  const nDiff = rows.filter((r) => r.group !== 'engine' && differs(r.cells)).length;
  return `<section>
  <h2>Adapters</h2>
  <p class="help">${nDiff} limit${nDiff === 1 ? '' : 's'}, feature${nDiff === 1 ? '' : 's'} or adapter fields differ between the available engines (highlighted).
  <label><input type="checkbox" id="only-differences"> show only what differs</label></p>
  <div class="scroll"><table id="adapters" class="adapters"><thead><tr><th></th>${cols.map((c) =>
    `<th class="${c.status}"><div class="backend">${esc(c.backend)}</div><div class="adapter">${esc(c.adapterLabel)}</div></th>`).join('')}</tr></thead>
  <tbody>${body}</tbody></table></div>
</section>`;
}

function crossEngineSection(merged: MergedReport): string {
  const list = merged.crossEngine;
  const divergent = list.filter((c) => c.divergent.length);
  const rows = list.map((c) => {
    const kinds = Object.entries(c.counts).filter(([, n]) => n).map(([k, n]) =>
      `<span class="kind k-${k}">${esc(k === 'tint-vs-naga' ? 'Tint vs Naga' : k === 'tint-vs-naga-vs-interpreter' ? 'Tint vs Naga vs interpreter' : k)}: ${n}</span>`).join(' ');
    const cases = c.divergent.slice(0, 8).map((d) => `<li>case ${d.index} <span class="kind k-${d.kind}">${esc(d.kind)}</span>: ${d.groups.map((g) =>
      `<code>${esc(g.hash.slice(0, 10))}</code> ${esc(g.engines.map((e, i) => g.maxUlp?.[i] != null ? `${e} (${Number.isFinite(g.maxUlp[i]) ? g.maxUlp[i] : '∞'} ulp)` : e).join(', '))}`).join(' ≠ ')}
      <a class="compare" href="${esc(compareHref(c, d))}" title="in npx kernelscope view (port ${VIEW_PORT}): runs the case again on both engines">side by side</a></li>`).join('');
    const more = c.divergent.length > 8 ? `<li>… and ${c.divergent.length - 8} more cases</li>` : '';
    return `<tr class="${c.divergent.length ? 'diverges' : 'agrees'}" data-kernel="${esc(c.kernel)}" data-property="${esc(c.property)}">
      <td>${esc(c.kernel)} / ${esc(c.property)}</td><td>${c.seed}</td><td>${esc(c.engines.map((e) => (c.partial?.[e] !== undefined ? `${e} (${c.partial[e]} of them)` : e)).join(', '))}</td>
      <td class="num">${c.identical} / ${c.compared}</td><td>${kinds || 'bit-identical'}${cases ? `<details><summary>cases</summary><ul>${cases}${more}</ul></details>` : ''}</td></tr>`;
  }).join('\n');
  return `<section>
  <h2>Cross-engine agreement</h2>
  <p class="help">The same cases (same seed) on every engine, compared bit for bit by output hash. Tint compiles WGSL in dawn and
  chromium, Naga in firefox and deno; a split exactly along that line is flagged.</p>
  ${list.length ? `<p id="divergence-summary">${divergent.length} of ${list.length} compared kernel/property pairs diverge.</p>
  <ul class="divergences">${divergent.map((c) => `<li>${esc(c.summary)}</li>`).join('')}</ul>
  <div class="scroll"><table class="cross"><thead><tr><th>kernel / property</th><th>seed</th><th>engines</th><th>identical</th><th>divergences</th></tr></thead>
  <tbody>${rows}</tbody></table></div>` : '<p class="note">No two engines recorded case hashes for the same seed.</p>'}
</section>`;
}

function counterexamplesSection(merged: MergedReport, cells: ReturnType<typeof toView>['cells']): string {
  const withFixture = cells.filter((c) => c.fixtureHref);
  if (!withFixture.length) return '';
  const shrunkOf = new Map(merged.cells.filter((c) => c.result?.counterexample).map((c) =>
    [`${c.kernel}\u0000${c.property}\u0000${c.engine}`, c.result!.counterexample!]));
  return `<section>
  <h2>Counterexamples</h2>
  <table class="cx"><thead><tr><th>kernel / property</th><th>engine</th><th>fixture</th><th>shrunk input</th></tr></thead><tbody>
  ${withFixture.map((c) => {
    const cx = shrunkOf.get(`${c.kernel}\u0000${c.property}\u0000${c.engine}`);
    const shrunk = jsonText(cx?.shrunk ?? null);
    return `<tr><td>${esc(c.kernel)} / ${esc(c.property)}</td><td>${esc(c.engine)}</td><td><a class="fixture" href="${esc(c.fixtureHref!)}">${esc(c.fixture!)}</a>
      <div class="note">seed ${esc(cx?.seed ?? c.seed)}, path ${esc(cx?.path ?? '')}</div></td><td><code>${esc(shrunk.length > 200 ? `${shrunk.slice(0, 200)}…` : shrunk)}</code></td></tr>`;
  }).join('\n')}
  </tbody></table>
</section>`;
}

function expectationsSection(merged: MergedReport): string {
  const expected = merged.cells.filter((c) => c.expectation);
  const stale = merged.staleExpectations ?? [];
  const unused = merged.unusedExpectations ?? [];
  const unexercised = merged.unexercisedExpectations ?? [];
  if (!expected.length && !stale.length && !unused.length && !unexercised.length) return '';
  return `<section id="expectations">
  <h2>Expectations</h2>
  ${expected.length ? `<ul>${expected.map((c) => `<li>${esc(c.kernel)} / ${esc(c.property)} on ${esc(c.engine)}: expected ${esc(c.expectation!.expected)},
    got ${esc(c.status)}${c.expectation!.matched ? '' : ' <strong>(not what was expected)</strong>'}: ${esc(c.expectation!.reason)}</li>`).join('')}</ul>` : ''}
  ${stale.length ? `<h3>Stale entries of expectations.json (results they cover pass now: remove or narrow them)</h3><ul id="stale">${staleByEntry(stale).map((g) =>
    `<li>entry ${esc(entryText(g.entry))}, expected ${esc(g.expected)} (${esc(g.reason)}): ${g.passing.length} of the ${g.covered} results it covers pass:
    ${g.passing.map((p) => `${esc(p.kernel)} / ${esc(p.property)} on ${esc(p.cellEngine)}`).join(', ')}</li>`).join('')}</ul>` : ''}
  ${unused.length ? `<h3>Entries of expectations.json that matched no result in these runs</h3><ul>${unused.map((u) =>
    `<li>entry ${esc(entryText(u.entry))}: ${esc(u.reason)}</li>`).join('')}</ul>` : ''}
  ${unexercised.length ? `<h3>Entries of expectations.json whose every result was skipped (the known failure was not run)</h3><ul id="unexercised">${unexercised.map((u) =>
    `<li>entry ${esc(entryText(u.entry))}, expected ${esc(u.expected)}: ${u.covered} result${u.covered === 1 ? '' : 's'} skipped: ${esc(u.reason)}</li>`).join('')}</ul>` : ''}
</section>`;
}

function provenanceSection(merged: MergedReport): string {
  return `<section>
  <h2>Provenance</h2>
  <div class="scroll"><table id="provenance" class="runs"><thead><tr><th>file</th><th>host</th><th>seed</th><th>runs</th><th>started</th>
  <th>finished</th><th>shard</th><th>engines</th><th>command</th></tr></thead><tbody>
  ${merged.runs.map((r) => `<tr class="${r.complete ? 'complete' : 'partial'}"><td><code>${esc(r.path)}</code>${r.complete ? '' : ' <span class="badge partial">partial</span>'}</td>
    <td>${esc(r.host ?? '—')}${r.platform ? `<div class="note">${esc(r.platform)}, node ${esc(r.node ?? '?')}${r.kernelscope ? `, kernelscope ${esc(r.kernelscope)}` : ''}</div>` : ''}</td>
    <td class="num">${r.seed}</td><td class="num">${r.runs}</td><td>${esc(r.startedAt)}</td><td>${esc(r.finishedAt ?? 'did not finish')}</td>
    <td>${esc(r.shard ?? '—')}</td><td>${esc(r.engines.join(', '))}</td><td><code>${esc((r.argv ?? []).join(' '))}</code></td></tr>`).join('\n')}
  </tbody></table></div>
</section>`;
}

const CSS = `
:root { --pass:#2f9e5f; --fail:#d9463e; --error:#8a3fb8; --skip:#aab2bb; --xfail:#e8a33d; --na:#eceff2; --ink:#1f2429; --muted:#66707a; --line:#dde2e7; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f7f8fa; }
header { padding: 18px 28px 10px; background: white; border-bottom: 1px solid var(--line); }
h1 { margin: 0; font-size: 20px; }
h2 { font-size: 16px; margin: 0 0 6px; }
h3 { font-size: 14px; margin: 10px 0 4px; }
.sub, .help, .note { color: var(--muted); }
.help { margin: 0 0 10px; max-width: 900px; }
.note { font-size: 12px; }
.verdict { margin: 6px 0 0; font-weight: 600; color: var(--pass); } .verdict[data-verdict="fail"] { color: var(--fail); }
main { padding: 14px 28px 40px; display: grid; gap: 16px; }
section { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; overflow: hidden; }
.warnings { margin: 8px 0 0; padding: 6px 10px 6px 28px; background: #fff6e0; border: 1px solid #f0d48a; border-radius: 6px; }
.summary { display: flex; gap: 10px; flex-wrap: wrap; }
.count { min-width: 110px; padding: 8px 12px; border-radius: 6px; border-left: 6px solid var(--c, #999); background: #f3f5f7; }
.count span { display: block; font-size: 22px; font-weight: 650; }
.count label { color: var(--muted); font-size: 12px; }
.count ul.sub { margin: 4px 0 0; padding: 0; list-style: none; font-size: 12px; color: var(--muted); }
.count ul.sub span { display: inline; font-size: 12px; font-weight: 650; color: var(--ink); }
.s-pass { --c: var(--pass); } .s-fail { --c: var(--fail); } .s-error { --c: var(--error); } .s-skip { --c: var(--skip); }
.s-expected-fail { --c: var(--xfail); } .s-unavailable { --c: #c3c9cf; } .count.total { --c: var(--ink); }
.legend { display: flex; gap: 6px; flex-wrap: wrap; margin-bottom: 10px; }
.legend button { display: inline-flex; align-items: center; gap: 6px; border: 1px solid var(--line); background: white; border-radius: 14px; padding: 3px 10px; font: inherit; font-size: 12px; cursor: pointer; }
.legend button[aria-pressed="false"] { opacity: .45; text-decoration: line-through; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; background: var(--c); }
.swatch.s-unavailable, td.cell.s-unavailable { background: repeating-linear-gradient(135deg, var(--na) 0 4px, #d7dce1 4px 6px); }
.matrix-wrap { display: flex; gap: 16px; align-items: flex-start; }
#matrix { overflow-x: auto; }
table { border-collapse: collapse; }
table.matrix th, table.matrix td { border: 1px solid white; }
table.matrix thead th { vertical-align: bottom; padding: 4px 6px; font-weight: 600; font-size: 12px; }
table.matrix th.engine { min-width: 92px; max-width: 130px; text-align: center; }
th.engine .adapter, .adapters .adapter { font-weight: 400; color: var(--muted); font-size: 11px; white-space: normal; overflow-wrap: anywhere; }
th.engine.unavailable .backend { color: var(--muted); }
table.matrix th.corner { text-align: left; color: var(--muted); }
table.matrix th.kernel { text-align: left; vertical-align: top; padding: 6px 10px 6px 0; font-weight: 650; }
table.matrix th.property { text-align: left; font-weight: 400; padding: 0 10px 0 0; white-space: nowrap; }
table.matrix tr.first-of-kernel > * { border-top: 2px solid var(--line); }
td.cell { width: 92px; height: 30px; text-align: center; color: white; cursor: pointer; background: var(--c); border-radius: 3px; }
td.cell.empty { background: #fafbfc; cursor: default; }
td.cell.s-skip, td.cell.s-unavailable { color: #4d5660; }
td.cell .glyph { font-weight: 700; margin-right: 4px; }
td.cell .mixed { font-weight: 700; margin-right: 4px; }
td.cell .ratio { font-size: 11px; opacity: .9; font-variant-numeric: tabular-nums; }
td.cell.dimmed { opacity: .12; }
td.cell:focus { outline: 2px solid var(--ink); outline-offset: -2px; }
table.matrix tfoot th, table.matrix tfoot td { font-size: 12px; color: var(--muted); text-align: center; padding-top: 6px; font-weight: 400; }
#detail { flex: 0 0 300px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; font-size: 13px; background: #fbfcfd; }
#detail.empty { color: var(--muted); }
#detail h3 { margin: 0; } .detail-engine { color: var(--muted); margin-bottom: 6px; }
#detail dl { display: grid; grid-template-columns: auto 1fr; gap: 3px 10px; margin: 0; }
#detail dt { color: var(--muted); } #detail dd { margin: 0; overflow-wrap: anywhere; }
svg { max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
.band { fill: #f6f8fa; } .band.odd { fill: white; }
.bound line { stroke: var(--fail); stroke-width: 1.5; stroke-dasharray: 4 3; } .bound text { fill: var(--fail); font-weight: 600; }
.axis-label { fill: var(--muted); }
.axis text { font-size: 12px; font-family: system-ui, sans-serif; }
.dot { stroke-width: 1.5; }
.chart-legend { display: flex; flex-wrap: wrap; gap: 12px; font-size: 12px; margin-top: 6px; }
.chart-legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px; }
.scroll { overflow-x: auto; }
.adapters th, .adapters td, .cross th, .cross td, .runs th, .runs td, .cx th, .cx td { border-bottom: 1px solid var(--line); padding: 3px 10px; text-align: left; font-size: 12px; vertical-align: top; }
.adapters tbody th { font-weight: 400; font-family: ui-monospace, monospace; }
.adapters tr.group th { background: #f3f5f7; font-weight: 650; font-family: inherit; }
.adapters tr.differs td, .adapters tr.differs th { background: #fff3c4; }
.adapters td.na { color: #b3bac1; }
.adapters.only-diff tr.same { display: none; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.kind { display: inline-block; padding: 0 6px; border-radius: 8px; background: #eef1f4; font-size: 11px; }
.kind.k-tint-vs-naga, .kind.k-tint-vs-naga-vs-interpreter { background: #ffe1dc; color: #9b2a1e; font-weight: 650; }
tr.diverges td:first-child { font-weight: 650; }
.badge.partial { background: #fff0c2; color: #7a5b00; border-radius: 8px; padding: 0 6px; font-size: 11px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
details summary { cursor: pointer; color: var(--muted); font-size: 12px; }
`;
