// The properties every kernel gets from its family, beside the family's own (docs/ARCHITECTURE.md): matches its reference
// within the derived bound, writes every output, leaves its inputs alone, gives the same bits twice.
import { jsonText } from './json-text.ts';
import { BoundError, compareArrays, maxMeasure, describeFailure, describeNaNReference, describeUnbounded, formatValue, type CompareOptions, type LazyBound } from '../compare.ts';
import { Float16Array, isFloat16Array } from '@petamoriken/float16';
import { isSubnormalF16 } from '../bounds/f16.ts';
import { isSubnormalF32 } from '../bounds/f32.ts';
import type { BufferSpec, Case, Family, KernelSpec, Measure, Property, RunOutput, StageSpec } from '../spec.ts';
import { atomicSlotsAt, floatAtomicsAt } from './float-atomics.ts';
import { badBound, familyOrigin, LibraryError } from './library-error.ts';
import { atomicStoreOf, bitsAsIntegers, bitsOf, deviceDispatchLimits, firstRead, stageWorkgroupSize, updatesScratchClause, isReadFill, isSentinel, READ_FILL_F16, READ_FILL_F32, SENTINEL, SENTINEL_2, SENTINEL_2_I32, SENTINEL_F16, sentinelOf, type KernelProgram } from './program.ts';
import { spreadDraws, spreadY } from './spread-y.ts';
import { traceProperties } from './trace-properties.ts';
import { coordinatesOf } from './layout.ts';
import { constantIn, loadThenStoreCause, loadThenStorePlace, loadThenStoreRead, loadThenStores, readsVariable, spinWaitPlaces, unretriedExchanges, unretriedExchangeText, updatedAtomics } from './portability.ts';
import { fallbackStoreLines } from '../engines/interpreter/failed-exchanges.ts';
import { keptExchangeLines } from '../engines/interpreter/lost-updates.ts';
import { addressRoot, isCall, parsedOrNone, reachableLines, walk, type Node as AstNode } from '../mutate/parse.ts';

const bits = bitsOf;

function names(spec: KernelSpec, roles: string[]): string[] {
  return Object.entries(spec.buffers).filter(([, b]) => roles.includes(b.role)).map(([n]) => n);
}

/** The inputs of an element-wise family's output element (Family.elementwise), for a failure message: "; its input
 *  x[3] = 1.5" (every input with as many elements as the output). */
function inputsAt(c: Case, index: number, length: number): string {
  const same = Object.entries(c.inputs).filter(([, v]) => v.length === length && index < length);
  if (!same.length) return '';
  // A subnormal input is one WGSL lets the kernel read as ±0, which may send a branch the other way (a trial's
  // leaky_relu returned x for a flushed negative x): said, so that the author checks the tolerance allows that too.
  const say = (n: string, v: Case['inputs'][string]) => {
    const integer = v instanceof Uint32Array || v instanceof Int32Array;
    const x = v[index]!;
    const subnormal = !integer && (isFloat16Array(v) ? isSubnormalF16(x) : isSubnormalF32(x));
    return `${n}[${index}] = ${formatValue(x, integer)}${subnormal ? ' (subnormal: WGSL allows reading it as ±0)' : ''}`;
  };
  return `; its input${same.length === 1 ? '' : 's'} ${same.map(([n, v]) => say(n, v)).join(', ')}`;
}

/** Most elements of each input a failure quotes whole, where the family is not element-wise. */
const QUOTED_INPUT = 8;

/** A small case's inputs whole, where the family is not element-wise (trial 40: a shrunk one-row softmax failure
 *  named the output alone, and its reader had to replay it to see the row): "; the case's inputs x = [1.5, -2]".
 *  Nothing where an input is longer than QUOTED_INPUT elements: the fixture and `view` hold those. */
function inputsWhole(c: Case): string {
  const inputs = Object.entries(c.inputs);
  if (!inputs.length || inputs.some(([, v]) => v.length > QUOTED_INPUT)) return '';
  const say = ([n, v]: [string, Case['inputs'][string]]) => {
    const integer = v instanceof Uint32Array || v instanceof Int32Array;
    // Packed words (four int8 of a dot4I8Packed, a pixel) read in hexadecimal, as describeFailure writes outputs
    // (trial 159: `a = [2650827052]`).
    const hex = integer && Array.from(v).some((x) => Math.abs(x) >= 0x10000);
    return `${n} = [${Array.from(v, (x) => `${formatValue(x, integer)}${hex ? ` (0x${(x >>> 0).toString(16)})` : ''}`).join(', ')}]`;
  };
  return `; the case's input${inputs.length === 1 ? '' : 's'} ${inputs.map(say).join(', ')}`;
}

/**
 * Where an exact or integer output of a family that is not element-wise fails on a case whose float inputs hold
 * subnormals: "; the case's x holds 1 subnormal value (x[6] = -2.19e-39), which WGSL lets a device read as ±0, ...".
 * An index or a count picked by comparing floats (an argmax, an argsort, a histogram of thresholds) may then be
 * another on a device that flushes, as SwiftShader does, so a reference that compares them as they are fails a correct
 * kernel there (trial 166 C1: a first-index argmax's row held -2.19e-39 and 0.0, a tie once flushed). Empty otherwise.
 */
function subnormalInputsClause(c: Case): string {
  const found = Object.entries(c.inputs).flatMap(([n, v]) => {
    if (v instanceof Uint32Array || v instanceof Int32Array) return [];
    const test = isFloat16Array(v) ? isSubnormalF16 : isSubnormalF32;
    let count = 0;
    let first = -1;
    for (let i = 0; i < v.length; i++) if (test(v[i]!) && count++ === 0) first = i;
    return count ? [`${n} holds ${count} subnormal value${count === 1 ? '' : 's'} (${count === 1 ? '' : 'first '}${n}[${first}] = ${formatValue(v[first]!, false)})`] : [];
  });
  if (!found.length) return '';
  return `; the case's ${found.join(', ')}, which WGSL lets a device read as ±0, in a comparison too (writing-a-kernel.md, "Flush to zero"): an index or a count picked by comparing them may be another on a device that does, as SwiftShader does, so where the kernel's answer is right with them read as 0, judge it by a property that accepts either reading, or draw no subnormals for this one`;
}

