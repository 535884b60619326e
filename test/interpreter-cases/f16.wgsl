enable f16;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) g: vec3u) {
  let h = f16(1.0) + f16(0.0001);
  y[g.x] = f32(h);
}
