// The properties every kernel gets from its family, beside the family's own (docs/ARCHITECTURE.md): matches its reference
// within the derived bound, writes every output, leaves its inputs alone, gives the same bits twice.
import { compareArrays, describeFailure } from '../compare.ts';
import type { Case, Family, KernelSpec, Measure, Property } from '../spec.ts';
import { bitsOf, isSentinel, SENTINEL } from './program.ts';
import { traceProperties } from './trace-properties.ts';

const bits = bitsOf;

function names(spec: KernelSpec, roles: string[]): string[] {
  return Object.entries(spec.buffers).filter(([, b]) => roles.includes(b.role)).map(([n]) => n);
}

function maxMeasure(a: Measure | undefined, b: Measure): Measure {
  if (!a) return b;
  return { abs: Math.max(a.abs, b.abs), ulp: Math.max(a.ulp, b.ulp), boundRatio: Math.max(a.boundRatio, b.boundRatio) };
}

export function matchesReference(spec: KernelSpec, family: Family): Property<unknown, Case> {
  return {
    name: 'matches-reference',
    description: family.exact
      ? 'Every output equals the float64 reference bit for bit (the sign of zero aside).'
      : 'Every output is within the allowed error of the float64 reference, element by element.',
    bound: family.exact ? 'exact' : "the family's tolerance(): WGSL accuracy rules and γ_n, per element",
    arbitrary: family.cases,
    runs: (c) => [c],
    check(c, [out]) {
      const expected = family.reference(c);
      const allowed = family.exact ? undefined : family.tolerance(c, expected);
      let measure: Measure | undefined;
      for (const name of Object.keys(expected)) {
        const cmp = compareArrays(out![name]!, expected[name]!, allowed?.[name] ?? 0, { ignoreZeroSign: true });
        measure = maxMeasure(measure, cmp.measure);
        if (!cmp.pass) return { pass: false, message: describeFailure(name, cmp), measure, worst: { buffer: name, index: cmp.worst } };
      }
      return { pass: true, ...(measure ? { measure } : {}) };
    },
  };
}

export function writesEveryOutput(spec: KernelSpec, family: Family): Property<unknown, Case> {
  const outputs = names(spec, ['output']);
  return {
    name: 'writes-every-output',
    description: `Every element of ${outputs.join(', ')} is written: outputs start filled with the sentinel 0x${SENTINEL.toString(16)} (a NaN no arithmetic produces), and none may still hold it.`,
    bound: 'exact',
    arbitrary: family.cases,
    runs: (c) => [c],
    check(c, [out]) {
      for (const name of outputs) {
        const b = bits(out![name]!);
        const n = spec.buffers[name]!.length(c.shape);
        const type = spec.buffers[name]!.type;
        let missed = 0;
        let first = -1;
        for (let i = 0; i < n; i++) {
          if (isSentinel(type, b[i]!)) {
            missed++;
            if (first < 0) first = i;
          }
        }
        if (missed) {
          return { pass: false, message: `${name}[${first}] was never written (${missed} of ${n} elements still hold the sentinel)`, worst: { buffer: name, index: first } };
        }
      }
      return { pass: true };
    },
  };
}

export function inputsUnchanged(spec: KernelSpec, family: Family): Property<unknown, Case> {
  const inputs = names(spec, ['input']);
  return {
    name: 'inputs-unchanged',
    description: `The kernel leaves its inputs (${inputs.join(', ')}) bit-for-bit as it found them.`,
    bound: 'exact',
    arbitrary: family.cases,
    runs: (c) => [c],
    check(c, [out]) {
      for (const name of inputs) {
        const before = bits(c.inputs[name]!);
        const after = bits(out![name]!);
        for (let i = 0; i < before.length; i++) {
          if (before[i] !== after[i]) {
            return { pass: false, message: `input ${name}[${i}] changed from ${c.inputs[name]![i]} to ${out![name]![i]}`, worst: { buffer: name, index: i } };
          }
        }
      }
      return { pass: true };
    },
  };
}

export function deterministic(spec: KernelSpec, family: Family): Property<unknown, Case> {
  const outputs = names(spec, ['output', 'inout']);
  return {
    name: 'deterministic',
    description: 'The same case run twice in one submission gives the same bits in every output.',
    bound: 'exact',
    arbitrary: family.cases,
    runs: (c) => [c, c],
    check(_c, [a, b]) {
      for (const name of outputs) {
        const x = bits(a![name]!);
        const y = bits(b![name]!);
        for (let i = 0; i < x.length; i++) {
          if (x[i] !== y[i]) {
            return { pass: false, message: `${name}[${i}] was ${a![name]![i]} on the first run and ${b![name]![i]} on the second`, worst: { buffer: name, index: i } };
          }
        }
      }
      return { pass: true };
    },
  };
}

/** The universal properties, the family's own, then those only the interpreter checks (suite.ts runs them there). */
export function propertiesOf(spec: KernelSpec, family: Family): Property[] {
  // A property about no buffer would pass vacuously: an in-place kernel has no pure inputs or outputs to check.
  const universal = [
    matchesReference,
    ...(names(spec, ['output']).length ? [writesEveryOutput] : []),
    ...(names(spec, ['input']).length ? [inputsUnchanged] : []),
    deterministic,
  ]
    .map((make) => make(spec, family));
  return [...universal, ...family.properties, ...traceProperties(spec, family)];
}
