// The universal properties' judgements on hand-made outputs (no engine): never-written elements named as such by any
// failing property, integer outputs printed as integers, order-dependent outputs compared within the bound.
import { join } from 'node:path';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atomicStoreOf, firstRead, READ_FILL_F32, SENTINEL, SENTINEL_2, sentinelOf } from '../harness/run/program.ts';
import { loadKernels } from '../harness/run/registry.ts';
import { propertiesOf } from '../harness/run/universal.ts';
import { judge, withInterpreterHints } from '../harness/run/property-runner.ts';
import { compareVerdict } from '../properties/verdict.ts';
import type { Case, Family, KernelSpec, Property } from '../harness/spec.ts';


function setup(type: 'f32' | 'u32', orderDependent = false, covers?: string, elementwise = true) {
  const spec: KernelSpec = {
    name: 'k', wgsl: 'k.wgsl', description: '',
    buffers: { x: { role: 'input', type, length: () => 3 }, y: { role: 'output', type, length: () => 3, orderDependent } },
    stages: () => [],
  };
  const x = type === 'f32' ? Float32Array.of(1, 2, 3) : Uint32Array.of(1, 2, 3);
  const c: Case = { shape: {}, inputs: { x } };
  const always: Property = { name: 'doubles', description: '', arbitrary: fc.constant(c), runs: (v) => [v], check: (_v, [o]) => ({ pass: o!.y![2] === 6, message: `y[2] = ${o!.y![2]}`, worst: { buffer: 'y', index: 2 } }) };
  const family: Family = {
    name: 'k', cases: fc.constant(c), properties: [always],
    reference: () => ({ y: Float64Array.of(2, 4, 6) }),
    tolerance: () => ({ y: Float64Array.of(1e-6, 1e-6, 1e-6) }),
    elementwise,
    ...(covers ? { covers } : {}),
  };
  const props = Object.fromEntries(propertiesOf(spec, family).map((p) => [p.name, p]));
  return { c, props };
}

