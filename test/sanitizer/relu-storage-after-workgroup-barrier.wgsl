// replaces: relu
// bug: every invocation writes y[i]; after only a workgroupBarrier(), invocation 0 of each workgroup reads its
//   neighbour's y[i + 1] (a check whose answer never changes the output). A workgroupBarrier() orders workgroup
//   memory, not storage (WGSL §"Synchronization Built-in Functions"): the write and the read are a data race, which
//   the sanitizer on a GPU engine must report as the interpreter does (it counted every barrier and missed it).
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  if (i < params.n) { y[i] = max(x[i], 0.0); }
  workgroupBarrier();
  let j = i + 1u;
  if (lid == 0u && j < params.n && y[j] < 0.0) { y[i] = -1.0; }
}
