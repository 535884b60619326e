// results.json: docs/CONTRACTS.md contract 2. Fields may be added; none of the listed ones may change meaning. The
// types come from the zod schema the readers check files against (harness/schemas/results.ts).
import type { z } from 'zod';
import type { Known, PropertyResultSchema, ResultsFileSchema, ResultStatusSchema } from '../schemas/results.ts';

export { RESULTS_SCHEMA } from '../schemas/results.ts';

export type ResultStatus = z.output<typeof ResultStatusSchema>;
export type PropertyResult = Known<z.output<typeof PropertyResultSchema>>;
export type ResultsFile = Known<z.output<typeof ResultsFileSchema>>;
