@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> u: array<u32>;
@group(0) @binding(2) var<storage, read_write> i: array<i32>;
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) g: vec3u) {
  u[g.x] = u32(x[g.x]);
  i[g.x] = vec2i(vec2f(0.0, x[g.x])).y;
}
