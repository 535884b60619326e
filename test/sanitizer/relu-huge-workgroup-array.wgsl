// replaces: relu
// right, near a limit: relu through an 11,200-byte workgroup array (within WebGPU's default 16,384). With the
//   sanitizer's two shadow words per element it is 33,600 bytes, past even the adapter's 32,768 (SwiftShader's): the
//   sanitized pipeline is refused, so no-out-of-bounds and no-data-race are skip with the device's message while
//   every other property runs and passes.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> stage: array<f32, 2800>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  stage[lid * 10u] = max(x[i], 0.0);
  y[i] = stage[lid * 10u];
}
