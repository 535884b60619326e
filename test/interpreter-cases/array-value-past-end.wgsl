@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) g: vec3u) {
  y[g.x] = array<f32, 2>(1.0, 2.0)[g.x];
}
