// implements: matmul
// order: whole 8-row tiles sum each dot product in vec4 chunks with dot(), the last, partial row tile with the scalar
// loop, as optimised GEMMs split a fast path from an edge path: a row's bits depend on the tile it sits in, so
// row-permutation holds within both runs' bounds, not bit for bit.
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
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let row = gid.y;
  let col = gid.x;
  if (row >= params.M || col >= params.N) { return; }
  let K = params.K;
  let N = params.N;
  var acc = 0.0;
  if ((wid.y + 1u) * 8u <= params.M) {
    var k = 0u;
    for (; k + 4u <= K; k += 4u) {
      let av = vec4<f32>(a[row * K + k], a[row * K + k + 1u], a[row * K + k + 2u], a[row * K + k + 3u]);
      let bv = vec4<f32>(b[k * N + col], b[(k + 1u) * N + col], b[(k + 2u) * N + col], b[(k + 3u) * N + col]);
      acc += dot(av, bv);
    }
    for (; k < K; k++) { acc += a[row * K + k] * b[k * N + col]; }
  } else {
    for (var k = 0u; k < K; k++) { acc += a[row * K + k] * b[k * N + col]; }
  }
  c[row * N + col] = acc + bias[col];
}
