// The interpreter engine: wgsl_reflect runs the WGSL in this process, with no GPU. Slow, but exact about every access.
// It implements the batch semantics itself (buffers by bytes, bindings, dispatch chains, readback), and keeps a run
// practical with a per-case budget: a case over it comes back in BatchResult.skipped, never as a pass or as garbage.
import { WgslParser } from 'wgsl_reflect/wgsl_reflect.module.js';
import { CompileError, type BatchCase, type BatchResult, type DispatchBatch } from '../gpu/batch.ts';
import type { Engine, EngineInfo } from './engine.ts';
import { casRetryClue } from './interpreter/cas-retries.ts';
import { cpuMs, InterpreterUnsupported, PlainOutOfBounds, runDispatch, StepBudgetExceeded, workgroupSizeOf, type Access, type DispatchRun, type Race } from './interpreter/dispatch.ts';
import { SUBSTITUTES, withSubstitute } from './interpreter/domains.ts';
import { checkLimits } from './interpreter/limits.ts';
import { CaseMemo } from './interpreter/memo.ts';
import { NOT_SUPPORTED, unsupportedConstruct } from './interpreter/unsupported.ts';
import { withOverrideCounts } from './interpreter/override-counts.ts';
import { withShortCircuits } from './interpreter/short-circuits.ts';
import { failedConstAsserts, reflectable } from '../run/reflect.ts';

export type { Access, Race } from './interpreter/dispatch.ts';

/** The interpreter's per-case budget (`--interpreter-budget invocations=N,steps=N,seconds=N` on the CLI). */
export interface InterpreterOptions {
  /** Most invocations (summed over a case's dispatches) the interpreter runs for one case. */
  maxInvocations?: number;
  /** Interpreter steps allowed per workgroup: a kernel that loops forever is cut off, not waited for. */
  stepBudget?: number;
  /** Milliseconds of CPU time one case may take: a case of many small loops (a 64×64 matmul over K = 300) is
   *  skipped, not waited for. Which cases fit depends on the machine; a skipped case is reported as skipped, never as
   *  a pass. */
  caseTimeMs?: number;
  /** The limits the kernel's spec asks for (`requires.limits`), above WebGPU's defaults: a dispatch is checked against
   *  them as a device would check it (interpreter/limits.ts). A batch's own `requires` takes their place. */
  limits?: Record<string, number>;
  /** The shaders' files as the user knows them, by shader index: a refusal names its file and line. */
  shaderNames?: string[];
  /** false: run every case, even one already run (interpreter/memo.ts); `bench --harness` times the work itself. */
  memo?: boolean;
}

export const DEFAULT_MAX_INVOCATIONS = 4_096;
export const DEFAULT_STEP_BUDGET = 5_000_000;
export const DEFAULT_CASE_TIME_MS = 3_000;

/** The text put in BatchResult.skipped for a case the interpreter did not run; the runner reports it as skipped. */
export const OVER_BUDGET = "over the interpreter's budget";
/** In the skip text of a case that started and did not finish within the budget (the runner does not pass it). */
export const UNFINISHED = 'slow, or a loop that never ends';
/** Said of a construct the interpreter cannot run that a case met while running (a branch only some cases take): the
 *  cases that took that branch are not judged, and they may be the ones that show a bug. */
export const MET_RUNNING = 'met while the case ran';
/** How the skip text of a case StallWatch did not start begins. */
export const NOT_STARTED = `${OVER_BUDGET}: not started`;

const align4 = (n: number) => Math.max(4, Math.ceil(n / 4) * 4);

export function openInterpreter(options: InterpreterOptions = {}): Engine & { readonly ran: number } {
  return new InterpreterEngine(options);
}

/**
 * `invocations=N,steps=N,seconds=N` (any of them, any order) as the interpreter's budget. Throws an Error whose message
 * names the part that is wrong and what is wanted.
 */
export function parseInterpreterBudget(text: string): InterpreterOptions {
  const o: InterpreterOptions = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value] = part.split('=');
    const n = Number(value);
    if (!value || !Number.isFinite(n) || n <= 0) throw new Error(`--interpreter-budget: '${part}' wants KEY=POSITIVE_NUMBER (invocations=4096,steps=5000000,seconds=3)`);
    if (key === 'invocations') o.maxInvocations = Math.floor(n);
    else if (key === 'steps') o.stepBudget = Math.floor(n);
    else if (key === 'seconds') o.caseTimeMs = n * 1000;
    else throw new Error(`--interpreter-budget: unknown '${key}' (invocations, steps, seconds)`);
  }
  return o;
}

