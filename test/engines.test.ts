// Every engine runs the same batches and must return the right bytes, report compile errors with positions, say when
// it cannot start, and agree bit for bit on an exact kernel. Each engine opens once for the whole file.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openChromium } from '../harness/engines/chromium.ts';
import { openDeno } from '../harness/engines/deno.ts';
import { BACKENDS, EngineUnavailable, type BackendId, type Engine } from '../harness/engines/engine.ts';
import { openFirefox } from '../harness/engines/firefox.ts';
import { OVER_BUDGET, openInterpreter, traceCase } from '../harness/engines/interpreter.ts';
import { openEngine } from '../harness/engines/open.ts';
import { INLINE_LIMIT } from '../harness/engines/page/host.ts';
import { CompileError, DeviceError, type BatchResult, type DispatchBatch } from '../harness/gpu/batch.ts';
import { addBatch, addCase, exactBatch, scaleShiftBatch, u32MixBatch, u32MixReference } from './engines-batches.ts';

process.env.XDG_RUNTIME_DIR ??= '/tmp';

const engines = new Map<BackendId, Promise<Engine>>();
const engine = (id: BackendId) => {
  let e = engines.get(id);
  if (!e) engines.set(id, (e = openEngine(id, { timeoutMs: 30_000 })));
  return e;
};
afterAll(async () => {
  for (const e of engines.values()) await (await e.catch(() => undefined))?.close();
});

/** This process's children whose command matches: the engine's, not esbuild's service or anything else. */
const childPids = (comm: RegExp) => new Set(execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
  .split('\n').map((l) => l.trim().split(/\s+/)).filter(([, c]) => c && comm.test(c)).map(([p]) => Number(p)));
const killAll = (pids: number[]) => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* exited already */
    }
  }
};

const f32 = (b: Uint8Array) => new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe.each(BACKENDS)('%s', (id) => {
  test('reports what it runs on', async () => {
    const e = await engine(id);
    expect(e.info).toMatchObject({ backend: id, status: 'ok' });
    expect(e.info.version).toBeTruthy();
    expect(e.info.adapter?.description || e.info.adapter?.architecture).toBeTruthy();
  });

  test('c = a + b on 1000 elements, three cases in one batch', async () => {
    const e = await engine(id);
    const { batch, expected } = addBatch(3, 1000);
    batch.cases[2] = addCase(130, 9).case; // a size that is no multiple of the workgroup
    expected[2] = addCase(130, 9).expected;
    const r = await e.execute(batch);
    expect(r.skipped?.some((s) => s)).toBeFalsy();
    expect(r.outputs.map((o) => o.length)).toEqual([1, 1, 1]);
    r.outputs.forEach((o, i) => expect(f32(o[0]!)).toEqual(expected[i]));
  });

  test('a two-stage chain with a uniform, two buffers read back', async () => {
    const e = await engine(id);
    const { batch, t, c } = scaleShiftBatch(100, 0.5, 3.25);
    const r = await e.execute(batch);
    expect(f32(r.outputs[0]![0]!)).toEqual(c);
    expect(f32(r.outputs[0]![1]!)).toEqual(t);
  });

  test('a WGSL syntax error is a CompileError with its line and column', async () => {
    const e = await engine(id);
    const { batch } = addBatch(1, 10);
    batch.shaders[0] = 'const k = 1;\n\nfn main( {\n}\n';
    const err = await e.execute(batch).then(() => undefined, (x: unknown) => x);
    expect(err).toBeInstanceOf(CompileError);
    const d = (err as CompileError).diagnostics.find((x) => x.type === 'error')!;
    expect(d).toMatchObject({ shader: 0, line: 3, column: 10 });
    // The engine is still usable afterwards.
    const ok = await e.execute(addBatch(1, 10).batch);
    expect(f32(ok.outputs[0]![0]!)).toEqual(addBatch(1, 10).expected[0]);
  });

  // WebGPU counts the workgroup memory an entry point statically uses against maxComputeWorkgroupStorageSize; Deno's
  // wgpu made such a pipeline (a trial's 17,424-byte kernel passed there), so kernelscope checks it for Deno.
  test('an entry point past maxComputeWorkgroupStorageSize is refused; one within it runs, though its module declares more', async () => {
    const e = await engine(id);
    const code = readFileSync(join(import.meta.dirname, 'interpreter-cases', 'workgroup-storage.wgsl'), 'utf8');
    const batch = (entry: string): DispatchBatch => ({
      shaders: [code],
      cases: [{ buffers: [{ size: 16, kind: 'storage' }], dispatches: [{ shader: 0, entry, bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1] }], readback: [0] }],
    });
    expect(f32((await e.execute(batch('small'))).outputs[0]![0]!)).toEqual(new Float32Array([7, 5, 3, 1]));
    await expect(e.execute(batch('big'))).rejects.toThrow(/16400/);
    const raised = await e.execute({ ...batch('big'), requires: { limits: { maxComputeWorkgroupStorageSize: 16400 } } });
    expect(f32(raised.outputs[0]![0]!)).toEqual(new Float32Array([4, 3, 2, 1]));
  });

  // Trial 60: a workgroup size an override sets past maxComputeInvocationsPerWorkgroup passed on Deno alone, where a
  // literal one is refused there too.
  test('a workgroup size an override sets past the invocation limit is refused; one within it runs', async () => {
    const e = await engine(id);
    const code = `override WG: u32 = 64u;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(WG) fn main(@builtin(local_invocation_index) l: u32) { if (l == 0u) { y[0] = f32(WG); } }`;
    const batch = (wg: number): DispatchBatch => ({
      shaders: [code],
      cases: [{ buffers: [{ size: 4, kind: 'storage' }], dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }], workgroups: [1, 1, 1], constants: { WG: wg } }], readback: [0] }],
    });
    expect(f32((await e.execute(batch(128))).outputs[0]![0]!)).toEqual(new Float32Array([128]));
    await expect(e.execute(batch(512))).rejects.toThrow(/512/);
  });
});

