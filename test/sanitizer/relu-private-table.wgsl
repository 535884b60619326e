// y = max(x, 0) + a round constant of 0 from a table declared var<private>: the GPU check indexes it (trial 222 C1;
// relu-const-table.wgsl is the same table as a const).
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

var<private> TABLE: array<f32, 4> = array<f32, 4>(0.0, 0.0, 0.0, 0.0);

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  var acc = max(x[i], 0.0);
  for (var k = 0u; k < 4u; k++) {
    acc += TABLE[k];
  }
  y[i] = acc;
}
