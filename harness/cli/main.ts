// `kernelscope <command>`: docs/CONTRACTS.md contract 1. Exit 0 when everything asked for passed, 1 when a property failed
// or errored (or an engine asked for could not start, unless expectations.json lists it), 2 for a usage or setup
// error (one line on stderr), including a selection that runs nothing.
// Commander parses and writes each command's --help; the commands themselves live one per module.
import { Command, CommanderError } from 'commander';
import { BACKENDS, type BackendId } from '../engines/engine.ts';
import { parseInterpreterBudget, type InterpreterOptions } from '../engines/interpreter.ts';
import { EXPECTATIONS, LibraryError } from '../run/registry.ts';
import { commaList, UsageError } from './usage.ts';

const COMMANDS = ['list', 'test', 'replay', 'report', 'view', 'bench', 'init', 'mutate'];
const HELP = ['help', '--help', '-h'];
const collect = (value: string, previous: string[] = []) => [...previous, value];
/** A repeatable option that also takes a comma-separated list, as --backend does (a trial's `--kernel a,b` was an
 *  unknown kernel 'a,b'). */
const collectList = (value: string, previous: string[] = []) => [...new Set([...previous, ...commaList(value)])];

// As docs/CONTRACTS.md (contract 1) says it: a trial's `test --help` left out the 1 for a run whose every result
// skipped and the 2 for a run in which no engine could start.
const EXIT_STATUS = `
Exit status: 0 when everything that ran passed (a skipped result is counted, never as a pass); 1 when a property
failed or errored, an engine asked for could not start (unless expectations.json lists it), or every result skipped
so that nothing was judged (listed or not), and for report, when a merged run did not finish (complete: false),
holds no result or lacks a shard, or a kernel's results are of different code and one code ran only some of them; 2
for a usage or set-up error (one line on stderr), a selection that runs nothing, and a run in which no engine asked
for could start; 130 when test is interrupted (Ctrl-C: results.json keeps what finished).`;

const TEST_OUT = 'reports/latest';

/** `test`'s options as Commander hands them over: repeatable ones as lists, numbers still as text. */
interface TestFlags {
  backend?: string[]; kernel?: string[]; property?: string[]; wgsl?: string[]; sameAlgorithm?: boolean;
  seed: string; runs: string; out: string; timeout?: string; shard?: string; fixtures?: string; interpreterBudget?: string;
}