describe.each(['chromium', 'firefox'] as const)('%s, large batches', (id) => {
  test('a batch and a result over the inline limit travel as bytes over HTTP', async () => {
    const n = 300_000; // 1.2 MB per buffer: the batch and its result both exceed the browser's INLINE_LIMIT
    expect(n * 4).toBeGreaterThan(INLINE_LIMIT[id]);
    const { batch, expected } = addBatch(1, n);
    const r = await (await engine(id)).execute(batch);
    expect(f32(r.outputs[0]![0]!)).toEqual(expected[0]);
  });
});

describe('agreement', () => {
  test('every engine gives the same bits for an exact kernel (integer mixing, barrier reduction)', async () => {
    const batch = exactBatch(4);
    const results = new Map<BackendId, BatchResult>();
    for (const id of BACKENDS) results.set(id, await (await engine(id)).execute(batch));
    const x = new Uint32Array(batch.cases[0]!.buffers[0]!.data!.buffer);
    const sums = Array.from({ length: 4 }, (_, w) => x.subarray(w * 64, w * 64 + 64).reduce((s, v) => s + (v & 255), 0));
    const h = x.map((x0) => {
      const v = x0 & 0x7fffffff;
      let m = (v & 32767) * 40503 + (v >>> 16);
      m = m ^ (m >>> 7);
      return m + ((v & 1) === 1 ? 7 : 0) + (v % 13);
    });
    const dawn = results.get('dawn')!.outputs[0]!;
    expect([...f32(dawn[1]!)]).toEqual(sums);
    expect(new Uint32Array(dawn[0]!.buffer)).toEqual(h);
    for (const [id, r] of results) {
      expect({ id, h: hex(r.outputs[0]![0]!), sums: hex(r.outputs[0]![1]!) }).toEqual({ id, h: hex(dawn[0]!), sums: hex(dawn[1]!) });
    }
  });
});

describe('agreement on full-range u32 (GPU engines; the interpreter gets these wrong, see U32_MIX)', () => {
  test.each(BACKENDS.filter((b) => b !== 'interpreter'))('%s: wrapping multiply and logical shifts match Math.imul and >>>', async (id) => {
    const { batch, x } = u32MixBatch(256);
    const r = await (await engine(id)).execute(batch);
    expect(new Uint32Array(r.outputs[0]![0]!.buffer)).toEqual(u32MixReference(x));
  });
});

describe('unavailable engines', () => {
  test.each([
    ['chromium', () => openChromium({ executablePath: '/nonexistent/chromium' })],
    ['firefox', () => openFirefox({ executablePath: '/nonexistent/firefox' })],
    ['deno', () => openDeno({ executablePath: '/nonexistent/deno' })],
    // A binary that exists but is no browser: the launch itself fails.
    ['chromium', () => openChromium({ executablePath: '/bin/false' })],
  ] as const)('%s with a missing or broken binary is EngineUnavailable', async (id, open) => {
    const err = await open().then((e) => e.close(), (x: unknown) => x);
    expect(err).toBeInstanceOf(EngineUnavailable);
    expect((err as EngineUnavailable).backend).toBe(id);
    expect((err as Error).message).toMatch(/nonexistent|did not start/);
  });
});

