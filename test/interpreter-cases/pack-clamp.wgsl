// pack4xI8Clamp and pack4xU8Clamp clamp each component to the byte's range, then pack: wgsl_reflect's list spells the
// first pack4x8Clamp, and the call was "Unknown function" (reflect.ts withUpstreamNames).
@group(0) @binding(0) var<storage, read_write> y: array<u32>;

@compute @workgroup_size(1)
fn main() {
  let big = 300;
  y[0] = pack4xI8Clamp(vec4<i32>(-200, 127, 5, big));
  y[1] = pack4xU8Clamp(vec4<u32>(0u, 255u, 256u, 7u));
}
