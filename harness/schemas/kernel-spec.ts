// The shape of a kernel spec as a user's library exports it (kernels/NAME.kernel.ts, harness/spec.ts's KernelSpec),
// checked after import so a misspelt or mistyped field is named before anything runs. Only the fields the runner
// relies on are checked; the vocabulary is growing (`requires`, richer uniform values), so unknown fields pass
// through. A buffer's element type is one the harness can lay out: a typo there (`'uint32'`) once surfaced as a
// TypeError in the middle of a property. TypeScript checks a spec at authoring time; this check is for the library
// loaded at run time, where a plain-JS spec or an `as any` gets no such help.
import { z } from 'zod';
import type { ElementType } from '../spec.ts';
import { parseWith, pathProblem } from './read.ts';

/** Every ElementType (harness/spec.ts): a Record, so that TypeScript says when the type gains one and this does not. */
const ELEMENT_TYPES = Object.keys({ f32: 0, u32: 0, i32: 0, f16: 0 } satisfies Record<ElementType, 0>) as [ElementType, ...ElementType[]];

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
  type: z.enum(ELEMENT_TYPES),
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
