// relu-local-const-array.wgsl with a K of another block before the array, which is not the array's (trial 120 A3: the
// checker took the first K of the function, and a correct kernel failed no-out-of-bounds).
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  {
    const K = 2u;
    y[i] = f32(K);
  }
  const K = 4u;
  var stage: array<f32, K>;
  for (var k = 0u; k < K; k++) {
    stage[k] = max(x[i], 0.0);
  }
  y[i] = stage[i % K];
}
