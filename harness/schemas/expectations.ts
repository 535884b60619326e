// expectations.json (docs/CONTRACTS.md, contract 4): known failures, as in the WebGPU CTS's expectations. Entries
// are strict: a misspelt field (`adaptor`) would otherwise be dropped silently and the entry would cover more
// results than its author meant, hiding a new failure.
import { z } from 'zod';
import { BACKENDS } from '../engines/engine.ts';

const nonEmpty = z.string().trim().min(1, 'missing (a non-empty string)');

export const ExpectationSchema = z.strictObject({
  /** A kernel name, or "*" for every kernel. */
  kernel: nonEmpty,
  /** A property name, or "*" for every property of the kernel. */
  property: nonEmpty,
  /** A backend id. */
  engine: z.enum(BACKENDS),
  /** Matches only columns whose adapter label contains this (case-insensitive), e.g. "nvidia" or "swiftshader". */
  adapter: z.string().optional(),
  expected: z.enum(['fail', 'error', 'skip']),
  reason: nonEmpty,
});

export const ExpectationsFileSchema = z.array(ExpectationSchema);