/** compareArrays on a family's bounds: a bound that is not one is the library's error, named with its file. */
function compareWithin(family: Family, c: Case, output: string, actual: ArrayLike<number>, expected: ArrayLike<number>,
  allowed: ArrayLike<number> | number | LazyBound, opts: CompareOptions) {
  try {
    return compareArrays(actual, expected, allowed, opts);
  } catch (e) {
    throw e instanceof BoundError ? badBound(family, c, output, e) : e;
  }
}

/** Element i of two arrays whose bits differ there, as the other messages print values (9 digits: a trial read
 *  "changed from 0.3464924395084381 to 0.469357430934906"), with the bits where the two print alike (NaN payloads). */
function changed(a: ArrayLike<number>, b: ArrayLike<number>, i: number, aBits: ArrayLike<number>, bBits: ArrayLike<number>): [string, string] {
  const integer = a instanceof Int32Array || a instanceof Uint32Array;
  const [x, y] = [formatValue(a[i]!, integer), formatValue(b[i]!, integer)];
  if (x !== y) return [x, y];
  const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
  return [`${x} (${hex(aBits[i]!)})`, `${y} (${hex(bBits[i]!)})`];
}

export function matchesReference(spec: KernelSpec, family: Family): Property<unknown, Case> {
  return {
    name: 'matches-reference',
    description: family.exact
      ? 'Every output equals the float64 reference bit for bit (the sign of zero aside).'
      : 'Every output is within the allowed error of the float64 reference, element by element.',
    bound: family.exact ? 'exact' : "the family's tolerance(): WGSL accuracy rules and γ_n, per element; elements where that is unbounded are counted in the notes",
    arbitrary: family.cases,
    runs: (c) => [c],
    check(c, [out]) {
      const expected = family.reference(c);
      // Before the tolerance: a reference that does not fit the kernel's outputs is the library's mistake, not the kernel's.
      for (const [name, want] of Object.entries(expected)) {
        const got = out![name];
        if (!got) throw new LibraryError(`${familyOrigin(family, 'reference')}: reference() returned '${name}', which is not an output of kernel ${spec.name} (its outputs: ${names(spec, ['output', 'inout']).join(', ')}); name each array as the spec names its buffer`);
        // Trial 93 B2: a scratch buffer returned too was asked a bound, and then judged, where the docs say scratch is not.
        if (spec.buffers[name]?.role === 'scratch') throw new LibraryError(`${familyOrigin(family, 'reference')}: reference() returned '${name}', a scratch buffer of kernel ${spec.name}, which matches-reference does not judge (scratch holds what a kernel keeps between its stages, as it likes); leave it out of reference(), or give it role 'output' in the spec if its contents are a result (its outputs: ${names(spec, ['output', 'inout']).join(', ')})`, name);
        if (got.length !== want.length) throw new LibraryError(`${familyOrigin(family, 'reference')}: reference() returned ${want.length} value${want.length === 1 ? '' : 's'} for '${name}', but kernel ${spec.name} wrote ${got.length}, the length its spec's buffers.${name}.length(shape) gives for the shape ${jsonText(c.shape)}; one of the two is wrong: return one value per element of the output, or make that length the kernel's`);
        // A value no i32 (u32) holds is JavaScript's arithmetic, not WGSL's: a trial's INT_MIN / -1 left at 2^31 and
        // Math.imul without >>> 0 failed the kernel, with the same hex on both sides.
        const type = spec.buffers[name]?.type;
        if (type === 'i32' || type === 'u32') {
          const [lo, hi] = type === 'i32' ? [-(2 ** 31), 2 ** 31 - 1] : [0, 2 ** 32 - 1];
          const i = want.findIndex((v) => !(v >= lo && v <= hi));
          // A NaN is no overflow (trial 227 B1: an argmax's "no defined answer" was told to wrap with >>> 0, which makes it 0).
          if (i >= 0 && Number.isNaN(want[i])) throw new LibraryError(`${familyOrigin(family, 'reference')}: reference() returned NaN for ${name}[${i}], which no ${type} holds: where WGSL leaves the kernel's result open (an argmax over NaN), return any ${type} there and give the element a bound of Infinity in tolerance() (not an exact family's), so that it is not judged`, name);
          if (i >= 0) throw new LibraryError(`${familyOrigin(family, 'reference')}: reference() returned ${want[i]} for ${name}[${i}], which no ${type} holds (${lo} to ${hi}): WGSL's ${type} arithmetic wraps; wrap it as WGSL does (${type === 'i32' ? 'x | 0' : 'x >>> 0'}; Math.imul for products)`, name);
          // Trial 84 B1: a reference's x / y for an i32 output (no Math.trunc) failed a correct kernel "off by 1". An
          // exact family's only: with a tolerance, a midpoint (237.5 ± 0.5) is a way to accept either rounding.
          const f = family.exact ? want.findIndex((v) => !Number.isInteger(v)) : -1;
          if (f >= 0) throw new LibraryError(`${familyOrigin(family, 'reference')}: reference() returned ${want[f]} for ${name}[${f}], which is not a whole number, as every ${type} is: WGSL's integer division truncates toward zero (Math.trunc(x / y)), and a float converted to ${type} is rounded toward zero too`, name);
        }
      }
      const allowed = family.exact ? undefined : family.lazyTolerance ? family.lazyTolerance(c, expected) : family.tolerance(c, expected);
      let measure: Measure | undefined;
      // Elements whose tolerance is infinite pass whatever they hold: say how many, so a pass is never silent there.
      const notes: Record<string, string | number> = {};
      // An output the reference leaves out is judged by nothing here: said, never passed in silence (a trial's
      // key-value sort returned keys only, and its values went unchecked).
      const unjudged = names(spec, ['output', 'inout']).filter((n) => !(n in expected));
      if (unjudged.length) notes.notJudged = `${unjudged.join(', ')}: not returned by reference(), so not compared`;
      for (const name of Object.keys(expected)) {
        const got = out![name]!;
        const cmp = compareWithin(family, c, name, got, expected[name]!, allowed?.[name] ?? 0, { ignoreZeroSign: true, flushTies: family.flushTies ?? false });
        // Of an output whose every element is unbounded there is nothing to measure (its zeros would read as exact).
        // The worst element's place goes with it: two trials read a header's "off by 4.3e+9" (a sum limb) against the
        // message's first failure, another buffer off by 1, as one number.
        if (cmp.unbounded < cmp.length) measure = maxMeasure(measure, { ...cmp.measure, absBuffer: name, ...(cmp.measure.atWorst ? { atWorst: { ...cmp.measure.atWorst, buffer: name, index: cmp.worst } } : {}) });
        if (cmp.unbounded) {
          notes.unboundedElements = (Number(notes.unboundedElements) || 0) + cmp.unbounded;
          notes.unboundedNonFinite = (Number(notes.unboundedNonFinite) || 0) + cmp.unboundedNonFinite;
          const where = family.unboundedWhere;
          notes[`unbounded ${name}`] = describeUnbounded(name, cmp, typeof where === 'string' ? where : where?.[name]);
          const nan = describeNaNReference(name, cmp, familyOrigin(family, 'reference'));
          if (nan) notes[`NaN reference ${name}`] = nan;
        }
        if (!cmp.pass) {
          // What the bound covers explains a value off by a little, not an element the kernel never wrote (the
          // sentinel, said first by sayNeverWritten): there it only sent a new user after the wrong form of gelu.
          const unwritten = isSentinel(spec.buffers[name]!.type, bits(got)[cmp.worst]!);
          // Said both ways: a new user's wrong kernel read the bare list as a hint that the bound, not the kernel, was
          // at fault (round fifteen's trial), and a correct kernel of another form needs it most.
          const covers = family.covers && !unwritten
            ? ` (the bound is derived for ${family.covers}: ${familyOrigin(family)}. A kernel that computes it one of those ways and fails it has a bug; one that computes it another way may need a bound of its own)`
            : '';
          // A trial set `exact: true` beside a tolerance() of 0.5 and read "allowed 0" as its own bound misapplied.
          const exact = family.exact && toleratesSome(family, c, expected, name) ? ` (the family is exact: true, so its tolerance(), which allows more, is not used: ${familyOrigin(family)})` : '';
          const flushed = !family.elementwise && (family.exact || cmp.integer) ? subnormalInputsClause(c) : '';
          return { pass: false, message: describeFailure(name, cmp, undefined, (i) => coordinates(spec, name, c.shape, i)) + exact + (family.elementwise ? inputsAt(c, cmp.worst, got.length) : inputsWhole(c)) + flushed + covers, measure, worst: { buffer: name, index: cmp.worst }, ...(cmp.unbounded ? { notes } : {}) };
        }
      }
      // No measure: every element was unbounded and nothing was compared (a trial's tolerance of Infinity everywhere
      // passed y = x + 1 for x·x).
      return { pass: true, ...(measure ? { measure } : {}), ...(Object.keys(notes).length ? { notes } : {}), ...(measure || !Object.keys(expected).length ? {} : { unjudged: true as const }) };
    },
  };
}

