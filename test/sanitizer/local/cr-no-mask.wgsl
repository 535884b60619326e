// cr: a shrunken crc32 (test/sanitizer-local.test.ts): the CRC-32 of one word per invocation, a nibble at a time,
// from a 16-entry table in a uniform struct (as vec4s: a uniform array's stride is 16 bytes).
struct Params {
  n: u32,
}

struct Table {
  t: array<vec4<u32>, 4>,
}

@group(0) @binding(0) var<storage, read> msg: array<u32>;
@group(0) @binding(1) var<storage, read_write> crc: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;
@group(0) @binding(3) var<uniform> table: Table;

fn lookup(k: u32) -> u32 {
  return table.t[k >> 2u][k & 3u];
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let m = gid.x;
  if (m >= params.n) {
    return;
  }
  var c = 0xffffffffu;
  for (var k = 0u; k < 8u; k++) {
    let nib = (msg[m] >> (4u * k)) & 0xfu;
    c = lookup(c ^ nib) ^ (c >> 4u);  // BUG: index not masked to a nibble
  }
  crc[m] = ~c;
}
