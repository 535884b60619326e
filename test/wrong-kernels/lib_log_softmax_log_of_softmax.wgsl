// replaces: log_softmax
// bug: computed as log(exp(x - max) / sum): exp underflows to 0 for x - max below about -104, and log(0) is -inf (SwiftShader gives about -88), where the exact log-probability is, e.g., -1e37
// caught-by: matches-reference
struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 256u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x;
  let cols = params.cols;
  if (row >= params.rows) { return; }
  let base = row * cols;
  var m = x[base];
  for (var j = lid; j < cols; j += WG) { m = max(m, x[base + j]); }
  partial[lid] = m;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] = max(partial[lid], partial[lid + s]); }
    workgroupBarrier();
  }
  let rowMax = partial[0];
  workgroupBarrier();
  var sum = 0.0;
  for (var j = lid; j < cols; j += WG) { sum += exp(x[base + j] - rowMax); }
  partial[lid] = sum;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { partial[lid] = partial[lid] + partial[lid + s]; }
    workgroupBarrier();
  }
  let total = partial[0];
  for (var j = lid; j < cols; j += WG) { y[base + j] = log(exp(x[base + j] - rowMax) / total); }
}
