@group(0) @binding(0) var<storage, read_write> y: array<f32>;
var<private> lid: vec3u;
fn f() { y[lid.x] = f32(lid.x) + 10.0; }
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_id) l: vec3u) {
  lid = l;
  f();
}
