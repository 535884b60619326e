// A tree sum in a helper handed the whole workgroup array by pointer, a barrier after every level: no race (taking
// `&part` read all of part at the call, which raced with the callee's writes after the barrier; trial 50).
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
var<workgroup> part: array<f32, 8>;

fn tree(p: ptr<workgroup, array<f32, 8>>, li: u32) {
  for (var s = 4u; s > 0u; s >>= 1u) {
    if (li < s) { (*p)[li] = (*p)[li] + (*p)[li + s]; }
    workgroupBarrier();
  }
}

@compute @workgroup_size(8)
fn main(@builtin(local_invocation_index) li: u32) {
  part[li] = f32(li);
  workgroupBarrier();
  tree(&part, li);
  if (li == 0u) { y[0] = part[0]; }
}
