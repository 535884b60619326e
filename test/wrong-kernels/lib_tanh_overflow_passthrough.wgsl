// replaces: tanh
// bug: an "overflow guard" that returns x itself past |x| = 80 (meant for sinh): WGSL's tanh rule is unbounded there, so matches-reference and finite-outputs accept it
// caught-by: in-range
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 256u;
  if (g >= params.n) { return; }
  let v = x[g];
  y[g] = select(tanh(v), v, abs(v) > 80.0);
}
