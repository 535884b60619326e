// The library as the page sees it: kernel specs and WGSL bundled by Vite, default shapes, and the lessons.
import { specWgslFiles, withUserWgsl, type KernelProgram } from '../../harness/run/program.ts';
import { Float16Array } from '@petamoriken/float16';
import type { Family, KernelSpec, TypedArray } from '../../harness/spec.ts';

// `@library` is the library this build is for (visualizer/vite.config.ts): the repository's or a KERNELSCOPE_LIBRARY.
const specModules = import.meta.glob<{ default: KernelSpec }>('@library/kernels/*.kernel.ts', { eager: true });
// Every WGSL under kernels/, by its path from there, as a stage's `wgsl` names it: a stage file in kernels/twins/ was
// "not loaded" in the page while `test` ran it (trial 67 B3).
const wgslModules = import.meta.glob<string>('@library/kernels/**/*.wgsl', { eager: true, query: '?raw', import: 'default' });
const baseName = (path: string) => path.split('/').pop()!;
const fromKernels = (path: string) => path.slice(path.lastIndexOf('/kernels/') + '/kernels/'.length);

export const specs = new Map<string, KernelSpec>();
for (const [path, m] of Object.entries(specModules)) specs.set(baseName(path).replace('.kernel.ts', ''), m.default);
export const sources = new Map<string, string>();
for (const [path, code] of Object.entries(wgslModules)) sources.set(fromKernels(path), code);

/** The kernel with its WGSL; `override` replaces the spec's own WGSL file (the editor, a fixture's --wgsl). */
export function programOf(name: string, override?: string): KernelProgram {
  const spec = specs.get(name);
  if (!spec) throw new Error(`no kernel '${name}'`);
  const src: Record<string, string> = {};
  const origins: Record<string, string> = {};
  // The spec's files only, as the CLI loads them: another kernel's `enable f16` asked the page's device for a feature
  // this one does not need (programRequirements reads every source).
  for (const f of specWgslFiles(spec)) {
    const code = sources.get(f);
    if (code === undefined) continue; // the page says the kernel's file is missing where it is used
    src[f] = code;
    origins[f] = `kernels/${f}`;
  }
  const program = { spec, sources: src, origins };
  // Another WGSL in place of the library's runs as `test --wgsl` runs it: held to the library's spec as a --wgsl file
  // is (a padding field it never reads is zero), on buffers laid out as the library's WGSL lays them out. A saved case
  // of a port with `_unused0` fields was refused in the page ("write _unused0: a number") that `test` and `replay` ran
  // (trial 71 B1).
  return override === undefined || override === src[spec.wgsl] ? program : withUserWgsl(program, override, `kernels/${spec.wgsl}`);
}

/** A small shape per kernel to start from; the learner changes it. */
export const DEFAULT_SHAPES: Record<string, Record<string, number | string>> = {
  add: { n: 200 }, relu: { n: 200 }, gelu: { n: 200 }, matmul: { M: 12, N: 16, K: 8 }, matmul_tiled: { M: 12, N: 16, K: 8 },
  softmax: { rows: 4, cols: 300 }, softmax_online: { rows: 4, cols: 40 }, layernorm: { rows: 4, cols: 40, eps: 1e-5 },
  mlp: { batch: 2 }, transpose: { rows: 12, cols: 20 }, histogram: { n: 300, bins: 16 }, reduce_sum: { n: 1000 },
  reduce_max: { n: 1000 }, scan: { n: 300, op: 'add' },
};

export interface Lesson {
  kernel: string;
  title: string;
  text: string;
}

export const LESSONS: Lesson[] = [
  { kernel: 'add', title: 'add: one invocation per element', text: 'Invocation i reads a[i] and b[i] and writes c[i]. The grid is rounded up to whole workgroups of 64, so the last invocations have nothing to do: the bounds check makes them return. Lower the dispatch count to see uncovered elements of c light up.' },
  { kernel: 'relu', title: 'relu: the same shape, a different body', text: 'The mapping is the same as add, one element each. Select an element of y to see the one invocation that wrote it.' },
  { kernel: 'matmul', title: 'matmul: a 2-D grid', text: 'Invocation (x, y) computes C[y][x]: it reads row y of A and column x of B, K elements each, then writes one element of C. Workgroups are 8×8 tiles of C; edges that are not multiples of 8 leave idle invocations.' },
  { kernel: 'softmax', title: 'softmax: a workgroup per row', text: 'All 256 invocations of a workgroup share one row: each folds a strided slice, then they combine partial maxima and sums in workgroup memory, with barriers between the steps. Select an element of y: several invocations read its x, one wrote it. Below, the lockstep view steps row 0\'s workgroup: in phase 1 every invocation writes the max of its slice to partial[lid] and waits at the barrier; then each "phase ▶▶" halves the tree (the upper half of the invocations skips the `if` and waits, the lower half reads two partials and writes one) until partial[0] holds the row\'s max; the sum of exponentials repeats the pattern. "Break it" deletes the first barrier and the race view opens on the write and the read it no longer orders.' },
  { kernel: 'mlp', title: 'the forward pass: four chained dispatches', text: 'The classifier is matmul + bias, relu, matmul + bias and softmax, with no readback between the stages. The trace numbers invocations across all four dispatches; the grid shows the selected stage.' },
];

let seed = 1;
export function reseed(s: number) {
  seed = s >>> 0 || 1;
}
function rand(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
}

/** Inputs drawn from a seeded generator: uniform in [-1, 1) for f32, small integers otherwise. */
export function drawInputs(spec: KernelSpec, shape: unknown, s = 1): Record<string, TypedArray> {
  reseed(s);
  const out: Record<string, TypedArray> = {};
  for (const [name, b] of Object.entries(spec.buffers)) {
    if (b.role !== 'input' && b.role !== 'inout') continue;
    const n = b.length(shape);
    // f16 in a Float16Array: it was an Int32Array, whose bytes an f16 buffer read as other numbers (refused since
    // toBatchCase checks an input's array against its type).
    out[name] = b.type === 'f32' ? Float32Array.from({ length: n }, () => rand() * 2 - 1)
      : b.type === 'f16' ? Float16Array.from({ length: n }, () => rand() * 2 - 1)
      : b.type === 'u32' ? Uint32Array.from({ length: n }, () => Math.floor(rand() * 64))
        : Int32Array.from({ length: n }, () => Math.floor(rand() * 64) - 32);
  }
  return out;
}

/** Logical [rows, cols] of a buffer for drawing: a matrix as is, anything else as a strip. */
export function dimsOf(spec: KernelSpec, buffer: string, shape: unknown): number[] {
  const b = spec.buffers[buffer]!;
  return b.dims ? b.dims(shape) : [b.length(shape)];
}

// Families load when the editor first checks a kernel: they pull in fast-check and the references.
const familyModules = new Map(Object.entries(import.meta.glob<Family>('@library/properties/*.properties.ts', { import: 'default' }))
  .map(([path, load]) => [baseName(path), load]));

/** The family whose reference and properties apply to a spec (properties/FAMILY.properties.ts). */
export async function familyOf(spec: KernelSpec): Promise<Family> {
  const name = spec.family ?? spec.name;
  const load = familyModules.get(`${name}.properties.ts`);
  if (!load) throw new Error(`kernel '${spec.name}' belongs to family '${name}', but properties/${name}.properties.ts does not exist`);
  const family = await load();
  if (!family?.cases) throw new Error(`properties/${name}.properties.ts: has no default export of a Family`);
  return family;
}
