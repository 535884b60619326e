// The four files `kernelscope init NAME` writes: an element-wise kernel y = x·x that runs and passes as generated,
// so an author starts from green and changes one thing at a time. x·x is chosen because its bound is the simplest
// real one (one correctly rounded operation) and it has a metamorphic relation (it is even) that needs no reference.
//
// `kit` is the module specifier the generated files import the harness from (see harness/scaffold/kit.ts); it is
// the same for all three folders, which are siblings.

export interface ScaffoldFiles {
  /** Path relative to the library root -> file contents. */
  [path: string]: string;
}

/** matmul_tiled -> MatmulTiled: the prefix of the generated TypeScript types. */
export function pascalCase(name: string): string {
  return name.split('_').filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') || 'Kernel';
}

export function elementwiseFiles(name: string, kit: string): ScaffoldFiles {
  const P = pascalCase(name);
  return {
    [`kernels/${name}.wgsl`]: wgsl(name),
    [`kernels/${name}.kernel.ts`]: kernelSpec(name, P, kit),
    [`reference/${name}.ts`]: reference(name),
    [`properties/${name}.properties.ts`]: properties(name, P, kit),
  };
}

const wgsl = (name: string) => `// ${name}: y[i] = x[i] * x[i], one invocation per element. Written by \`kernelscope init\` as a starting point
// that passes: put your kernel's arithmetic in place of x[i] * x[i], then change the reference
// (reference/${name}.ts) and the tolerance (properties/${name}.properties.ts) to match.
//
// The names x, y and params are what kernels/${name}.kernel.ts binds; rename them in both places or the harness
// names the mismatch. Bindings, the layout of Params and the workgroup size are read from this file, never
// written twice. The uniform n bounds the work, not arrayLength(&y): the harness rounds buffers up to 4 bytes (an
// odd f16 length gains one), and an application may bind a larger buffer.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  y[i] = x[i] * x[i];
}
`;

const kernelSpec = (name: string, P: string, kit: string) => `// ${name}: y = x·x over n elements, one invocation per element (from \`kernelscope init\`).
// The spec says which buffers the kernel has and how to dispatch it for a shape; everything the WGSL already
// says (bindings, the uniform struct's layout, @workgroup_size) is reflected from ${name}.wgsl.
import type { KernelSpec } from '${kit}';

/** The problem shape: what varies between cases besides the values. Add fields (rows, cols, ...) as you need. */
export interface ${P}Shape {
  n: number;
}

const spec: KernelSpec<${P}Shape> = {
  name: '${name}',
  wgsl: '${name}.wgsl',
  // Shown by \`kernelscope list\` and in reports: say what your kernel computes and what it promises.
  description: 'Element-wise y = x·x; each result is the correctly rounded product.',
  buffers: {
    // input: written by the harness and must come back unchanged. output: prefilled with a sentinel NaN, and
    // every element must be written. Also: 'inout' (works in place), 'scratch' (intermediate, not checked).
    x: { role: 'input', type: 'f32', length: (s) => s.n },
    y: { role: 'output', type: 'f32', length: (s) => s.n },
  },
  stages: (s) => [
    {
      wgsl: '${name}.wgsl',
      entry: 'main',
      // WGSL variable -> buffer name; a uniform struct is given field by field, by name.
      bind: { x: 'x', y: 'y', params: { uniform: { n: s.n } } },
      // wx is the WGSL's @workgroup_size x: change the size there and the dispatch follows.
      workgroups: ([wx]) => [Math.ceil(s.n / wx), 1, 1],
    },
  ],
};

export default spec;
`;

const reference = (name: string) => `// ${name} in float64: the exact result the kernel's f32 arithmetic approximates (from \`kernelscope init\`).
// Keep it plain and obviously right: it is the specification the kernel is held to. The product of two f32
// values is exact in float64 (24 + 24 significant bits fit in 53), so this is the real x·x, not an estimate.
export function ${name}(x: ArrayLike<number>): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i]! * x[i]!;
  return y;
}
`;

