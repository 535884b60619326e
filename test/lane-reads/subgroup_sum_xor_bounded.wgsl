// subgroup_sum with a butterfly of subgroupShuffleXor from half the subgroup_size builtin down to 1: right on any
// power-of-two count of lanes, and unchanged by kernelscope's lane wrapping (engines/lane-reads.ts).
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
  for (var off = sg_size / 2u; off > 0u; off >>= 1u) { s += subgroupShuffleXor(s, off); }
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
