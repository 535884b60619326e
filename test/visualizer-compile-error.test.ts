// WGSL the page cannot compile is shown as the terminal prints it (file:line:column, the source line, a caret, the
// notes). A new user's tred_early showed one bare line, "25:5: 'workgroupBarrier' must only be called from uniform
// control flow", without the file or the notes that name the non-uniform value.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { CompileError } from '../harness/gpu/batch.ts';
import softmax from '../kernels/softmax.kernel.ts';
import { compileErrorText } from '../visualizer/src/compile-error.ts';

test("a compile error names the file and keeps the compiler's notes", () => {
  const code = readFileSync('kernels/softmax.wgsl', 'utf8');
  const lines = code.split('\n');
  const barrier = lines.findIndex((l) => l.includes('workgroupBarrier')) + 1;
  const program = { spec: softmax, sources: { [softmax.wgsl]: code }, origins: { [softmax.wgsl]: 'lib/softmax.wgsl' } };
  // Tint's messages, as getCompilationInfo() hands them to the page: an error and the notes that give its cause.
  const e = new CompileError([
    { shader: 0, type: 'error', line: barrier, column: 3, message: "'workgroupBarrier' must only be called from uniform control flow" },
    { shader: 0, type: 'info', line: 2, column: 1, message: 'control flow depends on possibly non-uniform value' },
  ]);
  const text = compileErrorText(e, program, { shape: { rows: 1, cols: 8 }, inputs: { x: new Float32Array(8) } })!;
  expect(text.split('\n')[0]).toBe(`lib/softmax.wgsl:${barrier}:3: error: 'workgroupBarrier' must only be called from uniform control flow`);
  expect(text).toContain(`\n    ${lines[barrier - 1]}\n`);
  expect(text).toContain('lib/softmax.wgsl:2:1: note: control flow depends on possibly non-uniform value');
  expect(compileErrorText(new Error('lost'), program, { shape: { rows: 1, cols: 8 }, inputs: {} })).toBeUndefined();
});
