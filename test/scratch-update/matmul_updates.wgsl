// WRONG for mlp (--wgsl mlp=): kernels/matmul.wgsl with `c[...] +=` for `=`: the scratch buffers hidden and logits
// start filled with the sentinel, and the NaN reaches probs; test/library-load-errors.test.ts checks that the failure
// names this line and the scratch buffer, not only "probs was never written" (a trial's column mean).
// C = A·B + bias, naive: one invocation per output element, A is M×K, B is K×N, C is M×N, all row-major; bias has
// N elements (one per output column). The grid is rounded up to whole 8×8 workgroups, so invocations outside the
// matrix must return before touching memory.
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
  c[row * params.N + col] += acc + bias[col];
}
