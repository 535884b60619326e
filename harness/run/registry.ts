// Finds the library on disk: kernels/NAME.kernel.ts with their WGSL, and properties/FAMILY.properties.ts.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import * as fc from 'fast-check';
import { checkKernelSpec, WgslFileSchema } from '../schemas/kernel-spec.ts';
import { FileFormatError } from '../schemas/read.ts';
import type { Family, KernelSpec, Property } from '../spec.ts';
import { deviceDispatchLimits, specWgslFiles, stageWorkgroupSize, withUserWgsl, type KernelProgram } from './program.ts';
import { elementLayout, type ElementLayout } from './layout.ts';
import { readsVariable } from './portability.ts';
import { reflect, tokensOf, typeName, type ReflectedBinding, type WgslType } from './reflect.ts';
import { resolveKernelscopeImports } from './kit-resolution.ts';
import { familyOrigin, guardFamily, LibraryError } from './library-error.ts';
import { programPropertyFor, propertiesOf } from './universal.ts';

export interface LoadedKernel {
  program: KernelProgram;
  family: Family;
  properties: Property[];
  /** For a `--wgsl` kernel whose workgroup size its spec's dispatch ignores: the warning (fixedDispatchOf), added to
   *  a failure that leaves outputs unwritten, and `fixedDispatchNote`, its one line for the start of the run. */
  fixedDispatch?: string;
  fixedDispatchNote?: string;
  /** For a `--wgsl` kernel that numbers its bindings apart from the library's WGSL: the note (bindingNoteOf). */
  bindingNote?: string;
  /** For a `--wgsl` kernel that declares a storage buffer with another layout than the library's WGSL: the note
   *  (layoutNoteOf). */
  layoutNote?: string;
  /** For a `--wgsl` kernel whose parameter struct puts fields at other offsets than the library's WGSL: the note
   *  (paramsNoteOf). */
  paramsNote?: string;
  /** For a `--wgsl` kernel that declares a storage buffer's element with more than the library's WGSL at the same
   *  stride (vec4 over vec3): the clause beside a failure that a read of the padding may explain (paddingClauseOf). */
  paddingClause?: string;
  /** The padding read is of u32 or i32 scalars: its clause goes beside any failure, a value computed from the sentinel
   *  being no NaN to recognise. */
  paddingInteger?: boolean;
  /** For a `--wgsl` kernel: the library's properties it leaves out (each names the algorithm it `assumes`). */
  leftOut?: Property[];
}

/** A kernel's properties as a run takes them without `--property`: all but the opt-in ones (Property.optIn). */
export const defaultProperties = (k: LoadedKernel): Property[] => k.properties.filter((p) => !p.optIn);

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);

/** Where kernels/ and properties/ are read from: this repository, or a library of the user's own. */
export const LIBRARY = resolve(process.env.KERNELSCOPE_LIBRARY ?? ROOT);

/** The known failures `test` and `report` apply (contract 4): the library's, wherever the command runs. */
export const EXPECTATIONS = join(LIBRARY, 'expectations.json');

/** A path as the user would type it here: relative to the working directory inside it, absolute outside (a
 *  `../../../tmp/k.wgsl` named the user's /tmp/k.wgsl in every message). */
const shown = (path: string) => {
  const inside = relative(process.cwd(), path);
  return inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : resolve(path);
};

export { LibraryError };

async function importDefault<T>(path: string): Promise<T | undefined> {
  try {
    return (await import(pathToFileURL(path).href)).default as T | undefined;
  } catch (e) {
    throw new LibraryError(`${whereInFile(e, path)}: does not load: ${whatFailed(e)}`);
  }
}

/** esbuild's syntax errors (through tsx) carry their location and text; a runtime error's stack names the line. */
interface EsbuildFailure { errors?: { text: string; location?: { file?: string; line: number; column: number } | null }[] }

/** tsx rethrows esbuild's failure as text: "Transform failed with 1 error:\nFILE:LINE:COL: ERROR: TEXT". */
const transformError = (e: unknown) => (e as Error).message?.match(/^(.*):(\d+):(\d+): ERROR: (.*)$/m);

/** `FILE:LINE:COL` of the failure: a syntax error's own file, which may be a module `path` imports (trial 225 B2: a
 *  reference's syntax error was placed in the properties file, at the reference's line), with `path` after it. */
