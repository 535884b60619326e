@group(0) @binding(0) var<storage, read_write> y: array<u32>;
var<workgroup> leader: u32;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if (i == 0u) { leader = 5u; }
  y[i] = leader;
}
