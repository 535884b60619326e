// The editor's checks of an edited kernel, all in the page: the kernel's real properties on the page's WebGPU (the
// runner the CLI uses), and the displayed case run on both the page's WebGPU and the interpreter, compared bit for bit.
import type { Engine } from '../../harness/engines/engine.ts';
import { openInterpreter } from '../../harness/engines/interpreter.ts';
import type { PropertyResult } from '../../harness/results/schema.ts';
import { fromOutputs, programRequirements, shaderTable, toBatchCase, type KernelProgram } from '../../harness/run/program.ts';
import { runProperty } from '../../harness/run/property-runner.ts';
import { propertiesOf } from '../../harness/run/universal.ts';
import type { Case, RunOutput } from '../../harness/spec.ts';
import { familyOf } from './catalog.ts';

/** Seed and draws per property: the CLI's defaults are larger; ten keeps a re-run within seconds on SwiftShader. */
export const PAGE_RUN = { seed: 1, runs: 10 } as const;
/** A failure is shrunk for at most this long, so the page answers while the learner waits. */
const SHRINK_MS = 10_000;

/** Runs every property of the program's family on the engine, no-out-of-bounds and no-data-race with the sanitized
 *  WGSL as on any GPU engine: the page left them out, and a new user's edit that dropped add's bounds check passed
 *  "5 of 5" where the CLI failed it. */
export async function runPageProperties(engine: Engine, program: KernelProgram,
  onResult: (r: PropertyResult, done: number, total: number) => void, onStart?: (name: string) => void): Promise<PropertyResult[]> {
  const family = await familyOf(program.spec);
  const props = propertiesOf(program.spec, family, program);
  const kernel = { program, family, properties: props };
  const out: PropertyResult[] = [];
  for (const prop of props) {
    onStart?.(prop.name);
    const r = await runProperty(engine, kernel, prop, { ...PAGE_RUN, shrinkMs: SHRINK_MS });
    out.push(r);
    onResult(r, out.length, props.length);
  }
  return out;
}

export interface Agreement {
  /** Every buffer read back, bit for bit, or why no comparison was made. */
  equal: boolean | 'skipped';
  text: string;
}

async function runOn(engine: Engine, program: KernelProgram, c: Case): Promise<RunOutput | string> {
  const table = shaderTable(program);
  const r = await engine.execute({ shaders: table.shaders, cases: [toBatchCase(program, c, table.index)], requires: programRequirements(program) });
  return r.skipped?.[0] ?? fromOutputs(program, r.outputs[0]!);
}

const bits = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** The case on the page's WebGPU and in the interpreter, uninstrumented: do they agree bit for bit? */
export async function compareWithInterpreter(engine: Engine, program: KernelProgram, c: Case): Promise<Agreement> {
  const [gpu, interp] = await Promise.all([runOn(engine, program, c), runOn(openInterpreter(), program, c)]);
  if (typeof gpu === 'string') return { equal: 'skipped', text: `WebGPU did not run the case: ${gpu}` };
  if (typeof interp === 'string') return { equal: 'skipped', text: `interpreter: ${interp}` };
  const diffs: string[] = [];
  let elements = 0;
  for (const [name, g] of Object.entries(gpu)) {
    const t = interp[name];
    if (!t) {
      diffs.push(`${name}: not returned by the interpreter`);
      continue;
    }
    elements += g.length;
    const gb = bits(g);
    const tb = bits(t);
    if (gb.length !== tb.length) {
      diffs.push(`${name}: ${g.length} elements on WebGPU, ${t.length} in the interpreter`);
      continue;
    }
    let first = -1;
    let count = 0;
    const size = g.BYTES_PER_ELEMENT;
    for (let i = 0; i < g.length; i++) {
      for (let k = 0; k < size; k++) {
        if (gb[i * size + k] !== tb[i * size + k]) {
          if (first < 0) first = i;
          count++;
          break;
        }
      }
    }
    if (count) diffs.push(`${name}: ${count} of ${g.length} elements differ, first ${name}[${first}] = ${g[first]} on WebGPU, ${t[first]} in the interpreter`);
  }
  const names = Object.keys(gpu).join(', ');
  return diffs.length
    ? { equal: false, text: `the interpreter differs from the page's WebGPU: ${diffs.join('; ')}` }
    : { equal: true, text: `the interpreter's output equals the page's WebGPU bit for bit (${elements.toLocaleString()} elements of ${names})` };
}
