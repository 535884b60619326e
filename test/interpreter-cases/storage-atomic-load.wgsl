// The storage twin of workgroup-atomic-load.wgsl: every invocation adds to a storage atomic, then invocation 0 loads
// it twice. A workgroupBarrier() orders workgroup memory only, so with it (or none) WGSL's relaxed atomics let the
// first load read only invocation 0's own update (trial 99 A2); a storageBarrier() orders every add first. BARRIER
// below is replaced by the test.
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@group(0) @binding(1) var<storage, read_write> count: atomic<u32>;

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) li: u32) {
  atomicAdd(&count, 1u);
  // BARRIER
  if (li == 0u) {
    out[0] = atomicLoad(&count);
    out[1] = atomicLoad(&count);
  }
}
