// replaces: relu
// correct: relu-owner-overwrites-race.wgsl with the barrier it lacks, between the reads of the last element and its
//   owner's overwrite: no race.
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
  workgroupBarrier();
  sc[lid] = 2.0;
  if (i < params.n) { y[i] = max(x[i], 0.0) * total; }
}
