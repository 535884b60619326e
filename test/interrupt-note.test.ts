// Ctrl-C during `test` says what was kept (trial Z: exit 130 and not a word).
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptedLine, sayWhenInterrupted } from '../harness/cli/test.ts';

const partial = { schema: 'kernelscope/results@1', seed: 1, runs: 5, startedAt: '2026-12-02T11:36:00Z', finishedAt: null, complete: false, engines: [],
  results: [{ kernel: 'k', property: 'p', backend: 'dawn', status: 'pass', runs: 5, durationMs: 1 }, { kernel: 'k', property: 'q', backend: 'dawn', status: 'pass', runs: 5, durationMs: 1 }] };

describe('an interrupted test run', () => {
  it('says what it kept, once, before exiting 130', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-int-'));
    writeFileSync(join(out, 'results.json'), JSON.stringify(partial));
    const exit = vi.fn();
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (written.push(String(s)), true));
    const stop = sayWhenInterrupted(out, exit);
    try {
      const handler = process.listeners('SIGINT')[0] as () => void;
      const others = process.listenerCount('SIGINT') - 1;
      handler();
      expect(written.join('')).toContain(`kernelscope: interrupted (exit 130): kept ${join(out, 'results.json')} (complete: false, 2 results)`);
      // Left to another listener (Playwright's closes the browsers, then exits 130) where there is one.
      expect(exit.mock.calls).toEqual(others ? [] : [[130]]);
    } finally {
      stop();
      spy.mockRestore();
    }
  });

  it('says when nothing was kept', () => {
    expect(interruptedLine(mkdtempSync(join(tmpdir(), 'ks-int-')))).toMatch(/no results.json was kept/);
  });

  // Trial 66 B5: a job's timeout (SIGTERM) ended the run with 143 and not a word.
  it('says the same when SIGTERM or SIGHUP ends the run, with their exit codes', () => {
    const out = mkdtempSync(join(tmpdir(), 'ks-int-'));
    writeFileSync(join(out, 'results.json'), JSON.stringify(partial));
    expect(interruptedLine(out, 'SIGTERM')).toContain(`kernelscope: stopped by SIGTERM (exit 143): kept ${join(out, 'results.json')} (complete: false, 2 results)`);
    expect(interruptedLine(out, 'SIGHUP')).toMatch(/^kernelscope: stopped by SIGHUP \(exit 129\)/);
  });
});
