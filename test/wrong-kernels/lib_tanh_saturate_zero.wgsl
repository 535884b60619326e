// replaces: tanh
// bug: a fast path for large |x| that returns 0 where tanh is ±1 (a new user's kernel). Every element it gets wrong is
//   past |x| = 89, where WGSL's inherited sinh / cosh rule bounds nothing: in range, odd and finite, it passes every
//   property but the one that takes tanh there as ±1 within WGSL's 1e-5 floor.
// caught-by: saturates
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 256u;
  if (g >= params.n) { return; }
  let v = x[g];
  if (abs(v) > 89.0) { y[g] = 0.0; return; }
  y[g] = tanh(clamp(v, -16.0, 16.0));
}
