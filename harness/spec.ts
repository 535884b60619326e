// The vocabulary a kernel author writes in: kernel specs (kernels/NAME.kernel.ts), families of kernels that compute
// the same function (reference + properties), and the cases properties draw. Node-free: the visualizer loads these.
import type { Float16Array } from '@petamoriken/float16';
import type * as fc from 'fast-check';
import type { LazyBound } from './compare.ts';

/** The scalar type of a buffer's elements. 'f16' needs the shader-f16 feature (the WGSL's `enable f16;`). */
export type ElementType = 'f32' | 'u32' | 'i32' | 'f16';
/** f16 data lives in @petamoriken/float16's Float16Array (Node 20 has none of its own). */
export type TypedArray = Float32Array | Uint32Array | Int32Array | Float16Array;

/** A plain value for a WGSL struct field: a number (scalar), an array (vector, matrix column by column, array),
 *  or an object (nested struct). */
export type StructValue = number | boolean | StructValue[] | { [field: string]: StructValue };

/**
 * What a kernel needs from the device beyond WebGPU's defaults: optional features (the WebGPU names, e.g.
 * 'shader-f16', 'subgroups') and limits above the default (e.g. { maxComputeWorkgroupStorageSize: 32768 }).
 * Plain names, no WebGPU types, so a user library typechecks without @webgpu/types.
 */
export interface DeviceRequirements {
  features?: string[];
  limits?: Record<string, number>;
}

/** A buffer of the kernel's pipeline, named by the kernel author. */
export interface BufferSpec<S> {
  /** input: written by the harness, must come back unchanged (unless the kernel says it works in place);
   *  output: prefilled with a sentinel, every element must be written; scratch: intermediate, not checked. */
  role: 'input' | 'output' | 'inout' | 'scratch';
  /** The scalar type of every value in the buffer (a vec4<f32> or a struct of f32 fields: 'f32'). */
  type: ElementType;
  /** Number of scalars of the host array for a problem shape: 4 per vec4<f32> element, 6 per mat2x3, one per
   *  struct field scalar. The harness lays them out at the WGSL stride (vec3: 16 bytes apart). */
  length(shape: S): number;
  /** Logical shape for display (rows × cols for a matrix). Defaults to [length]. */
  dims?(shape: S): number[];
  /** The output's bits may legitimately differ between runs (float atomics, an order that depends on scheduling):
   *  `deterministic` then holds two runs to the family's tolerance of each other instead of to the same bits. For an
   *  exact family the tolerance is 0, so that is still bit for bit: an integer output whose order may vary needs a
   *  multiset property of its own (docs/writing-a-kernel.md, "The order atomics hand out values in"). */
  orderDependent?: boolean;
}

/** Whether a buffer holds the kernel's results (its role is output or inout): what a run is judged, hashed and shown
 *  by, not its inputs or scratch. */
export const holdsResults = (b: Pick<BufferSpec<never>, 'role'> | undefined): boolean => b?.role === 'output' || b?.role === 'inout';

/**
 * The dispatch limits a stage's `workgroups` is asked under, by WebGPU's names. maxComputeWorkgroupsPerDimension is
 * the device's (WebGPU's default 65,535, or what the kernel's `requires.limits` asks for), except on the cases of the
 * `-spread-y` properties (matches-reference-spread-y, no-out-of-bounds-spread-y), where it is lowered to about half
 * the stage's x count under the device's limit (harness/run/program.ts, loweredLimit): the dispatch then spreads
 * over y with workgroups past the end, the path that otherwise runs only past 65,535 workgroups (16.7 M elements).
 */
export interface DispatchLimits {
  maxComputeWorkgroupsPerDimension: number;
}

/** One dispatch of a (possibly multi-stage) kernel. */
export interface StageSpec<S> {
  /** WGSL file, relative to kernels/. */
  wgsl: string;
  entry?: string;
  /** WGSL variable name -> the pipeline's buffer name (storage), or the field values of a parameter struct in a
   *  var<uniform> (`{ uniform: { shape: [3, 4], scale: 0.5 } }`) or a var<storage, read> (`{ storage: ... }`),
   *  packed by the reflected layout; every field must be given. An entry that is undefined is no binding: TypeScript
   *  types an array of stages that bind different names so (`x?: undefined` in the stage without x), and a Record
   *  without it would reject that array. */
  bind: Record<string, string | { uniform: Record<string, StructValue> } | { storage: Record<string, StructValue> } | undefined>;
  /** Workgroup count, given the workgroup size the pipeline runs with (overrides applied) and the largest count the
   *  dispatch may have in each dimension. A kernel that spreads its workgroups over y past that limit (its WGSL
   *  folding y back into x through num_workgroups) should take the limit from `limits` rather than write 65535: the
   *  harness passes the device's limit (see DispatchLimits), and for its `-spread-y` properties a lowered one, so
   *  that the y path runs at small sizes too. A kernel that never spreads may ignore the argument. */
  workgroups(workgroupSize: [number, number, number], limits: DispatchLimits): [number, number, number];
  /** Values of the WGSL's `override` declarations, by name or @id. */
  constants?: Record<string, number>;
}