/** An exact family's tolerance() gives some element of `name` more than 0: a bound its author meant, which
 *  `exact: true` overrides. False where it throws or gives nothing. */
function toleratesSome<S>(family: Family<S>, c: Case<S>, expected: Record<string, Float64Array>, name: string): boolean {
  try {
    return Array.prototype.some.call(family.tolerance(c, expected)[name] ?? [], (t: number) => t > 0);
  } catch {
    return false;
  }
}

/** The outputs whose bits may legitimately differ between runs: those the spec declares orderDependent, and every
 *  float output of a program whose WGSL adds floats through atomics (float-atomics.ts: a `--wgsl` user has no spec to
 *  declare it in, and on a GPU whose schedule varies such a correct kernel would fail bit for bit); and where those
 *  atomics are ("file:line"), if any. */
function looseOutputs(spec: KernelSpec, program?: KernelProgram): { loose: string[]; atomicsAt?: string } {
  const floatAt = program && floatAtomicsAt(program);
  const slotsAt = !floatAt && program ? atomicSlotsAt(program) : undefined;
  const atomicsAt = floatAt?.lock ? `a lock taken at ${floatAt.at} around float updates, which its holders take in an unspecified order`
    : floatAt ? `float atomics at ${floatAt.at}, whose updates land in an unspecified order`
    : slotsAt ? `atomic slots at ${slotsAt} (the old value an atomic returns), handed out in an unspecified order, so a float sum taken in their order rounds differently` : undefined;
  const float = (n: string) => spec.buffers[n]!.type === 'f32' || spec.buffers[n]!.type === 'f16';
  const loose = names(spec, ['output', 'inout']).filter((n) => spec.buffers[n]!.orderDependent || (atomicsAt && float(n)));
  return { loose, ...(atomicsAt ? { atomicsAt } : {}) };
}

const readFill = formatValue(new Float32Array(Uint32Array.of(READ_FILL_F32).buffer)[0]!);
const readFillF16 = formatValue(new Float16Array(Uint16Array.of(READ_FILL_F16).buffer)[0]!);

