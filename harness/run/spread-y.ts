// The `-spread-y` properties: a property's cases dispatched under a lowered maxComputeWorkgroupsPerDimension
// (harness/spec.ts, DispatchLimits), so that a kernel which spreads its workgroups over y past the limit takes its y
// path (the index that folds y back into x, the guards of the workgroups past the end) at the small sizes the
// properties draw, instead of only past 65,535 workgroups. Node-free.
import * as fc from 'fast-check';
import type { Case, Family, Property } from '../spec.ts';
import { plainDispatchFails, SpecMismatch, spreadsOverY, type KernelProgram } from './program.ts';

/** At most this many of the family's cases are drawn to find one whose dispatch spreads wide (a sixth of softmax's
 *  cases, a quarter of gelu's, tanh's and sigmoid's, a third or more of the reductions' and layernorm's: a run of 48
 *  without one is about 1 in 4000 for softmax, 1 in a million for gelu). */
const TRIES = 48;
/** Cases drawn (fixed seed) to ask whether a kernel that declares no spreadShape spreads at all. */
const PROBES = 8;

/** Whether `case`'s dispatch spreads over y under the lowered limit; a spec error counts as yes, so that the case
 *  runs and its validation names the error; for a `probe` (whether the kernel gets -spread-y properties at all), not
 *  an error the dispatch has without the lowered limit too, which the plain properties name (a trial's fractional
 *  workgroups() gave a kernel that never spreads two -spread-y errors more). */
function spreadsAt(program: KernelProgram, c: Case, wide: boolean, probe = false): boolean {
  try {
    return spreadsOverY(program, c.shape, { wide });
  } catch (e) {
    // A spec whose own workgroups() throws under the lowered limit alone refuses a grid past it, as CUDA host code that
    // checks gridDim does: it does not spread (trial 88's 3D stencil had three -spread-y errors for its check). A
    // count kernelscope refuses (SpecMismatch: a fraction) is named, as above.
    if (!(e instanceof SpecMismatch) && !plainDispatchFails(program, c.shape)) return false;
    return !probe || !plainDispatchFails(program, c.shape);
  }
}

/**
 * The cases a `-spread-y` property draws, or undefined for a kernel whose dispatch never spreads: it gets no
 * `-spread-y` properties (two results that could only ever skip would say nothing, and read as a gap). A kernel
 * spreads if it declares a spreadShape, or if one of PROBES of its family's cases (a fixed seed) spreads under the
 * lowered limit: a stage that honours the limit spreads for any case of two or more workgroups along x, so a kernel
 * that passes none of its drawn cases a lowered dispatch is one whose `workgroups` ignores the limit.
 * The cases are the family's `spreadCases` where it has them, else its `cases`. For a kernel that declares it
 * spreads (KernelSpec.spreadShape), the first of up to TRIES of them whose lowered dispatch spreads over y with three
 * or more workgroups in the second row (a stage of seven or more: one column of two would not tell `gid.y * 256`
 * from `gid.y * num_workgroups.x * 256` and has no workgroup past the end; with fewer, an index that reads
 * num_workgroups.y for .x still reaches every workgroup), so that few runs still reach the y path; otherwise the
 * cases as they come (each one that does not spread is skipped at run time). Drawn from a lazy stream, so these
 * cases are not shrunk.
 */
export function spreadDraws(family: Family, program?: KernelProgram): fc.Arbitrary<Case> | undefined {
  const cases = family.spreadCases ?? family.cases;
  if (!program) return cases;
  if (!program.spec.spreadShape) {
    let probes: Case[];
    try {
      probes = fc.sample(family.cases, { numRuns: PROBES, seed: 1 });
    } catch {
      // The family's own generator throws (a library's bug): here, while the kernels load, it ended the whole run
      // with a stack trace; as properties, each runs and reports it as the library's error at its line.
      return cases;
    }
    return probes.some((c) => spreadsAt(program, c, false, true)) ? cases : undefined;
  }
  return fc.infiniteStream(cases).map((stream) => {
    let tried = 0;
    for (const c of stream) if (++tried >= TRIES || spreadsAt(program, c, true)) return c;
    throw new Error('an infinite stream ended');
  });
}

/**
 * `p` on `draws`, each of its runs dispatched under the lowered limit: named NAME-spread-y. A case whose dispatch
 * does not spread over y is skipped by the runner (`skip: ... the dispatch does not spread over y`), never passed.
 */
export function spreadY<P extends Property<unknown, Case>>(p: P, draws: fc.Arbitrary<Case>): P {
  return {
    ...p,
    name: `${p.name}-spread-y`,
    description: `${p.name} on cases dispatched under a lowered maxComputeWorkgroupsPerDimension (about half the x workgroup count): a kernel that spreads its workgroups over y past the limit runs that path, and workgroups past the end, at small sizes (otherwise only past 65,535 workgroups). A case whose dispatch does not spread is skipped.`,
    arbitrary: draws,
    runs: (c: Case) => p.runs(c).map((r) => ({ ...r, spreadY: true })),
  };
}
