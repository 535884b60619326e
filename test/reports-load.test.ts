import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadResults, loadResultsSet, parseResults, ResultsLoadError } from '../harness/reports/load.ts';

const fx = (name: string) => join(import.meta.dirname, 'fixtures/results', name);

describe('loadResults', () => {
  it('loads a complete run without warnings', () => {
    const warnings: string[] = [];
    const data = loadResults(fx('machine-a.json'), { warn: (m) => warnings.push(m) });
    expect(data.seed).toBe(1);
    expect(data.results).toHaveLength(20);
    expect(data.complete).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('loads a partial run with a warning naming the file', () => {
    const warnings: string[] = [];
    const data = loadResults(fx('partial.json'), { warn: (m) => warnings.push(m) });
    expect(data.complete).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('partial.json');
    expect(warnings[0]).toContain('partial run');
    expect(warnings[0]).toContain('3 results');
  });

  it('says a truncated file is truncated, naming the file and where it stops', () => {
    const path = fx('truncated.json');
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    expect(() => loadResults(path)).toThrow(ResultsLoadError);
    try {
      loadResults(path);
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg.startsWith(path)).toBe(true);
      expect(msg).toContain('truncated');
      expect(msg).toContain(`line ${lines.length}, column ${lines.at(-1)!.length + 1}`);
      expect(msg).toContain('{ [ {');
    }
  });

  it('points at a syntax error in the middle of a file', () => {
    expect(() => parseResults('{\n  "schema": "kernelscope/results@1",\n  "seed": 1,,\n}', 'x.json'))
      .toThrow(/x\.json: not valid JSON at line 3, column 13/);
  });

  it('refuses a file of another schema or none', () => {
    expect(() => loadResults(fx('wrong-schema.json'))).toThrow(/wrong-schema\.json: .*schema is "kernelscope\/results@2", expected "kernelscope\/results@1"/);
    expect(() => parseResults('{"foo": 1}', 'foo.json')).toThrow(/foo\.json: not a kernelscope results file: no "schema" field/);
    expect(() => parseResults('[1,2]', 'arr.json')).toThrow(/arr\.json: top level: expected a JSON object, got an array/);
  });

  it('lists every missing or wrong field', () => {
    let msg = '';
    try {
      loadResults(fx('missing-fields.json'));
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain('missing-fields.json');
    expect(msg).toContain('seed: missing');
    expect(msg).toContain('results[1].status: expected one of pass|fail|error|skip, got "passed"');
    expect(msg).toContain('results[4].kernel: missing');
  });

  it('names a missing file and an empty one', () => {
    expect(() => loadResults('/nonexistent/results.json')).toThrow(/\/nonexistent\/results\.json: no such file/);
    const dir = mkdtempSync(join(tmpdir(), 'ks-load-'));
    writeFileSync(join(dir, 'results.json'), '');
    expect(() => loadResults(join(dir, 'results.json'))).toThrow(/empty file/);
  });

  it('reads a file without `complete` as complete when it has finishedAt', () => {
    const text = readFileSync(fx('machine-b.json'), 'utf8').replace('"complete": true,', '');
    expect(text).not.toContain('complete');
    expect(parseResults(text, 'b.json').complete).toBe(true);
  });

  it('expands a merged file back into its runs', () => {
    const a = loadResults(fx('machine-a.json'));
    const dir = mkdtempSync(join(tmpdir(), 'ks-load-'));
    const path = join(dir, 'results.json');
    writeFileSync(path, JSON.stringify({ schema: 'kernelscope/merged-results@1', generatedAt: '', warnings: [], sources: [{ path: 'a/results.json', data: a }] }));
    const set = loadResultsSet(path);
    expect(set).toHaveLength(1);
    expect(set[0]!.path).toBe('a/results.json');
    expect(set[0]!.data.results).toHaveLength(20);
  });
});
