// The integer bit builtins on values with bit 31 set, as u32 and as i32 (patches/README.md §17): y[16 i + k] holds
// the k-th result for x[i]. extractBits of an i32 sign-extends and takes 32 bits whole; firstLeadingBit of a negative
// i32 is its highest 0 bit; firstTrailingBit and countOneBits reach bit 31.
@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(8)
fn main(@builtin(local_invocation_index) i: u32) {
  let u = x[i];
  let s = bitcast<i32>(u);
  let b = i * 16u;
  y[b + 0u] = countOneBits(u);
  y[b + 1u] = bitcast<u32>(countOneBits(s));
  y[b + 2u] = firstLeadingBit(u);
  y[b + 3u] = bitcast<u32>(firstLeadingBit(s));
  y[b + 4u] = firstTrailingBit(u);
  y[b + 5u] = bitcast<u32>(firstTrailingBit(s));
  y[b + 6u] = extractBits(u, 8u, 8u);
  y[b + 7u] = bitcast<u32>(extractBits(s, 8u, 8u));
  y[b + 8u] = bitcast<u32>(extractBits(s, 0u, 32u));
  y[b + 9u] = extractBits(u, 24u, 8u);
  y[b + 10u] = insertBits(u, 0xabcdu, 4u, 12u);
  y[b + 11u] = insertBits(u, 0x12345678u, 0u, 32u);
  let v = extractBits(vec2<i32>(s, ~s), 24u, 8u);
  y[b + 12u] = bitcast<u32>(v.x);
  y[b + 13u] = bitcast<u32>(v.y);
  y[b + 14u] = countLeadingZeros(u) + 100u * countTrailingZeros(u);
  y[b + 15u] = reverseBits(u);
}
