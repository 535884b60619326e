// y = max(x, 0) + a round constant of 0 from a table: a hash's or a filter's table of constants, indexed at run time
// (trial 222 C1). As a const the GPU check cannot index it and says to declare it var<private>
// (relu-private-table.wgsl), which it checks.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

const TABLE = array<f32, 4>(0.0, 0.0, 0.0, 0.0);

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
