// tanh: y[i] = tanh(x[i]) with the built-in. Invocation g handles element g = gid.x + gid.y * (num_workgroups.x * 256).
// The argument is clamped to [-16, 16] first: there tanh is within 2.6e-14 of ±1, far inside WGSL's 1e-5, and an
// implementation that forms sinh / cosh from exp (as WGSL's accuracy rule is written) would give inf / inf = NaN for
// |x| past about 89.
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 256u;
  if (g >= params.n) { return; }
  y[g] = tanh(clamp(x[g], -16.0, 16.0));
}
