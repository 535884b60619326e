// replaces: relu
// bug: invocation 0 writes the workgroup's scale into a scalar var<workgroup> that the others read with no barrier
//   between (the barrier sits before the write, not after it). SwiftShader runs invocation 0 first, so the outputs
//   are right there; a GPU may let the others read the scalar before it is written. Caught by no-data-race on a GPU
//   engine, which shadows a scalar in workgroup memory like a one-element array.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> scale: f32;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  workgroupBarrier();
  if (lid == 0u) { scale = 1.0; }
  let s = scale;
  if (i < params.n) { y[i] = max(x[i], 0.0) * s; }
}
