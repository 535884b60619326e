// replaces: subgroup_sum
// bug: assumes 32 lanes per subgroup, as written for one vendor's GPUs: with any other size the partials overlap
// bug: and only two of them are added
// caught-by: matches-reference
enable subgroups;

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 64u;
var<workgroup> partial: array<f32, 16>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32,
        @builtin(subgroup_invocation_id) sg_lane: u32) {
  let row = wid.x;
  var acc = 0.0;
  for (var c = lid; c < params.cols; c += WG) {
    acc += x[row * params.cols + c];
  }
  let s = subgroupAdd(acc);
  if (sg_lane == 0u) {
    partial[lid / 32u] = s;
  }
  workgroupBarrier();
  if (lid == 0u) {
    y[row] = partial[0] + partial[1];
  }
}
