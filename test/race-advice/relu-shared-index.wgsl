// replaces: relu
// bug: each invocation reads and then writes "its" element through an index that two invocations share (i / 2u, a
//   wrong stride), at two lines, with no atomic: the two race. No barrier fixes it; the index does. A GPU run said only
//   "add a storageBarrier()" to such a pair (trial 45's summed-area table).
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
  let idx = i / 2u;
  let before = y[idx];
  y[idx] = max(x[i], 0.0) + select(0.0, 1.0, before == 7.0);
}
