// replaces: gelu
// bug: tanh written out as (exp(2u) - 1) / (exp(2u) + 1): past x of about 5 the inner argument makes exp overflow and inf / inf is NaN, where gelu(x) is about x; WGSL's tanh accuracy is unbounded there, so matches-reference alone accepts it
// caught-by: finite-outputs
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
  let v = x[g];
  let inner = K * (v + C * v * v * v);
  let e = exp(2.0 * inner);
  y[g] = (0.5 * v) * (1.0 + (e - 1.0) / (e + 1.0));
}
