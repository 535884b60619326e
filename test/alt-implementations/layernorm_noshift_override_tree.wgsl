// implements: layernorm
// order: Two-pass, no shift, override workgroup size, tree in workgroup memory, y = d / sqrt(v + eps).
struct Params { rows: u32, cols: u32, eps: f32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

override WG: u32 = 128u;
var<workgroup> red: array<f32, WG>;

fn reduce(l: u32, v: f32) -> f32 {
  red[l] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (l < s) { red[l] += red[l + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) l: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.rows) { return; }
  let n = params.cols;
  let base = row * n;
  var s = 0.0;
  for (var j = l; j < n; j += WG) { s += x[base + j]; }
  let mean = reduce(l, s) / f32(n);
  var q = 0.0;
  for (var j = l; j < n; j += WG) { let d = x[base + j] - mean; q = fma(d, d, q); }
  let v = reduce(l, q) / f32(n);
  let den = sqrt(v + params.eps);
  for (var j = l; j < n; j += WG) { y[base + j] = (x[base + j] - mean) / den; }
}
