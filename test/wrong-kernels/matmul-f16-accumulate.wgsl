// replaces: matmul
// bug: accumulation that loses precision: the running sum is kept with an 11-bit significand (as an f16
//   accumulator would; emulated by clearing the low 13 bits, since shader-f16 is an optional feature). Each
//   addition can lose 2^-11 relative instead of 2^-23, far past the γ_K bound for any K.
// caught-by: matches-reference
struct Params {
  M: u32,
  N: u32,
  K: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let col = gid.x;
  let row = gid.y;
  if (row >= params.M || col >= params.N) {
    return;
  }
  var acc = 0.0;
  for (var k = 0u; k < params.K; k++) {
    acc = bitcast<f32>(bitcast<u32>(acc + a[row * params.K + k] * b[k * params.N + col]) & 0xffffe000u);
  }
  c[row * params.N + col] = acc + bias[col];
}
