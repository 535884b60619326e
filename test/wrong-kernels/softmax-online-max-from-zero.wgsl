// replaces: softmax
// bug: the online running max starts at 0.0 instead of the row's first element: on a row of large negative logits it never moves, every exp(x - 0) underflows and the sum is 0, so the outputs are 0 / 0 = NaN
// caught-by: finite-outputs
struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> ms: vec2<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) l: u32) {
  let row = wid.x;
  if (row >= params.rows) { return; }
  let base = row * params.cols;
  if (l == 0u) {
    var m = 0.0;
    var s = 0.0;
    for (var j = 0u; j < params.cols; j = j + 1u) {
      let v = x[base + j];
      if (v > m) {
        s = s * exp(m - v) + 1.0;
        m = v;
      } else {
        s = s + exp(v - m);
      }
    }
    ms = vec2<f32>(m, s);
  }
  workgroupBarrier();
  let t = ms;
  for (var j = l; j < params.cols; j = j + 256u) { y[base + j] = exp(x[base + j] - t.x) / t.y; }
}
