// replaces: px
// bug: the channel loop runs c up to 4 over vec4 pixels: dst[i][4] and src[i][4] index past the vector's 4
//   components (a dynamic error in WGSL; Tint clamps it). Caught by no-out-of-bounds naming the whole access.
struct Params {
  n: u32,
  gain: f32,
}

@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  for (var c = 0u; c <= 4u; c++) {
    dst[i][c] = src[i][c] * params.gain;
  }
}
