// replaces: matmul
// bug: swapped strides: reads B as if it were stored column-major (b[col * K + k] instead of b[k * N + col]), i.e.
//   computes A·Bᵀ of a reinterpreted buffer; agrees with the reference only when B happens to be symmetric.
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
    acc += a[row * params.K + k] * b[col * params.K + k];
  }
  c[row * params.N + col] = acc + bias[col];
}
