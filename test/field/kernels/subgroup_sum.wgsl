// Row sums with subgroup operations, in the style of ML libraries' reductions: each subgroup adds its lanes with
// subgroupAdd, lane 0 of each subgroup leaves the partial in workgroup memory, invocation 0 adds the partials.
// Nothing about subgroups is assumed: not their size (SwiftShader's is 4, many GPUs' 32 or 64), nor which invocations
// share one. WGSL ties subgroup_invocation_id to no local index, so `partial[lid / sg_size]` (the usual slot, a
// trial's too) may give two subgroups one slot where an implementation does not group invocations by consecutive
// indices. Each invocation has a slot of its own: lane 0 writes its subgroup's sum there, every other lane 0.0.
enable subgroups;

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 64u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32,
        @builtin(subgroup_invocation_id) sg_lane: u32) {
  let row = wid.x;
  var acc = 0.0;
  for (var c = lid; c < params.cols; c += WG) {
    acc += x[row * params.cols + c];
  }
  let s = subgroupAdd(acc);
  partial[lid] = select(0.0, s, sg_lane == 0u);
  workgroupBarrier();
  if (lid == 0u) {
    var total = 0.0;
    for (var k = 0u; k < WG; k++) {
      total += partial[k];
    }
    y[row] = total;
  }
}
