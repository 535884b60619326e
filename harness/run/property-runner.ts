// Runs one property of one kernel on one engine: draw the cases with fast-check, run them in a few large batches,
// judge each, and when one fails let fast-check shrink it (one GPU run per candidate). Node-free: saving a
// counterexample is the caller's (a callback), so the browser can run properties too.
import * as fc from 'fast-check';
import { CompileError, DeviceError, caseBytes, type BatchCase, type DispatchBatch, type InFlight } from '../gpu/batch.ts';
import { accessCheckingOf, describeAdapter, lackedBy, type Engine } from '../engines/engine.ts';
import type { PropertyResult } from '../results/schema.ts';
import type { Case, Measure, Property, RunOutput, Verdict } from '../spec.ts';
import { encodeArray, encodeDraw, FIXTURE_SCHEMA, type Counterexample } from './fixture.ts';
import { isTraceProperty, traceDraw, type TraceProperty } from './trace-properties.ts';
import { domainCall, domainText, SUBSTITUTES } from '../engines/interpreter/domains.ts';
import { interpreterOptionsOf, MET_RUNNING, StallWatch, UNFINISHED, type CaseTrace } from '../engines/interpreter.ts';
import { LimitExceeded } from '../engines/interpreter/limits.ts';
import { unsupportedAtDefaults } from '../engines/interpreter/unsupported.ts';
import { EVERY_CASE_CUT, LOOP_CUT } from '../engines/loop-limit.ts';
import { declaredTypeClauses, emptyDispatchClause, workgroupCounts, explainDispatchLimit, fromOutputs, NotSpreadOverY, NotSupportedHere, programRequirements, shaderTable, SpecMismatch, spreadClause, spreadsOverY, toBatchCase, updatesOutputClause, updatesScratchClause, validateProgram, WgslParseError, type KernelProgram } from './program.ts';
import { oneSubgroupSize } from '../engines/lane-reads.ts';
import { parsedOrNone, walk } from '../mutate/parse.ts';
import { entryLines, fallbackStoreOf, fallbackStoreText, lostUpdateOf, RETRY } from './universal.ts';
import { oppositeBranches, varyingBlockAround } from './index-sources.ts';
import { atomicLocks, unretriedExchanges, unretriedExchangeText, loadThenStoreCause, loadThenStorePlace, loadThenStoreRead, loadThenStores, type LoadThenStore, workgroupVariables, workgroupAtomicsBeforeBarrier, initializedTwin, laneReachNotes, loopVarClause, loopVarPassClause, loopVars, loadsPastWorkgroupBarrier, storageAtomicLoads, subgroupSlotNotes, subgroupWidthNotes, spinWaitNotes, spinWaitPlaces } from './portability.ts';
import type { LoadedKernel } from './registry.ts';
import { cut120, LibraryError, libraryFrame, shapeOf } from './library-error.ts';
import { formatDiagnostics } from './diagnostics.ts';
import { maxMeasure, OutputLengthError, short } from '../compare.ts';
import { SanitizedRuns, SanitizerRefused } from '../trace/sanitize-runs.ts';
import { caseHash, hashTexts, NOT_RUN } from '../results/case-hash.ts';
import { clearFillCache } from '../../properties/values.ts';
import { OOB_RACES_WHY, RACES_AFTER_OOB, type SanitizedCase } from '../trace/sanitize.ts';
import { jsonText } from './json-text.ts';

export interface RunOptions {
  seed: number;
  runs: number;
  /** Upper bounds on one batch: cases are cut into batches of at most this many bytes and cases. */
  batchBytes?: number;
  batchCases?: number;
  /** Time fast-check may spend shrinking a failure. */
  shrinkMs?: number;
  /** The user's WGSL file for `--wgsl`, recorded in the fixture. */
  wgslFile?: string;
  onProgress?(phase: 'run' | 'shrink', done: number, total: number): void;
  /** Saves a counterexample; returns where (a path relative to the repository). */
  save?(fixture: Counterexample): Promise<string>;
  /** For a `-spread-y` property: how its twin without the lowered dispatch fared on this engine, when that ran first
   *  (suite.ts plainOf). A failure's clause about the y path's index is for a kernel that passes without it. */
  plain?: { property: string; status: PropertyResult['status'] };
  /** Called with the first line of the compiler's error when the kernel's WGSL does not compile on the engine. */
  onCompileError?(firstLine: string): void;
}

/** The watchdog's first guess of a sanitized kernel's cost, in calibration kernels, or times the plain kernel's cost
 *  where that is learned and larger (batch.costOf): bench/sanitizer.ts measured up to 14x the plain kernel on Dawn
 *  (SwiftShader) under load, and the library's plain kernels cost up to about 1 calibration kernel; a trial's loop of
 *  60,000 stores per invocation cost far more, and its sanitized cases ran past a deadline from 20 alone. */
const SANITIZER_COST = 20;
/** A sanitized case's deadline from its plain kernel's time on it: SANITIZER_COST times that time, this many times
 *  over, as the watchdog's deadlines are its MULTIPLE of a prediction (watchdog.ts, which this Node-free file does not
 *  import). */
const PLAIN_MULTIPLE = 10;

/** Draws that came back without a verdict, e.g. over the interpreter's budget. */
class Skipped extends Error {}

/** A skip of a case the engine did not finish (past the interpreter's budget, cut by llvmpipe's loop limit), rather
 *  than one it could not run at all. */
const unfinishedSkip = (s: Skipped) => [UNFINISHED, MET_RUNNING, LOOP_CUT].some((m) => s.message.includes(m));

/** A batch of executeDraws that did not come back in time: the engine's error, with the draws whose cases the submit
 *  that hung held (the watchdog's InFlight, or the whole batch where the engine cannot say), so that the message can
 *  name what to run again; the draws given were often not all in it (the probe, a batch cut by size). */
export class DrawsInFlight extends DeviceError {
  constructor(e: DeviceError, readonly draws: unknown[], readonly of: number) {
    super(e.message, e.kind, e.inFlight);
  }
}

/** The plain kernel's own error, found before a sanitized batch ran under raised limits: the property's verdict. */
class PlainRefused extends Error {
  constructor(readonly error: unknown, readonly files: string[]) {
    super('the plain kernel is refused');
  }
}

