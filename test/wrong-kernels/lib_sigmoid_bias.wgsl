// replaces: sigmoid
// bug: the logit is shifted by a bias of 1e-3 left in from a fused layer: sigmoid(x + 0.001)
// caught-by: symmetric
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 256u;
  if (g >= params.n) { return; }
  let v = x[g];
  let t = v + 0.001;
  let e = exp(-abs(t));
  if (t >= 0.0) { y[g] = 1.0 / (1.0 + e); } else { y[g] = e / (1.0 + e); }
}
