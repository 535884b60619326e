// A kernel spec joined to its WGSL sources: checked against each other, then turned into batch cases and back.
// Node-free: the visualizer and the browser-side property runner use it too.
import { DeviceError, type BatchBuffer, type BatchCase, type BatchDispatch } from '../gpu/batch.ts';
import { EXTENSION_FEATURES, mergeRequirements, type DeviceRequirements } from '../gpu/device.ts';
import { holdsResults, type Case, type DispatchLimits, type ElementType, type KernelSpec, type RunOutput, type StageSpec } from '../spec.ts';
import { bytesOf, elementLayout, fromBufferBytes, packValue, scalarBytes, StructValueError, toBufferBytes, zeroOf, type ElementLayout } from './layout.ts';
import { holdsAtomic, identifierCount, lineOf, pipelineConstants, reflect, typeName, workgroupSizeFor, type ReflectedBinding, type ReflectedModule, type WgslType } from './reflect.ts';
import { Struct } from 'wgsl_reflect/wgsl_reflect.module.js';
import { isFloat16Array } from '@petamoriken/float16';
import { jsonText } from './json-text.ts';
import { children, parseWgsl, walk, type Node as AstNode } from '../mutate/parse.ts';

export { bitsOf, viewAs } from './layout.ts';

/** Outputs and scratch buffers start filled with this bit pattern (a signaling NaN with a payload, which no
 *  arithmetic produces: operations return quiet NaNs): one still holding it after the run was never written, or was
 *  written with a copy of an element that never was (universal.ts says both). */
export const SENTINEL = 0x7fbadbad;
/** The same for f16 buffers: a signaling f16 NaN (exponent all ones, quiet bit 9 clear, payload 0x1ad). */
export const SENTINEL_F16 = 0x7dad;

/** Second sentinels, for writes-every-output's second run of a kernel with an integer output: there the sentinel is a
 *  number like any other (a sort's key 0x7fbadbad, a hash), and an element is never written only if it holds each
 *  run's own sentinel. Its top bit is set, unlike the first's and the third run's zeros (trial 101 A2, A3): an
 *  atomicMax of u32 keys ≥ 2^31 into an output never cleared kept its value over 0x7fbadbad and zeros alike, and an
 *  i32 atomicMin of values ≤ 0 likewise; as u32 this fill is larger than nearly any key, as i32 it is −5,921,371. */
export const SENTINEL_2 = 0xffa5a5a5;
/** The second sentinel of an i32 buffer: near i32's least value, so that an atomicMin never cleared keeps it over any
 *  key above −2,147,441,243 (trial 106 A2: keys over the whole i32 range slipped past −5,921,371). A max into an i32
 *  output is caught by the first run's 0x7fbadbad, near i32's largest. */
export const SENTINEL_2_I32 = 0x8000a5a5;
export const SENTINEL_F16_2 = 0x7d5a;

/** writes-every-output's second and third runs fill each float output and scratch buffer with a large finite number,
 *  +F then −F, where the first run had the NaN sentinel: a kernel that reads an output before writing it gives itself
 *  away by keeping the fill or by computing something else than in the first run. NaN alone hides it: max(NaN, v) is
 *  v on every engine tried, so a trial's y[i] = max(y[i], blur) passed every property on Dawn, Deno and Firefox; one
 *  sign alone hides a min (or, for −F, a max), as a trial's .w = max(y[i].w, p.w) showed on the odd words of a fill
 *  that alternated. F is large, so that y += v keeps it exactly (|v| < 2^101 in f32, |v| < 16 in f16), and unlike
 *  anything a kernel computes. Integer buffers start the third run with zeros (an atomicMin never cleared). */
export const READ_FILL_F32 = 0x7e5a5a5a; // 7.25e37
export const READ_FILL_F16 = 0x7a5a; // 52,032

/** Whether bits are a float element's fill of the second or third run. */
export function isReadFill(type: ElementType, bits: number): boolean {
  if (type === 'f16') return (bits & 0x7fff) === READ_FILL_F16;
  return type === 'f32' && (bits & 0x7fffffff) === READ_FILL_F32;
}

/** The u32 fill pattern of a float buffer in the second run (+F), or the third (−F). */
function readFill(type: ElementType, negative = false): number {
  if (type === 'f16') {
    const h = negative ? READ_FILL_F16 | 0x8000 : READ_FILL_F16;
    return ((h << 16) | h) >>> 0;
  }
  return (negative ? READ_FILL_F32 | 0x80000000 : READ_FILL_F32) >>> 0;
}

/** `bytes` of u32 words 0, 1, 2, 3, 0, 1, ...: integer scratch's fill in writes-every-output's third run. */
export function smallIntegers(bytes: number): Uint8Array {
  const words = new Uint32Array(Math.ceil(bytes / 4));
  for (let i = 0; i < words.length; i++) words[i] = i & 3;
  return new Uint8Array(words.buffer).slice(0, bytes);
}

/** The sentinel bits of an element of this type (16 bits for f16, 32 otherwise); `second`: the second run's. */
export const sentinelOf = (type: ElementType, second = false): number =>
  type === 'f16' ? (second ? SENTINEL_F16_2 : SENTINEL_F16) : second ? (type === 'i32' ? SENTINEL_2_I32 : SENTINEL_2) : SENTINEL;

/**
 * Whether an element's bits are the sentinel, also with its quiet bit set: SwiftShader stores a vec3 member as a
 * 16-byte read-modify-write that quiets the signaling NaN in the next field, so a never-written `mass` after a
 * `vel: vec3<f32>` came back as 0x7ffadbad. Arithmetic makes that payload only from the sentinel itself (a NaN
 * operand's payload is kept): from an element nobody wrote.
 */
export function isSentinel(type: ElementType, bits: number, second = false): boolean {
  const s = sentinelOf(type, second);
  return bits === s || bits === (s | (type === 'f16' ? 0x200 : 0x400000));
}
/** The sentinel as the u32 fill pattern of a whole buffer. */
const fillOf = (type: ElementType, second = false): number => {
  const s = sentinelOf(type, second);
  return type === 'f16' ? ((s << 16) | s) >>> 0 : s;
};

export interface KernelProgram {
  spec: KernelSpec;
  /** WGSL source by the file name the spec uses. */
  sources: Record<string, string>;
  /** Where each source was read from (a path the user recognises), for messages. */
  origins: Record<string, string>;
  /** The spec's own file (kernels/NAME.kernel.ts, as shown), for messages about a mistake in the spec. */
  specOrigin?: string;
  /** That file's text, to give such a message its line (specLine). */
  specSource?: string;
  /** Whether the spec is in a library of the user's own (KERNELSCOPE_LIBRARY), which they edit, not this repository's. */
  userLibrary?: boolean;
  /** The library's own modules the spec and its family's properties file import, by path in the library, with their
   *  texts (registry.ts libraryModules): a result's sourceHash covers them, as they decide what runs and how it is
   *  judged (a trial's shards ran a config the spec imports before and after a fix and merged to a pass). */
  modules?: Record<string, string>;
  /** The spec's file names whose WGSL is the user's (`--wgsl`): a mismatch is fixed in their file, not in the
   *  library's spec, so its message says what their WGSL must declare. */
  userWgsl?: string[];
  /** For each file `--wgsl` replaced, the library kernel's own WGSL and where it was read from. Its declarations lay
   *  the storage buffers out, as host code written for the library would upload and read them; the user's WGSL reads
   *  those bytes as it declares them. A trial's particles as `array<f32>` read 7 floats apart, against the library's
   *  struct of vec3s 32 bytes apart, were laid out to fit each twin and so passed where a device would fail them. */
  host?: Record<string, { source: string; origin: string }>;
}

/**
 * The program with `source` in place of its spec's own WGSL file, read from `origin` (`test --wgsl`, the page's edited
 * or saved WGSL): held to the library's spec as a --wgsl file is, on buffers laid out as the library's WGSL lays them
 * out (`host`, where the program has that WGSL).
 */
export function withUserWgsl(p: KernelProgram, source: string, origin: string): KernelProgram {
  const wgsl = p.spec.wgsl;
  const library = p.host?.[wgsl] ?? (p.sources[wgsl] === undefined ? undefined : { source: p.sources[wgsl], origin: p.origins[wgsl] ?? wgsl });
  return {
    ...p,
    sources: { ...p.sources, [wgsl]: source },
    origins: { ...p.origins, [wgsl]: origin },
    userWgsl: [...(p.userWgsl ?? []), wgsl],
    ...(library ? { host: { ...p.host, [wgsl]: library } } : {}),
  };
}

/** The advice for a `--wgsl` file that does not fit the library kernel's spec: `what` to do in it, or a spec of its own. */
const forUserWgsl = (what: string) => `${what} in your WGSL, or give your kernel a spec of its own (kernelscope init)`;

/** `:LINE` of the one line of the spec's file that holds `name` quoted, or with `boundTo` the one that binds the WGSL
 *  variable `name` (to that buffer; '' for a uniform or storage struct; null: any key `name:`, a stage's constant);
 *  '' when none or several do: a plain search of the TypeScript, enough to place a misspelt name. */
