// Does compiling the next shader while a batch runs gain anything on this engine? Times, on Dawn in this process: a
// batch about the size of a mutant's stage (a heavy loop, 512 workgroups), a new softmax pipeline created
// synchronously (a distinct WGSL each time, so no cache of Dawn's or SwiftShader's helps), the two one after the
// other, and the same pipeline begun with createComputePipelineAsync before the batch is submitted, both awaited
// together. docs/mutation.md, Speed, gives the figures and why `kernelscope mutate` does not overlap them.
// Run with `npx tsx bench/pipeline-overlap.ts [ROUNDS]` (default 5).
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
process.env.XDG_RUNTIME_DIR ??= '/tmp';
const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
let gpu = create([]);
if (!(await gpu.requestAdapter()) && existsSync(ICD)) {
  process.env.VK_ICD_FILENAMES = ICD;
  gpu = create([]);
}
const adapter = await gpu.requestAdapter();
if (!adapter) throw new Error('no WebGPU adapter');
const device = await adapter.requestDevice();
const heavy = `@group(0) @binding(0) var<storage, read_write> o: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) {
  var s = 0.0;
  for (var k = 0u; k < 800u; k++) { s += sin(f32(k + g.x) * 0.001); }
  o[g.x] = s;
}`;
const running = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: heavy }), entryPoint: 'main' } });
const buffer = device.createBuffer({ size: 4 * 64 * 512, usage: GPUBufferUsage.STORAGE });
const group = device.createBindGroup({ layout: running.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer } }] });
async function batch() {
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(running);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(512);
  pass.end();
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
}
const softmax = readFileSync(new URL('../kernels/softmax.wgsl', import.meta.url), 'utf8');
let n = 0;
// A term that changes the code (not a comment): a different SPIR-V each time.
const next = () => ({ layout: 'auto' as const, compute: { module: device.createShaderModule({ code: softmax.replace('sum += exp(', `sum += exp(${++n}e-30 + `) }), entryPoint: 'main' } });
const ms = async (f: () => unknown) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};
await batch();
device.createComputePipeline(next());
console.log(`pipeline overlap on ${adapter.info?.description || adapter.info?.vendor || 'this adapter'} (load average ${loadavg()[0]!.toFixed(1)})`);
console.log('   batch  compile  one after the other  overlapped  ratio');
for (let r = 0; r < Number(process.argv[2] ?? 5); r++) {
  const run = await ms(batch);
  const compile = await ms(() => device.createComputePipeline(next()));
  const serial = await ms(async () => {
    device.createComputePipeline(next());
    await batch();
  });
  const overlapped = await ms(() => Promise.all([device.createComputePipelineAsync(next()), batch()]));
  console.log(`${run.toFixed(0).padStart(8)} ${compile.toFixed(0).padStart(8)} ${serial.toFixed(0).padStart(20)} ${overlapped.toFixed(0).padStart(11)} ${(overlapped / serial).toFixed(2).padStart(6)}`);
}
console.log(`(load average ${loadavg()[0]!.toFixed(1)})`);
process.exit(0);