export function writesEveryOutput(spec: KernelSpec, family: Family, program?: KernelProgram): Property<unknown, Case> {
  const outputs = names(spec, ['output']);
  const scratch = names(spec, ['scratch']);
  // Three runs. The sentinel is a value a kernel may compute, in a u32 or i32 output or as bits stored into a float
  // one (a correct sort of keys holding 0x7fbadbad failed here, and so did trial 55's copy of bit data into an f32
  // output bound as array<u32>): the second run starts outputs with other bits, and never written is only what
  // holds the sentinel in the first and something else in the second. The second and third start float outputs
  // with +F and −F (program.ts READ_FILL_F32), the third integer
  // ones with zeros: where the kernel reads an output before writing it, the runs differ.
  const { loose } = looseOutputs(spec, program);
  return {
    name: 'writes-every-output',
    description: `Every element of ${outputs.join(', ')} is written, and from nothing it held before: outputs start filled with the sentinel 0x${SENTINEL.toString(16)} (0x${SENTINEL_F16.toString(16)} in f16; a NaN no arithmetic produces), and none may still hold it; a second run starts integer outputs with the sentinel 0x${SENTINEL_2.toString(16)} (0x${SENTINEL_2_I32.toString(16)} if i32) and float ones with +${readFill} (+${readFillF16} in f16), and an element is never written only if it does not hold the sentinel's bits there too (bits the kernel wrote), a third integer ones with zeros (integer scratch with 0, 1, 2, 3 repeating: a flag set only where true) and float ones with −${readFill}, and a written element must come out the same in all three${loose.length ? ` (within ${loose.join(', ')}, order-dependent, twice its tolerance, and it must not keep the fill)` : ''}.`,
    bound: 'exact',
    arbitrary: family.cases,
    runs: (c) => [c, { ...c, secondSentinel: true }, { ...c, secondSentinel: true, negativeFill: true }],
    check(c, [out, ...again]) {
      // An order-dependent output's runs may differ as two runs of deterministic may: by twice its tolerance (trial
      // 113 A1: any difference was let through, and an atomicMin into an output never cleared passed).
      let tolerance: Record<string, Float64Array> | undefined;
      const withinTwice = (name: string, k: number, i: number) => {
        tolerance ??= family.exact ? {} : family.tolerance(c, family.reference(c));
        return Math.abs(Number(out![name]![i]) - Number(again[k]![name]![i])) <= 2 * (tolerance[name]?.[i] ?? 0);
      };
      for (const name of outputs) {
        const b = bits(out![name]!);
        const n = spec.buffers[name]!.length(c.shape);
        const type = spec.buffers[name]!.type;
        const later = again.map((r) => bits(r![name]!));
        const { missed, first } = sentinels(type, b, n, later[0], later[1]);
        if (missed) {
          const from = unwrittenScratch(spec, () => [c.shape], [out], () => true, FROM_SCRATCH, program);
          return { pass: false, message: neverWritten(name, first, missed, n, type, coordinates(spec, name, c.shape, first), integer(type) && !!later[0]) + (from ? `; ${from}` : ''), worst: { buffer: name, index: first } };
        }
        // An integer output's second sentinel has its top bit set (an atomicMax of keys ≥ 2^31 kept it), its third run
        // zeros (an atomicMin kept them).
        for (const k of integer(type) ? [1, 0] : [0, 1]) {
          const b2 = later[k];
          if (!b2) continue;
          for (let i = 0; i < n; i++) {
            if (b[i] === b2[i] || (isSentinel(type, b[i]!) && !updatedFromFill(type, later[0]?.[i], later[1]?.[i])) || (loose.includes(name) && !isReadFill(type, b2[i]!) && withinTwice(name, k, i))) continue;
            // NaN in both runs, neither the sentinel: arithmetic's NaN, whose sign and payload WGSL leaves to the
            // engine (trial 154 A1: Inf − Inf gave the interpreter 0x7fc00000 in one run and 0xffc00000 in the other,
            // and a correct softmax was told it read its outputs), unless the kernel works on the output's bits.
            if (!integer(type) && nanBits(type, b[i]!) && nanBits(type, b2[i]!) && !isSentinel(type, b2[i]!) && !(program && bitsOnce(program, c.shape, name))) continue;
            const [was, became] = changed(out![name]!, again[k]![name]!, i, b, b2);
            const kept = isReadFill(type, b2[i]!) ? ' (the fill itself)' : '';
            const intScratch = k && scratch.some((n) => integer(spec.buffers[n]!.type)) ? ' (integer scratch with 0, 1, 2, 3 repeating)' : '';
            const asBits = k === 1 && type === 'f32' && !!program && bitsOnce(program, c.shape, name);
            const fill = integer(type) ? (k ? `zeros${intScratch}` : `the second sentinel 0x${sentinelOf(type, true).toString(16)}`)
              : asBits ? `zeros (the WGSL works on ${name}'s bits as integers)` : `${k ? '−' : '+'}${type === 'f16' ? readFillF16 : readFill}${intScratch}`;
            const { clause: read, written, earlier } = program ? firstRead(program, c.shape, name) : { clause: '', written: false, earlier: false };
            // No statement reads the output itself: what it held reached it another way.
            const updated = read || !program ? undefined : updatesScratchClause(program, c.shape);
            // Trial 125 B1, trial 128 B1: a float sum in the order a hash set's probes handed out slots read as a read
            // of scratch; where the kernel updates atomics, that order is named too.
            const order = !integer(type) && program && Object.values(program.sources).some((code) => updatedAtomics(code).size)
              ? `, a float sum taken in an order the kernel's atomics hand out that the harness did not recognise (then give ${name} orderDependent: true in the spec)` : '';
            const other = read ? '' : updated ? ` ${updated}` : ` (no statement reads ${name} itself: ${scratch.length ? `a read of scratch (${scratch.join(', ')}) before it is written, ` : ''}two invocations racing on ${name} (no-data-race tells, in a case with no out-of-bounds access: no-out-of-bounds comes first)${order}, or a read through another binding of it)`;
            // The buffer's last element is where Dawn's robust access puts a store past the end (WGSL §"Out-of-Bounds
            // Access" lets it land on any element): a wrong index is as likely as a read of the fill (trial 173 B1).
            // Not where a cause is named (differs), nor in a buffer so short that most elements are its last (trial
            // 174 B2).
            const last = i === n - 1 && n >= 4 ? ` (${name}[${i}] is ${name}'s last element, where a GPU engine may put a store past its end, which WGSL lets land on any element: no-out-of-bounds tells, and comes first)` : '';
            // Where the runs can differ whatever the fill, that is said instead of the fill.
            const differs = (why: string) => ({ pass: false, message: `${name}[${i}]${coordinates(spec, name, c.shape, i)} differs from run to run: ${was} in one run and ${became}${kept} in another, which started with other contents; ${why}`, worst: { buffer: name, index: i } });
            // An atomicLoad then an atomicStore of a value computed from it is not one update: two invocations that
            // load the same value both store it, and one update is lost, differently from run to run (trial 64's
            // split-K sum, whose clear pass had written every element, was told it read its starting contents).
            const lost = program ? lostUpdateOf(program, name, c.shape) : undefined;
            if (lost) return differs(`${lost.at} ${lost.cause}, in whatever order they ran (deterministic, which runs it twice the same way, tells; the interpreter's schedule shows it on every case it runs)`);
            // Trial 190 B2: a compare-exchange tried once, with a store as its fallback, read as a read of the fill.
            // Not where the element is its fill plus what the kernel added in both runs (trial 196 B1: a bin never
            // cleared, beside a fallback store on another word): that is a read of the starting contents.
            const fromFill = !!kept || (integer(type) && ((b[i]! - sentinelOf(type, false)) >>> 0) === ((b2[i]! - (k ? 0 : sentinelOf(type, true))) >>> 0));
            const fallback = program && !fromFill ? fallbackStoreOf(program, c.shape, name) : undefined;
            if (fallback) return differs(`${fallbackStoreText(fallback)}, differently from run to run (deterministic, which runs it twice the same way, tells; so does the interpreter's no-data-race, where another workgroup changes the word after the store): ${RETRY}`);
            // Trial 194 B1: a compare-exchange that never reads .exchanged was told of reading the fill first.
            const unretried = program && !fromFill ? stagesOf(program, c.shape).flatMap((st) => {
              const [runs, feeds] = [entryLines(program, st), feedsBuffer(program, st, name)];
              return unretriedExchanges(program.sources[st.wgsl] ?? '').filter((f) => runs(f.line) && f.variable.split(', ').some(feeds)).map((f) => unretriedExchangeText(program.origins[st.wgsl] ?? st.wgsl, f));
            })[0] : undefined;
            if (unretried) return differs(`${unretried}, differently from run to run (deterministic, which runs it twice the same way, tells)`);
            // A kernel whose workgroups wait on one another's stores (a decoupled look-back) computes what their
            // scheduling lets it: trial 59's two wrong scans read as reading their starting contents, which their
            // first stage had cleared.
            const stored = program && !read ? atomicStoreOf(program, c.shape, name) : undefined;
            if (stored) return differs(`${stored.at}: ${stored.text} stores to ${name} with an atomic, and atomics never race, so no-data-race does not see two invocations storing to one element: which store lands last can change from run to run (deterministic, which runs it twice the same way, tells): to combine the values, use atomicAdd or another read-modify-write; to keep one, make one invocation each element's only writer`);
            const spins = program ? spinWaitPlaces(program) : [];
            if (spins.length && !read) return differs(`the loop at ${spins.join(' and ')} waits for another workgroup's store, so what the kernel computes can depend on the order its workgroups ran in, whatever the outputs held (deterministic, which runs it twice the same way, tells; no statement reads ${name} itself): check what each workgroup publishes and when it may be read`);
            // Trial 164 B2: where a store comes before the first read, a race between workgroups (the previous block's
            // last element, updated in place) differs from run to run just as well: both causes are said, neither first.
            const start = `${was} in a run whose outputs${scratch.length ? ' and scratch' : ''} started filled with the ${integer(type) ? 'sentinel' : 'NaN sentinel'}, and ${became}${kept} in one that started filled with ${fill}`;
            // Trial 215 B1: a store in an earlier stage, a dispatch that ends before the read's, never comes after it.
            const reach = earlier ? 'that store does not reach this element (it writes others only), so the read finds what the output started with' : 'that read comes before the store reaches this element';
            if (written) return { pass: false, message: `${name}[${i}]${coordinates(spec, name, c.shape, i)} came out ${start}${read}: either ${reach}, and an output's starting contents are not the kernel's to read (write each element with = before reading it, or give it role 'inout' in the spec, with its starting values as an input), or the runs differ whatever they started with, as a race between workgroups makes them (deterministic, which runs it twice from one fill, and no-data-race tell which)${last}`, worst: { buffer: name, index: i } };
            return { pass: false, message: `${name}[${i}]${coordinates(spec, name, c.shape, i)} depends on what the outputs${scratch.length ? ' and scratch' : ''} held before the kernel ran: ${was} when they started filled with the ${integer(type) ? 'sentinel' : 'NaN sentinel'}, and ${became}${kept} when they started filled with ${fill}; an output's starting contents are not the kernel's to read${read}${other}: write each element with = before reading it, or give it role 'inout' in the spec, with its starting values as an input (unless deterministic fails too: then the runs differ whatever the fill, which comes first)${last}`, worst: { buffer: name, index: i } };
          }
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
            return { pass: false, message: `input ${name}[${i}] changed from ${changed(c.inputs[name]!, out![name]!, i, before, after).join(' to ')}`, worst: { buffer: name, index: i } };
          }
        }
      }
      return { pass: true };
    },
  };
}

