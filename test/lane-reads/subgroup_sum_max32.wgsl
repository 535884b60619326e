// subgroup_sum whose subgroup's sum (subgroupAdd, right at any count) is then taken as the max of itself and the value
// 16 lanes over: the same sum on 32 lanes, wrong on 8 or 16, whose lane 16 over holds anything (trial 66's max written
// for 32 lanes). Another lane's value, which kernelscope gave such a read, is the same sum: it passed on 4 lanes. A
// value outside the subgroup's range (engines/lane-reads.ts) fails it.
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
  let sum = subgroupAdd(acc);
  let s = max(sum, subgroupShuffleXor(sum, 16u));
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
