// The kernels a command runs: named ones (or every one), each with the user's WGSL in place of its own where
// `--wgsl NAME=FILE` says so. Shared by `test` and `bench`.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { kernelNames, LIBRARY, loadKernels, withWgsl, type LoadedKernel } from '../run/registry.ts';
import { UsageError } from './usage.ts';

/**
 * "unknown kernel 'rope' (kernels: add, ...)", and where the folder the command runs in (or one above it) is a library
 * with that kernel, how to run it from there: a new user ran their library's kernel from inside the library without
 * KERNELSCOPE_LIBRARY and was shown this repository's kernels alone.
 */
export function unknownKernels(names: string[], known: string[], prefix = ''): UsageError {
  const quoted = names.map((n) => `'${n}'`).join(', ');
  let hint = '';
  for (let d = process.cwd(); !hint; d = dirname(d)) {
    const lib = resolve(d);
    if (lib !== LIBRARY && names.every((n) => existsSync(join(lib, 'kernels', `${n}.kernel.ts`)))) {
      hint = `; ${lib} is a library with ${names.length > 1 ? 'them' : 'it'}: run with KERNELSCOPE_LIBRARY=${lib}`;
    }
    if (dirname(d) === d) break;
  }
  // Trial 124 B1: a KERNELSCOPE_LIBRARY with no kernels/ read "(kernels: )", naming neither the library nor the variable.
  const where = known.length ? `kernels: ${known.join(', ')}` : `the library ${LIBRARY}${process.env.KERNELSCOPE_LIBRARY !== undefined ? ', from KERNELSCOPE_LIBRARY,' : ''} has no kernels${existsSync(join(LIBRARY, 'kernels')) ? '' : ' (no kernels/ folder)'}`;
  return new UsageError(`${prefix}unknown kernel${names.length > 1 ? 's' : ''} ${quoted} (${where})${hint}`);
}

export interface KernelSelection {
  /** In the order asked for; the library's order when none was named. */
  kernels: LoadedKernel[];
  /** Kernel name -> the user's WGSL file, as given. */
  overrides: Map<string, string>;
}

/**
 * `names` (none: every kernel, or only the `--wgsl` ones when there are such: the user came to check their version)
 * with `wgsl` (`NAME=FILE`, repeatable) applied, loaded from the library. Only the kernels asked for are loaded, where
 * some are: another kernel's broken spec does not stop them (a trial's). Errors (UsageError, exit 2): a malformed
 * `--wgsl`, an unknown kernel name, a `--wgsl` kernel that `--kernel` leaves out, a WGSL file that is not there;
 * LibraryError where a kernel asked for does not load.
 */
export async function selectKernels(names: string[], wgsl: string[], sameAlgorithm = false): Promise<KernelSelection> {
  const known = kernelNames();
  const asked = [...names, ...wgsl.map((w) => w.slice(0, Math.max(0, w.indexOf('='))))];
  // A name the library does not have loads none: it is named below, before any spec is read.
  const all = asked.some((n) => !known.includes(n)) ? new Map<string, LoadedKernel>() : await loadKernels(undefined, asked.length ? asked : undefined);
  const overrides = new Map<string, string>();
  for (const w of wgsl) {
    const eq = w.indexOf('=');
    if (eq <= 0) throw new UsageError(`--wgsl wants NAME=FILE, not '${w}'`);
    const name = w.slice(0, eq);
    if (!known.includes(name)) throw unknownKernels([name], known, '--wgsl: ');
    overrides.set(name, w.slice(eq + 1));
  }
  for (const k of names) {
    if (!known.includes(k)) throw unknownKernels([k], known);
  }
  // A --wgsl whose kernel --kernel leaves out would not run, and the run would pass without it (a new user's).
  const unrun = names.length ? [...overrides.keys()].filter((n) => !names.includes(n)) : [];
  if (unrun.length) {
    throw new UsageError(`--wgsl ${unrun[0]}=${overrides.get(unrun[0]!)} would not run: --kernel selects ${names.join(', ')}; add --kernel ${unrun[0]}, or leave --kernel out to run only the --wgsl kernels`);
  }
  const chosen = names.length ? names : overrides.size ? [...overrides.keys()] : [...all.keys()];
  const kernels = chosen.map((n) => {
    const k = all.get(n)!;
    const file = overrides.get(n);
    if (!file) return k;
    try {
      return withWgsl(k, file, sameAlgorithm);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  });
  return { kernels, overrides };
}

/** What `test` and `bench` say before they run: whose WGSL each overridden kernel runs, e.g.
 *  "sigmoid: /tmp/my_sigmoid.wgsl (--wgsl) in place of the library's WGSL", the library's properties it leaves out
 *  (LoadedKernel.leftOut: a run with fewer properties than `list` shows must say why), and a note where it numbers
 *  its bindings, lays out a buffer or a parameter struct apart from the library's (LoadedKernel.bindingNote, layoutNote,
 *  paramsNote). */
export const overrideLines = (overrides: Map<string, string>, kernels: LoadedKernel[]): string[] =>
  [...overrides].flatMap(([name, file]) => {
    const k = kernels.find((x) => x.program.spec.name === name);
    return [
      `${name}: ${file} (--wgsl) in place of the library's WGSL`,
      ...(k?.leftOut?.length ? [`  left out, as it assumes the library kernel's own algorithm: ${k.leftOut.map((p) => `${p.name} (${p.assumes})`).join('; ')}; --same-algorithm keeps it for a twin of that algorithm`] : []),
      ...(k?.bindingNote ? [`  ${k.bindingNote}`] : []),
      ...(k?.layoutNote ? [`  ${k.layoutNote}`] : []),
      ...(k?.paramsNote ? [`  ${k.paramsNote}`] : []),
    ];
  });
