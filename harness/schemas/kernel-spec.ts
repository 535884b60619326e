// The shape of a kernel spec as a user's library exports it (kernels/NAME.kernel.ts, harness/spec.ts's KernelSpec),
// checked after import so a misspelt or mistyped field is named before anything runs. Only the fields the runner
// relies on are checked; the vocabulary is growing (element types, `requires`, richer uniform values), so unknown
// fields pass through and element types are any non-empty string (the program's own validation knows which are
// supported). TypeScript checks a spec at authoring time; this check is for the library loaded at run time, where
// a plain-JS spec or an `as any` gets no such help.
import { z } from 'zod';
import { parseWith, pathProblem } from './read.ts';

const fn = (what: string) => z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', `expected a function (${what})`);
const name = z.string().regex(/^[\w.-]+$/, 'expected a name of letters, digits, _ . -');

/** A WGSL file named by a spec: relative to kernels/, and inside it. */
export const WgslFileSchema = z.string().superRefine((p, ctx) => {
  const why = pathProblem(p, '.wgsl');
  if (why) ctx.addIssue({ code: 'custom', message: why });
  else if (/^([\\/]|[A-Za-z]:)/.test(p)) ctx.addIssue({ code: 'custom', message: 'expected a path relative to kernels/, got an absolute one' });
});

export const BufferSpecSchema = z.looseObject({
  role: z.enum(['input', 'output', 'inout', 'scratch']),
  type: z.string().min(1),
  length: fn('shape → number of elements'),
  dims: fn('shape → logical dimensions').optional(),
});

export const KernelSpecSchema = z.looseObject({
  name,
  family: name.optional(),
  wgsl: WgslFileSchema,
  description: z.string(),
  buffers: z.record(z.string().min(1), BufferSpecSchema).refine((b) => Object.keys(b).length > 0, 'expected at least one buffer'),
  stages: fn('shape → the dispatches'),
});

/** Throws a FileFormatError naming `file` and the field; the spec is not changed (and not copied: use it as is). */
export function checkKernelSpec(spec: unknown, file: string): void {
  parseWith(KernelSpecSchema, spec, file, 'a KernelSpec (harness/spec.ts)');
}
