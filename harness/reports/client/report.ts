// The report page's own code: draws the status matrix and the error-margin chart from the JSON embedded in the page.
// Runs from a file:// URL with no network: esbuild bundles it with the parts of d3 it uses into the page itself.
import { select, scaleLog, scaleBand, scaleOrdinal, axisBottom, axisLeft, schemeTableau10, format } from 'd3';
import type { ReportView, ViewCell } from '../view.ts';
import { DISPLAY_STATUSES, type DisplayStatus } from '../status.ts';

const GLYPH: Record<DisplayStatus, string> = {
  pass: '✓', fail: '✗', error: '!', skip: '–', 'expected-fail': '✗', unavailable: '∅',
};

const view = JSON.parse(document.getElementById('report-data')!.textContent!) as ReportView;
const cellOf = new Map(view.cells.map((c) => [`${c.kernel}\u0000${c.property}\u0000${c.engine}`, c]));
const fmt = format('.2~g');
/** null is an unbounded error (NaN or infinity in the output). */
const ratioFormat = (r: number | null) => (r === null ? '∞' : fmt(r));

drawMatrix();
drawMarginChart();
wireLegend();
wireAdapterToggle();

function drawMatrix() {
  const table = select('#matrix').append('table').attr('class', 'matrix');
  const head = table.append('thead').append('tr');
  head.append('th').attr('class', 'corner').text('kernel');
  head.append('th').attr('class', 'corner').text('property');
  const eh = head.selectAll('th.engine').data(view.engines).join('th')
    .attr('class', (e) => `engine ${e.status}`)
    .attr('data-engine', (e) => e.key)
    .attr('title', (e) => e.key);
  eh.append('div').attr('class', 'backend').text((e) => e.backend);
  eh.append('div').attr('class', 'adapter').text((e) => e.adapterLabel || (e.status === 'unavailable' ? 'unavailable' : ''));

  const body = table.append('tbody');
  const rows = body.selectAll('tr').data(view.rows).join('tr')
    .attr('class', (r, i) => (i === 0 || view.rows[i - 1]!.kernel !== r.kernel ? 'first-of-kernel' : ''));
  rows.each(function (r, i) {
    const tr = select(this);
    if (i === 0 || view.rows[i - 1]!.kernel !== r.kernel) {
      const span = view.rows.filter((x) => x.kernel === r.kernel).length;
      tr.append('th').attr('class', 'kernel').attr('rowspan', span).attr('scope', 'rowgroup').text(r.kernel);
    }
    tr.append('th').attr('class', 'property').attr('scope', 'row').text(r.property);
  });
  rows.selectAll('td')
    .data((r) => view.engines.map((e) => cellOf.get(`${r.kernel}\u0000${r.property}\u0000${e.key}`) ?? null))
    .join('td')
    .attr('class', (c) => (c ? `cell s-${c.status}` : 'cell empty'))
    .attr('data-status', (c) => c?.status ?? null)
    .attr('data-kernel', (c) => c?.kernel ?? null)
    .attr('data-property', (c) => c?.property ?? null)
    .attr('data-engine', (c) => c?.engine ?? null)
    .attr('tabindex', (c) => (c ? 0 : null))
    .attr('title', (c) => (c ? tooltip(c) : 'not run'))
    .classed('mixed-code', (c) => !!c?.mixedCode)
    .html((c) => (c ? `<span class="glyph">${GLYPH[c.status]}</span>${c.mixedCode ? '<span class="mixed" title="its runs ran different code">≠</span>' : ''}${c.boundRatio !== undefined ? `<span class="ratio">${ratioFormat(c.boundRatio)}</span>` : ''}` : ''))
    .on('click', (_event, c) => c && showDetail(c))
    .on('keydown', (event: KeyboardEvent, c) => { if (c && (event.key === 'Enter' || event.key === ' ')) showDetail(c); });

  // Per engine: passed out of run, under the column.
  const foot = table.append('tfoot').append('tr');
  foot.append('th').attr('colspan', 2).text('passed / run');
  foot.selectAll('td').data(view.engines).join('td').text((e) => {
    const cs = view.cells.filter((c) => c.engine === e.key);
    const ran = cs.filter((c) => c.status !== 'skip' && c.status !== 'unavailable').length;
    return e.status === 'unavailable' ? 'n/a' : `${cs.filter((c) => c.status === 'pass').length} / ${ran}`;
  });
}