/** `deterministic` for a kernel's program: the same bits twice, except in outputs whose bits may legitimately differ
 *  between runs (looseOutputs), held to twice their tolerance. */
export function deterministic(spec: KernelSpec, family: Family, program?: KernelProgram): Property<unknown, Case> {
  const outputs = names(spec, ['output', 'inout']);
  const { loose, atomicsAt } = looseOutputs(spec, program);
  const exact = outputs.filter((n) => !loose.includes(n));
  const why = (n: string) => (spec.buffers[n]!.orderDependent ? 'declared order-dependent' : `order-dependent: ${atomicsAt}`);
  return {
    name: 'deterministic',
    description: loose.length
      ? `The same case run twice in one submission gives the same bits in ${exact.join(', ') || 'no output'}; ${loose.join(', ')} ${loose.length > 1 ? 'are' : 'is'} ${atomicsAt ? why(loose[0]!) : 'declared order-dependent (float atomics, scheduling-dependent order)'}, so the two runs need only agree within the sum of their tolerances (each within its bound of the same reference).`
      : 'The same case run twice in one submission gives the same bits in every output.',
    bound: loose.length ? `exact for ${exact.join(', ') || 'none'}; |a − b| ≤ 2 · tolerance for ${loose.join(', ')}` : 'exact',
    arbitrary: family.cases,
    runs: (c) => [c, c],
    check(c, [a, b]) {
      const notes: Record<string, string | number | boolean> = {};
      let measure: Measure | undefined;
      if (loose.length) {
        const expected = family.reference(c);
        const tol = family.exact ? undefined : family.tolerance(c, expected);
        for (const name of loose) {
          const t = tol?.[name];
          const twice = t ? t.map((v) => 2 * v) : 0;
          const cmp = compareWithin(family, c, name, b![name]!, a![name]!, twice, { ignoreZeroSign: true });
          // Of an output whose every element is unbounded there is nothing to measure (its zeros would read as exact).
          if (cmp.unbounded < cmp.length) measure = maxMeasure(measure, cmp.measure);
          let differing = 0;
          const x = bits(a![name]!);
          const y = bits(b![name]!);
          for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) differing++;
          notes[`${name} checked`] = `within twice its tolerance (${why(name)}), not bit for bit`;
          notes[`${name} differingElements`] = differing;
          if (!cmp.pass) return { pass: false, message: `${name} is ${why(name)}, but its two runs differ by more than twice its tolerance: ${describeFailure(name, cmp, "the first run's", (i) => `${coordinates(spec, name, c.shape, i)} on the second run`)}`, measure, worst: { buffer: name, index: cmp.worst }, notes };
        }
      }
      for (const name of exact) {
        const x = bits(a![name]!);
        const y = bits(b![name]!);
        for (let i = 0; i < x.length; i++) {
          if (x[i] !== y[i]) {
            const [first, second] = changed(a![name]!, b![name]!, i, x, y);
            return { pass: false, message: `${name}[${i}] was ${first} on the first run and ${second} on the second`, worst: { buffer: name, index: i }, ...(loose.length ? { notes } : {}) };
          }
        }
      }
      return { pass: true, ...(measure ? { measure } : {}), ...(loose.length ? { notes } : {}) };
    },
  };
}

