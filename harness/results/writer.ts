// Writes results.json as results arrive: after each one the whole file is rewritten atomically (it is small: one
// entry per kernel × property × engine), so a run that dies leaves a complete, readable, partial report.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { EngineInfo } from '../engines/engine.ts';
import { kernelscopeBuild } from './build.ts';
import { RESULTS_SCHEMA, type PropertyResult, type ResultsFile } from './schema.ts';

export class ResultsWriter {
  readonly file: ResultsFile;
  readonly path: string;

  constructor(readonly dir: string, seed: number, runs: number, shard?: string) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, 'results.json');
    this.file = {
      schema: RESULTS_SCHEMA,
      seed,
      runs,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      complete: false,
      engines: [],
      results: [],
      run: { argv: process.argv.slice(2), host: hostname(), platform: `${process.platform}-${process.arch}`, node: process.version, kernelscope: kernelscopeBuild(), ...(shard ? { shard } : {}) },
    };
    this.flush();
  }

  engine(info: EngineInfo) {
    this.file.engines.push(info);
    this.flush();
  }

  add(result: PropertyResult) {
    this.file.results.push(result);
    this.flush();
  }

  finish() {
    this.file.finishedAt = new Date().toISOString();
    this.file.complete = true;
    this.flush();
  }

  private flush() {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.file, null, 1));
    renameSync(tmp, this.path);
  }
}
