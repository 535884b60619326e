// replaces: layernorm
// bug: the eps of the uniform is ignored and 1e-5 written in its place (the value most models use): right whenever a
//   case passes 1e-5, wrong for 1e-6, 1e-12 or 1e-3 on rows whose variance is not far above it (a trial's two-pass
//   layernorm, written so, passed while every case's eps was 1e-5).
// caught-by: matches-reference
// layernorm: per row of x (rows × cols), y = (x - mean) / sqrt(var + eps), var the biased (1/cols) variance.
// No gain or bias: the harness checks the normalisation itself.
// Mapping: workgroup r (r = wid.x + wid.y * num_workgroups.x) owns row r; invocation l walks the columns
// l, l + 256, ... Sums are sequential per invocation, then a stride-halving tree in workgroup memory.
// The row is shifted by its first element K before anything else (mean(x) = K + mean(x - K)): a constant row then
// has every deviation exactly 0 and gives exact zeros, and the shift takes the row's offset out of the rounding.
// Two passes over the row for the variance (sum of squared deviations from the computed mean), one to write.
struct Params { rows: u32, cols: u32, eps: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 256u;
var<workgroup> tree: array<f32, 256>;

// Sums tree[0..256) into tree[0]; every invocation must call it (it has barriers) and then read tree[0].
fn tree_sum(l: u32) {
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s = s / 2u) {
    if (l < s) { tree[l] = tree[l] + tree[l + s]; }
    workgroupBarrier();
  }
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) l: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.rows) { return; } // uniform across the workgroup: barriers below stay in uniform control flow
  let base = row * params.cols;
  let k = x[base];

  var s = 0.0;
  for (var j = l; j < params.cols; j = j + WG) { s = s + (x[base + j] - k); }
  tree[l] = s;
  tree_sum(l);
  let mean = tree[0] / f32(params.cols);
  workgroupBarrier(); // everyone has read tree[0] before it is reused

  var q = 0.0;
  for (var j = l; j < params.cols; j = j + WG) {
    let d = (x[base + j] - k) - mean;
    q = q + d * d;
  }
  tree[l] = q;
  tree_sum(l);
  let r = inverseSqrt(tree[0] / f32(params.cols) + 1e-5);

  for (var j = l; j < params.cols; j = j + WG) { y[base + j] = ((x[base + j] - k) - mean) * r; }
}
