// One doubling pass: dst = 2 · src. The spec runs it twice, u → tmp then tmp → u, so src is read-only in each pass
// although u, an inout buffer, is written by the second.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (gid.x < params.n) {
    dst[gid.x] = 2.0 * src[gid.x];
  }
}
