// A postfix after a bitcast applies to its value: upstream dropped it, so `bitcast<vec4<u32>>(v).y` was the whole
// vector, which dot4U8Packed then read as 0 (found by the random differential run). x = [1, 2].
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(2)
fn main(@builtin(local_invocation_index) i: u32) {
  let v = vec4<i32>(i32(x[i]), -5i, 7i, -1i);
  y[3u * i] = bitcast<vec4<u32>>(v).y;
  y[3u * i + 1u] = dot4U8Packed(x[i], bitcast<vec4<u32>>(v).y);
  y[3u * i + 2u] = bitcast<vec2<u32>>(v.zw)[i];
}
