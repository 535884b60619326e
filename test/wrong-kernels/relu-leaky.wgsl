// replaces: relu
// bug: a leaky relu (0.01·x for x < 0) where a plain relu was asked for: negative outputs.
// caught-by: never-negative
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  y[i] = select(0.01 * x[i], x[i], x[i] > 0.0);
}
