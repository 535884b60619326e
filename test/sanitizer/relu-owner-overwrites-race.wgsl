// replaces: relu
// wrong: every invocation reads the last element of a workgroup array (a chunk's total), then its owner, invocation
//   63, overwrites it with no barrier between: a race with each of the 63 others' reads. The last reader of that
//   element is the owner itself, so a sanitizer that keeps the last reader alone misses it (trial 72's compaction).
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> sc: array<f32, 64>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  sc[lid] = 1.0;
  workgroupBarrier();
  let total = sc[63];
  sc[lid] = 2.0;
  if (i < params.n) { y[i] = max(x[i], 0.0) * total; }
}
