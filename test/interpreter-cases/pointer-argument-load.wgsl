// A call with a pointer argument and an atomicLoad as another argument (trial 131 A1): taking `&bins[lid]` read the
// element, and the load that followed read bins' word, as the phase began, for local's. 1 + lid each.
@group(0) @binding(0) var<storage, read_write> bins: array<atomic<u32>>;
var<workgroup> local: array<atomic<u32>, 4>;

fn add(p: ptr<storage, atomic<u32>, read_write>, v: u32) {
  atomicAdd(p, v);
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) lid: u32) {
  atomicAdd(&local[lid], lid + 1u);
  workgroupBarrier();
  add(&bins[lid], atomicLoad(&local[lid]));
}
