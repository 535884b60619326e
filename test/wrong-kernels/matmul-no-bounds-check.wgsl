// replaces: matmul
// bug: no bounds check. The grid is rounded up to whole 8×8 workgroups, so when N is not a multiple of 8 the extra
//   invocations of row r compute with columns past N (reading the next rows of B) and write c[r * N + col], which is
//   element (r + 1, col − N): they race with that element's own invocation and may overwrite it with a wrong value.
//   Rows past M write past the end of C, which robust buffer access discards or clamps.
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
  var acc = 0.0;
  for (var k = 0u; k < params.K; k++) {
    acc += a[row * params.K + k] * b[k * params.N + col];
  }
  c[row * params.N + col] = acc + bias[col];
}
