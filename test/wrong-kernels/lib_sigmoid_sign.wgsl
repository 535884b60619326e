// replaces: sigmoid
// bug: the negative branch computes 1 / (1 + exp(-|x|)) instead of exp(x) / (1 + exp(x)): sigmoid(-x) comes out as sigmoid(|x|)
// caught-by: matches-reference
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 256u;
  if (g >= params.n) { return; }
  let e = exp(-abs(x[g]));
  y[g] = 1.0 / (1.0 + e);
}
