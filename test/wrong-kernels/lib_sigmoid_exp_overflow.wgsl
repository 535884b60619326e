// replaces: sigmoid
// bug: exp(x) / (1 + exp(x)) for every x: past x of about 88.7 exp overflows and inf / inf is NaN where sigmoid is 1
// caught-by: finite-outputs
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 256u;
  if (g >= params.n) { return; }
  let v = x[g];
  let e = exp(v);
  y[g] = e / (1.0 + e);
}
