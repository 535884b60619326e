@group(0) @binding(0) var<storage, read_write> total: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read> caps: array<u32>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) l: u32) {
  if (l == 0u) {
    let cap = caps[0];
    var old = atomicLoad(&total[0]);
    loop {
      if (old >= cap) {
        atomicStore(&total[0], cap);
        break;
      }
      let r = atomicCompareExchangeWeak(&total[0], old, min(old + 1u, cap));
      if (r.exchanged) { break; }
      old = r.old_value;
    }
  }
}
