// A tree sum whose partial is stored in the for loop's increment, with no barrier in the loop: invocation lid reads
// part[lid + s] while invocation lid + s stores it at the increment (trial 113 B1: the write was said at line -1).
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
var<workgroup> part: array<f32, 8>;

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_index) lid: u32) {
  part[lid] = f32(lid);
  part[lid + 4u] = 0.0;
  workgroupBarrier();
  var v = part[lid];
  for (var s = 2u; s > 0u; part[lid] = v) {
    v = v + part[lid + s];
    s = s / 2u;
  }
  y[lid] = v;
}