describe('universal properties', () => {
  it('a failing property on an output still holding the sentinel says "never written"', () => {
    const { c, props } = setup('f32');
    // Through the bits: a NaN passed as a JS number loses its payload.
    const y = new Float32Array(Uint32Array.of(0x40000000, 0x40800000, SENTINEL).buffer);
    for (const name of ['matches-reference', 'doubles']) {
      const v = props[name]!.check(c, [{ x: c.inputs.x!, y }]);
      expect(v.pass).toBe(false);
      expect(v.message).toMatch(/^y\[2\] was never written, or was written from memory that never was \(1 of 3 elements still hold the sentinel 0x7fbadbad, whose bits a copy keeps and whose NaN payload arithmetic keeps\)/);
    }
  });

  // A new user's correct bitonic sort of u32 keys, one of which was 0x7fbadbad, failed writes-every-output: in an
  // integer output the sentinel is a value like any other. Two runs, two sentinels: never written is what holds each.
  it('a u32 output: never written only if it holds each run\'s sentinel; one run cannot tell, and says so', () => {
    const { c, props } = setup('u32');
    const p = props['writes-every-output']!;
    expect(p.runs(c)).toEqual([c, { ...c, secondSentinel: true }, { ...c, secondSentinel: true, negativeFill: true }]);
    const check = (a: number, b: number, z = a) => p.check(c, [{ x: c.inputs.x!, y: Uint32Array.of(2, 4, a) }, { x: c.inputs.x!, y: Uint32Array.of(2, 4, b) }, { x: c.inputs.x!, y: Uint32Array.of(2, 4, z) }]);
    expect(check(SENTINEL, SENTINEL).pass).toBe(true);
    expect(check(SENTINEL, 6).pass).toBe(true);
    expect(check(6, 6).pass).toBe(true);
    // An atomicMin never cleared: the sentinels are larger than any label, the third run's zeros are not.
    const min = check(6, 6, 0);
    expect(min.pass).toBe(false);
    expect(min.message).toMatch(/^y\[2\] depends on what the outputs held before the kernel ran: 6 when they started filled with the sentinel, and 0 when they started filled with zeros;/);
    // Of 3 elements, most failures are at the last: not said there (trial 174 B2).
    expect(min.message).not.toContain("y's last element");
    // Trial 106 A2: an i32 output's second sentinel is near i32's least value (an atomicMin never cleared keeps it).
    expect(sentinelOf('i32', true)).toBe(0x8000a5a5);
    expect(sentinelOf('u32', true)).toBe(0xffa5a5a5);
    const v = check(SENTINEL, SENTINEL_2, 0);
    expect(v.pass).toBe(false);
    expect(v.message).toMatch(/^y\[2\] was never written, or was written from memory that never was \(1 of 3 elements held each run's sentinel, 0x7fbadbad then 0xffa5a5a5, whose bits a copy keeps\)/);
    // Trial 101 B1: each sentinel kept, and a value where the outputs started with zeros: an atomicMax that kept the
    // larger fill, a read of the output, not an element never written.
    const kept = check(SENTINEL, SENTINEL_2, 7);
    expect(kept.message).toMatch(/^y\[2\] depends on what the outputs held before the kernel ran: 2142952365 when they started filled with the sentinel, and 7 when they started filled with zeros;/);
    // Trial 101 A2: an atomicMax of keys ≥ 2^31 into an output never cleared keeps its key over the first sentinel and
    // zeros, and the second sentinel (top bit set) over the key.
    const max = check(0x90000000, SENTINEL_2, 0x90000000);
    expect(max.pass).toBe(false);
    expect(max.message).toMatch(/^y\[2\] depends on what the outputs held before the kernel ran: .* when they started filled with the sentinel, and .* when they started filled with the second sentinel 0xffa5a5a5;/);
    const m = props['matches-reference']!.check(c, [{ x: c.inputs.x!, y: Uint32Array.of(2, 4, SENTINEL) }]);
    expect(m.message).toMatch(/^y\[2\] holds the sentinel 0x7fbadbad \(2142952365\), as 1 of 3 elements do: never written, unless the kernel computed that value/);
  });

  // Trial 65 B1: a key 0x7fbadbad copied into y, as its reference has it, was said "never written" ahead of z[1], the
  // element that failed. An integer output's sentinel is named only where the failure is in that buffer.
  it('an integer output holding the sentinel as its reference value is not blamed for another buffer\'s failure', () => {
    const spec: KernelSpec = {
      name: 'k', wgsl: 'k.wgsl', description: '',
      buffers: { x: { role: 'input', type: 'u32', length: () => 2 }, y: { role: 'output', type: 'u32', length: () => 2 }, z: { role: 'output', type: 'u32', length: () => 2 } },
      stages: () => [],
    };
    const c: Case = { shape: {}, inputs: { x: Uint32Array.of(SENTINEL, 7) } };
    const family: Family = { name: 'k', cases: fc.constant(c), properties: [], exact: true,
      reference: () => ({ y: Float64Array.of(SENTINEL, 7), z: Float64Array.of(1, 2) }), tolerance: () => ({ y: Float64Array.of(0, 0), z: Float64Array.of(0, 0) }) };
    const p = propertiesOf(spec, family).find((q) => q.name === 'matches-reference')!;
    const v = p.check(c, [{ x: c.inputs.x!, y: Uint32Array.of(SENTINEL, 7), z: Uint32Array.of(1, 3) }]);
    expect(v.pass).toBe(false);
    expect(v.message).toMatch(/^z\[1\] = 3 but the reference is 2/);
    // In the failing buffer itself it is named, as before.
    const w = p.check(c, [{ x: c.inputs.x!, y: Uint32Array.of(SENTINEL, SENTINEL), z: Uint32Array.of(1, 2) }]);
    expect(w.message).toMatch(/^y\[1\] holds the sentinel 0x7fbadbad/);
  });

  // Trial 55's copy of bit data into an f32 output bound as array<u32> stored the word 0x7fbadbad, and was told it
  // never wrote it: the second run, whose float outputs start with +F, holds the same bits where the kernel wrote them.
  it('an f32 output holding the sentinel\'s bits in both runs was written; one holding the fill in the second was not', () => {
    const { c, props } = setup('f32');
    const p = props['writes-every-output']!;
    const word = (w: number) => new Float32Array(Uint32Array.of(0x40000000, 0x40800000, w).buffer);
    const check = (a: number, b: number) => p.check(c, [{ x: c.inputs.x!, y: word(a) }, { x: c.inputs.x!, y: word(b) }, { x: c.inputs.x!, y: word(b) }]);
    expect(check(SENTINEL, SENTINEL).pass).toBe(true);
    const fill = new Uint32Array(Float32Array.of(Math.fround(7.25602088e37)).buffer)[0]!;
    const v = check(SENTINEL, fill);
    expect(v.pass).toBe(false);
    expect(v.message).toMatch(/^y\[2\] was never written, or was written from memory that never was \(1 of 3 elements still hold the sentinel 0x7fbadbad/);
  });

  // A trial's y[i] = max(y[i], blur) passed every property on Dawn, Deno and Firefox: max() passes over the NaN
  // sentinel. A float output's second run starts with finite numbers; a written element must come out the same.
  it('a float output whose value depends on what it held before the run fails, naming both runs', () => {
    for (const orderDependent of [false, true]) {
      const { c, props } = setup('f32', orderDependent);
      const p = props['writes-every-output']!;
      expect(p.runs(c)).toEqual([c, { ...c, secondSentinel: true }, { ...c, secondSentinel: true, negativeFill: true }]);
      const f32 = (...w: number[]) => new Float32Array(Uint32Array.from(w).buffer);
      const six = 0x40c00000;
      const check = (b: number, z = six) => p.check(c, [{ x: c.inputs.x!, y: Float32Array.of(2, 4, 6) }, { x: c.inputs.x!, y: f32(0x40000000, 0x40800000, b) }, { x: c.inputs.x!, y: f32(0x40000000, 0x40800000, z) }]);
      expect(check(six).pass).toBe(true);
      // The fill kept (y = max(y, v) on +F in the second run; y = min(y, v) on −F in the third): the kernel read it,
      // order-dependent or not.
      for (const [b, z, sign] of [[READ_FILL_F32, six, '\\+'], [six, (READ_FILL_F32 | 0x80000000) >>> 0, '−']] as const) {
        const v = check(b, z);
        expect(v.pass).toBe(false);
        expect(v.message).toMatch(new RegExp(`^y\\[2\\] depends on what the outputs held before the kernel ran: 6 when they started filled with the NaN sentinel, and -?7\\.25\\d*e\\+?37 \\(the fill itself\\) when they started filled with ${sign}7\\.25\\d*e\\+?37; .* give it role 'inout'`));
      }
      // Another value: the kernel read the output, unless its order-dependent output may differ run to run.
      const other = check(0x40c00001);
      expect(other.pass).toBe(orderDependent);
      if (!orderDependent) expect(other.message).toMatch(/^y\[2\] depends on what the outputs held before the kernel ran: 6 .* and 6\.0000\d+ when .*\(no statement reads y itself: two invocations racing on y/);
      // Trial 113 A1: past twice the tolerance, order-dependent or not (an atomicMin that kept the third run's zeros).
      for (const [b, z] of [[0x40e00000, six], [six, 0]] as const) expect(check(b, z).pass, `${b} ${z}`).toBe(false);
    }
    // Trial 154 A1: arithmetic's NaN in every run, its sign differing (Inf − Inf on the interpreter): no read of the
    // outputs; NaN in one run and a number in another still is.
    const { c, props } = setup('f32', false);
    const f32 = (...w: number[]) => new Float32Array(Uint32Array.from(w).buffer);
    const nan = (b: number, z: number) => props['writes-every-output']!.check(c, [{ x: c.inputs.x!, y: f32(0x40000000, 0x40800000, 0x7fc00000) }, { x: c.inputs.x!, y: f32(0x40000000, 0x40800000, b) }, { x: c.inputs.x!, y: f32(0x40000000, 0x40800000, z) }]);
    expect(nan(0xffc00000, 0x7fc00001).pass).toBe(true);
    expect(nan(0xffc00000, 0x40c00000).pass).toBe(false);
  });

  // A new user's mlp with a swapped matmul failed with "probs[8] = NaN": a stage had left most of the scratch buffer
  // between stages unwritten, and the next stage read the sentinel.
  it('a failure beside a scratch buffer that still holds the sentinel names it', () => {
    const spec: KernelSpec = {
      name: 'k', wgsl: 'k.wgsl', description: '',
      buffers: { x: { role: 'input', type: 'f32', length: () => 2 }, h: { role: 'scratch', type: 'f32', length: () => 4 }, y: { role: 'output', type: 'f32', length: () => 2 } },
      stages: () => [
        { wgsl: 'a.wgsl', bind: { x: 'x', h: 'h' }, workgroups: () => [1, 1, 1] },
        { wgsl: 'b.wgsl', bind: { h: 'h', y: 'y' }, workgroups: () => [1, 1, 1] },
      ],
    };
    const c: Case = { shape: {}, inputs: { x: Float32Array.of(1, 2) } };
    const family: Family = { name: 'k', cases: fc.constant(c), properties: [], reference: () => ({ y: Float64Array.of(1, 2) }), tolerance: () => ({ y: Float64Array.of(0, 0) }) };
    const check = (s: KernelSpec) => Object.fromEntries(propertiesOf(s, family).map((p) => [p.name, p]))['matches-reference']!
      .check(c, [{ x: c.inputs.x!, h: new Float32Array(Uint32Array.of(0, 0, SENTINEL, SENTINEL).buffer), y: Float32Array.of(1, NaN) }]);
    expect(check(spec).message).toMatch(/; the scratch buffer h still holds the sentinel in 2 of its 4 elements, first h\[2\]: no stage wrote them/);
    // A case whose one stage binds no h (a trial's FFT of two points): nothing read h, so it is no cause of the NaN.
    const oneStage = { ...spec, stages: () => [{ wgsl: 'c.wgsl', bind: { x: 'x', y: 'y' }, workgroups: () => [1, 1, 1] as [number, number, number] }] };
    expect(check(oneStage).message).not.toMatch(/scratch buffer h/);
    // An in-place kernel (its result `inout`, no output): named too (trial 45's heat ping-pong was not).
    const inPlace: KernelSpec = { ...spec, buffers: { x: { role: 'inout', type: 'f32', length: () => 2 }, h: spec.buffers.h! } };
    const inPlaceFamily: Family = { ...family, reference: () => ({ x: Float64Array.of(1, 2) }), tolerance: () => ({ x: Float64Array.of(0, 0) }) };
    const v = Object.fromEntries(propertiesOf(inPlace, inPlaceFamily).map((p) => [p.name, p]))['matches-reference']!
      .check(c, [{ x: Float32Array.of(1, NaN), h: new Float32Array(Uint32Array.of(0, 0, SENTINEL, SENTINEL).buffer) }]);
    expect(v.message).toMatch(/^x\[1\] = NaN .*; the scratch buffer h still holds the sentinel in 2 of its 4 elements, first h\[2\]/);
  });

  // Trial 77 B2: a split-K's second pass summed partials[1], which the first pass never wrote (it returned early for
  // an empty chunk); writes-every-output named C[0] alone, and never the scratch element it came from.
  it('an output never written, beside a scratch buffer that still holds the sentinel, names the scratch too', () => {
    const spec: KernelSpec = {
      name: 'k', wgsl: 'k.wgsl', description: '',
      buffers: { x: { role: 'input', type: 'f32', length: () => 1 }, partials: { role: 'scratch', type: 'f32', length: () => 2 }, y: { role: 'output', type: 'f32', length: () => 1 } },
      stages: () => [
        { wgsl: 'a.wgsl', bind: { x: 'x', partials: 'partials' }, workgroups: () => [1, 1, 1] },
        { wgsl: 'b.wgsl', bind: { partials: 'partials', y: 'y' }, workgroups: () => [1, 1, 1] },
      ],
    };
    const c: Case = { shape: {}, inputs: { x: Float32Array.of(1) } };
    const family: Family = { name: 'k', cases: fc.constant(c), properties: [], reference: () => ({ y: Float64Array.of(1) }), tolerance: () => ({ y: Float64Array.of(0) }) };
    const props = Object.fromEntries(propertiesOf(spec, family).map((p) => [p.name, p]));
    const f32 = (...w: number[]) => new Float32Array(Uint32Array.from(w).buffer);
    const run = (partial: number, y: number) => ({ x: c.inputs.x!, partials: f32(0x3f800000, partial), y: f32(y) });
    const lead = /^y\[0\] was never written, or was written from memory that never was \(.*\); the scratch buffer partials still holds the sentinel in 1 of its 2 elements, first partials\[1\]: no stage wrote them, or one wrote them from memory that never was \(a race, or a read of unwritten memory\), so an output computed from one holds the sentinel too$/;
    const every = props['writes-every-output']!.check(c, [run(SENTINEL, SENTINEL), run(SENTINEL, SENTINEL_2), run(SENTINEL, SENTINEL_2)]);
    expect(every.message).toMatch(lead);
    expect(props['matches-reference']!.check(c, [run(SENTINEL, SENTINEL)]).message).toMatch(/^y\[0\] was never written, .*; the scratch buffer partials still holds the sentinel in 1 of its 2 elements, first partials\[1\]: no stage wrote them, .*, so an output computed from one/);
    // Every partial written: the output alone is named.
    const alone = props['writes-every-output']!.check(c, [run(0x3f800000, SENTINEL), run(0x3f800000, SENTINEL_2), run(0x3f800000, SENTINEL_2)]);
    expect(alone.message).toMatch(/^y\[0\] was never written, or was written from memory that never was \([^;]*\)$/);
  });

  // Trial 93 B2: a reference that returned the scratch buffer too was asked a bound for it, then judged it.
  it('a reference that returns a scratch buffer is the library\'s error, naming it as scratch', () => {
    const spec: KernelSpec = {
      name: 'k', wgsl: 'k.wgsl', description: '',
      buffers: { x: { role: 'input', type: 'f32', length: () => 1 }, t: { role: 'scratch', type: 'f32', length: () => 1 }, y: { role: 'output', type: 'f32', length: () => 1 } },
      stages: () => [],
    };
    const c: Case = { shape: {}, inputs: { x: Float32Array.of(1) } };
    const family: Family = { name: 'k', cases: fc.constant(c), properties: [], reference: () => ({ y: Float64Array.of(1), t: Float64Array.of(1) }), tolerance: () => ({ y: Float64Array.of(0) }) };
    const p = Object.fromEntries(propertiesOf(spec, family).map((x) => [x.name, x]))['matches-reference']!;
    expect(() => p.check(c, [{ x: c.inputs.x!, t: Float32Array.of(1), y: Float32Array.of(1) }])).toThrow(/reference\(\) returned 't', a scratch buffer of kernel k, which matches-reference does not judge/);
  });

  // A trial's key-value sort returned its keys alone from reference(): the values went unchecked, and nothing said so.
  it('an output the reference leaves out is named in a note, never passed in silence', () => {
    const spec: KernelSpec = {
      name: 'k', wgsl: 'k.wgsl', description: '',
      buffers: { x: { role: 'input', type: 'u32', length: () => 2 }, keys: { role: 'output', type: 'u32', length: () => 2 }, vals: { role: 'output', type: 'u32', length: () => 2 } },
      stages: () => [],
    };
    const c: Case = { shape: {}, inputs: { x: Uint32Array.of(2, 1) } };
    const family: Family = { name: 'k', cases: fc.constant(c), properties: [], exact: true, reference: () => ({ keys: Float64Array.of(1, 2) }), tolerance: () => ({}) };
    const props = Object.fromEntries(propertiesOf(spec, family).map((p) => [p.name, p]));
    const v = props['matches-reference']!.check(c, [{ x: c.inputs.x!, keys: Uint32Array.of(1, 2), vals: Uint32Array.of(9, 9) }]);
    expect(v).toMatchObject({ pass: true, notes: { notJudged: 'vals: not returned by reference(), so not compared' } });
  });

  // A trial's compaction count set exact: true beside a tolerance() of 0.5, and read "allowed 0" as its bound misapplied.
  it('an exact family whose tolerance() allows more says that exact: true overrides it', () => {
    const spec: KernelSpec = {
      name: 'k', wgsl: 'k.wgsl', description: '',
      buffers: { x: { role: 'input', type: 'u32', length: () => 2 }, count: { role: 'output', type: 'f32', length: () => 1 } },
      stages: () => [],
    };
    const c: Case = { shape: {}, inputs: { x: Uint32Array.of(2, 1) } };
    const family = (tol: number): Family => ({ name: 'k', cases: fc.constant(c), properties: [], exact: true, reference: () => ({ count: Float64Array.of(0.5) }), tolerance: () => ({ count: Float64Array.of(tol) }) });
    const check = (tol: number) => Object.fromEntries(propertiesOf(spec, family(tol)).map((p) => [p.name, p]))['matches-reference']!.check(c, [{ x: c.inputs.x!, count: Float32Array.of(0) }]);
    expect(check(0.5).message).toMatch(/^count\[0\] = 0 but the reference is 0\.5 \(error 0\.5, allowed 0: the result must be exact\) \(the family is exact: true, so its tolerance\(\), which allows more, is not used: the family 'k'\)/);
    // A tolerance of zeros (or none) is what exact means: nothing to say.
    expect(check(0).message).not.toMatch(/exact: true/);
  });

  it('a u32 output is printed as integers', () => {
    const { c, props } = setup('u32');
    const v = props['matches-reference']!.check(c, [{ x: c.inputs.x!, y: Uint32Array.of(2, 5, 6) }]);
    expect(v.message).toBe('y[1] = 5 but the reference is 4 (error 1, allowed 1e-6: 1e6 × the bound); its input x[1] = 2');
  });

  // A new user's blur (an image of h × w pixels of 4 channels) failed at "dst[252]": a flat index into an image.
  it('an output with a logical shape names the failing element\'s coordinates', () => {
    const spec: KernelSpec = {
      name: 'k', wgsl: 'k.wgsl', description: '',
      buffers: { y: { role: 'output', type: 'f32', length: () => 24, dims: () => [2, 3, 4] } },
      stages: () => [],
    };
    const c: Case = { shape: {}, inputs: {} };
    const family: Family = { name: 'k', cases: fc.constant(c), properties: [], reference: () => ({ y: new Float64Array(24) }), tolerance: () => ({ y: new Float64Array(24).fill(1e-6) }) };
    const props = Object.fromEntries(propertiesOf(spec, family).map((p) => [p.name, p]));
    const y = new Float32Array(24);
    y[17] = 1;
    expect(props['matches-reference']!.check(c, [{ y }]).message).toMatch(/^y\[17\] \(at 1, 1, 1 of 2 × 3 × 4\) = 1 but the reference is 0/);
    const unwritten = new Float32Array(24);
    new Uint32Array(unwritten.buffer)[13] = SENTINEL;
    expect(props['writes-every-output']!.check(c, [{ y: unwritten }]).message).toMatch(/^y\[13\] \(at 1, 0, 1 of 2 × 3 × 4\) was never written/);
  });

  // A new user's bitonic sort failed with "y[7] = -0.998 ...; its input x[7] = 0.981": for a sort (or a convolution,
  // a softmax row) the same index is not the element's input, so only an element-wise family quotes it.
  // Trial 40 (B5): quoting nothing left a shrunk case's reader to replay it to see its row; a small case's inputs are
  // quoted whole instead, a large one's not at all (the fixture holds them).
  it('a family that is not element-wise quotes no input at the failing index, but a small case\'s inputs whole', () => {
    const { c, props } = setup('u32', false, undefined, false);
    const v = props['matches-reference']!.check(c, [{ x: c.inputs.x!, y: Uint32Array.of(2, 5, 6) }]);
    expect(v.message).toBe("y[1] = 5 but the reference is 4 (error 1, allowed 1e-6: 1e6 × the bound); the case's input x = [1, 2, 3]");
    // Packed words in hexadecimal beside their value (trial 159's int8 quads).
    const packed: Case = { shape: {}, inputs: { x: Uint32Array.of(1, 2650827052, 3) } };
    expect(props['matches-reference']!.check(packed, [{ x: packed.inputs.x!, y: Uint32Array.of(2, 5, 6) }]).message).toMatch(/; the case's input x = \[1 \(0x1\), 2650827052 \(0x9e00692c\), 3 \(0x3\)\]$/);
    const big: Case = { shape: {}, inputs: { x: new Uint32Array(9).fill(2) } };
    const w = props['matches-reference']!.check(big, [{ x: big.inputs.x!, y: Uint32Array.of(2, 5, 6) }]);
    expect(w.message).toBe('y[1] = 5 but the reference is 4 (error 1, allowed 1e-6: 1e6 × the bound)');
  });

  // A trial's leaky_relu returned x for a flushed negative subnormal x (x >= 0.0 held): the input's note says why.
  it('a subnormal input is said to be one WGSL may read as ±0', () => {
    const { props } = setup('f32');
    const c: Case = { shape: {}, inputs: { x: Float32Array.of(1, -5.79e-39, 3) } };
    const v = props['matches-reference']!.check(c, [{ x: c.inputs.x!, y: Float32Array.of(2, -5.79e-39, 6) }]);
    expect(v.message).toMatch(/; its input x\[1\] = -5\.7\d+e-39 \(subnormal: WGSL allows reading it as ±0\)$/);
  });

  it("a matches-reference failure names the forms the family's bound was derived for, when it says", () => {
    const { c, props } = setup('u32', false, 'x + x, not 2 x');
    const v = props['matches-reference']!.check(c, [{ x: c.inputs.x!, y: Uint32Array.of(2, 5, 6) }]);
    expect(v.message).toBe("y[1] = 5 but the reference is 4 (error 1, allowed 1e-6: 1e6 × the bound); its input x[1] = 2 (the bound is derived for x + x, not 2 x: the family 'k'. A kernel that computes it one of those ways and fails it has a bug; one that computes it another way may need a bound of its own)");
  });

  // A new user saw layernorm pass with "first y[0] = -0 (reference -0.028)" among its unbounded elements and took it for
  // a missed bug: the note now says where and why the family's rule is unbounded, and what judges those elements.
  it('a pass with every element unbounded is marked unjudged; one with a finite bound anywhere is not', () => {
    const { c, props } = setup('f32');
    const y = Float32Array.of(9, 9, 9);
    const withTolerance = (t: number[]) => propertiesOf(
      { name: 'k', wgsl: 'k.wgsl', description: '', buffers: { x: { role: 'input', type: 'f32', length: () => 3 }, y: { role: 'output', type: 'f32', length: () => 3 } }, stages: () => [] },
      { name: 'k', cases: fc.constant(c), properties: [], reference: () => ({ y: Float64Array.of(2, 4, 6) }), tolerance: () => ({ y: Float64Array.from(t) }) },
    ).find((p) => p.name === 'matches-reference')!;
    expect(withTolerance([Infinity, Infinity, Infinity]).check(c, [{ x: c.inputs.x!, y }])).toMatchObject({ pass: true, unjudged: true });
    expect(withTolerance([Infinity, Infinity, 3]).check(c, [{ x: c.inputs.x!, y }])).toMatchObject({ pass: true });
    expect(withTolerance([Infinity, Infinity, 3]).check(c, [{ x: c.inputs.x!, y }]).unjudged).toBeUndefined();
    expect(props['matches-reference']!.check(c, [{ x: c.inputs.x!, y: Float32Array.of(2, 4, 6) }]).unjudged).toBeUndefined();
  });

  it("the count of unbounded elements says where the family's rule is unbounded, when it says", () => {
    const { c } = setup('f32');
    const spec: KernelSpec = {
      name: 'k', wgsl: 'k.wgsl', description: '',
      buffers: { x: { role: 'input', type: 'f32', length: () => 3 }, y: { role: 'output', type: 'f32', length: () => 3 } },
      stages: () => [],
    };
    const family: Family = {
      name: 'k', cases: fc.constant(c), properties: [],
      reference: () => ({ y: Float64Array.of(2, 4, 6) }),
      tolerance: () => ({ y: Float64Array.of(1e-6, Infinity, 1e-6) }),
      unboundedWhere: 'where x² overflows; in-range judges them',
    };
    const check = (f: Family) => propertiesOf(spec, f).find((p) => p.name === 'matches-reference')!.check(c, [{ x: c.inputs.x!, y: Float32Array.of(2, 0, 6) }]);
    expect(check(family).notes!['unbounded y']).toBe(
      "1 of the case's 3 elements had no finite bound (the spec's tolerance is Infinity there: where x² overflows; in-range judges them), first y[1] = 0 (reference 4)");
    // Trial 194 C1: one sentence per output, by name; an output the record leaves out gets the generic one.
    expect(check({ ...family, unboundedWhere: { y: 'where x² overflows' } }).notes!['unbounded y']).toMatch(/Infinity there: where x² overflows\)/);
    expect(check({ ...family, unboundedWhere: { z: 'elsewhere' } }).notes!['unbounded y']).toMatch(/as where WGSL allows any value; the family's unboundedWhere can say why\)/);
    const { unboundedWhere: _, ...generic } = family;
    expect(check(generic).notes!['unbounded y']).toBe("1 of the case's 3 elements had no finite bound (the spec's tolerance is Infinity there, as where WGSL allows any value; the family's unboundedWhere can say why), first y[1] = 0 (reference 4)");
  });

  it('deterministic: bit-exact by default, within twice the tolerance for an order-dependent output, and says so', () => {
    const a = { y: Float32Array.of(2, 4, 6) };
    const b = { y: Float32Array.of(2, 4, Math.fround(6 + 4.7e-7)) };
    const exact = setup('f32');
    expect(exact.props.deterministic!.check(exact.c, [{ ...a, x: exact.c.inputs.x! }, { ...b, x: exact.c.inputs.x! }]).pass).toBe(false);
    const loose = setup('f32', true);
    const v = loose.props.deterministic!.check(loose.c, [{ ...a, x: loose.c.inputs.x! }, { ...b, x: loose.c.inputs.x! }]);
    expect(v.pass).toBe(true);
    expect(v.notes?.['y checked']).toMatch(/within twice its tolerance/);
    expect(loose.props.deterministic!.check(loose.c, [{ ...a, x: loose.c.inputs.x! }, { y: Float32Array.of(2, 4, 6.01), x: loose.c.inputs.x! }]).pass).toBe(false);
  });
});

// A --wgsl user's compare-and-swap float add (WGSL has no float atomics) has no spec to declare its output
// order-dependent in: the WGSL says it, and deterministic holds the output to twice its tolerance, not to its bits,
// which a GPU whose schedule varies would change (trial kernels' reduce_sum; test/alt-implementations).
describe('deterministic on float atomics found in the WGSL', () => {
  const cas = (value: string) => `var<workgroup> t: atomic<u32>;
fn add(v: f32) {
  var seen = atomicLoad(&t);
  loop {
    let r = atomicCompareExchangeWeak(&t, seen, ${value});
    if (r.exchanged) { break; }
    seen = r.old_value;
  }
}`;
  const spec: KernelSpec = {
    name: 'k', wgsl: 'k.wgsl', description: '',
    buffers: { x: { role: 'input', type: 'f32', length: () => 3 }, y: { role: 'output', type: 'f32', length: () => 3 }, n: { role: 'output', type: 'u32', length: () => 1 } },
    stages: () => [],
  };
  const c: Case = { shape: {}, inputs: { x: Float32Array.of(1, 2, 3) } };
  const family: Family = {
    name: 'k', cases: fc.constant(c), properties: [],
    reference: () => ({ y: Float64Array.of(2, 4, 6), n: Float64Array.of(3) }),
    tolerance: () => ({ y: Float64Array.of(1e-6, 1e-6, 1e-6), n: Float64Array.of(0) }),
  };
  const deterministicOf = (code: string) => propertiesOf(spec, family, { spec, sources: { 'k.wgsl': code }, origins: { 'k.wgsl': 'lib/k.wgsl' } }).find((p) => p.name === 'deterministic')!;
  const a = { y: Float32Array.of(2, 4, 6), n: Uint32Array.of(3) };
  const ulpOff = { y: Float32Array.of(2, 4, Math.fround(6 + 2 ** -21)), n: Uint32Array.of(3) };

  it('a CAS loop on f32 bits: float outputs within twice their tolerance, said with its line; integer outputs bit for bit', () => {
    const p = deterministicOf(cas('bitcast<u32>(bitcast<f32>(seen) + v)'));
    const v = p.check(c, [a, ulpOff]);
    expect(v.pass).toBe(true);
    expect(v.notes?.['y checked']).toBe('within twice its tolerance (order-dependent: float atomics at lib/k.wgsl:5, whose updates land in an unspecified order), not bit for bit');
    expect(p.check(c, [a, { ...ulpOff, n: Uint32Array.of(4) }]).pass).toBe(false);
    expect(p.check(c, [a, { ...a, y: Float32Array.of(2, 4, 7) }]).message).toMatch(/^y is order-dependent: float atomics at lib\/k\.wgsl:5, whose updates land in an unspecified order, but its two runs differ by more than twice its tolerance: y\[2\] on the second run = 7 but the first run's is 6 \(error 1/);
  });

  // Trial 118 A2: a float add by two exchanges (take the word's sum out, add one's own, put it back).
  it('a float add by two atomicExchanges is float atomics too', () => {
    const xchg = `var<workgroup> t: atomic<u32>;
fn add(v: f32) {
  var mine = v;
  loop {
    let theirs = bitcast<f32>(atomicExchange(&t, 0u));
    mine = bitcast<f32>(atomicExchange(&t, bitcast<u32>(theirs + mine)));
    if (mine == 0.0) { break; }
  }
}`;
    expect(deterministicOf(xchg).check(c, [a, ulpOff]).notes?.['y checked']).toMatch(/float atomics at lib\/k\.wgsl:5,/);
  });

  // Trial 165 B1: a lock's compare-exchange of literals around float updates was named "float atomics".
  it('a lock made of atomics around float updates is named as the lock', () => {
    const locked = `var<workgroup> t: atomic<u32>;
var<workgroup> lock: atomic<u32>;
fn add(v: f32) {
  loop { if (atomicCompareExchangeWeak(&lock, 0u, 1u).exchanged) { break; } }
  atomicStore(&t, bitcast<u32>(bitcast<f32>(atomicLoad(&t)) + v));
  atomicStore(&lock, 0u);
}
@compute @workgroup_size(1) fn main() { add(1.0); }`;
    expect(deterministicOf(locked).check(c, [a, ulpOff]).notes?.['y checked']).toBe('within twice its tolerance (order-dependent: a lock taken at lib/k.wgsl:4 around float updates, which its holders take in an unspecified order), not bit for bit');
  });

  // Trial 174 A1: CUDA's half2 atomicAdd in WGSL unpacks and packs the pair, with no bitcast.
  it('a CAS loop on a pair unpacked with unpack2x16float is float atomics too', () => {
    const packed = cas('pack2x16float(unpack2x16float(seen) + vec2<f32>(v, 0.0))');
    expect(deterministicOf(packed).check(c, [a, ulpOff]).notes?.['y checked']).toMatch(/float atomics at lib\/k\.wgsl:5,/);
  });

  // Trial 172 B3: a one-shot claim (one writer per row) beside a bitcast<f32> moves no float: bit for bit.
  it('a claim that nothing releases is no float atomic and no lock', () => {
    const claim = `var<workgroup> claimed: atomic<u32>;
var<workgroup> bits: atomic<u32>;
@compute @workgroup_size(1) fn main() {
  atomicStore(&claimed, 0u);
  if (atomicCompareExchangeWeak(&claimed, 0u, 1u).exchanged) { let m = bitcast<f32>(atomicLoad(&bits)); }
}`;
    expect(deterministicOf(claim).check(c, [a, ulpOff]).pass).toBe(false);
  });

  // Trial 181 B2: a claim released by a helper, around a float that is only stored (a bitcast of a constant), was
  // called "a lock around float updates"; one around `out[b] += v` is one.
  it('a lock orders floats only where they are accumulated under it', () => {
    const lock = (body: string) => `@group(0) @binding(0) var<storage, read_write> claimed: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
fn release(p: ptr<storage, atomic<u32>, read_write>) { atomicStore(p, 0u); }
@compute @workgroup_size(1) fn main() {
  if (atomicCompareExchangeWeak(&claimed[0], 0u, 1u).exchanged) {
    ${body}
    release(&claimed[0]);
  }
}`;
    expect(deterministicOf(lock('out[0] = bitcast<f32>(0x3f800000u) + 0.5;')).check(c, [a, ulpOff]).pass).toBe(false);
    // A module const's value is a node with no place of its own: read without throwing (trial 181's claimonce).
    expect(deterministicOf(`const ONE: u32 = 0x3f800000u;\n${lock('out[0] = bitcast<f32>(ONE) + 0.5;')}`).check(c, [a, ulpOff]).pass).toBe(false);
    expect(deterministicOf(lock('out[0] += 0.5;')).check(c, [a, ulpOff]).notes?.['y checked']).toMatch(/a lock taken at lib\/k\.wgsl:5 around float updates/);
    expect(deterministicOf(lock('out[0] = out[0] * 0.5;')).check(c, [a, ulpOff]).pass).toBe(true);
    // Trial 182 B4: what the lock guards, not the whole file: a float sum outside it, an integer count under it.
    const outside = lock('atomicAdd(&claimed[1], 1u);').replace('@compute @workgroup_size(1) fn main() {', '@compute @workgroup_size(1) fn main() {\n  out[1] += 1.0;');
    expect(deterministicOf(outside).check(c, [a, ulpOff]).pass).toBe(false);
    const viaHelper = lock('bump(0u);').replace('@compute', 'fn bump(i: u32) { out[i] += 0.5; }\n@compute');
    expect(deterministicOf(viaHelper).check(c, [a, ulpOff]).pass).toBe(true);
  });

  // A trial named two forms the first detector missed: packed f16 pairs in one u32, and an alias of f32.
  it('a CAS loop on packed f16 pairs, or through an alias of f32, is float atomics too', () => {
    for (const code of [cas('bitcast<u32>(bitcast<vec2<f16>>(seen) + vec2<f16>(v))'), `alias Real = f32;\n${cas('bitcast<u32>(bitcast<Real>(seen) + v)')}`]) {
      expect(deterministicOf(code).check(c, [a, ulpOff]).pass, code).toBe(true);
    }
  });

  // Trial 99 A1: a correct SPH density summed its neighbours in the order a counting sort's atomicAdd slots gave them,
  // and failed deterministic by 1 to 4 ULP. The old value an atomic returns hands out such an order; a dropped one
  // does not.
  it('an atomic whose old value is kept (a slot, a link) makes float outputs order-dependent; one whose result is dropped does not', () => {
    const slots = `@group(0) @binding(0) var<storage, read_write> off: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> sorted: array<u32>;
fn scatter(i: u32, c: u32) {
  let slot = atomicAdd(&off[c], 1u);
  sorted[slot] = i;
}`;
    const v = deterministicOf(slots).check(c, [a, ulpOff]);
    expect(v.pass).toBe(true);
    expect(v.notes?.['y checked']).toBe('within twice its tolerance (order-dependent: atomic slots at lib/k.wgsl:4 (the old value an atomic returns), handed out in an unspecified order, so a float sum taken in their order rounds differently), not bit for bit');
    expect(deterministicOf(slots.replace('let slot = atomicAdd(&off[c], 1u);\n  sorted[slot] = i;', 'sorted[atomicExchange(&off[c], i)] = i;')).check(c, [a, ulpOff]).pass).toBe(true);
    // Trial 106 A3: a list pushed by compare-exchange, summed in list order.
    expect(deterministicOf(slots.replace('let slot = atomicAdd(&off[c], 1u);\n  sorted[slot] = i;', 'let r = atomicCompareExchangeWeak(&off[c], 0u, i);\n  sorted[i] = r.old_value;')).check(c, [a, ulpOff]).pass).toBe(true);
    // Trial 113 A2: slots from a compare-exchange bump, the expected value kept once the exchange succeeds.
    const bump = 'var old = atomicLoad(&off[c]);\n  var slot = 0u;\n  loop { let r = atomicCompareExchangeWeak(&off[c], old, old + 1u); if (r.exchanged) { slot = old; break; } old = r.old_value; }\n  sorted[slot] = i;';
    expect(deterministicOf(slots.replace('let slot = atomicAdd(&off[c], 1u);\n  sorted[slot] = i;', bump)).check(c, [a, ulpOff]).pass).toBe(true);
    // ... in a helper that returns it.
    const helper = `fn take(c: u32) -> u32 {\n  var old = atomicLoad(&off[c]);\n  loop { let r = atomicCompareExchangeWeak(&off[c], old, old + 1u); if (r.exchanged) { return old; } old = r.old_value; }\n}\n${slots.replace('let slot = atomicAdd(&off[c], 1u);', 'let slot = take(c);')}`;
    expect(deterministicOf(helper).check(c, [a, ulpOff]).notes?.['y checked']).toMatch(/atomic slots at lib\/k\.wgsl:3 /);
    // Trial 118 A1: through a helper's parameter, and out through a pointer argument.
    for (const [helper, call] of [['fn put(k: u32, i: u32) { sorted[k] = i; }', 'put(atomicAdd(&off[c], 1u), i);'],
      ['fn take(p: ptr<function, u32>, c: u32) { *p = atomicAdd(&off[c], 1u); }', 'var s = 0u;\n  take(&s, c);\n  sorted[s] = i;']] as const) {
      const code = `${slots.replace('let slot = atomicAdd(&off[c], 1u);\n  sorted[slot] = i;', call)}\n${helper}`;
      expect(deterministicOf(code).check(c, [a, ulpOff]).notes?.['y checked'], call).toMatch(/atomic slots at lib\/k\.wgsl:\d+ /);
    }
    // Trial 125 A2: a hash set's linear probe hands out the slot where the exchange landed, by control: a store under a
    // test of the result in the loop, or after a loop that such a test leaves, indexed by what the loop steps.
    const probe = 'var k = c;\n  loop { let r = atomicCompareExchangeWeak(&off[k], 0u, i); if (r.exchanged) { STORE break; } k = k + 1u; }\n  AFTER';
    for (const [inside, after] of [['sorted[k] = i; ', ''], ['', 'sorted[k] = i;']] as const) {
      const code = slots.replace('let slot = atomicAdd(&off[c], 1u);\n  sorted[slot] = i;', probe.replace('STORE ', inside).replace('AFTER', after));
      expect(deterministicOf(code).check(c, [a, ulpOff]).notes?.['y checked'], code).toMatch(/atomic slots at lib\/k\.wgsl:5 /);
    }
    // ... and through a helper that returns it (trial 128 A1).
    const helped = `fn slot_of(c: u32, i: u32) -> u32 {\n  var k = c;\n  loop { let r = atomicCompareExchangeWeak(&off[k], 0u, i); if (r.exchanged) { break; } k = k + 1u; }\n  return k;\n}\n${slots.replace('atomicAdd(&off[c], 1u)', 'slot_of(c, i)')}`;
    expect(deterministicOf(helped).check(c, [a, ulpOff]).notes?.['y checked']).toMatch(/atomic slots at lib\/k\.wgsl:3 /);
    // A retry that counts its tries and stores none of what its loop steps hands out nothing.
    const tries = 'var n = 0u;\n  loop { let r = atomicCompareExchangeWeak(&off[c], 0u, i); if (r.exchanged) { break; } n = n + 1u; }\n  sorted[i] = i;';
    expect(deterministicOf(slots.replace('let slot = atomicAdd(&off[c], 1u);\n  sorted[slot] = i;', tries)).check(c, [a, ulpOff]).pass).toBe(false);
    // Trial 113 A1: a result kept but never used, or only compared, hands out nothing.
    for (const dropped of ['atomicAdd(&off[c], 1u);', 'if (i > 0u) { atomicAdd(&off[c], 1u); }', '_ = atomicAdd(&off[c], 1u);', 'let t = atomicAdd(&off[c], 0u);',
      'let prev = atomicAdd(&off[c], 1u);\n  if (prev == 3u) { sorted[0] = i; }']) {
      const code = slots.replace('let slot = atomicAdd(&off[c], 1u);\n  sorted[slot] = i;', dropped);
      expect(deterministicOf(code).check(c, [a, ulpOff]).pass, dropped).toBe(false);
    }
  });

  it('a CAS loop on integers (an atomicMax emulation), or the words in a comment: the same bits', () => {
    for (const code of [cas('max(seen, bitcast<u32>(v))'), `// atomicCompareExchangeWeak(&t, a, bitcast<f32>(b))\n${cas('seen + 1u')}`]) {
      const v = deterministicOf(code).check(c, [a, ulpOff]);
      expect(v.pass, code).toBe(false);
      expect(v.message).toMatch(/^y\[2\] was 6 on the first run and 6.00000048 on the second/);
    }
  });
});

// A trial read "changed from 0.3464924395084381 to 0.469357430934906" beside 9-digit values everywhere else.
describe('two runs or an input that differ print as the other messages do', () => {
  it('9 significant digits, and the bits where the values print alike', () => {
    const spec = { name: 'k', wgsl: 'k.wgsl', description: '', buffers: { x: { role: 'input' as const, type: 'f32' as const, length: () => 2 }, y: { role: 'output' as const, type: 'f32' as const, length: () => 2 } }, stages: () => [] };
    const family = { name: 'k', cases: fc.constant({ shape: {}, inputs: { x: Float32Array.of(0.34649244, 1) } }), reference: () => ({}), tolerance: () => ({}), properties: [] };
    const p = propertiesOf(spec, family as never).find((q) => q.name === 'inputs-unchanged')!;
    const c = { shape: {}, inputs: { x: Float32Array.of(0.34649244, 1) } };
    expect(p.check(c, [{ x: Float32Array.of(0.469357431, 1), y: new Float32Array(2) }]).message).toBe('input x[0] changed from 0.34649244 to 0.469357431');
    const nan = new Float32Array(new Uint32Array([0x7fc00001, 0x3f800000]).buffer);
    expect(p.check(c, [{ x: Float32Array.of(0.34649244, 1), y: new Float32Array(2) }]).pass).toBe(true);
    const cn = { shape: {}, inputs: { x: new Float32Array(new Uint32Array([0x7fc00000, 0x3f800000]).buffer) } };
    expect(p.check(cn, [{ x: nan, y: new Float32Array(2) }]).message).toBe('input x[0] changed from NaN (0x7fc00000) to NaN (0x7fc00001)');
  });
});

// A trial's sum cleared its output with atomicStore(&out[0], 0u) in a stage of its own and lost updates after: the
// clear was named "the first statement that reads it". A pointer atomicStore writes through, or arrayLength counts,
// is not a read; an atomicAdd's is.
it("the statement named as reading an output is not an atomicStore's or arrayLength's", async () => {
  const k = (await loadKernels(undefined, ['histogram'])).get('histogram')!;
  // And what wrote it before (trial 160 B2): the read may be of what the kernel wrote, not of the starting contents.
  expect(firstRead(k.program, { n: 100, bins: 16 }, 'counts')).toEqual({ written: true, earlier: true, clause: ' (the first statement that reads counts, at any element: kernels/histogram.wgsl:40: atomicAdd(&counts[lo + l], c), after kernels/histogram.wgsl:23: atomicStore(&counts[g], 0u) (stage 1) writes it)' });
  // Read under another name in a later stage: the name and the stage are said.
  const pp = (await loadKernels(join(import.meta.dirname, 'field-pingpong'), ['pingpong'])).get('pingpong')!;
  expect(firstRead(pp.program, { n: 8 }, 'tmp')).toEqual({ written: true, earlier: true, clause: ' (the first statement that reads tmp (as src, in stage 2), at any element: test/field-pingpong/kernels/pingpong.wgsl:14: dst[gid.x] = 2.0 * src[gid.x], after test/field-pingpong/kernels/pingpong.wgsl:14: dst[gid.x] = 2.0 * src[gid.x] (stage 1) writes it)' });
});

// Trial 83 B1: a histogram flushed with atomicStore in place of atomicAdd (the last workgroup's store wins) was told it
// read its outputs' starting contents, and sent to no-data-race, which atomics never fail. The store is named.
it('an output that differs between runs, stored to with a computed atomicStore, names the store', async () => {
  const k = (await loadKernels(undefined, ['histogram'])).get('histogram')!;
  const code = k.program.sources['histogram.wgsl']!.replace('if (c != 0u && lo + l < params.bins) { atomicAdd(&counts[lo + l], c); }', 'if (lo + l < params.bins) { atomicStore(&counts[lo + l], c); }');
  const program = { ...k.program, sources: { ...k.program.sources, 'histogram.wgsl': code } };
  expect(atomicStoreOf(program, { n: 100, bins: 16 }, 'counts')).toMatchObject({ at: 'kernels/histogram.wgsl:40', text: 'atomicStore(&counts[lo + l], c)' });
  // The library's own clears its workgroup bins with a literal: no store to counts is named.
  expect(atomicStoreOf(k.program, { n: 100, bins: 16 }, 'counts')).toBeUndefined();
  const p = Object.fromEntries(propertiesOf(k.program.spec, k.family, program).map((x) => [x.name, x]))['writes-every-output']!;
  const c = { shape: { n: 100, bins: 2 }, inputs: { keys: new Uint32Array(100) } } as Case;
  const v = p.check(c, [{ counts: Uint32Array.of(3, 0) }, { counts: Uint32Array.of(3, 0) }, { counts: Uint32Array.of(1, 0) }] as never);
  expect(v.message).toMatch(/^counts\[0\] differs from run to run: 3 in one run and 1 in another, .*; kernels\/histogram\.wgsl:40: atomicStore\(&counts\[lo \+ l\], c\) stores to counts with an atomic, and atomics never race/);
});

// Trial 57's own property compared an i32 output as a Float64Array, and its 1-off read "off by 1, 1.1e+9 ulp".
describe('a family property on an integer buffer', () => {
  it('is measured in units, whatever array it compared', async () => {
    const spec: KernelSpec = {
      name: 'k', wgsl: 'k.wgsl', description: '',
      buffers: { x: { role: 'input', type: 'f32', length: () => 2 }, q: { role: 'output', type: 'i32', length: () => 2 } },
      stages: () => [],
    };
    const c: Case = { shape: {}, inputs: { x: Float32Array.of(1, 2) } };
    const odd: Property = { name: 'odd', description: '', arbitrary: fc.constant(c), runs: (v) => [v],
      check: (_v, [o]) => compareVerdict('q', Float64Array.from(o!.q!), Float64Array.of(4, 6), 0) };
    const out = [{ x: c.inputs.x!, q: Int32Array.of(3, 6) }];
    expect(odd.check(c, out).measure!.ulp).toBe(4194304); // f32 steps between 3 and 4
    const v = judge(odd, c, out, { spec, sources: {}, origins: {} });
    expect(v.measure).toMatchObject({ abs: 1, ulp: 1 });
  });
});

// Trial 60 B5: a GPU engine's "not judged ... --backend interpreter does" of an f16 kernel, which the interpreter refuses.
describe("the interpreter hint of a GPU engine's result", () => {
  it('says the interpreter cannot run the kernel where it cannot, and is left alone where it can', () => {
    const r = { kernel: 'k', property: 'no-out-of-bounds', backend: 'deno' as const, status: 'skip' as const, runs: 5, durationMs: 1,
      error: 'not judged: ... (the GPU check follows no pointer; --backend interpreter does)' };
    const f16 = { spec: {} as KernelSpec, sources: { 'k.wgsl': 'enable f16;\n@compute @workgroup_size(1) fn main() {}' }, origins: {} };
    expect(withInterpreterHints(r, f16).error).toBe('not judged: ... (the GPU check follows no pointer; the interpreter cannot run this kernel either (enable f16 (it would compute and store f16 values at f32 precision)))');
    const plain = { ...f16, sources: { 'k.wgsl': '@compute @workgroup_size(1) fn main() {}' } };
    expect(withInterpreterHints(r, plain)).toBe(r);
  });
});

// Trial 164 B2: a scan whose second stage read the previous block's last element, which another workgroup updated in
// place, was told it read its outputs' starting contents, though a first stage had written them. Where a store comes
// before the first read, both causes are said; trial 215 B1: a store in an earlier stage, a dispatch of its own,
// never comes after the read, so it is said not to reach the element.
it('writes-every-output: where a store comes before the first read, a race is named beside the fill', async () => {
  const k = (await loadKernels(undefined, ['histogram'])).get('histogram')!;
  const p = k.properties.find((x) => x.name === 'writes-every-output')!;
  const c: Case = { shape: { n: 4, bins: 2 }, inputs: { keys: Uint32Array.of(0, 1, 1, 0) } };
  const out = (a: number) => ({ keys: c.inputs.keys!, counts: Uint32Array.of(a, 2) });
  const v = p.check(c, [out(257), out(513), out(257)]);
  expect(v.pass).toBe(false);
  // Trial 173 B1: the last element of 4 or more is where a GPU engine may put a store past the end.
  const c4: Case = { shape: { n: 4, bins: 4 }, inputs: c.inputs };
  const out4 = (a: number) => ({ keys: c.inputs.keys!, counts: Uint32Array.of(1, 1, 1, a) });
  expect(p.check(c4, [out4(257), out4(513), out4(257)]).message).toMatch(/ \(counts\[3\] is counts's last element, where a GPU engine may put a store past its end, which WGSL lets land on any element: no-out-of-bounds tells, and comes first\)$/);
  expect(v.message).toMatch(/^counts\[0\] came out 257 in a run whose outputs started filled with the sentinel, and 513 in one that started filled with the second sentinel 0xffa5a5a5 \(the first statement that reads counts, at any element: kernels\/histogram\.wgsl:\d+: .*, after .* \(stage 1\) writes it\): either that store does not reach this element \(it writes others only\), so the read finds what the output started with, .* or the runs differ whatever they started with, as a race between workgroups makes them \(deterministic, which runs it twice from one fill, and no-data-race tell which\)$/);
});
