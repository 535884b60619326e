// relu, wrong by WGSL, right where the engine keeps the loop's var: `acc` is declared without an initializer inside
// the loop, so WGSL gives it its zero value on each of the two iterations and the second stores max(x / 2, 0). Dawn on
// SwiftShader keeps the first iteration's half, so there it stores max(x, 0) and the kernel as written passes: the
// converse of relu_loop_var.wgsl (trial 41's row sum, its accumulator declared in the loop).
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
    acc += 0.5 * x[g];
    if (t == 1u) { y[g] = max(acc, 0.0); }
  }
}
