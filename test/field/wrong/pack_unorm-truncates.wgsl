// replaces: pack_unorm
// caught-by: matches-reference
// pack_unorm quantising by hand with u32(255 * e), which truncates where pack4x8unorm rounds: a level low for every
// channel whose 255 e has a fraction of one half or more.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  let v = clamp(src[i], vec4f(0.0), vec4f(1.0));
  for (var k = 0u; k < 4u; k++) {
    dst[4u * i + k] = u32(255.0 * v[k]);
  }
}
