// replaces: relu
// bug: every invocation writes tile[lid]; after only a storageBarrier(), each reads its partner's tile[lid ^ 1] (a
//   check whose answer never changes the output). A storageBarrier() orders storage, not workgroup memory (WGSL
//   §"Synchronization Built-in Functions"): the write and the read are a data race, which the sanitizer on a GPU
//   engine must report as the interpreter does (it counted every barrier and missed it).
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> tile: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  var v = 0.0;
  if (i < params.n) { v = max(x[i], 0.0); }
  tile[lid] = v;
  storageBarrier();
  let t = tile[lid ^ 1u];
  if (i < params.n) { y[i] = select(v, 0.0, t < 0.0); }
}
