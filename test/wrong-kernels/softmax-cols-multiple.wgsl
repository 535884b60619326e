// replaces: softmax
// bug: each invocation handles a contiguous chunk of cols / WG elements, which is only the whole row when cols is a
//   multiple of the workgroup size (256): the last cols % 256 elements of each row are never read nor written, and
//   a row shorter than 256 is not written at all.
// caught-by: writes-every-output
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

  // Seeding with the row's first element (cols >= 1) avoids a sentinel such as -inf, which WGSL may not honour.
  // Each invocation takes a contiguous chunk of cols / WG elements.
  let chunk = cols / WG;
  let start = lid * chunk;
  var m = x[base];
  for (var j = start; j < start + chunk; j++) {
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
  for (var j = start; j < start + chunk; j++) {
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

  // exp is recomputed on the same argument, so the numerators are the very terms that were summed.
  for (var j = start; j < start + chunk; j++) {
    y[base + j] = exp(x[base + j] - rowMax) / total;
  }
}
