@group(0) @binding(0) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(4)
fn main(@builtin(global_invocation_id) g: vec3u) {
  var k = 0u;
  var n = g.x * 10u;
  while (k < n) {
    k += 1u;
    if (k == 25u) { continue; }
  }
  y[g.x] = k;
}
