// The universal properties only the interpreter can check, because it sees every access: no access outside a
// buffer, and no data race: between invocations of a workgroup with no barrier between them (a missing
// workgroupBarrier), or between workgroups of one dispatch on storage memory (nothing orders them). GPU engines clamp
// or discard an out-of-bounds access and may happen to order a race benignly, so a pass there proves neither.
import { traceCase, type Access, type CaseTrace, type InterpreterOptions } from '../engines/interpreter.ts';
import type { Case, Family, KernelSpec, Property, Verdict } from '../spec.ts';
import { shaderTable, toBatchCase, type KernelProgram } from './program.ts';

/** A property judged on the interpreter's access trace rather than on the outputs. */
export interface TraceProperty extends Property<unknown, Case> {
  checkTrace(c: Case, traces: CaseTrace[]): Verdict;
}

export const isTraceProperty = (p: Property): p is TraceProperty => 'checkTrace' in p;

const noOutputCheck = (): Verdict => {
  throw new Error('a trace property runs on the interpreter only');
};

/** The first finding of some kind in any dispatch of any run, with how many there were in that dispatch. */
function firstFinding<T>(traces: CaseTrace[], pick: (d: CaseTrace['dispatches'][number]) => T[]): [T, number] | undefined {
  for (const t of traces) {
    for (const d of t.dispatches) {
      const found = pick(d);
      if (found.length) return [found[0]!, found.length];
    }
  }
  return undefined;
}

export function traceProperties(spec: KernelSpec, family: Family): TraceProperty[] {
  const names = (b?: number) => (b === undefined ? 'workgroup memory' : Object.keys(spec.buffers)[b] ?? `buffer ${b}`);
  const who = (a: Access) => `invocation ${a.invocation} of workgroup (${a.workgroup.join(', ')})`;
  const common = { bound: 'exact', arbitrary: family.cases, runs: (c: Case) => [c], check: noOutputCheck };
  return [
    {
      ...common,
      name: 'no-out-of-bounds',
      description: 'On the interpreter, which sees every access: no invocation reads or writes outside a buffer (a GPU would clamp or drop such an access silently).',
      checkTrace(_c, traces) {
        const f = firstFinding(traces, (d) => d.outOfBounds);
        if (!f) return { pass: true };
        const [a, n] = f;
        // The element in units of what was accessed (an f32 of an array<f32>): -1 is the one before the first.
        const element = Math.floor(a.offset / Math.max(1, a.size));
        const where = a.offset < 0 ? 'before the start' : 'past the end';
        return {
          pass: false,
          message: `${who(a)} ${a.kind === 'read' ? 'reads' : 'writes'} ${a.variable} element ${element} (byte ${a.offset}), ${where} of ${names(a.buffer)} (line ${a.line}); ${n} such accesses`,
        };
      },
    },
    {
      ...common,
      name: 'no-data-race',
      description: 'On the interpreter: no two invocations of a workgroup touch the same memory, one of them writing, without a barrier between them (a missing workgroupBarrier), and no two workgroups of a dispatch touch the same storage bytes, one of them writing, without atomics.',
      checkTrace(_c, traces) {
        const f = firstFinding(traces, (d) => d.races);
        if (!f) return { pass: true };
        const [r, n] = f;
        return {
          pass: false,
          message: `data race on ${r.variable} (${names(r.buffer)}) byte ${r.byte}: ${who(r.a)} ${r.a.kind}s at line ${r.a.line}, ${who(r.b)} ${r.b.kind}s at line ${r.b.line}, ${sameWorkgroup(r.a, r.b) ? 'no barrier between' : 'different workgroups of one dispatch'}; ${n} races`,
        };
      },
    },
  ];
}

const sameWorkgroup = (a: Access, b: Access) => a.workgroup.every((w, i) => w === b.workgroup[i]);

/** Runs a trace property's cases on the interpreter, one case at a time (traces are large), under its budget. */
export function traceDraw(program: KernelProgram, prop: TraceProperty, draw: Case, budget: InterpreterOptions = {}): CaseTrace[] | string {
  const traces: CaseTrace[] = [];
  for (const c of prop.runs(draw)) {
    const table = shaderTable(program);
    const t = traceCase(table.shaders, toBatchCase(program, c, table.index), budget);
    if (t.skipped) return t.skipped;
    traces.push(t);
  }
  return traces;
}
