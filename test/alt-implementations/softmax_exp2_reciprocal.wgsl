// implements: softmax
// order: FlashAttention's style: every exponential as exp2((x − max) · log2(e)) (WGSL allows exp2 3 + 2|t| ULP at the
// scaled t ≈ 1.44 (x − max), more than exp's at x − max), 64 invocations per row each summing a strided slice, the 64
// partial sums added left to right by invocation 0, and the outputs multiplied by the reciprocal 1 / sum (2.5 ULP,
// then a rounded product) instead of divided. Correct wherever (x − max) · log2(e) stays finite.
struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const LANES: u32 = 64u;
const LOG2E: f32 = 1.4426950408889634;
var<workgroup> part: array<f32, LANES>;
var<workgroup> shared_max: f32;
var<workgroup> shared_inv: f32;

@compute @workgroup_size(LANES)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lane: u32) {
  let row = wid.x;
  // Uniform for the whole workgroup, so the barriers below stay in uniform control flow.
  if (row >= params.rows) {
    return;
  }
  let base = row * params.cols;
  var m = x[base];
  for (var j = lane; j < params.cols; j += LANES) {
    m = max(m, x[base + j]);
  }
  part[lane] = m;
  workgroupBarrier();
  if (lane == 0u) {
    var mm = part[0];
    for (var l = 1u; l < LANES; l++) {
      mm = max(mm, part[l]);
    }
    shared_max = mm;
  }
  workgroupBarrier();
  let rowMax = shared_max;
  var s = 0.0;
  for (var j = lane; j < params.cols; j += LANES) {
    s += exp2((x[base + j] - rowMax) * LOG2E);
  }
  part[lane] = s;
  workgroupBarrier();
  if (lane == 0u) {
    var total = 0.0;
    for (var l = 0u; l < LANES; l++) {
      total += part[l];
    }
    shared_inv = 1.0 / total;
  }
  workgroupBarrier();
  let inv = shared_inv;
  for (var j = lane; j < params.cols; j += LANES) {
    y[base + j] = exp2((x[base + j] - rowMax) * LOG2E) * inv;
  }
}
