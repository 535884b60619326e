@group(0) @binding(0) var<storage, read_write> lock: atomic<u32>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) i: u32) {
  let r = atomicCompareExchangeWeak(&lock, 0u, i + 1u);
  y[i] = select(0u, 1u, r.exchanged) + r.old_value * 0u;
}