/** The budget an engine runs cases under: the interpreter's own, the defaults for any other engine. */
export function interpreterOptionsOf(engine: Engine): InterpreterOptions {
  // From the limits the engine reports, not from the engine object: the suite hands properties a wrapper (its hang
  // watch), which an instanceof test took for another engine, so --interpreter-budget never reached the trace
  // properties (no-data-race, no-out-of-bounds ran under the default budget whatever was asked).
  if (engine.id !== 'interpreter') return {};
  const l = engine.info.limits ?? {};
  return { maxInvocations: l.maxInvocationsPerCase, stepBudget: l.stepBudgetPerWorkgroup, caseTimeMs: l.caseTimeMs };
}

class InterpreterEngine implements Engine {
  readonly id = 'interpreter' as const;
  readonly info: EngineInfo;

  /** Cases already run, by what they are (memo.ts): the same case again is not run again. */
  private memo = new CaseMemo();
  /** Cases this engine ran, the memo's answers not counted. */
  ran = 0;

  constructor(readonly options: InterpreterOptions) {
    this.info = {
      backend: 'interpreter',
      status: 'ok',
      adapter: { vendor: 'wgsl_reflect', architecture: 'interpreter', device: '', description: 'WGSL interpreter in JavaScript (no GPU; parses WGSL, does not validate it: a GPU engine\'s compiler does)' },
      limits: {
        maxInvocationsPerCase: options.maxInvocations ?? DEFAULT_MAX_INVOCATIONS,
        stepBudgetPerWorkgroup: options.stepBudget ?? DEFAULT_STEP_BUDGET,
        caseTimeMs: options.caseTimeMs ?? DEFAULT_CASE_TIME_MS,
      },
      features: [],
      version: 'wgsl_reflect@1.6.0',
    };
  }

  async execute(batch: DispatchBatch): Promise<BatchResult> {
    const t0 = performance.now();
    // Lines are kept, so every message and access still names the source's own lines.
    const shaders = batch.shaders.map(reflectable);
    checkSyntax(shaders, batch.shaders);
    const outputs: Uint8Array[][] = [];
    const skipped: (string | undefined)[] = [];
    const outOfDomain: NonNullable<BatchResult['outOfDomain']> = [];
    const options = { ...this.options, limits: batch.requires?.limits, ...(batch.names ? { shaderNames: batch.names } : {}) };
    const stall = new StallWatch();
    for (const c of batch.cases) {
      const key = this.options.memo === false ? undefined : this.memo.keyOf(shaders, c, options);
      let done = key === undefined ? undefined : this.memo.get(key, c);
      if (!done) {
        const r = runCase(shaders, c, options, false, stall);
        this.ran++;
        const run = r.dispatches.find((d) => d.outOfDomain);
        // The case again with those calls giving other values WGSL allows: does the output depend on them?
        const alternatives = run ? SUBSTITUTES.map((_, k) => alternativeOutputs(k, () => runCase(shaders, c, options, false, stall))) : [];
        done = { outputs: r.outputs, skipped: r.skipped, outOfDomain: run && { ...run.outOfDomain!, shader: run.shader!, alternatives } };
        // A case not started because others of the batch never finished says nothing of this case itself.
        if (key !== undefined && !r.skipped?.startsWith(NOT_STARTED)) this.memo.set(key, c, done);
        // A long batch must not starve the event loop (timers, the runner's progress output).
        await new Promise((res) => setTimeout(res, 0));
      }
      outputs.push(done.outputs);
      skipped.push(done.skipped);
      outOfDomain.push(done.outOfDomain);
    }
    return { outputs, gpuMs: performance.now() - t0, ...(skipped.some((s) => s) ? { skipped } : {}), ...(outOfDomain.some((d) => d) ? { outOfDomain } : {}) };
  }

  async close() {}
}

/** What one case did, access by access: for the universal interpreter-only properties and the visualizer. */
export interface CaseTrace {
  outputs: Uint8Array[];
  /** Set when the case was not run (over budget); everything else is then empty, but for the dispatches run up to an
   *  out-of-bounds index of a function or private variable (PlainOutOfBounds), the last holding that access. */
  skipped?: string;
  /** One entry per dispatch of the case, in order. */
  dispatches: DispatchRun[];
}

/**
 * A kernel that never ends costs the whole budget in every case it starts: a trial's relu whose loop never ends took
 * 812 s for its 8 properties at `--runs 20`, 3 s of CPU a case. Kept over one property's cases: once two of them ran
 * past the budget and none finished, a case no smaller than the least of those is not started (it is skipped as
 * unfinished: the property is not judged, as it would not be anyway). A case that finishes ends that: a loop that
 * ends for some inputs and not others (relu-some-cases-never-end.wgsl) runs every case as before.
 */
