// `kernelscope replay FIXTURE`: re-runs one saved counterexample on its engine (or another) and says whether it
// still fails. Exit 1 while it fails, 0 once it passes (the bug is fixed).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BackendId } from '../engines/engine.ts';
import { isDomainFailure } from '../engines/interpreter/domains.ts';
import { openEngine } from '../engines/open.ts';
import { decodeDraw, parseCounterexample } from '../run/fixture.ts';
import { SpecMismatch } from '../run/program.ts';
import { atomicCauses, executeDraws, failureMessage, judge, KernelCompileError } from '../run/property-runner.ts';
import { updatedAtomics } from '../run/portability.ts';
import { atomicSlotsAt } from '../run/float-atomics.ts';
import { kernelNames, LIBRARY, loadKernel, ROOT, withWgsl } from '../run/registry.ts';
import { describeAdapter, lackedBy } from '../engines/engine.ts';
import { programRequirements } from '../run/program.ts';
import { fixtureWgsl } from '../view/fixture-wgsl.ts';
import { command } from './progress.ts';
import { UsageError } from './usage.ts';

/** How many times a failure that changed from run to run is run again before a pass is believed. */
const SCHEDULE_TRIES = 10;

export async function replayCommand(file: string, backend?: BackendId): Promise<number> {
  const path = [resolve(file), resolve(ROOT, file)].find((p) => existsSync(p));
  if (!path) throw new UsageError(`${file}: no such fixture`);
  let fx;
  try {
    fx = parseCounterexample(readFileSync(path, 'utf8'), file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // A fixture saved by a run on a user's library sits in LIBRARY/fixtures/counterexamples/: that library is the one
  // to load, whether or not KERNELSCOPE_LIBRARY names it again.
  const library = libraryOf(path) ?? LIBRARY;
  let kernel = await loadKernel(library, fx.kernel);
  if (!kernel) throw new UsageError(`${file}: kernel '${fx.kernel}' is not in the library ${library} (kernels: ${kernelNames(library).join(', ')}); set KERNELSCOPE_LIBRARY to the library the fixture was saved from`);
  // The fixture's --wgsl file (view/fixture-wgsl.ts finds it), checked against the hash in the fixture's name: a file
  // gone is a usage error, a changed one is said before the run.
  const found = fixtureWgsl(fx, path, kernel.program.spec, join(library, 'kernels'));
  if (found && found.source === undefined) throw new UsageError(found.problem!);
  if (found?.problem) console.log(`note: ${found.problem}`);
  if (found) kernel = withWgsl(kernel, found.path);
  // A property that assumes the kernel's algorithm was run on this WGSL with --same-algorithm to be saved.
  const prop = [...kernel.properties, ...(kernel.leftOut ?? [])].find((p) => p.name === fx.property);
  if (!prop) throw new UsageError(`${file}: kernel '${fx.kernel}' has no property '${fx.property}'`);

  const engine = await openEngine(backend ?? (fx.backend as BackendId));
  try {
    // An engine without what the kernel needs cannot say whether the case still fails: said, as `test` skips it (trial
    // 66 B2: an f16 case replayed on dawn crashed the Dawn host with a stack trace, and exited 1, "still fails").
    const lacks = lackedBy(engine, programRequirements(kernel.program));
    if (lacks) throw new UsageError(`${file}: cannot replay on ${engine.id}: the kernel ${lacks}; replay it on ${fx.backend}, which saved it, or another engine that has it (--backend)`);
    console.log(`replaying ${fx.kernel} ${fx.property} (seed ${fx.seed}, path ${fx.path}) on ${engine.id}: ${describeAdapter(engine)}`);
    console.log(`running ${Object.values(kernel.program.origins).join(', ')}${fx.wgsl ? ' (the fixture\'s --wgsl)' : ''}`);
    console.log(`saved from ${fx.backend} (${fx.adapter}): ${fx.message}`);
    const draw = decodeDraw(fx.draw);
    const shape = prop.runs(draw)[0]?.shape;
    // A failure that changed from run to run (a lost update, a race between workgroups) may not come back in one run
    // on a GPU engine (trial 195 B1: a load-then-store merge replayed "PASSES now" three times out of three): it is run
    // up to SCHEDULE_TRIES times, and a pass is not called a fix where the kernel still has the cause named.
    // So is a kernel with atomics, or a lost update kernelscope reads in the code (trial 197 A1: a leader's load then
    // store, with no read-modify-write, passed once and was called fixed).
    const causes = atomicCauses(kernel.program, shape);
    const changed = /differs from run to run|passed when run again alone/.test(fx.message) || prop.name === 'deterministic';
    const scheduled = engine.id !== 'interpreter' && (changed || causes.length > 0 || Object.values(kernel.program.sources).some((code) => updatedAtomics(code).size > 0));
    const why = changed ? 'the saved failure changed from run to run' : 'the kernel has atomics, whose lost updates come and go on a GPU';
    let verdict: ReturnType<typeof judge> | undefined;
    for (let run = 0; run < (scheduled ? SCHEDULE_TRIES : 1) && !(verdict && !verdict.pass); run++) {
      const [out] = await executeDraws(engine, kernel.program, prop, [draw]).catch((e: unknown) => {
        // A case the spec refuses (a shape edited by hand, a spec changed since): the file's fault, not a failure that
        // persists, which exit 1 would say.
        if (e instanceof SpecMismatch) throw new UsageError(`${file}: its saved case (draw) does not fit kernel '${fx.kernel}' as its spec is now: ${e.message}`);
        // WGSL that no longer compiles ran nothing: not "still fails" (trial 197 B1: a stack trace, exit 1).
        if (e instanceof KernelCompileError) throw new UsageError(`${file}: cannot replay: ${e.message.split('\n').join(' ')}`);
        throw e;
      });
      // A skipped case (over the interpreter's budget) was not judged: no verdict either way, as for a lacking engine
      // (trial 164: it exited 1, "while it still fails").
      if (!Array.isArray(out)) {
        console.log(`the engine skipped the case, so whether it still fails is not known: ${(out as Error).message}`);
        return 2;
      }
      verdict = judge(prop, draw, out, kernel.program);
    }
    if (!verdict) return 2;
    // A property that compares runs (deterministic, a metamorphic relation): on the interpreter they take one schedule,
    // so a lost update may leave them alike there, and replaying its failure there shows nothing (trial 200 B2: that
    // was the advice, and it passed; trial 208 A2: a permutation's two runs, the same).
    const twoRuns = prop.runs(draw).length > 1;
    const advice = twoRuns
      ? `Run \`${command(`test --kernel ${fx.kernel}${fx.wgsl ? ` --wgsl ${fx.kernel}=${fx.wgsl}` : ''} --backend interpreter`, library)}\`, whose schedule shows a lost update on every case it runs, in the values or in no-data-race (${fx.property} compares runs, which take one schedule there)`
      : 'Replay it on --backend interpreter, whose schedule shows a lost update on every case it runs';
    if (verdict.pass && causes.length && (scheduled || (engine.id === 'interpreter' && twoRuns))) {
      console.log(`NOT SHOWN FIXED: it passed ${scheduled ? `in ${SCHEDULE_TRIES} runs on ${engine.id}, but on a GPU engine a lost update shows only now and then` : `on ${engine.id}, whose runs take one schedule`}, and the kernel still has what loses updates: ${causes.join('; ')}. ${advice}.`);
      return 1;
    }
    // Trial 199 B2: a sort's ranks from atomicAdd, stable on one engine's order and not on another's.
    const slots = atomicSlotsAt(kernel.program);
    if (verdict.pass) {
      // On another engine than the one that saved it, a pass says the engines differ, not that the bug is fixed.
      console.log(engine.id === fx.backend
        ? scheduled ? `PASSES now, in ${SCHEDULE_TRIES} runs: the counterexample no longer fails (${why}, so ${SCHEDULE_TRIES} passes are evidence, not proof).` : 'PASSES now: the counterexample no longer fails.'
        : isDomainFailure(fx.message)
          ? `PASSES on ${engine.id}, as expected: the saved failure is a call whose result WGSL leaves open, which only the interpreter sees (${engine.id}'s accurate value passes; another GPU's need not).`
          // Other WGSL than the saved failure's says nothing of the engines (a trial's fixed file read "the engines differ").
          : found?.problem
            ? `PASSES on ${engine.id} with ${fx.wgsl} as it is now, not as it was when the case failed on ${fx.backend} (the note above): whether the engines differ on this case is not known (replay without --backend to see whether it is fixed there).`
            : `PASSES on ${engine.id}, but it was saved failing on ${fx.backend}: the engines differ on this case, which WGSL allows where the kernel reads out of bounds, races (no-out-of-bounds and no-data-race tell; a GPU engine's no-data-race records no atomics, the interpreter's does), ${slots ? `hands out slots by an atomic's old value (${slots}), in an order WGSL leaves open and one engine may keep every run, ` : ''}depends on the order its atomics land in (a flag or a label another invocation tests, which one engine may keep the same every run), or computes a value WGSL leaves open (replay without --backend to see whether it is fixed there).`);
      return 0;
    }
    // With what `test` said beside it (trial 194 B2: the compare-exchange that never reads .exchanged was left out).
    // The loop-variable clause is left out: test says it only where the kernel with its variables initialized passed,
    // which replay does not run (trial 196 B4).
    console.log(`FAILS: ${failureMessage(kernel, prop, verdict, shape, engine.id, undefined, false)}`);
    if (verdict.worst) console.log(`worst element: ${verdict.worst.buffer}[${verdict.worst.index}]`);
    return 1;
  } finally {
    await engine.close();
  }
}

/** The library a fixture was saved into (DIR/fixtures/counterexamples/FILE with DIR/kernels/ beside), if any. */
function libraryOf(fixture: string): string | undefined {
  const dir = dirname(fixture);
  if (basename(dir) !== 'counterexamples' || basename(dirname(dir)) !== 'fixtures') return undefined;
  const root = dirname(dirname(dir));
  return existsSync(join(root, 'kernels')) ? root : undefined;
}
