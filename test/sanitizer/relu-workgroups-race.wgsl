// replaces: relu
// bug: every workgroup writes y[0] as well as its own element (a "last writer wins" flag kept in the output):
//   two workgroups of one dispatch write the same storage element with no atomics, a race between workgroups.
//   With n > 64 there are several workgroups; y[0] still ends max(x[0], 0) only by the order the GPU happens to run
//   them in, so the outputs may pass. Caught by no-data-race on a GPU engine (different workgroups of one dispatch).
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
  y[i] = max(x[i], 0.0);
  if (lid == 0u) {
    y[0] = max(x[0], 0.0);
  }
}
