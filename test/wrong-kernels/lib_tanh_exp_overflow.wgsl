// replaces: tanh
// bug: tanh as (exp(2x) - 1) / (exp(2x) + 1) without a clamp: for x past about 44, exp(2x) overflows and inf / inf is NaN (x = 2.3e20 gives NaN); WGSL's tanh rule is unbounded there, so only finiteness catches it
// caught-by: finite-outputs
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 256u;
  if (g >= params.n) { return; }
  let e = exp(2.0 * x[g]);
  y[g] = (e - 1.0) / (e + 1.0);
}
