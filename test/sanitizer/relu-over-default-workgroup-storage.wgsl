// replaces: relu
// wrong for WebGPU's defaults: relu through a 16,800-byte workgroup array of its own, past the 16,384 of the default
//   maxComputeWorkgroupStorageSize that relu's spec runs under, so no device with those limits creates its pipeline.
//   The sanitizer's device raises that limit to the adapter's for its shadow words; it passed no-out-of-bounds there
//   while every other property was the pipeline's error (a trial's).
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> stage: array<f32, 4200>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  stage[lid * 16u] = max(x[i], 0.0);
  y[i] = stage[lid * 16u];
}
