// Euclidean norm of each row, one invocation per row, with the workgroup size a pipeline-overridable constant (as
// libraries tune it per device). Scaled by the row's largest magnitude first (as BLAS nrm2 does), so rows of
// huge values do not overflow in the squares: ‖x‖ = m · sqrt(Σ (x_i/m)²), m = max |x_i|.
override WG: u32 = 128u;

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row = gid.x;
  if (row >= params.rows) {
    return;
  }
  let base = row * params.cols;
  var m = 0.0;
  for (var k = 0u; k < params.cols; k++) {
    m = max(m, abs(x[base + k]));
  }
  if (m == 0.0) {
    y[row] = 0.0;
    return;
  }
  var s = 0.0;
  for (var k = 0u; k < params.cols; k++) {
    let t = x[base + k] / m;
    s += t * t;
  }
  y[row] = m * sqrt(s);
}