function whereInFile(e: unknown, path: string): string {
  const loc = (e as EsbuildFailure).errors?.[0]?.location;
  const t = loc ? undefined : transformError(e);
  const syntax = loc ? { file: loc.file, line: loc.line, column: loc.column + 1 } : t ? { file: t[1], line: Number(t[2]), column: Number(t[3]) + 1 } : undefined;
  if (syntax) {
    const file = syntax.file?.replace(/^file:\/\//, '');
    const other = file && resolve(file) !== resolve(path);
    return `${other ? shown(file) : shown(path)}:${syntax.line}:${syntax.column}${other ? ` (imported by ${shown(path)})` : ''}`;
  }
  const url = pathToFileURL(path).href;
  const at = (e as Error).stack?.split('\n').find((l) => l.includes(url) || l.includes(path));
  const m = at?.match(/:(\d+):(\d+)\)?$/);
  return `${shown(path)}${m ? `:${m[1]}:${m[2]}` : ''}`;
}

function whatFailed(e: unknown): string {
  const first = (e as EsbuildFailure).errors?.[0]?.text ?? transformError(e)?.[4];
  return first ?? (e as Error).message.split('\n')[0]!;
}

/** Loads every kernel (or the named ones) with its family. Throws with the file name when one does not load, and
 *  names every one that does not (a trial fixed one spec to meet the next). */
export async function loadKernels(root = LIBRARY, only?: string[]): Promise<Map<string, LoadedKernel>> {
  const { kernels, errors } = await loadEachKernel(root, only);
  const failure = loadFailure(root, errors);
  if (failure) throw failure;
  return kernels;
}

/** One error for loadEachKernel's `errors`: the one, or "N kernels of LIB cannot load:" and each on a line. */
export function loadFailure(root: string, errors: string[]): LibraryError | undefined {
  if (errors.length > 1) return new LibraryError(`${errors.length} kernels of ${shown(root)} cannot load:\n  ${errors.join('\n  ')}`);
  return errors.length ? new LibraryError(errors[0]!) : undefined;
}

/** As loadKernels, but a kernel that does not load is one line of `errors` (its file and why), and the others load:
 *  `list` shows those (a trial's `list` showed nothing for another kernel's broken spec). */
export async function loadEachKernel(root = LIBRARY, only?: string[]): Promise<{ kernels: Map<string, LoadedKernel>; errors: string[] }> {
  // A library outside this checkout imports the kit as 'kernelscope/kit': make that name resolve to us.
  resolveKernelscopeImports();
  const dir = join(root, 'kernels');
  if (!existsSync(dir)) throw new LibraryError(`${shown(root)} has no kernels/ folder (set KERNELSCOPE_LIBRARY to a folder that has one)`);
  const families = new Map<string, Family>();
  const out = new Map<string, LoadedKernel>();
  const errors: string[] = [];
  for (const name of kernelNames(root)) {
    if (only && !only.includes(name)) continue;
    try {
      await loadOne(name);
    } catch (e) {
      if (!(e instanceof LibraryError)) throw e;
      errors.push(e.message);
    }
  }
  return { kernels: out, errors };

  async function loadOne(name: string): Promise<void> {
    const f = `${name}.kernel.ts`;
    const spec = await importDefault<KernelSpec>(join(dir, f));
    if (spec === undefined) throw new LibraryError(`${shown(join(dir, f))}: has no default export of a KernelSpec`);
    checkSpec(spec, join(dir, f));
    const familyName = spec.family ?? spec.name;
    let family = families.get(familyName);
    if (!family) {
      const path = familyPath(root, familyName);
      if (!existsSync(path)) throw new LibraryError(`kernel '${spec.name}' belongs to family '${familyName}', but ${shown(path)} does not exist`);
      family = await importDefault<Family>(path);
      if (!family?.cases) throw new LibraryError(`${shown(path)}: has no default export of a Family`);
      // Properties that need Node (a data set read from a package) live beside the family, out of the browser's way.
      const nodeOnly = join(root, 'properties', `${familyName}.node.ts`);
      if (existsSync(nodeOnly)) family = { ...family, properties: [...family.properties, ...((await importDefault<Property[]>(nodeOnly)) ?? [])] };
      family = guardFamily(family, shown(path), readFileSync(path, 'utf8'));
      families.set(familyName, family);
    }
    const sources: Record<string, string> = {};
    const origins: Record<string, string> = {};
    for (const wgsl of wgslFiles(spec, join(dir, f))) {
      const path = join(dir, wgsl);
      if (!existsSync(path)) throw new LibraryError(`${shown(join(dir, f))}: names ${wgsl}, but ${shown(path)} does not exist`);
      sources[wgsl] = readFileSync(path, 'utf8');
      origins[wgsl] = shown(path);
    }
    const modules = libraryModules(root, [join(dir, f), familyPath(root, familyName)]);
    const program = { spec, sources, origins, specOrigin: shown(join(dir, f)), specSource: readFileSync(join(dir, f), 'utf8'), userLibrary: resolve(root) !== ROOT, modules };
    checkUnboundedWhere(family, spec, shown(familyPath(root, familyName)));
    out.set(name, { program, family, properties: propertiesOf(spec, family, program) });
  }
}

