// replaces: dot_f16
// bug: accumulates in f16: a sum of products past 65504 overflows to infinity although the scaled mean is finite
// caught-by: finite-past-65504
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
  var acc = 0.0h;
  for (var k = 0u; k < params.cols; k++) {
    let i = row * params.cols + k;
    acc += a[i] * b[i];
  }
  y[row] = acc * f16(params.scale);
}
