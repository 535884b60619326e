// Pixels as array<f32, 4>, every channel index in bounds.
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
  for (var c = 0u; c < 4u; c++) {
    dst[i][c] = src[i][c] * params.gain;
  }
}
