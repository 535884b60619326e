// implements: gelu
// order: the sigmoid form that fast-gelu implementations use, x · σ(2 · inner) = x / (1 + exp(−2 · inner)), with
// inner = k · w · (1 + c · w²) (k·w factored out, not k · (w + c · w³)) and w = clamp(x, −10, 10): the same function
// as 0.5 x (1 + tanh(inner)), no tanh at all, exp where x < 0 grows to overflow (x / inf = −0, gelu's value there
// rounds to −0 too). Invocation g = gid.x + gid.y · (num_workgroups.x · 64), 64 a workgroup.
struct Params { n: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 64u;
  if (g >= params.n) { return; }
  let v = x[g];
  let w = clamp(v, -10.0, 10.0);
  let inner = 0.7978845608 * w * (1.0 + 0.044715 * w * w);
  y[g] = v / (1.0 + exp(-2.0 * inner));
}