function specLine(p: KernelProgram, name: string, boundTo?: string | null): string {
  const quoted = [`'${name}'`, `"${name}"`, `\`${name}\``];
  const source = (p.specSource ?? '').split('\n');
  const linesOf = (test: (l: string) => boolean) => source.flatMap((l, i) => (test(l) ? [i + 1] : []));
  let lines: number[];
  if (boundTo === undefined) lines = linesOf((l) => quoted.some((q) => l.includes(q)));
  else {
    // A binding, `x: 'x'` or `params: { uniform: ... }` in a stage's bind (the key bare or quoted); the key alone
    // where the value is on another line. WGSL names are [A-Za-z0-9_], nothing a RegExp reads specially; a buffer's
    // name is escaped.
    const key = `(^|[{,\\s])(${name}|'${name}'|"${name}")\\s*:`;
    const value = boundTo === null ? '' : boundTo === '' ? '\\{\\s*(uniform|storage)\\b' : `['"\`]${boundTo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"\`]`;
    const binding = new RegExp(key + '\\s*' + value);
    const keyAlone = new RegExp(key);
    lines = linesOf((l) => binding.test(l));
    if (lines.length !== 1) lines = linesOf((l) => keyAlone.test(l));
  }
  return lines.length === 1 ? `:${lines[0]}` : '';
}

/** The spec and the WGSL disagree: the message names the file, the binding and what to do. */
export class SpecMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpecMismatch';
  }
}

/** The kernel needs what kernelscope does not do on any engine (a texture or a sampler): "not supported here", a skip
 *  with this message, as for a feature the adapter lacks, never an error of the kernel (trial 46: texture kernels were
 *  errors where an f16 kernel on an engine without shader-f16 is a skip). */
export class NotSupportedHere extends SpecMismatch {
  constructor(message: string) {
    super(message);
    this.name = 'NotSupportedHere';
  }
}

/** The WGSL did not parse for reflection: the engine's compiler gives the better message, so ask it. */
export class WgslParseError extends SpecMismatch {
  /** What wgsl_reflect's parser said, and the 1-based line it names (0 when it names none). */
  readonly reason: string;
  readonly line: number;
  constructor(readonly origin: string, parserMessage: string, readonly file: string) {
    // The parser says "... Line: 7.", the scanner "Invalid syntax at line 7".
    const m = /Line: (\d+)|at line (\d+)/.exec(parserMessage);
    const line = Number(m?.[1] ?? m?.[2] ?? 0);
    const reason = parserMessage.replace(/\.? *Line: \d+\.?| at line \d+/, '');
    super(`${origin}${line ? `:${line}` : ''}: does not parse: ${reason}`);
    this.name = 'WgslParseError';
    this.reason = reason;
    this.line = line;
  }
}

function moduleOf(p: KernelProgram, file: string): ReflectedModule {
  const code = p.sources[file];
  if (code === undefined) throw new SpecMismatch(`kernel '${p.spec.name}' uses ${file}, which was not loaded`);
  try {
    return reflect(code);
  } catch (e) {
    // wgsl_reflect's scanner throws a string ("Invalid syntax at line 1"), not an Error: a new user's hex literal made
    // this line itself throw a TypeError on every engine.
    throw new WgslParseError(p.origins[file] ?? file, e instanceof Error ? e.message : String(e), file);
  }
}

/** The library's own WGSL for a file `--wgsl` replaced (KernelProgram.host), reflected. */
function hostModuleOf(p: KernelProgram, file: string): ReflectedModule {
  const host = p.host![file]!;
  try {
    return reflect(host.source);
  } catch (e) {
    throw new WgslParseError(host.origin, e instanceof Error ? e.message : String(e), file);
  }
}

/** The line (1-based) where a module-scope variable is declared, for messages; 1 if not found. */
function declLine(mod: ReflectedModule, name: string): number {
  return mod.bindings.get(name)?.line ?? 1;
}

/** The WGSL files a spec names: its own, and each stage's (asked of stages at a shape of ones; a spec whose stages
 *  need a real shape gets its own file only). */
export function specWgslFiles(spec: KernelSpec): string[] {
  const files = new Set([spec.wgsl]);
  try {
    for (const s of spec.stages(new Proxy({}, { get: () => 1 }))) files.add(s.wgsl);
  } catch {
    /* its main file only */
  }
  return [...files];
}

/**
 * The device features and limits a kernel needs: the feature of every `enable` in its WGSL (EXTENSION_FEATURES)
 * and the spec's own `requires`. WGSL that does not parse adds nothing (its compiler error says more).
 */
export function programRequirements(p: KernelProgram): DeviceRequirements {
  const features: string[] = [];
  for (const code of Object.values(p.sources)) {
    try {
      for (const ext of reflect(code).enables) if (EXTENSION_FEATURES[ext]) features.push(EXTENSION_FEATURES[ext]);
    } catch {
      /* the compiler reports it */
    }
  }
  return mergeRequirements({ features }, p.spec.requires);
}

/** The workgroup size a stage's pipeline runs with (overrides applied), or a SpecMismatch naming the override. */
export function stageWorkgroupSize(p: KernelProgram, stage: StageSpec<unknown>): [number, number, number] {
  const mod = moduleOf(p, stage.wgsl);
  const entry = stage.entry ?? 'main';
  checkOverrides(p, stage, mod, entry);
  try {
    return workgroupSizeFor(p.sources[stage.wgsl]!, entry, stage.constants);
  } catch (e) {
    throw new SpecMismatch(`${p.origins[stage.wgsl] ?? stage.wgsl}: @workgroup_size of '${entry}': ${(e as Error).message}`);
  }
}

/** Where the entry's @workgroup_size reads no override, a clause saying what it reads: the constant a spec gives is
 *  most often the workgroup size (a trial's TF.js-style conv2d with @workgroup_size(128, 1, 1) was told to replace
 *  "a const" that it did not have; trial 55's `const WG` was told its size "is written with literals"). */
function literalSize(mod: ReflectedModule, entry: string, key: string): string {
  const e = mod.entries.get(entry);
  if (!e || e.sizeFromOverrides) return '';
  if (e.sizeNames.includes(key)) return ` ('${key}' in @workgroup_size is a const here, which no pipeline can set: write override in place of const)`;
  if (e.sizeNames.length) return ` (@workgroup_size reads ${e.sizeNames.join(', ')}, no override: if the constant sets the workgroup size, write its name there)`;
  return ` (@workgroup_size(${e.workgroupSize.join(', ')}) is written with literals here: if the constant sets the workgroup size, write its name there)`;
}

function checkOverrides(p: KernelProgram, stage: StageSpec<unknown>, mod: ReflectedModule, entry: string): void {
  const file = p.origins[stage.wgsl] ?? stage.wgsl;
  const constants = stage.constants ?? {};
  for (const key of Object.keys(constants)) {
    const known = mod.overrides.has(key) || [...mod.overrides.values()].some((o) => String(o.id) === key);
    if (!known) {
      const declared = [...mod.overrides.values()].map((o) => `${o.name}${o.id === undefined ? '' : ` (@id(${o.id}))`}`).join(', ') || 'none';
      // The library's own WGSL: most likely a misspelt key, on the spec's line that gives it (a trial's was told
      // the WGSL file alone).
      throw new SpecMismatch(p.userWgsl?.includes(stage.wgsl)
        ? `${file}:${lineOf(p.sources[stage.wgsl]!, entry, ['fn'])}: kernel '${p.spec.name}' gives constant '${key}', but the WGSL declares no such override (it declares: ${declared}); ${forUserWgsl(`declare it (${/^\d+$/.test(key) ? `@id(${key}) override NAME` : `override ${key}`}: u32 = ...;) and use it where its value belongs${literalSize(mod, entry, key)}`)}`
        : `${p.specOrigin ? `${p.specOrigin}${specLine(p, key, null)}` : file}: kernel '${p.spec.name}' gives constant '${key}' to ${file}, which declares no such override (it declares: ${declared}); give it the WGSL's name, or declare it in the WGSL (${/^\d+$/.test(key) ? `@id(${key}) override NAME` : `override ${key}`}: ... = ...;)`);
    }
  }
  for (const name of mod.entries.get(entry)?.overrides ?? []) {
    const o = mod.overrides.get(name)!;
    const given = constants[name] !== undefined || (o.id !== undefined && constants[String(o.id)] !== undefined);
    if (!given && !o.hasDefault) {
      throw new SpecMismatch(`${file}:${o.line}: override '${name}' has no value and no default; ${p.userWgsl?.includes(stage.wgsl)
        ? `kernel '${p.spec.name}' gives it none: ${forUserWgsl(`give it a default (override ${name}: ... = ...;)`)} that sets it (constants: { ${name}: ... })`
        : `give it a default in the WGSL (override ${name}: ... = ...;) or a value in the stage of kernel '${p.spec.name}' (constants: { ${name}: ... })`}`);
    }
  }
}

