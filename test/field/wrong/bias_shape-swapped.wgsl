// replaces: bias_shape
// bug: reads the shape as (cols, rows): right only for square matrices
// caught-by: matches-reference
struct Params {
  shape: vec2<u32>,
  offset: vec2<i32>,
  scale: f32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> bias: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row = gid.y;
  let col = gid.x;
  let rows = params.shape.y;
  let cols = params.shape.x;
  if (row >= rows || col >= cols) {
    return;
  }
  let i = row * cols + col;
  y[i] = x[i] * params.scale + bias[u32(i32(col) + params.offset.y)];
}
