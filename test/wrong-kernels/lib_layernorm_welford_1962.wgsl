// replaces: layernorm
// bug: Welford's 1962 update, m2 += δ²·(k − 1)/k, begun from a zero state: its first step squares the first value
//   itself, which passes f32's largest value for |x| > 1.8e19, and ∞ · 0 is NaN on a row whose answer is finite
//   (trial 162's W3; the form m2 += δ·(x − mean_new) never squares x).
// caught-by: finite-outputs
// order: One invocation per row, Welford's update (textbook), inverseSqrt.
struct Params { rows: u32, cols: u32, eps: f32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

struct Stats { n: f32, mean: f32, m2: f32 }

fn push(st: ptr<function, Stats>, v: f32) {
  let k = (*st).n + 1.0;
  let delta = v - (*st).mean;
  (*st).m2 += delta * delta * ((k - 1.0) / k);
  (*st).mean += delta / k;
  (*st).n = k;
}

@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.rows) { return; }
  let n = params.cols;
  let base = row * n;
  var st = Stats(0.0, 0.0, 0.0);
  for (var j = 0u; j < n; j++) { push(&st, x[base + j]); }
  let r = inverseSqrt(st.m2 / f32(n) + params.eps);
  for (var j = 0u; j < n; j++) { y[base + j] = (x[base + j] - st.mean) * r; }
}
