// replaces: relu
// bug: reads its right neighbour through a pointer kept in a let, one past the end for the last element. The GPU
//   check does not follow a pointer in a let: no-out-of-bounds passes on Dawn and says what it did not check (x,
//   line 20), as a trial's `let p = &m[b]; p[c + 1u]` passed with nothing said.
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
  // p views the whole of x: its index is not x's, as far as the rewrite can see.
  let p = &x;
  y[i] = max(x[i], 0.0) + 0.0 * (*p)[i + 1u];
}
