// replaces: log_softmax
// bug: the running max seeded with 0, not the row's first element: right while the row's max is >= 0, wrong when every logit is far below 0
// caught-by: negative-logits
// Row-wise log-softmax of a rows×cols matrix (ONNX LogSoftmax, axis -1): y[r, j] = (x[r, j] − max_r) − log(S_r),
// S_r = Σ_k exp(x[r, k] − max_r) ≥ 1. The structure is softmax.wgsl's.
// One workgroup per row. Each invocation folds a strided slice of the row (so any cols works, including
// non-multiples of WG), then the workgroup combines the partials with a tree reduction in workgroup memory: first
// the max, then the sum of exponentials. Subtracting the row's max keeps exp finite for any finite logits.
struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

// A power of two (the tree halves it), and within SwiftShader's 256 invocations per workgroup.
const WG: u32 = 256u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x;
  let cols = params.cols;
  // The row is the same for the whole workgroup, so this early return keeps the barriers below in uniform control
  // flow (WGSL rejects a barrier that only some invocations of a workgroup reach).
  if (row >= params.rows) {
    return;
  }
  let base = row * cols;

  // The bug: the running max starts at 0, so a row whose every logit is negative gets max 0, not its own max.
  var m = 0.0;
  for (var j = lid; j < cols; j += WG) {
    m = max(m, x[base + j]);
  }
  partial[lid] = m;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      partial[lid] = max(partial[lid], partial[lid + s]);
    }
    workgroupBarrier();
  }
  let rowMax = partial[0];
  // Every invocation must have read the max before partial[] is reused for the sum.
  workgroupBarrier();

  var sum = 0.0;
  for (var j = lid; j < cols; j += WG) {
    sum += exp(x[base + j] - rowMax);
  }
  partial[lid] = sum;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      partial[lid] = partial[lid] + partial[lid + s];
    }
    workgroupBarrier();
  }
  let total = partial[0];

  let lse = log(total);
  for (var j = lid; j < cols; j += WG) {
    y[base + j] = (x[base + j] - rowMax) - lse;
  }
}