/** Every command with its options and help; `run` receives the command's exit status. */
function program(run: (code: number) => void): Command {
  const cli = new Command('kernelscope')
    .description('property tests for WebGPU compute kernels')
    .usage('<command> [options]')
    .addHelpText('after', `\nbackends: ${BACKENDS.join(', ')}\nPer command: kernelscope <command> --help${EXIT_STATUS}`)
    .showSuggestionAfterError(false);

  cli.command('list').description('kernels and their properties, with what each checks and its bound')
    .option('--json', 'print [{ "kernel", "properties": [...] }]')
    .action(async (o: { json?: boolean }) => {
      const { listCommand } = await import('./list.ts');
      run(await listCommand(!!o.json));
    });

  cli.command('test').description('runs properties; writes DIR/results.json (as it goes), DIR/index.html, DIR/junit.xml')
    .option('--backend <id[,id...]|all>', `engines to run on (${BACKENDS.join(', ')}, all)`, collect)
    .option('--kernel <name[,name...]>', 'kernels to test (repeatable; default every kernel)', collectList)
    .option('--property <name[,name...]>', 'properties to run (repeatable; default every property but the opt-in ones, which `list` marks)', collectList)
    .option('--seed <n>', 'fast-check seed: the same seed draws the same cases on every engine', '1')
    .option('--runs <n>', 'cases drawn per property', '100')
    .option('--wgsl <name=file>', "test FILE as kernel NAME's implementation (same bindings); repeatable", collect)
    .option('--same-algorithm', "the --wgsl files are twins of their kernels' own algorithm (a deliberately wrong twin of your kernel): keep the properties that assume it, which --wgsl leaves out")
    .option('--out <dir>', 'where results.json, index.html and junit.xml go', TEST_OUT)
    .option('--shard <i/n>', 'run the I-th of N equal parts of the kernel × property list (CI matrices)')
    .option('--timeout <ms>', "a fixed watchdog: how long one batch may keep the GPU before it counts as hung, counted in the engine's CPU time on an adapter that runs on the CPU (default: calibrated to each engine's speed and scaled by each batch's work)")
    .option('--fixtures <dir>', 'where counterexamples are saved (default fixtures/counterexamples of the library)')
    .option('--interpreter-budget <invocations=N,steps=N,seconds=N>', "the interpreter's per-case budget (any subset); a case over it is skipped and counted, never passed")
    .addHelpText('after', `
Trace properties (no-out-of-bounds, no-data-race) run on every engine: the interpreter sees every access, a GPU engine runs the kernel sanitized.
An engine that cannot start is reported unavailable, its properties skipped (never passed).${EXIT_STATUS}`)
    .action(async (o: TestFlags) => {
      const { testCommand } = await import('./test.ts');
      run(await testCommand({
        backends: parseBackends(o.backend ?? []),
        kernels: o.kernel ?? [],
        properties: o.property ?? [],
        seed: intOption('--seed', o.seed),
        runs: countOption('--runs', o.runs),
        wgsl: o.wgsl ?? [],
        ...(o.sameAlgorithm ? { sameAlgorithm: true } : {}),
        out: o.out,
        ...(o.shard ? { shard: o.shard } : {}),
        // Absent: each engine's watchdog is calibrated to its speed and scaled by each submit's work.
        // A watchdog of 0 called every batch of a correct kernel hung (trial 75 B1).
        ...(o.timeout !== undefined ? { timeoutMs: countOption('--timeout', o.timeout, 'milliseconds a batch may run; a watchdog of 0 calls every batch hung') } : {}),
        ...(o.fixtures ? { fixturesDir: o.fixtures } : {}),
        ...(o.interpreterBudget ? { interpreter: interpreterBudget(o.interpreterBudget) } : {}),
      }));
    });

  cli.command('replay').description('re-runs one saved counterexample; exit 1 while it still fails (or, for a kernel with atomics on a GPU engine, passes 10 runs with a lost update still in its code), 0 once it passes')
    .argument('[fixture]', 'a file under fixtures/counterexamples/')
    .option('--backend <id>', 'run it on another engine than the one it failed on')
    .action(async (fixture: string | undefined, o: { backend?: string }) => {
      if (!fixture) throw new UsageError('replay takes one FIXTURE (a file under fixtures/counterexamples/)');
      const { replayCommand } = await import('./replay.ts');
      run(await replayCommand(fixture, o.backend ? parseBackends([o.backend])[0] : undefined));
    });

  cli.command('report').description('merges runs (several machines, shards) into one report: index.html, junit.xml, results.json')
    .argument('[dirs...]', 'run folders, each with a results.json')
    .option('--out <dir>', 'where the merged report goes', 'reports/merged')
    .action(async (dirs: string[], o: { out: string }) => {
      if (!dirs.length) throw new UsageError('report takes one or more run folders (each with a results.json)');
      const { reportCommand } = await import('../reports/write.ts');
      run(reportCommand(dirs, o.out, { expectations: EXPECTATIONS, reReport: true }));
    });

  cli.command('view').description('serves the visual debugger on 127.0.0.1 and prints its URL')
    .argument('[kernel]', 'the kernel to open')
    .option('--case <fixture>', 'open a saved counterexample')
    .option('--port <n>', 'port to listen on (default: 7357, where the cross-engine report\'s "side by side" links point; a free one when 7357 is taken)')
    .action(async (kernel: string | undefined, o: { case?: string; port?: string }) => {
      const { viewCommand } = await import('./view.ts');
      run(await viewCommand({ ...(kernel ? { kernel } : {}), ...(o.case ? { fixture: o.case } : {}), ...(o.port ? { port: intOption('--port', o.port) } : {}) }));
    });

  cli.command('bench').description("where a case's time goes: drawing, the engine round trip, judging; with --harness, the harness against a bare GPU loop")
    .argument('[kernels...]', 'kernels to measure (default every kernel)')
    .option('--backend <id[,id...]|all>', 'the engines', collect)
    .option('--harness', "cases per second of the harness against a bare loop replaying the same batches (same bytes, same batching), and their ratio")
    .option('--json', 'with --harness: print { engines: { ID: { kernels: { NAME: { harnessCasesPerSecond, bareCasesPerSecond, ratio } } } } }')
    .option('--runs <n>', 'with --harness: cases drawn per property', '10')
    .option('--rounds <n>', 'with --harness: timed rounds of harness and bare loop each, interleaved', '3')
    .option('--by-property', "with --harness: a line per property under each kernel (the JSON always has them): which property's JavaScript costs what")
    .option('--seed <n>', 'fast-check seed', '1')
    .option('--wgsl <name=file>', "measure FILE as kernel NAME's implementation (same bindings), as for test; repeatable", collect)
    .action(async (kernels: string[], o: { backend?: string[]; harness?: boolean; json?: boolean; byProperty?: boolean; runs: string; rounds: string; seed: string; wgsl?: string[] }) => {
      const { benchCommand } = await import('./bench.ts');
      run(await benchCommand({
        kernels,
        backends: parseBackends(o.backend ?? []),
        harness: !!o.harness,
        json: !!o.json,
        byProperty: !!o.byProperty,
        seed: intOption('--seed', o.seed),
        runs: countOption('--runs', o.runs),
        rounds: countOption('--rounds', o.rounds),
        wgsl: o.wgsl ?? [],
      }));
    });

  cli.command('init').description("writes a new kernel's WGSL, spec, reference and properties: a skeleton that passes as generated")
    .argument('[name]', 'the new kernel, like my_kernel')
    .option('--dir <dir>', 'the library to write into (default: KERNELSCOPE_LIBRARY, or this repository)')
    .action(async (name: string | undefined, o: { dir?: string }) => {
      if (!name) throw new UsageError('init takes one NAME (the new kernel, like my_kernel)');
      const { initCommand } = await import('./init.ts');
      run(await initCommand({ name, ...(o.dir ? { dir: o.dir } : {}) }));
    });

  cli.command('mutate').description("mutation testing: plausible bugs made in the kernel's WGSL, and which of them its properties catch (docs/mutation.md)")
    .argument('[kernels...]', 'the kernel whose WGSL is mutated, or several (one engine session for all, a summary table at the end)')
    .option('--all', 'every kernel of the library (KERNELSCOPE_LIBRARY, or this repository)')
    .option('--backend <id>', 'the engine', 'dawn')
    .option('--operator <name>', 'only this mutation operator (repeatable; default all)', collect)
    .option('--property <name[,name...]>', 'only these properties judge the mutants (repeatable; default all)', collectList)
    .option('--runs <n>', 'cases drawn per property', '20')
    .option('--seed <n>', 'fast-check seed', '1')
    .option('--out <dir>', 'where mutation.json and index.html go (default reports/mutation/KERNEL); with several kernels or --all, each kernel\'s go to DIR/KERNEL and the summary to DIR/summary.json (default reports/mutation)')
    .option('--timeout <ms>', "a fixed watchdog: how long one batch may keep the GPU before the mutant counts as a Timeout (default: the engine's calibrated one)")
    .option('--run-hangs', 'also run the mutants whose loops provably never end (Ignored otherwise)')
    .option('--changed', "keep the verdicts of OUT/mutation.json for mutants whose line did not change; run only the others (Stryker's incremental mode)")
    .addHelpText('after', `
States and score as Stryker defines them: detected = Killed + Timeout; CompileError is not counted.
Exit status: 0 when the run finished (survivors are findings in the report, not a failure), 2 for a usage error or a
kernel with no passing property, 130 when interrupted (every verdict reached is kept in mutation.json). With several
kernels, the worst of theirs (130, then 2, then 0).`)
    .action(async (kernels: string[], o: import('./mutate.ts').MutateFlags) => {
      const { mutateMain } = await import('./mutate.ts');
      run(await mutateMain(kernels, o));
    });

  return cli;
}