/** WebGPU's default maxComputeWorkgroupsPerDimension: what a device gets unless the kernel asks for more. */
export const DEFAULT_MAX_WORKGROUPS_PER_DIMENSION = 65535;

/** The limits the kernel's device runs under (harness/gpu/device.ts opens it with the spec's `requires.limits`). */
export function deviceDispatchLimits(spec: KernelSpec): DispatchLimits {
  return { maxComputeWorkgroupsPerDimension: spec.requires?.limits?.maxComputeWorkgroupsPerDimension ?? DEFAULT_MAX_WORKGROUPS_PER_DIMENSION };
}

/**
 * The lowered limit for a stage of `x` workgroups along x under the device's limit: ⌊x/2⌋ + 1, so that a kernel
 * spreading past it gets two rows over y and, from x = 3 on, workgroups past the end in the second row (2⌊x/2⌋ + 2
 * > x), where the guards of the y path matter; x = 2 gets one column of two; one workgroup cannot spread.
 */
export function loweredLimit(x: number): number | undefined {
  return x >= 3 ? Math.floor(x / 2) + 1 : x === 2 ? 1 : undefined;
}

/** A case dispatched under a lowered limit whose dispatch does not spread over y: skipped, with this reason. */
export class NotSpreadOverY extends Error {
  constructor() {
    super('the dispatch does not spread over y (under a lowered maxComputeWorkgroupsPerDimension no stage\'s workgroups grow along y: one workgroup along x, or a kernel that does not spread)');
    this.name = 'NotSpreadOverY';
  }
}

/** Each stage's workgroup count: under the device's limit, or for a `spreadY` case under its lowered one. `spread`:
 *  some stage's count grew along y or z; `wide`: in one of those, three or more of the row's workgroups moved to the
 *  second row, so that an index that forgets num_workgroups.x, or reads num_workgroups.y (2) for it, leaves one out
 *  (the second row then reaches x + 1 at most, short of the last workgroup; only for `spreadY`). */
type Grid = [number, number, number];

/** Each stage's workgroups; with `spreadY`, under the lowered limit. `firstSpread`: the first stage that grows along y
 *  there, its workgroups both ways and the limit. */
function dispatchOf(p: KernelProgram, stages: StageSpec<unknown>[], spreadY: boolean | undefined): {
  workgroups: Grid[]; spread: boolean; wide: boolean; firstSpread?: { lowered: Grid; full: Grid; limit: number };
} {
  const limits = deviceDispatchLimits(p.spec);
  let wide = false;
  let firstSpread: { lowered: Grid; full: Grid; limit: number } | undefined;
  const workgroups = stages.map((stage, i) => {
    const size = stageWorkgroupSize(p, stage);
    const full = wholeCounts(p, stages, i, stage.workgroups(size, limits));
    const lowered = spreadY ? loweredLimit(full[0]) : undefined;
    if (lowered === undefined) return full;
    const w = wholeCounts(p, stages, i, stage.workgroups(size, { maxComputeWorkgroupsPerDimension: lowered }));
    if (w[1] * w[2] > full[1] * full[2]) {
      firstSpread ??= { lowered: w, full, limit: lowered };
      if (full[0] - w[0] >= 3) wide = true;
    }
    return w;
  });
  return { workgroups, spread: firstSpread !== undefined, wide, ...(firstSpread ? { firstSpread } : {}) };
}

/** Where stage i's workgroups() is in the spec (`kernels/k.kernel.ts:21`), and the stage in words where there are
 *  several (" of stage 3 ('scatter')"). */
