// The runner's side of the sanitizer: a kernel's cases as sanitized batch cases, and their findings read back in
// the shape the trace properties judge (the interpreter's). Node-free.
import { CompileError, DeviceError, type BatchCase } from '../gpu/batch.ts';
import type { Engine } from '../engines/engine.ts';
import { mergeRequirements, type DeviceRequirements } from '../gpu/device.ts';
import type { Case } from '../spec.ts';
import { formatDiagnostics } from '../run/diagnostics.ts';
import { explainDispatchLimit, programRequirements, stageWorkgroupSize, toBatchCase, type KernelProgram } from '../run/program.ts';
import { reflect } from '../run/reflect.ts';
import { decodeFindings, sanitizeCase, sanitizeShader, type SanitizedCase, type SanitizedShader, type SanitizerFindings } from './sanitize.ts';

/** The sanitized kernel cannot run on this engine (it no longer compiles, or its pipeline is refused, e.g. over a
 *  limit) while the plain kernel runs the same cases: the trace properties are `skip` with the compiler's message. */
export class SanitizerRefused extends Error {
  constructor(message: string, readonly detail: string) {
    super(message);
    this.name = 'SanitizerRefused';
  }
}

/** The limits the sanitizer's rewrite counts against: its shadow words in workgroup memory, its storage shadows and
 *  findings buffer (bindings of their own). */
const SANITIZER_LIMITS = ['maxComputeWorkgroupStorageSize', 'maxStorageBuffersPerShaderStage', 'maxBindingsPerBindGroup'];

/** One sanitized run: the spec's buffers as read back (for saving a counterexample) and the findings. */
export type SanitizedRun = SanitizerFindings & { outputs: Uint8Array[] };

export class SanitizedRuns {
  private readonly shaders = new Map<string, SanitizedShader>();

  /** `races: false`: the bounds-only rewrite (sanitizeShader), for no-out-of-bounds where the full one is refused. */
  constructor(private readonly program: KernelProgram, readonly options: { races?: boolean } = {}) {}

  /** The sanitized form of one of the kernel's WGSL files. WGSL the sanitizer cannot rewrite (the runner's reflection
   *  read it, so the kernel itself is not at fault) makes the trace properties `skip` naming why: a parser's stack
   *  as the result's error told a new user nothing. */
  shader(file: string): SanitizedShader {
    let s = this.shaders.get(file);
    if (!s) {
      try {
        s = sanitizeShader(this.program.sources[file]!, this.options);
      } catch (e) {
        const why = (e as Error).message.split('\n')[0];
        throw new SanitizerRefused(`not supported here: the access checker that runs this property on a GPU engine cannot rewrite ${this.program.origins[file] ?? file} (${why}); --backend interpreter checks the accesses without it`, (e as Error).stack ?? String(e));
      }
      this.shaders.set(file, s);
    }
    return s;
  }

  /** A case as a sanitized batch case; its plan (for decoding) is appended to `plans`. */
  add(c: Case, table: { files: string[]; index(file: string): number }, plans: SanitizedCase[]): BatchCase {
    const p = this.program;
    const bc = toBatchCase(p, c, table.index);
    const sizes = p.spec.stages(c.shape).map((st) => stageWorkgroupSize(p, st).reduce((a, b) => a * b, 1));
    // The variable at (group, binding) that the dispatch's entry point uses: a file of several entry points may declare
    // one binding number for a variable of each (trial 103 A1: the first declared was taken, so the scatter's own
    // buffer had no shadow words, and a correct pipeline failed no-data-race on all four GPU engines).
    const names = (shader: number, b: { group: number; binding: number }, entry: string) => {
      const mod = reflect(p.sources[table.files[shader]!]!);
      const uses = mod.entries.get(entry)?.resources;
      const at = [...mod.bindings.values()].filter((r) => r.group === b.group && r.binding === b.binding);
      return (at.find((r) => uses?.has(r.name)) ?? at[0])?.name;
    };
    plans.push(sanitizeCase(bc, table.files.map((f) => this.shader(f)), sizes, names));
    return bc;
  }