export class StallWatch {
  private unfinished = 0;
  private finished = false;
  private least = Infinity;

  /** The skip text for a case of this many invocations that is not started, or undefined to run it. */
  stops(invocations: number): string | undefined {
    if (this.finished || this.unfinished < 2 || invocations < this.least) return undefined;
    return `${NOT_STARTED}: ${this.unfinished} cases of this property with ${this.least} or more invocations ran past the budget and none finished; ${UNFINISHED} (a GPU engine's watchdog tells which)`;
  }

  note(invocations: number, unfinished: boolean): void {
    if (!unfinished) this.finished = true;
    else (this.unfinished++, (this.least = Math.min(this.least, invocations)));
  }
}

/** Runs one case and keeps every access, out-of-bounds access and data race. Throws CompileError for bad WGSL.
 *  `stall`, shared by the cases of one property, stops starting cases of a kernel that never finishes one. */
export function traceCase(sources: string[], c: BatchCase, options: InterpreterOptions = {}, stall?: StallWatch): CaseTrace {
  const shaders = sources.map(reflectable);
  checkSyntax(shaders, sources);
  return runCase(shaders, c, options, true, stall);
}

/** A case's outputs run with SUBSTITUTES[k] (domains.ts); undefined when that run could not finish (a loop bound made
 *  from the substitute may run past the budget): nothing is then known from it. */
function alternativeOutputs(k: number, run: () => CaseTrace): Uint8Array[] | undefined {
  try {
    const r = withSubstitute(k, run);
    return r.skipped ? undefined : r.outputs;
  } catch {
    return undefined;
  }
}

function runCase(shaders: string[], c: BatchCase, options: InterpreterOptions, trace: boolean, stall?: StallWatch): CaseTrace {
  const budget = options.maxInvocations ?? DEFAULT_MAX_INVOCATIONS;
  const skip = (why: string): CaseTrace => ({ outputs: c.readback.map(() => new Uint8Array(0)), skipped: why, dispatches: [] });
  // Placed in its file where the caller named the shaders (a trial read "..., line 17" with no file).
  const said = (u: InterpreterUnsupported, shader: number) => {
    const file = options.shaderNames?.[shader];
    return file && u.line > 0 ? `${NOT_SUPPORTED}: ${u.construct}, ${file}:${u.line}` : u.message;
  };
  // Each dispatch's module with its workgroup arrays' override counts written as their values (override-counts.ts),
  // and an `A && f(x)` as an if that calls f only where A holds (short-circuits.ts).
  const codes = c.dispatches.map((d) => withOverrideCounts(withShortCircuits(shaders[d.shader]!), d.constants));
  for (const [k, d] of c.dispatches.entries()) {
    const u = unsupported(codes[k]!);
    if (u) return skip(said(u, d.shader));
  }
  let invocations = 0;
  const sizes: [number, number, number][] = [];
  let shader = 0;
  try {
    for (const [k, d] of c.dispatches.entries()) {
      shader = d.shader;
      const [x, y, z] = workgroupSizeOf(codes[k]!, d.entry, d.constants);
      sizes.push([x, y, z]);
      invocations += x * y * z * d.workgroups[0] * d.workgroups[1] * d.workgroups[2];
    }
  } catch (e) {
    if (e instanceof InterpreterUnsupported) return skip(said(e, shader));
    throw e;
  }
  // What a device would reject is an error here too, before any budget: never a pass that no GPU engine can give.
  checkLimits(codes, c, sizes, options.limits);
  // The case's dispatches together: a trial read 4160 > 4096 of a 4096-element kernel as a miscount.
  const together = c.dispatches.length > 1 ? `the case's ${c.dispatches.length} dispatches together; ` : '';
  if (invocations > budget) return skip(`${OVER_BUDGET}: ${invocations} invocations > ${budget} (${together}--interpreter-budget invocations=N)`);
  const stalled = stall?.stops(invocations);
  if (stalled) return skip(stalled);

  const buffers = c.buffers.map((b) => {
    // An empty buffer stays empty here: a GPU engine binds at least 4 bytes (WebGPU has no empty binding), so its
    // sanitizer reads element 0 as inside; here it is out of bounds, as the spec's length says (a trial's SpMV read
    // vals[0] of a matrix with no entries, and passed).
    const bytes = new Uint8Array(b.size === 0 && b.kind === 'storage' ? 0 : align4(b.size));
    if (b.data) bytes.set(b.data.subarray(0, Math.min(b.data.byteLength, bytes.byteLength)));
    else if (b.fill !== undefined && b.fill !== 0) new Uint32Array(bytes.buffer).fill(b.fill >>> 0);
    return bytes.buffer;
  });
  const dispatches: DispatchRun[] = [];
  const deadline = cpuMs() + (options.caseTimeMs ?? DEFAULT_CASE_TIME_MS);
  try {
    for (const [k, d] of c.dispatches.entries()) {
      if (d.workgroups.some((n) => n <= 0)) continue; // a GPU records nothing for an empty dispatch
      shader = d.shader;
      const bindings = new Map(d.bindings.map((b) => [`${b.group}:${b.binding}`, { buffer: b.buffer, bytes: buffers[b.buffer]! }]));
      dispatches.push({ ...runDispatch({
        code: codes[k]!, entry: d.entry, workgroups: d.workgroups, constants: d.constants, bindings, trace,
        stepBudget: options.stepBudget ?? DEFAULT_STEP_BUDGET, deadline,
      }), shader: d.shader });
    }
  } catch (e) {
    // A kernel that never ends looks the same here as a slow one: a GPU engine's watchdog tells them apart.
    if (e instanceof StepBudgetExceeded) {
      stall?.note(invocations, true);
      // A CAS retried against an unchanged word with an unchanged compare value is named: a GPU engine that passed
      // the case tells nothing there, as its exchanges may never fail.
      const clue = casRetryClue();
      const over = skip(`${OVER_BUDGET}: ${e.message}; ${UNFINISHED} (${clue ?? "a GPU engine's watchdog tells which"})`);
      return e.run ? { ...over, dispatches: [...dispatches, e.run] } : over;
    }
    // An out-of-bounds index of the invocation's own memory: no values, but the access, for no-out-of-bounds.
    if (e instanceof PlainOutOfBounds && e.run) return { ...skip(`${said(e, shader)} (${MET_RUNNING})`), dispatches: [...dispatches, e.run] };
    if (e instanceof InterpreterUnsupported) return skip(`${said(e, shader)} (${MET_RUNNING})`);
    throw e;
  }
  stall?.note(invocations, false);
  return { outputs: c.readback.map((i) => new Uint8Array(buffers[i]!, 0, c.buffers[i]!.size).slice()), dispatches };
}