export async function main(argv: string[]): Promise<number> {
  let result = 0;
  let commanderMessage = '';
  const cli = program((code) => (result = code));
  for (const c of [cli, ...cli.commands]) {
    c.exitOverride().configureOutput({ writeErr: (s) => (commanderMessage += s), outputError: () => undefined });
  }
  try {
    if (!argv.length) {
      cli.outputHelp();
      return 2;
    }
    if (!argv[0]!.startsWith('-') && !COMMANDS.includes(argv[0]!) && !HELP.includes(argv[0]!)) {
      throw new UsageError(`unknown command '${argv[0]}' (commands: ${COMMANDS.join(', ')}; kernelscope --help)`);
    }
    await cli.parseAsync(argv, { from: 'user' });
    return result;
  } catch (e) {
    // A test refused before it ran (`--runs abc`, an unknown option) must not leave the last run's reports in --out,
    // where a CI step that publishes junit.xml whatever the exit status took their pass for this run's (trial 57 B5).
    const refused = argv[0] === 'test' && (e instanceof UsageError || e instanceof LibraryError
      || (e instanceof CommanderError && e.code !== 'commander.helpDisplayed' && e.code !== 'commander.help'));
    if (refused) (await import('./test.ts')).clearRunFiles(testOut(argv));
    if (e instanceof CommanderError) {
      // --help is not an error; everything else Commander refuses is a usage error, said in one line.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') return 0;
      const line = (commanderMessage || e.message).split('\n').find((l) => l.trim())!.replace(/^error: /, '');
      process.stderr.write(`kernelscope: ${line} (see kernelscope ${argv[0] && COMMANDS.includes(argv[0]) ? `${argv[0]} ` : ''}--help)\n`);
      return 2;
    }
    if (e instanceof UsageError || e instanceof LibraryError) {
      process.stderr.write(`kernelscope: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** test's --out as argv gives it (`--out DIR` or `--out=DIR`, the last one), else its default. */
function testOut(argv: string[]): string {
  let out = TEST_OUT;
  argv.forEach((a, i) => {
    if (a === '--out' && argv[i + 1] !== undefined) out = argv[i + 1]!;
    else if (a.startsWith('--out=')) out = a.slice('--out='.length);
  });
  return out;
}

function parseBackends(values: string[]): BackendId[] {
  if (!values.length) return ['dawn'];
  const ids = commaList(values);
  if (ids.includes('all')) return [...BACKENDS];
  for (const id of ids) {
    if (!(BACKENDS as readonly string[]).includes(id)) throw new UsageError(`unknown backend '${id}' (backends: ${BACKENDS.join(', ')}, all)`);
  }
  return [...new Set(ids)] as BackendId[];
}

function interpreterBudget(text: string): InterpreterOptions {
  try {
    return parseInterpreterBudget(text);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function intOption(name: string, value: string, least = 0): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new UsageError(`${name} wants a whole number ≥ ${least} (digits only), not '${value}'`);
  return n;
}

/** A count that must be at least 1, `why` said where it is not: `--runs 0` would run nothing, and a run of nothing
 *  must not pass. Said as ≥ 1 from the first refusal (`--runs -1` was told ≥ 0, and then 0 was refused: trial 66 B4). */
function countOption(name: string, value: string, why = 'a run of no cases checks nothing'): number {
  const n = intOption(name, value, 1);
  if (n < 1) throw new UsageError(`${name} ${value}: at least 1 (${why})`);
  return n;
}
