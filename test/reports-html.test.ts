import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadResults } from '../harness/reports/load.ts';
import { mergeResults } from '../harness/reports/merge.ts';
import { toView } from '../harness/reports/view.ts';
import { toHtml } from '../harness/reports/html.ts';

const fx = (name: string) => join(import.meta.dirname, 'fixtures/results', name);

describe('report page', () => {
  const a = loadResults(fx('machine-a.json'));

  it('carries an unbounded error as null (JSON has no Infinity), not as a number', () => {
    const data = { ...a, results: a.results.map((r, i) => i === 2 ? { ...r, maxError: { abs: Infinity, ulp: Infinity, boundRatio: Infinity } } : r) };
    const cell = toView(mergeResults([{ path: 'a', data }])).cells.find((c) => c.engine.startsWith('firefox') && c.property === 'matches-reference' && c.kernel === 'softmax')!;
    expect(cell).toMatchObject({ boundRatio: null, ulp: null, abs: null });
  });

  it("writes a divergent case's unbounded ULP distance as ∞, not as JavaScript's Infinity", () => {
    // firefox's case 2 differs from the other engines'; make its distance unbounded (a NaN against a number).
    const data = { ...a, results: a.results.map((r, i) => i === 2 ? { ...r, caseMaxUlp: r.caseMaxUlp!.map((u, k) => k === 2 ? Infinity : u) } : r) };
    const html = toHtml(mergeResults([{ path: 'a', data }]));
    expect(html).toContain('(∞ ulp)');
    expect(html).not.toContain('Infinity ulp');
  });

  it('is one file: no external script, style or link to fetch, and no raw </script> from the data', () => {
    const data = { ...a, results: a.results.map((r, i) => i === 9 ? { ...r, error: '</script><script>alert(1)</script>' } : r) };
    const html = toHtml(mergeResults([{ path: 'a', data }]));
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    // The one http URL allowed: the cross-engine rows' "side by side" links to `kernelscope view` (a link, never fetched).
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org|127\.0\.0\.1:7357\/\?compare=1&)/);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('<span data-count="error-results">1</span>');
  });
});