/** Runs drawn values on the engine; returns each draw's runs' outputs. Cuts the work into bounded batches. */
export async function executeDraws<C>(engine: Engine, program: KernelProgram, prop: Property<unknown, C>, draws: C[],
  options: Pick<RunOptions, 'batchBytes' | 'batchCases'> & {
    /** What the compiler said about WGSL that compiled (warnings and their notes), located. */
    onCompilerMessages?(text: string): void;
  } = {}, onBatch?: (done: number) => void): Promise<(RunOutput[] | Skipped)[]> {
  const sanitized = isTraceProperty(prop as Property) && accessCheckingOf(engine) === 'instrumented';
  if (isTraceProperty(prop as Property) && !sanitized) {
    // Judged on the interpreter's access trace, computed here one case at a time.
    const stall = new StallWatch();
    return draws.map((d) => {
      let t: ReturnType<typeof traceDraw>;
      try {
        t = traceDraw(program, prop as unknown as TraceProperty, d as Case, interpreterOptionsOf(engine), stall);
      } catch (e) {
        // Located in the user's files, as the other properties' compile errors are (not a stack).
        if (e instanceof CompileError) {
          // The table traceDraw filled, as its stages name the files.
          const table = shaderTable(program);
          for (const file of Object.keys(program.sources)) table.index(file);
          throw new KernelCompileError(program, table.files, e);
        }
        throw e;
      }
      onBatch?.(1);
      return typeof t === 'string' ? new Skipped(t) : (t as unknown as RunOutput[]);
    });
  }
  const maxBytes = options.batchBytes ?? 16 << 20;
  const maxCases = options.batchCases ?? 256;
  const results: (RunOutput[] | Skipped)[] = new Array(draws.length);
  let pending: { draw: number; runs: number }[] = [];
  let requires = programRequirements(program);
  const newBatch = (shaders: string[]): DispatchBatch => ({ shaders, cases: [], requires });
  let table = shaderTable(program);
  let batch = newBatch(table.shaders);
  let bytes = 0;
  // Trace properties on a GPU engine: each case runs the sanitized WGSL and comes back as its findings.
  let checks = sanitized ? new SanitizedRuns(program) : undefined;
  let plans: SanitizedCase[] = [];
  /** The checker's device has limits raised past the kernel's own requirements (SanitizedRuns.raised). */
  let raisedLimits = false;
  /** Throws the plain kernel's own error (SanitizedRuns.plainError), a compile error located in the user's files. */
  const plainFails = (plain: { error: unknown; files: string[] }): never => {
    if (plain.error instanceof CompileError) throw new KernelCompileError(program, plain.files, plain.error);
    throw plain.error;
  };
  // The cases of the batch being built, one per batch case: to name a dispatch the engine refused, and to run the
  // plain kernel on the same cases when the sanitized batch is refused.
  let batchRuns: Case[] = [];

  const flush = async () => {
    if (!batch.cases.length) return;
    // The table holds the files its cases named, in the shaders' order.
    batch.names = table.files.map((f) => program.origins[f] ?? f);
    let result;
    try {
      const c = checks;
      if (c) {
        batch.costOf = batch.shaders;
        batch.shaders = table.files.map((f) => c.shader(f).code);
        batch.costHint = SANITIZER_COST;
      }
      // Under raised limits only if the plain kernel runs these cases under its own: else its error is the verdict.
      const plainFirst = async (c: SanitizedRuns) => {
        const plain = await c.plainError(engine, table.files, batchRuns);
        if (plain) throw new PlainRefused(plain.error, plain.files);
      };
      if (checks && raisedLimits) await plainFirst(checks);
      const execute = () => engine.execute(batch).catch(async (e: unknown) => {
        // Refused over a limit the adapter can raise: the checker's device asks for it, for this batch and the next.
        const raised = checks?.raised(engine, batch.requires, e);
        if (!raised) throw e;
        await plainFirst(checks!);
        requires = batch.requires = raised;
        raisedLimits = true;
        return engine.execute(batch);
      });
      result = await execute().catch(async (e: unknown) => {
        // A sanitized case alone past its deadline, where the watchdog had not timed the plain kernel: a slow kernel
        // as likely as a hung one (trial 89 A2: 60,000 stores an invocation, ERR on its own no-out-of-bounds). The plain
        // kernel on that case tells: past its own deadline, the hang stands; else the sanitized batch runs again,
        // given SANITIZER_COST times what the plain case took, PLAIN_MULTIPLE times over.
        const alone = e instanceof DeviceError && e.kind === 'timeout' && e.inFlight?.cases.length === 1 && !/--timeout\)/.test(e.message) ? batchRuns[e.inFlight.cases[0]!] : undefined;
        if (!checks || !alone || batch.minDeadlineMs !== undefined) throw e;
        const t0 = performance.now();
        const plain = await checks.plainError(engine, table.files, [alone]);
        if (plain) {
          if (plain.error instanceof DeviceError && plain.error.kind === 'timeout') (e as Error).message = (e as Error).message.replace(': a kernel that never ends?', ', nor did the plain kernel within its own: a kernel that never ends?');
          throw e;
        }
        batch.minDeadlineMs = SANITIZER_COST * PLAIN_MULTIPLE * (performance.now() - t0);
        return execute();
      });
      if (result.diagnostics && !checks) options.onCompilerMessages?.(formatDiagnostics(result.diagnostics, table.files, program.sources, program.origins));
    } catch (e) {
      if (e instanceof PlainRefused) plainFails(e);
      if (e instanceof DeviceError && e.kind === 'timeout') {
        // The batch's cases in order are each pending draw's runs in turn: map the submit's cases back to draws.
        const owner: number[] = pending.flatMap((p) => new Array<number>(p.runs).fill(p.draw));
        const hung = e.inFlight ? [...new Set(e.inFlight.cases.map((c) => owner[c]!))].sort((a, b) => a - b) : pending.map((p) => p.draw);
        throw new DrawsInFlight(e, hung.map((d) => draws[d]), draws.length);
      }
      if (checks && (e instanceof CompileError || (e instanceof DeviceError && e.kind === 'validation'))) {
        // A property that judges bounds alone runs the rewrite without race shadows, which double a kernel's workgroup
        // memory: from this batch on, where that one runs.
        if (checks.options.races !== false && !(prop as unknown as TraceProperty).judgesRaces) {
          const bounds = new SanitizedRuns(program, { races: false });
          const boundPlans: SanitizedCase[] = [];
          const cases = batchRuns.map((c) => bounds.add(c, table, boundPlans));
          // Refused too (the plain kernel's own refusal, most likely): the refusal below says which. A hang or a lost
          // device is that, as for any batch.
          result = await engine.execute({ ...batch, shaders: table.files.map((f) => bounds.shader(f).code), cases, requires }).catch((x: unknown) => {
            if (x instanceof CompileError || (x instanceof DeviceError && x.kind === 'validation')) return undefined;
            throw x;
          });
          if (result) {
            checks = bounds;
            plans = boundPlans;
          }
        }
      }
      if (!result) {
        if (checks && (e instanceof CompileError || (e instanceof DeviceError && e.kind === 'validation'))) {
          const plain = await checks.refused(engine, table.files, e, batchRuns);
          // The plain kernel fails too on these cases: its error, as the plain properties report it, not the sanitizer's.
          if (plain) plainFails(plain);
        }
        if (e instanceof CompileError) throw new KernelCompileError(program, table.files, e);
        throw checks ? e : explainDispatchLimit(program, batchRuns, e);
      }
    }
    let at = 0;
    for (const p of pending) {
      const skip = result.skipped?.slice(at, at + p.runs).find((s) => s);
      const outs = result.outputs.slice(at, at + p.runs);
      if (skip) results[p.draw] = new Skipped(skip);
      else if (checks) {
        const c = checks;
        const runs = outs.map((o, k) => c.decode(plans[at + k]!, o));
        const off = (prop as unknown as TraceProperty).judgesRaces ? runs.find((r) => r.raceOff)?.raceOff : undefined;
        results[p.draw] = off ? new Skipped(off) : (runs as unknown as RunOutput[]);
      } else {
        const runs = outs.map((o) => fromOutputs(program, o));
        const calls = result.outOfDomain?.slice(at, at + p.runs) ?? [];
        const call = calls.find((c) => c);
        if (call) {
          // Each substitute's runs: the draw's runs, those that made such calls as they came out with it.
          const alternatives = SUBSTITUTES.flatMap((sub, k) => {
            if (calls.some((c) => c && !c.alternatives[k])) return [];
            return [{ says: sub.says, runs: runs.map((r, j) => (calls[j] ? fromOutputs(program, calls[j].alternatives[k]!) : r)) }];
          });
          const file = program.origins[table.files[call.shader]!] ?? table.files[call.shader];
          outOfDomain.set(runs, { text: domainText(call, file), call: domainCall(call, file), builtin: call.builtin, alternatives });
        }
        results[p.draw] = runs;
      }
      at += p.runs;
    }
    plans = [];
    batchRuns = [];
    onBatch?.(pending.length);
    pending = [];
    table = shaderTable(program);
    batch = newBatch(table.shaders);
    bytes = 0;
  };

  for (let d = 0; d < draws.length; d++) {
    const runs = runsOf(prop, draws[d]!);
    if (runs.some((c) => c.spreadY && !spreadsOverY(program, c.shape))) {
      results[d] = new Skipped(new NotSpreadOverY().message);
      onBatch?.(1);
      continue;
    }
    const cases: BatchCase[] = [];
    const build = () => runs.map((c) => (checks ? checks.add(c, table, plans) : toBatchCase(program, c, table.index)));
    cases.push(...build());
    const size = cases.reduce((s, c) => s + caseBytes(c), 0);
    if (batch.cases.length && (bytes + size > maxBytes || batch.cases.length + cases.length > maxCases)) {
      // Shader indices were assigned for the batch being flushed: rebuild this draw's cases for the next one.
      plans.length = batch.cases.length;
      await flush();
      cases.length = 0;
      cases.push(...build());
    }
    batch.cases.push(...cases);
    batchRuns.push(...runs);
    pending.push({ draw: d, runs: cases.length });
    bytes += size;
  }
  await flush();
  return results;
}

/** Checks the spec against the WGSL; WGSL that does not parse is compiled by the engine for a located message. */
export async function validate(engine: Engine, program: KernelProgram, shape: unknown): Promise<void> {
  try {
    validateProgram(program, shape);
  } catch (e) {
    if (!(e instanceof WgslParseError)) throw e;
    try {
      await engine.execute({ shaders: [program.sources[e.file]!], cases: [], requires: programRequirements(program) });
    } catch (c) {
      if (c instanceof CompileError) throw new KernelCompileError(program, [e.file], c);
      throw c;
    }
    // The engine's compiler took it: the WGSL is fine, kernelscope's reading of it is not. Say so, not "bad WGSL".
    throw new SpecMismatch(`${e.origin}${e.line ? `:${e.line}` : ''}: not supported here: ${engine.id} compiles this WGSL, but kernelscope reads WGSL with wgsl_reflect 1.6.0, whose parser stops here (${e.reason})`);
  }
}

/** WGSL that does not compile: every compiler message (errors, their notes, warnings), located with file:line:column,
 *  the source line and a caret; the first line is the first error. */
export class KernelCompileError extends Error {
  /** The extensions the compiler knows but this engine does not offer (Tint: "extension 'X' is not allowed in the
   *  current environment"), when they are all its errors: the kernel is not supported here, not wrong. */
  readonly unavailableExtensions: string[];
  constructor(program: KernelProgram, files: string[], e: CompileError) {
    super(formatDiagnostics(e.diagnostics, files, program.sources, program.origins) + flagMaxHint(e) + capabilityHint(e, program));
    this.name = 'KernelCompileError';
    const errors = e.diagnostics.filter((d) => d.type === 'error');
    const names = errors.map((d) => /^extension '([^']+)' is not allowed in the current environment/.exec(d.message)?.[1]);
    this.unavailableExtensions = errors.length && names.every(Boolean) ? [...new Set(names as string[])] : [];
    // Naga (firefox, deno) has no unrestricted_pointer_parameters, the WGSL language extension that allows a pointer
    // to workgroup or storage memory as a parameter, which Tint has: "Argument 't' at index 0 is a pointer of space
    // WorkGroup, which can't be passed into functions." A trial's correct kernel was an error there, not a skip. Storage
    // reads "of space Storage { access: StorageAccess(LOAD) }, which ...": trial 66's ptr<storage> kernel was an error.
    const pointer = e.diagnostics.map((d) => /Argument '([^']+)' at index \d+ is a pointer of space (\w+)(?: \{[^}]*\})?, which can't be passed into functions/.exec(d.message)).find(Boolean);
    this.missingLanguageFeature = pointer
      ? `a ptr<${pointer[2]!.toLowerCase()}> parameter ('${pointer[1]}') needs the WGSL language extension unrestricted_pointer_parameters, which this engine's compiler (naga) does not have`
      : nagaF16Bitcast(e, program)
        ? "a bitcast between a 32-bit type and vec2<f16> (or a vec4<f16>), which WGSL defines (§bitcast) and this engine's compiler (naga) does not implement yet (gfx-rs/wgpu#8896); unpack2x16float and pack2x16float through f32 do the same where a kernel must run on it"
        : undefined;
  }
  /** A WGSL language extension the engine's compiler lacks, said, when the module needs it: not supported here. */
  readonly missingLanguageFeature: string | undefined;
}

/** Naga's gap (trial 97 B2): `bitcast<u32>(vec2<f16>)` comes out as a "non-WGSL Naga scalar" of width 2, and a
 *  `bitcast<vec2<f16>>(u32)` as a value without fields ("invalid field accessor `x`"): valid WGSL read as the user's
 *  type error. The others only where the module has such a bitcast (found in its AST, not by its text). */
function nagaF16Bitcast(e: CompileError, program: KernelProgram): boolean {
  const errors = e.diagnostics.filter((d) => d.type === 'error').map((d) => d.message);
  if (errors.some((m) => m.includes('non-WGSL Naga scalar'))) return true;
  // Firefox's older naga names the same type `vec2<u16>`, a type WGSL does not have (nor can a user write one that
  // compiles as far as this message).
  if (!errors.some((m) => m.includes('invalid field accessor') || /\bvec[24]<u16>/.test(m))) return false;
  const f16Vector = (t: { name?: string; format?: { name?: string } } | undefined) =>
    !!t && (t.name === 'vec2h' || t.name === 'vec4h' || ((t.name === 'vec2' || t.name === 'vec4') && t.format?.name === 'f16'));
  return Object.values(program.sources).some((code) => {
    const parsed = parsedOrNone(code);
    let found = false;
    if (parsed) {
      walk(parsed.ast, (n) => {
        const value = n.value as { astNodeType?: string; type?: never } | undefined;
        found ||= n.astNodeType === 'bitcastExpr' && (f16Vector(n.type as never) || (value?.astNodeType === 'createExpr' && f16Vector(value.type)));
      });
    }
    return found;
  });
}

