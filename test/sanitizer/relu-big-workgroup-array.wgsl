// replaces: relu
// right, at the edge of a limit: relu through a 16 KiB workgroup array. The sanitizer adds two shadow words per
//   element of workgroup memory, 48 KiB in all, past the 32 KiB of WebGPU's default
//   maxComputeWorkgroupStorageSize: the sanitized pipeline is refused, so no-out-of-bounds and no-data-race are
//   skip with the device's message while every other property runs and passes.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> stage: array<f32, 4096>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  stage[lid * 64u] = max(x[i], 0.0);
  y[i] = stage[lid * 64u];
}
