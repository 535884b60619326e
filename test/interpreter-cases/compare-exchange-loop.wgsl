@group(0) @binding(0) var<storage, read_write> total: array<atomic<u32>>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) l: u32) {
  if (l == 0u) {
    var old = atomicLoad(&total[0]);
    loop {
      let r = atomicCompareExchangeWeak(&total[0], old, old + 1u);
      if (r.exchanged) { break; }
      old = r.old_value;
    }
  }
}
