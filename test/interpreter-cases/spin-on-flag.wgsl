@group(0) @binding(0) var<storage, read_write> flag: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3<u32>) {
  if (wid.x == 0u) { atomicStore(&flag[0], 1u); return; }
  var spins = 0u;
  while (atomicLoad(&flag[0]) == 0u) { spins = spins + 1u; }
  y[0] = spins;
}
