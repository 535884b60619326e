// implements: layernorm
// order: both sums made of pre-scaled terms, as tfjs writes them: the mean as Σ x_j·(1/n), the variance as
// Σ (x_j − mean)²·(1/n), each strided over 64 invocations and then halved down a tree in workgroup memory. On
// SwiftShader a term x_j/n that is subnormal is flushed though x_j is not (trial 56: a row of eight 8.45e-38 has
// mean 0 here), which the bound must allow.
struct Params { rows: u32, cols: u32, eps: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const LANES: u32 = 64u;
var<workgroup> part: array<f32, LANES>;

fn rowSum(l: u32, v: f32) -> f32 {
  part[l] = v;
  workgroupBarrier();
  for (var half = LANES / 2u; half > 0u; half = half / 2u) {
    if (l < half) { part[l] = part[l] + part[l + half]; }
    workgroupBarrier();
  }
  let total = part[0];
  workgroupBarrier();
  return total;
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) l: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.rows) { return; }
  let base = row * params.cols;
  let share = 1.0 / f32(params.cols);
  var s = 0.0;
  for (var j = l; j < params.cols; j = j + LANES) { s = s + x[base + j] * share; }
  let mean = rowSum(l, s);
  var q = 0.0;
  for (var j = l; j < params.cols; j = j + LANES) {
    let d = x[base + j] - mean;
    q = q + d * d * share;
  }
  let scale = inverseSqrt(rowSum(l, q) + params.eps);
  for (var j = l; j < params.cols; j = j + LANES) { y[base + j] = (x[base + j] - mean) * scale; }
}
