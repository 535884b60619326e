// Vector constructors without their element type (WGSL §17.1.2: it comes from the arguments, an abstract int
// concretized to i32), of a u32 past 2^24: upstream typed each one f32 and rounded it (patches/README.md §38). A
// trial's int4 unpacking `(vec4(q) >> sh) & vec4(15u)` read wrong nibbles on the interpreter alone.
@group(0) @binding(0) var<storage, read> q: array<u32>;
@group(0) @binding(1) var<storage, read_write> o: array<u32>;

@compute @workgroup_size(1)
fn main() {
  let v = q[0];
  o[0] = vec4(v).z;
  o[1] = vec2(v, v).y;
  o[2] = vec4(v, 7u, 8u, 9u).x;
  o[3] = u32(vec4(i32(v), 1, 2, 3).x);
  o[4] = vec2(1, v).y;
  o[5] = u32(vec2(1, 2).y);
  o[6] = bitcast<u32>(vec2(1.5, 2.0).x);
  o[7] = ((vec4(v) >> vec4(4u)) & vec4(15u)).x;
  o[8] = vec3(vec2(v, 1u), 5u).x;
  for (var k = 0u; k < 2u; k++) { o[9 + k] = vec2(v + k, 0u).x; }
  o[11] = u32(vec4(f32(v)).x);
  o[12] = u32(all(vec2(true, v > 3u)));
}
