// replaces: relu
// correct: the same scalar var<workgroup> as relu-scalar-workgroup-race.wgsl, written by invocation 0 and read by
//   the others after a barrier, and written again (compound assignment, increment) only by invocation 0: no race.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> scale: f32;
var<workgroup> count: u32;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  if (lid == 0u) { scale = 0.5; scale += 0.5; count = 0u; count++; }
  workgroupBarrier();
  let s = scale * f32(count);
  if (i < params.n) { y[i] = max(x[i], 0.0) * s; }
}
