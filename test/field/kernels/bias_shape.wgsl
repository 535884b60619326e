// y = x·scale + bias[col] over a rows×cols matrix, with the shape as a vec2 in the uniform, as ML libraries write
// their elementwise and softmax kernels' parameters.
struct Params {
  shape: vec2<u32>,   // (rows, cols)
  offset: vec2<i32>,  // added to the column index before it reads bias; (0, 0) here, but it moves the next field
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
  if (row >= params.shape.x || col >= params.shape.y) {
    return;
  }
  let i = row * params.shape.y + col;
  y[i] = x[i] * params.scale + bias[u32(i32(col) + params.offset.y)];
}
