// A saved counterexample (fixtures/counterexamples/*.json, docs/CONTRACTS.md contract 3) as a zod schema. Replay
// and the visualizer rebuild typed arrays and the drawn value from it, so everything they decode is checked here:
// base64 that decodes to whole elements, `$number` only for the non-finite numbers JSON cannot hold, and a WGSL
// path that cannot lead a reader outside the folder it resolves it against. Node-free.
import { BACKENDS } from '../engines/engine.ts';
import { z } from 'zod';
import { inWords, pathProblem } from './read.ts';

export const FIXTURE_SCHEMA = 'kernelscope/counterexample@1';

/** Element types a fixture's arrays may hold, with their sizes in bytes. */
export const ENCODED_TYPES = ['f32', 'u32', 'i32', 'f16'] as const;
const ELEMENT_BYTES: Record<(typeof ENCODED_TYPES)[number], number> = { f32: 4, u32: 4, i32: 4, f16: 2 };

const ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ALPHABET[c.charCodeAt(0)] = 1;

/** Whole groups of four, '=' only as one or two pads at the end. A loop, not a regular expression: a repeated group
 *  over a 4M-element array's 22 MB of base64 overflowed V8's regexp stack. */
function isBase64(s: string): boolean {
  if (s.length % 4) return false;
  const end = s.length - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0);
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || !ALPHABET[c]) return false;
  }
  return true;
}

export const EncodedArraySchema = z.looseObject({
  type: z.enum(ENCODED_TYPES),
  base64: z.string().refine(isBase64, 'not base64'),
}).superRefine((a, ctx) => {
  const s = a.base64;
  if (!isBase64(s)) return;
  const bytes = (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0);
  const size = ELEMENT_BYTES[a.type];
  if (bytes % size) ctx.addIssue({ code: 'custom', path: ['base64'], message: `decodes to ${bytes} bytes, not a whole number of ${size}-byte ${a.type} elements` });
});

const NON_FINITE = ['NaN', 'Infinity', '-Infinity'];

/** Walks a drawn value as encodeDraw wrote it: `{ $array }` and `{ $number }` are the only encoded forms. */
function checkDraw(v: unknown, path: (string | number)[], ctx: z.core.$RefinementCtx, depth = 0): void {
  if (depth > 64) return void ctx.addIssue({ code: 'custom', message: 'nested more than 64 deep', path });
  if (Array.isArray(v)) return v.forEach((x, i) => checkDraw(x, [...path, i], ctx, depth + 1));
  if (typeof v !== 'object' || v === null) return;
  const o = v as Record<string, unknown>;
  if ('$array' in o) {
    const r = EncodedArraySchema.safeParse(o.$array, { error: inWords });
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: [...path, '$array', ...(i.path as (string | number)[])] });
    return;
  }
  if ('$number' in o) {
    if (!NON_FINITE.includes(o.$number as string)) {
      ctx.addIssue({ code: 'custom', message: `expected one of ${NON_FINITE.join('|')} (finite numbers are plain JSON numbers)`, path: [...path, '$number'] });
    }
    return;
  }
  for (const [k, x] of Object.entries(o)) checkDraw(x, [...path, k], ctx, depth + 1);
}

// Typed boolean, not inferred as a type predicate: the field stays `unknown`, as the writer gives it.
const present = (what: string) => z.unknown().refine((v): boolean => v !== undefined, `missing (${what})`);
const arrays = z.record(z.string(), EncodedArraySchema);

export const CounterexampleSchema = z.looseObject({
  schema: z.literal(FIXTURE_SCHEMA),
  kernel: z.string().min(1),
  property: z.string().min(1),
  backend: z.enum(BACKENDS),
  adapter: z.string(),
  /** fast-check's seed and path: `fc.check(prop, { seed, path })` reaches the same shrunk value. */
  seed: z.number().int(),
  path: z.string(),
  /** The user's WGSL when the run used `--wgsl`: relative to the repository (or the folder the run was started in),
   *  or absolute when it lay outside both. */
  wgsl: z.string().superRefine((p, ctx) => {
    const why = pathProblem(p, '.wgsl');
    if (why) ctx.addIssue({ code: 'custom', message: why });
  }).optional(),
  /** The shrunk value the property drew (typed arrays encoded), from which its runs are rebuilt. */
  draw: present('the drawn value').superRefine((v, ctx) => checkDraw(v, [], ctx)),
  /** The first run's shape and inputs and what the engine returned, for display. */
  shape: z.unknown(),
  inputs: arrays,
  actual: arrays,
  expected: arrays.optional(),
  worst: z.looseObject({ buffer: z.string(), index: z.number().int().nonnegative() }).optional(),
  /** How many runs the property made of the drawn value, where more than one (a metamorphic relation's): `inputs`
   *  and `actual` are the first's, and the message may be about another (trial 161 B2). */
  runs: z.number().int().min(2).optional(),
  /** The case ran under a lowered maxComputeWorkgroupsPerDimension, spread over y (a `-spread-y` property's runs):
   *  the visualizer traces that dispatch, not the full one. Absent for every other case. */
  spreadY: z.literal(true).optional(),
  message: z.string(),
  createdAt: z.string(),
});