function tooltip(c: ViewCell): string {
  const lines = [`${c.kernel} / ${c.property}${c.wgsl ? ` (WGSL: ${c.wgsl})` : ''}`, c.engine, c.status];
  if (c.mixedCode) lines.push(`mixed code: ${c.mixedCode.join(' against ')}`);
  if (c.boundRatio !== undefined) lines.push(`error: ${ratioFormat(c.boundRatio)} of the bound (${c.ulp ?? '∞'} ulp)`);
  if (c.message) lines.push(c.message);
  if (c.expectation) lines.push(c.expectation);
  return lines.join('\n');
}

function showDetail(c: ViewCell) {
  const pane = select('#detail').classed('empty', false).html('');
  pane.append('h3').text(`${c.kernel} / ${c.property}`);
  pane.append('div').attr('class', 'detail-engine').text(c.engine);
  const dl = pane.append('dl');
  const row = (k: string, v: string | undefined) => { if (v !== undefined && v !== '') { dl.append('dt').text(k); dl.append('dd').text(v); } };
  row('status', c.status === c.rawStatus ? c.status : `${c.status} (${c.rawStatus})`);
  row('WGSL', c.wgsl ? `${c.wgsl} (--wgsl, in place of the library kernel's)` : undefined);
  row('message', c.message);
  row('expectation', c.expectation);
  if (c.boundRatio !== undefined) row('max error', `${c.abs == null ? '∞' : format('.3~g')(c.abs)} abs, ${c.ulp ?? '∞'} ulp, ${ratioFormat(c.boundRatio)} × the bound`);
  row('cases', c.runs === undefined ? undefined : c.mixedCode ? `${c.runs} (of the code shown; each run's under "from")`
    : c.from ? `${c.runs} (${c.from.map((f) => f.runs).join(' + ')} in ${c.from.length} runs)` : String(c.runs));
  for (const [k, v] of Object.entries(c.notes ?? {})) row(k, typeof v === 'number' && v > 0 && v <= 1 && !Number.isInteger(v) ? `${(v * 100).toFixed(2)}% (${v})` : String(v));
  row('time', c.durationMs !== undefined ? `${format(',.0f')(c.durationMs)} ms` : undefined);
  row('mixed code', c.mixedCode ? `its runs ran different code under this name: ${c.mixedCode.join(' against ')}` : undefined);
  row('from', c.from ? c.from.map((f) => `${f.source} (seed ${f.seed}${f.wgsl ? `, --wgsl ${f.wgsl}` : ''}): ${f.status}, ${f.runs} cases` +
    `${f.boundRatio !== undefined ? `, ${ratioFormat(f.boundRatio)} × the bound` : ''}`).join('; ') : `${c.source} (seed ${c.seed})`);
  if (c.fixtureHref) {
    dl.append('dt').text('counterexample');
    dl.append('dd').append('a').attr('href', c.fixtureHref).text(c.fixture!);
  }
}

