// ReLU read four at a time, as vectorised elementwise kernels do: the input is an array of vec4 (its buffer padded
// to a whole number of vec4s), the output scalar. Invocation i handles elements 4i..4i+3; the last one handles the
// n % 4 elements of the tail one by one.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let first = 4u * i;
  if (first >= params.n) {
    return;
  }
  let v = max(x[i], vec4<f32>(0.0));
  if (first + 4u <= params.n) {
    y[first] = v.x;
    y[first + 1u] = v.y;
    y[first + 2u] = v.z;
    y[first + 3u] = v.w;
    return;
  }
  for (var k = 0u; first + k < params.n; k++) {
    y[first + k] = v[k];
  }
}
