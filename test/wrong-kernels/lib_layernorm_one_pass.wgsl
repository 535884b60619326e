// replaces: layernorm
// bug: the one-pass variance E[x^2] - E[x]^2 (no shift): on rows with an offset (1000 + N(0, 1)) it cancels catastrophically, can come out negative, and inverseSqrt of a negative number is NaN (see properties/layernorm.properties.ts for why this is not a correct implementation)
// caught-by: finite-outputs
struct Params { rows: u32, cols: u32, eps: f32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<workgroup> tree: array<vec2<f32>, 256>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) l: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= params.rows) { return; }
  let base = row * params.cols;
  var acc = vec2<f32>(0.0, 0.0);
  for (var j = l; j < params.cols; j = j + 256u) {
    let v = x[base + j];
    acc = acc + vec2<f32>(v, v * v);
  }
  tree[l] = acc;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s / 2u) {
    if (l < s) { tree[l] = tree[l] + tree[l + s]; }
    workgroupBarrier();
  }
  let n = f32(params.cols);
  let mean = tree[0].x / n;
  let r = inverseSqrt(tree[0].y / n - mean * mean + params.eps);
  for (var j = l; j < params.cols; j = j + 256u) { y[base + j] = (x[base + j] - mean) * r; }
}
