// replaces: softmax_exp2
// bug: keeps the running sum when a lane's maximum grows, without rescaling it by exp2((m_old − m_new) · log2 e): the
// bug: terms summed before are counted at the old scale, so rows whose maximum comes late sum past 1
// caught-by: matches-reference
const LANES = 64u;
const LOG2E = 1.4426950408889634;

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> lane_max: array<f32, LANES>;
var<workgroup> lane_sum: array<f32, LANES>;

@compute @workgroup_size(LANES)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lane: u32) {
  let row = wid.x;
  let base = row * params.cols;
  var m = x[base];
  var s = 0.0;
  for (var j = lane; j < params.cols; j += LANES) {
    let v = x[base + j];
    if (v > m) {
      m = v;
    }
    s += exp2((v - m) * LOG2E);
  }
  lane_max[lane] = m;
  lane_sum[lane] = s;
  workgroupBarrier();
  for (var stride = LANES / 2u; stride > 0u; stride /= 2u) {
    if (lane < stride) {
      let m1 = lane_max[lane];
      let m2 = lane_max[lane + stride];
      let mm = max(m1, m2);
      lane_sum[lane] = lane_sum[lane] * exp2((m1 - mm) * LOG2E) + lane_sum[lane + stride] * exp2((m2 - mm) * LOG2E);
      lane_max[lane] = mm;
    }
    workgroupBarrier();
  }
  let mx = lane_max[0];
  let inv = 1.0 / lane_sum[0];
  for (var j = lane; j < params.cols; j += LANES) {
    y[base + j] = exp2((x[base + j] - mx) * LOG2E) * inv;
  }
}
