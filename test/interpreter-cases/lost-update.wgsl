@group(0) @binding(0) var<storage, read_write> total: array<atomic<u32>>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) l: u32) {
  if (l == 0u) { atomicStore(&total[0], atomicLoad(&total[0]) + 1u); }
}
