// p: array<vec3<f32>>, whose elements are 16 bytes apart though a vec3<f32> is 12: p[i + 3u] past the end of a
// 3-element p is element 3 (byte 48), not 48 / 12 = 4 (a trial's cloth kernel).
@group(0) @binding(0) var<storage, read> p: array<vec3<f32>>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(1)
fn main() {
  y[0] = p[3u].x;
}
