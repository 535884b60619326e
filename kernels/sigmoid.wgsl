// sigmoid: y[i] = 1 / (1 + exp(-x[i])) for x >= 0, and exp(x) / (1 + exp(x)) for x < 0 (the same function, each
// form where its exp cannot overflow). Invocation g handles element g = gid.x + gid.y * (num_workgroups.x * 256).
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
  if (v >= 0.0) { y[g] = 1.0 / (1.0 + e); } else { y[g] = e / (1.0 + e); }
}
