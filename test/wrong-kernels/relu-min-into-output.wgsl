// replaces: relu
// bug: folds what y held before the run into the result with min (y = min(y, relu(x))): min() passes over the NaN sentinel and over a +F fill; only the run filled with −F shows it.
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
  if (i >= params.n) {
    return;
  }
  y[i] = min(y[i], max(x[i], 0.0));
}
