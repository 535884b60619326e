// replaces: relu
// bug: invocations 2k and 2k + 1 both add into y[k] with a plain read-modify-write (trial W's Bloom filter did
//   `bits[w] = bits[w] | mask` from every invocation): peers updating one element, which an atomic fixes and no
//   barrier does. no-data-race must not advise a storageBarrier().
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.n) {
    return;
  }
  y[i / 2u] = y[i / 2u] + max(x[i], 0.0);
}
