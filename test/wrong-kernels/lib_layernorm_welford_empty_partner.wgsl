// replaces: layernorm
// bug: Welford's merge leaves out the early return for an empty right partner (count 0), which idle lanes of a row
//   narrower than the tree hold: δ = −mean_a, and δ·δ·n_a·0 is ∞ · 0 = NaN once |mean| passes 1.8e19 (δ² past f32's
//   largest value), on rows whose answer is finite and bounded (trial 157 A1). Correct on rows of smaller values.
// caught-by: matches-reference
struct Params { rows: u32, cols: u32, eps: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const LANES: u32 = 128u;
struct Moments { n: f32, mean: f32, m2: f32 }
var<workgroup> part: array<Moments, LANES>;

fn merged(a: Moments, b: Moments) -> Moments {
  if (a.n == 0.0) { return b; }
  let n = a.n + b.n;
  let delta = b.mean - a.mean;
  return Moments(n, a.mean + delta * b.n / n, a.m2 + b.m2 + delta * delta * a.n * b.n / n);
}

@compute @workgroup_size(128)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) l: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.rows) { return; }
  let base = row * params.cols;
  var m = Moments(0.0, 0.0, 0.0);
  for (var j = l; j < params.cols; j = j + LANES) {
    let v = x[base + j];
    m.n = m.n + 1.0;
    let d = v - m.mean;
    m.mean = m.mean + d / m.n;
    m.m2 = m.m2 + d * (v - m.mean);
  }
  part[l] = m;
  workgroupBarrier();
  for (var s = LANES / 2u; s > 0u; s = s / 2u) {
    if (l < s) { part[l] = merged(part[l], part[l + s]); }
    workgroupBarrier();
  }
  let all = part[0];
  let r = inverseSqrt(all.m2 / f32(params.cols) + params.eps);
  for (var j = l; j < params.cols; j = j + LANES) { y[base + j] = (x[base + j] - all.mean) * r; }
}
