// replaces: px
// Correct: every inner index in bounds, through each kind of element the sanitizer checks: a runtime component of a
// vec4 (storage and workgroup), a runtime index into array<f32, 4> (storage and a two-level workgroup tile), a
// column and row of a matrix, a literal component, a swizzle and constant indices.
struct Params {
  n: u32,
  gain: f32,
}

@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<array<f32, 4>>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> tile: array<array<f32, 4>, 64>;
var<workgroup> px: array<vec4<f32>, 64>;
var<workgroup> m: array<mat2x4<f32>, 64>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) l: u32) {
  let i = min(gid.x, params.n - 1u);
  px[l] = src[i];
  for (var c = 0u; c < 4u; c++) {
    tile[l][c] = src[i][c] * params.gain;
    m[l][c / 2u][c] = 0.0;
  }
  m[l][1] = vec4<f32>(src[i].x, src[i].yz, src[i][3]);
  workgroupBarrier();
  if (gid.x >= params.n) {
    return;
  }
  let k = l % 4u;
  dst[i][k] = tile[l][k] + 0.0 * px[l][k] + 0.0 * m[l][k / 4u][k];
  for (var c = 0u; c < 4u; c++) {
    dst[i][c] = tile[l][c] + 0.0 * (px[l][3 - c] + px[l].w + m[l][1][c] + m[l][0u][c]);
  }
}
