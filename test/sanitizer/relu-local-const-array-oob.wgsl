// relu-local-const-array.wgsl writing past its stage, under a module-scope K its function's own K shadows (trial 118
// A4: the checker took the module's K, 8, and the writes past the end passed).
const K = 8u;
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
  const K = 4u;
  var stage: array<f32, K>;
  for (var k = 0u; k < 2u * K; k++) {
    stage[k] = max(x[i], 0.0);
  }
  y[i] = stage[i % K];
}
