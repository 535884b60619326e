// implements: layernorm
// order: Two-pass, shifted by the mean of a sample of the row (its first min(n, 4) elements), pre-scaled sums
//   (terms times 1/n), four elements at a time through vec4 and dot(), 256-lane tree.
struct Params { rows: u32, cols: u32, eps: f32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 256u;
var<workgroup> tree: array<f32, WG>;

fn load4(base: u32, j: u32, n: u32, k: f32) -> vec4<f32> {
  var v = vec4<f32>(0.0);
  for (var i = 0u; i < 4u; i++) {
    if (j + i < n) { v[i] = x[base + j + i] - k; }
  }
  return v;
}

fn tree_sum(l: u32, v: f32) -> f32 {
  tree[l] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s /= 2u) {
    if (l < s) { tree[l] = tree[l] + tree[l + s]; }
    workgroupBarrier();
  }
  let r = tree[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) l: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.rows) { return; }
  let n = params.cols;
  let base = row * n;
  let ns = min(n, 4u);
  var k = 0.0;
  for (var i = 0u; i < ns; i++) { k += x[base + i]; }
  k = k / f32(ns);
  let inv = 1.0 / f32(n);
  let iv = vec4<f32>(inv);
  var s = 0.0;
  for (var j = 4u * l; j < n; j += 4u * WG) { s += dot(load4(base, j, n, k), iv); }
  let mean = tree_sum(l, s);
  var q = 0.0;
  for (var j = 4u * l; j < n; j += 4u * WG) {
    var d = load4(base, j, n, k) - vec4<f32>(mean);
    for (var i = 0u; i < 4u; i++) { if (j + i >= n) { d[i] = 0.0; } }
    q += dot(d * iv, d);
  }
  let v = tree_sum(l, q);
  let r = inverseSqrt(v + params.eps);
  for (var j = l; j < n; j += WG) { y[base + j] = ((x[base + j] - k) - mean) * r; }
}
