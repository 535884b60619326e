// relu, WRONG (it doubles every positive value) and with a var declared without an initializer inside a loop: that
// variable is assigned before it is read, so it does not explain the failure, and test/portability.test.ts checks
// that its advice is not put beside it (a trial's out-of-bounds read carried it).
struct Params { n: u32 }

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let g = gid.x + gid.y * nwg.x * 256u;
  if (g >= params.n) { return; }
  for (var t = 0u; t < 2u; t++) {
    var acc: f32;
    acc = 2.0 * x[g];
    if (t == 1u) { y[g] = max(acc, 0.0); }
  }
}
