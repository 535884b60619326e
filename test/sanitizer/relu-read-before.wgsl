// replaces: relu
// bug: a stencil that reads its left neighbour with a signed index: element 0 reads x[-1], one before the start.
//   A GPU's robust access returns 0 or some element for it; caught by no-out-of-bounds naming element -1.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = i32(gid.x);
  if (u32(i) >= params.n) {
    return;
  }
  let left = x[i - 1];
  y[i] = max(x[i], 0.0) + 0.0 * left;
}
