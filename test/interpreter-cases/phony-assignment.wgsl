@group(0) @binding(0) var<storage, read_write> count: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read_write> y: array<u32>;

fn bump(k: u32) -> u32 {
  y[k] = 10u + k;
  return atomicAdd(&count[1], 1u);
}

@compute @workgroup_size(4)
fn main(@builtin(local_invocation_id) lid: vec3u) {
  let i = lid.x;
  _ = atomicAdd(&count[0], 2u);
  _ = bump(i);
  _ = y[i] + 1u;
  _ = i;
}
