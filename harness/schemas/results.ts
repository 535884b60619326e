// results.json (docs/CONTRACTS.md, contract 2) as a zod schema: the type the writer fills and the check the readers
// apply come from here. Objects are loose: a newer kernelscope may add fields, and a report merged by an older one
// keeps them. Numbers must be finite, except where JSON's null stands for an infinity the writer could not write.
import { z } from 'zod';
import { BACKENDS } from '../engines/engine.ts';
import { pathProblem } from './read.ts';
import { NOT_RUN } from '../results/case-hash.ts';

export type { Known } from './read.ts';

export const RESULTS_SCHEMA = 'kernelscope/results@1';
/** The schema `report --out` writes: the runs it merged, kept whole so a merged report can be merged again. */
export const MERGED_SCHEMA = 'kernelscope/merged-results@1';

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** JSON has no Infinity: the writer's null is an unbounded error (a NaN or an infinity where a number was due). */
const unbounded = z.union([z.number().nonnegative(), z.null()]).transform((x) => x ?? Infinity);
const text = z.string();

export const MeasureSchema = z.looseObject({ abs: unbounded, ulp: unbounded, boundRatio: unbounded,
  atWorst: z.looseObject({ abs: unbounded, ulp: unbounded, buffer: text.optional(), index: count.optional() }).optional(), absBuffer: text.optional(), integer: z.boolean().optional() });

export const ResultStatusSchema = z.enum(['pass', 'fail', 'error', 'skip']);

export const EngineInfoSchema = z.looseObject({
  backend: z.enum(BACKENDS),
  status: z.enum(['ok', 'unavailable']),
  reason: text.optional(),
  adapter: z.looseObject({ vendor: text, architecture: text, device: text, description: text, subgroupMinSize: count.optional(), subgroupMaxSize: count.optional() }).optional(),
  limits: z.record(z.string(), z.number()).optional(),
  /** The limits of the engine's default device (WebGPU's defaults unless a kernel asked for more). */
  deviceLimits: z.record(z.string(), z.number()).optional(),
  features: z.array(z.string()).optional(),
  version: text.optional(),
  fallback: text.optional(),
});

export const PropertyResultSchema = z.looseObject({
  kernel: z.string().min(1),
  property: z.string().min(1),
  backend: z.enum(BACKENDS),
  status: ResultStatusSchema,
  /** Cases run (drawn cases, not counting shrink attempts). */
  runs: count,
  durationMs: z.number().nonnegative(),
  maxError: MeasureSchema.optional(),
  counterexample: z.looseObject({
    /** The saved fixture, relative to the project (or absolute when saved outside it): a link, never read here. */
    fixture: z.string().superRefine((p, ctx) => {
      const why = pathProblem(p, '.json');
      if (why) ctx.addIssue({ code: 'custom', message: why });
    }),
    shrunk: z.unknown(),
    seed: z.number().int(),
    path: z.string(),
  }).optional(),
  /** One-line reason for fail, error and skip. */
  error: text.optional(),
  /** Stack or compiler output for an error. */
  detail: text.optional(),
  /** The error is the engine's compiler refusing the kernel's WGSL (its first message in `error`): on a Tint engine,
   *  `report` makes the interpreter's results of the same code (sourceHash) that error too, as `test` does in one run. */
  compileError: z.boolean().optional(),
  /** Facts the property reports (e.g. add: bit-identical to round-to-nearest); null is a NaN or infinity. */
  notes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null().transform(() => NaN)])).optional(),
  /** Per case, the bit hash of every output (kept small), for the cross-engine comparison. */
  caseHashes: z.array(z.string()).optional(),
  /** Per case (same order as caseHashes), the largest ULP distance of any output element from the reference: lets
   *  the cross-engine view say which side of a divergence is closer to the math. NOT_RUN for a case that did not run
   *  (over the interpreter's budget; its hash is ''): older files wrote 0 there, which read as exact. */
  caseMaxUlp: z.array(z.union([unbounded, z.literal(NOT_RUN)])).optional(),
  /** 'm3:' and 8 hex digits: a hash of the kernel's WGSL files and spec as this run read them. Results of one kernel
   *  name with different hashes ran different code: a merged report says so and compares bits only within one. */
  sourceHash: z.string().optional(),
  /** The WGSL file that ran in place of the library kernel's (`test --wgsl NAME=FILE`), as given: a report of a
   *  substitute said only "minmax/matches-reference fail", with nothing to tell it from the library's. */
  wgsl: z.string().optional(),
}).superRefine((r, ctx) => {
  // What the runner never writes, and a hand-edited file could (a trial's): a pass that ran nothing would count as
  // one, and a skip must say why (contract 2).
  if (r.status === 'pass' && r.runs === 0) ctx.addIssue({ code: 'custom', path: ['runs'], message: 'a pass with 0 runs: a result that ran no case is a skip, with its reason' });
  if (r.status === 'skip' && !r.error) ctx.addIssue({ code: 'custom', path: ['error'], message: 'a skip without its reason: a skip always says why (contract 2)' });
});

export const ResultsFileSchema = z.looseObject({
  schema: z.literal(RESULTS_SCHEMA),
  seed: z.number().int(),
  runs: count,
  startedAt: z.string(),
  finishedAt: z.string().nullable().optional().transform((x) => x ?? null),
  /** False while the run is going on (or if it died): a partial report is still readable. Not in the first
   *  published contract: a file without it is whole when it says when it finished. */
  complete: z.boolean().optional(),
  engines: z.array(EngineInfoSchema),
  results: z.array(PropertyResultSchema),
  /** The command line, host, kernelscope build and shard, so merged reports can say where each run came from. */
  run: z.looseObject({ argv: z.array(z.string()), host: z.string(), platform: z.string(), node: z.string(), kernelscope: z.string().optional(),
    shard: z.string().optional() }).optional(),
}).superRefine((f, ctx) => {
  // The runner writes an engine that did not start as unavailable with a skip (0 runs) for each property. A
  // hand-edited file (a trial's) that marked an engine which ran unavailable turned its failures into "skipped:
  // engine unavailable" in JUnit and out of New problems: a wrong verdict, so refused.
  f.engines.forEach((e, i) => {
    if (e.status !== 'unavailable' || f.engines.some((o) => o.backend === e.backend && o.status === 'ok')) return;
    const j = f.results.findIndex((r) => r.backend === e.backend && (r.status !== 'skip' || r.runs > 0));
    if (j < 0) return;
    const r = f.results[j]!;
    ctx.addIssue({ code: 'custom', path: ['engines', i, 'status'], message: `engine ${e.backend} is "unavailable" (did not start), yet results[${j}] ` +
      `(${r.kernel}/${r.property}) ran on it (status ${r.status}, ${r.runs} runs): an engine that did not start has only skips with 0 runs; ` +
      `fix the engine's status or its results` });
  });
}).transform((f) => ({ ...f, complete: f.complete ?? f.finishedAt !== null }));

export const MergedResultsFileSchema = z.looseObject({
  schema: z.literal(MERGED_SCHEMA),
  generatedAt: z.string(),
  warnings: z.array(z.string()),
  sources: z.array(z.looseObject({ path: z.string(), data: ResultsFileSchema })),
});
