// replaces: row_norm
// bug: squares the values as they are: rows of magnitude past 1.8e19 overflow to infinity in x², although their
// bug: norm is a finite f32
// caught-by: matches-reference
override WG: u32 = 128u;

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row = gid.x;
  if (row >= params.rows) {
    return;
  }
  var s = 0.0;
  for (var k = 0u; k < params.cols; k++) {
    let v = x[row * params.cols + k];
    s += v * v;
  }
  y[row] = sqrt(s);
}
