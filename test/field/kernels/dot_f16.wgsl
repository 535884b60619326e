// Row-wise mean of products of two f16 matrices (the dot products of attention scores, scaled), in the style of
// ML libraries' f16 kernels: f16 storage, products and accumulation in f32, one rounding to f16 at the end.
enable f16;

struct Params {
  rows: u32,
  cols: u32,
  scale: f32,
}

@group(0) @binding(0) var<storage, read> a: array<f16>;
@group(0) @binding(1) var<storage, read> b: array<f16>;
@group(0) @binding(2) var<storage, read_write> y: array<f16>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row = gid.x;
  if (row >= params.rows) {
    return;
  }
  var acc = 0.0f;
  for (var k = 0u; k < params.cols; k++) {
    let i = row * params.cols + k;
    acc += f32(a[i]) * f32(b[i]);
  }
  y[row] = f16(acc * params.scale);
}
