// subgroup_sum through an inclusive scan by subgroupShuffleUp, each lane adding what it reads only where the lane it
// reads is in the subgroup (lane >= off): right on any count of lanes.
enable subgroups;

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 128u; // a multiple of every subgroup size WebGPU allows: every subgroup is full
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32,
        @builtin(subgroup_invocation_id) sg_lane: u32, @builtin(subgroup_size) sg_size: u32) {
  let row = wid.x;
  var acc = 0.0;
  for (var c = lid; c < params.cols; c += WG) {
    acc += x[row * params.cols + c];
  }
  var s = acc;
  for (var off = 1u; off < sg_size; off <<= 1u) {
    let t = subgroupShuffleUp(s, off);
    if (sg_lane >= off) { s += t; }
  }
  // The last lane's total as the lane before it's prefix and its own value: the lanes below that prefix are the low
  // lanes the unguarded scan spoils.
  let before = subgroupShuffleUp(s, 1u);
  partial[lid] = select(0.0, before + acc, sg_lane == sg_size - 1u);
  workgroupBarrier();
  if (lid == 0u) {
    var total = 0.0;
    for (var k = 0u; k < WG; k++) {
      total += partial[k];
    }
    y[row] = total;
  }
}
