// A struct copied whole from an element of a storage array into a variable (patches/README.md §21), as N-body code
// does: y[2i] = me.mass + me.pos.y, y[2i + 1] = q.vel.z, for P's WGSL layout (vec3s 16-aligned, stride 32 bytes).
struct P { pos: vec3<f32>, vel: vec3<f32>, mass: f32 }

@group(0) @binding(0) var<storage, read> pin: array<P>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) i: u32) {
  var me = P(vec3<f32>(0.0), vec3<f32>(0.0), 0.0);
  me = pin[i];
  let q = pin[i];
  y[i * 2u] = me.mass + me.pos.y;
  y[i * 2u + 1u] = q.vel.z;
}
