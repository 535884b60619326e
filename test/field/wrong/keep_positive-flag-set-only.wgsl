// replaces: keep_positive
// bug: sets the flag only where x > 0 and leaves the other elements as the buffer held them: right on a zeroed
// buffer, wrong on one kept from a previous call (trial 101 A1: it passed under each sentinel and zeros)
// caught-by: writes-every-output
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
  if (i < params.n && x[i] > 0.0) {
    mask[i] = 1u;
  }
}

@compute @workgroup_size(64)
fn copy(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i < params.n) {
    y[i] = select(0.0, x[i], mask[i] == 1u);
  }
}
