// replaces: relu
// bug: folds what y held before the run into the result (y = max(y, relu(x)), an accumulate never cleared): max() passes over the NaN sentinel, so only a second run with finite starting values shows it.
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
  y[i] = max(y[i], max(x[i], 0.0));
}
