// sh: a shrunken SHA-256 message schedule (test/sanitizer-local.test.ts): each invocation loads its block's 4 words
// into a function-scope array, extends it to 8 and writes their sum.
struct Params {
  n: u32,
}

@group(0) @binding(0) var<storage, read> block: array<u32>;
@group(0) @binding(1) var<storage, read_write> h: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

var<private> w: array<u32, 8>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let m = gid.x;
  if (m >= params.n) {
    return;
  }
  for (var t = 0u; t < 4u; t++) {
    w[t] = block[4u * m + t];
  }
  for (var t = 4u; t <= 8u; t++) {  // BUG: clears w[8], past the end of the private w
    w[t] = 0u;
  }
  for (var t = 4u; t < 8u; t++) {
    w[t] = w[t - 4u] ^ (w[t - 1u] >> 3u);
  }
  var s = 0u;
  for (var t = 0u; t < 8u; t++) {
    s = s + w[t];
  }
  h[m] = s;
}
