@group(0) @binding(0) var<storage, read_write> y: array<atomic<u32>>;
var<workgroup> w: atomic<u32>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  if (i == 0u) { atomicStore(&y[0], 0u); atomicStore(&w, 0u); }
  // BARRIER
  atomicAdd(&y[0], 1u);
  atomicAdd(&w, 1u);
}
