// sh with its sum passed through 16 KiB of workgroup memory, one slot too far: invocation 63 writes big[4096] of
// 4096 (test/sanitizer-local.test.ts). With the race shadows the sanitized kernel needs 48 KiB, past SwiftShader's
// 32 KiB: no-out-of-bounds runs the bounds-only rewrite, which fits.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> block: array<u32>;
@group(0) @binding(1) var<storage, read_write> h: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;
var<workgroup> big: array<u32, 4096>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
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
  var s = 0u;
  for (var t = 0u; t < 8u; t++) {
    s = s + w[t];
  }
  big[lid * 64u + 64u] = s;
  h[m] = big[lid * 64u + 64u];
}
