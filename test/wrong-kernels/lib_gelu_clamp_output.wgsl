// replaces: gelu
// bug: x itself is clamped to [-15, 15] and the clamped value multiplies the result (gelu(1000) = 15); tanh's
//   argument is clamped too, so every output is finite. Every element it gets wrong is one where WGSL's tanh rule is
//   unbounded: only a property that takes tanh there as ±1 within WGSL's 1e-5 floor sees it (a new user's kernel).
// caught-by: saturates
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const K: f32 = 0.7978845608028654;
const C: f32 = 0.044715;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 256u;
  if (g >= params.n) { return; }
  let v = clamp(x[g], -15.0, 15.0);
  let inner = clamp(K * (v + C * v * v * v), -20.0, 20.0);
  y[g] = (0.5 * v) * (1.0 + tanh(inner));
}
