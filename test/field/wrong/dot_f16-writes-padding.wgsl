// replaces: dot_f16
// caught-by: no-out-of-bounds
// dot_f16 whose invocation `rows` writes y[rows] when rows is odd: the half word that rounds y's binding up to whole
// 4-byte words, inside arrayLength(&y) and outside the case's y (trial 41's `k <= cols` read such an element of an
// f16 buffer and passed no-out-of-bounds until the sanitizer checked an array<f16> against the case's count).
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
  if (row == params.rows && (params.rows & 1u) == 1u) {
    y[row] = 0.0h;
    return;
  }
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