/** C's and JavaScript's FLT_MAX written out, 3.4028235e38, is past f32's largest value (3.40282346639e38) once read
 *  exactly, and Tint refuses it: "value 340282349999999991754788743781432688640.0 cannot be represented as 'f32'"
 *  (trial 64 B2, a softmax ported from C). Said after the compiler's words, with what to write. */
function flagMaxHint(e: CompileError): string {
  const big = e.diagnostics.some((d) => {
    const v = /value (-?[\d.]+(?:e[+-]?\d+)?) cannot be represented as 'f32'/.exec(d.message)?.[1];
    return v !== undefined && Math.abs(Number(v)) > 3.4028234663852886e38 && Math.abs(Number(v)) < 3.41e38;
  });
  // Trial 122 B2: the hint named 3.4028235e38 beside a file that wrote 3.40282347e38 (the docs' printing of it).
  return big ? "\nhint: FLT_MAX as C, JavaScript and printf's %.9g print it (3.4028235e38, 3.40282347e38) is past f32's largest value read exactly: write 3.40282346e38, or bitcast<f32>(0x7f7fffffu)" : '';
}

/** Naga's "Shader requires capability Capabilities(SUBGROUP)" for WGSL that uses subgroup builtins (or f16) without
 *  enabling them read as an adapter lacking the feature (trial 87 B2), where kernelscope says a missing feature as a
 *  skip: what WGSL asks for is said after the compiler's words. */
function capabilityHint(e: CompileError, program: KernelProgram): string {
  const cap = e.diagnostics.map((d) => /requires capability Capabilities\((\w+)\)/.exec(d.message)?.[1]).find(Boolean);
  const extension = cap && { SUBGROUP: 'subgroups', SHADER_FLOAT16: 'f16', SHADER_FLOAT16_IN_FLOAT32: 'f16' }[cap];
  if (!extension || Object.values(program.sources).some((code) => new RegExp(`\\benable\\s+[^;]*\\b${extension}\\b`).test(code))) return '';
  return `\nhint: the module uses ${extension === 'f16' ? 'f16' : 'subgroup builtins'} without \`enable ${extension};\`, which WGSL requires at its top (Tint says "without extension '${extension}'"): not valid WGSL, whatever the adapter has`;
}

/** A draw's outputs -> its first call of sin, cos or tan past π, or of pack2x16float past f16's range (the
 *  interpreter's, domains.ts): the sentence that names it, and the draw's runs with such calls giving other values. */
const outOfDomain = new WeakMap<RunOutput[], { text: string; call: string; builtin: string; alternatives: { says: string; runs: RunOutput[] }[] }>();

/**
 * A property's verdict on one drawn value's runs: from the outputs, or from the interpreter's traces. `program`
 * places a trace finding's line in its WGSL file (the user's, for `--wgsl`). Where the kernel called sin, cos or tan
 * past π (or pack2x16float past f16's range), WGSL allows any result there, so matches-reference also judges the
 * draw run with those calls giving other allowed values (NaN, the accurate value + 1): an output that then leaves
 * its bound is right only on engines that happen to be accurate there, and the draw fails naming the call. An output
 * that stays within it (the element's bound is unbounded there, as sinCosBound is past π, or a `select` discards the
 * call) passes, with a note. With no such run finished (each over the budget) the draw fails unless the bound left
 * some element unbounded, the rule before substitution. Only the interpreter sees such calls.
 */
export function judge(prop: Property, draw: unknown, out: RunOutput[], program?: KernelProgram): Verdict {
  if (!isTraceProperty(prop)) {
    const raw = prop.check(draw, out) as Verdict | undefined;
    // A check with a path that returns nothing (trial 82 B1: a TypeError and a stack through the harness).
    if (!raw || typeof raw.pass !== 'boolean') throw new PropertyShapeError(prop, `its check() returned ${cut120(jsonText(raw) ?? String(raw))}, not a verdict ({ pass: boolean, message?: string }): return one on every path`);
    const v = integerUnits(raw, program);
    const call = prop.name === 'matches-reference' && v.pass ? outOfDomain.get(out) : undefined;
    if (!call) return v;
    if (!call.alternatives.length) return v.notes?.unboundedElements ? v : { ...v, pass: false, message: call.text };
    for (const alt of call.alternatives) {
      const w = prop.check(draw, alt.runs);
      if (!w.pass) return { ...w, notes: v.notes, message: `${call.text}; with ${call.builtin} giving ${alt.says} there, a value WGSL allows: ${w.message ?? 'the output leaves its bound'}` };
    }
    const says = call.alternatives.map((a) => a.says).join(' and with ');
    return { ...v, notes: { ...v.notes, outOfDomain: `${call.call}: outside the range where WGSL bounds its result; the output stayed within its bound with ${call.builtin} giving ${says} there` } };
  }
  const shape = (draw as Case).shape;
  return prop.checkTrace(draw as Case, out as unknown as CaseTrace[], program && ((d) => stageFile(program, shape, d, true)), program && ((d) => stageFile(program, shape, d, false)));
}

/** A property whose runs() or check() gives what no property may (no case, no verdict): an error naming the property,
 *  never a verdict on the kernel; runPropertyOnce adds its family's file. */
class PropertyShapeError extends LibraryError {
  constructor(prop: Property, what: string) {
    super(`property '${prop.name}': ${what} (an exception in a test is an error, never a verdict on the kernel)`);
  }
}

/** A draw's runs: a runs() that gives no case (a `return [];`, a missing return) is the property's mistake, said so,
 *  where it ended in a TypeError and a stack through the harness (trial 82 B2). */
function runsOf(prop: Property, draw: unknown): Case[] {
  const runs = prop.runs(draw) as unknown;
  if (!Array.isArray(runs) || !runs.length) throw new PropertyShapeError(prop, `its runs() gave ${cut120(jsonText(runs) ?? String(runs))} for the draw ${cut120(jsonText(draw) ?? String(draw))}, not a list of one case or more: return [case, ...]`);
  return runs as Case[];
}

/** Why the interpreter does not judge a kernel's values where its workgroups wait on each other's stores (a spin wait,
 *  portability.ts spinWaits): it runs a dispatch's workgroups one after another, each whole, and its one adversarial
 *  move (early-loads.ts: a workgroup's first atomicLoad of a word reads the dispatch's starting value) never shows a
 *  predecessor's aggregate ready before its prefix, so two wrong decoupled look-back scans passed there while Dawn
 *  failed them (trial 59 A1). Its accesses are still judged (no-data-race, no-out-of-bounds). Undefined otherwise. */
function interpreterCannotOrder(program: KernelProgram): string | undefined {
  const where = spinWaitPlaces(program);
  if (!where.length) return undefined;
  return `not judged on the interpreter: the loop at ${where.join(', ')} waits for another workgroup's store, and the interpreter runs workgroups one after another, each whole, so it meets none of the orders in which such stores reach a waiting workgroup on a GPU; its values are judged on Dawn and Chromium (its accesses here too: no-data-race, no-out-of-bounds)`;
}

/** A verdict on an integer buffer measured in f32 ULPs (a property that compared it as a Float64Array: kind comes
 *  from the array) gets its distance in units instead: "off by 1, 1.1e+9 ulp" of an i32 output read as far off
 *  (trial 57 B7). compareArrays measures integer arrays so itself. */
function integerUnits(v: Verdict, program?: KernelProgram): Verdict {
  const type = v.worst && program?.spec.buffers[v.worst.buffer]?.type;
  if (!v.measure || (type !== 'u32' && type !== 'i32')) return v;
  const m = v.measure;
  return { ...v, measure: { ...m, ulp: m.abs, ...(m.atWorst ? { atWorst: { ...m.atWorst, ulp: m.atWorst.abs } } : {}) } };
}

/** The WGSL file of stage `d` at `shape`, as the user knows it (`named`), or its source; undefined where the spec's
 *  stages() cannot say. */
function stageFile(program: KernelProgram, shape: unknown, d: number, named: boolean): string | undefined {
  try {
    const file = program.spec.stages(shape)[d]?.wgsl;
    return file && (named ? program.origins[file] ?? file : program.sources[file]);
  } catch {
    return undefined;
  }
}

/** Numbers keep the largest in size, with its sign (a count its largest; a property's z-score its worst, which the
 *  signed largest hid where it was negative: trial 169 B1), flags their conjunction; a sentence describes one case, so
 *  it comes from the case with the largest leading count so far (the sentence beside `unboundedElements` speaks of
 *  the case it counts). */
export function mergeNotes(into: Record<string, string | number | boolean>, notes: Verdict['notes']) {
  const entries = Object.entries(notes ?? {});
  const lead = entries.find(([, v]) => typeof v === 'number');
  const leads = !lead || typeof into[lead[0]] !== 'number' || (lead[1] as number) > (into[lead[0]] as number);
  for (const [k, v] of entries) {
    const old = into[k];
    if (old === undefined) into[k] = v;
    // A reference's NaN is said from the first case that shows one: the case with the most unbounded elements, which
    // leads the other sentences, is most often one that overflows, where it may have none (trial 167 A1).
    else if (k.startsWith('NaN reference ')) continue;
    else if (typeof v === 'boolean' && typeof old === 'boolean') into[k] = old && v;
    else if (typeof v === 'number' && typeof old === 'number') into[k] = Math.abs(v) > Math.abs(old) || Number.isNaN(v) ? v : old;
    else if (leads) into[k] = v;
  }
}


const oneLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;

// The universal properties all draw the family's cases (one arbitrary) with the same seed and count, so the same
// values: the last two arbitraries' draws are kept for the next properties, and a kernel's input arrays are filled
// once rather than once per property (filling them was the largest part of an elementwise kernel's harness time).
// Two, not one: the -spread-y property, with its own arbitrary, runs between matches-reference and the other
// universal properties; not more, since every kept draw holds its filled inputs. Sharing is safe because nothing
// writes to a drawn case's inputs: the engines copy them into their buffers.
const KEPT_DRAWS = 2;
/** Least recently used first. */
let keptDraws: { arbitrary: unknown; seed: number; n: number; draws: unknown[] }[] = [];

/** Forgets the kept draws and the cached value fills: `bench --harness` starts each round with this, so that a
 *  round finds what one kernel's run in the suite finds, not the previous round's draws. */
export function forgetDraws(): void {
  keptDraws = [];
  clearFillCache();
}

