// replaces: relu
// bug: reads its right neighbour through a helper that takes a pointer to x, one past the end for the last element.
//   The GPU check does not follow a pointer handed to a function: no-out-of-bounds passes on Dawn and says what it
//   did not check (x, line 23); the interpreter follows it and names the read.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

fn right(p: ptr<storage, array<f32>, read>, i: u32) -> f32 {
  return (*p)[i + 1u];
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  y[i] = max(x[i], 0.0) + 0.0 * right(&x, i);
}
