alias Scalar = f32;
@group(0) @binding(0) var<storage, read_write> y: array<Scalar>;
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let v: Scalar = Scalar(g.x) * 2.0;
  y[g.x] = v + 1.0;
}
