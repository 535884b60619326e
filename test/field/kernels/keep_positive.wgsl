// Two passes over a u32 mask in a scratch buffer, as a stream compaction's flag pass writes it: `mark` sets
// mask[i] to 1 where x[i] > 0 and to 0 elsewhere, `copy` keeps x[i] where the mask is 1.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> mask: array<u32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(64)
fn mark(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i < params.n) {
    mask[i] = select(0u, 1u, x[i] > 0.0);
  }
}

@compute @workgroup_size(64)
fn copy(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i < params.n) {
    y[i] = select(0.0, x[i], mask[i] == 1u);
  }
}
