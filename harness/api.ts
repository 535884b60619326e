// kernelscope as a library (`import { ... } from 'kernelscope/api'`, or 'kernelscope'): open an engine, load a
// kernel library, run a kernel on inputs of your own and get its outputs, run one property. The CLI is built from
// the same parts; docs/api.md has a worked example (a peer's test vectors fed to a library kernel).
import { isFloat16Array } from '@petamoriken/float16';
import { CompileError, type DispatchBatch } from './gpu/batch.ts';
import { BACKENDS, EngineUnavailable, lackedBy, type BackendId, type Engine } from './engines/engine.ts';
import { openEngine, type OpenOptions } from './engines/open.ts';
import type { PropertyResult } from './results/schema.ts';
import { fromOutputs, NotSupportedHere, programRequirements, shaderTable, toBatchCase } from './run/program.ts';
import { KernelCompileError, resultBase, runProperty, validate } from './run/property-runner.ts';
import { LIBRARY, loadKernels, withWgsl, type LoadedKernel } from './run/registry.ts';
import { nonUniformBarrierError, saveFixture } from './run/suite.ts';
import type { RunOutput, TypedArray } from './spec.ts';

export type { BackendId, Engine, LoadedKernel, OpenOptions, PropertyResult, RunOutput, TypedArray };
export { BACKENDS, EngineUnavailable, KernelCompileError, withWgsl };
export { NotSupportedHere, SpecMismatch } from './run/program.ts';

/**
 * Opens an engine ('dawn' by default; 'chromium', 'firefox', 'deno', 'interpreter'). Close it when done: Dawn keeps
 * the process alive while its device lives.
 * @throws EngineUnavailable with the reason, when the engine cannot start here (no adapter, no browser); Error for a
 *   name that is no engine's
 */
export function open(backend: BackendId = 'dawn', options: OpenOptions = {}): Promise<Engine> {
  // A misspelt engine is the caller's mistake, not an engine that cannot start here: EngineUnavailable is what a
  // runner catches to skip one, and `open('chromuim')` was skipped in silence (trial 110 B3).
  if (!(BACKENDS as readonly string[]).includes(backend)) return Promise.reject(new Error(`open: no engine '${backend}' (engines: ${BACKENDS.join(', ')})`));
  return openEngine(backend, options);
}

/**
 * The kernels of a library folder (kernels/NAME.kernel.ts with their WGSL, properties/FAMILY.properties.ts), by name.
 * @param dir the library; default KERNELSCOPE_LIBRARY, else kernelscope's own library
 * @param only load just these kernels
 * @throws LibraryError naming the file that does not load; Error for a name in `only` the library has no kernel of
 */
export async function loadLibrary(dir: string = LIBRARY, only?: string[]): Promise<Map<string, LoadedKernel>> {
  const kernels = await loadKernels(dir, only);
  // A name that loads nothing was an empty Map, where `test --kernel` says no such kernel (trial 110 B3).
  const missing = (only ?? []).filter((name) => !kernels.has(name));
  if (missing.length) throw new Error(`loadLibrary: no kernel ${missing.map((m) => `'${m}'`).join(', ')} in ${dir} (kernels/NAME.kernel.ts)`);
  return kernels;
}

/** Input values by buffer name: typed arrays as the spec's element types, or plain numbers converted to them. */
export type Inputs = Record<string, TypedArray | ArrayLike<number>>;

const ARRAY_OF: Record<string, new (values: ArrayLike<number>) => TypedArray> = { f32: Float32Array, u32: Uint32Array, i32: Int32Array };

/**
 * Runs the kernel once, every stage of its spec in order, on one shape and its inputs; returns every output
 * buffer (and every in-place buffer) by name, as the kernel left it. Plain numbers are rounded to the buffer's type
 * (f32: round to nearest). An element the kernel did not write holds the sentinel 0x7fbadbad (a NaN as f32).
 * @param shape the spec's shape object (e.g. softmax: { rows, cols }); each buffer's length comes from it
 * @throws NotSupportedHere (a SpecMismatch) where the engine lacks a feature or limit the kernel needs,
 *   KernelCompileError (located compiler messages), SpecMismatch (spec and WGSL disagree), an Error naming
 *   the buffer whose length does not fit the shape, DeviceError from the engine
 */
