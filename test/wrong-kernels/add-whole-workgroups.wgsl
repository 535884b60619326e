// replaces: add
// bug: assumes the dispatch covers only whole workgroups (a host that computes floor(n / 64) workgroups instead of
//   ceil), and so treats any invocation past the last whole workgroup as padding: the last n % 64 elements are never
//   written, and nothing at all for n < 64. The spec's dispatch is right (ceil); the kernel's guard carries the floor.
// caught-by: writes-every-output
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= (params.n / 64u) * 64u) {
    return;
  }
  c[i] = a[i] + b[i];
}
