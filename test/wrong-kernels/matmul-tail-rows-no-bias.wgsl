// replaces: matmul
// bug: the rows of the last, partial tile take their own path and leave out the bias: where a row sits decides what it
// gets, which moving it to another row shows without a reference.
// caught-by: row-permutation
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
    acc += a[row * params.K + k] * b[k * params.N + col];
  }
  // The rows of the last, partial tile of 8 take a separate path, which forgets the bias.
  if (row >= (params.M / 8u) * 8u) {
    c[row * params.N + col] = acc;
  } else {
    c[row * params.N + col] = acc + bias[col];
  }
}
