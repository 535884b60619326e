// replaces: px
// bug: invocations 2k and 2k + 1 both write pixel 2k's channels (of array<array<f32, 4>>), with nothing between
//   them: a race the GPU check did not record (a write into a row of a runtime-sized array of arrays) until round 25.
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
    dst[i / 2u * 2u][c] = src[i / 2u * 2u][c] * params.gain;
  }
}