const properties = (name: string, P: string, kit: string) => `// The ${name} family (from \`kernelscope init\`): the cases properties draw, the float64 reference, the allowed
// error per element, and ${name}'s own properties. The harness adds the universal ones on top: matches-reference,
// writes-every-output, inputs-unchanged, deterministic. See docs/writing-a-kernel.md.
import {
  compareVerdict, correctlyRoundedBound, distArb, edgeSize, fc, fillF32, seedArb,
  type Case, type Family, type Property, type ValueDist,
} from '${kit}';
import type { ${P}Shape } from '../kernels/${name}.kernel.ts';
import * as reference from '../reference/${name}.ts';

/** What fast-check draws: small, and what a saved counterexample holds. The arrays are derived from it. */
export interface ${P}Draw extends ${P}Shape {
  seed: number;
  dist: ValueDist;
}

// Value distributions (properties/values.ts); shrinking moves towards the first. With 'huge', x·x overflows: WGSL
// makes an overflowed result indeterminate, the bound is Infinity there, and any result passes.
const DISTS = ['uniform', 'normal', 'edge', 'subnormal', 'wide', 'huge'] as const satisfies readonly ValueDist[];

export const ${name}Draw: fc.Arbitrary<${P}Draw> = fc.record({
  // Sizes biased to the edges: 1, 63, 64, 65, 129, ... Keep [64] equal to the WGSL's @workgroup_size.
  n: edgeSize(4096, [64]),
  seed: seedArb,
  dist: distArb(DISTS),
});

export function ${name}Case(d: ${P}Draw): Case<${P}Draw> {
  return { shape: d, inputs: { x: fillF32(d.seed, d.n, d.dist) } };
}

/**
 * The allowed error of each y[i], from WGSL's accuracy rules (harness/bounds): x * x is one correctly rounded
 * operation, so the result is the exact product where that is an f32 value, else one of its two f32 neighbours:
 * within correctlyRoundedBound(exact, true), 0 or the gap between those neighbours (Infinity where it overflows). The
 * true says the float64 product is the real one, as a product of two f32 values always is; leave it out where the
 * float64 reference may itself have rounded (a sum of values far apart in size). A subnormal result flushed to 0, which WGSL allows,
 * is accepted by the comparison itself. A subnormal input may be read as ±0 too: for x·x that changes nothing (its
 * square is below f32's range either way), but a product with another value (x · s is 0 where s, an input or a shape
 * value, is subnormal and flushed), a branch on the input (x >= 0.0 holds for a flushed −1e-39) or a sum with it may
 * then go another way, and the tolerance must allow that result (docs/writing-a-kernel.md, "Subnormals").
 * For your own arithmetic, compose the rules of its operations: expBound,
 * divisionBound, ..., and γ_n (dotProductBound, sumBound) for sums of n terms.
 */
function tolerance(c: Case<${P}Draw>, expected: Record<string, Float64Array>): Record<string, Float64Array> {
  return { y: expected.y!.map((exact) => correctlyRoundedBound(exact, true)) };
}

/**
 * A metamorphic relation: x·x is even, so the kernel run on −x must give what it gives on x. It needs no reference,
 * and it says what the kernel promises. Both runs lie within the tolerance of the same exact value, so they may
 * differ by twice the tolerance. Replace it with a relation your kernel keeps (odd: f(−x) = −f(x); scaling by a
 * power of two; a permutation of the elements commutes with an element-wise kernel), or delete it.
 */
const even: Property<${P}Draw, ${P}Draw> = {
  name: 'even',
  description: 'y(−x) = y(x): the kernel on the negated input gives the same outputs, within twice the per-element ' +
    'tolerance (each run is within it of the same exact x·x).',
  bound: '|y(−x) − y(x)| ≤ 2 · ULP(x·x)',
  arbitrary: ${name}Draw,
  runs: (d) => {
    const c = ${name}Case(d);
    return [c, { shape: d, inputs: { x: Float32Array.from(c.inputs.x!, (v) => -v) } }];
  },
  check: (d, [onX, onMinusX]) => {
    const c = ${name}Case(d);
    const allowed = tolerance(c, { y: reference.${name}(c.inputs.x!) }).y!.map((t) => 2 * t);
    // expectedIs: the other side is the kernel's own run on x, not the reference (docs/writing-a-kernel.md, section 6).
    return compareVerdict('y', onMinusX!.y!, onX!.y!, allowed, 'y(−x) against y(x)', { expectedIs: 'the run on x' });
  },
};

const family: Family<${P}Draw> = {
  name: '${name}',
  elementwise: true,
  cases: ${name}Draw.map(${name}Case),
  reference: (c) => ({ y: reference.${name}(c.inputs.x!) }),
  tolerance,
  properties: [even],
};

export default family;
`;
