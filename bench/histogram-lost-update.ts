// How often one dispatch of histogram's lost-update mutant (AtomicLostUpdate on the flush into `counts`: an
// atomicLoad then an atomicStore) loses a count on Dawn, and what a dispatch of the unmutated kernel costs, by shape:
// the figures behind contended-flush-exact's number of dispatches (docs/mutation.md, histogram's paragraph). Bare
// WebGPU, no harness: clear then accumulate, one submit and one read-back per dispatch.
// Run: npx tsx bench/histogram-lost-update.ts [WORKGROUPS] [BINS] [spread|hot|chunked] [DISPATCHES] [KEYS_PER_INVOCATION]
//   spread: key i in bin i mod BINS (with BINS <= 256 and one key per invocation, every workgroup flushes every bin);
//   hot: every key in bin 7 (every workgroup flushes that one bin); chunked: BINS a multiple of 256, key i in bin
//   (i mod 256) + 256 · (pass mod BINS/256), so every workgroup flushes every bin of every 256-bin chunk.
import { existsSync, readFileSync } from 'node:fs';
import { create, globals } from 'webgpu';
import { wgslMutants } from '../harness/mutate/operators.ts';

const [nwg = 256, bins = 256] = process.argv.slice(2, 4).map(Number);
const pattern = process.argv[4] ?? 'spread';
const [reps = 20, perInvocation = 1] = process.argv.slice(5, 7).map(Number);
const WG = 256;
const n = nwg * WG * perInvocation;

const source = readFileSync('kernels/histogram.wgsl', 'utf8');
const flush = wgslMutants('histogram.wgsl', source, ['clear', 'accumulate'])
  .filter((m) => m.operator === 'AtomicLostUpdate' && m.original.includes('counts'));
if (flush.length !== 1) throw new Error(`expected one AtomicLostUpdate mutant of the flush into counts, found ${flush.length}`);
const mutant = source.slice(0, flush[0]!.start) + flush[0]!.replacement + source.slice(flush[0]!.end);

const keys = new Uint32Array(n);
for (let i = 0; i < n; i++) {
  keys[i] = pattern === 'hot' ? 7 : pattern === 'chunked' ? (i % WG) + WG * (Math.floor(i / (nwg * WG)) % (bins / WG)) : i % bins;
}

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
Object.assign(globalThis, globals);
// Every instance is held on globalThis for the whole run: one collected while its device lives crashes Dawn or ends
// the process silently (harness/engines/dawn-host.ts; a module-level const was not enough here).
const kept: GPU[] = [];
(globalThis as { keptGpus?: GPU[] }).keptGpus = kept;
async function findAdapter(): Promise<GPUAdapter | null> {
  kept.push(create([]));
  const adapter = await kept.at(-1)!.requestAdapter();
  if (adapter || !existsSync(SWIFTSHADER_ICD)) return adapter;
  // No system adapter: SwiftShader's Vulkan driver, as the dawn engine does (the loader reads this at create).
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  kept.push(create([]));
  return kept.at(-1)!.requestAdapter();
}
const adapter = await findAdapter();
if (!adapter) throw new Error(`no WebGPU adapter, and none with SwiftShader (${SWIFTSHADER_ICD}: Debian's chromium package)`);
const device = await adapter.requestDevice();

async function run(wgsl: string, dispatches: number): Promise<{ lossy: number; lost: number; ms: number }> {
  const module = device.createShaderModule({ code: wgsl });
  const clear = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'clear' } });
  const accumulate = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'accumulate' } });
  const keyBuf = device.createBuffer({ size: keys.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(keyBuf, 0, keys);
  const counts = device.createBuffer({ size: bins * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const params = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(params, 0, new Uint32Array([n, bins, 0, 0]));
  const readBuf = device.createBuffer({ size: bins * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const clearGroup = device.createBindGroup({ layout: clear.getBindGroupLayout(0), entries: [{ binding: 1, resource: { buffer: counts } }, { binding: 2, resource: { buffer: params } }] });
  const accGroup = device.createBindGroup({ layout: accumulate.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: keyBuf } }, { binding: 1, resource: { buffer: counts } }, { binding: 2, resource: { buffer: params } }] });
  let lossy = 0;
  let lost = 0;
  const t0 = performance.now();
  for (let r = 0; r < dispatches; r++) {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(clear);
    pass.setBindGroup(0, clearGroup);
    pass.dispatchWorkgroups(Math.ceil(bins / WG));
    pass.setPipeline(accumulate);
    pass.setBindGroup(0, accGroup);
    pass.dispatchWorkgroups(nwg);
    pass.end();
    enc.copyBufferToBuffer(counts, 0, readBuf, 0, bins * 4);
    device.queue.submit([enc.finish()]);
    await readBuf.mapAsync(GPUMapMode.READ);
    const got = new Uint32Array(readBuf.getMappedRange().slice(0));
    readBuf.unmap();
    const total = got.reduce((a, b) => a + b, 0);
    if (total !== n) lossy++;
    lost += n - total;
  }
  return { lossy, lost, ms: (performance.now() - t0) / dispatches };
}

const shape = `${adapter.info.description || adapter.info.vendor}, ${nwg} workgroups, ${bins} bins, ${pattern}, ${perInvocation} key(s) per invocation`;
const base = await run(source, Math.min(3, reps));
if (base.lossy) throw new Error(`the unmutated kernel lost counts (${shape}): a bug, not a measurement`);
const m = await run(mutant, reps);
console.log(`${shape}: the mutant lost counts in ${m.lossy} of ${reps} dispatches (${m.lost} counts in all), ` +
  `${(m.lossy / (reps * m.ms / 1000)).toFixed(2)} lossy dispatches per second; the kernel ${base.ms.toFixed(0)} ms a dispatch, the mutant ${m.ms.toFixed(0)} ms`);
device.destroy();
