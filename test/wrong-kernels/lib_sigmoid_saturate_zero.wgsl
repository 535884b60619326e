// replaces: sigmoid
// bug: a fast path for large |x| with the wrong constant: every x past 89 gives 0 where sigmoid is 1 (a new user's
//   kernel). Every element it gets wrong is one where exp(x) overflows f32, so the form exp(x) / (1 + exp(x)) is
//   undefined there: only a bound that takes the defined form 1 / (1 + exp(−x)) at those x sees it.
// caught-by: matches-reference
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
  let e = exp(-abs(v));
  if (v >= 0.0) { y[g] = 1.0 / (1.0 + e); } else { y[g] = e / (1.0 + e); }
}