export function sampleDraws(prop: Property, seed: number, n: number): unknown[] {
  const at = keptDraws.findIndex((k) => k.arbitrary === prop.arbitrary && k.seed === seed && k.n === n);
  if (at >= 0) {
    const [kept] = keptDraws.splice(at, 1);
    keptDraws.push(kept!);
    return kept!.draws;
  }
  // Let the least recently used draws go before drawing the next.
  if (keptDraws.length >= KEPT_DRAWS) keptDraws.shift();
  const draws = checkStream(prop.arbitrary, seed, n);
  keptDraws.push({ arbitrary: prop.arbitrary, seed, n, draws });
  return draws;
}

/**
 * The n values `fc.check` draws for this seed, in order: value i is what `fc.check` with this seed and path "i"
 * replays, which the shrink relies on. Not `fc.sample` of a property: fast-check 4.10's sample wraps a property in a
 * Property of its own, whose bias is then runIdToFrequency(runIdToFrequency(i)), 2 on every run, where fc.check's is
 * 3 from run 9 on. From the tenth draw on the shrink replayed another case (test/kept-draws.test.ts): a failure found
 * there was saved without its counterexample when that case passed, or with another failure's.
 */
export function checkStream(arbitrary: fc.Arbitrary<unknown>, seed: number, n: number): unknown[] {
  const values: unknown[] = [];
  fc.check(fc.property(arbitrary, (d) => {
    values.push(d);
    return true;
  }), { seed, numRuns: n });
  return values;
}

/** The draws fc.sample's stream (kernelscope before checkStream) and fc.check's share: both bias runs 0 to 8 alike. */
export const SAME_EARLY_DRAWS = 9;

const sourceHashes = new WeakMap<KernelProgram, string>();

/** results.json's sourceHash: the program's WGSL files (by name, in name order), its spec's text, and the library's
 *  modules the spec and its family import (by path, in path order). */
function sourceHash(p: KernelProgram): string {
  let h = sourceHashes.get(p);
  if (!h) {
    const files = Object.keys(p.sources).sort();
    const modules = Object.keys(p.modules ?? {}).sort();
    sourceHashes.set(p, (h = hashTexts([...files.flatMap((f) => [f, p.sources[f]!]), p.specSource ?? '', ...modules.flatMap((m) => [m, p.modules![m]!])])));
  }
  return h;
}

export async function runProperty(engine: Engine, kernel: LoadedKernel, prop: Property, opts: RunOptions): Promise<PropertyResult> {
  return withInterpreterHints(await runPropertyOnce(engine, kernel, prop, opts), kernel.program);
}

/** A GPU engine's "--backend interpreter does" (or "checks ... without it") where the interpreter cannot run the
 *  kernel at all (an f16 kernel, trial 60 B5) says that instead: a hint that cannot be followed. */
export function withInterpreterHints(r: PropertyResult, program: KernelProgram): PropertyResult {
  const HINT = /--backend interpreter (does|checks accesses without (rewriting )?it|binds it empty)/;
  const note = r.notes?.notChecked;
  if (r.backend === 'interpreter' || !(HINT.test(r.error ?? '') || (typeof note === 'string' && HINT.test(note)))) return r;
  const refused = Object.values(program.sources).map((code) => unsupportedAtDefaults(code)).find((u) => u);
  if (!refused) return r;
  const instead = `the interpreter cannot run this kernel either (${refused.construct})`;
  const fix = (t: string) => t.replace(new RegExp(HINT.source, 'g'), instead);
  return { ...r, ...(r.error ? { error: fix(r.error) } : {}), ...(typeof note === 'string' ? { notes: { ...r.notes, notChecked: fix(note) } } : {}) };
}

/** What names a result: its kernel, property and engine, and the code it was of (sourceHash, and the --wgsl file). Every
 *  result has it, one run or not: a merge tells two codes apart by it, and a skip without it (an engine unavailable,
 *  a kernel's rest after a hang) let another code's pass stand in a merged report as this one's (trial 66 A3). */
export function resultBase(program: KernelProgram, property: string, backend: Engine['id'], wgslFile?: string) {
  return { kernel: program.spec.name, property, backend, sourceHash: sourceHash(program), ...(wgslFile ? { wgsl: wgslFile } : {}) };
}

