// Which engine's compiler may settle another engine's results: the rule `test` applies within one run and `report`
// across the runs it merges (trial 225 A1: Dawn's compile error and the interpreter's passes, run as two CI jobs and
// merged, read "The run passes"). Node-free: the report's merge runs in the page too.
import type { BackendId } from '../engines/engine.ts';

/** The engines whose compiler is Tint, and those whose compiler is naga. */
export const TINT = new Set<BackendId>(['dawn', 'chromium']);
export const NAGA = new Set<BackendId>(['firefox', 'deno']);
/** Tint's refusal of a barrier or derivative outside uniform control flow (its uniformity analysis). */
const UNIFORMITY = /uniform control flow|uniformity/i;

/** Tint's compile error of a kernel: the first line of its message and the engine that gave it. */
export interface TintRefusal {
  backend: BackendId;
  error: string;
}

/**
 * The error a result on `backend` is, where Tint refused the same kernel's WGSL, or undefined where the engine's own
 * verdict stands. The interpreter validates nothing, so it runs nothing a compiler rejects; naga does not apply WGSL's
 * uniformity analysis in full (§"Uniformity Analysis"), so a kernel Tint refuses for uniformity is that error there
 * too. Tint's engines keep their own verdicts.
 */
export function refusedByTint(backend: BackendId, tint: TintRefusal | undefined): string | undefined {
  // Of the message, not its place: a file under a `uniformity/` folder is no uniformity error (trial 226 B2).
  const message = tint?.error.replace(/^.*?:\d+:\d+: error: /, '') ?? '';
  if (!tint || !(backend === 'interpreter' || (NAGA.has(backend) && UNIFORMITY.test(message)))) return undefined;
  return `does not compile on ${tint.backend}: ${tint.error} (${backend === 'interpreter' ? 'the interpreter does not validate WGSL, so it runs nothing a compiler rejects' : `WGSL's uniformity analysis, §"Uniformity Analysis", which ${backend}'s compiler, naga, does not apply in full: it would run WGSL that is not valid`})`;
}