function drawMarginChart() {
  const points = view.cells.filter((c) => c.boundRatio !== undefined && c.status !== 'unavailable');
  const host = select('#margin-chart');
  if (!points.length) {
    host.append('p').attr('class', 'note').text('No result recorded an error measure.');
    return;
  }
  const rowKeys = view.rows.map((r) => `${r.kernel} / ${r.property}`).filter((k) => points.some((p) => `${p.kernel} / ${p.property}` === k));
  const engines = view.engines.filter((e) => points.some((p) => p.engine === e.key)).map((e) => e.key);
  // Zero error has no place on a log axis: it sits at the floor, drawn hollow.
  const positive = points.map((p) => p.boundRatio).filter((r): r is number => typeof r === 'number' && r > 0);
  const floor = Math.min(1e-3, ...positive.map((r) => r / 2));
  const top = Math.max(2, ...positive.map((r) => r * 1.5));
  const margin = { top: 12, right: 24, bottom: 40, left: 230 };
  const band = 12 + engines.length * 7;
  const width = 860;
  const height = margin.top + margin.bottom + rowKeys.length * band;
  const x = scaleLog().domain([floor, top]).range([margin.left, width - margin.right]).clamp(true);
  const y = scaleBand().domain(rowKeys).range([margin.top, height - margin.bottom]).paddingInner(0.15);
  const sub = scaleBand().domain(engines).range([0, y.bandwidth()]).padding(0.2);
  const colour = scaleOrdinal<string, string>().domain(engines).range(schemeTableau10);

  const svg = host.append('svg').attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('role', 'img')
    .attr('aria-label', 'largest error as a fraction of the allowed bound, per kernel, property and engine');
  svg.append('g').attr('class', 'bands').selectAll('rect').data(rowKeys).join('rect')
    .attr('x', margin.left).attr('width', width - margin.left - margin.right)
    .attr('y', (k) => y(k)!).attr('height', y.bandwidth()).attr('class', (_k, i) => (i % 2 ? 'band odd' : 'band'));
  svg.append('g').attr('class', 'axis').attr('transform', `translate(0,${height - margin.bottom})`)
    .call(axisBottom(x).ticks(6, '~g'));
  svg.append('text').attr('class', 'axis-label').attr('x', (margin.left + width - margin.right) / 2).attr('y', height - 6)
    .attr('text-anchor', 'middle').text('largest error ÷ allowed bound (log scale)');
  svg.append('g').attr('class', 'axis').attr('transform', `translate(${margin.left},0)`).call(axisLeft(y).tickSize(0).tickPadding(8));
  const bound = svg.append('g').attr('class', 'bound');
  bound.append('line').attr('x1', x(1)).attr('x2', x(1)).attr('y1', margin.top - 4).attr('y2', height - margin.bottom);
  bound.append('text').attr('x', x(1) + 4).attr('y', margin.top + 8).text('bound');
  svg.append('g').selectAll('circle').data(points).join('circle')
    .attr('class', (p) => `dot s-${p.status}`)
    .attr('data-engine', (p) => p.engine)
    .attr('cx', (p) => (p.boundRatio === null ? x(top) : x(p.boundRatio! > 0 ? p.boundRatio! : floor)))
    .attr('cy', (p) => y(`${p.kernel} / ${p.property}`)! + sub(p.engine)! + sub.bandwidth() / 2)
    .attr('r', 4.5)
    .attr('fill', (p) => (p.boundRatio === null || p.boundRatio! > 0 ? colour(p.engine) : 'white'))
    .attr('stroke', (p) => colour(p.engine))
    .append('title').text((p) => `${p.engine}\n${p.kernel} / ${p.property}: ${p.boundRatio === 0 ? 'exact (0)' : ratioFormat(p.boundRatio!)} of the bound`);

  const legend = host.append('div').attr('class', 'chart-legend');
  const item = legend.selectAll('span').data(engines).join('span').attr('class', 'item');
  item.append('i').style('background', (e) => colour(e));
  item.append('span').text((e) => e);
}

function wireLegend() {
  const active = new Set<DisplayStatus>(DISPLAY_STATUSES);
  select('#legend').selectAll<HTMLButtonElement, unknown>('button[data-status]').on('click', function () {
    const s = this.dataset.status as DisplayStatus;
    if (active.has(s)) active.delete(s);
    else active.add(s);
    select(this).attr('aria-pressed', String(active.has(s)));
    select('#matrix').selectAll<HTMLTableCellElement, ViewCell | null>('td.cell')
      .classed('dimmed', (c) => !!c && !active.has(c.status));
  });
}

function wireAdapterToggle() {
  const box = document.getElementById('only-differences') as HTMLInputElement | null;
  box?.addEventListener('change', () => document.getElementById('adapters')!.classList.toggle('only-diff', box.checked));
}
