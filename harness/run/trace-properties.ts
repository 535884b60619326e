// The universal properties only the interpreter can check, because it sees every access: no access outside a
// buffer, and no data race between invocations of a workgroup (a missing barrier). GPU engines clamp or discard
// an out-of-bounds access and may happen to order a race benignly, so a pass there proves neither.
import { traceCase, type CaseTrace } from '../engines/interpreter.ts';
import type { Case, Family, KernelSpec, Property, Verdict } from '../spec.ts';
import { toBatchCase, type KernelProgram } from './program.ts';

/** A property judged on the interpreter's access trace rather than on the outputs. */
export interface TraceProperty extends Property<unknown, Case> {
  checkTrace(c: Case, traces: CaseTrace[]): Verdict;
}

export const isTraceProperty = (p: Property): p is TraceProperty => 'checkTrace' in p;

const noOutputCheck = (): Verdict => {
  throw new Error('a trace property runs on the interpreter only');
};

export function traceProperties(spec: KernelSpec, family: Family): TraceProperty[] {
  const names = (b?: number) => (b === undefined ? 'workgroup memory' : Object.keys(spec.buffers)[b] ?? `buffer ${b}`);
  return [
    {
      name: 'no-out-of-bounds',
      description: 'On the interpreter, which sees every access: no invocation reads or writes outside a buffer (a GPU would clamp or drop such an access silently).',
      bound: 'exact',
      arbitrary: family.cases,
      runs: (c) => [c],
      check: noOutputCheck,
      checkTrace(_c, traces) {
        for (const t of traces) {
          for (const d of t.dispatches) {
            const a = d.outOfBounds[0];
            if (a) {
              return {
                pass: false,
                message: `invocation ${a.invocation} of workgroup (${a.workgroup.join(', ')}) ${a.kind === 'read' ? 'reads' : 'writes'} ${a.variable} at byte ${a.offset}, past the end of ${names(a.buffer)} (line ${a.line}); ${d.outOfBounds.length} such accesses`,
              };
            }
          }
        }
        return { pass: true };
      },
    },
    {
      name: 'no-data-race',
      description: 'On the interpreter: no two invocations of a workgroup touch the same memory, one of them writing, without a barrier between them (a missing workgroupBarrier).',
      bound: 'exact',
      arbitrary: family.cases,
      runs: (c) => [c],
      check: noOutputCheck,
      checkTrace(_c, traces) {
        for (const t of traces) {
          for (const d of t.dispatches) {
            const r = d.races[0];
            if (r) {
              return {
                pass: false,
                message: `data race on ${r.variable} (${names(r.buffer)}) byte ${r.byte}: invocation ${r.a.invocation} ${r.a.kind}s at line ${r.a.line}, invocation ${r.b.invocation} ${r.b.kind}s at line ${r.b.line}, no barrier between; ${d.races.length} races`,
              };
            }
          }
        }
        return { pass: true };
      },
    },
  ];
}

/** Runs a trace property's cases on the interpreter, one case at a time (traces are large). */
export function traceDraw(program: KernelProgram, prop: TraceProperty, draw: Case): CaseTrace[] | string {
  const traces: CaseTrace[] = [];
  for (const c of prop.runs(draw)) {
    const files: string[] = [];
    const shaders: string[] = [];
    const bc = toBatchCase(program, c, (file) => {
      let i = files.indexOf(file);
      if (i < 0) {
        i = files.push(file) - 1;
        shaders.push(program.sources[file]!);
      }
      return i;
    });
    const t = traceCase(shaders, bc);
    if (t.skipped) return t.skipped;
    traces.push(t);
  }
  return traces;
}