const familyPath = (root: string, family: string) => join(root, 'properties', `${family}.properties.ts`);

/** Each file's library modules, by absolute path: a family's are found once for all its kernels. */
const modulesOf = new Map<string, string[]>();

/**
 * The library's own modules that `entries` import, transitively, by path in the library (with `/`), with their texts:
 * esbuild's module graph of the entries (imports of types only are erased, as when they run), less packages, the
 * kernelscope harness (this repository's harness/, and the kit a user's library imports from outside it) and
 * anything outside `root`. A config module the spec imports, a reference, a shared helper: whatever decides what
 * a result ran and how it was judged, beside the WGSL and the spec's own text.
 */
function libraryModules(root: string, entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const top = resolve(root);
  const harness = join(ROOT, 'harness');
  for (const entry of entries) {
    let files = modulesOf.get(entry);
    if (!files) {
      // The entries loaded already: a graph esbuild cannot build (a syntax it reads otherwise than tsx) is no module.
      let inputs: string[] = [];
      try {
        const r = buildSync({ entryPoints: [entry], bundle: true, metafile: true, write: false, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent', absWorkingDir: top });
        inputs = Object.keys(r.metafile.inputs).map((f) => resolve(top, f));
      } catch {
        inputs = [];
      }
      const inside = (f: string, d: string) => !relative(d, f).startsWith('..') && !isAbsolute(relative(d, f));
      modulesOf.set(entry, (files = inputs.filter((f) => inside(f, top) && !inside(f, harness) && !f.split(/[\\/]/).includes('node_modules'))));
    }
    for (const f of files) out[relative(top, f).split(/[\\/]/).join('/')] ??= readFileSync(f, 'utf8');
  }
  return out;
}

/** One kernel of a library, loaded alone (another's broken spec does not stop it); undefined where the library has no
 *  kernel of that name. @throws LibraryError where its own spec, family or WGSL does not load */
export async function loadKernel(root: string, name: string): Promise<LoadedKernel | undefined> {
  return kernelNames(root).includes(name) ? (await loadKernels(root, [name])).get(name) : undefined;
}

/** The names of a library's kernels (its kernels/NAME.kernel.ts files), none of them loaded: a command that runs some
 *  loads those alone, so that another's broken spec does not stop it (a trial's). */
export function kernelNames(root = LIBRARY): string[] {
  const dir = join(root, 'kernels');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.kernel.ts')).map((f) => f.slice(0, -'.kernel.ts'.length)).sort() : [];
}

/** A family's `unboundedWhere`: a sentence, or one per output of `spec` by name (trial 196 C1: a misspelt name, a number
 *  or an array was said as it was, or dropped, without a word). */
function checkUnboundedWhere(family: Family, spec: KernelSpec, file: string): void {
  const where: unknown = family.unboundedWhere;
  if (where === undefined || typeof where === 'string') return;
  const at = familyOrigin(family, 'unboundedWhere').replace(/^the family .*$/, file);
  if (typeof where !== 'object' || where === null || Array.isArray(where) || Object.values(where).some((v) => typeof v !== 'string')) {
    throw new LibraryError(`${at}: unboundedWhere is ${JSON.stringify(where)}; give a sentence, or one per output by name ({ y: '...' })`);
  }
  const outputs = Object.keys(spec.buffers).filter((b) => spec.buffers[b]!.role === 'output' || spec.buffers[b]!.role === 'inout');
  const stray = Object.keys(where).filter((k) => !outputs.includes(k));
  if (stray.length) throw new LibraryError(`${at}: unboundedWhere names ${stray.map((k) => `'${k}'`).join(', ')}, which kernel '${spec.name}' has no output of (its outputs: ${outputs.join(', ')})`);
}

/** The spec's shape (harness/schemas/kernel-spec.ts); the spec itself is kept as exported, functions and all. */
function checkSpec(spec: unknown, path: string) {
  try {
    checkKernelSpec(spec, shown(path));
  } catch (e) {
    throw e instanceof FileFormatError ? new LibraryError(e.message) : e;
  }
}

/** Every WGSL file a spec's stages name: the stages are asked for with a stand-in shape whose every field is 1. */
export function wgslFiles(spec: KernelSpec, path: string): string[] {
  const files = specWgslFiles(spec);
  for (const f of files) {
    const r = WgslFileSchema.safeParse(f);
    if (!r.success) throw new LibraryError(`${shown(path)}: stages(…).wgsl ${JSON.stringify(f)}: ${r.error.issues[0]!.message}`);
  }
  return files;
}

/** `--wgsl NAME=FILE`: the kernel's own WGSL file replaced by the user's. */
export function withWgsl(k: LoadedKernel, file: string, sameAlgorithm = false): LoadedKernel {
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`--wgsl ${k.program.spec.name}=${file}: no such file`);
  const program = withUserWgsl(k.program, readFileSync(path, 'utf8'), shown(path));
  const fixed = fixedDispatchOf(k, program);
  const bindingNote = bindingNoteOf(k.program, program);
  const layoutNote = layoutNoteOf(k.program, program);
  const paramsNote = paramsNoteOf(k.program, program);
  const paddingClause = paddingClauseOf(k.program, program);
  return {
    ...k,
    // A property that assumes the library kernel's own algorithm does not hold for another implementation; whether
    // the outputs' bits may differ between runs (float atomics), and where it reads an output, are the new WGSL's.
    // `sameAlgorithm` (--same-algorithm): the file is a twin of the kernel's own algorithm, which they hold for.
    properties: k.properties.filter((p) => sameAlgorithm || !p.assumes).map((p) => programPropertyFor(p.name, k.program.spec, k.family, program) ?? p),
    leftOut: sameAlgorithm ? [] : k.properties.filter((p) => p.assumes),
    program,
    ...(fixed ? { fixedDispatch: fixed.warning, fixedDispatchNote: fixed.note } : {}),
    ...(bindingNote ? { bindingNote } : {}),
    ...(layoutNote ? { layoutNote } : {}),
    ...(paramsNote ? { paramsNote } : {}),
    ...(paddingClause ? { paddingClause: paddingClause.clause, ...(paddingClause.integer ? { paddingInteger: true } : {}) } : {}),
  };
}

/**
 * The variables that `mine` (the user's WGSL) declares at another @group/@binding than the library kernel's WGSL, e.g.
 * "x: @group(0) @binding(1) in yours, @group(0) @binding(0) in the library's": kernelscope binds buffers by
 * variable name, so such a kernel runs and passes here, while host code written for the library's layout would bind
 * its buffers wrong. Undefined when they agree, or when either WGSL cannot be read here (the run says why).
 */
function bindingNoteOf(library: KernelProgram, mine: KernelProgram): string | undefined {
  const file = library.spec.wgsl;
  const differ = bindingDifferences(library, mine, (b, t) =>
    t.group !== b.group || t.binding !== b.binding ? `${b.name}: @group(${b.group}) @binding(${b.binding}) in yours, @group(${t.group}) @binding(${t.binding}) in the library's` : undefined);
  return differ?.length
    ? `note: ${mine.origins[file]} and the library's ${library.origins[file] ?? file} number their bindings apart (${differ.join('; ')}): kernelscope binds buffers by variable name, so host code written for the library's layout would bind yours wrong`
    : undefined;
}

/** For each variable both main WGSL files declare, `differ(yours, theirs)`; undefined when either cannot be read here. */
function bindingDifferences(library: KernelProgram, mine: KernelProgram, differ: (b: ReflectedBinding, t: ReflectedBinding) => string | undefined): string[] | undefined {
  const file = library.spec.wgsl;
  try {
    const theirs = reflect(library.sources[file]!).bindings;
    return [...reflect(mine.sources[file]!).bindings.values()].flatMap((b) => {
      const t = theirs.get(b.name);
      const d = t && differ(b, t);
      return d ? [d] : [];
    });
  } catch {
    return undefined;
  }
}

/**
 * The storage variables that `mine` (the user's WGSL) declares with another element layout than the library kernel's
 * WGSL (stride or offsets: `array<Particle>` of vec3s, 32 bytes apart, where the library reads `array<f32>`):
 * kernelscope lays each buffer out as the library's WGSL does, as host code written for it would, and the user's
 * WGSL reads those bytes as it declares them (KernelProgram.host). Said before the run, since a failure or a device's
 * "binding size is smaller than the minimum" is then about that. Undefined when they agree or cannot be read here.
 */
function layoutNoteOf(library: KernelProgram, mine: KernelProgram): string | undefined {
  const file = library.spec.wgsl;
  const differ = bindingDifferences(library, mine, (b, t) => {
    if (t.kind !== 'storage' || b.kind !== 'storage') return undefined;
    const [a, m] = [elementLayout(t.type), elementLayout(b.type)];
    if ((a.dense && m.dense) || (a.stride === m.stride && (samePrefix(a, m) || samePrefix(m, a)))) return undefined;
    // Which fields moved, where both elements are structs: "Body 32 bytes apart in yours, Body 32 bytes apart in the
    // library's" read as no difference, where mass lay at byte 28 against 12 (trial 69 B2).
    const fields = m.type.kind === 'struct' && a.type.kind === 'struct' ? membersApart(m.type, a.type) : [];
    return `${b.name}: ${typeName(m.type)} ${m.stride} bytes apart in yours, ${typeName(a.type)} ${a.stride} bytes apart in the library's${fields.length ? ` (${fields.join(', ')})` : ''}`;
  });
  return differ?.length
    ? `note: ${mine.origins[file]} lays out a buffer apart from the library's ${library.origins[file] ?? file} (${differ.join('; ')}): kernelscope lays it out as the library's WGSL does, as host code written for it would, and yours reads and writes those bytes as it declares them`
    : undefined;
}

/**
 * The structs (a uniform's, a storage parameter struct's: `{ storage: { count, scale, data } }`) whose fields `mine` (the user's
 * WGSL) places at other offsets than the library kernel's WGSL, or that one of the two lacks, e.g. "params: w2 at byte
 * 80 in yours, 88 in the library's": kernelscope packs a parameter struct's fields by name, from the spec's values, so
 * such a kernel runs on its own layout and passes here, while host code written for the library's layout would write
 * its bytes where yours reads others (trial 69: three twins that moved or swapped uniform fields passed, with no word).
 * Undefined when they agree, or when either WGSL cannot be read here (the run says why).
 */
function paramsNoteOf(library: KernelProgram, mine: KernelProgram): string | undefined {
  const file = library.spec.wgsl;
  // A pipeline buffer's struct is its array alone (`struct { data: array<f32> }`), and layoutNoteOf says how its
  // elements lie: its members agree here unless the array's name or type moved.
  const params = (b: ReflectedBinding) => (b.type.kind === 'struct' ? b.type : undefined);
  const read = memberNamesRead(mine.sources[file] ?? '');
  const differ = bindingDifferences(library, mine, (b, t) => {
    const [m, a] = [params(b), params(t)];
    if (!m || !a) return undefined;
    // A field of yours alone that the WGSL never names after a `.` is read nowhere: host code need not write it, so
    // it is no more a difference than padding (trial 163 B4: an unused `quadScale` after `n` drew the note).
    const moved = membersApart(m, a, (name) => !read || read.has(name));
    return moved.length ? `${b.name}: ${moved.join(', ')}` : undefined;
  });
  return differ?.length
    ? `note: ${mine.origins[file]} lays out a parameter struct apart from the library's ${library.origins[file] ?? file} (${differ.join('; ')}): kernelscope writes its fields by name, so yours runs on its own layout, but host code written for the library's would write them where yours reads other fields`
    : undefined;
}

/** The names that follow a `.` in `code`'s tokens: every struct field it reads or writes, with swizzles beside them
 *  (a field named `x` then counts as read, the safe side); undefined where the code does not scan. */
function memberNamesRead(code: string): Set<string> | undefined {
  const tokens = tokensOf(code);
  if (!tokens) return undefined;
  return new Set(tokens.flatMap((t, i) => (tokens[i - 1]?.lexeme === '.' ? [t.lexeme] : [])));
}

/** The fields of struct `m` (yours) at another offset or of another type than in `a` (the library's), and those one of
 *  the two lacks, as "w2 at byte 80 (mat2x2<f32>) in yours, 88 (mat2x2<f32>) in the library's"; a field of yours
 *  alone counts only where `used` says the WGSL reads it. */
function membersApart(m: WgslType & { kind: 'struct' }, a: WgslType & { kind: 'struct' }, used: (name: string) => boolean = () => true): string[] {
  const theirs = new Map(a.members.map((x) => [x.name, x]));
  const moved = m.members.flatMap((x) => {
    const y = theirs.get(x.name);
    if (!y) return used(x.name) ? [`${x.name} (yours alone, at byte ${x.offset})`] : [];
    return y.offset !== x.offset || typeName(y.type) !== typeName(x.type) ? [`${x.name} at byte ${x.offset} (${typeName(x.type)}) in yours, ${y.offset} (${typeName(y.type)}) in the library's`] : [];
  });
  return [...moved, ...a.members.filter((y) => !m.members.some((x) => x.name === y.name)).map((y) => `${y.name} (the library's alone, at byte ${y.offset})`)];
}

/** The storage variables `mine` declares with more scalars per element than the library's WGSL at the same stride and
 *  the same offsets for those it shares (samePrefix): it reads padding, which holds the sentinel here, as a clause
 *  for a failure; undefined when none does. */
function paddingClauseOf(library: KernelProgram, mine: KernelProgram): { clause: string; integer: boolean } | undefined {
  let integer = false;
  const code = mine.sources[library.spec.wgsl] ?? '';
  // A variable the kernel only writes gets no value from the padding: its values land there, and the library's own
  // bytes stay unwritten (trial 180 B1: an output written 24 bytes apart, where the library's vec3 structs are 32, was
  // said to read the padding).
  const written: string[] = [];
  const differ = bindingDifferences(library, mine, (b, t) => {
    if (t.kind !== 'storage' || b.kind !== 'storage') return undefined;
    const [a, m] = [elementLayout(t.type), elementLayout(b.type)];
    const reads = readsVariable(code, b.name);
    if (a.stride !== m.stride) {
      // Trial 99 B2: a struct of 32 bytes read as pairs of vec4s, whose .w after the vec3 is padding: several of
      // mine to one of the library's, each scalar of mine that starts where no scalar of the library's does.
      if (m.stride === 0 || a.stride % m.stride !== 0) return undefined;
      const starts = new Set(a.offsets);
      const pad: number[] = [];
      let padInteger = false;
      for (let j = 0; j < a.stride / m.stride; j++) m.offsets.forEach((o, i) => {
        if (!starts.has(j * m.stride + o)) {
          pad.push(j * m.stride + o);
          padInteger ||= m.scalars[i] === 'u32' || m.scalars[i] === 'i32';
        }
      });
      if (!pad.length) return undefined;
      const layout = `${b.name} as ${typeName(m.type)}, ${m.stride} bytes apart, where the library's WGSL has ${typeName(a.type)}, ${a.stride} bytes apart, whose byte${pad.length > 1 ? 's' : ''} ${pad.join(', ')} ${pad.length > 1 ? 'are' : 'is'} padding`;
      if (!reads) {
        written.push(layout);
        return undefined;
      }
      integer ||= padInteger;
      return layout;
    }
    if (!reads || !(m.offsets.length > a.offsets.length && samePrefix(a, m))) return undefined;
    integer ||= m.scalars.slice(a.scalars.length).some((x) => x === 'u32' || x === 'i32');
    const extra = m.offsets.length - a.offsets.length;
    return `${b.name} as ${typeName(m.type)}, ${m.offsets.length} scalars, where the library's WGSL has ${typeName(a.type)}, ${a.offsets.length} scalars, the same ${m.stride} bytes apart, so the last ${extra === 1 ? 'is' : `${extra} are`} padding`;
  });
  const file = mine.origins[library.spec.wgsl];
  // Trial 102 B1: an integer read of the padding gets 2142952365, which a hash mixes past recognition: the clause is
  // said beside any failure of such a kernel, not only beside a NaN.
  const read = differ?.length
    ? `${file} declares ${differ.join('; ')}, and reads ${differ.length > 1 ? 'them' : 'it'}: a host need not write padding, and kernelscope fills it with the sentinel 0x7fbadbad, so a kernel that computes from it gets a NaN (2142952365 read as an integer); read only what the library's layout holds`
    : undefined;
  const write = written.length
    ? `${file} declares ${written.join('; ')}, and only writes ${written.length > 1 ? 'them' : 'it'}: values written by this layout land in the padding, which the host does not read, and leave some of the library's unwritten; write by the library's layout`
    : undefined;
  return read || write ? { clause: `(${[read, write].filter(Boolean).join('; and ')})`, integer } : undefined;
}

/** Whether each scalar of `a` is at the same offset and of the same type in `b` (a vec3 in a vec4, 16 bytes apart
 *  both): the same values where both have them, and padding where one has more, which holds the sentinel
 *  (toBatchCase), so a kernel that computes from it fails rather than passing on zeros (a trial's vec4 read of the
 *  library's vec3s, correct, drew the note). */
const samePrefix = (a: ElementLayout, b: ElementLayout) => a.offsets.every((o, i) => o === b.offsets[i] && a.scalars[i] === b.scalars[i]);

/**
 * When `mine` (the kernel with the user's WGSL) has another workgroup size than the library kernel in a stage of its
 * main file, and the spec's `workgroups` gives the same counts for both sizes on each of a few of the family's shapes,
 * the spec dispatches a fixed grid: one workgroup per 16 × 16 block of C (matmul_tiled), per row (softmax). A kernel
 * whose workgroup covers less than that leaves outputs unwritten, and nothing else would say why. Returns the
 * warning, worded to hold for a kernel that does cover it too; undefined when the dispatch follows the size, or when
 * the spec or WGSL cannot be read here (the run says why).
 */
function fixedDispatchOf(k: LoadedKernel, mine: KernelProgram): { warning: string; note: string } | undefined {
  const library = k.program;
  const limits = deviceDispatchLimits(library.spec);
  // By entry point: a stage is fixed when its counts agree for both sizes on every shape drawn.
  const stages = new Map<string, { sizes: number[][]; fixed: boolean }>();
  try {
    for (const { shape } of fc.sample(k.family.cases, { seed: 1, numRuns: 12 })) {
      for (const stage of library.spec.stages(shape)) {
        if (stage.wgsl !== library.spec.wgsl) continue;
        const sizes = [stageWorkgroupSize(library, stage), stageWorkgroupSize(mine, stage)];
        if (sizes[0]!.join() === sizes[1]!.join()) continue;
        const same = stage.workgroups(sizes[0]!, limits).join() === stage.workgroups(sizes[1]!, limits).join();
        const entry = stage.entry ?? 'main';
        stages.set(entry, { sizes, fixed: same && (stages.get(entry)?.fixed ?? true) });
      }
    }
  } catch {
    return undefined;
  }
  const sizes = [...stages.values()].find((s) => s.fixed)?.sizes;
  if (!sizes) return undefined;
  const [theirs, ours] = sizes.map((s) => `@workgroup_size(${s.join(', ')})`);
  const warning = `kernel '${library.spec.name}': ${library.specOrigin ?? 'its spec'} dispatches the same workgroups for your ${ours} (${mine.origins[library.spec.wgsl]}) as for the library's ${theirs}: ` +
    `each of your workgroups must cover what one of the library kernel's covers; if yours covers less, give it a spec of its own (kernelscope init) whose workgroups() divides the output by your tile, and if it covers as much or more, the index that picks each output element is where to look`;
  // Before any result, one line and no diagnosis: most such kernels are right (trial 51's seven were), and the
  // warning itself comes with a failure that leaves outputs unwritten (property-runner.ts).
  const note = `kernel '${library.spec.name}': your ${ours} differs from the library's ${theirs}, and ${library.specOrigin ?? 'its spec'} dispatches the same workgroups for both (a failure that leaves outputs unwritten will say more)`;
  return { warning, note };
}
