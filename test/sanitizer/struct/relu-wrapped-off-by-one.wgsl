// relu over storage structs that wrap a runtime-sized array, as the WebGPU samples bind particles; the guard one too far.
struct Params {
  n: u32,
}
struct Xs { v: array<f32> }
struct Ys { v: array<f32> }

@group(0) @binding(0) var<storage, read> x: Xs;
@group(0) @binding(1) var<storage, read_write> y: Ys;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i > params.n) {
    return;
  }
  y.v[i] = max(x.v[i], 0.0);
}
