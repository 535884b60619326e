@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  let i = lid.x;
  y[i] = round(x[i]);
  let v = round(vec2f(x[i + 4u], -x[i + 4u]));
  y[i + 4u] = v.x;
  y[i + 8u] = v.y;
}
