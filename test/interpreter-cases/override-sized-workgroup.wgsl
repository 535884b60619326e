override WG: u32 = 4u;
var<workgroup> red: array<f32, WG>;
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  red[lid] = f32(lid);
  workgroupBarrier();
  y[lid] = red[WG - 1u - lid];
}
