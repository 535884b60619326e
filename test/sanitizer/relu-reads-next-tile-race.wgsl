// replaces: relu
// bug: each workgroup's last invocation also reads the first element of the next workgroup's part of y (a halo read,
//   as an in-place tiled stencil makes), which that workgroup then overwrites: a read and a write by different
//   workgroups of one dispatch, which nothing orders. Each invocation reads its own y[i] before writing it, so the
//   next workgroup's own read of that element comes between the two. lavapipe (Firefox's and Deno's adapter here)
//   runs the workgroups in order, and a race shadow that kept only the last reader saw that own read there and
//   passed (trial 45). The outputs are right whatever the order: only no-data-race can catch it.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  _ = y[i];
  if (lid == 63u && i + 1u < params.n) {
    _ = y[i + 1u];
  }
  y[i] = max(x[i], 0.0);
}