/** " (at 0, 63, 0 of 3 × 70 × 4)": an element's coordinates in its buffer's logical shape (the spec's dims, last axis
 *  fastest), for a buffer of two or more axes; a flat index into an image told a new user little ("dst[252]"). */
function coordinates(spec: KernelSpec, name: string, shape: unknown, index: number): string {
  let dims: number[] | undefined;
  try {
    dims = spec.buffers[name]?.dims?.(shape as never);
  } catch {
    return '';
  }
  if (!dims || dims.length < 2 || index < 0) return '';
  return ` (at ${coordinatesOf(index, dims).join(', ')} of ${dims.join(' × ')})`;
}

/** How many of the first `n` elements hold the sentinel, and the first of them; with `again` (a second run's bits,
 *  whose outputs started with other bits), only those that hold the second sentinel there (an integer output) or
 *  other bits (a float one, started with a finite fill): an element the kernel wrote with the sentinel's bits holds
 *  them in both runs. */
function sentinels(type: Parameters<typeof sentinelOf>[0], b: ArrayLike<number>, n: number, again?: ArrayLike<number>, zeros?: ArrayLike<number>): { missed: number; first: number } {
  let missed = 0;
  let first = -1;
  for (let i = 0; i < n; i++) {
    if (isSentinel(type, b[i]!) && !updatedFromFill(type, again?.[i], zeros?.[i]) && (!again || (integer(type) ? isSentinel(type, again[i]!, true) : again[i] !== b[i]))) {
      missed++;
      if (first < 0) first = i;
    }
  }
  return { missed, first };
}

const integer = (type: Parameters<typeof sentinelOf>[0]) => type === 'u32' || type === 'i32';

/** bitsAsIntegers of the stages of `shape`, false where the spec cannot give them. */
function bitsOnce(program: KernelProgram, shape: unknown, name: string): boolean {
  try {
    return bitsAsIntegers(program, program.spec.stages(shape), name);
  } catch {
    return false;
  }
}

/** An integer element holding the sentinel that kept each run's sentinel where the outputs started with one, and
 *  something else where they started with zeros, was written, from what it held: an atomicMax (or min) that kept the larger fill. Trial
 *  101 B1: it was said "never written" where the cause is a read of the output's starting contents. */
function updatedFromFill(type: Parameters<typeof sentinelOf>[0], second: number | undefined, zeros: number | undefined): boolean {
  return integer(type) && second !== undefined && zeros !== undefined && isSentinel(type, second, true) && zeros !== 0;
}

/** What an output element still holding the sentinel says. Never written, most likely; but a kernel that copies an
 *  element of memory nobody wrote (scratch, or an output read back) stores the sentinel's bits, and arithmetic on it
 *  keeps its NaN payload (SwiftShader and the interpreter do), which isSentinel also takes: say both (a new user's
 *  fused block sum wrote out[0] from an unwritten scratch element and was told only "never written"). */
function neverWritten(name: string, first: number, missed: number, n: number, type: Parameters<typeof sentinelOf>[0], at = '', twice = false): string {
  // In a u32 or i32 buffer the sentinel is a number like any other: no NaN, and only a copy keeps it.
  const keeps = integer(type) ? 'whose bits a copy keeps' : 'whose bits a copy keeps and whose NaN payload arithmetic keeps';
  const held = twice ? `held each run's sentinel, 0x${sentinelOf(type).toString(16)} then 0x${sentinelOf(type, true).toString(16)}` : `still hold the sentinel 0x${sentinelOf(type).toString(16)}`;
  return `${name}[${first}]${at} was never written, or was written from memory that never was (${missed} of ${n} elements ${held}, ${keeps})`;
}

const FROM_SCRATCH = 'so an output computed from one holds the sentinel too';

