// replaces: px
// bug: the channel loop starts at c = -1 (an i32): dst[i][-1] is before the start of the pixel's array<f32, 4>. The
//   sanitizer sees the index's u32 bits, 4294967295, which a u32 index would have past the end: both are said.
struct Params {
  n: u32,
  gain: f32,
}

@group(0) @binding(0) var<storage, read> src: array<array<f32, 4>>;
@group(0) @binding(1) var<storage, read_write> dst: array<array<f32, 4>>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  for (var c = -1; c < 4; c++) {
    dst[i][max(c, 0)] = src[i][max(c, 0)] * params.gain;
    dst[i][c] = src[i][max(c, 0)] * params.gain;
  }
}