  /**
   * The requirements to run a refused sanitized batch again under: the limits the sanitizer's additions count against
   * (SANITIZER_LIMITS) raised to the adapter's, where it allows more than `requires` asked for. Its shadow words take a
   * kernel's workgroup memory past WebGPU's default (a 32 × 32 f32 tile and its shadow: 18,432 bytes against 16,384)
   * on an adapter that offers 32,768. The messages that say so differ by engine, so any refusal is tried once more; a
   * second one is reported as before (refused). The raised limits are the checker's own device's, and only for what the
   * sanitizer adds: the caller first runs the plain kernel under its own requirements (plainError), since a kernel that
   * is itself over a default limit passed no-out-of-bounds on its raised device while its every other property was an
   * error (a trial's 11 storage buffers). Undefined when there is nothing to raise.
   */
  raised(engine: Engine, requires: DeviceRequirements | undefined, e: unknown): DeviceRequirements | undefined {
    if (!(e instanceof CompileError || (e instanceof DeviceError && e.kind === 'validation'))) return undefined;
    const limits: Record<string, number> = {};
    for (const name of SANITIZER_LIMITS) {
      const most = engine.info.limits?.[name];
      const asked = requires?.limits?.[name] ?? engine.info.deviceLimits?.[name];
      if (most !== undefined && (asked === undefined || asked < most)) limits[name] = most;
    }
    return Object.keys(limits).length ? mergeRequirements(requires, { limits }) : undefined;
  }

  decode(plan: SanitizedCase, outputs: Uint8Array[]): SanitizedRun {
    const spec = outputs.filter((_, i) => i !== plan.findings);
    return { ...decodeFindings(plan, outputs[plan.findings]!), outputs: spec };
  }

  /** The plain kernel's own error on these `cases` under its own requirements (programRequirements), with its files,
   *  or undefined when it runs them. All of its errors, not only the first: a plain kernel that compiles but whose
   *  dispatch of a large case is refused (over the device's workgroups per dimension) fails the same way sanitized. */
  async plainError(engine: Engine, files: string[], cases: Case[]): Promise<{ error: unknown; files: string[] } | undefined> {
    const p = this.program;
    const plain = { shaders: [] as string[], files: [] as string[] };
    const index = (file: string) => {
      let i = plain.files.indexOf(file);
      if (i < 0) (i = plain.files.push(file) - 1), plain.shaders.push(p.sources[file]!);
      return i;
    };
    try {
      const batch = cases.map((c) => toBatchCase(p, c, index));
      for (const f of files) index(f);
      await engine.execute({ shaders: plain.shaders, cases: batch, requires: programRequirements(p) });
    } catch (plainError) {
      return { error: explainDispatchLimit(p, cases, plainError), files: plain.files };
    }
    return undefined;
  }

  /** The engine refused the sanitized batch of `cases`: throws SanitizerRefused when the plain kernel runs those same
   *  cases, else returns the plain kernel's own error and its files (the caller reports it as for any kernel: its
   *  lines and columns are the user's, not the rewritten WGSL's); calling that the sanitizer's limit ("the plain
   *  kernel does") was false. */
  async refused(engine: Engine, files: string[], e: CompileError | DeviceError, cases: Case[]): Promise<{ error: unknown; files: string[] } | undefined> {
    const plain = await this.plainError(engine, files, cases);
    if (plain) return plain;
    const sources = Object.fromEntries(files.map((f) => [f, this.shader(f).code]));
    const p = this.program;
    if (!(e instanceof CompileError)) {
      // Trial 100 B2: a kernel of 12,288 bytes of workgroup memory was quoted 36,864, and pointed at requires.limits,
      // where the adapter's own maximum was the wall: the shadows are kernelscope's, said so.
      const shadows = /workgroup stor|maxComputeWorkgroupStorageSize/i.test(e.message)
        ? "; the rewrite keeps two shadow words (last writer, readers) beside each word of the kernel's workgroup memory, so it needs three times the kernel's bytes: over the limit by kernelscope's words, not the kernel's" : '';
      throw new SanitizerRefused(`the sanitized kernel does not run on ${engine.id} (the plain kernel does; --backend interpreter checks accesses without rewriting it): ${shadows ? e.message.split('\n')[0]!.replace(/\.$/, '') : e.message.split('\n')[0]}${shadows}`, e.message);
    }
    // The plain kernel compiles, so the compiler's lines and columns are of kernelscope's text, not the user's: said
    // so (trial 49 read the quoted line as its own). The rewrite is made again from the kernel, so a report needs only that.
    const text = formatDiagnostics(e.diagnostics, files, { ...p.sources, ...sources }, p.origins);
    const names = files.map((f) => p.origins[f] ?? f).join(', ');
    throw new SanitizerRefused(`not supported here: kernelscope's access-checking rewrite of ${names} does not compile on ${engine.id}, though the kernel does (a fault of kernelscope's rewrite, not of the kernel: please report it with the kernel; --backend interpreter checks accesses without rewriting it); ${engine.id} said of the rewritten text: ${text.split('\n')[0]}`, text);
  }
}
