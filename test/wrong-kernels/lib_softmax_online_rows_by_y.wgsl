// replaces: softmax_online
// bug: the row index reads num_workgroups.y for .x: row = wid.x + wid.y * nwg.y. Under one row of workgroups nothing
//   changes; spread over y, the second row of workgroups redoes rows 2.. of the first, and from 7 rows on the rows past
//   x + 1 are never written (the mutation operator BuiltinAxisSwap's mutant of line 25).
// caught-by: matches-reference-spread-y
// runs: 1
// softmax_online: row-wise softmax, y[r, j] = exp(x[r, j] - max_r) / sum_k exp(x[r, k] - max_r), with the max and
// the sum found in ONE pass over the row (Milakov & Gimelshein 2018, "Online normalizer calculation for softmax").
// Mapping: workgroup r (r = wid.x + wid.y * num_workgroups.x) owns row r. Invocation l walks the columns
// l, l + 256, ... keeping a running max m and a sum s of exp(x - m), rescaled by exp(m_old - m_new) whenever the max
// grows. The workgroup then merges the (m, s) pairs with a stride-halving tree in workgroup memory:
// (m1, s1) + (m2, s2) = (M, s1 exp(m1 - M) + s2 exp(m2 - M)), M = max(m1, m2); it is exact in m, and the rescale
// factor of the larger side is exp(0) = 1. A second pass over the row writes exp(x - M) / S.
// Invocations with no column start from (x[row, 0], 0): a member of the row as the max, and an empty sum.
struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 256u;
var<workgroup> pm: array<f32, 256>;
var<workgroup> ps: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) l: u32) {
  let row = wid.x + wid.y * nwg.y;
  if (row >= params.rows) { return; } // uniform per workgroup: the barriers below stay in uniform control flow
  let base = row * params.cols;

  var m = x[base];
  var s = 0.0;
  for (var j = l; j < params.cols; j += WG) {
    let v = x[base + j];
    if (v > m) {
      s = s * exp(m - v) + 1.0;
      m = v;
    } else {
      s = s + exp(v - m);
    }
  }
  pm[l] = m;
  ps[l] = s;
  workgroupBarrier();
  for (var st = WG / 2u; st > 0u; st >>= 1u) {
    if (l < st) {
      let m1 = pm[l];
      let m2 = pm[l + st];
      let mm = max(m1, m2);
      ps[l] = ps[l] * exp(m1 - mm) + ps[l + st] * exp(m2 - mm);
      pm[l] = mm;
    }
    workgroupBarrier();
  }
  let rowMax = pm[0];
  let total = ps[0];
  for (var j = l; j < params.cols; j += WG) {
    y[base + j] = exp(x[base + j] - rowMax) / total;
  }
}
