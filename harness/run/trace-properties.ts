// The universal properties only the interpreter can check, because it sees every access: no access outside a
// buffer, and no data race between invocations of a workgroup (a missing barrier). GPU engines clamp or discard
// an out-of-bounds access and may happen to order a race benignly, so a pass there proves neither.
import { traceCase, type CaseTrace } from '../engines/interpreter.ts';
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
        return {
          pass: false,
          message: `invocation ${a.invocation} of workgroup (${a.workgroup.join(', ')}) ${a.kind === 'read' ? 'reads' : 'writes'} ${a.variable} at byte ${a.offset}, past the end of ${names(a.buffer)} (line ${a.line}); ${n} such accesses`,
        };
      },
    },
    {
      ...common,
      name: 'no-data-race',
      description: 'On the interpreter: no two invocations of a workgroup touch the same memory, one of them writing, without a barrier between them (a missing workgroupBarrier).',
      checkTrace(_c, traces) {
        const f = firstFinding(traces, (d) => d.races);
        if (!f) return { pass: true };
        const [r, n] = f;
        return {
          pass: false,
          message: `data race on ${r.variable} (${names(r.buffer)}) byte ${r.byte}: invocation ${r.a.invocation} ${r.a.kind}s at line ${r.a.line}, invocation ${r.b.invocation} ${r.b.kind}s at line ${r.b.line}, no barrier between; ${n} races`,
        };
      },
    },
  ];
}

/** Runs a trace property's cases on the interpreter, one case at a time (traces are large). */
export function traceDraw(program: KernelProgram, prop: TraceProperty, draw: Case): CaseTrace[] | string {
  const traces: CaseTrace[] = [];
  for (const c of prop.runs(draw)) {
    const table = shaderTable(program);
    const t = traceCase(table.shaders, toBatchCase(program, c, table.index));
    if (t.skipped) return t.skipped;
    traces.push(t);
  }
  return traces;
}
