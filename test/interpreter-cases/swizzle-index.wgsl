// y[i] = v[i].zxy[c]: an index of a swizzle, which wgsl_reflect evaluated to nothing (y was never written: a trial's
// correct gather failed matches-reference on the interpreter alone).
@group(0) @binding(0) var<storage, read> v: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(1)
fn main() {
  let c = 2u;
  y[0] = v[0].zxy[c];
}
