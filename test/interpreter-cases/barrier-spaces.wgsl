@group(0) @binding(0) var<storage, read_write> y: array<u32>;
var<workgroup> w: u32;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if (i == 0u) { y[0] = 5u; w = 6u; }
  // BARRIER
  y[i + 1u] = y[0] + w + i;
}
