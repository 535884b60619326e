// sh with its sum taken by a helper through a pointer to the function array (test/sanitizer-local.test.ts): right,
// and no memory another invocation shares is behind the pointer.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> block: array<u32>;
@group(0) @binding(1) var<storage, read_write> h: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let m = gid.x;
  if (m >= params.n) {
    return;
  }
  var w: array<u32, 8>;
  for (var t = 0u; t < 4u; t++) {
    w[t] = block[4u * m + t];
  }
  for (var t = 4u; t < 8u; t++) {
    w[t] = w[t - 4u] ^ (w[t - 1u] >> 3u);
  }
  h[m] = total(&w);
}

fn total(p: ptr<function, array<u32, 8>>) -> u32 {
  var s = 0u;
  for (var t = 0u; t < 8u; t++) {
    s = s + (*p)[t];
  }
  return s;
}
