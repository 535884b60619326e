// replaces: relu_vec4
// bug: handles whole vec4s only: the last n % 4 elements are never written
// caught-by: writes-every-output
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let first = 4u * i;
  if (first + 4u > params.n) {
    return;
  }
  let v = max(x[i], vec4<f32>(0.0));
  y[first] = v.x;
  y[first + 1u] = v.y;
  y[first + 2u] = v.z;
  y[first + 3u] = v.w;
}