async function runPropertyOnce(engine: Engine, kernel: LoadedKernel, prop: Property, opts: RunOptions): Promise<PropertyResult> {
  const t0 = performance.now();
  const spec = kernel.program.spec;
  const base = resultBase(kernel.program, prop.name, engine.id, opts.wgslFile);
  const n = Math.max(1, Math.round(opts.runs * (prop.runsScale ?? 1)));
  // A kernel that needs a feature or limit the adapter lacks cannot run here: a skip that names both, never a pass.
  const requires = programRequirements(kernel.program);
  const lacks = lackedBy(engine, requires);
  /** The draw being judged: a property that throws is named with the case it threw on. */
  let judging: { draw: unknown } | undefined;
  let draws: unknown[] = [];
  try {
    draws = sampleDraws(prop, opts.seed, n);
    if (lacks) {
      // A spec that does not fit its WGSL is wrong on every engine: an error here too, not hidden by the skip (a
      // new user's f16 WGSL under a spec of f32 buffers was a skip on Dawn and an error on Deno).
      try {
        validateProgram(kernel.program, runsOf(prop, draws[0])[0]!.shape);
      } catch (e) {
        if (e instanceof SpecMismatch || e instanceof PropertyShapeError) throw e;
      }
      return { ...base, status: 'skip', runs: 0, durationMs: 0, error: `not supported here: ${lacks}` };
    }
    await validate(engine, kernel.program, runsOf(prop, draws[0])[0]!.shape);
    const waits = engine.id === 'interpreter' && !isTraceProperty(prop) ? interpreterCannotOrder(kernel.program) : undefined;
    if (waits) return { ...base, status: 'skip', runs: 0, durationMs: performance.now() - t0, error: waits };
    let done = 0;
    // Compiler warnings ride on the result (shown once per text by the CLI), whatever the verdict.
    let warnings: string | undefined;
    const outputs = await executeDraws(engine, kernel.program, prop, draws, { ...opts, onCompilerMessages: (text) => (warnings = text) },
      (k) => opts.onProgress?.('run', (done += k), n));

    let measure: Measure | undefined;
    const notes: Record<string, string | number | boolean> = {};
    const caseHashes: string[] = [];
    // Per case, how far from the reference: lets the cross-engine view say which side of a divergence is closer.
    const caseMaxUlp: (number | typeof NOT_RUN)[] = [];
    let failed = -1;
    let judgedSome = false;
    let failure: Verdict | undefined;
    let skipped = 0;
    // Each kind of skip (its message with the numbers left out: cases of different sizes are over one budget), with
    // its first message and count: the last case's reason alone was given for all (a trial's 3 cases over the steps
    // budget were said as 5 over the invocations budget).
    const skipKinds = new Map<string, { message: string; count: number }>();
    // Cases that started and did not finish: past the interpreter's budget (a loop that never ends, or too slow), or
    // stopped at a construct it cannot run on a path only some cases take (a trial's BFS step skipped every case that
    // discovered a vertex and passed on the rest).
    let unfinished = 0;
    let unfinishedReason = '';
    // Of those, the ones past the interpreter's budget: the suite's sign of a kernel that never ends.
    let pastBudget = 0;
    // Of those, the ones llvmpipe's loop limit cut short (engines/loop-limit.ts): the same sign on Deno and Firefox.
    // The smallest of them is named: one that cannot need 65,535 iterations tells a loop that never ends (trial 48).
    let loopsCut = 0;
    let smallestCut: { size: number; draw: unknown } | undefined;
    // Cases whose races the sanitizer did not judge because of out-of-bounds accesses in them: a finding of its own.
    let oobRaces = 0;
    for (let i = 0; i < draws.length; i++) {
      const out = outputs[i]!;
      if (out instanceof Skipped) {
        skipped++;
        const kind = out.message.replace(/\d+/g, '#');
        const k = skipKinds.get(kind) ?? skipKinds.set(kind, { message: out.message, count: 0 }).get(kind)!;
        k.count++;
        if (unfinishedSkip(out)) (unfinished++, (unfinishedReason = out.message));
        if (out.message.includes(UNFINISHED)) pastBudget++;
        if (out.message.includes(LOOP_CUT)) {
          loopsCut++;
          const size = drawSize(prop, draws[i]);
          if (!smallestCut || size < smallestCut.size) smallestCut = { size, draw: draws[i] };
        }
        if (out.message === RACES_AFTER_OOB) oobRaces++;
        caseHashes.push('');
        // Not 0: a case that never ran is not an exact one (a trial's dashboard read it so).
        caseMaxUlp.push(NOT_RUN);
        continue;
      }
      // A trace property's run holds each buffer's raw bytes, a struct's padding with them, which WGSL leaves to each
      // engine: hashed as the plain runs are, by their values (trial 69 B1: a vec3 struct's exact copy "differed in
      // bits" between the interpreter and Dawn on no-out-of-bounds and no-data-race alone).
      caseHashes.push(caseHash(spec, out.map((r) => firstOutput(kernel.program, r))));
      judging = { draw: draws[i] };
      const v = judge(prop, draws[i], out, kernel.program);
      judging = undefined;
      caseMaxUlp.push(v.measure?.ulp ?? 0);
      if (!v.unjudged) judgedSome = true;
      measure = maxMeasure(measure, v.measure);
      mergeNotes(notes, v.notes);
      if (!v.pass && failed < 0) {
        failed = i;
        failure = v;
      }
    }
    const ran = draws.length - skipped;
    const skipReason = skipKinds.size === 1 ? [...skipKinds.values()][0]!.message
      : [...skipKinds.values()].map((k) => `${k.count} case${k.count === 1 ? '' : 's'}: ${k.message}`).join('; ');
    if (skipped) {
      notes.skippedCases = skipped;
      notes.skipReason = skipReason;
    }
    if (pastBudget) notes.casesPastBudget = pastBudget;
    if (loopsCut) notes.casesLoopsCut = loopsCut;
    const cutText = smallestCut ? `the smallest case cut short: ${shapeOfDraw(prop, smallestCut.draw)}` : '';
    if (smallestCut && unfinishedReason.includes(LOOP_CUT)) unfinishedReason += `; ${cutText}`;
    // What this kernel's device had beyond the engine's default device (engine info: deviceLimits).
    // With subgroups, the adapter's subgroup size: a kernel that assumes 32 lanes fails on SwiftShader's 4 (a trial's).
    const a = engine.info.adapter;
    const lanes = a?.subgroupMaxSize ? ` (subgroup size ${a.subgroupMinSize === a.subgroupMaxSize ? a.subgroupMaxSize : `${a.subgroupMinSize} to ${a.subgroupMaxSize}`} on this adapter)` : '';
    const asked = [...(requires.features ?? []).map((f) => (f === 'subgroups' ? `subgroups${lanes}` : f)), ...Object.entries(requires.limits ?? {}).map(([k, v]) => `${k}=${v}`)];
    if (asked.length) notes.device = asked.join(', ');
    // A pass that holds only where subgroups are consecutive invocations, as on every engine here: said beside it.
    const slots = prop.name === 'matches-reference' ? subgroupSlotNotes(kernel.program) : [];
    if (slots.length) notes.subgroupSlots = slots.join('; ');
    // A lane read past this adapter's subgroup: indeterminate in WGSL, 0 on SwiftShader (trial 53's 32-lane butterfly).
    const reaches = prop.name === 'matches-reference' && a?.subgroupMaxSize ? laneReachNotes(kernel.program, a.subgroupMaxSize, oneSubgroupSize(engine.info) !== undefined) : [];
    if (reaches.length) notes.subgroupLanes = reaches.join('; ');
    // A place right on this adapter's subgroup size alone (`lid % 4u`, a ballot's .x): no run here can show it wrong
    // (trials 64, 65, 66: each passed with nothing said).
    const one = oneSubgroupSize(engine.info);
    const widths = prop.name === 'matches-reference' && one ? subgroupWidthNotes(kernel.program, one) : [];
    if (widths.length) notes.subgroupWidth = widths.join('; ');
    // A wait on another workgroup (trial 39's look-back scan), which WebGPU does not promise ever ends: said beside
    // the verdict on every engine.
    const spins = prop.name === 'matches-reference' ? spinWaitNotes(kernel.program) : [];
    // Trial 96 A2: two wrong look-back scans (a flag published before its value) passed on Deno and Firefox, whose
    // llvmpipe runs a dispatch's workgroups in about dispatch order, so a waiting one rarely meets a half-published
    // predecessor: a pass there is said to be weak evidence of the wait's order.
    const llvmpipe = engine.id === 'deno' || engine.id === 'firefox'
      ? `; ${engine.id}'s llvmpipe runs a dispatch's workgroups in about dispatch order, so its waits seldom meet a predecessor that has published part of what they read: a pass here says little of the order of such stores, which Dawn and Chromium exercise` : '';
    if (spins.length) notes.spinWait = spins.join('; ') + llvmpipe;
    // Said by a case that passed (judge()): beside a failure, of another case (trial 224 B1 read "the output stayed
    // within its bound" over a message saying the call made it leave it).
    if (failure && typeof notes.outOfDomain === 'string') notes.outOfDomain += ', in a case that passed (the failure below is of another)';
    const common = {
      runs: ran,
      ...(measure ? { maxError: measure } : {}),
      ...(Object.keys(notes).length ? { notes } : {}),
      caseHashes,
      ...(prop.name === 'matches-reference' ? { caseMaxUlp } : {}),
      ...(warnings ? { detail: warnings } : {}),
    };
    if (failed < 0) {
      if (ran === 0 && loopsCut === skipped) {
        // The error says why every case is out: the skipped cases' reason again would say it twice.
        const { skippedCases: _n, skipReason: _why, ...rest } = notes;
        return { ...base, ...common, notes: rest, status: 'error', durationMs: performance.now() - t0, error: `${EVERY_CASE_CUT}; ${cutText}` };
      }
      if (ran === 0) return { ...base, ...common, status: 'skip', durationMs: performance.now() - t0, error: `every case skipped: ${skipReason}` };
      // A case that never finished may be the one that shows the bug (a trial's cumsum looped forever on every
      // exclusive case and passed on the others, exit 0): the property is not judged, never passed.
      if (unfinished) {
        return { ...base, ...common, status: 'skip', durationMs: performance.now() - t0,
          error: `not judged: ${unfinished} of ${draws.length} cases did not finish (${unfinishedReason}); the ${ran} that ran passed, but the property is about every case` };
      }
      // Races in those cases are not judged, not absent: passing on the others would be a pass for a kernel whose
      // every large case races (a trial's off-by-one index, with --property no-data-race alone: 'ok 1 case').
      if (oobRaces) {
        return { ...base, ...common, status: 'skip', durationMs: performance.now() - t0,
          error: `not judged: ${oobRaces} of ${draws.length} cases had out-of-bounds accesses, and races after them are not judged ${OOB_RACES_WHY}; the ${ran} that ran passed, but the property is about every case` };
      }
      // Every element of every case had an infinite allowed error: nothing was compared, so nothing passed.
      if (!judgedSome) {
        return { ...base, ...common, status: 'skip', durationMs: performance.now() - t0,
          error: `not judged: no element of the ${ran} case${ran === 1 ? '' : 's'} had a finite bound (the tolerance is Infinity at every element), so nothing was compared; give the elements WGSL bounds a finite tolerance, or draw cases where it does` };
      }
      // A GPU engine's sanitizer found nothing, but did not follow the kernel's pointers: not a pass.
      if (notes.accessesUnchecked === true) {
        return { ...base, ...common, status: 'skip', durationMs: performance.now() - t0,
          error: `not judged: the checked accesses of the ${ran} cases were all fine, but not the ${notes.notChecked}` };
      }
      // An engine that keeps a loop's var from the last iteration, where WGSL zeroes it, may pass a kernel that
      // relies on the kept value: the kernel as WGSL defines it must pass the same cases (trial 41's row sum passed on
      // four GPU engines with its accumulator declared in the loop).
      const asWgsl = await twinFailure(engine, kernel, prop, draws, opts, n);
      if (asWgsl?.message) return { ...base, ...common, ...(asWgsl.measure ? { maxError: asWgsl.measure } : {}), status: 'fail', durationMs: performance.now() - t0, error: asWgsl.message };
      if (asWgsl?.note) common.notes = { ...common.notes, loopVarUnchecked: asWgsl.note };
      return { ...base, ...common, status: 'pass', durationMs: performance.now() - t0 };
    }

    const { shrunk, stopped, timedOut, unfinished: unjudged } = await shrink(engine, kernel, prop, opts, failed, n);
    // No failing candidate and no engine error: the case that failed in its batch passed when run again alone. It
    // is saved as it failed, and said: a result that changes between runs is a finding of its own.
    const alone = !shrunk && !stopped && !timedOut;
    const kept = shrunk ?? (alone || (timedOut && !stopped) ? { draw: draws[failed], path: String(failed), verdict: failure!, outputs: outputs[failed] as RunOutput[] } : undefined);
    const counterexample = kept ? await saveCounterexample(engine, kernel, prop, opts, kept) : undefined;
    const verdict = shrunk?.verdict ?? failure!;
    // A smaller case that hung or crashed the engine ended the shrink: say so beside the failure.
    const cut = stopped ? `; shrinking stopped, a smaller case, ${shapeOfDraw(prop, stopped.draw)}, ${stopped.error instanceof DeviceError ? 'did not come back' : 'threw in the library\'s code, which is no verdict on the kernel: fix that, and the failure shrinks further'} (${(libraryFrame(stopped.error) && !(stopped.error instanceof LibraryError) ? `${libraryFrame(stopped.error)}: ${oneLine(stopped.error)}` : stopped.error.message.split('\n')[0])})`
      : alone ? '; this case failed in its batch but passed when run again alone (a result that changes from run to run, as a race\'s can, or one that depends on the cases run beside it): saved as it failed, not shrunk'
        : shrunkNearBound(failure, shrunk?.verdict) ? `; shrinking keeps a case failing, not how far it fails: the case drawn before shrinking, ${shapeOfDraw(prop, draws[failed])}, was ${short(failure!.measure!.boundRatio)} × the bound` : '';
    const cutShort = [timedOut ? `shrinking stopped at its time limit of ${timedOut} s` : '', unjudged ? `${unjudged} smaller case${unjudged > 1 ? 's' : ''} the engine did not judge (its budget, its loop limit) counted as passing` : '']
      .filter(Boolean).join(', and ');
    const shortOf = !cutShort || stopped || alone ? '' : shrunk ? `; ${cutShort}: a smaller case may fail too` : `; shrinking stopped at its time limit of ${timedOut} s before a smaller case failed: saved as it failed`;
    if (stopped?.error instanceof DeviceError) await engine.recover?.().catch(() => undefined);
    // A case that failed once and passed alone is not rerun: its twin's pass would prove nothing.
    const twin = engine.id !== 'interpreter' && !stopped && !alone ? await twinPasses(engine, kernel, prop, kept!.draw, opts) : undefined;
    // A failure with no measure of its own (a property's `{ pass: false, message }`) shows no figure: the passing
    // cases' "0.0000 of bound, 0 ulp" beside FAIL read as a contradiction (trial 79 B2).
    const { maxError: _passing, ...unmeasured } = common;
    return {
      ...base,
      ...(verdict.measure || failure!.measure ? common : unmeasured),
      status: 'fail',
      durationMs: performance.now() - t0,
      error: failureMessage(kernel, prop, verdict, prop.runs(shrunk?.draw ?? draws[failed])[0]!.shape, engine.id, opts.plain, twin) + cut + shortOf,
      ...(counterexample ? { counterexample } : {}),
    };
  } catch (e) {
    if (e instanceof SanitizerRefused) return { ...base, status: 'skip', runs: 0, durationMs: performance.now() - t0, error: e.message, detail: e.detail };
    if (e instanceof NotSupportedHere) return { ...base, status: 'skip', runs: 0, durationMs: performance.now() - t0, error: e.message };
    // An extension the compiler knows and this engine does not offer (a browser's experimental one): honest "not
    // supported here", as for a missing feature, never a verdict on the kernel.
    if (e instanceof KernelCompileError && e.unavailableExtensions.length) {
      const first = e.message.split('\n')[0]!;
      return { ...base, status: 'skip', runs: 0, durationMs: performance.now() - t0, error: `not supported here: the WGSL enables ${e.unavailableExtensions.join(', ')}, which ${engine.id} does not offer (${first})` };
    }
    if (e instanceof KernelCompileError && e.missingLanguageFeature) {
      return { ...base, status: 'skip', runs: 0, durationMs: performance.now() - t0, error: `not supported here: ${e.missingLanguageFeature} (${e.message.split('\n')[0]!})` };
    }
    if (e instanceof KernelCompileError) opts.onCompileError?.(e.message.split('\n')[0]!);
    if (e instanceof DeviceError && (e.kind === 'lost' || e.kind === 'timeout')) await engine.recover?.().catch(() => undefined);
    // Errors that name their own place need no stack; a device error is placed at the kernel's WGSL.
    // Found where the property's family is not known (judge(), runsOf()): its file said here.
    if (e instanceof PropertyShapeError) {
      e.message = `properties/${kernel.family.name}.properties.ts: ${e.message.replace(' (an exception', `${judging ? `, on a case of shape ${shapeOfDraw(prop, judging.draw)}` : ''} (an exception`)}`;
    }
    const located = e instanceof KernelCompileError || e instanceof SpecMismatch || e instanceof LibraryError;
    // Dawn's limit errors say "can be specified in requiredLimits when calling requestDevice()", or "exceeds the maximum
    // allowed": kernelscope makes that call, from the spec (a trial looked for requestDevice in its own code).
    // A --wgsl file runs under the library kernel's spec, which its user does not edit (a trial's 1024-invocation port),
    // unless the library is the user's own (a trial was sent to kernelscope init for a spec it had written).
    // The limit by name where the error names it (trial 133 B1 read the placeholder "NAME: VALUE").
    const said = (e as Error)?.message ?? '';
    const size = /workgroup_size\((\d+), (\d+), (\d+)\) that exceeds the maximum allowed \((\d+), (\d+), (\d+)\)/.exec(said)?.slice(1).map(Number);
    const limits = /\b(max[A-Z][A-Za-z0-9]+)/.exec(said)?.slice(1, 2)
      ?? (size ? [...['X', 'Y', 'Z'].filter((_, k) => size[k]! > size[k + 3]!).map((a) => `maxComputeWorkgroupSize${a}`), ...(size[0]! * size[1]! * size[2]! > 256 ? ['maxComputeInvocationsPerWorkgroup'] : [])]
        : /total number of workgroup invocations/i.test(said) ? ['maxComputeInvocationsPerWorkgroup'] : /workgroup storage/i.test(said) ? ['maxComputeWorkgroupStorageSize'] : []);
    const ask = limits.length ? limits.map((l) => `${l}: N`).join(', ') : 'NAME: VALUE';
    const limitHint = !/requiredLimits|exceeds the maximum|larger than the maximum allowed/.test(said) ? ''
      : kernel.program.userWgsl?.length && !kernel.program.userLibrary ? ` (kernelscope opens the device with the library kernel's spec, which asks for no more: keep your WGSL within WebGPU's default limits, or give it a spec of its own with kernelscope init, with requires: { limits: { ${ask} } })`
      : kernel.program.userWgsl?.length ? ` (kernelscope opens the device with the spec ${kernel.program.specOrigin ?? `of kernel '${kernel.program.spec.name}'`}, which asks for no more: add requires: { limits: { ${ask} } } there, which the adapter must have)`
        : ` (kernelscope opens the device: ask for the limit in the kernel's spec, requires: { limits: { ${ask} } }, which the adapter must have)`;
    // A --wgsl file whose element is larger than a case's whole buffer (array<vec4<f32>> over 2 floats): the library's
    // shapes, laid out as its WGSL lays them out, do not fit it (a trial read Dawn's words alone).
    const bindingHint = /smaller than the minimum binding size/.test((e as Error)?.message ?? '') && kernel.program.userWgsl?.length
      ? ' (the library kernel\'s spec gives this case\'s buffer fewer bytes than one element of your WGSL\'s array: the library\'s shapes include buffers that small; bind the buffer as the library\'s WGSL does, or give your kernel a spec of its own with kernelscope init)' : '';
    // The interpreter's check of WebGPU's limits is the device's refusal, said alike (its stack named our code).
    const device = e instanceof DeviceError || e instanceof LimitExceeded ? `${kernel.program.origins[spec.wgsl] ?? spec.wgsl}: ${e.message.replace(/\n|$/, `${limitHint}${bindingHint}$&`)}${e instanceof DrawsInFlight ? inFlight(prop, e) : ''}` : undefined;
    // Anything else thrown from the library's own code (a property's check with a typo): its line, not our stack.
    const frame = located || device ? undefined : libraryFrame(e);
    if (frame) {
      // Thrown while making a draw's runs (its case cannot be shaped): the first draw whose runs() throws, as drawn.
      const unshaped = judging ? undefined : draws.find((d) => { try { prop.runs(d); return false; } catch { return true; } });
      const on = judging ? ` on a case of shape ${shapeOfDraw(prop, judging.draw)}` : unshaped !== undefined ? ` making the runs of the draw ${cut120(jsonText(unshaped))}` : '';
      // The line may be in code the property calls (its reference): the fix is there or in what the property passes.
      const label = e instanceof OutputLengthError && !Object.hasOwn(kernel.program.spec.buffers, e.buffer);
      const fix = label ? 'make the three arrays one length'
        : e instanceof OutputLengthError ? `make the property's arrays one per element of ${e.buffer}, or the spec's length() the kernel's, whichever is wrong`
        : /\.properties\.[cm]?[jt]s:/.test(frame) ? 'fix the property' : `fix that line, or what property '${prop.name}' passes to it`;
      const error = `${frame}: property '${prop.name}' threw ${(e as Error)?.name ?? 'Error'}${on}: ${label ? (e as OutputLengthError).labelText() : oneLine(e)}; ${fix} (an exception in a test is an error, never a verdict on the kernel)`;
      return { ...base, status: 'error', runs: 0, durationMs: performance.now() - t0, error };
    }
    const clause = bufferClause(kernel, prop, e, judging?.draw);
    return {
      ...base,
      status: 'error',
      runs: 0,
      durationMs: performance.now() - t0,
      ...(e instanceof KernelCompileError ? { compileError: true } : {}),
      error: device ?? (located ? `${(e as Error).message.split('\n')[0]!}${limitHint}${clause}` : `${(e as Error).name ?? 'Error'}: ${oneLine(e)}`),
      detail: device ?? (located ? `${(e as Error).message}${clause}` : (e as Error).stack ?? String(e)),
    };
  }
}

/** Beside a library error about one of the kernel's buffers (a reference value no u32 holds), the WGSL's declaration
 *  of that buffer where its element type is another than the spec's: trial 84's spec said u32 for an array<i32>, and
 *  the reference was told to wrap with >>> 0, which hid the mismatch. */
function bufferClause(kernel: LoadedKernel, prop: Property, e: unknown, draw: unknown): string {
  const buffer = e instanceof LibraryError ? e.buffer : undefined;
if (buffer === undefined || draw === undefined) return '';
  let shape: unknown;
  try {
    shape = prop.runs(draw)[0]?.shape;
  } catch {
    return '';
  }
const clause = declaredTypeClauses(kernel.program, shape).find((c) => c.includes(`the spec's buffer '${buffer}' is`));
  return clause ? ` ${clause}` : '';
}

/** A shrunk failure just past its bound (under 2 ×) from a drawn one at least ten times as far: shown alone it reads
 *  as a bound a hair too tight, when the kernel is far off (a trial's particle step that dropped gravity's z: 2.9e5 ×
 *  the bound as drawn, shrunk to a z of 0.003 and 1.0000001 ×). */
function shrunkNearBound(drawn: Verdict | undefined, shrunk: Verdict | undefined): boolean {
  const a = drawn?.measure?.boundRatio;
  const b = shrunk?.measure?.boundRatio;
  return a !== undefined && b !== undefined && b < 2 && a >= 10 * b;
}

/** A draw's input elements, all its runs together: which of two cases is the smaller. */
function drawSize(prop: Property, draw: unknown): number {
  try {
    return prop.runs(draw).reduce((s, c) => s + Object.values(c.inputs).reduce((t, a) => t + a.length, 0), 0);
  } catch {
    return Infinity;
  }
}

/** A draw's first run's shape as JSON, for a message; '?' where the property cannot say. */
function shapeOfDraw(prop: Property, draw: unknown): string {
  try {
    return shapeOf(prop.runs(draw)[0]!);
  } catch {
    return '?';
  }
}

/** Why the watchdog ran one case of several alone (InFlight), as the message says it. */
const ALONE: Record<NonNullable<InFlight['alone']>, string> = {
  probe: "as the watchdog's first submit of a kernel it had not timed",
  larger: "as the watchdog's probe of a case larger than those it had timed the kernel on",
  'one-by-one': 'after a submit of several ran past its deadline',
};

/** The drawn cases (their shapes) of the submit that never finished, and why they went alone if one did, e.g.
 *  "; in flight: 1 of the 20 drawn cases, run alone as ...: {"n":1,...}". A hang is reproduced from these: the
 *  other drawn cases may all have been fine (a relu that hangs on huge values only). */
function inFlight(prop: Property, e: DrawsInFlight): string {
  const hung = e.draws;
  if (!hung.length) return '';
  let shapes: string[];
  try {
    shapes = hung.slice(0, 3).map((d) => jsonText(prop.runs(d)[0]?.shape));
  } catch {
    return '';
  }
  const which = hung.length === e.of ? `the ${e.of} drawn case${e.of === 1 ? '' : 's'}` : `${hung.length} of the ${e.of} drawn cases`;
  const alone = hung.length === 1 && e.inFlight?.alone ? `, run alone ${ALONE[e.inFlight.alone]}` : '';
  const list = hung.length > 3 ? `, first ${shapes.join(', ')}, ...` : `: ${shapes.join(', ')}`;
  return `; in flight: ${which}${alone}${list}`;
}

/** Where the kernel, run on a case of `shape`, may lose an atomic update, as places with what each does: a load then a
 *  store of one atomic (of a buffer or a var<workgroup>), a compare-exchange whose .exchanged is never read, one tried
 *  once with a store as its fallback. Empty where none is found (the check is of the code as written, not proof). */
export function atomicCauses(program: KernelProgram, shape: unknown): string[] {
  const lost = [...Object.keys(program.spec.buffers).flatMap((name) => {
    const l = program.spec.buffers[name]!.role === 'input' ? undefined : lostUpdateOf(program, name, shape);
    return l ? [`${l.at} ${l.read} and then stores to it`] : [];
  }), ...workgroupLoadThenStores(program).map(({ at, f }) => `${at} ${loadThenStoreRead(f, f.variable)} and then stores to it`)];
  const fallback = fallbackStoreOf(program, shape);
  return [...new Set([...lost, ...unretriedTexts(program), ...(fallback ? [fallbackStoreText(fallback)] : [])])];
}

/** Each load then store of a var<workgroup> atomic (loadThenStores), at its place, in the order of the sources. */
function workgroupLoadThenStores(program: KernelProgram): { at: string; f: LoadThenStore }[] {
  return Object.entries(program.sources).flatMap(([file, code]) => {
    const shared = workgroupVariables(code);
    return loadThenStores(code).filter((f) => shared.has(f.variable)).map((f) => ({ at: loadThenStorePlace(program.origins[file] ?? file, f), f }));
  });
}

/** Each compare-exchange whose .exchanged is never read (unretriedExchanges), as a sentence at its place. */
const unretriedTexts = (program: KernelProgram): string[] =>
  Object.entries(program.sources).flatMap(([file, code]) => unretriedExchanges(code).map((f) => unretriedExchangeText(program.origins[file] ?? file, f)));

/** A failure's message with what in the kernel's set-up may explain it (a declared element type that differs from
 *  the spec's; a `--wgsl` kernel's workgroup size that its spec's dispatch ignores; the atomics it updates so that an
 *  update may be lost), for every property alike, in `test` and in `replay`. */
export function failureMessage(kernel: LoadedKernel, prop: Property, verdict: Verdict, shape: unknown, engine: string, plain?: RunOptions['plain'], twin?: boolean): string {
  const message = verdict.message ?? 'the property does not hold';
  const clauses = declaredTypeClauses(kernel.program, shape);
  // A -spread-y failure is about the y path: its dispatch, not the workgroup size (the plain property judges that).
  const spread = prop.name.includes('-spread-y') ? spreadClause(kernel.program, shape, plain) : undefined;
  if (spread) clauses.push(spread);
  else if (kernel.fixedDispatch && (prop.name === 'writes-every-output' || message.includes(' was never written'))) clauses.push(`(${kernel.fixedDispatch})`);
  const neverWritten = message.includes(' was never written');
  const empty = neverWritten ? emptyDispatchClause(kernel.program, shape) : undefined;
  if (empty) clauses.push(empty);
  const updated = neverWritten ? (verdict.worst && updatesOutputClause(kernel.program, shape, verdict.worst.buffer)) ?? updatesScratchClause(kernel.program, shape) : undefined;
  if (updated) clauses.push(updated);
  if (kernel.paddingClause && (neverWritten || kernel.paddingInteger || /NaN|non-finite/.test(message))) clauses.push(kernel.paddingClause);
  // Trial 134 B2: a struct in HLSL's packing read the library's padding as `radius`; the note before the run said the
  // layouts differ, and the failure, which quoted a radius the kernel never read, said nothing of it.
  else if (kernel.layoutNote) clauses.push(`(${kernel.layoutNote.replace(/^note: /, '')}: where a field of yours lies on another of the library's, or on its padding, which holds the sentinel 0x7fbadbad, it reads that, not the input quoted)`);
  // WGSL the GPU engines are known to compile wrongly (portability.ts): the failure may be theirs, not the kernel's.
  // Said only where the kernel with them initialized passed the case, or could not be run to see (twinPasses).
  if (engine !== 'interpreter' && twin !== false) for (const [file, v] of loopVars(kernel.program)) clauses.push(`(${loopVarClause(file, v, engine, twin === true)})`);
  const f16 = halfMathClause(kernel.program, prop);
  if (f16) clauses.push(f16);
  // Trial 102 B2: a hash set's check-then-insert (an atomicLoad, then an atomicStore of the key) lost inserts, and
  // matches-reference said only which element was off: the load-then-store is named wherever a value failed.
  if (!isTraceProperty(prop) && !/(loads|reads) an atomic of/.test(message)) {
    // Of the spec's buffers, then of a var<workgroup> (trial 175 B1: a histogram's private bins updated by a load and a
    // store were named nowhere beside the failure).
    const shared = workgroupLoadThenStores(kernel.program).slice(0, 1).map(({ at, f }) => ({ at, cause: loadThenStoreCause(f, f.variable) }));
    for (const [name, b] of [...Object.entries(kernel.program.spec.buffers), ['', undefined] as const]) {
      if (b?.role === 'input') continue;
      const lost = b ? lostUpdateOf(kernel.program, name, shape) : shared[0];
      if (lost) {
        const locks = Object.entries(kernel.program.sources).flatMap(([file, code]) => atomicLocks(code).map((line) => `${kernel.program.origins[file] ?? file}:${line}`));
        // Trial 165 B2: under a lock the two loads looked impossible to the author; the lock is what fails.
        const lock = locks.length ? `; the lock taken at ${locks.join(' and ')} does not prevent it: WGSL's atomics are relaxed (no acquire or release), so a lock made of them orders nothing, and the next holder may load the word before the last holder's store to it is seen` : '';
        clauses.push(`(${lost.at} ${lost.cause.replace(/; (use|take) /, `${lock}; $1 `)})`);
        break;
      }
    }
  }
  // A compare-exchange whose .exchanged is never read: where another's update lands first, it stores nothing, and that
  // update is lost (trial 176 B2: said only in the note after a run, which a run with the interpreter leaves out).
  if (!isTraceProperty(prop) && !message.includes('.exchanged')) clauses.push(...unretriedTexts(kernel.program).map((t) => `(${t})`));
  // A compare-exchange tried once with a store as its fallback (trial 190 B2): named wherever a value failed, as the
  // interpreter's no-data-race names it.
  const fallback = isTraceProperty(prop) || message.includes('fallback of a compare-exchange') ? undefined : fallbackStoreOf(kernel.program, shape, verdict.worst?.buffer);
  if (fallback) clauses.push(`(${fallbackStoreText(fallback)}: ${RETRY})`);
  // A workgroup atomic loaded after the workgroup's updates of it, or updated after a store, with no barrier between
  // (trial 165 B3, 179 B2): atomics never race, so on a GPU engine only the values say it.
  if (!isTraceProperty(prop)) {
    for (const [file, code] of Object.entries(kernel.program.sources)) {
      for (const l of workgroupAtomicsBeforeBarrier(code)) {
        const at = (line: number) => `${kernel.program.origins[file] ?? file}:${line}`;
        // In two branches of one `if` taken by different invocations, no barrier can go between them (trial 203 B3).
        const branches = oppositeBranches(code, l.after, l.line);
        const where = l.kind === 'load' ? `the atomicLoad of ${l.variable} at ${at(l.line)}` : `the update of ${l.variable} at ${at(l.line)}`;
        // Where the load (or the store) is inside a statement whose condition varies, the barrier goes outside it
        // (trial 209 B3), and where that holds both, the two must be split around it (trial 212 B1).
        const around = l.kind === 'load' ? varyingBlockAround(code, l.line, l.after) : varyingBlockAround(code, l.after, l.line);
        const refused = around && `${around.name} at line ${around.line}, whose condition differs between invocations: WGSL refuses a barrier inside it`;
        const fix = (barrier: string) => (!around ? barrier : !around.holdsBoth ? `${barrier}, outside ${refused}`
          : `both are inside ${refused}, so move the ${l.kind === 'load' ? 'load after it, past a workgroupBarrier() there' : 'store before it, with a workgroupBarrier() after the store'}`);
        clauses.push(branches
          ? `(${where} and the ${l.kind === 'load' ? 'update' : 'atomicStore'} at line ${l.after} are in different branches of \`if (${branches})\`, taken by different invocations, with no workgroupBarrier() between the two sets: ${l.kind === 'load' ? 'the load may read the word before the other invocations have updated it' : 'an update may land before that store and be erased'}, and no barrier can go inside the branches; do it after the \`if\`, past a workgroupBarrier() there)`
          : l.kind === 'load'
          ? `(the atomicLoad of ${l.variable} at ${at(l.line)} follows its update at line ${l.after} with no workgroupBarrier() between: it may read the word before the workgroup's other invocations have updated it, and no-data-race does not see it, as atomics never race; ${fix('add a workgroupBarrier() before the load')})`
          : `(the update of ${l.variable} at ${at(l.line)} follows its atomicStore at line ${l.after} with no workgroupBarrier() between: another invocation's update may land before that store and be erased, which no-data-race on a GPU engine does not see, as it records no atomic (the interpreter's does); ${fix('add a workgroupBarrier() after the store')})`);
      }
    }
  }
  // The interpreter's schedule for a storage atomicLoad (early-loads.ts): said where it may be the failure's cause, a
  // stage of two workgroups or more whose entry point runs the load (trial 92 B1: a case of one workgroup, whose
  // bug was a check-then-set within it, was pointed at other workgroups' writes; trial 111 B1: so was one whose
  // stage of several workgroups was another, a clear; trial 200 B1: another that used the variable, a clear, while
  // the load was in a scan of one workgroup).
  if (engine === 'interpreter') {
    const counts = workgroupCounts(kernel.program, shape);
    let stages: ReturnType<KernelProgram['spec']['stages']> | undefined;
    try {
      stages = kernel.program.spec.stages(shape);
    } catch {
      stages = undefined;
    }
    const several = (file: string, line: number) => !counts || !stages || stages.some((s, i) => {
      const [x, y, z] = counts[i] ?? [2, 1, 1];
      return s.wgsl === file && x * y * z > 1 && entryLines(kernel.program, s)(line);
    });
    for (const [file, code] of Object.entries(kernel.program.sources)) {
      const at = (line: number) => `${kernel.program.origins[file] ?? file}:${line}`;
      for (const l of storageAtomicLoads(code)) {
        if (several(file, l.line)) {
          clauses.push(`(on the interpreter, the ${l.builtin} of ${l.variable} at ${at(l.line)}${l.builtin === 'atomicLoad' ? '' : ' (a read: its operand changes nothing)'} may read the word as the dispatch found it rather than another workgroup's write of it: WGSL's atomics are relaxed and nothing orders two workgroups of one dispatch, so what one workgroup needs from another, past an atomic ticket, comes from a later dispatch)`);
        }
      }
      // The same within a workgroup, where only a storageBarrier() orders a storage word's updates before a load.
      for (const l of loadsPastWorkgroupBarrier(code)) {
        clauses.push(`(on the interpreter, the atomicLoad of ${l.variable} at ${at(l.line)} may read the word as its workgroup's last storageBarrier() (or its start) left it, before the other invocations' updates of it: the workgroupBarrier() between them orders workgroup memory only, so a storage word's updates need a storageBarrier() before the load)`);
      }
    }
  }
  return [message, ...clauses].join(' ');
}

/** The verdict of `program` (a kernel's initializedTwin) on each draw on `engine`: undefined for a draw it skipped, or
 *  for the whole run where the engine failed (it is recovered where it hung or was lost). */
async function twinVerdicts(engine: Engine, program: KernelProgram, prop: Property, draws: unknown[], opts: RunOptions): Promise<(Verdict | undefined)[] | undefined> {
  try {
    const outs = await executeDraws(engine, program, prop, draws, opts);
    return draws.map((d, i) => (outs[i] instanceof Skipped ? undefined : judge(prop, d, outs[i] as RunOutput[], program)));
  } catch (e) {
    if (e instanceof DeviceError && (e.kind === 'lost' || e.kind === 'timeout')) await engine.recover?.().catch(() => undefined);
    return undefined;
  }
}

/** Whether the kernel's initializedTwin (portability.ts) passes the failing `draw` on `engine`: true, then only
 *  the loop variables WGSL zeroes on each iteration and the engine did not made the difference; false, they do not
 *  explain the failure; undefined, the kernel has none, or its twin did not run. */
async function twinPasses(engine: Engine, kernel: LoadedKernel, prop: Property, draw: unknown, opts: RunOptions): Promise<boolean | undefined> {
  const twin = initializedTwin(kernel.program);
  return twin && (await twinVerdicts(engine, twin, prop, [draw], opts))?.[0]?.pass;
}

/** Where a GPU engine passed every case: the first case the kernel's initializedTwin (the same kernel by WGSL's rules)
 *  fails on that engine, shrunk on the twin, as a failure message naming the variable (loopVarPassClause) and the
 *  twin's measure; undefined where it passes them, or the kernel has no such variable, or its twin could not run (the
 *  pass stands: the kernel's own run passed; where the twin cannot be made, a note says so). No counterexample is
 *  saved: replayed, the kernel as written passes it. */
async function twinFailure(engine: Engine, kernel: LoadedKernel, prop: Property, draws: unknown[], opts: RunOptions, n: number): Promise<{ message?: string; measure?: Measure; note?: string } | undefined> {
  if (engine.id === 'interpreter' || isTraceProperty(prop)) return undefined;
  const program = initializedTwin(kernel.program);
  // A declaration withInitializers cannot rewrite: the pass is the engine's reading of it, said so, never silently.
  if (!program) {
    const vars = loopVars(kernel.program);
    return vars.length ? { note: `${vars.map(([file, v]) => `${file}:${v.line}: 'var ${v.name}'`).join(', ')} has no initializer inside a loop, and kernelscope could not run the kernel as WGSL defines it (with the variable zeroed each iteration) beside this pass: ${engine.id} may keep its value where WGSL zeroes it; run --backend interpreter too, or write 'var ${vars[0]![1].name} = ${vars[0]![1].type}();'` } : undefined;
  }
  const verdicts = await twinVerdicts(engine, program, prop, draws, opts);
  const failed = verdicts?.findIndex((v) => v && !v.pass) ?? -1;
  if (failed < 0) return undefined;
  const { shrunk, stopped } = await shrink(engine, { ...kernel, program }, prop, opts, failed, n);
  if (stopped?.error instanceof DeviceError) await engine.recover?.().catch(() => undefined);
  const draw = shrunk?.draw ?? draws[failed];
  const verdict = shrunk?.verdict ?? verdicts![failed]!;
  const clauses = loopVars(kernel.program).map(([file, lv]) => `(${loopVarPassClause(file, lv, engine.id)})`);
  return {
    message: [`${verdict.message ?? 'the property does not hold'}, on the case ${shapeOfDraw(prop, draw)} run as WGSL defines the kernel`, ...clauses].join(' '),
    ...(verdict.measure ? { measure: verdict.measure } : {}),
  };
}

/** A kernel that enables f16 but whose spec has no f16 buffer computes in f16 inside f32 buffers: a failure on
 *  values may be the precision itself (a trial's f16 sigmoid read only "may need a bound of its own"), said so.
 *  Not for a property judged on accesses. */
function halfMathClause(program: KernelProgram, prop: Property): string | undefined {
  if (isTraceProperty(prop) || !programRequirements(program).features?.includes('shader-f16')) return undefined;
  if (Object.values(program.spec.buffers).some((b) => b.type === 'f16')) return undefined;
  return '(the WGSL enables f16 while every buffer of the spec is f32: a value computed in f16 keeps 11 significant bits, ' +
    'within 2^-11 relative at best, where an f32 bound allows a few 2^-24; compute in f32, or give the kernel f16 buffers ' +
    'and a family of its own whose tolerance takes f16\'s rules (the kit\'s U_F16, gammaF16: docs/writing-a-kernel.md))';
}

interface Shrunk {
  draw: unknown;
  path: string;
  verdict: Verdict;
  outputs: RunOutput[];
}

/** fast-check's shrink of draw `failed`, one GPU run per candidate; `stopped`: the engine error that ended it early,
 *  and the candidate it ended on. */
async function shrink(engine: Engine, kernel: LoadedKernel, prop: Property, opts: RunOptions, failed: number, n: number): Promise<{ shrunk?: Shrunk; stopped?: { error: Error; draw: unknown }; timedOut?: number; unfinished?: number }> {
  let last: Shrunk | undefined;
  let tries = 0;
  /** Smaller candidates the engine did not finish (over the interpreter's budget, cut by llvmpipe): taken as passing,
   *  so the shrink goes on past them and may stop short of the smallest failing case. Other skips (an empty case) are
   *  no such loss. */
  let unfinished = 0;
  /** A candidate the engine did not finish (the watchdog) or crashed on: no candidate runs after it, and the shrink
   *  ends with the last failing one. Thrown into fast-check, it counted as a failure to shrink further, each smaller
   *  candidate one more watchdog: a relu whose loop the llvmpipe of Deno cut short failed matches-reference, then
   *  hung in its shrink until the test's 290 s ran out (CI, 2026-12-01). */
  // So is a candidate on which the library's own code threw (its reference, its property's check, its spec): trial
  // 89's reference threw on the one-element case the shrink reached, and the failure found before it became an
  // error of 0 cases, its counterexample unsaved.
  let stopped: { error: Error; draw: unknown } | undefined;
  const limit = opts.shrinkMs ?? 60_000;
  const r = await fc.check(
    fc.asyncProperty(prop.arbitrary, async (draw) => {
      if (stopped) return true;
      opts.onProgress?.('shrink', ++tries, 0);
      let out;
      try {
        [out] = await executeDraws(engine, kernel.program, prop, [draw], opts);
        if (out instanceof Skipped) {
          if (unfinishedSkip(out)) unfinished++;
          return true;
        }
        const verdict = judge(prop, draw, out!, kernel.program);
        if (!verdict.pass) last = { draw, path: '', verdict, outputs: out! };
        return verdict.pass;
      } catch (e) {
        const engineGone = e instanceof DeviceError && (e.kind === 'timeout' || e.kind === 'lost');
        if (!engineGone && !(e instanceof LibraryError) && !libraryFrame(e)) throw e;
        // The candidate too: the message names it, the case to run again to see the hang or the throw.
        stopped = { error: e as Error, draw };
        return true;
      }
    }),
    { seed: opts.seed, numRuns: n, path: String(failed), endOnFailure: false, interruptAfterTimeLimit: limit, markInterruptAsFailure: false },
  );
  // Trial 115 B1: a shrink ended by its time limit named a case of 579 elements where one of 5 failed, and said nothing.
  const done = (shrunk: Shrunk | undefined) => ({ ...(shrunk ? { shrunk } : {}), ...(stopped ? { stopped } : {}), ...(r.interrupted ? { timedOut: limit / 1000 } : {}), ...(unfinished ? { unfinished } : {}) });
  if (!r.failed || !r.counterexample) return done(last);
  // The last failing candidate fast-check tried is its final counterexample.
  const draw = r.counterexample[0];
  if (!stopped && (!last || last.draw !== draw)) {
    const [out] = await executeDraws(engine, kernel.program, prop, [draw], opts);
    if (out instanceof Skipped) return done(last);
    last = { draw, path: '', verdict: judge(prop, draw, out!, kernel.program), outputs: out! };
  }
  if (last) last.path = r.counterexamplePath ?? String(failed);
  return done(last);
}

/** The reference of an output as the fixture keeps it: an integer output's in its own type, where every value is one
 *  (an index past 2^24, a hash, stored as f32 showed a neighbour of the reference); the rest as f32, for display. */
function expectedAs(type: string | undefined, v: Float64Array): Float64Array | Uint32Array | Int32Array {
  const fits = (lo: number, hi: number) => v.every((x) => Number.isInteger(x) && x >= lo && x <= hi);
  return type === 'u32' && fits(0, 2 ** 32 - 1) ? Uint32Array.from(v) : type === 'i32' && fits(-(2 ** 31), 2 ** 31 - 1) ? Int32Array.from(v) : v;
}

/** A run's buffers by name, whether it came back as outputs or as an interpreter trace. */
function firstOutput(program: KernelProgram, out: RunOutput): RunOutput {
  return 'dispatches' in out ? fromOutputs(program, (out as unknown as CaseTrace).outputs) : out;
}

async function saveCounterexample(engine: Engine, kernel: LoadedKernel, prop: Property, opts: RunOptions, s: Shrunk): Promise<PropertyResult['counterexample']> {
  const runs = prop.runs(s.draw);
  const first: Case = runs[0]!;
  const expected = prop.name === 'matches-reference' ? kernel.family.reference(first) : undefined;
  const a = engine.info.adapter;
  const fixture: Counterexample = {
    schema: FIXTURE_SCHEMA,
    kernel: kernel.program.spec.name,
    property: prop.name,
    backend: engine.id,
    // As the terminal says it: a vendor id as its vendor's name ("saved from deno (65541 llvmpipe ...)", trial 66 B6).
    adapter: a ? describeAdapter(engine) : '',
    seed: opts.seed,
    path: s.path,
    ...(opts.wgslFile ? { wgsl: opts.wgslFile } : {}),
    draw: encodeDraw(s.draw),
    shape: first.shape,
    inputs: Object.fromEntries(Object.entries(first.inputs).map(([k, v]) => [k, encodeArray(v)])),
    actual: Object.fromEntries(Object.entries(firstOutput(kernel.program, s.outputs[0]!)).map(([k, v]) => [k, encodeArray(v)])),
    ...(expected ? { expected: Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, encodeArray(expectedAs(kernel.program.spec.buffers[k]?.type, v))])) } : {}),
    ...(s.verdict.worst ? { worst: s.verdict.worst } : {}),
    ...(runs.length > 1 ? { runs: runs.length } : {}),
    ...(first.spreadY ? { spreadY: true as const } : {}),
    message: s.verdict.message ?? 'the property does not hold',
    createdAt: new Date().toISOString(),
  };
  const path = opts.save ? await opts.save(fixture) : '';
  // Encoded as the fixture's draw is: JSON has no -Infinity (a causal mask value) and would write null. The draw
  // where it is small and holds no array: a property's own draw (`{log2n, batch, where, v}`) decides the case, and
  // its case's shape (a trial's `{log2n, batch, seed: 0, dist}`) left out where the impulse was; else the shape.
  const drawn = encodeDraw(s.draw);
  const text = JSON.stringify(drawn) ?? '';
  return { fixture: path, shrunk: !text.includes('"$array"') && text.length <= 240 ? drawn : encodeDraw(first.shape), seed: opts.seed, path: s.path };
}
