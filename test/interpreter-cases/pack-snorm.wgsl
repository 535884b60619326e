// pack4x8snorm and pack2x16snorm clamp each component to [-1, 1] before scaling (patches/README.md §35): -1.5 and -3
// pack as -127 (0x81) and -32767 (0x8001), not -128 and -32768. No value is a tie, where GPUs round apart.
@group(0) @binding(0) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(1)
fn main() {
  let lo = -1.5;
  y[0] = pack4x8snorm(vec4<f32>(lo, -3.0, 3.0, 0.3));
  y[1] = pack4x8snorm(vec4<f32>(-0.3, -1.0, 1.0, 0.0));
  y[2] = pack2x16snorm(vec2<f32>(lo, 0.3));
  y[3] = pack2x16snorm(vec2<f32>(-0.3, 2.0));
}