export interface KernelSpec<S = any> {
  name: string;
  /** The family whose reference and properties apply (variants of one function share them). Defaults to name. */
  family?: string;
  /** The WGSL file that `--wgsl NAME=FILE` replaces. */
  wgsl: string;
  description: string;
  buffers: Record<string, BufferSpec<S>>;
  stages(shape: S): StageSpec<S>[];
  /** Device features and limits beyond WebGPU's defaults. The features of the WGSL's `enable`s are added by
   *  themselves; an engine whose adapter lacks one skips every property of the kernel, naming it. */
  requires?: DeviceRequirements;
  /** A shape whose dispatch spreads over y past 65,535 workgroups, for a kernel whose WGSL folds y back into x: the
   *  sanitizer's opt-in `no-out-of-bounds-spread-y-full` runs one case of it (inputs in [-1, 1)), the true limit's
   *  counterpart of the default `-spread-y` properties (DispatchLimits). A kernel that declares it also has the
   *  `-spread-y` properties' draws chosen among the family's cases whose dispatch spreads. */
  spreadShape?: S;
}

/** A drawn case: a problem shape and the input arrays, named by the pipeline's buffer names. */
export interface Case<S = any> {
  shape: S;
  inputs: Record<string, TypedArray>;
  /** Dispatch every stage under a lowered maxComputeWorkgroupsPerDimension (DispatchLimits); a case whose dispatch
   *  then does not spread over y is skipped, never judged. */
  spreadY?: boolean;
  /** writes-every-output's second run: outputs and scratch filled with the second sentinel (program.ts SENTINEL_2)
   *  where integer, +READ_FILL_F32 where float. */
  secondSentinel?: boolean;
  /** With secondSentinel, its third run: integer outputs zeros, integer scratch 0, 1, 2, 3 repeating (program.ts
   *  smallIntegers), float ones −READ_FILL_F32. */
  negativeFill?: boolean;
}

/** What came back from one kernel run: every non-uniform buffer by name, as the kernel left it. */
export type RunOutput = Record<string, TypedArray>;

export interface Measure {
  /** Largest absolute error seen, of the elements with a finite bound (an unbounded one may hold anything). */
  abs: number;
  /** Largest distance in units in the last place seen, of the same elements: f32 steps, f16 steps for an f16 buffer. */
  ulp: number;
  /** Largest |error| / allowed bound; > 1 means the bound was broken. */
  boundRatio: number;
  /** The absolute error and ULP distance of the element at that largest ratio: abs and ulp are maxima over all the
   *  elements, and may be another element's, within a wider bound (a trial's exact-bound failure off by 0.0079 read
   *  "off by 1.7e+7", a packed u32 beside it allowed that much), with its buffer and index where the reference's
   *  comparison knows them. Absent where a property's measure gives none. */
  atWorst?: { abs: number; ulp: number; buffer?: string; index?: number };
  /** The buffer whose element has the largest absolute error (abs), where the comparison knows it: an f32 output's
   *  rounding, far larger in absolute terms, read as part of a packed u32 output's failure beside it (trial 114 B2). */
  absBuffer?: string;
  /** Every element measured is an integer's (a u32 or i32 buffer): ulp is then the error itself, in units of 1, and
   *  is said as "off by" (trial 111 B2: a packed pixel's "3.3e+4 ulp"). */
  integer?: boolean;
}

export interface Verdict {
  pass: boolean;
  /** Why it failed, in words a kernel author can act on. */
  message?: string;
  measure?: Measure;
  /** Where it was worst: which buffer and element. */
  worst?: { buffer: string; index: number };
  /** Extra facts for the report (e.g. whether add was bit-identical to round-to-nearest). Over a property's cases a
   *  number keeps the one largest in size (with its sign), a flag holds where it holds in every case, and a sentence
   *  is the case's with the largest leading count (property-runner.ts mergeNotes). */
  notes?: Record<string, string | number | boolean>;
  /** A pass that compared nothing: every element's allowed error was infinite (matches-reference). When every case's
   *  pass is so, the property is reported not judged (a skip), never passed. */
  unjudged?: true;
}

