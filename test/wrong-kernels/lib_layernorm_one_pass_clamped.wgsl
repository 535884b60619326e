// replaces: layernorm
// bug: the one-pass variance E[x^2] - E[x]^2 again, clamped at 0 so that it never goes NaN: every output stays finite
//   (finite-outputs passes), and a row of 2^60-2^100 values, whose sums may overflow and so have no finite bound in
//   matches-reference, comes out as -1e31 (a new user's kernel).
// caught-by: in-range
struct Params { rows: u32, cols: u32, eps: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 256u;
var<workgroup> t1: array<f32, 256>;
var<workgroup> t2: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) l: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.rows) { return; }
  let base = row * params.cols;
  var s = 0.0;
  var q = 0.0;
  for (var j = l; j < params.cols; j += WG) { let v = x[base + j]; s += v; q += v * v; }
  t1[l] = s;
  t2[l] = q;
  workgroupBarrier();
  for (var k = WG / 2u; k > 0u; k = k / 2u) {
    if (l < k) { t1[l] += t1[l + k]; t2[l] += t2[l + k]; }
    workgroupBarrier();
  }
  let n = f32(params.cols);
  let mean = t1[0] / n;
  let v = max(t2[0] / n - mean * mean, 0.0);
  let r = inverseSqrt(v + params.eps);
  for (var j = l; j < params.cols; j += WG) { y[base + j] = (x[base + j] - mean) * r; }
}
