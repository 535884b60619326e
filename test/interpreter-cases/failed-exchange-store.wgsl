@group(0) @binding(0) var<storage, read_write> total: array<atomic<u32>>;
@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) l: u32, @builtin(workgroup_id) wg: vec3u) {
  if (l == 0u) {
    let old = atomicLoad(&total[0]);
    let r = atomicCompareExchangeWeak(&total[0], old, old + 1u);
    if (!r.exchanged) {
      // FALLBACK
      atomicStore(&total[0], r.old_value + 1u);
    }
  }
}
