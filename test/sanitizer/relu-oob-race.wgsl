// replaces: relu
// bug: for an even n, each invocation also writes the next element: y[i + 1] races with invocation i + 1's y[i], and
// the last one writes past the end. Cases of odd n have neither.
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
  y[i] = max(x[i], 0.0);
  if (params.n % 2u == 0u) {
    y[i + 1u] = max(x[i], 0.0);
  }
}