/** Whether an f32's or f16's bits are a NaN's. */
const nanBits = (type: Parameters<typeof sentinelOf>[0], x: number) => (type === 'f16' ? (x & 0x7c00) === 0x7c00 && (x & 0x3ff) !== 0 : (x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0);

/** "the scratch buffer h still holds the sentinel in 2 of its 4 elements, first h[2]: no stage wrote them, or one wrote them from memory that never was, ...",
 *  of the first scratch buffer of a type `typed` that some stage of one of `runs` binds and that holds the sentinel
 *  (`shapes`: each run's shape); `so` says what follows. */
function unwrittenScratch(spec: KernelSpec, shapes: () => unknown[], runs: readonly (RunOutput | undefined)[], typed: (t: BufferSpec<unknown>['type']) => boolean, so: string, program?: KernelProgram): string | undefined {
  const scratch = Object.entries(spec.buffers).filter(([, b]) => b.role === 'scratch' && typed(b.type)).map(([n]) => n);
  if (!scratch.length) return undefined;
  // Only a buffer some stage of the run binds can be read: a case of one stage (a trial's FFT of n = 2) named a
  // scratch buffer no stage had bound as the NaN's source.
  let shapeOf: unknown[] | undefined;
  try {
    shapeOf = shapes();
  } catch {
    shapeOf = undefined;
  }
  for (const [k, out] of runs.entries()) {
    let stages: StageSpec<unknown>[] | undefined;
    try {
      stages = shapeOf?.[k] === undefined ? undefined : spec.stages(shapeOf[k]);
    } catch {
      stages = undefined;
    }
    for (const name of scratch) {
      const arr = out?.[name];
      if (!arr || (stages && !stages.some((st) => Object.values(st.bind).includes(name)))) continue;
      // Nor one no stage reads, which nothing can have been computed from: an append list, written at slots an atomic
      // counter hands out, with its tail unwritten by design (trial 150 B2).
      if (program && stages && !stages.some((st) => Object.entries(st.bind).some(([v, b]) => b === name && readsVariable(program.sources[st.wgsl] ?? '', v)))) continue;
      const b = bits(arr);
      const { missed, first } = sentinels(spec.buffers[name]!.type, b, b.length);
      if (missed) return `the scratch buffer ${name} still holds the sentinel in ${missed} of its ${b.length} elements, first ${name}[${first}]: no stage wrote them, or one wrote them from memory that never was (a race, or a read of unwritten memory), ${so}`;
    }
  }
  return undefined;
}

/** What a failing property other than writes-every-output says of an integer output holding the sentinel: one run
 *  cannot tell it from a value the kernel computed. */
function holdsSentinel(name: string, first: number, missed: number, n: number, type: Parameters<typeof sentinelOf>[0], at = ''): string {
  const s = sentinelOf(type);
  return `${name}[${first}]${at} holds the sentinel 0x${s.toString(16)} (${type === 'i32' ? s | 0 : s}), as ${missed} of ${n} elements do: never written, unless the kernel computed that value (writes-every-output runs twice to tell)`;
}

/**
 * A failing verdict of any property, on a kernel that left output elements holding the sentinel, says so first:
 * "y[3] was never written, or was written from memory that never was (12 of 1024 elements still hold the sentinel
 * ...)", instead of reporting the sentinel's NaN
 * (or, in a u32 buffer, its integer 2142950317) as a wrong value.
 */
function sayNeverWritten(spec: KernelSpec, p: Property, program?: KernelProgram): Property {
  // An in-place kernel (its results `inout` only) has no output to look at, but may still have scratch (trial 45's
  // heat ping-pong read a tmp it never wrote, and nothing named tmp): the check below runs for it too.
  const outputs = names(spec, ['output']);
  return {
    ...p,
    check(c, runs) {
      const v = p.check(c, runs);
      // No verdict is the property's mistake: judge() says so (trial 82 B1), not a TypeError here.
      if (!v || v.pass) return v;
      for (const [k, out] of runs.entries()) {
        for (const name of outputs) {
          const arr = out?.[name];
          if (!arr) continue;
          const b = bits(arr);
          const type = spec.buffers[name]!.type;
          // The run's shape, for the coordinates: the draw is the property's own, not always a case.
          const shapeOfRun = () => {
            try {
              return p.runs(c)[k]?.shape;
            } catch {
              return undefined;
            }
          };
          // An integer output may hold the sentinel as a value (a key copied through): named only where the failure
          // is in that buffer (trial 65 B1: y[0] = 0x7fbadbad, its reference, was said "never written" first, ahead of
          // the z[0] that failed).
          if (integer(type) && v.worst && v.worst.buffer !== name) continue;
          const found = sentinels(type, b, b.length);
          const missed = found.missed;
          const first = v.worst?.buffer === name && isSentinel(type, b[v.worst.index]!) ? v.worst.index : found.first;
          if (missed) {
            // Trial 77 B2: a split-K's second pass summed a partial the first never wrote, and only the output was
            // named: the scratch element it came from is the lead.
            const from = unwrittenScratch(spec, () => p.runs(c).map((r) => r.shape), runs, () => true, FROM_SCRATCH, program);
            const said = (integer(type) ? holdsSentinel : neverWritten)(name, first, missed, b.length, type, coordinates(spec, name, shapeOfRun(), first)) + (from ? `; ${from}` : '');
            if (v.message?.startsWith(said)) return v;
            return { ...v, message: v.message ? `${said}; ${v.message}` : said, worst: { buffer: name, index: first } };
          }
        }
      }
      // A scratch buffer between stages that a stage left partly unwritten: a later stage read the sentinel, and
      // arithmetic turned it into a 0 or a NaN far from its cause (a new user's mlp with a swapped matmul failed with
      // "probs[8] = NaN" while hidden[8..127] had never been written).
      // Said only beside a NaN: a scratch buffer may be partly unused by design.
      if (/NaN|non-finite/.test(v.message ?? '')) {
        const clause = unwrittenScratch(spec, () => p.runs(c).map((r) => r.shape), runs, (t) => t !== 'u32' && t !== 'i32', 'so a stage that reads them computes from a NaN', program);
        if (clause) return { ...v, message: `${v.message ?? ''}; ${clause}` };
      }
      return v;
    },
  };
}

/** The universal property of this name that reads the program (whether it has float atomics, and where it reads an
 *  output), for another WGSL of the same spec (registry.withWgsl), as propertiesOf gives it; undefined for others. */
export function programPropertyFor(name: string, spec: KernelSpec, family: Family, program: KernelProgram): Property | undefined {
  if (name === 'deterministic') return sayNeverWritten(spec, deterministic(spec, family, program));
  if (name === 'writes-every-output') return writesEveryOutput(spec, family, program);
  return undefined;
}

/** The universal properties, the family's own, then those judged on accesses (trace-properties.ts). `program` (the
 *  spec with its WGSL) lets the `-spread-y` properties pick cases whose dispatch spreads (spread-y.ts) and
 *  `deterministic` see float atomics in it. */
export function propertiesOf(spec: KernelSpec, family: Family, program?: KernelProgram): Property[] {
  // A property about no buffer would pass vacuously: an in-place kernel has no pure inputs or outputs to check.
  const reference = matchesReference(spec, family);
  const spreadCases = spreadDraws(family, program);
  const universal = [
    reference,
    ...(spreadCases ? [spreadY(reference, spreadCases)] : []),
    ...(names(spec, ['output']).length ? [writesEveryOutput(spec, family, program)] : []),
    ...(names(spec, ['input']).length ? [inputsUnchanged(spec, family)] : []),
    deterministic(spec, family, program),
  ];
  const own = [...family.properties, ...(family.kernelProperties?.[spec.name] ?? [])];
  return [...universal, ...own].map((p) => (p.name === 'writes-every-output' ? p : sayNeverWritten(spec, p, program))).concat(traceProperties(spec, family, spreadCases));
}

/** Where a stage loads an atomic of the variable bound to `buffer` and stores a value computed from it, as
 *  `FILE:LOAD-STORE` (the first such place), with what a sentence about it says (portability.ts LoadThenStore: a
 *  flag set under a test of it loses nothing, but what else it guards runs twice), or undefined. */
export function lostUpdateOf(program: KernelProgram, buffer: string, shape: unknown): { at: string; cause: string; read: string } | undefined {
  for (const stage of stagesOf(program, shape)) {
    const names = Object.entries(stage.bind).filter(([, target]) => target === buffer).map(([n]) => n);
    const runs = entryLines(program, stage);
    const found = names.length ? loadThenStores(program.sources[stage.wgsl] ?? '').find((f) => names.includes(f.variable) && runs(f.storeLine)) : undefined;
    if (found) return { at: loadThenStorePlace(program.origins[stage.wgsl] ?? stage.wgsl, found), cause: loadThenStoreCause(found, buffer), read: loadThenStoreRead(found, buffer) };
  }
  return undefined;
}

/** Whether a line of a stage's WGSL is run by its entry point (its own function or one it calls, transitively): a
 *  cause in an entry point the stage does not dispatch is none (trial 196 B3). Every line where the entry is not
 *  known. */
export function entryLines(program: KernelProgram, stage: StageSpec<unknown>): (line: number) => boolean {
  const p = parsedOrNone(program.sources[stage.wgsl] ?? '');
  const reach = p && reachableLines(p);
  const lines = reach && (reach.get(stage.entry ?? 'main') ?? (stage.entry === undefined && reach.size === 1 ? [...reach.values()][0] : undefined));
  return (line) => !lines || lines.has(line);
}

/** The shape's stages that run more than one invocation, or none where the spec's `stages` throws (a failure the run
 *  reports elsewhere). A stage of one invocation loses no update to another (trial 197 A3: a clamp run alone after the
 *  sums, its own dispatch, was named as a lost update); dispatches run in order. */
function stagesOf(program: KernelProgram, shape: unknown): StageSpec<unknown>[] {
  try {
    return program.spec.stages(shape).filter((stage) => {
      try {
        const size = stageWorkgroupSize(program, stage);
        return [...size, ...stage.workgroups(size, deviceDispatchLimits(program.spec))].reduce((a, b) => a * b, 1) !== 1;
      } catch {
        return true;
      }
    });
  } catch {
    return [];
  }
}

/** A fallback store (fallbackStoreOf) at `at` as a clause, and the advice for it. */
export const fallbackStoreText = (at: string) => `${at} stores as the fallback of a compare-exchange tried once, and an update that lands between the failed exchange and the store is erased`;
export const RETRY = 'retry the compare-exchange with its old_value until it succeeds';

/** Where a stage stores a value that is not constant as a compare-exchange's fallback, the exchange tried once
 *  (failed-exchanges.ts fallbackStoreLines: under `if (!r.exchanged)`; an atomicExchange whose old value is dropped
 *  too), to a word that feeds `buffer` (feedsBuffer), as `FILE:LINE`, or undefined. An update that lands between the
 *  failed exchange and the store is erased. */
export function fallbackStoreOf(program: KernelProgram, shape: unknown, buffer?: string): string | undefined {
  for (const stage of stagesOf(program, shape)) {
    const code = program.sources[stage.wgsl] ?? '';
    const runs = entryLines(program, stage);
    const lines = new Set([...fallbackStoreLines(code)].filter(runs));
    const p = lines.size ? parsedOrNone(code) : undefined;
    const kept = keptExchangeLines(code);
    const feeds = feedsBuffer(program, stage, buffer);
    let found: number | undefined;
    if (p) walk(p.ast, (n) => {
      const [target, value] = (n.args as AstNode[] | undefined) ?? [];
      if (isCall(n) && lines.has(n.line as number) && (n.name === 'atomicStore' || !kept.has(n.line as number)) && value && !constantIn(p, value)
        && feeds(addressRoot(target)?.name as string | undefined)) found ??= n.line as number;
    });
    if (found !== undefined) return `${program.origins[stage.wgsl] ?? stage.wgsl}:${found}`;
  }
  return undefined;
}

/** Whether a lost update of a stage's variable (by its WGSL name) can change `buffer`: the variable is bound to it, or
 *  to a scratch buffer, from which outputs are computed, or is no binding of the stage (a pointer parameter, workgroup
 *  memory). Any variable where `buffer` is not known. Trial 196 B1: a fallback store on another output, `seen`, was
 *  named as why `bins` changed. */
function feedsBuffer(program: KernelProgram, stage: StageSpec<unknown>, buffer: string | undefined): (variable: string | undefined) => boolean {
  return (variable) => {
    const bound = variable === undefined ? undefined : stage.bind[variable];
    return buffer === undefined || typeof bound !== 'string' || bound === buffer || program.spec.buffers[bound]?.role === 'scratch';
  };
}
