// The WGSL a saved counterexample was found with (`test --wgsl NAME=FILE`), for `replay` and for the view server and
// its compare route. The fixture names the file as `test` saved it: relative to the repository (or, in older fixtures, to the
// folder `test` ran in) when it lay inside, else absolute. The user gave that path on their own command line, so it
// is read wherever it lies; the schema lets a fixture name only a .wgsl file, and only the file a fixture names is
// ever read (the page asks by fixture id, never by path).
import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { Counterexample } from '../run/fixture.ts';
import { ROOT, wgslFiles } from '../run/registry.ts';
import { wgslHash } from '../run/suite.ts';
import type { KernelSpec } from '../spec.ts';

export interface FixtureWgsl {
  /** Where the file was looked for (absolute). */
  path: string;
  /** Its text now; undefined when the file is gone. */
  source?: string;
  /** Why the page cannot show the saved case as found: the file is gone, or it changed since (then `source` is the
   *  file as it is now), or it cannot be told whether it changed. One line, for the page and the terminal. */
  problem?: string;
}

/**
 * Looks up `fx.wgsl` and checks it against the hash `test` put in the fixture's file name (saveFixture:
 * KERNEL--PROPERTY--BACKEND--seedN--HASH.json, HASH the first 8 hex digits of the SHA-256 of the program's WGSL
 * files, the --wgsl file in place of the kernel's own). `spec` is the fixture's kernel, its WGSL files in
 * `kernelsDir`. Undefined when the fixture was found with the library's own WGSL.
 */
export function fixtureWgsl(fx: Counterexample, fixtureFile: string, spec: KernelSpec, kernelsDir: string): FixtureWgsl | undefined {
  if (!fx.wgsl) return undefined;
  const candidates = isAbsolute(fx.wgsl) ? [fx.wgsl] : [resolve(ROOT, fx.wgsl), resolve(fx.wgsl)];
  const path = candidates.find((p) => existsSync(p)) ?? candidates[0]!;
  const name = basename(fixtureFile);
  if (!existsSync(path)) {
    return { path, problem: `${name} was found with the WGSL ${fx.wgsl}, which is gone (no file ${path}): the case cannot be run with the kernel it failed on; restore the file, or run \`test --wgsl\` again` };
  }
  const source = readFileSync(path, 'utf8');
  const saved = /--([0-9a-f]{8})\.json$/.exec(name)?.[1];
  if (!saved) return { path, source, problem: `${name} has no WGSL hash in its name (KERNEL--…--HASH.json, as \`test\` saves it): cannot tell whether ${fx.wgsl} changed since the case was found; showing the file as it is now` };
  const sources: Record<string, string> = {};
  for (const f of wgslFiles(spec, join(kernelsDir, `${fx.kernel}.kernel.ts`))) sources[f] = readFileSync(join(kernelsDir, f), 'utf8');
  const now = wgslHash({ spec, sources: { ...sources, [spec.wgsl]: source }, origins: {} });
  if (now !== saved) {
    return { path, source, problem: `${fx.wgsl} changed since ${name} was saved (WGSL hash ${now}, saved ${saved}): it runs the file as it is now, which may not fail as the saved case did` };
  }
  return { path, source };
}