const scanned = new Map<string, InterpreterUnsupported | undefined>();

/** The module's first construct the interpreter cannot run, found once per module text. */
function unsupported(code: string): InterpreterUnsupported | undefined {
  if (!scanned.has(code)) {
    const u = unsupportedConstruct(code);
    scanned.set(code, u && new InterpreterUnsupported(u.construct, u.line));
  }
  return scanned.get(code);
}

/** wgsl_reflect parses but does not validate: syntax errors come back as CompileError here, and a module-scope
 *  const_assert that fails (reflect.ts failedConstAsserts; `sources` as written, before reflectable blanked them). */
function checkSyntax(shaders: string[], sources: string[]) {
  sources.forEach((code, shader) => {
    const failed = failedConstAsserts(code);
    if (failed.length) throw new CompileError(failed.map(({ line, column }) => ({ shader, type: 'error' as const, line, column, message: 'const assertion failed (evaluated by kernelscope: the interpreter does not validate WGSL, and runs nothing a compiler rejects)' })));
  });
  shaders.forEach((code, shader) => {
    const parser = new WgslParser();
    try {
      parser.parse(code);
    } catch (e) {
      // The error names the line only; the parser's current token has the exact position. A missing `;` or closer is
      // missed after the token before it, on its line, not at the next statement (trial 82 B9: "17:3: error: Expected
      // ';' after statement.. Line: 17" for a `;` missing at the end of line 16).
      const { _tokens: tokens, _current: current } = parser as unknown as { _tokens?: { line: number; start: number; end?: number; lexeme?: string }[]; _current: number };
      const raw = (e as Error).message ?? String(e);
      const previous = /^Expected '[;)\]}]'/.test(raw) && current > 0 ? tokens?.[current - 1] : undefined;
      const token = previous ? { line: previous.line, start: previous.end ?? previous.start + (previous.lexeme?.length ?? 1) } : tokens?.[current];
      const { line, column } = positionOf(e, code, token);
      const message = raw.replace(/\.? *Line: \d+\.?$/, '').replace(/\.+$/, '');
      throw new CompileError([{ shader, type: 'error', line, column, message }]);
    }
  });
}

function positionOf(e: unknown, code: string, token: { line?: number; start?: number } | undefined): { line: number; column: number } {
  const line = token?.line ?? Number(/line[: ]+(\d+)/i.exec(String((e as Error).message))?.[1] ?? 0);
  let column = 0;
  if (token?.start !== undefined) column = token.start - code.lastIndexOf('\n', token.start - 1);
  return { line, column };
}

export type { InterpreterEngine };
