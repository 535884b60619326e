// replaces: softmax
// bug: the tree reduction of the sum has no workgroupBarrier between its levels, so an invocation may read
//   partial[lid + s] before the invocation that owns it has added its own level in: a data race. Whether a race
//   shows depends on how the engine schedules a workgroup. On SwiftShader (Dawn in Node, checked with seeds 1, 3, 4
//   and 5) it shows every time: matches-reference fails and shrinks to one short row (1 × 13 for seeds 3 and 4), every
//   element wrong, because SwiftShader runs a workgroup's invocations a few SIMD lanes at a time, one group after another
//   between barriers, so lane 0 reads partial sums the later lanes have not folded in yet. A GPU that keeps the
//   whole workgroup in lockstep could hide it; the interpreter engine's race detection (another module) is the
//   engine-independent check.
// caught-by: matches-reference
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
  var m = x[base];
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
  }
  let total = partial[0];

  // exp is recomputed on the same argument, so the numerators are the very terms that were summed.
  for (var j = lid; j < cols; j += WG) {
    y[base + j] = exp(x[base + j] - rowMax) / total;
  }
}
