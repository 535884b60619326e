// test/field's subgroup_sum as it was: lane 0 of each subgroup writes partial[lid / sg_size], which holds only where a
// subgroup is consecutive invocations. WGSL does not promise it; every engine here groups so, and the kernel passes.
enable subgroups;

struct Params {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const WG: u32 = 64u;
// One slot per subgroup; subgroups are at least 4 wide on every adapter WebGPU allows (subgroupMinSize >= 4).
var<workgroup> partial: array<f32, 16>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32,
        @builtin(subgroup_size) sg_size: u32, @builtin(subgroup_invocation_id) sg_lane: u32) {
  let row = wid.x;
  var acc = 0.0;
  for (var c = lid; c < params.cols; c += WG) {
    acc += x[row * params.cols + c];
  }
  let s = subgroupAdd(acc);
  let sg_count = WG / sg_size;
  if (sg_lane == 0u) {
    partial[lid / sg_size] = s;
  }
  workgroupBarrier();
  if (lid == 0u) {
    var total = 0.0;
    for (var k = 0u; k < sg_count; k++) {
      total += partial[k];
    }
    y[row] = total;
  }
}
