// `kernelscope <command>`: DESIGN.md contract 1. Exit 0 when everything asked for passed, 1 when a property failed
// or errored, 2 for a usage or setup error (one line on stderr).
import { parseArgs } from 'node:util';
import { BACKENDS, type BackendId } from '../engines/engine.ts';
import { LibraryError } from '../run/registry.ts';
import { UsageError } from './usage.ts';
import { listCommand } from './list.ts';
import { replayCommand } from './replay.ts';
import { testCommand } from './test.ts';

const HELP = `kernelscope: property tests for WebGPU compute kernels

  kernelscope list [--json]
  kernelscope test [--backend ID[,ID...]|all] [--kernel NAME]... [--property NAME]... [--seed N] [--runs N]
                   [--wgsl NAME=FILE]... [--out DIR] [--shard I/N] [--timeout MS] [--fixtures DIR]
  kernelscope replay FIXTURE [--backend ID]
  kernelscope report DIR... [--out DIR]
  kernelscope view [KERNEL] [--case FIXTURE] [--port N]
  kernelscope bench [KERNEL] [--backend ID]
  kernelscope init NAME [--dir DIR]

backends: ${BACKENDS.join(', ')}`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'list': {
        const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
        return await listCommand(!!values.json);
      }
      case 'test': {
        const { values } = parseArgs({
          args: rest,
          options: {
            backend: { type: 'string', multiple: true },
            kernel: { type: 'string', multiple: true },
            property: { type: 'string', multiple: true },
            seed: { type: 'string' },
            runs: { type: 'string' },
            wgsl: { type: 'string', multiple: true },
            out: { type: 'string' },
            shard: { type: 'string' },
            timeout: { type: 'string' },
            fixtures: { type: 'string' },
          },
        });
        return await testCommand({
          backends: parseBackends(values.backend),
          kernels: values.kernel ?? [],
          properties: values.property ?? [],
          seed: intOption('--seed', values.seed, 1),
          runs: intOption('--runs', values.runs, 100),
          wgsl: values.wgsl ?? [],
          out: values.out ?? 'reports/latest',
          ...(values.shard ? { shard: values.shard } : {}),
          // Absent: each engine's watchdog is calibrated to its speed and scaled by each submit's work.
          ...(values.timeout !== undefined ? { timeoutMs: intOption('--timeout', values.timeout, 0) } : {}),
          ...(values.fixtures ? { fixturesDir: values.fixtures } : {}),
        });
      }
      case 'replay': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { backend: { type: 'string' } } });
        if (positionals.length !== 1) throw new UsageError('replay takes one FIXTURE (a file under fixtures/counterexamples/)');
        return await replayCommand(positionals[0]!, values.backend ? parseBackends([values.backend])[0] : undefined);
      }
      case 'report': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { out: { type: 'string' } } });
        if (!positionals.length) throw new UsageError('report takes one or more run folders (each with a results.json)');
        const { reportCommand } = await import('../reports/write.ts');
        return reportCommand(positionals, values.out ?? 'reports/merged');
      }
      case 'view': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { case: { type: 'string' }, port: { type: 'string' } } });
        const { viewCommand } = await import('./view.ts');
        return await viewCommand({ ...(positionals[0] ? { kernel: positionals[0] } : {}), ...(values.case ? { fixture: values.case } : {}), ...(values.port ? { port: intOption('--port', values.port, 0) } : {}) });
      }
      case 'bench': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { backend: { type: 'string' } } });
        const { benchCommand } = await import('./bench.ts');
        return await benchCommand(positionals[0], values.backend ? parseBackends([values.backend])[0]! : 'dawn');
      }
      case 'init': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { dir: { type: 'string' } } });
        if (positionals.length !== 1) throw new UsageError('init takes one NAME (the new kernel, like my_kernel)');
        const { initCommand } = await import('./init.ts');
        return await initCommand({ name: positionals[0]!, ...(values.dir ? { dir: values.dir } : {}) });
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}' (commands: list, test, replay, report, view, bench, init)`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof LibraryError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`kernelscope: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}

function parseBackends(values: string[] | undefined): BackendId[] {
  if (!values?.length) return ['dawn'];
  const ids = values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (ids.includes('all')) return [...BACKENDS];
  for (const id of ids) {
    if (!(BACKENDS as readonly string[]).includes(id)) throw new UsageError(`unknown backend '${id}' (backends: ${BACKENDS.join(', ')}, all)`);
  }
  return [...new Set(ids)] as BackendId[];
}

function intOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} wants a whole number, not '${value}'`);
  return n;
}
