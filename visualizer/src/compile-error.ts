// WGSL the page's WebGPU does not compile, as the terminal prints it: each message in its file with the source line
// and a caret, the notes that give the cause under it. The page showed one bare line, "25:5: 'workgroupBarrier' must
// only be called from uniform control flow", without the file or the notes that say which value is non-uniform.
import { CompileError } from '../../harness/gpu/batch.ts';
import { formatDiagnostics } from '../../harness/run/diagnostics.ts';
import type { KernelProgram } from '../../harness/run/program.ts';
import type { Case } from '../../harness/spec.ts';
import { prepare } from '../../harness/trace/record.ts';

/** The compiler's messages of a CompileError, located; undefined for any other error. The instrumented WGSL the page
 *  compiles keeps the kernel's lines (its edits stay within lines), so the kernel's own source is quoted. */
export function compileErrorText(e: unknown, program: KernelProgram, c: Case): string | undefined {
  if (!(e instanceof CompileError)) return undefined;
  const { files } = prepare(program, c);
  return formatDiagnostics(e.diagnostics, files, program.sources, program.origins);
}
