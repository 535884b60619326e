// subgroup_sum whose first lane of each subgroup is taken to be every 4th invocation (trial 64's RMSNorm): right on
// SwiftShader's 4 lanes, wrong on a GPU's 32 (eight lanes store the one sum). No run here can show it; the pass says so.
enable subgroups;

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 64u;
var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32,
        @builtin(subgroup_invocation_id) sg_lane: u32) {
  let row = wid.x;
  var acc = 0.0;
  for (var c = lid; c < params.cols; c += WG) {
    acc += x[row * params.cols + c];
  }
  let s = subgroupAdd(acc);
  partial[lid] = select(0.0, s, lid % 4u == 0u);
  workgroupBarrier();
  if (lid == 0u) {
    var total = 0.0;
    for (var k = 0u; k < WG; k++) {
      total += partial[k];
    }
    y[row] = total;
  }
}
