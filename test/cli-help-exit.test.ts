// `test --help` states every documented exit status (trial Z: it left out 1 for "every result skipped" and 2 for "no
// engine could start").
import { describe, expect, it, vi } from 'vitest';
import { main } from '../harness/cli/main.ts';

async function help(args: string[]): Promise<string> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
  try {
    expect(await main(args)).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return out.join('').replace(/\s+/g, ' ');
}

describe('exit status in --help', () => {
  it.each([[['test', '--help']], [['--help']]])('%j', async (args) => {
    const text = await help(args);
    expect(text).toContain('every result skipped so that nothing was judged');
    expect(text).toContain('a run in which no engine asked for could start');
    expect(text).toContain('130 when test is interrupted');
  });
});
