// Every invocation folds its value into a workgroup atomic, then invocation 0 reads it with atomicLoad and no barrier
// between: WGSL's relaxed atomics let that load read only invocation 0's own atomicMax (the others' may come later in
// the word's modification order), so the interpreter takes that schedule. With the barrier (BARRIER below) every
// atomicMax is ordered first and the load reads the workgroup's maximum.
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
var<workgroup> best: atomic<u32>;

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) li: u32) {
  atomicMax(&best, li + 1u);
  // BARRIER
  if (li == 0u) {
    out[0] = atomicLoad(&best);
    out[1] = atomicLoad(&best);
  }
}