export async function runKernel(engine: Engine, kernel: LoadedKernel, shape: object, inputs: Inputs): Promise<RunOutput> {
  const { program } = kernel;
  // A feature the adapter lacks is not supported here (as checkProperty says it), not a compile error of the kernel's
  // (trial 110 B2: `enable f16` on Dawn threw KernelCompileError, which a runner takes for a broken kernel).
  const lacked = lackedBy(engine, programRequirements(program));
  if (lacked) throw new NotSupportedHere(`not supported here: ${lacked}`);
  const typed: Record<string, TypedArray> = {};
  for (const [name, values] of Object.entries(inputs)) {
    const buffer = program.spec.buffers[name];
    if (!buffer) throw new Error(`kernel '${program.spec.name}' has no buffer '${name}' (buffers: ${Object.keys(program.spec.buffers).join(', ')})`);
    if (ArrayBuffer.isView(values) || isFloat16Array(values)) typed[name] = values as TypedArray;
    else if (ARRAY_OF[buffer.type]) typed[name] = new ARRAY_OF[buffer.type]!(values);
    else throw new Error(`buffer '${name}' holds ${buffer.type}: pass its values as a typed array`);
  }
  await validate(engine, program, shape);
  const table = shaderTable(program);
  const cases = [toBatchCase(program, { shape, inputs: typed }, table.index)];
  // The device the kernel needs (shader-f16, subgroups, raised limits), as test asks for it.
  const batch: DispatchBatch = { shaders: table.shaders, cases, requires: programRequirements(program) };
  let result;
  try {
    result = await engine.execute(batch);
  } catch (e) {
    if (e instanceof CompileError) throw new KernelCompileError(program, table.files, e);
    throw e;
  }
  const skipped = result.skipped?.[0];
  if (skipped) throw new Error(`${engine.id} did not run the case: ${skipped}`);
  return fromOutputs(program, result.outputs[0]!);
}

export interface PropertyOptions {
  /** fast-check seed (default 1): the same seed draws the same cases on every engine. */
  seed?: number;
  /** Cases to draw (default 100). */
  runs?: number;
  /** Where a shrunk counterexample is saved; without it none is written. */
  fixturesDir?: string;
}

/**
 * Runs one property of a kernel on an engine, as `kernelscope test --kernel K --property P` does: draws, runs,
 * judges, and shrinks a failure. Never throws for the kernel's faults: a compile error or a device error comes back
 * as status 'error' with the message, a failure as 'fail' with the worst element.
 * @throws Error for a property the kernel does not have
 */
export async function checkProperty(engine: Engine, kernel: LoadedKernel, property: string, o: PropertyOptions = {}): Promise<PropertyResult> {
  const prop = kernel.properties.find((p) => p.name === property);
  if (!prop) throw new Error(`kernel '${kernel.program.spec.name}' has no property '${property}' (properties: ${kernel.properties.map((p) => p.name).join(', ')})`);
  const runs = o.runs ?? 100;
  // Trial 110 B1: runs 0 quietly ran one case and passed; NaN was an internal TypeError blamed on the caller's line.
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`checkProperty: runs must be a whole number of cases, 1 or more (got ${runs})`);
  // What `test` checks before it runs a kernel on an engine that would run invalid WGSL (trial 110 A1).
  const invalid = nonUniformBarrierError(kernel.program, engine.id);
  if (invalid) return { ...resultBase(kernel.program, prop.name, engine.id), status: 'error', runs: 0, durationMs: 0, error: invalid };
  const { fixturesDir } = o;
  return runProperty(engine, kernel, prop, {
    seed: o.seed ?? 1,
    runs,
    ...(fixturesDir ? { save: async (fx) => saveFixture(fixturesDir, fx, kernel.program) } : {}),
  });
}
