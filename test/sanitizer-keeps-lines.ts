// The sanitizer's promise that every line number of a kernel stays valid (it only inserts text within lines): each
// WGSL file under a folder keeps every character of every line, in order, on the same line, and still parses.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parseWgsl } from '../harness/mutate/parse.ts';
import { sanitizeShader } from '../harness/trace/sanitize.ts';

export function itKeepsEveryLine(dir: string): void {
  it.each(readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.wgsl')))('%s keeps every line and still parses', (file) => {
    const code = readFileSync(join(dir, file), 'utf8');
    const out = sanitizeShader(code).code.split('\n');
    code.split('\n').forEach((line, i) => {
      let at = 0;
      for (const ch of line) {
        at = out[i]!.indexOf(ch, at) + 1;
        expect(at, `${file}:${i + 1}: '${line}' not kept in '${out[i]}'`).toBeGreaterThan(0);
      }
    });
    expect(() => parseWgsl(sanitizeShader(code).code)).not.toThrow();
  });
}