/**
 * A property: draws a value C, turns it into kernel runs (one case may need several: the same input twice for
 * determinism, a permuted input for permutation properties), then judges the runs' outputs.
 */
export interface Property<S = any, C = any> {
  name: string;
  /** What it checks and the bound it uses, with the formula: shown by `list` and in docs/properties.md. */
  description: string;
  bound?: string;
  arbitrary: fc.Arbitrary<C>;
  runs(c: C): Case<S>[];
  check(c: C, outputs: RunOutput[]): Verdict;
  /** Default number of drawn cases relative to --runs (expensive properties ask for fewer). */
  runsScale?: number;
  /** The algorithm this property's tighter bound assumes (e.g. "reduce_sum.wgsl's binary tree"): such a property
   *  belongs to the library kernel that implements it, and `--wgsl` (another implementation) drops it. */
  assumes?: string;
  /** Why this property runs only when asked for by name (`--property NAME`): a run, `mutate` and the API leave it
   *  out of a kernel's default set (one case of 16.7 M elements is minutes on SwiftShader, per engine). */
  optIn?: string;
}

/** A family: the reference semantics one or more kernels implement. */
export interface Family<S = any> {
  name: string;
  /** Edge-biased cases for the universal properties and the reference comparison. */
  cases: fc.Arbitrary<Case<S>>;
  /** Cases for the `-spread-y` properties in place of `cases` (harness/run/spread-y.ts), for a family whose y path
   *  has an edge the ordinary draws reach only by luck (a reduction's last block full, so that a workgroup past the
   *  end starts exactly at n), or whose ordinary sizes are far larger than the y path needs (an element-wise
   *  family's: values/spreadSize). Any correct implementation must pass them: they are inputs, not an algorithm. */
  spreadCases?: fc.Arbitrary<Case<S>>;
  /** Expected outputs in float64, by output buffer name. */
  reference(c: Case<S>): Record<string, Float64Array>;
  /** Allowed absolute error per element of each output, derived from the WGSL accuracy rules. */
  tolerance(c: Case<S>, expected: Record<string, Float64Array>): Record<string, Float64Array>;
  /** The same bounds on demand (compare.ts LazyBound: a cheap lower bound per element, the exact one where it
   *  matters), for a bound that costs more than the comparison: matches-reference takes this when given, with the
   *  same verdict, measure and worst element as tolerance()'s arrays give. */
  lazyTolerance?(c: Case<S>, expected: Record<string, Float64Array>): Record<string, LazyBound>;
  /** Which ways of computing the family's function the tolerance was derived for, when not every WGSL-legal one
   *  (`1 / (1 + exp(−x)) or exp(x) / (1 + exp(x)), not 0.5 + 0.5 tanh(0.5 x)`): said with a matches-reference
   *  failure, so that the author of another form knows the bound was not derived for theirs. */
  covers?: string;
  /** Where and why the tolerance is unbounded (Infinity), and which properties judge those elements instead: said
   *  with matches-reference's count of unbounded elements, so that a passing line whose unbounded element looks wrong
   *  explains itself (`rows whose squared deviations overflow f32 ...`). One sentence for every output, or one per
   *  output by name (`{ dist: '...', assign: '...' }`: a family whose outputs are unbounded for different reasons);
   *  an output a record leaves out gets the generic sentence. */
  unboundedWhere?: string | Record<string, string>;
  /** Output element i is computed from element i of each input alone (add, relu, gelu): a matches-reference failure
   *  then quotes the inputs at its element's index ("; its input x[7] = 0.98"). Left out for a kernel where the
   *  same index means nothing (a sort, a convolution, a softmax row, a square transpose): quoting x[7] beside y[7]
   *  there reads as the cause (seen by a new user's bitonic sort). */
  elementwise?: boolean;
  /** The family's own properties (metamorphic relations and the like). */
  properties: Property<S, any>[];
  /** Outputs compared bit-exactly except for the sign of zero (relu); tolerance() is then not called. */
  exact?: boolean;
  /** Outputs picked among the inputs by comparisons (a max, a min): one below 2^-126 in magnitude where the reference
   *  is too meets it (compare.ts CompareOptions.flushTies), as WGSL lets a comparison flush subnormal operands. */
  flushTies?: boolean;
  /** Properties that hold only for one library kernel's algorithm (each names it in `assumes`), by kernel name. */
  kernelProperties?: Record<string, Property<S, any>[]>;
}
