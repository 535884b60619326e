// A store through a pointer to one element (`put(&part[lid], v)`, `let p = &y[lid]; *p = v`): a write of that
// element, at the store's line. Without the barrier, the read of a neighbour's element races with its store.
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
var<workgroup> part: array<f32, 4>;

fn put(dst: ptr<workgroup, f32>, v: f32) {
  *dst = v;
}

fn take(src: ptr<workgroup, f32>) -> f32 {
  return *src;
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) lid: u32) {
  put(&part[lid], f32(lid) + 1.0);
  workgroupBarrier();
  let p = &y[lid];
  *p = take(&part[(lid + 1u) % 4u]);
}
