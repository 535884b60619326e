// replaces: relu
// right, near a limit: relu through a 5,600-byte workgroup array. The sanitizer adds two shadow words per element of
//   workgroup memory, 16,800 bytes in all, past the 16,384 of WebGPU's default maxComputeWorkgroupStorageSize: the
//   sanitized pipeline is refused there, and runs again on a device with the adapter's limit (SwiftShader's 32,768),
//   where no-out-of-bounds and no-data-race pass.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> stage: array<f32, 1400>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  stage[lid * 5u] = max(x[i], 0.0);
  y[i] = stage[lid * 5u];
}