function workgroupsAt(p: KernelProgram, stages: StageSpec<unknown>[], i: number): { at: string; stage: string } {
  const lines = (p.specSource ?? '').split('\n').flatMap((l, k) => (/\bworkgroups\s*[:(]/.test(l) ? [k + 1] : []));
  // One `workgroups` per stage, in the stages' order, gives the stage's line (a trial's third stage was told the file).
  const line = lines.length === 1 ? lines[0] : lines.length === stages.length ? lines[i] : undefined;
  const at = p.specOrigin ? `${p.specOrigin}${line ? `:${line}` : ''}` : `kernel '${p.spec.name}'`;
  return { at, stage: stages.length > 1 ? ` of stage ${i + 1} ('${stages[i]!.entry ?? 'main'}')` : '' };
}

/** Each stage's workgroup counts for a shape (under the device's limit), or undefined where the spec cannot say. */
export function workgroupCounts(p: KernelProgram, shape: unknown): [number, number, number][] | undefined {
  try {
    return dispatchOf(p, p.spec.stages(shape), false).workgroups;
  } catch {
    return undefined;
  }
}

/** For an output left unwritten: a stage that the spec dispatches no workgroup of for this shape, as a clause, or
 *  undefined (trial 82 B7: a spec's `[s.rows === 2 ? 0 : s.rows, 1, 1]` read as the kernel's "never written"). */
export function emptyDispatchClause(p: KernelProgram, shape: unknown): string | undefined {
  const workgroups = workgroupCounts(p, shape);
  // No stage at all (trial 116 B1: a sweep count one short gave none for one sweep).
  if (workgroups?.length === 0) return `(stages() returned no stage for this shape: nothing was dispatched)`;
  const i = workgroups?.findIndex((w) => w[0] * w[1] * w[2] === 0) ?? -1;
  if (i < 0) return undefined;
  const { at, stage } = workgroupsAt(p, p.spec.stages(shape), i);
  return `(${at}: workgroups()${stage} returned (${workgroups![i]!.join(', ')}) for this shape: no invocation of it ran)`;
}

/**
 * A stage's workgroup counts, checked to be whole numbers from 0 to 2^32 - 1 (WebGPU's GPUSize32). Engines disagree
 * on anything else: WebIDL's [EnforceRange] truncates 1.25 to 1 on the GPU, leaving the last rows unrun, where a loop
 * `for (w = 0; w < 1.25; w++)` in the interpreter runs two workgroups; one verdict per engine for the same spec would
 * be a guess (a trial's rows / 4 with 5 rows failed on Dawn and passed on the interpreter). A spec error, then.
 */
function wholeCounts(p: KernelProgram, stages: StageSpec<unknown>[], i: number, w: Grid): Grid {
  const bad = !Array.isArray(w) || w.length !== 3 || w.some((n) => typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff);
  if (!bad) return w;
  const { at, stage } = workgroupsAt(p, stages, i);
  const shown = Array.isArray(w) ? `(${w.map((n) => (typeof n === 'number' ? String(n) : JSON.stringify(n))).join(', ')})` : JSON.stringify(w);
  const fraction = Array.isArray(w) && w.some((n) => typeof n === 'number' && Number.isFinite(n) && !Number.isInteger(n));
  throw new SpecMismatch(`${at}: workgroups()${stage} returned ${shown}, not three whole numbers from 0 to 4294967295; ${fraction
    ? 'round a count up (Math.ceil(n / size)), and guard the kernel\'s index against the tail, as a GPU would otherwise truncate it and leave the last workgroups unrun'
    : 'return [x, y, z] workgroup counts, each a whole number'}`);
}

/** Whether a shape's dispatch spreads over y under the lowered limit (a `spreadY` case of it would run); `wide`: with
 *  three or more workgroups in the second row (a stage of seven or more workgroups). */
export function spreadsOverY(p: KernelProgram, shape: unknown, o: { wide?: boolean } = {}): boolean {
  const d = dispatchOf(p, p.spec.stages(shape), true);
  return o.wide ? d.wide : d.spread;
}

/** Whether the shape's dispatch is a spec error without the lowered limit too: the plain properties name it. */
export function plainDispatchFails(p: KernelProgram, shape: unknown): boolean {
  try {
    dispatchOf(p, p.spec.stages(shape), false);
    return false;
  } catch {
    return true;
  }
}

/** The first stage that grows along y under the lowered limit: its dispatch so and in full, and the limit. */
function firstSpread(p: KernelProgram, shape: unknown): { lowered: Grid; full: Grid; limit: number } | undefined {
  try {
    return dispatchOf(p, p.spec.stages(shape), true).firstSpread;
  } catch {
    return undefined;
  }
}

/** How a `-spread-y` case of the shape ran: "this case ran as (4, 2, 1) workgroups, not (7, 1, 1), under a limit of 4
 *  per dimension, as a dispatch past 65,535 workgroups does"; undefined where no stage spreads. */
export function spreadRan(p: KernelProgram, shape: unknown): string | undefined {
  const s = firstSpread(p, shape);
  return s && ranText(s);
}

const ranText = (s: { lowered: Grid; full: Grid; limit: number }) =>
  `this case ran as (${s.lowered.join(', ')}) workgroups, not (${s.full.join(', ')}), under a limit of ${s.limit} per dimension, as a dispatch past 65,535 workgroups does`;

/** A `-spread-y` failure's clause: how the shape's dispatch ran, and what its index must count, e.g. "(this case ran
 *  as (4, 2, 1) workgroups, not (7, 1, 1), under a limit of 4 per dimension, as a dispatch past 65,535 workgroups
 *  does: ...)"; undefined where no stage spreads (or the spec cannot say). */
export function spreadClause(p: KernelProgram, shape: unknown, plain?: { property: string; status: string }): string | undefined {
  const s = firstSpread(p, shape);
  if (!s) return undefined;
  // The rows round up: the workgroups past the last one the full dispatch had, which a trial's scan read past its
  // blocks with (its index was right; the hint named only the index).
  const count = (d: readonly number[]) => d.reduce((a, b) => a * b, 1);
  const extra = count(s.lowered) - count(s.full);
  const past = extra > 0 ? `, and at the ${extra} workgroup${extra === 1 ? '' : 's'} past the ${count(s.full)} of the full dispatch, which must guard every access (a dispatch along x alone never runs them)` : '';
  const ran = ranText(s);
  // The same property without -spread-y failed here too: the y path is not where to look first (a trial's wrong
  // encoding in reduce_max read the index hint on both of its -spread-y failures).
  if (plain?.status === 'fail') return `(${ran}; ${plain.property} fails without it too: see that failure first)`;
  // Its own cases, not this one (trial 217 B1: a NaN from the case's values read as an index to fix).
  const where = plain?.status === 'pass' ? `${plain.property} passes its own cases without it (other cases than this one), so unless this case's values alone make it fail,` : 'where the property without -spread-y passes,';
  return `(${ran}; ${where} look at the index, which must count the rows of workgroups before it, as workgroup_id.y * num_workgroups.x + workgroup_id.x does${past})`;
}

/**
 * An engine's refusal of a dispatch past the device's per-dimension limit, with one clause naming what the spec
 * dispatched: Dawn's "Dispatch workgroup count X (100000) exceeds max compute workgroups per dimension (65535)."
 * names neither the spec, the case nor the @workgroup_size that made the count. Found from the batch's own cases
 * (the first stage over the limit whose count the message quotes), so it holds for any engine's wording; any other
 * error is returned as it is.
 */
export function explainDispatchLimit(p: KernelProgram, cases: Case[], e: unknown): unknown {
  if (!(e instanceof DeviceError) || e.kind !== 'validation') return e;
  const limit = deviceDispatchLimits(p.spec).maxComputeWorkgroupsPerDimension;
  for (const c of cases) {
    const stages = p.spec.stages(c.shape);
    const { workgroups } = dispatchOf(p, stages, c.spreadY);
    for (let i = 0; i < stages.length; i++) {
      const axis = workgroups[i]!.findIndex((n) => n > limit);
      if (axis < 0 || !e.message.includes(String(workgroups[i]![axis]))) continue;
      const stage = stages[i]!;
      // @workgroup_size(1), not (1, 1, 1): as the WGSL most often writes it.
      const size = stageWorkgroupSize(p, stage).join(', ').replace(/(, 1)+$/, '');
      const entry = stages.length > 1 ? ` in stage '${stage.entry ?? 'main'}'` : '';
      const help = `kernel '${p.spec.name}'${p.specOrigin ? ` (${p.specOrigin})` : ''} dispatches ${workgroups[i]![axis]} workgroups along ${'xyz'[axis]}` +
        `${entry} for ${dispatchedFor(p, c, i, axis, workgroups[i]![axis]!)} at @workgroup_size(${size}) (${p.origins[stage.wgsl] ?? stage.wgsl}); ` +
        `a larger @workgroup_size, or a spec of your own (kernelscope init) whose workgroups() keep each dimension within ${limit}`;
      const [first, ...rest] = e.message.split('\n');
      return new DeviceError([`${first!.replace(/\.\s*$/, '')}: ${help}`, ...rest].join('\n'), e.kind);
    }
  }
  return e;
}

/** The fields of a case's shape that make stage `i`'s count along `axis`, as a user reads them ("n = 100000"): those
 *  numbers whose doubling changes it (a case's shape also carries its seed and value distribution, which dispatch
 *  nothing); the whole shape as JSON where none does so plainly. */
function dispatchedFor(p: KernelProgram, c: Case, i: number, axis: number, count: number): string {
  const shape = c.shape as unknown;
  const numbers = shape && typeof shape === 'object' ? Object.entries(shape).filter(([, v]) => typeof v === 'number') : [];
  const makes = numbers.filter(([k, v]) => {
    try {
      const doubled = { ...(shape as object), [k]: (v as number) * 2 };
      return dispatchOf(p, p.spec.stages(doubled), c.spreadY).workgroups[i]?.[axis] !== count;
    } catch {
      return false;
    }
  });
  return makes.length ? makes.map(([k, v]) => `${k} = ${v}`).join(', ') : `shape ${jsonText(shape)}`;
}

/** How each pipeline buffer is laid out, from the first stage variable bound to it (later ones must agree). */
function bufferLayouts(p: KernelProgram, stages: StageSpec<unknown>[]): Map<string, { layout: ElementLayout; where: string; variable: string }> {
  const out = new Map<string, { layout: ElementLayout; where: string; variable: string }>();
  for (const stage of stages) {
    const host = p.host?.[stage.wgsl];
    const mod = host ? hostModuleOf(p, stage.wgsl) : moduleOf(p, stage.wgsl);
    for (const [name, target] of boundIn(stage)) {
      const b = mod.bindings.get(name);
      if (typeof target !== 'string' || !b || b.kind !== 'storage') continue;
      const layout = elementLayout(b.type);
      const where = `${host?.origin ?? p.origins[stage.wgsl] ?? stage.wgsl}:${b.line}`;
      const seen = out.get(target);
      // Bound densely as different scalars (a bitcast view) is the kernel's business; a padded layout must agree.
      if (seen && !(seen.layout.dense && layout.dense) && (seen.layout.stride !== layout.stride || seen.layout.offsets.join() !== layout.offsets.join())) {
        throw new SpecMismatch(`${where}: buffer '${target}' is ${typeName(b.type)} here but ${typeName(seen.layout.type)} at ${seen.where}; bind one layout per buffer`);
      }
      // Of dense views, the one of fewest scalars an element: a buffer bound as array<vec4<f32>> for its body and as
      // array<f32> for its n % 4 tail (TF.js's and ONNX Runtime's unaligned sizes) holds any n, and WebGPU binds it
      // so (arrayLength of the vec4 view is ⌊n/4⌋); a lone vec4 view still asks for a multiple of 4 (trial 77 B1).
      if (!seen || (seen.layout.dense && !layout.dense) || (seen.layout.dense && layout.dense && layout.offsets.length < seen.layout.offsets.length)) out.set(target, { layout, where, variable: name });
    }
  }
  return out;
}

const layoutCache = new WeakMap<KernelProgram, Map<string, ElementLayout>>();

/** Checks a buffer's host length against its WGSL element; returns the buffer's size in bytes. */
function bufferBytes(p: KernelProgram, name: string, length: number, at: { layout: ElementLayout; where: string; variable: string } | undefined): number {
  const type = p.spec.buffers[name]!.type;
  if (!at) return length * scalarBytes(type);
  const { layout, where, variable } = at;
  const per = layout.offsets.length;
  const bytes = length * scalarBytes(type);
  const elementBytes = per * scalarBytes(type);
  if (length % per !== 0) {
    const spread = layout.dense ? '' : ` (laid out ${layout.stride} bytes apart)`;
    throw new SpecMismatch(`${where}: buffer '${name}' (bound to '${variable}'): ${bytes} bytes is not a whole number of ${elementBytes}-byte ${typeName(layout.type)} elements${spread}; make its length(shape) a multiple of ${per} in the spec, or bind the buffer as array<${type}>`);
  }
  const elements = length / per;
  // WebGPU refuses a binding smaller than a fixed-size array (minBindingSize); say which buffer and how long.
  if (layout.count && elements < layout.count) {
    throw new SpecMismatch(`${where}: buffer '${name}' (bound to '${variable}'): ${elements} elements, but the WGSL declares array<${typeName(layout.type)}, ${layout.count}>; make its length(shape) at least ${layout.count * per}`);
  }
  return elements * layout.stride;
}

/** The line that declares the struct member a StructValueError's path names (`drag`, `light.color`, `taps[2].w`:
 *  the deepest that is a member), read from the WGSL's AST; undefined when the path names none. */
function memberLine(source: string, type: WgslType, path: string): number | undefined {
  let line: number | undefined;
  let t: WgslType | undefined = type;
  for (const segment of path.split('.')) {
    while (t?.kind === 'array') t = t.element;
    if (t?.kind !== 'struct') break;
    const struct: WgslType & { kind: 'struct' } = t;
    const name = segment.replace(/\[.*$/, ''); // a path of our own making, not WGSL
    const declared = reflect(source).ast.find((n): n is Struct => n instanceof Struct && n.name === struct.name)?.members.find((m) => m.name === name);
    if (!declared) break;
    line = declared.line;
    t = struct.members.find((m) => m.name === name)?.type;
  }
  return line;
}

/** Packs a parameter struct's values; a missing or mistyped field is a SpecMismatch naming file, binding, field. */
function packParams(p: KernelProgram, stage: StageSpec<unknown>, rb: ReflectedBinding, values: Record<string, unknown>): Uint8Array {
  // A --wgsl struct's fields beyond the spec's that its WGSL never names again (padding, as a host-side struct lays
  // it out: a trial's `_pad0: u32`) cannot reach a result: zeros. A field it does read still needs a value.
  const given = Object.keys(values);
  if (p.userWgsl?.includes(stage.wgsl) && rb.type.kind === 'struct') {
    const unread = rb.type.members.filter((m) => !(m.name in values) && identifierCount(p.sources[stage.wgsl]!, m.name) === 1);
    if (unread.length) values = { ...values, ...Object.fromEntries(unread.map((m) => [m.name, zeroOf(m.type)])) };
  }
  try {
    return packValue(rb.type, values as never, rb.kind === 'uniform' ? 16 : 4);
  } catch (e) {
    if (!(e instanceof StructValueError)) throw e;
    // At the field's line where the error is about one the struct declares (a trial's drag: vec3 given 2 numbers
    // was placed at the var<uniform>).
    const line = memberLine(p.sources[stage.wgsl]!, rb.type, e.path) ?? rb.line;
    const at = `${p.origins[stage.wgsl] ?? stage.wgsl}:${line}: kernel '${p.spec.name}' binds '${rb.name}' (@group(${rb.group}) @binding(${rb.binding}))`;
    // A --wgsl file is fixed in its struct, to the fields the library's spec gives, not in that spec.
    if (p.userWgsl?.includes(stage.wgsl)) {
      // A field of the user's struct that the spec does not give, and that the WGSL reads (one it never reads is
      // zeroed above): the spec is not theirs to edit, so not "write ...".
      const members = rb.type.kind === 'struct' ? rb.type.members : [];
      // A field the library's WGSL declares with another type, whose values the spec gives as the library reads them
      // (trial 69 B3: a vec3 table read as floats was told "data[0] (f32) is [49.75, ...]; give a number").
      const top = e.path.split(/[.[]/)[0]!;
      const host = p.host?.[stage.wgsl];
      const theirs = host ? hostModuleOf(p, stage.wgsl).bindings.get(rb.name)?.type : undefined;
      const hostField = theirs?.kind === 'struct' ? theirs.members.find((m) => m.name === top) : undefined;
      const mine = members.find((m) => m.name === top);
      if (host && hostField && mine && typeName(hostField.type) !== typeName(mine.type)) {
        throw new SpecMismatch(`${at}: its field '${top}' is ${typeName(mine.type)} in yours and ${typeName(hostField.type)} in the library's ${host.origin}, whose values the spec gives (${e.message.replace(/; give .*$/, '')}); ${forUserWgsl(`declare ${top} as the library does`)}`);
      }
      const fits = given.every((k) => members.some((m) => m.name === k));
      const extra = fits ? members.find((m) => !(m.name in values)) : undefined;
      const why = extra
        ? `its field '${extra.name}' (${typeName(extra.type)}) is read in your WGSL, but the spec gives no value for it`
        : e.message.replace(/; give the struct's fields only$/, '');
      throw new SpecMismatch(`${at} with the fields ${given.join(', ')}: ${why}; ${forUserWgsl(extra ? 'read only those fields' : 'declare those fields in its struct')}`);
    }
    throw new SpecMismatch(`${at}: ${e.message}${p.specOrigin ? ` (the value is bound in ${p.specOrigin})` : ''}`);
  }
}

/** Checks every stage's bindings against the reflected WGSL for a sample shape. */
export function validateProgram(p: KernelProgram, shape: unknown): void {
  const stages = p.spec.stages(shape);
  // The buffers some stage binds writable: a ping-pong kernel reads an output through a var<storage, read> in one
  // stage and writes it in the next (a trial's Jacobi sweep was refused for the read-only stage).
  const writable = new Set<string>();
  for (const stage of stages) {
    const mod = moduleOf(p, stage.wgsl);
    const entry = mod.entries.get(stage.entry ?? 'main');
    for (const [name, target] of boundIn(stage)) {
      const b = mod.bindings.get(name);
      if (typeof target === 'string' && b && b.access !== 'read' && entry?.resources.has(name)) writable.add(target);
    }
  }
  for (const [index, stage] of stages.entries()) {
    const file = p.origins[stage.wgsl] ?? stage.wgsl;
    let where = file;
    const mod = moduleOf(p, stage.wgsl);
    const entryName = stage.entry ?? 'main';
    const entry = mod.entries.get(entryName);
    const users = p.userWgsl?.includes(stage.wgsl);
    if (!entry) {
      throw new SpecMismatch(`${where}: no @compute entry point '${entryName}' (found: ${[...mod.entries.keys()].join(', ') || 'none'})${users ? `; kernel '${p.spec.name}' runs '${entryName}': ${forUserWgsl(`name it so`)}` : ''}`);
    }
    // One buffer bound to two bindings the entry point uses, one of them writable: WebGPU refuses the dispatch (a
    // writable usage beside another in one usage scope), naming no buffer, while the interpreter ran it and passed
    // its race check (trial 95 A1: a forward pass whose second stage read and wrote one buffer).
    const byBuffer = new Map<string, string[]>();
    for (const [name, target] of boundIn(stage)) if (typeof target === 'string' && entry.resources.has(name)) byBuffer.set(target, [...(byBuffer.get(target) ?? []), name]);
    for (const [buffer, names] of byBuffer) {
      const accesses = names.map((n) => mod.bindings.get(n)).filter((b): b is ReflectedBinding => !!b);
      if (names.length < 2 || !accesses.some((b) => b.kind === 'storage' && b.access !== 'read')) continue;
      const said = accesses.map((b) => `'${b.name}' (${file}:${b.line}, ${b.kind === 'uniform' ? 'uniform' : b.access === 'read' ? 'read' : 'read_write'})`).join(' and ');
      throw new SpecMismatch(`${p.specOrigin ?? `kernel '${p.spec.name}'`}: stage ${index + 1}${stages.length > 1 ? ` of ${stages.length}` : ''} ('${entryName}') binds buffer '${buffer}' to ${said}: WebGPU refuses a buffer bound writable beside another binding of it in one dispatch; give the other binding a buffer of its own (a copy, or the other half of a ping-pong)`);
    }
    for (const [name, target] of boundIn(stage)) {
      const b = mod.bindings.get(name);
      // A name the spec does not bind, alone, is most likely the same buffer renamed: its line is the one to go to
      // (a trial's renamed `out` was placed at the line of `a`, the first declared).
      const bound = new Set(boundIn(stage).map(([n]) => n));
      const spare = [...mod.bindings.keys()].filter((n) => !bound.has(n));
      const renamed = !b && spare.length === 1 ? spare[0] : undefined;
      where = `${file}:${declLine(mod, b ? name : renamed ?? [...mod.bindings.keys()][0] ?? name)}`;
      const declared = [...mod.bindings.keys()].join(', ');
      // A texture or sampler of the name: kernelscope binds buffers only (a trial's relu read x as a texture_2d<f32>
      // and was told x was not declared, at the line that declares it).
      const handle = !b ? mod.handles.get(name) : undefined;
      if (handle) throw new NotSupportedHere(`${file}:${handle.line}: '${name}' is declared ${handle.type}, but kernel '${p.spec.name}' binds a buffer '${name}' there: not supported here, kernelscope binds storage and uniform buffers only (textures and samplers are not run); declare ${name} as a var<storage> array instead`);
      // The mistake may be on either side; the line to go to is the spec's, where the name is bound.
      // A name another stage binds is no rename: a one-pass file in place of a kernel of several stages (trial 41's
      // blur, whose output 'dst' its second stage binds, was told 'dst' was bound by none of the kernel's buffers).
      const other = renamed ? stages.find((s) => s !== stage && boundIn(s).some(([n]) => n === renamed)) : undefined;
      const entries = [...new Set(stages.map((s) => s.entry ?? 'main'))];
      const renamedText = !renamed ? ''
        : other ? `; '${renamed}', at this line, is bound by the stage of entry '${other.entry ?? 'main'}', not by this one (entry '${entryName}'): kernel '${p.spec.name}' runs ${stages.length} stages (entries ${entries.join(', ')}), each with its own bindings, and a --wgsl file stands in for all of them`
          : `; '${renamed}', at this line, is bound by none of the kernel's buffers`;
      if (!b && users) throw new SpecMismatch(`${where}: kernel '${p.spec.name}' binds '${name}', which this WGSL does not declare (it declares: ${declared || 'no bindings'})${renamedText}; ${forUserWgsl(other ? `write each stage's entry point, with the variables it binds (${entryName}: ${boundIn(stage).map(([n]) => n).join(', ')})` : `name its variables ${boundIn(stage).map(([n]) => n).join(', ')}`)}`);
      if (!b) throw new SpecMismatch(`${p.specOrigin ? `${p.specOrigin}${specLine(p, name, typeof target === 'string' ? target : '')}` : file}: kernel '${p.spec.name}' binds '${name}', but ${where} declares no such variable (it declares: ${declared || 'no bindings'}); remove '${name}' from the stage's bind, or give it the WGSL's name`);
      const wantUniform = typeof target !== 'string' && 'uniform' in target;
      if (wantUniform !== (b.kind === 'uniform')) {
        const write = b.kind === 'uniform' ? `{ uniform: { ... } }` : `a buffer name or { storage: { ... } }`;
        throw new SpecMismatch(`${where}: '${name}' (@group(${b.group}) @binding(${b.binding})) is declared var<${b.kind}> but kernel '${p.spec.name}' binds it as ${wantUniform ? 'a uniform' : 'a storage buffer'}; bind it as ${write}`);
      }
      if (typeof target !== 'string') packParams(p, stage, b, 'uniform' in target ? target.uniform : target.storage);
      if (typeof target === 'string') {
        const buf = p.spec.buffers[target];
        if (!buf) throw new SpecMismatch(`${p.specOrigin ? `${p.specOrigin}${specLine(p, name, target)}` : `kernel '${p.spec.name}'`}: stage ${stage.wgsl} binds '${name}' to buffer '${target}', which its buffers do not declare (they are: ${Object.keys(p.spec.buffers).join(', ')}); add '${target}' to buffers or bind '${name}' to one of those`);
        if (holdsResults(buf) && b.access === 'read' && entry.resources.has(name) && !writable.has(target)) {
          throw new SpecMismatch(`${where}: '${name}' is the output '${target}' but is declared var<storage, read>${stages.length > 1 ? ' and no stage binds it read_write' : ''}; declare it var<storage, read_write>`);
        }
        let layout: ElementLayout;
        try {
          layout = elementLayout(b.type);
        } catch (e) {
          // A header before the elements (`struct { count: u32, data: array<f32> }`): a pipeline buffer here is one
          // array of one element type, with no place for the header's values in the spec's host array.
          const fields = b.type.kind === 'struct' ? b.type.members.slice(0, -1).map((m) => `${m.name}: ${typeName(m.type)}`).join(', ') : '';
          const last = b.type.kind === 'struct' ? b.type.members.at(-1) : undefined;
          throw new SpecMismatch(`${where}: '${name}' is ${typeName(b.type)}: ${(e as Error).message}${fields ? ` (${fields})` : ''}; not supported here, where a buffer is one array of elements: ` +
            (last ? `bind the array as a variable of its own (var<storage, ...> ${last.name}: ${typeName(last.type)}) and pass ${fields.includes(',') ? 'those fields' : fields.split(':')[0]} in a uniform, or in a buffer of its own` : 'bind an array of fixed-size elements'));
        }
        const other = layout.scalars.find((x) => x !== buf.type);
        if (other && !layout.dense) {
          throw new SpecMismatch(`${where}: '${name}' holds ${typeName(layout.type)} with ${other} values, but the spec's buffer '${target}' has type '${buf.type}'; a buffer of structs must have one scalar type throughout, given as its type`);
        }
        if (other && (other === 'f16') !== (buf.type === 'f16')) {
          throw new SpecMismatch(`${where}: '${name}' holds ${typeName(layout.type)}, but the spec's buffer '${target}' has type '${buf.type}'; ${users ? forUserWgsl(`declare it with ${buf.type} values`) : `write type: '${other}'`}`);
        }
      }
    }
    stageWorkgroupSize(p, stage);
    for (const used of entry.resources) {
      const b = mod.bindings.get(used);
      // A texture or sampler no spec buffer is bound to: Dawn's bind group validation spoke of entry counts, with no
      // line and no word of textures (a trial's storage texture at binding 3; a sampled one in group 1).
      const handle = !b ? mod.handles.get(used) : undefined;
      if (handle) throw new NotSupportedHere(`${file}:${handle.line}: entry '${entryName}' uses '${used}', a ${handle.type}: not supported here, kernelscope binds storage and uniform buffers only (textures and samplers are not run); hold its texels in a var<storage> array instead`);
      where = `${file}:${declLine(mod, used)}`;
      if (b && stage.bind[used] === undefined) {
        throw new SpecMismatch(`${where}: entry '${entryName}' uses '${used}' (@group(${b.group}) @binding(${b.binding})), which kernel '${p.spec.name}' does not bind; expected bindings: ${boundIn(stage).map(([n]) => n).join(', ')}`);
      }
    }
  }
  const layouts = bufferLayouts(p, stages);
  // checkedLength first: a NaN length read as a vec4 layout problem, of a buffer already array<f32> (trial 57 B3).
  for (const name of Object.keys(p.spec.buffers)) bufferBytes(p, name, checkedLength(p, name, shape), layouts.get(name));
}

/**
 * Clauses for a failure's message, one per storage variable that declares an input's or output's elements as another
 * 32-bit scalar than the spec's type (`b: array<u32>` for an f32 buffer): legal, since the bits pass unchanged, but the
 * harness still writes and reads the buffer as the spec's type, so a kernel that meant a conversion fails with values
 * that look like noise. Atomics are left out: an f32 buffer bound as atomic<u32> is how a CAS loop adds floats.
 * WGSL that does not reflect gives none (the run has said why).
 */
/** Whether a stage binds the buffer `name` as u32 or i32 (atomic or not): the kernel works on its bits as integers. */
export function bitsAsIntegers(p: KernelProgram, stages: StageSpec<unknown>[], name: string): boolean {
  return stages.some((stage) => {
    const mod = moduleOf(p, stage.wgsl);
    return boundIn(stage).some(([binding, target]) => {
      const b = target === name ? mod.bindings.get(binding) : undefined;
      return b?.kind === 'storage' && elementLayout(b.type).scalars.some((x) => x === 'u32' || x === 'i32');
    });
  });
}

export function declaredTypeClauses(p: KernelProgram, shape: unknown): string[] {
  const out = new Set<string>();
  try {
    for (const stage of p.spec.stages(shape)) {
      const mod = moduleOf(p, stage.wgsl);
      for (const [name, target] of boundIn(stage)) {
        const buf = typeof target === 'string' ? p.spec.buffers[target] : undefined;
        const b = mod.bindings.get(name);
        if (!buf || buf.role === 'scratch' || b?.kind !== 'storage' || holdsAtomic(b.type)) continue;
        if (elementLayout(b.type).scalars.some((x) => x !== buf.type)) {
          out.add(`(${p.origins[stage.wgsl] ?? stage.wgsl}:${b.line}: '${name}' is declared ${typeName(b.type)}, but the spec's buffer '${target}' is ${buf.type}: the harness writes and reads it as ${buf.type})`);
        }
      }
    }
  } catch {
    /* validateProgram reports a spec or WGSL it cannot read */
  }
  return [...out];
}

/**
 * For an output left holding the sentinel: the first statement of the WGSL that reads the output's variable as it
 * updates it (`y[row] += ...`, `y[i]++`), as a clause: an output starts filled with the sentinel, not zeros, so such a
 * kernel computes from a NaN. A trial's `y[row] += ...` was told only "never written, or written from memory that
 * never was". Undefined when no stage does so (or the WGSL does not parse for it).
 */
export function updatesOutputClause(p: KernelProgram, shape: unknown, buffer: string): string | undefined {
  const found = firstStatement(p, shape, buffer, updates);
  return found && `(${found.at}: ${found.text} reads ${found.name} as it updates it, and the output '${buffer}' starts filled with the sentinel, not zeros: write it with = first, or give it role 'inout' in the spec, with its starting values as an input)`;
}

/** The same for the first scratch buffer a stage updates (`mean[c] += ...`): its sentinel reaches the output through
 *  arithmetic, and the output's "never written" named neither the scratch buffer nor the line (a trial's column mean). */
export function updatesScratchClause(p: KernelProgram, shape: unknown): string | undefined {
  for (const [buffer, b] of Object.entries(p.spec.buffers)) {
    if (b.role !== 'scratch') continue;
    const found = firstStatement(p, shape, buffer, updates);
    const what = found && (found.name === buffer ? `the scratch buffer '${buffer}'` : `${found.name}, the scratch buffer '${buffer}',`);
    // Trial 160 B2: a scan's `offs[k] += base` after its own `offs[k] = run` was told to write it with = first.
    if (found?.after) return `(${found.at}: ${found.text} reads ${what} as it updates it, after ${found.after}: scratch buffers start filled with the sentinel, not zeros, so check that that write reaches every element the update reads, before it)`;
    if (found) return `(${found.at}: ${found.text} reads ${what} as it updates it, and scratch buffers start filled with the sentinel, not zeros, as a buffer kept from call to call holds what the last call left: write it with = first (a stage that clears it), or give it role 'inout' in the spec, with zeros as its starting values)`;
  }
  return undefined;
}

/** For an output whose value depends on what it held before the run (writes-every-output's later runs): the first
 *  statement that reads it, as a clause (" (the first statement that reads it: stencil3.wgsl:31: y[i] = max(y[i],
 *  blur))"), or ''; whether a store to it comes before that read (`written`), and whether in an earlier stage, a
 *  dispatch that ends before the read's begins (`earlier`). */
export function firstRead(p: KernelProgram, shape: unknown, buffer: string): { clause: string; written: boolean; earlier: boolean } {
  const found = firstStatement(p, shape, buffer, (n, name) => updates(n, name) || readsIn(n, name));
  // Of the buffer, at any element: trial 65 B2 read `atomicMin(&acc[0], k)` as the read of acc[3] the failure named.
  // By the name a stage binds it as, and after what writes it (trial 160 B2: a radix sort's second pass reads out_keys
  // as src_keys, after the first pass's scatter wrote it, and neither was said).
  const as = found && found.name !== buffer ? ` (as ${found.name}, in stage ${found.stage + 1})` : '';
  return { clause: found ? ` (the first statement that reads ${buffer}${as}, at any element: ${found.at}: ${found.text}${found.after ? `, after ${found.after}` : ''})` : '', written: !!found?.after, earlier: found?.afterStage !== undefined && found.afterStage < found.stage };
}

/** A statement that stores to the variable with `=` or atomicStore. */
const stores = (n: AstNode, name: string): boolean => {
  if (n.astNodeType === 'assign' && n.operator === '=') {
    let root = n.variable as AstNode | undefined;
    while (root && root.astNodeType !== 'varExpr') root = (root.right ?? root.value) as AstNode | undefined;
    return isVar(root, name);
  }
  return isVar(atomicStoreRoot(n), name);
};

/** For an atomicStore call, the variable its pointer names (`counts` of `&counts[g]`); else undefined. */
function atomicStoreRoot(n: AstNode): AstNode | undefined {
  if ((n.astNodeType !== 'call' && n.astNodeType !== 'callExpr') || n.name !== 'atomicStore') return undefined;
  let root: AstNode | undefined;
  walk(((n.args as AstNode[] | undefined) ?? []).slice(0, 1), (m) => (root ??= m.astNodeType === 'varExpr' ? m : undefined));
  return root;
}

/** The functions an entry point runs: itself and those it calls, to any depth; the whole module where no function
 *  has the name (a stage that names its entry point by a placeholder). */
function runBy(ast: AstNode[], entry: string): AstNode[] {
  const fns = new Map(ast.filter((n) => n.astNodeType === 'function').map((f) => [f.name as string, f]));
  if (!fns.has(entry)) return ast;
  const seen = new Set<AstNode>();
  const visit = (f: AstNode) => {
    if (seen.has(f)) return;
    seen.add(f);
    walk([f], (n) => {
      const g = (n.astNodeType === 'call' || n.astNodeType === 'callExpr') ? fns.get(n.name as string) : undefined;
      if (g) visit(g);
    });
  };
  visit(fns.get(entry)!);
  return [...seen];
}

const updates = (n: AstNode, name: string): boolean =>
  ((n.astNodeType === 'assign' && n.operator !== '=') || n.astNodeType === 'increment') && isVar(n.variable, name);

/** A statement that reads the variable: an assignment or declaration's value, a call's arguments, a return value.
 *  Not the pointer an atomicStore writes through, nor arrayLength's: a trial's `atomicStore(&out[0], 0u)`, a write in
 *  a stage of its own, was named "the first statement that reads it". */
function readsIn(n: AstNode, name: string): boolean {
  const from = n.astNodeType === 'assign' || n.astNodeType === 'let' || n.astNodeType === 'var' ? n.value : n.astNodeType === 'call' || n.astNodeType === 'return' ? n : undefined;
  const read = (m: unknown): boolean => {
    if (!m || typeof m !== 'object') return false;
    const node = m as AstNode;
    if (isVar(node, name)) return true;
    const call = node.astNodeType === 'call' || node.astNodeType === 'callExpr';
    const args = call ? ((node.args as AstNode[] | undefined) ?? []) : undefined;
    if (args && NOT_READ_THROUGH.has(node.name as string)) return args.slice(1).some(read);
    return children(node).some(read);
  };
  return read(from);
}

/** Builtins whose first argument, a pointer, is not read through: atomicStore writes it, arrayLength counts it. */
const NOT_READ_THROUGH = new Set(['atomicStore', 'arrayLength']);

const isVar = (n: unknown, name: string) => (n as AstNode | undefined)?.astNodeType === 'varExpr' && (n as AstNode).name === name;

/** The first statement, in any stage that binds `buffer`, that `pick` takes, in what the stage's entry point runs,
 *  with its place, text, the name it is bound by, the stage's index, and `after`: the first store to it (`=` or
 *  atomicStore) before it, in that stage in the order written or in an earlier stage, said as `FILE:LINE: TEXT`
 *  (with its stage where that is another). Undefined when none does (or a spec or WGSL that validateProgram reports
 *  does not parse for it). */
function firstStatement(p: KernelProgram, shape: unknown, buffer: string, pick: (n: AstNode, name: string) => boolean): { at: string; text: string; name: string; stage: number; after?: string; afterStage?: number } | undefined {
  const role = p.spec.buffers[buffer]?.role;
  if (role !== 'output' && role !== 'scratch') return undefined;
  const said = (parsed: ReturnType<typeof parseWgsl>, n: AstNode, file: string) => {
    const text = parsed.text(n).replace(/\s+/g, ' ').replace(/;$/, '');
    return { at: `${p.origins[file] ?? file}:${n.line}`, text: text.length > 48 ? `${text.slice(0, 45)}...` : text };
  };
  let after: { at: string; text: string; stage: number } | undefined;
  try {
    for (const [k, stage] of p.spec.stages(shape).entries()) {
      for (const [name, target] of boundIn(stage)) {
        if (target !== buffer) continue;
        const parsed = parseWgsl(p.sources[stage.wgsl]!);
        let found: AstNode | undefined;
        walk(runBy(parsed.ast, stage.entry ?? 'main'), (n) => {
          if (found) return;
          if (pick(n, name)) found = n;
          else if (!after && stores(n, name)) after = { ...said(parsed, n, stage.wgsl), stage: k };
        });
        if (!found) continue;
        const where = after && `${after.at}: ${after.text}${after.stage !== k ? ` (stage ${after.stage + 1})` : ''} writes it`;
        return { ...said(parsed, found, stage.wgsl), name, stage: k, ...(where ? { after: where, afterStage: after!.stage } : {}) };
      }
    }
  } catch {
    /* reported elsewhere */
  }
  return undefined;
}

/** The first atomicStore to `buffer` of a value that is not a literal (`atomicStore(&counts[lid], c)`), as its place
 *  and text: atomics never race, so two invocations storing to one element is no data race, and which store lands
 *  last may change from run to run (trial 83's histogram flushed with atomicStore in place of atomicAdd, and was told
 *  it read its outputs' starting contents). */
export function atomicStoreOf(p: KernelProgram, shape: unknown, buffer: string): { at: string; text: string } | undefined {
  return firstStatement(p, shape, buffer, (n, name) => {
    const value = ((n.args as AstNode[] | undefined) ?? [])[1];
    return isVar(atomicStoreRoot(n), name) && !!value && value.astNodeType !== 'literalExpr';
  });
}

/** A batch's shader list, filled as cases name WGSL files: each file's source once, at a stable index. */
export function shaderTable(p: KernelProgram): { shaders: string[]; files: string[]; index: (file: string) => number } {
  const shaders: string[] = [];
  const files: string[] = [];
  return {
    shaders,
    files,
    index(file) {
      let i = files.indexOf(file);
      if (i < 0) {
        i = files.push(file) - 1;
        shaders.push(p.sources[file]!);
      }
      return i;
    },
  };
}

/** The names of the buffers that come back from a run, in readback order. */
export function readbackNames(spec: KernelSpec): string[] {
  return Object.keys(spec.buffers);
}

/**
 * Buffer `name`'s length(shape), checked: a whole number of scalars, and the product of its dims(shape) where the spec
 * gives them. A lying dims placed every failing element at wrong coordinates in the message and drew the buffer in a
 * wrong grid (a trial's conv gave [w, h + 1] for w·h elements), so it is a spec error, not a quiet misreading.
 */
/** The typed array each element type's host data is held in (spec.ts TypedArray). */
const HOST_ARRAY: Record<ElementType, string> = { f32: 'Float32Array', u32: 'Uint32Array', i32: 'Int32Array', f16: 'Float16Array' };

/** What a case's input is: its typed array's name, or its JavaScript type where it is no typed array.
 *  @petamoriken/float16's Float16Array is a Proxy, which ArrayBuffer.isView does not take: asked first. */
function arrayKind(a: unknown): string {
  if (isFloat16Array(a)) return 'Float16Array';
  if (ArrayBuffer.isView(a)) return Object.prototype.toString.call(a).slice(8, -1);
  return Array.isArray(a) ? 'plain Array' : typeof a;
}

function checkedLength(p: KernelProgram, name: string, shape: unknown): number {
  const b = p.spec.buffers[name]!;
  const length = b.length(shape);
  const at = `${p.specOrigin ? `${p.specOrigin}${bufferLine(p, name)}` : `kernel '${p.spec.name}'`}: buffer '${name}'`;
  if (!Number.isInteger(length) || length < 0) {
    throw new SpecMismatch(`${at}: length() returned ${typeof length === 'number' ? String(length) : JSON.stringify(length)} for shape ${jsonText(shape)}, not a whole number of scalars ≥ 0; return the count of the buffer's scalars (4 per vec4)`);
  }
  const dims = b.dims?.(shape);
  if (dims === undefined) return length;
  const product = Array.isArray(dims) && dims.every((d) => Number.isInteger(d) && d >= 0) ? dims.reduce((x, y) => x * y, 1) : NaN;
  if (product !== length) {
    throw new SpecMismatch(`${at}: dims() returned ${JSON.stringify(dims)}${Number.isNaN(product) ? '' : ` (${product} elements)`} for shape ${jsonText(shape)}, but length() gives ${length}; dims is the buffer's logical shape, outermost axis first, and its product must be the length`);
  }
  return length;
}

/** `:LINE` of the one line of the spec's file that declares buffer `name` (`name: { role: ...`), '' when none or several. */
function bufferLine(p: KernelProgram, name: string): string {
  const declares = new RegExp(`(^|[{,\\s])(${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|'[^']*'|"[^"]*")\\s*:\\s*\\{\\s*role\\b`);
  const lines = (p.specSource ?? '').split('\n').flatMap((l, i) => {
    const m = declares.exec(l);
    return m && m[2]!.replace(/^['"]|['"]$/g, '') === name ? [i + 1] : [];
  });
  return lines.length === 1 ? `:${lines[0]}` : '';
}

/** WebGPU's minimum buffer binding size of a binding of this store type, in bytes: a runtime-sized array (alone or
 *  as a struct's last member) counts one element (WebGPU §"minimum buffer binding size"; WGSL §14.4.4 "Runtime-sized
 *  arrays"). A spec buffer of fewer bytes (a case of 0 elements) is bound at this size, as an application would
 *  bind it: WebGPU refuses a smaller one (trial 50's empty array<vec4f> was refused on every GPU engine). */
export function minBindingSize(t: WgslType): number {
  if (t.kind === 'array' && t.count === 0) return t.stride;
  if (t.kind === 'struct') {
    const last = t.members[t.members.length - 1];
    if (last?.type.kind === 'array' && last.type.count === 0) return Math.ceil((last.offset + last.type.stride) / t.align) * t.align;
  }
  return t.size;
}

/**
 * One case as batch data. `shaderIndex` maps a WGSL file to its index in the batch's shader list (the batch
 * builder dedupes sources across cases).
 */
export function toBatchCase(p: KernelProgram, c: Case, shaderIndex: (file: string) => number): BatchCase {
  const names = Object.keys(p.spec.buffers);
  const index = new Map(names.map((n, i) => [n, i]));
  const stages = p.spec.stages(c.shape);
  const dispatch = dispatchOf(p, stages, c.spreadY);
  if (c.spreadY && !dispatch.spread) throw new NotSpreadOverY();
  const layouts = bufferLayouts(p, stages);
  const kept = new Map<string, ElementLayout>();
  const buffers: BatchBuffer[] = names.map((name) => {
    const b = p.spec.buffers[name]!;
    const length = checkedLength(p, name, c.shape);
    const at = layouts.get(name);
    if (at && !at.layout.dense) kept.set(name, at.layout);
    const size = bufferBytes(p, name, length, at);
    const input = c.inputs[name];
    if (b.role === 'input' || b.role === 'inout') {
      // The spec and the family's cases disagree: a set-up error naming both places, never a stack trace.
      const spec = p.specOrigin ?? `kernel '${p.spec.name}'`;
      const shape = jsonText(c.shape);
      if (!input) throw new SpecMismatch(`${spec}: a case of shape ${shape} has no input '${name}' (it has: ${Object.keys(c.inputs).join(', ') || 'none'}); give every input buffer of the spec a value in the family's cases (its properties file)`);
      if (input.length !== length) {
        throw new SpecMismatch(`${spec}: input '${name}' of a case of shape ${shape} has ${input.length} elements, but the spec's length(shape) gives ${length}; make the family's cases (its properties file) and the spec's length agree`);
      }
      // The array's bytes are what the GPU gets: a Float64Array for an f32 buffer gave the kernel the low halves of
      // doubles, and a correct saxpy failed with a message quoting inputs it never saw (trial 57 A1).
      const given = arrayKind(input);
      if (given !== HOST_ARRAY[b.type]) {
        throw new SpecMismatch(`${spec}: input '${name}' of a case of shape ${shape} is a ${given}, but the spec's buffer '${name}' is ${b.type}, which the harness uploads from a ${HOST_ARRAY[b.type]} as its bytes stand; build it as a ${HOST_ARRAY[b.type]} in the family's cases (its properties file)${b.type === 'f16' ? ' (kernelscope/kit exports one: Node 20 has none)' : ''}, or give the spec the type the WGSL reads`);
      }
      // Padding holds the sentinel, not zeros: a --wgsl kernel that reads the library's vec3s as vec4s and uses w
      // computes from a NaN here, as it would from a host's garbage, rather than passing on zeros.
      return { size, kind: 'storage', data: at ? toBufferBytes(at.layout, input, b.type, sentinelOf(b.type)) : bytesOf(input) };
    }
    // A float buffer the WGSL works on as integers (an atomicMin of f32 bits, the depth-buffer trick) starts the
    // third run with zeros: every float fill is larger as u32 than any non-negative float's bits below 7.25e37, and an
    // atomicMin never cleared kept the data over each (trial 106 A1).
    if (c.negativeFill && b.type === 'f32' && bitsAsIntegers(p, stages, name)) return { size, kind: 'storage' };
    if (c.secondSentinel && (b.type === 'f32' || b.type === 'f16')) return { size, kind: 'storage', fill: readFill(b.type, c.negativeFill) };
    // Integer scratch starts the third run with 0, 1, 2, 3 repeating, the values flags and small enumerations take:
    // a kernel that sets a flag only where it is true and tests `== 1u` read its scratch's starting contents and passed
    // under each sentinel and zeros alike (trial 101 A1); a word of 0 still shows an atomicMin never cleared.
    if (c.negativeFill && b.role === 'scratch' && (b.type === 'u32' || b.type === 'i32')) return { size, kind: 'storage', data: smallIntegers(size) };
    if (c.negativeFill) return { size, kind: 'storage' };
    return { size, kind: 'storage', fill: fillOf(b.type, c.secondSentinel) };
  });
  layoutCache.set(p, kept);
  const dispatches: BatchDispatch[] = stages.map((stage, i) => {
    const mod = moduleOf(p, stage.wgsl);
    const entry = stage.entry ?? 'main';
    const reflected = mod.entries.get(entry);
    if (!reflected) throw new SpecMismatch(`${p.origins[stage.wgsl] ?? stage.wgsl}: no entry point '${entry}'`);
    const bindings = boundIn(stage)
      // layout 'auto' only holds what the entry point uses: binding anything else is a validation error.
      .filter(([name]) => reflected.resources.has(name))
      .map(([name, target]) => {
        const rb = mod.bindings.get(name)!;
        let buffer: number;
        if (typeof target === 'string') {
          buffer = index.get(target)!;
          const b = buffers[buffer]!;
          const least = minBindingSize(rb.type);
          if (b.size < least) b.minSize = Math.max(b.minSize ?? 0, least);
        } else {
          buffer = buffers.length;
          const data = packParams(p, stage, rb, 'uniform' in target ? target.uniform : target.storage);
          buffers.push({ size: data.byteLength, kind: rb.kind, data });
        }
        return { group: rb.group, binding: rb.binding, buffer };
      });
    return {
      shader: shaderIndex(stage.wgsl),
      entry,
      bindings,
      workgroups: dispatch.workgroups[i]!,
      ...(stage.constants ? { constants: pipelineConstants(mod, stage.constants) } : {}),
    };
  });
  return { buffers, dispatches, readback: names.map((_, i) => i) };
}

/** Turns the read-back bytes of one case into typed arrays by buffer name. */
export function fromOutputs(p: KernelProgram, outputs: Uint8Array[]): RunOutput {
  const out: RunOutput = {};
  const layouts = layoutCache.get(p);
  readbackNames(p.spec).forEach((name, i) => {
    out[name] = fromBufferBytes(layouts?.get(name), outputs[i]!, p.spec.buffers[name]!.type);
  });
  return out;
}

/** A stage's bindings, less the names bound to undefined (StageSpec.bind). */
function boundIn(stage: StageSpec<unknown>) {
  return Object.entries(stage.bind).filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined);
}
