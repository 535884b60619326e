// results.json: DESIGN.md contract 2. Fields may be added; none of the listed ones may change meaning.
import type { EngineInfo } from '../engines/engine.ts';
import type { Measure } from '../spec.ts';

export const RESULTS_SCHEMA = 'kernelscope/results@1';

export type ResultStatus = 'pass' | 'fail' | 'error' | 'skip';

export interface PropertyResult {
  kernel: string;
  property: string;
  backend: EngineInfo['backend'];
  status: ResultStatus;
  /** Cases run (drawn cases, not counting shrink attempts). */
  runs: number;
  durationMs: number;
  maxError?: Measure;
  counterexample?: { fixture: string; shrunk: unknown; seed: number; path: string };
  /** One-line reason for fail, error and skip. */
  error?: string;
  /** Stack or compiler output for an error. */
  detail?: string;
  /** Facts the property reports (e.g. add: bit-identical to round-to-nearest). */
  notes?: Record<string, string | number | boolean>;
  /** Per case, the bit hash of every output (kept small), for the cross-engine comparison. */
  caseHashes?: string[];
  /** Per case (same order as caseHashes), the largest ULP distance of any output element from the reference: lets
   *  the cross-engine view say which side of a divergence is closer to the math. */
  caseMaxUlp?: number[];
}

export interface ResultsFile {
  schema: typeof RESULTS_SCHEMA;
  seed: number;
  runs: number;
  startedAt: string;
  finishedAt: string | null;
  /** False while the run is going on (or if it died): a partial report is still readable. */
  complete: boolean;
  engines: EngineInfo[];
  results: PropertyResult[];
  /** The command line, host and shard, so merged reports can say where each run came from. */
  run?: { argv: string[]; host: string; platform: string; node: string; shard?: string };
}
