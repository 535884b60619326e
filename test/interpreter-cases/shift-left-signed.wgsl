// `i << 31u` is an i32 (a shift has its left operand's type): upstream gave it the u32 type of its right operand, so
// the `>> 29u` after it shifted in zeros (4 where WGSL gives -4). x = [1, 2, 3, 0x80000001].
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  let s = bitcast<i32>(x[i]) << 31u;
  let v = vec2<i32>(bitcast<i32>(x[i]), 1i) << vec2<u32>(30u, 31u);
  y[2u * i] = bitcast<u32>(s >> 29u);
  y[2u * i + 1u] = bitcast<u32>((v >> vec2<u32>(28u, 30u)).x + (v >> vec2<u32>(28u, 30u)).y);
}
