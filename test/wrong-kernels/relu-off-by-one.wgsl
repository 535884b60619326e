// replaces: relu
// bug: off by one in the bounds check (i + 1 >= n): the last element is never written.
// caught-by: writes-every-output
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i + 1u >= params.n) {
    return;
  }
  y[i] = max(x[i], 0.0);
}
