// Everything a kernel library needs from kernelscope, in one module: what `kernelscope init` makes new files import.
// A library outside this repository has no node_modules of its own, so fast-check comes through here too: the
// library then uses the very copy the harness runs its arbitraries with.
export * as fc from 'fast-check';
export type { BufferSpec, Case, DeviceRequirements, ElementType, Family, KernelSpec, Measure, Property, RunOutput, StageSpec, StructValue, TypedArray, Verdict } from '../spec.ts';
export { Float16Array } from '@petamoriken/float16';
export { gammaF16, isF16, MAX_F16, MIN_NORMAL_F16, roundF16, U_F16, ulpOfF16, UNIT_ROUNDOFF_F16 } from '../bounds/f16.ts';
export {
  distArb, drawValue, edgeSize, fillF16, fillF32, isSubnormalF32, negated, permutation, rng, seedArb, subSeed, VALUE_DISTS,
  type Rng, type ValueDist,
} from '../../properties/values.ts';
export { bitsVerdict, compareVerdict } from '../../properties/verdict.ts';
// The library's proofs for whole operations, each for every implementation its header names: a kernel of the user's
// that computes one of these is held to the bound the library's own kernels meet, not to one fitted to one algorithm.
export { layernormTolerance, type LayernormAlgorithm } from '../../properties/layernorm-bound.ts';
export { logSoftmaxRowTolerance, logSoftmaxTolerance } from '../../properties/log_softmax-bound.ts';
export { normaliserBound, softmaxRowTolerance, softmaxTolerance, type Normaliser, type SoftmaxSum } from '../../properties/softmax-bound.ts';
export { compareArrays, describeFailure, type CompareOptions } from '../compare.ts';
export {
  isCorrectlyRounded, isF32, MAX_F32, MIN_NORMAL_F32, MIN_SUBNORMAL_F32, nextDown, nextUp, roundDownF32, roundUpF32,
  specUlp, U, ulpDistance, ulpOf,
} from '../bounds/f32.ts';
export { dotProductBound, dotProductBoundOf, gamma, growth, sumBound, sumBoundOf, treeSumBound } from '../bounds/gamma.ts';
export {
  correctlyRoundedBound, divisionBound, exp2Bound, expBound, inverseSqrtBound, log2Bound, logBound, maxMinBound,
  packNormLevels, sinCosBound, sqrtBound, tanhBound, unpackNormBound, type PackNormFormat,
} from '../bounds/wgsl.ts';
