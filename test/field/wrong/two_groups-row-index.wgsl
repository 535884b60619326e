// replaces: two_groups
// bug: indexes the per-column parameters by row
// caught-by: matches-reference
struct Dims {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(1) @binding(0) var<storage, read> gain: array<f32>;
@group(1) @binding(1) var<storage, read> shift: array<f32>;
@group(1) @binding(2) var<uniform> dims: Dims;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= dims.rows * dims.cols) {
    return;
  }
  let c = min(i / dims.cols, dims.cols - 1u);
  y[i] = x[i] * gain[c] + shift[c];
}