describe('robustness', () => {
  test('a browser killed between batches: the next batch fails as lost, the one after runs on a relaunched browser', async () => {
    // Only this engine's browser is killed: the children that appear while it opens.
    const before = childPids(/chrom/);
    const e = await openChromium();
    try {
      const pids = [...childPids(/chrom/)].filter((p) => !before.has(p));
      expect(pids.length).toBeGreaterThan(0);
      killAll(pids);
      const { batch, expected } = addBatch(1, 100);
      const err = await e.execute(batch).then(() => undefined, (x: unknown) => x);
      expect(err).toBeInstanceOf(DeviceError);
      expect((err as DeviceError).kind).toBe('lost');
      // The engine's death, not the kernel's WGSL ("kernels/add.wgsl: chromium went away" read as the kernel's).
      expect((err as Error).message).toBe('the engine died while running this kernel: chromium (the browser process) was killed by SIGKILL; relaunched for the next property');
      const r = await e.execute(batch);
      expect(f32(r.outputs[0]![0]!)).toEqual(expected[0]);
    } finally {
      await e.close();
    }
  });
});

describe('robustness, deno', () => {
  test('a Deno process that dies: the next batch fails naming the death, the one after runs on a relaunched process', async () => {
    const before = childPids(/deno/);
    const e = await openDeno();
    try {
      const pids = [...childPids(/deno/)].filter((p) => !before.has(p));
      expect(pids.length).toBeGreaterThan(0);
      killAll(pids);
      const { batch, expected } = addBatch(1, 100);
      // Never retried silently on the new process: a kernel that crashes its engine now and then would look clean.
      const err = await e.execute(batch).then(() => undefined, (x: unknown) => x);
      expect(err).toBeInstanceOf(DeviceError);
      expect((err as DeviceError).kind).toBe('lost');
      expect((err as Error).message).toMatch(/^the engine died while running this kernel: deno's host process was killed by SIGKILL.*; relaunched for the next property$/);
      const r = await e.execute(batch);
      expect(f32(r.outputs[0]![0]!)).toEqual(expected[0]);
      expect((e as unknown as { restarts: number }).restarts).toBe(1);
    } finally {
      await e.close();
    }
  });
});

describe('robustness, hangs', () => {
  test('a kernel that never ends is a timeout; the browser is relaunched and the next batch runs', async () => {
    const e = await openChromium({ timeoutMs: 2000 });
    try {
      const { batch } = addBatch(1, 64);
      // Never true, but the compiler cannot know: a - 1e30 <= b for every input here.
      batch.shaders[0] = batch.shaders[0]!.replace('c[g.x] = a[g.x] + b[g.x];',
        'var k = 0u; loop { k = k + u32(a[g.x] >= b[g.x] - 1e30); c[g.x] = f32(k); if (k == 0u) { break; } }');
      const err = await e.execute(batch).then(() => undefined, (x: unknown) => x);
      expect(err).toBeInstanceOf(DeviceError);
      expect((err as DeviceError).kind).toBe('timeout');
      expect(e.restarts).toBe(1);
      const ok = addBatch(1, 100);
      const r = await e.execute(ok.batch);
      expect(f32(r.outputs[0]![0]!)).toEqual(ok.expected[0]);
    } finally {
      await e.close();
    }
  });
});

describe('interpreter', () => {
  test('a case over budget is skipped with the reason, its outputs empty, the others run', async () => {
    const e = openInterpreter({ maxInvocations: 256 });
    const batch = { shaders: addBatch(1, 1).batch.shaders, cases: [addCase(100).case, addCase(1000).case] };
    const r = await e.execute(batch);
    expect(r.skipped?.[0]).toBeUndefined();
    expect(r.skipped?.[1]).toMatch(new RegExp(`^${OVER_BUDGET.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 1024 invocations > 256`));
    expect(r.outputs[1]![0]!.byteLength).toBe(0);
    expect(f32(r.outputs[0]![0]!)).toEqual(addCase(100).expected);
    // Two dispatches count together, and the reason says so.
    const one = addCase(200).case;
    const two = await e.execute({ shaders: batch.shaders, cases: [{ ...one, dispatches: [one.dispatches[0]!, one.dispatches[0]!] }] });
    expect(two.skipped?.[0]).toMatch(/: 512 invocations > 256 \(the case's 2 dispatches together; --interpreter-budget invocations=N\)$/);
  });

  test.each([
    'for (var i = 0u; i < 4000000000u; i++) { c[g.x] = c[g.x] + 1.0; }',
    'loop { c[g.x] = c[g.x] + 1.0; }', // upstream runs this in one interpreter step that never returns (fixes.ts)
    'while (true) { c[g.x] = c[g.x] + 1.0; }',
  ])('a runaway loop is cut off by the step budget and skipped: %s', async (body) => {
    const e = openInterpreter({ stepBudget: 10_000 });
    const { batch } = addBatch(1, 64);
    batch.shaders[0] = batch.shaders[0]!.replace('c[g.x] = a[g.x] + b[g.x];', body);
    const r = await e.execute(batch);
    expect(r.skipped?.[0]).toMatch(/over the interpreter's budget.*10000 interpreter steps/);
  });

  test.each([
    ['var k = 0u; while (k < 1000u) { k = k + 1u; } c[g.x] = f32(k);', 1000],
    ['var k = 0u; while k < 1000u { k = k + 1u; if (k == 5u) { continue; } } c[g.x] = f32(k);', 1000],
    ['var k = 0u; loop { k = k + 2u; if (k >= 700u) { break; } } c[g.x] = f32(k);', 700],
    ['var k = 0u; for (var i = 0u; i < 10u; i++) { if (i == 3u) { continue; } k += i; } c[g.x] = f32(k);', 42],
  ] as const)('loops run as many times as they should: %s', async (body, want) => {
    const { batch } = addBatch(1, 1);
    batch.shaders[0] = batch.shaders[0]!.replace('c[g.x] = a[g.x] + b[g.x];', body);
    const r = await openInterpreter().execute(batch);
    expect(f32(r.outputs[0]![0]!)[0]).toBe(want);
  });

  const reduce = (barrier: boolean, n = 64) => `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
var<workgroup> tile: array<f32, 64>;
@compute @workgroup_size(64) fn main(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wg: vec3u) {
  tile[li] = x[wg.x * ${n}u + li];
  ${barrier ? 'workgroupBarrier();' : ''}
  if (li == 0u) { var s = 0.0; for (var i = 0u; i < 64u; i++) { s += tile[i]; } out[wg.x] = s; }
}`;
  const reduceCase = { buffers: [{ size: 512, kind: 'storage' as const, data: new Uint8Array(new Float32Array(128).map((_, i) => i).buffer) }, { size: 8, kind: 'storage' as const }],
    dispatches: [{ shader: 0, entry: 'main', bindings: [{ group: 0, binding: 0, buffer: 0 }, { group: 0, binding: 1, buffer: 1 }], workgroups: [2, 1, 1] as [number, number, number] }], readback: [1] };

  test('traceCase: a missing barrier is a data race on workgroup memory, in every workgroup; with it, none', () => {
    const bad = traceCase([reduce(false)], reduceCase);
    const races = bad.dispatches[0]!.races;
    expect(races.length).toBeGreaterThan(0);
    expect(races.every((r) => r.variable === 'tile')).toBe(true);
    expect(new Set(races.map((r) => r.a.workgroup[0]))).toEqual(new Set([0, 1]));
    const good = traceCase([reduce(true)], reduceCase);
    expect(good.dispatches[0]!.races).toEqual([]);
    expect([...f32(good.outputs[0]!)]).toEqual([2016, 6112]);
    // Every element of x is read once, by the invocation whose index it holds, on the line that reads it.
    const reads = good.dispatches[0]!.accesses!.filter((a) => a.variable === 'x');
    expect(reads.length).toBe(128);
    expect(reads.every((a) => a.buffer === 0 && a.kind === 'read' && a.offset === (a.workgroup[0] * 64 + a.invocation) * 4 && a.line === 5)).toBe(true);
  });

  test('traceCase: an out-of-bounds read is reported with its offset', () => {
    const t = traceCase([reduce(true, 65)], reduceCase);
    const oob = t.dispatches[0]!.outOfBounds;
    expect(oob.length).toBeGreaterThan(0);
    expect(oob.every((a) => a.variable === 'x' && a.offset + a.size > 512)).toBe(true);
  });
});
