// RGBA floats quantised to 8-bit levels with pack4x8unorm, as image and texture-compression kernels do, then each
// channel's level read back out of the packed word: dst[4i + k] is channel k of pixel i. Inputs sit next to the level
// midpoints (k + 0.5)/255, where WGSL lets the value inside the pack's floor round to f32 either way (trial 63).
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
  let word = pack4x8unorm(src[i]);
  for (var k = 0u; k < 4u; k++) {
    dst[4u * i + k] = (word >> (8u * k)) & 0xffu;
  }
}
