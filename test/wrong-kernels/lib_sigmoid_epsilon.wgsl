// replaces: sigmoid
// bug: an epsilon subtracted "for stability", 1 / (1 + exp(-x)) - 2^-24: negative for very negative x
// caught-by: in-unit-interval
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 256u;
  if (g >= params.n) { return; }
  let v = x[g];
  let e = exp(-abs(v));
  var s = e / (1.0 + e);
  if (v >= 0.0) { s = 1.0 / (1.0 + e); }
  y[g] = s - 5.9604645e-8;
}
