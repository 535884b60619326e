// implements: layernorm
// order: no shift (the mean of x itself), each row summed left to right by one invocation, the deviations squared
// with fma, then divided by sqrt(var + eps) (not inverseSqrt): a correct layernorm in a different order, with more
// roundings on each sum's path than the library's tree and a different final operation.
struct Params { rows: u32, cols: u32, eps: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> stats: vec2<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) l: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.rows) { return; }
  let base = row * params.cols;
  if (l == 0u) {
    var s = 0.0;
    for (var j = 0u; j < params.cols; j = j + 1u) { s = s + x[base + j]; }
    let mean = s / f32(params.cols);
    var q = 0.0;
    for (var j = 0u; j < params.cols; j = j + 1u) {
      let d = x[base + j] - mean;
      q = fma(d, d, q);
    }
    stats = vec2<f32>(mean, sqrt(q / f32(params.cols) + params.eps));
  }
  workgroupBarrier();
  let st = stats;
  for (var j = l; j < params.cols; j = j + 256u) { y[base + j] = (x[base + j] - st.x) / st.y; }
}
